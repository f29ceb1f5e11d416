"""Per-build state shared by our plugins, kept in Pelican's context so every run starts afresh."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from blinker import signal

from sitemodel.placeholders import Filler
from sitemodel.problems import ProblemLog
from sitemodel.settings import check_settings
from sitemodel.source import Citation, Source

# Sent with the MarkdownIt instance while the reader builds it: plugins add their syntax.
markdown_ready = signal("explainer.markdown_ready")
# Sent once all documents are parsed, before any is rendered: plugins resolve and verify.
documents_parsed = signal("explainer.documents_parsed")

_CONTEXT_KEY = "EXPLAINER_BUILD"
_CONTENT_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
    "documents",
)


@dataclass
class Build:
    """What one run of Pelican knows about our content, filled phase by phase."""

    problems: ProblemLog = field(default_factory=ProblemLog)
    sources: dict[str, Source] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)
    broken_sources: set[str] = field(default_factory=set)  # ids whose files have errors
    # "kind:id" -> (title, source path relative to PATH, fragment) for wiki links
    targets: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    # placeholder kind -> its filler, set by the plugin that resolves that kind
    fillers: dict[str, Filler] = field(default_factory=dict)
    # an incremental build: the published pages it keeps (None: a full build), and the record
    # of what this build's pages are made from, saved once published (plugins/incremental)
    kept_outputs: set[str] | None = None
    output_record: Any = None


def build_of(context: dict[str, Any]) -> Build:
    """The build state of this run (one context per run, so autoreload starts clean)."""
    build = context.get(_CONTEXT_KEY)
    if not isinstance(build, Build):
        build = Build()
        build.problems.content_root = str(context.get("PATH", ""))
        check_settings(context, build.problems)  # once per run, before any plugin reads them
        context[_CONTEXT_KEY] = build
    return build


def contents_of(generators: list[Any]) -> Iterator[Any]:
    """Every content object the generators hold, in a stable order, each once."""
    seen: set[int] = set()
    found = []
    for generator in generators:
        for name in _CONTENT_LISTS:
            for content in getattr(generator, name, None) or []:
                if id(content) not in seen:
                    seen.add(id(content))
                    found.append(content)
    yield from sorted(found, key=lambda content: str(content.source_path))


def freeze_urls(contents: list[Any]) -> None:
    """Compute each page's `url` and `save_as` once from now on.

    Pelican formats them from the settings on every access (tens of thousands of times in a
    large build: templates, page lists, notes). Once every file is read they no longer change.
    """
    for content in contents:
        if "get_url_setting" not in vars(content):
            content.get_url_setting = functools.partial(_url_setting_once, content, {})


def _url_setting_once(content: Any, known: dict[str, str], key: str) -> str:
    if key not in known:
        known[key] = type(content).get_url_setting(content, key)
    return known[key]
