"""The Entry record: the one shape every output (table, JSON, deck, quiz, handout) reads.

Data flows one way (text → candidates → entries → outputs), so outputs never
re-segment or re-annotate; anything they need lives here.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("word", "term", "idiom", "slogan", "name")

#: Tone colours used by every output (deck, quiz, handout): the widely used
#: "Dummitt" convention — 1 red, 2 orange, 3 green, 4 blue, neutral grey.
TONE_COLOURS = {1: "#e53935", 2: "#ef8a00", 3: "#2e9d3a", 4: "#1e6fd9", 5: "#8a8a8a", 0: "inherit"}


@dataclass
class Example:
    """A source sentence the term occurs in, with its reading and traditional form."""

    sentence: str
    pinyin: str = ""
    traditional: str = ""


@dataclass
class Part:
    """One piece of a composed gloss: 新质 'new-quality' in 新质生产力."""

    text: str
    pinyin: str
    gloss: str


@dataclass
class Entry:
    """A term worth learning, annotated in the context it came from."""

    simplified: str
    traditional: str = ""
    pinyin: str = ""  # tone marks, one space between syllables: "xīn zhì"
    pinyin_numbered: str = ""  # "xin1 zhi4", neutral tone 5, ü written v
    zhuyin: str = ""  # bopomofo, one space between syllables
    definitions: list[str] = field(default_factory=list)
    kind: str = "word"  # one of KINDS
    hsk: int | None = None  # 1–6, 7 for the 7–9 band, None when off-list
    zipf: float = 0.0  # wordfreq Zipf frequency (0 = unseen)
    count: int = 0  # occurrences in the source text(s)
    score: float = 0.0  # learning value; higher first
    examples: list[Example] = field(default_factory=list)
    source: str = ""
    gloss_source: str = ""  # cedict | glossary | composed | text (a name, as the text describes it) | teacher | ""
    parts: list[Part] = field(default_factory=list)  # filled when gloss_source == composed
    expansion: str = ""  # what an abbreviated slogan stands for (专精特新 → 专业化、…)
    variant: str = "tw"  # which traditional standard `traditional` follows
    script: str = "simplified"  # the script of the source text; displays show that form first
    classifiers: list[str] = field(default_factory=list)  # measure words from CC-CEDICT "CL:": "项 xiàng"
    first_seen: str = ""  # "2023-09": first month the background corpus has the term ("" = unknown)
    background_df: int = 0  # documents of the background corpus that use the term
    # numbered reading → occurrences, filled only when occurrences of the term read differently
    # in the text (pinyin is then the majority reading, shown everywhere)
    readings_in_text: dict[str, int] = field(default_factory=dict)

    @property
    def new_since(self) -> str:
        """ "2023" when the term first appears in the background's last three years, else ""."""
        from learn.background.model import recent_year

        return recent_year(self.first_seen)

    @property
    def headword(self) -> str:
        """The form to show first: the one the source text was written in."""
        return self.traditional if self.script == "traditional" and self.traditional else self.simplified

    @property
    def other_form(self) -> str:
        """The other script's form, for display beside the headword."""
        return self.simplified if self.headword != self.simplified else self.traditional

    @property
    def key(self) -> str:
        """Stable identity of the word: simplified + reading (deck GUIDs, quiz cards)."""
        return f"{self.simplified}|{self.pinyin_numbered}"

    @property
    def tones(self) -> list[int]:
        """Tone number per syllable (5 = neutral), for tone colouring and tone drills."""
        return [int(s[-1]) if s[-1:].isdigit() else 5 for s in self.pinyin_numbered.split()]

    @property
    def meaning(self) -> str:
        """Definitions joined for one-line displays."""
        return "; ".join(self.definitions)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (the contract in design.md)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        """Inverse of to_dict; unknown keys are ignored so older files still load."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["examples"] = [Example(**e) for e in known.get("examples", [])]
        known["parts"] = [Part(**p) for p in known.get("parts", [])]
        return cls(**known)


def characters_with_tones(entry: Entry, text: str | None = None) -> list[tuple[str, int]]:
    """Pair each Han character of `text` (default: the simplified form) with its tone.

    Neutral tone is 5; non-Han characters (digits, Latin) get 0 so renderers can
    leave them plain.
    """
    tones = entry.tones
    out: list[tuple[str, int]] = []
    i = 0
    for ch in entry.simplified if text is None else text:
        if re.match(r"[\u3400-\u9fff]", ch) and i < len(tones):
            out.append((ch, tones[i]))
            i += 1
        else:
            out.append((ch, 0))
    return out
