"""Machine-readable metadata: schema.org JSON-LD on explainers, sitemap.xml, and the 404 page.

The share tags (Open Graph, canonical URL) live in the theme; this plugin supplies what a
template cannot work out alone (the sources each explainer cites) and the files that are not
content pages.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from metadata.evidence import EvidenceGenerator
from metadata.pages import NotFoundGenerator, add_json_ld, metadata_settings, write_sitemap
from sitemodel.phases import connect_phases, documents_checked, site_written

__all__ = ["metadata_settings", "register"]


def get_generators(pelican: Any) -> tuple[type[NotFoundGenerator], type[EvidenceGenerator]]:
    return NotFoundGenerator, EvidenceGenerator


def register() -> None:
    connect_phases()
    # every citation is resolved and nothing is written yet
    documents_checked.connect(add_json_ld)
    signals.get_generators.connect(get_generators)
    # every page is written (into the staging folder, before sitecheck publishes it)
    site_written.connect(write_sitemap)
