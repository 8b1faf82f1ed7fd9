"""Reading a learner's own Anki export (.apkg/.colpkg): the words he already has, for ``--known``.

The package is read directly — a zip holding an SQLite collection, zstd-compressed in current
exports (collection.anki21b), plain in older ones — so this needs neither Anki nor the `anki`
package.
"""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from learn.deck.markup import HAN
from learn.errors import LearnError

_COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")
_TAG = re.compile(r"<[^>]*>")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", re.S)
_SPLIT = re.compile(r"[\s,，、/;；|·・]+")


def known_words_from_package(path: str | os.PathLike[str]) -> set[str]:
    """Words in a learner's Anki export (.apkg/.colpkg): first fields, cloze answers, traditional forms.

    Each word also counts in its simplified form (OpenCC t2s), so a deck kept in traditional
    characters still filters simplified terms.
    """
    p = Path(path)
    raw = _collection_bytes(p)
    with tempfile.TemporaryDirectory() as tmpdir:
        db = Path(tmpdir) / "collection.sqlite"
        db.write_bytes(raw)
        try:
            texts = _word_fields(db)
        except sqlite3.DatabaseError as err:
            raise LearnError(f"{p}: not a readable Anki collection ({err})") from None
    words: set[str] = set()
    for text in texts:
        words.update(_words_in(text))
    return words | _simplified_forms(words)


def _collection_bytes(p: Path) -> bytes:
    try:
        with zipfile.ZipFile(p) as z:
            names = set(z.namelist())
            member = next((n for n in _COLLECTION_NAMES if n in names), None)
            if member is None:
                raise LearnError(f"{p}: not an Anki package (no collection inside)")
            data = z.read(member)
    except (zipfile.BadZipFile, OSError) as err:
        raise LearnError(f"{p}: not an Anki package ({err})") from None
    if member.endswith("anki21b"):
        import zstandard

        try:
            data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
        except zstandard.ZstdError as err:
            raise LearnError(f"{p}: damaged Anki package ({err})") from None
    return data


def _word_fields(db: Path) -> list[str]:
    """First field of every note, plus any field named Simplified or Traditional."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        wanted = _extra_field_ords(con)
        out: list[str] = []
        for mid, flds in con.execute("SELECT mid, flds FROM notes"):
            values = flds.split("\x1f")
            out.append(values[0])
            out.extend(values[i] for i in wanted.get(mid, ()) if 0 < i < len(values))
        return out
    finally:
        con.close()


def _extra_field_ords(con: sqlite3.Connection) -> dict[int, list[int]]:
    names = {"simplified", "traditional"}
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    found: dict[int, list[int]] = {}
    if "fields" in tables:  # schema 18 (Anki 2.1.28+)
        for ntid, ord_, fname in con.execute("SELECT ntid, ord, name FROM fields"):
            if fname.lower() in names:
                found.setdefault(ntid, []).append(ord_)
    else:  # schema 11: note types as JSON in col.models
        row = con.execute("SELECT models FROM col").fetchone()
        for mid, model in (json.loads(row[0]) if row and row[0] else {}).items():
            for f in model.get("flds", []):
                if f.get("name", "").lower() in names:
                    found.setdefault(int(mid), []).append(int(f.get("ord", -1)))
    return found


def _words_in(field_html: str) -> set[str]:
    text = field_html.replace("<br>", " ").replace("<br/>", " ").replace("<br />", " ")
    clozes = _CLOZE.findall(text)
    pieces = clozes if clozes else [text]
    words = set()
    for piece in pieces:
        plain = html.unescape(_TAG.sub("", piece))
        for word in _SPLIT.split(plain):
            word = word.strip("()（）[]【】「」“”\"'")
            if HAN.search(word):
                words.add(word)
    return words


def _simplified_forms(words: set[str]) -> set[str]:
    import opencc

    converter = opencc.OpenCC("t2s")
    return {converter.convert(w) for w in words}
