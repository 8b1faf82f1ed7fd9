"""`learn quiz [PATH...]`: bad paths stop before any server starts; a good one serves the app."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from quiz_entries import write_entries

from learn.cli import main
from learn.cli.quiz import APP, command, free_port

LEARN = [sys.executable, "-m", "learn"]


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.json", "no such file"),
    (lambda d: d, "is a directory"),
    (lambda d: (d / "x.json").write_text("{}") and d / "x.json", "expected a JSON list of entries"),
    (lambda d: (d / "bad.json").write_text("[1, 2") and d / "bad.json", "not an entries JSON file"),
    (lambda d: (d / "en.txt").write_text("only English") and d / "en.txt", "no Chinese text found"),
    (lambda d: (d / "n.json").write_text('[{"simplified": 3}]') and d / "n.json",
     "entry 1: 'simplified' must be Chinese text"),
    (lambda d: (d / "s.json").write_text('[{"simplified": "绿色", "definitions": "green"}]') and d / "s.json",
     "entry 1: 'definitions' must be a list of texts"),
    (lambda d: (d / "e.json").write_text('[{"simplified": "绿色", "examples": [{"sentence": 1}]}]') and d / "e.json",
     "entry 1: each example's"),
    (lambda d: (d / "h.json").write_text('[{"simplified": "绿色", "hsk": "one"}]') and d / "h.json",
     "entry 1: 'hsk' must be a whole number"),
])
def test_bad_path_is_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str], make, message) -> None:
    path = make(tmp_path)
    assert main(["quiz", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("learn quiz: ") and message in err and err.count("\n") == 1


def test_stdin_is_a_usage_error_with_a_way_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quiz", "--dry-run", "-"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("learn quiz: standard input (-)") and "paste it in the app" in err and err.count("\n") == 1


def test_bad_port_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["quiz", "--port", "99999"])
    assert stop.value.code == 2 and "port number" in capsys.readouterr().err


def test_dry_run_prints_the_server_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    words = write_entries(tmp_path / "words.json")
    assert main(["quiz", "--dry-run", "--port", "8765", str(words)]) == 0
    out = capsys.readouterr().out
    assert "streamlit run" in out and "--server.address 127.0.0.1" in out and out.rstrip().endswith(str(words))
    assert command([], 9000)[-1] == "minimal" and str(APP) in command([], 9000)
    assert APP.is_file() and APP.parent.name == "quiz"


def test_serves_the_app_on_localhost(tmp_path: Path) -> None:
    words = write_entries(tmp_path / "words.json")
    port = free_port(18501)
    env = {**os.environ, "LEARN_DB_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"}
    proc = subprocess.Popen([*LEARN, "quiz", "--port", str(port), str(words)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    assert reply.read().strip() == b"ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "learn quiz did not start a server"
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
