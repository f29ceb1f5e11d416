"""Cross-links: wiki links, backlinks, related pages, comparisons, glossary terms, topics."""

from __future__ import annotations

from functools import partial
from typing import Any

from markdown_it import MarkdownIt
from pelican import signals
from pelican.contents import Article

from crosslinks.glossary import Glossaries, glossaries_of, load_glossary
from crosslinks.glossary_page import GlossaryGenerator, shift_lines, used_in_html
from crosslinks.links import (
    Localize,
    PageIndex,
    lang_of,
    page_targets,
    resolve_page_lists,
    resolve_wikilinks,
)
from crosslinks.syntax import wikilink_html, wikilinks_plugin
from crosslinks.terms import Term, glossary_rule, term_renderer
from crosslinks.translations import check_translations
from crosslinks.words import USED_IN, other_language_mark, words_for
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
    glossaries = glossaries_of(settings)
    md.add_render_rule("glossary_term", term_renderer(glossaries.base.relpath, settings))
    md.core.ruler.push("glossary_terms", glossary_rule(glossaries))
    return glossaries.version


def resolve_crosslinks(build: Build, contents: list[Any], context: dict[str, Any]) -> None:
    options = crosslink_settings(context)
    index = page_targets(build, contents, str(context.get("DEFAULT_LANG") or "en"))
    resolve_wikilinks(build, contents, index, localizer(build, index, glossaries_of(context)))
    resolve_page_lists(build, contents, index, int(options["related_max"]))
    check_translations(build, index, context)
    every = glossaries_of(context)
    glossaries = {glossary.relpath: glossary for glossary in every.all()}
    for content in contents:
        if isinstance(content, Article):
            env = content.markdown_document.env
            glossary = glossaries.get(env.get("glossary", every.base.relpath))
            mentions = env.get("terms", [])
            for term_id in sorted({term_id for term_id, _, _ in mentions}):
                if glossary is not None and term_id in glossary.by_id:
                    glossary.by_id[term_id].used_in.append(content)

    def fill_used_in(content: Any, term_id: str) -> str:
        glossary = glossaries[content.markdown_document.path]
        pages = sorted(glossary.by_id[term_id].used_in, key=lambda c: c.title)
        return used_in_html(pages, words_for(context, glossary.lang)(USED_IN))

    def fill_wikilink(content: Any, key: str) -> str:
        lang = lang_of(content, index.default_lang)
        return wikilink_html(content, key, partial(other_language_mark, context, in_lang=lang))

    build.fillers.update(wiki=fill_wikilink, used=fill_used_in)


def localizer(build: Build, index: PageIndex, glossaries: Glossaries) -> Localize:
    """Where a wiki link on a page in one language leads: the page in that language, else the
    original; the glossary entry in that language, else the site's; the source itself."""

    def localize(kind: str, name: str, lang: str) -> tuple[str, str, str, str] | None:
        if kind == "page":
            page = index.get(name, lang)
            if page is None:
                return None
            return page.title, page.relative_source_path, "", lang_of(page, index.default_lang)
        if kind == "term":
            glossary = glossaries.for_lang(lang) or glossaries.base
            if name not in glossary.by_id:
                glossary = glossaries.base
            term = glossary.by_id.get(name)
            if term is None:
                return None
            return term.term, glossary.relpath, f"term-{name}", glossary.lang or index.default_lang
        if kind == "source" and name in build.sources:
            source = build.sources[name]
            return source.title, source.path, "", source.language
        return None

    return localize


def get_generators(pelican: Any) -> type[GlossaryGenerator]:
    return GlossaryGenerator


def register() -> None:
    connect_phases()
    markdown_ready.connect(add_syntax)
    documents_parsed.connect(resolve_crosslinks)
    signals.get_generators.connect(get_generators)
