"""Phrase-background benchmark: build speed and peak memory, how they grow with the corpus, lookup latency.

    .venv/bin/python benchmarks/bench_background.py                    # shipped corpus: local 1, 2 jobs; Dask 2
    .venv/bin/python benchmarks/bench_background.py --scale 10         # also a 10× (~100M-character) corpus
    .venv/bin/python benchmarks/bench_background.py --runs local:2     # one setting only

Each build runs `learn.background.build.build` (what `learn background build` runs) in a fresh
process, so its peak memory belongs to that build alone: the main process and each worker report
their own ru_maxrss (Dask workers through client.run). The machine may be shared, so CPU seconds
(main + workers) are printed next to wall time. A build of the shipped corpus with the default
options also says whether it reproduced learn/data/background.sqlite3 byte for byte.

The scaled corpus is generated in a temporary folder by sampling lines of the shipped corpus's
documents into new documents (each keeps its source's date) and is deleted afterwards. Its
min_df is scaled with its size, so that it keeps a comparable set of phrases (copies of the same
lines would otherwise put every n-gram of the corpus over the threshold).

Lookup latency is what the extractor pays at start: import, open the shipped file and look up
2,000 phrases, in a fresh process; then each further lookup.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "background"


def child_build(engine: str, jobs: int, corpus: str, min_df: int, out: str) -> None:
    """Inside a fresh process: one build, then its figures as JSON on stdout."""
    sys.path.insert(0, str(ROOT))
    from learn.background.build import build
    from learn.background.model import MIN_DF, shipped_path

    started = time.perf_counter()
    report = build([corpus], out, jobs=jobs, min_df=min_df, engine=engine)
    wall = time.perf_counter() - started
    same = Path(corpus) == CORPUS and min_df == MIN_DF and Path(out).read_bytes() == shipped_path().read_bytes()
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": report.cpu_seconds,
                "peak_kib": report.peak_kib,
                "workers_kib": report.worker_peaks_kib,
                "chars": report.characters,
                "bytes": report.nbytes,
                "documents": report.documents,
                "phrases": report.phrases,
                "size": Path(out).stat().st_size,
                "identical": same,
            }
        )
    )


def child_lookup() -> None:
    """Inside a fresh process: import, open the shipped file, look up 2,000 phrases."""
    sys.path.insert(0, str(ROOT))
    import learn  # noqa: F401 - the extractor has the package loaded already; time only our module

    t1 = time.perf_counter()
    from learn.background.model import load

    phrases = _phrases(2000)
    t2, c2 = time.perf_counter(), time.process_time()
    background = load()
    found = background.lookup(phrases)
    t3, c3 = time.perf_counter(), time.process_time()
    again = []
    for _ in range(20):
        s = time.process_time()
        background.lookup(phrases)
        again.append(time.process_time() - s)
    print(
        json.dumps(
            {
                "import": t2 - t1,
                "first_lookup": t3 - t2,
                "first_lookup_cpu": c3 - c2,
                "found": len(found),
                "warm_lookup": sorted(again)[len(again) // 2],
            }
        )
    )


def _phrases(n: int) -> list[str]:
    """n candidate-like strings: substrings of the project's own sample texts (half are in the background)."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "decks").glob("*.txt")))
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    out: list[str] = []
    i = 0
    while len(out) < n and han:
        size = 2 + i % 5
        out.append("".join(han[(i * 7) % len(han) : (i * 7) % len(han) + size]))
        i += 1
    return out


def run(argv: list[str]) -> dict:
    result = subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"benchmark child failed: {result.stderr.strip().splitlines()[-1:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def make_scaled(folder: Path, scale: int, seed: int = 7) -> int:
    """A corpus about `scale` times the shipped one: new documents of lines sampled from its documents."""
    rng = random.Random(seed)
    sources = sorted(p for p in CORPUS.rglob("*.txt"))
    lines_of = [[line for line in p.read_text(encoding="utf-8").splitlines() if line.strip()] for p in sources]
    written = 0
    for copy in range(scale):
        for i, (path, lines) in enumerate(zip(sources, lines_of, strict=False)):
            donor = lines_of[rng.randrange(len(lines_of))]
            mixed = rng.sample(lines, len(lines) // 2) + rng.sample(donor, len(donor) // 2)
            rng.shuffle(mixed)
            part = folder / f"copy{copy:02d}"
            part.mkdir(exist_ok=True)
            text = "\n".join(mixed) + "\n"
            (part / f"{path.stem}-{i:04d}.txt").write_text(text, encoding="utf-8")
            written += len(text.encode("utf-8"))
    return written


def bench_build(label: str, corpus: Path, runs: list[str], min_df: int) -> list[dict]:
    results = []
    for spec in runs:
        engine, jobs = spec.split(":")
        with tempfile.TemporaryDirectory() as tmp:
            r = run(["--child-build", engine, jobs, str(corpus), str(min_df), os.path.join(tmp, "bg.sqlite3")])
        workers = ", ".join(f"{k / 1024:.0f}" for k in r["workers_kib"]) or "none"
        print(
            f"{label} {engine} {'jobs' if engine == 'local' else 'workers'}={jobs}: {r['wall']:.1f} s wall, "
            f"{r['cpu']:.1f} s CPU, {r['chars'] / r['wall'] / 1e3:,.0f}k Han chars/s "
            f"({r['chars'] / r['cpu'] / 1e3:,.0f}k per CPU second), peak memory {r['peak_kib'] / 1024:.0f} MB "
            f"(per worker: {workers} MB); {r['documents']:,} documents, {r['chars']:,} chars, "
            f"min_df {min_df} → {r['phrases']:,} phrases, {r['size'] / 1e6:.1f} MB"
            + (f", identical to the shipped file: {r['identical']}" if corpus == CORPUS else ""),
            flush=True,
        )
        results.append({"spec": spec, **r})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs",
        nargs="*",
        default=["local:1", "local:2", "dask:2"],
        help="ENGINE:N settings to measure (default local:1 local:2 dask:2)",
    )
    parser.add_argument("--scale", type=int, default=0, help="also build a corpus this many times larger")
    parser.add_argument("--child-build", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--child-lookup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_build:
        engine, jobs, corpus, min_df, out = args.child_build
        return child_build(engine, int(jobs), corpus, int(min_df), out)
    if args.child_lookup:
        return child_lookup()
    sys.path.insert(0, str(ROOT))
    from learn.background.model import MIN_DF

    if not CORPUS.is_dir():
        print(f"skipped the build: {CORPUS} is absent (the background corpus is needed)")
    else:
        small = bench_build("shipped corpus", CORPUS, args.runs, MIN_DF)
        if args.scale > 1:
            with tempfile.TemporaryDirectory(prefix="bench-background-") as tmp:
                size = make_scaled(Path(tmp), args.scale)
                print(f"generated a {args.scale}× corpus: {size / 1e6:.0f} MB", flush=True)
                big = bench_build(f"{args.scale}× corpus", Path(tmp), args.runs, MIN_DF * args.scale)
            growth(small, big, args.scale)
    lookups = [run(["--child-lookup"]) for _ in range(5)]
    best = {k: min(x[k] for x in lookups) for k in ("import", "first_lookup", "first_lookup_cpu", "warm_lookup")}
    print(
        f"lookup (best of 5 fresh processes): import learn.background.model {best['import'] * 1e3:.1f} ms; "
        f"open + first lookup of 2,000 phrases {best['first_lookup'] * 1e3:.1f} ms wall, "
        f"{best['first_lookup_cpu'] * 1e3:.1f} ms CPU ({lookups[0]['found']} found); "
        f"each further lookup {best['warm_lookup'] * 1e3:.1f} ms CPU"
    )


def growth(small: list[dict], big: list[dict], scale: int) -> None:
    """How time and memory grow with the corpus, and an estimate for 1 billion characters on 8 workers."""
    for a, b in zip(small, big, strict=False):
        chars = b["chars"] / a["chars"]
        per_worker = [max(x["workers_kib"] or [x["peak_kib"]]) / 1024 for x in (a, b)]
        print(
            f"growth {a['spec']}: {chars:.1f}× the characters took {b['cpu'] / a['cpu']:.1f}× the CPU time "
            f"({b['wall'] / a['wall']:.1f}× wall); largest worker {per_worker[0]:.0f} → {per_worker[1]:.0f} MB"
        )
    dask = [b for b in big if b["spec"].startswith("dask")]
    if dask:
        d = dask[0]
        per_cpu = d["chars"] / d["cpu"]
        minutes = 1e9 / (per_cpu * 8) / 60
        print(
            f"estimate (not measured): 1 billion characters on 8 Dask workers of one core each ≈ "
            f"{minutes:.0f} min of counting at the {per_cpu / 1e3:,.0f}k chars per CPU second measured here, "
            f"if time keeps growing linearly and the workers read the files as fast as a local disk; "
            f"writing the file on the client adds about a minute"
        )


if __name__ == "__main__":
    main()
