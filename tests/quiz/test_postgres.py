"""scripts/pg.sh: the throw-away PostgreSQL that scripts/test.sh and the load benchmark start —
it serves on 127.0.0.1 only, and `stop` leaves no server and no folder behind."""

from __future__ import annotations

import glob
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

PG_SH = Path(__file__).resolve().parents[2] / "scripts" / "pg.sh"


def pg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(PG_SH), *args], capture_output=True, text=True, timeout=180)


def server_running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(
    not glob.glob("/usr/lib/postgresql/*/bin/initdb"),
    reason="Debian's postgresql is not installed (scripts/test.sh installs it as root)",
)
def test_a_throwaway_cluster_starts_on_localhost_and_stops_without_a_trace() -> None:
    from sqlalchemy import create_engine

    folder = Path(tempfile.mkdtemp(prefix="learn-pg-test-"))
    pid = 0
    try:
        started = pg("start", str(folder), "fast")
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip()
        assert url.startswith("postgresql+psycopg://learn:") and "@127.0.0.1:" in url
        pid = int((folder / "data" / "postmaster.pid").read_text().split()[0])
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW listen_addresses").scalar() == "127.0.0.1"
        engine.dispose()
    finally:
        stopped = pg("stop", str(folder))
    assert stopped.returncode == 0, stopped.stderr
    assert not folder.exists() and pid and not server_running(pid)


def test_stop_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    done = pg("stop", str(tmp_path))
    assert done.returncode == 2 and "not made by pg.sh" in done.stderr
    assert (tmp_path / "keep.txt").exists()


def test_usage_is_one_line() -> None:
    done = pg("restart")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and os.path.basename(str(PG_SH)) in done.stderr
