"""Known words and "Add to my reviews" on SQLite and PostgreSQL: a known word gets no new card in
any mode (its due cards still come), an added word is the next "Review due" question, and the
known list is a word list `learn extract --known` reads."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from quiz_entries import ENTRIES

from learn.cli.known import read_known
from learn.quiz import scheduler
from learn.quiz.known import KnownWords, add_to_reviews, review_mode
from learn.quiz.practice import Practice
from learn.quiz.questions import REVIEW
from learn.quiz.store import Store


def open_both(url: str) -> tuple[Store, KnownWords]:
    store = Store(url)
    return store, KnownWords(store.engine)


def test_marking_forgetting_and_the_word_list(db_url: str, tmp_path: Path) -> None:
    store, known = open_both(db_url)
    try:
        ann, bo = store.learner("Ann"), store.learner("Bo")
        known.mark(ann, ENTRIES[1])
        known.mark(ann, ENTRIES[1])  # twice: one row
        known.mark(ann, ENTRIES[3])
        known.mark(bo, ENTRIES[0])
        assert known.keys(ann) == {ENTRIES[1].key, ENTRIES[3].key}
        assert known.keys(bo) == {ENTRIES[0].key}  # learners never see each other's words
        known.forget(ann, ENTRIES[3].key)
        assert known.keys(ann) == {ENTRIES[1].key}
        listing = tmp_path / "known.txt"
        listing.write_text(known.word_list(ann), encoding="utf-8")
        assert read_known(str(listing)) == {"绿色", "綠色"}
    finally:
        store.close()


def test_a_known_word_gets_no_new_card_in_any_mode(db_url: str) -> None:
    store, known = open_both(db_url)
    try:
        ann = store.learner("Ann")
        for entry in ENTRIES[1:]:
            known.mark(ann, entry)
        for mode in ("meaning", "pinyin", REVIEW):
            practice = Practice(ENTRIES, store, ann, mode, seed=1, known=lambda: known.keys(ann))
            seen = set()
            for _ in range(6):
                question = practice.next_question()
                assert question is not None
                seen.add(question.key)
            assert seen == {ENTRIES[0].key}, mode  # only the word not marked known, again and again
    finally:
        store.close()


def test_a_known_words_due_card_still_comes(db_url: str) -> None:
    store, known = open_both(db_url)
    try:
        ann = store.learner("Ann")
        practice = Practice(ENTRIES, store, ann, "meaning", seed=2, known=lambda: known.keys(ann))
        question = practice.next_question()
        assert question is not None
        past = scheduler.now() - timedelta(days=30)
        outcome = practice.check(question, question.answer, 3.0)
        practice.record(question, outcome, scheduler.RATINGS["Again"], when=past)
        for entry in ENTRIES:
            known.mark(ann, entry)
        assert practice.next_question() is not None
        assert practice.next_question().key == question.key  # type: ignore[union-attr]
    finally:
        store.close()


def test_an_added_word_is_the_next_review_question(db_url: str) -> None:
    store, _known = open_both(db_url)
    try:
        ann = store.learner("Ann")
        added = ENTRIES[5]  # 产业链, ranked sixth: a new learner would meet it late
        assert add_to_reviews(store.engine, ann, added) == "meaning"
        assert add_to_reviews(store.engine, ann, added) == "meaning"  # twice: still one card
        cards = store.cards(ann)
        assert list(cards) == [(added.key, "meaning")] and cards[(added.key, "meaning")].reps == 0
        question = Practice(ENTRIES, store, ann, REVIEW, seed=3).next_question()
        assert question is not None and (question.key, question.mode) == (added.key, "meaning")
        assert store.reviews(ann) == []  # adding is no review
    finally:
        store.close()


def test_a_word_that_cannot_be_asked_is_not_added(db_url: str) -> None:
    from learn.entry import Entry

    store, _known = open_both(db_url)
    try:
        bare = Entry("某某")  # no meaning, no reading, no sentence, no other script
        assert review_mode(bare) is None
        assert add_to_reviews(store.engine, store.learner("Ann"), bare) is None
        assert store.cards(store.learner("Ann")) == {}
    finally:
        store.close()
