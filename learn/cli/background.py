"""`learn background`: build a phrase background from a corpus (build), or describe one (info)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from learn.cli.common import add_engine_options, positive_int, whole_number


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "background",
        help="build or describe a phrase background (corpus statistics)",
        description="Phrase statistics of a corpus: which phrases are conventional, "
        "which are fragments, and when each first appeared.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    _add_build(actions)
    _add_info(actions)


def _add_build(actions: argparse._SubParsersAction) -> None:
    from learn.background.model import MAX_LEN, MIN_DF

    b = actions.add_parser(
        "build",
        help="count the phrases of a corpus into a background file",
        description="Count every phrase of 2..--max-len Han characters seen in at least "
        "--min-df documents, with neighbour statistics, dates and how often writers mark it "
        "(quotes, 、-series, 《》), and score how likely each is a unit of the language, into one "
        "SQLite file. Reads what `learn extract` reads; dates come from file "
        "names (20230905, 2023-09-05, 2023_09, 2023).",
    )
    b.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of the corpus")
    b.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        type=_output_file,
        help="the background file to write (e.g. my-background.sqlite3)",
    )
    b.add_argument("--jobs", type=positive_int, default=1, metavar="N", help="worker processes (default 1)")
    b.add_argument(
        "--min-df",
        type=positive_int,
        default=MIN_DF,
        metavar="N",
        help=f"keep phrases seen in at least N documents (default {MIN_DF})",
    )
    b.add_argument(
        "--max-len",
        type=whole_number(2),
        default=MAX_LEN,
        metavar="N",
        help=f"longest phrase, in characters (default {MAX_LEN})",
    )
    add_engine_options(b)
    b.add_argument("--source", metavar="TEXT", help="describe the corpus in the file's metadata")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    b.set_defaults(run=run_build)


def _add_info(actions: argparse._SubParsersAction) -> None:
    i = actions.add_parser(
        "info",
        help="print what a background file holds",
        description="Print a background file's figures (default: the shipped one).",
    )
    i.add_argument("file", nargs="?", metavar="FILE", help="a background file (default: the shipped one)")
    i.add_argument(
        "-p",
        "--phrase",
        dest="phrases",
        action="append",
        default=[],
        metavar="PHRASE",
        help="also show this phrase's figures (repeatable)",
    )
    i.set_defaults(run=run_info)


def _output_file(value: str) -> Path:
    """-o must name a file, not a folder; checked before the long build starts."""
    path = Path(value)
    if not value.strip():
        raise argparse.ArgumentTypeError("expected a file name such as background.sqlite3")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a folder; give a file name such as {path / 'background.sqlite3'}")
    return path


def run_build(args: argparse.Namespace) -> int:
    from learn.background.build import build
    from learn.errors import LearnError

    try:
        report = build(
            args.paths,
            args.output,
            jobs=args.jobs,
            min_df=args.min_df,
            max_len=args.max_len,
            progress=not args.quiet,
            source=args.source,
            engine=args.engine,
            scheduler=args.scheduler,
        )
    except MemoryError:
        raise LearnError("out of memory: try a higher --min-df or fewer --jobs") from None
    if not args.quiet:
        size = report.path.stat().st_size / 1e6
        sys.stderr.write(
            f"learn background: wrote {report.path}: {report.phrases:,} phrases from "
            f"{report.documents:,} documents ({report.characters:,} characters), {size:.1f} MB, "
            f"{report.seconds:.1f} s\n"
        )
    return 0


def run_info(args: argparse.Namespace) -> int:
    from learn.background.model import load

    background = load(args.file)
    meta = background.meta
    lines = [
        f"file        {background.path}",
        f"source      {meta.get('source', '')}",
        f"documents   {background.documents:,}",
        f"characters  {background.characters:,}",
        f"phrases     {background.phrases:,} (2..{background.max_len} characters, in ≥{background.min_df} documents)",
        f"dates       {background.first_date or '?'} → {background.last_date or '?'}",
        f"schema      {meta.get('schema', '')}",
        f"quality     {meta.get('quality', '') or 'none'}",
    ]
    found = background.lookup(args.phrases)
    for phrase in args.phrases:
        s = found.get(phrase)
        lines.append(
            f"{phrase}  "
            + (
                "not in the background"
                if s is None
                else f"count {s.count}, df {s.df}, left {s.left_variety} ({s.left_top_share:.2f} top), "
                f"right {s.right_variety} ({s.right_top_share:.2f} top), "
                f"seen {s.first_seen or '?'} → {s.last_seen or '?'}, "
                f"marked in documents: quoted {s.quoted}, series {s.series}, title {s.titled}; "
                f"quality {'none' if s.quality is None else f'{s.quality:.3f}'}"
            )
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
