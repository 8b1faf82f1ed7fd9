"""Materials: where the words to practise come from.

  sample    decks/sample.txt, the text the project ships
  recipe    dist/NAME.json written by `learn build` (a list of Entry dicts, best first), with the
            recipe's text beside it (dist/NAME.txt) for the reader and the handout
  upload    a .txt/.md file the learner uploads
  paste     text pasted into the app
  paths     files named on the `learn quiz PATH...` command line (.json entries or texts)
A material is either ready entries or a text still to be extracted (the app caches extraction).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from learn.entry import Entry
from learn.errors import LearnError

ROOT = Path(__file__).resolve().parents[2]  # the repository (or site-packages) folder
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
MAX_TEXT = 2_000_000  # characters; larger texts belong to `learn build`


@dataclass
class Material:
    """Words to practise: `entries` when already extracted, else `text` to extract."""

    name: str
    text: str = ""
    entries: list[Entry] | None = None
    notes: list[str] = field(default_factory=list)
    origin: str = ""  # the file it was read from, if any


def sample_path() -> Path | None:
    """decks/sample.txt beside the package (a source checkout) or in the working folder."""
    for folder in (ROOT, Path.cwd()):
        path = folder / "decks" / "sample.txt"
        if path.is_file():
            return path
    return None


def recipe_files() -> list[Path]:
    """Entry lists built by `learn build` (dist/*.json), from the working folder and the checkout."""
    found: dict[Path, None] = {}
    for folder in (Path.cwd() / "dist", ROOT / "dist"):
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                found.setdefault(path.resolve(), None)
    return list(found)


def load_entries(path: Path) -> list[Entry]:
    """Entries from a JSON list of Entry dicts, or a one-line LearnError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise LearnError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise LearnError(f"{path}: not an entries JSON file ({type(err).__name__})") from None
    if not isinstance(data, list):
        raise LearnError(f"{path}: expected a JSON list of entries")
    try:
        entries = [Entry.from_dict(item) for item in data]
    except (TypeError, AttributeError):
        raise LearnError(f"{path}: expected a JSON list of entries (objects with 'simplified' …)") from None
    if not entries:
        raise LearnError(f"{path}: the entry list is empty")
    for n, entry in enumerate(entries, start=1):
        problem = _problem(entry)
        if problem:
            raise LearnError(f"{path}: entry {n}: {problem}")
    return entries


_TEXT_FIELDS = (
    "traditional",
    "pinyin",
    "pinyin_numbered",
    "zhuyin",
    "kind",
    "source",
    "gloss_source",
    "expansion",
    "variant",
    "script",
)


def _problem(entry: Entry) -> str:
    """Why a loaded entry cannot be practised, or "": a hand-edited file must fail here, in one
    line, rather than as a traceback in the middle of a quiz."""

    def texts(values: object) -> bool:
        return isinstance(values, list) and all(isinstance(v, str) for v in values)

    def number(value: object) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    if not isinstance(entry.simplified, str) or not _HAN.search(entry.simplified):
        return "'simplified' must be Chinese text"
    wrong = next((f for f in _TEXT_FIELDS if not isinstance(getattr(entry, f), str)), "")
    if wrong:
        return f"'{wrong}' must be text"
    if not texts(entry.definitions):
        return "'definitions' must be a list of texts"
    if not all(texts([x.sentence, x.pinyin, x.traditional]) for x in entry.examples):
        return "each example's 'sentence', 'pinyin' and 'traditional' must be text"
    if entry.hsk is not None and not (number(entry.hsk) and int(entry.hsk) == entry.hsk):
        return "'hsk' must be a whole number or null"
    wrong = next((f for f in ("zipf", "count", "score") if not number(getattr(entry, f))), "")
    return f"'{wrong}' must be a number" if wrong else ""


def from_text(text: str, name: str) -> Material:
    """A material from raw text (pasted or decoded), checked to contain Chinese."""
    from learn.read.text import document

    text = document(text, name).text
    if len(text) > MAX_TEXT:
        raise LearnError(f"{name}: too long for the quiz ({len(text):,} characters); use `learn build`")
    return Material(name, text=text)


def from_upload(name: str, data: bytes) -> Material:
    """A material from an uploaded .txt/.md file's bytes (any encoding Chinese files use)."""
    from learn.read.encoding import decode

    return from_text(decode(data, name), name)


def from_file(path: Path) -> Material:
    """A material from a file: a .json entry list, or a text file."""
    if path.suffix.lower() == ".json":
        return Material(path.stem, text=_text_beside(path), entries=load_entries(path), origin=str(path))
    if not path.exists():
        raise LearnError(f"{path}: no such file")
    if path.is_dir():
        raise LearnError(f"{path}: is a directory")
    from learn.read.text import read_document

    return Material(path.name, text=read_document(str(path)).text, origin=str(path))


def _text_beside(path: Path) -> str:
    """The text `learn build` keeps beside a word list (NAME.txt), or "" when there is none."""
    text = path.with_suffix(".txt")
    try:
        return text.read_text(encoding="utf-8") if text.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return ""


def from_paths(paths: Sequence[str]) -> Material:
    """Several files as one material: their entry lists joined (first wins) and texts joined."""
    parts = [from_file(Path(p)) for p in paths]
    if len(parts) == 1:
        return parts[0]
    name = ", ".join(m.name for m in parts)
    texts = "\n\n".join(m.text for m in parts if m.text and m.entries is None)
    ready = [m for m in parts if m.entries is not None]
    if ready and texts:
        raise LearnError("give either .json entry lists or texts to `learn quiz`, not both")
    if ready:
        return Material(
            name,
            text="\n\n".join(m.text for m in ready if m.text),
            entries=unique([e for m in ready for e in m.entries or []]),
        )
    return Material(name, text=texts)


def unique(entries: Sequence[Entry]) -> list[Entry]:
    """Entries with one per key (the same word is the same card), first occurrence kept."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.key, entry)
    return list(seen.values())


def handout_text(material: Material, entries: Sequence[Entry]) -> str:
    """The reading text for a handout: the source text, else the entries' example sentences."""
    if material.text:
        return material.text
    sentences: dict[str, None] = {}
    for entry in entries:
        for example in entry.examples:
            sentences.setdefault(example.sentence, None)
    return "\n".join(sentences)
