"""Pinyin notation: one syllable in tone marks, tone numbers or zhuyin, and back.

Pure spelling, no dictionary: the lexicon (citation readings) and the reader (in-context readings)
both write syllables with these.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_MARKS = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "v": "ǖǘǚǜ"}
_UNMARK = {m: (base, n) for base, marks in _MARKS.items() for n, m in enumerate(marks, 1)}


def is_han(ch: str) -> bool:
    return bool(HAN.match(ch))


def normalise_numbered(syllable: str) -> str:
    """CC-CEDICT syllable → our numbered form: lower case, ü as v, neutral tone 5 (lu:4 → lv4)."""
    s = syllable.lower().replace("u:", "v").replace("ü", "v")
    if s == "r5" or s == "r":
        return "r5"
    return s if s[-1:].isdigit() else s + "5"


@lru_cache(maxsize=8192)
def numbered_to_marks(syllable: str) -> str:
    """xin1 → xīn, lv4 → lǜ, zi5 → zi (standard placement: a/e first, then the o of ou, else the last vowel)."""
    m = re.fullmatch(r"([a-zv:]+)([1-5])", syllable.lower())
    if not m:
        return syllable
    body, tone = m.group(1).replace("u:", "v"), int(m.group(2))
    if tone == 5:
        return body.replace("v", "ü")
    for vowel in ("a", "e"):
        if vowel in body:
            idx = body.index(vowel)
            break
    else:
        idx = body.index("o") if "ou" in body else max((i for i, c in enumerate(body) if c in "aeiouv"), default=-1)
    if idx < 0:
        return body
    marked = body[:idx] + _MARKS[body[idx]][tone - 1] + body[idx + 1 :]
    return marked.replace("v", "ü")


def marks_to_numbered(syllable: str) -> str:
    """xīn → xin1, lǜ → lv4, zi → zi5."""
    tone, out = 5, []
    for ch in unicodedata.normalize("NFC", syllable.lower()):
        if ch in _UNMARK:
            base, tone = _UNMARK[ch]
            out.append(base)
        else:
            out.append("v" if ch == "ü" else ch)
    return "".join(out) + str(tone)


@lru_cache(maxsize=1)
def _bopomofo() -> Any:
    from pypinyin.style.bopomofo import BopomofoConverter

    return BopomofoConverter()


@lru_cache(maxsize=8192)
def numbered_to_zhuyin(syllable: str) -> str:
    """xin1 → ㄒㄧㄣ, zhi4 → ㄓˋ, zi5 → ˙ㄗ (pypinyin's BOPOMOFO style, but the neutral-tone dot
    before the syllable, as Taiwan writes it; pypinyin puts it after)."""
    if not re.fullmatch(r"[a-z]+[1-5]", syllable):
        return syllable
    if syllable == "r5":  # the erhua 儿 written as its own syllable is ㄦ (pypinyin: ㄖ)
        return "˙ㄦ"
    zh = str(_bopomofo().to_bopomofo(numbered_to_marks(syllable)))
    return "˙" + zh.replace("˙", "") if syllable[-1] == "5" else zh


def spellings(numbered: list[str]) -> tuple[str, str, str]:
    """(tone marks, numbered, zhuyin) strings, one space between syllables."""
    return (
        " ".join(numbered_to_marks(s) for s in numbered),
        " ".join(numbered),
        " ".join(numbered_to_zhuyin(s) for s in numbered),
    )
