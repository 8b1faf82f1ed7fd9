"""The sense of one part of a composed gloss: the one policy language uses, in the slot the part fills.

A dictionary lists a word's senses in no order a reader of policy prose can use (运动: "to move;
to exercise; sports; …", 企: "to stand on tiptoe; … company"). Two things choose among them:

- usage: the dictionary words that contain the part (企业, 国企, 央企 for 企; 运动员, 体育运动 for
  运动), each weighted by how many documents of the background corpus (policy and news Chinese)
  use it, vote for the senses their own definitions repeat;
- the slot: the last part of a compound is its head, a thing (粮食安全: "security", not "safe";
  冰雪运动: "sports", not "to move"), a part before another describes it (数字经济: "digital").

A part that stands for a word of the text (an abbreviation's character: 数实融合, 产教融合) is
glossed by that word instead (stands_for). A character alone has too many loose senses for the
usage votes; it takes the sense the text's own words with it share (in_text: 营 in a text of 经营,
运营), or as a head the sense of the words ending in it (班额: 金额, 名额 "amount"). Around the
manner suffix 式 the part before names a process (运动式: "movement") and the head stays an action.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from learn.errors import LearnError
from learn.language import lexicon
from learn.language.notation import normalise_numbered

_ABBREVIATION = re.compile(r"abbr\. for (?:[^,\[]+\|)?[^,\[]+\[[^\]]+\],?\s*(.*)", re.I)
_NOUN_END = re.compile(r"(?:ion|ment|ance|ence|ity|ty|ism|ure|ship|ness|ing|age|ics|ry|cy)s?$")
_PROCESS_END = re.compile(r"(?:ion|ism|ment)s?$")
_DESCRIBING_END = re.compile(r"(?:al|ic|ive|ous|ary|ful|ble|less|ed|ent|ant)$")
_LABELLED = re.compile(r"^\(|surname|variant|classifier|particle|radical|\blit\.|\bused in\b", re.I)


def senses(entries: tuple[lexicon.DictEntry, ...], limit: int = 10) -> list[str]:
    """The plain senses of some entries, in dictionary order: each ;- or /-separated definition
    without brackets, labels or grammar notes; an abbreviation gives the sense of its word
    ("abbr. for 企業|企业[qi3 ye4], company" → "company")."""
    out: list[str] = []
    for entry in entries:
        for definition in entry.definitions:
            for sense in definition.split(";"):
                sense = sense.strip()
                short = _ABBREVIATION.match(sense)
                if short:
                    sense = short.group(1).strip()
                sense = re.sub(r"\s*\([^)]*\)", "", sense).strip(" ,.")
                if sense and not _LABELLED.search(sense) and len(sense) <= 40 and sense not in out:
                    out.append(sense)
    return out[:limit]


def key(sense: str) -> str:
    """The word that carries a sense, cut to its stem: "to participate" → "parti", "tourism"
    → "touri" (so that "tourist" counts for it)."""
    words = re.sub(r"^(?:to|a|an|the)\s+", "", sense.lower().split(",")[0]).split()
    word = words[-1] if words and not sense.lower().startswith("to ") else (words[0] if words else "")
    return _stem(word)


def _stem(word: str) -> str:
    """A crude English stem, the first five letters: tourism, tourist → touri; digital,
    digitize → digit."""
    return word[:5]


def usage(piece: str, reading: str = "", place: str = "") -> dict[str, float]:
    """Background-weighted votes of the dictionary words that contain `piece` (read `reading`
    when it is one character; `place` "first" or "last": two-character words where it holds
    that place): each word adds log(1 + its document count) to every sense stem its
    definitions use."""
    return dict(_usage(piece, reading, place))


@lru_cache(maxsize=4096)
def _usage(piece: str, reading: str, place: str = "") -> tuple[tuple[str, float], ...]:
    words = _words_with(piece)
    if place:
        words = [w for w in words if len(w) == 2 and w[0 if place == "first" else 1] == piece]
    if not words:
        return ()
    try:
        from learn.background.model import load

        counts: dict[str, float] = {w: st.df for w, st in load().lookup(words).items()}
    except LearnError:  # no background: every word counts once
        counts = dict.fromkeys(words, 1.0)
    found = lexicon.cedict_lookup(set(counts))
    votes: dict[str, float] = {}
    for word, df in counts.items():
        text = " ".join(
            d.lower()
            for e in found.get(word, [])
            if not e.is_name and (not reading or _reads(e, word, piece, reading))
            for d in e.definitions
        )
        for stem in {_stem(w) for w in re.findall(r"[a-z]{3,}", text)}:
            votes[stem] = votes.get(stem, 0.0) + math.log1p(df)
    return tuple(votes.items())


def _reads(entry: lexicon.DictEntry, word: str, piece: str, reading: str) -> bool:
    syllables = entry.pinyin.split()
    at = word.find(piece)
    return len(syllables) == len(word) and normalise_numbered(syllables[at]) == normalise_numbered(reading)


def _words_with(piece: str) -> list[str]:
    """Dictionary words of up to two characters more than `piece` that contain it."""
    text, out, at = lexicon.headword_text(), [], 0
    while (at := text.find(piece, at)) >= 0:
        start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        word = text[start:end]
        if word != piece and len(word) <= len(piece) + 2:
            out.append(word)
        at = end
    return out


def choose(
    candidates: list[str], default: str, piece: str, reading: str = "", slot: str = "", text: str = "", around: str = ""
) -> str:
    """The sense of a part: `default` (the dictionary's first plain sense) unless its slot asks
    for another of its `candidates` (`slot`: "head", "describing", "process" before 式, "action"
    after it, or ""), or the dictionary says
    the character abbreviates a word policy language uses and `text` (given for a character of
    an abbreviation) uses it too (校企合作: 企 "company", for 企业)."""
    options = [c for c in candidates[:8] if not _ODD.search(c)]
    if not options or not default:
        return default
    word, short = _abbreviated(piece) if text else ("", "")
    if short and word in text:  # the text uses the word it stands for
        return short
    written = stands_for(piece, text) if text else ""
    if written:  # 东数西算 in a text about 数据: 数 "data", a sense 数 alone lacks
        return written
    if len(piece) < 2:  # a character: the text's words with it vote, then those where it holds the same place
        return in_text(options, default, piece, reading, around) or _in_place(options, default, piece, reading, slot)
    votes = usage(piece, reading)
    support = {c: votes.get(key(c), 0.0) for c in options}
    if slot == "action":
        return default
    if slot == "process":
        named = [c for c in options if len(c.split()) == 1 and _PROCESS_END.search(c.lower())]
        if named:  # 运动式: "movement", not "sports"
            return max(named, key=lambda c: (support[c], -named.index(c)))
    if slot == "head" and default.lower().startswith("to "):
        things = [c for c in options if _is_thing(c)]
        if things:  # a head is a thing: 冰雪运动 "sports", not "to move"
            return max(things, key=lambda c: (support[c], -things.index(c)))
    if slot == "head" and not _NOUN_END.search(_last_word(default)):
        named = [c for c in options if _NOUN_END.search(_last_word(c)) and c[:4].lower() == default[:4].lower()]
        if named:  # the noun of the same word: 粮食安全 "security", not "safe"
            return named[0]
    if slot == "head" and not _PROCESS_END.search(_last_word(default)):
        named = [c for c in options[:5] if len(c.split()) == 1 and _PROCESS_END.search(c.lower())]
        if named:  # a compound's head names a process or a state: 文旅融合 "fusion", 若干意见 "opinion"
            return named[0]
    if slot == "describing":
        describing = [
            c
            for c in options
            if c != default and len(c.split()) == 1 and re.search(r"(?:al|ic)$", c) and c[:4] == default[:4]
        ] or [
            c for c in options if len(c.split()) == 1 and re.search(r"(?:al|ic)$", c) and support[c] > support[default]
        ]
        if describing and describing[0] != default:  # 数字经济: "digital", not "numeral"
            return describing[0]
    verbal = default.lower().startswith("to ")  # a head that is an action stays one (开放 "to open")
    fitting = [c for c in options if slot != "head" or verbal or not c.lower().startswith("to ")] or options
    best = max(fitting, key=lambda c: (support[c], -fitting.index(c)), default=default)
    if support.get(best, 0.0) >= _CLEARLY * support.get(default, 0.0) + 1.0:
        return best  # policy language uses it far more: 文化旅游 "tourism", 数字经济 "digital"
    return default


#: How many times more the words of policy language must use a sense than the first one
_CLEARLY = 2.0


def in_text(options: list[str], default: str, ch: str, reading: str, text: str) -> str:
    """The sense of a one-character part that the text's own two-character words with it use
    clearly more than `default` (营 in a text that writes 经营, 运营: "to operate", not "camp"),
    else ""."""
    if not text:
        return ""
    words = _written(ch, text)
    found = lexicon.cedict_lookup(words)
    votes: dict[str, float] = {}
    for word in words:
        defs = " ".join(
            d.lower()
            for e in found.get(word, [])
            if not e.is_name and _reads_as(e, word, ch, reading)
            for d in e.definitions
        )
        for stem in {_stem(w) for w in re.findall(r"[a-z]{3,}", defs)}:
            votes[stem] = votes.get(stem, 0.0) + 1.0
    support = {c: votes.get(key(c), 0.0) for c in options}
    best = max(options, key=lambda c: (support[c], -options.index(c)))
    return best if support[best] >= _CLEARLY * support.get(default, votes.get(key(default), 0.0)) + 1.0 else ""


def _reads_as(entry: lexicon.DictEntry, word: str, ch: str, reading: str) -> bool:
    return not reading or _reads(entry, word, ch, reading)


def _in_place(options: list[str], default: str, ch: str, reading: str, slot: str) -> str:
    """The sense of a one-character head that the two-character words ending in it use far
    more than `default` (班额: 金额, 名额, 数额 "amount", not "forehead")."""
    if slot != "head":  # (the first place misleads: 林长制, 长 of 林长 "chief" is no 长大 "to grow")
        return default
    votes = usage(ch, reading, "last")
    support = {c: votes.get(key(c), 0.0) for c in options}
    best = max(options, key=lambda c: (support[c], -options.index(c)))
    return best if support[best] >= _CLEARLY * support.get(default, votes.get(key(default), 0.0)) + 1.0 else default


def _is_thing(sense: str) -> bool:
    """A sense that names a thing: one or two words, no verb, no describing ending."""
    words = sense.lower().split()
    return 0 < len(words) <= 2 and words[0] != "to" and not _DESCRIBING_END.search(words[-1])


@lru_cache(maxsize=4096)
def _abbreviated(ch: str) -> tuple[str, str]:
    """The word a character abbreviates and its sense, when CC-CEDICT says it does ("abbr. for
    企業|企业") and policy language uses that word (in at least ABBREVIATED_DF documents)."""
    if len(ch) != 1:
        return "", ""
    for entry in lexicon.cedict_lookup([ch]).get(ch, []):
        for definition in entry.definitions:
            m = re.match(r"abbr\. for (?:[^|\[]+\|)?([^|\[\s]+)\[[^\]]+\](?:,\s*(.+))?", definition.strip(), re.I)
            if not m:
                continue
            word, gloss = lexicon.to_simplified(m.group(1)), (m.group(2) or "").strip()
            try:
                from learn.background.model import load

                stats = load().lookup([word]).get(word)
            except LearnError:
                stats = None
            if stats is not None and stats.df >= ABBREVIATED_DF:
                return word, gloss or next(iter(senses(tuple(lexicon.cedict_lookup([word]).get(word, [])))), "")
    return "", ""


#: Documents of the background corpus that must use a word for its abbreviation to read as it
ABBREVIATED_DF = 100


def stands_for(ch: str, text: str) -> str:
    """The sense of the word a character of an abbreviation stands for, when the text says:
    the two-character dictionary word starting with it that the text writes most, if that is
    at least STANDS_FOR of the character's other uses there (数 → 数据 "data" in a text about
    data; 产 → 产业 "industry"), else ""."""
    uses = text.count(ch)
    if len(ch) != 1 or uses < 2 or lexicon.pos_tags([ch]).get(ch, "")[:1] in _GRAMMAR_TAGS:
        return ""
    counts = {w: text.count(w) for w in _written(ch, text) if w[0] == ch}
    word = max(counts, key=lambda w: (counts[w], w), default="")
    if not word or counts[word] < 2 or counts[word] < STANDS_FOR * uses:
        return ""
    found = lexicon.cedict_lookup([word]).get(word, [])
    return next(iter(senses(tuple(e for e in found if not e.is_name and not e.is_variant))), "")


#: The share of a character's uses in a text that one word must hold for the character to stand for it
STANDS_FOR = 0.6
#: jieba's tags of characters that stand for no word: numbers, prepositions, conjunctions, adverbs, pronouns, particles
_GRAMMAR_TAGS = frozenset("mpcdru")


def _written(ch: str, text: str) -> list[str]:
    """The two-character dictionary words (not names) with `ch` that `text` writes."""
    places = [m.start() for m in re.finditer(re.escape(ch), text)] if len(ch) == 1 else []
    pairs = {text[i - 1 : i + 1] for i in places if i >= 1} | {text[i : i + 2] for i in places if i < len(text) - 1}
    found = lexicon.cedict_lookup(pairs)
    return sorted(w for w, entries in found.items() if any(not e.is_name for e in entries))


_ODD = re.compile(r"also written|-like|\bin appearance\b|\bsb\b|\bsth\b", re.I)


def _last_word(sense: str) -> str:
    words = sense.lower().split(",")[0].split()
    return words[-1] if words else ""
