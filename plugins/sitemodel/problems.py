"""Problems found in content, reported as `path:line: message [code]` and collected per build."""

from __future__ import annotations

import difflib
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger("explainer")


def _plain_lines(log: logging.Logger) -> None:
    """One unwrapped line per problem, so editors and CI can parse `path:line:`."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        log.addHandler(handler)
        log.propagate = False


_plain_lines(logger)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing a contributor must fix; `code` is `plugin.name`, stable for docs and filters."""

    path: str
    line: int
    message: str
    code: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message} [{self.code}]"


@dataclass
class ProblemLog:
    """Every problem of a build, so all of them are reported before the build fails."""

    problems: list[Problem] = field(default_factory=list)
    _seen: set[Problem] = field(default_factory=set, repr=False)

    def add(self, path: str, line: int, message: str, code: str, severity: str = "error") -> None:
        problem = Problem(path, line, message, code, severity)
        if problem not in self._seen:
            self._seen.add(problem)
            self.problems.append(problem)

    def add_all(self, problems: Iterable[Problem]) -> None:
        """Problems found before, reported again (a file read in an earlier build)."""
        for problem in problems:
            self.add(problem.path, problem.line, problem.message, problem.code, problem.severity)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity != "error")

    def log_all(self) -> None:
        for problem in self.warnings:
            logger.warning("%s", problem)
        for problem in self.errors:
            logger.error("%s", problem)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A '; did you mean ...?' suffix naming the closest choices, or nothing."""
    close = difflib.get_close_matches(word, sorted(choices), n=3, cutoff=0.5)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def report_unknown_settings(
    problems: ProblemLog, name: str, given: dict[str, Any], defaults: dict[str, Any]
) -> None:
    """A typo in a plugin's dict setting must not silently fall back to a default."""
    for key in sorted(given, key=str):
        if key not in defaults:
            problems.add(
                "pelicanconf.py",
                0,
                f"unknown {name} key '{key}'{did_you_mean(str(key), defaults)}",
                f"{name.lower()}.settings",
            )
