"""learn — vocabulary from real Chinese texts, as annotated lists, Anki decks, a quiz and handouts.

The public API is small:

    extract(text, ...)        -> list[Entry]   ranked, annotated terms of a text
    annotate(term, ...)       -> Entry         one term annotated (in the context of `text`)
    build_deck(entries, path) -> Path          an .apkg that updates in place when rebuilt
    make_handout(entries, text, path) -> Path  a printable PDF handout
"""

from __future__ import annotations

import warnings
from typing import Any

from learn.entry import Entry, Example, Part

__all__ = ["Entry", "Example", "Part", "extract", "annotate", "build_deck", "make_handout"]


def _renamed(options: dict[str, Any], new: str) -> dict[str, Any]:
    """The API's words are the command line's (`standard=`, `script=`); the modules below still
    call both `variant`, and the old keyword keeps working with a DeprecationWarning."""
    if "variant" in options:
        if new in options:
            raise TypeError(f"give {new}= or the old variant=, not both")
        warnings.warn(f"variant= is now {new}=", DeprecationWarning, stacklevel=3)
        return options
    if new in options:
        options = dict(options)
        options["variant"] = options.pop(new)
    return options


def extract(text: str, **options: Any) -> list[Entry]:
    """Ranked, annotated vocabulary of `text` (see learn.terms.rank.extract for options);
    `standard=` chooses the traditional forms: "tw" (default), "hk" or "t" (OpenCC's)."""
    from learn.terms.rank import extract as _extract

    return _extract(text, **_renamed(options, "standard"))


def annotate(term: str, **options: Any) -> Entry:
    """One term annotated; pass text= to take examples and counts from a source text, and
    `standard=` for the traditional forms as in extract()."""
    from learn.terms.annotate import annotate as _annotate

    return _annotate(term, **_renamed(options, "standard"))


def build_deck(entries: list[Entry], path: Any, **options: Any) -> Any:
    """Write an Anki package of `entries` to `path` (see learn.deck.build_deck)."""
    from learn.deck import build_deck as _build

    return _build(entries, path, **options)


def make_handout(entries: list[Entry], text: str, path: Any, **options: Any) -> Any:
    """Write a PDF handout for `entries` over `text` to `path` (see learn.handout.pdf.make_handout);
    `script=` prints "simplified", "traditional" or "both"."""
    from learn.handout.pdf import make_handout as _make

    return _make(entries, text, path, **_renamed(options, "script"))
