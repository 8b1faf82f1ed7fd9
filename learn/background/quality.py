"""Phrase quality: how likely a background phrase is a unit of the language, AutoPhrase-style.

Counting tells how often a phrase occurs; it does not tell 营商环境 (a unit) from 质生产力 (a
fragment of 新质生产力) or 坚持稳中求 (a clause piece). Following AutoPhrase (Shang et al., 2018),
`learn background build` scores every phrase with a classifier trained by distant supervision:

- features of the phrase in the corpus (`features`): frequency, concordance over its best split,
  how much of its sub-phrases' counts it takes, neighbour entropy and variety on each side, how
  much of it its most common one-character extension takes, when it was seen, and how often
  writers mark it (a whole quoted span, a member of a 、-series, a title in 《》);
- labels nobody typed for this purpose (`Labels`): phrases quoted in at least two documents,
  members of 、-series in at least two documents, and the glossary's terms are positives; random
  phrases of the background are (noisy) negatives;
- an ensemble of randomised trees, which tolerates the noise in both.

A model is never shown the feature its labels came from, or it would learn "quoted ⇒ unit" and
nothing else: one model learns from quote labels without the quote features, another from series
labels without the series features, and the score is their mean. Each labelled phrase is scored by
a model that did not train on it (cross-fitting), so a glossary or quoted term gets no credit for
being a label. Everything runs with fixed seeds in one process: the same counts give the same bytes.

scikit-learn and numpy are imported only here, at build time; looking phrases up never needs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from learn.background.count import CHAR_BITS, CHAR_MASK, FAR, MARK_KINDS, Level, Unigrams

if TYPE_CHECKING:
    import numpy as np

SEED = 19
#: Positives a model needs before it is trained (a small corpus has no quality score).
MIN_POSITIVES = 20
#: Documents that must mark a phrase before the mark makes it a positive.
MIN_MARKED_DOCS = 2
#: Random negatives drawn per positive.
NEGATIVES_PER_POSITIVE = 3
#: Folds of the cross-fitting.
FOLDS = 5
TREES = 30
LEAF = 8  # fewest phrases in a leaf: smooths noisy labels, keeps the trees shallow and fast

#: Feature names, in column order (`features`). Marking features carry the mark kind in their name.
FEATURES = (
    "length",
    "log_count",
    "log_df",
    "count_per_doc",
    "concordance",
    "split_take_high",
    "split_take_low",
    "sub_take_prefix",
    "sub_take_suffix",
    "sub_take_low",
    "left_entropy",
    "right_entropy",
    "low_entropy",
    "left_variety",
    "right_variety",
    "low_variety",
    "super_left",
    "super_right",
    "super_high",
    "first_year",
    "last_year",
    "span_years",
    "quoted_share",
    "quoted_docs",
    "series_share",
    "series_docs",
    "titled_share",
    "titled_docs",
)


# --- features ------------------------------------------------------------------------------------


def features(levels: list[Level], unigrams: Unigrams, characters: int) -> np.ndarray:
    """One row of FEATURES per phrase, levels in order (length 2 first), as float32 (what the
    trees compute in; 500k phrases take 56 MB)."""
    import numpy as np

    table = np.zeros((sum(len(lv.counts.keys) for lv in levels), len(FEATURES)), dtype=np.float32)
    start = 0
    for level, (pre_counts, suf_counts) in zip(levels, _split_counts(levels, unigrams), strict=True):
        end = start + len(level.counts.keys)
        for j, column in enumerate(_level_features(level, pre_counts, suf_counts, characters)):
            table[start:end, j] = column
        start = end
    return table


def _split_counts(levels: list[Level], unigrams: Unigrams) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """For each level, the counts of each phrase's prefixes and suffixes of every length 1..n-1:
    (prefix counts, suffix counts), each of shape (n-1, phrases), row k-1 holding length k.

    Ids come from the counting step's keys: a phrase's key is (id of its prefix, last character);
    its suffix's id is found by the same rule one level down (every sub-phrase of a phrase that
    reached min_df documents reached them too, so it is always there).
    """
    import numpy as np

    def char_count(chars: np.ndarray) -> np.ndarray:
        slot = np.minimum(np.searchsorted(unigrams.chars, chars), max(len(unigrams.chars) - 1, 0))
        hit = unigrams.chars[slot] == chars if len(unigrams.chars) else np.zeros(len(chars), bool)
        return np.where(hit, unigrams.count[slot] if len(unigrams.count) else 0, 1)

    prefix: list[np.ndarray] = []  # per level: index of the prefix one level down (level 0: a char)
    suffix: list[np.ndarray] = []
    for i, level in enumerate(levels):
        keys = level.counts.keys
        pre, last = keys >> CHAR_BITS, keys & CHAR_MASK
        if i == 0:
            suf = last
        else:
            wanted = (suffix[i - 1][pre] << CHAR_BITS) | last
            below = levels[i - 1].counts.keys
            suf = np.minimum(np.searchsorted(below, wanted), len(below) - 1)
            assert np.array_equal(below[suf], wanted), "a sub-phrase of a frequent phrase is missing"
        prefix.append(pre)
        suffix.append(suf)
        n = i + 2
        pre_counts, suf_counts = np.zeros((n - 1, len(keys))), np.zeros((n - 1, len(keys)))
        p, s = pre, suf
        for k in range(n - 1, 0, -1):  # length k: walk one level down each time
            lvl = k - 2
            pre_counts[k - 1] = levels[lvl].counts.count[p] if lvl >= 0 else char_count(p)
            suf_counts[k - 1] = levels[lvl].counts.count[s] if lvl >= 0 else char_count(s)
            if lvl >= 0:
                p, s = prefix[lvl][p], suffix[lvl][s]
        yield pre_counts, suf_counts


def _year(dates: np.ndarray) -> np.ndarray:
    """YYYYMM as a fractional year (month 00: mid-year); undated (0 or FAR) as 0."""
    import numpy as np

    year, month = dates // 100, dates % 100
    value = year + np.where(month > 0, (month - 0.5) / 12, 0.5)
    return np.where((dates > 0) & (dates < FAR), value, 0.0)


def _level_features(level: Level, pre_counts: np.ndarray, suf_counts: np.ndarray, characters: int) -> list[np.ndarray]:
    """The FEATURES columns of one level's phrases, given their prefixes' and suffixes' counts."""
    import numpy as np

    n = level.n
    count = level.counts.count.astype(np.float64)
    df = level.counts.df.astype(np.float64)
    log_count = np.log(count)
    # concordance: how much more often the phrase occurs than its likeliest split would by chance
    # (PMI over the best split); and how much of each part of that split the phrase takes
    split = np.log(pre_counts) + np.log(suf_counts[::-1])  # row k-1: prefix of k + suffix of n-k
    best = np.argmax(split, axis=0)
    columns = np.arange(len(count))
    take_a = log_count - np.log(pre_counts[best, columns])
    take_b = log_count - np.log(suf_counts[::-1][best, columns])
    sub_prefix = count / pre_counts[n - 2]
    sub_suffix = count / suf_counts[n - 2]
    (lv, le, lt), (rv, re_, rt) = level.left, level.right
    first, last = _year(level.counts.first), _year(level.counts.last)
    marked = [m.astype(np.float64) for m in level.marks]
    named = {
        "length": np.full(len(count), float(n)),
        "log_count": log_count,
        "log_df": np.log(df),
        "count_per_doc": np.log(count / df),
        "concordance": log_count + np.log(max(characters, 1)) - split[best, columns],
        "split_take_high": np.maximum(take_a, take_b),
        "split_take_low": np.minimum(take_a, take_b),
        "sub_take_prefix": sub_prefix,
        "sub_take_suffix": sub_suffix,
        "sub_take_low": np.minimum(sub_prefix, sub_suffix),
        "left_entropy": le,
        "right_entropy": re_,
        "low_entropy": np.minimum(le, re_),
        "left_variety": np.log(lv),
        "right_variety": np.log(rv),
        "low_variety": np.log(np.minimum(lv, rv)),
        "super_left": lt,
        "super_right": rt,
        "super_high": np.maximum(lt, rt),
        "first_year": first,
        "last_year": last,
        "span_years": np.where(first > 0, last - first, 0.0),
    }
    for kind, docs in zip(MARK_KINDS, marked, strict=True):
        named[f"{kind}_share"] = docs / df
        named[f"{kind}_docs"] = np.log1p(docs)
    return [named[name] for name in FEATURES]


# --- labels --------------------------------------------------------------------------------------


@dataclass
class Labels:
    """Distant labels of the phrases (rows of `features`), by source."""

    quoted: np.ndarray  # bool: quoted as a whole span in ≥ MIN_MARKED_DOCS documents
    series: np.ndarray  # bool: a whole 、-series member in ≥ MIN_MARKED_DOCS documents
    glossary: np.ndarray  # bool: a term of the shipped glossary


def labels(levels: list[Level], texts: Sequence[str], glossary: Iterable[str]) -> Labels:
    """The distant labels: what the corpus's writers mark, and the curated glossary. Nothing else
    (in particular no evaluation text or its gold list) is read."""
    import numpy as np

    def marked(kind: str) -> np.ndarray:
        k = MARK_KINDS.index(kind)
        if not levels:
            return np.zeros(0, bool)
        return np.concatenate([lv.marks[k] for lv in levels]) >= MIN_MARKED_DOCS

    terms = set(glossary)
    return Labels(marked("quoted"), marked("series"), np.array([t in terms for t in texts], dtype=bool))


def glossary_terms(path: Path | None = None) -> list[str]:
    """Simplified headwords of the shipped glossary (learn/data/glossary.tsv); none if it is absent."""
    path = path or Path(__file__).resolve().parents[1] / "data" / "glossary.tsv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [line.split("\t", 1)[0].strip() for line in lines[1:] if line.strip() and not line.startswith("#")]


# --- the models ------------------------------------------------------------------------------------


@dataclass
class Model:
    """One model: which labels it learns from and which marking features it must not see."""

    name: str
    positives: np.ndarray  # bool per phrase
    hidden: tuple[str, ...]  # features left out (the ones its labels were derived from)


def models(found: Labels) -> list[Model]:
    """Two models on disjoint label sources (the glossary, which no feature derives from, joins both)."""
    quote_only = tuple(f for f in FEATURES if f.startswith("quoted_"))
    series_only = tuple(f for f in FEATURES if f.startswith("series_"))
    return [
        Model("quotes", found.quoted | found.glossary, quote_only),
        Model("series", found.series | found.glossary, series_only),
    ]


def score(table: np.ndarray, found: Labels, *, trees: int = TREES) -> tuple[np.ndarray | None, str]:
    """Quality of every phrase (0..1, the mean of the models that had enough labels), or None, and
    a line saying how it was made."""
    import numpy as np

    made, notes = [], []
    for model in models(found):
        positives = int(model.positives.sum())
        if positives < MIN_POSITIVES:
            notes.append(f"{model.name}: {positives} positives, too few (need {MIN_POSITIVES})")
            continue
        columns = [i for i, f in enumerate(FEATURES) if f not in model.hidden]
        made.append(_cross_fitted(table, columns, model.positives, trees))
        notes.append(
            f"{model.name}: {positives} positives (glossary {int(found.glossary.sum())}), without {model.name} features"
        )
    if not made:
        return None, "no quality score: " + "; ".join(notes)
    quality = np.mean(made, axis=0)
    from sklearn import __version__ as sklearn_version

    how = (
        f"mean of {len(made)} ExtraTrees models (scikit-learn {sklearn_version}, seed {SEED}, {trees} trees, "
        f"{NEGATIVES_PER_POSITIVE} random negatives per positive, {FOLDS}-fold cross-fitted): " + "; ".join(notes)
    )
    return quality, how


def score_apart(
    levels: list[Level], unigrams: Unigrams, characters: int, found: Labels
) -> tuple[np.ndarray | None, str, int, float]:
    """The features, then `score` on them in a child process; with the child's peak memory (KiB)
    and CPU seconds.

    Importing scikit-learn brings pandas and scipy (about 175 MB resident) and the trees need the
    features (56 MB for the shipped corpus): apart, neither adds to the builder's own peak, which
    holds every phrase's counts. The features go through a file, so neither side holds a pickled copy.
    """
    import multiprocessing
    import os
    import tempfile
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    import numpy as np

    from learn.background.count import _measured, _worker_start
    from learn.errors import LearnError

    if not any(int(model.positives.sum()) >= MIN_POSITIVES for model in models(found)):
        return (*score(np.zeros((0, len(FEATURES))), found), 0, 0.0)  # nothing to train: no child
    context = multiprocessing.get_context("forkserver")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="learn-quality-") as folder,
            ProcessPoolExecutor(1, mp_context=context, initializer=_worker_start) as pool,
        ):
            path = os.path.join(folder, "features.npy")
            np.save(path, features(levels, unigrams, characters))
            (quality, how), _, peak, cpu = pool.submit(_measured, _score_saved, path, found).result()
    except BrokenProcessPool:
        raise LearnError("the process scoring phrase quality died (out of memory?)") from None
    return quality, how, peak, cpu


def _score_saved(path: str, found: Labels) -> tuple[np.ndarray | None, str]:
    import numpy as np

    return score(np.load(path), found)


def _cross_fitted(table: np.ndarray, columns: list[int], positive: np.ndarray, trees: int) -> np.ndarray:
    """P(unit) for every row from the features in `columns`: a model trained on all labels scores
    the unlabelled rows; each labelled row is scored by the model of the folds it was left out of."""
    import numpy as np

    def x(at: np.ndarray | slice) -> np.ndarray:
        return table[at][:, columns]

    def predict(forest: Any, at: np.ndarray) -> np.ndarray:
        return forest.predict_proba(x(at))[:, 1]

    rng = np.random.default_rng(SEED)
    pos = np.flatnonzero(positive)
    pool = np.flatnonzero(~positive)
    neg = np.sort(rng.choice(pool, size=min(len(pool), NEGATIVES_PER_POSITIVE * len(pos)), replace=False))
    rows = np.concatenate([pos, neg])
    y = np.concatenate([np.ones(len(pos), bool), np.zeros(len(neg), bool)])
    fold = rng.integers(0, FOLDS, size=len(rows))
    everyone = _forest(x(rows), y, trees)
    # in slices: a copy of all rows' features per model would add 50 MB for nothing
    out = np.concatenate(
        [predict(everyone, np.arange(i, min(i + 50_000, len(table)))) for i in range(0, len(table), 50_000)]
    )
    for f in range(FOLDS):
        held = fold == f
        if held.any() and len(set(y[~held].tolist())) == 2:
            out[rows[held]] = predict(_forest(x(rows[~held]), y[~held], trees), rows[held])
    return out


def _forest(x: np.ndarray, y: np.ndarray, trees: int) -> Any:
    from sklearn.ensemble import ExtraTreesClassifier

    forest = ExtraTreesClassifier(
        n_estimators=trees,
        min_samples_leaf=LEAF,
        max_features="sqrt",
        class_weight="balanced",
        random_state=SEED,
        n_jobs=1,
    )
    return forest.fit(x, y)
