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


# --- issue 21: first-run friction -------------------------------------------------------------

SAMPLE = ROOT / "decks" / "sample.txt"


def _deck_names(packages: list[Path], folder: Path) -> set[str]:
    """The decks a learner's collection has after importing `packages` one after the other."""
    from anki import collection as anki_collection
    from anki.collection import Collection

    col = Collection(str(folder / "learner.anki2"))
    try:
        for package in packages:
            options = anki_collection.ImportAnkiPackageOptions(with_scheduling=True)
            col.import_anki_package(
                anki_collection.ImportAnkiPackageRequest(package_path=str(package), options=options)
            )
        used = {col.decks.name(col.get_card(c).did) for c in col.find_cards("")}
        assert col.note_count() > 0
        return used
    finally:
        col.close()


def test_a_rebuild_under_another_file_name_stays_in_the_same_anki_deck(tmp_path: Path) -> None:
    """`learn deck my.txt -o d2.apkg` after `-o d.apkg`: the cards stay in one deck, named after the
    text (its headline, or its file name when it has none), not after the output file."""
    headed = tmp_path / "my.txt"
    headed.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    for out in ("d.apkg", "d2.apkg"):
        assert main(["deck", str(headed), "-o", str(tmp_path / out), "--top", "3"]) == 0
    headline = SAMPLE.read_text(encoding="utf-8").splitlines()[0].strip()
    assert _deck_names([tmp_path / "d.apkg", tmp_path / "d2.apkg"], tmp_path) == {headline}

    plain = tmp_path / "notes-week-3.txt"  # running text from the first line: no headline
    plain.write_text("".join(SAMPLE.read_text(encoding="utf-8").splitlines()[1:]), encoding="utf-8")
    for out in ("a.apkg", "b.apkg"):
        assert main(["deck", str(plain), "-o", str(tmp_path / out), "--top", "3"]) == 0
    (tmp_path / "learner.anki2").unlink()
    assert _deck_names([tmp_path / "a.apkg", tmp_path / "b.apkg"], tmp_path) == {"notes-week-3"}


@pytest.mark.parametrize(
    "old, new",
    [
        (["extract", "x.txt", "--variant", "hk"], ("standard", "hk", "--standard")),
        (["deck", "x.txt", "-o", "x.apkg", "--variant", "t"], ("standard", "t", "--standard")),
        (["handout", "x.txt", "-o", "x.pdf", "--variant", "both"], ("script", "both", "--script")),
    ],
)
def test_one_word_for_one_idea_and_the_old_spelling_still_works(
    old: list[str], new: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """--standard is the traditional standard (tw/hk/t) and --script the characters shown, in every
    command; --variant, which meant one in extract/deck and the other in handout, still works."""
    from learn.cli import build_parser

    dest, value, spelled = new
    args = build_parser().parse_args(old)
    assert getattr(args, dest) == value
    assert (
        capsys.readouterr().err
        == f"learn {old[0]}: note: --variant is now {spelled}; the old spelling still works for now\n"
    )
    assert getattr(build_parser().parse_args([*old[:-2], spelled, value]), dest) == value
    assert capsys.readouterr().err == ""
    for command in ("extract", "deck", "handout"):
        shown = build_parser(command)._subparsers._group_actions[0].choices[command].format_help()  # type: ignore[union-attr]
        assert "--standard {tw,hk,t}" in shown and "--variant" not in shown


def test_old_spelling_gives_the_same_list(tmp_path: Path) -> None:
    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "learn", "extract", str(SAMPLE), "--top", "5", "--format", "tsv", *extra]
        return subprocess.run(argv, capture_output=True, text=True, timeout=300)

    old, new = run("--variant", "hk"), run("--standard", "hk")
    assert old.returncode == new.returncode == 0 and old.stdout == new.stdout and "髮" not in old.stdout
    assert "--variant is now --standard" in old.stderr and new.stderr == ""


def test_folder_progress_leaves_skipped_files_out_of_its_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 2 MB binary in a folder of texts is skipped with a line, and the bar still ends at 100%
    of what was read (it stood at "0% 0.0/17.3 MB" with a skipped font)."""
    from learn.cli import corpus as corpus_cli

    monkeypatch.setattr(corpus_cli, "LOG_PROGRESS_BYTES", 0)  # progress lines even when not on a terminal
    (tmp_path / "texts" / "fonts").mkdir(parents=True)
    text = tmp_path / "texts" / "a.txt"
    text.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "texts" / "fonts" / "font.txt").write_bytes(b"\x00\x01\x00\x00" + bytes(range(256)) * 8192)
    assert main(["extract", str(tmp_path / "texts"), "--top", "3", "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert f"learn: skipped {tmp_path / 'texts' / 'fonts' / 'font.txt'}: binary file" in err
    last = [line for line in err.splitlines() if line.startswith("extracting")][-1]
    assert " 100% " in last and f"/{text.stat().st_size / 1e6:.1f} MB" in last, last


@pytest.mark.parametrize(
    "argv",
    [
        ["extract"],
        ["deck", "-o", "{tmp}/x.apkg"],
        ["handout", "-o", "{tmp}/x.pdf"],
        ["background", "build", "-o", "{tmp}/x.db"],
    ],
    ids=["extract", "deck", "handout", "background"],
)
def test_every_error_names_the_file_by_its_path(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'no Chinese text found' printed the bare file name; every message now shows the path given."""
    (tmp_path / "week 3").mkdir()
    english = tmp_path / "week 3" / "notes.txt"
    english.write_text("Only English here, no Chinese at all.\n", encoding="utf-8")
    empty = tmp_path / "week 3" / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    binary = tmp_path / "week 3" / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    for bad in (english, empty, binary):
        args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
        assert main([*args, str(bad)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f": {bad}: " in err, err


def test_handout_opens_without_warnings_in_poppler_and_pypdf(tmp_path: Path) -> None:
    """Every poppler tool printed "Syntax Error: Suspects object is wrong type (boolean)": typst's
    /MarkInfo says /Suspects false, valid PDF that poppler 22 misreads. The handout leaves it out."""
    import shutil

    import pypdf

    pdf = tmp_path / "lesson.pdf"
    try:
        assert main(["handout", str(SAMPLE), "-o", str(pdf), "--top", "6", "--grid", "1"]) == 0
    except Exception as err:  # no CJK font: the handout tests say how to install one
        pytest.skip(str(err))
    if not pdf.exists():
        pytest.skip("no handout (fonts missing?)")
    data = pdf.read_bytes()
    assert b"/Suspects" not in data and b"/Marked true" in data  # still a tagged PDF
    reader = pypdf.PdfReader(pdf, strict=True)
    assert reader.trailer["/Root"]["/MarkInfo"] == {"/Marked": True} and len(reader.pages) >= 2
    tools = [["pdfinfo", pdf], ["pdffonts", pdf], ["pdftotext", pdf, tmp_path / "t.txt"]]
    tools.append(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", pdf, tmp_path / "page"])
    if shutil.which("qpdf"):
        tools.append(["qpdf", "--check", pdf])
    for tool in tools:
        if not shutil.which(str(tool[0])):
            pytest.skip(f"{tool[0]} is not installed (poppler-utils)")
        done = subprocess.run([str(t) for t in tool], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and done.stderr == "", (tool[0], done.stderr)
    assert "新质生产力" in (tmp_path / "t.txt").read_text(encoding="utf-8")
