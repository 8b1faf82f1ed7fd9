"""The teacher's view of a class: per-learner figures, hardest and unstarted words, CSV exports,
and a re-teach handout made from the class's hardest words with their source sentences — all of
them from the materials the teacher set, never from a learner's own texts."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from quiz_entries import ENTRIES

from learn.entry import Entry, Example
from learn.quiz.practice import Practice
from learn.quiz.questions import make_question
from learn.quiz.store import Store
from learn.quiz.teacher import COMMAND_LINE, Classroom, learners_csv, reteach_pdf, reteach_text

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def answer(
    store: Store,
    learner: int,
    entry: Entry,
    right: bool,
    when: datetime,
    answer: str = "",
    material: list[Entry] = ENTRIES,
) -> None:
    """One meaning question on `entry` of `material`, answered right or wrong, graded as suggested."""
    practice = Practice(material, store, learner, "meaning", seed=0)
    question = make_question(entry, "meaning", material)
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
    room.set_material("words.json", ENTRIES, COMMAND_LINE)
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


# Mallory's own text, made up for this test: insults and a sentence nobody should see on a handout
MALLORY = [
    Entry(
        word,
        definitions=[meaning],
        pinyin=pinyin,
        pinyin_numbered=numbered,
        kind="word",
        count=2,
        examples=[Example("老师是个大笨蛋，考试作弊没关系，大笨蛋才认真复习。")],
        source="pasted text",
    )
    for word, pinyin, numbered, meaning in [
        ("大笨蛋", "dà bèn dàn", "da4 ben4 dan4", "big fool"),
        ("考试作弊", "kǎo shì zuò bì", "kao3 shi4 zuo4 bi4", "cheating in an exam"),
        ("没关系", "méi guān xi", "mei2 guan1 xi5", "never mind"),
        ("认真", "rèn zhēn", "ren4 zhen1", "conscientious"),
        ("复习", "fù xí", "fu4 xi2", "to revise"),
    ]
]


def test_a_learners_own_text_never_reaches_the_teacher(classroom: tuple[Store, Classroom]) -> None:
    """Issue 23: Mallory pasted a text and answered five questions wrong on purpose; its words
    reached the class's hardest words, the unstarted count and the re-teach handout. Now the class
    figures count the class materials' words only."""
    store, room = classroom
    before = (room.hardest(), len(room.unstarted()), room.log_csv(), room.reteach_entries())
    mallory = store.learner("Mallory")
    for n, entry in enumerate(MALLORY):
        answer(store, mallory, entry, False, T0 + timedelta(minutes=10 + n), material=MALLORY)
    assert len(store.reviews(mallory)) == 5  # her own progress keeps them
    assert (room.hardest(), len(room.unstarted()), room.log_csv(), room.reteach_entries()) == before
    stats = {s.name: s for s in room.learners(T0 + timedelta(hours=1))}
    assert (stats["Mallory"].reviews, stats["Mallory"].due, stats["Mallory"].last) == (0, 0, None)
    assert "大笨蛋" not in reteach_text(room.reteach_entries())
    # a word of the class's material counts from wherever it is practised (the class's entry is used)
    answer(store, mallory, ENTRIES[5], False, T0 + timedelta(minutes=20), material=[ENTRIES[5], *MALLORY])
    assert room.hardest()[0].word == "产业链" and room.hardest()[0].learners == 2
    assert room.reteach_entries()[0].examples[0].sentence == ENTRIES[5].examples[0].sentence


def test_class_materials_are_set_replaced_and_removed(db_url: str) -> None:
    store = Store(db_url)
    room = Classroom(store.engine)
    assert room.materials() == [] and room.words() == {} and room.hardest() == []
    room.set_material("week 1", ENTRIES[:4], COMMAND_LINE)
    assert not room.set_material("week 1", ENTRIES, replace=False)  # a restart does not overwrite
    room.set_material("week 2", ENTRIES[3:])
    assert list(room.material_versions()) == ["week 1", "week 2"]
    assert [e.simplified for e in room.material("week 1") or []] == [e.simplified for e in ENTRIES[:4]]
    assert list(room.words()) == [e.key for e in ENTRIES]  # 创新 once, from week 1
    answer(store, store.learner("Ann"), ENTRIES[6], False, T0)
    assert [h.word for h in room.hardest()] == ["先立后破"]
    room.remove_material("week 2")
    assert list(room.material_versions()) == ["week 1"] and room.hardest() == [] and room.material("week 2") is None
    store.close()


def test_reteach_handout_is_a_pdf_through_the_handout_code(classroom: tuple[Store, Classroom]) -> None:
    handout = pytest.importorskip("learn.handout.pdf")
    try:
        handout.font_dirs()
    except Exception as err:  # noqa: BLE001 — no CJK font on this machine
        pytest.skip(f"no CJK font: {err}")
    _store, room = classroom
    pdf = reteach_pdf(room.reteach_entries())
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
