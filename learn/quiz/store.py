"""The store: learners, their cards and their review log, kept with SQLAlchemy.

Default: SQLite at platformdirs.user_data_dir("learn")/progress.sqlite3. `LEARN_DB_URL` points
it at another SQLite file or at PostgreSQL (postgresql+psycopg://… for a class server).

Tables
  learners  one row per profile name
  words     what a card's key stands for (characters, reading, meaning), for progress pages
  cards     one fsrs card per (learner, word key, mode); the card is `Card.to_dict()` JSON
  reviews   the log: learner, key, mode, correct, elapsed seconds, rating 1–4, answer, UTC time,
            and a unique token per answer, so a retried save is stored once
Learners never see each other's rows: every query is filtered by learner id.

Several servers (and many sessions) may share one database. Writes are single-statement upserts
(no read-then-insert race), a review and its card are saved in one transaction, transient errors
(a dropped connection, a deadlock, SQLite's lock) are retried, and the schema is created under a
lock so two servers starting at once do not trip over each other.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from fsrs import Card
from sqlalchemy import (
    Boolean,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from learn.entry import Entry
from learn.errors import LearnError

ENV_URL = "LEARN_DB_URL"
MAX_NAME = 60
DIALECTS = ("sqlite", "postgresql")
SCHEMA_LOCK = 0x6C6561726E  # pg_advisory_xact_lock key while creating tables ("learn")
RETRIES = (0.05, 0.2, 0.5, 1.0)  # pauses before retrying after a transient error
T = TypeVar("T")


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, whatever the database keeps (SQLite: naive)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class LearnerRow(Base):
    __tablename__ = "learners"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME), unique=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime)


class WordRow(Base):
    __tablename__ = "words"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    simplified: Mapped[str] = mapped_column(String(120))
    traditional: Mapped[str] = mapped_column(String(120), default="")
    pinyin: Mapped[str] = mapped_column(String(255), default="")
    meaning: Mapped[str] = mapped_column(Text, default="")


class CardRow(Base):
    __tablename__ = "cards"
    __table_args__ = (UniqueConstraint("learner_id", "key", "mode"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), index=True)
    key: Mapped[str] = mapped_column(String(255))
    mode: Mapped[str] = mapped_column(String(16))
    due: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[str] = mapped_column(Text)


class ReviewRow(Base):
    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_token", "token", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), index=True)
    key: Mapped[str] = mapped_column(String(255))
    mode: Mapped[str] = mapped_column(String(16))
    correct: Mapped[bool] = mapped_column(Boolean)
    elapsed: Mapped[float] = mapped_column(Float)
    rating: Mapped[int] = mapped_column(Integer)
    answer: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    token: Mapped[str | None] = mapped_column(String(64), nullable=True)


@dataclass(frozen=True)
class StoredCard:
    """A learner's card for one word in one mode."""

    key: str
    mode: str
    card: Card
    reps: int
    lapses: int

    @property
    def due(self) -> datetime:
        return self.card.due


@dataclass(frozen=True)
class Review:
    """One line of the review log (with the word's characters and meaning for display)."""

    key: str
    mode: str
    correct: bool
    elapsed: float
    rating: int
    answer: str
    reviewed_at: datetime
    simplified: str = ""
    meaning: str = ""


def profile_name(name: str) -> str:
    """A profile name with its spaces tidied; refused when empty or longer than MAX_NAME characters."""
    clean = " ".join(name.split())
    if not clean:
        raise LearnError("a profile needs a name")
    if len(clean) > MAX_NAME:
        raise LearnError(f"a profile name has at most {MAX_NAME} characters; this one has {len(clean)}")
    return clean


def default_url() -> str:
    """`LEARN_DB_URL`, else SQLite in the user's data directory (created on demand)."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    import platformdirs

    folder = Path(platformdirs.user_data_dir("learn"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'progress.sqlite3'}"


class Store:
    """Progress of every learner in one database; safe to share between Streamlit sessions."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self._words: dict[str, dict[str, str]] = {}  # words this server has stored, as stored
        try:
            self.engine = _engine(self.url)
            create_tables(self.engine, Base.metadata, upgrade=_upgrade)
        except (ArgumentError, SQLAlchemyError, ImportError, LearnError) as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise LearnError(f"cannot open the progress database {_safe(self.url)}: {first}") from None
        # reads and single-statement writes need no BEGIN/COMMIT round trips to PostgreSQL
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")

    def close(self) -> None:
        """Release the database connections (a restart creates a new Store on the same URL)."""
        self.engine.dispose()

    def _run(self, work: Callable[[Connection], T], *, transaction: bool = False, doing: str = "read progress") -> T:
        """`work(conn)` on a pooled connection (inside one transaction if asked), tried again after
        a transient error. A connection the database dropped (a restart) fails once and is replaced,
        which is cheaper than pinging the server before every use."""
        for pause in (*RETRIES, None):
            try:
                if transaction:
                    with self.engine.begin() as conn:
                        return work(conn)
                with self._autocommit.connect() as conn:
                    return work(conn)
            except DBAPIError as err:
                if pause is None or not _transient(err):
                    raise LearnError(f"could not {doing}: {_first_line(err)}") from None
                time.sleep(pause)
        raise AssertionError("unreachable")

    # learners ---------------------------------------------------------------------------------
    def learner(self, name: str) -> int:
        """The id of the profile called `name`, created if new (two sessions creating it at once get one row)."""
        clean = profile_name(name)
        found = self.find_learner(clean)
        if found is not None:
            return found

        def create(conn: Connection) -> int:
            conn.execute(_writes(conn.dialect.name).learner, {"name": clean, "created": datetime.now(UTC)})
            return conn.scalar(_LEARNER, {"name": clean})  # type: ignore[return-value]

        return self._run(create, transaction=True, doing="create the profile")

    def create_learner(self, name: str) -> int:
        """A new profile called `name`, refused when that name is taken.

        The database's unique constraint decides, in the one statement that inserts: two people
        creating the same name at the same moment, on two servers, get one profile and one refusal.
        """
        clean = profile_name(name)
        created = datetime.now(UTC)
        made = self._run(
            lambda conn: conn.scalar(_writes(conn.dialect.name).new_learner, {"name": clean, "created": created}),
            transaction=True,
            doing="create the profile",
        )
        if made is None:
            raise LearnError(f"a profile called {clean} exists already: choose it in the list, or pick another name")
        return made

    def find_learner(self, name: str) -> int | None:
        """The id of the profile called `name`, or None (nothing is created)."""
        clean = " ".join(name.split())
        return self._run(lambda conn: conn.scalar(_LEARNER, {"name": clean}))

    def learners(self) -> list[str]:
        """Every profile name, alphabetically."""
        return self._run(lambda conn: list(conn.scalars(select(LearnerRow.name).order_by(LearnerRow.name))))

    # cards ------------------------------------------------------------------------------------
    def cards(self, learner_id: int, mode: str | None = None) -> dict[tuple[str, str], StoredCard]:
        """The learner's cards keyed by (word key, mode), optionally of one mode only."""
        query = select(CardRow.key, CardRow.mode, CardRow.data, CardRow.reps, CardRow.lapses).where(
            CardRow.learner_id == learner_id
        )
        if mode:
            query = query.where(CardRow.mode == mode)
        rows = self._run(lambda conn: conn.execute(query).all())
        return {(k, m): StoredCard(k, m, Card.from_dict(json.loads(d)), r, lp) for k, m, d, r, lp in rows}

    def due_dates(self, learner_id: int, mode: str | None = None) -> dict[tuple[str, str], datetime]:
        """When each of the learner's cards is due, keyed by (word key, mode): all that choosing needs."""
        query, params = (
            (_DUES_OF_MODE, {"learner_id": learner_id, "mode": mode}) if mode else (_DUES, {"learner_id": learner_id})
        )
        rows = self._run(lambda conn: conn.execute(query, params).all())
        return {(k, m): d for k, m, d in rows}

    def card(self, learner_id: int, key: str, mode: str) -> StoredCard | None:
        """One card of the learner, or None if that word was never practised in that mode."""
        params = {"learner_id": learner_id, "key": key, "mode": mode}
        row = self._run(lambda conn: conn.execute(_CARD, params).first())
        return None if row is None else StoredCard(key, mode, Card.from_dict(json.loads(row[0])), row[1], row[2])

    def record(
        self,
        learner_id: int,
        entry: Entry,
        mode: str,
        card: Card,
        *,
        correct: bool,
        elapsed: float,
        rating: int,
        answer: str,
        when: datetime,
        token: str | None = None,
    ) -> None:
        """Save the card after a review and log the review, in one transaction, exactly once.

        `token` names this answer (a fresh one by default): a save that is retried — here after a
        dropped connection or a lock, or by a caller who lost the reply — finds its token already
        stored and changes nothing.
        """
        if when.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC")
        review = dict(
            learner_id=learner_id,
            key=entry.key,
            mode=mode,
            correct=correct,
            elapsed=float(elapsed),
            rating=int(rating),
            answer=answer[:500],
            reviewed_at=when,
            token=token or uuid.uuid4().hex,
        )
        saved = dict(
            learner_id=learner_id,
            key=entry.key,
            mode=mode,
            data=json.dumps(card.to_dict()),
            due=card.due,
            reps=1,
            lapses=0 if correct else 1,
        )
        word = dict(
            key=entry.key,
            simplified=entry.simplified,
            traditional=entry.traditional,
            pinyin=entry.pinyin,
            meaning=entry.meaning,
        )
        new_word = None if self._words.get(entry.key) == word else word
        one_statement = new_word is None and _writes(self.engine.dialect.name).answer is not None
        self._run(
            lambda conn: _save(conn, review, saved, new_word), transaction=not one_statement, doing="save the answer"
        )
        self._words[entry.key] = word

    # log --------------------------------------------------------------------------------------
    def reviews(self, learner_id: int) -> list[Review]:
        """The learner's review log, oldest first, with each word's characters and meaning."""
        query = (
            select(
                ReviewRow.key,
                ReviewRow.mode,
                ReviewRow.correct,
                ReviewRow.elapsed,
                ReviewRow.rating,
                ReviewRow.answer,
                ReviewRow.reviewed_at,
                WordRow.simplified,
                WordRow.meaning,
            )
            .join(WordRow, WordRow.key == ReviewRow.key, isouter=True)
            .where(ReviewRow.learner_id == learner_id)
            .order_by(ReviewRow.reviewed_at, ReviewRow.id)
        )
        rows = self._run(lambda conn: conn.execute(query).all())
        return [
            Review(k, m, bool(c), e, r, a or "", t, simp or k.split("|")[0], mean or "")
            for k, m, c, e, r, a, t, simp, mean in rows
        ]


# --- engine, schema and writes ------------------------------------------------------------------


def _engine(url: str) -> Engine:
    """An engine for SQLite (WAL, a long busy wait) or PostgreSQL (a pool big enough for a class)."""
    engine = create_engine(url, **_pool_options(url))
    if engine.dialect.name not in DIALECTS:
        engine.dispose()
        raise LearnError(f"only SQLite and PostgreSQL are supported, not {engine.dialect.name}")
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _pool_options(url: str) -> dict:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}  # wait for another writer instead of "database is locked"
    return {"pool_size": 10, "max_overflow": 30, "pool_timeout": 30}


def create_tables(engine: Engine, metadata: MetaData, upgrade: Callable[[Connection], None] | None = None) -> None:
    """Create `metadata`'s missing tables (and run `upgrade(conn)`) while holding the database's lock.

    Two servers starting at once on an empty database would otherwise both try CREATE TABLE and
    one would fail. PostgreSQL: a transaction-scoped advisory lock (its DDL is transactional);
    SQLite: BEGIN IMMEDIATE. Other modules with their own tables on the store's engine can use it.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.begin()
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        metadata.create_all(conn)
        if upgrade is not None:
            upgrade(conn)
        conn.commit()


def _upgrade(conn: Connection) -> None:
    """Bring a database made by an older version up to date: the reviews' token column."""
    columns = {c["name"] for c in inspect(conn).get_columns("reviews")}
    if "token" not in columns:
        conn.exec_driver_sql("ALTER TABLE reviews ADD COLUMN token VARCHAR(64)")
    for index in cast(Table, ReviewRow.__table__).indexes:
        index.create(conn, checkfirst=True)


# The statements of the hot path, built once: only their parameters change between answers.
_cards, _reviews, _words, _learners = (cast(Table, row.__table__) for row in (CardRow, ReviewRow, WordRow, LearnerRow))
_LEARNER = select(_learners.c.id).where(_learners.c.name == bindparam("name"))
_CARD = select(_cards.c.data, _cards.c.reps, _cards.c.lapses).where(
    _cards.c.learner_id == bindparam("learner_id"), _cards.c.key == bindparam("key"), _cards.c.mode == bindparam("mode")
)
_DUES = select(_cards.c.key, _cards.c.mode, _cards.c.due).where(_cards.c.learner_id == bindparam("learner_id"))
_DUES_OF_MODE = _DUES.where(_cards.c.mode == bindparam("mode"))
_WORD_FIELDS = ("simplified", "traditional", "pinyin", "meaning")
_WORD = select(*(_words.c[f] for f in _WORD_FIELDS)).where(_words.c.key == bindparam("key"))


@dataclass(frozen=True)
class _Writes:
    """Upserts in one dialect (SQLite and PostgreSQL share ON CONFLICT, not SQLAlchemy's classes)."""

    learner: Any
    new_learner: Any
    log: Any
    card: Any
    word: Any
    answer: Any = None  # PostgreSQL: log + card in one statement, atomic without a transaction


@cache
def _writes(dialect: str) -> _Writes:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    card, word = insert(_cards), insert(_words)
    return _Writes(
        learner=insert(_learners).on_conflict_do_nothing(index_elements=["name"]),
        new_learner=insert(_learners).on_conflict_do_nothing(index_elements=["name"]).returning(_learners.c.id),
        log=insert(_reviews).on_conflict_do_nothing(index_elements=["token"]).returning(_reviews.c.id),
        card=card.on_conflict_do_update(
            index_elements=["learner_id", "key", "mode"],
            set_={
                "data": card.excluded.data,
                "due": card.excluded.due,
                "reps": _cards.c.reps + 1,
                "lapses": _cards.c.lapses + card.excluded.lapses,
            },
        ),
        word=word.on_conflict_do_update(index_elements=["key"], set_={f: word.excluded[f] for f in _WORD_FIELDS}),
        answer=_PG_ANSWER if dialect == "postgresql" else None,
    )


# One round trip instead of four (BEGIN, log, card, COMMIT): the card is written only when the log
# line was (a stored token means an earlier try got through), by a single atomic statement.
_PG_ANSWER = text("""
WITH logged AS (
    INSERT INTO reviews (learner_id, key, mode, correct, elapsed, rating, answer, reviewed_at, token)
    VALUES (:learner_id, :key, :mode, :correct, :elapsed, :rating, :answer, :reviewed_at, :token)
    ON CONFLICT (token) DO NOTHING RETURNING id)
INSERT INTO cards (learner_id, key, mode, data, due, reps, lapses)
SELECT :learner_id, :key, :mode, :data, :due, 1, :lapses FROM logged
ON CONFLICT (learner_id, key, mode) DO UPDATE SET data = excluded.data, due = excluded.due,
    reps = cards.reps + 1, lapses = cards.lapses + excluded.lapses
""").bindparams(bindparam("reviewed_at", type_=UTCDateTime()), bindparam("due", type_=UTCDateTime()))


def _save(conn: Connection, review: dict, saved: dict, word: dict | None) -> None:
    """The writes of one answer: the log line first (if its token is stored already, an earlier
    try got through and nothing more is written), then the card as an upsert that counts reps and
    lapses in the database, then the word unless this server knows it is stored as it is. On
    PostgreSQL, without a word to store, log and card go as one statement."""
    writes = _writes(conn.dialect.name)
    if word is None and writes.answer is not None:
        conn.execute(writes.answer, {**review, "data": saved["data"], "due": saved["due"], "lapses": saved["lapses"]})
        return
    if conn.execute(writes.log, review).first() is None:
        return
    conn.execute(writes.card, saved)
    if word is not None:
        _remember(conn, writes, word)


def _remember(conn: Connection, writes: _Writes, word: dict) -> None:
    """Keep the word's characters and meaning; written only when they changed, so learners
    practising the same word do not queue up on its row."""
    stored = conn.execute(_WORD, {"key": word["key"]}).first()
    if stored is None or tuple(stored) != tuple(word[f] for f in _WORD_FIELDS):
        conn.execute(writes.word, word)


_PASSING = ("deadlock", "could not serialize", "database is locked", "database table is locked", "connection")


def _transient(err: DBAPIError) -> bool:
    """Worth retrying: a lost connection, a deadlock or serialisation failure, SQLite busy, or any
    operational error of the PostgreSQL driver (a server restarting, too many clients) — not a
    missing table or a full disk, which a retry would only delay."""
    if err.connection_invalidated or any(word in str(err.orig).lower() for word in _PASSING):
        return True
    return isinstance(err, OperationalError) and type(err.orig).__module__.startswith("psycopg")


def _first_line(err: Exception) -> str:
    message = str(getattr(err, "orig", None) or err).strip()
    return message.splitlines()[0] if message else type(err).__name__


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """Write-ahead log: readers do not block the writer, and a commit costs one fsync less.

    synchronous=NORMAL keeps every committed review across a crash or restart of the server;
    only a power cut can lose the last moments.
    """
    cursor = connection.cursor()
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _switch_to_wal(cursor: Any, seconds: float = 30.0) -> None:
    """PRAGMA journal_mode=WAL, retried while another connection holds the file: switching the
    journal mode answers "database is locked" at once instead of waiting out the busy timeout, so
    servers opening a new database together would fail without this."""
    import sqlite3
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _safe(url: str) -> str:
    """The URL without a password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 — only used to word an error message
        return "(unreadable URL)"
