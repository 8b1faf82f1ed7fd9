"""The teacher handout: entries + text → data → typst template → PDF.

All user text (terms, definitions, the reading text, titles) reaches the template as JSON
through typst's `sys.inputs` and is placed as strings, never parsed as markup; so
# $ * _ [ ] \\ < > print literally and cannot break compilation. The template is
learn/templates/handout.typ. Fonts: Noto Sans CJK (embedded and subset by typst),
found on the machine at run time; typst's system-font scan is off, so the same input
gives the same PDF bytes on a given machine.
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
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

from learn.entry import Entry
from learn.errors import LearnError, UsageError
from learn.exercises import (KINDS, Script, build_exercises, is_han, parse_kinds, short_meaning,
                             to_simplified)
from learn.output import atomic_path

SCRIPTS = ("simplified", "traditional", "both")
PAPERS = {"a4": "a4", "letter": "us-letter"}
TEMPLATE = Path(__file__).parent / "templates" / "handout.typ"

#: Longest reading text printed, in characters; longer texts are cut at a paragraph end.
READING_LIMIT = 8000
#: Most characters drilled for one term on the writing pages (a block never splits across pages).
GRID_ROWS = 12

_SENTENCE_END = re.compile(r"[。！？!?][”’」』\"')）]*")
_LONG_RUN = re.compile(r"[!-~]{24,}")   # URLs and the like: no line-break opportunity inside

_FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",          # Debian/Ubuntu fonts-noto-cjk
    "/usr/share/fonts/noto-cjk",               # Arch, Alpine
    "/usr/share/fonts/google-noto-cjk",        # Fedora
    "/usr/local/share/fonts",
    "/Library/Fonts",
    os.path.expanduser("~/.local/share/fonts"),
    os.path.expanduser("~/Library/Fonts"),
)
_FONT_NAMES = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansCJK-VF.otf.ttc",
               "NotoSansCJKsc-VF.otf", "NotoSansSC-Regular.otf")
#: Chinese labels of the page furniture (converted for a traditional handout).
LABELS = {"handout": "词汇讲义", "name": "姓名", "class": "班级", "number": "学号", "vocabulary": "词汇",
          "term": "词语", "reading": "阅读", "bank": "词库", "exercises": "练习", "writing": "写字练习",
          "key": "答案"}
_REGION = {"tw": "tw", "t": "tw", "hk": "hk"}     # typst text region: CJK punctuation rules
# Region fonts of the one Noto CJK family: glyph shapes follow each standard.
_SANS = {"simplified": "Noto Sans CJK SC", "tw": "Noto Sans CJK TC", "t": "Noto Sans CJK TC",
         "hk": "Noto Sans CJK HK"}


@lru_cache(maxsize=1)
def font_dirs() -> tuple[str, ...]:
    """Folders holding Noto Sans CJK (LEARN_FONT_DIR first), or a one-line LearnError.

    WenQuanYi Micro Hei is deliberately not accepted: its tone-marked vowels are empty.
    """
    wanted = [os.environ.get("LEARN_FONT_DIR", ""), *_FONT_DIRS]
    found = [d for d in wanted if d and any((Path(d) / n).is_file() for n in _FONT_NAMES)]
    if not found and shutil.which("fc-list"):
        try:
            listing = subprocess.run(["fc-list", "-f", "%{file}\n", "Noto Sans CJK SC"],
                                     capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
        found = sorted({str(Path(f).parent) for f in listing.splitlines() if f.strip()})
    if not found:
        raise LearnError("no Chinese font found: install Noto Sans CJK "
                         "(Debian/Ubuntu: apt-get install fonts-noto-cjk) or set LEARN_FONT_DIR")
    return tuple(found[:1])


def _has_serif(dirs: Sequence[str]) -> bool:
    return any(p.name.startswith("NotoSerifCJK") for d in dirs for p in Path(d).glob("NotoSerif*"))


def _hsk_name(level: int) -> str:
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
    """A short first line without sentence punctuation is the headline; else a generic title."""
    for line in [ln.strip() for ln in text.splitlines() if ln.strip()][:3]:
        if 4 <= len(line) <= 40 and not any(p in line for p in "。！？!?；"):
            return line
    return "Vocabulary handout"


def running_title(title: str, width: int = 90) -> str:
    """The title for the page footer: one line, cut with "…" past `width` (a Chinese
    character counts two), so a long title never spills into the page."""
    used, out = 0, []
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


def reading(text: str, entries: Sequence[Entry], script: Script, limit: int = READING_LIMIT,
            source_traditional: bool = False) -> tuple[list[list[dict[str, Any]]], bool]:
    """Paragraphs of the text as segments: {"t": text} or {"t": term, "p": pinyin} for targets.

    Terms are matched longest first, left to right, in the script the text is written in;
    each plain run is then converted to the script asked for and each term printed as in
    the vocabulary table. Returns (paragraphs, was_cut).
    """
    plain = _text_in(script, source_traditional)
    by_form = {(e.traditional or e.simplified) if source_traditional else e.simplified: e
               for e in reversed(entries) if e.simplified}
    longest = max((len(f) for f in by_form), default=0)
    paragraphs, used, cut = [], 0, False
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if used + len(line) > limit:
            cut = True
            if used:
                break
            line = _first_sentences(line, limit)      # one huge paragraph: keep its opening
        used += len(line)
        paragraphs.append(_segments(line, by_form, longest, script, plain))
        if cut:
            break
    return paragraphs, cut


def _text_in(script: Script, source_traditional: bool) -> Callable[[str], str]:
    """Converts a run of the source text into the script the handout prints."""
    if not source_traditional:
        return script.text
    if script.traditional:
        return lambda run: run
    return lambda run: to_simplified(run, script.standard)


def _first_sentences(paragraph: str, limit: int) -> str:
    """The paragraph up to the last sentence end within `limit` characters (else cut at the limit)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(paragraph, 0, limit)]
    return paragraph[:ends[-1]] if ends else paragraph[:limit]


def breakable(text: str) -> str:
    """Let long Latin runs (URLs, codes) wrap: a zero-width space every 12 characters."""
    return _LONG_RUN.sub(lambda m: "\u200b".join(m[0][i:i + 12] for i in range(0, len(m[0]), 12)), text)


def _segments(line: str, by_form: dict[str, Entry], longest: int, script: Script,
              plain_text: Callable[[str], str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    plain, i = [], 0
    while i < len(line):
        match = next((line[i:i + n] for n in range(min(longest, len(line) - i), 0, -1)
                      if line[i:i + n] in by_form), None)
        if match is None:
            plain.append(line[i])
            i += 1
            continue
        if plain:
            out.append({"t": breakable(plain_text("".join(plain)))})
            plain = []
        entry = by_form[match]
        out.append({"t": script.term(entry), "p": entry.pinyin})
        i += len(match)
    if plain:
        out.append({"t": breakable(plain_text("".join(plain)))})
    return out


def _vocabulary(entries: Sequence[Entry], script: Script, standard: str) -> list[dict[str, Any]]:
    """Table rows; Chinese inside a meaning (composed glosses quote their parts) follows the script."""
    trad = Script(True, standard)
    return [{"simplified": e.simplified, "traditional": trad.term(e), "pinyin": e.pinyin,
             "meaning": script.text("; ".join(e.definitions[:3])) or "—",
             "hsk": _hsk_name(e.hsk) if e.hsk else "—"}
            for e in entries]


def _syllables(entry: Entry) -> list[str]:
    """One pinyin syllable per Han character, or blanks when they do not line up."""
    han = [c for c in entry.simplified if is_han(c)]
    syl = entry.pinyin.split()
    return syl if len(syl) == len(han) else [""] * len(han)


def _grid(entries: Sequence[Entry], count: int, variant: str, standard: str) -> list[dict[str, Any]]:
    """Writing-practice blocks for the first `count` terms; a character is drilled only once."""
    trad = Script(True, standard)
    seen: set[str] = set()
    out = []
    for e in entries[:count]:
        rows = []
        forms = {"simplified": [e.simplified], "traditional": [trad.term(e)],
                 "both": [e.simplified, trad.term(e)]}[variant]
        for form in forms:
            han = [c for c in form if is_han(c)]
            syllables = _syllables(e)
            for ch, py in zip(han, syllables if len(syllables) == len(han) else [""] * len(han)):
                if ch not in seen:
                    seen.add(ch)
                    rows.append({"char": ch, "pinyin": py})
        rows = rows[:GRID_ROWS]
        if rows:
            term = trad.term(e) if variant == "traditional" else e.simplified
            out.append({"term": term, "pinyin": e.pinyin, "meaning": short_meaning(e, 70), "rows": rows})
    return out


def _each_once(entries: Sequence[Entry]) -> list[Entry]:
    """Drop empty and repeated words (same key), keeping the first, best-ranked copy."""
    first: dict[str, Entry] = {}
    for e in entries:
        if e.simplified and e.key not in first:
            first[e.key] = e
    return list(first.values())


def handout_data(entries: Sequence[Entry], text: str, *, title: str | None = None, source: str = "",
                 variant: str | None = None, exercises: Sequence[str] | str = KINDS, grid: int = 6,
                 seed: int = 0, answer_key: bool = True, paper: str = "a4",
                 date: str | None = None) -> dict[str, Any]:
    """Everything the template prints, as JSON-ready data (validated here, once).

    `variant` None prints the script the text is written in (traditional input → traditional).
    """
    source_traditional = traditional_source(entries)
    variant = variant or ("traditional" if source_traditional else "simplified")
    if variant not in SCRIPTS:
        raise UsageError(f"unknown variant {variant!r}; choose from {', '.join(SCRIPTS)}")
    if paper not in PAPERS:
        raise UsageError(f"unknown paper {paper!r}; choose from {', '.join(PAPERS)}")
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 0:
        raise UsageError(f"--grid must be a whole number of 0 or more, got {grid!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise UsageError(f"--seed must be a whole number, got {seed!r}")
    kinds = parse_kinds(exercises)
    entries = _each_once(entries)
    if not entries:
        raise LearnError("no vocabulary to put on the handout (the text gave no terms)")
    standard = _standard(entries)
    script = Script(variant == "traditional", standard)
    paragraphs, cut = reading(text, entries, script, source_traditional=source_traditional)
    title = title or _text_in(script, source_traditional)(default_title(text))   # the headline, in print script
    built = build_exercises(entries, text, kinds, seed, script)
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
        "zh": {k: script.text(v) for k, v in LABELS.items()},
        "vocabulary": _vocabulary(entries, script, standard),
        "reading": paragraphs,
        "reading_cut": cut,
        "exercises": [x.to_dict() for x in built],
        "answer_key": answer_key and bool(built),
        "grid": _grid(entries, grid, variant, standard),
    }


@lru_cache(maxsize=1)
def _compiler() -> Any:
    """One typst compiler per process: fonts are scanned once and layouts are memoised,
    which takes a rebuild from ~0.5 s to ~0.05 s (the quiz app's download button)."""
    import typst

    return typst.Compiler(str(TEMPLATE), font_paths=list(font_dirs()), ignore_system_fonts=True)


_COMPILE_LOCK = threading.Lock()     # Streamlit serves sessions from threads


def template_inputs(entries: Sequence[Entry], text: str, **options: Any) -> dict[str, str]:
    """typst `sys.inputs` for the template: the handout data as one JSON string."""
    data = handout_data(entries, text, **options)
    data["serif"] = _has_serif(font_dirs())
    return {"data": json.dumps(data, ensure_ascii=False)}


def handout_pdf(entries: Sequence[Entry], text: str, **options: Any) -> bytes:
    """The handout as PDF bytes (for downloads); options as for `make_handout`."""
    inputs = template_inputs(entries, text, **options)
    try:
        with _COMPILE_LOCK:
            return _compiler().compile(sys_inputs=inputs)
    except Exception as err:   # typst reports template/font problems as one exception type
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise LearnError(f"could not typeset the handout: {first}") from None


def make_handout(entries: Sequence[Entry], text: str, path: str | os.PathLike[str], *,
                 title: str | None = None, source: str = "", variant: str | None = None,
                 exercises: Sequence[str] | str = KINDS, grid: int = 6, seed: int = 0,
                 answer_key: bool = True, paper: str = "a4", date: str | None = None) -> Path:
    """Write the handout PDF to `path` atomically (nothing half-written on failure)."""
    pdf = handout_pdf(entries, text, title=title, source=source, variant=variant, exercises=exercises,
                      grid=grid, seed=seed, answer_key=answer_key, paper=paper, date=date)
    with atomic_path(path) as tmp:
        tmp.write_bytes(pdf)
    return Path(path)
