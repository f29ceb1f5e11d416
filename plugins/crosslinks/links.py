"""Resolving wiki links, and the whole-site lists: linked from, related, compared in."""

from __future__ import annotations

from collections import Counter, defaultdict
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


def page_targets(build: Build, contents: list[Any]) -> dict[str, Any]:
    """Explainers and pages by slug; a slug used twice is an error."""
    pages: dict[str, Any] = {}
    for content in contents:
        slug = getattr(content, "slug", "")
        if not slug or getattr(content, "template", "") == "glossary":
            continue
        if slug in pages:
            build.problems.add(
                content.markdown_document.path,
                1,
                f"slug '{shorten(slug)}' is already used by {pages[slug].markdown_document.path}",
                "crosslinks.duplicate-slug",
            )
            continue
        pages[slug] = content
        build.targets[f"page:{slug}"] = (content.title, content.relative_source_path, "")
    for source in build.sources.values():
        build.targets[f"source:{source.id}"] = (source.title, source.path, "")
    return pages


def resolve_wikilinks(build: Build, contents: list[Any], pages: dict[str, Any]) -> None:
    """Point each wiki link at its target; note explainer-to-explainer links for backlinks."""
    # target slug -> the pages linking to it, each once (by id: a hub page may have thousands)
    linked_from: dict[str, dict[int, Any]] = defaultdict(dict)
    hints = Hints()

    def names(kind: str) -> list[str]:
        return [k.split(":", 1)[1] for k in build.targets if k.startswith(kind + ":")]

    for content in contents:
        document = content.markdown_document
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
            target = build.targets.get(f"{kind}:{name}")
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
            title, path, fragment = target
            meta["href"] = "{filename}/" + path + (f"#{fragment}" if fragment else "")
            meta["path"] = path
            meta["label"] = meta["label"] or title
            if kind == "page" and name != content.slug:
                linked_from[name][id(content)] = content
    for slug, page in pages.items():
        page.linked_from = _links(_by_title(list(linked_from.get(slug, {}).values())))


def resolve_page_lists(
    build: Build, contents: list[Any], pages: dict[str, Any], related_max: int
) -> None:
    """'Compares' and 'compared in' from `compares:`; related explainers: `related:` first,
    then shared sources."""
    compared_in: dict[str, dict[int, Any]] = defaultdict(dict)
    hints = Hints()
    explainers = [c for c in contents if isinstance(c, Article)]
    for content in explainers:
        document = content.markdown_document
        lines = document.env.get("front_matter_lines", {})
        for field in ("compares", "related"):
            for slug in getattr(content, field, []) or []:
                if slug not in pages:
                    build.problems.add(
                        document.path,
                        lines.get(field, 1),
                        f"unknown explainer '{shorten(str(slug))}' in '{field}'"
                        + hints(str(slug), str(slug), lambda: pages),
                        "crosslinks.unknown-target",
                    )
                elif field == "compares":
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
    for slug, page in pages.items():
        page.compared_in = _links(_by_title(list(compared_in.get(slug, {}).values())))


def _by_title(contents: list[Any]) -> list[Any]:
    return sorted(contents, key=lambda c: (c.title, c.slug))
