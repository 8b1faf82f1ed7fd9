#!/usr/bin/env python3
"""Score composed glosses against composed_glosses.tsv: does each part of a term take the sense
its text means (运动 "sports" or "campaign", not "to move"; 企 "enterprise", not "to look forward to")?

Each term is annotated as `learn extract --no-glossary` annotates it (learn.annotate with the
sentences of its eval text, glossary off). A part is right when the term is split there and its
gloss contains one of the accepted alternatives at a word start (`-`: an empty gloss is right).

usage: python benchmarks/eval/score_glosses.py [--misses]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLE = HERE / "composed_glosses.tsv"


@dataclass
class Row:
    text_id: str
    term: str
    parts: list[tuple[str, list[str]]]  # (part, accepted alternatives)


def rows() -> list[Row]:
    out = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text_id, term, *parts = line.split("\t")
        out.append(Row(text_id, term, [(p.split("=", 1)[0], p.split("=", 1)[1].split("|")) for p in parts]))
    return out


def accepted(gloss: str, alternatives: list[str]) -> bool:
    gloss = gloss.lower()
    return any(
        (alt == "-" and not gloss) or (alt != "-" and re.search(r"(?<![a-z])" + re.escape(alt.lower()), gloss))
        for alt in alternatives
    )


def score_row(row: Row, got: list[tuple[str, str]]) -> list[tuple[str, str, bool]]:
    """(part, gloss given, right) for each expected part, matched by position in the term."""
    spans = {}
    at = 0
    for text, gloss in got:
        spans[(at, text)] = gloss
        at += len(text)
    out, at = [], 0
    for text, alternatives in row.parts:
        gloss = spans.get((at, text))
        out.append(
            (text, gloss if gloss is not None else "(not a part)", gloss is not None and accepted(gloss, alternatives))
        )
        at += len(text)
    return out


def composed_parts(row: Row) -> list[tuple[str, str]]:
    """The parts learn gives the term in its text, glossary off."""
    sys.path.insert(0, str(HERE.parents[1]))
    from learn import annotate

    try:
        from learn.read.text import sentences
    except ImportError:
        from learn.text import sentences  # type: ignore[no-redef]
    entry = annotate(row.term, sentences=_sentences(row.text_id, sentences), glossary=False)
    return [(p.text, p.gloss) for p in entry.parts]


_CACHE: dict[str, list[str]] = {}


def _sentences(text_id: str, split) -> list[str]:  # type: ignore[no-untyped-def]
    if text_id not in _CACHE:
        _CACHE[text_id] = split((HERE / f"{text_id}.txt").read_text(encoding="utf-8"))
    return _CACHE[text_id]


def score(show_misses: bool = False) -> tuple[int, int, list[str]]:
    """(right parts, parts, the terms with every part right)."""
    right = total = 0
    perfect = []
    for row in rows():
        result = score_row(row, composed_parts(row))
        right += sum(ok for _, _, ok in result)
        total += len(result)
        if all(ok for _, _, ok in result):
            perfect.append(row.term)
        elif show_misses:
            shown = " + ".join(f"{t}“{g}”{'' if ok else '✗'}" for t, g, ok in result)
            print(f"  {row.text_id:<10} {row.term}: {shown}")
    return right, total, perfect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="print the terms with a wrong part")
    args = parser.parse_args()
    right, total, perfect = score(args.misses)
    print(
        f"composed glosses: {right}/{total} parts right ({100 * right / total:.1f}%), "
        f"{len(perfect)}/{len(rows())} terms with every part right"
    )


if __name__ == "__main__":
    main()
