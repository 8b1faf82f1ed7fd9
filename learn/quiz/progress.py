"""Progress: what a learner's review log and cards say — per day, per mode, what is coming due,
which words are hardest — and the log as CSV. Days are UTC calendar days.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from learn.quiz.questions import MODES
from learn.quiz.store import Review, StoredCard

CSV_FIELDS = ("reviewed_at", "word", "key", "mode", "correct", "rating", "elapsed_s", "answer", "meaning")
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


@dataclass(frozen=True)
class Hard:
    """A word that goes wrong often: how many reviews, how many wrong, accuracy."""

    word: str
    meaning: str
    reviews: int
    wrong: int

    @property
    def accuracy(self) -> float:
        return (self.reviews - self.wrong) / self.reviews if self.reviews else 0.0


def reviews_per_day(reviews: Iterable[Review]) -> dict[date, int]:
    """Number of reviews on each UTC day that has any, oldest first."""
    counts = Counter(r.reviewed_at.date() for r in reviews)
    return dict(sorted(counts.items()))


def last_days(counts: dict[date, int], today: date, days: int = 30) -> dict[date, int]:
    """The `days` days up to `today` with zeros filled in (a chart shows quiet days too)."""
    return {today - timedelta(d): counts.get(today - timedelta(d), 0) for d in range(days - 1, -1, -1)}


def accuracy_by_mode(reviews: Iterable[Review]) -> dict[str, tuple[int, int]]:
    """Per mode: (right answers, reviews), in the order modes are listed."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in reviews:
        tally[r.mode][0] += int(r.correct)
        tally[r.mode][1] += 1
    order = list(MODES) + sorted(set(tally) - set(MODES))
    return {m: (tally[m][0], tally[m][1]) for m in order if m in tally}


def due_forecast(cards: Iterable[StoredCard], now: datetime, days: int = 14) -> dict[date, int]:
    """Cards falling due on each of the next `days` days; overdue cards count for today."""
    today = now.date()
    out = {today + timedelta(d): 0 for d in range(days)}
    for card in cards:
        day = max(card.due.date(), today)
        if day in out:
            out[day] += 1
    return out


def hardest(reviews: Sequence[Review], n: int = 10) -> list[Hard]:
    """Words with the most wrong answers (then the lowest accuracy); words never wrong are left out."""
    total: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    label: dict[str, tuple[str, str]] = {}
    for r in reviews:
        total[r.key] += 1
        wrong[r.key] += int(not r.correct)
        label[r.key] = (r.simplified, r.meaning)
    ranked = sorted((k for k in total if wrong[k]), key=lambda k: (-wrong[k], wrong[k] - total[k], k))
    return [Hard(label[k][0], label[k][1], total[k], wrong[k]) for k in ranked[:n]]


def to_csv(reviews: Iterable[Review]) -> str:
    """The review log as CSV (one row per review, UTC ISO times)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for r in reviews:
        writer.writerow(
            [
                r.reviewed_at.isoformat(timespec="seconds"),
                r.simplified,
                r.key,
                r.mode,
                int(r.correct),
                RATING_NAMES.get(r.rating, r.rating),
                f"{r.elapsed:.1f}",
                _safe_cell(r.answer),
                _safe_cell(r.meaning),
            ]
        )
    return out.getvalue()


def _safe_cell(text: str) -> str:
    """Keep spreadsheet programs from running a typed answer as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
