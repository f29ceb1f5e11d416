"""Citations: `[@id, "words"]` verified against the sources and rendered as numbered notes."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from pelican.contents import Article

from citations.limits import Hints
from citations.markers import Markers
from citations.notes import resolve_document, verify_quotes
from citations.quotes import (
    NormalizedText,
    SourceText,
    encode_fragment_term,
    normalize,
    text_fragment,
)
from citations.syntax import CitationSyntaxError, citations_plugin, parse_group
from sitemodel import Build, documents_parsed, markdown_ready
from sitemodel.evidence import cited_sources
from sitemodel.phases import connect_phases
from sitemodel.settings import Option, declare, plugin_options

__all__ = [
    "CitationSyntaxError",
    "NormalizedText",
    "SourceText",
    "citations_plugin",
    "encode_fragment_term",
    "normalize",
    "parse_group",
    "register",
    "text_fragment",
]

_SEVERITIES = ("error", "warning", "off")
declare(
    "CITATIONS",
    {
        "citation_needed": Option(
            "warning", lambda v: v in _SEVERITIES, "'error', 'warning' or 'off'"
        ),
        # a quote in another language than its page's, without `trans:`
        "untranslated": Option(
            "warning", lambda v: v in _SEVERITIES, "'error', 'warning' or 'off'"
        ),
    },
)


def citation_settings(settings: dict[str, Any]) -> dict[str, Any]:
    return plugin_options(settings, "CITATIONS")


def add_syntax(md: MarkdownIt, settings: dict[str, Any]) -> str:
    """The syntax, with markers from the theme; answers with the theme macros' version."""
    markers = Markers(settings)
    md.use(citations_plugin, markers=markers)
    return markers.version


def resolve_citations(build: Build, contents: list[Any], context: dict[str, Any]) -> None:
    """Verify and number every citation; flag uncited explainer text."""
    options = citation_settings(context)
    severity = options["citation_needed"]
    source_urls = {
        source.id: str(getattr(context["generated_content"].get(source.path), "url", ""))
        for source in build.sources.values()
    }
    env = (content.markdown_document.env for content in contents)
    everything = (citation for e in env for citation in e.get("citations", []))
    quotes = verify_quotes(build.sources, everything)
    hints = Hints()  # one budget of "did you mean" searches for the build
    for content in contents:
        document = content.markdown_document
        content.notes = resolve_document(
            build, quotes, document.env, content, hints, source_urls, options["untranslated"]
        )
        content.note_sources = cited_sources(content.notes)
        if severity in ("error", "warning") and isinstance(content, Article):
            for line, what in document.env.get("uncited", []):
                build.problems.add(
                    document.path,
                    line,
                    f'citation needed: {what} without a citation; add [@source-id, "words"]',
                    "citations.needed",
                    severity,
                )


def register() -> None:
    connect_phases()
    markdown_ready.connect(add_syntax)
    documents_parsed.connect(resolve_citations)
