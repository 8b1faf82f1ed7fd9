"""Write mode without a browser: which characters are drawn and which are skipped, the grade a
drawing earns, and Write questions chosen and stored like any other mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fsrs import Rating
from quiz_entries import ENTRIES

from learn.entry import Entry
from learn.handout import strokes
from learn.quiz import components, writing
from learn.quiz.answers import Verdict
from learn.quiz.practice import Outcome, Practice
from learn.quiz.questions import applicable, make_question
from learn.quiz.store import Store

needs_data = pytest.mark.skipif(strokes.data_dir() is None, reason="stroke data not installed (scripts/setup.sh)")


@needs_data
def test_characters_without_stroke_data_are_skipped_with_a_note() -> None:
    entry = Entry("5G基站", pinyin="5G jī zhàn", pinyin_numbered="5G ji1 zhan4")
    drawing = writing.drawing(entry)
    assert drawing.chars == ["基", "站"]
    assert set(drawing.data) == {"基", "站"} and all(drawing.data[c]["medians"] for c in drawing.chars)
    assert drawing.skipped == ["5", "G"]
    assert drawing.note == "Not drawn here (no stroke data): 5、G."
    assert writing.writable(entry)
    assert not writing.writable(Entry("5G", pinyin="5G"))


@needs_data
def test_a_traditional_text_is_written_in_traditional() -> None:
    entry = Entry("发展", "發展", "fā zhǎn", "fa1 zhan3", script="traditional")
    assert writing.drawing(entry).chars == ["發", "展"]


def test_without_stroke_data_no_word_is_writable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(strokes, "data_dir", lambda: None)
    assert not writing.writable(ENTRIES[0])
    assert not applicable(ENTRIES[0], writing.WRITE)
    drawing = writing.drawing(ENTRIES[0])
    assert drawing.chars == [] and drawing.skipped == list("新质生产力")


@pytest.mark.parametrize(
    ("mistakes", "hints", "outline", "chars", "rating"),
    [
        (0, 0, False, 3, Rating.Easy),
        (2, 0, False, 3, Rating.Good),
        (3, 0, False, 3, Rating.Good),  # a slip per character
        (4, 0, False, 3, Rating.Hard),
        (0, 0, True, 3, Rating.Hard),  # traced over the outline
        (5, 1, False, 3, Rating.Again),  # a stroke needed the hint
    ],
)
def test_the_grade_follows_the_mistakes(mistakes: int, hints: int, outline: bool, chars: int, rating: Rating) -> None:
    result = writing.Result(mistakes, hints, outline, chars)
    assert result.rating == rating
    assert result.correct == (rating != Rating.Again)


def test_the_browsers_report_is_read_defensively() -> None:
    result = writing.Result.from_value({"mistakes": "lots", "hints": -2, "outline": 1, "extra": [1]}, 2)
    assert (result.mistakes, result.hints, result.outline, result.chars) == (0, 0, True, 2)
    assert writing.Result(1, 0, False, 2).summary() == "1 mistake in 2 characters"
    assert writing.Result(7, 2, True, 1).summary() == "7 mistakes in 1 character (hints on 2 strokes, outline shown)"


@needs_data
def test_write_questions_are_chosen_and_stored_as_reviews(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    try:
        ann = store.learner("Ann")
        practice = Practice(ENTRIES, store, ann, writing.WRITE, seed=4)
        question = practice.next_question()
        assert question is not None and question.mode == writing.WRITE
        entry = practice.by_key[question.key]
        assert question.prompt == entry.pinyin and question.answer == entry.headword
        result = writing.Result(1, 0, False, len(entry.headword))
        outcome = Outcome(Verdict(result.correct, result.summary()), result.rating, 20.0)
        practice.record(question, outcome, result.rating, answer=result.summary())
        (review,) = store.reviews(ann)
        assert (review.mode, review.rating, review.correct) == ("write", int(Rating.Good), True)
        assert practice.next_question().key != question.key  # type: ignore[union-attr]
    finally:
        store.close()


def test_write_is_not_mixed_into_review_due() -> None:
    from learn.quiz.practice import ORDER

    assert writing.WRITE not in ORDER
    assert make_question(ENTRIES[0], "write", ENTRIES) is None or writing.writable(ENTRIES[0])


def test_the_component_folder_is_made_from_the_installed_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package = tmp_path / "hanzi-writer"
    (package / "dist").mkdir(parents=True)
    (package / "dist" / components.SCRIPT).write_text("window.HanziWriter = {};", encoding="utf-8")
    (package / "LICENSE").write_text("MIT", encoding="utf-8")
    monkeypatch.setenv("LEARN_HANZI_WRITER", str(package))
    monkeypatch.setenv("LEARN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(components.sys, "prefix", str(tmp_path / "no-venv"))
    folder = components.write_folder()
    assert folder is not None and folder.is_relative_to(tmp_path / "cache")
    assert (folder / components.SCRIPT).read_text(encoding="utf-8") == "window.HanziWriter = {};"
    assert (folder / "LICENSE.hanzi-writer").is_file()
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<script src="hanzi-writer.min.js"></script>' in page and "http" not in page.split("<style>")[0]
    monkeypatch.setenv("LEARN_HANZI_WRITER", str(tmp_path / "nowhere"))
    assert components.write_folder() is None


def test_no_frontend_file_fetches_anything() -> None:
    """Offline: no URL but the SVG namespace, no fetch, and only the local hanzi-writer script."""
    for page in components.FRONTEND.glob("*/index.html"):
        text = page.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, page
        assert "fetch(" not in text and "XMLHttpRequest" not in text and "import(" not in text, page
        assert set(re.findall(r'src="([^"]*)"', text)) <= {"hanzi-writer.min.js"}, page
