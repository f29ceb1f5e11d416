"""Citation files readers can take away: CSL-JSON, BibTeX and RIS for every explainer and source.

The Highwire `citation_*` tags in the theme let a reference manager read a page; these files
are for readers who download a reference (or, for an explainer, it and all its sources) to use
in their own writing.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from exports.files import CitationFilesGenerator, plan_downloads
from sitemodel.phases import connect_phases, documents_checked

__all__ = ["register"]


def get_generators(pelican: Any) -> type[CitationFilesGenerator]:
    return CitationFilesGenerator


def register() -> None:
    connect_phases()
    # every page's address and notes are known, and nothing is written yet: templates link
    # the files, and the gate stops the build if one would land on another file
    documents_checked.connect(plan_downloads)
    signals.get_generators.connect(get_generators)
