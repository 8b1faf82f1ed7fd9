"""Packaging: decks and subdecks with fixed ids, and the .apkg written atomically with a build time.

Anki updates a note it already has only when the package is newer than the note, so every
build is stamped with a later timestamp (default: now).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import genanki

from learn.deck.fields import CARD_TYPES, parse_cards
from learn.deck.ids import stable_id
from learn.deck.markup import esc
from learn.deck.notes import merge, notes_for
from learn.deck.notetypes import SCRIPTS, cloze_model, vocabulary_model
from learn.entry import Entry
from learn.errors import LearnError, UsageError
from learn.output import atomic_path


def build_deck(
    entries: list[Entry],
    path: str | os.PathLike[str],
    *,
    name: str = "learn",
    cards: Sequence[str] = CARD_TYPES,
    timestamp: float | None = None,
    subdecks: bool | None = None,
    guid_keys: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    description: str = "",
    script: str | None = None,
    audio: bool = True,
) -> Path:
    """Write an .apkg of `entries` (best first) to `path` and return the path.

    cards      which of recognition, recall, context, cloze to make.
    timestamp  build time in seconds; must grow between builds for Anki to update notes.
    subdecks   one subdeck per source (``NAME::source``); None = when entries have several sources.
    guid_keys  entry.key → the key the note was first built under (kept across teacher overrides).
    notes      entry.key → a teacher's note for the Notes field.
    script     "traditional" or "simplified": which form every card shows first; None = each
               entry's own script (``entry.script``, the script of the text it came from).
    audio      Anki's text-to-speech on the answer side (the word and its sentence); False leaves it out.
    """
    if script is not None and script not in SCRIPTS:
        raise UsageError(f"unknown script {script!r}; choose from {', '.join(SCRIPTS)}")
    chosen = parse_cards(cards)
    items = merge(entries, guid_keys or {})
    if not items:
        raise LearnError("nothing to put in the deck: no terms were found, or all were left out as known")
    sources = list(dict.fromkeys(i.sources[0] for i in items if i.sources))
    if subdecks is None:
        subdecks = len(sources) > 1
    decks = _decks(name, description, sources if subdecks else [])
    models = {t: (vocabulary_model(t, audio), cloze_model(t, audio)) for t in (False, True)}
    count = 0
    for rank, item in enumerate(items):
        deck = decks.get(item.sources[0] if item.sources else "", decks[""])
        traditional = (script or item.entry.script) == "traditional"
        teacher_note = (notes or {}).get(item.entry.key, "")
        for note in notes_for(item, rank, chosen, teacher_note, models[traditional], traditional):
            deck.add_note(note)
            count += 1
    if not count:
        raise LearnError(f"nothing to put in the deck: no term has what the chosen cards ({', '.join(chosen)}) need")
    package = genanki.Package(list(decks.values()))
    with atomic_path(path) as tmp:
        package.write_to_file(str(tmp), timestamp=time.time() if timestamp is None else timestamp)
    return Path(path)


def _decks(name: str, description: str, subdeck_sources: Sequence[str]) -> dict[str, genanki.Deck]:
    """The deck (key "") and one subdeck per source named, ``NAME::source``; ids fixed by name."""
    name = deck_name(name)
    decks = {"": genanki.Deck(stable_id(f"deck:{name}"), name, description=esc(description))}
    for s in subdeck_sources:
        full = f"{name}::{s.replace('::', ':')}"
        decks[s] = genanki.Deck(stable_id(f"deck:{full}"), full)
    return decks


def deck_name(name: str) -> str:
    """A name Anki keeps as given: whitespace runs as one space, no empty ``::`` levels
    (Anki would call them "blank"); "learn" when nothing is left."""
    levels = (" ".join(level.split()) for level in name.split("::"))
    return "::".join(level for level in levels if level) or "learn"
