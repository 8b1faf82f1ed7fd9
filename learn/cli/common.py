"""Options every command that reads texts shares (extract, deck, handout), and how they run."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from learn.entry import Entry
from learn.errors import UsageError
from learn.read.text import Document, read_documents


def whole_number(minimum: int):
    """An argparse type for whole numbers of at least `minimum`, with a one-line complaint."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"expected a number of at least {minimum}, got {n}")
        return n

    return parse


positive_int = whole_number(1)
STANDARDS = ("tw", "hk", "t")


class Renamed(argparse.Action):
    """The old spelling of a renamed option: still works, stored where the new one is, and says so
    on stderr (one line) so scripts can be updated before the old spelling goes."""

    def __init__(self, option_strings: Sequence[str], dest: str, new: str = "", **kw: Any) -> None:
        self.new = new
        super().__init__(option_strings, dest, **{**kw, "help": argparse.SUPPRESS})

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: Any = None
    ) -> None:
        sys.stderr.write(f"{parser.prog}: note: {option} is now {self.new}; the old spelling still works for now\n")
        setattr(namespace, self.dest, values)


def add_input_options(p: argparse.ArgumentParser, top: int = 50) -> None:
    """PATH... and the options that choose and annotate terms."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="text file(s); - reads stdin")
    p.add_argument("--top", type=positive_int, default=top, help=f"how many terms (default {top})")
    p.add_argument(
        "--standard",
        choices=STANDARDS,
        default="tw",
        help="traditional forms: tw Taiwan (default), hk Hong Kong, t OpenCC standard",
    )
    p.add_argument("--variant", dest="standard", choices=STANDARDS, action=Renamed, new="--standard")
    p.add_argument(
        "--known",
        metavar="FILE",
        help="words you know: one per line, an Anki .apkg/.colpkg, a Pleco export (text or XML) or a "
        "Skritter word list (.csv)",
    )
    p.add_argument(
        "--max-hsk",
        type=int,
        choices=range(1, 8),
        metavar="N",
        help="leave out words of HSK level N and below (7 = the 7–9 band)",
    )
    p.add_argument(
        "--no-glossary",
        action="store_true",
        help="switch off the curated policy glossary (general dictionaries stay on)",
    )
    bg = p.add_mutually_exclusive_group()
    bg.add_argument(
        "--background",
        metavar="FILE",
        help="phrase background made by `learn background build` (default: the shipped one)",
    )
    bg.add_argument(
        "--no-background", action="store_true", help="judge each text on its own, without a phrase background"
    )


def add_engine_options(p: argparse.ArgumentParser) -> None:
    """--engine and --scheduler: where a corpus job runs (background builds, corpus-mode extraction)."""
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: --jobs processes on this machine (default); dask: a Dask cluster "
        "(needs pip install 'learn[dask]')",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the scheduler of an existing cluster (tcp://host:8786); "
        "without it a local cluster of --jobs workers is started",
    )


def background_choice(args: argparse.Namespace) -> str | None:
    """The phrase background a command was asked for, as a path (None: none); checked up front
    so a bad file gives one line before any slow work."""
    from learn.background.model import load, shipped_path

    if getattr(args, "no_background", False):
        return None
    path = getattr(args, "background", None) or str(shipped_path())
    load(path)  # raises LearnError with one line when it is not a background
    return path


@dataclass
class Extracted:
    """One input document and the entries found in it."""

    document: Document
    entries: list[Entry]


def extract_inputs(args: argparse.Namespace) -> list[Extracted]:
    """Read every PATH and extract its vocabulary with the shared options."""
    from learn.cli.known import read_known
    from learn.terms.rank import extract

    if args.paths.count("-") > 1:
        raise UsageError("stdin (-) can be given only once")
    known = read_known(args.known) if args.known else set()
    background = background_choice(args)
    docs = read_documents(args.paths)
    return [
        Extracted(
            d,
            extract(
                d.text,
                top=args.top,
                variant=args.standard,
                known=known,
                max_hsk=args.max_hsk,
                glossary=not args.no_glossary,
                source=d.name,
                background=background or False,
            ),
        )
        for d in docs
    ]
