"""Reading contributor files: one decoding policy and one front-matter split for every plugin."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from sitemodel.problems import ProblemLog


def read_text(path: Path, relpath: str, problems: ProblemLog) -> str | None:
    """The file as text with LF line endings and no BOM, or None after reporting why not."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.add(relpath, 0, f"cannot read file: {error.strerror}", "content.unreadable")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.add(
            relpath,
            line,
            f"not valid UTF-8 (byte {error.start}); save the file as UTF-8",
            "content.encoding",
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line number where the body starts) or None when there is none."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


# libyaml when present: ~10x faster
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextDatesLoader(_SAFE_LOADER):  # type: ignore[misc]
    """The safe loader without implicit timestamps: dates stay ISO text for their field's check.

    PyYAML raises a bare ValueError, with no line, for an impossible date such as 2018-02-30.
    """


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _SAFE_LOADER.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> Any:
    """YAML as plain data (safe loader), raising yaml.YAMLError with a problem_mark."""
    return yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - a safe loader


_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def key_lines(front: str, first_line: int) -> dict[str, int]:
    """File line of each top-level front-matter key, for messages."""
    return {
        match.group(1): first_line + offset
        for offset, text in enumerate(front.split("\n"))
        if (match := _KEY.match(text))
    }


def load_front_matter(
    front: str, first_line: int, relpath: str, problems: ProblemLog, code: str
) -> Any:
    """The front matter's data ({} when empty), or None after reporting where the YAML breaks."""
    try:
        return load_yaml(front) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark else 1
        problem = getattr(error, "problem", None) or "cannot be read"
        problems.add(relpath, line, f"front matter is not valid YAML: {problem}", code)
        return None
