"""Sign-ins kept in the database: any server process that shares it knows who a browser's token
signs in, until Sign out, IDLE_HOURS unused, a new PIN, or (the teacher) a new password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.quiz.auth import learner_subject
from learn.quiz.signins import IDLE_HOURS, TOUCH_MINUTES, SignInRow, SignIns, teacher_subject
from learn.quiz.store import Store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_a_token_signs_in_on_every_process_and_only_its_hash_is_stored(store: Store) -> None:
    ann = store.learner("Ann")
    token = SignIns(store.engine).start(learner_subject(ann), T0)
    elsewhere = SignIns(Store(store.url).engine)  # another server process on the same database
    assert elsewhere.learner(token, T0) == (ann, "Ann")
    assert elsewhere.subject(token, T0) == learner_subject(ann)
    with Session(store.engine) as s:
        kept = list(s.scalars(select(SignInRow.token_hash)))
    assert kept and token not in kept[0] and len(kept[0]) == 64
    assert elsewhere.learner(token[:-1] + ("A" if token[-1] != "A" else "B"), T0) is None
    assert elsewhere.learner("") is None and elsewhere.learner("x" * 500) is None


def test_sign_out_ends_the_token_everywhere(store: Store) -> None:
    sign_ins = SignIns(store.engine)
    token = sign_ins.start(learner_subject(store.learner("Ann")), T0)
    assert sign_ins.subject(token, T0) is not None
    SignIns(store.engine).end(token)
    assert sign_ins.subject(token, T0) is None


def test_an_unused_sign_in_ends_after_the_idle_hours_and_use_keeps_it(store: Store) -> None:
    sign_ins = SignIns(store.engine)
    subject = learner_subject(store.learner("Ann"))
    kept, left = sign_ins.start(subject, T0), sign_ins.start(subject, T0)
    later = T0 + timedelta(hours=IDLE_HOURS * 0.75)
    assert sign_ins.subject(kept, later) == subject  # used: its clock starts again
    much_later = T0 + timedelta(hours=IDLE_HOURS * 1.5)
    assert sign_ins.subject(kept, much_later) == subject
    assert sign_ins.subject(left, much_later) is None


def test_use_is_written_at_most_every_few_minutes(store: Store) -> None:
    sign_ins = SignIns(store.engine)
    token = sign_ins.start(learner_subject(store.learner("Ann")), T0)

    def last_used() -> datetime:
        with Session(store.engine) as s:
            value = s.scalar(select(SignInRow.last_used))
        assert value is not None
        return value

    sign_ins.subject(token, T0 + timedelta(minutes=TOUCH_MINUTES / 2))
    assert last_used() == T0
    sign_ins.subject(token, T0 + timedelta(minutes=TOUCH_MINUTES * 2))
    assert last_used() == T0 + timedelta(minutes=TOUCH_MINUTES * 2)


def test_a_new_pin_ends_every_sign_in_of_that_learner_only(store: Store) -> None:
    sign_ins = SignIns(store.engine)
    ann, bob = store.learner("Ann"), store.learner("Bob")
    phone, laptop, bobs = (sign_ins.start(learner_subject(who), T0) for who in (ann, ann, bob))
    assert sign_ins.end_all(learner_subject(ann)) == 2
    assert sign_ins.learner(phone, T0) is None and sign_ins.learner(laptop, T0) is None
    assert sign_ins.learner(bobs, T0) == (bob, "Bob")


def test_the_teachers_sign_in_is_tied_to_the_password(store: Store) -> None:
    sign_ins = SignIns(store.engine)
    token = sign_ins.start(teacher_subject("old chalk"), T0)
    assert sign_ins.subject(token, T0) == teacher_subject("old chalk") != teacher_subject("new chalk")
    assert "old chalk" not in teacher_subject("old chalk")
    assert sign_ins.learner(token, T0) is None  # a teacher's token opens no learner's profile
