"""Words a learner already knows: a plain word list, or the notes of an Anki export."""

from __future__ import annotations

from pathlib import Path

from learn.errors import LearnError


def read_known(path: str) -> set[str]:
    """Read known words (simplified or traditional) from a word list or an .apkg/.colpkg file."""
    p = Path(path)
    if not p.is_file():
        raise LearnError(f"{path}: no such file (--known)")
    if p.suffix.lower() in (".apkg", ".colpkg"):
        from learn.deck import known_words_from_package

        return known_words_from_package(p)
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise LearnError(f"{path}: not valid UTF-8 text (--known)") from None
    words = set()
    for line in lines:
        word = line.split("\t")[0].split(",")[0].strip()
        if word and not word.startswith("#"):
            words.add(word)
    return words
