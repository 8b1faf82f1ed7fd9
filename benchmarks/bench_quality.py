"""Phrase quality of the background: does it tell terms from fragments and clause pieces?

    .venv/bin/python benchmarks/bench_quality.py                       # the shipped background
    .venv/bin/python benchmarks/bench_quality.py --background my.sqlite3

The check set comes from the eval texts' gold lists (benchmarks/eval/gold.tsv, every text of
catalog.tsv except the sealed ones, which this script never opens):
- terms: the gold terms (tier A and B);
- fragments: substrings of gold terms (2+ characters) that are neither a gold term nor a CC-CEDICT
  word (质生产力 of 新质生产力, 千行 of 千行百业), as score_all.py counts them;
- clause pieces: a gold term with 1..3 characters of its sentence on either side, neither a gold
  term nor a word (激发冰雪经济活力 around 冰雪经济);
- random n-grams: random 2..6-character spans of the same texts that are not gold terms (many are
  words: 发展, 经济), and those of them that are not CC-CEDICT words (random non-words).
Only strings the background holds can be scored (a phrase it lacks has no quality: that is the
extractor's business); coverage is printed. For each kind, AUC is the chance that a random gold term
scores above a random string of that kind (0.5: no separation), for the quality score and, for
comparison, for single background figures a hand rule would use. Gold terms are also split by
whether the build used them as labels (quoted, 、-series, glossary), since a labelled phrase is
scored by a model that never trained on it but its neighbours might have.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "benchmarks" / "eval"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
SEED = 7
RANDOM_PER_TEXT = 80

#: Named examples: (unit, not a unit) pairs whose order the quality score should get right.
PAIRS = [
    ("营商环境", "质生产力"),
    ("新质生产力", "质生产力"),
    ("专精特新", "精特新"),
    ("稳中求进", "坚持稳中求进"),
    ("急难愁盼", "难愁盼"),
    ("以旧换新", "旧换新"),
    ("乡村振兴", "全面推进乡村振兴"),
    ("高质量发展", "推动高质量发展"),
]


def eval_texts() -> dict[str, str]:
    """Id → simplified text of every catalogued, non-sealed eval text."""
    sys.path.insert(0, str(ROOT))
    from learn.language.lexicon import to_simplified

    out = {}
    with open(EVAL / "catalog.tsv", encoding="utf-8") as f:
        for row in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t"):
            if len(row) < 2 or row[1] == "sealed":
                continue
            path = EVAL / f"{row[0]}.txt"
            if path.is_file() and "sealed" not in path.parts:
                out[row[0]] = to_simplified(path.read_text(encoding="utf-8"))
    return out


def gold_terms(texts: Iterable[str]) -> dict[str, set[str]]:
    """Text id → its gold terms (every accepted spelling)."""
    wanted = set(texts)
    out: dict[str, set[str]] = {t: set() for t in wanted}
    with open(EVAL / "gold.tsv", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 3 and cols[0] in wanted and cols[1] in ("A", "B"):
                out[cols[0]].update(t.strip() for t in cols[2].split("|") if t.strip())
    return out


def check_set(seed: int = SEED) -> dict[str, set[str]]:
    """The strings to score, by kind: terms, fragments, clause pieces, random n-grams."""
    from learn.language.lexicon import headwords

    texts = eval_texts()
    gold_by_text = gold_terms(texts)
    gold = {t for terms in gold_by_text.values() for t in terms if HAN.fullmatch(t) and len(t) >= 2}
    words = headwords()
    rng = random.Random(seed)
    fragments = {
        term[i:j]
        for term in gold
        for i in range(len(term))
        for j in range(i + 2, len(term) + 1)
        if (i, j) != (0, len(term))
    }
    pieces: set[str] = set()
    randoms: set[str] = set()
    for text_id, text in sorted(texts.items()):
        runs = HAN.findall(text)
        for run in runs:
            for term in gold_by_text[text_id]:
                for m in re.finditer(re.escape(term), run):
                    for left in range(4):
                        for right in range(4):
                            if left or right:
                                pieces.add(run[max(0, m.start() - left) : m.end() + right])
        spans = [r for r in runs if len(r) >= 2]
        for _ in range(RANDOM_PER_TEXT if spans else 0):
            run = rng.choice(spans)
            size = rng.randint(2, min(6, len(run)))
            start = rng.randint(0, len(run) - size)
            randoms.add(run[start : start + size])
    return {
        "terms": gold,
        "fragments": {f for f in fragments if f not in gold and f not in words},
        "clause pieces": {p for p in pieces if p not in gold and p not in words and len(p) >= 3},
        "random n-grams": randoms - gold,
        "random non-words": randoms - gold - words,
    }


def auc(positive: list[float], negative: list[float]) -> float:
    """P(a random positive scores above a random negative), ties counting half (Mann-Whitney)."""
    if not positive or not negative:
        return float("nan")
    scored = sorted([(v, 1) for v in positive] + [(v, 0) for v in negative])
    rank_sum, i = 0.0, 0
    while i < len(scored):
        j = i
        while j < len(scored) and scored[j][0] == scored[i][0]:
            j += 1
        average = (i + j + 1) / 2  # ranks i+1..j
        rank_sum += average * sum(1 for k in range(i, j) if scored[k][1])
        i = j
    n_pos, n_neg = len(positive), len(negative)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def separation(kinds: dict[str, set[str]], score: Callable[[str], float | None]) -> dict[str, float]:
    """AUC of terms against each other kind, over the strings `score` gives a value."""
    values = {kind: [v for s in sorted(strings) if (v := score(s)) is not None] for kind, strings in kinds.items()}
    others = [k for k in kinds if k != "terms"]
    out = {kind: auc(values["terms"], values[kind]) for kind in others}
    out["all"] = auc(values["terms"], [v for k in others for v in values[k]])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--background", help="a background file (default: the shipped one)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from learn.background.model import load

    bg = load(args.background)
    kinds = check_set()
    stats = bg.lookup(s for strings in kinds.values() for s in strings)
    if all(s.quality is None for s in stats.values()):
        raise SystemExit(f"{bg.path}: no quality score in this background")
    print(f"background {bg.path.name}: {bg.phrases:,} phrases; {bg.meta.get('quality', '')}")
    for kind, strings in kinds.items():
        print(f"  {kind:15s} {len(strings):6,} strings, {sum(s in stats for s in strings):6,} in the background")
    figures: dict[str, Callable[[str], float | None]] = {
        "quality": lambda s: stats[s].quality if s in stats else None,
        "fragment test (1 - top share)": lambda s: (
            1 - max(stats[s].left_top_share, stats[s].right_top_share) if s in stats else None
        ),
        "lower neighbour entropy": lambda s: min(stats[s].left_entropy, stats[s].right_entropy) if s in stats else None,
        "count": lambda s: stats[s].count if s in stats else None,
    }
    kinds_order = [k for k in kinds if k != "terms"] + ["all"]
    print(f"\nAUC, gold terms against {', '.join(kinds_order)}:")
    for name, score in figures.items():
        result = separation(kinds, score)
        print(f"  {name:32s} " + "  ".join(f"{k} {result[k]:.3f}" for k in kinds_order))
    labelled = {s for s, st in stats.items() if st.quoted >= 2 or st.series >= 2}
    from learn.background.quality import glossary_terms

    labelled |= set(glossary_terms())
    print("\nthe same, gold terms split by whether the build used them as labels (quoted, 、-series, glossary):")
    for name, terms in (("labels", kinds["terms"] & labelled), ("not labels", kinds["terms"] - labelled)):
        scored = sum(t in stats for t in terms)
        for figure in ("quality", "lower neighbour entropy"):
            result = separation({**kinds, "terms": terms}, figures[figure])
            print(f"  {name} ({scored}), {figure:24s} " + "  ".join(f"{k} {result[k]:.3f}" for k in kinds_order))
    print("\nnamed pairs (unit > not a unit):")
    pairs = bg.lookup(w for pair in PAIRS for w in pair)
    right = 0
    for unit, other in PAIRS:
        a, b = (pairs[w].quality if w in pairs else None for w in (unit, other))
        ok = a is not None and b is not None and a > b
        right += ok
        print(f"  {'ok ' if ok else 'NO '} {unit} {a}  >  {other} {b}")
    print(f"  {right}/{len(PAIRS)} in the right order")


if __name__ == "__main__":
    main()
