"""Documents: read files, folders or stdin into clean text, and split text into sentences.

Everything downstream works on `Document.text`; file formats (learn.read.formats) and encodings
(learn.read.encoding) stop here. Bad input becomes a one-line LearnError naming the file.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from learn.errors import LearnError
from learn.read.encoding import iter_decoded
from learn.read.formats import SUFFIXES, kind_of, to_text

SIMPLIFIED, TRADITIONAL = "simplified", "traditional"

# A plain-text file larger than this is streamed in pieces by `iter_pieces` (corpus mode).
STREAM_BYTES = 4 << 20
PIECE_CHARS = 200_000


@dataclass
class Document:
    """A text, the name it is shown under (file name, or 'stdin'), and its script."""

    text: str
    name: str
    script: str = SIMPLIFIED


@dataclass
class Piece:
    """Part `part` of a document too large to process at once (corpus mode); `last` ends it."""

    document: Document
    part: int = 0
    last: bool = True
    nbytes: int = 0


# Full-width digits and Latin letters become ASCII; Chinese punctuation is kept as written.
_FULLWIDTH_ALNUM = {
    c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)
}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def clean(text: str) -> str:
    """Normalise width and line breaks so that counts and n-grams see one form per character."""
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH_ALNUM)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u3000", " ").replace("\ufeff", "")
    return re.sub(r"[ \t]+", " ", text).strip()


# --- script ---------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def converter(config: str) -> Any:
    """One OpenCC converter per configuration for the whole process ('t2s', 's2t', 't2tw', …):
    each loads its dictionaries (s2t: 40 ms), so script detection and the lexicon share them."""
    import opencc

    return opencc.OpenCC(config)


def _converters() -> tuple[Any, Any]:
    return converter("t2s"), converter("s2t")


def detect_script(text: str, sample: int = 20_000) -> str:
    """'traditional' or 'simplified': which script's distinctive characters occur more often.

    A character is distinctive for traditional script if OpenCC t2s changes it (國, 產), and for
    simplified script if s2t changes it (国, 产). Characters shared by both (人, 中) do not vote;
    a text with no distinctive characters counts as simplified.
    """
    counts = Counter(text[:sample])
    votes = [(_script_of(c), n) for c, n in counts.items() if HAN.match(c)]
    traditional = sum(n for (trad, _), n in votes if trad)
    simplified = sum(n for (_, simp), n in votes if simp)
    return TRADITIONAL if traditional > simplified else SIMPLIFIED


@lru_cache(maxsize=16_384)
def _script_of(ch: str) -> tuple[bool, bool]:
    """Whether a character is distinctive for (traditional, simplified) script. Asked once per
    character: OpenCC takes microseconds a call, and a news text has thousands of characters."""
    t2s, s2t = _converters()
    return t2s.convert(ch) != ch, s2t.convert(ch) != ch


# --- reading ------------------------------------------------------------------------------


def read_document(path: str) -> Document:
    """Read one input file ('-' = stdin) into a Document, or raise a one-line LearnError."""
    if path == "-":
        return document(_read_stdin(), "stdin")
    p = Path(path)
    if p.is_dir():
        raise LearnError(f"{path}: is a directory")
    return document(file_text(p, path), p.name, path)


def read_documents(paths: list[str], on_skip: Callable[[str], None] | None = None) -> list[Document]:
    """Read every input path in order; a directory contributes every supported file inside it.

    A named file that cannot be read is an error. A file found inside a directory that cannot
    be read (empty, binary, scanned PDF…) is reported through `on_skip` (default: one line on
    stderr) and left out, so one bad file does not stop a folder of articles.
    """
    docs: list[Document] = []
    for source in expand(paths):
        try:
            docs.append(_read_source(source))
        except LearnError as err:
            if not source.in_folder:
                raise
            (on_skip or _warn)(str(err))
    if not docs:
        raise LearnError(f"{' '.join(paths)}: no readable texts found")
    return docs


@dataclass
class Source:
    """One file to read: its path, the label used in messages, its display name."""

    path: Path
    label: str
    name: str
    in_folder: bool = False


def expand(paths: list[str]) -> list[Source]:
    """Input paths → files to read; a directory becomes its supported files, sorted, recursively."""
    if not paths:
        raise LearnError("no input given (a file path, a folder, or - for stdin)", code=2)
    out: list[Source] = []
    for path in paths:
        p = Path(path)
        if path == "-" or not p.is_dir():
            if path != "-" and not p.exists():
                raise LearnError(f"{path}: no such file or folder")
            out.append(Source(p, path, "stdin" if path == "-" else p.name))
            continue
        found = supported_files(p)
        if not found:
            raise LearnError(f"{path}: folder has no texts (looked for {', '.join(sorted(SUFFIXES))})")
        out.extend(Source(f, str(f), f.relative_to(p).as_posix(), in_folder=True) for f in found)
    return _unique_names(out)


def _unique_names(sources: list[Source]) -> list[Source]:
    """Two inputs shown under the same name (a/x.txt, b/x.txt) are shown by their paths instead."""
    seen = Counter(s.name for s in sources)
    for s in sources:
        if seen[s.name] > 1 and s.label != "-":
            s.name = s.label
    return sources


def supported_files(folder: Path) -> list[Path]:
    """Every file with a supported suffix under `folder`, hidden files and folders skipped."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root, f) for f in files if not f.startswith(".") and Path(f).suffix.lower() in SUFFIXES)
    return sorted(found)


def _read_source(source: Source) -> Document:
    if source.label == "-":
        return read_document("-")
    return document(file_text(source.path, source.label), source.name, source.label)


def file_text(p: Path, label: str) -> str:
    """The text of one file in any supported format and encoding, named `label` in errors."""
    data = _read_bytes(p, label)
    if not data.strip():
        raise LearnError(f"{label}: empty file")
    return to_text(kind_of(p, data[:4096]), data, label)


def _read_bytes(p: Path, label: str) -> bytes:
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise LearnError(f"{label}: no such file") from None
    except PermissionError:
        raise LearnError(f"{label}: permission denied (cannot read the file)") from None
    except IsADirectoryError:
        raise LearnError(f"{label}: is a directory") from None
    except OSError as err:
        raise LearnError(f"{label}: cannot read ({err.strerror or err})") from None


def _read_stdin() -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    if not data.strip():
        raise LearnError("stdin: empty input")
    return to_text(kind_of(Path("stdin"), data[:4096]), data, "stdin")


def document(text: str, name: str, label: str = "") -> Document:
    """A Document from raw text (pasted, decoded): cleaned, checked to hold Chinese, script detected.
    Errors name it by `label`, the path as the user gave it (default: the name)."""
    text = clean(text)
    label = label or name
    if not text:
        raise LearnError(f"{label}: empty input (only whitespace)")
    if not HAN.search(text):
        raise LearnError(f"{label}: no Chinese text found")
    return Document(text, name, detect_script(text))


def _warn(message: str) -> None:
    sys.stderr.write(f"learn: skipped {message}\n")


# --- corpus mode: bounded pieces ---------------------------------------------------------


def iter_pieces(
    sources: list[Source], piece_chars: int | None = None, on_skip: Callable[[str], None] | None = None
) -> Iterator[Piece]:
    """Yield every input as pieces of at most ~piece_chars characters, cut at line ends.

    Large plain-text files are decoded block by block, so memory stays bounded by the piece
    size however big the file is. Errors follow `read_documents`: fatal for a named file,
    skipped (reported through on_skip) for a file found in a folder.
    """
    piece_chars = piece_chars or PIECE_CHARS
    for source in sources:
        try:
            yield from _source_pieces(source, piece_chars)
        except LearnError as err:
            if not source.in_folder:
                raise
            (on_skip or _warn)(str(err))


def _source_pieces(source: Source, piece_chars: int) -> Iterator[Piece]:
    """A big plain-text file is streamed; anything else is read whole, then cut."""
    if _is_big_text(source):
        yield from _streamed_pieces(source, piece_chars)
        return
    doc = _read_source(source)
    nbytes = len(doc.text.encode()) if source.label == "-" else _size(source.path, source.label)
    chunks = list(_cut(doc.text, piece_chars))
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        yield Piece(Document(chunk, doc.name, doc.script), i, last, nbytes if last else 0)


def _is_big_text(source: Source) -> bool:
    if source.label == "-" or SUFFIXES.get(source.path.suffix.lower(), "text") != "text":
        return False
    return (
        _size(source.path, source.label) > STREAM_BYTES
        and kind_of(source.path, _head(source.path, source.label)) == "text"
    )


def _streamed_pieces(source: Source, piece_chars: int) -> Iterator[Piece]:
    """Decode a big text file block by block and cut it into pieces without holding it all."""
    script: str | None = None
    part, pending, carry = 0, 0, ""
    held: Piece | None = None  # one piece of look-ahead, to mark the last one
    try:
        stream = source.path.open("rb")
    except OSError:
        _read_bytes(source.path, source.label)  # raises the one-line error
        raise
    with stream:
        for text, nbytes in iter_decoded(stream, source.label):
            carry += text
            pending += nbytes
            while len(carry) >= piece_chars:
                cut = _cut_point(carry, piece_chars)
                chunk, carry = clean(carry[:cut]), carry[cut:]
                if chunk and HAN.search(chunk):
                    script = script or detect_script(chunk)
                    if held:
                        yield held
                    held = Piece(Document(chunk, source.name, script), part, False, pending)
                    part, pending = part + 1, 0
    chunk = clean(carry)
    if chunk and HAN.search(chunk):
        if held:
            yield held
        held = Piece(Document(chunk, source.name, script or detect_script(chunk)), part, True, pending)
        pending = 0
    if held is None:
        raise LearnError(f"{source.label}: no Chinese text found")
    held.last = True
    held.nbytes += pending
    yield held


def _cut(text: str, size: int) -> Iterator[str]:
    while len(text) > size:
        cut = _cut_point(text, size)
        chunk, text = text[:cut].strip(), text[cut:]
        if chunk:
            yield chunk
    if text.strip():
        yield text.strip()


def _cut_point(text: str, size: int) -> int:
    """Index just after the last line break (else sentence end) before `size`; `size` if none."""
    cut = text.rfind("\n", size // 2, size)
    if cut < 0:
        m = None
        for m in _SENTENCE_END.finditer(text, size // 2, size):  # noqa: B007 - the last match is wanted
            pass
        cut = m.end() - 1 if m and m.end() > size // 2 else size - 1
    return cut + 1


def _size(p: Path, label: str) -> int:
    try:
        return p.stat().st_size
    except OSError as err:
        raise LearnError(f"{label}: cannot read ({err.strerror or err})") from None


def _head(p: Path, label: str) -> bytes:
    try:
        with p.open("rb") as f:
            return f.read(4096)
    except PermissionError:
        raise LearnError(f"{label}: permission denied (cannot read the file)") from None
    except OSError as err:
        raise LearnError(f"{label}: cannot read ({err.strerror or err})") from None


# --- sentences -----------------------------------------------------------------------------


def headline(text: str) -> str:
    """The text's headline — a short line (4–40 characters) without sentence punctuation among its
    first three — or "" when it starts with running text. Handouts print it as their title and
    decks are named after it, so a rebuild lands in the same deck whatever the file is called."""
    for line in [ln.strip() for ln in text.splitlines() if ln.strip()][:3]:
        if 4 <= len(line) <= 40 and not any(p in line for p in "。！？!?；"):
            return line
    return ""


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
