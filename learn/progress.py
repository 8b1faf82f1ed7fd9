"""Progress of long runs on stderr: a redrawn bar on a terminal, occasional lines in a log.

Progress never goes to stdout, which may be the JSON or table the user is piping somewhere.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts work done (bytes of input) against a known total and reports it now and then."""

    def __init__(
        self,
        total: int,
        label: str = "reading",
        stream: TextIO | None = None,
        interval: float = 0.2,
        log_interval: float = 5.0,
        enabled: bool = True,
    ):
        self.total, self.label, self.done, self.items = max(total, 0), label, 0, 0
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = interval if self.tty else log_interval
        self.enabled = enabled
        self.started = time.monotonic()
        self._shown_at = 0.0
        self._shown_decile = -1
        self._shown = (-1, -1, -1)  # (done, items, total) of the last line written

    def advance(self, nbytes: int, items: int = 1) -> None:
        """Record finished work and redraw if it is time to."""
        self.done += nbytes
        self.items += items
        if not self.enabled:
            return
        now = time.monotonic()
        decile = self.done * 10 // self.total if self.total else -1
        if now - self._shown_at >= self.interval or (not self.tty and decile > self._shown_decile):
            self._shown_at, self._shown_decile = now, decile
            self._show(final=False)

    def drop(self, nbytes: int) -> None:
        """Take a skipped input (a font or image in a folder of texts) out of the total, so the
        bar measures only what is read and still ends at 100%."""
        self.total = max(self.total - max(nbytes, 0), 0)

    def finish(self) -> None:
        """Final state, and a line break after a terminal bar."""
        if (
            self.enabled
            and (self.items or self.done)
            and (self.tty or self._shown != (self.done, self.items, self.total))
        ):
            self._show(final=True)

    def line(self) -> str:
        """The current report as text, e.g. 'reading [#####-----]  52%  26.1/50.0 MB  3 pieces  2.4 MB/s'."""
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = f"{self.done / elapsed / 1e6:.1f} MB/s"
        count = f"{self.items} piece{'s' if self.items != 1 else ''}"
        if not self.total:
            return f"{self.label}  {self.done / 1e6:.1f} MB  {count}  {rate}"
        share = min(1.0, self.done / self.total)
        bar = "#" * int(share * 20) + "-" * (20 - int(share * 20))
        return f"{self.label} [{bar}] {share:4.0%}  {self.done / 1e6:.1f}/{self.total / 1e6:.1f} MB  {count}  {rate}"

    def _show(self, final: bool) -> None:
        self._shown = (self.done, self.items, self.total)
        if self.tty:
            self.stream.write("\r" + self.line() + ("\n" if final else ""))
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.finish()
        elif self.enabled and self.tty:
            self.stream.write("\n")
