"""Corpus mode: document-frequency ranking, processes, per-document output, big inputs."""

from __future__ import annotations

import io
import json

import pytest

from learn.cli import corpus as cli_corpus
from learn.cli import main
from learn.entry import Entry
from learn.progress import Progress
from learn.read import text as text_module
from learn.read.text import Document, Piece, expand, iter_pieces
from learn.terms.corpus import corpus_score, extract_corpus, merge_entries

pytest.importorskip("learn.terms.rank")

# Original sentences (written for these tests). 碳足迹 occurs in every article, twice;
# 数据要素 is the one-off: frequent, but in a single article only.
FILLER = [
    "这座城市今年新建了三个公园，市民周末有了更多去处。",
    "学校组织学生参观博物馆，了解本地的历史和文化。",
    "春天来了，河边的柳树发芽，很多人出来散步。",
    "社区食堂每天中午提供便宜的饭菜，老人们都很满意。",
    "图书馆延长了开放时间，晚上也可以去看书学习。",
    "新开的地铁线路让上班的时间缩短了二十分钟。",
]
SPREAD = ["企业开始计算产品的碳足迹，并在包装上标出来。", "专家认为，降低碳足迹需要整个行业一起努力。"]
ONE_OFF = "数据要素市场正在形成，数据要素的价值越来越受到重视。"


def _articles(n: int = 6) -> list[Document]:
    docs = []
    for i in range(n):
        body = FILLER[i:] + FILLER[:i] + SPREAD
        if i == 0:
            body += [ONE_OFF] * 3
        docs.append(Document("\n".join(body), f"article{i}.txt"))
    return docs


def test_corpus_score_rewards_spread_over_a_one_off():
    assert corpus_score(0, 0) == 0
    assert corpus_score(3.0, 1) == 3.0
    # once in each of five articles beats five times in one article (log2(1+5) ≈ 2.58 per-doc score)
    assert corpus_score(5 * 1.0, 5) > corpus_score(2.585, 1)


def test_term_in_many_articles_outranks_a_one_off():
    result = extract_corpus(_articles(), top=30)
    terms = [e.simplified for e in result.merged]
    assert "碳足迹" in terms and "数据要素" in terms
    assert terms.index("碳足迹") < terms.index("数据要素")
    spread = result.merged[terms.index("碳足迹")]
    assert spread.count == 12 and "(+3 more)" in spread.source
    assert (result.documents, result.pieces) == (6, 6)


def test_per_document_lists_rank_within_each_document():
    result = extract_corpus(_articles(2), top=20, per_document=True)
    assert set(result.per_document) == {"article0.txt", "article1.txt"}
    first = [e.simplified for e in result.per_document["article0.txt"]]
    assert "数据要素" in first and "数据要素" not in [e.simplified for e in result.per_document["article1.txt"]]
    assert all(e.source == "article0.txt" for e in result.per_document["article0.txt"])


def test_two_processes_give_the_same_ranking_as_one():
    docs = _articles(4)
    one = extract_corpus(docs, top=15, jobs=1)
    two = extract_corpus(docs, top=15, jobs=2)
    assert [e.to_dict() for e in one.merged] == [e.to_dict() for e in two.merged]


def test_traditional_documents_keep_their_script():
    import opencc

    s2tw = opencc.OpenCC("s2tw")
    docs = [Document(s2tw.convert(d.text), d.name, "traditional") for d in _articles(3)]
    result = extract_corpus(docs, top=30)
    entry = next(e for e in result.merged if e.simplified == "碳足迹")
    assert entry.traditional == "碳足跡"
    assert entry.examples and all("碳足跡" in x.traditional for x in entry.examples)


def test_merge_entries_of_pieces_sums_counts():
    a = Entry(simplified="碳足迹", pinyin_numbered="tan4 zu2 ji4", count=2, score=2.0)
    b = Entry(simplified="碳足迹", pinyin_numbered="tan4 zu2 ji4", count=3, score=2.0)
    c = Entry(simplified="公园", pinyin_numbered="gong1 yuan2", count=9, score=3.0)
    merged = merge_entries([a, c, b], top=5)
    assert [(e.simplified, e.count, e.score) for e in merged] == [("碳足迹", 5, 4.0), ("公园", 9, 3.0)]


def _folder(tmp_path):
    folder = tmp_path / "news"
    (folder / "2024").mkdir(parents=True)
    for i, doc in enumerate(_articles(3)):
        target = folder / ("2024" if i == 2 else "") / doc.name
        target.write_text(doc.text, encoding="gbk" if i == 1 else "utf-8")
    return folder


def test_cli_folder_with_per_document_and_merged_outputs(tmp_path, capsys):
    folder = _folder(tmp_path)
    out = tmp_path / "per-doc"
    merged = tmp_path / "merged.json"
    rc = main(
        [
            "extract",
            str(folder),
            "--jobs",
            "1",
            "--per-document",
            str(out),
            "--format",
            "json",
            "-o",
            str(merged),
            "--top",
            "20",
        ]
    )
    assert rc == 0, capsys.readouterr().err
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert files == ["2024/article2.txt.json", "article0.txt.json", "article1.txt.json"]
    doc0 = json.loads((out / "article0.txt.json").read_text(encoding="utf-8"))
    assert "数据要素" in [e["simplified"] for e in doc0]
    terms = [e["simplified"] for e in json.loads(merged.read_text(encoding="utf-8"))]
    assert "碳足迹" in terms and not list(tmp_path.rglob("*.part"))


def test_big_file_goes_through_corpus_mode_with_progress(tmp_path, capsys, monkeypatch):
    """A file over the streaming limit is read in pieces, with progress lines on stderr."""
    monkeypatch.setattr(text_module, "STREAM_BYTES", 10_000)
    monkeypatch.setattr(cli_corpus, "STREAM_BYTES", 10_000)
    monkeypatch.setattr(cli_corpus, "LOG_PROGRESS_BYTES", 0)
    monkeypatch.setattr(text_module, "PIECE_CHARS", 4_000)
    big = tmp_path / "big.txt"
    big.write_text("\n".join(d.text for d in _articles(6)) * 5, encoding="utf-8")
    assert big.stat().st_size > 10_000
    rc = main(["extract", str(big), "--format", "json", "--top", "10"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert len(json.loads(captured.out)) == 10
    progress = [line for line in captured.err.splitlines() if line.startswith("extracting")]
    assert progress and "100%" in progress[-1]
    pieces = int(progress[-1].split(" pieces")[0].rsplit(" ", 1)[1])
    assert pieces >= big.stat().st_size // 3 // 4_000  # read in ~4k-character pieces


def test_iter_pieces_defaults_follow_module_settings(tmp_path, monkeypatch):
    monkeypatch.setattr(text_module, "PIECE_CHARS", 50)
    (tmp_path / "a.txt").write_text("\n".join(FILLER), encoding="utf-8")
    pieces = list(iter_pieces(expand([str(tmp_path)])))
    assert len(pieces) > 1 and pieces[-1].last and not pieces[0].last


def test_progress_bar_on_a_terminal_and_lines_in_a_log():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    with Progress(1000, "extracting", stream=tty, interval=0) as bar:
        bar.advance(500)
        bar.advance(500)
    assert tty.getvalue().count("\r") == 3 and "[##########----------]  50%" in tty.getvalue()
    assert tty.getvalue().endswith("\n") and "100%" in tty.getvalue().rsplit("\r", 1)[1]
    log = io.StringIO()
    with Progress(1000, "extracting", stream=log, log_interval=3600) as bar:
        for _ in range(10):
            bar.advance(100)
    lines = log.getvalue().splitlines()
    assert 2 <= len(lines) <= 11 and lines[-1].startswith("extracting [####################] 100%")
    assert sum("100%" in line for line in lines) == 1


def test_pieces_of_one_file_count_as_one_source():
    pieces = [Piece(Document(d.text, "big.txt"), i, i == 3, 0) for i, d in enumerate(_articles(4))]
    result = extract_corpus(pieces, top=30)
    entry = next(e for e in result.merged if e.simplified == "碳足迹")
    assert entry.source == "big.txt" and result.documents == 1 and result.pieces == 4
