"""Extraction for the quiz server: a text's entries, remembered per process within fixed bounds.

A class server lives for weeks and learners upload what they like. Two things would otherwise grow:
  results   at most MAX_RESULTS extractions are remembered (least recently used goes first), keyed
            by the text's SHA-256 and the options — the text itself is not kept
  working   extracting a text of CHILD_FROM characters or more runs in a child process (one at a
  memory    time per server), so the memory it takes (about 1 GB for 3 MB of text) is given back
            when it ends instead of staying with the server
Whether an answer came from the cache is known, not guessed from how fast it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from learn.entry import Entry
from learn.errors import LearnError

MAX_RESULTS = 16
CHILD_FROM = 50_000  # characters: a long news article has 5,000–20,000
CHILD_SECONDS = 900  # a child that takes longer is stopped
_CHILD = "from learn.quiz.extraction import child_main; child_main()"


@dataclass(frozen=True)
class Extracted:
    """Entries of a text, whether they were remembered from before, and the seconds it took."""

    entries: list[Entry]
    cached: bool
    seconds: float


class Extractions:
    """Remembered extractions of one server process, shared by its sessions (thread-safe)."""

    def __init__(self, max_results: int = MAX_RESULTS, child_from: int = CHILD_FROM):
        self.max_results = max_results
        self.child_from = child_from
        self._results: OrderedDict[tuple[str, int, str], list[Entry]] = OrderedDict()
        self._lock = threading.Lock()
        self._working: dict[tuple[str, int, str], threading.Lock] = {}
        self._child = threading.BoundedSemaphore(1)

    def get(self, text: str, top: int, variant: str, source: str) -> Extracted:
        """The entries of `text` (top `top`, traditional `variant`), extracted at most once at a time."""
        started = time.perf_counter()
        key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), top, variant)
        found = self._remembered(key)
        if found is not None:
            return Extracted(found, True, time.perf_counter() - started)
        with self._lock:
            working = self._working.setdefault(key, threading.Lock())
        try:
            with working:  # a second session asking for the same text waits for the first
                found = self._remembered(key)
                cached = found is not None
                if found is None:
                    found = self._extract(text, top, variant, source)
                    self._keep(key, found)
        finally:
            with self._lock:
                self._working.pop(key, None)
        return Extracted(found, cached, time.perf_counter() - started)

    def __len__(self) -> int:
        return len(self._results)

    def _remembered(self, key: tuple[str, int, str]) -> list[Entry] | None:
        with self._lock:
            found = self._results.get(key)
            if found is not None:
                self._results.move_to_end(key)
            return found

    def _keep(self, key: tuple[str, int, str], entries: list[Entry]) -> None:
        with self._lock:
            self._results[key] = entries
            while len(self._results) > self.max_results:
                self._results.popitem(last=False)

    def _extract(self, text: str, top: int, variant: str, source: str) -> list[Entry]:
        if len(text) < self.child_from:
            from learn.terms.rank import extract

            return extract(text, top=top, variant=variant, source=source)
        with self._child:
            return in_child(text, top, variant, source)


def in_child(text: str, top: int, variant: str, source: str) -> list[Entry]:
    """Extract in a fresh Python process (this one's interpreter and package), entries as JSON back."""
    cmd = [sys.executable, "-c", _CHILD, str(top), variant, source]
    package_home = str(Path(__file__).resolve().parents[2])  # the child imports this very `learn`
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_home, os.environ.get("PYTHONPATH")]))}
    try:
        done = subprocess.run(
            cmd,
            input=text.encode("utf-8", "surrogatepass"),
            capture_output=True,
            timeout=CHILD_SECONDS,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise LearnError(
            f"{source}: extraction took longer than {CHILD_SECONDS // 60} min; use `learn build` for a text this long"
        ) from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise LearnError(lines[-1] if lines else f"{source}: extraction failed (exit {done.returncode})")
    return [Entry.from_dict(item) for item in json.loads(done.stdout)]


def child_main() -> None:
    """The child's side: text on stdin, top/variant/source as arguments, entries as JSON on stdout."""
    top, variant, source = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    text = sys.stdin.buffer.read().decode("utf-8", "surrogatepass")
    try:
        from learn.terms.rank import extract

        entries = extract(text, top=top, variant=variant, source=source)
    except LearnError as err:
        print(str(err), file=sys.stderr)
        raise SystemExit(1) from None
    sys.stdout.write(json.dumps([e.to_dict() for e in entries], ensure_ascii=False))
