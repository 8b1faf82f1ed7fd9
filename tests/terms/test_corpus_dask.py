"""Corpus-mode extraction on Dask: the same per-piece work on a cluster, the same result as local."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the [dask] extra is not installed")

ROOT = Path(__file__).resolve().parents[2]


def corpus(tmp_path: Path) -> Path:
    """Eight short documents built from our own two sample texts, cut in paragraphs."""
    folder = tmp_path / "docs"
    folder.mkdir()
    paragraphs = [
        p
        for name in ("sample.txt", "sample2.txt")
        for p in (ROOT / "decks" / name).read_text(encoding="utf-8").split("\n\n")
        if len(p) > 80
    ]
    for n in range(8):
        (folder / f"{n}.txt").write_text("\n\n".join(paragraphs[n::8]), encoding="utf-8")
    return folder


def extract(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "learn", "extract", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=600,
    )


def test_dask_engine_gives_the_local_result(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    local = extract(str(folder), "--jobs", "2", "--format", "json", "--top", "30")
    dask = extract(str(folder), "--engine", "dask", "--jobs", "2", "--format", "json", "--top", "30")
    assert local.returncode == 0 and dask.returncode == 0, dask.stderr
    assert json.loads(dask.stdout) == json.loads(local.stdout)
    assert any(e["first_seen"] for e in json.loads(dask.stdout))  # the shipped background, on the workers


def test_unreachable_scheduler_and_misused_flag_are_one_line(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    gone = extract(str(folder), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert gone.returncode == 1 and gone.stderr.count("\n") == 1 and "Traceback" not in gone.stderr
    misused = extract(str(folder), "--scheduler", "tcp://127.0.0.1:9")
    assert misused.returncode == 2 and "--engine dask" in misused.stderr
