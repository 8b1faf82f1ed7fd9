"""Readings: the in-context pinyin of a sentence and of a term, one numbered syllable per character.

Words CC-CEDICT reads one way take that reading; proper names keep CC-CEDICT's name readings
unless the polyphone model is sure of another; every other polyphone (a character jieba leaves
alone, a name against an everyday word, a coinage's pieces) is read by the model with the whole
sentence in view (learn.language.polyphone), except where our own rules measure better: the
particles 得 地 着 为, a measure word after a number, a verb before its complement. A term is
read whole in each sentence it occurs in (its pieces found by jieba, then CC-CEDICT), and shows
the majority reading of those occurrences. Tones are dictionary citation tones (一 yī, 不 bù), as
CC-CEDICT writes them, neutral tones included (关系 guān xi, 衣服 yī fu: what a learner's dictionary
and the Putonghua standard show, where CPP's gold often writes the full tone). Measured on the CPP
benchmark by benchmarks/bench_pinyin.py.
"""

from __future__ import annotations

import importlib.util
import json
import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from learn.language import lexicon, polyphone
from learn.language.notation import is_han, marks_to_numbered, normalise_numbered, numbered_to_marks

_SYLLABLE = re.compile(r"[a-z]+[1-5]")
_CITATION = {"一": "yi1", "不": "bu4"}  # citation tones, never sandhi
_SAID = {"+": "jia1", "＋": "jia1"}  # signs a term reads aloud (人工智能+: rén gōng zhì néng jiā)


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


@lru_cache(maxsize=8192)
def _pypinyin_syllables(text: str) -> tuple[str, ...]:
    """pypinyin's usual reading of each character of a text (anything it cannot read kept as it
    is). Remembered: terms recur from text to text."""
    return tuple(_usual(ch) or ch for ch in text)


@lru_cache(maxsize=16_384)
def _usual(ch: str) -> str | None:
    table = _character_table()
    if table is not None:
        readings = table.get(str(ord(ch)))
        return marks_to_numbered(readings.split(",")[0]) if readings else None
    from pypinyin import Style, lazy_pinyin

    reading = lazy_pinyin([ch], style=Style.TONE3, neutral_tone_with_five=True, errors=_unread)[0]
    return normalise_numbered(reading) if re.fullmatch(r"[a-zü:]+[1-5]?", reading) else None


def _unread(text: str) -> Any:
    """pypinyin's `errors` hook: a character it cannot read gives an empty reading."""
    return [""] * len(text)


@lru_cache(maxsize=1)
def _character_table() -> dict[str, str] | None:
    """pypinyin's table of character readings (usual one first), read from its data file.

    Importing pypinyin also loads its phrase table, a fifth of a second that a reader going
    word by word through CC-CEDICT does not need; the old way round, setting
    PYPINYIN_NO_PHRASES, changed pypinyin for every other user in the process. When the file
    is not where pypinyin keeps it, pypinyin itself is asked, one character per call.
    """
    spec = importlib.util.find_spec("pypinyin")
    folders = spec.submodule_search_locations if spec else None
    path = Path(next(iter(folders))) / "pinyin_dict.json" if folders else None
    if path is None or not path.is_file():
        return None
    table: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))  # code point (as text) → readings
    return table


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
            out.append(_SAID.get(ch, ch))
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


def _from_context(term: str, k: int, context: list[str] | None, abbreviation: bool = False) -> str | None:
    """Read a polyphone as the two-character dictionary words of the same text read it.

    Abbreviations shorten words the text usually spells out (源网荷储 and, nearby, 负荷 fù hè),
    so when every such word around the character agrees on one reading, that is the one.
    """
    ch = term[k]
    if not context or not _polyphonic(ch) or not (abbreviation or _abbreviation(term)):
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
    """Tone-mark pinyin of a sentence, word by word (see sentence_readings); Latin letters,
    digits and punctuation are written as they are.

    For a clause cut from a longer sentence, `before` and `after` are the rest of it: read
    together, so that 以…为, the particles and the polyphone model see their neighbours, but not
    written out.
    """
    tokens, shown, readings = _read(sentence, fixed or {}, before, after)
    out: list[str] = []
    plain = False  # whether the last piece is text kept as written (Latin, digits, punctuation)
    for k in shown:
        token = tokens[k]
        if not any(is_han(c) for c in token):
            if plain:
                out[-1] += token
            elif token.strip():
                out.append(token.lstrip())
                plain = True
            continue
        plain = False
        out.append(_marked(readings[k]))
    text = " ".join(piece.strip() for piece in out if piece.strip())
    text = re.sub(r"\s+([,.;:!?，。；：！？、”’」』)）])", r"\1", text)
    return re.sub(r"([“‘「『(（])\s+", r"\1", text)


def sentence_readings(
    sentence: str,
    fixed: dict[str, list[str]] | None = None,
    before: str = "",
    after: str = "",
    keep: tuple[str, ...] = (),
    context: tuple[str, ...] = (),
) -> list[str]:
    """The numbered reading of each character of `sentence` in context ("" where it is not Han).

    Words CC-CEDICT reads one way take that reading; the structural particles and a few roles
    (a measure word after a number, a verb before its complement) follow our rules; every other
    polyphone — a lone character, a name, a word with several readings, a coinage's pieces — is
    read by the polyphone model with the whole sentence in view. `fixed` readings win for the
    listed terms; `keep` terms are read whole, as terms (their pieces found by jieba, then the
    dictionary), with `context` (the text's sentences) for abbreviations (源网荷储 ← 负荷).
    """
    tokens, shown, readings = _read(sentence, fixed or {}, before, after, keep, context)
    return [r if _SYLLABLE.fullmatch(r) else "" for k in shown for r in readings[k]]


def read_sentences(sentences: list[str]) -> list[list[str]]:
    """sentence_readings of many sentences: the polyphone model reads them side by side first."""
    polyphone.read(sentences)
    return [sentence_readings(s) for s in sentences]


def term_reading(
    term: str, sentences: list[str], dictionary: dict[str, list[lexicon.DictEntry]] | None = None
) -> tuple[list[str], Counter[tuple[str, ...]]]:
    """A term's reading in its text: the majority reading of its occurrences, each read in its
    sentence, and how often each reading was met (one entry when they all agree). With no
    occurrence the term is read on its own (see read_term)."""
    votes: Counter[tuple[str, ...]] = Counter()
    context = tuple(dict.fromkeys(sentences))
    settled = _settled(term, dictionary)
    if settled:  # no occurrence can read it otherwise
        return settled, votes
    polyphone.read(list(context))  # the whole text side by side, once: its examples are read next
    for sentence in context:
        if term not in sentence:
            continue
        readings = sentence_readings(sentence, keep=(term,), context=context)
        at = sentence.find(term)
        while at >= 0:
            reading = tuple(r or ch for r, ch in zip(readings[at : at + len(term)], term, strict=True))
            votes[reading] += 1
            at = sentence.find(term, at + len(term))
    if not votes:
        return read_term(term, dictionary, list(context)), votes
    top = max(votes.values())
    tied = [r for r, n in votes.items() if n == top]
    if len(tied) > 1:  # as many one way as the other: the reading of the term on its own decides
        alone = tuple(read_term(term, dictionary, list(context)))
        tied.sort(key=lambda r: r != alone)
    return list(tied[0]), votes


def _settled(term: str, dictionary: dict[str, list[lexicon.DictEntry]] | None) -> list[str] | None:
    """The reading of a term that context cannot change: a CC-CEDICT word with one reading (and
    no proper name read otherwise) none of whose characters the model reads (it may overrule the
    dictionary: see _OVERRULE), or a term none of whose characters has a second reading, read by
    its dictionary words (让文物活起来: 起来 qǐ lai, not qǐ lái)."""
    entries = (dictionary or {}).get(term)
    if entries is None:
        entries = lexicon.cedict_lookup([term]).get(term, [])
    if entries:
        common, names = _word_readings(term, tuple(entries))
        alone = len(common) == 1 and set(names) <= set(common)
        return list(common[0]) if alone and not any(polyphone.polyphonic(ch) for ch in term) else None
    if any(polyphone.polyphonic(ch) or (is_han(ch) and _polyphonic(ch)) for ch in term):
        return None
    return read_term(term, dictionary)


def _read(
    sentence: str,
    fixed: dict[str, list[str]],
    before: str = "",
    after: str = "",
    keep: tuple[str, ...] = (),
    context: tuple[str, ...] = (),
) -> tuple[list[str], range, dict[int, list[str]]]:
    """The tokens of before + sentence + after, the range of them that is the sentence, and the
    numbered readings of those (a character that is not Han stands for itself)."""
    whole = before + sentence + after
    tokens = _split_keeping(whole, sorted({*fixed, *keep}, key=len, reverse=True))
    # one query for the words and for the pairs a lone character makes with its neighbours (_pair_word)
    pairs = {
        a[-1:] + b[:1]
        for a, b in zip(tokens, tokens[1:], strict=False)
        if (len(a) == 1 or len(b) == 1) and is_han(a[-1:]) and is_han(b[:1])
    }
    dictionary = lexicon.cedict_lookup({t for t in tokens if len(t) > 1 and t not in fixed} | pairs)
    tokens = _particles_apart(tokens, dictionary, {**dict.fromkeys(keep, []), **fixed})
    starts = list(accumulate((len(t) for t in tokens[:-1]), initial=0)) if tokens else []
    if (before or after) and not ({len(before), len(before) + len(sentence)} <= set(starts) | {len(whole)}):
        return _read(sentence, fixed, keep=keep, context=context)  # a word crosses the cut: the clause alone
    shown = range(bisect_left(starts, len(before)), bisect_left(starts, len(before) + len(sentence)))
    particles = _particles(tokens, shown)
    readings: dict[int, list[str]] = {}
    for k in shown:
        token = tokens[k]
        if token in fixed:
            readings[k] = list(fixed[token])
        elif k in particles:
            readings[k] = [particles[k]]
        elif token in keep:
            around = (tokens[k - 1] if k else "", tokens[k + 1] if k + 1 < len(tokens) else "")
            readings[k] = _read_token(token, _Place(whole, starts[k]), around, dictionary.get(token, []), context, True)
        else:
            around = (tokens[k - 1] if k else "", tokens[k + 1] if k + 1 < len(tokens) else "")
            key = (whole, starts[k], token, around)
            known = _TOKENS.get(key)
            if known is None:  # (kept in a local: another thread may empty the table meanwhile)
                known = _read_token(token, _Place(whole, starts[k]), around, dictionary.get(token, []), ())
                if len(_TOKENS) >= _KEEP_TOKENS:
                    _TOKENS.clear()
                _TOKENS[key] = known
            readings[k] = list(known)
    return tokens, shown, readings


# A token outside the kept terms is read from its sentence, its place and its neighbours alone (the
# text's context only reaches a kept term): a term's occurrences are read once for its reading and
# again for its examples (fixed), so remembered.
_TOKENS: dict[tuple[str, int, str, tuple[str, str]], list[str]] = {}
_KEEP_TOKENS = 65_536


class _Place:
    """Where a token stands: the sentence and its offset, for the polyphone model's guesses."""

    __slots__ = ("text", "start")

    def __init__(self, text: str, start: int) -> None:
        self.text, self.start = text, start

    def guess(self, k: int) -> polyphone.Guess | None:
        """The model's guess for the token's k-th character (None: the model has no choice to make)."""
        return (
            polyphone.guess(self.text).get(self.start + k) if polyphone.polyphonic(self.text[self.start + k]) else None
        )

    def at(self, k: int) -> _Place:
        return _Place(self.text, self.start + k)


def _read_token(
    token: str,
    place: _Place,
    around: tuple[str, str],
    entries: list[lexicon.DictEntry],
    context: tuple[str, ...],
    kept: bool = False,
) -> list[str]:
    """Numbered readings of one token with no fixed reading (see sentence_readings)."""
    if not any(is_han(c) for c in token):
        return list(token)
    if len(token) == 1:
        return [_lone(token, place, *around)]
    return (_listed(token, entries, place, overrule=kept) if entries else None) or _compound(
        token, place, context, kept
    )


def _lone(ch: str, place: _Place, before: str, after: str) -> str:
    """A character jieba leaves alone: citation tones for 一 and 不, a polyphone by role (a verb
    before its complement: 长高 zhǎng), by the word it makes with the neighbour jieba split off
    (长|出新: 长出 zhǎng chū), else by the model; any other character by its one reading."""
    if ch in _CITATION or not is_han(ch):
        return _CITATION.get(ch, ch)
    guess = place.guess(0)
    if guess is None:
        return char_reading(ch) or ch
    return _verb_slot(ch, before, after) or _pair_word(ch, before, after) or normalise_numbered(guess.reading)


def _listed(
    word: str, entries: list[lexicon.DictEntry], place: _Place, leading: bool = False, overrule: bool = False
) -> list[str] | None:
    """A CC-CEDICT word: its reading when it has one (proper names aside; for a kept term jieba
    cuts apart, `overrule`, the model may overrule it: see _OVERRULE); a name's reading
    unless the model is sure of another (SURE); when readings compete (明朝 Míng cháo "Ming
    dynasty" / míng zhāo "tomorrow morning", 重重) the one the model's guesses agree with most."""
    common, names = _word_readings(word, tuple(entries))
    if len(common) == 1 and set(names) <= set(common):
        reading = list(common[0])
        return _overruled(reading, place) if overrule and _jieba_splits(word, entries) else reading
    if not common:
        if len(names) != 1:
            return None
        guesses = [place.guess(k) for k in range(len(word))]
        return [
            normalise_numbered(g.reading) if g and g.probability >= polyphone.SURE else r
            for g, r in zip(guesses, names[0], strict=True)
        ]
    options = list(dict.fromkeys(common + names))
    guesses = [place.guess(k) for k in range(len(word))]
    agree = [
        sum(1 for g, r in zip(guesses, option, strict=True) if g and normalise_numbered(g.reading) == r)
        for option in options
    ]
    best = [o for o, n in zip(options, agree, strict=True) if n == max(agree)]
    if len(best) == 1:
        return list(best[0])
    # the model does not decide (地方: dìfāng / dìfang differ in a tone it does not read)
    usual = (_reading_in_place(word, leading) if len(common) > 1 else None) or word_reading(word, entries)
    return usual if usual and tuple(usual) in best else list(best[0])


#: A model reading at least this probable overrules the only reading of a dictionary word that
#: jieba cuts apart even on its own, as a kept term can be (出|圈: CC-CEDICT has chū juàn "to
#: muck out", the news means chū quān). Never on a neutral tone, where the dictionary's citation
#: stays. Over any one-reading word the model is right 23 times in 33 such disagreements on CPP
#: dev (挣脱 zhēng, 拖拽 zhuài) but wrong on our policy terms (产假, 银发, 卡脖子 are jieba words).
_OVERRULE = 0.999


def _jieba_splits(word: str, entries: list[lexicon.DictEntry] | tuple[lexicon.DictEntry, ...]) -> bool:
    """Whether jieba cuts a dictionary word apart, so that the model may overrule its reading
    (_OVERRULE): not when CC-CEDICT marks it as slang or a neologism (背锅 bēi guō "to be a
    scapegoat"), a use newer than the encyclopaedia text the model learnt from."""
    recent = any("slang" in d or "neologism" in d for e in entries for d in e.definitions)
    return not recent and lexicon.cut(word) != [word]


def _overruled(reading: list[str], place: _Place) -> list[str]:
    """A dictionary reading, with any syllable the model is certain against replaced (see _OVERRULE)."""
    out = list(reading)
    for k, syllable in enumerate(reading):
        guess = place.guess(k)
        if guess is None or guess.probability < _OVERRULE:
            continue
        model = normalise_numbered(guess.reading)
        if model[:-1] != syllable[:-1] or "5" not in (model[-1], syllable[-1]):
            out[k] = model
    return out


@lru_cache(maxsize=16_384)
def _word_readings(
    word: str, entries: tuple[lexicon.DictEntry, ...]
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """A word's everyday readings and its proper-name readings. Remembered: the same words
    recur in every sentence."""
    return (
        _candidates([e for e in entries if not e.is_name], len(word)),
        _candidates([e for e in entries if e.is_name], len(word)),
    )


def _candidates(entries: list[lexicon.DictEntry], length: int) -> list[tuple[str, ...]]:
    """The different readings of some entries, in dictionary order (variant pointers last)."""
    ordered = sorted(entries, key=lambda e: e.is_variant)
    return list(dict.fromkeys(tuple(r) for e in ordered if (r := _dict_syllables(e, length))))


def _compound(term: str, place: _Place, context: tuple[str, ...], kept: bool = False) -> list[str]:
    """A token no dictionary lists (a coinage, or a kept term): the words jieba finds in it read
    as words (so 人参与 is 人 + 参与, not 人参 + 与), a one-character piece by the sentence rules
    (形式主义为基层减负: 为 wèi); inside a piece no dictionary lists, or a run of one-character
    pieces in a term of five or more (无还本续贷: 还本 huán běn), its longest known words; every other character one by one
    (see _in_term)."""
    out: list[str | None] = [None] * len(term)
    pieces = lexicon.cut(term) if len(term) > 1 else [term]
    ends = _parallel_ends(term, context) if kept else None
    if ends:  # an abbreviation: no dictionary word across its characters (公转铁 is not 公转 + 铁)
        pieces = list(term)
        for k, syllable in ends.items():
            out[k] = syllable
    starts = list(accumulate((len(p) for p in pieces[:-1]), initial=0))
    runs: list[tuple[int, int]] = []  # spans of one-character pieces: an abbreviation (源网荷储)
    # a four-character set phrase or abbreviation is read by its slots and the text's words
    # (久久为功: 为 wéi; 非遗工坊); a longer term holds grammar and words (无还本续贷: 还本)
    phrase = len(term) > 4
    particles = _particles(pieces) if phrase and len(pieces) > 1 else {}
    for n, (i, piece) in enumerate(zip(starts, pieces, strict=True)):
        entries = lexicon.cedict_lookup([piece]).get(piece, []) if len(piece) > 1 else []
        reading = _listed(piece, entries, place.at(i), i + len(piece) < len(term)) if entries else None
        if reading:
            out[i : i + len(piece)] = reading
        elif n in particles:
            out[i] = particles[n]
        elif len(piece) > 2:
            _known_words(piece, out, i)
        if len(piece) == 1 and runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        elif len(piece) == 1:
            runs.append((i, i + 1))
    for a, b in runs if phrase else ():
        if b - a > 1:
            _known_words(term[a:b], out, a)
    traditional = lexicon.to_traditional(term, "tw")
    free = tuple(x is None for x in out)
    series = _from_series(term, place) if kept and any(free) else {}
    for k in range(len(term)):
        if out[k] is None:
            a, b = next(((a, b) for a, b in runs if a <= k < b and b - a >= 3), (0, 0))
            frame = _Frame(term, k, traditional, free, term[a:b], a)
            out[k] = series.get(k) or _in_term(frame, place.guess(k), context if kept else None)
    return _same_in_frame(term, [x or ch for x, ch in zip(out, term, strict=True)])


_HAN_TAIL = re.compile(r"[\u3400-\u9fff]+$")
_HAN_HEAD = re.compile(r"[\u3400-\u9fff]+")


def _from_series(term: str, place: _Place) -> dict[int, str]:
    """A term in a list (产假、育儿假、护理假) reads the head or opening it shares with a
    neighbouring item as that item's dictionary word reads it (产假 chǎn jià: 假 jià). An item
    is the run of Han characters beside the 、; its head is a word it ends with, its opening a
    word it starts with."""
    text, start, end = place.text, place.start, place.start + len(term)
    items = []
    if start and text[start - 1] == "、" and (m := _HAN_TAIL.search(text, 0, start - 1)):
        items.append(m.group())
    if text[end : end + 1] == "、" and (m := _HAN_HEAD.match(text, end + 1)):
        items.append(m.group())
    ends = {(item[i:], -1) for item in items for i in range(len(item) - 1)}
    ends |= {(item[:j], 0) for item in items for j in range(2, len(item) + 1)}
    found = lexicon.cedict_lookup({word for word, _ in ends})
    out: dict[int, str] = {}
    for word, at in sorted(ends, key=lambda e: -len(e[0])):
        k = len(term) - 1 if at else 0
        reading = _one_reading(found.get(word, []), len(word))
        if reading and word[at] == term[k] and k not in out:
            out[k] = reading[at]
    return out


def _verb_before_object(term: str, k: int, context: tuple[str, ...]) -> str | None:
    """A polyphone in a verb's place reads as a verb: before a noun that the text makes the
    object of other verbs (种粮 beside 储粮, 藏粮, 产粮; 调峰 beside 削峰, 迎峰), or joined to a
    character that is only ever a verb (种养: 养 "to raise"). The verb reading is the one whose
    CC-CEDICT senses are mostly verbs when the others' are mostly not (种 zhòng "to plant", not
    zhǒng "seed"; 调 tiáo). Only a character jieba counts as a verb or measure word: a describing
    word before a noun (好房, 强链) is no verb."""
    if k + 1 >= len(term) or not is_han(term[k + 1]):
        return None
    tag = lexicon.pos_tags([term[k]]).get(term[k], "")[:1]
    verb = _verb_reading(term[k]) if tag in ("v", "m", "q") else None
    if verb is None:
        return None
    nxt = term[k + 1]
    if _verb_only(nxt):
        return verb
    if lexicon.pos_tags([nxt]).get(nxt, "")[:1] != "n":
        return None
    before = {s[i - 1] for s in context for i in range(1, len(s)) if s[i] == nxt and is_han(s[i - 1])} - {term[k]}
    return verb if sum(map(_verb_only, before)) >= 2 else None


def _verb_only(ch: str) -> bool:
    """Whether a character has one reading and its senses are mostly verbs (养, 储, 削)."""
    senses = _senses_by_reading(ch)
    return len(senses) == 1 and _verb_share(next(iter(senses.values()))) >= 0.5


def _verb_reading(ch: str) -> str | None:
    """The reading of a polyphone whose senses are mostly verbs, when every other reading's
    senses are mostly not (种 zhòng "to plant" against zhǒng "seed, kind")."""
    senses = _senses_by_reading(ch)
    shares = {r: _verb_share(d) for r, d in senses.items()}
    verbs = [r for r, share in shares.items() if share >= 0.5]
    if len(verbs) != 1 or len(shares) < 2:
        return None
    return verbs[0] if all(share <= shares[verbs[0]] - 0.5 for r, share in shares.items() if r != verbs[0]) else None


def _parallel_ends(term: str, context: tuple[str, ...]) -> dict[int, str] | None:
    """The readings of the two ends of an "A changes to B" abbreviation (公转铁: 公路 → 铁路;
    散改集: 散装 → 集装箱), or None when `term` is not one.

    Three characters, a verb in the middle, and ends that shorten parallel words: each end
    followed by the same character makes a dictionary word (公路, 铁路; 散装, 集装箱), and the
    text writes out both (公路 … 铁路), or one when jieba cuts the term into single characters
    (散|改|集, with 集装箱 in the text). Each end then reads as in its word, and no dictionary
    word across the ends' boundaries (公转 "to revolve") is read.
    """
    if len(term) != 3 or not all(is_han(c) for c in term) or lexicon.pos_tags([term[1]]).get(term[1]) != "v":
        return None
    written = _words_from(term, context)
    split = len(lexicon.cut(term)) == 3
    found = lexicon.cedict_lookup({end + w[1] for w in written for end in (term[0], term[2])})
    for word in sorted(written, key=len, reverse=True):
        k = 0 if word[0] == term[0] else 2
        other = term[2 - k] + word[1]
        theirs = _one_reading(found.get(other, []), 2)
        both = any(w[:2] == other for w in written)
        if theirs and (split or both) and word[1] not in term:
            return {k: written[word][0], 2 - k: theirs[0]}
    return None


def _words_from(term: str, context: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The dictionary words of one reading that the text writes from either end of a
    three-character term (outside the term itself), with their readings."""
    spans = {
        s[i : i + n]
        for s in context
        for i in range(len(s) - 1)
        if s[i] in (term[0], term[2]) and s[i : i + 3] != term and s[max(0, i - 2) : i + 1] != term
        for n in (2, 3, 4)
        if i + n <= len(s)
    }
    found = lexicon.cedict_lookup(spans)
    return {span: r for span in spans if (r := _one_reading(found.get(span, []), len(span)))}


def _one_reading(entries: list[lexicon.DictEntry], length: int) -> tuple[str, ...] | None:
    """The reading of a dictionary word with exactly one (names aside)."""
    common = _candidates([e for e in entries if not e.is_name], length)
    return common[0] if len(common) == 1 else None


def _known_words(piece: str, out: list[str | None], offset: int) -> None:
    """Fill the still unread places of `out` with the longest CC-CEDICT words of one reading
    inside `piece` (from each place on)."""
    found = lexicon.cedict_lookup(
        {piece[i:j] for i in range(len(piece)) for j in range(i + 2, len(piece) + 1)} - {piece}
    )
    i = 0
    while i < len(piece):
        for j in range(min(len(piece) - 1 if i == 0 else len(piece), i + 8), i + 1, -1):
            common = _candidates([e for e in found.get(piece[i:j], []) if not e.is_name], j - i)
            if len(common) == 1 and all(x is None for x in out[offset + i : offset + j]):
                out[offset + i : offset + j] = common[0]
                i = j
                break
        else:
            i += 1


class _Frame:
    """One character of a term as the term rules see it: the term, its traditional form, which
    characters no dictionary word read, and the run of one-character pieces it stands in."""

    __slots__ = ("term", "k", "traditional", "free", "run", "run_start")

    def __init__(self, term: str, k: int, traditional: str, free: tuple[bool, ...], run: str, run_start: int) -> None:
        self.term, self.k, self.traditional, self.free = term, k, traditional, free
        self.run, self.run_start = run, run_start

    @property
    def ch(self) -> str:
        return self.term[self.k]

    def trad(self) -> str:
        return self.traditional[self.k] if len(self.traditional) == len(self.term) else self.ch


def _in_term(frame: _Frame, guess: polyphone.Guess | None, context: tuple[str, ...] | None) -> str:
    """A character of a token no dictionary word covers.

    Strong evidence first: its traditional form (哄 → 鬨 hòng), a parallel frame (千行百业: 行业
    háng), the text's own words for an abbreviation (源网荷储 ← 负荷 hè). In a kept term then a
    verb's place (种粮, 调峰: see _verb_before_object), the
    character's place in four-character set phrases (一X了之: liǎo) and its reading beside the
    same free neighbour in other words (河长制: 家长制 zhǎng), then the model when it is sure,
    else the character's usual reading (削峰 xuē: the model was trained on encyclopaedia text,
    terms use characters in their everyday sense). In any other token the model decides, the
    weaker rules speaking only when it is unsure (_RULE_BELOW), as measured on CPP dev.
    """
    ch, term, k = frame.ch, frame.term, frame.k
    if ch in _CITATION or not is_han(ch):
        return _CITATION.get(ch) or _SAID.get(ch, ch)
    if guess is None:
        return char_reading(ch) or ch
    # OpenCC's phrase table sometimes picks the wrong form (别着急 → 彆著急): a traditional form
    # the model is sure against does not decide
    trad = _from_traditional(ch, frame.trad())
    sure_against = trad and guess.probability >= _RULE_BELOW and normalise_numbered(guess.reading) != trad
    strong = (
        (None if sure_against else trad)
        or _from_interleaved(term, k)
        or (_from_context(frame.run, k - frame.run_start, list(context), True) if frame.run and context else None)
    )
    if strong:
        return strong
    model = normalise_numbered(guess.reading)
    if context is None:
        weak = _from_neighbours(term, k) or _from_slot(term, k) if guess.probability < _RULE_BELOW else None
        return weak or _counted(term, k) or model
    verb = _verb_before_object(term, k, context) if k + 1 < len(term) and frame.free[k + 1] else None
    weak = verb or _from_slot(term, k) or _free_neighbours(frame)
    return weak or (model if guess.probability >= _TERM_SURE else char_reading(ch) or model)


#: Outside kept terms, the model is trusted over the weaker rules (a character's usual
#: neighbours and slot in other words) from this probability on: on CPP dev the rules then gain
#: over the model alone (neighbours 400 → 403 of 404, slot 80 → 79 of 81).
_RULE_BELOW = 0.99
#: Inside a kept term, a model reading below this probability gives way to the usual reading.
_TERM_SURE = 0.95


def _free_neighbours(frame: _Frame) -> str | None:
    """_from_neighbours, with only the neighbours no dictionary word has taken: 大 of 老大 does
    not make 老大难 read as 大难 dà nàn."""
    term, k = frame.term, frame.k
    keep = [i for i in (k - 1, k + 1) if 0 <= i < len(term) and frame.free[i]]
    if not keep:
        return None
    lo, hi = min(keep + [k]), max(keep + [k])
    return _from_neighbours(term[lo : hi + 1], k - lo)


def _counted(term: str, k: int) -> str | None:
    """A measure word after a number or 这/每 inside a token (一只 zhī, 两只)."""
    before = term[:k]
    if before and (set(before) <= NUMERALS | set("0123456789") or before in _DETERMINERS):
        return _by_role(term[k], before, term[k + 1 : k + 2], {})
    return None


# result and direction complements: the polyphone before them is a verb (长高 zhǎng, 长大)
_COMPLEMENTS = frozenset("出高大成满起好完")


def _verb_slot(ch: str, before: str, after: str) -> str | None:
    """A describing word or verb read as a verb: before a one-character complement (长高 zhǎng)
    or closing a clause after a verb (加油干 gàn): the one reading with the most verb senses."""
    if lexicon.pos_tags([ch]).get(ch, "")[:1] not in ("a", "v"):
        return None
    senses = _senses_by_reading(ch)
    verbs = {r: sum(d.startswith("to ") for d in ds) for r, ds in senses.items()}
    most = max(verbs.values(), default=0)
    top = [r for r, n in verbs.items() if n == most]
    if len(senses) < 2 or most == 0 or len(top) != 1:
        return None
    if len(after) == 1 and after in _COMPLEMENTS and before != "的":
        return top[0]
    ends = after and not after[:1].isalnum() and not is_han(after[:1])
    return top[0] if ends and before and lexicon.pos_tags([before]).get(before, "")[:1] == "v" else None


def _pair_word(ch: str, before: str, after: str) -> str | None:
    """A lone polyphone read in the dictionary word it makes with the character jieba split
    off next to it (长|出新 → 长出 zhǎng chū), when that word has one reading. Not with the last
    character of a dictionary word before it: what follows a word is its particle or complement
    (学到|了 le, not 到了 dào liǎo "finally")."""
    pairs = {}
    if after and is_han(after[:1]):
        pairs[ch + after[0]] = 0
    if before and is_han(before[-1:]):
        pairs[before[-1] + ch] = 1
    found = lexicon.cedict_lookup(set(pairs) | ({before} if len(before) > 1 else set()))
    if len(before) > 1 and found.get(before):
        found.pop(before[-1] + ch, None)
    got = set()
    for word, at in pairs.items():
        common = _candidates([e for e in found.get(word, []) if not e.is_name and not e.is_variant], 2)
        if len(common) > 1:
            return None
        if common:
            got.add(common[0][at])
    return got.pop() if len(got) == 1 else None


def _marked(syllables: list[str] | tuple[str, ...]) -> str:
    """Numbered syllables in tone marks, one space apart (anything else kept as it is)."""
    return " ".join(numbered_to_marks(x) if _SYLLABLE.fullmatch(x) else x for x in syllables)


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
    # a verb takes an aspect particle or, after a noun or place word, an object: 种了, 山坡上种茶树;
    # only a character jieba counts as a verb or measure word (as in _verb_before_object), not a
    # noun or surname between two nouns (北坡处安顿 chù, 原名叶景莱 Yè)
    own = lexicon.pos_tags([ch]).get(ch, "")[:1]
    as_verb = own in ("v", "m", "q") and (
        after in ("了", "着", "过")
        or (tags.get(after, "")[:1] == "n" and tags.get(before, "")[:1] in ("n", "f", "s", "r", "t"))
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
    """The usual numbered reading of one character, as pypinyin lists it first (None: none)."""
    reading = _pypinyin(ch)
    return reading[0] if reading and _SYLLABLE.fullmatch(reading[0]) else None
