"""One-line errors for the command line: `path[:line]: error: message [code]`, then exit 1.

A problem in the contributor's input or in the environment is a `CliError`; `main` prints it
and exits 1. Anything else is a bug in our code and keeps its traceback.
"""

from __future__ import annotations

MAX_ECHO = 60  # characters of a contributor's value repeated in a message


class CliError(Exception):
    """A problem with the input or the environment, not a bug: reported in one line."""

    def __init__(self, message: str, *, path: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.code = code

    def __str__(self) -> str:
        return f"{self.path}: error: {self.message} [{self.code}]"


def shorten(text: str, limit: int = MAX_ECHO) -> str:
    """A value short enough to echo in a one-line message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
