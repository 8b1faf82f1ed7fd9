"""Set-level steps after ranking: each candidate is judged against the terms already kept.

A fragment (新质 of 新质生产力) or a one-off pairing of a term with an everyday word (产品 +
碳足迹) is only recognisable beside the longer or shorter term it belongs to, so these run over
the ranked list rather than candidate by candidate. Names are labelled here too: a learner sees
people and places only when asking for them.
"""

from __future__ import annotations

import re

from learn.language import lexicon
from learn.terms.candidates import Candidate
from learn.terms.rules import (
    AFFIX_MODIFIERS,
    COUNTED,
    NAME_TAGS,
    NUMERIC,
    PLACE_SUFFIXES,
    TITLES,
    _everyday,
    _parts,
    _unknown_place,
)


def _drop_fragments(terms: list[Candidate]) -> list[Candidate]:
    """Drop a term that occurs (almost) only inside one longer kept term: 新质 inside 新质生产力.

    A word found inside many different terms (算力 in 智算力, 算力需求…) is a building block, not
    a fragment, so only the largest single container counts. A container seen once proves
    nothing: a word that also stands alone once is as much a unit as its one-off extension.
    Kept terms are indexed by every substring, so finding a term's holders costs one lookup.
    """
    kept: list[Candidate] = []
    holders_of: dict[str, list[Candidate]] = {}
    for cand in sorted(terms, key=lambda c: -len(c.text)):
        holders = holders_of.get(cand.text, [])
        inside = max((k.count * k.text.count(cand.text) for k in holders), default=0)
        free = cand.count - inside
        if inside and (free < 1 or (free < 2 and inside >= 2) or free < 0.25 * cand.count):
            continue
        outer = [k for k in holders if not any(k is not o and k.text in o.text for o in holders)]
        if len(outer) == 2 and sum(k.count * k.text.count(cand.text) for k in outer) >= cand.count:
            continue  # never on its own, in two terms only: 双控 in 能耗双控, 碳排放双控
        kept.append(cand)
        for part in _parts(cand.text, 2, len(cand.text) - 1):
            holders_of.setdefault(part, []).append(cand)
    return kept


def _prefer_cores(terms: list[Candidate]) -> list[Candidate]:
    """Drop an unmarked one-off pairing of a term with everyday words (产品 + 碳足迹, 绿色低碳 +
    发展): seen once, the term is the unit a learner needs and the pairing a free phrase.
    Affix modifiers and rarer words make new terms (新型 + 举国体制, 新质 + 生产力)."""
    texts = {c.text for c in terms if len(c.text) >= 3}
    words = lexicon.headwords()
    loose = [
        c
        for c in terms
        if c.count == 1 and len(c.tokens) >= 2 and not (c.quoted or c.listed or c.framed) and c.text not in words
    ]
    common = lexicon.zipf_lookup({t for c in loose for t in c.tokens})

    def everyday(rest: tuple[str, ...]) -> bool:
        return all(_everyday(w, common) for w in rest)

    def pairing(c: Candidate) -> bool:
        t = c.tokens
        return any(
            ("".join(t[k:]) in texts and everyday(t[:k])) or ("".join(t[:k]) in texts and everyday(t[k:]))
            for k in range(1, len(t))
        )

    drop = {c.text for c in loose if pairing(c)}
    return [c for c in terms if c.text not in drop]


def _extends_term(cand: Candidate, by_text: dict[str, Candidate], zipfs: dict[str, float]) -> bool:
    """A one-off pairing of a much more frequent rare term with a common word (大模型专家, 算力供应商).

    The rare term must also stand alone at least twice: seen once alone and once extended
    (数字化, 数字化转型), the longer string is the better candidate for the term.
    `by_text` maps each term's text to its candidate: only the substrings of `cand` are looked up.
    """
    for part in _parts(cand.text, 2, len(cand.text) - 1):
        t = by_text.get(part)
        if t is not None and t.count >= max(2 * cand.count, cand.count + 2) and zipfs.get(part, 0.0) < 4.0:
            rest = cand.text.replace(part, "", 1)
            if zipfs.get(rest, 0.0) >= 4.5 and rest not in AFFIX_MODIFIERS:  # an everyday word (专家, 供应商), not 新型
                return True
    return False


def _kind(cand: Candidate, names: frozenset[str], tags: dict[str, str], zipfs: dict[str, float]) -> str:
    if cand.text in names or (len(cand.tokens) > 1 and cand.tokens[0] in names and len(cand.tokens[0]) >= 2):
        return "name"
    stem = cand.text[:-1]
    if cand.tokens[-1] in PLACE_SUFFIXES and zipfs.get(stem, 0.0) < 3.0 and _unknown_place(cand.text):
        return "name"  # a place: 澜江市 (an unknown stem + 市), not 示范村 or 和美乡村
    if (
        len(cand.tokens) > 1
        and cand.text[-1] in PLACE_SUFFIXES
        and tags.get(cand.tokens[-1]) == "ns"
        and cand.tokens[-1] not in lexicon.headwords()
    ):
        return "name"  # 桑 + 塘村: jieba takes the end for a place name
    if len(cand.tokens) > 1 and cand.tokens[-1] in TITLES:
        return "name"  # a person's title (全国政协委员), not vocabulary of the topic
    return _common_kind(cand, tags)


def _common_kind(cand: Candidate, tags: dict[str, str]) -> str:
    """word, term, idiom or slogan, from the shape of the candidate and jieba's tag."""
    if len(cand.text) >= 4 and tags.get(cand.text) == "i":
        return "idiom"
    if len(cand.text) >= 4 and tags.get(cand.text) == "nz":
        return "term"  # a technical term jieba lists whole
    if len(cand.tokens) > 1 and sum(len(t) == 1 for t in cand.tokens) >= 3 and len(cand.text) <= 5:
        return "slogan"  # compressed coinages: 先立后破, 专精特新
    if len(cand.text) == 2 and cand.text[0] in COUNTED and not NUMERIC.match(cand.text):
        return "slogan"  # a counted abbreviation: 三农 (agriculture, villages, farmers), 双碳
    if len(cand.tokens) > 1 and cand.text not in lexicon.headwords():
        return "term"
    return "word"


PLACE_AFTER = re.compile(r"([\u4e00-\u9fff]{2})[省市县区镇乡州]")


def _place_stems(sents: list[str], terms: list[Candidate]) -> frozenset[str]:
    """Terms the text also writes with 市/县/区… after them (溪宁 beside 溪宁市) and that no
    dictionary has: a place's short name."""
    words = lexicon.headwords()
    short = {t.text for t in terms if len(t.text) == 2 and t.text not in words}
    if not short:
        return frozenset()
    return frozenset(stem for sent in sents for stem in PLACE_AFTER.findall(sent) if stem in short)


def _proper_names(words: set[str]) -> frozenset[str]:
    """Those `words` CC-CEDICT lists only as proper names and jieba tags as a person, place or
    organisation (习近平, 北京, 新华社). A named policy (双减, 一带一路, 长江经济带) is vocabulary."""
    listed = words & lexicon.headwords(names=True)
    tags = lexicon.pos_tags(listed)
    return frozenset(w for w in listed if tags.get(w, "") in NAME_TAGS)
