"""The polyphone model: g2pM's weights, read by learn.language.polyphone — offline, on first use,
one of the character's own readings, the same one by one and side by side."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from learn.language import polyphone

SENTENCES = [
    "他在银行工作了十年，还是觉得这个行业很好。",
    "重庆力帆在西藏自治区的比赛中取得了胜利。",
    "明朝的皇帝曾多次派人出海。",
    "孩子们高高兴兴地回家了。",
]


@pytest.fixture
def fresh(monkeypatch):
    """No sentence remembered from earlier tests."""
    monkeypatch.setattr(polyphone, "_SEEN", {})
    return polyphone


def test_model_reads_offline_from_inside_its_package(fresh, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the polyphone model must not use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    polyphone._model.cache_clear()
    guesses = fresh.guess(SENTENCES[0])
    assert 1 not in guesses  # 在 has one reading: nothing to guess
    assert guesses[3].reading == "hang2"  # 银行
    assert {k for k in guesses} <= {k for k, ch in enumerate(SENTENCES[0]) if polyphone.polyphonic(ch)}


def test_a_guess_is_one_of_the_characters_own_readings(fresh):
    model = polyphone._model()
    assert model is not None
    for sentence in SENTENCES:
        for k, guess in fresh.guess(sentence).items():
            assert guess.reading in model.choices[sentence[k]][1]
            assert 0.0 < guess.probability <= 1.0


def test_side_by_side_reads_as_one_by_one(fresh, monkeypatch):
    one_by_one = [dict(fresh.guess(s)) for s in SENTENCES]
    monkeypatch.setattr(polyphone, "_SEEN", {})
    fresh.read(SENTENCES)
    for sentence, alone in zip(SENTENCES, one_by_one, strict=True):
        together = fresh.guess(sentence)
        assert {k: g.reading for k, g in together.items()} == {k: g.reading for k, g in alone.items()}
        assert all(abs(together[k].probability - g.probability) < 1e-6 for k, g in alone.items())


def test_same_readings_as_the_g2pm_package(fresh):
    g2pm = pytest.importorskip("g2pM")
    theirs = g2pm.G2pM()
    for sentence in SENTENCES:
        expected = theirs(sentence, char_split=True)
        for k, guess in fresh.guess(sentence).items():
            assert guess.reading == expected[k], (sentence, k)


def test_nothing_loads_or_changes_on_import():
    """Importing learn and reading a sentence neither loads the model early nor changes how
    pypinyin reads text for the rest of the process (PYPINYIN_NO_PHRASES stays unset)."""
    code = """
import json, os, sys
import learn, learn.language.pinyin as pinyin, learn.terms.annotate
on_import = {"numpy": "numpy" in sys.modules, "env": "PYPINYIN_NO_PHRASES" in os.environ}
pinyin.sentence_syllables("他在银行工作。")
import pypinyin
from pypinyin.constants import PHRASES_DICT
print(json.dumps({**on_import, "env_after": "PYPINYIN_NO_PHRASES" in os.environ, "phrases": len(PHRASES_DICT),
                  "default": pypinyin.lazy_pinyin("不是")}))
"""
    env = {k: v for k, v in __import__("os").environ.items() if k != "PYPINYIN_NO_PHRASES"}
    out = json.loads(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    )
    assert out == {
        "numpy": False,
        "env": False,
        "env_after": False,
        "phrases": out["phrases"],
        "default": out["default"],
    }
    assert out["phrases"] > 10_000  # pypinyin keeps its phrase table for everyone else


def test_a_missing_model_is_said_once_not_hidden(fresh, monkeypatch):
    """Without g2pM (a declared dependency) readings fall back to dictionary defaults; a warning
    says so instead of a quietly worse result."""
    real = polyphone.importlib.util.find_spec
    monkeypatch.setattr(polyphone.importlib.util, "find_spec", lambda name: None if name == "g2pM" else real(name))
    polyphone._model.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="g2pM package is not installed"):
            assert not polyphone.available()
        assert fresh.guess("他正当其时。") == {}
    finally:
        polyphone._model.cache_clear()
