"""README and docs/ say what the code does today: examples generated from runs, a clean site build."""

from __future__ import annotations

import importlib.util
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "run `.venv/bin/python scripts/docs.py` (it rewrites them from a run of the code) and commit the pages"


def docs_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("learn_docs_script", ROOT / "scripts" / "docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_is_short() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= 200, f"README.md has {lines} lines; move the detail into a page of docs/"


def test_console_examples_and_option_tables_are_current() -> None:
    """Every ```console block and option table is what the code prints now (extraction changes often)."""
    docs = docs_script()
    with tempfile.TemporaryDirectory() as tmp:
        stale = docs.update(docs.scratch(Path(tmp)), check=True)
    assert not stale, f"out of date: {', '.join(stale)} (diff above); {REGENERATE}"


def test_every_learn_command_in_the_docs_parses(capsys: pytest.CaptureFixture[str]) -> None:
    """Commands shown without output (```sh) still use options that exist, spelled as they are today
    (an old spelling that still works prints a note: the docs use the new one)."""
    from learn.cli import build_parser

    docs = docs_script()
    seen = 0
    for page in docs.pages():
        for command in docs.shell_commands(page.read_text(encoding="utf-8")):
            seen += 1
            try:
                build_parser().parse_args(shlex.split(command))
            except SystemExit as exc:
                pytest.fail(f"{page.relative_to(ROOT)}: `learn {command}` does not parse ({exc.code})")
            noted = capsys.readouterr().err
            assert not noted, f"{page.relative_to(ROOT)}: `learn {command}`: {noted}"
    assert seen >= 20


def test_site_builds_cleanly(tmp_path: Path) -> None:
    """`mkdocs build --strict`: no broken link, no page left out of the navigation."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "extract" / "index.html").exists()


def test_readme_links_resolve() -> None:
    """README links into docs/ (GitHub shows them as files; mkdocs never sees the README)."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\((?!https?:)([^)#]+)", text)
    assert targets
    missing = [t for t in targets if not (ROOT / t).exists()]
    assert not missing, missing


def test_readme_pictures_are_pngs() -> None:
    """The pictures scripts/pictures.py makes: a card in Anki, the quiz, a handout page, the quiz's
    reader and Write mode."""
    from PIL import Image

    for name in ("anki-card.png", "quiz.png", "handout.png", "reader.png", "write.png"):
        path = ROOT / "docs" / "images" / name
        assert f"docs/images/{name}" in (ROOT / "README.md").read_text(encoding="utf-8")
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width >= 500 and image.height >= 300, (name, image.size)
        assert path.stat().st_size < 400_000, f"{name}: keep the picture small"
