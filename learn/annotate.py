"""Annotation: everything a learner needs about one term, read in the context it came from.

Readings come from learn.pinyin, meanings from the glossary (when on), CC-CEDICT, or — for a
coinage no dictionary has — a gloss composed from its known parts, marked as composed.
"""
from __future__ import annotations

import re

from learn import lexicon
from learn.entry import Entry, Example, Part
from learn.pinyin import best_entry, is_han, marks_to_numbered, normalise_numbered, read_term, sentence_syllables, spellings

MAX_EXAMPLES = 3
_NOISE_DEF = re.compile(r"^(CL:|Taiwan pr\.|also pr\.|also written|abbr\. for|see also)", re.I)


def substrings(term: str, longest: int = 8) -> set[str]:
    """Every substring of 1..`longest` characters (what a reading or a composed gloss may use)."""
    return {term[i:j] for i in range(len(term)) for j in range(i + 1, min(len(term), i + longest) + 1)}


_CROSS_REF = re.compile(r"(?:[^\s|\[\]]+\|)?([^\s|\[\]]+)\[([^\]]+)\]")


def _readable(definition: str) -> str:
    """CC-CEDICT cross-references (碳達峰|碳达峰[tan4 da2 feng1]) as a learner reads them: 碳达峰 (tàn dá fēng)."""
    from learn.pinyin import normalise_numbered, numbered_to_marks

    def show(m: re.Match) -> str:
        marks = " ".join(numbered_to_marks(normalise_numbered(s)) for s in m.group(2).split())
        return f"{m.group(1)} ({marks})"

    return _CROSS_REF.sub(show, definition)


def clean_definitions(entry: lexicon.DictEntry, limit: int = 4) -> list[str]:
    """Definitions a learner reads: without measure-word and pronunciation notes."""
    defs = [_readable(d.strip()) for d in entry.definitions if d.strip() and not _NOISE_DEF.match(d.strip())]
    return defs[:limit] or [_readable(d) for d in entry.definitions if d][:1]


_WEAK_GLOSS = re.compile(r"surname|prefix|used |variant|classifier|abbr\.|particle|radical|\blit\.", re.I)

# What a word-forming suffix adds when it closes a compound (绿色化 "green + -ization").
SUFFIX_GLOSSES = {"化": "-ization", "性": "-ness / nature", "型": "-type", "式": "-style", "链": "chain",
                  "率": "rate", "制": "system", "力": "power / force", "业": "industry", "者": "-er"}


_LABEL = re.compile(r"\(([^)]*)\)\s*")
# labels of senses a learner does not meet in today's prose (and of specialist ones)
_REGISTER = re.compile(r"literary|archaic|poetry|poetic|dialect|old|classical|slang|coll|vulgar|derog|"
                       r"Buddhism|Taoism|TCM|Cantonese|Tw|obsolete|honorific|humble|math|physics|chemistry", re.I)


def _short_gloss(entries: list[lexicon.DictEntry], piece: str = "", reading: str = "") -> str:
    """A few words of meaning for one part: a plain definition, not a grammar note.

    A single character lists its senses in no useful order (日: sun, day), so when the
    two-character words that read it the same way clearly favour another plain sense (生日,
    节日, 今日 → "day"), that sense is the gloss.
    """
    defs = [re.sub(r"\s*\([^)]*\)", "", d).split(";")[0].strip()
            for e in entries for d in clean_definitions(e, 8)]
    plain = [d for d in defs if d and not _WEAK_GLOSS.search(d) and len(d) <= 30]
    first = (plain or defs or [""])[0]
    if len(piece) != 1 or not reading or not first:
        return first
    return _commonest_sense(piece, reading, first, _unmarked_senses(entries))


def _unmarked_senses(entries: list[lexicon.DictEntry]) -> list[str]:
    """Every ;-separated sense without a usage label ((literary), (poetry)…), at most eight."""
    out: list[str] = []
    for e in entries:
        for d in clean_definitions(e, 8):
            labels = [m.group(1) for m in _LABEL.finditer(d) if m.start() == 0 or d[:m.start()].strip() == ""]
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


def _votes(key: str, used: str) -> int:
    return len(re.findall(r"\b" + re.escape(key) + r"|" + re.escape(key) + r"\b", used)) if len(key) >= 3 else 0


def _commonest_sense(ch: str, reading: str, first: str, senses: list[str]) -> str:
    """`first`, unless the words with `ch` use another sense at least twice as often."""
    used = "/".join(lexicon.pair_definitions(ch, reading)).lower()
    floor = 2 * _votes(_sense_key(first), used) + 2
    best, votes = first, 0
    for sense in senses:
        n = _votes(_sense_key(sense), used)
        if n >= floor and n > votes:
            best, votes = sense, n
    return best


def compose_gloss(term: str, dictionary: dict[str, list[lexicon.DictEntry]],
                  syllables: list[str]) -> list[Part]:
    """Split a term into the longest dictionary words and gloss each (新质生产力 → 新 + 质 + 生产力)."""
    parts: list[Part] = []
    traditional = lexicon.to_traditional(term, "t")
    if len(traditional) != len(term):
        traditional = ""
    i = 0
    while i < len(term):
        if i == len(term) - 1 and i > 0 and term[i] in SUFFIX_GLOSSES:
            parts.append(Part(term[i], spellings(syllables[i:i + 1])[0], SUFFIX_GLOSSES[term[i]]))
            break
        for j in range(min(len(term), i + 8), i, -1):
            piece = term[i:j]
            senses = [e for e in dictionary.get(piece, []) if not e.is_variant and not e.is_name]
            # the sense that goes with this reading: 长 zhǎng "chief", not cháng "long"
            read = [e for e in senses if [normalise_numbered(x) for x in e.pinyin.split()] == syllables[i:j]]
            senses = read or senses
            # and the character it stands for: 后 in 先立后破 is 後 "after", not 后 "empress"
            senses = [e for e in senses if e.traditional == traditional[i:j]] or senses
            if senses:
                marks, _, _ = spellings(syllables[i:j])
                reading = senses[0].pinyin if len(piece) == 1 else ""
                parts.append(Part(piece, marks, _short_gloss(senses, piece, reading)))
                i = j
                break
        else:
            parts.append(Part(term[i], spellings(syllables[i:i + 1])[0], ""))
            i += 1
    return parts


def _glossary_reading(pinyin: str, term: str) -> list[str] | None:
    syllables = [normalise_numbered(s) if s[-1:].isdigit() else marks_to_numbered(s) for s in pinyin.split()]
    return syllables if len(syllables) == sum(1 for c in term if is_han(c)) else None


def pick_examples(term: str, sentences: list[str], limit: int = MAX_EXAMPLES) -> list[str]:
    """Up to `limit` distinct sentences with the term, readable lengths first, in text order."""
    hits = [s for s in dict.fromkeys(sentences) if term in s]
    ranked = sorted(hits, key=lambda s: (not 8 <= len(s) <= 80, abs(len(s) - 36)))[:limit]
    return [s for s in hits if s in ranked]


def annotate(term: str, *, text: str = "", sentences: list[str] | None = None, variant: str = "tw",
             glossary: bool = True, kind: str = "", count: int | None = None, score: float = 0.0,
             source: str = "", dictionary: dict[str, list[lexicon.DictEntry]] | None = None,
             zipf: float | None = None) -> Entry:
    """Annotate one term: readings, traditional form, meanings, level, frequency, examples."""
    from learn.text import sentences as split_sentences

    if variant not in lexicon.VARIANT_CONFIGS:
        raise ValueError(f"variant must be one of {', '.join(lexicon.VARIANT_CONFIGS)}")
    sents = sentences if sentences is not None else split_sentences(text) if text else []
    dictionary = dictionary if dictionary is not None else lexicon.cedict_lookup(substrings(term))
    curated = lexicon.glossary().get(term) if glossary else None
    syllables = (_glossary_reading(curated.pinyin, term) if curated and curated.pinyin else None) \
        or read_term(term, dictionary, sents)
    marks, numbered, zhuyin = spellings([s for s in syllables if re.fullmatch(r"[a-z]+[1-5]", s)])
    entry = Entry(simplified=term, traditional=lexicon.to_traditional(term, variant), pinyin=marks,
                  pinyin_numbered=numbered, zhuyin=zhuyin, kind=kind or "word", source=source,
                  count=count if count is not None else sum(s.count(term) for s in sents), score=score,
                  variant=variant)
    _add_meaning(entry, curated, dictionary, syllables)
    entry.hsk = lexicon.hsk_levels().get(term)
    entry.zipf = round(zipf if zipf is not None else lexicon.zipf_lookup([term]).get(term, 0.0), 2)
    entry.classifiers = lexicon.classifiers(dictionary.get(term, []), numbered)   # measure words, "项 xiàng"
    fixed = {term: syllables}
    entry.examples = [Example(s, sentence_syllables(s, fixed), lexicon.to_traditional(s, variant))
                      for s in pick_examples(term, sents)]
    return entry


def _add_meaning(entry: Entry, curated: lexicon.GlossaryEntry | None,
                 dictionary: dict[str, list[lexicon.DictEntry]], syllables: list[str]) -> None:
    term = entry.simplified
    if curated and curated.english:
        entry.definitions = list(curated.english)
        entry.gloss_source = "glossary"
        entry.expansion = curated.expansion
        if curated.kind in ("slogan", "idiom", "term") and entry.kind in ("word", "term"):
            entry.kind = curated.kind
        return
    found = best_entry([e for e in dictionary.get(term, []) if not e.is_variant]) or best_entry(dictionary.get(term, []))
    if found is not None:
        entry.definitions = clean_definitions(found)
        entry.gloss_source = "cedict"
        if any("(idiom)" in d for d in found.definitions) and entry.kind == "word":
            entry.kind = "idiom"
        return
    parts = compose_gloss(term, dictionary, syllables)
    if any(p.gloss for p in parts):
        entry.parts = parts
        entry.definitions = [" + ".join(f"{p.text} “{p.gloss}”" if p.gloss else p.text for p in parts)]
        entry.gloss_source = "composed"
