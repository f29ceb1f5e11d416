"""Resolving wiki links, and the whole-site lists: linked from, related, compared in."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from pelican.contents import Article

from citations.limits import Hints, shorten
from sitemodel import Build

KIND_NAMES = {"page": "explainer or page", "source": "source", "term": "glossary term"}


class PageLink(NamedTuple):
    """What a page list needs of a page, without holding the page."""

    title: str
    url: str
    slug: str
    path: str  # source file, relative to the content folder


def _links(contents: list[Any]) -> list[PageLink]:
    # `url` is computed once per page after reading (sitemodel.freeze_urls)
    return [PageLink(c.title, c.url, c.slug, c.markdown_document.path) for c in contents]


def lang_of(content: Any, default_lang: str) -> str:
    return str(getattr(content, "lang", None) or default_lang)


@dataclass
class PageIndex:
    """Explainers and pages by language and slug: a translation keeps its original's slug."""

    default_lang: str
    by_lang: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def originals(self) -> dict[str, Any]:
        """Slug -> the page in the site's language (else the page in another one)."""
        found: dict[str, Any] = {}
        for lang in sorted(self.by_lang, key=lambda lang: lang != self.default_lang):
            for slug, page in self.by_lang[lang].items():
                found.setdefault(slug, page)
        return found

    def get(self, slug: str, lang: str) -> Any:
        """The page in `lang` if there is one, else the original (None: no such slug)."""
        page = self.by_lang.get(lang, {}).get(slug)
        return page if page is not None else self.originals.get(slug)

    def view(self, lang: str) -> dict[str, Any]:
        """Slug -> what a page in `lang` links to: its language's version, else the original."""
        return {**self.originals, **self.by_lang.get(lang, {})}


def page_targets(build: Build, contents: list[Any], default_lang: str = "en") -> PageIndex:
    """Explainers and pages by language and slug; a slug used twice in a language is an error."""
    index = PageIndex(default_lang)
    for content in contents:
        slug = getattr(content, "slug", "")
        if not slug or getattr(content, "template", "") == "glossary":
            continue
        pages = index.by_lang.setdefault(lang_of(content, default_lang), {})
        if slug in pages:
            build.problems.add(
                content.markdown_document.path,
                1,
                f"slug '{shorten(slug)}' is already used by {pages[slug].markdown_document.path}",
                "crosslinks.duplicate-slug",
            )
            continue
        pages[slug] = content
    for slug, content in index.originals.items():
        build.targets[f"page:{slug}"] = (content.title, content.relative_source_path, "")
    for source in build.sources.values():
        build.targets[f"source:{source.id}"] = (source.title, source.path, "")
    return index


# (kind, name, language of the linking page) -> (title, path, fragment, language) or None
Localize = Callable[[str, str, str], "tuple[str, str, str, str] | None"]


def resolve_wikilinks(
    build: Build, contents: list[Any], index: PageIndex, localize: Localize | None = None
) -> None:
    """Point each wiki link at its target, in the linking page's language where the target
    has one (`localize`); note links between pages of one language for backlinks."""
    # target page -> the pages linking to it, each once (by id: a hub page may have thousands)
    linked_from: dict[int, dict[int, Any]] = defaultdict(dict)
    hints = Hints()
    default_lang = index.default_lang

    def names(kind: str) -> list[str]:
        return [k.split(":", 1)[1] for k in build.targets if k.startswith(kind + ":")]

    for content in contents:
        document = content.markdown_document
        lang = lang_of(content, default_lang)
        for meta in document.env.get("wikilinks", []):
            kind, name = meta["kind"], meta["name"]
            if kind not in KIND_NAMES:
                build.problems.add(
                    document.path,
                    meta["line"],
                    f"unknown link kind '{shorten(kind)}:' in {shorten(meta['text'])};"
                    " use [[slug]],"
                    " [[source:id]] or [[term:id]]",
                    "crosslinks.unknown-kind",
                )
                continue
            target = localize(kind, name, lang) if localize is not None else None
            if target is None and f"{kind}:{name}" in build.targets:
                target = (*build.targets[f"{kind}:{name}"], lang)
            if target is None:
                hint = hints(f"{kind}:{name}", name, partial(names, kind))
                build.problems.add(
                    document.path,
                    meta["line"],
                    f"unknown {KIND_NAMES[kind]} '{shorten(name)}'"
                    f" in {shorten(meta['text'])}{hint}",
                    "crosslinks.unknown-target",
                )
                continue
            title, path, fragment, target_lang = target
            meta["href"] = "{filename}/" + path + (f"#{fragment}" if fragment else "")
            meta["path"] = path
            meta["label_is_title"] = not meta["label"]
            meta["label"] = meta["label"] or title
            meta["hreflang"] = target_lang if target_lang != lang else ""
            if kind == "page" and name != content.slug:
                page = index.get(name, lang)
                if lang_of(page, default_lang) == lang:
                    linked_from[id(page)][id(content)] = content
    for pages in index.by_lang.values():
        for page in pages.values():
            page.linked_from = _links(_by_title(list(linked_from.get(id(page), {}).values())))


def resolve_page_lists(
    build: Build, contents: list[Any], index: PageIndex, related_max: int
) -> None:
    """The page lists of each language's pages, naming pages of that language where they exist
    (a translation's `related:` names its original's slugs), else the originals."""
    explainers = [c for c in contents if isinstance(c, Article)]
    default = index.default_lang
    for lang in sorted({lang_of(c, default) for c in explainers} | set(index.by_lang)):
        own = [c for c in explainers if lang_of(c, default) == lang]
        _page_lists(build, own, index.view(lang), index.by_lang.get(lang, {}), related_max)


def _page_lists(
    build: Build,
    explainers: list[Any],
    pages: dict[str, Any],
    own_pages: dict[str, Any],
    related_max: int,
) -> None:
    """'Compares' and 'compared in' from `compares:`; related explainers: `related:` first,
    then shared sources (among `explainers`, the pages of one language)."""
    compared_in: dict[str, dict[int, Any]] = defaultdict(dict)
    hints = Hints()
    for content in explainers:
        document = content.markdown_document
        lines = document.env.get("front_matter_lines", {})
        for key in ("compares", "related"):
            for slug in getattr(content, key, []) or []:
                if slug not in pages:
                    build.problems.add(
                        document.path,
                        lines.get(key, 1),
                        f"unknown explainer '{shorten(str(slug))}' in '{key}'"
                        + hints(str(slug), str(slug), lambda: pages),
                        "crosslinks.unknown-target",
                    )
                elif key == "compares":
                    compared_in[slug][id(content)] = content
        compared = [pages[s] for s in getattr(content, "compares", None) or [] if s in pages]
        # for "This page compares A and B" (the template once searched every explainer for each)
        content.compares_pages = _links([c for c in compared if isinstance(c, Article)])
    cited_by: dict[str, list[Any]] = defaultdict(list)
    cited: dict[int, set[str]] = {}
    for content in explainers:
        citations = content.markdown_document.env.get("citations", [])
        cited[id(content)] = {citation.source_id for citation in citations}
        for source_id in sorted(cited[id(content)]):
            cited_by[source_id].append(content)
    for content in explainers:
        explicit = [pages[s] for s in getattr(content, "related", []) or [] if s in pages]
        overlap: Counter[str] = Counter()
        by_slug = {}
        for source_id in cited[id(content)]:
            for other in cited_by[source_id]:
                if other is not content:
                    overlap[other.slug] += 1
                    by_slug[other.slug] = other
        ranked = sorted(overlap, key=lambda slug: (-overlap[slug], by_slug[slug].title, slug))
        related: list[Any] = []
        for chosen in explicit:
            if chosen is not content and chosen not in related:
                related.append(chosen)
        del related[related_max:]
        for slug in ranked:
            if len(related) >= related_max:
                break
            if by_slug[slug] not in related:
                related.append(by_slug[slug])
        content.related_pages = _links(related)
    for slug, page in own_pages.items():
        page.compared_in = _links(_by_title(list(compared_in.get(slug, {}).values())))


def _by_title(contents: list[Any]) -> list[Any]:
    return sorted(contents, key=lambda c: (c.title, c.slug))
