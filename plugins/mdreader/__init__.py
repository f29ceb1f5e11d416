"""Markdown on markdown-it-py for Pelican, rendered while read, resolved once all is read."""

from __future__ import annotations

from pelican import signals

from mdreader.collector import collect_less
from mdreader.reader import (
    Document,
    MarkdownItReader,
    attach_build,
    fill_documents,
    make_markdown,
    markdown_of,
    refresh_documents,
    report_stored_problems,
    use_our_reader,
)
from sitemodel.phases import connect_phases, documents_filled, documents_read

__all__ = ["Document", "MarkdownItReader", "make_markdown", "markdown_of", "register"]

_SIGNAL_HANDLERS = (
    (signals.get_generators, collect_less),
    (signals.readers_init, use_our_reader),
    (signals.generator_init, attach_build),
    (signals.content_object_init, report_stored_problems),
    (documents_read, refresh_documents),
    (documents_filled, fill_documents),
)


def register() -> None:
    connect_phases()
    for signal, handler in _SIGNAL_HANDLERS:
        signal.connect(handler)
