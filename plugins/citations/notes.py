"""Verify every citation of a build; collect each page's notes as records (`sitemodel.evidence`)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from citations.limits import MAX_QUOTE, Hints, shorten
from citations.quotes import Match, SourceText, normalize, text_fragment
from sitemodel import Build, Citation, Source
from sitemodel.evidence import Note

# (source text digest, quote) -> what verify_quotes found, kept from the last build of this
# process: `explainer serve` rebuilds after every save, and most quotes and sources are as before
_LAST_BUILD: dict[tuple[str, str], Match | str] = {}


def verify_quotes(
    sources: dict[str, Source], citations: Iterable[Citation]
) -> dict[int, Match | str]:
    """Each quoting citation's passage, or else a 'closest passage' hint, by `id(citation)`.

    Grouped by source, so one source's searchable text is in memory at a time.
    """
    global _LAST_BUILD
    by_source: dict[str, list[Citation]] = defaultdict(list)
    for citation in citations:
        if citation.quote is not None and citation.source_id in sources and not too_long(citation):
            by_source[citation.source_id].append(citation)
    remembered, _LAST_BUILD = _LAST_BUILD, {}
    found: dict[int, Match | str] = {}
    for source_id, quoting in by_source.items():
        source = sources[source_id]
        digest = hashlib.sha1("\x00".join(source.paragraphs).encode(), usedforsecurity=False)
        text: SourceText | None = None
        for citation in quoting:
            key = (digest.hexdigest(), str(citation.quote))
            if key not in remembered:
                text = text or SourceText(source)
                remembered[key] = _find(text, key[1])
            found[id(citation)] = _LAST_BUILD[key] = remembered[key]
    return found


def _find(text: SourceText, quote: str) -> Match | str:
    match = text.find(quote)
    if match is not None:
        return match
    number, closest = text.closest(quote)
    return f'; closest passage (¶{number}): "{shorten(closest)}"' if closest else ""


def primary_language(tag: str) -> str:
    """'es' of 'es-MX': a page in es-MX quoting an es source needs no translation."""
    return tag.split("-", 1)[0].lower()


def too_long(citation: Citation) -> int:
    """The quote's length if it is over the limit (not searched, an error), else 0."""
    length = len(normalize(citation.quote or ""))
    return length if length > MAX_QUOTE else 0


def resolve_document(
    build: Build,
    quotes: dict[int, Match | str],
    env: dict[str, Any],
    page: Any,
    hints: Hints | None = None,
    source_urls: dict[str, str] | None = None,
    untranslated: str = "warning",
) -> list[Note]:
    """Check each citation of one document against the sources; its notes, by number.

    Numbers and marker ids were given when the file was read (`citations.syntax`).
    `untranslated`: how a quote in a language other than the page's, with no `trans:`, is
    reported ("error", "warning" or "off").
    """
    hints = hints or Hints()
    problems = build.problems
    path = env.get("path", "")
    page_url = page.url  # Pelican computes it anew on every access
    page_language = primary_language(getattr(page, "lang", "") or "")
    for line, message in env.get("citation_errors", []):
        problems.add(path, line, message, "citations.syntax")
    notes: dict[int, Note] = {}
    for citation in env.get("citations", []):
        source = build.sources.get(citation.source_id)
        if source is None and citation.source_id in build.broken_sources:
            problems.add(
                path,
                0,
                f"cites '@{shorten(citation.source_id)}', whose source file has errors of its own;"
                " fix that file first",
                "citations.broken-source",
            )
            continue
        if source is None:
            hint = hints(citation.source_id, citation.source_id, lambda: build.sources)
            problems.add(
                path,
                citation.line,
                f"unknown source '@{shorten(citation.source_id)}'{hint}",
                "citations.unknown-source",
            )
            continue
        if citation.quote is not None:
            length = too_long(citation)
            if length:
                problems.add(
                    path,
                    citation.line,
                    f"quote too long ({length} characters, at most {MAX_QUOTE});"
                    f' quote a short passage: "{shorten(citation.quote)}"',
                    "citations.quote-too-long",
                )
                continue
            match = quotes[id(citation)]
            if isinstance(match, str):
                problems.add(
                    path,
                    citation.line,
                    f'quote not found in {source.id}: "{shorten(citation.quote)}"{match}',
                    "citations.quote-not-found",
                )
                continue
            citation.paragraph, citation.start, citation.end = (
                match.paragraph,
                match.start,
                match.end,
            )
            foreign = page_language and primary_language(source.language) != page_language
            if foreign and not citation.translation and untranslated != "off":
                problems.add(
                    path,
                    citation.line,
                    f"this page is in '{page_language}' and {source.id} in '{source.language}':"
                    f' add the translation, [@{source.id}, "{shorten(citation.quote)}",'
                    ' trans: "..."]',
                    "citations.untranslated",
                    untranslated,
                )
        note = notes.get(citation.note)
        if note is None:
            note = notes[citation.note] = Note(
                citation.note,
                source,
                citation.paragraph,
                citation.start,
                citation.end,
                source_url=(source_urls or {}).get(source.id, ""),
                translation=citation.translation,
            )
            if citation.paragraph:
                paragraph = source.paragraphs[citation.paragraph - 1]
                note.fragment = text_fragment(paragraph, citation.start, citation.end)
        citation.anchor = note.anchor  # the passage's id on the source page ("" if whole)
        citation.page_title = page.title
        citation.page_url = page_url
        note.refs.append(citation.ref_id)
        build.citations.append(citation)
    return [notes[number] for number in sorted(notes)]
