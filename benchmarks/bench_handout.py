"""Time `learn handout` on the seed article: extraction and typesetting, separately.

Goal (issues 5 and 12): the handout itself (data + typst + PDF) in at most 2 s, on at most
6 pages with the default options; also reports how many writing-grid characters get stroke-order
figures (the stroke data of scripts/setup.sh).
Run: .venv/bin/python benchmarks/bench_handout.py [--repeat N]
The seed article lives outside the repository (../shared/corpus); without it the
benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "corpus" / "xinzhi-shengchanli.txt"
GOAL = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="handout builds to time (default 5)")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    if not SEED.exists():
        print(f"skipped: seed article not found at {SEED}")
        return 0
    sys.path.insert(0, str(ROOT))
    from learn.handout.pdf import handout_data, handout_pdf, make_handout, stroke_coverage
    from learn.read.text import read_document
    from learn.terms.rank import extract

    text = read_document(str(SEED)).text
    start = time.perf_counter()
    entries = extract(text, top=args.top, source=SEED.name)
    extract_s = time.perf_counter() - start
    print(
        f"extract   {extract_s:6.2f} s  ({len(entries)} terms, {len(text)} characters; includes loading dictionaries)"
    )

    start = time.perf_counter()
    handout_pdf(entries, text, source=SEED.name, date="2025-03-14")
    first = time.perf_counter() - start
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.repeat):
            start = time.perf_counter()
            make_handout(entries, text, Path(tmp) / "h.pdf", source=SEED.name, seed=seed, date="2025-03-14")
            times.append(time.perf_counter() - start)
        size = (Path(tmp) / "h.pdf").stat().st_size
        from pypdf import PdfReader

        page_count = len(PdfReader(str(Path(tmp) / "h.pdf")).pages)
    print(f"handout   {first:6.2f} s  first build (font scan, template load)")
    print(
        f"handout   {statistics.median(times):6.2f} s  median of {args.repeat} builds "
        f"(max {max(times):.2f} s, PDF {size // 1024} KiB)"
    )
    verdict = "ok" if max(first, *times) <= GOAL else "SLOWER THAN GOAL"
    print(f"goal      {GOAL:6.2f} s  per handout: {verdict}")
    covered, total = stroke_coverage(handout_data(entries, text, source=SEED.name)["grid"])
    print(f"pages     {page_count:6d}    goal ≤ 6: {'ok' if page_count <= 6 else 'TOO MANY'}")
    print(f"strokes   {covered:6d}    of {total} writing-grid characters have stroke-order figures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
