"""The teacher's view of a class: per-learner figures, hardest and unstarted words, CSV exports,
and a re-teach handout made from the class's hardest words with their source sentences."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from quiz_entries import ENTRIES

from learn.entry import Entry
from learn.quiz.practice import Practice
from learn.quiz.questions import make_question
from learn.quiz.store import Store
from learn.quiz.teacher import Classroom, learners_csv, reteach_pdf, reteach_text

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def answer(store: Store, learner: int, entry: Entry, right: bool, when: datetime, answer: str = "") -> None:
    """One meaning question on `entry`, answered right or wrong, graded as suggested."""
    practice = Practice(ENTRIES, store, learner, "meaning", seed=0)
    question = make_question(entry, "meaning", ENTRIES)
    assert question is not None
    response = question.answer if right else next(o for o in question.options if o != question.answer)
    outcome = practice.check(question, response, 4.0)
    practice.record(question, outcome, outcome.suggested, answer=answer or response, when=when)


@pytest.fixture
def classroom(db_url: str) -> Iterator[tuple[Store, Classroom]]:
    """Three learners on a fresh database (SQLite and PostgreSQL): Ann and Bob answered, Cai did not."""
    store = Store(db_url)
    room = Classroom(store.engine)
    ann, bob = store.learner("Ann"), store.learner("Bob")
    store.learner("Cai")  # signed up, never practised
    room.remember(ENTRIES)
    green, develop, chain = ENTRIES[1], ENTRIES[2], ENTRIES[5]
    answer(store, ann, green, False, T0)
    answer(store, ann, green, True, T0 + timedelta(minutes=1))
    answer(store, ann, develop, True, T0 + timedelta(minutes=2), answer="=SUM(A1)")
    answer(store, bob, green, False, T0 + timedelta(minutes=3))
    answer(store, bob, chain, False, T0 + timedelta(minutes=4))
    yield store, room
    store.close()


def test_each_learners_reviews_accuracy_and_due_count(classroom: tuple[Store, Classroom]) -> None:
    _store, room = classroom
    stats = {s.name: s for s in room.learners(T0 + timedelta(minutes=5))}
    assert list(stats) == ["Ann", "Bob", "Cai"]
    assert (stats["Ann"].reviews, stats["Ann"].right, stats["Ann"].accuracy) == (3, 2, 2 / 3)
    assert (stats["Bob"].reviews, stats["Bob"].right) == (2, 0)
    assert (stats["Cai"].reviews, stats["Cai"].accuracy, stats["Cai"].due, stats["Cai"].last) == (0, None, 0, None)
    assert stats["Bob"].due == 2  # both wrong answers come back within minutes
    assert stats["Ann"].last == T0 + timedelta(minutes=2) and stats["Ann"].last.tzinfo is not None
    # a week later every card of Ann's is due
    assert {s.name: s.due for s in room.learners(T0 + timedelta(days=60))}["Ann"] == 2


def test_hardest_words_across_the_class_and_words_nobody_started(classroom: tuple[Store, Classroom]) -> None:
    _store, room = classroom
    hard = room.hardest()
    assert [(h.word, h.wrong, h.reviews, h.learners) for h in hard] == [("绿色", 2, 3, 2), ("产业链", 1, 1, 1)]
    assert hard[0].meaning.startswith("green") and hard[0].pinyin == "lǜ sè"
    unstarted = {e.simplified for e in room.unstarted()}
    assert unstarted == {e.simplified for e in ENTRIES} - {"绿色", "发展", "产业链"}
    assert room.remember(ENTRIES) == 0  # known words are not added twice


def test_csv_exports_name_learners_and_defuse_formulas(classroom: tuple[Store, Classroom]) -> None:
    store, room = classroom
    rows = list(csv.DictReader(io.StringIO(room.log_csv())))
    assert len(rows) == 5 and {r["learner"] for r in rows} == {"Ann", "Bob"}
    assert rows[0]["word"] == "绿色" and rows[0]["correct"] == "0" and rows[0]["rating"] == "Again"
    assert any(r["answer"] == "'=SUM(A1)" for r in rows)  # not run as a formula by a spreadsheet
    summary = list(csv.DictReader(io.StringIO(learners_csv(room.learners(T0)))))
    assert [(r["learner"], r["reviews"], r["accuracy"]) for r in summary] == [
        ("Ann", "3", "0.67"),
        ("Bob", "2", "0.00"),
        ("Cai", "0", ""),
    ]
    assert store.learner("=cmd") and "'=cmd" in learners_csv(room.learners(T0))


def test_reteach_entries_carry_their_source_sentences(classroom: tuple[Store, Classroom]) -> None:
    _store, room = classroom
    entries = room.reteach_entries()
    assert [e.simplified for e in entries] == ["绿色", "产业链"]
    assert entries[0].examples and entries[0].examples[0].sentence in reteach_text(entries)
    assert reteach_text(entries).splitlines() == [ENTRIES[1].examples[0].sentence, ENTRIES[5].examples[0].sentence]


def test_reteach_of_a_word_the_class_list_does_not_know() -> None:
    store = Store("sqlite://")
    room = Classroom(store.engine)  # nothing remembered
    answer(store, store.learner("Ann"), ENTRIES[3], False, T0)
    [entry] = room.reteach_entries()
    assert (entry.simplified, entry.pinyin, entry.pinyin_numbered) == ("创新", "chuàng xīn", "chuang4 xin1")
    assert entry.definitions == ["to innovate", "innovation"]


def test_reteach_handout_is_a_pdf_through_the_handout_code(classroom: tuple[Store, Classroom]) -> None:
    handout = pytest.importorskip("learn.handout.pdf")
    try:
        handout.font_dirs()
    except Exception as err:  # noqa: BLE001 — no CJK font on this machine
        pytest.skip(f"no CJK font: {err}")
    _store, room = classroom
    pdf = reteach_pdf(room.reteach_entries())
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
