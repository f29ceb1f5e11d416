"""The small model our plugins share: problems, sources, citations and the per-build state.

Plugins talk through this model and the signals below, never through each other's internals.
"""

from __future__ import annotations

from sitemodel.build import (
    Build,
    build_of,
    contents_of,
    documents_parsed,
    markdown_ready,
)
from sitemodel.placeholders import Filler, fill, placeholder
from sitemodel.problems import Problem, ProblemLog
from sitemodel.source import Citation, Source
from sitemodel.textfile import load_yaml, read_text, split_front_matter

__all__ = [
    "Build",
    "Citation",
    "Filler",
    "Problem",
    "ProblemLog",
    "Source",
    "build_of",
    "contents_of",
    "documents_parsed",
    "fill",
    "load_yaml",
    "markdown_ready",
    "placeholder",
    "read_text",
    "split_front_matter",
]
