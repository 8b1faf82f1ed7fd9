"""learn — vocabulary from real Chinese texts, as annotated lists, Anki decks, a quiz and handouts.

The public API is small:

    extract(text, ...)        -> list[Entry]   ranked, annotated terms of a text
    annotate(term, ...)       -> Entry         one term annotated (in the context of `text`)
    build_deck(entries, path) -> Path          an .apkg that updates in place when rebuilt
    make_handout(entries, text, path) -> Path  a printable PDF handout
"""

from __future__ import annotations

from typing import Any

from learn.entry import Entry, Example, Part

__all__ = ["Entry", "Example", "Part", "extract", "annotate", "build_deck", "make_handout"]


def extract(text: str, **options: Any) -> list[Entry]:
    """Ranked, annotated vocabulary of `text` (see learn.terms.rank.extract for options)."""
    from learn.terms.rank import extract as _extract

    return _extract(text, **options)


def annotate(term: str, **options: Any) -> Entry:
    """One term annotated; pass text= to take examples and counts from a source text."""
    from learn.terms.annotate import annotate as _annotate

    return _annotate(term, **options)


def build_deck(entries: list[Entry], path: Any, **options: Any) -> Any:
    """Write an Anki package of `entries` to `path` (see learn.deck.build_deck)."""
    from learn.deck import build_deck as _build

    return _build(entries, path, **options)


def make_handout(entries: list[Entry], text: str, path: Any, **options: Any) -> Any:
    """Write a PDF handout for `entries` over `text` to `path` (see learn.handout.pdf.make_handout)."""
    from learn.handout.pdf import make_handout as _make

    return _make(entries, text, path, **options)
