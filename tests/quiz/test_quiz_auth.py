"""PINs and the teacher's password: hashed with a salt, checked in constant time, wrong tries
counted in the database so that a reload or a second server does not reset them — and counted so
that a guesser slows down every browser but the rightful user's own (OWASP's device cookies)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.errors import LearnError
from learn.quiz import auth
from learn.quiz.auth import (
    CLIENT_BURST,
    CLIENT_PER_HOUR,
    MAX_TRIES,
    TRUST_DAYS,
    Auth,
    Client,
    DeviceRow,
    LimitRow,
    PinRow,
    check_new_pin,
    hash_pin,
    learner_subject,
    lock_seconds,
    verify_pin,
)
from learn.quiz.store import Store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_a_pin_is_kept_only_as_a_salted_scrypt_hash(store: Store) -> None:
    ann, bob = store.learner("Ann"), store.learner("Bob")
    keeper = Auth(store.engine)
    keeper.set_pin(ann, "4711")
    keeper.set_pin(bob, "4711")
    with Session(store.engine) as s:
        stored = {i: h for i, h in s.execute(select(PinRow.learner_id, PinRow.pin_hash))}
    assert "4711" not in stored[ann] and stored[ann].startswith("scrypt$")
    assert stored[ann] != stored[bob]  # a salt per profile
    assert verify_pin("4711", stored[ann]) and not verify_pin("4712", stored[ann])
    assert not verify_pin("4711", "plain") and not verify_pin("4711", "md5$1$1$1$00$00")
    salt = bytes(16)
    assert hash_pin("4711", salt) == hash_pin("4711", salt) != hash_pin("4711")


def test_a_profile_gets_its_pin_once_unless_the_teacher_resets_it(store: Store) -> None:
    ann = store.learner("Ann")
    keeper = Auth(store.engine)
    assert not keeper.has_pin(ann)
    assert not keeper.sign_in(ann, "1234").ok and "no PIN" in keeper.sign_in(ann, "1234").message
    keeper.set_pin(ann, "1234")
    with pytest.raises(LearnError, match="already has a PIN"):
        keeper.set_pin(ann, "9999")  # nobody takes over a profile by "creating" it
    assert keeper.sign_in(ann, "1234", T0).ok
    keeper.set_pin(ann, "9999", replace=True)
    assert not keeper.sign_in(ann, "1234", T0).ok and keeper.sign_in(ann, "9999", T0).ok


def test_wrong_pins_lock_the_profile_for_longer_each_time(store: Store) -> None:
    ann, bob = store.learner("Ann"), store.learner("Bob")
    keeper = Auth(store.engine)
    keeper.set_pin(ann, "1234")
    keeper.set_pin(bob, "5678")
    for n in range(1, MAX_TRIES):
        attempt = keeper.sign_in(ann, "0000", T0)
        assert not attempt.ok and f"{MAX_TRIES - n} tr" in attempt.message
    locked = keeper.sign_in(ann, "0000", T0)
    assert not locked.ok and locked.wait == lock_seconds(1) and "wait" in locked.message
    # while locked even the right PIN is refused, and it is not tried at all
    assert not keeper.sign_in(ann, "1234", T0 + timedelta(seconds=1)).ok
    assert keeper.sign_in(bob, "5678", T0).ok  # the lock is per learner
    # the count lives in the database: a new Auth (a reload, another server) sees the same lock
    second = Store(store.url)
    again = Auth(second.engine)
    assert not again.sign_in(ann, "1234", T0 + timedelta(seconds=2)).ok
    later = T0 + timedelta(seconds=lock_seconds(1) + 1)
    for _ in range(MAX_TRIES):
        attempt = again.sign_in(ann, "0000", later)
    assert attempt.wait == lock_seconds(2) == 2 * lock_seconds(1)  # the second lock lasts twice as long
    after = later + timedelta(seconds=lock_seconds(2) + 1)
    assert again.sign_in(ann, "1234", after).ok
    assert "4 tries left" in again.sign_in(ann, "0000", after).message  # a success starts the count anew
    second.close()


def test_lock_lengths_grow_and_are_capped() -> None:
    assert [lock_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert lock_seconds(50) == auth.MAX_LOCK_SECONDS == 86_400 == lock_seconds(10**6)


def test_teacher_password_from_the_environment_rate_limited(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    keeper = Auth(store.engine)
    monkeypatch.delenv(auth.TEACHER_ENV, raising=False)
    assert "set LEARN_TEACHER_PASSWORD" in keeper.teacher_sign_in("").message
    monkeypatch.setenv(auth.TEACHER_ENV, "correct horse")
    assert keeper.teacher_sign_in("correct horse", T0).ok
    for _ in range(MAX_TRIES):
        assert not keeper.teacher_sign_in("correct", T0).ok
    assert not keeper.teacher_sign_in("correct horse", T0).ok  # locked
    assert auth.same_secret("a", "a") and not auth.same_secret("a", "ab")


def test_new_pins_are_checked() -> None:
    check_new_pin("2468", "2468")
    for pin, again, why in [("12", "12", "at least"), ("1" * 65, "1" * 65, "at most"), ("1234", "1243", "differ")]:
        with pytest.raises(LearnError, match=why):
            check_new_pin(pin, again)


def test_class_mode_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, on in [("1", True), ("yes", True), ("TRUE", True), ("0", False), ("", False)]:
        monkeypatch.setenv(auth.CLASS_ENV, value)
        assert auth.class_mode() is on


def test_wrong_pins_at_the_same_moment_are_each_counted(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    ann = store.learner("Ann")
    keeper = Auth(store.engine)
    keeper.set_pin(ann, "1234")
    keeper.sign_in(ann, "1234", T0)  # the counter row exists before the rush
    tries = 2 * MAX_TRIES
    with ThreadPoolExecutor(max_workers=tries) as pool:
        results = list(pool.map(lambda _i: keeper.sign_in(ann, "0000", T0), range(tries)))
    assert sum(r.message.startswith("Wrong.") for r in results) == MAX_TRIES  # the last one locks
    assert sum(r.message.startswith("Too many") for r in results) == tries - MAX_TRIES
    with Session(store.engine) as s:
        limit = s.get(LimitRow, f"learner:{ann}")
        assert limit is not None and (limit.locks, limit.misses) == (1, 0)  # one lock, set once
    assert not keeper.sign_in(ann, "1234", T0).ok


def test_class_tables_are_created_once_when_servers_start_together(db_url: str) -> None:
    """Servers whose first visitors arrive at the same moment create the PIN and class tables
    under the database's lock (plain CREATE TABLE raced: duplicate-table errors on PostgreSQL)."""
    import threading

    from sqlalchemy import create_engine

    from learn.quiz.auth import Auth
    from learn.quiz.teacher import Classroom

    engines = [create_engine(db_url) for _ in range(6)]
    barrier, errors = threading.Barrier(len(engines)), []

    def start(engine) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            Auth(engine), Classroom(engine)
        except Exception as err:  # noqa: BLE001 - the test reports any failure
            errors.append(err)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for e in engines:
        e.dispose()
    assert not errors


def lock_out(keeper: Auth, learner: int, when: datetime, address: str = "203.0.113.5") -> None:
    """A guesser's MAX_TRIES wrong PINs, each from a new address and a new browser."""
    for n in range(MAX_TRIES):
        keeper.sign_in(learner, "0000", when, Client(f"{address}{n}"))


def test_a_guesser_cannot_lock_the_rightful_user_out_of_her_own_browser(store: Store) -> None:
    """Issue 23: five guesses from any browser locked Ann out, the right PIN refused. Now they pause
    only browsers that never signed in to Ann's profile; hers, trusted since she signed in, gets in."""
    ann = store.learner("Ann")
    keeper = Auth(store.engine)
    keeper.set_pin(ann, "2718")
    first = keeper.sign_in(ann, "2718", T0, Client("198.51.100.7"))
    assert first.ok and first.token  # her browser keeps this token
    lock_out(keeper, ann, T0 + timedelta(minutes=1))
    during = T0 + timedelta(minutes=1, seconds=5)
    stranger = keeper.sign_in(ann, "2718", during, Client("192.0.2.1"))
    assert not stranger.ok and "Too many wrong tries for this profile" in stranger.message
    assert "signed in with before" in stranger.message
    own = keeper.sign_in(ann, "2718", during, Client("198.51.100.7", first.token))
    assert own.ok and own.token == first.token
    # her browser stays trusted from another network too (a phone on the school wifi, then at home)
    assert keeper.sign_in(ann, "2718", during, Client("10.9.8.7", first.token)).ok
    # the guessers' pause goes on: her sign-in does not lift it for them
    assert not keeper.sign_in(ann, "2718", during + timedelta(seconds=1), Client("192.0.2.1")).ok


def test_the_teacher_gets_in_during_an_attack(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.TEACHER_ENV, "correct horse")
    keeper = Auth(store.engine)
    mine = keeper.teacher_sign_in("correct horse", T0, Client("198.51.100.20"))
    assert mine.ok and mine.token
    for n in range(3 * MAX_TRIES):
        keeper.teacher_sign_in(f"guess {n}", T0, Client(f"203.0.113.{n}"))
    assert not keeper.teacher_sign_in("correct horse", T0, Client("203.0.113.99")).ok
    assert keeper.teacher_sign_in("correct horse", T0, Client("198.51.100.20", mine.token)).ok


def test_a_trusted_browser_has_its_own_count(store: Store) -> None:
    """Someone at Ann's own browser (a shared computer) who does not know her PIN pauses that
    browser alone; the tries do not count against other browsers."""
    ann = store.learner("Ann")
    keeper = Auth(store.engine)
    keeper.set_pin(ann, "2718")
    token = keeper.trust(learner_subject(ann), T0)
    home = Client("198.51.100.7", token)
    for n in range(1, MAX_TRIES):
        assert f"{MAX_TRIES - n} tr" in keeper.sign_in(ann, "1111", T0, home).message
    paused = keeper.sign_in(ann, "1111", T0, home)
    assert not paused.ok and "in this browser" in paused.message and paused.wait == lock_seconds(1)
    assert not keeper.sign_in(ann, "2718", T0, home).ok
    assert keeper.sign_in(ann, "2718", T0, Client("198.51.100.8")).ok  # elsewhere: not paused
    assert keeper.sign_in(ann, "2718", T0 + timedelta(seconds=lock_seconds(1) + 1), home).ok


def test_trust_is_per_profile_hashed_expires_and_ends_with_a_pin_reset(store: Store) -> None:
    ann, bob = store.learner("Ann"), store.learner("Bob")
    keeper = Auth(store.engine)
    keeper.set_pin(ann, "2718")
    keeper.set_pin(bob, "3141")
    token = keeper.sign_in(ann, "2718", T0).token
    with Session(store.engine) as s:
        assert token not in {row.token_hash for row in s.scalars(select(DeviceRow))}  # a copy of the DB opens nothing
    subject = learner_subject(ann)
    assert keeper.trusted(subject, token, T0) and not keeper.trusted(learner_subject(bob), token, T0)
    assert not keeper.trusted(subject, token, T0 + timedelta(days=TRUST_DAYS + 1))
    assert not keeper.trusted(subject, "made-up", T0) and not keeper.trusted(subject, "", T0)
    lock_out(keeper, bob, T0)
    assert not keeper.sign_in(bob, "3141", T0, Client("198.51.100.7", token)).ok  # Ann's token is no key to Bob
    keeper.set_pin(ann, "1618", replace=True)  # the teacher's reset
    assert not keeper.trusted(subject, token, T0)


def test_one_address_guessing_at_many_profiles_is_slowed_down(store: Store) -> None:
    """Spraying: a few guesses at each of many profiles from one address. The address's bucket
    allows CLIENT_BURST misses, then CLIENT_PER_HOUR; other addresses and trusted browsers pass."""
    keeper = Auth(store.engine)
    ids = [store.learner(f"learner {i}") for i in range(CLIENT_BURST // 2 + 1)]
    for learner in ids:
        keeper.set_pin(learner, "2718")
    trusted = keeper.trust(learner_subject(ids[0]), T0)
    spray = Client("192.0.2.44")
    misses = 0
    for learner in ids:
        for _ in range(2):
            misses += keeper.sign_in(learner, "0000", T0, spray).message.startswith("Wrong")
    assert misses == CLIENT_BURST
    refused = keeper.sign_in(ids[-1], "2718", T0, spray)
    assert not refused.ok and "from this network" in refused.message
    assert refused.wait == pytest.approx(3600 / CLIENT_PER_HOUR)
    assert keeper.sign_in(ids[-1], "2718", T0, Client("192.0.2.45")).ok  # another address
    assert keeper.sign_in(ids[0], "2718", T0, Client("192.0.2.44", trusted)).ok  # a trusted browser there
    later = T0 + timedelta(hours=1)
    allowed = sum(keeper.sign_in(ids[1 + n % 9], "0000", later, spray).message.startswith("Wrong") for n in range(10))
    assert allowed == int(CLIENT_PER_HOUR)
    # a right PIN costs the address nothing
    assert keeper.sign_in(ids[3], "2718", later + timedelta(minutes=12), spray).ok
    assert keeper.sign_in(ids[3], "0000", later + timedelta(minutes=12), spray).message.startswith("Wrong")
