"""The one exception type the CLI turns into a one-line message and exit code."""

from __future__ import annotations


class LearnError(Exception):
    """Bad input (exit 1) or bad usage (exit 2); the message is shown as one line."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


class UsageError(LearnError):
    """Bad usage: an option or argument the command cannot accept (exit 2)."""

    def __init__(self, message: str):
        super().__init__(message, code=2)
