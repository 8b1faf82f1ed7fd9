"""Benchmark: build a 5,000-note Anki deck (all four card types) from synthetic entries.

Goal (issue 3): ≤ 5 s on the project machine. Prints the build time, the package size and,
when the `anki` package is installed, how long Anki takes to import the result.

    .venv/bin/python benchmarks/bench_deck.py [NOTES]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from learn.deck import build_deck
from learn.entry import Entry, Example, Part

SYLLABLES = [
    ("xin", "xīn ", 1),
    ("zhi", "zhì ", 4),
    ("sheng", "shēng ", 1),
    ("chan", "chǎn ", 3),
    ("li", "lì ", 4),
    ("yin", "yín ", 2),
    ("fa", "fà ", 4),
    ("jing", "jīng ", 1),
    ("ji", "jì ", 4),
    ("lian", "liàn ", 4),
    ("zhang", "zhǎng ", 3),
    ("de", "de ", 5),
]
HAN = "新质生产力银发经济链长的高端智能绿色发展创新转型升级数字服务"


def synthetic_entries(n: int, seed: int = 1) -> list[Entry]:
    """`n` distinct, fully annotated entries (every card type has what it needs)."""
    rng = random.Random(seed)
    out: list[Entry] = []
    seen: set[str] = set()
    while len(out) < n:
        length = rng.randint(2, 5)
        word = "".join(rng.choice(HAN) for _ in range(length))
        syl = [rng.choice(SYLLABLES) for _ in range(length)]
        numbered = " ".join(f"{s[0]}{s[2]}" for s in syl)
        if f"{word}|{numbered}" in seen:
            continue
        seen.add(f"{word}|{numbered}")
        marks = "".join(s[1] for s in syl).strip()
        sentence = f"我们要加快发展{word}，推动{word}和经济社会协调发展。"
        out.append(
            Entry(
                simplified=word,
                traditional=word,
                pinyin=marks,
                pinyin_numbered=numbered,
                zhuyin=" ".join("ㄒㄧㄣ" for _ in syl),
                definitions=[f"meaning {len(out)}", "second sense"],
                kind=rng.choice(["word", "term", "idiom"]),
                hsk=rng.choice([None, 3, 7]),
                score=float(n - len(out)),
                examples=[Example(sentence, "wǒ men yào jiā kuài fā zhǎn " + marks, sentence)],
                source=f"text{len(out) % 3}.txt",
                gloss_source="composed",
                parts=[Part(word[:1], syl[0][1].strip(), "part gloss")],
            )
        )
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    entries = synthetic_entries(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.apkg"
        start = time.perf_counter()
        build_deck(entries, path, name="bench")
        seconds = time.perf_counter() - start
        print(
            f"build_deck: {n} words → {2 * n} notes (composed glosses: no Recall cards) in {seconds:.2f} s "
            f"({path.stat().st_size / 1e6:.1f} MB); goal ≤ 5 s for 5,000 notes"
        )
        try:
            from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
        except ImportError:
            return
        col = Collection(str(Path(tmp) / "c.anki2"))
        start = time.perf_counter()
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions()))
        print(f"anki import: {col.note_count()} notes, {col.card_count()} cards in {time.perf_counter() - start:.2f} s")
        col.close()


if __name__ == "__main__":
    main()
