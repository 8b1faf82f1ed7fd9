"""Corpus mode of `learn extract`: folders, big files, --jobs and --per-document.

Not a subcommand: learn/cli/extract.py hands over to `run_corpus` when `wants_corpus(args)`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from learn.background.model import shipped_path
from learn.cli.common import add_engine_options, background_choice, positive_int
from learn.entry import Entry
from learn.errors import UsageError
from learn.output import write_text
from learn.progress import Progress
from learn.read.text import STREAM_BYTES, Piece, Source, expand, iter_pieces

# Non-terminal stderr (logs, CI) gets progress lines only for inputs at least this big.
LOG_PROGRESS_BYTES = 2 << 20


def add_corpus_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jobs",
        type=positive_int,
        default=1,
        metavar="N",
        help="worker processes for a corpus (a folder or many files); default 1",
    )
    p.add_argument("--per-document", metavar="OUTDIR", help="also write each document's own list as OUTDIR/NAME.json")
    add_engine_options(p)


def wants_corpus(args: argparse.Namespace) -> bool:
    """Several inputs, folders, big files, --jobs > 1 and --per-document go through corpus mode."""
    if getattr(args, "scheduler", None) and getattr(args, "engine", "local") != "dask":
        raise UsageError("--scheduler goes with --engine dask")
    if (
        getattr(args, "jobs", 1) > 1
        or getattr(args, "per_document", None)
        or len(args.paths) > 1
        or getattr(args, "engine", "local") == "dask"
    ):
        return True
    for path in args.paths:
        p = Path(path)
        if path != "-" and (p.is_dir() or (p.is_file() and _size(p) > STREAM_BYTES)):
            return True
    return False


def run_corpus(args: argparse.Namespace, render: Callable[[list[Entry], str], str]) -> int:
    """Rank the whole input as a corpus; merged list to -o/stdout, per-document files if asked."""
    from learn.cli.known import read_known
    from learn.terms.corpus import extract_corpus

    sources = expand(args.paths)
    if sum(s.label == "-" for s in sources) > 1:
        raise UsageError("stdin (-) can be given only once")
    outdir = Path(args.per_document) if getattr(args, "per_document", None) else None
    if outdir is not None and outdir.exists() and not outdir.is_dir():
        raise UsageError(f"--per-document {outdir}: exists and is not a folder")
    known = read_known(args.known) if args.known else set()
    background: str | bool | None = background_choice(args)
    if background == str(shipped_path()):
        background = True  # workers on other hosts find their own copy of the shipped file
    total = sum(_size(s.path) for s in sources if s.label != "-")
    progress = Progress(total, "extracting", enabled=sys.stderr.isatty() or total >= LOG_PROGRESS_BYTES)
    with progress:
        result = extract_corpus(
            _pieces(sources, progress),
            jobs=args.jobs,
            top=args.top,
            variant=args.standard,
            known=known,
            max_hsk=args.max_hsk,
            glossary=not args.no_glossary,
            per_document=outdir is not None,
            background=background,
            engine=args.engine,
            scheduler=args.scheduler,
            on_document=_writer(outdir, render) if outdir else None,
            on_piece=lambda s: progress.advance(s.nbytes),
        )
    rendered = render(result.merged, args.format)
    if args.output:
        write_text(args.output, rendered)
    else:
        sys.stdout.write(rendered)
    return 0


def _writer(outdir: Path, render: Callable[[list[Entry], str], str]) -> Callable[[str, list[Entry]], None]:
    """--per-document: each document's list is written as JSON the moment it is ready."""

    def write(name: str, entries: list[Entry]) -> None:
        write_text(_per_document_path(outdir, name), render(entries, "json"))

    return write


def _per_document_path(outdir: Path | None, name: str) -> Path:
    """OUTDIR/NAME.json; a document from a sub-folder keeps its sub-folder under OUTDIR."""
    assert outdir is not None
    safe = [part for part in Path(name).parts if part not in ("", ".", "..", "/")]
    return outdir.joinpath(*safe[:-1], safe[-1] + ".json") if safe else outdir / "stdin.json"


def _pieces(sources: list[Source], progress: Progress) -> Iterator[Piece]:
    """The pieces of every source; a file of a folder that is skipped leaves the progress total."""
    for source in sources:

        def skipped(message: str, source: Source = source) -> None:
            sys.stderr.write(f"learn: skipped {message}\n")
            progress.drop(_size(source.path))

        yield from iter_pieces([source], on_skip=skipped)


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0
