"""Bad input: one clear line on stderr, a non-zero exit, nothing half-written, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from learn.cli import main
from learn.errors import LearnError
from learn.output import atomic_path, write_text

SIMP = "新质生产力是创新起主导作用的先进生产力质态。各地要因地制宜发展新质生产力，坚持先立后破。"


def _fails(capsys, argv: list[str], code: int = 1) -> str:
    """Run the CLI in-process; assert the exit code and a single stderr line; return that line."""
    try:
        rc = main(argv)
    except SystemExit as exit_:  # argparse usage errors
        rc = exit_.code
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert rc == code, captured.err
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    return lines[0]


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\r\n" + "\u3000\n".encode(), "empty input"),
        ("blank16.txt", " \n \n".encode("utf-16"), "empty input"),
        ("noise.txt", bytes(range(256)) * 8, "binary file"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "binary file (PNG image)"),
        ("zipped.md", b"PK\x03\x04" + os.urandom(300), "binary file"),
        ("broken.txt", SIMP.encode()[:30] + b"\xff\xfe\x80\x81" + SIMP.encode()[30:], "byte 30 is not valid UTF-8"),
        ("english.txt", b"Just English here, nothing to learn.", "no Chinese text found"),
        ("fake.pdf", b"%PDF-1.7\nnot really a pdf", "not a readable PDF"),
        ("fake.docx", b"this is not a zip", "not a readable Word .docx file"),
        ("old.doc", b"\xd0\xcf\x11\xe0" + bytes(100), "save it as .docx"),
    ],
)
def test_bad_files_give_one_line(tmp_path, capsys, name, data, message):
    line = _fails(capsys, ["extract", _write(tmp_path, name, data)])
    assert line.startswith("learn extract: ") and name in line and message in line


def test_pdf_without_text_layer(tmp_path, capsys):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    path = tmp_path / "scan.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    assert "PDF has no text layer (scanned?); run OCR" in _fails(capsys, ["extract", str(path)])


def test_password_protected_pdf(tmp_path, capsys):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    assert "password-protected" in _fails(capsys, ["extract", str(path)])


def test_folder_without_texts(tmp_path, capsys):
    (tmp_path / "notes.jpg").write_bytes(b"\xff\xd8\xff")
    line = _fails(capsys, ["extract", str(tmp_path)])
    assert "folder has no texts" in line and str(tmp_path) in line


def test_folder_whose_texts_are_all_bad(tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02" * 50)
    rc = main(["extract", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1 and "Traceback" not in "".join(err)
    assert err[:2] == [
        f"learn: skipped {tmp_path / 'a.txt'}: empty file",
        f"learn: skipped {tmp_path / 'b.txt'}: binary file, expected text",
    ]
    assert err[-1] == "learn extract: no readable texts found"


def test_missing_file(tmp_path, capsys):
    assert "no such file" in _fails(capsys, ["extract", str(tmp_path / "absent.txt")])


def test_unreadable_file_via_the_cli(tmp_path, capsys, monkeypatch):
    """Root ignores chmod 000, so the permission error is raised where the file is read."""
    path = Path(_write(tmp_path, "secret.txt", SIMP.encode()))
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert "secret.txt: permission denied" in _fails(capsys, ["extract", str(path)])


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file_for_real(tmp_path, capsys):
    path = Path(_write(tmp_path, "secret.txt", SIMP.encode()))
    path.chmod(0)
    try:
        assert "permission denied" in _fails(capsys, ["extract", str(path)])
    finally:
        path.chmod(0o644)


def test_unknown_option_is_a_usage_error(capsys):
    line = _fails(capsys, ["extract", "--frobnicate", "x.txt"], code=2)
    assert "unrecognized arguments: --frobnicate" in line


def test_bad_jobs_value_is_a_usage_error(capsys, tmp_path):
    line = _fails(capsys, ["extract", str(tmp_path), "--jobs", "0"], code=2)
    assert "--jobs" in line


def test_malformed_recipe_names_file_and_line(tmp_path, capsys):
    recipe = tmp_path / "lesson.toml"
    recipe.write_text('name = "Lesson 1"\nsources = ["a.txt"\ntop = 20\n', encoding="utf-8")
    line = _fails(capsys, ["build", str(recipe), "--out-dir", str(tmp_path / "dist")])
    assert f"{recipe}:3:" in line  # tomllib reports the unclosed array where it notices it
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").iterdir())


def test_failed_run_leaves_no_output_file(tmp_path, capsys):
    out = tmp_path / "out.json"
    _fails(capsys, ["extract", _write(tmp_path, "empty.txt", b""), "--format", "json", "-o", str(out)])
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "empty.txt"]


def test_interrupted_atomic_write_leaves_nothing(tmp_path):
    target = tmp_path / "deck.apkg"
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:
        tmp.write_bytes(b"half a deck")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_interrupted_atomic_write_keeps_the_previous_file(tmp_path):
    target = tmp_path / "out.json"
    write_text(target, "[1]\n")
    with pytest.raises(LearnError), atomic_path(target) as tmp:
        tmp.write_text("[2", encoding="utf-8")
        raise LearnError("disk full")
    assert target.read_text(encoding="utf-8") == "[1]\n" and list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("data", [b"", b"\x00\xff" * 100])
def test_real_process_prints_no_traceback(tmp_path, data):
    """The installed console entry point, as a user runs it."""
    path = _write(tmp_path, "input.txt", data)
    run = subprocess.run([sys.executable, "-m", "learn", "extract", path], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
