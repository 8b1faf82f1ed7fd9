"""Pinyin notation: one syllable in tone marks, tone numbers or zhuyin, and back.

Pure spelling, no dictionary: the lexicon (citation readings) and the reader (in-context readings)
both write syllables with these.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


_INITIALS = {"b": "ㄅ", "p": "ㄆ", "m": "ㄇ", "f": "ㄈ", "d": "ㄉ", "t": "ㄊ", "n": "ㄋ", "l": "ㄌ", "g": "ㄍ",
             "k": "ㄎ", "h": "ㄏ", "j": "ㄐ", "q": "ㄑ", "x": "ㄒ", "zh": "ㄓ", "ch": "ㄔ", "sh": "ㄕ", "r": "ㄖ",
             "z": "ㄗ", "c": "ㄘ", "s": "ㄙ"}  # fmt: skip
_FINALS = {"a": "ㄚ", "o": "ㄛ", "e": "ㄜ", "ê": "ㄝ", "ai": "ㄞ", "ei": "ㄟ", "ao": "ㄠ", "ou": "ㄡ", "an": "ㄢ",
           "en": "ㄣ", "ang": "ㄤ", "eng": "ㄥ", "er": "ㄦ", "ong": "ㄨㄥ", "i": "ㄧ", "ia": "ㄧㄚ", "io": "ㄧㄛ",
           "ie": "ㄧㄝ", "iao": "ㄧㄠ", "iu": "ㄧㄡ", "ian": "ㄧㄢ", "in": "ㄧㄣ", "iang": "ㄧㄤ", "ing": "ㄧㄥ",
           "iong": "ㄩㄥ", "u": "ㄨ", "ua": "ㄨㄚ", "uo": "ㄨㄛ", "uai": "ㄨㄞ", "ui": "ㄨㄟ", "uan": "ㄨㄢ",
           "un": "ㄨㄣ", "uang": "ㄨㄤ", "ueng": "ㄨㄥ", "v": "ㄩ", "ve": "ㄩㄝ", "van": "ㄩㄢ", "vn": "ㄩㄣ"}  # fmt: skip
# y and w spell a final with no initial (yi ㄧ, wu ㄨ, yu ㄩ); zhi … si are the initial alone
_SPELLED = {"yi": "i", "ya": "ia", "yo": "io", "ye": "ie", "yao": "iao", "you": "iu", "yan": "ian", "yin": "in",
            "yang": "iang", "ying": "ing", "yong": "iong", "yu": "v", "yue": "ve", "yuan": "van", "yun": "vn",
            "wu": "u", "wa": "ua", "wo": "uo", "wai": "uai", "wei": "ui", "wan": "uan", "wen": "un",
            "wang": "uang", "weng": "ueng", "wong": "ueng"}  # fmt: skip
_INTERJECTIONS = {"hm": "ㄏㄇ", "hng": "ㄏㄋㄍ", "ng": "ㄋㄍ"}  # 噷, 哼, 嗯 as pypinyin spells them
_TONE_SIGNS = {"1": "", "2": "ˊ", "3": "ˇ", "4": "ˋ", "5": ""}


def _zhuyin_body(body: str) -> str | None:
    """The bopomofo of a toneless syllable (ü written v), None for one outside the table."""
    if body in _SPELLED:
        return _FINALS[_SPELLED[body]]
    if body in _INTERJECTIONS:
        return _INTERJECTIONS[body]
    if body in ("zhi", "chi", "shi", "ri", "zi", "ci", "si"):
        return _INITIALS[body[:-1]]
    initial = next((i for i in ("zh", "ch", "sh") if body.startswith(i)), body[:1])
    if initial not in _INITIALS:
        return _FINALS.get(body)
    final = body[len(initial) :]
    if initial in ("j", "q", "x") and final.startswith("u"):
        final = "v" + final[1:]  # ju is jü
    return _INITIALS[initial] + _FINALS[final] if final in _FINALS else (_INITIALS[initial] if not final else None)


@lru_cache(maxsize=8192)
def numbered_to_zhuyin(syllable: str) -> str:
    """xin1 → ㄒㄧㄣ, zhi4 → ㄓˋ, zi5 → ˙ㄗ (the tone sign after the syllable, as pypinyin's
    BOPOMOFO style writes it, but the neutral-tone dot before it, as Taiwan writes it). Our own
    table: a reading written in zhuyin needs no pypinyin (and none of its start-up cost)."""
    if not re.fullmatch(r"[a-z]+[1-5]", syllable):
        return syllable
    if syllable == "r5":  # the erhua 儿 written as its own syllable is ㄦ
        return "˙ㄦ"
    body = _zhuyin_body(syllable[:-1])
    if body is None:
        return syllable
    return "˙" + body if syllable[-1] == "5" else body + _TONE_SIGNS[syllable[-1]]


def spellings(numbered: list[str]) -> tuple[str, str, str]:
    """(tone marks, numbered, zhuyin) strings, one space between syllables."""
    return (
        " ".join(numbered_to_marks(s) for s in numbered),
        " ".join(numbered),
        " ".join(numbered_to_zhuyin(s) for s in numbered),
    )
