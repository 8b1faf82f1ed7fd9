"""How fast can someone guess a PIN on a class server, and does the rightful user still get in?

The attacker is as fast as the server lets it be: it sends a wrong PIN the moment a pause ends,
on a simulated clock (the real Auth code and the real database, SQLite in a temporary folder; only
the clock is not waited out). Three attackers, each for --days days:
  many addresses   every guess from a new network address and a new browser (a botnet): only the
                   profile's shared count holds it back
  one address      one browser, one address, one profile
  spraying         one address guessing at --profiles profiles in turn (the address's bucket binds)
Throughout the first attack the rightful user signs in once an hour, with the right PIN, from the
browser she has signed in with before (a trust token); every one of those sign-ins must succeed.

Printed: guesses checked in the first hour and the first day, the average per hour over the run,
the long-run rate per day, and how long trying every 4-digit PIN would take at that rate.

    .venv/bin/python benchmarks/bench_quiz_guessing.py [--days 7] [--profiles 30]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from learn.quiz.auth import Auth, Client, learner_subject  # noqa: E402
from learn.quiz.store import Store  # noqa: E402

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
RIGHT, WRONG = "2718", "0000"
HOUR = timedelta(hours=1)


class Attack:
    """Guesses checked by the server, with the simulated time of each."""

    def __init__(self) -> None:
        self.times: list[datetime] = []

    def count(self, until: timedelta) -> int:
        return sum(t - T0 < until for t in self.times)

    def report(self, name: str, days: float) -> float:
        """Print the figures; returns the long-run guesses per day (the run's last day)."""
        last_day = sum(T0 + timedelta(days=days - 1) <= t < T0 + timedelta(days=days) for t in self.times)
        per_hour = len(self.times) / (days * 24)
        print(
            f"{name:16s} first hour {self.count(HOUR):4d}   first day {self.count(timedelta(days=1)):5d}   "
            f"{days:g} days {len(self.times):6d} ({per_hour:6.2f}/h)   last day {last_day:5d}"
        )
        return last_day


def many_addresses(auth: Auth, learner: int, days: float, trusted: str) -> tuple[Attack, int, int]:
    """A new address and browser for every guess; the rightful user signs in once an hour."""
    attack, when, n = Attack(), T0, 0
    end = T0 + timedelta(days=days)
    next_visit, visits, admitted = T0 + timedelta(minutes=1), 0, 0
    while when < end:
        while next_visit <= when:
            visits += 1
            admitted += auth.sign_in(learner, RIGHT, next_visit, Client("198.51.100.7", trusted)).ok
            next_visit += HOUR
        n += 1
        result = auth.sign_in(learner, WRONG, when, Client(f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"))
        if result.message.startswith("Wrong"):
            attack.times.append(when)
        when += timedelta(seconds=result.wait + 0.5 if result.wait else 0.5)
    return attack, visits, admitted


def one_address(auth: Auth, learner: int, days: float) -> Attack:
    attack, when = Attack(), T0
    end = T0 + timedelta(days=days)
    while when < end:
        result = auth.sign_in(learner, WRONG, when, Client("203.0.113.9"))
        if result.message.startswith("Wrong"):
            attack.times.append(when)
        when += timedelta(seconds=result.wait + 0.5 if result.wait else 0.5)
    return attack


def spraying(auth: Auth, learners: list[int], days: float) -> Attack:
    """One address guessing at the profiles in turn, skipping paused ones; when the address itself
    is paused, or every profile is, it waits for the first pause to end."""
    attack, when = Attack(), T0
    end = T0 + timedelta(days=days)
    paused = {learner: T0 for learner in learners}
    while when < end:
        ready = [learner for learner in learners if paused[learner] <= when]
        if not ready:
            when = min(paused.values()) + timedelta(seconds=0.5)
            continue
        result = auth.sign_in(ready[0], WRONG, when, Client("192.0.2.44"))
        if result.message.startswith("Wrong"):
            attack.times.append(when)
        if "this network" in result.message:
            when += timedelta(seconds=result.wait + 0.5)
            continue
        paused[ready[0]] = when + timedelta(seconds=result.wait)
        learners = learners[1:] + learners[:1]
        when += timedelta(seconds=0.5)
    return attack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--profiles", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="learn-bench-guessing-") as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'class.sqlite3'}")
        auth = Auth(store.engine)
        ids = [store.learner(f"learner {i:02d}") for i in range(args.profiles + 2)]
        for learner in ids:
            auth.set_pin(learner, RIGHT)
        ann, bob, others = ids[0], ids[1], ids[2:]
        trusted = auth.trust(learner_subject(ann), T0 - timedelta(days=1))  # Ann's own browser
        print(f"attacker guesses checked by the server (simulated clock, {args.days:g} days)")
        attack, visits, admitted = many_addresses(auth, ann, args.days, trusted)
        per_day = attack.report("many addresses", args.days)
        one_address(auth, bob, args.days).report("one address", args.days)
        spraying(auth, others, args.days).report(f"spraying {len(others)}", args.days)
        store.close()
    print(
        f"the rightful user, from her own browser, during the first attack: {admitted} of {visits} "
        "hourly sign-ins succeeded"
    )
    if per_day:
        print(
            f"at the long-run {per_day:.0f} guesses a day, trying all 10,000 four-digit PINs takes "
            f"{10_000 / per_day:,.0f} days (half of them: {5_000 / per_day:,.0f} days)"
        )


if __name__ == "__main__":
    main()
