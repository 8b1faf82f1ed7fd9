"""Readings: the in-context pinyin of a term, and its three spellings (marks, numbers, zhuyin).

pypinyin alone misreads polyphones inside compounds it does not know (银发经济 → yín fā).
A term is therefore read word by word: whole CC-CEDICT words first, then the way CC-CEDICT
reads the same character pair inside other words, and pypinyin only for what is left.
Tones are dictionary citation tones (一 yī, 不 bù), as CC-CEDICT writes them.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate
from typing import Any

from learn.language import lexicon
from learn.language.notation import is_han, normalise_numbered, numbered_to_marks

# Words are read from CC-CEDICT first, so pypinyin is only asked about single characters;
# its phrase table (a fifth of a second to load, and it writes sandhi tones such as bú shi)
# is not needed. Set before pypinyin is first imported; an explicit setting wins.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")

_CITATION = {"一": "yi1", "不": "bu4"}  # citation tones, never sandhi


def best_entry(entries: list[lexicon.DictEntry]) -> lexicon.DictEntry | None:
    """The dictionary sense a learner means: a common word before a name, a meaning before a variant pointer."""
    if not entries:
        return None
    return sorted(entries, key=lambda e: (e.is_name, e.is_variant))[0]


def _dict_syllables(entry: lexicon.DictEntry | None, length: int) -> list[str] | None:
    if entry is None:
        return None
    syl = [normalise_numbered(s) for s in entry.pinyin.split()]
    return syl if len(syl) == length else None


def word_reading(word: str, entries: list[lexicon.DictEntry]) -> list[str] | None:
    """The dictionary reading of a known word. When CC-CEDICT lists several (重点 chóng/zhòng,
    切口 qiē/qiè), the one with the most senses — the everyday word — and then the one
    pypinyin prefers."""
    common = [e for e in entries if not e.is_name and not e.is_variant] or [e for e in entries if not e.is_name]
    senses: dict[tuple[str, ...], int] = {}
    for entry in common:
        reading = _dict_syllables(entry, len(word))
        if reading:
            key = tuple(reading)
            senses[key] = senses.get(key, 0) + len(entry.definitions)
    if not senses:
        return None
    usual = [x.rstrip("5") for x in _pypinyin(word)] if len(senses) > 1 else []
    best = max(senses, key=lambda r: (senses[r], [x.rstrip("5") for x in r] == usual))
    return list(best)


def _readings(entries: list[lexicon.DictEntry], length: int) -> int:
    """How many different readings CC-CEDICT gives a word (names aside)."""
    return len({tuple(r) for e in entries if not e.is_name and (r := _dict_syllables(e, length))})


def _reading_in_place(word: str, leading: bool) -> list[str] | None:
    """A word with several readings, read the way CC-CEDICT reads it in longer words where it
    stands the same way: 地方 leading 地方政府 is dìfāng as in 地方性, 地方税 (not dìfang "place")."""
    counts = lexicon.reading_in_compounds(word, leading)
    total = sum(counts.values())
    if total < 3:
        return None
    reading, n = counts.most_common(1)[0]
    return [normalise_numbered(s) for s in reading.split()] if n >= 0.7 * total else None


def _pypinyin(text: str) -> list[str]:
    return list(_pypinyin_syllables(text))


def _as_characters(text: str) -> Any:
    """pypinyin's `errors` hook: a run it cannot read comes back character by character."""
    return list(text)


@lru_cache(maxsize=8192)
def _pypinyin_syllables(text: str) -> tuple[str, ...]:
    """pypinyin's numbered syllables of a text (remembered: terms recur from text to text)."""
    from pypinyin import Style, lazy_pinyin

    return tuple(
        normalise_numbered(s) if re.fullmatch(r"[a-zü:]+[1-5]?", s) else s
        for s in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=_as_characters)
    )


def read_term(
    term: str, known: dict[str, list[lexicon.DictEntry]] | None = None, context: list[str] | None = None
) -> list[str]:
    """Numbered syllables of a term, one per Han character (non-Han characters pass through).

    `known` may carry CC-CEDICT lookups already made for this term's substrings; `context`,
    the sentences the term came from, lets an abbreviation be read like the words it shortens.
    """
    subs = {term[i:j] for i in range(len(term)) for j in range(i + 2, min(len(term), i + 8) + 1)}
    subs.add(term)
    dictionary = known if known is not None else lexicon.cedict_lookup(subs)
    whole = word_reading(term, dictionary.get(term, [])) or _dict_syllables(
        best_entry(dictionary.get(term, [])), len(term)
    )
    if whole:
        return whole
    fixed: list[str | None] = [None] * len(term)
    i = 0
    while i < len(term):  # longest known word from each position
        for j in range(min(len(term), i + 8), i + 1, -1):
            syl = word_reading(term[i:j], dictionary.get(term[i:j], []))
            if syl and _readings(dictionary.get(term[i:j], []), j - i) > 1:
                syl = _reading_in_place(term[i:j], j < len(term)) or syl
            if syl:
                fixed[i:j] = syl
                i = j
                break
        else:
            i += 1
    if all(fixed):  # known words read every character: no fallback needed
        return _same_in_frame(term, list(fixed))  # type: ignore[arg-type]
    fallback = _pypinyin(term)
    traditional = lexicon.to_traditional(term, "tw")
    out: list[str] = []
    for k, ch in enumerate(term):
        if fixed[k]:
            out.append(fixed[k])  # type: ignore[arg-type]
        elif ch in _CITATION:
            out.append(_CITATION[ch])
        elif is_han(ch):
            trad = traditional[k] if len(traditional) == len(term) else ch
            out.append(
                _from_traditional(ch, trad)
                or _from_interleaved(term, k)
                or _from_neighbours(term, k)
                or _from_slot(term, k)
                or _from_context(term, k, context)
                or (fallback[k] if k < len(fallback) else ch)
            )
        else:
            out.append(ch)
    return _same_in_frame(term, out)


def _same_in_frame(term: str, syllables: list[str]) -> list[str]:
    """A repeated opening reads the same each time (长钱长投: cháng … cháng, 融资难融资贵)."""
    for w in (1, 2):
        step = w + 1
        if len(term) == 2 * step and term[:w] == term[step : step + w] and len(syllables) == len(term):
            syllables[step : step + w] = syllables[:w]
            break
    return syllables


@lru_cache(maxsize=4096)
def _polyphonic(ch: str) -> bool:
    readings = {normalise_numbered(e.pinyin) for e in lexicon.cedict_lookup([ch]).get(ch, []) if not e.is_name}
    return len(readings) > 1


def _from_traditional(ch: str, trad: str) -> str | None:
    """Read a polyphone through its traditional form when that form has one reading (哄→鬨 hòng, 发→髮 fà)."""
    if trad == ch or not _polyphonic(ch):
        return None
    readings = {
        normalise_numbered(e.pinyin)
        for e in lexicon.cedict_lookup([ch]).get(ch, [])
        if e.traditional == trad and not e.is_name and not e.is_variant
    }
    return readings.pop() if len(readings) == 1 else None


def _from_neighbours(term: str, k: int) -> str | None:
    """Read a polyphone the way CC-CEDICT reads it next to the same neighbour in other words."""
    if not _polyphonic(term[k]):
        return None
    for pair, pos in ((term[k : k + 2], 0), (term[k - 1 : k + 1] if k else "", 1)):
        if len(pair) == 2 and all(is_han(c) for c in pair):
            reading = lexicon.bigram_reading(pair)
            if reading:
                return normalise_numbered(reading.split()[pos])
    return None


NUMERALS = frozenset("一二三四五六七八九十百千万亿两")


def _from_interleaved(term: str, k: int) -> str | None:
    """In a four-character phrase built on two parallel slots (千行百业: 千…百…), the other two
    characters make a word together (行业 háng yè): read the polyphone as in that word."""
    if len(term) != 4 or not _polyphonic(term[k]):
        return None
    mine, other = (term[1] + term[3], term[0] + term[2]) if k % 2 else (term[0] + term[2], term[1] + term[3])
    words = lexicon.cedict_lookup({mine, other})
    parallel = other[0] == other[1] or set(other) <= NUMERALS or other in words
    readings = {
        normalise_numbered(e.pinyin.split()[k // 2])
        for e in words.get(mine, [])
        if not e.is_name and not e.is_variant and len(e.pinyin.split()) == 2
    }
    return readings.pop() if parallel and len(readings) == 1 else None


def _from_slot(term: str, k: int) -> str | None:
    """Read a polyphone in a four-character set phrase the way that place is read in others."""
    if len(term) != 4 or not _polyphonic(term[k]):
        return None
    reading = lexicon.slot_reading(term[k], k)
    return normalise_numbered(reading) if reading else None


def _abbreviation(term: str) -> bool:
    """Three to five characters that jieba cuts one by one: each stands for a word (源网荷储)."""
    return 3 <= len(term) <= 5 and all(len(t) == 1 for t in lexicon.cut(term))


def _from_context(term: str, k: int, context: list[str] | None) -> str | None:
    """Read a polyphone as the two-character dictionary words of the same text read it.

    Abbreviations shorten words the text usually spells out (源网荷储 and, nearby, 负荷 fù hè),
    so when every such word around the character agrees on one reading, that is the one.
    """
    ch = term[k]
    if not context or not _polyphonic(ch) or not _abbreviation(term):
        return None
    pairs = {s[i - 1 : i + 1] for s in context for i in range(1, len(s)) if s[i] == ch} | {
        s[i : i + 2] for s in context for i in range(len(s) - 1) if s[i] == ch
    }
    pairs -= {term[k - 1 : k + 1], term[k : k + 2]}
    readings = {
        normalise_numbered(e.pinyin.split()[w.index(ch)])
        for w, entries in lexicon.cedict_lookup({p for p in pairs if len(p) == 2}).items()
        for e in entries
        if not e.is_name and not e.is_variant and len(e.pinyin.split()) == 2
    }
    return readings.pop() if len(readings) == 1 else None


def sentence_syllables(
    sentence: str, fixed: dict[str, list[str]] | None = None, before: str = "", after: str = ""
) -> str:
    """Tone-mark pinyin of a sentence, word by word, with the same rules as terms.

    Known words take their dictionary reading, `fixed` readings win for the listed terms,
    unknown compounds are read like terms (so 一哄而上 stays yī hòng), and single characters
    take their usual reading, with citation tones for 一 and 不. For a clause cut from a longer
    sentence, `before` and `after` are the rest of it: read together, so that 以…为 and the
    particles see their neighbours, but not written out.
    """
    fixed = fixed or {}
    whole = before + sentence + after
    tokens = _split_keeping(whole, sorted(fixed, key=len, reverse=True))
    dictionary = lexicon.cedict_lookup({t for t in tokens if len(t) > 1 and t not in fixed})
    tokens = _particles_apart(tokens, dictionary, fixed)
    starts = list(accumulate((len(t) for t in tokens[:-1]), initial=0)) if tokens else []
    if (before or after) and not ({len(before), len(before) + len(sentence)} <= set(starts) | {len(whole)}):
        return sentence_syllables(sentence, fixed)  # a word crosses the cut: read the clause alone
    out: list[str] = []
    plain = False  # whether the last piece is text kept as written (Latin, digits, punctuation)
    shown = range(bisect_left(starts, len(before)), bisect_left(starts, len(before) + len(sentence)))
    particles = _particles(tokens, shown)
    for k in shown:  # the tokens of the clause itself
        token = tokens[k]
        if k in particles:
            out.append(numbered_to_marks(particles[k]))
            plain = False
            continue
        if not any(is_han(c) for c in token):
            if plain:
                out[-1] += token
            elif token.strip():
                out.append(token.lstrip())
                plain = True
            continue
        plain = False
        out.append(_marked(fixed[token]) if token in fixed else _token_marks(token, token in dictionary))
    text = " ".join(piece.strip() for piece in out if piece.strip())
    text = re.sub(r"\s+([,.;:!?，。；：！？、”’」』)）])", r"\1", text)
    return re.sub(r"([“‘「『(（])\s+", r"\1", text)


def _marked(syllables: list[str] | tuple[str, ...]) -> str:
    """Numbered syllables in tone marks, one space apart (anything else kept as it is)."""
    return " ".join(numbered_to_marks(x) if re.fullmatch(r"[a-z]+[1-5]", x) else x for x in syllables)


@lru_cache(maxsize=16_384)
def _token_marks(token: str, listed: bool) -> str:
    """The tone marks of a Han token with no fixed reading: a character's usual reading (一 yī,
    不 bù), a word's dictionary reading when it was `listed` among the sentence's CC-CEDICT
    words, else the word read as a term. The same in every sentence, and sentences are read
    once per term they illustrate: remembered."""
    if len(token) == 1:
        return _marked([_CITATION.get(token) or char_reading(token) or token])
    entries = lexicon.cedict_lookup([token]).get(token, []) if listed else []
    return _marked(word_reading(token, entries) or read_term(token))


def _wei(tokens: list[str]) -> dict[int, str]:
    """为 is wéi "as / to be" in 以…为… (以科技创新为引领), after a verb (选为, 列为) and before a
    number (增速为5%), and wèi "for" otherwise (为企业服务)."""
    out: dict[int, str] = {}
    if "为" not in tokens:
        return out
    verbs = {t for t, tag in lexicon.pos_tags({t for t in tokens if len(t) == 1}).items() if tag == "v"} - _MODALS
    clause_has_yi = False
    for k, token in enumerate(tokens):
        if not is_han(token[:1]) and not token[:1].isdigit() and token.strip() not in ("、", ""):
            clause_has_yi = False  # punctuation ends the clause (a list's 、 does not)
        elif token == "以":
            clause_has_yi = True
        elif token == "为":
            after = tokens[k + 1] if k + 1 < len(tokens) else ""
            as_verb = k > 0 and tokens[k - 1] in verbs  # 选为, 列为: chosen as, listed as
            passive = "被" in "".join(tokens[max(0, k - 2) : k])  # 被选为, 被评为
            number = after[:1].isdigit() or after[:1] in NUMERALS  # 增速为5%, 为百分之五
            out[k] = "wei2" if clause_has_yi or as_verb or passive or number else "wei4"
    return out


# modal verbs: 为 after them is "for" (要为企业服务), 得 before a verb after them is not "must"
_MODALS = frozenset("要会能想敢肯愿可该需")
# degree words: a polyphone after them is an adjective (很长 cháng, 很干 gān)
_DEGREE = frozenset(
    {
        "很",
        "太",
        "更",
        "最",
        "挺",
        "较",
        "越",
        "真",
        "比较",
        "非常",
        "十分",
        "特别",
        "相当",
        "这么",
        "那么",
        "多么",
        "越来越",
        "不太",
        "有点",
        "有些",
    }
)
# words that count or point: a polyphone after them is a measure word (一觉 jiào, 两只 zhī)
_DETERMINERS = frozenset("这那哪每各几某该此整半")


def _particles(tokens: list[str], shown: range | None = None) -> dict[int, str]:
    """Readings that depend on the words around a character that jieba leaves alone: the
    structural particles a dictionary reads in full (得 after a verb or adjective: 发展得很好 de;
    地 between a describing word and a verb: 稳步地推进 de; 着 after a verb: 围绕着 zhe), 得 "must"
    between a person and a verb (你得去 děi), 为 (see _wei) and one-character polyphones whose
    use their neighbours show (see _by_role). Only the tokens `shown` (default: all) are read
    one by one; 为 is read everywhere, as its reading depends on the whole clause."""
    out: dict[int, str] = _wei(tokens)
    tags = lexicon.pos_tags({t for t in tokens if is_han(t[:1])} | {t[:2] for t in tokens if len(t) > 2})
    for k in range(len(tokens)) if shown is None else shown:
        token = tokens[k]
        if k in out or len(token) != 1 or not is_han(token):
            continue
        before = tokens[k - 1] if k else ""
        after = tokens[k + 1] if k + 1 < len(tokens) else ""
        reading = _particle(token, before, after, tags) if before and is_han(before[:1]) else None
        reading = reading or _by_role(token, before, after, tags)
        if reading:
            out[k] = reading
    return out


def _particle(token: str, before: str, after: str, tags: dict[str, str]) -> str | None:
    tag_before = tags.get(before, "")
    tag_after = _verbish(after, tags)
    if token == "得":
        if tag_before[:1] in ("v", "a") and before not in _MODALS and after not in ("了", "到"):
            return "de5"  # 发展得很好, 跑得比谁都快
        if tag_before[:1] in ("r", "n") and tag_after[:1] in ("v", "d", "r", "p"):
            return "dei3"  # 你得自己去办, 我得早点出发
    elif token == "地":
        counted = set(before) <= NUMERALS or before[-1:] in _DETERMINERS or tag_before[:1] in ("m", "q")
        if (
            len(before) >= 2
            and not counted
            and tag_after[:1] in ("v", "d", "p")
            and not lexicon.cedict_lookup([before + "地"])
        ):
            return "de5"  # 有选择地引进, 科学理性地看待
    elif token == "着" and tag_before[:1] == "v":
        return "zhe5"  # 围绕着
    return None


def _verbish(word: str, tags: dict[str, str]) -> str:
    """jieba's tag for what follows, read as "v" when the word (or the word it starts with) is a
    verb to jieba or to CC-CEDICT (回家 "to return home" is a noun to jieba)."""
    for w in (word, word[:2]):
        if tags.get(w, "")[:1] in ("v", "d", "p"):
            return tags[w]
    entries = [e for e in lexicon.cedict_lookup([word]).get(word, []) if not e.is_name]
    return "v" if entries and entries[0].definitions[0].startswith("to ") else tags.get(word, "")


@lru_cache(maxsize=1024)
def _senses_by_reading(ch: str) -> dict[str, list[str]]:
    """CC-CEDICT's senses of a character, grouped by reading (names and variants aside)."""
    out: dict[str, list[str]] = {}
    for e in lexicon.cedict_lookup([ch]).get(ch, []):
        if not e.is_name and not e.is_variant:
            out.setdefault(normalise_numbered(e.pinyin), []).extend(e.definitions)
    return out


def _verb_share(senses: list[str]) -> float:
    return sum(d.startswith("to ") for d in senses) / max(1, len(senses))


def _by_role(ch: str, before: str, after: str, tags: dict[str, str]) -> str | None:
    """A lone polyphone read by the role its neighbours give it, with the reading whose
    CC-CEDICT senses fit that role: after a number or 这/每/各 a measure word or counted noun
    (一觉 jiào, 两只 zhī); after 很/比较 an adjective, not a verb (很长 cháng); in a verb's place
    (before 了, or between a noun and its object) not the measure word when another reading is a
    verb (山坡上种茶树 zhòng)."""
    senses = _senses_by_reading(ch)
    if len(senses) < 2:
        return None
    usual = char_reading(ch)
    counted = bool(before) and (set(before) <= NUMERALS | set("0123456789") or before in _DETERMINERS)
    measure = [r for r, d in senses.items() if any("classifier" in x or x.startswith("a ") for x in d)]
    if counted:
        return measure[0] if len(measure) == 1 else None
    if before in _DEGREE:
        plain = [r for r, d in senses.items() if _verb_share(d) == 0]
        return plain[0] if len(plain) == 1 and _verb_share(senses.get(usual or "", [])) >= 0.4 else None
    # a verb takes an aspect particle or, after a noun or place word, an object: 种了, 山坡上种茶树
    as_verb = after in ("了", "着", "过") or (
        tags.get(after, "")[:1] == "n" and tags.get(before, "")[:1] in ("n", "f", "s", "r", "t")
    )
    if usual in measure and len(measure) == 1 and as_verb:
        verbs = [r for r, d in senses.items() if r != usual and d and d[0].startswith("to ")]
        return verbs[0] if len(verbs) == 1 else None
    return None


def _particles_apart(
    tokens: list[str], dictionary: dict[str, list[lexicon.DictEntry]], fixed: dict[str, list[str]]
) -> list[str]:
    """jieba's list holds n-grams no dictionary has that end in a particle or 为 (有选择地,
    被选为): split that character off (see _particle_apart), so the rules for it see it."""
    out: list[str] = []
    for token in tokens:
        if len(token) > 1 and token not in fixed and token not in dictionary and _particle_apart(token, out):
            out += [token[:-1], token[-1]]
        else:
            out.append(token)
    return out


def _particle_apart(token: str, before: list[str]) -> bool:
    """Whether an unlisted token's last character is a particle to split off: 得, 着 always;
    地 after 有/无 (有选择地; 承包地 is land); 为 in the passive frame 被…为 (被选为; 有所为 stays)."""
    last = token[-1]
    return (
        last in "得着"
        or (last == "地" and before[-1:] in (["有"], ["无"], ["没有"]))
        or (last == "为" and token[0] == "被")
    )


def _split_keeping(sentence: str, terms: list[str]) -> list[str]:
    """jieba tokens of the sentence, except that each of `terms` (longest first) stays one token."""
    for term in terms:
        if term and term in sentence:
            pieces = sentence.split(term)
            tokens: list[str] = []
            for n, piece in enumerate(pieces):
                tokens += _split_keeping(piece, [t for t in terms if t != term]) if piece else []
                if n < len(pieces) - 1:
                    tokens.append(term)
            return tokens
    return lexicon.cut(sentence) if sentence else []


@lru_cache(maxsize=8192)
def char_reading(ch: str) -> str | None:
    """pypinyin's usual numbered reading of one character (None when it has none)."""
    reading = _pypinyin(ch)
    return reading[0] if reading and re.fullmatch(r"[a-z]+[1-5]", reading[0]) else None
