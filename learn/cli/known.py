"""Words a learner already knows: a plain word list, an Anki export, a Pleco flashcard file (text or
XML) or a word list in CSV (Skritter's export)."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import ParseError

from learn.errors import LearnError

_PLECO_HEAD = re.compile(r"^[^\t\[\]]+\[[^\t\[\]]+\]\t")


def read_known(path: str) -> set[str]:
    """Read known words (simplified or traditional) from a word list, an .apkg/.colpkg file, a Pleco
    export (text or XML) or a CSV word list; traditional words also count in their simplified form."""
    p = Path(path)
    if not p.is_file():
        raise LearnError(f"{path}: no such file (--known)")
    if p.suffix.lower() in (".apkg", ".colpkg"):
        from learn.deck import known_words_from_package

        return known_words_from_package(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise LearnError(f"{path}: not valid UTF-8 text (--known)") from None
    words = _words(p, text)
    return words | _simplified(words)


def _words(p: Path, text: str) -> set[str]:
    from learn.deck import wordlists

    if wordlists.is_pleco_xml(text):
        try:
            return wordlists.card_words(wordlists.read_pleco_xml(text))
        except ParseError as err:
            raise LearnError(f"{p}: not a readable Pleco XML export ({type(err).__name__}) (--known)") from None
    if p.suffix.lower() == ".csv":
        return set(wordlists.read_word_csv(text))
    lines = text.splitlines()
    if any(line.startswith(wordlists.CATEGORY) or _PLECO_HEAD.match(line) for line in lines):
        return wordlists.card_words(wordlists.read_pleco(text))
    words = set()
    for line in lines:
        word = line.split("\t")[0].split(",")[0].strip()
        if word and not word.startswith("#"):
            words.add(word)
    return words


def _simplified(words: set[str]) -> set[str]:
    """Each word's simplified form (OpenCC t2s), so a list kept in traditional still filters."""
    from learn.language.lexicon import to_simplified

    return {to_simplified(w) for w in words}
