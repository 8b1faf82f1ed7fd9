"""File formats → plain text: saved web pages, PDFs (text layer), Word .docx, plain text.

Each reader takes the file's bytes and returns text, or raises a one-line LearnError. Third-party
parsers raise many different exceptions on malformed files; they are caught here, at the format
boundary, and turned into one line naming the file, so no traceback reaches the user. A reader
whose library is missing (a by-hand install with an old pip skips lxml_html_clean, the extra that
jusText asks for under trafilatura) says which package to install, in one line too.
"""

from __future__ import annotations

import importlib
import io
import logging
import re
from pathlib import Path

from learn.errors import LearnError
from learn.read.encoding import decode, wider

SUFFIXES = {
    ".txt": "text",
    ".md": "text",
    ".text": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
_REFUSED = {
    ".doc": "old Word .doc files are not supported; save it as .docx",
    ".wps": "WPS files are not supported; save it as .docx",
    ".epub": "EPUB is not supported; convert it to .txt or .html",
    ".rtf": "RTF is not supported; save it as .docx or .txt",
}

# The libraries each reader needs, as (module, package to install), checked in this order.
_LIBRARIES = {
    "html": (("lxml_html_clean", "lxml_html_clean"), ("trafilatura", "trafilatura")),
    "pdf": (("pypdf", "pypdf"),),
    "docx": (("docx", "python-docx"),),
}
_WHAT = {"html": "web pages", "pdf": "PDF files", "docx": "Word .docx files"}

# Third-party parsers log warnings about malformed files; the user gets our one line instead.
for _logger in ("pypdf", "trafilatura", "htmldate", "courlan", "charset_normalizer"):
    logging.getLogger(_logger).setLevel(logging.CRITICAL)


def kind_of(path: Path, head: bytes) -> str:
    """'text' | 'html' | 'pdf' | 'docx' from the suffix, or from the first bytes when it says nothing."""
    suffix = path.suffix.lower()
    if suffix in _REFUSED:
        raise LearnError(f"{path}: {_REFUSED[suffix]}")
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and b"word/" in head:
        return "docx"
    if re.match(rb"\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html)", head[:1024], re.IGNORECASE):
        return "html"
    return "text"


def to_text(kind: str, data: bytes, name: str) -> str:
    """Text of a file's bytes, read as the given kind."""
    reader = {"text": decode, "html": html_to_text, "pdf": pdf_to_text, "docx": docx_to_text}[kind]
    require(kind, name)
    return reader(data, name)


def require(kind: str, name: str) -> None:
    """Import the libraries the `kind` reader needs, or fail in one line naming the package to install."""
    for module, package in _LIBRARIES.get(kind, ()):
        try:
            importlib.import_module(module)
        except ImportError:
            raise LearnError(
                f"{name}: reading {_WHAT[kind]} needs the Python package {package}, which is "
                f"not installed; install it with: pip install {package}"
            ) from None


def html_to_text(data: bytes, name: str) -> str:
    """Main article text of a saved web page: navigation, scripts, ads and footers dropped."""
    import trafilatura

    try:
        html = _without_boilerplate(_decode_html(data, name))
        text = trafilatura.extract(
            html, include_comments=False, include_tables=True, include_images=False, deduplicate=False
        )
        if not text:  # very short pages fall below trafilatura's article heuristics
            text = trafilatura.baseline(html)[1]
    except LearnError:
        raise
    except Exception as err:  # noqa: BLE001 - malformed markup must become one line
        raise LearnError(f"{name}: cannot read this web page ({_brief(err)})") from None
    return text or ""


_BOILERPLATE = (
    "script",
    "style",
    "noscript",
    "nav",
    "footer",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
    "template",
    "svg",
    "header[not(ancestor::article) and not(ancestor::main)]",
)


def _without_boilerplate(html: str) -> str:
    """The page with menus, scripts and footers removed before article extraction.

    trafilatura already skips these on full pages, but on short pages it falls back to all the
    text of the body; removing them first keeps site menus out of the vocabulary either way.
    """
    import lxml.html

    if not html.strip():
        return html
    tree = lxml.html.document_fromstring(html)
    for element in tree.xpath("//" + " | //".join(_BOILERPLATE)):
        element.drop_tree()
    return str(lxml.html.tostring(tree, encoding="unicode"))


def _decode_html(data: bytes, name: str) -> str:
    """Honour a <meta charset> declaration when it decodes cleanly, else detect like plain text."""
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", data[:4096], re.IGNORECASE)
    if m:
        try:
            return data.decode(wider(m.group(1).decode("ascii").lower()))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, name)


def pdf_to_text(data: bytes, name: str) -> str:
    """The text layer of a PDF, with soft line wraps inside Chinese sentences joined again."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LearnError(f"{name}: PDF is password-protected; remove the password first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except LearnError:
        raise
    except Exception as err:  # noqa: BLE001 - pypdf raises many types on damaged files
        raise LearnError(f"{name}: not a readable PDF ({_brief(err)})") from None
    text = "\n".join(unwrap_lines(p) for p in pages)
    if not re.search(r"\w", text):
        raise LearnError(f"{name}: PDF has no text layer (scanned?); run OCR on it first")
    return text


_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SOFT_END = re.compile(rf"[{_CJK}，、：“‘（《a-zA-Z0-9]$")


def unwrap_lines(page: str) -> str:
    """Join lines that a PDF wrapped mid-sentence; keep breaks after short lines (paragraph ends).

    A line counts as wrapped when it is nearly as long as the longest line on the page and does
    not end a sentence: headings and last lines of paragraphs are short, so their breaks stay.
    """
    lines = [ln.strip() for ln in page.split("\n")]
    full = max((len(ln) for ln in lines), default=0)
    out: list[str] = []
    for ln in lines:
        if out and out[-1] and ln and len(out[-1]) >= 0.8 * full and _SOFT_END.search(out[-1]):
            cjk_join = re.match(rf"[{_CJK}]", ln[0]) or re.search(rf"[{_CJK}，、：“‘（《]$", out[-1])
            out[-1] += ln if cjk_join else " " + ln
        else:
            out.append(ln)
    return "\n".join(out)


def docx_to_text(data: bytes, name: str) -> str:
    """Paragraphs and table cells of a Word .docx, in document order."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                parts.extend(_table_lines(block))
            else:
                parts.append(block.text)
    except Exception as err:  # noqa: BLE001 - python-docx raises zip/XML/key errors on bad files
        raise LearnError(f"{name}: not a readable Word .docx file ({_brief(err)})") from None
    return "\n".join(parts)


def _table_lines(table) -> list[str]:  # type: ignore[no-untyped-def]
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:  # merged cells repeat; keep each text once per row
            if cell.text and (not cells or cells[-1] != cell.text):
                cells.append(cell.text)
        lines.append("\t".join(cells))
    return lines


def _brief(err: Exception) -> str:
    text = " ".join(str(err).split())[:120]
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
