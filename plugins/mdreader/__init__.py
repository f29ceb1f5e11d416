"""Markdown on markdown-it-py for Pelican, rendered while read, resolved once all is read."""

from __future__ import annotations

from pelican import signals

from mdreader.collector import collect_as_before, collect_less
from mdreader.reader import (
    Document,
    MarkdownItReader,
    attach_build,
    make_markdown,
    markdown_of,
    render_documents,
    report_stored_problems,
    use_our_reader,
)

__all__ = ["Document", "MarkdownItReader", "make_markdown", "markdown_of", "register"]

_SIGNAL_HANDLERS = (
    (signals.get_generators, collect_less),
    (signals.readers_init, use_our_reader),
    (signals.generator_init, attach_build),
    (signals.content_object_init, report_stored_problems),
    # after every generator has read its files, so links and citations can be resolved
    (signals.all_generators_finalized, render_documents),
    (signals.all_generators_finalized, collect_as_before),
)


def register() -> None:
    for signal, handler in _SIGNAL_HANDLERS:
        signal.connect(handler)
