"""Exercises for a handout, built from extracted entries and the text's own sentences.

Everything here is plain data (no typesetting), so the handout template only lays it
out and tests can check the content directly. Randomness comes from one seed: the same
seed gives the same exercises; another seed reorders them (version A/B of a class test)
while the items stay the same, so both versions are equally hard.
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterator, Sequence

from learn.entry import Entry
from learn.errors import UsageError
from learn.text import sentences

#: Exercise kinds, in the order a handout prints them by default.
KINDS = ("matching", "cloze", "pinyin", "tones", "translation")

#: How many items each kind gets at most (keeps every exercise on about half a page).
CAPS = {"matching": 8, "cloze": 8, "pinyin": 8, "tones": 8, "translation": 4}

_TITLES = {
    "matching": ("Matching", "连线", "Write the letter of the matching meaning next to each word."),
    "cloze": ("Fill in the blanks", "选词填空", "Choose a word from the word bank for each blank. Use each word once."),
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
_ALIASES = {"match": "matching", "fill": "cloze", "blanks": "cloze", "fill-in": "cloze",
            "characters": "pinyin", "tone": "tones", "translate": "translation"}


def parse_kinds(value: str | Sequence[str]) -> list[str]:
    """Validate an exercise list ("matching,cloze" or a sequence); "" or "none" means no exercises."""
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [n.strip().lower() for n in names if n.strip() and n.strip().lower() != "none"]
    names = [_ALIASES.get(n, n) for n in names]
    unknown = [n for n in names if n not in KINDS]
    if unknown:
        raise UsageError(f"unknown exercise {unknown[0]!r}; choose from {', '.join(KINDS)}")
    return list(dict.fromkeys(names))


def build_exercises(entries: Sequence[Entry], text: str, kinds: Sequence[str] = KINDS,
                    seed: int = 0, script: Script | None = None) -> list[Exercise]:
    """Build the requested exercises (in the order asked), skipping kinds with nothing to ask."""
    script = script or Script()
    builders = {"matching": _matching, "cloze": _cloze, "pinyin": _pinyin,
                "tones": _tones, "translation": _translation}
    pool = _usable(entries)
    text_sentences = sentences(text) if text else []
    out = []
    for kind in parse_kinds(kinds):
        rng = random.Random(f"{seed}/{kind}")   # per kind: dropping one kind never reorders another
        exercise = builders[kind](pool, text_sentences, rng, script)
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


def _exercise(kind: str, items: list[Item], bank: list[str] | None = None,
              script: Script | None = None) -> Exercise:
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


def _shorten(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:+ ") + "…"


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


def _matching(pool: list[Entry], _s: list[str], rng: random.Random, script: Script) -> Exercise:
    chosen: list[tuple[str, str]] = []
    meanings: set[str] = set()
    for e in pool:
        meaning = student_meaning(e)
        if meaning and meaning.lower() not in meanings:
            meanings.add(meaning.lower())
            chosen.append((script.term(e), meaning))
        if len(chosen) == CAPS["matching"]:
            break
    rng.shuffle(chosen)
    order = list(range(len(chosen)))
    rng.shuffle(order)                       # order[j] = which term's meaning is printed as letter j
    letter_of = {term_i: chr(ord("A") + j) for j, term_i in enumerate(order)}
    bank = [chosen[i][1] for i in order]
    items = [Item(prompt=term, answer=letter_of[i]) for i, (term, _m) in enumerate(chosen)]
    return _exercise("matching", items, bank, script)


def excerpt(sentence: str, term: str, limit: int = 40) -> tuple[str, str] | None:
    """The clauses around the first `term` in `sentence`, at most about `limit` characters.

    Returns (before, after) around the term, with "…" where the sentence was cut, or
    None when the term is not in the sentence. News sentences often run past a hundred
    characters; a clause or two is what fits on a worksheet line.
    """
    pos = sentence.find(term)
    if pos < 0:
        return None
    clauses = [c for c in _CLAUSE_END.split(sentence) if c]
    bounds, start = [], 0
    for c in clauses:
        bounds.append((start, start + len(c)))
        start += len(c)
    first = next(i for i, (a, b) in enumerate(bounds) if a <= pos < b)
    last = next(i for i, (a, b) in enumerate(bounds) if a < pos + len(term) <= b)
    lo, hi = first, last
    while True:
        grew = False
        if hi + 1 < len(bounds) and bounds[hi + 1][1] - bounds[lo][0] <= limit:
            hi += 1
            grew = True
        if lo > 0 and bounds[hi][1] - bounds[lo - 1][0] <= limit:
            lo -= 1
            grew = True
        if not grew:
            break
    a, b = bounds[lo][0], bounds[hi][1]
    before, after = sentence[a:pos], sentence[pos + len(term):b]
    if a > 0:
        before = "…" + before
    if b < len(sentence):
        after = after.rstrip("，,；;：:、") + "…"
    elif not after.endswith(tuple(_SENTENCE_PUNCT)):
        after += "。"
    return before, after


def _excerpts(entry: Entry, text_sentences: list[str], limit: int) -> Iterator[tuple[str, str]]:
    """Excerpts with the term: from the entry's own examples first, then from the text."""
    candidates = [ex.sentence for ex in entry.examples] + [s for s in text_sentences if entry.simplified in s]
    for sentence in dict.fromkeys(s.strip() for s in candidates):
        cut = excerpt(sentence, entry.simplified, limit)
        if cut and len(_HAN.findall(cut[0] + cut[1])) >= 6:   # enough context to guess from
            yield cut


def _sentence_items(pool: list[Entry], text_sentences: list[str], script: Script,
                    kind: str, limit: int) -> list[tuple[Entry, Item]]:
    """One excerpt per term, never the same excerpt twice.

    For cloze, an excerpt may not contain its own term a second time or another blanked
    term, and no earlier excerpt may contain this one: otherwise a line would give away its
    own answer or another line's.
    """
    used: list[str] = []
    terms: list[str] = []
    out = []
    for e in _rotated(pool, kind):
        for before, after in _excerpts(e, text_sentences, limit):
            whole = before + e.simplified + after
            if whole in used:
                continue
            rest = before + "\0" + after
            if kind == "cloze" and (any(t in rest for t in [*terms, e.simplified])
                                    or any(e.simplified in w for w in used)):
                continue
            used.append(whole)
            terms.append(e.simplified)
            term = script.term(e)
            out.append((e, Item(prompt=term, answer=term, before=script.text(before),
                                after=script.text(after))))
            break
        if len(out) == CAPS[kind]:
            break
    return out


def _cloze(pool: list[Entry], text_sentences: list[str], rng: random.Random, script: Script) -> Exercise:
    pairs = _sentence_items(pool, text_sentences, script, "cloze", limit=40)
    items = [item for _e, item in pairs]
    rng.shuffle(items)
    bank = [item.prompt for item in items]
    rng.shuffle(bank)
    return _exercise("cloze", items, bank, script)


def _translation(pool: list[Entry], text_sentences: list[str], rng: random.Random,
                 script: Script) -> Exercise:
    items = []
    for e, item in _sentence_items(pool, text_sentences, script, "translation", limit=48):
        meaning = script.text(short_meaning(e))
        item.answer = f"{item.prompt} ({e.pinyin}) = {meaning}" if meaning else f"{item.prompt} ({e.pinyin})"
        items.append(item)
    rng.shuffle(items)
    return _exercise("translation", items, None, script)


def _pinyin(pool: list[Entry], _s: list[str], rng: random.Random, script: Script) -> Exercise:
    items = [Item(prompt=e.pinyin, answer=script.term(e), hint=student_meaning(e, 28))
             for e in _rotated(pool, "pinyin")[:CAPS["pinyin"]]]
    rng.shuffle(items)
    return _exercise("pinyin", items, None, script)


def strip_tones(pinyin: str) -> str:
    """Remove tone marks but keep ü: "lǜ sè" → "lü se"."""
    out = []
    for ch in unicodedata.normalize("NFD", pinyin):
        if unicodedata.combining(ch) and ch != "\u0308":   # keep the diaeresis of ü
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _tones(pool: list[Entry], _s: list[str], rng: random.Random, script: Script) -> Exercise:
    marked = [e for e in _rotated(pool, "tones") if strip_tones(e.pinyin) != e.pinyin]
    items = [Item(prompt=strip_tones(e.pinyin), answer=e.pinyin, hint=script.term(e))
             for e in marked[:CAPS["tones"]]]
    rng.shuffle(items)
    return _exercise("tones", items, None, script)
