"""Source documents: load and validate `sources/*.md`, write a page per source and an index."""

from __future__ import annotations

from typing import Any

from pelican import signals

from sources.loader import load_source, load_sources
from sources.pages import SourcesGenerator, check_excerpt_share, source_settings, url_setting

__all__ = ["load_source", "load_sources", "register", "source_settings", "url_setting"]


def get_generators(pelican: Any) -> type[SourcesGenerator]:
    return SourcesGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    # after mdreader's receiver has resolved every citation (mdreader comes first in PLUGINS)
    signals.all_generators_finalized.connect(check_excerpt_share)
