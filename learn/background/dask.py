"""The Dask engine of `learn background build --engine dask [--scheduler ADDRESS]`.

The same map and reduce as the local engine (learn.background.count), run by Dask instead of a
process pool: a corpus of billions of characters is more than one machine's --jobs can count in a
day. Read tasks turn groups of files into batches saved on the reading worker's disk; each level
maps `step` over the batches (on the worker that holds each one), folds the partial counts
together in a tree of `merge` tasks on the workers while later batches are still counted, and
prunes phrases under min_df there, so only the surviving phrases travel to the client. Worker
memory holds a batch and a few partial counts at a time, whatever the size of the corpus. When
a worker dies, Dask reruns its tasks elsewhere, and a batch whose file went with the worker is
read again from its source files; a level whose scattered inputs died too is counted again. The result is identical to the local engine's, byte for byte.

Workers must be able to read the input paths (a shared file system) and have `learn[dask]`
installed.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from learn.background.count import (
    Batch,
    BuildReport,
    Level,
    ReadResult,
    Say,
    assign_batch,
    merge,
    merge_neighbours,
    neighbour_figures,
    prune,
    read_into,
    read_tasks,
    reading,
    record,
    step,
)
from learn.errors import LearnError

if TYPE_CHECKING:
    from distributed import Client, Future

    from learn.read.text import Source

FAN_IN = 8  # partial results merged per reduce task
LEVEL_ATTEMPTS = 3  # a level whose inputs died with a worker is counted again, at most this often
LOST = ("CancelledError", "FutureCancelledError")  # how Dask reports a task whose inputs are gone
CONNECT_TIMEOUT = "20s"


def count_levels(
    sources: list[Source], *, jobs: int, scheduler: str | None, min_df: int, max_len: int, report: BuildReport, say: Say
) -> list[Level]:
    """Count every level on a Dask cluster; the same Levels the local engine returns."""
    client = connect(scheduler, jobs)
    try:
        levels = DaskCount(client, min_df, max_len, report, say).run(sources)
        _usage(client, report)
        return levels
    except Exception as err:
        raise _one_line(err) from None
    finally:
        _close(client)


def _usage(client: Client, report: BuildReport) -> None:
    """Peak memory (largest of the client and any worker) and CPU time of all of them."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = client.run(_worker_usage).values()
    report.peak_kib = max([own.ru_maxrss, *(peak for peak, _ in workers)])
    report.worker_peaks_kib = sorted(peak for peak, _ in workers)
    report.cpu_seconds = own.ru_utime + own.ru_stime + sum(cpu for _, cpu in workers)


def _worker_usage() -> tuple[int, float]:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def connect(scheduler: str | None, jobs: int) -> Client:
    """A client of the cluster at `scheduler`, or of a new local cluster of `jobs` worker processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise LearnError("--engine dask needs Dask: pip install 'learn[dask]'") from None
    for name in ("distributed", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if scheduler:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:
            raise LearnError(f"cannot reach the Dask scheduler at {scheduler} ({_brief(err)})") from None
    try:
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
        )
    except Exception as err:  # noqa: BLE001 - ports, spawn failures: one line
        raise LearnError(f"cannot start a local Dask cluster ({type(err).__name__}: {_brief(err)})") from None
    return Client(cluster)


def _close(client: Client) -> None:
    cluster = client.cluster
    client.close()
    if cluster is not None:
        cluster.close()


@dataclass
class Spooled:
    """A batch saved on one worker's disk at some level, and what it takes to make it again.

    If the file is not there (the worker died, or Dask ran the task elsewhere), the batch is
    rebuilt from its source files and the frequent phrases of the levels it has passed.
    """

    sources: list[Source]
    index: int  # which batch of those sources
    name: str  # file stem inside the worker's spool folder
    level: int = 1
    worker: str = ""  # address of the worker that holds the file


class DaskCount:
    """One build's conversation with the cluster: read, then one map and reduce per level.

    Batches live on the workers' disks, one spool folder per build, so worker memory holds one
    batch and a few partial counts at a time, however large the corpus.
    """

    def __init__(self, client: Client, min_df: int, max_len: int, report: BuildReport, say: Say):
        self.client, self.min_df, self.max_len, self.report, self.say = client, min_df, max_len, report, say
        self.build = uuid.uuid4().hex

    def run(self, sources: list[Source]) -> list[Level]:
        try:
            return self.count(self.read(sources))
        finally:
            # a lost cluster's folders go with its workers
            with contextlib.suppress(Exception):
                self.client.run(_remove_spool, self.build)

    def read(self, sources: list[Source]) -> list[Spooled]:
        """Read every group of files into spooled batches on the workers, with progress."""
        from distributed import as_completed

        groups = [task.sources for task in read_tasks(sources, "")]
        futures = [self.client.submit(read_spooled, group, i, self.build, pure=False) for i, group in enumerate(groups)]
        found: dict[str, list[Spooled]] = {}
        with reading(sources, self.report, self.say) as add:
            for future in as_completed(futures):
                result, spooled = future.result()
                found[str(future.key)] = spooled
                add(result)
        batches = [b for f in futures for b in found[str(f.key)]]
        self.say.line(
            f"{self.report.documents:,} documents, {self.report.characters:,} Han characters, "
            f"{len(batches)} batches on {len(self.client.scheduler_info()['workers'])} Dask workers"
        )
        return batches

    def count(self, batches: list[Spooled]) -> list[Level]:
        """Level-wise counting, as learn.background.count.count_levels, with tree reductions."""
        levels: list[Level] = []
        history: list[Future] = []  # frequent keys of lengths 2, 3, … (futures, on the cluster)
        for n in range(2, self.max_len + 2):
            started = time.monotonic()
            for attempt in range(LEVEL_ATTEMPTS):
                try:
                    previous = len(levels[-1].counts.keys) if levels else None
                    batches, figures, level = self.level(n, batches, history, previous, last=n > self.max_len)
                    break
                except Exception as err:  # noqa: BLE001 - only a lost dependency is worth a retry
                    if type(err).__name__ not in LOST or attempt == LEVEL_ATTEMPTS - 1:
                        raise
                    # a worker died with data Dask cannot make again (the scattered history):
                    # send it again from the levels held here and count this level once more
                    self.say.line(f"a Dask worker was lost with data it alone held; counting level {n} again")
                    history = [self.client.scatter(done.counts.keys, broadcast=True) for done in levels]
            if figures is not None:
                levels[-1].left, levels[-1].right, levels[-1].marks = figures
            if level is None or not record(level, self.report, self.say, started, self.min_df):
                break
            levels.append(level)
            # every worker gets a copy: a dead worker then costs its batches, not the whole lineage
            history.append(self.client.scatter(level.counts.keys, broadcast=True))
            self.after_level(n)
        return levels

    def level(
        self, n: int, batches: list[Spooled], history: list[Future], previous: int | None, last: bool
    ) -> tuple[list[Spooled], Any, Level | None]:
        """One map and reduce: the batches moved to level n, the neighbour figures of level n − 1
        (`previous` phrases; None at the first level) and the pruned counts of level n (None when `last`)."""
        neighbours, counts = Tree(self.client, merge_neighbours), Tree(self.client, merge)
        moved = []
        for batch in batches:  # step, then its partial counts into the trees: submitted in that order,
            result = self.client.submit(
                step_spooled,
                batch,
                history,
                self.max_len,
                self.build,
                workers=[batch.worker] if batch.worker else None,
                allow_other_workers=True,
                pure=False,
            )
            moved.append(self.client.submit(_item, result, 0))  # Dask runs them in that order too
            neighbours.add(self.client.submit(_item, result, 1))
            counts.add(self.client.submit(_item, result, 2))
        next_batches = self.client.gather(moved)
        figures = None
        if previous is not None:
            figures = self.client.submit(neighbour_figures, neighbours.result(), previous).result()
        if last:
            return next_batches, figures, None
        return next_batches, figures, self.client.submit(prune, counts.result(), n, self.min_df).result()

    def after_level(self, n: int) -> None:
        """Called once level n has been counted (a hook for tests)."""


class Tree:
    """A reduction tree built as partial results are submitted: FAN_IN parts make a merge task
    at once, so partial counts are folded in while later batches are still being counted."""

    def __init__(self, client: Client, combine: Callable[[list[Any]], Any]):
        self.client, self.combine = client, combine
        self.stacks: list[list[Future]] = []

    def add(self, part: Future, height: int = 0) -> None:
        while len(self.stacks) <= height:
            self.stacks.append([])
        self.stacks[height].append(part)
        if len(self.stacks[height]) == FAN_IN:
            group, self.stacks[height] = self.stacks[height], []
            self.add(self.client.submit(_combine, self.combine, *group), height + 1)

    def result(self) -> Future:
        """The future of everything added, combined."""
        carry: list[Future] = []
        for stack in self.stacks:
            group = stack + carry
            carry = group if len(group) <= 1 else [self.client.submit(_combine, self.combine, *group)]
        return carry[0]


# --- on the workers ----------------------------------------------------------------------------


def _spool(build: str) -> Path:
    from distributed import get_worker

    folder = Path(get_worker().local_directory) / f"learn-background-{build}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _remove_spool(build: str) -> None:
    import shutil

    from distributed import get_worker

    shutil.rmtree(Path(get_worker().local_directory) / f"learn-background-{build}", ignore_errors=True)


def read_spooled(sources: list[Source], group: int, build: str) -> tuple[ReadResult, list[Spooled]]:
    """Read a group of files into batches saved in this worker's spool folder."""
    from distributed import get_worker

    folder, worker = _spool(build), get_worker().address
    spooled: list[Spooled] = []

    def save(batch: Batch) -> None:
        item = Spooled(sources, len(spooled), f"g{group:06d}_{len(spooled):04d}", 1, worker)
        _store(batch, folder / item.name)
        spooled.append(item)

    return read_into(sources, save), spooled


def step_spooled(spooled: Spooled, history: list[Any], max_len: int, build: str) -> tuple[Spooled, Any, Any]:
    """`step` for a spooled batch: its new ids saved beside it, the old level's file removed."""
    import numpy as np
    from distributed import get_worker

    folder = _spool(build)
    batch = _fetch(spooled, history, folder)
    frequent = history[batch.level - 1] if len(history) >= batch.level else None
    moved, neighbours, counts = step(batch, frequent, max_len)
    if frequent is not None:
        assert moved.pid is not None
        np.save(_pid_file(folder / spooled.name, moved.level), moved.pid)
        _pid_file(folder / spooled.name, batch.level).unlink(missing_ok=True)
    return replace(spooled, level=moved.level, worker=get_worker().address), neighbours, counts


def _fetch(spooled: Spooled, history: list[Any], folder: Path) -> Batch:
    """The batch from this worker's spool, or made again from its sources when it is not there."""
    import numpy as np

    stem = folder / spooled.name
    pid_file = _pid_file(stem, spooled.level)
    if Path(f"{stem}.cp.npy").exists() and (spooled.level == 1 or pid_file.exists()):
        docs = np.load(f"{stem}.docs.npz")
        pid = np.load(pid_file) if spooled.level > 1 else None
        return Batch(np.load(f"{stem}.cp.npy"), docs["starts"], docs["dates"], pid, spooled.level)
    made: list[Batch] = []
    read_into(spooled.sources, made.append)
    batch = made[spooled.index]
    _store(batch, stem)
    for frequent in history[: spooled.level - 1]:
        batch = assign_batch(batch, frequent)
    if batch.level > 1:
        assert batch.pid is not None
        np.save(_pid_file(stem, batch.level), batch.pid)
    return batch


def _store(batch: Batch, stem: Path) -> None:
    import numpy as np

    np.save(f"{stem}.cp.npy", batch.cp)
    np.savez(f"{stem}.docs.npz", starts=batch.starts, dates=batch.dates)


def _pid_file(stem: Path, level: int) -> Path:
    return Path(f"{stem}.L{level}.npy")


def _item(value: tuple[Any, ...], index: int) -> Any:
    return value[index]


def _combine(combine: Callable[[list[Any]], Any], *parts: Any) -> Any:
    """combine() of the parts that are there (a step has no counts past max_len)."""
    present = [p for p in parts if p is not None]
    return combine(present) if present else None


def _one_line(err: Exception) -> Exception:
    """A Dask failure as the one line the CLI prints."""
    if isinstance(err, LearnError):
        return err
    name = type(err).__name__
    if name == "KilledWorker":
        return LearnError(
            "Dask workers kept dying on the same task (out of memory?); try more memory per worker or a higher --min-df"
        )
    if name in ("CommClosedError", "CancelledError", "TimeoutError", "FutureCancelledError"):
        return LearnError(f"lost the Dask cluster ({name}: {_brief(err)})")
    if isinstance(err, MemoryError):
        return LearnError("out of memory on a Dask worker; try a higher --min-df")
    return LearnError(f"counting on Dask failed ({name}: {_brief(err)})")


def _brief(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
