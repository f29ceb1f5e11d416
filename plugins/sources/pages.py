"""Source pages: metadata, numbered paragraphs with cited passages marked, where each is cited."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from sitemodel import Citation, Source, build_of
from sitemodel.settings import Option, declare, plugin_options
from sitemodel.source import TEXT_MODES
from sitemodel.textfile import content_limit
from sources.loader import load_sources

declare(
    "SOURCES",
    {
        "path": Option("sources", lambda v: bool(v.strip("/")), "a folder in the content"),
        "text": Option("full", lambda v: v in TEXT_MODES, " or ".join(map(repr, TEXT_MODES))),
        # publish builds: a source shown in full must say why we may (`rights:`)
        "rights_required": Option(False),
        # a source shown as excerpts shows at most this share of its words
        "excerpt_share": Option(0.25, lambda v: 0 < v <= 1, "a fraction such as 0.25"),
    },
)
URL_DEFAULTS = {
    "SOURCE_URL": "sources/{id}/",
    "SOURCE_SAVE_AS": "sources/{id}/index.html",
    "SOURCES_URL": "sources/",
    "SOURCES_SAVE_AS": "sources/index.html",
}


def url_setting(settings: dict[str, Any], key: str) -> str:
    return str(settings.get(key, URL_DEFAULTS[key]))


def source_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """SOURCES over the defaults (a typo must not publish full texts meant as excerpts:
    `sitemodel.settings` reports it)."""
    return plugin_options(settings, "SOURCES")


@dataclass
class SourcePage:
    """Stands in Pelican's `generated_content` so `{filename}sources/<id>.md` links resolve."""

    source: Source
    url: str
    save_as: str


@dataclass
class Paragraph:
    number: int
    html: str
    cited: bool


def paragraph_html(text: str, citations: list[Citation]) -> str:
    """The paragraph escaped, each cited passage in its own <mark class="passage">.

    Passages that overlap nest when one holds the other and are split into pieces where they
    cross: every piece names its passage (`data-passage`), the first piece also has its id,
    so a passage link always lands on a marked element.
    """
    spans = sorted({(c.start, c.end, c.anchor) for c in citations}, key=lambda s: (s[0], -s[1]))
    bounds = sorted({at for start, end, _ in spans for at in (start, end)})
    parts: list[str] = []
    opened: list[tuple[int, int, str]] = []  # marks open now, outermost first
    started: set[str] = set()
    position = 0
    for at in bounds:
        parts.append(html.escape(text[position:at]))
        position = at
        covering = [span for span in spans if span[0] <= at < span[1]]
        keep = 0
        while keep < min(len(opened), len(covering)) and opened[keep] == covering[keep]:
            keep += 1
        parts.extend("</mark>" for _ in opened[keep:])
        for _, _, anchor in covering[keep:]:
            first = anchor not in started
            started.add(anchor)
            id_attribute = f' id="{anchor}"' if first else ""
            parts.append(f'<mark class="passage"{id_attribute} data-passage="{anchor}">')
        opened = covering
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def excerpt_html(text: str, citations: list[Citation]) -> str:
    """Only the cited passages of a paragraph, for sources whose rights forbid full text."""
    spans = sorted({(c.start, c.end) for c in citations})
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces = []
    for start, end in merged:
        inside = [
            Citation(
                c.source_id,
                c.quote,
                c.path,
                c.line,
                c.paragraph,
                c.start - start,
                c.end - start,
                c.anchor,
            )
            for c in citations
            if start <= c.start and c.end <= end
        ]
        pieces.append(paragraph_html(text[start:end], inside))
    return "… " + " … ".join(pieces) + " …"


def cited_words(source: Source, citations: list[Citation]) -> int:
    """Words of the source inside cited passages (overlapping passages counted once)."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for citation in citations:
        if citation.paragraph:
            spans.setdefault(citation.paragraph, []).append((citation.start, citation.end))
    words = 0
    for number, pairs in spans.items():
        text = source.paragraphs[number - 1]
        covered = bytearray(len(text))
        for start, end in pairs:
            covered[start:end] = b"\x01" * (end - start)
        words += sum(
            1 for match in re.finditer(r"\S+", text) if any(covered[match.start() : match.end()])
        )
    return words


def check_excerpt_share(generators: list[Any]) -> None:
    """Excerpts are short passages: a source shown as excerpts whose cited passages make up
    more than `excerpt_share` of its words would be republished in all but name."""
    if not generators:
        return
    context = generators[0].context
    build = build_of(context)
    options = source_settings(context)
    by_source: dict[str, list[Citation]] = {}
    for citation in build.citations:
        by_source.setdefault(citation.source_id, []).append(citation)
    for source in build.sources.values():
        if (source.text or options["text"]) != "excerpts" or source.id not in by_source:
            continue
        total = sum(len(paragraph.split()) for paragraph in source.paragraphs)
        shown = cited_words(source, by_source[source.id])
        if total and shown > options["excerpt_share"] * total:
            build.problems.add(
                source.path,
                1,
                f"explainers quote {shown} of its {total} words ({shown / total:.0%}); a source"
                f" shown as excerpts may show at most {options['excerpt_share']:.0%}: quote"
                " shorter passages",
                "sources.excerpt-share",
            )


class SourcesGenerator(Generator):  # type: ignore[misc]
    """Loads the sources before explainers are resolved, and writes their pages afterwards."""

    def generate_context(self) -> None:
        build = build_of(self.context)
        options = source_settings(self.settings)
        folder = Path(self.path) / options["path"]
        build.sources = load_sources(
            folder, Path(self.path), build.problems, content_limit(self.settings)
        )
        # sources with errors of their own: citing them should not add one error per citation
        build.broken_sources = (
            {path.stem for path in folder.rglob("*.md") if path.stem not in build.sources}
            if folder.is_dir()
            else set()
        )
        self.source_pages = []
        for source in sorted(build.sources.values(), key=lambda s: s.id):
            full = (source.text or options["text"]) == "full"
            if full and options["rights_required"] and not source.rights:
                build.problems.add(
                    source.path,
                    1,
                    "shown in full without a 'rights:' basis; say why we may show it, or set"
                    " 'text: excerpts'",
                    "sources.rights",
                )
            page = SourcePage(
                source,
                url=url_setting(self.settings, "SOURCE_URL").format(id=source.id),
                save_as=url_setting(self.settings, "SOURCE_SAVE_AS").format(id=source.id),
            )
            self.source_pages.append(page)
            self.context["generated_content"][source.path] = page
        self.context["source_pages"] = self.source_pages

    def generate_output(self, writer: Any) -> None:
        build = build_of(self.context)
        default_mode = source_settings(self.settings)["text"]
        by_source: dict[str, list[Citation]] = {}
        for citation in build.citations:
            by_source.setdefault(citation.source_id, []).append(citation)
        for page in self.source_pages:
            source = page.source
            cited = by_source.get(source.id, [])
            mode = source.text or default_mode
            writer.write_file(
                page.save_as,
                self.get_template("source"),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=page.url,
                source=source,
                source_page=page,
                text_mode=mode,
                paragraphs=_paragraphs(source, cited, mode),
                cited_in=_cited_in(cited),
            )
        writer.write_file(
            url_setting(self.settings, "SOURCES_SAVE_AS"),
            self.get_template("sources"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url_setting(self.settings, "SOURCES_URL"),
            source_pages=self.source_pages,
            citation_counts={
                source_id: len({c.page_url for c in cited})
                for source_id, cited in by_source.items()
            },
        )


def _paragraphs(source: Source, cited: list[Citation], mode: str) -> list[Paragraph]:
    by_paragraph: dict[int, list[Citation]] = {}
    for citation in cited:
        if citation.paragraph:
            by_paragraph.setdefault(citation.paragraph, []).append(citation)
    paragraphs = []
    for number, text in enumerate(source.paragraphs, start=1):
        here = by_paragraph.get(number, [])
        if mode == "excerpts":
            if here:
                paragraphs.append(Paragraph(number, excerpt_html(text, here), True))
        else:
            paragraphs.append(Paragraph(number, paragraph_html(text, here), bool(here)))
    return paragraphs


def _cited_in(cited: list[Citation]) -> list[dict[str, Any]]:
    """Notes grouped by citing page, pages by title, for the 'Cited in' list: one entry per
    note (a passage cited twice on a page is one note), in note order."""
    pages: dict[str, dict[str, Any]] = {}
    for citation in cited:
        page = pages.setdefault(
            citation.page_url,
            {"title": citation.page_title, "url": citation.page_url, "notes": {}},
        )
        page["notes"].setdefault(citation.note, citation)
    for page in pages.values():
        notes = page.pop("notes")
        page["citations"] = [notes[number] for number in sorted(notes)]
    return sorted(pages.values(), key=lambda page: (page["title"], page["url"]))
