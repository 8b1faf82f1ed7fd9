"""Writing practice: which characters of a word can be drawn, and what a drawing earns.

The learner sees the reading and the meaning and draws each character stroke by stroke;
hanzi-writer (in the browser) checks every stroke against Make Me a Hanzi's stroke data (npm
hanzi-writer-data, the data the handout's writing grids use; read here from the same install, so
nothing is fetched at run time) and shows a hint after three misses on one stroke. A character
the data lacks (a rare character, a Latin letter, a digit) is skipped with a note; a word with no
drawable character is not asked in this mode at all.

Grading (one review per word, mode "write"):
  a hint was needed, or the word was drawn over the outline   Again / Hard
  no mistake                                                   Easy
  at most one mistake per character                            Good
  more                                                         Hard
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from fsrs import Rating

from learn.entry import Entry
from learn.handout import strokes
from learn.language.notation import is_han

WRITE = "write"
LABEL = "Write (draw the characters)"
HINT_AFTER = 3  # misses on one stroke before hanzi-writer shows where it goes


@dataclass(frozen=True)
class Drawing:
    """What the learner draws for one word: the characters with stroke data, and those skipped."""

    word: str
    chars: list[str]
    data: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        """'' or a line naming the characters that are not drawn."""
        if not self.skipped:
            return ""
        names = "、".join(dict.fromkeys(self.skipped))
        return f"Not drawn here (no stroke data): {names}."


@dataclass(frozen=True)
class Result:
    """What the browser reports when every character is drawn."""

    mistakes: int
    hints: int  # strokes on which the learner missed HINT_AFTER times or more
    outline: bool  # drawn with the character's outline showing
    chars: int

    @classmethod
    def from_value(cls, value: dict[str, Any], chars: int) -> Result:
        """Read the component's value defensively (it comes from the browser)."""

        def count(name: str) -> int:
            raw = value.get(name, 0)
            return max(0, int(raw)) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else 0

        return cls(count("mistakes"), count("hints"), bool(value.get("outline")), chars)

    @property
    def rating(self) -> Rating:
        if self.hints:
            return Rating.Again
        if self.outline:
            return Rating.Hard
        if self.mistakes == 0:
            return Rating.Easy
        return Rating.Good if self.mistakes <= self.chars else Rating.Hard

    @property
    def correct(self) -> bool:
        return self.rating != Rating.Again

    def summary(self) -> str:
        """One line for the learner and for the review log's answer column."""
        mistakes = f"{self.mistakes} mistake{'s' if self.mistakes != 1 else ''}"
        chars = f"{self.chars} character{'s' if self.chars != 1 else ''}"
        extra = [f"hints on {self.hints} stroke{'s' if self.hints != 1 else ''}"] if self.hints else []
        extra += ["outline shown"] if self.outline else []
        return f"{mistakes} in {chars}" + (f" ({', '.join(extra)})" if extra else "")


def char_data(char: str) -> dict[str, Any] | None:
    """hanzi-writer's data for one character (strokes, medians, radical strokes), or None."""
    folder = strokes.data_dir()
    if folder is None or len(char) != 1 or not is_han(char):
        return None
    return _load(str(folder), char)


@lru_cache(maxsize=2048)
def _load(folder: str, char: str) -> dict[str, Any] | None:
    try:
        with open(f"{folder}/{char}.json", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    strokes_ = data.get("strokes") if isinstance(data, dict) else None
    medians = data.get("medians") if isinstance(data, dict) else None
    if not (isinstance(strokes_, list) and isinstance(medians, list) and len(strokes_) == len(medians) > 0):
        return None
    return {"strokes": strokes_, "medians": medians, "radStrokes": data.get("radStrokes") or []}


def drawing(entry: Entry) -> Drawing:
    """The characters of the word as the source writes it (entry.headword), split into drawable
    ones and skipped ones."""
    word = entry.headword
    chars, skipped, data = [], [], {}
    for ch in word:
        if ch.isspace():
            continue
        found = char_data(ch)
        if found is None:
            skipped.append(ch)
            continue
        chars.append(ch)
        data[ch] = found
    return Drawing(word, chars, data, skipped)


def writable(entry: Entry) -> bool:
    """Whether the word has at least one character to draw (stroke data installed and covering it)."""
    return any(char_data(ch) is not None for ch in entry.headword)
