"""Deck recipes: a TOML file naming a lesson's sources, options and a teacher's corrections.

A recipe is what a teacher keeps under version control. Rebuilding it after the texts or
the annotator change gives the same deck (same note GUIDs), with the teacher's overrides
applied again every time — they win over the automatic annotation. Shape::

    name = "sample"              # output base name: dist/sample.apkg, .json, .pdf (default: file name)
    title = "Sample lesson"      # deck name and handout title (default: name)
    sources = ["sample.txt"]     # texts or folders of texts, relative to the recipe file (required)
    top = 40                     # terms per source (default 50)
    standard = "tw"              # traditional forms: tw | hk | t (was `variant`, still read)
    known = "known.txt"          # words to leave out: word list or Anki .apkg/.colpkg
    max_hsk = 2                  # leave out HSK levels up to this one (1–7)
    cards = ["recognition", "recall", "context", "cloze"]
    audio = true                 # Anki's text-to-speech for the word and sentence (false: none)
    glossary = true              # curated policy glossary on/off

    [handout]                    # the PDF; leave out or enabled = false for none
    enabled = true
    top = 30                     # how many terms the handout uses (default: all)
    exercises = ["matching", "pinyin"]   # passed to learn.handout.pdf.make_handout, as are:
    grid = 6, seed = 1, paper = "a4", answer_key = true   # grid = 0: none
    script = "simplified"        # simplified | traditional | both (was `variant`, still read)
    reading = "excerpt", items = 8, tones = "citation"   # as learn handout --reading/--items/--tones

    [[override]]                 # one per corrected term (matched on simplified or traditional)
    term = "链长"
    pinyin = "liàn zhǎng"        # tone marks or numbers, one syllable per character
    definitions = ["chain leader (official in charge of an industrial chain)"]
    traditional = "鏈長"
    note = "Here 长 is zhǎng: the person in charge."
    # exclude = true             # drop the term altogether

A corrected pinyin changes the entry's key; `apply_overrides` reports the key the term
was extracted under so the deck keeps the note's GUID and Anki updates it in place.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from learn.deck import CARD_TYPES, parse_cards
from learn.entry import Entry, Example
from learn.errors import LearnError

STANDARDS = ("tw", "hk", "t")
# Keys renamed so that one idea has one word in recipes and on the command line (standard: tw/hk/t;
# script: simplified/traditional/both); the old names are still read, with a note.
_RENAMED = {"": {"variant": "standard"}, " in [handout]": {"variant": "script"}}
_TOP_KEYS = {
    "name",
    "title",
    "sources",
    "top",
    "standard",
    "variant",
    "known",
    "max_hsk",
    "cards",
    "audio",
    "glossary",
    "handout",
    "override",
}
_HANDOUT_KEYS = {
    "enabled",
    "top",
    "exercises",
    "grid",
    "seed",
    "paper",
    "answer_key",
    "script",
    "variant",
    "reading",
    "items",
    "tones",
}
_OVERRIDE_KEYS = {"term", "pinyin", "definitions", "traditional", "exclude", "note"}


@dataclass
class Override:
    """A teacher's correction of one term."""

    term: str
    pinyin: str = ""
    definitions: list[str] | None = None
    traditional: str = ""
    exclude: bool = False
    note: str = ""
    line: int = 0  # where it is in the recipe, for messages


@dataclass
class Handout:
    """Handout options; `options` holds only what the recipe sets, for make_handout."""

    enabled: bool = False
    top: int | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Recipe:
    path: Path
    name: str
    title: str
    sources: list[Path]
    top: int = 50
    standard: str = "tw"
    known: Path | None = None
    max_hsk: int | None = None
    cards: list[str] = field(default_factory=lambda: list(CARD_TYPES))
    audio: bool = True
    glossary: bool = True
    handout: Handout = field(default_factory=Handout)
    overrides: list[Override] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # `file:line: …` about old key names, for stderr


class _Checker:
    """Type checks that report `file:line: message` (the line found by the key's name)."""

    def __init__(self, path: str, text: str):
        self.path, self.lines = path, text.splitlines()
        self.notes: list[str] = []

    def renamed(self, table: dict[str, Any], where: str, after: int = 0) -> str:
        """The key a table uses for the one renamed option of `where` (its new name unless only the
        old one is there, which is noted); both at once is an error."""
        ((old, new),) = _RENAMED[where].items()
        if old not in table:
            return new
        if new in table:
            raise self.fail(f"'{old}' and '{new}'{where} are the same option: keep '{new}'", self.line_of(old, after))
        self.notes.append(
            f"{self.path}:{self.line_of(old, after)}: '{old}'{where} is now '{new}'; the old name still works for now"
        )
        return old

    def line_of(self, key: str, after: int = 0) -> int:
        pattern = re.compile(rf"^\s*(\[+\s*)?{re.escape(key)}\b")
        for n, line in enumerate(self.lines[after:], start=after + 1):
            if pattern.match(line):
                return n
        return 0

    def fail(self, message: str, line: int = 0) -> LearnError:
        return LearnError(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")

    def unknown(self, table: dict[str, Any], allowed: set[str], where: str, after: int = 0) -> None:
        extra = sorted(set(table) - allowed)
        if extra:
            shown = sorted(allowed - set(_RENAMED.get(where, {})))  # old names are not offered
            raise self.fail(
                f"unknown key '{extra[0]}'{where} (expected one of: {', '.join(shown)})",
                self.line_of(extra[0], after),
            )

    def get(
        self,
        table: dict[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        what: str,
        default: Any = None,
        after: int = 0,
    ) -> Any:
        if key not in table:
            return default
        value = table[key]
        bad = not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, (int,)))
        if bad:
            raise self.fail(f"'{key}' must be {what}, not {value!r}", self.line_of(key, after))
        return value

    def strings(self, table: dict[str, Any], key: str, what: str, after: int = 0) -> list[str] | None:
        value = self.get(table, key, (list, str), what, after=after)
        if value is None:
            return None
        items = [value] if isinstance(value, str) else value
        if not all(isinstance(v, str) and v.strip() for v in items):
            raise self.fail(f"'{key}' must be {what}", self.line_of(key, after))
        return [v.strip() for v in items]

    def number(self, table: dict[str, Any], key: str, low: int, high: int | None = None, after: int = 0) -> int | None:
        what = f"a whole number from {low} to {high}" if high else f"a whole number of at least {low}"
        value = self.get(table, key, int, what, after=after)
        if value is not None and (value < low or (high is not None and value > high)):
            raise self.fail(f"'{key}' must be {what}, not {value}", self.line_of(key, after))
        return value


def load_recipe(path: str | Path) -> Recipe:
    """Read and check a recipe; every problem is a one-line LearnError naming the file (and line)."""
    shown = str(path)
    p = Path(path)
    if not p.is_file():
        raise LearnError(f"{shown}: no such recipe file")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise LearnError(f"{shown}: not valid UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _decode_error(shown, err) from None
    check = _Checker(shown, text)
    check.unknown(data, _TOP_KEYS, "")
    base = p.parent
    default_name = re.sub(r"[^\w.\-]+", "-", p.stem).strip("-.") or "lesson"  # "my lesson.toml" → my-lesson
    name = check.get(data, "name", str, "a text", default=default_name).strip() or default_name
    if not re.fullmatch(r"[\w.\-]+", name):
        raise check.fail(
            f"'name' is used as a file name: letters, digits, . _ - only, not {name!r}", check.line_of("name")
        )
    sources = check.strings(data, "sources", "a list of file names")
    if not sources:
        raise check.fail("'sources' is missing: name at least one text file", check.line_of("sources"))
    source_paths = [
        _existing(check, base / s, "sources", "source", folder_ok=True) for s in dict.fromkeys(sources)
    ]  # a text named twice is read once
    known = check.get(data, "known", str, "a file name")
    key = check.renamed(data, "")
    standard = check.get(data, key, str, "a text", default="tw")
    if standard not in STANDARDS:
        raise check.fail(f"'{key}' must be one of {', '.join(STANDARDS)}, not {standard!r}", check.line_of(key))
    cards = _card_names(check, check.strings(data, "cards", "a list of card types"))
    return Recipe(
        path=p,
        name=name,
        title=check.get(data, "title", str, "a text", default="").strip() or name,
        sources=source_paths,
        top=check.number(data, "top", 1) or 50,
        standard=standard,
        known=_existing(check, base / known, "known", "known-words file") if known else None,
        max_hsk=check.number(data, "max_hsk", 1, 7),
        cards=cards,
        audio=check.get(data, "audio", bool, "true or false", default=True),
        glossary=check.get(data, "glossary", bool, "true or false", default=True),
        handout=_handout(check, data),
        overrides=_overrides(check, data),
        notes=check.notes,
    )


def _decode_error(shown: str, err: tomllib.TOMLDecodeError) -> LearnError:
    message = str(err)
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if m:
        return LearnError(f"{shown}:{m.group(1)}: {message[: m.start()]} (column {m.group(2)})")
    m = re.search(r"\s*\(at end of document\)$", message)
    if m:
        return LearnError(f"{shown}: {message[: m.start()]} (at end of file)")
    return LearnError(f"{shown}: {message}")


def _existing(check: _Checker, path: Path, key: str, what: str, folder_ok: bool = False) -> Path:
    """`path` when it is a file (or, for sources, a folder of texts, as on the command line)."""
    if path.is_dir() and not folder_ok:
        raise check.fail(f"{what} is a folder, not a file: {path}", check.line_of(key))
    if not path.exists():
        raise check.fail(f"{what} not found: {path}", check.line_of(key))
    return path


def _handout(check: _Checker, data: dict[str, Any]) -> Handout:
    table = check.get(data, "handout", dict, "a table ([handout])", default=None)
    if table is None:
        return Handout()
    after = max(check.line_of("handout") - 1, 0)
    check.unknown(table, _HANDOUT_KEYS, " in [handout]", after)
    options: dict[str, Any] = {}
    exercises = check.strings(table, "exercises", "a list of exercise names", after)
    if exercises is not None:
        options["exercises"] = _exercise_names(check, exercises, after)
    for key, low in (("grid", 0), ("seed", 0), ("items", 1)):  # grid = 0: no writing practice, as --grid 0
        value = check.number(table, key, low, after=after)
        if value is not None:
            options[key] = value
    from learn.handout.exercises import TONES
    from learn.handout.pdf import PAPERS, SCRIPTS
    from learn.handout.reading import MODES

    script = check.renamed(table, " in [handout]", after)
    for key, allowed in (("paper", tuple(PAPERS)), (script, SCRIPTS), ("reading", MODES), ("tones", TONES)):
        value = check.get(table, key, str, "a text", after=after)
        if value is not None and value not in allowed:
            raise check.fail(f"'{key}' must be one of {', '.join(allowed)}, not {value!r}", check.line_of(key, after))
        if value is not None:
            options["variant" if key == script else key] = value  # make_handout's name for the script
    answer_key = check.get(table, "answer_key", bool, "true or false", after=after)
    if answer_key is not None:
        options["answer_key"] = answer_key
    return Handout(
        enabled=check.get(table, "enabled", bool, "true or false", default=True, after=after),
        top=check.number(table, "top", 1, after=after),
        options=options,
    )


def _card_names(check: _Checker, names: list[str] | None) -> list[str]:
    """The deck's own check of card types (default: all), reported against the recipe line."""
    try:
        return list(CARD_TYPES) if names is None else parse_cards(names)
    except LearnError as err:
        raise check.fail(str(err), check.line_of("cards")) from None


def _exercise_names(check: _Checker, names: list[str], after: int) -> list[str]:
    """The handout's own check of exercise names, reported against the recipe line."""
    from learn.handout.exercises import parse_kinds

    try:
        return parse_kinds(names)
    except LearnError as err:
        raise check.fail(str(err), check.line_of("exercises", after)) from None


def _overrides(check: _Checker, data: dict[str, Any]) -> list[Override]:
    tables = check.get(data, "override", list, "a list of tables ([[override]])", default=[])
    out: list[Override] = []
    after = 0
    for table in tables:
        if not isinstance(table, dict):
            raise check.fail("each override must be a table ([[override]])", check.line_of("override"))
        after = max(check.line_of("[[override", after), check.line_of("override", after))
        start = max(after - 1, 0)
        check.unknown(table, _OVERRIDE_KEYS, " in [[override]]", start)
        term = check.get(table, "term", str, "a text", default="", after=start).strip()
        if not term:
            raise check.fail("[[override]] needs a 'term'", after)
        item = Override(
            term=term,
            pinyin=check.get(table, "pinyin", str, "a text", default="", after=start).strip(),
            definitions=check.strings(table, "definitions", "a list of non-empty texts", start),
            traditional=check.get(table, "traditional", str, "a text", default="", after=start).strip(),
            exclude=check.get(table, "exclude", bool, "true or false", default=False, after=start),
            note=check.get(table, "note", str, "a text", default="", after=start).strip(),
            line=after,
        )
        if not (item.pinyin or item.definitions or item.traditional or item.exclude or item.note):
            raise check.fail(
                f"override for {term!r} changes nothing "
                "(give pinyin, definitions, traditional, note or exclude = true)",
                after,
            )
        if item.pinyin:
            _syllables(item, check)  # fail early on unreadable pinyin
        out.append(item)
    return out


def _syllables(item: Override, check: _Checker | None = None) -> list[str]:
    """Numbered syllables of an override's pinyin: "liàn zhǎng" or "lian4 zhang3" → [lian4, zhang3]."""
    from learn.language.notation import is_han, marks_to_numbered, normalise_numbered

    words = [w for w in re.split(r"[\s'’]+", item.pinyin.strip()) if w]
    numbered = [normalise_numbered(w) if w[-1].isdigit() else marks_to_numbered(w) for w in words]
    han = sum(1 for ch in item.term if is_han(ch))
    problem = ""
    if any(not re.fullmatch(r"[a-zv]+[1-5]", s) for s in numbered):
        problem = f"cannot read pinyin {item.pinyin!r}"
    elif len(numbered) != han:
        problem = (
            f"pinyin {item.pinyin!r} has {len(numbered)} syllables for {han} characters "
            "(separate syllables with spaces)"
        )
    if problem:
        message = f"override for {item.term!r}: {problem}"
        raise check.fail(message, item.line) if check else LearnError(message)
    return numbered


def apply_overrides(
    entries: list[Entry], overrides: list[Override]
) -> tuple[list[Entry], dict[str, str], dict[str, str], set[str]]:
    """Apply the teacher's corrections.

    Returns (entries, guid_keys, notes, used): guid_keys maps each changed entry's new key
    to the key it was extracted under (its deck GUID stays the same); notes maps keys to
    teacher notes; used holds the override terms that matched some entry.
    """
    by_term: dict[str, Override] = {}
    for given in overrides:
        by_term.setdefault(given.term, given)
    out: list[Entry] = []
    guid_keys: dict[str, str] = {}
    notes: dict[str, str] = {}
    used: set[str] = set()
    for e in entries:
        o = by_term.get(e.simplified) or by_term.get(e.traditional)
        if o is None:
            out.append(e)
            continue
        used.add(o.term)
        if o.exclude:
            continue
        changed = _corrected(e, o)
        if changed.key != e.key:
            guid_keys[changed.key] = e.key
        if o.note:
            notes[changed.key] = o.note
        out.append(changed)
    return out, guid_keys, notes, used


def _corrected(e: Entry, o: Override) -> Entry:
    from learn.language.notation import spellings

    new = replace(e, examples=[replace(x) for x in e.examples], parts=list(e.parts))
    if o.pinyin:
        marks, numbered, zhuyin = spellings(_syllables(o))
        new.examples = [
            Example(x.sentence, x.pinyin.replace(e.pinyin, marks) if e.pinyin else x.pinyin, x.traditional)
            for x in new.examples
        ]
        new.pinyin, new.pinyin_numbered, new.zhuyin = marks, numbered, zhuyin
    if o.definitions:
        new.definitions = list(o.definitions)
        new.gloss_source, new.parts = "teacher", []  # the composed parts no longer explain it
    if o.traditional:
        old_trad = e.traditional
        new.traditional = o.traditional
        if old_trad:
            new.examples = [
                Example(x.sentence, x.pinyin, x.traditional.replace(old_trad, o.traditional)) for x in new.examples
            ]
    return new
