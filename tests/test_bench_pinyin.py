"""The CPP benchmark's own parts: reading a split, one normalisation, aligning a tone-mark line."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location(
    "bench_pinyin", Path(__file__).parents[1] / "benchmarks" / "bench_pinyin.py"
)
bench = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(bench)


@pytest.mark.parametrize(
    "raw,expected",
    [("lu:4", "lv4"), ("lǜ", "lv4"), ("zi", "zi5"), ("LE5", "le5"), ("xīn", "xin1"), ("nu:e4", "nve4"), ("de0", "de5")],
)
def test_one_normalisation_for_gold_and_readers(raw, expected):
    assert bench.normalise(raw) == expected


def test_neutral_tone_is_lenient_only():
    assert bench.lenient_equal("xi4", "xi5") and bench.lenient_equal("xi5", "xi4")
    assert not bench.lenient_equal("xi4", "xi1") and not bench.lenient_equal("shi5", "xi5")


def test_split_is_read_with_the_marked_character(tmp_path):
    (tmp_path / "dev.sent").write_text("他▁了▁解情况。\n没有标记的行\n", encoding="utf-8")
    (tmp_path / "dev.lb").write_text("liao3\nle5\n", encoding="utf-8")
    assert bench.read_split(tmp_path, "dev") == [("他了解情况。", 1, "liao3")]


def test_a_tone_mark_line_is_aligned_on_the_characters():
    line = "2020 nián，tā “liǎo jiě” NBA。"
    got = bench.align("2020年，他“了解”NBA。", line)
    assert got[4] == "nián" and got[6] == "tā" and got[8] == "liǎo" and got[9] == "jiě"
    assert got[0] == "" and got[-1] == ""


def test_readers_are_scored_side_by_side(tmp_path):
    rows = [("他了解情况。", 1, "liao3"), ("他走了。", 2, "le5")]
    strict, lenient, speed, cpu = bench.score("fixed", lambda s: ["liao3"] * len(s), rows, misses=0)
    assert (strict, lenient) == (50.0, 50.0) and speed > 0 and cpu > 0
    many = bench.score("many", lambda s: [], rows, misses=0, many=lambda ss: [["le5"] * len(s) for s in ss])
    assert many[:2] == (50.0, 50.0)
