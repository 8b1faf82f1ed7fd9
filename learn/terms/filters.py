"""Set-level steps after ranking: each candidate is judged against the terms already kept.

A fragment (新质 of 新质生产力) or a one-off pairing of a term with an everyday word (产品 +
碳足迹) is only recognisable beside the longer or shorter term it belongs to, so these run over
the ranked list rather than candidate by candidate. Names are labelled here too: a learner sees
people and places only when asking for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from learn.background.model import PhraseStats
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
    _verb,
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
    tail = cand.text[-2:]
    if tags.get(cand.text) == IDIOM_TAG:
        return "idiom"
    if len(cand.text) >= 4 and tags.get(cand.text) == "i" and lexicon.pos_tags([tail]).get(tail) not in ("n", "vn"):
        return "idiom"  # CC-CEDICT's idioms are tagged "i" too; jieba's alone can be a title (若干 + 意见)
    if len(cand.text) >= 4 and tags.get(cand.text) == "nz":
        return "term"  # a technical term jieba lists whole
    if len(cand.tokens) > 1 and sum(len(t) == 1 for t in cand.tokens) >= 3 and len(cand.text) <= 5:
        return "slogan"  # compressed coinages: 先立后破, 专精特新
    if len(cand.text) == 2 and cand.text[0] in COUNTED and not NUMERIC.match(cand.text):
        return "slogan"  # a counted abbreviation: 三农 (agriculture, villages, farmers), 双碳
    if len(cand.tokens) > 1 and cand.text not in lexicon.headwords():
        return "term"
    return "word"


PLACE_AFTER = re.compile(r"([\u4e00-\u9fff]{2})(?:[省市县区镇乡州]|大学|高新区|新区|开发区)")


def _place_stems(sents: list[str], terms: list[Candidate]) -> frozenset[str]:
    """Terms the text also writes with 市/县/区/大学/高新区… after them (溪宁 beside 溪宁市, 澄川
    beside 澄川大学) and that no dictionary has: a place's short name."""
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


#: The tag given to words CC-CEDICT marks as idioms (jieba's own "i" also covers titles such as 若干意见).
IDIOM_TAG = "idiom"
#: The set-level steps in force (benchmarks/eval/train_model.py --loo --without STEP turns one off to
#: measure what it is worth on held-out texts).
STEPS = {
    "fragments": True,
    "collocations": True,
    "one-off pairings": True,
    "crossing": True,
}
#: A candidate the model gives less than this probability is not returned at all.
FLOOR = 0.03
#: A collocation ranked above its term stays at this probability or more unless a verb leads it (`_sure`).
SURE = 0.5


def select(
    cands: list[Candidate],
    scores: list[float],
    people: list[bool],
    clauses: list[bool],
    text: str,
    tags: dict[str, str],
    stats: dict[str, PhraseStats],
    kinds: list[str],
) -> list[int]:
    """Indexes of the candidates worth returning, best first, after the set-level steps.

    Walking down the model's ranking, a candidate is dropped when
    * it is a fragment of a term already kept: (almost) all its occurrences are inside it (新质
      inside 新质生产力, 雪车 inside 压雪车). Only kept terms count, so a term the model prefers to
      its longer phrase (数字政府 over 数字政府建设) stays;
    * it is a collocation of a term already kept: that term with everyday words or a verb around
      it (发展 + 新质生产力), unmarked by the writer (see `_collocation`). A learner needs the term,
      not the phrase. Ranked above its term, the phrase stays when the model is sure of it (`_sure`);
    * it is a person's name, or such a name with a title (王小明, 专家王小明; not 金山 of
      金山银山, 高水平 of 高水平对外开放): people are never vocabulary, and
      their given names go with them as fragments (启明 of 谭启明);
    * it straddles a term already kept in every occurrence: a piece cut across two words
      (补齐冰雪 of 补齐 + 冰雪装备, 运动高质量 of 冰雪运动 + 高质量发展);
    * it is certainly a piece of a clause (learn.terms.rules.clause_veto): an aspect particle, a
      date in front or an organisation doing something makes it part of a sentence (结果成了,
      三季度国内生产总值, 国务院办公厅印发);
    * the model gives it less than FLOOR.
    """
    order = sorted(range(len(cands)), key=lambda i: (-scores[i], cands[i].text))
    spans = _Spans(text)
    names = {c.text for c, person in zip(cands, people, strict=True) if person and c.person_context}
    kept: list[int] = []
    named = [c for c, kind in zip(cands, kinds, strict=True) if kind == "name"]
    holders_of: dict[str, list[Candidate]] = {}
    cores: dict[str, Candidate] = {}
    common = lexicon.zipf_lookup({t for c in cands if len(c.tokens) > 1 for t in c.tokens})
    for i in order:
        cand = cands[i]
        if scores[i] < FLOOR:
            break
        if clauses[i]:
            continue
        # a holder that is this candidate with a verb or everyday word around it does not make it a
        # fragment: the holder goes as a collocation at the end (推进 + 新型城镇化)
        holders = [
            h for h in holders_of.get(cand.text, ()) if not _collocation(h, {cand.text: cand}, common, tags, stats)
        ]
        if (STEPS["fragments"] and _fragment(cand, holders)) or (
            STEPS["collocations"] and _collocation(cand, cores, common, tags, stats)
        ):
            continue
        for part in _parts(cand.text, 2, len(cand.text) - 1):
            holders_of.setdefault(part, []).append(cand)
        titled = not names.isdisjoint(cand.tokens) and not TITLES.isdisjoint(cand.tokens)  # 专家 + 王小明
        if people[i] or titled:
            named.append(cand)
        if people[i] or titled:
            continue
        kept.append(i)
        cores[cand.text] = cand
    # a collocation the model ranked above its own term goes once the term is kept (unless `_sure`), and so does a
    # piece of a name ranked above the name (塘村 of 桑塘村)
    kept = [
        i
        for i in kept
        if not (
            STEPS["collocations"]
            and not _sure(cands[i], scores[i], tags)
            and _collocation(cands[i], cores, common, tags, stats)
        )
        and not _fragment(cands[i], [n for n in named if cands[i].text in n.text and n is not cands[i]])
    ]
    if STEPS["fragments"]:  # judged again without the collocations that went (双控 of 能耗双控, 碳排放双控)
        above: list[Candidate] = []
        survivors = []
        for i in kept:
            if not _fragment(cands[i], [k for k in above if cands[i].text in k.text and k is not cands[i]]):
                survivors.append(i)
            above.append(cands[i])
        kept = survivors
    # pieces cut across two kept terms go, judged against the terms that survived; what the writer
    # marked (quotes, lists, frames: 大院大所大校) is placed first and cuts the pieces around it
    crossed = set()
    for i in sorted(kept, key=lambda i: not (cands[i].quoted or cands[i].listed or cands[i].framed)):
        if STEPS["crossing"] and spans.crossed(cands[i].text):
            crossed.add(i)
        else:
            spans.add(cands[i].text)
    return [i for i in kept if i not in crossed]


class _Spans:
    """Where the kept terms stand in the text, to tell a candidate that straddles one of them."""

    def __init__(self, text: str):
        self.text = text
        self.end_of: dict[int, int] = {}  # a kept term starting here ends there (the longest)
        self.start_of: dict[int, int] = {}  # a kept term ending here started there (the longest)

    def _at(self, term: str) -> list[int]:
        out, at = [], self.text.find(term)
        while at >= 0:
            out.append(at)
            at = self.text.find(term, at + 1)
        return out

    def add(self, term: str) -> None:
        for at in self._at(term):
            end = at + len(term)
            self.end_of[at] = max(self.end_of.get(at, 0), end)
            self.start_of[end] = min(self.start_of.get(end, at), at)

    def crossed(self, term: str) -> bool:
        """Every occurrence of `term` shares characters with a kept term without holding it or
        lying inside it: a piece cut across two words (补齐冰雪 of 补齐 + 冰雪装备)."""
        places = self._at(term)
        if not places or not self.end_of:
            return False
        for at in places:
            end = at + len(term)
            inner = range(at + 1, end)
            if not any(self.end_of.get(i, 0) > end for i in inner) and not any(
                self.start_of.get(i, end) < at for i in inner
            ):
                return False
        return True


def _fragment(cand: Candidate, holders: Iterable[Candidate]) -> bool:
    """Most of the candidate's occurrences lie inside one kept term, or it never stands outside
    the two kept terms that hold it (双控 in 能耗双控 and 碳排放双控)."""
    holders = list(holders)
    if not holders:
        return False
    inside = max(k.count * k.text.count(cand.text) for k in holders)
    free = cand.count - inside
    if free < 1 or (free < 2 and inside >= 2) or free < 0.25 * cand.count:
        return True
    # the shortest holders count each occurrence once (碳排放双控, not also 转向碳排放双控 around it)
    inner = [k for k in holders if not any(k is not o and o.text in k.text for o in holders)]
    return len(inner) == 2 and sum(k.count * k.text.count(cand.text) for k in inner) >= cand.count


def _sure(cand: Candidate, score: float, tags: dict[str, str]) -> bool:
    """Asked of a collocation the model ranked above its own kept term: the model is sure of the
    phrase and no verb leads it, so it is a term of its own (居家 + 养老, 科技 + 自立自强, 中华 +
    优秀传统文化). A verb in front (建设 + 教育强国, 发展 + 新质生产力) stays a collocation however
    sure the model is, and so does a phrase ranked below its term (产品 + 碳足迹).
    Leave-one-text-out on 37 open texts: tier A @25 308 to 312, A+B @80 922 to 925, fragments 119 both."""
    return score >= SURE and tags.get(cand.tokens[0]) not in ("v", "vn")


def _collocation(
    cand: Candidate,
    cores: dict[str, Candidate],
    common: dict[str, float],
    tags: dict[str, str],
    stats: dict[str, PhraseStats],
) -> bool:
    """A kept term with everyday words or a verb around it (see `select`), both known to the
    background: the pairing used once while the term recurs (绿色低碳 + 发展), or a verb in front of
    a term that mostly stands alone (发展 + 新质生产力; not 扩大 + 内需, which the background writes
    as a phrase of its own). Affix modifiers (新型 + 储能) and rare words make a new term. A wider
    rule (any everyday word, whatever the counts) cost 9 tier-A and 19 A+B terms leave-one-text-out."""
    tokens = cand.tokens
    if len(tokens) < 2 or cand.quoted or cand.listed or cand.framed or cand.text in lexicon.headwords():
        return False
    whole = stats.get(cand.text)
    for start in range(len(tokens)):
        for end in range(start + 1, len(tokens) + 1):
            core = cores.get("".join(tokens[start:end]))
            if core is None or end - start == len(tokens):
                continue
            rest = tokens[:start] + tokens[end:]
            verbs = all(len(w) >= 2 and _verb(w, tags) for w in rest)  # 推进 + 新型城镇化
            if tags.get(core.text) in (IDIOM_TAG, "i") and all(_everyday(w, common) for w in rest):
                return True  # an idiom with everyday words is a clause: 产业发展 + 脱胎换骨
            # a word of two characters is a core only for a verb: 冰雪 + 经济 is a term
            if not verbs and (len(core.text) < 3 or not all(_everyday(w, common) for w in rest)):
                continue
            if STEPS["one-off pairings"] and cand.count == 1 < core.count:
                return True  # an unmarked pairing seen once, of a term the text repeats: 绿色低碳 + 发展
            held = stats.get(core.text)
            front_verb = start > 0 and tags.get(tokens[0]) in ("v", "vn")  # 发展 + 新质生产力
            if front_verb and core.count >= 2 * cand.count:
                return True  # the text itself mostly writes the term alone: 转向 + 碳排放双控
            if whole is None or held is None:
                continue
            if front_verb and _alone(cand, core, whole, held, common):
                return True
    return False


def _alone(cand: Candidate, core: Candidate, whole: PhraseStats, held: PhraseStats, common: dict[str, float]) -> bool:
    """The term stands alone more than with the verb in front: in this text (twice as often, or at
    all after an everyday verb such as 发展 or 推进) or in most of its background occurrences."""
    everyday_verb = common.get(cand.tokens[0], 0.0) >= 5.0 and core.count > cand.count
    return core.count >= 2 * cand.count or everyday_verb or held.count >= 2 * whole.count
