"""Example clauses: the part of a source sentence a card, quiz or handout shows for a term.

A scraped sentence loses its bullets and bylines, a sentence cut mid-phrase is shortened to its
last clause, and a long sentence is cut to the clauses around the term (between words, never
inside one), so an example reads as finished Chinese.
"""

from __future__ import annotations

import re
from functools import lru_cache

from learn.language.lexicon import cut

CLAUSE_CHARS = 40
_CLAUSE_END = "，；：、,;:"
_FINAL = "。！？!?；;…”’」』\"')）》"
# scraped list markers and decorations that open a line (▶ ■ ● ◆ ★ ※ …)
_MARKERS = re.compile(r"^[\s▶►▷▸■□●○◆◇★☆※▲△▼▽•·◎→➤✓✔\-—*#|]+")
# bylines and datelines: 新华社北京3月5日电（记者 张三）, 本报记者 李四 摄, （记者 王五）
_BYLINES = re.compile(
    r"^(?:新华社|中新社|本报|人民网|央视网)[^，。\s]{0,16}电\s*|"
    r"[（(](?:记者|通讯员|本报记者)[^）)]{0,30}[）)]|"
    r"(?:^|\s)本报(?:记者|通讯员)\s*\S{2,4}?(?:\s*摄)?\s*$|^本报(?:记者|通讯员)\s*\S{2,4}\s+|"
    r"\s+\S{2,4}摄\s*$"
)


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
        grow = [
            (k0, k1)
            for k0, k1 in ((first - 1, last), (first, last + 1))
            if k0 >= 0 and k1 < len(ends) and ends[k1] - starts[k0] <= limit
        ]
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
    return sentence[: breaks[-1]] + "…" if breaks else ""


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
