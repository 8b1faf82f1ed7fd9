"""Teacher: what the whole class's review log says, for the teacher's page.

Every other part of the quiz reads one learner's rows; this module alone reads across learners,
and the app shows it only behind the teacher's password (learn.quiz.auth).

The store keeps a word's characters and meaning, not its source sentences. A re-teach handout
needs those, and "words nobody has started" needs the list the class practises from, so the app
also records each practised material's entries here:
  class_words   word key → the Entry as JSON (first seen wins), when it was added
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import String, Text, case, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from learn.entry import Entry
from learn.quiz.progress import RATING_NAMES
from learn.quiz.store import CardRow, LearnerRow, ReviewRow, UTCDateTime, WordRow, create_tables

RETEACH = 10  # words on a re-teach handout


class _Base(DeclarativeBase):
    pass


class ClassWordRow(_Base):
    __tablename__ = "class_words"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    added: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class LearnerStats:
    """One learner's line on the teacher's page."""

    name: str
    reviews: int
    right: int
    due: int
    last: datetime | None

    @property
    def accuracy(self) -> float | None:
        return self.right / self.reviews if self.reviews else None


@dataclass(frozen=True)
class ClassWord:
    """A word the class got wrong: reviews, wrong answers, how many learners met it."""

    key: str
    word: str
    pinyin: str
    meaning: str
    reviews: int
    wrong: int
    learners: int

    @property
    def accuracy(self) -> float:
        return (self.reviews - self.wrong) / self.reviews if self.reviews else 0.0


class Classroom:
    """Class-wide queries on the store's database."""

    def __init__(self, engine: Engine):
        self.engine = engine
        create_tables(engine, _Base.metadata)  # under the database lock: servers may start together

    # the class's word list --------------------------------------------------------------------
    def remember(self, entries: Sequence[Entry]) -> int:
        """Record entries the class practises (those not known yet); returns how many were new."""
        with Session(self.engine) as s:
            known = set(s.scalars(select(ClassWordRow.key)))
        fresh = {e.key: e for e in entries if e.key not in known}
        if not fresh:
            return 0
        now = datetime.now(UTC)
        with Session(self.engine) as s:
            s.add_all(
                ClassWordRow(key=k, data=json.dumps(e.to_dict(), ensure_ascii=False), added=now)
                for k, e in fresh.items()
            )
            try:
                s.commit()
            except IntegrityError:  # another session added some of them meanwhile: add one by one
                s.rollback()
                return sum(self._add_one(k, e, now) for k, e in fresh.items())
        return len(fresh)

    def _add_one(self, key: str, entry: Entry, when: datetime) -> int:
        with Session(self.engine) as s:
            s.add(ClassWordRow(key=key, data=json.dumps(entry.to_dict(), ensure_ascii=False), added=when))
            try:
                s.commit()
                return 1
            except IntegrityError:
                return 0

    def words(self) -> dict[str, Entry]:
        """Every entry the class has practised from, by key, in the order they were added."""
        with Session(self.engine) as s:
            rows = s.execute(select(ClassWordRow.key, ClassWordRow.data).order_by(ClassWordRow.added))
            return {k: Entry.from_dict(json.loads(d)) for k, d in rows}

    # per learner ------------------------------------------------------------------------------
    def learners(self, when: datetime | None = None) -> list[LearnerStats]:
        """Each learner's reviews, right answers, cards due at `when` and last review, by name."""
        when = when or datetime.now(UTC)
        reviews = (
            select(
                ReviewRow.learner_id,
                func.count().label("n"),
                func.sum(case((ReviewRow.correct, 1), else_=0)).label("right"),
                func.max(ReviewRow.reviewed_at).label("last"),
            )
            .group_by(ReviewRow.learner_id)
            .subquery()
        )
        due = (
            select(CardRow.learner_id, func.count().label("due"))
            .where(CardRow.due <= when)
            .group_by(CardRow.learner_id)
            .subquery()
        )
        query = (
            select(LearnerRow.name, reviews.c.n, reviews.c.right, due.c.due, reviews.c.last)
            .join(reviews, reviews.c.learner_id == LearnerRow.id, isouter=True)
            .join(due, due.c.learner_id == LearnerRow.id, isouter=True)
            .order_by(LearnerRow.name)
        )
        with Session(self.engine) as s:
            return [
                LearnerStats(name, n or 0, int(right or 0), d or 0, _utc(last))
                for name, n, right, d, last in s.execute(query)
            ]

    # per word ---------------------------------------------------------------------------------
    def hardest(self, n: int = RETEACH) -> list[ClassWord]:
        """Words with the most wrong answers across the class (then the lowest accuracy)."""
        wrong = func.sum(case((ReviewRow.correct, 0), else_=1))
        total = func.count()
        query = (
            select(
                ReviewRow.key,
                total,
                wrong,
                func.count(ReviewRow.learner_id.distinct()),
                func.max(WordRow.simplified),
                func.max(WordRow.pinyin),
                func.max(WordRow.meaning),
            )
            .join(WordRow, WordRow.key == ReviewRow.key, isouter=True)
            .group_by(ReviewRow.key)
            .having(wrong > 0)
        )
        with Session(self.engine) as s:
            rows = [
                ClassWord(k, simp or k.split("|")[0], pin or "", mean or "", t, int(w), people)
                for k, t, w, people, simp, pin, mean in s.execute(query)
            ]
        rows.sort(key=lambda c: (-c.wrong, c.accuracy, c.key))
        return rows[:n]

    def started(self) -> set[str]:
        """Keys of the words at least one learner has answered."""
        with Session(self.engine) as s:
            return set(s.scalars(select(ReviewRow.key).distinct()))

    def unstarted(self) -> list[Entry]:
        """Words of the class's materials that no learner has answered yet."""
        started = self.started()
        return [e for k, e in self.words().items() if k not in started]

    def reteach_entries(self, n: int = RETEACH) -> list[Entry]:
        """The class's `n` hardest words as entries, with their source sentences where recorded."""
        known = self.words()
        out = []
        with Session(self.engine) as s:
            for word in self.hardest(n):
                entry = known.get(word.key) or _from_word_row(s.get(WordRow, word.key), word)
                out.append(entry)
        return out

    # exports ----------------------------------------------------------------------------------
    def log_csv(self) -> str:
        """The whole class's review log as CSV, one row per review, learner named."""
        query = (
            select(
                LearnerRow.name,
                ReviewRow.reviewed_at,
                WordRow.simplified,
                ReviewRow.key,
                ReviewRow.mode,
                ReviewRow.correct,
                ReviewRow.rating,
                ReviewRow.elapsed,
                ReviewRow.answer,
            )
            .join(LearnerRow, LearnerRow.id == ReviewRow.learner_id)
            .join(WordRow, WordRow.key == ReviewRow.key, isouter=True)
            .order_by(ReviewRow.reviewed_at, ReviewRow.id)
        )
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("learner", "reviewed_at", "word", "key", "mode", "correct", "rating", "elapsed_s", "answer"))
        with Session(self.engine) as s:
            for name, at, simp, key, mode, correct, rating, elapsed, answer in s.execute(query):
                writer.writerow(
                    [
                        safe_cell(name),
                        _iso(at),
                        simp or key.split("|")[0],
                        key,
                        mode,
                        int(correct),
                        RATING_NAMES.get(rating, rating),
                        f"{elapsed:.1f}",
                        safe_cell(answer or ""),
                    ]
                )
        return out.getvalue()


def learners_csv(stats: Sequence[LearnerStats]) -> str:
    """The learners table as CSV (what the teacher's page shows)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("learner", "reviews", "right", "accuracy", "due_now", "last_review"))
    for st in stats:
        writer.writerow(
            [
                safe_cell(st.name),
                st.reviews,
                st.right,
                "" if st.accuracy is None else f"{st.accuracy:.2f}",
                st.due,
                st.last.isoformat(timespec="seconds") if st.last else "",
            ]
        )
    return out.getvalue()


def reteach_text(entries: Sequence[Entry]) -> str:
    """The reading for a re-teach handout: the words' source sentences, each once."""
    sentences: dict[str, None] = {}
    for entry in entries:
        for example in entry.examples:
            if example.sentence.strip():
                sentences.setdefault(example.sentence.strip(), None)
    return "\n".join(sentences)


def reteach_pdf(entries: Sequence[Entry], title: str = "Re-teach: the class's hardest words") -> bytes:
    """A handout PDF of `entries` through the project's handout code (learn.handout.pdf.make_handout)."""
    from learn.handout.pdf import make_handout

    with tempfile.TemporaryDirectory(prefix="learn-reteach-") as folder:
        path = Path(folder) / "reteach.pdf"
        make_handout(list(entries), reteach_text(entries), path, title=title, source="class quiz results")
        return path.read_bytes()


def safe_cell(text: str) -> str:
    """Keep spreadsheet programs from running a name or typed answer as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _from_word_row(row: WordRow | None, word: ClassWord) -> Entry:
    """An entry rebuilt from the store's word table (no source sentence recorded for it)."""
    if row is None:
        return Entry(word.word, definitions=[word.meaning] if word.meaning else [])
    numbered = row.key.split("|", 1)[1] if "|" in row.key else ""
    return Entry(
        row.simplified,
        row.traditional,
        row.pinyin,
        numbered,
        definitions=[d.strip() for d in row.meaning.split(";") if d.strip()],
    )


def _iso(value: datetime | None) -> str:
    """A review time for the CSV export, in UTC to the second ("" for none)."""
    at = _utc(value)
    return at.isoformat(timespec="seconds") if at else ""


def _utc(value: datetime | None) -> datetime | None:
    """Aggregates (max) bypass the column type: make them aware UTC again."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns max() of a datetime as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
