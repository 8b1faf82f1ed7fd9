"""Practice: a learner working through a list of entries — which question comes next, and
what happens to the card when an answer is graded. UI-free, so the app, the tests and the
benchmark all drive the same code.

Order of questions
  one mode   cards due now (most overdue first) → words not yet practised in that mode (best-ranked
             first, from `start` on) → when nothing is due, the card due soonest (practising ahead)
  review     due cards of every mode (most overdue first) → the next unpractised mode of a word
             already started → the meaning card of a new word (from `start` on)
`start` lets the app open each mode at its own place in the list, so that switching modes does
not begin every mode with the same word.
The word just asked is skipped when another one is available. Words the learner marked known
(`known`, asked before each question) get no new card in any mode; their due cards still come.
Write (learn.quiz.writing) is a mode of its own, outside the review mix.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from fsrs import Rating

from learn.entry import Entry
from learn.quiz import scheduler
from learn.quiz.answers import Verdict
from learn.quiz.questions import MODES, REVIEW, TYPED, Question, applicable, grade, make_question
from learn.quiz.store import Store, StoredCard
from learn.quiz.writing import WRITE

ORDER = tuple(MODES)  # meaning, reverse, pinyin, tones, cloze, script


@dataclass(frozen=True)
class Outcome:
    """The judged answer, the grade suggested for it, and how long it took."""

    verdict: Verdict
    suggested: Rating
    elapsed: float


class Practice:
    """Questions over `entries` in `mode` (a key of MODES, or REVIEW) for one learner."""

    def __init__(
        self,
        entries: Sequence[Entry],
        store: Store,
        learner_id: int,
        mode: str = REVIEW,
        seed: int | None = None,
        rng: random.Random | None = None,
        start: int = 0,
        known: Callable[[], Collection[str]] | None = None,
    ):
        if mode not in (REVIEW, WRITE) and mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.entries = list(entries)
        self.by_key = {e.key: e for e in self.entries}
        self.store = store
        self.learner_id = learner_id
        self.mode = mode
        self.rng = rng or random.Random(seed)
        self.last_key = ""
        self.why = ""  # why the last question was chosen: due | new | ahead
        self.start = start  # where in the list new words begin (wrapping round)
        self._applicable: dict[tuple[str, str], bool] = {}
        self.known = known  # the learner's known words (keys), read before each question

    # choosing ---------------------------------------------------------------------------------
    def next_question(self, when: datetime | None = None) -> Question | None:
        """The next question, or None when no entry can be asked in this mode."""
        when = scheduler.utc(when)
        dues = self.store.due_dates(self.learner_id, None if self.mode == REVIEW else self.mode)
        known = set(self.known()) if self.known else set()
        for entry, mode, why in self._candidates(dues, when, known):
            question = make_question(entry, mode, self.entries, self.rng)
            if question is not None:
                self.last_key, self.why = entry.key, why
                return question
        return None

    def _candidates(
        self, dues: dict[tuple[str, str], datetime], when: datetime, known: Collection[str] = ()
    ) -> list[tuple[Entry, str, str]]:
        modes = ORDER if self.mode == REVIEW else (self.mode,)
        pairs = [(e, m) for e in self.entries for m in modes if self._fits(e, m)]
        seen = [(dues[(e.key, m)], i, e, m) for i, (e, m) in enumerate(pairs) if (e.key, m) in dues]
        seen.sort(key=lambda t: (t[0], t[1]))
        due = [(e, m) for d, _i, e, m in seen if d <= when]
        later = [(e, m) for d, _i, e, m in seen if d > when]
        fresh = [(e, m) for e, m in pairs if (e.key, m) not in dues and e.key not in known]
        if self.mode == REVIEW:
            started = {k for k, _m in dues}
            fresh = (
                [(e, m) for e, m in fresh if e.key in started]
                + self._rotated([(e, m) for e, m in fresh if e.key not in started and m == ORDER[0]])
                + [(e, m) for e, m in fresh if e.key not in started and m != ORDER[0]]
            )
        else:
            fresh = self._rotated(fresh)
        ordered = (
            [(e, m, "due") for e, m in due] + [(e, m, "new") for e, m in fresh] + [(e, m, "ahead") for e, m in later]
        )
        others = [c for c in ordered if c[0].key != self.last_key]
        repeats = [c for c in ordered if c[0].key == self.last_key]
        return others + repeats

    def _rotated(self, fresh: list[tuple[Entry, str]]) -> list[tuple[Entry, str]]:
        """New words in rank order from position `start`, wrapping round to the best-ranked."""
        if not fresh:
            return fresh
        start = self.start % len(fresh)
        return fresh[start:] + fresh[:start]

    def _fits(self, entry: Entry, mode: str) -> bool:
        """applicable(), remembered: it does not change while the entry list stays the same."""
        known = self._applicable.get((entry.key, mode))
        if known is None:
            known = self._applicable[(entry.key, mode)] = applicable(entry, mode)
        return known

    # answering --------------------------------------------------------------------------------
    def check(self, question: Question, response: str | Sequence[int] | None, elapsed: float) -> Outcome:
        """Judge a response and suggest a grade from correctness and speed."""
        verdict = grade(question, response)
        return Outcome(verdict, scheduler.suggest(verdict.correct, elapsed, question.mode in TYPED), elapsed)

    def record(
        self, question: Question, outcome: Outcome, rating: Rating | int, answer: str = "", when: datetime | None = None
    ) -> StoredCard:
        """Apply the chosen grade to the card and save card + review log."""
        when = scheduler.utc(when)
        entry = self.by_key[question.key]
        stored = self.store.card(self.learner_id, question.key, question.mode)
        card = stored.card if stored else scheduler.new_card(question.key, question.mode, when)
        card = scheduler.review(card, Rating(int(rating)), when, outcome.elapsed)
        self.store.record(
            self.learner_id,
            entry,
            question.mode,
            card,
            correct=outcome.verdict.correct,
            elapsed=outcome.elapsed,
            rating=int(rating),
            answer=answer,
            when=when,
        )
        reps = (stored.reps if stored else 0) + 1
        lapses = (stored.lapses if stored else 0) + (0 if outcome.verdict.correct else 1)
        return StoredCard(question.key, question.mode, card, reps, lapses)
