"""Documents: read files, folders or stdin into clean text, and split text into sentences.

Everything downstream works on `Document.text`; file formats (learn.formats) and encodings
(learn.encoding) stop here. Bad input becomes a one-line LearnError naming the file.
"""
from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from learn.encoding import iter_decoded
from learn.errors import LearnError
from learn.formats import SUFFIXES, kind_of, to_text

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
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
                    for c in range(r[0], r[1] + 1)}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def clean(text: str) -> str:
    """Normalise width and line breaks so that counts and n-grams see one form per character."""
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH_ALNUM)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u3000", " ").replace("\ufeff", "")
    return re.sub(r"[ \t]+", " ", text).strip()


# --- script ---------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _converters():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


def detect_script(text: str, sample: int = 20_000) -> str:
    """'traditional' or 'simplified': which script's distinctive characters occur more often.

    A character is distinctive for traditional script if OpenCC t2s changes it (國, 產), and for
    simplified script if s2t changes it (国, 产). Characters shared by both (人, 中) do not vote;
    a text with no distinctive characters counts as simplified.
    """
    counts = Counter(text[:sample])
    votes = [(_script_of(c), n) for c, n in counts.items() if _HAN.match(c)]
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
    return document(_file_text(p, path), p.name)


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
        found.extend(Path(root, f) for f in files
                     if not f.startswith(".") and Path(f).suffix.lower() in SUFFIXES)
    return sorted(found)


def _read_source(source: Source) -> Document:
    if source.label == "-":
        return read_document("-")
    return document(_file_text(source.path, source.label), source.name)


def _file_text(p: Path, label: str) -> str:
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


def document(text: str, name: str) -> Document:
    """A Document from raw text (pasted, decoded): cleaned, checked to hold Chinese, script detected."""
    text = clean(text)
    if not text:
        raise LearnError(f"{name}: empty input (only whitespace)")
    if not _HAN.search(text):
        raise LearnError(f"{name}: no Chinese text found")
    return Document(text, name, detect_script(text))


def _warn(message: str) -> None:
    sys.stderr.write(f"learn: skipped {message}\n")


# --- corpus mode: bounded pieces ---------------------------------------------------------

def iter_pieces(sources: list[Source], piece_chars: int | None = None,
                on_skip: Callable[[str], None] | None = None) -> Iterator[Piece]:
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
    return _size(source.path, source.label) > STREAM_BYTES and \
        kind_of(source.path, _head(source.path, source.label)) == "text"


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
                if chunk and _HAN.search(chunk):
                    script = script or detect_script(chunk)
                    if held:
                        yield held
                    held = Piece(Document(chunk, source.name, script), part, False, pending)
                    part, pending = part + 1, 0
    chunk = clean(carry)
    if chunk and _HAN.search(chunk):
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
        for m in _SENTENCE_END.finditer(text, size // 2, size):
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


# --- example clauses ---------------------------------------------------------------------

CLAUSE_CHARS = 40
_CLAUSE_END = "，；：、,;:"
_FINAL = "。！？!?；;…”’」』\"')）》"
# scraped list markers and decorations that open a line (▶ ■ ● ◆ ★ ※ …)
_MARKERS = re.compile(r"^[\s▶►▷▸■□●○◆◇★☆※▲△▼▽•·◎→➤✓✔\-—*#|]+")
# bylines and datelines: 新华社北京3月5日电（记者 张三）, 本报记者 李四 摄, （记者 王五）
_BYLINES = re.compile(r"^(?:新华社|中新社|本报|人民网|央视网)[^，。\s]{0,16}电\s*|"
                      r"[（(](?:记者|通讯员|本报记者)[^）)]{0,30}[）)]|"
                      r"(?:^|\s)本报(?:记者|通讯员)\s*\S{2,4}?(?:\s*摄)?\s*$|^本报(?:记者|通讯员)\s*\S{2,4}\s+|"
                      r"\s+\S{2,4}摄\s*$")


@lru_cache(maxsize=4096)
def strip_markers(sentence: str) -> str:
    """A sentence without scraped bullets and bylines (本报记者 + name, （记者 …）, datelines).
    Remembered: a sentence is cleaned for every term it holds."""
    previous = None
    while previous != sentence:
        previous = sentence
        sentence = _BYLINES.sub("", _MARKERS.sub("", sentence)).strip()
    return sentence


def is_broken(sentence: str) -> bool:
    """True for a sentence that stops mid-phrase: it ends on a comma or an opening mark (a
    semicolon closes a sentence), or has no final punctuation while being too long for a
    headline or ending in Latin or digits (a scraped line cut at "近5年AI")."""
    s = sentence.rstrip()
    if not s:
        return True
    if s[-1] in "，、：,:（(“‘《—-":
        return True
    return s[-1] not in _FINAL and (len(s) > CLAUSE_CHARS or (s[-1].isascii() and s[-1].isalnum()))


def clause_around(sentence: str, term: str, limit: int = CLAUSE_CHARS) -> str:
    """The clauses of `sentence` around the first `term`, as many as fit in `limit` characters.

    Clauses end at ，；：、. When the term's own clause is longer than `limit`, the cut falls
    between jieba words so no word is split; a cut is shown with "…".
    """
    at = sentence.find(term)
    if at < 0 or len(sentence) <= limit:
        return sentence
    limit -= 2  # room for the "…" that marks each cut
    ends = [i + 1 for i in _clause_breaks(sentence)] + [len(sentence)]
    starts = [0] + ends[:-1]
    first = max(k for k, s in enumerate(starts) if s <= at)
    last = min(k for k, e in enumerate(ends) if e >= at + len(term))
    while True:
        grow = [(k0, k1) for k0, k1 in ((first - 1, last), (first, last + 1))
                if 0 <= k0 and k1 < len(ends) and ends[k1] - starts[k0] <= limit]
        if not grow:
            break
        first, last = min(grow, key=lambda kk: ends[kk[1]] - starts[kk[0]])
    start, end = starts[first], ends[last]
    if end - start > limit:
        start, end = _word_window(sentence, start, end, at, at + len(term), limit)
    piece = sentence[start:end].strip()
    if end < len(sentence):
        piece = piece.rstrip(_CLAUSE_END) + "…"
    return ("…" if start > 0 else "") + piece


def finished_part(sentence: str) -> str:
    """A sentence that stops mid-phrase, up to its last clause break ("…集聚,汇聚…近900家,近5年AI"
    → "…集聚,汇聚…近900家…"); a whole sentence as it is."""
    if not is_broken(sentence):
        return sentence
    breaks = [i for i in _clause_breaks(sentence.rstrip()) if i < len(sentence.rstrip()) - 1]
    return sentence[:breaks[-1]] + "…" if breaks else ""


def _clause_breaks(sentence: str) -> list[int]:
    """Positions of clause-ending punctuation outside quotation marks and brackets."""
    depth, out = 0, []
    for i, c in enumerate(sentence):
        if c in "“‘「『《（(":
            depth += 1
        elif c in "”’」』》）)":
            depth = max(0, depth - 1)
        elif c in _CLAUSE_END and depth == 0:
            out.append(i)
    return out


def _word_window(sentence: str, start: int, end: int, lo: int, hi: int, limit: int) -> tuple[int, int]:
    """Widen [lo, hi) word by word inside [start, end) up to `limit` characters."""
    from learn.lexicon import cut

    bounds = [start]
    for token in cut(sentence[start:end]):
        bounds.append(bounds[-1] + len(token))
    left = max(b for b in bounds if b <= lo)
    right = min(b for b in bounds if b >= hi)
    while True:
        options = []
        below = [b for b in bounds if b < left]
        above = [b for b in bounds if b > right]
        if above and above[0] - left <= limit:
            options.append((left, above[0]))
        if below and right - below[-1] <= limit:
            options.append((below[-1], right))
        if not options:
            return left, right
        left, right = min(options, key=lambda lr: (lr[1] - lr[0], -lr[1]))
