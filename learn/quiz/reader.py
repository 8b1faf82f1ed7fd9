"""The reader: a material's whole text, cleaned as the handout's reading is, in pages, with the
extracted terms marked and readings ready for the pinyin switch.

UI-free: the app's reader page (learn.quiz.views) sends a page of this data to the reader
component (learn/quiz/frontend/reader), which draws it, opens a panel when a term is clicked,
and speaks with the browser's speech synthesis.

Why pages: a 20,000-character report drawn at once with a reading over every character is
tens of thousands of DOM nodes, and reading every word of it takes seconds of dictionary work.
A page of about PAGE_CHARS characters is drawn at once; the other pages cost nothing until
they are opened. Readings of every word are worked out only when the learner asks for them.

One page is JSON-ready data:
  paragraphs  [{"h": heading?, "s": [segment, …]}]
  segment     {"t": text} plain; {"t": text, "k": n} the n-th term of `terms`;
              "r": one reading per character ("" for none) when readings are shown for it, and
              "n": one tone digit per character (0 for none) for tone colours (terms always)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from learn.entry import Entry
from learn.language.notation import is_han, marks_to_numbered, numbered_to_marks

PAGE_CHARS = 2000
PINYIN_MODES = {"off": "Off", "terms": "Terms", "all": "Every word"}
_SENTENCE = re.compile(r"[^。！？!?；;…]*(?:[。！？!?；;…]+[”’」』\"')）]*|$)")
_SYLLABLE = re.compile(r"[a-zA-Zâêîôûüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]+")


@dataclass(frozen=True)
class Block:
    """A paragraph (or subheading) of the cleaned text."""

    text: str
    heading: bool = False


@dataclass
class Document:
    """The cleaned text cut into pages of whole paragraphs (a paragraph longer than a page is cut
    at sentence ends)."""

    title: str
    pages: list[list[Block]] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return sum(len(b.text) for page in self.pages for b in page)


def document(text: str, title: str | None = None, page_chars: int = PAGE_CHARS) -> Document:
    """The text as the reader shows it: headline apart, bylines, datelines, captions and page
    furniture removed (learn.reading.clean_blocks, as on the handout), in pages."""
    from learn.handout.reading import clean_blocks
    from learn.read.text import headline as first_headline

    headline = first_headline(text) if title is None else title
    blocks = [Block(b.text, b.heading) for b in clean_blocks(text, headline)]
    return Document(headline, paginate(blocks, page_chars))


def paginate(blocks: Sequence[Block], page_chars: int = PAGE_CHARS) -> list[list[Block]]:
    """Pages of about `page_chars` characters, whole paragraphs, a heading never last on a page."""
    pages: list[list[Block]] = []
    page: list[Block] = []
    used = 0
    for block in (piece for b in blocks for piece in _pieces(b, page_chars)):
        if page and used + len(block.text) > page_chars and not all(b.heading for b in page):
            moved = [page.pop()] if page[-1].heading else []
            pages.append(page)
            page, used = moved, sum(len(b.text) for b in moved)
        page.append(block)
        used += len(block.text)
    if page:
        pages.append(page)
    return pages


def _pieces(block: Block, limit: int) -> list[Block]:
    """A paragraph longer than `limit`, cut at sentence ends into pieces of at most `limit`."""
    if len(block.text) <= limit:
        return [block]
    out, current = [], ""
    for sentence in (m[0] for m in _SENTENCE.finditer(block.text) if m[0]):
        if current and len(current) + len(sentence) > limit:
            out.append(Block(current, block.heading))
            current = ""
        current += sentence
    return out + ([Block(current, block.heading)] if current else [])


# --- marking terms -----------------------------------------------------------------------------


class Marker:
    """Finds the entries' words in text, longest first (新质生产力 before 生产力)."""

    def __init__(self, entries: Sequence[Entry]):
        self.entries = list(entries)
        self.index: dict[str, int] = {}
        for n, entry in enumerate(self.entries):
            for form in (entry.headword, entry.simplified):
                if form and form not in self.index:
                    self.index[form] = n
        forms = sorted(self.index, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, forms))) if forms else None

    def spans(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, entry number) of every marked word, left to right, not overlapping."""
        if self.pattern is None:
            return []
        return [(m.start(), m.end(), self.index[m[0]]) for m in self.pattern.finditer(text)]


def tones_of(syllables: Sequence[str]) -> str:
    """One digit per syllable: 1–4, 5 neutral, 0 where there is no syllable."""
    out = []
    for syllable in syllables:
        numbered = marks_to_numbered(syllable) if syllable and " " not in syllable else ""
        out.append(numbered[-1] if numbered[-1:] in ("1", "2", "3", "4", "5") else "0")
    return "".join(out)


def term_readings(entry: Entry, form: str) -> list[str]:
    """One tone-marked syllable per character of `form` ('' under non-Han characters); when the
    reading does not line up with the characters, the first one carries all of it."""
    syllables = entry.pinyin.split()
    han = [i for i, c in enumerate(form) if is_han(c)]
    if len(syllables) != len(han):
        return [entry.pinyin if i == 0 else "" for i in range(len(form))]
    out = [""] * len(form)
    for i, syllable in zip(han, syllables, strict=True):
        out[i] = syllable
    return out


def page_data(blocks: Sequence[Block], marker: Marker, pinyin: str = "terms") -> list[dict[str, Any]]:
    """The paragraphs of one page as segments; readings over terms ("terms"), over every word
    ("all") or none ("off")."""
    if pinyin not in PINYIN_MODES:
        raise ValueError(f"unknown pinyin mode {pinyin!r}")
    fixed = _fixed_readings(marker.entries) if pinyin == "all" else {}
    return [{"h": int(b.heading), "s": _segments(b.text, marker, pinyin, fixed)} for b in blocks]


def _segments(text: str, marker: Marker, pinyin: str, fixed: dict[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    every = paragraph_readings(text, fixed) if pinyin == "all" else None
    out: list[dict[str, Any]] = []
    at = 0
    for start, end, n in marker.spans(text):
        if start > at:
            out.append(_plain(text[at:start], every[at:start] if every else None))
        form = text[start:end]
        readings = term_readings(marker.entries[n], form)
        segment: dict[str, Any] = {"t": form, "k": n, "n": tones_of(readings)}  # colours even without pinyin
        if pinyin != "off":
            segment["r"] = readings
        out.append(segment)
        at = end
    if at < len(text):
        out.append(_plain(text[at:], every[at:] if every else None))
    return out


def _plain(text: str, readings: list[str] | None) -> dict[str, Any]:
    if readings is None:
        return {"t": text}
    return {"t": text, "r": readings, "n": tones_of(readings)}


def _fixed_readings(entries: Sequence[Entry]) -> dict[str, tuple[str, ...]]:
    """The entries' own readings (numbered, per character), which win over a fresh reading."""
    out: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        syllables = tuple(entry.pinyin_numbered.split())
        if syllables and len(syllables) == sum(is_han(c) for c in entry.simplified):
            out.setdefault(entry.simplified, syllables)
    return out


def paragraph_readings(text: str, fixed: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """A tone-marked syllable for every Han character of `text` ('' elsewhere), read sentence by
    sentence with the project's reading rules (learn.pinyin.sentence_syllables); a traditional
    paragraph is read in its simplified form when that has the same length."""
    from learn.read.text import detect_script

    simplified = _to_simplified(text) if detect_script(text) == "traditional" else text
    source = simplified if len(simplified) == len(text) else text
    out: list[str] = []
    for m in _SENTENCE.finditer(source):
        if m[0]:
            out.extend(_sentence_readings(m[0], fixed or {}))
    return out


def _sentence_readings(sentence: str, fixed: dict[str, tuple[str, ...]]) -> list[str]:
    from learn.language.pinyin import char_reading, sentence_syllables

    han = [i for i, c in enumerate(sentence) if is_han(c)]
    out = [""] * len(sentence)
    if not han:
        return out
    syllables = _SYLLABLE.findall(sentence_syllables(sentence, {k: list(v) for k, v in fixed.items()}))
    if len(syllables) != len(han):  # Latin words among the syllables: read each character alone
        syllables = [numbered_to_marks(char_reading(sentence[i]) or "") for i in han]
    for i, syllable in zip(han, syllables, strict=True):
        out[i] = syllable
    return out


@lru_cache(maxsize=256)
def _to_simplified(text: str) -> str:
    from learn.language.lexicon import to_simplified

    return to_simplified(text)


# --- the panel ---------------------------------------------------------------------------------


def term_cards(entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """What the panel shows for each term, in the order of `entries` (segment "k" indexes it)."""
    from learn.quiz.display import level

    cards = []
    for entry in entries:
        composed = entry.gloss_source == "composed"
        cards.append(
            {
                "key": entry.key,
                "word": entry.headword,
                "other": entry.other_form if entry.other_form != entry.headword else "",
                "pinyin": entry.pinyin,
                "n": tones_of(entry.pinyin.split()),
                "zhuyin": entry.zhuyin,
                "meaning": entry.meaning,
                "guess": composed,
                "classifiers": list(entry.classifiers),
                "new": entry.new_since,
                "level": level(entry),
                "kind": entry.kind,
                "expansion": entry.expansion,
            }
        )
    return cards


def language(entries: Sequence[Entry]) -> str:
    """The speech and lang tag of the text: zh-TW for a traditional-script text, else zh-CN."""
    traditional = sum(e.script == "traditional" for e in entries)
    return "zh-TW" if traditional > len(entries) / 2 else "zh-CN"
