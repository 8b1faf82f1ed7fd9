"""Phrase-background benchmark: build speed and peak memory on the whole shipped corpus, and lookup latency.

    .venv/bin/python benchmarks/bench_background.py               # jobs 1 and 2, then lookups
    .venv/bin/python benchmarks/bench_background.py --jobs 2      # one setting only

Each build runs `learn.background.build` (what `learn background build` runs) in a fresh process,
so its peak memory belongs to that build alone: the largest of the main process and its workers
(each worker reports its own ru_maxrss; the parent's RUSAGE_CHILDREN is printed beside it). The
machine may be shared, so CPU seconds are printed next to wall time. The build also says whether
it reproduced the shipped file byte for byte (it should, with the default options).

Lookup latency is what the extractor pays at start: open the shipped file and look up 2,000
phrases, in a fresh process, and per further batch.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "background"


def child_build(jobs: int, out: str) -> None:
    """Inside a fresh process: one build, then its figures as JSON on stdout."""
    sys.path.insert(0, str(ROOT))
    from learn.background import build, shipped_path

    started = time.perf_counter()
    report = build([str(CORPUS)], out, jobs=jobs)
    wall = time.perf_counter() - started
    same = Path(out).read_bytes() == shipped_path().read_bytes()
    print(json.dumps({"wall": wall, "cpu": report.cpu_seconds, "peak_kib": report.peak_kib,
                      "chars": report.characters, "bytes": report.nbytes, "documents": report.documents,
                      "phrases": report.phrases, "size": Path(out).stat().st_size, "identical": same}))


def child_lookup() -> None:
    """Inside a fresh process: import, open the shipped file, look up 2,000 phrases."""
    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import learn  # noqa: F401 - the extractor has the package loaded already; time only our module

    t1 = time.perf_counter()
    from learn.background import load

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
    print(json.dumps({"import": t2 - t1, "first_lookup": t3 - t2, "first_lookup_cpu": c3 - c2,
                      "found": len(found), "warm_lookup": sorted(again)[len(again) // 2]}))


def _phrases(n: int) -> list[str]:
    """n candidate-like strings: substrings of the project's own sample texts (half are in the background)."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "decks").glob("*.txt")))
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    out: list[str] = []
    i = 0
    while len(out) < n and han:
        size = 2 + i % 5
        out.append("".join(han[(i * 7) % len(han):(i * 7) % len(han) + size]))
        i += 1
    return out


def run(argv: list[str]) -> dict:
    result = subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"benchmark child failed: {result.stderr.strip().splitlines()[-1:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--child-build", nargs=2, metavar=("JOBS", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--child-lookup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_build:
        return child_build(int(args.child_build[0]), args.child_build[1])
    if args.child_lookup:
        return child_lookup()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent (the background corpus is needed for the build benchmark)")
    else:
        for jobs in args.jobs:
            with tempfile.TemporaryDirectory() as tmp:
                r = run(["--child-build", str(jobs), os.path.join(tmp, "bg.sqlite3")])
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            print(f"build jobs={jobs}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU (main + workers), "
                  f"{r['chars'] / r['wall'] / 1e3:,.0f}k Han chars/s wall ({r['chars'] / r['cpu'] / 1e3:,.0f}k per "
                  f"CPU second), {r['bytes'] / r['wall'] / 1e6:.2f} MB/s, "
                  f"peak memory {r['peak_kib'] / 1024:.0f} MB (children's ru_maxrss {after.ru_maxrss / 1024:.0f} MB); "
                  f"{r['documents']:,} documents, {r['chars']:,} chars → {r['phrases']:,} phrases, "
                  f"{r['size'] / 1e6:.1f} MB, identical to the shipped file: {r['identical']}")
    lookups = [run(["--child-lookup"]) for _ in range(5)]
    best = {k: min(x[k] for x in lookups) for k in ("import", "first_lookup", "first_lookup_cpu", "warm_lookup")}
    print(f"lookup (best of 5 fresh processes): import learn.background {best['import'] * 1e3:.1f} ms; "
          f"open + first lookup of 2,000 phrases {best['first_lookup'] * 1e3:.1f} ms wall, "
          f"{best['first_lookup_cpu'] * 1e3:.1f} ms CPU ({lookups[0]['found']} found); "
          f"each further lookup {best['warm_lookup'] * 1e3:.1f} ms CPU")


if __name__ == "__main__":
    main()
