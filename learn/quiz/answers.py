"""Answers: reading what a learner typed as pinyin and judging it against the expected reading.

Learners write pinyin many ways: tone numbers (xin1zhi4), tone marks (xīnzhì), with or without
spaces, ü as v, u: or ü, capital letters. All of these are read into (syllable, tone) pairs and
compared with the entry's numbered reading. The syllables are not segmented on their own (that is
ambiguous: xian = xi'an or xian); instead the typed letters must equal the expected letters, and
the expected syllable boundaries then say which tone belongs to which syllable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Combining marks after NFD decomposition → tone number.
_MARK_TONES = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_DIAERESIS = "\u0308"
_SYLLABLE = re.compile(r"^([a-z]*[aeiouv][a-z]*|r|m|n|ng|hm|hng)([0-5]?)$")


@dataclass(frozen=True)
class Verdict:
    """The judgement of one typed answer; `tones_only` marks right syllables with wrong tones."""

    correct: bool
    message: str
    tones_only: bool = False


def split_numbered(numbered: str) -> list[tuple[str, int]]:
    """'xin1 zhi4' → [('xin', 1), ('zhi', 4)]; no digit or 0 means the neutral tone (5)."""
    out = []
    for token in numbered.lower().replace("ü", "v").replace("u:", "v").split():
        m = _SYLLABLE.match(token)
        if not m:
            raise ValueError(f"not a numbered pinyin syllable: {token!r}")
        tone = int(m.group(2) or 5)
        out.append((_canonical(m.group(1)), tone if tone else 5))
    return out


def is_pinyin(numbered: str) -> bool:
    """True when every token of a numbered reading is a pinyin syllable (not '5G', not empty)."""
    try:
        return bool(split_numbered(numbered))
    except ValueError:
        return False


def _canonical(letters: str) -> str:
    """One spelling per syllable: ü is v, except after j q x y where pinyin writes it u."""
    return re.sub(r"(?<=[jqxy])v", "u", letters)


def _letters_and_tones(typed: str) -> tuple[str, dict[int, int]]:
    """Letters of the typed answer (a–z, v for ü) and tones keyed by the index of the letter they follow.

    A tone mark belongs to the letter it sits on, a digit to the letter before it.
    """
    text = unicodedata.normalize("NFKD", typed.strip().lower()).replace("u:", "v")
    letters: list[str] = []
    tones: dict[int, int] = {}
    for ch in text:
        if "a" <= ch <= "z":
            letters.append(ch)
        elif ch == _DIAERESIS and letters and letters[-1] == "u":
            letters[-1] = "v"
        elif ch in _MARK_TONES and letters:
            tones[len(letters) - 1] = _MARK_TONES[ch]
        elif ch in "012345" and letters:
            tones[len(letters) - 1] = int(ch) or 5
        elif ch.isspace() or ch in "'’-·.,":
            continue
        else:
            raise ValueError(f"unexpected character {ch!r}")
    return "".join(letters), tones


def read_typed(typed: str, expected: list[tuple[str, int]]) -> list[tuple[str, int]] | None:
    """The typed answer as (syllable, tone) pairs cut at the expected boundaries, or None.

    None means the letters differ from the expected syllables (or the input is not pinyin).
    A syllable typed without a tone reads as neutral (5).
    """
    try:
        letters, tones = _letters_and_tones(typed)
    except ValueError:
        return None
    cut: list[tuple[str, int]] = []
    start = 0
    for base, _tone in expected:
        end = start + len(base)
        piece = _canonical(letters[start:end])
        if piece != base:
            return None
        marks = [tones[i] for i in range(start, end) if i in tones]
        cut.append((piece, marks[-1] if marks else 5))
        start = end
    return cut if start == len(letters) else None


def to_marks(syllables: list[tuple[str, int]]) -> str:
    """[('xin', 1), ('zhi', 4)] → 'xīn zhì' (for showing a learner what they typed)."""
    return " ".join(_mark_syllable(base, tone) for base, tone in syllables)


_MARKED = {
    v: "".join(unicodedata.normalize("NFC", v + m) for m in ("\u0304", "\u0301", "\u030c", "\u0300")) for v in "aeiouü"
}


def _mark_syllable(base: str, tone: int) -> str:
    base = re.sub(r"(?<=[ln])v", "ü", base).replace("v", "ü")
    if tone not in (1, 2, 3, 4):
        return base
    for pattern in ("a", "e", "ou"):
        i = base.find(pattern)
        if i >= 0:
            break
    else:
        i = max(base.rfind(v) for v in "iouü")
    if i < 0:
        return base
    return base[:i] + _MARKED[base[i]][tone - 1] + base[i + 1 :]


def _echo(typed: str, limit: int = 40) -> str:
    """The learner's answer as typed, quoted (shortened when very long), for the feedback line."""
    shown = " ".join(typed.split())
    return f"“{shown if len(shown) <= limit else shown[: limit - 1] + '…'}”"


def check_pinyin(typed: str, numbered: str) -> Verdict:
    """Judge a typed reading against the expected numbered reading ('xin1 zhi4')."""
    expected = split_numbered(numbered)
    if not typed.strip():
        return Verdict(False, "No answer typed.")
    given = read_typed(typed, expected)
    if given is None:
        return Verdict(False, f"Not quite: you wrote {_echo(typed)}, it is {to_marks(expected)}.")
    if given == expected:
        return Verdict(True, f"Right: {to_marks(expected)}.")
    if all(tone == 5 for _base, tone in given):
        return Verdict(
            False, f"Right syllables, wrong tones (no tones typed): it is {to_marks(expected)}.", tones_only=True
        )
    wrong = [i + 1 for i, (g, e) in enumerate(zip(given, expected, strict=False)) if g[1] != e[1]]
    where = ", ".join(str(i) for i in wrong)
    return Verdict(
        False,
        f"Right syllables, wrong tones (syllable {where}): you wrote {to_marks(given)}, it is {to_marks(expected)}.",
        tones_only=True,
    )
