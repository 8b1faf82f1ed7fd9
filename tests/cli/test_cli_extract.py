"""`learn extract` end to end: formats, -o, stdin, and every error path with its exit code."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "decks" / "sample.txt"


def learn(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "learn", *args], capture_output=True, text=True, input=stdin, cwd=ROOT, timeout=120
    )


@pytest.fixture(scope="module")
def sample_json():
    out = learn("extract", str(SAMPLE), "--format", "json", "--top", "20")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_json_schema(sample_json):
    assert len(sample_json) == 20
    required = {
        "simplified",
        "traditional",
        "pinyin",
        "pinyin_numbered",
        "zhuyin",
        "definitions",
        "kind",
        "hsk",
        "zipf",
        "count",
        "score",
        "examples",
        "source",
    }
    for item in sample_json:
        assert required <= item.keys()
        assert isinstance(item["definitions"], list) and item["kind"] in ("word", "term", "idiom", "slogan", "name")
        assert item["hsk"] is None or 1 <= item["hsk"] <= 7
        assert all({"sentence", "pinyin"} <= ex.keys() for ex in item["examples"])
        assert item["source"] == "sample.txt"
        syllables = item["pinyin_numbered"].split()
        assert all(s[-1] in "12345" for s in syllables) and "ü" not in item["pinyin_numbered"]


def test_table_csv_tsv_and_output_file(tmp_path):
    table = learn("extract", str(SAMPLE), "--top", "5")
    assert table.returncode == 0 and "pinyin" in table.stdout and len(table.stdout.splitlines()) == 7
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        out = tmp_path / f"terms.{fmt}"
        run = learn("extract", str(SAMPLE), "--top", "5", "--format", fmt, "-o", str(out))
        assert run.returncode == 0 and run.stdout == ""
        lines = out.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 6 and lines[0].split(sep)[0] == "simplified"


def test_stdin_and_standard():
    out = learn(
        "extract",
        "-",
        "--format",
        "json",
        "--standard",
        "hk",
        "--top",
        "3",
        stdin="发展银发经济。银发经济潜力大。各地推进银发经济。",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data[0]["simplified"] == "银发经济" and data[0]["traditional"] == "銀髮經濟"
    assert data[0]["source"] == "stdin"


def test_known_file_removes_words(tmp_path, sample_json):
    known = tmp_path / "known.txt"
    known.write_text(sample_json[0]["simplified"] + "\n", encoding="utf-8")
    out = learn("extract", str(SAMPLE), "--format", "json", "--top", "20", "--known", str(known))
    assert sample_json[0]["simplified"] not in [d["simplified"] for d in json.loads(out.stdout)]


@pytest.mark.parametrize(
    "make,code",
    [
        (lambda d: str(d / "missing.txt"), 1),
        (lambda d: (d / "empty.txt").write_text("") and str(d / "empty.txt") or str(d / "empty.txt"), 1),
        (lambda d: str(d), 1),
        (lambda d: (d / "bin.dat").write_bytes(bytes(range(256)) * 4) and str(d / "bin.dat"), 1),
        (lambda d: (d / "latin.txt").write_bytes(b"caf\xe9 \xff\xfe\x00\x00 abc") and str(d / "latin.txt"), 1),
    ],
)
def test_bad_input_is_one_line_and_exit_1(tmp_path, make, code):
    out = learn("extract", make(tmp_path))
    assert out.returncode == code
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["extract"],
        ["extract", "x.txt", "--top", "zero"],
        ["extract", "x.txt", "--format", "xml"],
        ["extract", "x.txt", "--standard", "cn"],
        ["extract", "x.txt", "--variant", "cn"],
        ["extract", "x.txt", "--bogus"],
        ["nonsense"],
    ],
)
def test_bad_usage_is_one_line_and_exit_2(args):
    out = learn(*args)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_output_to_missing_folder_is_created(tmp_path):
    target = tmp_path / "new" / "terms.json"
    assert learn("extract", str(SAMPLE), "--top", "3", "--format", "json", "-o", str(target)).returncode == 0
    assert json.loads(target.read_text(encoding="utf-8"))


def test_table_shows_traditional_input_in_its_own_script():
    out = learn("extract", "-", "--top", "2", stdin="發展新質生產力要因地制宜。新質生產力不是一鬨而上。")
    first = out.stdout.splitlines()[2].split()
    assert first[1] == "新質生產力" and first[2] == "新质生产力"


def test_stdin_twice_is_refused_before_reading():
    out = learn("extract", "-", "-", stdin="发展银发经济。")
    assert out.returncode == 2 and "only once" in out.stderr


def test_unwritable_output_names_the_target_not_a_temp_file():
    out = learn("extract", str(SAMPLE), "--top", "2", "-o", "/proc/learn-test/terms.json")
    assert out.returncode == 1 and out.stderr.count("\n") == 1
    assert ".part" not in out.stderr
