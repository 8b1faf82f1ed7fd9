"""The public API (learn/__init__.py) speaks the command line's words: standard= and script=."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

import pytest

import learn
from learn.errors import UsageError

TEXT = "香港发展低空经济，低空经济带动无人机产业。低空经济需要新的规则。"


def test_standard_chooses_the_traditional_forms() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new keyword warns about nothing
        tw = learn.annotate("无人机", standard="tw")
        hk = learn.annotate("发展", standard="hk")
        found = learn.extract(TEXT, top=5, standard="hk")
    assert tw.traditional == "無人機" and tw.variant == "tw"
    assert hk.variant == "hk" and all(e.variant == "hk" for e in found)


def test_the_old_keyword_still_works_and_says_so() -> None:
    with pytest.warns(DeprecationWarning, match="standard="):
        entry = learn.annotate("发展", variant="hk")
    assert entry.variant == "hk"
    with pytest.raises(TypeError, match="not both"):
        learn.annotate("发展", variant="hk", standard="tw")


def test_script_chooses_what_a_handout_prints(tmp_path: Path) -> None:
    entries = learn.extract(TEXT, top=4)
    with pytest.raises(UsageError, match="unknown script 'klingon'"):
        learn.make_handout(entries, TEXT, tmp_path / "x.pdf", script="klingon")
    out = learn.make_handout(entries, TEXT, tmp_path / "lesson.pdf", script="traditional", exercises=[])
    printed = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "經濟" in printed and "经济" not in printed  # poppler reads the traditional script back
