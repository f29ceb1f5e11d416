"""Reading and validating `sources/<id>.md`: the archived articles every citation points into."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from sitemodel import ProblemLog, Source, read_text, split_front_matter
from sitemodel.problems import Problem, did_you_mean
from sitemodel.source import KINDS, SLUG_PATTERN, TEXT_MODES
from sitemodel.textfile import MAX_FILE_BYTES, is_language_tag, key_lines, load_front_matter

ID_PATTERN = SLUG_PATTERN
REQUIRED = ("title", "outlet", "published", "kind")
OPTIONAL = (
    "id",
    "author",
    "date_estimated",
    "url",
    "archived",
    "language",
    "notes",
    "text",
    "short",
    "accessed",
    "rights",
)
# fields that take one value (a list or mapping there is an error, not turned into text)
_NOT_TEXT = ("id", "author", "published", "accessed", "date_estimated")
SINGLE_VALUES = tuple(key for key in REQUIRED + OPTIONAL if key not in _NOT_TEXT)
SHORT_MAX = 16  # a label like "FFI" or "Socialist Worker", printed in every note


def load_sources(
    folder: Path, root: Path, problems: ProblemLog, max_bytes: int = MAX_FILE_BYTES
) -> dict[str, Source]:
    """Every valid source in `folder`, by id; every problem found is added to `problems`."""
    sources: dict[str, Source] = {}
    labels: dict[str, Source] = {}  # one short label, one source: "FFI ¶7" must say which
    if not folder.is_dir():
        return sources
    global _LAST_READ
    remembered, _LAST_READ = _LAST_READ, {}  # only this build's files: the memo stays bounded
    for path in sorted(folder.rglob("*.md")):
        relpath = path.relative_to(root).as_posix()
        source = _load_unless_unchanged(path, relpath, problems, max_bytes, remembered)
        if source is None:
            continue
        if source.id in sources:
            problems.add(
                relpath,
                1,
                f"source id '{source.id}' is already used by {sources[source.id].path};"
                " rename one of the files",
                "sources.duplicate",
            )
            continue
        sources[source.id] = source
        if not source.short:
            continue  # named by its outlet, as a note names a source without `short:`
        other = labels.setdefault(source.short.casefold(), source)
        if other is not source:
            problems.add(
                relpath,
                source.short_line,
                f"the short label '{source.short}' is already {other.path}'s;"
                " give each source its own",
                "sources.short",
            )
    return sources


# each source file's last reading in this process: `explainer serve` rebuilds after every save
Reading = tuple[tuple[int, int, int], Source | None, list[Problem]]  # (stamp, source, problems)
_LAST_READ: dict[tuple[Path, str], Reading] = {}


def _load_unless_unchanged(
    path: Path,
    relpath: str,
    problems: ProblemLog,
    max_bytes: int,
    remembered: dict[tuple[Path, str], Reading],
) -> Source | None:
    """`load_source`, or its last result for a file of the same size and time, with its
    problems reported again. Nothing changes a Source once loaded."""
    stat = path.lstat()
    stamp = (stat.st_mtime_ns, stat.st_size, max_bytes)
    last = remembered.get((path, relpath))
    if last is None or last[0] != stamp:
        found = ProblemLog()
        last = (stamp, load_source(path, relpath, found, max_bytes), found.problems)
    _LAST_READ[path, relpath] = last
    problems.add_all(last[2])
    return last[1]


def load_source(
    path: Path, relpath: str, problems: ProblemLog, max_bytes: int = MAX_FILE_BYTES
) -> Source | None:
    """One source file, or None when it has problems (all of them reported)."""
    text = read_text(path, relpath, problems, max_bytes)
    if text is None:
        return None
    split = split_front_matter(text)
    if split is None:
        problems.add(
            relpath, 1, "no front matter; start the file with a '---' block", "sources.metadata"
        )
        return None
    front, body, body_line = split
    fields = load_front_matter(front, 2, relpath, problems, "sources.yaml")
    if fields is None:
        return None
    if not isinstance(fields, dict):
        problems.add(relpath, 2, "front matter must be 'key: value' lines", "sources.metadata")
        return None
    before = len(problems.problems)
    lines = key_lines(front, 2)
    source = _build_source(path.stem, fields, relpath, lines, problems)
    paragraphs, paragraph_lines = _paragraphs(body, body_line)
    if not paragraphs:
        problems.add(relpath, body_line, "the source has no body text", "sources.empty")
        return None
    if source is None or len(problems.problems) > before:
        return None
    source.paragraphs = paragraphs
    source.paragraph_lines = paragraph_lines
    return source


def _build_source(
    stem: str, fields: dict[str, Any], relpath: str, lines: dict[str, int], problems: ProblemLog
) -> Source | None:
    def report(key: str, message: str, code: str = "sources.metadata") -> None:
        problems.add(relpath, lines.get(key, 1), message, code)

    source_id = str(fields.get("id", stem))
    if not ID_PATTERN.match(source_id) or not ID_PATTERN.match(stem):
        report(
            "id",
            f"source id '{source_id}' must use lowercase letters, digits and hyphens only",
            "sources.id",
        )
    elif source_id != stem:
        report("id", f"'id: {source_id}' must match the file name '{stem}'", "sources.id")
    for key in fields:
        if key not in REQUIRED and key not in OPTIONAL:
            report(str(key), f"unknown field '{key}'{did_you_mean(str(key), REQUIRED + OPTIONAL)}")
    for key in REQUIRED:
        if fields.get(key) in (None, ""):
            report(key, f"missing required field '{key}'")
    published, precision = _date(fields.get("published"))
    if "published" in fields and published is None:
        report(
            "published",
            "'published' must be a date like 2018-05-29, or 2019-09 or 2019 when only the month"
            " or year is known",
            "sources.date",
        )
    kind = str(fields.get("kind", ""))
    if kind and kind not in KINDS:
        report("kind", f"unknown kind '{kind}'; use one of {', '.join(KINDS)}", "sources.kind")
    for key in ("url", "archived"):
        if key in fields and not _is_web_url(fields[key]):
            report(key, f"'{key}' must be an http:// or https:// address", "sources.url")
    for key in SINGLE_VALUES:
        if isinstance(fields.get(key), list | dict):
            report(key, f"'{key}' must be a single value, not a list or mapping")
            return None
    language = str(fields.get("language", "en"))
    if not is_language_tag(language):
        report(
            "language",
            f"'language' must be a language tag such as 'en' or 'es-MX', not '{language[:60]}'",
            "sources.language",
        )
    short = str(fields.get("short", "")).strip()
    if len(short) > SHORT_MAX:
        report("short", f"'short' is a label of at most {SHORT_MAX} characters, like FFI")
    accessed, accessed_precision = _date(fields["accessed"]) if "accessed" in fields else (None, "")
    if "accessed" in fields and (accessed is None or accessed_precision != "day"):
        report("accessed", "'accessed' must be the day the text was taken, like 2026-11-22")
    text_mode = str(fields.get("text", ""))
    if text_mode and text_mode not in TEXT_MODES:
        report("text", f"'text' must be one of {', '.join(TEXT_MODES)}")
    if not isinstance(fields.get("date_estimated", False), bool):
        report("date_estimated", "'date_estimated' must be true or false")
    authors = fields.get("author", [])
    authors = [authors] if isinstance(authors, str) else authors
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        report("author", "'author' must be a name or a list of names")
        authors = []
    if published is None:
        return None
    return Source(
        id=source_id,
        path=relpath,
        title=str(fields.get("title", "")).strip(),
        outlet=str(fields.get("outlet", "")).strip(),
        published=published,
        kind=kind,
        language=language,
        authors=[a.strip() for a in authors],
        date_estimated=fields.get("date_estimated") is True,
        date_precision=precision,
        url=str(fields.get("url", "")),
        archived=str(fields.get("archived", "")),
        notes=str(fields.get("notes", "")).strip(),
        text=text_mode,
        short=short,
        short_line=lines.get("short", 1),
        accessed=accessed,
        rights=str(fields.get("rights", "")).strip(),
    )


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def _date(value: Any) -> tuple[datetime.date | None, str]:
    """The date and how much of it is known ("day", "month" or "year")."""
    text = str(value).strip()
    partial = _PARTIAL_DATE.match(text)
    try:
        if partial:
            year, month = partial.groups()
            return datetime.date(int(year), int(month or 1), 1), "month" if month else "year"
        return datetime.date.fromisoformat(text), "day"
    except ValueError:
        pass
    try:  # "2018-05-29 10:00" also names a day
        return datetime.datetime.fromisoformat(text).date(), "day"
    except ValueError:
        return None, "day"


def _is_web_url(value: Any) -> bool:
    parsed = urlparse(str(value))
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def _paragraphs(body: str, first_line: int) -> tuple[list[str], list[int]]:
    """Blank-line separated paragraphs, each joined onto one line, with its file line."""
    paragraphs: list[str] = []
    starts: list[int] = []
    current: list[str] = []
    for offset, line in enumerate(body.split("\n")):
        if line.strip():
            if not current:
                starts.append(first_line + offset)
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs, starts
