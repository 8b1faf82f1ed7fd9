"""The progress page's numbers: reviews per day, accuracy per mode, due forecast, hardest words, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from learn.quiz import progress, scheduler
from learn.quiz.store import Review, StoredCard

T0 = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)


def review(key: str, mode: str, correct: bool, when: datetime, answer: str = "x") -> Review:
    word = key.split("|")[0]
    return Review(key, mode, correct, 3.5, 3 if correct else 1, answer, when, word, f"meaning of {word}")


REVIEWS = [
    review("绿色|lv4 se4", "meaning", True, T0),
    review("绿色|lv4 se4", "pinyin", False, T0 + timedelta(minutes=10)),  # same UTC day
    review("发展|fa1 zhan3", "pinyin", False, T0 + timedelta(minutes=40)),  # next UTC day
    review("发展|fa1 zhan3", "pinyin", False, T0 + timedelta(hours=1)),
    review("发展|fa1 zhan3", "meaning", True, T0 + timedelta(days=2), answer='=HYPERLINK("x")'),
]


def test_reviews_per_day_and_accuracy_per_mode() -> None:
    assert progress.reviews_per_day(REVIEWS) == {
        T0.date(): 2,
        T0.date() + timedelta(days=1): 2,
        T0.date() + timedelta(days=2): 1,
    }
    window = progress.last_days(progress.reviews_per_day(REVIEWS), T0.date() + timedelta(days=3), days=5)
    assert list(window.values()) == [0, 2, 2, 1, 0] and max(window) == T0.date() + timedelta(days=3)
    assert progress.accuracy_by_mode(REVIEWS) == {"meaning": (2, 2), "pinyin": (0, 3)}
    assert list(progress.accuracy_by_mode(REVIEWS)) == ["meaning", "pinyin"]


def test_hardest_words_most_wrong_first() -> None:
    hard = progress.hardest(REVIEWS)
    assert [(h.word, h.reviews, h.wrong) for h in hard] == [("发展", 3, 2), ("绿色", 2, 1)]
    assert hard[0].accuracy == 1 / 3 and hard[1].meaning == "meaning of 绿色"


def test_due_forecast_counts_overdue_as_today() -> None:
    cards = [
        StoredCard("a", "meaning", scheduler.new_card("a", "meaning", T0 - timedelta(days=3)), 1, 0),
        StoredCard("b", "meaning", scheduler.new_card("b", "meaning", T0 + timedelta(days=2)), 1, 0),
        StoredCard("c", "meaning", scheduler.new_card("c", "meaning", T0 + timedelta(days=40)), 1, 0),
    ]
    forecast = progress.due_forecast(cards, T0, days=14)
    assert len(forecast) == 14 and sum(forecast.values()) == 2
    assert forecast[T0.date()] == 1 and forecast[T0.date() + timedelta(days=2)] == 1


def test_csv_export_has_every_review_and_no_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(progress.to_csv(REVIEWS))))
    assert len(rows) == len(REVIEWS) and list(rows[0]) == list(progress.CSV_FIELDS)
    assert rows[0]["word"] == "绿色" and rows[0]["rating"] == "Good" and rows[1]["correct"] == "0"
    assert rows[0]["reviewed_at"] == "2026-03-01T23:30:00+00:00"
    assert rows[-1]["answer"].startswith("'=")
