"""First-run bugs a new user met: the set-up's font check, a held apt lock, HTML input after a
by-hand install with an old pip, and what `learn deck A B --top N` means."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from learn.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"


def fake_bin(folder: Path, **programs: str) -> dict[str, str]:
    """An environment whose PATH starts with `folder`, holding shell scripts named after `programs`."""
    folder.mkdir(exist_ok=True)
    for name, body in programs.items():
        path = folder / name.replace("_", "-")
        path.write_text("#!/usr/bin/env bash\n" + body + "\n")
        path.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}"}


def test_font_check_sees_an_installed_font_every_time(tmp_path: Path) -> None:
    """`fc-list | grep -q` under pipefail: grep stops at the first match, fc-list dies of SIGPIPE, and
    the installed font counted as missing (then apt-get ran, sudo was asked, a held lock failed it)."""
    many = 'for i in $(seq 20000); do echo "Font Family Number $i"; done'
    env = fake_bin(
        tmp_path / "bin", fc_list=f'echo "Noto Sans CJK SC,Noto Sans CJK SC Regular"\n{many}', pdftotext="exit 0"
    )
    for _ in range(3):
        done = subprocess.run(
            ["bash", str(SCRIPTS / "setup.sh"), "check"], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert "fonts-noto-cjk" not in done.stdout.split()


def test_font_check_reports_a_missing_font(tmp_path: Path) -> None:
    env = fake_bin(tmp_path / "bin", fc_list='echo "DejaVu Sans"', pdftotext="exit 0")
    done = subprocess.run(
        ["bash", str(SCRIPTS / "setup.sh"), "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert "fonts-noto-cjk" in done.stdout.split()


def apt(tmp_path: Path, apt_get: str, *packages: str, wait: int = 30) -> subprocess.CompletedProcess[str]:
    """apt_install from scripts/apt.sh with a fake apt-get (and sudo) that log their calls."""
    log = tmp_path / "calls"
    env = fake_bin(
        tmp_path / "bin", apt_get=f'echo "apt-get $*" >> {log}\n{apt_get}', sudo=f'echo "sudo $*" >> {log}\nexec "$@"'
    )
    env.update(LEARN_APT_WAIT=str(wait), LEARN_APT_PAUSE="1")
    script = f'. "{SCRIPTS / "apt.sh"}"; apt_install "$@"'
    return subprocess.run(
        ["bash", "-c", script, "apt", *packages], env=env, capture_output=True, text=True, timeout=120
    )


LOCKED = (
    'echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)" >&2\n'
    'echo "E: Unable to acquire the dpkg frontend lock, is another process using it?" >&2\nexit 100'
)


def test_a_held_apt_lock_is_waited_for(tmp_path: Path) -> None:
    count = tmp_path / "count"
    held_twice = (
        f'n=$(cat {count} 2>/dev/null || echo 0); echo $((n + 1)) > {count}\n[ "$n" -ge 2 ] && exit 0\n{LOCKED}'
    )
    done = apt(tmp_path, held_twice, "fonts-noto-cjk")
    assert done.returncode == 0, done.stderr
    assert "waiting" in done.stderr and "lock" in done.stderr
    calls = (tmp_path / "calls").read_text()
    assert calls.count("apt-get update") == 3 and "install -y -qq --no-install-recommends fonts-noto-cjk" in calls


def test_an_apt_lock_that_stays_held_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    done = apt(tmp_path, LOCKED, "fonts-noto-cjk", wait=2)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        "setup: apt is still locked by another process after 2 s; try again when it has finished"
    )


def test_nothing_missing_asks_nobody(tmp_path: Path) -> None:
    done = apt(tmp_path, "exit 0")
    assert done.returncode == 0 and done.stderr == "" and not (tmp_path / "calls").exists()


def test_other_apt_errors_are_not_retried(tmp_path: Path) -> None:
    done = apt(tmp_path, 'echo "E: Unable to locate package nosuch" >&2; exit 100', "nosuch")
    assert done.returncode == 100 and "Unable to locate package nosuch" in done.stderr
    assert (tmp_path / "calls").read_text().count("apt-get") == 1


def test_html_without_lxml_html_clean_is_one_line_naming_the_package(tmp_path: Path) -> None:
    """What a by-hand install with an old pip got: jusText's `lxml[html_clean]` extra left out."""
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>新质生产力是发展的关键。</p></body></html>", encoding="utf-8")
    simulate = (
        "import sys; sys.modules['lxml_html_clean'] = None\n"
        "from learn.cli import main; sys.exit(main(['extract', sys.argv[1]]))"
    )
    done = subprocess.run([sys.executable, "-c", simulate, str(page)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == (
        f"learn extract: {page}: reading web pages needs the Python package lxml_html_clean, "
        "which is not installed; install it with: pip install lxml_html_clean\n"
    )


def test_lxml_html_clean_is_a_direct_dependency() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(d.replace("-", "_").startswith("lxml_html_clean") for d in project["dependencies"])
    assert any(d.startswith("psycopg[binary]") for d in project["optional-dependencies"]["postgres"])


def test_deck_top_is_per_text_and_help_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from learn.cli import deck as deck_cli

    with pytest.raises(SystemExit):
        main(["deck", "--help"])
    assert "how many terms per text" in " ".join(capsys.readouterr().out.split())
    built: dict[str, list] = {}
    monkeypatch.setattr(
        deck_cli, "build_deck", lambda entries, out, **_kw: built.setdefault("entries", entries) and out
    )
    texts = [ROOT / "decks" / "sample.txt", ROOT / "decks" / "sample2.txt"]
    assert all(t.is_file() for t in texts)
    assert main(["deck", *map(str, texts), "--top", "4", "-o", str(tmp_path / "d.apkg")]) == 0
    per_source: dict[str, int] = {}
    for entry in built["entries"]:
        per_source[entry.source] = per_source.get(entry.source, 0) + 1
    assert sorted(per_source.values()) == [4, 4]
