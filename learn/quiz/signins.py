"""Sign-ins that outlive one server process: a learner (class mode) or the teacher stays signed in
after a reload, a server restart, or a move to another worker process of `learn quiz --workers N`.

Streamlit keeps st.session_state in the memory of one process, and a reload starts a new session
even there. So a successful sign-in also gets a random token: the browser keeps it in a cookie
that lasts until the browser closes, and the database keeps only the token's SHA-256, with whom it
signs in and when it was last used. Any process of the server can then check it. A token ends
with Sign out, after IDLE_HOURS unused, when the teacher gives the learner a new PIN, and (for the
teacher) when the teacher's password changes, since the password's fingerprint is part of it.

Table (beside the store's, on its engine)
  sign_ins   token hash → subject ("learner:7" or "teacher:<fingerprint>"), created, last used

These are not the trust tokens of learn.quiz.auth, which only spare a browser the pauses other
browsers' wrong guesses caused and open nothing by themselves: a sign-in token opens the profile.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from learn.quiz.auth import learner_subject
from learn.quiz.store import LearnerRow, UTCDateTime, create_tables

IDLE_HOURS = 12.0  # a sign-in unused this long ends (a class day; a shared computer left signed in)
TOUCH_MINUTES = 10.0  # last use is written at most this often (one write per session, not per click)
LEARNER_COOKIE, TEACHER_COOKIE = "learn_sign_in", "learn_teacher"


class _Base(DeclarativeBase):
    pass


class SignInRow(_Base):
    __tablename__ = "sign_ins"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject: Mapped[str] = mapped_column(String(120), index=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def teacher_subject(password: str) -> str:
    """The teacher's subject, tied to the current password: a new password ends old sign-ins."""
    return "teacher:" + hashlib.sha256(b"learn-teacher:" + password.encode()).hexdigest()[:32]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SignIns:
    """Sign-in tokens kept in the store's database, valid on every server process that shares it."""

    def __init__(self, engine: Engine):
        self.engine = engine
        create_tables(engine, _Base.metadata)  # under the database lock: servers may start together

    def start(self, subject: str, when: datetime | None = None) -> str:
        """A new token for `subject` (to put in the browser's cookie; only its hash is stored)."""
        when = when or datetime.now(UTC)
        token = secrets.token_urlsafe(32)
        with Session(self.engine) as s, s.begin():
            s.execute(delete(SignInRow).where(SignInRow.last_used < when - timedelta(hours=IDLE_HOURS)))
            s.add(SignInRow(token_hash=_hash(token), subject=subject, created=when, last_used=when))
        return token

    def subject(self, token: str, when: datetime | None = None) -> str | None:
        """Whom `token` signs in, or None (unknown, signed out, or unused for IDLE_HOURS)."""
        if not token or len(token) > 100:
            return None
        when = when or datetime.now(UTC)
        key = _hash(token)
        with Session(self.engine) as s, s.begin():
            row = s.get(SignInRow, key)
            if row is None:
                return None
            if when - row.last_used > timedelta(hours=IDLE_HOURS):
                s.delete(row)
                return None
            if when - row.last_used > timedelta(minutes=TOUCH_MINUTES):
                s.execute(update(SignInRow).where(SignInRow.token_hash == key).values(last_used=when))
            return row.subject

    def learner(self, token: str, when: datetime | None = None) -> tuple[int, str] | None:
        """The learner (id, name) `token` signs in, or None (no such sign-in, or not a learner's)."""
        subject = self.subject(token, when) or ""
        number = subject.partition(":")[2]
        if not number.isdigit() or subject != learner_subject(int(number)):
            return None
        with Session(self.engine) as s:
            name = s.scalar(select(LearnerRow.name).where(LearnerRow.id == int(number)))
        return None if name is None else (int(number), name)

    def end(self, token: str) -> None:
        """Sign out: the token no longer signs anyone in, on any process."""
        if token:
            with Session(self.engine) as s, s.begin():
                s.execute(delete(SignInRow).where(SignInRow.token_hash == _hash(token)))

    def end_all(self, subject: str) -> int:
        """End every sign-in of `subject` (a learner given a new PIN); returns how many there were."""
        with Session(self.engine) as s, s.begin():
            gone = list(s.scalars(select(SignInRow.token_hash).where(SignInRow.subject == subject)))
            s.execute(delete(SignInRow).where(SignInRow.subject == subject))
        return len(gone)
