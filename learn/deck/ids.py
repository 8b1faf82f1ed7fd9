"""Identities Anki matches on: note-type and deck ids from fixed names, note GUIDs from the word.

Anki's importer finds the note to update by GUID alone and the note type by id, so none of
these may ever be random or depend on anything but the names and the word's key.
"""

from __future__ import annotations

import hashlib

import genanki


def stable_id(name: str) -> int:
    """A fixed Anki id for a note type or deck name (same name → same id, in every build)."""
    digest = hashlib.sha256(f"learn:{name}".encode()).digest()
    return (1 << 30) | (int.from_bytes(digest[:8], "big") % (1 << 30))


def note_guid(identity: str, cloze: bool = False, traditional: bool = False) -> str:
    """A note's GUID: the word's key, and which note type it belongs to (see learn.deck)."""
    kind = (("traditional",) if traditional else ()) + (("cloze",) if cloze else ())
    return genanki.guid_for(*kind, identity)
