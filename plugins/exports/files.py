"""Where each page's citation files go (planned before any page is written) and writing them.

Each explainer and source page gets `cite.json`, `cite.bib` and `cite.ris` beside it
(`x/index.html` -> `x/cite.json`; a page written as `x.html` gets `x.cite.json`). An explainer's
files hold the explainer first, then every source it cites with the passages it cites; a
source's files hold the source with every passage the site cites from it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.contents import Article
from pelican.generators import Generator

from exports.formats import bibtex, csl_json, ris
from exports.records import Passage, explainer_item, source_item
from sitemodel import build_of, contents_of

_CONTEXT_KEY = "citation_files"  # page's save_as -> its Downloads, for `_cite.html`


@dataclass(frozen=True)
class Format:
    label: str
    extension: str
    media_type: str
    write: Callable[[list[dict[str, Any]]], str]


FORMATS = (
    Format("CSL-JSON", "json", "application/vnd.citationstyles.csl+json", csl_json),
    Format("BibTeX", "bib", "application/x-bibtex", bibtex),
    Format("RIS", "ris", "application/x-research-info-systems", ris),
)


@dataclass(frozen=True)
class Download:
    """One file: its address (site-relative, as it is saved), name to save as, and type."""

    label: str
    url: str
    filename: str
    media_type: str


@dataclass
class Downloads:
    """A page's citation files; `page` is the article or source page they describe."""

    key: str
    kind: str  # "explainer" or "source", for the heading
    page: Any
    files: list[Download] = field(default_factory=list)
    sources: int = 0  # cited sources included after the explainer itself


def file_base(save_as: str) -> str:
    folder, name = posixpath.split(save_as.replace("\\", "/"))
    if name == "index.html":
        return posixpath.join(folder, "cite")
    return posixpath.splitext(save_as.replace("\\", "/"))[0] + ".cite"


def _downloads(key: str, kind: str, page: Any, sources: int = 0) -> Downloads:
    base = file_base(str(page.save_as))
    files = [
        Download(f.label, f"{base}.{f.extension}", f"{key}.{f.extension}", f.media_type)
        for f in FORMATS
    ]
    return Downloads(key, kind, page, files, sources)


def explainer_key(article: Any, settings: dict[str, Any], sources: dict[str, Any]) -> str:
    """The explainer's id and file name: its slug, with its language if it is a translation,
    and told apart from a source of the same id."""
    key = str(article.slug)
    language = str(getattr(article, "lang", "") or "")
    if language and language != settings.get("DEFAULT_LANG"):
        key = f"{key}-{language}"
    return key if key not in sources else f"{key}-explainer"


def plan_downloads(generators: list[Any]) -> None:
    """Every explainer and source page's files, before any page is written (templates link
    them); an error if one would land on another file's address."""
    if not generators:
        return
    context = generators[0].context
    build = build_of(context)
    plans: dict[str, Downloads] = {}
    contents = list(contents_of(generators))
    for article in contents:
        if not isinstance(article, Article) or article.status != "published":
            continue
        key = explainer_key(article, context, build.sources)
        sources = len({note.source.id for note in getattr(article, "notes", None) or []})
        plans[str(article.save_as)] = _downloads(key, "explainer", article, sources)
    for page in context.get("source_pages", []):
        plans[str(page.save_as)] = _downloads(page.source.id, "source", page)
    context[_CONTEXT_KEY] = plans
    taken = {str(c.save_as): str(c.relative_source_path) for c in contents}
    for static in context.get("staticfiles", []):
        taken[str(static.save_as)] = str(static.relative_source_path)
    for page in context.get("source_pages", []):
        taken[str(page.save_as)] = page.source.path
    for downloads in plans.values():
        for download in downloads.files:
            owner = taken.get(download.url)
            if owner is not None:
                build.problems.add(
                    _source_file(downloads.page),
                    0,
                    f"its citation file would be written to '{download.url}', where {owner} is"
                    " published; rename one of them",
                    "exports.address-collision",
                )
            taken.setdefault(download.url, _source_file(downloads.page))


def _source_file(page: Any) -> str:
    source = getattr(page, "source", None)
    return str(source.path) if source is not None else str(page.relative_source_path)


def _absolute(settings: dict[str, Any], url: str) -> str:
    """The page's full address in a published build; "" in a local (relative) one."""
    siteurl = str(settings.get("SITEURL", ""))
    return f"{siteurl.rstrip('/')}/{url}" if siteurl.startswith(("http://", "https://")) else ""


def _passage(cited: Any) -> Passage:
    return Passage(cited.paragraph, cited.start, cited.end)


class CitationFiles:
    """The records of one build: a source with the site's passages, an explainer with its own."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context
        self.site_name = str(context.get("SITENAME", ""))
        self.source_urls = {p.source.id: str(p.url) for p in context.get("source_pages", [])}
        self.cited: dict[str, set[Passage]] = {}
        for citation in build_of(context).citations:
            if citation.paragraph:
                self.cited.setdefault(citation.source_id, set()).add(_passage(citation))

    def source(self, source: Any, passages: set[Passage], cited_by: str) -> dict[str, Any]:
        copy = _absolute(self.context, self.source_urls.get(source.id, ""))
        return source_item(source, passages, cited_by, copy)

    def items(self, downloads: Downloads) -> list[dict[str, Any]]:
        page = downloads.page
        if getattr(page, "source", None) is not None:
            cited = self.cited.get(page.source.id, set())
            return [self.source(page.source, cited, self.site_name)]
        day = (getattr(page, "modified", None) or page.date).date()
        language = str(getattr(page, "lang", "") or self.context.get("DEFAULT_LANG", "en"))
        url = _absolute(self.context, str(page.url))
        items = [explainer_item(downloads.key, page.title, self.site_name, day, language, url)]
        sources: dict[str, Any] = {}
        passages: dict[str, set[Passage]] = {}
        for note in getattr(page, "notes", None) or []:
            sources.setdefault(note.source.id, note.source)
            if note.paragraph:
                passages.setdefault(note.source.id, set()).add(_passage(note))
        cited_by = f"“{page.title}”" + (f" on {self.site_name}" if self.site_name else "")
        return items + [
            self.source(source, passages.get(key, set()), cited_by)
            for key, source in sources.items()
        ]

    def write(self, output: Path) -> None:
        for downloads in self.context.get(_CONTEXT_KEY, {}).values():
            items = self.items(downloads)
            for file, form in zip(downloads.files, FORMATS, strict=True):
                path = output / file.url
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(form.write(items).encode("utf-8"))


class CitationFilesGenerator(Generator):  # type: ignore[misc]
    """Writes the planned files into the output (the staging folder, before it is published)."""

    def generate_output(self, writer: Any) -> None:
        CitationFiles(self.context).write(Path(self.output_path))
