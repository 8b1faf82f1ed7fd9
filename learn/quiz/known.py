"""Known words: the words a learner said "I know this" to in the reader, and words sent to review.

A reader meets words it has known for years among the marked terms. "I know this" records the
word here; Practice then never starts a new card for it (cards already due still come back),
and the list can be downloaded as a word list that `learn extract --known` reads. "Add to my
reviews" gives the word a card due at once, so it comes up next in "Review due".

Table (beside the store's, on its engine; the store's own tables are unchanged)
  known_words   learner id, word key → simplified and traditional form, when it was marked
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, UniqueConstraint, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from learn.entry import Entry
from learn.quiz import scheduler
from learn.quiz.questions import MODES, applicable
from learn.quiz.store import CardRow, UTCDateTime, WordRow, create_tables


class _Base(DeclarativeBase):
    pass


class KnownRow(_Base):
    __tablename__ = "known_words"
    __table_args__ = (UniqueConstraint("learner_id", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(Integer, index=True)
    key: Mapped[str] = mapped_column(String(255))
    simplified: Mapped[str] = mapped_column(String(120))
    traditional: Mapped[str] = mapped_column(String(120), default="")
    added: Mapped[datetime] = mapped_column(UTCDateTime)


class KnownWords:
    """Each learner's known words, on the store's database (one instance per server is enough)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        create_tables(engine, _Base.metadata)  # under the database lock: servers may start together

    def keys(self, learner_id: int) -> set[str]:
        """Keys (simplified|reading) of the words the learner knows."""
        query = select(KnownRow.key).where(KnownRow.learner_id == learner_id)
        with self.engine.connect() as conn:
            return set(conn.scalars(query))

    def words(self, learner_id: int) -> list[tuple[str, str]]:
        """(simplified, traditional) of each known word, in the order they were marked."""
        query = (
            select(KnownRow.simplified, KnownRow.traditional)
            .where(KnownRow.learner_id == learner_id)
            .order_by(KnownRow.added, KnownRow.id)
        )
        with self.engine.connect() as conn:
            return [(s, t) for s, t in conn.execute(query)]

    def mark(self, learner_id: int, entry: Entry, when: datetime | None = None) -> None:
        """Record that the learner knows `entry` (marking it twice changes nothing)."""
        row = {
            "learner_id": learner_id,
            "key": entry.key,
            "simplified": entry.simplified,
            "traditional": entry.traditional,
            "added": scheduler.utc(when),
        }
        with self.engine.begin() as conn:
            conn.execute(
                _insert(conn, KnownRow.__table__).on_conflict_do_nothing(index_elements=["learner_id", "key"]), row
            )

    def forget(self, learner_id: int, key: str) -> None:
        """The learner takes "I know this" back: the word may come as a new card again."""
        with self.engine.begin() as conn:
            conn.execute(delete(KnownRow).where(KnownRow.learner_id == learner_id, KnownRow.key == key))

    def word_list(self, learner_id: int) -> str:
        """The known words as a word list, one per line (traditional forms on lines of their own),
        the format `learn extract --known FILE` reads."""
        lines = ['# words marked "I know this" in the learn quiz; use with learn extract --known']
        seen: set[str] = set()
        for simplified, traditional in self.words(learner_id):
            for form in (simplified, traditional):
                if form and form not in seen:
                    seen.add(form)
                    lines.append(form)
        return "\n".join(lines) + "\n"


def review_mode(entry: Entry) -> str | None:
    """The first mode (in the quiz's order) the word can be asked in, or None."""
    return next((mode for mode in MODES if applicable(entry, mode)), None)


def add_to_reviews(engine: Engine, learner_id: int, entry: Entry, when: datetime | None = None) -> str | None:
    """Give the word a card due at `when` (now) in its first askable mode, so "Review due" asks it
    next; returns that mode, or None when the word cannot be asked at all. A card the learner
    already has in that mode is left as it is (its schedule is not reset)."""
    mode = review_mode(entry)
    if mode is None:
        return None
    when = scheduler.utc(when)
    card = scheduler.new_card(entry.key, mode, when)
    with engine.begin() as conn:
        conn.execute(
            _insert(conn, CardRow.__table__).on_conflict_do_nothing(index_elements=["learner_id", "key", "mode"]),
            {
                "learner_id": learner_id,
                "key": entry.key,
                "mode": mode,
                "due": when,
                "reps": 0,
                "lapses": 0,
                "data": json.dumps(card.to_dict()),
            },
        )
        conn.execute(
            _insert(conn, WordRow.__table__).on_conflict_do_nothing(index_elements=["key"]),
            {
                "key": entry.key,
                "simplified": entry.simplified,
                "traditional": entry.traditional,
                "pinyin": entry.pinyin,
                "meaning": entry.meaning,
            },
        )
    return mode


def reviewing(keys: Sequence[str], due: dict[tuple[str, str], datetime]) -> set[str]:
    """Which of `keys` the learner has a card for, in any mode (`due` as Store.due_dates gives it)."""
    carded = {k for k, _mode in due}
    return {k for k in keys if k in carded}


def _insert(conn: Connection, table: Any) -> Any:
    """INSERT … ON CONFLICT in the connection's dialect (SQLite and PostgreSQL spell it alike)."""
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)
