"""Problems found in content, reported as `path:line: message [code]` and collected per build."""

from __future__ import annotations

import difflib
import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

logger = logging.getLogger("explainer")


class _ProblemLines(logging.Formatter):
    """A problem as `content/explainers/x.md:12: error: message [code]`, anything else as
    `LEVEL: message`."""

    def format(self, record: logging.LogRecord) -> str:
        line = getattr(record, "problem_line", None)
        return line if isinstance(line, str) else f"{record.levelname}: {record.getMessage()}"


def _plain_lines(log: logging.Logger) -> None:
    """One unwrapped line per problem, so editors and CI can parse `path:line:`."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_ProblemLines())
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
    in_content: bool = True  # `path` is relative to the content folder (else: a settings file)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message} [{self.code}]"

    def file(self, content_root: str, base: str | None = None) -> str:
        """The file, relative to `base` (the project folder; default the current one) when
        inside it, else absolute."""
        base = os.path.abspath(base or os.getcwd())
        path = os.path.join(content_root, self.path) if self.in_content else self.path
        absolute = os.path.abspath(path)
        inside = absolute.startswith(base.rstrip(os.sep) + os.sep)
        return os.path.relpath(absolute, base) if inside else absolute

    def text(self, content_root: str, base: str | None = None) -> str:
        """The one line every tool prints: `content/explainers/x.md:12: error: message [code]`."""
        file = self.file(content_root, base)
        where = f"{file}:{self.line}" if self.line else file
        label = "error" if self.severity == "error" else "warning"
        return f"{where}: {label}: {self.message} [{self.code}]"


@dataclass
class ProblemLog:
    """Every problem of a build, so all of them are reported before the build fails."""

    problems: list[Problem] = field(default_factory=list)
    _seen: set[Problem] = field(default_factory=set, repr=False)
    content_root: str = ""  # the build's content folder, for the printed paths

    def add(
        self,
        path: str,
        line: int,
        message: str,
        code: str,
        severity: str = "error",
        *,
        in_content: bool = True,
    ) -> None:
        problem = Problem(path, line, message, code, severity, in_content)
        if problem not in self._seen:
            self._seen.add(problem)
            self.problems.append(problem)

    def add_all(self, problems: Iterable[Problem]) -> None:
        """Problems found before, reported again (a file read in an earlier build)."""
        for problem in problems:
            self.add(
                problem.path,
                problem.line,
                problem.message,
                problem.code,
                problem.severity,
                in_content=problem.in_content,
            )

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity != "error")

    def log_all(self) -> None:
        for problem in self.warnings:
            logger.warning("%s", problem, extra={"problem_line": problem.text(self.content_root)})
        for problem in self.errors:
            logger.error("%s", problem, extra={"problem_line": problem.text(self.content_root)})


MAX_ECHO = 120  # characters of a contributor's text repeated in a message


def shorten(text: str, limit: int = MAX_ECHO) -> str:
    """Contributor text short enough to echo in a one-line message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A '; did you mean ...?' suffix naming the closest choices, or nothing."""
    close = difflib.get_close_matches(word, sorted(choices), n=3, cutoff=0.5)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
