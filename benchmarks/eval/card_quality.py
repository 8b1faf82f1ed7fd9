#!/usr/bin/env python3
"""What the cards say, measured: example length, broken examples, composed glosses with a rare split.

usage: python benchmarks/eval/card_quality.py [TEXT ...] [--top 100] [--terms DIR] [--saved DIR] [--show]

For each text (default: decks/sample.txt, decks/sample2.txt, the seed article when present, and
benchmarks/eval/*.txt) it extracts the top terms and prints one JSON line:
  examples     example sentences on the cards
  short        share of them with at most 40 characters
  broken       examples that stop mid-phrase (learn.terms.examples.is_broken)
  composed     composed glosses
  rare_split   composed glosses with a rare part: a word of two or more characters that wordfreq
               rates below Zipf 3 and that jieba's own split of the term does not have (业 + 内人
               "my wife" + 士 in 业内人士; 个中 "therein" in 五个中心)
--terms DIR re-annotates the terms (and kinds) of saved `learn extract --format json` output named
DIR/<text name>.json instead of extracting again, so two versions of the annotation can be compared
on the same terms; --saved DIR only scores such saved output; --show lists every composed gloss;
--dump DIR writes the entries scored as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SEED = ROOT.parent / "shared" / "corpus" / "xinzhi-shengchanli.txt"
sys.path.insert(0, str(ROOT))


def default_texts() -> list[Path]:
    texts = [ROOT / "decks" / "sample.txt", ROOT / "decks" / "sample2.txt"]
    texts += [SEED] if SEED.exists() else []
    return texts + sorted(HERE.glob("*.txt"))


def rare_parts(entry: dict) -> list[str]:
    """Parts of a composed gloss that a reader would not have split out."""
    from learn.language import lexicon

    if entry.get("gloss_source") != "composed":
        return []
    jieba_split = set(lexicon.cut(entry["simplified"]))
    words = [p["text"] for p in entry.get("parts", []) if len(p["text"]) > 1]
    zipf = lexicon.zipf_lookup(words)
    return [w for w in words if zipf.get(w, 0.0) < 3.0 and w not in jieba_split]


def entries_for(path: Path, top: int, terms: Path | None, saved: Path | None) -> list[dict]:
    from learn.read.text import read_document, sentences
    from learn.terms.annotate import annotate
    from learn.terms.rank import extract

    if saved:
        return json.loads((saved / f"{path.stem}.json").read_text(encoding="utf-8"))
    doc = read_document(str(path))
    if not terms:
        return [e.to_dict() for e in extract(doc.text, top=top)]
    old = json.loads((terms / f"{path.stem}.json").read_text(encoding="utf-8"))
    sents = sentences(doc.text)
    return [annotate(e["simplified"], sentences=sents, kind=e["kind"]).to_dict() for e in old]


def score(name: str, entries: list[dict], show: bool) -> dict:
    from learn.terms.examples import is_broken

    examples = [x["sentence"] for e in entries for x in e.get("examples", [])]
    composed = [e for e in entries if e.get("gloss_source") == "composed"]
    rare = {e["simplified"]: rare_parts(e) for e in composed}
    if show:
        for e in entries:
            if e.get("gloss_source") in ("composed", "text") or e.get("kind") == "name":
                flag = f"  RARE {rare.get(e['simplified'])}" if rare.get(e["simplified"]) else ""
                print(f"  {e['simplified']}\t{e['kind']}\t{e['definitions'][0] if e['definitions'] else ''}{flag}")
    return {
        "text": name,
        "examples": len(examples),
        "short": round(sum(len(s) <= 40 for s in examples) / max(1, len(examples)), 3),
        "broken": sum(is_broken(s) for s in examples),
        "composed": len(composed),
        "rare_split": sum(1 for parts in rare.values() if parts),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("texts", nargs="*", type=Path)
    ap.add_argument("--top", type=int, default=100)
    ap.add_argument("--terms", type=Path)
    ap.add_argument("--saved", type=Path)
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--dump", type=Path, help="also write each text's entries as JSON into this folder")
    args = ap.parse_args()
    rows = []
    for path in args.texts or default_texts():
        if not path.exists():
            print(json.dumps({"text": path.name, "skipped": "absent"}))
            continue
        entries = entries_for(path, args.top, args.terms, args.saved)
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            (args.dump / f"{path.stem}.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
        row = score(path.stem, entries, args.show)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    n = sum(r["examples"] for r in rows)
    print(
        json.dumps(
            {
                "text": "TOTAL",
                "examples": n,
                "short": round(sum(r["short"] * r["examples"] for r in rows) / max(1, n), 3),
                "broken": sum(r["broken"] for r in rows),
                "composed": sum(r["composed"] for r in rows),
                "rare_split": sum(r["rare_split"] for r in rows),
            }
        )
    )


if __name__ == "__main__":
    main()
