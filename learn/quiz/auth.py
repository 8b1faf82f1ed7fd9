"""Auth: who may open a profile or the teacher's page on a shared quiz server.

Class mode (`learn quiz --class`, or LEARN_CLASS=1) gives every profile a PIN. A PIN is kept only
as an scrypt hash with its own random salt, so a copy of the database does not reveal it. The
teacher's password lives in the server's environment (LEARN_TEACHER_PASSWORD) and is compared in
constant time.

Guessing is slowed down without letting a guesser lock anybody out (OWASP's "device cookie"
scheme, from its guidance on lock-outs): a browser that has signed in to a profile (or made it)
gets a random trust token, kept in a cookie. Sign-ins are then limited three ways, all counted in
the database, so a reload or a second server changes nothing:
  trusted browser   its own count: MAX_TRIES misses pause that browser alone (30 s, doubling)
  other browsers    one shared count per profile: MAX_TRIES misses pause every untrusted browser
                    for that profile, 30 s doubling up to MAX_LOCK_SECONDS (a day)
  one address       across all profiles, untrusted misses from one network address drain a bucket
                    of CLIENT_BURST that refills at CLIENT_PER_HOUR
A guesser, however many addresses it has, gets about MAX_TRIES guesses a day at a profile once
the pause has grown; the rightful user, from a browser they have signed in with before, is never
held up by those misses. benchmarks/bench_quiz_guessing.py measures the figures.

Tables (beside the store's, on its engine; no change to the store's own tables)
  learner_pins     learner id → "scrypt$n$r$p$salt$hash"
  sign_in_limits   who ("learner:7", "teacher", "device:<hash>") → misses in a row, locks so far, locked until
  trusted_devices  sha256 of a trust token → the profile it opens, when it was given
  client_limits    sha256 of a network address → bucket level, when it was last updated
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Float, Integer, String, delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from learn.errors import LearnError
from learn.quiz.store import UTCDateTime, create_tables

CLASS_ENV = "LEARN_CLASS"
TEACHER_ENV = "LEARN_TEACHER_PASSWORD"
MAX_TRIES = 5  # wrong answers in a row before a lock
LOCK_SECONDS = 30.0  # the first lock; each further lock doubles it
MAX_LOCK_SECONDS = 86_400.0  # a day: with trusted browsers exempt, a long pause costs the rightful user nothing
CLIENT_BURST = 20  # untrusted misses one network address may make at once, across profiles
CLIENT_PER_HOUR = 5.0  # … and then per hour
TRUST_DAYS = 180  # how long a browser stays trusted for a profile
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


class DeviceRow(_Base):
    __tablename__ = "trusted_devices"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject: Mapped[str] = mapped_column(String(80), index=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime)


class ClientRow(_Base):
    __tablename__ = "client_limits"
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[float] = mapped_column(Float, default=0.0)
    updated: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Client:
    """Who is knocking: the network address the server sees, and the trust token this browser
    holds for the profile in question ('' when none)."""

    address: str = ""
    token: str = ""


@dataclass(frozen=True)
class Attempt:
    """The result of one sign-in attempt: allowed or not, what to tell the user, seconds to wait,
    and (when allowed) the trust token this browser should keep for the profile."""

    ok: bool
    message: str = ""
    wait: float = 0.0
    token: str = ""


def class_mode() -> bool:
    """Whether the server runs in class mode (LEARN_CLASS set to 1/true/yes/on)."""
    return os.environ.get(CLASS_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def teacher_password() -> str:
    """The teacher's password from the environment ('' when the teacher's page is off)."""
    return os.environ.get(TEACHER_ENV, "")


def learner_subject(learner_id: int) -> str:
    """The name a learner's limits and trust tokens are kept under."""
    return f"learner:{learner_id}"


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
    return min(LOCK_SECONDS * 2 ** min(max(locks - 1, 0), 40), MAX_LOCK_SECONDS)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _wait_words(seconds: float) -> str:
    whole = max(int(seconds + 0.999), 1)
    if whole < 120:
        return f"{whole} s"
    minutes = (whole + 59) // 60
    return f"{minutes} min" if minutes < 120 else f"{(minutes + 59) // 60} h"


def _refused(wait: float, template: str) -> Attempt:
    return Attempt(False, template.format(wait=_wait_words(wait)), wait)


PROFILE_PAUSED = (
    "Too many wrong tries for this profile: wait {wait}, or sign in from a browser you have signed in with before."
)
BROWSER_PAUSED = "Too many wrong tries in this browser: wait {wait} and try again."
ADDRESS_PAUSED = (
    "Too many wrong tries from this network: wait {wait}, or sign in from a browser you have signed in with before."
)


class Auth:
    """PINs, trusted browsers and sign-in limits kept in the store's database (any engine the store uses)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        create_tables(engine, _Base.metadata)  # under the database lock: servers may start together

    # PINs -------------------------------------------------------------------------------------
    def has_pin(self, learner_id: int) -> bool:
        with Session(self.engine) as s:
            return s.get(PinRow, learner_id) is not None

    def set_pin(self, learner_id: int, pin: str, *, replace: bool = False) -> None:
        """Give a profile its PIN; refused when it has one already, unless `replace` (the teacher's
        reset, which also ends every pause and the trust of every browser for that profile)."""
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
            self.clear_limit(learner_subject(learner_id))
            self.forget_devices(learner_subject(learner_id))

    def sign_in(self, learner_id: int, pin: str, when: datetime | None = None, client: Client = Client()) -> Attempt:
        """Check a learner's PIN within the limits; a paused attempt is not even checked."""
        with Session(self.engine) as s:
            row = s.get(PinRow, learner_id)
        if row is None:
            return Attempt(False, "This profile has no PIN yet: ask your teacher to set one.")
        return self.attempt(learner_subject(learner_id), lambda: verify_pin(pin, row.pin_hash), when, client)

    def teacher_sign_in(self, password: str, when: datetime | None = None, client: Client = Client()) -> Attempt:
        """Check the teacher's password (limited like a PIN)."""
        expected = teacher_password()
        if not expected:
            return Attempt(False, f"The teacher's page is off: set {TEACHER_ENV} on the server.")
        return self.attempt(TEACHER, lambda: same_secret(password, expected), when, client)

    # trusted browsers -------------------------------------------------------------------------
    def trust(self, subject: str, when: datetime | None = None) -> str:
        """A new trust token for a browser that has just proved it knows `subject`'s secret."""
        token = secrets.token_urlsafe(32)
        with Session(self.engine) as s, s.begin():
            s.add(DeviceRow(token_hash=_digest(token), subject=subject, created=when or datetime.now(UTC)))
        return token

    def trusted(self, subject: str, token: str, when: datetime | None = None) -> bool:
        """Whether `token` was given to a browser for `subject` and has not expired."""
        if not token:
            return False
        when = when or datetime.now(UTC)
        with Session(self.engine) as s:
            row = s.get(DeviceRow, _digest(token))
        return row is not None and row.subject == subject and row.created + timedelta(days=TRUST_DAYS) > when

    def forget_devices(self, subject: str) -> None:
        """End the trust of every browser for `subject` (its PIN was reset)."""
        with Session(self.engine) as s, s.begin():
            s.execute(delete(DeviceRow).where(DeviceRow.subject == subject))

    # limits -----------------------------------------------------------------------------------
    def attempt(
        self, subject: str, check: Callable[[], bool], when: datetime | None = None, client: Client = Client()
    ) -> Attempt:
        """Run `check()` within the limits of `client` for `subject`; record the outcome.

        A trusted browser is limited by its own count only; any other browser by the profile's
        shared count and by its network address's bucket. A refused attempt runs no check.
        """
        when = when or datetime.now(UTC)
        if self.trusted(subject, client.token, when):
            result, _missed = self._counted(f"device:{_digest(client.token)[:32]}", check, when, BROWSER_PAUSED)
            return Attempt(True, token=client.token) if result.ok else result
        address = _digest(client.address or "local")
        wait = self._take_from_bucket(address, when)
        if wait > 0:
            return _refused(wait, ADDRESS_PAUSED)
        result, missed = self._counted(subject, check, when, PROFILE_PAUSED)
        if not missed:  # right, or refused unchecked: no guess was spent
            self._give_back(address)
        return Attempt(True, token=self.trust(subject, when)) if result.ok else result

    def _counted(self, subject: str, check: Callable[[], bool], when: datetime, paused: str) -> tuple[Attempt, bool]:
        """Run `check()` unless `subject` is locked, counting a miss in one transaction; returns
        the attempt and whether it was a checked miss."""
        self._ensure(LimitRow(subject=subject, misses=0, locks=0, locked_until=None))
        with Session(self.engine) as s, s.begin():
            # a no-op write first: it locks the row (PostgreSQL) or the database (SQLite) until commit,
            # so concurrent tries on one subject queue up and none of their counts is lost
            s.execute(update(LimitRow).where(LimitRow.subject == subject).values(misses=LimitRow.misses))
            row = s.scalar(select(LimitRow).where(LimitRow.subject == subject))
            assert row is not None
            if row.locked_until is not None and row.locked_until > when:
                return _refused((row.locked_until - when).total_seconds(), paused), False
            if check():
                row.misses, row.locks, row.locked_until = 0, 0, None
                return Attempt(True), False
            row.misses += 1
            if row.misses < MAX_TRIES:
                left = MAX_TRIES - row.misses
                return Attempt(False, f"Wrong. {left} {'try' if left == 1 else 'tries'} left before a pause."), True
            row.misses, row.locks = 0, row.locks + 1
            wait = lock_seconds(row.locks)
            row.locked_until = when + timedelta(seconds=wait)
            refused = _refused(wait, paused)
            return Attempt(False, "Wrong. " + refused.message, wait), True

    def _take_from_bucket(self, address: str, when: datetime) -> float:
        """Spend one guess of `address`'s bucket: 0 when it had one, else the seconds until it will."""
        self._ensure(ClientRow(client=address, level=0.0, updated=when))
        with Session(self.engine) as s, s.begin():
            s.execute(update(ClientRow).where(ClientRow.client == address).values(level=ClientRow.level))
            row = s.scalar(select(ClientRow).where(ClientRow.client == address))
            assert row is not None
            hours = max((when - row.updated).total_seconds(), 0.0) / 3600
            level = max(row.level - hours * CLIENT_PER_HOUR, 0.0)
            if level > CLIENT_BURST - 1:
                return (level - (CLIENT_BURST - 1)) / CLIENT_PER_HOUR * 3600
            row.level, row.updated = level + 1, max(when, row.updated)
            return 0.0

    def _give_back(self, address: str) -> None:
        """Return a guess taken from the bucket for an attempt that was no miss."""
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(ClientRow)
                .where(ClientRow.client == address, ClientRow.level >= 1)
                .values(level=ClientRow.level - 1)
            )

    def _ensure(self, row: LimitRow | ClientRow) -> None:
        """A counter row, created once (two first attempts at once: one insert wins)."""
        key = row.subject if isinstance(row, LimitRow) else row.client
        with Session(self.engine) as s:
            if s.get(type(row), key) is not None:
                return
            s.add(row)
            try:
                s.commit()
            except IntegrityError:
                s.rollback()

    def clear_limit(self, subject: str) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(LimitRow, subject)
            if row is not None:
                row.misses, row.locks, row.locked_until = 0, 0, None
