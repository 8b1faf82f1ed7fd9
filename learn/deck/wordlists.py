"""Word lists of other learning tools: Pleco flashcard files (written and read; Skritter imports
them too) and Skritter word lists (CSV, read), for `--format pleco`, `learn deck --pleco` and
`--known`.

Pleco's flashcard text format, as Pleco's manual describes its import/export and as Pleco writes it:

- UTF-8 text, one card per line;
- a card is headword TAB pronunciation TAB definition;
- the headword is the simplified form with the traditional form in square brackets right after
  it, no space: ``新质生产力[新質生產力]``;
- the pronunciation is Hanyu Pinyin with a tone number after each syllable (5 for the neutral
  tone), the syllables run together and ü written ü, as Pleco exports it: ``xin1zhi4sheng1chan3li4``;
- the definition is one line: no tab, no line break (Pleco's own line break inside a definition is
  a private-use character; senses are joined with "; " here);
- a line starting with ``//`` names the category of the cards below it, ``/`` separating
  subcategories (``// learn/sample``).

Pleco also exports XML (``<plecoflash>`` … ``<headword charset="sc">``): read here for ``--known``.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from learn.entry import Entry

CATEGORY = "//"
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_HEADWORD = re.compile(r"([^\[\]\t]+?)\[([^\[\]\t]+)\]")
_SPACE = re.compile(r"\s+")
# column names of a word list's characters (Skritter and hand-made CSV files)
_WORD_COLUMNS = {"word", "words", "writing", "simplified", "traditional", "characters", "hanzi", "chinese", "term"}


@dataclass(frozen=True)
class Card:
    """One card of a Pleco file."""

    simplified: str
    traditional: str
    pinyin: str
    definition: str
    category: str = ""


# --- writing -----------------------------------------------------------------------------------


def pleco_pinyin(numbered: str) -> str:
    """``xin1 zhi4`` (the entry's numbered reading) as Pleco writes it: ``xin1zhi4``; v → ü."""
    return "".join(_SPACE.split(numbered.strip())).replace("v", "ü").replace("V", "Ü")


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def category_name(source: str) -> str:
    """A source's name as a Pleco category: no file suffix, no slashes (they would nest categories)."""
    stem = PurePath(source).stem if source else ""
    return _one_line(stem.replace("/", "-").replace("\\", "-")) or "learn"


def card_line(entry: Entry) -> str:
    """One entry as a Pleco card line (no line end)."""
    traditional = entry.traditional or entry.simplified
    meaning = "; ".join(_one_line(d) for d in entry.definitions if d.strip())
    if entry.gloss_source == "composed" and meaning:
        meaning = "≈ " + meaning  # composed from the characters: a guess, marked as the table marks it
    return f"{_one_line(entry.simplified)}[{_one_line(traditional)}]\t{pleco_pinyin(entry.pinyin_numbered)}\t{meaning}"


def pleco_text(entries: Sequence[Entry]) -> str:
    """The entries as a Pleco flashcard file: one category per source (``// sample``), in the order
    the sources first appear, each word once."""
    groups: dict[str, list[Entry]] = {}
    seen: set[str] = set()
    for entry in entries:
        if entry.key in seen or not entry.simplified:
            continue
        seen.add(entry.key)
        first_source = entry.source.split(", ")[0] if entry.source else ""
        groups.setdefault(category_name(first_source), []).append(entry)
    lines: list[str] = []
    for category, members in groups.items():
        lines.append(f"{CATEGORY} {category}")
        lines.extend(card_line(e) for e in members)
    return "\n".join(lines) + "\n" if lines else ""


# --- reading -----------------------------------------------------------------------------------


def read_pleco(text: str) -> list[Card]:
    """The cards of a Pleco text file (category lines apply to the cards below them)."""
    cards: list[Card] = []
    category = ""
    for raw in text.splitlines():
        line = raw.strip("\ufeff\r\n ")
        if not line:
            continue
        if line.startswith(CATEGORY):
            category = line[len(CATEGORY) :].strip()
            continue
        fields = line.split("\t")
        head = fields[0].strip()
        match = _HEADWORD.fullmatch(head)
        simplified, traditional = (match[1].strip(), match[2].strip()) if match else (head, head)
        pinyin = fields[1].strip() if len(fields) > 1 else ""
        definition = fields[2].strip() if len(fields) > 2 else ""
        cards.append(Card(simplified, traditional, pinyin, definition, category))
    return cards


def is_pleco_xml(text: str) -> bool:
    return "<plecoflash" in text[:2000]


def read_pleco_xml(text: str) -> list[Card]:
    """The cards of Pleco's XML export (each card's headwords, pronunciation and definition)."""
    root = ET.fromstring(text)
    cards = []
    for entry in root.iter("entry"):
        heads = {h.get("charset", ""): (h.text or "").strip() for h in entry.findall("headword")}
        simplified = heads.get("sc") or next(iter(heads.values()), "")
        traditional = heads.get("tc") or simplified
        pron = entry.find("pron")
        defn = entry.find("defn")
        cards.append(
            Card(
                simplified,
                traditional,
                (pron.text or "").strip() if pron is not None else "",
                _one_line(defn.text or "") if defn is not None else "",
            )
        )
    return [c for c in cards if c.simplified]


def read_word_csv(text: str) -> list[str]:
    """The words of a word list in CSV (Skritter exports its lists this way): the columns named
    Word/Writing/Simplified/Traditional/Characters/Hanzi (any case); without such a header, the
    first column, and a second that holds only Chinese (the other script)."""
    rows = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(c.strip() for c in row)]
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    named = [i for i, name in enumerate(header) if name in _WORD_COLUMNS]
    if named and not any(_HAN.search(c) for c in rows[0]):
        columns, body = named, rows[1:]
    else:
        columns, body = [0], rows
        if all(len(r) > 1 and _HAN.search(r[1]) and not re.search(r"[A-Za-z]", r[1]) for r in body):
            columns = [0, 1]
    words: list[str] = []
    for row in body:
        for i in columns:
            if i < len(row):
                words.extend(_words_in_cell(row[i]))
    return words


def _words_in_cell(cell: str) -> list[str]:
    """简体[繁體], 简体/繁體, 简体|繁體 or one word: every form with Chinese in it."""
    pieces = re.split(r"[\[\]/|｜、,，;；\s]+", cell)
    return [p for p in pieces if _HAN.search(p)]


def card_words(cards: Sequence[Card]) -> set[str]:
    """Both forms of every card's headword."""
    return {form for c in cards for form in (c.simplified, c.traditional) if form}
