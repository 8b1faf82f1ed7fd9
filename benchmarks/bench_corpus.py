"""Corpus-mode benchmark: characters per second for 1 and 2 jobs, and peak memory as the corpus grows.

    .venv/bin/python benchmarks/bench_corpus.py                 # 1M, 5M, 10M chars × jobs 1, 2
    .venv/bin/python benchmarks/bench_corpus.py --sizes 1 --jobs 1 --big-mb 0   # quick look
    .venv/bin/python benchmarks/bench_corpus.py --big-mb 50     # also one 50 MB file

The corpus is generated from the texts the project has (decks/*.txt and ../shared/corpus/*.txt):
their sentences are shuffled and recombined into articles of 1,500–5,000 characters, written as
files in folders of 1M characters each. So that the vocabulary keeps growing with the corpus (as
it does in real news), every article also gets a few made-up four-character terms of its own,
repeated now and then. Each measurement runs corpus extraction (what `learn extract DIR --jobs N`
runs) in a fresh process, so peak memory (ru_maxrss) belongs to that run alone: the main process
and the largest worker. The machine may be shared, so CPU seconds are printed next to wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "decks").glob("*.txt")) + sorted((ROOT.parent / "shared" / "corpus").glob("*.txt"))
COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研"


def sentences_of(paths: list[Path]) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from learn.read.text import clean, sentences

    found = [s for p in paths for s in sentences(clean(p.read_text(encoding="utf-8"))) if len(s) >= 8]
    if not found:
        raise SystemExit("no source texts found (decks/*.txt, ../shared/corpus/*.txt)")
    return found


def make_corpus(folder: Path, millions: int, seed: int = 7) -> list[Path]:
    """Folders part00, part01 … of about one million characters each; returns them."""
    rng = random.Random(seed)
    pool = sentences_of(SOURCES)
    parts = []
    for m in range(millions):
        part = folder / f"part{m:02d}"
        part.mkdir(parents=True, exist_ok=True)
        written, n = 0, 0
        while written < 1_000_000:
            coined = ["".join(rng.choice(COMMON) for _ in range(4)) for _ in range(3)]
            body: list[str] = []
            length, goal = 0, rng.randint(1500, 5000)
            while length < goal:
                sentence = rng.choice(pool)
                if rng.random() < 0.12:
                    sentence = sentence[:-1] + f"，其中“{rng.choice(coined)}”值得关注" + sentence[-1]
                body.append(sentence)
                length += len(sentence)
            text = "\n".join(body)
            (part / f"article{n:05d}.txt").write_text(text, encoding="utf-8")
            written += len(text)
            n += 1
        parts.append(part)
    return parts


def run_child(paths: list[str], jobs: int) -> None:
    """Inside a fresh process: what `learn extract PATHS --jobs N` does, then time and memory as JSON."""
    sys.path.insert(0, str(ROOT))
    from learn.cli.extract import render
    from learn.output import write_text
    from learn.progress import Progress
    from learn.read.text import expand, iter_pieces
    from learn.terms.corpus import extract_corpus

    out = Path(tempfile.mkdtemp()) / "merged.json"
    sources = expand(paths)
    start = time.perf_counter()
    with Progress(sum(s.path.stat().st_size for s in sources), "extracting") as progress:
        result = extract_corpus(iter_pieces(sources), jobs=jobs, top=50, on_piece=lambda s: progress.advance(s.nbytes))
    write_text(out, render(result.merged, "json"))
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = {pid: v for pid, v in result.workers.items() if pid != os.getpid()}
    print(
        json.dumps(
            {
                "seconds": seconds,
                "top": [e.simplified for e in result.merged[:5]],
                "pieces": result.pieces,
                "terms": len(result.merged),
                "main_cpu": own.ru_utime + own.ru_stime,
                "main_mb": own.ru_maxrss / 1024,
                "worker_cpu": sum(c for c, _ in workers.values()),
                "worker_mb": max((kb for _, kb in workers.values()), default=0) / 1024,
            }
        )
    )


def measure(paths: list[Path], jobs: int) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, "--child", str(jobs), *map(str, paths)], capture_output=True, text=True, check=False
    )
    if run.returncode != 0 or not run.stdout.strip():
        raise SystemExit(f"benchmark run failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1]) | {"progress": run.stderr.strip().splitlines()[-1:]}


def chars_in(paths: list[Path]) -> int:
    return sum(len(f.read_text(encoding="utf-8")) for p in paths for f in (p.rglob("*.txt") if p.is_dir() else [p]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1,5,10", help="corpus sizes in millions of characters")
    ap.add_argument("--jobs", default="1,2", help="job counts to compare")
    ap.add_argument("--big-mb", type=int, default=0, help="also time one plain-text file of this many MB")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        run_child(args.paths, args.child)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    jobs = [int(j) for j in args.jobs.split(",") if j]
    with tempfile.TemporaryDirectory() as tmp:
        parts = make_corpus(Path(tmp) / "corpus", max(sizes, default=0))
        print(
            f"{'chars':>11} {'files':>6} {'jobs':>4} {'wall s':>7} {'chars/s':>8} {'CPU s':>6} "
            f"{'main MB':>8} {'worker MB':>9}  top terms"
        )
        for size in sizes:
            chosen = parts[:size]
            chars = chars_in(chosen)
            files = sum(1 for p in chosen for _ in p.glob("*.txt"))
            for j in jobs:
                r = measure(chosen, j)
                print(
                    f"{chars:>11,} {files:>6} {j:>4} {r['seconds']:>7.1f} {chars / r['seconds']:>8,.0f} "
                    f"{r['main_cpu'] + r['worker_cpu']:>6.0f} {r['main_mb']:>8.0f} {r['worker_mb']:>9.0f}  "
                    f"{' '.join(r['top'])}",
                    flush=True,
                )
        if args.big_mb:
            big_file(Path(tmp), args.big_mb, parts or make_corpus(Path(tmp) / "corpus", 1), jobs)


def big_file(tmp: Path, megabytes: int, parts: list[Path], jobs: list[int]) -> None:
    """One big plain-text file (GB18030, to exercise streamed decoding) made by repeating articles."""
    big = tmp / f"big-{megabytes}mb.txt"
    articles = sorted(parts[0].glob("*.txt"))
    with big.open("wb") as out:
        i = 0
        while out.tell() < megabytes * 1_000_000:
            out.write(articles[i % len(articles)].read_text(encoding="utf-8").encode("gb18030") + b"\n")
            i += 1
    chars = len(big.read_bytes().decode("gb18030"))
    print(f"\none file: {big.stat().st_size / 1e6:.0f} MB GB18030, {chars:,} characters")
    for j in jobs:
        r = measure([big], j)
        print(
            f"  jobs {j}: {r['seconds']:.1f} s wall, {chars / r['seconds']:,.0f} chars/s, "
            f"{r['main_cpu'] + r['worker_cpu']:.0f} CPU s, {r['pieces']} pieces, main {r['main_mb']:.0f} MB, "
            f"largest worker {r['worker_mb']:.0f} MB",
            flush=True,
        )
        print(f"    last progress line: {r['progress'][0] if r['progress'] else ''}", flush=True)


if __name__ == "__main__":
    main()
