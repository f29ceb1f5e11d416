"""Reading contributor files: one decoding policy and one front-matter split for every plugin."""

from __future__ import annotations

from pathlib import Path

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
