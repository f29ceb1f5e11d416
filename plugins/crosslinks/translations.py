"""Which version of its original a translation translates, and whether the original changed.

A translation (`lang: es`, the original's file name) says in its front matter which version of
the original's text it translates: `translates: 3f2a9c01b7de`, written by `explainer
translations --stamp`. The version is a short hash of what a translator translates: the
original's title, summary and body, with line endings normalised and the body's leading and
trailing blank space dropped. Other front matter (`date`, `modified`, `topics`, ...) is not
in it, so changing only those does not make a translation stale.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from crosslinks.links import PageIndex, lang_of
from sitemodel import Build, ProblemLog, load_yaml, read_text, split_front_matter
from sitemodel.textfile import content_limit

VERSION_LENGTH = 12  # hex characters of `translates:`
STAMP_COMMAND = "explainer translations --stamp"


def text_version(text: str) -> str | None:
    """The version of a page's translatable text (None: its front matter cannot be read)."""
    split = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    if split is None:
        return None
    front, body, _ = split
    try:
        data = load_yaml(front)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    parts = [str(data.get(key) or "").strip() for key in ("title", "summary")] + [body.strip()]
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()
    return digest[:VERSION_LENGTH]


class NewerOriginal(NamedTuple):
    """What a stale translation's notice links to: its original, newer than it."""

    title: str
    url: str
    lang: str


def check_translations(build: Build, index: PageIndex, context: dict[str, Any]) -> None:
    """Each translation's `translates:` against its original's text now; a stale translation
    gets `newer_original` (its notice) and a warning at its `translates:` line."""
    default = index.default_lang
    versions: dict[str, str | None] = {}  # original's path -> its version
    for lang, pages in sorted(index.by_lang.items()):
        if lang == default:
            continue
        for slug, page in sorted(pages.items()):
            page.newer_original = None
            original = index.by_lang.get(default, {}).get(slug)
            document = page.markdown_document
            line = document.env.get("front_matter_lines", {}).get("translates", 1)
            stamp = str(getattr(page, "translates", "") or "")
            if original is None:  # the i18n plugin reports a translation without an original
                continue
            path = original.markdown_document.path
            if path not in versions:
                versions[path] = _version_of(Path(original.source_path), path, context)
            version = versions[path]
            command = f"{STAMP_COMMAND} {slug} --lang {lang}"
            if not stamp:
                build.problems.add(
                    document.path,
                    1,
                    f"no 'translates:' line, so a change to {path} cannot be noticed;"
                    f" once this translates it as it is now, run `{command}`",
                    "translations.unstamped",
                    "warning",
                )
            elif version is not None and stamp != version:
                build.problems.add(
                    document.path,
                    line,
                    f"{path} has changed since this translation was made (translates: {stamp},"
                    f" the original is now {version}); update the translation, then run"
                    f" `{command}`",
                    "translations.stale",
                    "warning",
                )
                page.newer_original = NewerOriginal(
                    original.title, original.url, lang_of(original, default)
                )


def _version_of(path: Path, relpath: str, context: dict[str, Any]) -> str | None:
    # the original's own problems are reported when it is read as a page
    text = read_text(path, relpath, ProblemLog(), content_limit(context))
    return text_version(text) if text is not None else None
