"""Corpus mode: many documents (or one huge one, in pieces) → one ranked vocabulary list.

Each piece of text is ranked on its own, in worker processes (`jobs`). A worker returns only a
short summary per piece: its best candidates with score, count and a few example sentences. The
parent folds the summaries into one tally per term, so memory grows with the vocabulary, not
with the corpus, and only the final top terms are annotated (annotation is the slow part).

Ranking across the corpus uses document frequency (df, the number of pieces whose top
candidates include the term):

    corpus score = mean per-piece score × (1 + log2 df)

so a term that matters in many articles outranks one that is prominent in a single article,
while a term's salience inside each article still counts. Counts are summed over the corpus.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import resource
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TextIO

from learn.entry import Entry
from learn.errors import LearnError
from learn.read.text import TRADITIONAL, Piece

MAX_EXAMPLES = 3


@dataclass
class Options:
    """Extraction options shared by every piece (the same meaning as learn.terms.rank.extract)."""

    top: int = 50
    variant: str = "tw"
    known: frozenset[str] = frozenset()
    max_hsk: int | None = None
    glossary: bool = True
    include_names: bool = False
    per_document: bool = False
    background: str | bool | None = None  # phrase background: a path, True (the shipped one, found on
    # each worker), None (none); opened in each worker

    @property
    def depth(self) -> int:
        """How many candidates of each piece take part in the corpus ranking."""
        return max(200, 4 * self.top)


@dataclass
class Found:
    """One candidate of one piece, as a worker reports it (small and picklable)."""

    term: str
    kind: str
    zipf: float
    score: float
    count: int
    examples: list[str]
    original: str = ""  # the term as a traditional-script source wrote it
    original_examples: list[str] = field(default_factory=list)


@dataclass
class Summary:
    """What a worker sends back for one piece."""

    name: str
    part: int
    last: bool
    nbytes: int
    chars: int
    found: list[Found]
    entries: list[Entry] | None = None  # full per-document extraction, when asked for
    worker: tuple[int, float, int] = (0, 0.0, 0)  # pid, CPU seconds so far, peak RSS in KiB


@dataclass
class CorpusResult:
    """Merged ranking over the corpus, and per-document lists when they were asked for."""

    merged: list[Entry]
    per_document: dict[str, list[Entry]]
    documents: int = 0
    pieces: int = 0
    chars: int = 0
    workers: dict[int, tuple[float, int]] = field(default_factory=dict)  # pid → (CPU s, peak KiB)


# --- worker side -------------------------------------------------------------------------


def _quiet_jieba() -> None:
    """jieba announces its dictionary loading on stderr in every process; progress is ours to show."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)


def summarise(piece: Piece, options: Options) -> Summary:
    """Rank one piece and keep what the corpus ranking needs (runs in a worker process)."""
    _quiet_jieba()
    from learn.language import lexicon
    from learn.terms.annotate import pick_examples
    from learn.terms.rank import extract, rank

    doc = piece.document
    traditional = doc.script == TRADITIONAL
    work = lexicon.to_simplified(doc.text) if traditional else doc.text
    aligned = traditional and len(work) == len(doc.text)
    sents, scored = rank(work, glossary=options.glossary, background=options.background or False)
    found = []
    for cand, kind, zipf, score in scored[: options.depth]:
        examples = pick_examples(cand.text, sents, limit=2)
        item = Found(cand.text, kind, zipf, score, cand.count, examples)
        if aligned:
            item.original = _in_original(cand.text, work, doc.text)
            item.original_examples = [_in_original(s, work, doc.text) for s in examples]
        found.append(item)
    entries = None
    if options.per_document:
        entries = extract(
            doc.text,
            top=options.top,
            variant=options.variant,
            known=set(options.known),
            max_hsk=options.max_hsk,
            glossary=options.glossary,
            source=doc.name,
            include_names=options.include_names,
            background=options.background or False,
        )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return Summary(
        doc.name,
        piece.part,
        piece.last,
        piece.nbytes,
        len(doc.text),
        found,
        entries,
        (os.getpid(), usage.ru_utime + usage.ru_stime, usage.ru_maxrss),
    )


def _in_original(fragment: str, simplified: str, original: str) -> str:
    """`fragment` as the traditional source wrote it (a clause keeps its … marks)."""
    core = fragment.strip("…")
    at = simplified.find(core)
    return fragment.replace(core, original[at : at + len(core)], 1) if at >= 0 and core else fragment


def _safe_summarise(piece: Piece, options: Options) -> Summary:
    """summarise(), with a failure turned into a one-line error naming the document."""
    try:
        return summarise(piece, options)
    except LearnError:
        raise
    except Exception as err:  # noqa: BLE001 - the user gets one line, not a worker traceback
        raise LearnError(f"{piece.document.name}: extraction failed ({type(err).__name__}: {err})") from None


# --- parent side -------------------------------------------------------------------------


@dataclass
class Tally:
    """Everything known about one term across the corpus so far."""

    term: str
    kind: str
    zipf: float
    df: int = 0
    count: int = 0
    score_sum: float = 0.0
    examples: list[str] = field(default_factory=list)
    original: str = ""
    originals: dict[str, str] = field(default_factory=dict)  # example → as written (traditional)
    sources: list[str] = field(default_factory=list)  # the first three documents
    documents: int = 0  # pieces of one file count once here
    _last_source: str = ""

    @property
    def score(self) -> float:
        return corpus_score(self.score_sum, self.df)

    def add(self, item: Found, source: str) -> None:
        self.df += 1
        self.count += item.count
        self.score_sum += item.score
        for i, sentence in enumerate(item.examples):
            if len(self.examples) < MAX_EXAMPLES and sentence not in self.examples:
                self.examples.append(sentence)
                if item.original_examples:
                    self.originals[sentence] = item.original_examples[i]
        self.original = self.original or item.original
        if source != self._last_source:  # pieces of a document arrive one after another
            self.documents += 1
            self._last_source = source
        if len(self.sources) < 3 and source not in self.sources:
            self.sources.append(source)


def corpus_score(score_sum: float, df: int) -> float:
    """Mean per-document score, raised by how many documents rank the term (log-damped)."""
    return round(score_sum / df * (1 + math.log2(df)), 4) if df else 0.0


def extract_corpus(
    pieces: Iterable[Piece],
    *,
    jobs: int = 1,
    top: int = 50,
    variant: str = "tw",
    known: set[str] | None = None,
    max_hsk: int | None = None,
    glossary: bool = True,
    include_names: bool = False,
    per_document: bool = False,
    background: str | bool | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    on_document: Callable[[str, list[Entry]], None] | None = None,
    on_piece: Callable[[Summary], None] | None = None,
) -> CorpusResult:
    """Rank the vocabulary of a corpus; `pieces` come from learn.read.text.iter_pieces (or Documents).

    With per_document=True every document also gets its own full extraction; each finished
    document is passed to `on_document(name, entries)` as soon as it is complete (so a caller can
    write it out and let it go) and kept in the result only when no callback is given.
    """
    from learn.language import lexicon

    options = Options(top, variant, frozenset(known or ()), max_hsk, glossary, include_names, per_document, background)
    tallies: dict[str, Tally] = {}
    per_doc: dict[str, list[Entry]] = {}
    open_docs: dict[str, list[Entry]] = {}
    stats = CorpusResult([], per_doc)
    names: set[str] = set()
    for summary in _run(_as_pieces(pieces), options, jobs, engine, scheduler):
        names.add(summary.name)
        stats.workers[summary.worker[0]] = summary.worker[1:]
        stats.pieces += 1
        stats.chars += summary.chars
        for item in summary.found:
            tally = tallies.get(item.term)
            if tally is None:
                tally = tallies[item.term] = Tally(item.term, item.kind, item.zipf)
            tally.add(item, summary.name)
        if summary.entries is not None:
            open_docs.setdefault(summary.name, []).extend(summary.entries)
            if summary.last:
                entries = merge_entries(open_docs.pop(summary.name), top)
                (on_document or per_doc.__setitem__)(summary.name, entries)
        if on_piece:
            on_piece(summary)
    stats.documents = len(names)
    if not stats.pieces:
        raise LearnError("no readable texts found")
    known_all = set(options.known) | {lexicon.to_simplified(k) for k in options.known}
    stats.merged = _annotate(_choose(tallies.values(), options, known_all), options)
    return stats


def _as_pieces(items: Iterable[Piece]) -> Iterator[Piece]:
    from learn.read.text import Document

    for item in items:
        yield Piece(item, 0, True, len(item.text.encode())) if isinstance(item, Document) else item


def _run(
    pieces: Iterator[Piece], options: Options, jobs: int, engine: str = "local", scheduler: str | None = None
) -> Iterator[Summary]:
    """Summaries in input order; with jobs > 1 (or on Dask) a bounded window of pieces is in flight."""
    if engine == "dask":
        yield from _run_on_dask(pieces, options, jobs, scheduler)
        return
    if jobs <= 1:
        for piece in pieces:
            yield _safe_summarise(piece, options)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["learn.terms.rank"])
    executor: Executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_start)
    try:
        yield from _windowed(executor, pieces, options, 2 * jobs)
    except BrokenProcessPool:
        raise LearnError("a worker process died (out of memory?); try fewer --jobs") from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _windowed(executor: Executor, pieces: Iterator[Piece], options: Options, width: int) -> Iterator[Summary]:
    """Submit pieces, keeping at most `width` in flight, and yield their summaries in input order."""
    window: deque[Future[Summary]] = deque()
    for piece in pieces:
        window.append(executor.submit(_safe_summarise, piece, options))
        if len(window) >= width:
            yield window.popleft().result()
    while window:
        yield window.popleft().result()


def _run_on_dask(pieces: Iterator[Piece], options: Options, jobs: int, scheduler: str | None) -> Iterator[Summary]:
    """The same per-piece work on a Dask cluster (a local one of `jobs` workers without `scheduler`):
    Dask's executor takes the place of the process pool, so the result is the local engine's.
    A task whose worker dies is rerun elsewhere by Dask; a cluster that cannot go on gives one line."""
    from learn.background.dask import _brief, _close, connect

    client = connect(scheduler, jobs)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        yield from _windowed(client.get_executor(pure=False), pieces, options, 2 * workers)
    except LearnError:
        raise
    except Exception as err:  # noqa: BLE001 - any cluster failure becomes one line
        name = type(err).__name__
        if name == "KilledWorker":
            raise LearnError("Dask workers kept dying on the same piece (out of memory?)") from None
        raise LearnError(f"extraction on Dask failed ({name}: {_brief(err)})") from None
    finally:
        _close(client)


def _worker_start() -> None:
    """Ctrl-C is the parent's to handle (one line, then exit); workers just stop with it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _choose(tallies: Iterable[Tally], options: Options, known: set[str]) -> list[Tally]:
    """The top terms by corpus score, after the same filters extract() applies."""
    from learn.terms.rank import wanted

    chosen = []
    for tally in sorted(tallies, key=lambda t: (-t.score, t.term)):
        if wanted(tally.term, tally.kind, known, options.max_hsk, options.include_names):
            chosen.append(tally)
            if len(chosen) >= options.top:
                break
    return chosen


def _annotate(chosen: list[Tally], options: Options) -> list[Entry]:
    from learn.language import lexicon
    from learn.terms.annotate import annotate, substrings

    dictionary = lexicon.cedict_lookup({s for t in chosen for s in substrings(t.term)})
    entries = []
    for tally in chosen:
        entry = annotate(
            tally.term,
            sentences=tally.examples,
            variant=options.variant,
            glossary=options.glossary,
            kind=tally.kind,
            count=tally.count,
            score=tally.score,
            source=_sources(tally),
            dictionary=dictionary,
            zipf=tally.zipf,
        )
        if tally.original:  # traditional source: show the term and sentences as written
            entry.traditional = tally.original
            entry.script = "traditional"
            for example in entry.examples:
                example.traditional = tally.originals.get(example.sentence, example.traditional)
        entries.append(entry)
    if options.background:
        from learn.background.model import load
        from learn.terms.rank import stamp

        stamp(entries, load(None if options.background is True else options.background))
    return entries


def _sources(tally: Tally) -> str:
    more = tally.documents - len(tally.sources)
    return ", ".join(tally.sources) + (f" (+{more} more)" if more > 0 else "")


def merge_entries(entries: list[Entry], top: int) -> list[Entry]:
    """Entries of several pieces of one document → one list, with the same df-based score."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.key, []).append(entry)
    merged = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1:
            first.count = sum(e.count for e in group)
            first.score = corpus_score(sum(e.score for e in group), len(group))
            first.examples = [x for e in group for x in e.examples][:MAX_EXAMPLES]
        merged.append(first)
    return sorted(merged, key=lambda e: (-e.score, e.simplified))[:top]


def report(result: CorpusResult, stream: TextIO | None = None) -> None:
    """One summary line on stderr: how much was read."""
    (stream or sys.stderr).write(
        f"learn: {result.documents} document(s), {result.pieces} piece(s), {result.chars:,} characters\n"
    )
