"""The teacher handout: entries + text → data → typst template → PDF.

All user text (terms, definitions, the reading text, titles) reaches the template as JSON
through typst's `sys.inputs` and is placed as strings, never parsed as markup; so
# $ * _ [ ] \\ < > print literally and cannot break compilation. The template is
learn/templates/handout.typ. Fonts: Noto Sans CJK for the text and AR PL UKai (Debian
fonts-arphic-ukai) for the model characters of the writing grids, both embedded and subset
by typst and found on the machine at run time; typst's system-font scan is off, so the same
input gives the same PDF bytes on a given machine.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
import statistics
import subprocess
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from learn.entry import Entry
from learn.errors import LearnError, UsageError
from learn.handout import strokes
from learn.handout.exercises import (
    ITEMS,
    KINDS,
    TONES,
    Script,
    build_exercises,
    gloss,
    is_han,
    parse_kinds,
    say,
    short_meaning,
    to_simplified,
)
from learn.handout.reading import MODES, Reading, body_text, make_reading
from learn.output import atomic_path
from learn.read.text import headline

SCRIPTS = ("simplified", "traditional", "both")
PAPERS = {"a4": "a4", "letter": "us-letter"}
TEMPLATE = Path(__file__).parent / "templates" / "handout.typ"

#: Most characters drilled for one term on the writing pages (a block never splits across pages).
GRID_ROWS = 12

_LONG_RUN = re.compile(r"[!-~]{24,}")  # URLs and the like: no line-break opportunity inside

_FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",  # Debian/Ubuntu fonts-noto-cjk
    "/usr/share/fonts/noto-cjk",  # Arch, Alpine
    "/usr/share/fonts/google-noto-cjk",  # Fedora
    "/usr/local/share/fonts",
    "/Library/Fonts",
    os.path.expanduser("~/.local/share/fonts"),
    os.path.expanduser("~/Library/Fonts"),
)
#: Kai (楷体) for the model characters: Debian/Ubuntu fonts-arphic-ukai, else LEARN_KAI_DIR.
_KAI_DIRS = (
    "/usr/share/fonts/truetype/arphic",
    "/usr/share/fonts/arphic",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    os.path.expanduser("~/.local/share/fonts"),
)
_KAI_FILE = "ukai.ttc"
#: Region faces of AR PL UKai: the traditional standards get the TC (Taiwan) or HK face.
_KAI = {"simplified": "AR PL UKai", "tw": "AR PL UKai TW", "t": "AR PL UKai TW", "hk": "AR PL UKai HK"}
_FONT_NAMES = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansCJK-VF.otf.ttc",
    "NotoSansCJKsc-VF.otf",
    "NotoSansSC-Regular.otf",
)
#: Chinese labels of the page furniture (converted for a traditional handout).
LABELS = {
    "handout": "词汇讲义",
    "name": "姓名",
    "class": "班级",
    "number": "学号",
    "vocabulary": "词汇",
    "term": "词语",
    "reading": "阅读",
    "bank": "词库",
    "exercises": "练习",
    "writing": "写字练习",
    "key": "答案",
}
_REGION = {"tw": "tw", "t": "tw", "hk": "hk"}  # typst text region: CJK punctuation rules
# Region fonts of the one Noto CJK family: glyph shapes follow each standard.
_SANS = {"simplified": "Noto Sans CJK SC", "tw": "Noto Sans CJK TC", "t": "Noto Sans CJK TC", "hk": "Noto Sans CJK HK"}


@lru_cache(maxsize=1)
def font_dirs() -> tuple[str, ...]:
    """Folders holding Noto Sans CJK (LEARN_FONT_DIR first), or a one-line LearnError.

    WenQuanYi Micro Hei is deliberately not accepted: its tone-marked vowels are empty.
    """
    wanted = [os.environ.get("LEARN_FONT_DIR", ""), *_FONT_DIRS]
    found = [d for d in wanted if d and any((Path(d) / n).is_file() for n in _FONT_NAMES)]
    if not found and shutil.which("fc-list"):
        try:
            listing = subprocess.run(
                ["fc-list", "-f", "%{file}\n", "Noto Sans CJK SC"], capture_output=True, text=True, timeout=20
            ).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
        found = sorted({str(Path(f).parent) for f in listing.splitlines() if f.strip()})
    if not found:
        raise LearnError(
            "no Chinese font found: install Noto Sans CJK "
            "(Debian/Ubuntu: apt-get install fonts-noto-cjk) or set LEARN_FONT_DIR"
        )
    return tuple(found[:1])


@lru_cache(maxsize=1)
def kai_dir() -> str | None:
    """The folder holding AR PL UKai (LEARN_KAI_DIR first), or None: the grids then use Noto."""
    wanted = [os.environ.get("LEARN_KAI_DIR", ""), *_KAI_DIRS]
    return next((d for d in wanted if d and (Path(d) / _KAI_FILE).is_file()), None)


def _has_serif(dirs: Sequence[str]) -> bool:
    return any(p.name.startswith("NotoSerifCJK") for d in dirs for p in Path(d).glob("NotoSerif*"))


def _hsk_name(level: int | None) -> str:
    if not level:
        return "beyond"
    return "7–9" if level >= 7 else str(level)


def level_label(entries: Sequence[Entry]) -> str:
    """The handout's level: the median HSK level of the listed words, plus how many are beyond HSK.

    A range (HSK 2–7-9) says little because nearly every real text spans it; the median
    tells a teacher where the bulk of the vocabulary sits, and the off-list count tells
    how much is beyond the syllabus altogether (policy coinages usually are).
    """
    levels = sorted(e.hsk for e in entries if e.hsk)
    beyond = sum(1 for e in entries if not e.hsk)
    if not levels:
        return f"beyond HSK (all {len(entries)} words)"
    label = f"HSK {_hsk_name(statistics.median_high(levels))} (median)"
    return f"{label} · {beyond} of {len(entries)} words beyond HSK" if beyond else label


def default_title(text: str) -> str:
    """The text's headline; else a generic title."""
    return headline(text) or "Vocabulary handout"


def running_title(title: str, width: int = 90) -> str:
    """The title for the page footer: one line, cut with "…" past `width` (a Chinese
    character counts two), so a long title never spills into the page."""
    used, out = 0, list[str]()
    for ch in " ".join(title.split()):
        used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used > width:
            return "".join(out).rstrip() + "…"
        out.append(ch)
    return "".join(out)


def _standard(entries: Sequence[Entry]) -> str:
    """Which traditional standard the entries follow (tw, hk or t), by majority."""
    counts = Counter(e.variant for e in entries if e.variant in ("tw", "hk", "t"))
    return counts.most_common(1)[0][0] if counts else "tw"


def traditional_source(entries: Sequence[Entry]) -> bool:
    """Whether most entries were found in traditional-script text (Entry.script)."""
    scripts = Counter(getattr(e, "script", "simplified") for e in entries)
    return scripts["traditional"] > scripts["simplified"]


def _text_in(script: Script, source_traditional: bool) -> Callable[[str], str]:
    """Converts a run of the source text into the script the handout prints."""
    if not source_traditional:
        return script.text
    if script.traditional:
        return lambda run: run
    return lambda run: to_simplified(run, script.standard)


def breakable(text: str) -> str:
    """Let long Latin runs (URLs, codes) wrap: a zero-width space every 12 characters."""
    return _LONG_RUN.sub(lambda m: "\u200b".join(m[0][i : i + 12] for i in range(0, len(m[0]), 12)), text)


def ruby_pairs(term: str, pinyin: str) -> list[list[str]]:
    """[character, syllable] for each character of a printed term, so the template can set
    the reading over whichever characters share a line. A Latin or digit run (5G, AI) carries
    its own token on its first character; when the reading does not line up with the term,
    the first character carries the whole reading."""
    tokens = pinyin.split()
    pairs: list[list[str]] = []
    k = 0
    for run in re.findall(r"[A-Za-z0-9.%]+|.", term):
        if is_han(run) or (k < len(tokens) and tokens[k] == run):
            pairs.append([run[0], tokens[k] if k < len(tokens) else ""])
            pairs += [[c, ""] for c in run[1:]]
            k += 1
        else:
            pairs += [[c, ""] for c in run]
    if k != len(tokens):
        return [[c, pinyin if i == 0 else ""] for i, c in enumerate(term)]
    return pairs


class _Marker:
    """Splits source lines into plain runs, marked terms (with ruby) and fill-in blanks.

    A fill-in answer is blanked wherever the reading shows it, inside a longer marked term too, so
    the page never prints it; a term is marked once per paragraph (the first time), so a word the
    text repeats does not fill the page with highlights.
    """

    def __init__(
        self,
        entries: Sequence[Entry],
        script: Script,
        source_traditional: bool,
        tones: str = "citation",
        blanks: Sequence[tuple[str, int]] = (),
    ):
        self.script, self.tones = script, tones
        self.plain = _text_in(script, source_traditional)
        self.by_form = {
            (e.traditional or e.simplified) if source_traditional else e.simplified: e
            for e in reversed(entries)
            if e.simplified
        }
        self.longest = max((len(f) for f in self.by_form), default=0)
        # fill-in answers as the source writes them, longest first: (form, item number)
        self.blanks = sorted(blanks, key=lambda b: -len(b[0]))
        self.count = 0  # marked terms so far: each gets its own ruby id

    def _blank_at(self, line: str) -> dict[int, tuple[int, int]]:
        """Every place in `line` that shows a fill-in answer: {start: (length, number)}."""
        out: dict[int, tuple[int, int]] = {}
        taken: set[int] = set()
        for form, number in self.blanks:
            at = line.find(form) if form else -1
            while at >= 0:
                span = set(range(at, at + len(form)))
                if not span & taken:
                    out[at] = (len(form), number)
                    taken |= span
                at = line.find(form, at + 1)
        return out

    def segments(self, line: str) -> list[dict[str, Any]]:
        """One paragraph: blanks first, then each term marked the first time it comes."""
        out: list[dict[str, Any]] = []
        blanks = self._blank_at(line)
        starts = sorted(blanks)
        marked: set[str] = set()
        plain: list[str] = []
        i = 0
        while i < len(line):
            room = min(self.longest, next((s for s in starts if s > i), len(line)) - i)
            match = (
                None
                if i in blanks
                else next(
                    (line[i : i + n] for n in range(room, 0, -1) if line[i : i + n] in self.by_form),
                    None,
                )
            )
            if match is not None and match in marked:  # marked already in this paragraph: plain text
                plain.extend(match)
                i += len(match)
                continue
            if i not in blanks and match is None:
                plain.append(line[i])
                i += 1
                continue
            if plain:
                out.append({"t": breakable(self.plain("".join(plain)))})
                plain = []
            if i in blanks:
                length, number = blanks[i]
                out.append({"blank": number})
                i += length
                continue
            assert match is not None
            marked.add(match)
            entry = self.by_form[match]
            term = self.script.term(entry)
            self.count += 1
            out.append({"t": term, "k": self.count, "r": ruby_pairs(term, say(entry, self.tones))})
            i += len(match)
        if plain:
            out.append({"t": breakable(self.plain("".join(plain)))})
        return out


def _reading_data(passages: Reading, marker: _Marker) -> list[dict[str, Any]]:
    """The printed paragraphs: headings, "……" gaps, "…" at cut ends, segments."""
    out = []
    for p in passages.passages:
        segs = marker.segments(p.text)
        if p.cut_start:
            segs.insert(0, {"t": "…"})
        if p.cut_end:
            segs.append({"t": "…"})
        out.append({"heading": p.heading, "gap": p.gap_before, "segs": segs})
    return out


def _vocabulary(
    entries: Sequence[Entry], script: Script, standard: str, tones: str = "citation"
) -> list[dict[str, Any]]:
    """Table rows; Chinese inside a meaning (composed glosses quote their parts) follows the script."""
    trad = Script(True, standard)
    return [
        {
            "simplified": e.simplified,
            "traditional": trad.term(e),
            "pinyin": say(e, tones),
            "meaning": script.text(gloss(e, 90)) or "—",
            "hsk": _hsk_name(e.hsk),
        }
        for e in entries
    ]


def _syllables(entry: Entry) -> list[str]:
    """One pinyin syllable per Han character, or blanks when they do not line up."""
    han = [c for c in entry.simplified if is_han(c)]
    syl = entry.pinyin.split()
    return syl if len(syl) == len(han) else [""] * len(han)


def _grid(
    entries: Sequence[Entry], count: int, variant: str, standard: str, tones: str = "citation"
) -> list[dict[str, Any]]:
    """Writing-practice blocks for the first `count` terms, one row per character.

    A character is drilled once: a repeat inside the term (人人) or one practised under an
    earlier term gets no second row, and the block's note says where it is, so a term never
    silently loses a character (模速空间 after 大模型). Each row carries its stroke-order
    images when the stroke data has the character.
    """
    trad = Script(True, standard)
    seen: dict[str, str] = {}  # character → the term it is practised under
    out = []
    for e in entries[:count]:
        forms = {
            "simplified": [(e.simplified, False)],
            "traditional": [(trad.term(e), True)],
            "both": [(e.simplified, False), (trad.term(e), True)],
        }[variant]
        term = trad.term(e) if variant == "traditional" else e.simplified
        rows, notes = [], []
        reading = say(e, tones)
        for form, is_trad in forms:
            han = [c for c in form if is_han(c)]
            syllables = _syllables(replace(e, pinyin=reading))
            for ch, py in zip(han, syllables if len(syllables) == len(han) else [""] * len(han), strict=True):
                if ch in seen:
                    if not (is_trad and ch in e.simplified):  # both scripts: a shared form is no repeat
                        where = "in this word" if seen[ch] == term else f"under {seen[ch]}"
                        notes.append(f"{ch} appears again: one row, practised {where}.")
                    continue
                seen[ch] = term
                rows.append({"char": ch, "pinyin": py, "trad": is_trad, "strokes": strokes.strip(ch)})
        notes = list(dict.fromkeys(notes))
        if len(rows) > GRID_ROWS:
            notes.append(f"{len(rows) - GRID_ROWS} more characters not drilled here.")
            rows = rows[:GRID_ROWS]
        if rows or notes:
            meaning = short_meaning(e, 70)
            meaning = trad.text(meaning) if variant == "traditional" else meaning
            out.append({"term": term, "pinyin": reading, "meaning": meaning, "rows": rows, "note": " ".join(notes)})
    return out


def stroke_coverage(grid: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """(grid characters with stroke-order figures, grid characters), for reports and tests."""
    rows = [r for g in grid for r in g["rows"]]
    return sum(1 for r in rows if r["strokes"]), len(rows)


def _each_once(entries: Sequence[Entry]) -> list[Entry]:
    """Drop empty and repeated words (same key), keeping the first, best-ranked copy."""
    first: dict[str, Entry] = {}
    for e in entries:
        if e.simplified and e.key not in first:
            first[e.key] = e
    return list(first.values())


def _check(variant: str, paper: str, grid: Any, seed: Any, reading_mode: str, tones: str) -> None:
    """Reject bad options with one line before anything is built."""
    if variant not in SCRIPTS:
        raise UsageError(f"unknown script {variant!r}; choose from {', '.join(SCRIPTS)}")
    if paper not in PAPERS:
        raise UsageError(f"unknown paper {paper!r}; choose from {', '.join(PAPERS)}")
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 0:
        raise UsageError(f"--grid must be a whole number of 0 or more, got {grid!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise UsageError(f"--seed must be a whole number, got {seed!r}")
    if reading_mode not in MODES:
        raise UsageError(f"unknown reading {reading_mode!r}; choose from {', '.join(MODES)}")
    if tones not in TONES:
        raise UsageError(f"unknown tones {tones!r}; choose from {', '.join(TONES)}")


def handout_data(
    entries: Sequence[Entry],
    text: str,
    *,
    title: str | None = None,
    source: str = "",
    variant: str | None = None,
    exercises: Sequence[str] | str = KINDS,
    grid: int = 6,
    seed: int = 0,
    answer_key: bool = True,
    paper: str = "a4",
    date: str | None = None,
    reading: str = "excerpt",
    items: int = ITEMS,
    tones: str = "citation",
) -> dict[str, Any]:
    """Everything the template prints, as JSON-ready data (validated here, once).

    `variant` None prints the script the text is written in (traditional input → traditional).
    """
    source_traditional = traditional_source(entries)
    variant = variant or ("traditional" if source_traditional else "simplified")
    _check(variant, paper, grid, seed, reading, tones)
    kinds = parse_kinds(exercises)
    entries = _each_once(entries)
    if not entries:
        raise LearnError("no vocabulary to put on the handout (the text gave no terms)")
    standard = _standard(entries)
    script = Script(variant == "traditional", standard)
    headline = default_title(text)
    forms = [(e.traditional or e.simplified) if source_traditional else e.simplified for e in entries]
    passages = make_reading(text, forms, reading, headline if headline != "Vocabulary handout" else "")
    title = title or _text_in(script, source_traditional)(headline)  # the headline, in print script
    shown = "\n".join([headline, passages.shown])
    built = build_exercises(
        entries, body_text(text, headline), kinds, seed, script, items=items, tones=tones, shown=shown, title=title
    )
    source_form = {
        e.simplified: (e.traditional or e.simplified) if source_traditional else e.simplified for e in entries
    }
    blanks = [
        (source_form.get(it.term, it.term), n + 1)
        for x in built
        if x.kind == "cloze"
        for n, it in enumerate(x.items)
        if it.in_reading
    ]
    marker = _Marker(entries, script, source_traditional, tones, blanks)
    grids = _grid(entries, grid, variant, standard, tones)
    return {
        "title": breakable(title),
        "running_title": running_title(title),
        "source": breakable(source),
        "date": date or _dt.date.today().isoformat(),
        "level": level_label(entries),
        "paper": PAPERS[paper],
        "variant": variant,
        "lang_region": _REGION[standard] if variant == "traditional" else "cn",
        "font": _SANS[standard] if variant == "traditional" else _SANS["simplified"],
        "font_trad": _SANS[standard],
        "kai": _KAI[standard] if variant == "traditional" else _KAI["simplified"],
        "kai_trad": _KAI[standard],
        "zh": {k: script.text(v) for k, v in LABELS.items()},
        "vocabulary": _vocabulary(entries, script, standard, tones),
        "reading_mode": passages.mode,
        "reading": _reading_data(passages, marker),
        "reading_chars": [passages.chars, passages.total_chars],
        "reading_gap_after": passages.gap_after,
        "exercises": [x.to_dict() for x in built],
        "answer_key": answer_key and bool(built),
        "grid": grids,
        "strokes_note": "" if not grids or strokes.data_dir() else strokes.MISSING_NOTE,
    }


@lru_cache(maxsize=1)
def _compiler() -> Any:
    """One typst compiler per process: fonts are scanned once and layouts are memoised,
    which takes a rebuild from ~0.5 s to ~0.05 s (the quiz app's download button)."""
    import typst

    kai = kai_dir()
    paths = [*font_dirs(), *([kai] if kai else [])]
    return typst.Compiler(str(TEMPLATE), font_paths=paths, ignore_system_fonts=True)


_COMPILE_LOCK = threading.Lock()  # Streamlit serves sessions from threads


def template_inputs(entries: Sequence[Entry], text: str, **options: Any) -> dict[str, str]:
    """typst `sys.inputs` for the template: the handout data as one JSON string."""
    data = handout_data(entries, text, **options)
    data["serif"] = _has_serif(font_dirs())
    data["has_kai"] = kai_dir() is not None
    return {"data": json.dumps(data, ensure_ascii=False)}


def handout_pdf(entries: Sequence[Entry], text: str, **options: Any) -> bytes:
    """The handout as PDF bytes (for downloads); options as for `make_handout`."""
    inputs = template_inputs(entries, text, **options)
    try:
        with _COMPILE_LOCK:
            pdf = _compiler().compile(sys_inputs=inputs)
    except Exception as err:  # typst reports template/font problems as one exception type
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise LearnError(f"could not typeset the handout: {first}") from None
    return quiet_for_poppler(pdf)


# typst tags its PDFs for accessibility and writes /MarkInfo <</Marked true /Suspects false>>. That
# is valid PDF (qpdf --check and pypdf find nothing), but poppler before 23.x treats any Suspects
# value except `true` as the wrong type and prints "Syntax Error: Suspects object is wrong type
# (boolean)" from every tool (pdfinfo, pdftotext, pdftoppm) and viewer built on it (Evince, Okular).
# false is the default, so the entry says nothing: it is blanked with spaces of the same length,
# which keeps every byte offset of the cross-reference table right. The tags stay.
_SUSPECTS_FALSE = b"/Suspects false"


def quiet_for_poppler(pdf: bytes) -> bytes:
    """The PDF without its redundant /Suspects false (see above); anything else untouched."""
    return pdf.replace(_SUSPECTS_FALSE, b" " * len(_SUSPECTS_FALSE), 1)


def make_handout(
    entries: Sequence[Entry],
    text: str,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    source: str = "",
    variant: str | None = None,
    exercises: Sequence[str] | str = KINDS,
    grid: int = 6,
    seed: int = 0,
    answer_key: bool = True,
    paper: str = "a4",
    date: str | None = None,
    reading: str = "excerpt",
    items: int = ITEMS,
    tones: str = "citation",
) -> Path:
    """Write the handout PDF to `path` atomically (nothing half-written on failure)."""
    pdf = handout_pdf(
        entries,
        text,
        title=title,
        source=source,
        variant=variant,
        exercises=exercises,
        grid=grid,
        seed=seed,
        answer_key=answer_key,
        paper=paper,
        date=date,
        reading=reading,
        items=items,
        tones=tones,
    )
    with atomic_path(path) as tmp:
        tmp.write_bytes(pdf)
    return Path(path)
