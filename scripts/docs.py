#!/usr/bin/env python3
"""Regenerate what README.md and docs/ show from the code, so the examples cannot drift.

    .venv/bin/python scripts/docs.py           rewrite the generated parts in place
    .venv/bin/python scripts/docs.py --check   exit 1, with a diff, when a page is out of date

Two kinds of generated parts:
- a ```console block: every `$ ` line in it is run with bash from a scratch folder that sees the
  repository's decks/ and docs/ (outputs go to its own dist/), and the lines under it are what the
  command printed, stdout and stderr together, as a terminal of 100 columns shows them;
- an options table between `<!-- options: COMMAND -->` and `<!-- end options -->`, made from the
  argparse parser of `learn COMMAND` (every option, its default, its help).

The extractor's ranking changes as other work lands: rerun this script and commit the pages.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSOLE = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)
OPTIONS = re.compile(r"^<!-- options: ([a-z ]+) -->\n(.*?)^<!-- end options -->$", re.S | re.M)
DEFAULT_IN_HELP = re.compile(r"\(default:? ?([^);]*)")


def pages() -> list[Path]:
    """README, then the docs in the site's order (mkdocs.yml): a later page may use what an earlier
    one built (the quiz page practises the list the recipes page built), then any page not listed."""
    listed = re.findall(r"([\w-]+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    docs = [ROOT / "docs" / name for name in listed]
    return [ROOT / "README.md", *docs, *sorted(set((ROOT / "docs").glob("*.md")) - set(docs))]


def scratch(work: Path) -> Path:
    """A working folder that shows the repository's inputs by their usual names but keeps outputs."""
    for name in ("decks", "docs", "learn"):
        (work / name).symlink_to(ROOT / name)
    return work


def run(command: str, work: Path) -> str:
    """What `command` prints in a terminal: stdout and stderr in order, trailing blanks trimmed."""
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1", PYTHONHASHSEED="0")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "-c", f"{command} 2>&1"], cwd=work, env=env, capture_output=True, text=True, timeout=600
    )
    # the checkout's folder (and the scratch folder standing in for it) differ from machine to machine
    printed = done.stdout.replace(str(work), "…").replace(str(ROOT), "…")
    return "\n".join(line.rstrip() for line in printed.rstrip("\n").splitlines())


def console(block: str, work: Path) -> str:
    """The block with each command's output made again."""
    out: list[str] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append(line)
            printed = run(line[2:], work)
            if printed:
                out.append(printed)
    return "\n".join(out) + "\n"


def subcommand(name: str) -> argparse.ArgumentParser:
    """The parser of `learn NAME` (NAME may be two words: `background build`)."""
    from learn.cli import build_parser

    words = name.split()
    parser: argparse.ArgumentParser = build_parser(words[0])
    for word in words:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[word]
    return parser


def default_of(action: argparse.Action) -> str:
    """The default as the help says it, else as argparse holds it."""
    found = DEFAULT_IN_HELP.search(action.help or "")
    if found and found.group(1).strip():
        return found.group(1).strip()
    if action.required:
        return "required"
    if action.nargs == 0:
        return "off"
    if action.default is None or action.default == []:
        return "—"
    if isinstance(action.default, list):
        return ",".join(map(str, action.default))
    return str(action.default)


def option_rows(parser: argparse.ArgumentParser) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        shown = action.metavar or action.dest.upper()
        if action.choices and not isinstance(action.choices, range) and not action.metavar:
            shown = "{" + ",".join(map(str, action.choices)) + "}"
        if action.option_strings:
            name = ", ".join(f"`{o}`" for o in action.option_strings)
            name += f" `{shown}`" if action.nargs != 0 else ""
        else:
            name = f"`{shown}`" + (" …" if action.nargs in ("+", "*") else "")
        text = " ".join((action.help or "").split()).replace("|", "\\|")
        yield f"| {name} | {default_of(action)} | {text} |"


def options(name: str) -> str:
    """The usage line as `learn NAME --help` prints it in 100 columns, then a table of every option."""
    os.environ["COLUMNS"] = "100"  # argparse wraps the usage to the terminal's width
    parser = subcommand(name)
    usage = parser.format_usage().removeprefix("usage: ")
    table = "| option | default | what it does |\n|---|---|---|\n" + "\n".join(option_rows(parser))
    return f"```text\n{usage}```\n\n{table}\n"


def regenerate(text: str, work: Path) -> str:
    text = OPTIONS.sub(lambda m: f"<!-- options: {m[1]} -->\n{options(m[1])}<!-- end options -->", text)
    return CONSOLE.sub(lambda m: f"```console\n{console(m[1], work)}```", text)


def shell_commands(text: str) -> Iterator[str]:
    """Every `learn …` command written in a ```sh block or a console block's `$ ` lines."""
    for lang, body in re.findall(r"^```(sh|console)\n(.*?)^```$", text, re.S | re.M):
        for line in body.splitlines():
            if lang == "console" and not line.startswith("$ "):
                continue
            for part in re.split(r"&&|\|\||;|\||\s\d?>", line.removeprefix("$ ")):
                words = shlex.split(part, comments=True)
                while words and re.match(r"^[A-Z_]+=", words[0]):
                    words = words[1:]  # environment assignments
                if words and words[0] in ("learn", ".venv/bin/learn"):
                    yield shlex.join(words[1:])


def main(argv: list[str]) -> int:
    check = "--check" in argv
    with tempfile.TemporaryDirectory(prefix="learn-docs-") as tmp:
        stale = update(scratch(Path(tmp)), check)
    if check and stale:
        print(f"docs: out of date: {', '.join(stale)}; run .venv/bin/python scripts/docs.py", file=sys.stderr)
        return 1
    return 0


def update(work: Path, check: bool) -> list[str]:
    """Regenerate every page; write the changed ones, or (check) print their diff. Returns their names."""
    stale: list[str] = []
    for page in pages():
        old = page.read_text(encoding="utf-8")
        new = regenerate(old, work)
        if new == old:
            continue
        name = str(page.relative_to(ROOT))
        stale.append(name)
        if check:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True), name, name))
        else:
            page.write_text(new, encoding="utf-8")
            print(f"docs: rewrote {name}", file=sys.stderr)
    return stale


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
