"""Background: phrase statistics of a corpus of policy and news Chinese (placeholder API; see issue 10)."""
from __future__ import annotations

#: The background's last year and how many years count as "recent" (a coinage, "new since 2023").
LAST_YEAR = 2026
RECENT_YEARS = 3


def recent_year(first_seen: str) -> str:
    """The year of `first_seen` ("2023-09") when it lies in the background's last RECENT_YEARS years."""
    if len(first_seen) < 4 or not first_seen[:4].isdigit():
        return ""
    year = int(first_seen[:4])
    return str(year) if year >= LAST_YEAR - RECENT_YEARS else ""
