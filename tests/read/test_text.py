"""learn.read.text: cleaning, sentences, script detection, and bounded reading of big inputs."""

from __future__ import annotations

import io
import sys

import pytest

from learn.errors import LearnError
from learn.read import text as text_module
from learn.read.text import (
    Document,
    clean,
    detect_script,
    expand,
    iter_pieces,
    read_document,
    read_documents,
    sentences,
)

SIMP = "新质生产力是创新起主导作用的先进生产力质态。我们要因地制宜发展新质生产力。"
TRAD = "新質生產力是創新起主導作用的先進生產力質態。我們要因地制宜發展新質生產力。"


def test_document_keeps_its_old_two_argument_form():
    doc = Document("你好", "x.txt")
    assert (doc.text, doc.name, doc.script) == ("你好", "x.txt", "simplified")


def test_clean_normalises_width_breaks_and_spaces():
    assert clean("\ufeff２０２４年ＡＩ\r\n\u3000\u3000发展  新质\t生产力\r") == "2024年AI\n 发展 新质 生产力"


def test_sentences_keep_closing_quotes():
    assert sentences("他说：“先立后破。”然后走了！好吗？\n新段落") == [
        "他说：“先立后破。”",
        "然后走了！",
        "好吗？",
        "新段落",
    ]


@pytest.mark.parametrize(
    "text, script",
    [
        (SIMP, "simplified"),
        (TRAD, "traditional"),
        ("香港特別行政區政府今日公佈施政報告。", "traditional"),
        ("台灣的經濟發展與產業鏈", "traditional"),
        ("人口中大小", "simplified"),  # no distinctive characters: simplified
        ("新质生产力 " * 10 + "國", "simplified"),  # one stray traditional char does not flip it
        ("hello world", "simplified"),
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script


def test_detect_script_votes_per_text_with_remembered_characters():
    """Characters are judged once per process; each text is still counted on its own, over its
    first `sample` characters only."""
    for _ in range(2):
        assert [detect_script(t) for t in (TRAD, SIMP, TRAD)] == ["traditional", "simplified", "traditional"]
    assert detect_script("国" * 20_000 + "國" * 30_000) == "simplified"
    assert detect_script("国" * 10 + "國" * 30, sample=10) == "simplified"
    assert detect_script("𠀀國產") == "traditional"  # a character outside the BMP


def test_traditional_file_is_read_and_marked(tmp_path):
    path = tmp_path / "tw.txt"
    path.write_bytes(TRAD.encode("big5"))
    doc = read_document(str(path))
    assert doc.script == "traditional" and doc.text == TRAD  # shown in its own script: not converted


def test_stdin_bytes_are_decoded_like_files(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SIMP.encode("gbk"))))
    doc = read_document("-")
    assert (doc.name, doc.text) == ("stdin", SIMP)


def test_read_documents_needs_input():
    with pytest.raises(LearnError) as err:
        read_documents([])
    assert err.value.code == 2


def test_missing_path_names_it(tmp_path):
    with pytest.raises(LearnError, match="nope.txt: no such file"):
        read_documents([str(tmp_path / "nope.txt")])


def test_big_text_file_is_streamed_in_bounded_pieces(tmp_path, monkeypatch):
    """A file over the streaming threshold is decoded block by block and cut at line ends."""
    monkeypatch.setattr(text_module, "STREAM_BYTES", 10_000)
    lines = [f"第{i}段：{SIMP}" for i in range(3000)]
    path = tmp_path / "big.txt"
    path.write_bytes("\n".join(lines).encode("gb18030"))
    pieces = list(iter_pieces(expand([str(path)]), piece_chars=20_000))
    assert len(pieces) > 5
    assert all(len(p.document.text) <= 20_000 for p in pieces)
    assert [p.part for p in pieces] == list(range(len(pieces)))
    assert [p.last for p in pieces] == [False] * (len(pieces) - 1) + [True]
    assert sum(p.nbytes for p in pieces) == path.stat().st_size
    joined = "\n".join(p.document.text for p in pieces)
    assert joined == "\n".join(lines)  # nothing lost, nothing cut mid-line
    assert {p.document.name for p in pieces} == {"big.txt"}


def test_streamed_file_with_bad_bytes_later_reports_the_offset(tmp_path, monkeypatch):
    monkeypatch.setattr(text_module, "STREAM_BYTES", 10_000)
    good = (SIMP + "\n").encode() * 2000
    path = tmp_path / "big.txt"
    path.write_bytes(good + b"\xff\xff" + good)
    with pytest.raises(LearnError, match=f"byte {len(good)} is not valid UTF-8"):
        list(iter_pieces(expand([str(path)])))


def test_small_files_become_one_piece_each(tmp_path):
    (tmp_path / "a.txt").write_text(SIMP, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TRAD, encoding="utf-8")
    pieces = list(iter_pieces(expand([str(tmp_path)])))
    assert [(p.document.name, p.document.script, p.last) for p in pieces] == [
        ("a.txt", "simplified", True),
        ("b.txt", "traditional", True),
    ]


def test_same_file_name_in_two_folders_gets_distinct_names(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(SIMP, encoding="utf-8")
    sources = expand([str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt")])
    assert [s.name for s in sources] == [str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt")]
