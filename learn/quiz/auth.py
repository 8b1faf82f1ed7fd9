"""Auth: who may open a profile or the teacher's page on a shared quiz server.

Class mode (`learn quiz --class`, or LEARN_CLASS=1) gives every profile a PIN. A PIN is kept only
as an scrypt hash with its own random salt, so a copy of the database does not reveal it. Wrong
PINs are counted in the database (not in the browser session, which a reload would reset): after
MAX_TRIES misses the profile is locked, for LOCK_SECONDS, then twice as long each further time.
The teacher's password lives in the server's environment (LEARN_TEACHER_PASSWORD), is compared in
constant time, and is rate-limited the same way.

Tables (beside the store's, on its engine; no change to the store's own tables)
  learner_pins     learner id → "scrypt$n$r$p$salt$hash"
  sign_in_limits   who ("learner:7", "teacher") → misses in a row, locks so far, locked until
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Integer, String, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from learn.errors import LearnError
from learn.quiz.store import UTCDateTime, create_tables

CLASS_ENV = "LEARN_CLASS"
TEACHER_ENV = "LEARN_TEACHER_PASSWORD"
MAX_TRIES = 5  # wrong answers in a row before a lock
LOCK_SECONDS = 30.0  # the first lock; each further lock doubles it
MAX_LOCK_SECONDS = 3600.0
MIN_PIN, MAX_PIN = 4, 64
# scrypt cost: 16 MiB and ~50 ms per check, enough to make guessing a stolen hash slow
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
TEACHER = "teacher"


class _Base(DeclarativeBase):
    pass


class PinRow(_Base):
    __tablename__ = "learner_pins"
    learner_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pin_hash: Mapped[str] = mapped_column(String(255))


class LimitRow(_Base):
    __tablename__ = "sign_in_limits"
    subject: Mapped[str] = mapped_column(String(80), primary_key=True)
    misses: Mapped[int] = mapped_column(Integer, default=0)
    locks: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


@dataclass(frozen=True)
class Attempt:
    """The result of one sign-in attempt: allowed or not, what to tell the user, seconds to wait."""

    ok: bool
    message: str = ""
    wait: float = 0.0


def class_mode() -> bool:
    """Whether the server runs in class mode (LEARN_CLASS set to 1/true/yes/on)."""
    return os.environ.get(CLASS_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def teacher_password() -> str:
    """The teacher's password from the environment ('' when the teacher's page is off)."""
    return os.environ.get(TEACHER_ENV, "")


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """An scrypt hash of `pin` with a fresh 16-byte salt, parameters included for later checks."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Whether `pin` matches a hash made by hash_pin (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(
            pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
        )
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


def same_secret(given: str, expected: str) -> bool:
    """Constant-time equality that does not even leak the length (both sides hashed first)."""
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), hashlib.sha256(expected.encode()).digest())


def check_new_pin(pin: str, again: str) -> None:
    """Refuse a PIN that is too short, too long, or typed differently twice."""
    if len(pin) < MIN_PIN:
        raise LearnError(f"a PIN has at least {MIN_PIN} characters")
    if len(pin) > MAX_PIN:
        raise LearnError(f"a PIN has at most {MAX_PIN} characters")
    if pin != again:
        raise LearnError("the two PINs differ; type the same PIN twice")


def lock_seconds(locks: int) -> float:
    """How long the `locks`-th lock lasts (1st: LOCK_SECONDS, doubling, capped)."""
    return min(LOCK_SECONDS * 2 ** max(locks - 1, 0), MAX_LOCK_SECONDS)


def _wait_words(seconds: float) -> str:
    whole = max(int(seconds + 0.999), 1)
    return f"{whole} s" if whole < 120 else f"{(whole + 59) // 60} min"


class Auth:
    """PINs and sign-in limits kept in the store's database (any engine the store uses)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        create_tables(engine, _Base.metadata)  # under the database lock: servers may start together

    # PINs -------------------------------------------------------------------------------------
    def has_pin(self, learner_id: int) -> bool:
        with Session(self.engine) as s:
            return s.get(PinRow, learner_id) is not None

    def set_pin(self, learner_id: int, pin: str, *, replace: bool = False) -> None:
        """Give a profile its PIN; refused when it has one already, unless `replace` (the teacher's reset)."""
        hashed = hash_pin(pin)
        with Session(self.engine) as s:
            row = s.get(PinRow, learner_id)
            if row is not None and not replace:
                raise LearnError("that profile already has a PIN")
            if row is None:
                s.add(PinRow(learner_id=learner_id, pin_hash=hashed))
            else:
                row.pin_hash = hashed
            try:
                s.commit()
            except IntegrityError:  # another session claimed the profile a moment ago
                raise LearnError("that profile already has a PIN") from None
        if replace:
            self.clear_limit(f"learner:{learner_id}")

    def sign_in(self, learner_id: int, pin: str, when: datetime | None = None) -> Attempt:
        """Check a learner's PIN, counting misses; a locked profile is not even checked."""
        with Session(self.engine) as s:
            row = s.get(PinRow, learner_id)
        if row is None:
            return Attempt(False, "This profile has no PIN yet: ask your teacher to set one.")
        return self.attempt(f"learner:{learner_id}", lambda: verify_pin(pin, row.pin_hash), when)

    def teacher_sign_in(self, password: str, when: datetime | None = None) -> Attempt:
        """Check the teacher's password (rate-limited like a PIN)."""
        expected = teacher_password()
        if not expected:
            return Attempt(False, f"The teacher's page is off: set {TEACHER_ENV} on the server.")
        return self.attempt(TEACHER, lambda: same_secret(password, expected), when)

    # limits -----------------------------------------------------------------------------------
    def attempt(self, subject: str, check: Callable[[], bool], when: datetime | None = None) -> Attempt:
        """Run `check()` unless `subject` is locked; record the outcome in one transaction."""
        when = when or datetime.now(UTC)
        self._ensure_limit(subject)
        with Session(self.engine) as s, s.begin():
            # a no-op write first: it locks the row (PostgreSQL) or the database (SQLite) until commit,
            # so concurrent tries on one subject queue up and none of their counts is lost
            s.execute(update(LimitRow).where(LimitRow.subject == subject).values(misses=LimitRow.misses))
            row = s.scalar(select(LimitRow).where(LimitRow.subject == subject))
            assert row is not None
            if row.locked_until is not None and row.locked_until > when:
                wait = (row.locked_until - when).total_seconds()
                return Attempt(False, f"Too many wrong tries: wait {_wait_words(wait)} and try again.", wait)
            if check():
                row.misses, row.locks, row.locked_until = 0, 0, None
                return Attempt(True)
            row.misses += 1
            if row.misses < MAX_TRIES:
                left = MAX_TRIES - row.misses
                return Attempt(False, f"Wrong. {left} {'try' if left == 1 else 'tries'} left before a pause.")
            row.misses, row.locks = 0, row.locks + 1
            wait = lock_seconds(row.locks)
            row.locked_until = when + timedelta(seconds=wait)
            return Attempt(False, f"Too many wrong tries: wait {_wait_words(wait)} and try again.", wait)

    def _ensure_limit(self, subject: str) -> None:
        """The subject's counter row, created once (two first attempts at once: one insert wins)."""
        with Session(self.engine) as s:
            if s.get(LimitRow, subject) is not None:
                return
            s.add(LimitRow(subject=subject, misses=0, locks=0, locked_until=None))
            try:
                s.commit()
            except IntegrityError:
                s.rollback()

    def clear_limit(self, subject: str) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(LimitRow, subject)
            if row is not None:
                row.misses, row.locks, row.locked_until = 0, 0, None
