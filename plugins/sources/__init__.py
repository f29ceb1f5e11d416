"""Source documents: load and validate `sources/*.md`, write a page per source and an index."""

from __future__ import annotations

from typing import Any

from pelican import signals

from sitemodel.phases import connect_phases, documents_checked
from sources.loader import load_source, load_sources
from sources.pages import SourcesGenerator, check_excerpt_share, source_settings, url_setting

__all__ = ["load_source", "load_sources", "register", "source_settings", "url_setting"]


def get_generators(pelican: Any) -> type[SourcesGenerator]:
    return SourcesGenerator


def register() -> None:
    connect_phases()
    signals.get_generators.connect(get_generators)
    documents_checked.connect(check_excerpt_share)  # every citation is resolved by then
