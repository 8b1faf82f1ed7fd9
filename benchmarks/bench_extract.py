"""Extraction speed on real news, printed as ratios against jieba in the same run (not a timed test).

Real text: the daily 新闻联播 transcripts in ../shared/corpus/background/xwlb (read from there, never
copied; our own sample texts stand in when the folder is absent).

1. Cold start: wall time of `learn extract SEED --format json` vs. a process that only runs
   jieba.analyse.extract_tags on the same file, measured alternately, median of ROUNDS.
2. Per article: each daily file on its own, through the public learn.terms.rank (annotation included)
   and through learn.terms.rank.rank, in chars/s against jieba.cut over the same files.
3. One long text: the files joined into one text, 25k … 1M characters, rank vs jieba.cut, and how the
   time grows each time the text doubles (goal: ≤ 2.2×).
4. Corpus mode: `learn extract FOLDER --jobs N` on ~2M characters, chars/s and peak memory.
5. Synthetic (labelled as such): clauses of our own texts recombined at random, as measured before.

usage: python benchmarks/bench_extract.py [cold|articles|long|corpus|synthetic ...]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "corpus" / "xinzhi-shengchanli.txt"
XWLB = ROOT.parent / "shared" / "corpus" / "background" / "xwlb"
TEXT = SEED if SEED.exists() else ROOT / "decks" / "sample.txt"
ROUNDS = 5
ARTICLES = int(os.environ.get("BENCH_ARTICLES", 200))  # daily files measured (fewer for a quick look)


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _wall(cmd: list[str]) -> float:
    # bytecode as a user has it: the installed jieba comes compiled, and learn (installed editable)
    # writes its own on the first run; PYTHONDONTWRITEBYTECODE in the caller's shell would make every
    # measured start compile all of learn again (about 0.06 s of CPU) and nothing of jieba
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    return time.perf_counter() - start


def real_files(limit: int = ARTICLES) -> list[Path]:
    """The first `limit` daily files of the news corpus, or our own texts when it is absent."""
    if XWLB.is_dir():
        return sorted(XWLB.glob("*.txt"))[:limit]
    print(f"note: {XWLB} is absent; measuring our own sample texts instead (small, so figures are rough)")
    return sorted((ROOT / "decks").glob("*.txt")) + sorted((ROOT / "benchmarks" / "eval").glob("*.txt"))


def _jieba_seconds(texts: list[str]) -> float:
    import jieba

    start = time.perf_counter()
    for text in texts:
        for _ in jieba.cut(text, HMM=False):
            pass
    return time.perf_counter() - start


def _seconds(function, texts: list[str]) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for text in texts:
        function(text)
    return time.perf_counter() - start


def _cpu_seconds(function, texts: list[str]) -> float:  # type: ignore[no-untyped-def]
    """CPU time of this process: on a machine others load, wall time also counts their share."""
    start = time.process_time()
    for text in texts:
        function(text)
    return time.process_time() - start


def _jieba_cut(text: str) -> None:
    import jieba

    for _ in jieba.cut(text, HMM=False):
        pass


def _warm() -> None:
    import jieba

    from learn.terms.rank import extract, rank

    jieba.initialize()
    rank("预热的句子。")
    extract("新质生产力是预热用的句子。")


def cold_start() -> None:
    ours = [sys.executable, "-m", "learn", "extract", str(TEXT), "--format", "json"]
    theirs = [
        sys.executable,
        "-c",
        "import sys, jieba.analyse; jieba.analyse.extract_tags(open(sys.argv[1], encoding='utf-8').read(), topK=50)",
        str(TEXT),
    ]
    _wall(ours), _wall(theirs)  # warm caches (lexicon compile, jieba cache) before measuring
    a, b, cpu_a, cpu_b = [], [], [], []
    for _ in range(ROUNDS):
        for cmd, wall, cpu in ((ours, a, cpu_a), (theirs, b, cpu_b)):
            before = _cpu_of_children()
            wall.append(_wall(cmd))
            cpu.append(_cpu_of_children() - before)
    print(
        f"cold start on {TEXT.name}: learn extract {statistics.median(a):.3f}s, "
        f"jieba extract_tags {statistics.median(b):.3f}s, ratio {statistics.median(a) / statistics.median(b):.2f} (goal <= 1.2)"
    )
    # on a machine others load, wall time waits for the CPU; the CPU time of each process does not
    print(
        f"  CPU seconds (least of {ROUNDS}): learn extract {min(cpu_a):.3f}, jieba {min(cpu_b):.3f}, "
        f"ratio {min(cpu_a) / min(cpu_b):.2f}; load average now {os.getloadavg()[0]:.1f}"
    )


def articles() -> None:
    """Each daily file as its own text: what a learner dropping in one article gets."""
    from learn.terms.rank import extract, rank

    texts = [p.read_text(encoding="utf-8") for p in real_files()]
    n = sum(map(len, texts))
    _warm()
    jieba_s = _jieba_seconds(texts)
    rank_s = _seconds(lambda t: rank(t, glossary=False), texts)
    public_s = _seconds(extract, texts)
    print(
        f"per article ({len(texts)} texts, {n:,} chars): jieba.cut {n / jieba_s:,.0f} chars/s; "
        f"rank {n / rank_s:,.0f} chars/s, ratio {jieba_s / rank_s:.2f} (goal >= 0.13, aim 0.25); "
        f"extract with annotation {n / public_s:,.0f} chars/s, ratio {jieba_s / public_s:.2f}"
    )
    # the same in CPU seconds of this process, each measured right after jieba's (load changes slowly)
    jieba_cpu = _cpu_seconds(_jieba_cut, texts)
    rank_cpu = _cpu_seconds(lambda t: rank(t, glossary=False), texts)
    jieba_cpu2 = _cpu_seconds(_jieba_cut, texts)
    public_cpu = _cpu_seconds(extract, texts)
    print(
        f"  CPU seconds: jieba.cut {jieba_cpu:.2f} / {jieba_cpu2:.2f}, rank {rank_cpu:.2f} (ratio "
        f"{jieba_cpu / rank_cpu:.3f}), extract with annotation {public_cpu:.2f} (ratio {jieba_cpu2 / public_cpu:.3f}); "
        f"load average now {os.getloadavg()[0]:.1f}"
    )


def long_text() -> None:
    """The files joined into one text, doubling from 25k to 1M characters."""
    from learn.terms.rank import rank

    joined = "\n".join(p.read_text(encoding="utf-8") for p in real_files(400))
    _warm()
    sizes = [25_000, 50_000, 100_000, 200_000, 400_000, 1_000_000]
    previous = None
    print("one long text:  chars     rank s   chars/s   jieba chars/s  ratio  growth")
    for size in sizes:
        text = joined[:size]
        if len(text) < size:
            print(f"  {size:>9,}: only {len(text):,} characters available; stopping")
            break
        ours = _seconds(lambda t: rank(t, glossary=False), [text])
        theirs = _jieba_seconds([text])
        growth = f"{ours / previous[1]:.2f}x for {size / previous[0]:.1f}x text" if previous else ""
        print(f"  {size:>13,} {ours:8.2f} {size / ours:9,.0f} {size / theirs:14,.0f} {theirs / ours:6.2f}  {growth}")
        previous = (size, ours)
    print("  goals: ratio >= 0.4 at 1M; time at most ~2.2x when the text doubles")


def corpus_mode(target_chars: int = 2_000_000) -> None:
    """`learn extract FOLDER --jobs N` as a user runs it: wall time and peak memory of the process tree."""
    files, size = [], 0
    for p in real_files(2000):
        files.append(p)
        size += len(p.read_text(encoding="utf-8"))
        if size >= target_chars:
            break
    with tempfile.TemporaryDirectory() as folder:
        for p in files:
            (Path(folder) / p.name).symlink_to(p.resolve())
        for jobs in (1, 2):
            cmd = [
                sys.executable,
                "-m",
                "learn",
                "extract",
                folder,
                "--jobs",
                str(jobs),
                "--format",
                "json",
                "--top",
                "100",
            ]
            code = (
                "import resource, subprocess, sys, time; t = time.perf_counter(); "
                "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
                "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
            )
            out = subprocess.run(
                [sys.executable, "-c", code, *cmd], check=True, capture_output=True, text=True, cwd=ROOT
            )
            seconds, peak_kb = out.stdout.split()
            seconds = float(seconds)
            print(
                f"corpus mode, {len(files)} files, {size:,} chars, --jobs {jobs}: {seconds:.1f}s, "
                f"{size / seconds:,.0f} chars/s, peak memory of one process {int(peak_kb) / 1024:.0f} MB"
            )


def synthetic(target_chars: int = 1_000_000) -> None:
    """SYNTHETIC: clauses of our own few texts recombined at random (a small vocabulary flatters us)."""
    import random
    import re

    from learn.terms.rank import rank

    base = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "decks").glob("*.txt")))
    clauses = [c for c in re.split(r"[，,。；！？\n]", base) if len(c) > 3]
    rng = random.Random(7)
    out, size = [], 0
    while size < target_chars:
        sentence = "，".join(rng.choice(clauses) for _ in range(3)) + "。"
        out.append(sentence + ("\n" if len(out) % 20 == 19 else ""))
        size += len(sentence)
    corpus = "".join(out)
    _warm()
    ours = _seconds(lambda t: rank(t, glossary=False), [corpus])
    theirs = _jieba_seconds([corpus])
    print(
        f"synthetic (recombined clauses of our own texts, {len(corpus):,} chars): "
        f"learn {len(corpus) / ours:,.0f} chars/s, jieba.cut {len(corpus) / theirs:,.0f} chars/s, ratio {theirs / ours:.2f}"
    )


PARTS = {"cold": cold_start, "articles": articles, "long": long_text, "corpus": corpus_mode, "synthetic": synthetic}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(PARTS):
        PARTS[name]()
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
