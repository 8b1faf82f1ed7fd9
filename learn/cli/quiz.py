"""`learn quiz`: not built yet (its issue is open)."""
from __future__ import annotations

import argparse

from learn.errors import LearnError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("quiz", help="(not built yet)")
    p.add_argument("paths", nargs="*")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    raise LearnError("'quiz' is not available yet")
