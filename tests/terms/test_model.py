"""The candidate model: the shipped file, its tree walker, lazy loading, and retraining it reproducibly."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from learn.terms import model as term_model
from learn.terms.features import FEATURES

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ROOT / "benchmarks" / "eval" / "train_model.py"
HAS_LIGHTGBM = importlib.util.find_spec("lightgbm") is not None


def _train_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("train_model", TRAIN)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_model"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_shipped_model_is_small_and_trained_on_todays_features() -> None:
    assert term_model.MODEL_PATH.stat().st_size <= 5_000_000
    model = term_model.load()
    assert model.features == FEATURES
    assert len(model.roots) >= 50 and model.depth >= 2


def test_the_top_model_is_shipped_and_only_reorders_the_head() -> None:
    from learn.terms import rank as rank_module

    top = term_model.load(str(rank_module.TOP_MODEL_PATH))
    assert top.features == FEATURES and rank_module.TOP_MODEL_PATH.stat().st_size <= 5_000_000
    _, ours = rank_module.rank("新质生产力是新词。新质生产力要因地制宜，先立后破，发展新质生产力。")
    _, main_only = rank_module.rank(
        "新质生产力是新词。新质生产力要因地制宜，先立后破，发展新质生产力。", top_model=_flat()
    )
    assert sorted(c.text for c, *_ in ours) == sorted(c.text for c, *_ in main_only)
    assert [c.text for c, *_ in main_only] == [c.text for c, _, _, p in sorted(main_only, key=lambda x: -x[3])]


def _flat() -> term_model.TreeModel:
    """A model that gives every row the same probability (one leaf): the head keeps the main order."""
    return term_model.TreeModel(FEATURES, 0.0, (0,), (0,), (float("inf"),), (0,), (0,), (0.0,), 0)


def test_probabilities_follow_the_trees() -> None:
    # one tree: feature 0 <= 0.5 goes to a leaf of -2, else to a leaf of +2
    tiny = term_model.TreeModel(
        ("a", "b"), 0.0, (0,), (0, 0, 0), (0.5, float("inf"), float("inf")), (1, 1, 2), (2, 1, 2), (0.0, -2.0, 2.0), 1
    )
    low, high = tiny.predict([[0.0, 9.0], [1.0, 9.0]])
    assert low < 0.2 < 0.8 < high
    assert term_model.from_json(tiny.to_json()) == tiny
    assert tiny.predict([]) == []


def test_importing_extraction_reads_no_model_and_no_numpy() -> None:
    code = (
        "import sys, learn.terms.rank, learn.terms.model as m; "
        "print(m.load.cache_info().currsize, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "False"]


def test_a_model_of_other_features_is_refused(tmp_path: Path) -> None:
    from learn.terms.rank import rank

    data = json.loads(term_model.MODEL_PATH.read_text(encoding="utf-8"))
    data["features"] = data["features"][::-1]
    other = term_model.from_json(json.dumps(data))
    with pytest.raises(ValueError, match="retrain"):
        rank("新质生产力是一个新词。", model=other)


@pytest.mark.skipif(not HAS_LIGHTGBM, reason="LightGBM (the train extra) is not installed")
def test_flattened_trees_give_lightgbms_own_predictions() -> None:
    import lightgbm as lgb
    import numpy as np

    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 4))
    y = (x[:, 0] + 0.5 * x[:, 1] * x[:, 2] > 0).astype(float)
    params = dict(objective="binary", num_leaves=7, seed=1, deterministic=True, num_threads=1, verbose=-1)
    booster = lgb.train(params, lgb.Dataset(x, y), 20)
    ours = term_model.from_lightgbm(booster.dump_model(), ["a", "b", "c", "d"]).predict(x.tolist())
    assert np.allclose(ours, booster.predict(x), atol=1e-9)


@pytest.mark.skipif(not HAS_LIGHTGBM, reason="LightGBM (the train extra) is not installed")
def test_retraining_with_fixed_seeds_gives_the_same_file() -> None:
    train = _train_module()
    chosen = [t for t in train.texts(seed=False) if t.id in ("digital", "health", "w3-icesnow")]
    data = train.tables(chosen)
    first, second = train.fit(data, rounds=20).to_json(), train.fit(data, rounds=20).to_json()
    assert first == second
    assert term_model.from_json(first).features == FEATURES


@pytest.mark.seed
@pytest.mark.skipif(not HAS_LIGHTGBM, reason="LightGBM (the train extra) is not installed")
@pytest.mark.skipif(not (ROOT.parent / "shared" / "eval" / "seed-gold.tsv").exists(), reason="../shared is not here")
def test_the_documented_command_rebuilds_the_shipped_model_byte_for_byte() -> None:
    done = subprocess.run([sys.executable, str(TRAIN), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
