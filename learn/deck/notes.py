"""Notes: one word of the deck becomes a vocabulary note and a cloze note, with tags and GUIDs.

A word seen in several texts gets one note (the entry listed first wins) that names every
source; a note is left out when the word lacks what all of its chosen cards need.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import genanki

from learn.deck.fields import CLOZE_FIELDS, VOCAB_CARDS, VOCAB_FIELDS, cloze_fields, hsk_label, vocabulary_fields
from learn.deck.ids import note_guid
from learn.entry import Entry


@dataclass
class Item:
    """One word in the deck: its entry, every source it came from, its identity key."""

    entry: Entry
    identity: str
    sources: list[str] = field(default_factory=list)


def merge(entries: Sequence[Entry], guid_keys: Mapping[str, str]) -> list[Item]:
    """Keep each key once (first occurrence wins); remember every source that had it."""
    items: dict[str, Item] = {}
    for e in entries:
        item = items.get(e.key)
        if item is None:
            item = items[e.key] = Item(e, guid_keys.get(e.key, e.key))
        if e.source and e.source not in item.sources:
            item.sources.append(e.source)
    return list(items.values())


def tag(prefix: str, value: str) -> str:
    """An Anki tag without spaces: ``source::my_file.txt``."""
    clean = re.sub(r"[^\w.\-]+", "_", value.replace("::", "_")).strip("_") or "none"
    return f"{prefix}::{clean}"


def tags(entry: Entry, sources: Sequence[str]) -> list[str]:
    """``source::NAME`` per source, ``kind::KIND``, ``hsk::N`` (``hsk::7-9``; ``hsk::beyond`` past the syllabus)."""
    out = [tag("source", s) for s in sources]
    out.append(tag("kind", entry.kind or "word"))
    out.append(tag("hsk", hsk_label(entry.hsk).replace("–", "-") or "beyond"))
    return out


_MAKE = [VOCAB_FIELDS.index("Make" + c.capitalize()) for c in VOCAB_CARDS]


def notes_for(
    item: Item,
    rank: int,
    chosen: Sequence[str],
    note: str,
    models: tuple[genanki.Model, genanki.Model],
    traditional: bool = False,
) -> list[genanki.Note]:
    """The vocabulary and cloze notes of one word; none of a kind when the word lacks what its cards need."""
    e, (vocab, cloze) = item.entry, models
    labels = tags(e, item.sources)
    out = []
    vocab_cards = [c for c in chosen if c != "cloze"]
    if vocab_cards:
        values = vocabulary_fields(e, vocab_cards, item.sources, note, traditional)
        if any(values[i] for i in _MAKE):
            out.append(
                genanki.Note(vocab, values, tags=labels, guid=note_guid(item.identity, False, traditional), due=rank)
            )
    if "cloze" in chosen:
        cloze_values = cloze_fields(e, item.sources, note, traditional)
        if cloze_values is not None:
            assert len(cloze_values) == len(CLOZE_FIELDS)
            out.append(
                genanki.Note(
                    cloze, cloze_values, tags=labels, guid=note_guid(item.identity, True, traditional), due=rank
                )
            )
    return out
