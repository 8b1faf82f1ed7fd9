"""The phrase background: builder (exact counts, neighbours, dates, repeats, formats, determinism),
the shipped file (licence limit, sanity lookups), the lookup API and `learn background`.

Every corpus here is written by the test itself; the shipped file is only read, never rebuilt.
"""

from __future__ import annotations

import io
import math
import random
import re
import sqlite3
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from learn.background import model as background
from learn.background.build import build
from learn.background.count import date_of, han_runs
from learn.background.model import Background, PhraseStats, load, shipped_path
from learn.cli import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "background"


# --- a tiny corpus of our own sentences ------------------------------------------------------


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four documents in four formats/encodings, three of them dated, plus a README to skip."""
    folder = tmp_path_factory.mktemp("tiny") / "corpus"
    folder.mkdir()
    # the summary line repeats verbatim further down: it counts once
    (folder / "20230905.txt").write_text(
        "摘要\n绿色金融助力乡村。\n正文\n绿色金融助力乡村。今天绿色金融很热。\n", encoding="utf-8"
    )
    (folder / "2024-01-02.txt").write_bytes("发展绿色金融，优化营商环境。\n".encode("gb18030"))
    (folder / "1999_报告.html").write_text(
        "<html><head><title>标题</title></head><body><nav>首页 新闻</nav><article>"
        "<p>我们优化营商环境，发展绿色金融。</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "notes.docx").write_bytes(_docx("綠色金融與營商環境。"))  # traditional, undated
    (folder / "README.md").write_text("绿色金融 绿色金融 绿色金融 营商环境\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tiny_db(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("db") / "tiny.sqlite3"
    build([str(tiny)], out, min_df=2, max_len=6)
    return out


def test_counts_documents_and_dates(tiny_db: Path) -> None:
    bg = Background(tiny_db)
    assert (bg.documents, bg.min_df, bg.max_len) == (4, 2, 6)  # README.md is not a document
    assert (bg.first_date, bg.last_date) == ("1999", "2024-01")
    green = bg.get("绿色金融")
    # 2 in the dated article (its repeated line once), 1 in GB18030, 1 in HTML, 1 in the docx
    assert (green.count, green.df) == (5, 4)
    assert (green.first_seen, green.last_seen) == ("1999", "2024-01")
    business = bg.get("营商环境")  # 營商環境 in the docx counts too
    assert (business.count, business.df) == (3, 3)
    assert bg.get("助力乡村") is None  # one document only


def test_neighbour_statistics(tiny_db: Path) -> None:
    green = Background(tiny_db).get("绿色金融")
    # left: line start ×2, 展 ×2, 天 ×1 — each boundary occurrence its own symbol in the entropy
    assert green.left_variety == 3
    assert green.left_top_share == pytest.approx(0.4)
    expected = -(0.4 * math.log(0.4) + 0.2 * math.log(0.2)) + 2 / 5 * math.log(5)
    assert green.left_entropy == pytest.approx(expected, abs=1e-3)
    # right: 助, 很, 与, and a boundary (，/。) twice
    assert green.right_variety == 4
    assert green.right_top_share == pytest.approx(0.2)
    fragment = Background(tiny_db).get("色金融")  # always after 绿
    assert (fragment.left_variety, fragment.left_top_share, fragment.left_entropy) == (1, 1.0, 0.0)


def test_rebuild_is_byte_identical_and_jobs_do_not_matter(tiny: Path, tiny_db: Path, tmp_path: Path) -> None:
    again, parallel = tmp_path / "again.sqlite3", tmp_path / "parallel.sqlite3"
    build([str(tiny)], again, min_df=2, max_len=6)
    build([str(tiny)], parallel, min_df=2, max_len=6, jobs=2)
    assert again.read_bytes() == tiny_db.read_bytes()
    assert parallel.read_bytes() == tiny_db.read_bytes()
    meta = Background(again).meta
    assert str(tmp_path) not in " ".join(meta.values())  # no absolute paths in the metadata


# --- exactness of the level-wise count, against brute force --------------------------------


def _brute_marks(docs: list[str], max_len: int) -> dict[str, tuple[int, int, int]]:
    """Documents in which each whole run stands quoted, in a 、-series, in 《》 (one segment per doc)."""
    found: dict[str, list[set[int]]] = defaultdict(lambda: [set(), set(), set()])
    for d, doc in enumerate(docs):
        for m in re.finditer(r"[\u4e00-\u9fff]+", doc):
            before, after = doc[: m.start()], doc[m.end() :]
            if len(m.group()) > max_len:
                continue
            if before.endswith("“") and after.startswith("”"):
                found[m.group()][0].add(d)
            if before.rstrip("“").endswith("、") or after.lstrip("”").startswith("、"):
                found[m.group()][1].add(d)
            if before.endswith("《") and after.startswith("》"):
                found[m.group()][2].add(d)
    return {gram: (len(q), len(s), len(t)) for gram, (q, s, t) in found.items()}


def _brute_force(docs: list[str], min_df: int, max_len: int) -> dict[str, tuple]:
    """Every n-gram of every Han run, counted the obvious way."""
    count: Counter[str] = Counter()
    df: Counter[str] = Counter()
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in docs:
        runs, _ = han_runs(doc)
        seen = set()
        for run in runs:
            for n in range(2, max_len + 1):
                for i in range(len(run) - n + 1):
                    gram = run[i : i + n]
                    count[gram] += 1
                    seen.add(gram)
                    left[gram][run[i - 1] if i else ""] += 1
                    right[gram][run[i + n] if i + n < len(run) else ""] += 1
        df.update(seen)
    out = {}
    for gram, d in df.items():
        if d >= min_df:
            lc, rc = left[gram], right[gram]
            out[gram] = (
                count[gram],
                d,
                len(lc),
                len(rc),
                max((v for k, v in lc.items() if k), default=0) / count[gram],
                max((v for k, v in rc.items() if k), default=0) / count[gram],
            )
    return out


def test_level_wise_count_is_exact(tmp_path: Path) -> None:
    rng = random.Random(4)
    alphabet = "发展绿色金融改革创新数字经济"
    docs = []
    marks = ["{}", "“{}”", "《{}》", "“{}”"]  # some runs quoted or titled, joined by ， or 、
    for i in range(60):
        runs = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(2, 9))]
        runs = [rng.choice(marks).format(run) if rng.random() < 0.4 else run for run in runs]
        docs.append("".join(run + rng.choice("，、") for run in runs[:-1]) + runs[-1] + "。")
        (tmp_path / f"doc{i:03d}.txt").write_text(docs[-1], encoding="utf-8")
    out = tmp_path / "bg.sqlite3"
    build([str(tmp_path)], out, min_df=3, max_len=5)
    expected = _brute_force(docs, 3, 5)
    db = sqlite3.connect(out)
    got = {
        r[0]: (r[1], r[2], r[3], r[4], r[5] / 1000, r[6] / 1000)
        for r in db.execute("SELECT text, count, df, left_variety, right_variety, left_top, right_top FROM phrases")
    }
    assert got.keys() == expected.keys()
    for gram, figures in expected.items():
        assert got[gram][:4] == figures[:4], gram
        assert got[gram][4:] == pytest.approx(figures[4:], abs=1e-3), gram
    marked = {r[0]: r[1:] for r in db.execute("SELECT text, quoted, series, titled FROM marks")}
    expected_marks = {g: m for g, m in _brute_marks(docs, 5).items() if g in expected and any(m)}
    assert marked == expected_marks
    assert any(q for q, _, _ in marked.values()) and any(s for _, s, _ in marked.values())


# --- pieces ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, date",
    [
        ("20230905.txt", 202309),
        ("news/2024-01-02.md", 202401),
        ("2021_07_report.txt", 202107),
        ("1999_政府工作报告.txt", 199900),
        ("2019/summary.txt", 201900),
        ("notes.txt", 0),
        ("12345678.txt", 0),
        ("v2023x.txt", 202300),
    ],
)
def test_date_of_file_name(name: str, date: int) -> None:
    assert date_of(name) == date


def test_repeated_segments_count_once() -> None:
    runs, chars = han_runs(
        "要闻：\n1.【专题】绿色金融助力乡村；\n### 【专题】绿色金融助力乡村\n<p>今天天气好</p><p>今天天气好</p>"
    )
    assert runs == ["要闻", "专题", "绿色金融助力乡村", "今天天气好"]
    assert chars == sum(map(len, runs))


def test_marks_around_runs() -> None:
    """Writers' marks: quotes (straight ones pair up), 、 on either side (through a quote), 《》."""
    from learn.background.count import QUOTE, SERIES, TITLE, marked_runs

    found = marked_runs('推动“高端化”、智能化、绿色化发展，《新规划》出台\n"两新"政策')
    assert found.runs == ["推动", "高端化", "智能化", "绿色化发展", "新规划", "出台", "两新", "政策"]
    assert found.before == [0, QUOTE, SERIES, SERIES, TITLE, 0, QUOTE, 0]
    assert found.after == [0, QUOTE | SERIES, SERIES, 0, TITLE, 0, QUOTE, 0]
    assert found.chars == sum(map(len, found.runs))


# --- the shipped file ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Background:
    return load()


def test_shipped_file_holds_only_short_phrases(shipped: Background) -> None:
    """Licence: the news transcripts are copyrighted; the file may hold figures and short phrases only."""
    db = sqlite3.connect(shipped.path.resolve().as_uri() + "?mode=ro", uri=True)
    (longest,) = db.execute("SELECT max(length(text)) FROM phrases").fetchone()
    assert shipped.max_len <= 10 and longest <= shipped.max_len
    han = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]{2,}")
    assert all(han.fullmatch(t) for (t,) in db.execute("SELECT text FROM phrases"))
    # the marks table names phrases of the phrases table only
    assert db.execute("SELECT count(*) FROM marks WHERE text NOT IN (SELECT text FROM phrases)").fetchone() == (0,)
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"meta", "phrases", "marks"}
    assert shipped.path.stat().st_size <= 25_000_000


def test_shipped_sanity_lookups(shipped: Background) -> None:
    found = shipped.lookup(["营商环境", "新质生产力", "质生产力", "步行范围", "专精特新"])
    assert found["营商环境"].df >= 300
    assert found["新质生产力"].first_seen == "2023-09"
    assert found["新质生产力"].count >= 1000
    assert found["质生产力"].left_top_share >= 0.95 and found["质生产力"].left_variety <= 2
    assert found["专精特新"].left_top_share < 0.5
    assert "步行范围" not in found
    assert shipped.documents >= 1400 and shipped.first_date.startswith("1954")
    assert isinstance(found["营商环境"], PhraseStats)


def test_lookup_is_lazy_and_fast(shipped: Background) -> None:
    phrases = [f"发展{c}" for c in "经济质量产业能力动力水平方式模式理念阶段目标"] * 150  # ~2,000
    started = time.perf_counter()
    fresh = Background(shipped_path())
    fresh.lookup(phrases)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.25, elapsed  # a few ms on a quiet machine; loose for a shared one
    assert load() is load(None) is load(shipped_path())


def test_last_year_comes_from_the_shipped_file(shipped: Background) -> None:
    assert int(shipped.last_date[:4]) == background.LAST_YEAR
    assert background.recent_year("2023-09") == ("2023" if background.LAST_YEAR - 3 <= 2023 else "")
    assert background.recent_year("1998") == ""
    assert background.recent_year("") == ""


# --- the command line ----------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as raised:
        raise SystemExit(main(list(argv)))
    out, err = capsys.readouterr()
    return int(raised.value.code or 0), out, err


def test_cli_build_and_info(tiny: Path, tiny_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.sqlite3"
    code, _, err = _run(capsys, "background", "build", str(tiny), "-o", str(out), "--min-df", "2", "--max-len", "6")
    assert code == 0 and "length 2" in err and "wrote" in err
    assert out.read_bytes() == tiny_db.read_bytes()
    code, text, _ = _run(capsys, "background", "info", str(out), "-p", "绿色金融", "-p", "步行范围")
    assert code == 0 and "documents   4" in text and "绿色金融  count 5, df 4" in text
    assert "步行范围  not in the background" in text


@pytest.mark.parametrize(
    "argv, code",
    [
        (["background", "build", "no-such-folder", "-o", "{tmp}/x.sqlite3"], 1),
        (["background", "build", "{tmp}/binary.txt", "-o", "{tmp}/x.sqlite3"], 1),
        (["background", "build", "{tiny}", "-o", "{tmp}"], 2),
        (["background", "build", "{tiny}"], 2),
        (["background", "build", "{tiny}", "-o", "{tmp}/x.sqlite3", "--max-len", "40"], 2),
        (["background", "build", "{tiny}", "-o", "{tmp}/x.sqlite3", "--jobs", "0"], 2),
        (["background", "build", "-", "-o", "{tmp}/x.sqlite3"], 2),
        (["background", "info", "{tmp}/binary.txt"], 1),
        (["background", "info", "{tmp}/missing.sqlite3"], 1),
        (["background"], 2),
    ],
)
def test_cli_errors_are_one_line(
    argv: list[str], code: int, tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    argv = [a.format(tmp=tmp_path, tiny=tiny) for a in argv]
    got, out, err = _run(capsys, *argv)
    assert got == code
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert not (tmp_path / "x.sqlite3").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".x.sqlite3")]  # nothing half-written


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/background is absent")
def test_shipped_file_matches_its_documented_source(shipped: Background) -> None:
    """The shipped file's metadata says what it was built from, and the corpus is still that size."""
    files = [p for p in CORPUS.rglob("*.txt")]
    assert shipped.documents == len(files)
    assert shipped.meta["source"] and "/" not in shipped.meta["source"]


# --- the Dask engine (issue 14) ------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few hundred documents of made-up runs, dated and undated; each also quotes one of forty
    made-up terms, lists three in a 、-series and names one in 《》, so a quality model is learned."""
    folder = tmp_path_factory.mktemp("generated")
    rng = random.Random(14)
    alphabet = "发展绿色金融改革创新数字经济高质量乡村振兴科技自立自强"
    for i in range(300):
        runs = ["".join(rng.choice(alphabet) for _ in range(rng.randint(2, 12))) for _ in range(rng.randint(5, 25))]
        runs += [f"“{rng.choice(GENERATED_TERMS)}”", "、".join(rng.sample(GENERATED_TERMS, 3))]
        runs += [f"《{rng.choice(GENERATED_TERMS)}》"]
        rng.shuffle(runs)
        name = f"{2019 + i % 7}-{1 + i % 12:02d}-{i:03d}.txt" if i % 4 else f"note{i:03d}.txt"
        (folder / name).write_text("，".join(runs) + "。\n", encoding="utf-8")
    return folder


GENERATED_TERMS = sorted(
    {"".join(random.Random(k).choice("智慧城市港口物流海洋牧场低空航线") for _ in range(2 + k % 4)) for k in range(40)}
)


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    import logging

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
    ) as local:
        yield local


@pytest.fixture()
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several read tasks and batches even for a small corpus, so the tree reduction has work."""
    from learn.background import count

    monkeypatch.setattr(count, "READ_BYTES", 10_000)


@pytest.fixture(scope="module")
def generated_local(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("local") / "local.sqlite3"
    build([str(generated)], out, min_df=3)
    return out.read_bytes()


def test_dask_engine_gives_the_local_engines_file(
    generated: Path,
    generated_local: bytes,
    cluster,  # type: ignore[no-untyped-def]
    small_batches: None,
    tmp_path: Path,
) -> None:
    dask = tmp_path / "dask.sqlite3"
    report = build([str(generated)], dask, min_df=3, engine="dask", scheduler=cluster.scheduler_address)
    assert report.phrases > 1000 and report.documents == 300
    assert dask.read_bytes() == generated_local


def test_dask_reruns_the_work_of_a_killed_worker(
    generated: Path,
    generated_local: bytes,
    cluster,  # type: ignore[no-untyped-def]
    small_batches: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os
    import signal

    from learn.background import dask as background_dask

    killed: list[int] = []

    def kill_one(self, n: int) -> None:  # type: ignore[no-untyped-def]
        if n == 3 and not killed:  # batches of the next level are held by both workers now
            pid = sorted(self.client.run(os.getpid).values())[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    monkeypatch.setattr(background_dask.DaskCount, "after_level", kill_one)
    dask = tmp_path / "dask.sqlite3"
    build([str(generated)], dask, min_df=3, engine="dask", scheduler=cluster.scheduler_address)
    assert killed
    assert dask.read_bytes() == generated_local


def test_dask_counts_a_level_again_when_its_inputs_died_with_a_worker(  # type: ignore[no-untyped-def]
    generated: Path,
    generated_local: bytes,
    cluster,
    small_batches: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from learn.background import dask as background_dask

    class FutureCancelledError(Exception):
        """What Dask raises when a task's inputs are gone for good (same name, raised here on cue)."""

    real, lost = background_dask.DaskCount.level, []

    def lose_once(self, n: int, *args, **kwargs):  # type: ignore[no-untyped-def]
        if n == 3 and not lost:
            lost.append(n)
            raise FutureCancelledError("lost dependencies")
        return real(self, n, *args, **kwargs)

    monkeypatch.setattr(background_dask.DaskCount, "level", lose_once)
    dask = tmp_path / "dask.sqlite3"
    build([str(generated)], dask, min_df=3, engine="dask", scheduler=cluster.scheduler_address)
    assert lost
    assert dask.read_bytes() == generated_local


def test_dask_errors_are_one_line(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    out = str(tmp_path / "x.sqlite3")
    code, _, err = _run(capsys, "background", "build", str(tiny), "-o", out, "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "--engine dask" in err and len(err.strip().splitlines()) == 1
    monkeypatch.setattr("learn.background.dask.CONNECT_TIMEOUT", "1s")
    code, _, err = _run(
        capsys,
        "background",
        "build",
        str(tiny),
        "-o",
        out,
        "-q",
        "--engine",
        "dask",
        "--scheduler",
        "tcp://127.0.0.1:1",
    )
    assert code == 1 and "cannot reach the Dask scheduler" in err and len(err.strip().splitlines()) == 1
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if learn[dask] were not installed
    code, _, err = _run(capsys, "background", "build", str(tiny), "-o", out, "-q", "--engine", "dask")
    assert code == 1 and "pip install 'learn[dask]'" in err and len(err.strip().splitlines()) == 1
    assert not Path(out).exists()


# --- phrase quality (issue 19) ----------------------------------------------------------------


def test_quality_is_learned_in_range_and_marks_are_counted(
    generated: Path, generated_local: bytes, tmp_path: Path
) -> None:
    db = tmp_path / "bg.sqlite3"
    db.write_bytes(generated_local)
    bg = Background(db)
    assert "2 ExtraTrees models" in bg.meta["quality"]
    rows = sqlite3.connect(db).execute("SELECT text, quality FROM phrases").fetchall()
    assert all(q is not None and 0 <= q <= 1000 for _, q in rows)
    found = bg.lookup(GENERATED_TERMS)
    assert len(found) == len(GENERATED_TERMS)
    assert all(s.quoted + s.series + s.titled > 0 for s in found.values())
    # the made-up terms stand alone everywhere; the rest is random strings of the same characters
    terms = [s.quality for s in found.values() if s.quality is not None]
    others = [q / 1000 for t, q in rows if t not in found]
    assert sum(terms) / len(terms) > 2 * sum(others) / len(others)


def test_rebuild_with_quality_is_byte_identical(generated: Path, generated_local: bytes, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite3"
    build([str(generated)], again, min_df=3, jobs=2)
    assert again.read_bytes() == generated_local


def test_too_few_labels_leave_quality_empty(tiny_db: Path) -> None:
    bg = Background(tiny_db)
    assert bg.meta["quality"].startswith("no quality score")
    assert bg.get("绿色金融").quality is None


def test_labels_come_from_marks_and_the_glossary_only() -> None:
    """Positives are what the corpus's writers marked in two or more documents, and glossary terms."""
    import numpy as np

    from learn.background.count import Counts, Level
    from learn.background.quality import labels

    keys = np.arange(4, dtype=np.int64)
    counts = Counts(keys, keys + 10, keys + 10, keys, keys)
    level = Level(2, counts, marks=(np.array([2, 1, 0, 0]), np.array([0, 5, 1, 0]), np.array([0, 0, 0, 9])))
    found = labels([level], ["甲乙", "丙丁", "戊己", "庚辛"], ["戊己", "壬癸"])
    assert found.quoted.tolist() == [True, False, False, False]
    assert found.series.tolist() == [False, True, False, False]
    assert found.glossary.tolist() == [False, False, True, False]


def test_a_build_reads_no_eval_text(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Labels never come from the eval texts or their gold lists (sealed or not): a build opens
    the corpus and the glossary, nothing under benchmarks/."""
    import builtins
    import io

    opened: list[str] = []
    real = io.open

    def spy(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr(builtins, "open", spy)
    build([str(generated)], tmp_path / "bg.sqlite3", min_df=3)
    assert any(p.endswith("glossary.tsv") for p in opened)
    assert not [p for p in opened if "benchmarks" in Path(p).parts or "sealed" in Path(p).parts]


def test_an_old_background_is_refused_in_one_line(
    tiny_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.sqlite3"
    old.write_bytes(tiny_db.read_bytes())
    with sqlite3.connect(old) as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    code, _, err = _run(capsys, "background", "info", str(old))
    assert code == 1 and "schema '1'" in err and "rebuild" in err and len(err.strip().splitlines()) == 1


def test_lookups_never_import_numpy_or_scikit_learn() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from learn.background.model import load; load().lookup(['营商环境']); "
        "print(sorted(m for m in ('numpy', 'sklearn', 'scipy', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_shipped_quality_separates_terms_from_fragments(shipped: Background) -> None:
    """Named examples: conventional terms score high; fragments (always inside a longer term) low."""
    db = sqlite3.connect(shipped.path.resolve().as_uri() + "?mode=ro", uri=True)
    assert (
        db.execute("SELECT count(*) FROM phrases WHERE quality IS NULL OR quality < 0 OR quality > 1000").fetchone()[0]
        == 0
    )
    assert "2 ExtraTrees models" in shipped.meta["quality"]
    q = {
        t: s.quality
        for t, s in shipped.lookup(
            ["营商环境", "新质生产力", "专精特新", "急难愁盼", "以旧换新", "质生产力", "精特新", "旧换新", "难愁盼"]
        ).items()
    }
    for term in ("营商环境", "新质生产力", "专精特新", "急难愁盼", "以旧换新"):
        assert q[term] >= 0.7, (term, q[term])
    for fragment in ("质生产力", "精特新", "旧换新", "难愁盼"):
        assert q[fragment] <= 0.3, (fragment, q[fragment])
    assert shipped.get("急难愁盼").quoted >= 2  # writers quote it: a label, scored by a model that never saw it
