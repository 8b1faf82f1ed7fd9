"""The scheduler: when each card comes back, by FSRS (py-fsrs), and which grade to suggest.

A card is one word (entry.key) in one mode, so knowing what 新质生产力 means and knowing its
tones are scheduled separately. Cards are stored as `Card.to_dict()` JSON; all times are UTC.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

RATINGS: dict[str, Rating] = {"Again": Rating.Again, "Hard": Rating.Hard, "Good": Rating.Good, "Easy": Rating.Easy}

# Seconds within which a right answer counts as fast (Easy) or still comfortable (Good).
_FAST = {"choice": 5.0, "typed": 10.0}
_COMFORTABLE = {"choice": 15.0, "typed": 30.0}

_scheduler = Scheduler()


def now() -> datetime:
    """The current time, timezone-aware UTC (what fsrs expects)."""
    return datetime.now(UTC)


def utc(when: datetime | None) -> datetime:
    """`when` in UTC (fsrs refuses other zones), or now; naive times are refused as ambiguous."""
    if when is None:
        return now()
    if when.tzinfo is None:
        raise ValueError("naive datetime: give a timezone-aware time")
    return when.astimezone(UTC)


def card_id(key: str, mode: str) -> int:
    """A stable id for the (word, mode) card; fsrs would otherwise use the clock and sleep 1 ms."""
    digest = hashlib.blake2b(f"{key}\x1f{mode}".encode(), digest_size=6).digest()
    return int.from_bytes(digest, "big")


def new_card(key: str, mode: str, when: datetime | None = None) -> Card:
    """A card never reviewed: due at once."""
    return Card(card_id=card_id(key, mode), due=utc(when))


def review(card: Card, rating: Rating, when: datetime | None = None, elapsed: float | None = None) -> Card:
    """The card after a review with `rating` at `when`."""
    duration = int(elapsed * 1000) if elapsed is not None else None
    updated, _log = _scheduler.review_card(card, rating, review_datetime=utc(when), review_duration=duration)
    return updated


def suggest(correct: bool, elapsed: float, typed: bool = False) -> Rating:
    """The grade to offer: Again when wrong; Easy, Good or Hard by how long a right answer took."""
    if not correct:
        return Rating.Again
    kind = "typed" if typed else "choice"
    if elapsed <= _FAST[kind]:
        return Rating.Easy
    if elapsed <= _COMFORTABLE[kind]:
        return Rating.Good
    return Rating.Hard


def retrievability(card: Card, when: datetime | None = None) -> float:
    """Probability of recall now (0 for a card never reviewed)."""
    if card.last_review is None:
        return 0.0
    return float(_scheduler.get_card_retrievability(card, current_datetime=utc(when)))
