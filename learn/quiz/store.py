"""The store: learners, their cards and their review log, kept with SQLAlchemy.

Default: SQLite at platformdirs.user_data_dir("learn")/progress.sqlite3. `LEARN_DB_URL` points
it at any database SQLAlchemy knows (postgresql+psycopg://… for a class server).

Tables
  learners  one row per profile name
  words     what a card's key stands for (characters, reading, meaning), for progress pages
  cards     one fsrs card per (learner, word key, mode); the card is `Card.to_dict()` JSON
  reviews   the log: learner, key, mode, correct, elapsed seconds, rating 1–4, answer, UTC time
Learners never see each other's rows: every query is filtered by learner id.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from fsrs import Card
from sqlalchemy import (Boolean, DateTime, Float, ForeignKey, Integer, String, Text, TypeDecorator,
                        UniqueConstraint, create_engine, event, select)
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from learn.entry import Entry
from learn.errors import LearnError

ENV_URL = "LEARN_DB_URL"
MAX_NAME = 60


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, whatever the database keeps (SQLite: naive)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[override]
        return None if value is None else value.replace(tzinfo=timezone.utc)


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
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), index=True)
    key: Mapped[str] = mapped_column(String(255))
    mode: Mapped[str] = mapped_column(String(16))
    correct: Mapped[bool] = mapped_column(Boolean)
    elapsed: Mapped[float] = mapped_column(Float)
    rating: Mapped[int] = mapped_column(Integer)
    answer: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


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
        try:
            self.engine = create_engine(self.url, pool_pre_ping=True)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            Base.metadata.create_all(self.engine)
        except (ArgumentError, SQLAlchemyError, ImportError) as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise LearnError(f"cannot open the progress database {_safe(self.url)}: {first}") from None

    def close(self) -> None:
        """Release the database connections (a restart creates a new Store on the same URL)."""
        self.engine.dispose()

    # learners ---------------------------------------------------------------------------------
    def learner(self, name: str) -> int:
        """The id of the profile called `name`, created if new."""
        clean = " ".join(name.split())
        if not clean:
            raise LearnError("a profile needs a name")
        if len(clean) > MAX_NAME:
            raise LearnError(f"a profile name has at most {MAX_NAME} characters")
        with Session(self.engine) as s:
            found = s.scalar(select(LearnerRow.id).where(LearnerRow.name == clean))
            if found is not None:
                return found
            row = LearnerRow(name=clean, created=datetime.now(timezone.utc))
            s.add(row)
            try:
                s.commit()
            except IntegrityError:          # another session created it a moment ago
                s.rollback()
                return s.scalar(select(LearnerRow.id).where(LearnerRow.name == clean))  # type: ignore[return-value]
            return row.id

    def learners(self) -> list[str]:
        """Every profile name, alphabetically."""
        with Session(self.engine) as s:
            return list(s.scalars(select(LearnerRow.name).order_by(LearnerRow.name)))

    # cards ------------------------------------------------------------------------------------
    def cards(self, learner_id: int, mode: str | None = None) -> dict[tuple[str, str], StoredCard]:
        """The learner's cards keyed by (word key, mode), optionally of one mode only."""
        query = select(CardRow.key, CardRow.mode, CardRow.data, CardRow.reps, CardRow.lapses).where(
            CardRow.learner_id == learner_id)
        if mode:
            query = query.where(CardRow.mode == mode)
        with Session(self.engine) as s:
            return {(k, m): StoredCard(k, m, Card.from_dict(json.loads(d)), r, lp)
                    for k, m, d, r, lp in s.execute(query)}

    def due_dates(self, learner_id: int, mode: str | None = None) -> dict[tuple[str, str], datetime]:
        """When each of the learner's cards is due, keyed by (word key, mode): all that choosing needs."""
        query = select(CardRow.key, CardRow.mode, CardRow.due).where(CardRow.learner_id == learner_id)
        if mode:
            query = query.where(CardRow.mode == mode)
        with Session(self.engine) as s:
            return {(k, m): d for k, m, d in s.execute(query)}

    def card(self, learner_id: int, key: str, mode: str) -> StoredCard | None:
        """One card of the learner, or None if that word was never practised in that mode."""
        query = select(CardRow.data, CardRow.reps, CardRow.lapses).where(
            CardRow.learner_id == learner_id, CardRow.key == key, CardRow.mode == mode)
        with Session(self.engine) as s:
            row = s.execute(query).first()
        return None if row is None else StoredCard(key, mode, Card.from_dict(json.loads(row[0])), row[1], row[2])

    def record(self, learner_id: int, entry: Entry, mode: str, card: Card, *, correct: bool,
               elapsed: float, rating: int, answer: str, when: datetime) -> None:
        """Save the card after a review and log the review, in one transaction."""
        with Session(self.engine) as s, s.begin():
            row = s.scalar(select(CardRow).where(CardRow.learner_id == learner_id, CardRow.key == entry.key,
                                                 CardRow.mode == mode))
            if row is None:
                row = CardRow(learner_id=learner_id, key=entry.key, mode=mode, reps=0, lapses=0)
                s.add(row)
            row.data = json.dumps(card.to_dict())
            row.due = card.due
            row.reps = (row.reps or 0) + 1
            row.lapses = (row.lapses or 0) + (0 if correct else 1)
            self._remember(s, entry)
            s.add(ReviewRow(learner_id=learner_id, key=entry.key, mode=mode, correct=correct,
                            elapsed=float(elapsed), rating=int(rating), answer=answer[:500], reviewed_at=when))

    @staticmethod
    def _remember(s: Session, entry: Entry) -> None:
        word = s.get(WordRow, entry.key)
        if word is None:
            word = WordRow(key=entry.key)
            s.add(word)
        word.simplified, word.traditional = entry.simplified, entry.traditional
        word.pinyin, word.meaning = entry.pinyin, entry.meaning

    # log --------------------------------------------------------------------------------------
    def reviews(self, learner_id: int) -> list[Review]:
        """The learner's review log, oldest first, with each word's characters and meaning."""
        query = (select(ReviewRow.key, ReviewRow.mode, ReviewRow.correct, ReviewRow.elapsed, ReviewRow.rating,
                        ReviewRow.answer, ReviewRow.reviewed_at, WordRow.simplified, WordRow.meaning)
                 .join(WordRow, WordRow.key == ReviewRow.key, isouter=True)
                 .where(ReviewRow.learner_id == learner_id).order_by(ReviewRow.reviewed_at, ReviewRow.id))
        with Session(self.engine) as s:
            return [Review(k, m, bool(c), e, r, a or "", t, simp or k.split("|")[0], mean or "")
                    for k, m, c, e, r, a, t, simp, mean in s.execute(query)]


def _sqlite_pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
    """Write-ahead log: readers do not block the writer, and a commit costs one fsync less.

    synchronous=NORMAL keeps every committed review across a crash or restart of the server;
    only a power cut can lose the last moments.
    """
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _safe(url: str) -> str:
    """The URL without a password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 — only used to word an error message
        return "(unreadable URL)"
