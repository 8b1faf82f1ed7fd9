#!/usr/bin/env python3
"""How far two teachers agree on the gold of one text: the ceiling any extractor is judged under.

Eight texts of the 2026-12 set were labelled a second time, blind, by another writer
(benchmarks/eval/agreement/<text id>.<labeller>.tsv; same columns as gold.tsv). For each text this
prints, taking the first gold as reference and the second labelling as a "system":
  A_in_A     reference tier-A terms the second labeller also put in tier A
  A_in_AB    reference tier-A terms the second labeller listed at all (A or B)
  AB_F1      F1 of the two A+B lists
and the totals. Two rows match when their accepted spellings share one.

usage: python benchmarks/eval/agreement.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def read_gold(path: Path) -> list[tuple[str, str, set[str]]]:
    """(text id, tier, accepted spellings) of every row of a gold file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text_id, tier, terms, *_ = line.split("\t")
            rows.append((text_id, tier, set(terms.split("|"))))
    return rows


def matched(row: set[str], others: list[set[str]]) -> bool:
    return any(row & other for other in others)


def compare(reference: list[tuple[str, str, set[str]]], second: list[tuple[str, str, set[str]]]) -> dict:
    ref_a = [t for _, tier, t in reference if tier == "A"]
    sec_a = [t for _, tier, t in second if tier == "A"]
    ref_all = [t for *_, t in reference]
    sec_all = [t for *_, t in second]
    both = sum(matched(t, sec_all) for t in ref_all)
    precision, recall = both / len(sec_all), both / len(ref_all)
    return dict(
        A_in_A=(sum(matched(t, sec_a) for t in ref_a), len(ref_a)),
        A_in_AB=(sum(matched(t, sec_all) for t in ref_a), len(ref_a)),
        AB_F1=round(2 * precision * recall / (precision + recall), 3) if both else 0.0,
        AB_shared=(both, len(ref_all), len(sec_all)),
    )


def main() -> int:
    gold = read_gold(HERE / "gold.tsv") + (
        read_gold(HERE / "sealed" / "gold.tsv") if (HERE / "sealed" / "gold.tsv").exists() else []
    )
    totals = dict(A_in_A=[0, 0], A_in_AB=[0, 0])
    f1s = []
    for path in sorted((HERE / "agreement").glob("*.tsv")):
        text_id, labeller = path.stem.rsplit(".", 1)
        line = compare([r for r in gold if r[0] == text_id], read_gold(path))
        print(json.dumps(dict(text=text_id, second=labeller, **line), ensure_ascii=False))
        for key in totals:
            totals[key] = [a + b for a, b in zip(totals[key], line[key], strict=True)]
        f1s.append(line["AB_F1"])
    if f1s:
        a_a, a_ab = totals["A_in_A"], totals["A_in_AB"]
        print(
            json.dumps(
                dict(
                    text="total",
                    A_in_A=f"{a_a[0]}/{a_a[1]} = {a_a[0] / a_a[1]:.0%}",
                    A_in_AB=f"{a_ab[0]}/{a_ab[1]} = {a_ab[0] / a_ab[1]:.0%}",
                    AB_F1_mean=round(sum(f1s) / len(f1s), 3),
                )
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
