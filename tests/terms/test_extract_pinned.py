"""The top 80 of the seed and the sample texts, pinned: a speed-up must not change what is found.

A deliberate change to extraction regenerates the pin (`python tests/terms/test_extract_pinned.py`)
and says why in its commit; an accidental one fails here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = Path(__file__).parents[1] / "data" / "extract_top80.json"
SEED = ROOT.parent / "shared" / "corpus" / "xinzhi-shengchanli.txt"
TEXTS = {"sample": ROOT / "decks" / "sample.txt", "sample2": ROOT / "decks" / "sample2.txt", "seed": SEED}


def top80(path: Path, glossary: bool) -> list[list[str]]:
    from learn.terms.rank import rank

    _, scored = rank(path.read_text(encoding="utf-8"), glossary=glossary)
    return [[cand.text, kind] for cand, kind, _, _ in scored[:80]]


@pytest.mark.parametrize("glossary", [True, False], ids=["glossary", "no-glossary"])
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_top80_is_pinned(name: str, glossary: bool) -> None:
    path = TEXTS[name]
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared not beside the repository)")
    pinned = json.loads(PIN.read_text(encoding="utf-8"))[f"{name}-{'glossary' if glossary else 'no-glossary'}"]
    assert top80(path, glossary) == pinned


if __name__ == "__main__":  # regenerate the pin after a deliberate change
    out = {
        f"{name}-{'glossary' if g else 'no-glossary'}": top80(path, g)
        for name, path in sorted(TEXTS.items())
        if path.exists()
        for g in (True, False)
    }
    PIN.write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {PIN} ({len(out)} lists)", file=sys.stderr)
