"""The glossary pages (the site's and each translation's): every term with its cited
definition and the explainers using it."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from markdown_it.rules_core import StateCore
from pelican.contents import Page
from pelican.generators import Generator

from crosslinks.glossary import Glossary, glossaries_of
from crosslinks.terms import Term
from crosslinks.words import ALSO_CALLED, GLOSSARY_SUMMARY, GLOSSARY_TITLE, USED_IN, words_for
from mdreader import Document, markdown_of
from sitemodel import build_of, placeholder


def glossary_document(
    terms: list[Term], md: Any, relpath: str, lang: str = "", also_called: str = ALSO_CALLED
) -> Document:
    """One document for the whole page, so notes number across all definitions."""
    env: dict[str, Any] = {"path": relpath, "docId": "", "lang": lang}
    parts: list[str] = []
    for term in sorted(terms, key=lambda t: t.term.lower()):
        heading = html.escape(term.term) + (f" ({html.escape(term.abbr)})" if term.abbr else "")
        # the heading's own id makes each term a search sub-result titled with its name (Pagefind
        # splits pages at headings with ids); `--` never occurs in a term id, so ids cannot clash
        section = f'<section class="term" id="term-{term.id}">'
        parts.append(f'{section}\n<h2 id="term-{term.id}--name">{heading}</h2>\n')
        # token lines are the file's lines (`shift_lines`); one blank line in front, so that
        # a definition starting with '---' is not taken for front matter
        env[LINE_OFFSET] = (term.definition_line or term.line) - 2
        tokens = md.parse("\n" + term.definition, env)
        parts.append(md.renderer.render(tokens, md.options, env))
        if term.aka:
            also = html.escape(", ".join(term.aka))
            parts.append(f'<p class="aka">{html.escape(also_called)} {also}</p>\n')
        parts.append(placeholder("used", term.id))
        parts.append("</section>\n")
    env.pop(LINE_OFFSET, None)
    return Document(relpath, "".join(parts), env)


LINE_OFFSET = "line_offset"  # env: lines of the file before the text parsed


def shift_lines(state: StateCore) -> None:
    """File lines for the tokens of a text that starts inside its file, like a definition
    (padding it with blank lines made the glossary page quadratic in the file's length)."""
    offset = state.env.get(LINE_OFFSET, 0)
    if offset:
        for token in state.tokens:
            if token.map:
                token.map = [line + offset for line in token.map]


def used_in_html(
    pages: list[Any], label: str = USED_IN, siteurl_marker: str = "{filename}/"
) -> str:
    if not pages:
        return ""
    items = "".join(
        f'<li><a href="{siteurl_marker}{html.escape(p.relative_source_path)}">'
        f"{html.escape(p.title)}</a></li>"
        for p in pages
    )
    return f'<div class="used-in"><p>{html.escape(label)}</p><ul>{items}</ul></div>\n'


class GlossaryGenerator(Generator):  # type: ignore[misc]
    """Reads the glossary before documents are resolved, writes `/glossary/` after."""

    def generate_context(self) -> None:
        build = build_of(self.context)
        glossaries = glossaries_of(self.context)
        self.documents: list[Page] = []
        base = self._page(glossaries.base)
        if base is None:
            return
        self.context["glossary_page"] = base
        for term in glossaries.base.terms:
            build.targets[f"term:{term.id}"] = (
                term.term,
                base.relative_source_path,
                f"term-{term.id}",
            )
        translations = [self._page(glossary) for glossary in glossaries.translated.values()]
        pages = [base, *(page for page in translations if page is not None)]
        for page in pages:
            page.translations = [other for other in pages if other is not page]

    def _page(self, glossary: Glossary) -> Page | None:
        """The page of one glossary (`/glossary/`; a translation's at its language's address)."""
        path = Path(self.path) / glossary.relpath
        if not path.is_file():
            return None
        words = words_for(self.context, glossary.lang)
        also_called = words(ALSO_CALLED)
        md = markdown_of(self.context)
        document = glossary_document(
            glossary.terms, md, glossary.relpath, glossary.lang, also_called
        )
        metadata = {
            "title": words(GLOSSARY_TITLE),
            "slug": "glossary",
            "summary": html.escape(words(GLOSSARY_SUMMARY)),
            "template": "glossary",
            "markdown_document": document,
        }
        if glossary.lang:
            metadata["lang"] = glossary.lang
        page = Page(
            "",
            metadata=metadata,
            settings=self.settings,
            source_path=str(path),
            context=self.context,
        )
        page.glossary_terms = glossary.terms
        page.glossary = glossary
        self.documents.append(page)
        self.context["generated_content"][glossary.relpath] = page
        return page

    def generate_output(self, writer: Any) -> None:
        for page in self.documents:
            writer.write_file(
                page.save_as,
                self.get_template(page.template),
                self.context,
                page=page,
                relative_urls=self.settings["RELATIVE_URLS"],
                override_output=True,
                url=page.url,
            )
