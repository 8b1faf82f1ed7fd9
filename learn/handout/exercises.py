"""Exercises for a handout, built from extracted entries and the text's own sentences.

Everything here is plain data (no typesetting), so the handout template only lays it
out and tests can check the content directly. Randomness comes from one seed: the same
seed gives the same exercises; another seed reorders them (version A/B of a class test)
while the items stay the same, so both versions are equally hard.

Fair to the student (each rule checked on a handout of tests/data/bingxue.txt):
- a fill-in answer is never readable on the page: not in the title, and the reading blanks every
  place it appears (a term the reading shows more than twice is not made a blank);
- a blank is never part of a longer word: a line where another listed term overlaps the blank
  (群众性冰雪 + 冰雪运动 → "____运动") or contains it (冰雪 in 冰雪经济) is not used;
- matching has more meanings than words (2–3 left over), as the word bank has more words than
  blanks, so the last match is never free.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from learn.entry import Entry
from learn.errors import UsageError
from learn.handout.reading import full_width, is_shown, normalise
from learn.read.text import sentences

#: Exercise kinds, in the order a handout prints them by default.
KINDS = ("matching", "cloze", "pinyin", "tones", "translation")
#: Items per exercise unless asked otherwise (--items).
ITEMS = 8
#: How pinyin is printed: dictionary (citation) tones, or with 一/不 changed as spoken.
TONES = ("citation", "spoken")

_TITLES = {
    "matching": (
        "Matching",
        "连线",
        "Write the letter of the matching meaning next to each word. Some meanings are left over.",
    ),
    "cloze": (
        "Fill in the blanks",
        "选词填空",
        "Choose a word from the word bank for each blank. Use each word once; some words are left over.",
    ),
    "pinyin": ("Pinyin → characters", "看拼音写汉字", "Write the word in Chinese characters."),
    "tones": ("Tone marks", "标声调", "Add the tone marks to the pinyin."),
    "translation": ("Translation", "翻译", "Translate into English. Pay attention to the underlined word."),
}

_CLAUSE_END = re.compile(r"(?<=[，,；;：:、])")
_SENTENCE_PUNCT = "。！？!?；;…”’」』\"')）"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_han(ch: str) -> bool:
    """A Chinese character (CJK unified ideographs, extension A, compatibility)."""
    return bool(_HAN.fullmatch(ch))


@dataclass
class Item:
    """One numbered line of an exercise.

    `prompt` is what the student works on; for sentence exercises it is the target
    term and `before`/`after` hold the rest of the sentence around it.
    """

    prompt: str
    answer: str
    hint: str = ""
    before: str = ""
    after: str = ""
    pinyin: str = ""  # translation: the pinyin of the whole clause (answer key)
    in_reading: bool = False  # cloze: the line is also in the reading, which blanks it there
    line: str = ""  # cloze: the line as the source writes it, without "…" (to find it)
    term: str = ""  # cloze: the answer as the source writes it


@dataclass
class Exercise:
    """A titled block of items; `bank` is the word bank (cloze) or lettered meanings (matching)."""

    kind: str
    title: str
    title_zh: str
    instructions: str
    items: list[Item]
    bank: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Script:
    """Which characters the student sees: simplified, or traditional of one standard."""

    traditional: bool = False
    standard: str = "tw"

    def term(self, entry: Entry) -> str:
        return (entry.traditional or self.text(entry.simplified)) if self.traditional else entry.simplified

    def text(self, text: str) -> str:
        return to_traditional(text, self.standard) if self.traditional and text else text


_OPENCC_CONFIGS = {"tw": "s2tw", "hk": "s2hk", "t": "s2t"}
_OPENCC_BACK = {"tw": "tw2s", "hk": "hk2s", "t": "t2s"}


@lru_cache(maxsize=8)
def _converter(config: str) -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC(config).convert


def to_traditional(text: str, standard: str = "tw") -> str:
    """Simplified → traditional with OpenCC (tw s2tw, hk s2hk, t s2t; never s2twp: it swaps words)."""
    return _converter(_OPENCC_CONFIGS.get(standard, "s2tw"))(text)


def to_simplified(text: str, standard: str = "tw") -> str:
    """Traditional text of a standard → simplified (OpenCC tw2s, hk2s, t2s)."""
    return _converter(_OPENCC_BACK.get(standard, "t2s"))(text)


# Names people naturally type for the same exercises.
_ALIASES = {
    "match": "matching",
    "fill": "cloze",
    "blanks": "cloze",
    "fill-in": "cloze",
    "characters": "pinyin",
    "tone": "tones",
    "translate": "translation",
}


def parse_kinds(value: str | Sequence[str]) -> list[str]:
    """Validate an exercise list ("matching,cloze" or a sequence); "" or "none" means no exercises."""
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [n.strip().lower() for n in names if n.strip() and n.strip().lower() != "none"]
    names = [_ALIASES.get(n, n) for n in names]
    unknown = [n for n in names if n not in KINDS]
    if unknown:
        raise UsageError(f"unknown exercise {unknown[0]!r}; choose from {', '.join(KINDS)}")
    return list(dict.fromkeys(names))


@dataclass
class Context:
    """What every builder needs besides the entries: sentences, seed, script, size, tones."""

    sentences: list[str]
    rng: random.Random
    script: Script
    items: int = ITEMS
    tones: str = "citation"
    shown: str = ""  # the text the handout prints before the exercises
    title: str = ""  # the handout's printed title: a fill-in answer must not be read there

    @cached_property
    def body(self) -> str:
        """The text's sentences as one string (examples must come from it)."""
        return "\n".join(self.sentences)


def build_exercises(
    entries: Sequence[Entry],
    text: str,
    kinds: Sequence[str] = KINDS,
    seed: int = 0,
    script: Script | None = None,
    *,
    items: int = ITEMS,
    tones: str = "citation",
    shown: str = "",
    title: str = "",
) -> list[Exercise]:
    """Build the requested exercises (in the order asked), skipping kinds with nothing to ask.

    `shown` is the reading the student has in front of them, `title` the handout's title: fill-in
    lines come from other sentences first, an answer the reading shows is marked `in_reading` so
    the reading can blank it everywhere, and no answer is in the title. The order depends on the
    seed and on the words themselves, so two texts never share one answer pattern.
    """
    if tones not in TONES:
        raise UsageError(f"unknown tones {tones!r}; choose from {', '.join(TONES)}")
    if isinstance(items, bool) or not isinstance(items, int) or items < 1:
        raise UsageError(f"--items must be a whole number of 1 or more, got {items!r}")
    script = script or Script()
    builders = {"matching": _matching, "cloze": _cloze, "pinyin": _pinyin, "tones": _tones, "translation": _translation}
    pool = _usable(entries)
    digest = hashlib.sha1("\n".join(e.key for e in pool).encode()).hexdigest()[:16]
    text_sentences = [full_width(s) for s in sentences(text)] if text else []
    out = []
    for kind in parse_kinds(kinds):
        # per kind: dropping one kind never reorders another
        ctx = Context(text_sentences, random.Random(f"{seed}/{kind}/{digest}"), script, items, tones, shown, title)
        exercise = builders[kind](pool, ctx)
        if exercise.items:
            out.append(exercise)
    return out


def _usable(entries: Sequence[Entry]) -> list[Entry]:
    """Entries with characters and a reading, each word once, best first."""
    seen: set[str] = set()
    out = []
    for e in entries:
        if e.simplified and e.pinyin and _HAN.search(e.simplified) and e.key not in seen:
            seen.add(e.key)
            out.append(e)
    return out


def _exercise(kind: str, items: list[Item], bank: list[str] | None = None, script: Script | None = None) -> Exercise:
    title, title_zh, instructions = _TITLES[kind]
    title_zh = script.text(title_zh) if script else title_zh
    return Exercise(kind, title, title_zh, instructions, items, bank or [])


def _rotated(pool: list[Entry], kind: str) -> list[Entry]:
    """Start later in the list for the later drills, so more of the terms get practised."""
    if not pool:
        return []
    start = (KINDS.index(kind) * 4) % len(pool) if kind in ("pinyin", "tones", "translation") else 0
    return pool[start:] + pool[:start]


def short_meaning(entry: Entry, limit: int = 60) -> str:
    """First definition, cut at a word boundary: enough to recognise the word."""
    if not entry.definitions:
        return ""
    return _shorten(entry.definitions[0], limit)


def gloss(entry: Entry, limit: int = 90) -> str:
    """The meaning for an answer key: whole definitions only, as many as fit in `limit`
    (at least the first, however long), so a gloss is never cut mid-word or mid-phrase."""
    out: list[str] = []
    for definition in (d.strip() for d in entry.definitions if d.strip()):
        if out and len("; ".join([*out, definition])) > limit:
            break
        out.append(definition)
    return "; ".join(out)


def _shorten(text: str, limit: int) -> str:
    """Cut at the last space within `limit` and add "…"; a text with no space there stays whole."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit or " " not in text[: limit + 1]:
        return text
    return text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:+ (") + "…"


def composed(entry: Entry) -> bool:
    """A meaning put together from the parts' glosses (no dictionary has the word)."""
    return entry.gloss_source == "composed" or bool(entry.parts)


def student_meaning(entry: Entry, limit: int = 60) -> str:
    """A meaning with no Chinese characters in it, or "" — safe to print beside a question.

    Composed glosses quote their parts (≈ 模 “to imitate” + 速 “fast”), which would hand
    the characters to a student doing pinyin → characters or matching; their part glosses
    alone (≈ to imitate + fast) keep the hint without the answer.
    """
    meaning = short_meaning(entry, limit)
    if not _HAN.search(meaning):
        return meaning
    glosses = [p.gloss for p in entry.parts if p.gloss and not _HAN.search(p.gloss)]
    if entry.parts and len(glosses) == len(entry.parts):
        return _shorten("≈ " + " + ".join(glosses), limit)
    for definition in entry.definitions[1:]:
        if not _HAN.search(definition):
            return _shorten(definition, limit)
    return ""


#: Meanings left over in matching: the last match is never free.
SPARE_MEANINGS = (2, 3)


def _matching(pool: list[Entry], ctx: Context) -> Exercise:
    """Terms against meanings, with 2–3 meanings of other terms left over. Composed glosses stay
    out: their parts spell the answer."""
    usable: list[tuple[str, str]] = []
    meanings: set[str] = set()
    for e in pool:
        meaning = "" if composed(e) else student_meaning(e)
        if meaning and meaning.lower() not in meanings:
            meanings.add(meaning.lower())
            usable.append((ctx.script.term(e), meaning))
        if len(usable) == ctx.items + SPARE_MEANINGS[1]:
            break
    low, high = SPARE_MEANINGS
    size = min(ctx.items, len(usable) - low)
    if size < 2:  # too few meanings for a fair exercise
        return _exercise("matching", [], [], ctx.script)
    chosen, spare = usable[:size], usable[size : size + high]
    ctx.rng.shuffle(chosen)
    options = [m for _t, m in chosen] + [m for _t, m in spare]
    order = list(range(len(options)))
    ctx.rng.shuffle(order)  # order[j] = which meaning is printed as letter j
    letter_of = {meaning_i: chr(ord("A") + j) for j, meaning_i in enumerate(order)}
    bank = [options[i] for i in order]
    items = [Item(prompt=term, answer=letter_of[i]) for i, (term, _m) in enumerate(chosen)]
    return _exercise("matching", items, bank, ctx.script)


def _span(sentence: str, term: str, limit: int) -> tuple[int, int, int] | None:
    """(start, term position, end) of the clauses around the first `term`, about `limit` long."""
    pos = sentence.find(term)
    if pos < 0:
        return None
    bounds, start = [], 0
    for c in (c for c in _CLAUSE_END.split(sentence) if c):
        bounds.append((start, start + len(c)))
        start += len(c)
    lo = next(i for i, (a, b) in enumerate(bounds) if a <= pos < b)
    hi = next(i for i, (a, b) in enumerate(bounds) if a < pos + len(term) <= b)
    while True:
        grew = False
        if hi + 1 < len(bounds) and bounds[hi + 1][1] - bounds[lo][0] <= limit:
            hi += 1
            grew = True
        if lo > 0 and bounds[hi][1] - bounds[lo - 1][0] <= limit:
            lo -= 1
            grew = True
        if not grew:
            return bounds[lo][0], pos, bounds[hi][1]


def excerpt(sentence: str, term: str, limit: int = 40) -> tuple[str, str] | None:
    """The clauses around the first `term` in `sentence`, at most about `limit` characters.

    Returns (before, after) around the term, with "…" where the sentence was cut, or
    None when the term is not in the sentence. News sentences often run past a hundred
    characters; a clause or two is what fits on a worksheet line.
    """
    span = _span(sentence, term, limit)
    if span is None:
        return None
    a, pos, b = span
    before, after = sentence[a:pos], sentence[pos + len(term) : b]
    if a > 0:
        before = "…" + before
    if b < len(sentence):
        after = after.rstrip("，,；;：:、") + "…"
    elif not after.endswith(tuple(_SENTENCE_PUNCT)):
        after += "。"
    return before, after


@dataclass
class _Line:
    before: str
    after: str
    sentence: str
    start: int
    end: int
    pinyin: str = ""  # the whole sentence's pinyin, when the entry carries it


def _lines(entry: Entry, ctx: Context, limit: int, examples_only: bool = False) -> Iterator[_Line]:
    """Excerpts with the term: from the entry's own examples first, then from the text."""
    candidates = [(full_width(ex.sentence.strip()), ex.pinyin) for ex in entry.examples]
    if not examples_only:
        candidates += [(s.strip(), "") for s in ctx.sentences if entry.simplified in s]
    seen: set[str] = set()
    for sentence, pinyin in candidates:
        if sentence in seen or (ctx.sentences and not is_shown(sentence, ctx.body)):
            continue  # a headline, byline or caption is no line to work on
        seen.add(sentence)
        cut, span = excerpt(sentence, entry.simplified, limit), _span(sentence, entry.simplified, limit)
        if cut and span and len(_HAN.findall(cut[0] + cut[1])) >= 6:  # enough context to guess from
            yield _Line(cut[0], cut[1], sentence, span[0], span[2], pinyin)


#: Most times a fill-in answer may show in the reading (each one is blanked there).
MAX_BLANKS_IN_READING = 2


def _cloze_lines(pool: list[Entry], ctx: Context) -> list[tuple[Entry, _Line, bool]]:
    """One line per term, never the same line twice, lines the reading does not show first.

    A line may not contain its own term a second time or another blanked term, and no
    earlier line may contain this one: otherwise it would give away its own answer or
    another line's. A term in the title, or shown in the reading more than
    MAX_BLANKS_IN_READING times, is not asked; terms the reading shows least come first (each
    place the reading shows an answer becomes its blank). A line where the term is part of a
    longer word is not used (`glued`).
    """
    title = normalise(ctx.title)
    reading = normalise(ctx.shown)
    askable = [e for e in pool if e.simplified not in title and reading.count(e.simplified) <= MAX_BLANKS_IN_READING]
    askable.sort(key=lambda e: reading.count(e.simplified) > 0)  # stable: best-ranked first within each
    used: list[str] = []
    terms: list[str] = []
    out: list[tuple[Entry, _Line, bool]] = []
    for e in askable:
        lines = [ln for ln in _lines(e, ctx, 40) if not glued(ln.sentence, e.simplified, pool)]
        lines.sort(key=lambda ln: is_shown(ln.before + e.simplified + ln.after, ctx.shown))
        for line in lines:
            whole = line.before + e.simplified + line.after
            rest = line.before + "\0" + line.after
            if whole in used or any(t in rest for t in [*terms, e.simplified]) or any(e.simplified in w for w in used):
                continue
            used.append(whole)
            terms.append(e.simplified)
            out.append((e, line, e.simplified in reading))
            break
        if len(out) == ctx.items:
            break
    return out


def glued(sentence: str, term: str, pool: Sequence[Entry]) -> bool:
    """Whether `term`, where a fill-in line would blank it (its first place in `sentence`), is part
    of a longer word: another listed term overlaps its edge (群众性冰雪 + 冰雪运动 leaves
    "____运动") or contains it (冰雪 in 冰雪经济)."""
    start = sentence.find(term)
    if start < 0:
        return False
    end = start + len(term)
    for other in {e.simplified for e in pool} - {term}:
        at = sentence.find(other)
        while at >= 0:
            inside = start <= at and at + len(other) <= end
            if at < end and at + len(other) > start and not inside:
                return True
            at = sentence.find(other, at + 1)
    return False


def distractors(answers: Sequence[Entry], pool: Sequence[Entry], count: int, lines: Sequence[str] = ()) -> list[Entry]:
    """Other terms of the text for the word bank: the same kind and length as an answer first,
    then the same length, then the same kind one character longer or shorter. Terms printed
    in one of the fill-in `lines` come last (a spare word in plain sight tests less), used only
    to reach two spare words."""
    taken = {e.key for e in answers}
    printed = "\n".join(lines)
    shapes = {(e.kind, len(e.simplified)) for e in answers}
    lengths = {len(e.simplified) for e in answers}
    near = {(k, n + d) for k, n in shapes for d in (-1, 1)}
    ranked: list[tuple[int, Entry]] = []
    for e in pool:
        if e.key in taken or any(e.simplified in a.simplified or a.simplified in e.simplified for a in answers):
            continue
        shape = (e.kind, len(e.simplified))
        tier = 0 if shape in shapes else 1 if shape[1] in lengths else 2 if shape in near else None
        if tier is not None:
            ranked.append((tier, e))
    ranked.sort(key=lambda te: te[0])  # stable: best-ranked terms first in a tier
    hidden = [e for _t, e in ranked if e.simplified not in printed]
    shown = [e for _t, e in ranked if e.simplified in printed]
    return (hidden + shown[: max(0, min(2, count) - len(hidden))])[:count]


def _cloze(pool: list[Entry], ctx: Context) -> Exercise:
    """Fill-in lines plus a word bank with 2–4 spare words, so the last blank is not a gift."""
    picked = _cloze_lines(pool, ctx)
    items = [
        Item(
            prompt=ctx.script.term(e),
            answer=ctx.script.term(e),
            before=ctx.script.text(ln.before),
            after=ctx.script.text(ln.after),
            in_reading=shown,
            line=ln.sentence[ln.start : ln.end].strip("…"),
            term=e.simplified,
        )
        for e, ln, shown in picked
    ]
    ctx.rng.shuffle(items)
    spare = distractors(
        [e for e, _ln, _s in picked],
        pool,
        min(4, max(2, len(items) // 2)),
        [ln.before + ln.after for _e, ln, _s in picked],
    )
    bank = [item.prompt for item in items] + [ctx.script.term(e) for e in spare]
    ctx.rng.shuffle(bank)
    return _exercise("cloze", items, bank, ctx.script)


def _translation(pool: list[Entry], ctx: Context) -> Exercise:
    """Source lines to translate; the key gives the word's gloss and the whole line's pinyin."""
    items: list[Item] = []
    used: set[str] = set()
    for e in _rotated(pool, "translation"):
        for line in _lines(e, ctx, 48, examples_only=True):
            if line.sentence in used:  # one sentence, one item
                continue
            used.add(line.sentence)
            term = ctx.script.term(e)
            clause = line.sentence[line.start : line.end]
            reading = clause_pinyin(clause, line.sentence, line.pinyin, line.start)
            reading = spoken_line(clause, reading) if ctx.tones == "spoken" else reading
            meaning = ctx.script.text(gloss(e))
            answer = f"{term} ({say(e, ctx.tones)})" + (f" = {meaning}" if meaning else "")
            items.append(
                Item(
                    prompt=term,
                    answer=answer,
                    before=ctx.script.text(line.before),
                    after=ctx.script.text(line.after),
                    pinyin=reading,
                )
            )
            break
        if len(items) == ctx.items:
            break
    ctx.rng.shuffle(items)
    return _exercise("translation", items, None, ctx.script)


def _pinyin(pool: list[Entry], ctx: Context) -> Exercise:
    items = [
        Item(prompt=say(e, ctx.tones), answer=ctx.script.term(e), hint=student_meaning(e, 28))
        for e in _rotated(pool, "pinyin")[: ctx.items]
    ]
    ctx.rng.shuffle(items)
    return _exercise("pinyin", items, None, ctx.script)


def strip_tones(pinyin: str) -> str:
    """Remove tone marks but keep ü: "lǜ sè" → "lü se"."""
    out = []
    for ch in unicodedata.normalize("NFD", pinyin):
        if unicodedata.combining(ch) and ch != "\u0308":  # keep the diaeresis of ü
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _tones(pool: list[Entry], ctx: Context) -> Exercise:
    marked = [e for e in _rotated(pool, "tones") if strip_tones(e.pinyin) != e.pinyin]
    items = [
        Item(prompt=strip_tones(e.pinyin), answer=say(e, ctx.tones), hint=ctx.script.term(e))
        for e in marked[: ctx.items]
    ]
    ctx.rng.shuffle(items)
    return _exercise("tones", items, None, ctx.script)


# ---------- tones as spoken, clause pinyin ----------

_TONE_MARK = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_NUMBER_CHARS = frozenset("零〇一二三四五六七八九十百千万亿两第")
_SYLLABLE = re.compile(r"[a-zâêîôûüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]+")
_PINYIN_PUNCT = {
    "，": ",",
    "。": ".",
    "、": ",",
    "；": ";",
    "：": ":",
    "？": "?",
    "！": "!",
    "（": "(",
    "）": ")",
    "—": "—",
    "…": "…",
    "《": "“",
    "》": "”",
    "〈": "‘",
    "〉": "’",
}


def tone_of(syllable: str) -> int:
    """1–4 from the tone mark, 5 for none (neutral)."""
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in _TONE_MARK:
            return _TONE_MARK[ch]
    return 5


def sandhi(chars: str, syllables: Sequence[str]) -> list[str]:
    """一 and 不 as spoken: 不 bú before a fourth tone; 一 yí before a fourth tone, yì before
    the others, but yī at the end, in numbers and ordinals (统一, 十一, 第一).

    `chars` is the text, `syllables` one per Han character of it; the next syllable counts
    only when the next character is Han (a comma ends the word)."""
    out = list(syllables)
    han = [i for i, c in enumerate(chars) if is_han(c)]
    if len(han) != len(syllables):
        return out
    for k, i in enumerate(han):
        ch = chars[i]
        if ch not in "一不" or k + 1 >= len(han) or han[k + 1] != i + 1:
            continue
        nxt, base = chars[i + 1], strip_tones(syllables[k])
        tone = tone_of(syllables[k + 1])
        if ch == "不" and base == "bu" and tone == 4:
            out[k] = "bú"
        elif ch == "一" and base == "yi":
            if (i > 0 and chars[i - 1] in _NUMBER_CHARS) or nxt in _NUMBER_CHARS:
                continue
            out[k] = "yí" if tone == 4 or (tone == 5 and nxt == "个") else "yì"
    return out


def say(entry: Entry, tones: str = "citation") -> str:
    """The entry's pinyin as the handout prints it (citation, or with spoken 一/不)."""
    if tones != "spoken":
        return entry.pinyin
    return " ".join(sandhi(entry.simplified, entry.pinyin.split()))


def spoken_line(text: str, pinyin: str) -> str:
    """Spoken 一/不 in a line of pinyin made by `clause_pinyin` (syllables in text order)."""
    syllables = _SYLLABLE.findall(pinyin)
    changed = sandhi(text, syllables)
    if changed == syllables:
        return pinyin
    it = iter(changed)
    return _SYLLABLE.sub(lambda _m: next(it), pinyin)


def clause_pinyin(clause: str, sentence: str, sentence_pinyin: str, start: int) -> str:
    """The pinyin of `clause` (which starts at `start` in `sentence`), cut from the sentence's
    own pinyin: one syllable per Han character, punctuation as in Latin text. "" when the
    sentence's pinyin does not line up with its characters."""
    syllables = _SYLLABLE.findall(sentence_pinyin) if sentence_pinyin else []
    if not syllables or len(syllables) != sum(1 for c in sentence if is_han(c)):
        return ""
    k = sum(1 for c in sentence[:start] if is_han(c))
    pieces: list[str] = []
    run = ""
    for ch in clause:
        if is_han(ch):
            pieces += [run] if run.strip() else []
            run = ""
            pieces.append(syllables[k])
            k += 1
        elif ch.isascii() and ch.isalnum() or ch in ".%‰":
            run += ch
        else:
            pieces += [run] if run.strip() else []
            run = ""
            pieces.append(_PINYIN_PUNCT.get(ch, ch))
    pieces += [run] if run.strip() else []
    text = " ".join(p for p in pieces if p.strip())
    text = re.sub(r"\s+([,.;:!?”’)…])", r"\1", text)
    return re.sub(r"([“‘(])\s+", r"\1", text).strip()
