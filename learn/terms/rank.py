"""Extraction: the vocabulary worth learning in a text, new coinages included, ranked.

jieba splits coinages it does not know (新质/生产力, 先立/后/破), so words are not taken from
the segmenter as they come. Instead every short run of adjacent tokens is a candidate, and a
run counts as a term when the text itself says so:

* cohesion — its parts occur mostly together (新质 is nearly always followed by 生产力);
* free edges — what stands before and after it varies (fragments have one fixed neighbour);
* the writer marks it — quotes (“先立后破”), members of a parallel list (数智化、绿色化);
* a general dictionary lists it (CC-CEDICT, jieba's dictionary) — idioms and set phrases;
* the phrase background (learn.background.model: counts of policy and news Chinese) knows it as a set
  phrase with free edges — even when this text uses it once (营商环境).

The background also decides what one text cannot: a phrase it always sees beside the same
neighbour is a fragment (质生产力), everyday words around a set term make a collocation rather
than a term (发展 + 新质生产力). Fragments of longer terms, names, numbers and function words are
dropped, and what is left is ranked by learning value: salience in the text × keyness (how much
more policy Chinese uses the term than general Chinese) × how unlikely a learner already knows it
(learn.terms.value).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from learn.background.model import Background, PhraseStats, recent_year
from learn.background.model import load as load_background
from learn.entry import Entry
from learn.language import lexicon
from learn.read.text import clean, sentences
from learn.terms.annotate import annotate, substrings
from learn.terms.candidates import HAN_RUN, PERSON_CONTEXT, Candidate, gather, surnames
from learn.terms.value import Evidence, value

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
NUMERIC = re.compile(
    r"^[零〇一二三四五六七八九十百千万亿两几数多第]+"
    r"[个大批项条种类位名家年月日次点些倍成届期趟回遍轮场座台辆件份张只头亩户层处间部本]?$"
    r"|^[这那哪每某][个件位种些次样类项批条家名]$"  # 这件, 那些: pointers, not words
    r"|^[前后第上下]?[一二三四五六七八九十两半]+(?:季度|年度|月份|周年|个月|半年)$"  # 三季度
    r"|^[近约超逾]?[一二三四五六七八九十两半]+成$"  # 近三成
    r"|^[全本][省市县区镇乡村州]$"
)  # 全县, 本市
# One-character tokens that may stand at the start / end of a term (新型, 大模型; 产业链, 着力点)
TERM_PREFIXES = frozenset("新全高大小超微强多双老反非总副准次泛软硬智数绿低零单主分专先产首")
PRODUCTIVE_SUFFIXES = frozenset("化制型链力率性业点式圈区港群端网品线权源能")
PLACE_SUFFIXES = frozenset("省市县区镇乡村州湾岛湖山河江")  # 澜江市: an unknown stem + one of these is a place
# jieba part-of-speech tags: what cannot start a term, what a compound is made of, what binds an edge
NOT_TERM_START = frozenset({"v", "d", "p", "c", "u", "m", "q", "r", "ad", "f", "uj", "ul", "ud", "y", "zg"})
CLAUSE_OPENERS = frozenset(
    {"p", "c", "u", "r", "q", "uj", "ul", "ud", "y"}
)  # prepositions, conjunctions, particles, pronouns, measures
NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nt"})  # jieba's persons, places, organisations
NOUN_TAGS = frozenset({"n", "vn", "nz", "an", "b", "nt", "j"})
HEAD_TAGS = frozenset({"n", "nz", "nt", "j"})
HEAD_OF_TERM = NOUN_TAGS | {"l", "i", "ns", "nr", "nrt", "eng"}  # what a set phrase may end in (振兴, 融合, 诊疗)
BINDING_TAGS = frozenset({"n", "nz", "ns", "nr", "nt", "nrt", "a", "an", "b", "j", "l", "i", "eng", ""})
# Word-forming affixes of policy language (新型, 全要素; 工业化, 战略性, 产业链, 生产率)
AFFIX_PREFIXES = frozenset("新全高超多双微泛准")
AFFIX_SUFFIXES = frozenset("化型性式链力率制")
MODIFIER_SUFFIXES = frozenset("性型式")  # -性 -型 -式 words qualify a noun (保障性, 开放型, 嵌入式)
AFFIX_MODIFIERS = frozenset({"新型", "新", "全", "非", "双", "高", "超", "智能", "数字", "绿色"})
COMPLEMENTS = (
    "起来",
    "下来",
    "下去",
    "出来",
    "进来",
    "上来",
    "过来",
    "回来",
    "不到",
    "不上",
    "不了",
    "不住",
    "不起",
    "不够",
    "得到",
    "得了",
)
COUNTED = frozenset("两双三四五六七八九十")  # numbers that open abbreviations (not 一: 一般, 一起)
PREPOSITIONS = frozenset("从以向对由被把为在于按")
DETERMINERS = ("各个", "有的", "每个", "这个", "那个", "某个", "个别")
# words that make a quoted string a clause someone said rather than a name for something
CLAUSE_WORDS = frozenset(
    {
        "就",
        "跟着",
        "去",
        "了",
        "着",
        "过",
        "得",
        "把",
        "被",
        "在",
        "是",
        "要",
        "会",
        "能",
        "都",
        "也",
        "还",
        "才",
        "又",
        "再",
        "让",
        "给",
    }
)
FIXED_SHARE = 0.9  # one neighbour in more than 90% of the background occurrences: a bound edge
ESTABLISHED_DF = 100  # a pairing in this many background documents (of 1,495 shipped) is a set phrase itself
SET_SHARE = 0.8  # a word of a phrase used mostly inside it makes the phrase a set one
EDGE_SHARE = 0.5  # an edge character belongs to a phrase whose rest the background mostly sees with it
COLLOCATION_RATIO = 3  # a set term in more than 3× the documents of its pairing with a word


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    words = (DATA_DIR / "function_words.txt").read_text(encoding="utf-8")
    return frozenset(w for line in words.splitlines() if not line.startswith("#") for w in line.split())


TITLES = frozenset(
    w for w in PERSON_CONTEXT if len(w) >= 2 and w not in ("表示", "认为", "指出", "介绍", "告诉", "坦言")
)


def _is_noise(cand: Candidate) -> bool:
    """Function words at an edge, single characters, numbers."""
    fw = _function_words()
    text = cand.text
    if len(text) < 2 or text in fw or NUMERIC.match(text):
        return True
    if len(text) == 3 and text[1] == "不" and text not in lexicon.headwords():
        return True  # can / cannot forms (买不来, 讨不来), unless a word (来不及)
    if text.startswith(DETERMINERS):
        return True  # 各个部门, 有的地方: a determiner makes a phrase
    if (cand.quoted or cand.listed) and _compressed(cand):
        return False  # a marked slogan may start with a function word: 以进促稳
    if cand.tokens[0] in fw or cand.tokens[-1] in fw:
        return True
    if text[0] in "不没别" or text.endswith(COMPLEMENTS):
        return True  # negated or resultative verb phrases (不愿共享, 跑起来, 找不到)
    return len(cand.tokens) > 1 and (
        len(cand.tokens[0]) == 1
        and cand.tokens[0] in "的了是在和与及或并而也都又还就才把被让对向从由于以为之其此该这那各每某"
    )


def _cohesion(cand: Candidate, cands: dict[str, Candidate]) -> float:
    """How much the parts belong together: the weakest split's c(AB) / min(c(A), c(B))."""
    if len(cand.tokens) == 1:
        return 1.0
    worst = 1.0
    for k in range(1, len(cand.tokens)):
        left, right = "".join(cand.tokens[:k]), "".join(cand.tokens[k:])
        lc, rc = (
            cands[left].count if left in cands else cand.count,
            cands[right].count if right in cands else cand.count,
        )
        worst = min(worst, cand.count / max(1, min(lc, rc)))
    return worst


def _is_term(
    cand: Candidate,
    cands: dict[str, Candidate],
    tags: dict[str, str],
    heads: Counter | None = None,
    stats: dict[str, PhraseStats] | None = None,
    zipfs: dict[str, float] | None = None,
) -> bool:
    """Whether a run of several tokens is a unit the text treats as one term.

    `heads` counts the heads (last two characters) of terms already accepted: a head that
    forms several terms in this text (传统产业, 新兴产业 → 产业) makes a new modifier + head
    pairing (未来产业) credible on less evidence.
    """
    st = (stats or {}).get(cand.text)
    if cand.text in lexicon.headwords():
        return True
    if _bound(st):
        return False  # the background always sees it beside the same neighbour: 专精(特新), (消费品)零售总额
    if len(cand.tokens) == 1 or _jieba_word(cand.text):
        return True
    if _governed(cand):
        return False
    if stats and _collocation(cand, cands, stats, tags, zipfs):
        return False  # a word + a set term the background knows far better (发展新质生产力)
    if _conventional(st) and _term_shape(cand, tags, stats or {}):
        return True  # a set phrase of policy language, even when this text uses it once
    if cand.quoted and not any(t in CLAUSE_WORDS for t in cand.tokens[1:]):
        return True  # not a quoted clause: 资金跟着项目走, 一放大就走样
    if cand.framed or (cand.listed and (len(cand.tokens) <= 3 or _compressed(cand))):
        return True
    family = heads is not None and heads[cand.text[-2:]] >= 2
    if cand.count == 1 and heads is not None:
        return _plain_compound(cand, tags, family)
    compressed = _compressed(cand)
    # a prefix character at the end (万兆全 | 光网) belongs to the word after it
    open_end = compressed and cand.text[-1] not in TERM_PREFIXES
    if (
        cand.count < 2
        or len(cand.text) > 8
        or not (_free(cand.left, tags, compressed) and _free(cand.right, tags, open_end))
    ):
        return False
    if len(cand.text) == 8 and not all(tags.get(t) in NOUN_TAGS for t in cand.tokens):
        return False  # eight characters: only a chain of nouns (新型农村集体经济), no clause
    if compressed:
        return _cohesion(cand, cands) >= 0.5
    fw = _function_words()
    if any(t in fw for t in cand.tokens[1:-1]):
        return False
    first, last = cand.tokens[0], cand.tokens[-1]
    cohesion = _cohesion(cand, cands)
    nominal = len(last) == 1 and last in AFFIX_SUFFIXES and tags.get(first) == "v"  # 创新链, 开放型
    # four parts only as a tight noun chain seen more than once (全国统一大市场)
    chain = (
        len(cand.tokens) == 4
        and cohesion >= 0.75
        and tags.get(last) in HEAD_TAGS
        and len(last) >= 2
        and tags.get(first) in HEAD_TAGS
    )  # not 发展新质生产力: a verb in front makes a clause
    if (len(cand.tokens) > 3 and not chain) or (tags.get(first) in NOT_TERM_START and not nominal):
        return False
    if cand.count >= 2 and cohesion >= 0.75 and _unknown_place(cand.text):
        return True  # 桑塘村, kept whole so its pieces (塘村) go as fragments; listed as a name
    # a one-character edge is a fragment unless it is an affix, or the whole is a two-character
    # word jieba does not know, seen often and always together (化债 ×4: 化 + 债)
    pair_word = (
        len(cand.text) == 2
        and cand.count >= 3
        and cohesion >= 0.75
        and not _after_surname(cand)
        and min(lexicon.zipf_lookup(list(cand.text)).values(), default=0.0) >= 3.5
    )  # 澄川, 岚江: name characters
    if not pair_word and (
        (len(first) == 1 and first not in TERM_PREFIXES)
        or (len(last) == 1 and last not in PRODUCTIVE_SUFFIXES and not _compressed_tail(cand.tokens))
    ):
        return False
    # the more often a pairing recurs, the less exclusive it needs to be (科技创新: 8 of 17 科技);
    # a productive family (X产业) or an affix modifier (新型X, 非X) needs less
    lenient = family or first in AFFIX_MODIFIERS or _compressed_tail(cand.tokens)
    return cohesion * math.log2(1 + cand.count) >= (0.6 if lenient else 1.2)


def _collocation(
    cand: Candidate,
    cands: dict[str, Candidate],
    stats: dict[str, PhraseStats],
    tags: dict[str, str],
    zipfs: dict[str, float] | None = None,
) -> bool:
    """Everyday words before or after a set term that the background uses far more often on its
    own than in this pairing (发展 + 新质生产力, 布局建设 + 未来产业, 一流 + 营商环境, 新质生产力 +
    发展): the term is the unit. Affix modifiers (新型 + 工业化) and rarer words (集体经济) make
    new terms. A verb in front of a term makes a clause whatever the counts when the term also
    stands alone: in this text often, or at all for an everyday verb (发展, 推动), or in most of
    its background occurrences (推进 + 高水平对外开放; not 创新联合体, whose 联合体 rarely stands alone).
    """
    tokens = cand.tokens
    cores = {"".join(tokens[k:]) for k in range(1, len(tokens))} | {"".join(tokens[:k]) for k in range(1, len(tokens))}
    if not any(len(core) >= 3 and _conventional(stats.get(core)) for core in cores):
        return False  # (most candidates: no set term inside, nothing to look up)
    own = stats[cand.text].df if cand.text in stats else 0
    common = zipfs if zipfs is not None else lexicon.zipf_lookup(list(tokens))
    verb = tags.get(tokens[0]) in ("v", "vn")
    for k in range(1, len(tokens)):
        for front, rest, core in ((True, tokens[:k], "".join(tokens[k:])), (False, tokens[k:], "".join(tokens[:k]))):
            st = stats.get(core)
            if st is None or len(core) < 3 or not _conventional(st) or not all(_everyday(w, common) for w in rest):
                continue
            seen = cands[core].count if core in cands else 0  # the term in this text, alone or not
            everyday_verb = verb and common.get(tokens[0], 0.0) >= 5.0 and seen > cand.count  # 发展, 推动
            alone = st.count >= 2 * stats[cand.text].count if cand.text in stats else True  # in the background
            if (own < ESTABLISHED_DF and st.df >= COLLOCATION_RATIO * max(own, 1)) or (
                front and verb and (seen >= 2 * cand.count or everyday_verb or alone)
            ):
                return True
    return False


def _everyday(word: str, common: dict[str, float]) -> bool:
    """A common word of two or more characters that is not an affix modifier (新型, 保障性)."""
    return (
        len(word) >= 2
        and word not in AFFIX_MODIFIERS
        and word[-1] not in MODIFIER_SUFFIXES
        and common.get(word, 0.0) >= 4.0
    )


def _term_shape(cand: Candidate, tags: dict[str, str], stats: dict[str, PhraseStats]) -> bool:
    """Shaped like a term rather than a clause: no adverb, pronoun or function word in front
    (我们要 is common in the background too), a verb only before a head of three or more
    characters (创新联合体; a verb before a set term is judged as a collocation), no function word
    inside, a noun-like word at the end."""
    fw = _function_words()
    first, last = cand.tokens[0], cand.tokens[-1]
    text = cand.text
    whole = stats.get(text)
    front_belongs = len(first) == 1 and _edge_belongs(whole, stats.get(text[1:]))
    if _set_phrase(cand, stats):  # grammar aside, but no clause: function words only inside four characters (问计于民)
        return (
            not any(t in fw for t in (cand.tokens if len(text) > 4 else (first, last)))
            and first[-1] not in "了着过"
            and tags.get(first) not in CLAUSE_OPENERS
        )
    if not _compressed(cand) and (
        (len(first) == 1 and first not in TERM_PREFIXES and not front_belongs)
        or (len(last) == 1 and last not in PRODUCTIVE_SUFFIXES and not _edge_belongs(whole, stats.get(text[:-1])))
    ):
        return False  # 化转型, 大力发展新: a suffix cut off its word, a prefix without one
        # (专精特 + 新 belongs: 专精特 is mostly followed by 新; 保 + 交房)
    if (
        not _compressed(cand)
        and tags.get(last, "n") not in HEAD_OF_TERM
        and last[-1] not in PRODUCTIVE_SUFFIXES
        and not (tags.get(last) == "v" and _nominal(last))
    ):
        return False  # 企业累计, 项目陆续: a subject and its verb are common together, not a term
        # (城市 + 体检 "physical examination" is: the verb names a thing)
    opening = NOT_TERM_START - {"v"} if len(last) >= 3 else NOT_TERM_START  # 创新 + 联合体, not 推动 + 产业
    if front_belongs:
        opening = opening - {"v"}  # 保 + 交房: the background mostly writes 交房 with it
    return tags.get(first) not in opening and first[-1] not in "了着过" and not any(t in fw for t in cand.tokens)


def _nominal(word: str) -> bool:
    """CC-CEDICT's first sense of the word is not a verb ("diagnosis and treatment", not "to procure")."""
    senses = [d for e in lexicon.cedict_lookup([word]).get(word, []) for d in e.definitions]
    return bool(senses) and not senses[0].startswith("to ")


def _parts_of(cand: Candidate) -> set[str]:
    """What the background is asked about a conventional candidate: the text without its first or
    last character, and the two sides of each cut between its tokens."""
    tokens, text = cand.tokens, cand.text
    return {text[1:], text[:-1]} | {
        side for k in range(1, len(tokens)) for side in ("".join(tokens[:k]), "".join(tokens[k:]))
    }


def _set_phrase(cand: Candidate, stats: dict[str, PhraseStats]) -> bool:
    """One side of a cut between its words is mostly used inside this phrase in the background:
    a set phrase whatever its grammar (急难 + 愁盼, 医养 + 结合, 大水 + 漫灌), not a verb and its
    object or a subject and its verb, whose parts are free (不断 + 提高). The other side is not a
    lone prefix at the end or suffix at the start: a clause cut inside its last word (传统产业焕发 +
    新) is no phrase."""
    whole = stats.get(cand.text)
    if whole is None:
        return False
    tokens = cand.tokens
    for k in range(1, len(tokens)):
        front, back = "".join(tokens[:k]), "".join(tokens[k:])
        if back in TERM_PREFIXES or front in PRODUCTIVE_SUFFIXES:
            continue
        for side in (front, back):
            part = stats.get(side)
            if len(side) >= 2 and part is not None and whole.count >= SET_SHARE * part.count:
                return True
    return False


def _edge_belongs(whole: PhraseStats | None, rest: PhraseStats | None) -> bool:
    """The background uses the rest of a phrase mostly with this edge character: most 交房 are
    保交房, most 专精特 are 专精特新, few 大力发展 are 大力发展新."""
    return whole is not None and rest is not None and whole.count >= EDGE_SHARE * rest.count


def _unknown_place(text: str) -> bool:
    """A stem no dictionary has + 市/县/村/湾…: the shape of a place name (澜江市, 桑塘村)."""
    words = lexicon.headwords()
    return text[-1] in PLACE_SUFFIXES and len(text) >= 3 and text[:-1] not in words and text not in words


def _after_surname(cand: Candidate) -> bool:
    """Mostly right after a family name: the given name of a person (书遥 in 林书遥)."""
    single, _ = surnames()
    return sum(n for w, n in cand.left.items() if w in single) * 2 >= max(1, sum(cand.left.values()))


def _governed(cand: Candidate) -> bool:
    """Always after the same preposition (从实际出发 ×3): the object of a set prepositional phrase,
    cut off its preposition, not a term of its own."""
    total = sum(cand.left.values())
    word, n = max(cand.left.items(), key=lambda wc: wc[1], default=("", 0))
    return total >= 3 and n == total and word in PREPOSITIONS


def _plain_compound(cand: Candidate, tags: dict[str, str], family: bool) -> bool:
    """A one-off noun + noun compound of two real words, with a rare modifier or a productive head."""
    if len(cand.tokens) != 2 or any(len(t) < 2 for t in cand.tokens) or len(cand.text) > 7:
        return False
    modifier, head = cand.tokens
    if modifier in AFFIX_MODIFIERS and len(head) >= 3 and tags.get(head) in HEAD_TAGS | {"l"}:
        return True  # 新型 + a set term: 新型举国体制
    if tags.get(modifier) not in NOUN_TAGS or tags.get(head) not in HEAD_TAGS:
        return False
    affixed = len(modifier) >= 3 and modifier[-1] in AFFIX_SUFFIXES  # 分布式, 战略性
    return family or affixed or lexicon.zipf_lookup([modifier]).get(modifier, 0.0) < 3.5


def _compressed_tail(tokens: tuple[str, ...]) -> bool:
    """Ends in a two-character abbreviation cut in two: a prefix character + one more (能耗/双/控)."""
    return len(tokens) >= 3 and len(tokens[-2]) == 1 and tokens[-2] in TERM_PREFIXES and len(tokens[-3]) >= 2


def _compressed(cand: Candidate) -> bool:
    """Three or four characters cut into single-character tokens: an abbreviated coinage
    (碳达峰, 先立后破, 专精特新)."""
    singles = sum(len(t) == 1 for t in cand.tokens)
    return (len(cand.text) == 4 and singles >= 3) or (len(cand.text) == 3 and singles == 3)


def _free(neighbours: Counter, tags: dict[str, str], compressed: bool = False) -> bool:
    """An edge is free unless one noun-like word stands there in three occurrences out of four.

    Verbs and function words before or after a term (建设未来产业) do not make it part of a longer one.
    A compressed coinage is a run of single characters: another single character always beside it
    is part of it (源网荷 + 储), while a whole word there is what it modifies (源网荷储 + 一体化).
    """
    fw = _function_words()
    total = sum(neighbours.values())

    def binds(w: str) -> bool:
        if compressed:
            return len(w) == 1 and w not in fw
        return w not in fw and tags.get(w, "") in BINDING_TAGS

    word, n = max(
        ((w, c) for w, c in neighbours.items() if w not in "^$" and binds(w)), key=lambda wc: wc[1], default=("", 0)
    )
    return not word or n < 0.75 * total


def _jieba_word(text: str) -> bool:
    return len(text) >= 3 and lexicon._jieba().dt.FREQ.get(text, 0) > 0


def _is_person(cand: Candidate) -> bool:
    single, double = surnames()
    text = cand.text
    if not (2 <= len(text) <= 4):
        return False
    surnamed = (text[0] in single and len(text) <= 3) or text[:2] in double
    if not surnamed or text in lexicon.headwords() or (len(text) >= 3 and text[-1] in PLACE_SUFFIXES):
        return False  # 桑塘村 is a village, whatever its first character
    return cand.person_context > 0 or text in lexicon.headwords(names=True)


def _parts(text: str, shortest: int, longest: int) -> set[str]:
    """Every substring of `shortest`..`longest` characters."""
    return {text[i : i + n] for n in range(shortest, longest + 1) for i in range(len(text) - n + 1)}


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


def _affixed(cand: Candidate) -> bool:
    """Built with a productive affix: a one-character prefix token, or a part ending in -化 -型 -性 …"""
    if len(cand.text) < 3:
        return False
    prefixed = len(cand.tokens) > 1 and len(cand.tokens[0]) == 1 and cand.tokens[0] in AFFIX_PREFIXES
    return (
        prefixed
        or any(len(t) >= 2 and t[-1] in AFFIX_SUFFIXES for t in cand.tokens)
        or (len(cand.tokens) > 1 and cand.tokens[-1] in AFFIX_SUFFIXES)
    )


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


def _zipf(text: str, cand: Candidate, known: dict[str, float]) -> float:
    """wordfreq Zipf of the whole; for unlisted compounds, an estimate below its rarest part."""
    if text in known:
        return known[text]
    tokens = cand.tokens
    if len(tokens) == 1:
        # a dictionary word jieba cuts apart (成了, 要看) is estimated from jieba's pieces
        tokens = tuple(lexicon.cut(text))
        if len(tokens) == 1:
            return 1.5
        known = {**known, **lexicon.zipf_lookup(list(tokens))}
    parts = [known.get(t, 1.5) for t in tokens]
    return max(0.0, min(parts) - 2.0 * (len(parts) - 1))


BackgroundChoice = Background | str | Path | bool | None


def rank(
    text: str, *, glossary: bool = True, background: BackgroundChoice = True
) -> tuple[list[str], list[tuple[Candidate, str, float, float]]]:
    """Sentences of the text and its terms as (candidate, kind, zipf, score), best first.

    `background`: True for the shipped phrase background, a path or a Background for another,
    False or None to judge the text on its own.
    """
    sents, described = described_terms(text, glossary=glossary, background=background)
    return sents, _scored(described)


def described_terms(
    text: str, *, glossary: bool = True, background: BackgroundChoice = True
) -> tuple[list[str], list[tuple[Candidate, str, float, Evidence]]]:
    """Sentences of the text and its terms as (candidate, kind, zipf, evidence), unranked: what
    `rank` scores, and what benchmarks/eval/fit_value.py fits the scoring on."""
    bg = choose_background(background)
    stats: dict[str, PhraseStats] = {}
    sents, cands = gather(text, known=_vouched_by(bg, stats) if bg else None)
    if bg:  # every candidate, except the vouched runs whose figures are in hand already
        stats |= bg.lookup(c.text for c in cands.values() if len(c.text) >= 2 and c.text not in stats)
    if bg:  # the parts of the set phrases whose shape is judged: does an edge or a word belong?
        words = lexicon.headwords()
        stats |= bg.lookup(
            p
            for c in cands.values()
            if len(c.tokens) > 1 and c.text not in words and _conventional(stats.get(c.text))
            for p in _parts_of(c)
        )
    terms, tags = _accepted(cands, stats)
    return sents, _described(terms, tags, glossary, _place_stems(sents, terms), stats, bg)


def choose_background(choice: BackgroundChoice) -> Background | None:
    """The background a caller asked for (see `rank`)."""
    if choice is True:
        return load_background()
    if choice is None or choice is False:
        return None
    return choice if isinstance(choice, Background) else load_background(choice)


def _vouched_by(bg: Background, found: dict[str, PhraseStats]) -> Callable[[set[str]], set[str]]:
    """One-off token runs to judge after all: those the background holds as conventional phrases
    (their figures go into `found`, so they are not looked up twice)."""

    def known(spans: set[str]) -> set[str]:
        vouched = {t: st for t, st in bg.lookup(spans).items() if _conventional(st)}
        found.update(vouched)
        return set(vouched)

    return known


def _conventional(st: PhraseStats | None) -> bool:
    """Seen in enough background documents (the file holds nothing rarer) with free edges on
    both sides (营商环境, 专精特新)."""
    return st is not None and max(st.left_top_share, st.right_top_share) <= FIXED_SHARE


def _bound(st: PhraseStats | None) -> bool:
    """In the background, nearly always beside the same character on one side: a fragment of a
    longer phrase (质生产力 after 新, 专精 before 特新)."""
    return st is not None and max(st.left_top_share, st.right_top_share) > FIXED_SHARE


PLACE_AFTER = re.compile(r"([\u4e00-\u9fff]{2})[省市县区镇乡州]")


def _place_stems(sents: list[str], terms: list[Candidate]) -> frozenset[str]:
    """Terms the text also writes with 市/县/区… after them (溪宁 beside 溪宁市) and that no
    dictionary has: a place's short name."""
    words = lexicon.headwords()
    short = {t.text for t in terms if len(t.text) == 2 and t.text not in words}
    if not short:
        return frozenset()
    return frozenset(stem for sent in sents for stem in PLACE_AFTER.findall(sent) if stem in short)


def _accepted(
    cands: dict[str, Candidate], stats: dict[str, PhraseStats] | None = None
) -> tuple[list[Candidate], dict[str, str]]:
    """The candidates that are terms, without names and fragments, and the POS tags consulted."""
    stats = stats or {}
    plausible = [c for c in cands.values() if not _is_noise(c)]
    tags = lexicon.pos_tags(
        {
            w
            for c in plausible
            if len(c.tokens) > 1 and (c.count > 1 or c.text in stats)
            for w in (c.tokens[0], *c.left, *c.right)
        }
        | {c.text for c in plausible if len(c.tokens) == 1}
    )
    zipfs = lexicon.zipf_lookup({t for c in plausible if len(c.tokens) > 1 and c.text in stats for t in c.tokens})
    terms = [c for c in plausible if _is_term(c, cands, tags, stats=stats, zipfs=zipfs)]
    heads = Counter(c.text[-2:] for c in terms if len(c.text) >= 4)
    accepted = {t.text for t in terms}
    second = [c for c in plausible if len(c.tokens) == 2 and c.text not in accepted]
    tags |= lexicon.pos_tags({t for c in second for t in c.tokens})
    terms += [c for c in second if _is_term(c, cands, tags, heads, stats, zipfs)]
    # people join until fragments go, so the pieces of their names go with them (启明 of 谭启明)
    people = [c for c in plausible if len(c.tokens) > 1 and _is_person(c)]
    kept = {c.text for c in terms}
    terms = [
        c
        for c in _drop_fragments(_prefer_cores(terms) + [p for p in people if p.text not in kept])
        if not _is_person(c)
    ]
    idioms = {
        w
        for w, senses in lexicon.cedict_lookup({c.text for c in terms if len(c.text) >= 4}).items()
        if any("(idiom)" in d for e in senses for d in e.definitions)
    }
    return terms, tags | {w: "i" for w in idioms}


def _described(
    terms: list[Candidate],
    tags: dict[str, str],
    glossary: bool,
    places: frozenset[str] = frozenset(),
    stats: dict[str, PhraseStats] | None = None,
    bg: Background | None = None,
) -> list[tuple[Candidate, str, float, Evidence]]:
    zipfs = lexicon.zipf_lookup(
        {c.text for c in terms} | {t for c in terms for t in c.tokens} | {c.text[:-1] for c in terms}
    )
    names = _proper_names({c.text for c in terms} | {c.tokens[0] for c in terms}) | places
    hsk = lexicon.hsk_levels()
    curated = lexicon.glossary() if glossary else {}
    stats = stats or {}
    described = []
    by_text = {c.text: c for c in terms}
    for cand in terms:
        kind = _kind(cand, names, tags, zipfs)
        if cand.text in curated and kind != "name":
            kind = {"slogan": "slogan", "idiom": "idiom"}.get(curated[cand.text].kind, "term")
        zipf = _zipf(cand.text, cand, zipfs)
        if kind == "term" and _extends_term(cand, by_text, zipfs):
            kind = "phrase"
        st = stats.get(cand.text)
        tag = tags.get(cand.text, "")
        evidence = Evidence(
            count=cand.count,
            quoted=bool(cand.quoted),
            in_title=bool(cand.in_title),
            listed=bool(cand.listed),
            zipf=zipf,
            hsk=hsk.get(cand.text),
            kind=kind,
            length=len(cand.text),
            tokens=len(cand.tokens),
            affixed=_affixed(cand),
            verbal=kind == "word" and bool(tag) and tag not in NOUN_TAGS and tag not in ("i", "l"),
            keyness=_keyness(st, bg, zipf) if bg else None,
            recent=bool(st and recent_year(st.first_seen)),
        )
        described.append((cand, "term" if kind == "phrase" else kind, zipf, evidence))
    return described


def _scored(described: list[tuple[Candidate, str, float, Evidence]]) -> list[tuple[Candidate, str, float, float]]:
    """Each term with its learning value (learn.terms.value), best first."""
    scored = [(cand, kind, zipf, round(value(ev), 4)) for cand, kind, zipf, ev in described]
    scored.sort(key=lambda s: (-s[3], s[0].text))
    return scored


def _proper_names(words: set[str]) -> frozenset[str]:
    """Those `words` CC-CEDICT lists only as proper names and jieba tags as a person, place or
    organisation (习近平, 北京, 新华社). A named policy (双减, 一带一路, 长江经济带) is vocabulary."""
    listed = words & lexicon.headwords(names=True)
    tags = lexicon.pos_tags(listed)
    return frozenset(w for w in listed if tags.get(w, "") in NAME_TAGS)


def _keyness(st: PhraseStats | None, bg: Background, zipf: float) -> float | None:
    """Background Zipf (occurrences per 10⁹ words, ~1.5 characters a word) minus general Zipf."""
    if st is None or not bg.characters:
        return None
    return math.log10(st.count * 1.5e9 / bg.characters) - zipf


def wanted(term: str, kind: str, known: set[str], max_hsk: int | None, include_names: bool) -> bool:
    """The learner's filters: names only when asked, nothing known, nothing at or below `max_hsk`."""
    if kind == "name" and not include_names:
        return False
    return term not in known and not (max_hsk and lexicon.hsk_levels().get(term, 99) <= max_hsk)


def extract(
    text: str,
    *,
    top: int | None = 50,
    variant: str = "tw",
    known: set[str] | None = None,
    max_hsk: int | None = None,
    glossary: bool = True,
    source: str = "",
    include_names: bool = False,
    background: BackgroundChoice = True,
) -> list[Entry]:
    """Ranked, annotated vocabulary of `text`; best first, at most `top` entries.

    `known` words (simplified or traditional) and words at HSK level ≤ `max_hsk` are left out.
    Person names never appear; place and organisation names only with include_names=True.
    `background`: the phrase background that judges what one text cannot (see `rank`).
    """
    text = clean(text or "")
    traditional_input = _is_traditional(text)
    work = lexicon.to_simplified(text) if traditional_input else text
    if not HAN_RUN.search(work):
        return []
    bg = choose_background(background)
    sents, scored = rank(work, glossary=glossary, background=bg)
    known = {lexicon.to_simplified(k) for k in (known or set())} | (known or set())
    chosen = []
    for cand, kind, zipf, score in scored:
        if not wanted(cand.text, kind, known, max_hsk, include_names):
            continue
        chosen.append((cand, kind, zipf, score))
        if top and len(chosen) >= top:
            break
    dictionary = lexicon.cedict_lookup({s for cand, *_ in chosen for s in substrings(cand.text)})
    repeats = {s: n - 1 for s, n in Counter(sentences(work)).items() if n > 1}
    entries = [
        annotate(
            cand.text,
            sentences=sents,
            variant=variant,
            glossary=glossary,
            kind=kind,
            count=cand.count + sum(n * s.count(cand.text) for s, n in repeats.items()),
            score=score,
            source=source,
            dictionary=dictionary,
            zipf=zipf,
        )
        for cand, kind, zipf, score in chosen
    ]
    stamp(entries, bg)
    if traditional_input:
        _restore_script(entries, text)
    return entries


def stamp(entries: list[Entry], bg: Background | None) -> None:
    """When each term first appears in the background and in how many of its documents."""
    if bg is None:
        return
    stats = bg.lookup(e.simplified for e in entries)
    for entry in entries:
        st = stats.get(entry.simplified)
        if st is not None:
            entry.first_seen, entry.background_df = st.first_seen, st.df


def _is_traditional(text: str) -> bool:
    """True when converting to simplified changes a noticeable share of the Han characters."""
    han = "".join(HAN_RUN.findall(text[:20000]))
    if not han:
        return False
    changed = sum(a != b for a, b in zip(han, lexicon.to_simplified(han), strict=False))
    return changed / len(han) > 0.03


def _restore_script(entries: list[Entry], original: str) -> None:
    """For traditional input, show each term and sentence as the source wrote it."""
    simplified = lexicon.to_simplified(original)
    if len(simplified) != len(original):
        return
    for entry in entries:
        entry.script = "traditional"
        pos = simplified.find(entry.simplified)
        if pos >= 0:
            entry.traditional = original[pos : pos + len(entry.simplified)]
        for ex in entry.examples:
            core = ex.sentence.strip("…")  # a clause cut from its sentence carries … marks
            at = simplified.find(core)
            if at >= 0:
                ex.traditional = ex.sentence.replace(core, original[at : at + len(core)], 1)
