"""`learn deck`: not built yet (its issue is open)."""
from __future__ import annotations

import argparse

from learn.errors import LearnError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("deck", help="(not built yet)")
    p.add_argument("paths", nargs="*")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    raise LearnError("'deck' is not available yet")
