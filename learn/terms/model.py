"""The candidate model: how likely a teacher teaches this candidate from this text.

A gradient-boosted tree ensemble over the features of learn.terms.features, trained on the gold
texts of benchmarks/eval (and the seed article) by benchmarks/eval/train_model.py with LightGBM.
The shipped file, learn/data/term_model.json, holds only the trees as plain arrays, so extraction
needs neither LightGBM nor scikit-learn: numpy walks every tree for every candidate at once. The
file is read on first use, never on import.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from learn.errors import LearnError

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "term_model.json"
FORMAT = "learn-term-model/1"


@dataclass(frozen=True)
class TreeModel:
    """Trees as flat node arrays: node i tests `row[feature[i]] <= threshold[i]` and goes to
    left[i] or right[i]; a leaf points to itself and carries `value`. The score of a row is the
    sum of its leaves' values plus `base`, a log-odds; `predict` turns it into a probability."""

    features: tuple[str, ...]
    base: float
    roots: tuple[int, ...]
    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]
    depth: int

    def predict(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """Probability that each row (columns: `features`) is a term a teacher would teach."""
        if not rows:
            return []
        import numpy as np

        x = np.asarray(rows, dtype=np.float64)
        raw = np.empty(len(x))
        for start in range(0, len(x), _CHUNK):
            raw[start : start + _CHUNK] = _leaf_sums(self, x[start : start + _CHUNK])
        return [float(p) for p in 1.0 / (1.0 + np.exp(-(self.base + raw)))]

    def to_json(self) -> str:
        """The file form: one line per array, numbers as Python writes them (round-trip exact)."""
        body = {
            "format": FORMAT,
            "features": list(self.features),
            "base": self.base,
            "depth": self.depth,
            "roots": list(self.roots),
            "feature": list(self.feature),
            "threshold": list(self.threshold),
            "left": list(self.left),
            "right": list(self.right),
            "value": list(self.value),
        }
        return "{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in body.items()) + "\n}\n"


_CHUNK = 512  # rows walked at once: the working arrays stay in the CPU's cache


def _leaf_sums(model: TreeModel, x: Any) -> Any:
    """The sum of each row's leaf values over all trees, in tree order (the order LightGBM sums).

    All rows walk all trees of one depth together, one level per step: a tree of depth 6 takes
    6 steps, not as many as the deepest tree. A leaf points to itself, so a row that reaches one
    early stays there."""
    import numpy as np

    feature, threshold, children, value, groups = _arrays(model)
    flat = x.ravel()
    offset = (np.arange(len(x)) * x.shape[1])[:, None]  # where each row starts in `flat`
    leaves = np.empty((len(x), len(model.roots)), dtype=np.intp)
    for depth, trees, roots in groups:
        node = np.tile(roots, (len(x), 1))  # one column per tree
        for _ in range(depth):
            node = children[2 * node + (flat[offset + feature[node]] <= threshold[node])]
        leaves[:, trees] = node
    return value[leaves].sum(axis=1)


@lru_cache(maxsize=2)
def _arrays(model: TreeModel) -> tuple[Any, Any, Any, Any, list[tuple[int, Any, Any]]]:
    """The node arrays as numpy arrays, made once per model: children[2 * i] is where node i
    goes when its test fails, children[2 * i + 1] when it holds; the trees grouped by depth."""
    import numpy as np

    left, right = np.asarray(model.left, dtype=np.intp), np.asarray(model.right, dtype=np.intp)
    depths = np.asarray([_depth(model, root) for root in model.roots])
    roots = np.asarray(model.roots, dtype=np.intp)
    groups = [(int(d), np.flatnonzero(depths == d), roots[depths == d]) for d in np.unique(depths)]
    return (
        np.asarray(model.feature, dtype=np.intp),
        np.asarray(model.threshold),
        np.stack([right, left], axis=1).ravel(),
        np.asarray(model.value),
        groups,
    )


def _depth(model: TreeModel, root: int) -> int:
    """Steps from `root` to its deepest leaf."""
    deepest, level = 0, [root]
    while True:
        level = [c for i in level if model.left[i] != i for c in (model.left[i], model.right[i])]
        if not level:
            return deepest
        deepest += 1


def from_json(text: str) -> TreeModel:
    """A model from its file form (see TreeModel.to_json)."""
    data: dict[str, Any] = json.loads(text)
    if data.get("format") != FORMAT:
        raise LearnError(f"term model of format {data.get('format')!r}; this version reads {FORMAT}")
    return TreeModel(
        features=tuple(data["features"]),
        base=float(data["base"]),
        roots=tuple(data["roots"]),
        feature=tuple(data["feature"]),
        threshold=tuple(float(t) for t in data["threshold"]),
        left=tuple(data["left"]),
        right=tuple(data["right"]),
        value=tuple(float(v) for v in data["value"]),
        depth=int(data["depth"]),
    )


def from_lightgbm(dump: dict[str, Any], features: Sequence[str]) -> TreeModel:
    """Flatten LightGBM's `Booster.dump_model()` (numerical splits only) into a TreeModel."""
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    depth = 0

    def add(node: dict[str, Any], level: int) -> int:
        nonlocal depth
        at = len(feature)
        feature.append(0)
        threshold.append(0.0)
        left.append(at)
        right.append(at)
        value.append(0.0)
        if "leaf_value" in node:
            threshold[at] = float("inf")  # always "left", to itself
            value[at] = float(node["leaf_value"])
            depth = max(depth, level)
            return at
        if node.get("decision_type") != "<=":
            raise ValueError(f"unsupported split {node.get('decision_type')!r}")
        feature[at] = int(node["split_feature"])
        threshold[at] = float(node["threshold"])
        left[at] = add(node["left_child"], level + 1)
        right[at] = add(node["right_child"], level + 1)
        return at

    for tree in dump["tree_info"]:
        roots.append(add(tree["tree_structure"], 0))
    return TreeModel(
        tuple(features),
        0.0,
        tuple(roots),
        tuple(feature),
        tuple(threshold),
        tuple(left),
        tuple(right),
        tuple(value),
        depth,
    )


@lru_cache(maxsize=2)
def load(path: str | None = None) -> TreeModel:
    """The model at `path` (None: the shipped one), read once per process."""
    where = Path(path) if path else MODEL_PATH
    try:
        return from_json(where.read_text(encoding="utf-8"))
    except OSError as err:
        raise LearnError(f"{where}: cannot read the term model ({err.strerror})") from None
