"""The Dask engine of `learn background build --engine dask [--scheduler ADDRESS]`.

The same map and reduce as the local engine (learn.background_build), run by Dask instead of a
process pool: a corpus of billions of characters is more than one machine's --jobs can count in a
day. Read tasks turn groups of files into batches that stay on the workers (Dask spills them to
disk under memory pressure); each level maps `step` over the batches, combines the partial counts
in a tree of `merge` tasks on the workers, and prunes phrases under min_df there, so only the
surviving phrases travel to the client. Every task is a pure function of its inputs, so when a
worker dies Dask reruns what was lost on another worker. The result is identical to the local
engine's, byte for byte.

Workers must be able to read the input paths (a shared file system) and have `learn[dask]`
installed.
"""
from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Callable

from learn.background_build import (BuildReport, Level, _read_tasks, _Say, merge, merge_neighbours,
                                    neighbour_figures, prune, read_batches, reading, record, step)
from learn.errors import LearnError

if TYPE_CHECKING:
    from distributed import Client, Future

    from learn.text import Source

FAN_IN = 8          # partial results merged per reduce task
CONNECT_TIMEOUT = "20s"


def count_levels(sources: list["Source"], *, jobs: int, scheduler: str | None, min_df: int, max_len: int,
                 report: BuildReport, say: _Say) -> list[Level]:
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


def _usage(client: "Client", report: BuildReport) -> None:
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


def connect(scheduler: str | None, jobs: int) -> "Client":
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
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.CRITICAL)
    except Exception as err:  # noqa: BLE001 - ports, spawn failures: one line
        raise LearnError(f"cannot start a local Dask cluster ({type(err).__name__}: {_brief(err)})") from None
    return Client(cluster)


def _close(client: "Client") -> None:
    cluster = client.cluster
    client.close()
    if cluster is not None:
        cluster.close()


class DaskCount:
    """One build's conversation with the cluster: read, then one map and reduce per level."""

    def __init__(self, client: "Client", min_df: int, max_len: int, report: BuildReport, say: _Say):
        self.client, self.min_df, self.max_len, self.report, self.say = client, min_df, max_len, report, say

    def run(self, sources: list["Source"]) -> list[Level]:
        return self.count(self.read(sources))

    def read(self, sources: list["Source"]) -> list["Future"]:
        """Futures of the batches (on the workers), after progress and totals from the read tasks."""
        from distributed import as_completed

        groups = [task.sources for task in _read_tasks(sources, "")]
        read = self.client.map(read_batches, groups, pure=False)   # files may change between builds
        summaries = self.client.map(_summary, read)
        sizes: dict[str, int] = {}
        with reading(sources, self.report, self.say) as add:
            for future in as_completed(summaries):
                result, size = future.result()
                sizes[future.key] = size
                add(result)
        batches = [self.client.submit(_batch, r, i) for r, s in zip(read, summaries) for i in range(sizes[s.key])]
        self.say.line(f"{self.report.documents:,} documents, {self.report.characters:,} Han characters, "
                      f"{len(batches)} batches on {len(self.client.scheduler_info()['workers'])} Dask workers")
        return batches

    def count(self, batches: list["Future"]) -> list[Level]:
        """Level-wise counting, as learn.background_build._count_levels, with tree reductions."""
        levels: list[Level] = []
        frequent: "Future | None" = None
        for n in range(2, self.max_len + 2):
            started = time.monotonic()
            results = self.client.map(step, batches, frequent=frequent, max_len=self.max_len)
            batches = self.client.map(_item, results, [0] * len(results))
            if levels:
                merged = self.tree(merge_neighbours, results, 1)
                figures = self.client.submit(neighbour_figures, merged, len(levels[-1].counts.keys))
                levels[-1].left, levels[-1].right = figures.result()
            if n > self.max_len:
                break
            total = self.tree(merge, results, 2)
            pruned = self.client.submit(prune, total, n, self.min_df)
            level = pruned.result()
            del results
            if not record(level, self.report, self.say, started, self.min_df):
                break
            levels.append(level)
            frequent = self.client.submit(_keys, pruned)
            self.after_level(n)
        return levels

    def tree(self, combine: Callable[[list[Any]], Any], results: list["Future"], index: int) -> "Future":
        """Combine item `index` of the step results FAN_IN at a time, on the workers, down to one.

        The item is taken out first by a task of its own, which Dask runs where the step result
        lies: the tree then moves partial counts between workers, never the batches beside them.
        """
        parts = self.client.map(_item, results, [index] * len(results))
        while len(parts) > 1:
            parts = [self.client.submit(_combine, combine, *parts[i:i + FAN_IN])
                     for i in range(0, len(parts), FAN_IN)]
        return parts[0]

    def after_level(self, n: int) -> None:
        """Called once level n has been counted (a hook for tests)."""


def _summary(read: tuple[Any, list[Any]]) -> tuple[Any, int]:
    """A read task's totals and its number of batches, without the batches."""
    return read[0], len(read[1])


def _batch(read: tuple[Any, list[Any]], index: int) -> Any:
    """Batch `index` of a read task's result."""
    return read[1][index]


def _item(value: tuple[Any, ...], index: int) -> Any:
    return value[index]


def _combine(combine: Callable[[list[Any]], Any], *parts: Any) -> Any:
    """combine() of the parts that are there (a step has no counts past max_len)."""
    present = [p for p in parts if p is not None]
    return combine(present) if present else None


def _keys(level: Level) -> Any:
    return level.counts.keys


def _one_line(err: Exception) -> Exception:
    """A Dask failure as the one line the CLI prints."""
    if isinstance(err, LearnError):
        return err
    name = type(err).__name__
    if name == "KilledWorker":
        return LearnError("Dask workers kept dying on the same task (out of memory?); "
                          "try more memory per worker or a higher --min-df")
    if name in ("CommClosedError", "CancelledError", "TimeoutError", "FutureCancelledError"):
        return LearnError(f"lost the Dask cluster ({name}: {_brief(err)})")
    if isinstance(err, MemoryError):
        return LearnError("out of memory on a Dask worker; try a higher --min-df")
    return LearnError(f"counting on Dask failed ({name}: {_brief(err)})")


def _brief(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0][:200]


