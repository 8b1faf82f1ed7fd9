"""Features: what is known about each candidate of a text, as one row of numbers for the model.

Four kinds of evidence, all measured, none decisive alone:

* in the text — how often and where it occurs, whether the writer marks it (quotes, 、-series,
  frames), how tightly its parts hold together, how varied its neighbours are;
* in the phrase background — keyness, how free its edges are there, whether the background uses
  the rest of the phrase mostly with this edge character, when it was first seen;
* in dictionaries — CC-CEDICT (word, idiom, proper name), HSK level, wordfreq, jieba's dictionary;
* its shape — characters, tokens, part of speech of its first and last word, affix characters.

The verdict of each hand rule (learn.terms.rules) is a feature too: the model learns how far to
trust it. Names in FEATURES are the columns the shipped model was trained on; a new feature is
one entry in FEATURES and one value in `_row`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import add

from learn.background.model import Background, PhraseStats, recent_year
from learn.language import lexicon
from learn.terms.candidates import Candidate, gather, surnames
from learn.terms.filters import IDIOM_TAG, _drop_fragments, _kind, _place_stems, _prefer_cores, _proper_names
from learn.terms.rules import (
    AFFIX_PREFIXES,
    AFFIX_SUFFIXES,
    PLACE_SUFFIXES,
    PRODUCTIVE_SUFFIXES,
    TERM_PREFIXES,
    _affixed,
    _after_surname,
    _bound,
    _cohesion,
    _collocation,
    _compressed,
    _conventional,
    _exempt,
    _free,
    _function_words,
    _governed,
    _is_noise,
    _is_person,
    _is_term,
    _parts,
    _set_phrase,
    _term_shape,
    _unknown_place,
    clause_piece,
    clause_veto,
)

# jieba part-of-speech tags in a few groups (the model sees one flag per group)
POS_GROUPS = {
    "noun": {"n", "nz", "nt", "j", "vn", "an", "ng", "nrfg"},
    "verb": {"v", "vd", "vg", "vi", "vq"},
    "adj": {"a", "ad", "ag", "b", "z"},
    "adverb": {"d", "dg"},
    "set": {"i", "l", IDIOM_TAG},
    "name": {"nr", "ns", "nrt", "s"},
    "number": {"m", "mq", "q"},
    "function": {"p", "c", "u", "r", "f", "uj", "ul", "ud", "uv", "uz", "ug", "y", "e", "o", "zg", "x", "t", "tg"},
}
_GROUP_OF = {tag: group for group, tags in POS_GROUPS.items() for tag in tags}
KINDS = ("word", "term", "idiom", "slogan", "name")


def _pos_names(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}_{g}" for g in (*POS_GROUPS, "unknown"))


_POS_NAMES = {prefix: _pos_names(prefix) for prefix in ("whole", "first", "last")}


FEATURES: tuple[str, ...] = (
    # in the text
    "count",
    "log_count",
    "text_sentences",
    "spread",
    "first_position",
    "aligned_share",
    "quoted",
    "listed",
    "framed",
    "in_title",
    "person_context",
    "left_variety",
    "right_variety",
    "left_top_share",
    "right_top_share",
    "left_boundary",
    "right_boundary",
    "cohesion",
    "container_share",
    "containers",
    "contained",
    "part_share",
    # in the background
    "in_background",
    "bg_log_df",
    "bg_log_count",
    "keyness",
    "bg_left_top",
    "bg_right_top",
    "bg_left_entropy",
    "bg_right_entropy",
    "bg_left_variety",
    "bg_right_variety",
    "front_share",
    "back_share",
    "split_share",
    "first_seen_age",
    "recent",
    "last_seen_age",
    "bg_quality",
    "bg_quoted",
    "bg_series",
    "bg_titled",
    # in dictionaries
    "cedict",
    "cedict_name",
    "cedict_idiom",
    "hsk",
    "zipf",
    "zipf_listed",
    "zipf_min_token",
    "zipf_max_token",
    "jieba_word",
    "jieba_log_freq",
    # shape
    "chars",
    "tokens",
    "single_tokens",
    "first_token_chars",
    "last_token_chars",
    *_pos_names("whole"),
    *_pos_names("first"),
    *_pos_names("last"),
    "term_prefix",
    "affix_prefix",
    "productive_suffix",
    "affix_suffix",
    "place_suffix",
    "surname_shape",
    "inner_function_word",
    # verdicts of the hand rules
    "rule_term",
    "rule_kept",
    "rule_bound",
    "rule_conventional",
    "rule_collocation",
    "rule_term_shape",
    "rule_set_phrase",
    "rule_governed",
    "rule_compressed",
    "rule_free_left",
    "rule_free_right",
    "rule_person",
    "rule_place",
    "rule_after_surname",
    "rule_affixed",
    "rule_clause",
    "rule_clause_veto",
    *(f"kind_{k}" for k in KINDS),
)


@dataclass
class Table:
    """Every plausible candidate of a text with its feature row (columns: FEATURES)."""

    sentences: list[str]
    candidates: list[Candidate]
    rows: list[list[float]]
    kinds: list[str]
    zipfs: list[float]
    tags: dict[str, str] = field(default_factory=dict)
    stats: dict[str, PhraseStats] = field(default_factory=dict)


def table(text: str, bg: Background | None) -> Table:
    """Candidates of `text` (simplified script) and their features, in a fixed order."""
    stats: dict[str, PhraseStats] = {}
    sents, cands = gather(text, known=_one_offs(bg, stats))
    plausible = sorted((c for c in cands.values() if not _is_noise(c)), key=lambda c: c.text)
    if bg:
        stats |= bg.lookup(c.text for c in cands.values() if len(c.text) >= 2 and c.text not in stats)
        stats |= bg.lookup({p for c in plausible if c.text in stats for p in _edges_and_splits(c)} - set(stats))
    tags = lexicon.pos_tags(
        {t for c in plausible for t in (c.tokens[0], c.tokens[-1], *c.left, *c.right)}
        | {c.text for c in plausible if len(c.tokens) == 1}
    )
    zipfs = lexicon.zipf_lookup({c.text for c in plausible} | {t for c in plausible for t in c.tokens})
    lexicon.cedict_lookup(
        {c.tokens[-1] for c in plausible}
    )  # the rules ask about last words one by one: fetch them at once
    verdicts = _verdicts(plausible, cands, tags, stats, zipfs)
    names = _proper_names({c.text for c in plausible} | {c.tokens[0] for c in plausible})
    names |= _place_stems(sents, plausible)
    idioms = _idioms(plausible)
    tags = tags | {w: IDIOM_TAG for w in idioms}
    joined = "\n".join(sents)
    context = _Context(joined, sents, cands, tags, stats, zipfs, bg, idioms, *_containers(plausible, cands))
    rows, kinds, zs = [], [], []
    if plausible:
        first = plausible[0]
        kind = _kind(first, names, tags, zipfs)
        groups = _groups(first, context, verdicts.get(first.text, {}), kind, estimated_zipf(first, zipfs))
        if tuple(name for group in groups for name in group) != FEATURES:
            raise AssertionError("feature groups out of step with FEATURES")  # a column added in one place only
    for cand in plausible:
        kind = _kind(cand, names, tags, zipfs)
        zipf = estimated_zipf(cand, zipfs)
        rows.append(_row(cand, context, verdicts.get(cand.text, {}), kind, zipf))
        kinds.append(kind)
        zs.append(zipf)
    return Table(sents, plausible, rows, kinds, zs, tags, stats)


ONE_OFFS = False  # one-off runs shaped like a term become candidates (the model judges them)
_NOT_EDGE = frozenset({"p", "c", "u", "r", "d", "m", "q", "uj", "ul", "ud", "y", "f"})  # cannot open or close a term


def _one_offs(bg: Background | None, found: dict[str, PhraseStats]) -> Callable[[dict[str, tuple[str, ...]]], set[str]]:
    """One-off token runs to judge after all: those the background holds as conventional phrases
    (their figures go into `found`, so they are not looked up twice), and those shaped like a term:
    no function word, no pronoun, adverb or number at an edge and no verb at the end
    (容错纠错机制, 一箭多星 once in a text are still terms a teacher picks)."""

    def known(spans: dict[str, tuple[str, ...]]) -> set[str]:
        vouched: dict[str, PhraseStats] = {}
        if bg is not None:
            vouched = {t: st for t, st in bg.lookup(spans).items() if _conventional(st)}
            found.update(vouched)
        if not ONE_OFFS:
            return set(vouched)
        fw = _function_words()
        tags = lexicon.pos_tags({t for tokens in spans.values() for t in (tokens[0], tokens[-1])})
        shaped = {
            text
            for text, tokens in spans.items()
            if not any(t in fw for t in tokens)
            and tags.get(tokens[0]) not in _NOT_EDGE
            and tags.get(tokens[-1]) not in _NOT_EDGE | {"v"}
        }
        return set(vouched) | shaped

    return known


def _edges_and_splits(cand: Candidate) -> set[str]:
    """What the background is asked about a candidate it knows: the text without its first or last
    character, and both sides of each cut between its tokens."""
    tokens, text = cand.tokens, cand.text
    out = {text[1:], text[:-1]} if len(text) >= 3 else set()
    return out | {side for k in range(1, len(tokens)) for side in ("".join(tokens[:k]), "".join(tokens[k:]))}


def _idioms(cands: Iterable[Candidate]) -> set[str]:
    """Candidates CC-CEDICT marks as idioms (four characters or more)."""
    words = lexicon.headwords()
    found = lexicon.cedict_lookup({c.text for c in cands if len(c.text) >= 4 and c.text in words})
    return {w for w, senses in found.items() if any("(idiom)" in d for e in senses for d in e.definitions)}


def _containers(
    plausible: list[Candidate], cands: dict[str, Candidate]
) -> tuple[dict[str, list[Candidate]], dict[str, int]]:
    """For each plausible text, the longer plausible candidates that hold it; and for each one of
    three characters or more, how many candidates of any kind it holds (one pass over its parts)."""
    texts = {c.text for c in plausible}
    held: dict[str, list[Candidate]] = {}
    contained: dict[str, int] = {}
    for cand in plausible:
        if len(cand.text) < 3:
            continue
        parts = _parts(cand.text, 2, len(cand.text) - 1)
        contained[cand.text] = sum(1 for t in parts if t in cands)
        for part in parts:
            if part in texts:
                held.setdefault(part, []).append(cand)
    return held, contained


def _verdicts(
    plausible: list[Candidate],
    cands: dict[str, Candidate],
    tags: dict[str, str],
    stats: dict[str, PhraseStats],
    zipfs: dict[str, float],
) -> dict[str, dict[str, bool]]:
    """The hand rules' verdicts: accepted as a term (two passes, as the rules ran), and kept after
    the rules' own fragment and pairing steps."""
    terms = [c for c in plausible if _is_term(c, cands, tags, stats=stats, zipfs=zipfs)]
    heads = Counter(c.text[-2:] for c in terms if len(c.text) >= 4)
    accepted = {t.text for t in terms}
    second = [c for c in plausible if len(c.tokens) == 2 and c.text not in accepted]
    terms += [c for c in second if _is_term(c, cands, tags, heads, stats, zipfs)]
    people = [c for c in plausible if len(c.tokens) > 1 and _is_person(c)]
    kept_texts = {c.text for c in terms}
    kept = {
        c.text
        for c in _drop_fragments(_prefer_cores(terms) + [p for p in people if p.text not in kept_texts])
        if not _is_person(c)
    }
    return {c.text: {"term": True, "kept": c.text in kept} for c in terms}


@dataclass
class _Context:
    joined: str
    sents: list[str]
    cands: dict[str, Candidate]
    tags: dict[str, str]
    stats: dict[str, PhraseStats]
    zipfs: dict[str, float]
    bg: Background | None
    idioms: set[str]
    held: dict[str, list[Candidate]]
    contained: dict[str, int]
    where: _Occurrences = field(init=False)
    last_year: int = field(init=False)
    # the same for every candidate of the text: asked once, not once per row
    n_sents: int = field(init=False)
    words: frozenset[str] = field(init=False)
    name_words: frozenset[str] = field(init=False)
    hsk: dict[str, int] = field(init=False)
    jieba_freq: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.where = _Occurrences(self.joined)
        self.n_sents = max(1, len(self.sents))
        self.words, self.name_words = lexicon.headwords(), lexicon.headwords(names=True)
        self.hsk, self.jieba_freq = lexicon.hsk_levels(), lexicon._jieba().dt.FREQ
        bg = self.bg
        self.last_year = int(bg.last_date[:4]) if bg is not None and bg.last_date[:4].isdigit() else 2026


class _Occurrences:
    """Where each two-character string starts in a text: finding a candidate's occurrences looks
    at those places only, not through the whole text once per candidate."""

    def __init__(self, text: str):
        self.text = text
        self.starts: dict[str, list[int]] = {}
        for i, pair in enumerate(map(add, text, text[1:])):
            self.starts.setdefault(pair, []).append(i)

    def count_and_first(self, term: str) -> tuple[int, int]:
        """text.count(term) (occurrences that do not overlap, leftmost first) and text.find(term),
        for a term of two characters or more."""
        text, n, first, free = self.text, 0, -1, 0
        for at in self.starts.get(term[:2], ()):
            if at >= free and text.startswith(term, at):
                n += 1
                free = at + len(term)
                if first < 0:
                    first = at
        return n, first


def estimated_zipf(cand: Candidate, known: dict[str, float]) -> float:
    """wordfreq Zipf of the whole; for unlisted compounds, an estimate below its rarest part."""
    if cand.text in known:
        return known[cand.text]
    tokens = cand.tokens
    if len(tokens) == 1:
        # a dictionary word jieba cuts apart (成了, 要看) is estimated from jieba's pieces
        tokens = tuple(lexicon.cut(cand.text))
        if len(tokens) == 1:
            return 1.5
        known = {**known, **lexicon.zipf_lookup(list(tokens))}
    parts = [known.get(t, 1.5) for t in tokens]
    return max(0.0, min(parts) - 2.0 * (len(parts) - 1))


def keyness(st: PhraseStats | None, bg: Background | None, zipf: float) -> float | None:
    """Background Zipf (occurrences per 10⁹ words, ~1.5 characters a word) minus general Zipf."""
    if st is None or bg is None or not bg.characters:
        return None
    return math.log10(st.count * 1.5e9 / bg.characters) - zipf


def _share(neighbours: Counter, boundary: str) -> tuple[float, float, float]:
    """Distinct neighbours (log), the most common one's share, and the share of text edges."""
    total = sum(neighbours.values())
    if not total:
        return 0.0, 0.0, 0.0
    words = [n for w, n in neighbours.items() if w not in "^$"]
    return math.log1p(len(words)), max(words, default=0) / total, neighbours.get(boundary, 0) / total


def _pos(prefix: str, tag: str | None) -> dict[str, float]:
    return _POS_COLUMNS[prefix][_GROUP_OF.get(tag or "", "unknown")]


_POS_COLUMNS = {
    prefix: {group: {name: float(name == f"{prefix}_{group}") for name in names} for group in (*POS_GROUPS, "unknown")}
    for prefix, names in _POS_NAMES.items()
}


def _age(month: str, last_year: int) -> float:
    return float(last_year - int(month[:4])) if month[:4].isdigit() else -1.0


def _row(cand: Candidate, ctx: _Context, verdict: dict[str, bool], kind: str, zipf: float) -> list[float]:
    """The candidate's features in FEATURES order: each group's columns come in that order
    (table checks the names of its first row), so the row is their values one after another."""
    return [
        *_in_text(cand, ctx).values(),
        *_background(cand, ctx, zipf).values(),
        *_lexical(cand, ctx, zipf).values(),
        *_shape(cand, ctx).values(),
        *_rules(cand, ctx, verdict).values(),
        *_KIND_COLUMNS[kind].values(),
    ]


def _groups(cand: Candidate, ctx: _Context, verdict: dict[str, bool], kind: str, zipf: float) -> list[dict[str, float]]:
    """The feature groups of a candidate, each a dict of named columns, as _row reads them."""
    return [
        _in_text(cand, ctx),
        _background(cand, ctx, zipf),
        _lexical(cand, ctx, zipf),
        _shape(cand, ctx),
        _rules(cand, ctx, verdict),
        _KIND_COLUMNS[kind],
    ]


def _in_text(cand: Candidate, ctx: _Context) -> dict[str, float]:
    text = cand.text
    n_sents = ctx.n_sents
    raw, first = ctx.where.count_and_first(text)
    raw = max(1, raw)
    holders = ctx.held.get(text, [])
    inside = max((h.count for h in holders), default=0)
    left_variety, left_top_share, left_boundary = _share(cand.left, "^")
    right_variety, right_top_share, right_boundary = _share(cand.right, "$")
    return {
        "count": float(cand.count),
        "log_count": math.log2(1 + cand.count),
        "text_sentences": math.log2(1 + n_sents),
        "spread": min(1.0, cand.count / n_sents),
        "first_position": first / max(1, len(ctx.joined)) if first >= 0 else 1.0,
        "aligned_share": min(1.0, cand.count / raw),
        "quoted": float(cand.quoted),
        "listed": float(cand.listed),
        "framed": float(cand.framed),
        "in_title": float(cand.in_title),
        "person_context": float(cand.person_context),
        "left_variety": left_variety,
        "right_variety": right_variety,
        "left_top_share": left_top_share,
        "right_top_share": right_top_share,
        "left_boundary": left_boundary,
        "right_boundary": right_boundary,
        "cohesion": _cohesion(cand, ctx.cands),
        "container_share": min(1.0, inside / max(1, cand.count)),
        "containers": float(len(holders)),
        "contained": float(ctx.contained.get(text, 0)),  # (counted by _containers)
        "part_share": _part_share(cand, ctx.cands),
    }


_KIND_COLUMNS = {kind: {f"kind_{k}": float(kind == k) for k in KINDS} for kind in KINDS}


def _part_share(cand: Candidate, cands: dict[str, Candidate]) -> float:
    """The most frequent token of the candidate, in occurrences per occurrence of the whole (log)."""
    if len(cand.tokens) == 1:
        return 0.0
    most = max((cands[t].count for t in cand.tokens if t in cands), default=cand.count)
    return math.log2(max(1, most) / max(1, cand.count))


def _background(cand: Candidate, ctx: _Context, zipf: float) -> dict[str, float]:
    st = ctx.stats.get(cand.text)
    if st is None or ctx.bg is None:
        return _NOT_IN_BACKGROUND
    text, stats, last_year = cand.text, ctx.stats, ctx.last_year

    def ratio(part: str) -> float:
        other = stats.get(part)
        return min(1.0, st.count / other.count) if other and other.count else -1.0

    splits = [
        ratio(side)
        for k in range(1, len(cand.tokens))
        for side in ("".join(cand.tokens[:k]), "".join(cand.tokens[k:]))
        if len(side) >= 2
    ]
    return {
        "in_background": 1.0,
        "bg_log_df": math.log2(st.df),
        "bg_log_count": math.log2(st.count),
        "keyness": keyness(st, ctx.bg, zipf) or 0.0,
        "bg_left_top": st.left_top_share,
        "bg_right_top": st.right_top_share,
        "bg_left_entropy": st.left_entropy,
        "bg_right_entropy": st.right_entropy,
        "bg_left_variety": math.log1p(st.left_variety),
        "bg_right_variety": math.log1p(st.right_variety),
        "front_share": ratio(text[1:]) if len(text) >= 3 else -1.0,
        "back_share": ratio(text[:-1]) if len(text) >= 3 else -1.0,
        "split_share": max(splits, default=-1.0),
        "first_seen_age": _age(st.first_seen, last_year),
        "recent": float(bool(recent_year(st.first_seen))),
        "last_seen_age": _age(st.last_seen, last_year),
        # how likely the background's own model finds it a unit of the language, and how often its
        # writers quote it, list it in a 、-series or name it in 《》 (learn.background.quality)
        "bg_quality": st.quality if st.quality is not None else -1.0,
        "bg_quoted": math.log1p(st.quoted),
        "bg_series": math.log1p(st.series),
        "bg_titled": math.log1p(st.titled),
    }


_NOT_IN_BACKGROUND: dict[str, float] = {
    "in_background": 0.0,
    "bg_log_df": 0.0,
    "bg_log_count": 0.0,
    "keyness": -5.0,
    "bg_left_top": -1.0,
    "bg_right_top": -1.0,
    "bg_left_entropy": -1.0,
    "bg_right_entropy": -1.0,
    "bg_left_variety": -1.0,
    "bg_right_variety": -1.0,
    "front_share": -1.0,
    "back_share": -1.0,
    "split_share": -1.0,
    "first_seen_age": -1.0,
    "recent": 0.0,
    "last_seen_age": -1.0,
    "bg_quality": -1.0,
    "bg_quoted": 0.0,
    "bg_series": 0.0,
    "bg_titled": 0.0,
}


def _lexical(cand: Candidate, ctx: _Context, zipf: float) -> dict[str, float]:
    zipfs = ctx.zipfs
    token_zipfs = [zipfs.get(t, 0.0) for t in cand.tokens]
    jieba_freq = ctx.jieba_freq.get(cand.text, 0)
    return {
        "cedict": float(cand.text in ctx.words),
        "cedict_name": float(cand.text in ctx.name_words),
        "cedict_idiom": float(cand.text in ctx.idioms),
        "hsk": float(ctx.hsk.get(cand.text, 0)),
        "zipf": zipf,
        "zipf_listed": float(cand.text in ctx.zipfs),
        "zipf_min_token": min(token_zipfs),
        "zipf_max_token": max(token_zipfs),
        "jieba_word": float(len(cand.text) >= 2 and jieba_freq > 0),  # _jieba_word, or a two-character word
        "jieba_log_freq": math.log1p(jieba_freq),
    }


def _shape(cand: Candidate, ctx: _Context) -> dict[str, float]:
    text, tokens = cand.text, cand.tokens
    single, double = surnames()
    fw = _function_words()
    f = {
        "chars": float(len(text)),
        "tokens": float(len(tokens)),
        "single_tokens": float(sum(len(t) == 1 for t in tokens)),
        "first_token_chars": float(len(tokens[0])),
        "last_token_chars": float(len(tokens[-1])),
        **_pos("whole", ctx.tags.get(text) if len(tokens) == 1 else None),
        **_pos("first", ctx.tags.get(tokens[0])),
        **_pos("last", ctx.tags.get(tokens[-1])),
        "term_prefix": float(text[0] in TERM_PREFIXES),
        "affix_prefix": float(text[0] in AFFIX_PREFIXES),
        "productive_suffix": float(text[-1] in PRODUCTIVE_SUFFIXES),
        "affix_suffix": float(text[-1] in AFFIX_SUFFIXES),
        "place_suffix": float(text[-1] in PLACE_SUFFIXES),
        "surname_shape": float(2 <= len(text) <= 4 and ((text[0] in single and len(text) <= 3) or text[:2] in double)),
        "inner_function_word": float(any(t in fw for t in tokens[1:-1])),
    }
    return f


def _rules(cand: Candidate, ctx: _Context, verdict: dict[str, bool]) -> dict[str, float]:
    st = ctx.stats.get(cand.text)
    multi = len(cand.tokens) > 1
    compressed = _compressed(cand)
    exempt = _exempt(cand)
    return {
        "rule_term": float(verdict.get("term", False)),
        "rule_kept": float(verdict.get("kept", False)),
        "rule_bound": float(_bound(st)),
        "rule_conventional": float(_conventional(st)),
        "rule_collocation": float(
            multi and bool(ctx.stats) and _collocation(cand, ctx.cands, ctx.stats, ctx.tags, ctx.zipfs)
        ),
        "rule_term_shape": float(multi and _term_shape(cand, ctx.tags, ctx.stats)),
        "rule_set_phrase": float(multi and _set_phrase(cand, ctx.stats)),
        "rule_governed": float(_governed(cand)),
        "rule_compressed": float(compressed),
        "rule_free_left": float(_free(cand.left, ctx.tags, compressed)),
        "rule_free_right": float(_free(cand.right, ctx.tags, compressed)),
        "rule_person": float(_is_person(cand)),
        "rule_place": float(_unknown_place(cand.text)),
        "rule_after_surname": float(_after_surname(cand)),
        "rule_affixed": float(_affixed(cand)),
        "rule_clause": float(clause_piece(cand, ctx.tags, ctx.stats, exempt)),
        "rule_clause_veto": float(clause_veto(cand, ctx.tags, exempt)),
    }
