"""The split a reader would make: the most probable segmentation under a word-frequency model.

A longest-match split picks rare dictionary words over the obvious reading (业内人士 as 业 +
内人 "my wife" + 士). jieba's unigram model fixes that: each candidate split scores the sum of
its words' log probabilities and the best one wins. Here the vocabulary is jieba's dictionary
(word frequencies from real text) plus CC-CEDICT words jieba lacks, the latter weighted by
wordfreq. A word only one list knows is discounted: CC-CEDICT alone has rare and technical words
(三体 "trisomy" inside 三体联动 is 三 + 体), jieba alone has n-grams (选择地).
"""

from __future__ import annotations

import math
from functools import lru_cache

from learn.language import lexicon

LONGEST = 8
KNOWN_WORD = 300  # jieba count from which a two-character word no dictionary has is one readers know (业内)
_UNSEEN = -21.0  # log probability of a character no list knows
_ONE_LIST_PENALTY = math.log(0.05)  # a word only one of the two lists knows


@lru_cache(maxsize=1)
def _jieba_model() -> tuple[dict[str, int], float]:
    jieba = lexicon._jieba()
    jieba.dt.check_initialized()
    return jieba.dt.FREQ, math.log(jieba.dt.total)


def log_prob(word: str, cedict_zipf: dict[str, float], seen: frozenset[str] = frozenset()) -> float | None:
    """log P(word) under jieba's counts, discounted when CC-CEDICT lacks the word; a CC-CEDICT
    word jieba lacks gets its discounted wordfreq rate; None when neither list has it, or when
    only jieba has it and rarely (its list holds n-grams such as 选择地, 磨一剑)."""
    freq, log_total = _jieba_model()
    n = freq.get(word, 0)
    penalty = 0.0 if word in seen else _ONE_LIST_PENALTY
    if n > 0 and len(word) > 1 and word not in cedict_zipf and (n < KNOWN_WORD or len(word) > 2):
        return None  # an n-gram of jieba's list (磨一剑, 选择地, 后继乏人), not a word readers know
    if n > 0:
        return math.log(n) - log_total + (0.0 if len(word) == 1 or word in cedict_zipf else penalty)
    if word in cedict_zipf:
        return (cedict_zipf[word] - 9) * math.log(10) + penalty
    return None


def _term_log_prob() -> float:
    """The log probability a term in its own right is given: that of a word jieba counts
    KNOWN_WORD times, ten times over (a term is a unit, not a chance pair of characters)."""
    return math.log(10 * KNOWN_WORD) - _jieba_model()[1]


def jieba_count(word: str) -> int:
    """How often jieba's dictionary says the word occurs (0 when it does not list it)."""
    return _jieba_model()[0].get(word, 0)


def best_split(
    text: str, whole: bool = False, seen: frozenset[str] = frozenset(), terms: frozenset[str] = frozenset()
) -> list[str]:
    """Most probable split of `text` into known words (single characters always allowed).

    `whole=False` keeps the string itself out of the candidates: a term is being explained by
    its parts. Words in `seen` (the source text uses them on their own: 算力 beside 算力供应商)
    are not discounted, whichever list has them: the reader has just met them. `terms` are
    terms in their own right (a glossary's, policy language's: 文旅, 碳达峰): each scores at
    least as a word readers know, so a term splits into them before single characters.
    """
    if not text:
        return []
    spans = {text[i:j] for i in range(len(text)) for j in range(i + 2, min(len(text), i + LONGEST) + 1)}
    if not whole:
        spans.discard(text)
    known = lexicon.headwords()
    zipf = lexicon.zipf_lookup({w for w in spans if w in known})
    cedict_zipf = {w: zipf.get(w, 1.0) for w in spans if w in known}
    best: list[tuple[float, int]] = [(0.0, 0)] + [(-math.inf, 0)] * len(text)
    for j in range(1, len(text) + 1):
        for i in range(max(0, j - LONGEST), j):
            piece = text[i:j]
            if len(piece) > 1 and piece not in spans:
                continue
            lp = log_prob(piece, cedict_zipf, seen)
            if piece in terms:
                lp = max(lp if lp is not None else -math.inf, _term_log_prob())
            if lp is None:
                if len(piece) > 1:
                    continue
                lp = _UNSEEN
            score = best[i][0] + lp
            if score > best[j][0]:
                best[j] = (score, i)
    out: list[str] = []
    j = len(text)
    while j > 0:
        i = best[j][1]
        out.append(text[i:j])
        j = i
    return out[::-1]
