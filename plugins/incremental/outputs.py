"""Which content files each output page is made from, and what the last published build was."""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.contents import Article

from sitemodel import Build

RECORD_NAME = "explainer-outputs.json"
_PAGE_LISTS = ("linked_from", "related_pages", "compared_in", "compares_pages")


def output_dependencies(
    contents: list[Any], build: Build, context: dict[str, Any]
) -> dict[str, set[str]]:
    """Output path -> the content files (relative to PATH) whose text it shows.

    Pages made from one document and topic pages are listed; other lists of many (the home
    page, feeds, the sitemap) are not, and are written on every build.
    """
    cited_by: dict[str, set[str]] = defaultdict(set)
    for citation in build.citations:
        cited_by[citation.source_id].add(citation.path)
    outputs: dict[str, set[str]] = {}
    for content in contents:
        if not content.save_as:
            continue
        env = content.markdown_document.env
        files = {content.markdown_document.path}  # Pelican's relative_source_path, computed once
        files |= {link["path"] for link in env.get("wikilinks", []) if link.get("path")}
        files |= {
            build.sources[c.source_id].path
            for c in env.get("citations", [])
            if c.source_id in build.sources
        }
        for name in _PAGE_LISTS:
            files |= {link.path for link in getattr(content, name, None) or []}
        for term in getattr(content, "glossary_terms", None) or []:
            files |= {page.markdown_document.path for page in term.used_in}
        # its other-language versions: the switcher, and a translation's "the original changed"
        files |= {
            other.markdown_document.path
            for other in getattr(content, "translations", None) or []
            if hasattr(other, "markdown_document")
        }
        outputs[content.save_as] = files
    for page in context.get("source_pages", []):
        outputs[page.save_as] = {page.source.path} | cited_by[page.source.id]
    for tag, articles in context.get("tags", []):  # a topic page lists only its explainers
        outputs[tag.save_as] = {a.relative_source_path for a in articles}
    return outputs


def output_urls(contents: list[Any], context: dict[str, Any]) -> dict[str, str]:
    """Output path -> URL of every single page: a moved page changes links on many others."""
    pages = contents + context.get("source_pages", [])
    pages += [tag for tag, _articles in context.get("tags", [])]
    return {page.save_as: page.url for page in pages if page.save_as}


def single_pages(contents: list[Any]) -> set[str]:
    """Files of non-explainer pages: every page's menu shows their titles."""
    return {c.markdown_document.path for c in contents if not isinstance(c, Article)}


def file_hashes(folder: Path) -> dict[str, str]:
    hashes = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            hashes[path.relative_to(folder).as_posix()] = hashlib.sha1(
                path.read_bytes(), usedforsecurity=False
            ).hexdigest()
    return hashes


def code_fingerprint(settings: dict[str, Any]) -> str:
    """Settings, theme and plugin code: a change to any of them means a full build."""
    plain = {
        key: value
        for key, value in settings.items()
        if isinstance(value, str | int | float | bool | list | tuple | dict | None)
    }
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(json.dumps(plain, sort_keys=True, default=lambda o: type(o).__name__).encode())
    plugins = Path(__file__).resolve().parent.parent
    for folder in (Path(str(settings.get("THEME", ""))), plugins):
        for root, _dirs, names in sorted(os.walk(folder)):
            for name in sorted(names):
                stat = (Path(root) / name).stat()
                digest.update(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def folder_identity(folder: Path) -> list[int]:
    """Each published build is a new folder (see sitecheck); touching it changes this too."""
    stat = folder.stat()
    return [stat.st_dev, stat.st_ino, stat.st_mtime_ns]


@dataclass
class Record:
    """What the published output was built from, kept in Pelican's cache folder."""

    fingerprint: str
    output: list[int]  # folder_identity of the published output
    files: dict[str, str]  # content file -> sha1
    outputs: dict[str, list[str]] = field(default_factory=dict)  # output -> content files
    urls: dict[str, str] = field(default_factory=dict)  # output -> its URL


def load_record(cache: Path) -> Record | None:
    try:
        return Record(**json.loads((cache / RECORD_NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def save_record(cache: Path, record: Record) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    # vars(), not asdict(): no deep copy of a large site's lists
    (cache / RECORD_NAME).write_text(json.dumps(vars(record), sort_keys=True), encoding="utf-8")
