"""Learning value: how much a term found in a text is worth a learner's time, as one fitted score.

A term's value is exp(w · f): a log-linear model over a few measured features of the term (how
often and how the text uses it, how common it is in general Chinese and in the HSK lists, its
shape, what the phrase background says of it). In words: salience in the text × how unlikely the
learner knows it × a factor for its shape and for how much more policy Chinese uses it than general
Chinese (keyness: it lifts a conventional term used once, 营商环境, above one writer's wording).
benchmarks/eval/fit_value.py fits the weights on the gold terms of the evaluation texts and
compares the fit with the table in use, text by text, leaving each text out of its own fit.

Scores are positive (corpus mode adds them across documents) and only their order and ratios matter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: HSK 3.0 level → how likely a learner of that level still has to learn the word (1 knows it).
HSK_UNKNOWN = {1: 0.05, 2: 0.12, 3: 0.22, 4: 0.4, 5: 0.6, 6: 0.75, 7: 0.95}
KINDS = ("term", "slogan", "idiom", "phrase", "name")  # "word" is the baseline


@dataclass(frozen=True)
class Evidence:
    """What the extractor knows about one accepted term, in the units the features use."""

    count: int  # occurrences in the text
    quoted: bool  # the writer marks it: quotes, book-title marks
    in_title: bool
    listed: bool  # an item of a parallel list (X、Y、Z)
    zipf: float  # general Chinese frequency (wordfreq Zipf; estimated for compounds)
    hsk: int | None  # HSK 3.0 level (7 stands for 7–9)
    kind: str  # word, term, slogan, idiom, phrase (a term + everyday word), name
    length: int  # characters
    tokens: int  # jieba tokens it is cut into
    affixed: bool  # built with a productive affix (新型-, -化, -链 …)
    verbal: bool  # a single everyday verb, adverb … rather than a noun
    keyness: float | None  # background Zipf − general Zipf; None: the background lacks it
    recent: bool  # first seen in the background's last few years (a coinage)


def features(ev: Evidence) -> dict[str, float]:
    """The model's inputs; names match the keys of WEIGHTS."""
    rarity = min(1.0, max(0.05, (6.2 - ev.zipf) / 4.0))
    unknown = min(rarity, HSK_UNKNOWN.get(ev.hsk, 0.9)) if ev.hsk else rarity
    f = {
        "bias": 1.0,
        "salience": math.log(1.5 * math.log2(1 + ev.count) + 0.6 * ev.quoted + 0.3 * ev.in_title),
        "once": float(ev.count == 1),
        "quoted": float(ev.quoted),
        "in_title": float(ev.in_title),
        "listed": float(ev.listed),
        "log_unknown": math.log(unknown),
        "length2": float(ev.length == 2),
        "length4plus": float(ev.length >= 4),
        "long": max(0.0, ev.length - 5.0),
        "affixed": float(ev.affixed),
        "verbal": float(ev.verbal),
        "in_background": float(ev.keyness is not None),
        "keyness": math.log(1 + 0.15 * min(4.0, max(0.0, ev.keyness))) if ev.keyness is not None else 0.0,
        "unseen_pairing": float(
            ev.keyness is None and ev.count == 1 and not ev.quoted and ev.tokens >= 2 and ev.kind == "term"
        ),
        "recent": float(ev.recent),
    }
    f.update({f"kind_{k}": float(ev.kind == k) for k in KINDS})
    return f


#: Set by hand and tuned on the first evaluation texts (each weight is the log of a factor: a term
#: ×1.25, an idiom ×1.45, two characters ×0.85/1.05 …). fit_value.py refits them; see its docstring
#: for why the fitted table is not the one in use.
WEIGHTS: dict[str, float] = {
    "bias": math.log(1.05),
    "salience": 1.0,
    "log_unknown": 1.0,
    "length2": math.log(0.85 / 1.05),
    "length4plus": math.log(1.15 / 1.05),
    "affixed": math.log(1.2),
    "verbal": math.log(0.75),
    "keyness": 1.0,
    "unseen_pairing": math.log(0.7),
    "kind_term": math.log(1.25),
    "kind_slogan": math.log(1.35),
    "kind_idiom": math.log(1.45),
    "kind_phrase": math.log(0.6),
    "kind_name": math.log(0.25),
}


def value(ev: Evidence, weights: dict[str, float] | None = None) -> float:
    """exp(w · f): the term's learning value (positive; higher is worth more)."""
    w = WEIGHTS if weights is None else weights
    return math.exp(sum(w.get(name, 0.0) * x for name, x in features(ev).items()))
