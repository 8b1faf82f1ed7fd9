"""Learning value (learn.terms.value): the score that ranks a text's terms, and the tool that refits it."""

from __future__ import annotations

import importlib.util
import math
from dataclasses import replace
from pathlib import Path

import numpy as np

from learn.terms.value import WEIGHTS, Evidence, features, value

TERM = Evidence(
    count=1,
    quoted=False,
    in_title=False,
    listed=False,
    zipf=2.0,
    hsk=None,
    kind="term",
    length=4,
    tokens=2,
    affixed=False,
    verbal=False,
    keyness=None,
    recent=False,
)


def test_value_is_positive_and_follows_the_evidence() -> None:
    assert value(TERM) > 0
    assert value(replace(TERM, count=4)) > value(TERM)  # repeated
    assert value(replace(TERM, quoted=True)) > value(TERM)  # marked by the writer
    assert value(replace(TERM, keyness=3.0)) > value(replace(TERM, keyness=0.0))  # policy language
    assert value(replace(TERM, zipf=5.5)) < value(TERM)  # everyday Chinese
    assert value(replace(TERM, hsk=1)) < value(TERM)  # a beginner's word
    assert value(replace(TERM, kind="name")) < value(TERM)
    assert value(replace(TERM, kind="term", tokens=2)) > value(replace(TERM, kind="phrase"))


def test_every_weight_names_a_feature_and_other_weights_can_be_given() -> None:
    assert set(WEIGHTS) <= set(features(TERM))
    assert math.isclose(value(TERM, {"bias": math.log(3.0)}), 3.0)


def _fit_module():  # type: ignore[no-untyped-def]
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "eval" / "fit_value.py"
    spec = importlib.util.spec_from_file_location("fit_value", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_the_pairwise_fit_learns_which_feature_marks_the_gold_terms() -> None:
    fit_value = _fit_module()
    rng = np.random.default_rng(1)
    marked = rng.integers(0, 2, 200).astype(float)  # feature 1 marks gold terms, feature 2 is noise
    x = np.column_stack([np.ones(200), marked, rng.normal(size=200)])
    y = (marked + (rng.random(200) < 0.1) > 0.5).astype(float)
    d, w = fit_value.pairs(x, y, np.ones(200))
    beta = fit_value.fit(d, np.ones(len(d)), w, 0.1, np.zeros(3))
    assert beta[1] > 1.0 and abs(beta[2]) < 0.5
