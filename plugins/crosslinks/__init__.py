"""Cross-links: wiki links, backlinks, related pages, comparisons, glossary terms, topics."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from pelican import signals
from pelican.contents import Article

from crosslinks.glossary import (
    GlossaryGenerator,
    Term,
    link_first_mentions,
    load_glossary,
    render_term,
    term_pattern,
    used_in_html,
)
from crosslinks.links import page_targets, resolve_page_lists, resolve_wikilinks
from crosslinks.syntax import wikilinks_plugin
from sitemodel import Build, documents_parsed, markdown_ready

__all__ = ["Term", "load_glossary", "register", "wikilinks_plugin"]

DEFAULTS: dict[str, Any] = {"glossary": "glossary.yml", "related_max": 4}


def crosslink_settings(settings: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS, **settings.get("CROSSLINKS", {})}


def add_syntax(md: MarkdownIt, settings: dict[str, Any]) -> None:
    md.use(wikilinks_plugin)
    md.add_render_rule("glossary_term", render_term)


def resolve_crosslinks(build: Build, contents: list[Any], context: dict[str, Any]) -> None:
    options = crosslink_settings(context)
    pages = page_targets(build, contents)
    resolve_wikilinks(build, contents, pages)
    resolve_page_lists(build, contents, pages, int(options["related_max"]))
    glossary = context.get("glossary_page")
    terms: list[Term] = getattr(glossary, "glossary_terms", [])
    pattern = term_pattern(terms)
    if pattern is None:
        return
    for content in contents:
        if not isinstance(content, Article):
            continue
        linked = link_first_mentions(
            content.markdown_document.tokens, terms, pattern, options["glossary"]
        )
        for term in terms:
            if term.id in linked:
                term.used_in.append(content)
    for term in terms:
        if term.slot is not None:
            term.slot.content = used_in_html(sorted(term.used_in, key=lambda c: c.title))


def get_generators(pelican: Any) -> type[GlossaryGenerator]:
    return GlossaryGenerator


def register() -> None:
    markdown_ready.connect(add_syntax)
    documents_parsed.connect(resolve_crosslinks)
    signals.get_generators.connect(get_generators)
