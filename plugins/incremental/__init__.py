"""Incremental builds: with Pelican's content cache on, write only the pages an edit changes.

Pelican renders and writes every page on every build. After a build with the cache on, we
record which content files each single page (explainer, page, source page, glossary) shows.
The next build still reads (from the cache) and resolves the whole site, so every check runs;
then pages none of whose files changed are not rendered again: they stay in the published
output, and sitecheck checks the links of the whole site and moves only the new files in.
Pages listing many others (home, topics, feeds, sitemap) are always written. Anything else
that changes (settings, theme, plugin code, a page's menu title, an added, removed or moved
file, the glossary) means a full build.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.writers import Writer

from incremental.outputs import (
    Record,
    code_fingerprint,
    file_hashes,
    folder_identity,
    load_record,
    output_dependencies,
    output_urls,
    save_record,
    single_pages,
)
from sitemodel import Build, build_of, contents_of
from sitemodel.phases import after_publishing, connect_phases, site_ready

__all__ = ["register"]

logger = logging.getLogger("explainer")

_UNCHANGED = "EXPLAINER_UNCHANGED_OUTPUTS"


class SelectiveWriter(Writer):  # type: ignore[misc]
    """Pelican's writer, skipping the pages this build kept from the last one."""

    def write_file(
        self, name: str, template: Any, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> None:
        if name not in context.get(_UNCHANGED, ()):
            super().write_file(name, template, context, *args, **kwargs)


def get_writer(pelican: Any) -> type[Writer]:
    return SelectiveWriter


def _post_processed(settings: dict[str, Any]) -> bool:
    """Search indexes and PDF handouts are made from every page: no partial writes then."""
    return any(settings.get(name, {}).get("enabled") for name in ("SEARCH", "HANDOUTS"))


def keep_unchanged_pages(generators: list[Any]) -> None:
    """Decide which pages to write; the others stay as published."""
    if not generators:
        return
    first = generators[0]
    context, settings = first.context, first.settings
    if not settings.get("CACHE_CONTENT"):
        return
    build = build_of(context)
    # every page made from a Markdown document (explainers, pages, the glossary)
    contents = [c for c in contents_of(generators) if getattr(c, "markdown_document", None)]
    outputs = output_dependencies(contents, build, context)
    record = Record(
        fingerprint=code_fingerprint(settings),
        output=[],
        files=file_hashes(Path(first.path)),
        outputs={name: sorted(files) for name, files in outputs.items()},
        urls=output_urls(contents, context),
    )
    build.output_record = record
    final = Path(settings["OUTPUT_PATH"]).resolve()
    staging = Path(first.output_path).resolve()
    previous = load_record(Path(settings["CACHE_PATH"]))
    if (
        previous is None
        or not settings.get("LOAD_CONTENT_CACHE")
        or build.problems.errors
        or staging == final
        or not final.is_dir()
        or _post_processed(settings)
        or previous.fingerprint != record.fingerprint
        or previous.output != folder_identity(final)
        or previous.files.keys() != record.files.keys()
        or previous.urls != record.urls
    ):
        return
    changed = {name for name, digest in record.files.items() if previous.files[name] != digest}
    if changed & single_pages(contents):
        return
    affected = {name for name, files in outputs.items() if files & changed}
    affected |= {name for name, files in previous.outputs.items() if changed.intersection(files)}
    unchanged = set(outputs) - affected
    if not all((final / name).is_file() for name in unchanged):
        return
    context[_UNCHANGED] = unchanged  # for the writer
    build.kept_outputs = unchanged  # for sitecheck, which publishes the written pages
    logger.info("%d page(s) changed; %d kept from the last build", len(affected), len(unchanged))


def record_published_build(pelican: Any, build: Build | None = None) -> None:
    """Remember what the output just published was built from (only if it was published)."""
    record = build.output_record if build is not None else None
    if record is None or not getattr(pelican, "explainer_published", False):
        return
    final = Path(pelican.settings["OUTPUT_PATH"]).resolve()
    record.output = folder_identity(final)
    save_record(Path(pelican.settings["CACHE_PATH"]), record)


def register() -> None:
    connect_phases()
    signals.get_writer.connect(get_writer)
    site_ready.connect(keep_unchanged_pages)
    after_publishing.connect(record_published_build)
