"""The hand rules of extraction: what the text and the background say about one candidate.

Each rule gives a verdict on one candidate (is it noise, a fragment the background always sees
beside the same neighbour, a clause rather than a term, ...). Since issue 19 the verdicts are
features of the learned model (learn.terms.features) rather than the decision itself; only the
rules listed in learn.terms.rank as vetoes still remove a candidate outright.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from learn.background.model import PhraseStats
from learn.language import lexicon
from learn.terms.candidates import PERSON_CONTEXT, Candidate, surnames

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
    sides = ("".join(side) for k in range(1, len(tokens)) for side in (tokens[k:], tokens[:k]))
    if not any(len(core) >= 3 and core in stats and _conventional(stats[core]) for core in sides):
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
    return _sense_shape(word)[0]


@lru_cache(maxsize=65_536)
def _sense_shape(word: str) -> tuple[bool, bool]:
    """Whether CC-CEDICT's first sense of the word is not a verb, and whether every sense is one
    (asked once per word: the rules ask about the same last words for every candidate)."""
    senses = [d for e in lexicon.cedict_lookup([word]).get(word, []) for d in e.definitions]
    return bool(senses) and not senses[0].startswith("to "), bool(senses) and all(d.startswith("to ") for d in senses)


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
    if total < 3:
        return False
    word, n = max(cand.left.items(), key=lambda wc: wc[1], default=("", 0))
    return n == total and word in PREPOSITIONS


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
    n = len(cand.text)
    if n != 3 and n != 4:
        return False  # (most candidates: asked three times each, answered by the length alone)
    singles = sum(len(t) == 1 for t in cand.tokens)
    return (n == 4 and singles >= 3) or (n == 3 and singles == 3)


def _free(neighbours: Counter, tags: dict[str, str], compressed: bool = False) -> bool:
    """An edge is free unless one noun-like word stands there in three occurrences out of four.

    Verbs and function words before or after a term (建设未来产业) do not make it part of a longer one.
    A compressed coinage is a run of single characters: another single character always beside it
    is part of it (源网荷 + 储), while a whole word there is what it modifies (源网荷储 + 一体化).
    """
    fw = _function_words()
    bound = 0.75 * sum(neighbours.values())
    for w, c in neighbours.items():  # free unless some binding word reaches the bound
        if c < bound or w in "^$" or w in fw:
            continue
        if (len(w) == 1) if compressed else (tags.get(w, "") in BINDING_TAGS):
            return False
    return True


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


def _conventional(st: PhraseStats | None) -> bool:
    """Seen in enough background documents (the file holds nothing rarer) with free edges on
    both sides (营商环境, 专精特新)."""
    return st is not None and st.left_top_share <= FIXED_SHARE and st.right_top_share <= FIXED_SHARE


def _bound(st: PhraseStats | None) -> bool:
    """In the background, nearly always beside the same character on one side: a fragment of a
    longer phrase (质生产力 after 新, 专精 before 特新)."""
    return st is not None and (st.left_top_share > FIXED_SHARE or st.right_top_share > FIXED_SHARE)


GRAMMAR_MARKS = frozenset("了着过的")  # aspect and structural particles: mostly a clause
ASPECT_MARKS = frozenset("了着过")  # aspect particles: a clause, never a term
# words that date a statement (jieba's "t" also covers 现代, 老年, 未来: parts of terms)
TIME_WORDS = frozenset(
    [
        "过去",
        "今年",
        "去年",
        "明年",
        "目前",
        "当前",
        "如今",
        "此前",
        "今后",
        "现在",
        "近年",
        "近日",
        "日前",
        "年初",
        "年底",
        "以往",
    ]
)
QUARTER = re.compile(r"^[前后第上下]?[一二三四五六七八九十两半]+(?:季度|年度|月份|周年|个月|半年)$")
COVERBS = frozenset({"跟着", "把", "被", "让", "给", "就"})  # they make a quoted string a sentence, not a slogan


def clause_piece(
    cand: Candidate, tags: dict[str, str], stats: dict[str, PhraseStats], exempt: bool | None = None
) -> bool:
    """Shaped like a piece of a clause rather than a name for something: a function word inside it
    (提出的共建, 投资于人), or a verb at its end when the background does not know the whole as a
    set phrase (蚕房改成; also 职普融通). A feature only: the model weighs it. `exempt`: _exempt(cand),
    when the caller knows it already."""
    if _exempt(cand) if exempt is None else exempt:
        return False
    tokens = cand.tokens
    if any(t in _function_words() for t in tokens[1:-1]) or any(t in GRAMMAR_MARKS for t in tokens):
        return True
    return _verb(tokens[-1], tags) and not _conventional(stats.get(cand.text))


def clause_veto(cand: Candidate, tags: dict[str, str], exempt: bool | None = None) -> bool:
    """Certainly a piece of a clause, whatever else is known: a quoted sentence (“资金跟着项目走”;
    not the slogan “冰天雪地也是金山银山”), an aspect particle
    among its words (结果成了), the object of the one preposition it always follows
    (从 + 实际出发), a date or time word in front (三季度 + 国内生产总值), or an organisation doing something (国务院办公厅 +
    印发), however often the background writes it. (jieba's person and place tags are too loose
    for this: 立德树人, 城中村改造.) `exempt` as for clause_piece."""
    tokens = cand.tokens
    if cand.quoted and any(t in COVERBS or t in ASPECT_MARKS for t in tokens[1:]):
        return True  # a quoted clause someone said: “资金跟着项目走”
    if _exempt(cand) if exempt is None else exempt:
        return False
    if any(t[-1] in ASPECT_MARKS and len(t) <= 2 for t in tokens):
        return True  # 成了, 看着 (not 的: 指尖上的形式主义 is a term)
    if _governed(cand):
        return True  # always after the same preposition: 从 + 实际出发
    if QUARTER.match(tokens[0]) or tokens[0] in TIME_WORDS:
        return True  # a date or time word in front: 三季度 + 国内生产总值, 过去 + 下雨天 (not 两个坚持)
    return tags.get(tokens[0]) == "nt" and _verb(tokens[-1], tags)


def _exempt(cand: Candidate) -> bool:
    """Marked by the writer (quotes, lists, frames), a dictionary word or a compressed coinage (先立后破)."""
    if len(cand.tokens) < 2 or cand.quoted or cand.listed or cand.framed or cand.text in lexicon.headwords():
        return True
    return _jieba_word(cand.text) or _compressed(cand)


def _verb(word: str, tags: dict[str, str]) -> bool:
    """jieba calls it a verb and CC-CEDICT's first sense agrees, or every CC-CEDICT sense is a verb
    (印发 "to print and distribute", which jieba tags as a noun; not 诊疗 "diagnosis and treatment")."""
    nominal, verbal = _sense_shape(word)
    return (tags.get(word) == "v" and not nominal) or verbal
