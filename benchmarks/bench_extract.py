"""Extraction speed, printed as ratios against jieba in the same run (not a timed test).

1. Cold start: wall time of `learn extract SEED --format json` vs. a process that only runs
   jieba.analyse.extract_tags on the same file, measured alternately, median of N rounds.
2. Throughput: chars/s of learn's extraction vs. plain jieba.cut over a >= 1M-character corpus
   of distinct sentences recombined from the available texts.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "corpus" / "xinzhi-shengchanli.txt"
TEXT = SEED if SEED.exists() else ROOT / "decks" / "sample.txt"
ROUNDS = 5


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def cold_start() -> None:
    ours = [sys.executable, "-m", "learn", "extract", str(TEXT), "--format", "json"]
    theirs = [sys.executable, "-c", "import sys, jieba.analyse; jieba.analyse.extract_tags("
              "open(sys.argv[1], encoding='utf-8').read(), topK=50)", str(TEXT)]
    _wall(ours), _wall(theirs)  # warm caches (lexicon compile, jieba cache) before measuring
    a, b = [], []
    for _ in range(ROUNDS):
        a.append(_wall(ours))
        b.append(_wall(theirs))
    print(f"cold start on {TEXT.name}: learn extract {statistics.median(a):.3f}s, "
          f"jieba extract_tags {statistics.median(b):.3f}s, ratio {statistics.median(a) / statistics.median(b):.2f} (goal <= 1.2)")


def _corpus(target_chars: int) -> str:
    """A corpus of distinct sentences: clauses of the available texts recombined at random.

    (Repeating a text verbatim would not do: extraction counts a repeated sentence once.)
    """
    import random
    import re

    base = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "decks").glob("*.txt")))
    if SEED.exists():
        base += "\n" + SEED.read_text(encoding="utf-8")
    clauses = [c for c in re.split(r"[，,。；！？\n]", base) if len(c) > 3]
    rng = random.Random(7)
    out, size = [], 0
    while size < target_chars:
        sentence = "，".join(rng.choice(clauses) for _ in range(3)) + "。"
        out.append(sentence)
        size += len(sentence)
        if len(out) % 20 == 0:
            out.append("\n")
    return "".join(out)


def throughput(target_chars: int = 1_000_000, rounds: int = 3) -> None:
    """Alternate plain jieba.cut and learn's ranking over the same corpus; medians of `rounds`."""
    import jieba

    from learn.extract import rank

    corpus = _corpus(target_chars)
    jieba.initialize()
    rank("预热。")
    theirs, ours = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in jieba.cut(corpus, HMM=False):
            pass
        theirs.append(time.perf_counter() - start)
        start = time.perf_counter()
        rank(corpus, glossary=False)
        ours.append(time.perf_counter() - start)
    n, jieba_s, ours_s = len(corpus), statistics.median(theirs), statistics.median(ours)
    print(f"throughput on {n:,} chars (median of {rounds}): jieba.cut {n / jieba_s:,.0f} chars/s, "
          f"learn {n / ours_s:,.0f} chars/s, ratio {jieba_s / ours_s:.2f} (goal >= 0.5)")


if __name__ == "__main__":
    cold_start()
    throughput()
