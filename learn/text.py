"""Documents: read a file (or stdin) into clean text, and split text into sentences.

Everything downstream works on `Document.text`; file formats and encodings stop here.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from learn.errors import LearnError


@dataclass
class Document:
    """A text and the name it is shown under (file name, or 'stdin')."""

    text: str
    name: str


# Full-width digits and Latin letters become ASCII; Chinese punctuation is kept as written.
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
                    for c in range(r[0], r[1] + 1)}


def clean(text: str) -> str:
    """Normalise width and line breaks so that counts and n-grams see one form per character."""
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH_ALNUM)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u3000", " ").replace("\ufeff", "")
    return re.sub(r"[ \t]+", " ", text).strip()


def read_document(path: str) -> Document:
    """Read one input path ('-' = stdin) into a Document, or raise a one-line LearnError."""
    if path == "-":
        return _checked(sys.stdin.read(), "stdin")
    p = Path(path)
    if not p.exists():
        raise LearnError(f"{path}: no such file")
    if p.is_dir():
        raise LearnError(f"{path}: is a directory")
    data = p.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LearnError(f"{path}: binary file, expected text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LearnError(f"{path}: not valid UTF-8 text") from None
    return _checked(text, p.name)


def _checked(text: str, name: str) -> Document:
    text = clean(text)
    if not text:
        raise LearnError(f"{name}: empty input")
    if not re.search(r"[\u3400-\u9fff]", text):
        raise LearnError(f"{name}: no Chinese text found")
    return Document(text, name)


def read_documents(paths: list[str]) -> list[Document]:
    """Read every input path, in order."""
    if not paths:
        raise LearnError("no input given (a file path, or - for stdin)", code=2)
    return [read_document(p) for p in paths]


_SENTENCE_END = re.compile(r"(?<=[。！？!?；;…])[”’」』\"')）]*|\n+")


def sentences(text: str) -> list[str]:
    """Split text into sentences at Chinese sentence ends and line breaks (closing quotes stay)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
