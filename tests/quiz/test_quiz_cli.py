"""`learn quiz [PATH...]`: bad paths stop before any server starts; a good one serves the app."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from quiz_entries import write_entries
from server_checks import healthy, wait_until

from learn.cli import main
from learn.cli import quiz as quiz_cli
from learn.cli.quiz import APP, command, free_port, port_free

LEARN = [sys.executable, "-m", "learn"]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.json", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "x.json").write_text("{}") and d / "x.json", "expected a JSON list of entries"),
        (lambda d: (d / "bad.json").write_text("[1, 2") and d / "bad.json", "not an entries JSON file"),
        (lambda d: (d / "en.txt").write_text("only English") and d / "en.txt", "no Chinese text found"),
        (
            lambda d: (d / "n.json").write_text('[{"simplified": 3}]') and d / "n.json",
            "entry 1: 'simplified' must be Chinese text",
        ),
        (
            lambda d: (d / "s.json").write_text('[{"simplified": "绿色", "definitions": "green"}]') and d / "s.json",
            "entry 1: 'definitions' must be a list of texts",
        ),
        (
            lambda d: (
                (d / "e.json").write_text('[{"simplified": "绿色", "examples": [{"sentence": 1}]}]') and d / "e.json"
            ),
            "entry 1: each example's",
        ),
        (
            lambda d: (d / "h.json").write_text('[{"simplified": "绿色", "hsk": "one"}]') and d / "h.json",
            "entry 1: 'hsk' must be a whole number",
        ),
    ],
)
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
    with socket.socket() as probe:  # a port free now (a fixed one may be taken by another server)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["quiz", "--dry-run", "--port", str(port), str(words)]) == 0
    out = capsys.readouterr().out
    assert "streamlit run" in out and "--server.address 127.0.0.1" in out and out.rstrip().endswith(str(words))
    bare = " ".join(command([], 9000))
    assert "--client.toolbarMode minimal" in bare and str(APP) in bare and " -- " not in bare
    assert "--runner.postScriptGC false" in bare  # a click must not walk the whole heap
    assert "--server.fileWatcherType none" in bare
    assert APP.is_file() and APP.parent.name == "quiz"


def test_a_named_port_in_use_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["quiz", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"learn quiz: port {port} is already in use on 127.0.0.1: choose another --port, "
        "or leave --port out to take a free one\n"
    )


def test_without_port_a_busy_one_is_passed_over() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert not port_free(port) and free_port(port) != port


def test_class_flag_reaches_the_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, str] = {}
    monkeypatch.setattr(quiz_cli, "serve", lambda cmd, env: seen.update(env) or 0)
    monkeypatch.delenv("LEARN_CLASS", raising=False)
    assert main(["quiz", "--class", "--port", str(free_port(18600))]) == 0
    assert seen["LEARN_CLASS"] == "1"


def children(pid: int) -> set[int]:
    """Live processes whose parent is `pid` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_serves_on_localhost_and_sigterm_stops_the_server_too(tmp_path: Path) -> None:
    """`systemctl stop` / `docker stop` send SIGTERM to `learn quiz`: its Streamlit child must go as well."""
    words = write_entries(tmp_path / "words.json")
    port = free_port(18501)
    env = {**os.environ, "LEARN_DB_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"}
    proc = subprocess.Popen(
        [*LEARN, "quiz", "--port", str(port), str(words)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    servers: set[int] = set()
    try:
        wait_until(
            lambda: proc.poll() is None and healthy(port) or proc.poll() is not None,
            90,
            "learn quiz did not start a server",
        )
        assert proc.poll() is None, "learn quiz stopped early"
        servers = children(proc.pid)
        assert servers, "the server runs as a child of learn quiz"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert not [pid for pid in servers if alive(pid)], "the Streamlit child outlived learn quiz"
        assert port_free(port), "the port is still held"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in servers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
