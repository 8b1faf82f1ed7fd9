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
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from learn.background.model import Background, PhraseStats, recent_year
from learn.background.model import load as load_background
from learn.entry import Entry
from learn.language import lexicon
from learn.read.text import clean, sentences
from learn.terms.annotate import annotate, substrings
from learn.terms.candidates import HAN_RUN, Candidate, gather
from learn.terms.filters import _drop_fragments, _extends_term, _kind, _place_stems, _prefer_cores, _proper_names
from learn.terms.rules import NOUN_TAGS, _affixed, _conventional, _is_noise, _is_person, _is_term, _parts_of
from learn.terms.value import Evidence, value


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
