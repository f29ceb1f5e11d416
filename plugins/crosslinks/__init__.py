"""Cross-links: wiki links, backlinks, related pages, comparisons, glossary terms, topics."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from pelican import signals
from pelican.contents import Article

from crosslinks.glossary import glossary_of, load_glossary
from crosslinks.glossary_page import GlossaryGenerator, shift_lines, used_in_html
from crosslinks.links import page_targets, resolve_page_lists, resolve_wikilinks
from crosslinks.syntax import wikilink_html, wikilinks_plugin
from crosslinks.terms import Term, glossary_rule, term_renderer
from sitemodel import Build, documents_parsed, markdown_ready
from sitemodel.phases import connect_phases
from sitemodel.settings import Option, declare, plugin_options

__all__ = ["Term", "load_glossary", "register", "wikilinks_plugin"]

declare(
    "CROSSLINKS",
    {
        "glossary": Option("glossary.yml", lambda v: bool(v.strip()), "a file name in the content"),
        "related_max": Option(4, lambda v: v >= 0, "a number, 0 or more"),
    },
)


def crosslink_settings(settings: dict[str, Any]) -> dict[str, Any]:
    return plugin_options(settings, "CROSSLINKS")


def add_syntax(md: MarkdownIt, settings: dict[str, Any]) -> str:
    """Wiki links and glossary terms; answers with the glossary's version (see `mdreader`)."""
    md.use(wikilinks_plugin)
    md.core.ruler.after("block", "line_offset", shift_lines)
    glossary = glossary_of(settings)
    md.add_render_rule("glossary_term", term_renderer(glossary.relpath, settings))
    md.core.ruler.push("glossary_terms", glossary_rule(glossary))
    return glossary.version


def resolve_crosslinks(build: Build, contents: list[Any], context: dict[str, Any]) -> None:
    options = crosslink_settings(context)
    pages = page_targets(build, contents)
    resolve_wikilinks(build, contents, pages)
    resolve_page_lists(build, contents, pages, int(options["related_max"]))
    glossary = glossary_of(context)
    for content in contents:
        if isinstance(content, Article):
            mentions = content.markdown_document.env.get("terms", [])
            for term_id in sorted({term_id for term_id, _, _ in mentions}):
                glossary.by_id[term_id].used_in.append(content)

    def fill_used_in(content: Any, term_id: str) -> str:
        return used_in_html(sorted(glossary.by_id[term_id].used_in, key=lambda c: c.title))

    build.fillers.update(wiki=wikilink_html, used=fill_used_in)


def get_generators(pelican: Any) -> type[GlossaryGenerator]:
    return GlossaryGenerator


def register() -> None:
    connect_phases()
    markdown_ready.connect(add_syntax)
    documents_parsed.connect(resolve_crosslinks)
    signals.get_generators.connect(get_generators)
