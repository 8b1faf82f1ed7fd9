"""Background: phrase statistics of a corpus of policy and news Chinese, and their lookup.

A single text cannot tell a conventional term used once (营商环境) from one writer's wording
(步行范围), nor a term from a fragment of a longer one (质生产力, always after 新). A background
corpus can: learn/data/background.sqlite3 holds, for every phrase of 2..10 Han characters that
occurs in enough of its documents, counts, neighbour figures, the first/last month seen, how
often writers mark it (quotes, 、-series, 《》 titles) and a learned quality score: how likely it
is a unit of the language rather than a fragment or a clause piece (learn.background.quality).

This module only reads (cheap to import, no numpy): `load()` opens a file read-only and lazily,
`Background.lookup(phrases)` answers a batch of phrases with a few indexed queries. Building a
file is learn.background.build, which this module never imports.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from learn.errors import LearnError

#: How many years before the background's last year count as "recent" (a coinage, "new since 2023").
RECENT_YEARS = 3
#: The file format this code reads and writes (meta key "schema"). 2: marks and quality added;
#: a file of another schema is refused with a one-line error that says to rebuild it.
SCHEMA = 2
#: Defaults of the builder: phrases of 2..MAX_LEN characters seen in at least MIN_DF documents.
MIN_DF = 8
MAX_LEN = 10
#: Longest phrase limit a build accepts (the shipped data must never hold a sentence).
LONGEST = 16

_FALLBACK_LAST_YEAR = 2026


def __getattr__(name: str) -> Any:
    """LAST_YEAR: the year of the shipped background's last document, read when first asked for."""
    if name == "LAST_YEAR":
        return _last_year()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@lru_cache(maxsize=1)
def _last_year() -> int:
    try:
        last = load().last_date
    except LearnError:
        return _FALLBACK_LAST_YEAR
    return int(last[:4]) if last[:4].isdigit() else _FALLBACK_LAST_YEAR


def recent_year(first_seen: str) -> str:
    """The year of `first_seen` ("2023-09") when it lies in the background's last RECENT_YEARS years."""
    if len(first_seen) < 4 or not first_seen[:4].isdigit():
        return ""
    year = int(first_seen[:4])
    return str(year) if year >= _last_year() - RECENT_YEARS else ""


# --- lookup ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhraseStats:
    """What the background knows about one phrase.

    Neighbours are the characters just before (left) and after (right) each occurrence; the
    edge of a run of Han characters (punctuation, a line end) counts as a boundary. Variety is
    the number of distinct neighbours, the boundary counting as one. In the entropy (nats) each
    boundary occurrence counts as a neighbour of its own, so an edge that ends sentences is free.
    Top share is the share of occurrences taken by the most common neighbour character: near
    1.0 on one side marks a fragment (质生产力: 新 on the left, always).

    Marks count documents in which writers set the phrase off as a whole: quoted (“…”, 「…」),
    a member of a 、-series, a title in 《》. Quality (0..1) is the learned score of "a unit of
    the language"; None when the build had too few labels to learn it (a small corpus). A phrase
    the background does not hold has no stats at all: that says nothing about its quality (a
    coinage newer than the corpus, an idiom news rarely uses).
    """

    text: str
    count: int
    df: int
    left_variety: int
    right_variety: int
    left_entropy: float
    right_entropy: float
    left_top_share: float
    right_top_share: float
    first_seen: str  # "2023-09", "2023" when only the year is known, "" when undated
    last_seen: str
    quoted: int = 0
    series: int = 0
    titled: int = 0
    quality: float | None = None


_COLUMNS = (
    "p.text, count, df, left_variety, right_variety, left_entropy, right_entropy, left_top, right_top, "
    "first_seen, last_seen, coalesce(quoted, 0), coalesce(series, 0), coalesce(titled, 0), quality"
)
_BATCH = 500  # phrases per query: well below SQLite's limit on bound parameters
_UNKNOWN = object()  # not asked yet
_REMEMBERED = 200_000  # phrases remembered per open background before starting afresh (~60 MB at most)


class Background:
    """A read-only phrase background file: lazy, indexed lookups, nothing loaded up front."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        if not self.path.is_file():
            raise LearnError(f"{self.path}: no such background file")
        uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
        try:
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self.meta: dict[str, str] = dict(self._db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as err:
            raise LearnError(f"{self.path}: not a phrase background ({err})") from None
        if self.meta.get("schema") != str(SCHEMA):
            raise LearnError(
                f"{self.path}: phrase background of schema {self.meta.get('schema')!r}, "
                f"this version reads schema {SCHEMA}; rebuild it with `learn background build`"
            )
        self._figures = {
            key: int(self.meta.get(key, 0) or 0) for key in ("documents", "characters", "phrases", "min_df", "max_len")
        }
        self._max_len = self._figures["max_len"]
        self._memo: dict[str, PhraseStats | None] = {}  # phrase → its statistics, None when absent

    def _int(self, key: str) -> int:
        return self._figures[key]

    @property
    def documents(self) -> int:
        return self._int("documents")

    @property
    def characters(self) -> int:
        return self._int("characters")

    @property
    def phrases(self) -> int:
        return self._int("phrases")

    @property
    def min_df(self) -> int:
        return self._int("min_df")

    @property
    def max_len(self) -> int:
        return self._int("max_len")

    @property
    def first_date(self) -> str:
        return self.meta.get("first_date", "")

    @property
    def last_date(self) -> str:
        return self.meta.get("last_date", "")

    def lookup(self, phrases: Iterable[str]) -> dict[str, PhraseStats]:
        """Statistics of those `phrases` (simplified script) that the background holds, in the
        order of their text.

        Answers are remembered per phrase (the file never changes while it is open): texts of one
        kind share most of their phrases, and a process that reads many asks about them again."""
        longest = self._max_len
        wanted = sorted({p for p in phrases if 2 <= len(p) <= longest})
        memo = self._memo
        answers = {p: memo.get(p, _UNKNOWN) for p in wanted}
        missing = [p for p, st in answers.items() if st is _UNKNOWN]
        fresh: dict[str, PhraseStats | None] = dict.fromkeys(missing)
        for start in range(0, len(missing), _BATCH):
            chunk = missing[start : start + _BATCH]
            query = (
                f"SELECT {_COLUMNS} FROM phrases p LEFT JOIN marks m ON m.text = p.text "
                f"WHERE p.text IN ({','.join('?' * len(chunk))})"
            )
            for row in self._db.execute(query, chunk):
                fresh[row[0]] = _stats(row)
        if len(memo) + len(fresh) > _REMEMBERED:
            memo.clear()
        memo.update(fresh)
        answers.update(fresh)
        return {p: st for p, st in answers.items() if isinstance(st, PhraseStats)}

    def get(self, phrase: str) -> PhraseStats | None:
        """Statistics of one phrase, or None when the background does not hold it."""
        return self.lookup([phrase]).get(phrase)


def _stats(row: Sequence[Any]) -> PhraseStats:
    text, count, df, lv, rv, le, re_, lt, rt, first, last, quoted, series, titled, quality = row
    return PhraseStats(
        text,
        count,
        df,
        lv,
        rv,
        le / 1000,
        re_ / 1000,
        lt / 1000,
        rt / 1000,
        _stored_text(first),
        _stored_text(last),
        quoted,
        series,
        titled,
        None if quality is None else quality / 1000,
    )


def shipped_path() -> Path:
    """The background that ships with learn (built from policy and news Chinese, see README)."""
    return Path(__file__).resolve().parents[1] / "data" / "background.sqlite3"


def load(path: str | os.PathLike[str] | None = None) -> Background:
    """The background at `path` (None: the shipped one), opened once per path and cached."""
    return _open(str(Path(path).resolve()) if path is not None else str(shipped_path()))


@lru_cache(maxsize=8)
def _open(path: str) -> Background:
    return Background(path)


def stored_date(yyyymm: int) -> int:
    """YYYYMM (MM = 00: only the year) as the file stores it: (year - 1900) * 13 + month, two
    bytes in SQLite where YYYYMM takes three (a million dates: 2 MB less)."""
    year, month = divmod(yyyymm, 100)
    return (year - 1900) * 13 + month


@lru_cache(maxsize=4096)
def _stored_text(value: int | None) -> str:
    """A stored date (see stored_date) as "2023-09" or "2023"; None as ""."""
    if value is None:
        return ""
    year, month = divmod(int(value), 13)
    return date_text((year + 1900) * 100 + month)


@lru_cache(maxsize=4096)
def date_text(value: int | None) -> str:
    """YYYYMM (or YYYY00) as "2023-09" (or "2023"); 0 or None as ""."""
    if not value:
        return ""
    year, month = divmod(int(value), 100)
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"
