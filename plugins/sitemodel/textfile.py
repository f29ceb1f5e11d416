"""Reading contributor files: one decoding policy and one front-matter split for every plugin."""

from __future__ import annotations

import functools
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from sitemodel.problems import ProblemLog
from sitemodel.settings import Option, declare, plugin_options

# a content file larger than this is refused (setting CONTENT['max_file_bytes'])
MAX_FILE_BYTES = 4_000_000
declare(
    "CONTENT",
    {"max_file_bytes": Option(MAX_FILE_BYTES, lambda v: v > 0, "a number of bytes above 0")},
)


def content_limit(settings: dict[str, Any]) -> int:
    """The largest content file a build reads."""
    return int(plugin_options(settings, "CONTENT")["max_file_bytes"])


# C0 controls other than tab and newline (and our placeholder marks, \x02 and \x03), and the
# two non-characters XML forbids: they pass a local build, then break the feed writer
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def file_problem(
    path: Path, relpath: str, max_bytes: int, *, walked: bool = False
) -> tuple[str, str] | None:
    """Why a content file must not be read: (message, code), or None when it may.

    A pull request can add a symbolic link (to /etc/passwd, to /dev/zero, to a folder): no link
    is followed, and only regular files of a bounded size are read or published.
    """
    try:
        info = path.lstat()
    except OSError as error:
        return f"cannot read file: {error.strerror}", "content.unreadable"
    if stat.S_ISLNK(info.st_mode):
        return "symbolic links are not allowed in the content; commit the file itself", (
            "content.symlink"
        )
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file", "content.unreadable"
    depth = len(Path(relpath).parts)
    root = path.parents[depth - 1] if 0 < depth <= len(path.parents) else path.parent
    # a walk that does not follow links (`walked`) found it outside any linked folder
    if not walked and _real(path.parent) != _real(root) / Path(relpath).parent:
        return "inside a symbolically linked folder; links are not followed", "content.symlink"
    if info.st_size > max_bytes:
        return (
            f"file is {info.st_size:,} bytes; the limit is {max_bytes:,}"
            " (CONTENT['max_file_bytes'] in the settings)",
            "content.too-large",
        )
    return None


@functools.lru_cache(maxsize=512)
def _real(folder: Path) -> Path:
    """A folder's real path: many files share one, and resolving walks every component."""
    return folder.resolve()


def read_text(
    path: Path, relpath: str, problems: ProblemLog, max_bytes: int = MAX_FILE_BYTES
) -> str | None:
    """The file as text with LF line endings and no BOM, or None after reporting why not.

    Control characters are reported (with their line) and replaced, so the rest of the file is
    still checked.
    """
    refused = file_problem(path, relpath, max_bytes)
    if refused is not None:
        problems.add(relpath, 0, *refused)
        return None
    try:
        with path.open("rb") as file:
            raw = file.read(max_bytes + 1)
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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return without_controls(text, relpath, problems)


def without_controls(text: str, relpath: str, problems: ProblemLog) -> str:
    """The text with control characters replaced by U+FFFD, each line with one reported."""
    if not _CONTROL.search(text):
        return text
    reported = 0
    for number, line in enumerate(text.split("\n"), start=1):
        found = _CONTROL.search(line)
        if found and reported < 10:
            reported += 1
            problems.add(
                relpath,
                number,
                f"control character U+{ord(found.group()):04X} in the text; delete it",
                "content.control-character",
            )
    return _CONTROL.sub("\ufffd", text)


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
# deeper nesting than any front matter or glossary needs; libyaml's composer recurses in C
MAX_YAML_DEPTH = 20
_PLAIN_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


class _ContentLoader(_SAFE_LOADER):  # type: ignore[misc]
    """The safe loader, with every plain scalar but true/false/null kept as text.

    Dates stay ISO text for their field's check (PyYAML raises a bare ValueError, with no line,
    for 2018-02-30), and a number is never converted (a 100,000-digit integer would raise).
    """


_ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _PLAIN_TAGS]
    for first, resolvers in _SAFE_LOADER.yaml_implicit_resolvers.items()
}


class ContentYAMLError(yaml.MarkedYAMLError):
    """YAML that parses but that content may not use: anchors, tags, deep nesting, repeated keys."""


def compose_yaml(text: str) -> yaml.Node | None:
    """The YAML's node tree, after refusing what a hostile file could use against the build.

    The events are checked first (linear, no recursion): no alias or anchor (an alias bomb
    expands exponentially), no explicit tag (`!!python/...`), nesting at most MAX_YAML_DEPTH
    (50,000 levels crash libyaml). Then keys must not repeat within a mapping, and no value
    may hold a control character.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_ContentLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _refused(event, "anchors and aliases (& and *) are not allowed; write it out")
        if isinstance(event, yaml.NodeEvent) and _explicit_tag(event):
            tag = str(getattr(event, "tag", ""))[:40]
            raise _refused(event, f"YAML tags are not allowed ({tag})")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _refused(event, f"nested more than {MAX_YAML_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    node = yaml.compose(text, Loader=_ContentLoader)
    _refuse_in_tree(node)
    return node


def _explicit_tag(event: Any) -> bool:
    implicit = getattr(event, "implicit", True)
    explicit = not any(implicit) if isinstance(implicit, tuple) else not implicit
    tag = getattr(event, "tag", None)
    return tag is not None and explicit and tag != "!"


def _refused(event: Any, problem: str) -> ContentYAMLError:
    return ContentYAMLError(problem=problem, problem_mark=event.start_mark)


def _refuse_in_tree(root: yaml.Node | None) -> None:
    """Keys repeated within a mapping, and control characters written as escapes ("\\x02")."""
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.ScalarNode):
            found = _CONTROL.search(str(node.value))
            if found:
                raise ContentYAMLError(
                    problem=f"control character U+{ord(found.group()):04X} in a value; delete it",
                    problem_mark=node.start_mark,
                )
        elif isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise ContentYAMLError(
                            problem=f"key '{str(key.value)[:60]}' appears twice; keep one",
                            problem_mark=key.start_mark,
                        )
                    seen.add(key.value)
                pending += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)


def construct_yaml(node: yaml.Node | None) -> Any:
    """Plain data from a node of `compose_yaml`."""
    if node is None:
        return None
    return _ContentLoader("").construct_document(node)


def load_yaml(text: str) -> Any:
    """YAML as plain data (see `compose_yaml`), raising yaml.YAMLError with a problem_mark."""
    return construct_yaml(compose_yaml(text))


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?$")


def is_language_tag(text: str) -> bool:
    """A BCP 47 language tag of the common shape: language, optional script and region."""
    return bool(_LANGUAGE_TAG.match(text))


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
