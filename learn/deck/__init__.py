"""Anki decks: note types in two scripts, stable identities, packaging — and reading a learner's own exports.

One noun per module, the way genanki itself is laid out:

==================  ============================================================================
markup              text → card HTML (escaping, tone colours, ruby, highlights, cloze markup)
fields              what each field of a note holds, one line per field; the card types
notetypes           the four note types; their templates and CSS are files in templates/
ids                 note-type and deck ids from fixed names, note GUIDs from the word
notes               one word → its vocabulary and cloze notes, with tags
packaging           decks, subdecks, the .apkg (build_deck)
exports             reading a learner's .apkg/.colpkg for ``--known``
wordlists           Pleco flashcard files (written and read; Skritter reads them) and CSV word lists
==================  ============================================================================

Anki matches an imported note to one already in the collection by its GUID alone, and
updates it only when the package is newer. So a deck that can be rebuilt and re-imported
without losing review history needs three things, all fixed here:

* the GUID of a word's note is ``genanki.guid_for(entry.key)`` (``"simplified|pinyin_numbered"``)
  and that of its cloze note ``genanki.guid_for("cloze", entry.key)``. When a teacher override
  changes the reading, pass the key *as extracted* in ``guid_keys`` so the note keeps its GUID;
* note-type and deck ids are hashes of fixed names, never random;
* every build is stamped with a later timestamp (default: now).

Traditional first. A text written in traditional characters (``entry.script == "traditional"``)
gets the note types ``learn vocabulary (traditional)`` and ``learn cloze (traditional)``: the
same frozen field lists, templates that show the traditional form first (the simplified form
as a smaller second line when it differs), and a cloze cut from the traditional sentence.
``build_deck(script=…)`` forces one script for every note; by default each entry follows its
source, so one deck may hold notes of both kinds. Their notes have GUIDs of their own:
``genanki.guid_for("traditional", key)`` and ``genanki.guid_for("traditional", "cloze", key)``.
Anki's importer skips a note whose GUID is already in the collection under another note type
(it logs it as "conflicting" and changes nothing, unless the learner ticks "merge note types"),
so sharing the simplified GUIDs would silently drop every word a learner already had from a
simplified deck. With their own GUIDs a traditional deck imported after a simplified one adds
its notes beside the old ones (the learner may then suspend or delete either), and a rebuilt
traditional deck updates its own notes in place. A word seen in texts of both scripts in one
build gets one note, in the script of the entry listed first.

So a newer build overwrites the fields of notes already imported (edits made in Anki
included: a teacher's own remarks belong in the recipe's ``note``), while cards, decks
and review history stay as they are.

The field lists (learn.deck.fields) are frozen: changing them makes Anki import a second
note type ("learn vocabulary+") and skip every note learners already have. A change must be
a conscious, documented decision (tests/deck/test_deck.py pins them).
"""

from __future__ import annotations

from learn.deck.exports import known_words_from_package
from learn.deck.fields import (
    CARD_TYPES,
    CLOZE_FIELDS,
    VOCAB_CARDS,
    VOCAB_FIELDS,
    cloze_fields,
    hsk_label,
    parse_cards,
    vocabulary_fields,
)
from learn.deck.ids import note_guid, stable_id
from learn.deck.markup import (
    cloze_text,
    coloured,
    esc,
    highlight,
    in_traditional,
    parts_html,
    pinyin_coloured,
    prompt_text,
    ruby,
)
from learn.deck.notes import tag
from learn.deck.notetypes import (
    CLOZE_MODEL_NAME,
    CLOZE_MODEL_NAME_TRADITIONAL,
    SCRIPTS,
    VOCAB_MODEL_NAME,
    VOCAB_MODEL_NAME_TRADITIONAL,
    card_css,
    cloze_model,
    vocabulary_model,
)
from learn.deck.packaging import build_deck, deck_name

__all__ = [
    "CARD_TYPES",
    "CLOZE_FIELDS",
    "CLOZE_MODEL_NAME",
    "CLOZE_MODEL_NAME_TRADITIONAL",
    "SCRIPTS",
    "VOCAB_CARDS",
    "VOCAB_FIELDS",
    "VOCAB_MODEL_NAME",
    "VOCAB_MODEL_NAME_TRADITIONAL",
    "build_deck",
    "card_css",
    "cloze_fields",
    "cloze_model",
    "parse_cards",
    "cloze_text",
    "coloured",
    "deck_name",
    "esc",
    "highlight",
    "hsk_label",
    "in_traditional",
    "known_words_from_package",
    "note_guid",
    "parts_html",
    "pinyin_coloured",
    "prompt_text",
    "ruby",
    "stable_id",
    "tag",
    "vocabulary_fields",
    "vocabulary_model",
]
