"""Source notes for paper, from the shared model: short enough for a two-page handout."""

from __future__ import annotations

from dataclasses import dataclass

from sitemodel import Citation, Source

# the web page's own notes list, which the printed notes replace
WEB_NOTES = "section.citation-notes"


@dataclass(frozen=True)
class PrintNote:
    """One numbered note as printed: which source, which paragraph, which words."""

    number: int
    source: Source
    paragraph: int  # 0 when the whole source is cited
    passage: str  # the source's own words, "" for a whole-source citation


def print_notes(
    citations: list[Citation], sources: dict[str, Source], path: str
) -> list[PrintNote]:
    """The notes of the document at `path` (relative to the content folder), by number."""
    notes: dict[int, PrintNote] = {}
    for citation in citations:
        if citation.path != path or not citation.note or citation.note in notes:
            continue
        source = sources.get(citation.source_id)
        if source is None:
            continue
        passage = ""
        if citation.quote is not None and 0 < citation.paragraph <= len(source.paragraphs):
            passage = source.paragraphs[citation.paragraph - 1][citation.start : citation.end]
        notes[citation.note] = PrintNote(citation.note, source, citation.paragraph, passage)
    return [notes[number] for number in sorted(notes)]


def cited_sources(notes: list[PrintNote]) -> list[Source]:
    """Each source the notes cite, once, in order of first citation."""
    seen: dict[str, Source] = {}
    for note in notes:
        seen.setdefault(note.source.id, note.source)
    return list(seen.values())


def without_web_notes(html: str) -> str:
    """The page's HTML less its web notes list, so the printed notes can take its anchors."""
    from bs4 import BeautifulSoup  # only when handouts are made: every build loads this module

    soup = BeautifulSoup(html, "html.parser")
    found = soup.select(WEB_NOTES)
    if not found:
        return html
    for section in found:
        section.decompose()
    return str(soup)
