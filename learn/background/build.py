"""Building a phrase background (`learn background build`): count, then write one SQLite file.

learn.background.count does the counting (here in local processes, or on a Dask cluster through
learn.background.dask); this module checks the options, picks the engine and writes the file the
lookups in learn.background.model read.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from learn.background.count import (
    CHAR_BITS,
    CHAR_MASK,
    FAR,
    MARK_KINDS,
    BuildReport,
    Level,
    LocalEngine,
    Say,
    count_levels,
    read_all,
)
from learn.background.model import LONGEST, MAX_LEN, MIN_DF, SCHEMA, stored_date
from learn.errors import LearnError, UsageError

if TYPE_CHECKING:
    import numpy as np

    from learn.read.text import Source


def build(
    paths: Sequence[str],
    out: str | os.PathLike[str],
    *,
    jobs: int = 1,
    min_df: int = MIN_DF,
    max_len: int = MAX_LEN,
    progress: bool = False,
    source: str | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> BuildReport:
    """Build a phrase background of the texts at `paths` (files, folders) into the SQLite file `out`.

    Accepts everything `learn extract` reads (formats, encodings, folders). engine="local" counts
    in `jobs` processes; engine="dask" on a Dask cluster (`scheduler` address, or a local one of
    `jobs` workers), with the same result. The file is written to a temporary name and renamed at
    the end, so a failed run leaves nothing half-written, and the same inputs always give the same
    bytes (no timestamps, no absolute paths).
    """
    from learn.output import atomic_path
    from learn.read.text import expand

    _check_options(jobs, min_df, max_len, engine, scheduler)
    started = time.monotonic()
    sources = [s for s in expand(list(paths)) if not (s.in_folder and _is_notes(s.path))]
    if any(s.label == "-" for s in sources):
        raise UsageError("a background is built from files or folders, not stdin")
    report = BuildReport(Path(out))
    say = Say(progress)
    with atomic_path(out) as tmp:
        if engine == "dask":
            from learn.background.dask import count_levels

            levels = count_levels(
                sources, jobs=jobs, scheduler=scheduler, min_df=min_df, max_len=max_len, report=report, say=say
            )
        else:
            levels = _count_local(sources, jobs, min_df, max_len, report, say)
        counted = _own_usage()
        texts = [t for level_texts in _texts(levels) for t in level_texts]
        quality = _quality(levels, texts, report, say)
        say.line(f"writing {out}")
        report.phrases = _write(tmp, levels, texts, quality, _meta(report, min_df, max_len, source or _describe(paths)))
    peak, cpu = _own_usage()
    report.peak_kib = max(report.peak_kib, peak)
    report.cpu_seconds += cpu - counted[1]  # the engines counted this process's CPU up to `counted`
    report.seconds = time.monotonic() - started
    return report


def _own_usage() -> tuple[int, float]:
    """This process's peak resident memory (KiB) and CPU seconds so far."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_maxrss, own.ru_utime + own.ru_stime


def _quality(levels: list[Level], texts: list[str], report: BuildReport, say: Say) -> np.ndarray | None:
    """Every phrase's quality score (learn.background.quality), or None when the corpus gives
    too few labels to learn it from; how it was made goes into the report."""
    from learn.background import quality

    started = time.monotonic()
    if report.unigrams is None:
        report.quality = "no quality score: nothing was read"
        return None
    found = quality.labels(levels, texts, quality.glossary_terms())
    scores, report.quality, peak, cpu = quality.score_apart(levels, report.unigrams, report.characters, found)
    report.peak_kib = max(report.peak_kib, peak)
    report.cpu_seconds += cpu
    say.line(f"phrase quality: {report.quality} ({time.monotonic() - started:.1f} s)")
    return scores


def _count_local(
    sources: list[Source], jobs: int, min_df: int, max_len: int, report: BuildReport, say: Say
) -> list[Level]:
    """The local engine: batches in a temporary spool folder, map steps in `jobs` processes."""
    import resource

    engine = LocalEngine(jobs)
    try:
        with tempfile.TemporaryDirectory(prefix="learn-background-") as spool:
            batches = read_all(engine, sources, spool, report, say)
            levels = count_levels(engine, batches, spool, min_df, max_len, report, say)
    finally:
        engine.close()
    own = resource.getrusage(resource.RUSAGE_SELF)
    report.peak_kib = max([own.ru_maxrss, *engine.peaks.values()])
    report.worker_peaks_kib = sorted(engine.peaks.values())
    report.cpu_seconds = own.ru_utime + own.ru_stime + sum(engine.cpu.values())
    return levels


_NOTES = re.compile(r"(readme|licen[cs]e|copying|changelog|notice)([-_.].*)?", re.IGNORECASE)


def _is_notes(path: Path) -> bool:
    """A corpus folder's README or LICENSE describes the corpus; it is not part of it."""
    return bool(_NOTES.fullmatch(path.name))


def _check_options(jobs: int, min_df: int, max_len: int, engine: str = "local", scheduler: str | None = None) -> None:
    if engine not in ("local", "dask"):
        raise UsageError(f"--engine must be local or dask, got {engine!r}")
    if scheduler and engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {jobs}")
    if min_df < 1:
        raise UsageError(f"--min-df must be at least 1, got {min_df}")
    if not 2 <= max_len <= LONGEST:
        raise UsageError(f"--max-len must be between 2 and {LONGEST}, got {max_len}")


def _describe(paths: Sequence[str]) -> str:
    """Input names without their folders: metadata never holds an absolute path."""
    return ", ".join(sorted({Path(p).resolve().name or str(p) for p in paths}))


# --- writing the SQLite file ------------------------------------------------------------------

_SCHEMA_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE phrases (
    text TEXT PRIMARY KEY,         -- simplified Han characters, 2..max_len of them
    count INTEGER NOT NULL,        -- occurrences
    df INTEGER NOT NULL,           -- documents
    left_variety INTEGER NOT NULL, -- distinct left neighbours (run boundary counts as one)
    right_variety INTEGER NOT NULL,
    left_entropy INTEGER NOT NULL, -- neighbour entropy, thousandths of a nat
    right_entropy INTEGER NOT NULL,
    left_top INTEGER NOT NULL,     -- share of the most common neighbour, thousandths
    right_top INTEGER NOT NULL,
    first_seen INTEGER,            -- (year - 1900) * 13 + month (0: only the year is known), NULL if undated
    last_seen INTEGER,
    quality INTEGER                -- is it a unit of the language: thousandths; NULL: no score
) WITHOUT ROWID;
CREATE TABLE marks (               -- only the phrases writers marked (3% of them: a table apart is 1.2 MB smaller)
    text TEXT PRIMARY KEY,
    quoted INTEGER NOT NULL,       -- documents quoting it as a whole span (“…”, 「…」)
    series INTEGER NOT NULL,       -- documents listing it as a whole member of a 、-series
    titled INTEGER NOT NULL        -- documents naming it as a whole title 《…》
) WITHOUT ROWID;
"""


def _texts(levels: list[Level]) -> list[list[str]]:
    """Each level's phrases as strings, rebuilt from (id of the prefix, last character)."""
    import numpy as np

    out: list[list[str]] = []
    for level in levels:
        prefix = (level.counts.keys >> CHAR_BITS).tolist()
        last = [chr(c) for c in (level.counts.keys & CHAR_MASK).astype(np.int64).tolist()]
        before = out[-1] if out else None
        out.append([(chr(p) if before is None else before[p]) + c for p, c in zip(prefix, last, strict=True)])
    return out


def _rows(
    levels: list[Level], texts: list[str], quality: np.ndarray | None, marks: list[tuple[Any, ...]]
) -> Iterator[tuple[Any, ...]]:
    """The phrases' rows in text order, made one at a time (memory: the texts and the figures as
    arrays, not a million tuples); the rows of the few marked phrases are added to `marks`."""
    import numpy as np

    def column(get: Callable[[Level], np.ndarray]) -> np.ndarray:
        return np.concatenate([get(level) for level in levels]) if levels else np.zeros(0, np.int64)

    def milli(values: np.ndarray) -> np.ndarray:
        return np.rint(values * 1000).astype(np.int64)

    columns = [
        column(lambda lv: lv.counts.count),
        column(lambda lv: lv.counts.df),
        column(lambda lv: lv.left[0]),
        column(lambda lv: lv.right[0]),
        milli(column(lambda lv: lv.left[1])),
        milli(column(lambda lv: lv.right[1])),
        milli(column(lambda lv: lv.left[2])),
        milli(column(lambda lv: lv.right[2])),
        column(lambda lv: lv.counts.first),
        column(lambda lv: lv.counts.last),
        milli(quality) if quality is not None else np.full(len(texts), -1, np.int64),
    ]
    marked = [column(lambda lv, k=k: lv.marks[k]) for k in range(len(MARK_KINDS))]  # type: ignore[misc]
    order = np.array(sorted(range(len(texts)), key=texts.__getitem__), dtype=np.int64)
    for start in range(0, len(order), 50_000):
        chunk = order[start : start + 50_000]
        figures = [c[chunk].tolist() for c in columns]
        kinds = [c[chunk].tolist() for c in marked]
        for i, row, mark in zip(chunk.tolist(), zip(*figures, strict=True), zip(*kinds, strict=True), strict=True):
            first, last, score = row[8], row[9], row[10]
            if any(mark):
                marks.append((texts[i], *mark))
            yield (
                texts[i],
                *row[:8],
                stored_date(first) if first < FAR else None,
                stored_date(last) if last else None,
                score if score >= 0 else None,
            )


def _meta(report: BuildReport, min_df: int, max_len: int, source: str) -> dict[str, str]:
    return {
        "schema": str(SCHEMA),
        "documents": str(report.documents),
        "characters": str(report.characters),
        "min_df": str(min_df),
        "max_len": str(max_len),
        "first_date": report.first_date,
        "last_date": report.last_date,
        "source": source,
        "neighbours": "left/right character, run boundary counted as one in variety and as "
        "distinct occurrences in entropy (nats)",
        "marks": "documents in which the phrase is a whole span in quotes “…”/「…」, a whole member of a "
        "、-series, a whole title in 《…》",
        "quality": report.quality,
    }


def _write(path: Path, levels: list[Level], texts: list[str], quality: np.ndarray | None, meta: dict[str, str]) -> int:
    """Write the phrases, sorted, into a fresh SQLite file; VACUUM packs it the same way every time."""
    marks: list[tuple[Any, ...]] = []
    meta = {**meta, "phrases": str(len(texts))}
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA page_size = 4096")
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(_SCHEMA_SQL)
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        db.executemany("INSERT INTO phrases VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", _rows(levels, texts, quality, marks))
        db.executemany("INSERT INTO marks VALUES (?,?,?,?)", marks)
        db.commit()
        db.execute("VACUUM")
    except sqlite3.Error as err:
        raise LearnError(f"cannot write the background file ({err})") from None
    finally:
        db.close()
    return len(texts)
