"""Extraction: the vocabulary worth learning in a text, new coinages included, ranked.

The pipeline, one step per module:

1. candidates (learn.terms.candidates) — jieba splits coinages it does not know (新质/生产力,
   先立/后/破), so every short run of adjacent tokens is a candidate, counted with its neighbours,
   quotes, 、-series and frames. Numbers, single characters and runs that open or close on a
   function word are never candidates (learn.terms.rules.is_noise).
2. features (learn.terms.features) — what the text, the phrase background, the dictionaries and
   the candidate's shape say about it, and the verdict of every hand rule, as one row of numbers.
3. one model (learn.terms.model) — how likely a teacher teaches this candidate from this text:
   trees trained on the gold texts by benchmarks/eval/train_model.py.
4. set-level filters (learn.terms.filters.select) — down the model's ranking, a candidate goes
   when it is a fragment of a term already kept, or a person's name.

Then each kept term is labelled (word, term, idiom, slogan, name) and annotated.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

from learn.background.model import Background
from learn.background.model import load as load_background
from learn.entry import Entry
from learn.language import lexicon
from learn.read.text import clean, sentences
from learn.terms import model as term_model
from learn.terms.annotate import annotate, substrings
from learn.terms.candidates import HAN_RUN, Candidate
from learn.terms.features import FEATURES, Table, table
from learn.terms.filters import select

BackgroundChoice = Background | str | Path | bool | None


def rank(
    text: str,
    *,
    glossary: bool = True,
    background: BackgroundChoice = True,
    model: term_model.TreeModel | None = None,
    top_model: term_model.TreeModel | None = None,
) -> tuple[list[str], list[tuple[Candidate, str, float, float]]]:
    """Sentences of the text and its terms as (candidate, kind, zipf, score), best first; the
    score is the model's probability that a teacher would teach the term.

    `background`: True for the shipped phrase background, a path or a Background for another,
    False or None to judge the text on its own. `model`: another trained model than the shipped one.
    `top_model`: another model than the shipped one for the order of the first HEAD terms (see `_reorder_head`).
    `glossary` only changes the kind of a curated term, never what is found or its rank.
    Scores fall down the list: a term the second model moves up takes the probability of its place.
    """
    bg = choose_background(background)
    tab = table(text, bg)
    chosen = model or term_model.load()
    if chosen.features != FEATURES:
        raise ValueError("the term model was trained on other features; retrain it (benchmarks/eval/train_model.py)")
    scores = chosen.predict(tab.rows)
    curated = lexicon.glossary() if glossary else {}
    people = [bool(row[PERSON]) for row in tab.rows]
    vetoed = [bool(row[CLAUSE]) for row in tab.rows] if VETO_CLAUSES else [False] * len(tab.rows)
    out = []
    text_lines = "\n".join(tab.sentences)
    kept = select(tab.candidates, scores, people, vetoed, text_lines, tab.tags, tab.stats, tab.kinds)
    order = _reorder_head(kept, tab, scores, top_model or term_model.load(str(TOP_MODEL_PATH)))
    # a term the head re-ordering moves takes the probability of its new place, so scores still
    # fall down the list (corpus mode and merged handouts sort by them)
    for i, place in zip(order, kept, strict=True):
        cand, kind = tab.candidates[i], tab.kinds[i]
        if cand.text in curated and kind != "name":
            kind = {"slogan": "slogan", "idiom": "idiom"}.get(curated[cand.text].kind, "term")
        out.append((cand, kind, tab.zipfs[i], round(scores[place], 4)))
    return tab.sentences, out


TOP_MODEL_PATH = term_model.MODEL_PATH.with_name("term_model_top.json")
HEAD = 40  # how many of the kept terms the second model re-orders


def _reorder_head(kept: list[int], tab: Table, scores: list[float], top: term_model.TreeModel) -> list[int]:
    """The kept terms with the first HEAD put in a second order, for the top of the list.

    The main model answers "would a teacher teach it at all" (tier A or B); a second model, trained
    on tier A alone, answers "is it one of this text's core terms". Alone it ranks worse below the
    top, so it only re-orders the head: by the sum of both models' log-odds. The set of kept terms,
    and hence everything the set-level filters decided, stays the same."""
    head = [i for i in kept if tab.kinds[i] != "name"][:HEAD]
    if len(head) < 2:
        return kept
    if top.features != FEATURES:
        raise ValueError("the top model was trained on other features; retrain it (benchmarks/eval/train_model.py)")
    core = top.predict([tab.rows[i] for i in head])
    odds = {i: _logit(scores[i]) + _logit(p) for i, p in zip(head, core, strict=True)}
    ordered = iter(sorted(head, key=lambda i: (-odds[i], tab.candidates[i].text)))
    chosen = set(head)
    return [next(ordered) if i in chosen else i for i in kept]


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))


PERSON = FEATURES.index("rule_person")
CLAUSE = FEATURES.index("rule_clause_veto")
VETO_CLAUSES = True  # certain clause pieces (learn.terms.rules.clause_veto) are never returned


def choose_background(choice: BackgroundChoice) -> Background | None:
    """The background a caller asked for (see `rank`)."""
    if choice is True:
        return load_background()
    if choice is None or choice is False:
        return None
    return choice if isinstance(choice, Background) else load_background(choice)


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
    model: term_model.TreeModel | None = None,
) -> list[Entry]:
    """Ranked, annotated vocabulary of `text`; best first, at most `top` entries.

    `known` words (simplified or traditional) and words at HSK level ≤ `max_hsk` are left out.
    Person names never appear; place and organisation names only with include_names=True.
    `background`: the phrase background that judges what one text cannot (see `rank`).
    """
    text = clean(text or "")
    traditional_input = _is_traditional(text)
    # always analysed in simplified script: jieba's dictionary is simplified, and a text with a few
    # traditional characters cut as they stand loses characters of its names (政院 of 行政院)
    work = lexicon.to_simplified(text)
    if not HAN_RUN.search(work):
        return []
    bg = choose_background(background)
    sents, scored = rank(work, glossary=glossary, background=bg, model=model)
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
