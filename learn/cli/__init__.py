"""`learn` command line: one module per subcommand, one error path for all of them.

Every subcommand module offers `add_parser(subparsers)` and `run(args) -> int`.
Errors become one line on stderr and exit 1 (bad input) or 2 (bad usage).
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module

from learn.errors import LearnError

COMMANDS = ("extract", "deck", "handout", "build", "quiz", "background")


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as a single line, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser(only: str | None = None) -> Parser:
    """The full parser, or (only=NAME) one with just that subcommand: `learn extract` then never
    imports the deck, handout and quiz stacks, which is a good part of its start-up time."""
    parser = Parser(prog="learn", description="Vocabulary from real Chinese texts.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for name in COMMANDS if only is None else (only,):
        import_module(f"learn.cli.{name}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `learn` console script."""
    argv = sys.argv[1:] if argv is None else argv
    # The program, not the library, decides this for its own process: the polyphone model's
    # matrix products are too small to gain from OpenBLAS's threads, and the pool OpenBLAS starts
    # when numpy loads spins for about 0.05 s of CPU (a tenth of what reading a text costs).
    # A value the user set stays; in a process that loaded numpy already it changes nothing.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    parser = build_parser(chosen)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except LearnError as err:
        sys.stderr.write(f"learn {args.command}: {err}\n")
        return err.code
    except KeyboardInterrupt:
        sys.stderr.write("learn: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:
        sys.stderr.write(f"learn {args.command}: {err.strerror or err}: {getattr(err, 'filename', '') or ''}\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
