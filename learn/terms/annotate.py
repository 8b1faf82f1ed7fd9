"""Annotation: everything a learner needs about one term, read in the context it came from.

Readings come from learn.language.pinyin, meanings from the glossary (when on), CC-CEDICT, or — for a
coinage no dictionary has — a gloss composed from its known parts, marked as composed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache, partial

from learn.entry import Entry, Example, Part
from learn.errors import LearnError
from learn.language import lexicon
from learn.language.notation import is_han, marks_to_numbered, normalise_numbered, spellings
from learn.language.pinyin import best_entry, read_term, sentence_syllables, term_reading
from learn.language.segment import best_split
from learn.terms import senses
from learn.terms.examples import clause_around, finished_part, strip_markers

MAX_EXAMPLES = 3
_NOISE_DEF = re.compile(r"^(CL:|Taiwan pr\.|also pr\.|also written|abbr\. for|see also)", re.I)


def substrings(term: str, longest: int = 8) -> set[str]:
    """Every substring of 1..`longest` characters (what a reading or a composed gloss may use)."""
    return {term[i:j] for i in range(len(term)) for j in range(i + 1, min(len(term), i + longest) + 1)}


_CROSS_REF = re.compile(r"(?:[^\s|\[\]]+\|)?([^\s|\[\]]+)\[([^\]]+)\]")


def _readable(definition: str) -> str:
    """CC-CEDICT cross-references (碳達峰|碳达峰[tan4 da2 feng1]) as a learner reads them: 碳达峰 (tàn dá fēng)."""
    from learn.language.notation import normalise_numbered, numbered_to_marks

    def show(m: re.Match) -> str:
        marks = " ".join(numbered_to_marks(normalise_numbered(s)) for s in m.group(2).split())
        return f"{m.group(1)} ({marks})"

    return _CROSS_REF.sub(show, definition)


# senses a learner should not meet first: asides about religion or culture, surnames, and
# labelled registers (born again Daoist, (Buddhism) karma, (old), (dialect))
_ASIDE = re.compile(
    r"surname|Buddhis|Daois|Taois|Confucian|\((?:old|archaic|dialect|literary|classical|"
    r"Tw|Cantonese|slang|coll|obsolete|honorific|humble|poetic|poetry)\b|^(?:old )?variant of|"
    r"used in |\bfig\. and lit\.",
    re.I,
)


def tidy(definition: str) -> str:
    """Dictionary text without stray punctuation: empty brackets, ".;", doubled or trailing ";",
    a closing full stop."""
    d = re.sub(r"\(\s*\)|（\s*）", "", definition)
    d = re.sub(r"(?<!etc)(?<!sth)(?<!sb)\.\s*;", ";", d)
    # a closing full stop makes ".;" once senses are joined ("One key opens one lock.; There is …")
    d = re.sub(r"(?<!etc)(?<!sth)(?<!sb)(?<!\.)\.(\s*\((?:idiom|proverb)\))?\s*$", r"\1", d)
    d = re.sub(r"\s*;\s*(?:;\s*)*", "; ", d)
    d = re.sub(r"\s+([,;.)])", r"\1", d)
    return re.sub(r"\s{2,}", " ", d).strip(" ;,")


def clean_definitions(entry: lexicon.DictEntry, limit: int = 4, context: Counter | None = None) -> list[str]:
    """Definitions a learner reads: no measure-word or pronunciation notes, no stray punctuation,
    asides last, and — given the English of the other words of the text — the sense that fits it first."""
    defs = [_learner_text(d.strip()) for d in entry.definitions if d.strip() and not _NOISE_DEF.match(d.strip())]
    defs = [d for d in defs if d]
    defs.sort(key=lambda d: (bool(_ASIDE.search(d)), d.startswith("lit.")))  # fig. before lit.
    if context and len(defs) > 1:
        best = max((d for d in defs if not _ASIDE.search(d)), key=lambda d: _fit(d, context), default=defs[0])
        if _fit(best, context) > _fit(defs[0], context):
            defs.remove(best)
            defs.insert(0, best)
    return defs[:limit] or [_learner_text(d) for d in entry.definitions if d][:1]


@lru_cache(maxsize=16_384)
def _learner_text(definition: str) -> str:
    """One dictionary sense as a learner reads it (see _readable, tidy). Remembered: the senses
    of common characters are cleaned for every term that contains them."""
    return tidy(_readable(definition))


# English words too general to tell senses apart
_STOP = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "another",
        "before",
        "being",
        "bound",
        "could",
        "either",
        "every",
        "first",
        "other",
        "often",
        "oneself",
        "person",
        "people",
        "place",
        "should",
        "something",
        "somebody",
        "still",
        "there",
        "these",
        "thing",
        "those",
        "through",
        "under",
        "where",
        "which",
        "whole",
        "within",
        "without",
        "would",
    ]
)


def _stems(text: str) -> list[str]:
    """Content words of English text (five letters or more: short ones such as "able", "make" match
    anything), cut to five letters so that located/location, travel/traveller meet."""
    return [w[:5] for w in re.findall(r"[a-z]{5,}", text.lower()) if w not in _STOP]


def _fit(sense: str, context: Counter) -> float:
    """How well a sense fits a text: how often its content words occur in the English glosses of
    the text's other words, over the square root of how many content words it has (so a long
    sense does not win by length alone)."""
    stems = set(_stems(sense))
    return sum(context.get(w, 0) for w in stems) / len(stems) ** 0.5 if stems else 0.0


@lru_cache(maxsize=8)
def _context_of(sentences: tuple[str, ...]) -> Counter:
    """The English of a text: stems from the first CC-CEDICT sense of every word jieba finds in it."""
    words = {w for s in sentences for w in lexicon.cut(s) if len(w) > 1}
    found = lexicon.cedict_lookup(words)
    bag: Counter = Counter()
    for entries in found.values():
        entry = best_entry(entries)
        if entry is not None:
            bag.update(_gloss_stems(entry))
    return bag


@lru_cache(maxsize=32_768)
def _gloss_stems(entry: lexicon.DictEntry) -> tuple[str, ...]:
    """The content stems of a word's first three senses, each once. Remembered: a news text
    mostly uses the words of the texts before it."""
    return tuple(set(_stems(" ".join(entry.definitions[:3]))))


def context_words(sentences: list[str], term: str) -> Counter:
    """The English of the text around a term, without the glosses of the term itself.

    The text's bag is shared by all its terms, so it is read, not copied: only the counts
    left positive once the term's own stems are taken away are kept (in the bag's order)."""
    own: Counter = Counter()
    for entries in lexicon.cedict_lookup({term} | set(lexicon.cut(term))).values():
        entry = best_entry(entries)
        if entry is not None:
            own.update(_gloss_stems(entry))
    bag = _context_of(tuple(sentences))
    return Counter({w: n - own[w] for w, n in bag.items() if n > own[w]})


_WEAK_GLOSS = re.compile(r"surname|prefix|used |variant|classifier|abbr\.|particle|radical|\blit\.", re.I)

# What a word-forming suffix adds when it closes a compound (绿色化 "green + -ization").
SUFFIX_GLOSSES = {
    "化": "-ization",
    "性": "-ness / nature",
    "型": "-type",
    "式": "-style",
    "链": "chain",
    "率": "rate",
    "制": "system",
    "力": "power / force",
    "业": "industry",
    "者": "-er",
}


#: suffixes that make a describing word, glossed as suffixes in the middle of a term too (内卷式竞争)
_MAKES_DESCRIBING = frozenset("式型化")

_LABEL = re.compile(r"\(([^)]*)\)\s*")
# labels of senses a learner does not meet in today's prose (and of specialist ones)
_REGISTER = re.compile(
    r"literary|archaic|poetry|poetic|dialect|old|classical|slang|coll|vulgar|derog|"
    r"Buddhism|Taoism|TCM|Cantonese|Tw|obsolete|honorific|humble|math|physics|chemistry",
    re.I,
)


def _strip_parens(text: str) -> str:
    """Text without bracketed notes, nested ones included: "(possessive particle, … 的 (de))"."""
    out, depth = [], 0
    for c in text:
        depth += c == "("
        if depth == 0:
            out.append(c)
        depth -= c == ")" and depth > 0
    return re.sub(r"\s{2,}", " ", "".join(out)).strip()


@lru_cache(maxsize=8192)
def _short_gloss(entries: tuple[lexicon.DictEntry, ...], piece: str = "", reading: str = "") -> str:
    """A few words of meaning for one part: a plain definition, not a grammar note. (Remembered:
    the same parts, 新, 发展, 化, recur in term after term.)

    A single character lists its senses in no useful order (日: sun, day), so when the
    two-character words that read it the same way clearly favour another plain sense (生日,
    节日, 今日 → "day"), that sense is the gloss. (The text's context is not asked: a part's
    senses are so general that some word of any text matches one of them.)
    """
    defs = [tidy(_strip_parens(d).split(";")[0]) for e in entries for d in clean_definitions(e, 8)]
    plain = [d for d in defs if d and not _WEAK_GLOSS.search(d) and not _ASIDE.search(d) and len(d) <= 30]
    first = (plain or [d for d in defs if d] or [""])[0]
    if len(piece) == 1 and reading and first:
        first = _commonest_sense(piece, reading, first, _unmarked_senses(entries))
    return first


def _unmarked_senses(entries: tuple[lexicon.DictEntry, ...]) -> list[str]:
    """Every ;-separated sense without a usage label ((literary), (poetry)…), at most eight."""
    out: list[str] = []
    for e in entries:
        for d in clean_definitions(e, 8):
            labels = [m.group(1) for m in _LABEL.finditer(d) if m.start() == 0 or d[: m.start()].strip() == ""]
            if any(_REGISTER.search(label) for label in labels) or _WEAK_GLOSS.search(d):
                continue
            out += [p.strip() for p in _LABEL.sub("", d).split(";") if p.strip() and len(p.strip()) <= 40]
    return out[:8]


def _sense_key(sense: str) -> str:
    """The word that carries a sense: the verb of "to ally oneself with", the noun of "day of the month"."""
    words = sense.lower().split(",")[0].split()
    if words[:1] == ["to"]:
        return words[1] if len(words) > 1 else ""
    return words[-1] if words else ""


@lru_cache(maxsize=8192)
def _votes(key: str, used: str) -> int:
    """How often the words of a character use a sense's key word (`used`: their definitions,
    see _usage). Remembered: the same characters and senses recur in every text."""
    if len(key) < 3:
        return 0
    if not key.isalpha() or not key.isascii():  # (a word of letters is counted without compiling a pattern per key)
        return len(re.findall(r"\b" + re.escape(key) + r"|" + re.escape(key) + r"\b", used))
    n, at = 0, used.find(key)
    while at >= 0:
        end = at + len(key)
        if at == 0 or not _wordlike(used[at - 1]) or end == len(used) or not _wordlike(used[end]):
            n, at = n + 1, used.find(key, end)
        else:
            at = used.find(key, at + 1)
    return n


def _wordlike(c: str) -> bool:
    return c.isalnum() or c == "_"


@lru_cache(maxsize=2048)
def _usage(ch: str, reading: str) -> str:
    """The definitions of the two-character words with `ch` read `reading`, as one lower-case text."""
    return "/".join(lexicon.pair_definitions(ch, reading)).lower()


def _commonest_sense(ch: str, reading: str, first: str, senses: list[str]) -> str:
    """`first`, unless the words with `ch` use another sense at least twice as often."""
    used = _usage(ch, reading)
    floor = 2 * _votes(_sense_key(first), used) + 2
    best, votes = first, 0
    for sense in senses:
        n = _votes(_sense_key(sense), used)
        if n >= floor and n > votes:
            best, votes = sense, n
    return best


_NUMERALS = frozenset("一二三四五六七八九十百千万亿两几半")


def _is_measure(ch: str, entries: list[lexicon.DictEntry]) -> bool:
    """A measure word: CC-CEDICT lists a classifier sense among its first ones (次, 件, 个, 番)."""
    return any("classifier" in d.lower() for e in entries if not e.is_name for d in e.definitions)


def _function_part(
    piece: str, entries: list[lexicon.DictEntry], after_numeral: bool, last: bool, read: list[lexicon.DictEntry]
) -> bool:
    """A one-character part that is grammar, not meaning: 的, 之, 与 inside a term, or a measure
    word after a number. At the end of a term such a character is a noun (蚕丝被: 被 "quilt"), and
    a particle read in full is a word (用地: 地 dì "land")."""
    if len(piece) != 1:
        return False
    if after_numeral and _is_measure(piece, entries):
        return True
    tag = lexicon.pos_tags([piece]).get(piece, "")
    if tag in ("uv", "ud", "uz", "ug"):  # 地 得 着 过: particles when read light, else words (用地: dì "land")
        return not read or any("particle" in e.definitions[0] or e.pinyin.endswith("5") for e in read)
    if tag[:1] in ("u", "y", "e"):  # 的, 了, 之, 等; modal words, interjections
        return True
    # prepositions and conjunctions (与, 于, 在), unless every dictionary entry opens with a verb (用 "to use")
    # or the character ends the term, where it is a noun (蚕丝被: 被 "quilt")
    firsts = [e.definitions[0] for e in entries if not e.is_name and not e.is_variant]
    return not last and tag[:1] in ("p", "c") and not all(f.startswith("to ") for f in firsts)


def reader_split(term: str, seen: frozenset[str] = frozenset(), terms: frozenset[str] = frozenset()) -> list[str]:
    """The parts a reader sees: the most probable segmentation, with a number + measure word
    (五个, 一次) as two parts; `seen` are words the text uses on their own, `terms` terms in
    their own right (see best_split)."""
    return list(_reader_split(term, seen, terms))


@lru_cache(maxsize=8192)
def _reader_split(term: str, seen: frozenset[str], terms: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """reader_split, remembered: news terms recur from text to text."""
    out: list[str] = []
    for piece in _parallel_slots(term) or best_split(term, seen=seen, terms=terms):
        if (
            piece not in terms  # a term of its own stays whole (一级 "first class")
            and len(piece) == 2
            and piece[0] in _NUMERALS
            and _is_measure(piece[1], lexicon.cedict_lookup([piece[1]]).get(piece[1], []))
        ):
            out += list(piece)
        else:
            out.append(piece)
    return tuple(out)


def _superlative(parts: list[Part]) -> str:
    """最 + a describing character says "-est" (最低 "lowest", 最大 "largest"), else ""."""
    if len(parts) != 2 or parts[0].text != "最" or len(parts[1].text) != 1:
        return ""
    word = parts[1].gloss.lower()
    if not re.fullmatch(r"[a-z]+", word) or len(word) > 6:  # one short describing word: low, high, large, big
        return ""
    irregular = {"good": "best", "bad": "worst", "many": "most", "much": "most", "little": "least", "far": "farthest"}
    if word in irregular:
        return irregular[word]
    if word.endswith("e"):
        return word + "st"
    if word.endswith("y") and len(word) > 2:
        return word[:-1] + "iest"
    if re.search(r"[^aeiou][aeiou][bdgmnpt]$", word):
        return word + word[-1] + "est"  # big → biggest
    return word + "est"


def _parallel_slots(term: str) -> list[str] | None:
    """A four-character phrase built on two parallel frames, the same character or two numbers
    in them (一村一品: 一…一…; 千行百业: 千…百…), splits into its characters, unless its halves
    are words (互联互通 is 互联 + 互通)."""
    if len(term) != 4 or not all(is_han(c) for c in term):
        return None
    if not (term[0] == term[2] or term[1] == term[3] or set(term[0] + term[2]) <= _NUMERALS):
        return None
    halves = lexicon.cedict_lookup({term[:2], term[2:]})
    return None if term[:2] in halves and term[2:] in halves else list(term)


def compose_gloss(
    term: str,
    dictionary: dict[str, list[lexicon.DictEntry]],
    syllables: list[str],
    context: Counter | None = None,
    ends_term: bool = True,
    seen: frozenset[str] = frozenset(),
    terms: frozenset[str] = frozenset(),
    glossary: bool = False,
    text: str = "",
) -> list[Part]:
    """Split a term the way a reader would (业内人士 → 业内 + 人士; 文旅融合 → 文旅 + 融合, the
    longest parts that are `terms` in their own right first) and gloss each part in context.

    Function words and measure words stay in `parts` with no gloss; a closing word-forming
    suffix (绿色化) is glossed as a suffix.
    """
    traditional = lexicon.to_traditional(term, "t")
    traditional = traditional if len(traditional) == len(term) else ""
    pieces = reader_split(term, seen, terms)
    missing = {p for p in pieces if p not in dictionary}
    if missing:
        dictionary = {**dictionary, **lexicon.cedict_lookup(missing | {c for p in missing for c in p})}
    starts = [sum(len(p) for p in pieces[:n]) for n in range(len(pieces))]
    found = [
        _senses_for(
            piece, dictionary, syllables[i : i + len(piece)], traditional[i : i + len(piece)] if traditional else ""
        )
        for i, piece in zip(starts, pieces, strict=True)
    ]
    grammar = [
        _function_part(
            piece,
            dictionary.get(piece, []),
            n > 0 and pieces[n - 1][-1] in _NUMERALS | {"多", "余", "几"},  # 一百多栋
            ends_term and n == len(pieces) - 1,
            found[n],
        )
        for n, piece in enumerate(pieces)
    ]
    content = [n for n, g in enumerate(grammar) if not g]
    parts: list[Part] = []
    for n, (i, piece) in enumerate(zip(starts, pieces, strict=True)):
        j = i + len(piece)
        marks = spellings(syllables[i:j])[0] if j <= len(syllables) else ""
        entries = found[n]
        last = ends_term and n == len(pieces) - 1
        curated = lexicon.glossary().get(piece) if glossary and len(piece) > 1 else None
        if grammar[n]:
            gloss = ""
        elif curated and curated.english:  # a glossary term of its own: 碳达峰 "carbon peaking"
            gloss = curated.english[0]
        elif n > 0 and piece in SUFFIX_GLOSSES and (last or (piece in _MAKES_DESCRIBING and len(pieces[n - 1]) > 1)):
            gloss = SUFFIX_GLOSSES[piece]  # 绿色化; 内卷式竞争: 式 "-style" in the middle too
        elif entries:
            slot = "head" if n == content[-1] and len(content) > 1 else "describing" if n < content[-1] else ""
            # X式 describes a way of doing: X names a process (运动式 "campaign"), and the head
            # after it stays an action (订单式培养 "to cultivate", not "education")
            slot = "process" if pieces[n + 1 : n + 2] == ["式"] else "action" if pieces[n - 1 : n] == ["式"] else slot
            reading = entries[0].pinyin if len(piece) == 1 else ""
            default = _short_gloss(tuple(entries), piece, reading)
            # a character beside another one-character part may stand for a word (校企: 企业)
            short = len(piece) == 1 and any(
                0 <= m < len(pieces) and len(pieces[m]) == 1 and not grammar[m] for m in (n - 1, n + 1)
            )
            gloss = senses.choose(
                senses.senses(tuple(entries)), default, piece, reading, slot, text if short else "", text
            )
        elif len(piece) > 1:  # a word only jieba knows: its own parts gloss it
            inner = compose_gloss(piece, dictionary, syllables[i:j], context, last, seen, terms, glossary, text)
            glosses = [p.gloss for p in inner if p.gloss]  # a word readers know (业内: industry-inside)
            gloss = _superlative(inner) or "-".join(glosses[:1] + [g.removeprefix("to ") for g in glosses[1:]])
        else:
            gloss = ""
        parts.append(Part(piece, marks, gloss))
    return parts


_POINTER = re.compile(r"^(?:see|(?:old |erhua )?variant of) (?:[^|\[\s]+\|)?([^|\[\s]+)\[")


def _followed(piece: str, dictionary: dict[str, list[lexicon.DictEntry]]) -> list[lexicon.DictEntry]:
    """The entries of the word a pointer-only entry sends the reader to (联接: "variant of 连接";
    后继乏人: "see 后继无人")."""
    targets = {m.group(1) for e in dictionary.get(piece, []) for d in e.definitions[:1] if (m := _POINTER.match(d))}
    simplified = {lexicon.to_simplified(t) for t in targets} - {piece}
    found = lexicon.cedict_lookup(simplified)
    return [e for t in simplified for e in found.get(t, []) if not e.is_variant and not e.is_name]


def _senses_for(
    piece: str, dictionary: dict[str, list[lexicon.DictEntry]], syllables: list[str], traditional: str
) -> list[lexicon.DictEntry]:
    """The dictionary entries of a part that fit its reading (长 zhǎng "chief", not cháng
    "long") and the character it stands for (后 in 先立后破 is 後 "after", not 后 "empress")."""
    senses = [e for e in dictionary.get(piece, []) if not e.is_variant and not e.is_name]
    if not senses and len(piece) > 1:  # a name is what the dictionary has: 国务院 "State Council"
        return _followed(piece, dictionary) or [e for e in dictionary.get(piece, []) if not e.is_variant]
    read = [e for e in senses if [normalise_numbered(x) for x in e.pinyin.split()] == syllables]
    senses = read or senses
    return [e for e in senses if not traditional or e.traditional == traditional] or senses


def _glossary_reading(pinyin: str, term: str) -> list[str] | None:
    syllables = [normalise_numbered(s) if s[-1:].isdigit() else marks_to_numbered(s) for s in pinyin.split()]
    return syllables if len(syllables) == sum(1 for c in term if is_han(c)) else None


def pick_examples(term: str, sentences: list[str], limit: int = MAX_EXAMPLES) -> list[str]:
    """Up to `limit` different examples of the term, in text order (see _examples)."""
    return [clause for clause, _ in _examples(term, sentences, limit)]


def _example(clause: str, whole: str, fixed: dict[str, list[str]], variant: str) -> Example:
    """An example with its reading, the clause read inside its whole sentence (以高科技…为特征)."""
    core = clause.strip("…")
    at = whole.find(core)
    lead, trail = ("… " if clause.startswith("…") else ""), (" …" if clause.endswith("…") else "")
    pinyin = (
        sentence_syllables(core, fixed, whole[:at], whole[at + len(core) :])
        if at >= 0
        else sentence_syllables(core, fixed)
    )
    return Example(clause, lead + pinyin + trail, lexicon.to_traditional(clause, variant))


def _examples(term: str, sentences: list[str], limit: int = MAX_EXAMPLES) -> list[tuple[str, str]]:
    """Up to `limit` different examples of the term, in text order: each the clause around the
    term (about 40 characters), without scraped bullets and bylines. A sentence that stops
    mid-phrase gives only its finished clauses, and only when no whole sentence has the term."""
    seen: dict[str, int] = {}
    wholes: dict[str, str] = {}
    broken: set[str] = set()
    for n, sentence in enumerate(dict.fromkeys(sentences)):
        if term not in sentence:
            continue
        whole = finished_part(strip_markers(sentence))
        clause = clause_around(whole, term) if term in whole else ""
        if clause and clause not in seen:
            seen[clause] = n
            wholes[clause] = whole
            if whole != strip_markers(sentence):
                broken.add(clause)
    # a line cut short is used (without its unfinished end) only when nothing better is there
    if len(broken) < len(seen):
        seen = {c: n for c, n in seen.items() if c not in broken}
    ranked = sorted(seen, key=lambda c: (len(c) > 40, len(c) < 8, seen[c]))[:limit]
    return [(c, wholes[c]) for c in sorted(ranked, key=seen.__getitem__)]


def annotate(
    term: str,
    *,
    text: str = "",
    sentences: list[str] | None = None,
    variant: str = "tw",
    glossary: bool = True,
    kind: str = "",
    count: int | None = None,
    score: float = 0.0,
    source: str = "",
    dictionary: dict[str, list[lexicon.DictEntry]] | None = None,
    zipf: float | None = None,
) -> Entry:
    """Annotate one term: readings, traditional form, meanings, level, frequency, examples."""
    from learn.read.text import sentences as split_sentences

    if variant not in lexicon.VARIANT_CONFIGS:
        raise ValueError(f"variant must be one of {', '.join(lexicon.VARIANT_CONFIGS)}")
    sents = sentences if sentences is not None else split_sentences(text) if text else []
    dictionary = dictionary if dictionary is not None else lexicon.cedict_lookup(substrings(term))
    curated = lexicon.glossary().get(term) if glossary else None
    syllables, votes = _reading(term, curated, dictionary, sents)
    marks, numbered, zhuyin = spellings([s for s in syllables if re.fullmatch(r"[a-z]+[1-5]", s)])
    entry = Entry(
        simplified=term,
        traditional=lexicon.to_traditional(term, variant),
        pinyin=marks,
        pinyin_numbered=numbered,
        zhuyin=zhuyin,
        kind=kind or "word",
        source=source,
        count=count if count is not None else sum(s.count(term) for s in sents),
        score=score,
        variant=variant,
    )
    if len(votes) > 1:  # occurrences read differently: the majority is shown everywhere, and said so
        entry.readings_in_text = {" ".join(r): n for r, n in votes.most_common()}
    _add_meaning(entry, curated, dictionary, syllables, sents, glossary)
    entry.hsk = lexicon.hsk_levels().get(term)
    entry.zipf = round(zipf if zipf is not None else lexicon.zipf_lookup([term]).get(term, 0.0), 2)
    entry.classifiers = lexicon.classifiers(dictionary.get(term, []), numbered)  # measure words, "项 xiàng"
    fixed = {term: syllables}
    entry.examples = [_example(clause, whole, fixed, variant) for clause, whole in _examples(term, sents)]
    return entry


def _reading(
    term: str,
    curated: lexicon.GlossaryEntry | None,
    dictionary: dict[str, list[lexicon.DictEntry]],
    sentences: list[str],
) -> tuple[list[str], Counter[tuple[str, ...]]]:
    """The one reading a term shows everywhere (JSON, card, quiz, handout): the glossary's when
    it has one, else the majority reading of its occurrences in the text, with the votes."""
    glossed = _glossary_reading(curated.pinyin, term) if curated and curated.pinyin else None
    if glossed:
        return glossed, Counter()
    if sentences:
        return term_reading(term, sentences, dictionary)
    return read_term(term, dictionary), Counter()


def _add_meaning(
    entry: Entry,
    curated: lexicon.GlossaryEntry | None,
    dictionary: dict[str, list[lexicon.DictEntry]],
    syllables: list[str],
    sentences: list[str],
    glossary: bool = True,
) -> None:
    term = entry.simplified
    if curated and curated.english:
        entry.definitions = list(curated.english)
        entry.gloss_source = "glossary"
        entry.expansion = curated.expansion
        if curated.kind in ("slogan", "idiom", "term") and entry.kind in ("word", "term"):
            entry.kind = curated.kind
        return
    found = (
        best_entry([e for e in dictionary.get(term, []) if not e.is_variant])
        or best_entry(_followed(term, dictionary))
        or best_entry(dictionary.get(term, []))
    )
    if found is not None:
        context = context_words(sentences, term) if sentences else None  # to order its senses
        entry.definitions = clean_definitions(found, context=context)
        entry.gloss_source = "cedict"
        if any("(idiom)" in d for d in found.definitions) and entry.kind == "word":
            entry.kind = "idiom"
        return
    parts = compose_gloss(
        term,
        dictionary,
        syllables,
        seen=words_seen_alone(term, sentences),
        terms=whole_parts(term, glossary),
        glossary=glossary,
        text=_joined(tuple(sentences)).replace(term, "|"),  # the text around the term: what its parts stand for
    )
    said = what_the_text_calls(term, sentences, after=entry.kind == "name") if sentences else ""
    if entry.kind == "name" or (said and _opaque(parts)):
        entry.kind = "name"
        entry.definitions = [f"(name) {said}" if said else "(name)"]
        entry.gloss_source = "text" if said else ""
        return
    if any(p.gloss for p in parts):
        entry.parts = parts
        entry.definitions = [" + ".join(f"{p.text} “{p.gloss}”" if p.gloss else p.text for p in parts)]
        entry.gloss_source = "composed"


#: A dictionary word is a term in its own right when this many background documents use it
#: (policy language does: 文旅, 一级, 内卷; not 内人 or 三体, rare words a longest match would take)
TERM_DF = 20


@lru_cache(maxsize=8192)
def whole_parts(term: str, glossary: bool = True) -> frozenset[str]:
    """The pieces of `term` that are terms in their own right: glossary headwords (when the
    glossary is on) and the CC-CEDICT words (proper names too: 中欧) that policy language uses."""
    spans = {term[i:j] for i in range(len(term)) for j in range(i + 2, min(len(term), i + 8) + 1)} - {term}
    out = {s for s in spans if s in lexicon.glossary()} if glossary else set()
    words = set(lexicon.cedict_lookup(spans))
    try:
        from learn.background.model import load

        stats = load().lookup(words)
    except LearnError:  # no background file: the dictionaries alone
        stats = {}
    return frozenset(out | {w for w, st in stats.items() if st.df >= TERM_DF})


def words_seen_alone(term: str, sentences: list[str]) -> frozenset[str]:
    """The words inside a term (two characters or more) that the text also uses outside it."""
    # the sentences joined once per text; with no "|" in the term no occurrence spans two of
    # them, so replacing in the joined text is replacing in each sentence
    rest = (
        _joined(tuple(sentences)).replace(term, "|")
        if "|" not in term
        else "|".join(s.replace(term, "|") for s in sentences)
    )
    return frozenset(w for w in substrings(term) if 2 <= len(w) < len(term) and w in rest)


@lru_cache(maxsize=8)
def _joined(sentences: tuple[str, ...]) -> str:
    """A text's sentences joined by "|" (see words_seen_alone), once per text."""
    return "|".join(sentences)


# the head nouns that say what kind of place or body a name stands for
_HEADS = (
    "社区",
    "园区",
    "产业园",
    "公司",
    "集团",
    "平台",
    "中心",
    "基地",
    "实验室",
    "研究院",
    "研究所",
    "协会",
    "联盟",
    "街区",
    "小镇",
    "古镇",
    "景区",
    "商圈",
    "空间",
    "工坊",
    "合作社",
    "学院",
    "大学",
    "医院",
    "银行",
    "工厂",
    "品牌",
    "项目",
    "工程",
    "计划",
    "村",
    "镇",
    "区",
    "园",
    "馆",
    "站",
    "港",
)
_STOPS = "，。；：、！？,.;:!?“”\"'（）()《》—\n "
_LINKS = "等的和与及或是在将也都就还已被把为"  # a phrase after the name that starts so is not its description


def what_the_text_calls(term: str, sentences: list[str], after: bool = True) -> str:
    """What the text says a name is: the noun phrase after "X是" (模速空间是…社区), a phrase
    ending in a place or body noun right before the name (首个大模型生态社区模速空间), or, with
    `after`, right after it (“模速空间”创新生态社区) or after 等 (模速空间等创新社区)."""
    sentences = [s for s in sentences if term in s]  # every pattern below holds the term itself
    for sentence in sentences:
        m = _after_term(_IS_A, term, sentence)
        if m and m.group(1).endswith(_HEADS):
            return m.group(1)
    spans: list[tuple[Callable[[str], re.Match[str] | None], bool]] = [(_before_term(term).search, False)]
    if after:
        spans.append((partial(_after_term, _AFTER, term), True))
        spans.append((partial(_after_term, _AFTER_DENG, term), True))  # 模速空间等创新社区
    for search, follows in spans:
        for sentence in sentences:
            m = search(sentence)
            phrase = _head_phrase(m.group(1), follows) if m else ""
            if phrase:
                return phrase
    return ""


# What may follow a name: "是" + a description, a description, 等 + a description (see
# what_the_text_calls). Compiled once; the name itself is found with str.find.
_IS_A = re.compile(r"[”’]?是([^" + _STOPS + r"]{2,16})")
_AFTER = re.compile(r"[”’]?([^" + _STOPS + _LINKS + r"][^" + _STOPS + r"]{1,11})")
_AFTER_DENG = re.compile(r"[”’]?等([^" + _STOPS + r"]{2,10})")


def _after_term(suffix: re.Pattern[str], term: str, sentence: str) -> re.Match[str] | None:
    """What re.search(re.escape(term) + suffix.pattern, sentence) finds, without compiling a
    pattern per term: `suffix` matched right after the first occurrence of the term (overlapping
    ones included) where it matches."""
    at = sentence.find(term)
    while at >= 0:
        m = suffix.match(sentence, at + len(term))
        if m:
            return m
        at = sentence.find(term, at + 1)
    return None


@lru_cache(maxsize=2048)
def _before_term(term: str) -> re.Pattern[str]:
    """The description right before a name (the name ends the pattern, so it is compiled per
    term; news names the same bodies day after day)."""
    return re.compile(r"([^" + _STOPS + r"]{2,12})[“‘]?" + re.escape(term))


def _head_phrase(span: str, after: bool) -> str:
    """The longest stretch of `span` next to the name that ends in a head noun (after the name:
    from its start; before it: the words that end the span, cut at a word boundary)."""
    if after:
        ends = [k + len(h) for h in _HEADS if len(h) >= 2 for k in [span.rfind(h)] if k >= 0]
        return span[: max(ends)] if ends else ""
    if not span.endswith(tuple(h for h in _HEADS if len(h) >= 2)):
        return ""
    words = lexicon.cut(span)
    while len("".join(words)) > 8 and len(words) > 1:
        words = words[1:]
    return "".join(words)


def _opaque(parts: list[Part]) -> bool:
    """A term whose reader's split starts with two lone characters (模 + 速 + 空间): not words
    that explain it, the mark of a name."""
    return len(parts) >= 3 and len(parts[0].text) == 1 and len(parts[1].text) == 1
