"""A handout's exercises stay fair, on a handout of an ~800-character text about 冰雪经济 written for
this test (tests/data/bingxue.txt) with the traps a teacher found: answers readable in the
reading (an answer in the last sentence; 冰场 also in 走上冰场 and 冰场运营), a fragment that
would leave "____运动持续升温", a matching exercise with as many meanings as words, and 冰雪
highlighted twenty times. Each rule is checked on the handout's data and on the printed PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import learn
from learn.entry import Entry
from learn.errors import LearnError
from learn.handout import pdf as handout
from learn.handout.exercises import Script, build_exercises, glued

TEXT = (Path(__file__).resolve().parents[1] / "data" / "bingxue.txt").read_text(encoding="utf-8")
TITLE = "冰雪经济点燃冬日消费新热潮"
# the traps, added when the extractor does not list them itself (it should not list the fragment)
TRAPS = ("群众性冰雪", "冰场", "高质量发展", "冰雪运动", "冰雪")


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    found = learn.extract(TEXT, top=20, source="bingxue.txt")
    listed = {e.simplified for e in found}
    return found + [learn.annotate(t, text=TEXT) for t in TRAPS if t not in listed]


@pytest.fixture(scope="module")
def data(entries: list[Entry]) -> dict[str, Any]:
    return handout.handout_data(entries, TEXT, date="2026-01-15", seed=0)


def exercise(data: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(x for x in data["exercises"] if x["kind"] == kind)


def printed_reading(data: dict[str, Any]) -> list[str]:
    """Each paragraph of the reading as the student reads it (blanks print as numbers)."""
    return ["".join(s.get("t", "") for s in p["segs"]) for p in data["reading"]]


def test_the_text_is_what_the_teacher_met() -> None:
    chars = len(re.findall(r"[\u4e00-\u9fff]", TEXT))
    assert 700 <= chars <= 900 and TEXT.count("冰雪") >= 20
    assert "群众性冰雪运动持续升温" in TEXT and "走上冰场" in TEXT and "冰场运营" in TEXT
    assert TEXT.rstrip().endswith("以冰雪经济的高质量发展带动更多群众就业增收。")


def test_no_fill_in_answer_can_be_read_on_the_page(data: dict[str, Any]) -> None:
    cloze = exercise(data, "cloze")
    answers = [it["answer"] for it in cloze["items"]]
    assert len(answers) >= 5
    reading = "\n".join(printed_reading(data))
    for answer in answers:
        assert answer not in reading, answer
        assert answer not in data["title"], answer
    blanks = Counter(s["blank"] for p in data["reading"] for s in p["segs"] if "blank" in s)
    for n, item in enumerate(cloze["items"], 1):  # a blanked answer is blanked in every place
        source = TEXT[TEXT.index("\n") :]  # the body, without the headline
        assert blanks[n] == 0 or item["in_reading"], item["answer"]
        assert blanks[n] <= source.count(item["answer"])


def test_a_blank_is_never_a_fragment_of_a_longer_word(entries: list[Entry], data: dict[str, Any]) -> None:
    cloze = exercise(data, "cloze")
    for item in cloze["items"]:
        line = (item["before"] + item["answer"] + item["after"]).strip("…")
        assert not glued(line, item["answer"], entries), line
        assert not item["after"].startswith("运动") and item["answer"] != "群众性冰雪"
    # the rule itself, on the teacher's two cases
    assert glued("近年来，群众性冰雪运动持续升温。", "群众性冰雪", [Entry("冰雪运动")])
    assert glued("冰雪经济也带动了就业。", "冰雪", [Entry("冰雪经济")])
    assert not glued("不少市民带着孩子走上冰场。", "冰场", [Entry("冰雪经济"), Entry("冰场运营")])


def test_matching_has_meanings_left_over(data: dict[str, Any]) -> None:
    matching = exercise(data, "matching")
    items, bank = matching["items"], matching["bank"]
    assert len(items) >= 4 and 2 <= len(bank) - len(items) <= 3
    letters = [it["answer"] for it in items]
    assert len(set(letters)) == len(letters) and all(ord(a) - ord("A") < len(bank) for a in letters)


def test_a_term_is_highlighted_at_most_once_per_paragraph(data: dict[str, Any]) -> None:
    total = Counter()
    for paragraph in data["reading"]:
        marked = Counter(s["t"] for s in paragraph["segs"] if "r" in s)
        assert all(n == 1 for n in marked.values()), marked
        total.update(marked)
    assert 0 < total["冰雪"] <= len(data["reading"])  # was about twenty


def test_answers_in_the_reading_are_preferred_away_and_capped() -> None:
    """A word the reading shows three times is not asked; a word it does not show comes first."""
    words = [Entry("冰雪", pinyin="bīng xuě"), Entry("翻了一番", pinyin="fān le yī fān")]
    words = [learn.annotate(w.simplified, text=TEXT) for w in words]
    reading = "冰雪经济随之升温。群众性冰雪运动持续升温。各地依托冰雪资源。"
    (x,) = build_exercises(words, TEXT, ["cloze"], shown=reading, title=TITLE, script=Script())
    assert [it.answer for it in x.items] == ["翻了一番"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_printed_reading_has_no_answer_and_the_matching_has_spare_letters(
    entries: list[Entry], tmp_path: Path
) -> None:
    try:
        handout.font_dirs()
    except LearnError as err:
        pytest.skip(str(err))
    path = handout.make_handout(entries, TEXT, tmp_path / "bingxue.pdf", date="2026-01-15", seed=0)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True).stdout
    reading = text[text.index("Reading 阅读") : text.index("Exercises 练习")]
    reading = re.sub(r"[^\u4e00-\u9fff]", "", reading.replace(TITLE, ""))  # Chinese only, no footer
    answers = [it["answer"] for it in exercise(handout.handout_data(entries, TEXT, seed=0), "cloze")["items"]]
    assert answers and not [a for a in answers if a in reading]
    matching = text[text.index("Matching 连线") : text.index("Fill in the blanks")]
    options = re.findall(r"^([A-J])\.\s", matching, re.M)
    numbers = re.findall(r"^(\d)\.\s", matching, re.M)
    assert len(options) >= len(numbers) + 2, (options, numbers)
