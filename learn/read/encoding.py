"""Bytes → text for plain-text inputs, in whatever encoding Chinese files come in.

UTF-8 is tried first (it is what almost everything is, and a strict decode is a reliable test).
Otherwise a byte-order mark decides, and failing that charset-normalizer picks among the encodings
Chinese texts are actually saved in (UTF-16/32 without BOM, GB18030 ⊃ GBK ⊃ GB2312, Big5 and its
extensions). Limiting the candidates keeps a broken file from being "decoded" as Latin-1 mojibake:
it is reported as undecodable instead.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import BinaryIO

from charset_normalizer import from_bytes

from learn.errors import LearnError

CANDIDATES = [
    "utf_8",
    "utf_16",
    "utf_16_le",
    "utf_16_be",
    "utf_32",
    "utf_32_le",
    "utf_32_be",
    "gb18030",
    "big5",
    "cp950",
    "big5hkscs",
]

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf_32"),
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
]

# File signatures of formats that are certainly not text (images, archives, executables, media).
_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"Rar!",
    b"%PDF",
    b"\xd0\xcf\x11\xe0",
    b"OggS",
    b"\x00\x00\x01\x00",
    b"SQLite format 3",
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, name: str) -> str:
    """Decode a whole file's bytes, or raise a one-line LearnError (binary / undecodable)."""
    encoding = detect(data, name)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        if encoding != "cp950":
            raise _undecodable(name, encoding, err.start) from None
        try:  # Hong Kong files: Big5 with HKSCS characters
            text = data.decode("big5hkscs")
        except UnicodeDecodeError:
            raise _undecodable(name, encoding, err.start) from None
    _refuse_binary(text, name)
    return text


def detect(sample: bytes, name: str) -> str:
    """Name the Python codec that decodes `sample` (the start of a file)."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    if sample.startswith(_MAGIC):
        raise LearnError(f"{name}: binary file ({_kind(sample)}), expected text")
    utf8_error = _utf8_error(sample)
    if utf8_error is None:
        return "utf_8"
    best = from_bytes(sample, cp_isolation=CANDIDATES).best()
    if best is None and _is_hkscs(sample):
        return "big5hkscs"
    if best is None:
        if b"\x00" in sample:
            raise LearnError(f"{name}: binary file, expected text")
        raise _undecodable(name, "utf_8", utf8_error)
    return wider(best.encoding)


def _is_hkscs(sample: bytes) -> bool:
    """Hong Kong Big5 (HKSCS: 嘅 咗 哋) that charset-normalizer does not model: a strict decode
    that yields mostly Chinese. Big5's byte ranges are narrow enough that other data fails it."""
    try:
        text = sample.decode("big5hkscs")
    except UnicodeDecodeError as err:
        if len(sample) - err.start > 1:
            return False
        text = sample[: err.start].decode("big5hkscs")
    visible = "".join(text.split())
    return bool(visible) and sum("\u3400" <= c <= "\u9fff" for c in visible) >= 0.3 * len(visible)


def wider(encoding: str) -> str:
    """The codec to decode a named encoding with: GBK/GB2312 → GB18030, Big5 → CP950 (Windows Big5)."""
    key = encoding.replace("-", "").replace("_", "").lower()
    return {"gb2312": "gb18030", "gbk": "gb18030", "xgbk": "gb18030", "big5": "cp950"}.get(key, encoding)


def iter_decoded(stream: BinaryIO, name: str, block: int = 1 << 20) -> Iterator[tuple[str, int]]:
    """Decode a large file block by block: yields (text, bytes consumed) with bounded memory.

    The encoding is chosen from the first block; a later byte that does not fit it stops the
    run with the byte offset, rather than silently producing replacement characters.
    """
    first = stream.read(block)
    encoding = _detect_truncated(first, name)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset, data = 0, first
    while data:
        try:
            text = decoder.decode(data)
        except UnicodeDecodeError as err:
            raise _undecodable(name, encoding, offset + max(err.start, 0)) from None
        _refuse_binary(text, name)
        yield text, len(data)
        offset += len(data)
        data = stream.read(block)
    try:
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise _undecodable(name, encoding, offset) from None
    if tail:
        yield tail, 0


def _detect_truncated(sample: bytes, name: str) -> str:
    """detect() on a block that may end inside a multi-byte character."""
    for cut in range(4):
        try:
            return detect(sample[: len(sample) - cut] if cut else sample, name)
        except LearnError:
            if cut == 3 or len(sample) <= cut:
                raise
    raise AssertionError("unreachable")


def _utf8_error(data: bytes) -> int | None:
    """Byte offset of the first invalid UTF-8 sequence, or None if the bytes are valid UTF-8."""
    try:
        data.decode("utf_8")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and len(data) - err.start < 4 and err.start > 0:
            return None  # a block boundary cut a character in two; the rest was fine
        return err.start
    return None


def _refuse_binary(text: str, name: str) -> None:
    """Text with NULs or many control characters is a binary file that happened to decode."""
    head = text[:65536]
    controls = len(_CONTROL.findall(head))
    if "\x00" in head or controls > max(8, len(head) // 100):
        raise LearnError(f"{name}: binary file, expected text")


def _undecodable(name: str, encoding: str, offset: int) -> LearnError:
    label = {"utf_8": "UTF-8", "utf_8_sig": "UTF-8"}.get(encoding, encoding.replace("_", "-").upper())
    return LearnError(
        f"{name}: cannot decode the text: byte {offset} is not valid {label}, and the file "
        "is not UTF-16, GB18030/GBK or Big5 either; save it as UTF-8"
    )


def _kind(sample: bytes) -> str:
    kinds = {
        b"\x89PNG": "PNG image",
        b"\xff\xd8\xff": "JPEG image",
        b"GIF8": "GIF image",
        b"PK\x03\x04": "zip archive",
        b"\x1f\x8b": "gzip archive",
        b"%PDF": "PDF; name it .pdf",
        b"\xd0\xcf\x11\xe0": "old Office document",
        b"\x7fELF": "program",
    }
    return next((k for m, k in kinds.items() if sample.startswith(m)), "not text")
