"""Teacher: what the class's review log says about the class's materials, for the teacher's page.

Every other part of the quiz reads one learner's rows; this module alone reads across learners,
and the app shows it only behind the teacher's password (learn.quiz.auth).

The class's materials are the ones the teacher set: the PATHs of `learn quiz --class PATH...` and
those chosen on the teacher's page. Every figure here — learners' reviews and accuracy, cards due,
hardest and unstarted words, the CSV of reviews, the re-teach handout — counts only the words of
those materials, whichever material a learner practised them from. A learner's own texts (uploaded
or pasted) stay private: their other words never reach the teacher's page or a handout. Kept:
  class_materials   name → its entries as JSON (with their source sentences), who set it, when
(Older versions kept every practised word in class_words; that table is no longer read, because it
mixed learners' own texts into the class's.)
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
from typing import Any

from sqlalchemy import ColumnElement, String, Text, case, delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from learn.entry import Entry
from learn.quiz.progress import RATING_NAMES
from learn.quiz.store import CardRow, LearnerRow, ReviewRow, UTCDateTime, WordRow, create_tables

RETEACH = 10  # words on a re-teach handout
COMMAND_LINE, TEACHER_PAGE = "command line", "teacher's page"  # who set a class material


class _Base(DeclarativeBase):
    pass


class ClassMaterialRow(_Base):
    __tablename__ = "class_materials"
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(40))
    added: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class ClassMaterial:
    """A material the teacher set for the class: its name, entries, and where it was set."""

    name: str
    entries: list[Entry]
    set_by: str
    added: datetime


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

    # the class's materials --------------------------------------------------------------------
    def set_material(
        self, name: str, entries: Sequence[Entry], set_by: str = TEACHER_PAGE, replace: bool = True
    ) -> bool:
        """Make `entries` the class material `name` (replacing one of that name unless not `replace`);
        returns whether anything was stored."""
        data = json.dumps([e.to_dict() for e in entries], ensure_ascii=False)
        with Session(self.engine) as s:
            row = s.get(ClassMaterialRow, name)
            if row is not None and not replace:
                return False
            if row is None:
                s.add(ClassMaterialRow(name=name, data=data, set_by=set_by, added=datetime.now(UTC)))
            else:
                row.data, row.set_by, row.added = data, set_by, datetime.now(UTC)
            try:
                s.commit()
            except IntegrityError:  # another server set it a moment ago
                return False
        return True

    def remove_material(self, name: str) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(delete(ClassMaterialRow).where(ClassMaterialRow.name == name))

    def material_versions(self) -> dict[str, str]:
        """The class materials' names, oldest first, each with when it was last set (a version to
        cache its entries by: cheap, no entries read)."""
        with Session(self.engine) as s:
            rows = s.execute(
                select(ClassMaterialRow.name, ClassMaterialRow.added).order_by(
                    ClassMaterialRow.added, ClassMaterialRow.name
                )
            )
            return {name: str(added) for name, added in rows}

    def materials(self) -> list[ClassMaterial]:
        """The class materials with their entries, oldest first."""
        with Session(self.engine) as s:
            rows = s.execute(
                select(
                    ClassMaterialRow.name, ClassMaterialRow.data, ClassMaterialRow.set_by, ClassMaterialRow.added
                ).order_by(ClassMaterialRow.added, ClassMaterialRow.name)
            )
            return [
                ClassMaterial(n, [Entry.from_dict(d) for d in json.loads(data)], by, _utc(added) or added)
                for n, data, by, added in rows
            ]

    def material(self, name: str) -> list[Entry] | None:
        """The entries of class material `name`, or None when there is no such class material."""
        with Session(self.engine) as s:
            row = s.get(ClassMaterialRow, name)
            return None if row is None else [Entry.from_dict(d) for d in json.loads(row.data)]

    def words(self) -> dict[str, Entry]:
        """Every word of the class materials by key (the first material to list a word gives its entry)."""
        out: dict[str, Entry] = {}
        for material in self.materials():
            for entry in material.entries:
                out.setdefault(entry.key, entry)
        return out

    def _of_class(self, column: Any, keys: Sequence[str] | None = None) -> ColumnElement[bool]:
        """`column IN` the class's word keys: the filter every class-wide figure goes through."""
        return column.in_(list(self.words()) if keys is None else list(keys))

    # per learner ------------------------------------------------------------------------------
    def learners(self, when: datetime | None = None) -> list[LearnerStats]:
        """Each learner's reviews, right answers, cards due at `when` and last review, by name —
        counting the class's words only."""
        when = when or datetime.now(UTC)
        keys = list(self.words())
        reviews = (
            select(
                ReviewRow.learner_id,
                func.count().label("n"),
                func.sum(case((ReviewRow.correct, 1), else_=0)).label("right"),
                func.max(ReviewRow.reviewed_at).label("last"),
            )
            .where(self._of_class(ReviewRow.key, keys))
            .group_by(ReviewRow.learner_id)
            .subquery()
        )
        due = (
            select(CardRow.learner_id, func.count().label("due"))
            .where(CardRow.due <= when, self._of_class(CardRow.key, keys))
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
        """The class's words with the most wrong answers (then the lowest accuracy)."""
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
            .where(self._of_class(ReviewRow.key))
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
        """Keys of the class's words at least one learner has answered."""
        with Session(self.engine) as s:
            return set(s.scalars(select(ReviewRow.key).where(self._of_class(ReviewRow.key)).distinct()))

    def unstarted(self) -> list[Entry]:
        """Words of the class's materials that no learner has answered yet."""
        started = self.started()
        return [e for k, e in self.words().items() if k not in started]

    def reteach_entries(self, n: int = RETEACH) -> list[Entry]:
        """The class's `n` hardest words as the class materials give them (with their sentences)."""
        known = self.words()
        return [known[word.key] for word in self.hardest(n) if word.key in known]

    # exports ----------------------------------------------------------------------------------
    def log_csv(self) -> str:
        """The class's review log (the class's words) as CSV, one row per review, learner named."""
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
            .where(self._of_class(ReviewRow.key))
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


def _utc(value: datetime | None) -> datetime | None:
    """Aggregates (max) bypass the column type: make them aware UTC again."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns max() of a datetime as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(value: datetime | None) -> str:
    """A review time for the CSV export, in UTC to the second ("" for none)."""
    at = _utc(value)
    return at.isoformat(timespec="seconds") if at else ""
