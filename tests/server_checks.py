"""Waiting on real quiz servers in tests: is one healthy, and a bounded poll for a condition."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable


def healthy(port: int) -> bool:
    """Streamlit's health endpoint on 127.0.0.1:`port` answers ok."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
            return reply.read().strip() == b"ok"
    except OSError:
        return False


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll `check` until it holds; fail with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)
