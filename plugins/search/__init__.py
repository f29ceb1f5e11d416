"""Site search with Pagefind: a search page, and the index built over the finished site.

Pages opt in with `data-pagefind-body` and describe themselves with `data-pagefind-filter`
(kind of page, topic); the theme writes those attributes.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from search.pagefind import SearchIndexFailed, SearchPageGenerator, build_index, search_settings
from sitemodel.phases import connect_phases, site_written

__all__ = ["SearchIndexFailed", "register", "search_settings"]


def get_generators(pelican: Any) -> type[SearchPageGenerator]:
    return SearchPageGenerator


def register() -> None:
    connect_phases()
    signals.get_generators.connect(get_generators)
    # every page is written into the staging folder; sitecheck publishes it in the next phase
    site_written.connect(build_index)
