"""Verify every citation of a build, number the notes per page, and render the notes list."""

from __future__ import annotations

import hashlib
import html
import string
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from citations.limits import MAX_QUOTE, Hints, shorten
from citations.quotes import Match, SourceText, normalize, text_fragment
from sitemodel import Build, Citation, Source


@dataclass
class Note:
    """One numbered footnote: a passage (or a whole source) and every place citing it."""

    number: int
    source: Source
    citation: Citation
    passage: str = ""
    fragment: str = ""
    refs: list[str] = field(default_factory=list)


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
) -> None:
    """Check each citation of one document against the sources and give it a note number."""
    hints = hints or Hints()
    problems = build.problems
    path = env.get("path", "")
    page_url = page.url  # Pelican computes it anew on every access
    for line, message in env.get("citation_errors", []):
        problems.add(path, line, message, "citations.syntax")
    notes: dict[tuple[str, int, int, int], Note] = {}
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
        passage = ""
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
            citation.anchor = f"q{match.paragraph}-{match.start}-{match.end}"
            passage = source.paragraphs[match.paragraph - 1][match.start : match.end]
        key = (source.id, citation.paragraph, citation.start, citation.end)
        note = notes.get(key)
        if note is None:
            note = Note(len(notes) + 1, source, citation, passage)
            if passage:
                paragraph = source.paragraphs[citation.paragraph - 1]
                note.fragment = text_fragment(paragraph, citation.start, citation.end)
            notes[key] = note
        letter = _letter(len(note.refs))
        citation.note = note.number
        citation.ref_id = f"cite-{note.number}-{letter}"
        citation.page_title = page.title
        citation.page_url = page_url
        note.refs.append(citation.ref_id)
        build.citations.append(citation)
    env["notes"] = list(notes.values())


def _letter(index: int) -> str:
    """a..z, then aa..zz, then aaa...: as many back-links as a note has."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = string.ascii_lowercase[rest] + letters
    return letters


def _date(source: Source) -> str:
    return source.date_text


def citation_html(content: Any, span: str) -> str:
    """The numbered markers of one citation group (`first-last` of the document's citations)."""
    first, last = (int(number) for number in span.split("-"))
    parts = []
    for citation in content.markdown_document.env["citations"][first:last]:
        if not citation.note:
            parts.append('<span class="citation-unresolved">[?]</span>')
            continue
        parts.append(
            f'<a class="cite-ref" id="{citation.ref_id}" href="#cite-{citation.note}"'
            f' aria-label="Source note {citation.note}">{citation.note}</a>'
        )
    return '<sup class="citation">' + ", ".join(parts) + "</sup>"


def notes_html(content: Any, key: str) -> str:
    """The 'Sources' list: who said it, where, the words, and links to check them."""
    notes: list[Note] = content.markdown_document.env.get("notes", [])
    if not notes:
        return ""
    items = []
    for note in notes:
        source = note.source
        backrefs = " ".join(
            f'<a href="#{ref}" aria-label="Back to citation {note.number}{ref.rsplit("-", 1)[1]}">'
            f"{ref.rsplit('-', 1)[1] if len(note.refs) > 1 else '↩'}</a>"
            for ref in note.refs
        )
        byline = f"{html.escape(source.author_line)}, " if source.authors else ""
        where = f", ¶{note.citation.paragraph}" if note.passage else ""
        ours = f"{{filename}}/{source.path}"
        ours += f"#{note.citation.anchor}" if note.passage else ""
        what = "Passage" if note.passage else "Source"
        links = [f'<a href="{html.escape(ours)}">{what} in our copy</a>']
        if source.url:
            original = source.url + note.fragment
            if note.fragment and "#" in source.url:
                # one fragment per URL: the directive follows the page's own anchor
                original = source.url + note.fragment.removeprefix("#")
            links.append(f'<a class="original" href="{html.escape(original)}">Original article</a>')
        if source.archived:
            links.append(f'<a href="{html.escape(source.archived)}">Archived copy</a>')
        quoted = f' <q class="quoted">{html.escape(note.passage)}</q>' if note.passage else ""
        items.append(
            f'<li id="cite-{note.number}"><span class="backrefs">{backrefs}</span> '
            f"{byline}“{html.escape(source.title)}”, <cite>{html.escape(source.outlet)}</cite>, "
            f"{_date(source)}{where}.{quoted} "
            f'<span class="note-links">{" · ".join(links)}</span>'
            + (f' <span class="url">{html.escape(source.url)}</span>' if source.url else "")
            + "</li>"
        )
    return (
        '<section class="citation-notes" aria-labelledby="source-notes">'
        '<h2 id="source-notes">Sources</h2><ol>' + "\n".join(items) + "</ol></section>\n"
    )
