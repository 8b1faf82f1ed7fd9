"""Counting a phrase background: exact, level-wise map/reduce over batches of documents.

Every run of 2..max_len Han characters seen in at least `min_df` documents gets its count,
document frequency, left/right neighbour variety, entropy and top share, and the first/last date
seen. Counting is exact and level-wise (apriori): a phrase of n characters can reach min_df
documents only if both its (n-1)-character sub-phrases do, so level n counts only positions where
both are frequent. Each level is a map (numpy counts over one batch of documents, `step`) and a
reduce (`merge`, `merge_neighbours`), so the work splits over processes here (LocalEngine) and over
a Dask cluster (learn.background.dask). Documents are streamed into batches on a temporary disk
spool; memory grows with the vocabulary, not with the corpus.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from learn.background.model import date_text
from learn.errors import LearnError

if TYPE_CHECKING:
    import numpy as np

    from learn.read.text import Source


# --- dates ---------------------------------------------------------------------------------
# Dates travel as integers YYYYMM (month 00 = only the year is known; 0 = undated).

_DATES = (
    re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"),  # 20230905
    re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.](0?[1-9]|1[0-2])(?![0-9])"),  # 2023-09(-05)
    re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)()"),  # 2023
)


def date_of(name: str) -> int:
    """The date a file name carries (YYYYMMDD, YYYY-MM-DD, YYYY_MM, a year 19xx/20xx) as YYYYMM."""
    base = Path(name).name
    for text in (base, name):
        for pattern in _DATES:
            m = pattern.search(text)
            if m:
                return int(m.group(1)) * 100 + (int(m.group(2)) if m.group(2) else 0)
    return 0


# --- documents → Han runs ------------------------------------------------------------------

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# A segment ends at a sentence end, a line break or a markup tag (transcripts carry <p> tags).
_SEGMENT_END = re.compile(r"[。！？!?；;\n]|<[^<>\n]{0,200}>")

# How writers mark a run on each side, as bits: inside quotes, inside a title 《》, next to a 、
# (a member of a series). A run is marked only when the mark touches it (spaces aside).
QUOTE, TITLE, SERIES = 1, 2, 4
MARK_BITS = 3
_OPENS = {**dict.fromkeys("“「『‘", QUOTE), **dict.fromkeys("《〈", TITLE)}
_CLOSES = {**dict.fromkeys("”」』’", QUOTE), **dict.fromkeys("》〉", TITLE)}
_ASCII_QUOTE = re.compile(r'"([^"\n]*)"')


def _before(gap: str) -> int:
    """Mark bits of the text just before a run."""
    gap = gap.rstrip()
    bits = _OPENS.get(gap[-1:], 0)
    return bits | (SERIES if gap.rstrip("“「『‘ ").endswith("、") else 0)


def _after(gap: str) -> int:
    """Mark bits of the text just after a run."""
    gap = gap.lstrip()
    bits = _CLOSES.get(gap[:1], 0)
    return bits | (SERIES if gap.lstrip("”」』’ ").startswith("、") else 0)


@dataclass
class Runs:
    """A document's Han runs, the marks around each, and how many Han characters they hold."""

    runs: list[str] = field(default_factory=list)
    before: list[int] = field(default_factory=list)  # mark bits just before each run
    after: list[int] = field(default_factory=list)  # mark bits just after each run
    chars: int = 0


def marked_runs(text: str) -> Runs:
    """Runs of Han characters of a simplified text, with the marks writers put around them.

    A segment (sentence, line, tagged paragraph) whose Han content already occurred in the same
    document is left out: news transcripts repeat each headline in a summary at the top, and
    counting it twice would make headline phrases look twice as common as they are. Straight
    double quotes pair up within a segment as “…” would.
    """
    seen: set[str] = set()
    out = Runs()
    for segment in _SEGMENT_END.split(text):
        found = list(_HAN_RUN.finditer(segment))
        if not found:
            continue
        key = "|".join(m.group() for m in found)
        if key in seen:
            continue
        seen.add(key)
        if '"' in segment:
            segment = _ASCII_QUOTE.sub(r"“\1”", segment)
            found = list(_HAN_RUN.finditer(segment))
        ends = [0, *(m.end() for m in found)]
        for i, m in enumerate(found):
            nxt = found[i + 1].start() if i + 1 < len(found) else len(segment)
            out.runs.append(m.group())
            out.before.append(_before(segment[ends[i] : m.start()]))
            out.after.append(_after(segment[m.end() : nxt]))
    out.chars = sum(map(len, out.runs))
    return out


def han_runs(text: str) -> tuple[list[str], int]:
    """Runs of Han characters of a simplified text (see marked_runs), and how many characters they hold."""
    found = marked_runs(text)
    return found.runs, found.chars


# --- batches: documents as code points on a disk spool ---------------------------------------

CHAR_BITS = 18  # every Han code point is below 2**18 (U+3134F)
PID_BITS = 26  # phrases of one length: at most 2**26 ids
DOC_BITS = 19  # documents in one batch: below 2**19
BATCH_CHARS = 1_000_000  # Han characters per batch
READ_BYTES = 3 << 20  # input bytes one read task takes on
CHAR_MASK = (1 << CHAR_BITS) - 1
MARKS = 1 << (2 * MARK_BITS)  # slot values are below this; Han code points are far above
_NO_DATE, FAR = 0, 99_999_999  # FAR: an undated earliest date, later than any real one


@dataclass
class Batch:
    """Documents as one array: Han code points, and one slot between runs and around each document.

    A slot's value is below MARKS (far below any Han code point): the mark bits after the run
    before it (shifted by MARK_BITS) and before the run after it, so both runs' marks are kept.

    `starts[d]` is where document d begins; `dates[d]` its YYYYMM (0 = undated). `pid[i]` is the
    id of the frequent phrase of length `level` that starts at i, or -1 (level 1: the character).
    """

    cp: np.ndarray
    starts: np.ndarray
    dates: np.ndarray
    pid: np.ndarray | None = None
    level: int = 1

    def doc_of(self) -> np.ndarray:
        import numpy as np

        lengths = np.diff(np.append(self.starts, len(self.cp)))
        return np.repeat(np.arange(len(self.starts), dtype=np.int64), lengths)

    def ids(self) -> np.ndarray:
        import numpy as np

        if self.pid is not None:
            return self.pid
        return np.where(self.cp >= MARKS, self.cp.astype(np.int32), np.int32(-1))


class BatchWriter:
    """Collects documents' Han runs and hands out a Batch every ~BATCH_CHARS characters."""

    def __init__(self, batch_chars: int = BATCH_CHARS):
        self.batch_chars = batch_chars
        self._reset()

    def _reset(self) -> None:
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._dates: list[int] = []
        self._size = 0
        self._pending = 0  # marks after the last run written, for the slot that follows it

    def add(self, runs: Runs, date: int) -> Batch | None:
        """Add one document; returns a full Batch when this one filled it."""
        parts: list[str] = []
        for i, run in enumerate(runs.runs):
            parts.append(chr(self._pending | runs.before[i]))
            parts.append(run)
            self._pending = runs.after[i] << MARK_BITS
        if not parts:
            parts.append(chr(self._pending))
            self._pending = 0
        text = "".join(parts)
        self._starts.append(self._size)
        self._dates.append(date)
        self._parts.append(text)
        self._size += len(text)
        if self._size + 1 >= self.batch_chars or len(self._starts) >= (1 << DOC_BITS) - 1:
            return self.flush()
        return None

    def flush(self) -> Batch | None:
        """The documents collected so far as a Batch (None if there are none)."""
        import numpy as np

        if not self._starts:
            return None
        text = "".join(self._parts) + chr(self._pending)
        cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
        batch = Batch(cp, np.array(self._starts, dtype=np.int64), np.array(self._dates, dtype=np.int32))
        self._reset()
        return batch


# --- map: partial counts of one batch ------------------------------------------------------


@dataclass
class Counts:
    """Partial counts of phrases of one length, keyed by (id of the first n-1 chars, last char)."""

    keys: np.ndarray  # int64, sorted, unique
    count: np.ndarray  # int64 occurrences
    df: np.ndarray  # int64 documents
    first: np.ndarray  # int64 earliest YYYYMM (FAR = undated)
    last: np.ndarray  # int64 latest YYYYMM (0 = undated)


@dataclass
class Neighbours:
    """Partial neighbour counts of frequent phrases: keys (phrase id, neighbour char or 0), and
    in how many documents each phrase was marked each way: keys (phrase id, mark kind)."""

    left_keys: np.ndarray
    left_count: np.ndarray
    right_keys: np.ndarray
    right_count: np.ndarray
    mark_keys: np.ndarray
    mark_docs: np.ndarray


#: Mark kinds, in the order of Level.marks: a whole quoted span, a member of a 、-series, a title in 《》.
MARK_KINDS = ("quoted", "series", "titled")


def _candidates(batch: Batch, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions where an n-gram both of whose (n-1)-sub-grams are frequent starts, and its key."""
    import numpy as np

    pid = batch.ids()
    at = np.flatnonzero((pid[:-1] >= 0) & (pid[1:] >= 0))
    keys = (pid[at].astype(np.int64) << CHAR_BITS) | batch.cp[at + n - 1].astype(np.int64)
    return at, keys


def _no_counts() -> Counts:
    import numpy as np

    empty = np.zeros(0, dtype=np.int64)
    return Counts(empty, empty, empty, empty, empty)


def count_batch(batch: Batch, n: int) -> Counts:
    """Map step: occurrences, documents and date range of each candidate n-gram in the batch."""
    import numpy as np

    at, keys = _candidates(batch, n)
    if not len(at):
        return _no_counts()
    doc = batch.doc_of()[at]
    pairs, per_pair = np.unique((keys << DOC_BITS) | doc, return_counts=True)
    pair_keys, pair_docs = pairs >> DOC_BITS, pairs & ((1 << DOC_BITS) - 1)
    dates = batch.dates.astype(np.int64)[pair_docs]
    first = np.where(dates == _NO_DATE, FAR, dates)
    starts = np.flatnonzero(np.r_[True, pair_keys[1:] != pair_keys[:-1]])
    return Counts(
        pair_keys[starts],
        np.add.reduceat(per_pair.astype(np.int64), starts),
        np.diff(np.r_[starts, len(pairs)]).astype(np.int64),
        np.minimum.reduceat(first, starts),
        np.maximum.reduceat(dates, starts),
    )


def assign_batch(batch: Batch, frequent: np.ndarray) -> Batch:
    """The batch one level up: each position gets the id (index in `frequent`) of its n-gram."""
    import numpy as np

    n = batch.level + 1
    at, keys = _candidates(batch, n)
    slot = np.searchsorted(frequent, keys)
    hit = slot < len(frequent)
    hit[hit] = frequent[slot[hit]] == keys[hit]
    pid = np.full(len(batch.cp), -1, dtype=np.int32)
    pid[at[hit]] = slot[hit]
    return Batch(batch.cp, batch.starts, batch.dates, pid, n)


def neighbour_batch(batch: Batch) -> Neighbours:
    """Map step: how often each frequent phrase (of length batch.level) has each neighbour, and in
    how many documents writers marked it (an occurrence that is a whole run, with the marks)."""
    import numpy as np

    assert batch.pid is not None, "a neighbour step follows an assign step"
    at = np.flatnonzero(batch.pid >= 0)
    ids = batch.pid[at].astype(np.int64) << CHAR_BITS
    before, after = batch.cp[at - 1].astype(np.int64), batch.cp[at + batch.level].astype(np.int64)
    left = np.unique(ids | np.where(before < MARKS, 0, before), return_counts=True)
    right = np.unique(ids | np.where(after < MARKS, 0, after), return_counts=True)
    marks = _marked(batch.pid[at], batch.doc_of()[at], before, after)
    return Neighbours(left[0], left[1].astype(np.int64), right[0], right[1].astype(np.int64), *marks)


def _marked(pid: np.ndarray, doc: np.ndarray, before: np.ndarray, after: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keys (phrase id, kind) and the number of this batch's documents in which each phrase
    occurrence (its id, document and the slots around it) stood as a whole run marked that way
    (a document lies in one batch: the numbers of batches add up exactly)."""
    import numpy as np

    whole = np.flatnonzero((before < MARKS) & (after < MARKS))
    if not len(whole):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    left, right = before[whole] & ((1 << MARK_BITS) - 1), after[whole] >> MARK_BITS
    kinds = (left & right & QUOTE, (left | right) & SERIES, left & right & TITLE)  # as MARK_KINDS
    pids, doc = pid[whole].astype(np.int64), doc[whole]
    keys = [((pids[k > 0] << 2) | kind) << DOC_BITS | doc[k > 0] for kind, k in zip((0, 1, 2), kinds, strict=True)]
    pairs = np.unique(np.concatenate(keys))
    found, docs = np.unique(pairs >> DOC_BITS, return_counts=True)
    return found, docs.astype(np.int64)


def step(batch: Batch, frequent: np.ndarray | None, max_len: int) -> tuple[Batch, Neighbours | None, Counts | None]:
    """One level of the map for one batch.

    With `frequent` (the sorted keys of the phrases of length level+1 that passed min_df) the
    batch moves up a level and reports its neighbour counts; then it counts the candidates one
    character longer, unless max_len is reached.
    """
    neighbours = None
    if frequent is not None:
        batch = assign_batch(batch, frequent)
        neighbours = neighbour_batch(batch)
    counts = count_batch(batch, batch.level + 1) if batch.level < max_len else None
    return batch, neighbours, counts


# --- reduce: merging partial counts ----------------------------------------------------------


def _group(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort order of keys and where each run of equal keys starts in it."""
    import numpy as np

    order = np.argsort(keys, kind="stable")  # parts arrive sorted: a merge of sorted runs
    ordered = keys[order]
    return order, np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(keys) else order[:0]


def merge(parts: list[Counts]) -> Counts:
    """Reduce step: partial counts of batches → counts of all of them."""
    import numpy as np

    if len(parts) == 1:
        return parts[0]
    keys = np.concatenate([p.keys for p in parts])
    order, starts = _group(keys)
    if not len(keys):
        return parts[0]

    def col(name: str, how: Any) -> np.ndarray:
        return how.reduceat(np.concatenate([getattr(p, name) for p in parts])[order], starts)

    return Counts(
        keys[order][starts], col("count", np.add), col("df", np.add), col("first", np.minimum), col("last", np.maximum)
    )


def _merge_pairs(keys: list[np.ndarray], counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    all_keys = np.concatenate(keys)
    order, starts = _group(all_keys)
    if not len(all_keys):
        return all_keys, all_keys
    return all_keys[order][starts], np.add.reduceat(np.concatenate(counts)[order], starts)


def merge_neighbours(parts: list[Neighbours]) -> Neighbours:
    """Reduce step for neighbour counts."""
    if len(parts) == 1:
        return parts[0]
    left = _merge_pairs([p.left_keys for p in parts], [p.left_count for p in parts])
    right = _merge_pairs([p.right_keys for p in parts], [p.right_count for p in parts])
    marks = _merge_pairs([p.mark_keys for p in parts], [p.mark_docs for p in parts])
    return Neighbours(left[0], left[1], right[0], right[1], marks[0], marks[1])


class Reducer:
    """Folds partial results in as they arrive, merging once enough rows are pending."""

    def __init__(self, merge_fn: Callable[[list[Any]], Any], size: Callable[[Any], int], pending_rows: int = 4_000_000):
        self.merge_fn, self.size, self.limit = merge_fn, size, pending_rows
        self.parts: list[Any] = []

    def add(self, part: Any) -> None:
        self.parts.append(part)
        if len(self.parts) > 1 and sum(map(self.size, self.parts)) > self.limit:
            self.parts = [self.merge_fn(self.parts)]

    def result(self) -> Any:
        return self.merge_fn(self.parts) if self.parts else None


def side_stats(keys: np.ndarray, counts: np.ndarray, phrases: int) -> tuple[np.ndarray, ...]:
    """Variety, entropy (nats) and top share of one side for phrase ids 0..phrases-1."""
    import numpy as np

    ids, chars = keys >> CHAR_BITS, keys & CHAR_MASK
    total = np.bincount(ids, weights=counts, minlength=phrases)
    boundary = np.bincount(ids, weights=np.where(chars == 0, counts, 0), minlength=phrases)
    inner = chars != 0
    variety = np.bincount(ids[inner], minlength=phrases) + (boundary > 0)
    p = counts[inner] / total[ids[inner]]
    entropy = -np.bincount(ids[inner], weights=p * np.log(p), minlength=phrases).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy += np.where(boundary > 0, boundary / total * np.log(np.maximum(total, 1)), 0.0)
    top = np.zeros(phrases)
    np.maximum.at(top, ids[inner], counts[inner].astype(np.float64))
    share = np.divide(top, total, out=np.zeros(phrases), where=total > 0)
    return variety.astype(np.int64), entropy, share


# --- engines: where the map runs -----------------------------------------------------------


class LocalEngine:
    """Runs map tasks in this process (jobs=1) or in a pool of worker processes, in order."""

    def __init__(self, jobs: int = 1):
        self.jobs = jobs
        self._executor: Executor | None = None
        self.peaks: dict[int, int] = {}  # worker pid → peak resident memory (KiB)
        self.cpu: dict[int, float] = {}  # worker pid → CPU seconds used

    def map(self, fn: Callable[..., Any], items: Iterable[Any], *args: Any) -> Iterator[Any]:
        """fn(item, *args) for every item, results in input order, a bounded window in flight."""
        if self.jobs <= 1:
            for item in items:
                yield fn(item, *args)
            return
        executor = self._pool()
        window: deque[Future[Any]] = deque()
        try:
            for item in items:
                window.append(executor.submit(_measured, fn, item, *args))
                if len(window) >= 2 * self.jobs:
                    yield self._unwrap(window.popleft().result())
            while window:
                yield self._unwrap(window.popleft().result())
        except Exception as err:
            from concurrent.futures.process import BrokenProcessPool

            if isinstance(err, BrokenProcessPool):
                raise LearnError("a worker process died (out of memory?); try fewer --jobs") from None
            raise
        finally:
            for future in window:
                future.cancel()

    def _unwrap(self, measured: tuple[Any, int, int, float]) -> Any:
        result, pid, peak, cpu = measured
        self.peaks[pid] = max(peak, self.peaks.get(pid, 0))
        self.cpu[pid] = max(cpu, self.cpu.get(pid, 0.0))
        return result

    def _pool(self) -> Executor:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["learn.background.count", "numpy"])
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_worker_start)
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _measured(fn: Callable[..., Any], *args: Any) -> tuple[Any, int, int, float]:
    """fn(*args) in a worker, with the worker's pid, peak resident memory (KiB) and CPU seconds."""
    import resource

    result = fn(*args)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return result, os.getpid(), usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def _worker_start() -> None:
    """Ctrl-C is the parent's to handle (one line, then exit); workers just stop with it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


# --- local tasks: batches live in a spool folder -----------------------------------------------


@dataclass
class ReadTask:
    """A group of input files for one worker to read into spool batches."""

    index: int
    sources: list[Source]
    spool: str


@dataclass
class ReadResult:
    batches: list[str] = field(default_factory=list)
    documents: int = 0
    characters: int = 0
    nbytes: int = 0
    first: int = FAR
    last: int = 0
    skipped: list[str] = field(default_factory=list)
    skipped_bytes: int = 0  # size of the skipped files, taken out of the progress total
    unigrams: Unigrams | None = None  # occurrences of each character counted


def read_task(task: ReadTask) -> ReadResult:
    """Worker (local engine): read a group of files into batches saved in the spool folder."""
    paths: list[str] = []
    result = read_into(task.sources, lambda batch: paths.append(_save(batch, task, len(paths))))
    result.batches = paths
    return result


def read_batches(sources: list[Source]) -> tuple[ReadResult, list[Batch]]:
    """Worker (Dask engine): read a group of files into batches kept in memory."""
    batches: list[Batch] = []
    return read_into(sources, batches.append), batches


def read_into(sources: list[Source], sink: Callable[[Batch], None]) -> ReadResult:
    """Read, convert to simplified, drop repeated sentences, and hand each full batch to `sink`."""
    result = ReadResult()
    writer = BatchWriter()
    characters: list[Unigrams] = []

    def emit(batch: Batch) -> None:
        characters.append(Unigrams.of(batch))
        sink(batch)

    for source in sources:
        for text, name, nbytes in _documents(source, result):
            result.nbytes += nbytes
            try:
                runs = marked_runs(_simplified(text))
            except Exception as err:  # noqa: BLE001 - the user gets one line naming the file
                raise LearnError(f"{source.label}: cannot count ({type(err).__name__}: {err})") from None
            date = date_of(name)
            result.documents += 1
            result.characters += runs.chars
            if date:
                result.first, result.last = min(result.first, date), max(result.last, date)
            full = writer.add(runs, date)
            if full is not None:
                emit(full)
    rest = writer.flush()
    if rest is not None:
        emit(rest)
    result.unigrams = Unigrams.merge(characters)
    return result


@dataclass
class Unigrams:
    """How often each Han character occurs (the concordance of a two-character phrase needs it)."""

    chars: np.ndarray  # int64 code points, sorted
    count: np.ndarray  # int64 occurrences

    @staticmethod
    def of(batch: Batch) -> Unigrams:
        import numpy as np

        chars, count = np.unique(batch.cp[batch.cp >= MARKS].astype(np.int64), return_counts=True)
        return Unigrams(chars, count.astype(np.int64))

    @staticmethod
    def merge(parts: Sequence[Unigrams | None]) -> Unigrams:
        import numpy as np

        present = [p for p in parts if p is not None]
        if not present:
            empty = np.zeros(0, dtype=np.int64)
            return Unigrams(empty, empty)
        return Unigrams(*_merge_pairs([p.chars for p in present], [p.count for p in present]))


def _documents(source: Source, result: ReadResult) -> Iterator[tuple[str, str, int]]:
    """(text, name, bytes) of each document of one input file: the file itself, or, for a plain
    text file too large to hold (> STREAM_BYTES), each of its ~200,000-character pieces.

    A file in a folder that cannot be read is reported in `result.skipped` and left out; a file
    named on the command line is an error, as in `learn extract`.
    """

    def skip(message: str) -> None:
        result.skipped.append(message)
        result.skipped_bytes += _size(source.path)

    from learn.read.formats import SUFFIXES
    from learn.read.text import HAN, STREAM_BYTES, clean, file_text, iter_pieces

    if _size(source.path) > STREAM_BYTES and SUFFIXES.get(source.path.suffix.lower(), "text") == "text":
        for piece in iter_pieces([source], on_skip=skip):
            yield piece.document.text, piece.document.name, piece.nbytes
        return
    try:
        text = clean(file_text(source.path, source.label))
        if not HAN.search(text):
            raise LearnError(f"{source.label}: no Chinese text found")
    except LearnError as err:
        if not source.in_folder:
            raise
        skip(str(err))
        return
    yield text, source.name, _size(source.path)


def _simplified(text: str) -> str:
    """Every document goes through OpenCC t2s: it converts traditional ones, and mixed ones
    (a 1957 report partly in traditional characters), and leaves simplified text as it is."""
    from learn.language.lexicon import to_simplified

    return to_simplified(text)


def _save(batch: Batch, task: ReadTask, k: int) -> str:
    import numpy as np

    path = os.path.join(task.spool, f"b{task.index:06d}_{k:04d}")
    np.save(path + ".cp.npy", batch.cp)
    np.savez(path + ".docs.npz", starts=batch.starts, dates=batch.dates)
    return path


def _load(path: str) -> Batch:
    import numpy as np

    docs = np.load(path + ".docs.npz")
    level = 1
    pid = None
    if os.path.exists(path + ".pid.npy"):
        pid = np.load(path + ".pid.npy")
        level = int(np.load(path + ".level.npy"))
    return Batch(np.load(path + ".cp.npy"), docs["starts"], docs["dates"], pid, level)


def step_task(path: str, frequent_path: str | None, max_len: int) -> tuple[Neighbours | None, Counts | None]:
    """Worker: one level of the map for the spooled batch at `path` (its new ids saved beside it)."""
    import numpy as np

    frequent = np.load(frequent_path) if frequent_path else None
    batch, neighbours, counts = step(_load(path), frequent, max_len)
    if frequent is not None:
        assert batch.pid is not None
        np.save(path + ".pid.npy", batch.pid)
        np.save(path + ".level.npy", np.int64(batch.level))
    return neighbours, counts


@dataclass
class Level:
    """The phrases of one length that passed min_df, with their figures."""

    n: int
    counts: Counts
    left: tuple[np.ndarray, ...] = ()
    right: tuple[np.ndarray, ...] = ()
    marks: tuple[np.ndarray, ...] = ()  # documents marking each phrase, one array per MARK_KINDS
    candidates: int = 0


@dataclass
class BuildReport:
    """What a build read and wrote."""

    path: Path
    documents: int = 0
    characters: int = 0
    nbytes: int = 0
    phrases: int = 0
    first_date: str = ""
    last_date: str = ""
    seconds: float = 0.0
    levels: list[tuple[int, int, int]] = field(default_factory=list)  # (n, candidates, kept)
    peak_kib: int = 0  # peak resident memory of this process and of any worker
    cpu_seconds: float = 0.0  # CPU time of this process and its workers
    worker_peaks_kib: list[int] = field(default_factory=list)  # per worker process (none for jobs=1)
    skipped: list[str] = field(default_factory=list)
    unigrams: Unigrams | None = None  # every character's count, from the read step
    quality: str = ""  # how the quality score was made (or why there is none)


class Say:
    """Progress lines on stderr (or nothing)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def line(self, text: str) -> None:
        if self.enabled:
            sys.stderr.write(f"learn background: {text}\n")
            sys.stderr.flush()


def read_tasks(sources: list[Source], spool: str) -> Iterator[ReadTask]:
    group: list[Source] = []
    size, index = 0, 0
    for source in sources:
        group.append(source)
        size += _size(source.path)
        if size >= READ_BYTES:
            yield ReadTask(index, group, spool)
            group, size, index = [], 0, index + 1
    if group:
        yield ReadTask(index, group, spool)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def read_all(engine: LocalEngine, sources: list[Source], spool: str, report: BuildReport, say: Say) -> list[str]:
    """Read every input into spooled batches, with progress by input bytes."""
    batches: list[str] = []
    with reading(sources, report, say) as add:
        for result in engine.map(read_task, read_tasks(sources, spool)):
            batches.extend(result.batches)
            add(result)
    say.line(f"{report.documents:,} documents, {report.characters:,} Han characters, {len(batches)} batches")
    return batches


@contextmanager
def reading(sources: list[Source], report: BuildReport, say: Say) -> Iterator[Callable[[ReadResult], None]]:
    """Progress by input bytes while read results arrive, and the report's totals from them."""
    from learn.progress import Progress

    dates = [FAR, 0]

    def add(result: ReadResult) -> None:
        report.documents += result.documents
        report.characters += result.characters
        report.nbytes += result.nbytes
        dates[:] = [min(dates[0], result.first), max(dates[1], result.last)]
        for message in result.skipped:
            sys.stderr.write(f"learn: skipped {message}\n")
        report.skipped.extend(result.skipped)
        bar.drop(result.skipped_bytes)
        report.unigrams = Unigrams.merge([report.unigrams, result.unigrams])
        bar.advance(result.nbytes, result.documents)

    with Progress(sum(_size(s.path) for s in sources), "learn background: reading", enabled=say.enabled) as bar:
        yield add
    if not report.documents:
        raise LearnError(f"{' '.join(str(s.label) for s in sources[:3])}: no readable texts found")
    report.first_date = date_text(dates[0] if dates[0] < FAR else 0)
    report.last_date = date_text(dates[1])


def count_levels(
    engine: LocalEngine, batches: list[str], spool: str, min_df: int, max_len: int, report: BuildReport, say: Say
) -> list[Level]:
    """Level-wise counting: length 2, then 3 only where both halves passed min_df, and so on."""
    import numpy as np

    levels: list[Level] = []
    frequent_path: str | None = None
    for n in range(2, max_len + 2):
        started = time.monotonic()
        counts_in = Reducer(merge, lambda c: len(c.keys))
        neighbours_in = Reducer(merge_neighbours, lambda nb: len(nb.left_keys) + len(nb.right_keys))
        for neighbours, counts in engine.map(step_task, batches, frequent_path, max_len):
            if neighbours is not None:
                neighbours_in.add(neighbours)
            if counts is not None:
                counts_in.add(counts)
        if levels:
            levels[-1].left, levels[-1].right, levels[-1].marks = neighbour_figures(
                neighbours_in.result(), len(levels[-1].counts.keys)
            )
        counts = counts_in.result()
        if n > max_len or counts is None:
            break
        level = prune(counts, n, min_df)
        if not record(level, report, say, started, min_df):
            break
        levels.append(level)
        frequent_path = os.path.join(spool, f"frequent{n}.npy")
        np.save(frequent_path, level.counts.keys)
    return levels


def prune(counts: Counts, n: int, min_df: int) -> Level:
    """Reduce step: the phrases of length n seen in at least min_df documents."""
    keep = counts.df >= min_df
    if keep.sum() >= 1 << PID_BITS:
        raise LearnError(f"too many phrases of {n} characters; raise --min-df")
    kept = Counts(*(getattr(counts, f)[keep] for f in ("keys", "count", "df", "first", "last")))
    return Level(n, kept, candidates=len(counts.keys))


def record(level: Level, report: BuildReport, say: Say, started: float, min_df: int) -> bool:
    """Note a level in the report and on stderr; False when no phrase of that length is left."""
    kept = len(level.counts.keys)
    report.levels.append((level.n, level.candidates, kept))
    say.line(
        f"length {level.n}: {level.candidates:,} candidates, {kept:,} in ≥{min_df} documents "
        f"({time.monotonic() - started:.1f} s)"
    )
    return kept > 0


def neighbour_figures(neighbours: Neighbours, phrases: int) -> tuple[tuple[np.ndarray, ...], ...]:
    """Variety, entropy and top share of each side, and the documents marking each phrase each way
    (MARK_KINDS), from the merged neighbour counts."""
    import numpy as np

    kinds = len(MARK_KINDS)
    marks = np.bincount(
        (neighbours.mark_keys >> 2) * kinds + (neighbours.mark_keys & 3),
        weights=neighbours.mark_docs,
        minlength=phrases * kinds,
    )
    by_kind = marks.astype(np.int64).reshape(phrases, kinds).T
    return (
        side_stats(neighbours.left_keys, neighbours.left_count, phrases),
        side_stats(neighbours.right_keys, neighbours.right_count, phrases),
        tuple(by_kind[k].copy() for k in range(kinds)),
    )
