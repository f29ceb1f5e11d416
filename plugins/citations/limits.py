"""Bounds on what contributor text may cost: in messages, in quotes, in line numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sitemodel.problems import MAX_ECHO, did_you_mean, shorten

__all__ = ["MAX_ECHO", "MAX_QUOTE", "Hints", "LineCounter", "shorten"]
MAX_QUOTE = 1000  # characters of a quote, once normalised: the site quotes short passages


class LineCounter:
    """File lines of offsets in one block's text, counting each line break once when the
    offsets come in order (a paragraph may hold thousands of citations or links)."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self.offset = 0
        self.line = first_line

    def line_of(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, self.first_line
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


class Hints:
    """'Did you mean' for the first few distinct unknown names of a build: each search reads
    every choice, so a file full of unknown names must not search once per name."""

    def __init__(self, limit: int = 50) -> None:
        self.limit = limit
        self.found: dict[str, str] = {}

    def __call__(self, key: str, word: str, choices: Callable[[], Iterable[str]]) -> str:
        if key not in self.found:
            if len(self.found) >= self.limit:
                return ""
            self.found[key] = did_you_mean(shorten(word), choices())
        return self.found[key]
