"""A Pelican reader for Markdown on markdown-it-py: render while reading, resolve once all is read.

Citation markers and glossary links are complete when a file is read; what needs other files
(a wiki link's label, the glossary's "used in") renders as a placeholder
(`sitemodel.placeholders`), filled in the "filled" phase (`sitemodel.phases`) once every
document is resolved. Only the HTML and small records stay
in memory, and Pelican's content cache holds what a rebuild needs without parsing again.
"""

from __future__ import annotations

import datetime
import html
import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from pelican.readers import BaseReader
from pelican.utils import get_relative_path, path_to_url

from mdreader.collector import collect_as_before
from sitemodel import (
    Build,
    ProblemLog,
    build_of,
    contents_of,
    fill,
    markdown_ready,
)
from sitemodel.build import freeze_urls
from sitemodel.problems import did_you_mean, shorten
from sitemodel.settings import Option, declare, is_explainer, plugin_options
from sitemodel.source import SLUG_PATTERN
from sitemodel.textfile import (
    content_limit,
    is_language_tag,
    key_lines,
    load_front_matter,
    read_text,
)
from sitemodel.urls import is_safe_url, link_scheme

_PELICAN_LINK = re.compile(r"^\{(filename|static|attach|index|tag|category|author)\}")
_SLUG = SLUG_PATTERN
_LIST_FIELDS = ("topics", "related", "compares")
_DATE_FIELDS = ("date", "modified")
# what a contributor may write in an explainer's or page's front matter
_FIELDS = {
    "title",
    "summary",
    "date",
    "modified",
    "lang",
    "slug",
    "status",
    "translation",
    "translates",  # the version of its original a translation translates (crosslinks)
    *_LIST_FIELDS,
}
# Pelican would honour these and write the page wherever they say
_ADDRESS_FIELDS = {"save_as", "url"} | {
    f"{kind}_{what}" for kind in ("page", "article", "draft") for what in ("url", "save_as")
}
_STATUSES = ("published", "draft")
# what `explainer new` writes for the summary: left as it is, the page is not finished
PLACEHOLDER_SUMMARY = "Write the short answer here, in one or two plain sentences."
_SEVERITIES = ("error", "warning")
declare(
    "READER",
    # "error" in publishconf.py: an explainer still holding `new`'s placeholder text
    {"placeholder_text": Option("warning", lambda v: v in _SEVERITIES, "'error' or 'warning'")},
)
_CONTEXT_KEY = "EXPLAINER_MARKDOWN"
_VERSION_KEY = "EXPLAINER_MARKDOWN_VERSION"


@dataclass
class Document:
    """A rendered Markdown file: HTML with placeholders, and what plugins recorded in `env`."""

    path: str
    html: str
    env: dict[str, Any] = field(default_factory=dict)


# ids our plugins give elements on every page; a heading must not take one of them
_PLUGIN_IDS = re.compile(
    r"^(p\d+|q\d+-\d+-\d+|cite-.*|term-.*|fn\d+|fnref.*|source-notes|source-list|src-.*)$"
)
_TEMPLATE_ID = re.compile(r'\bid="([^"{}]+)"')


def heading_slugger(settings: dict[str, Any]) -> Any:
    """Heading ids like the anchors plugin's, but never one the theme or our plugins use."""
    theme = Path(str(settings.get("THEME", ""))) / "templates"
    reserved = {
        match.group(1)
        for template in sorted(theme.glob("*.html"))
        for match in _TEMPLATE_ID.finditer(template.read_text(encoding="utf-8"))
    }

    def slug(title: str) -> str:
        text = re.sub(r"[^\w\- ]", "", title.lower().strip().replace(" ", "-")).strip("-")
        text = text or "section"
        if text in reserved or _PLUGIN_IDS.match(text):
            return f"section-{text}"
        return text

    return slug


def sections_of(tokens: list[Token]) -> list[tuple[str, str]]:
    """(id, words) of each second-level heading: the contents list of a long page."""
    sections = []
    for heading, inline in itertools.pairwise(tokens):
        if heading.type == "heading_open" and heading.tag == "h2" and heading.attrs.get("id"):
            words = "".join(
                child.content for child in inline.children or [] if child.type in _WORDS
            )
            sections.append((str(heading.attrs["id"]), " ".join(words.split())))
    return sections


_WORDS = ("text", "code_inline")


def make_markdown(settings: dict[str, Any]) -> MarkdownIt:
    """The site's Markdown: CommonMark + tables + footnotes + anchors, raw HTML shown as text."""
    # typographer for curly quotes only (display: citations keep the words as typed)
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "strikethrough", "smartquotes"])
    md.use(front_matter_plugin).use(footnote_plugin)
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=heading_slugger(settings))
    normalize_link = md.normalizeLink

    def keep_pelican_links(url: str) -> str:
        # markdown-it percent-escapes "{filename}"; Pelican must still see it.
        match = _PELICAN_LINK.match(url)
        if match:
            return match.group(0) + normalize_link(url[match.end() :])
        return normalize_link(url)

    md.normalizeLink = keep_pelican_links  # type: ignore[method-assign]
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    for cell in ("th_open", "td_open"):
        md.add_render_rule(cell, render_aligned_cell)
    # plugins add their syntax, and answer with what rendering depends on besides the file
    answers = markdown_ready.send(md, settings=settings)
    settings[_VERSION_KEY] = "|".join(str(answer) for _, answer in answers if answer)
    return md


def is_safe_link(url: str) -> bool:
    """An allow-list, not markdown-it's block-list: http(s), mailto, relative or a fragment.

    A Pelican link (`{filename}x.md`) must be a path: Pelican keeps whatever follows its
    prefix, so `{index}javascript:...` would otherwise survive into the page and the feed.
    """
    match = _PELICAN_LINK.match(url)
    if match:
        return not link_scheme(url[match.end() :])
    return is_safe_url(url)


def render_aligned_cell(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """Table alignment as a class, not a style attribute, so a strict CSP allows it."""
    token = tokens[idx]
    style = str(token.attrs.pop("style", ""))
    if style.startswith("text-align:"):
        token.attrJoin("class", "align-" + style.split(":", 1)[1].strip())
    return str(self.renderToken(tokens, idx, options, env))


def markdown_of(context: dict[str, Any]) -> MarkdownIt:
    """One MarkdownIt per build, with every plugin's syntax."""
    md = context.get(_CONTEXT_KEY)
    if not isinstance(md, MarkdownIt):
        md = make_markdown(context)
        context[_CONTEXT_KEY] = md
    return md


def markdown_version(context: dict[str, Any]) -> str:
    """What documents rendered in this build depend on besides their own text."""
    markdown_of(context)
    return str(context[_VERSION_KEY])


class MarkdownItReader(BaseReader):  # type: ignore[misc]
    """Reads `.md` files: YAML front matter checked, body rendered with placeholders."""

    enabled = True
    file_extensions = ["md", "markdown"]
    context: dict[str, Any] | None = None  # set per build by `attach_build`

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        context = self.context if self.context is not None else dict(self.settings)
        relpath = os.path.relpath(source_path, self.settings["PATH"])
        try:
            metadata, document = self.read_document(source_path, relpath, context)
        except Exception as error:
            # Pelican logs "Could not process", skips the file and lets the build pass: fail it.
            message = f"could not be read ({type(error).__name__}: {error})"
            build_of(context).problems.add(relpath, 0, message, "reader.internal")
            raise
        metadata["markdown_document"] = document  # its problems: see `report_stored_problems`
        return "", metadata

    def read_document(
        self, source_path: str, relpath: str, context: dict[str, Any]
    ) -> tuple[dict[str, Any], Document]:
        """Metadata and rendered document; the file's problems are kept in the document too,
        so a build that takes it from Pelican's content cache reports them again."""
        stem = Path(source_path).stem
        problems = ProblemLog()
        env: dict[str, Any] = {
            "path": relpath,
            "docId": "",
            "markdown_version": markdown_version(context),
            "problems": problems.problems,
        }
        text = read_text(Path(source_path), relpath, problems, content_limit(self.settings))
        if text is None:
            return {"title": stem, "slug": stem}, Document(relpath, "", env)
        md = markdown_of(context)
        tokens = md.parse(text, env)  # no placeholder marks: read_text refuses them
        metadata = self._metadata(tokens, relpath, stem, problems)
        env["lang"] = str(metadata.get("lang") or "")  # theme labels rendered now use it
        if not text.strip() or not any(t.type != "front_matter" for t in tokens):
            problems.add(relpath, 1, "the file has no body text", "reader.empty")
        env["front_matter_lines"] = metadata.pop("front_matter_lines", {})
        metadata["sections"] = sections_of(tokens)
        return metadata, Document(relpath, md.renderer.render(tokens, md.options, env), env)

    def _metadata(
        self, tokens: list[Token], relpath: str, stem: str, problems: ProblemLog
    ) -> dict[str, Any]:
        front = next((t for t in tokens if t.type == "front_matter"), None)
        if front is None:
            problems.add(
                relpath, 1, "no front matter; start the file with a '---' block", "reader.metadata"
            )
            return {"title": stem, "slug": stem}
        first_line = (front.map[0] if front.map else 0) + 2
        raw = load_front_matter(front.content, first_line, relpath, problems, "reader.yaml")
        if raw is None:
            return {"title": stem, "slug": stem}
        if not isinstance(raw, dict):
            problems.add(relpath, 1, "front matter must be 'key: value' lines", "reader.metadata")
            return {"title": stem, "slug": stem}
        lines = key_lines(front.content, first_line)
        metadata = self._convert(raw, relpath, stem, problems, lines)
        metadata["front_matter_lines"] = lines
        return metadata

    def _convert(
        self,
        raw: dict[str, Any],
        relpath: str,
        stem: str,
        problems: ProblemLog,
        lines: dict[str, int],
    ) -> dict[str, Any]:
        metadata: dict[str, Any] = {"slug": stem}
        if not _SLUG.match(stem):
            problems.add(
                relpath,
                1,
                f"file name '{stem}' must use lowercase letters, digits and hyphens only",
                "reader.slug",
            )
        for key, value in raw.items():
            line = lines.get(str(key), 1)
            refused = _refused_field(str(key), value)
            if refused is not None:
                problems.add(relpath, line, *refused)
            elif key in _DATE_FIELDS:
                text = value.isoformat() if hasattr(value, "isoformat") else str(value)
                try:
                    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
                        raise ValueError(text)
                    datetime.date.fromisoformat(text[:10])  # 2026-02-30 is no day
                    metadata[key] = self.process_metadata(key, text)
                except ValueError:
                    problems.add(
                        relpath, line, f"'{key}' must be a date like 2026-11-23", "reader.date"
                    )
            elif key in _LIST_FIELDS:
                items = value if isinstance(value, list) else [value]
                if not all(isinstance(item, str) and item.strip() for item in items):
                    problems.add(
                        relpath, line, f"'{key}' must be a list of names", "reader.metadata"
                    )
                    continue
                metadata[key] = [str(item).strip() for item in items]
            elif key == "summary":
                metadata[key] = html.escape(str(value).strip())
            else:
                metadata[str(key)] = self.process_metadata(str(key), str(value).strip())
        if str(raw.get("summary", "")).strip() == PLACEHOLDER_SUMMARY:
            severity = plugin_options(self.settings, "READER")["placeholder_text"]
            message = (
                "the summary is still the placeholder from `explainer new`; write the short answer"
            )
            problems.add(relpath, lines.get("summary", 1), message, "reader.placeholder", severity)
        if "summary" not in metadata:
            # Pelican would make one from the body, copying its note markers and their ids
            metadata["summary"] = ""
            if is_explainer(relpath, self.settings) and "summary" not in raw:
                problems.add(
                    relpath,
                    1,
                    "front matter needs a 'summary': the short answer",
                    "reader.metadata",
                )
        if "date" not in raw and is_explainer(relpath, self.settings):
            # Pelican would skip the file with a log line and let the build pass
            problems.add(relpath, 1, "front matter needs a 'date' like 2026-11-23", "reader.date")
        if not metadata.get("title"):
            problems.add(relpath, 1, "front matter needs a 'title'", "reader.metadata")
            metadata["title"] = stem
        if "topics" in metadata:
            tags = self.process_metadata("tags", metadata["topics"])
            tags = tags if isinstance(tags, list) else []  # Pelican's "discard" for no topics
            for tag in tags:
                if not tag.slug.strip("-"):  # its page would be written over the topic list
                    name = shorten(str(tag), 60)
                    message = f"topic '{name}' needs letters or digits for its address"
                    problems.add(relpath, lines.get("topics", 1), message, "reader.metadata")
            metadata["tags"] = [tag for tag in tags if tag.slug.strip("-")]
        return metadata


def _refused_field(key: str, value: Any) -> tuple[str, str] | None:
    """Why a front-matter field cannot be taken as written: (message, code), or None.

    Contributors write these files: a key Pelican interprets could move the page over another
    (`save_as`, `url`), pick any template, or put markup into `<html lang>`. Only the keys below
    are accepted, each with a value of its kind.
    """
    if key in _ADDRESS_FIELDS:
        return f"'{key}' cannot be set: a page's address is its file name", "reader.slug"
    if key == "template":
        return "'template' cannot be set: the theme chooses each page's template", (
            "reader.metadata"
        )
    if key not in _FIELDS:
        hint = did_you_mean(key, _FIELDS) or f"; known fields: {', '.join(sorted(_FIELDS))}"
        return f"unknown front-matter field '{shorten(key, 60)}'{hint}", "reader.metadata"
    if key in _LIST_FIELDS:
        return None
    if not isinstance(value, str | bool) or (isinstance(value, bool) and key != "translation"):
        return f"'{key}' must be a single value, not a list or mapping", "reader.metadata"
    text = str(value).strip()
    if key == "slug" and not _SLUG.match(text):
        return "'slug' must use lowercase letters, digits and hyphens only", "reader.slug"
    if key == "lang" and not is_language_tag(text):
        given = shorten(text, 60)
        return f"'lang' must be a language tag such as 'en' or 'es-MX', not '{given}'", (
            "reader.lang"
        )
    if key == "status" and text not in _STATUSES:
        return f"'status' must be one of {', '.join(_STATUSES)}", "reader.metadata"
    if key == "translates" and not re.fullmatch(r"[0-9a-f]{12}", text):
        return (
            "'translates' must be the 12 hex characters `explainer translations --stamp` writes",
            "reader.metadata",
        )
    return None


def use_our_reader(readers: Any) -> None:
    """Take the Markdown extensions from Python-Markdown (not installed) for markdown-it-py."""
    for extension in MarkdownItReader.file_extensions:
        readers.reader_classes[extension] = MarkdownItReader


def attach_build(generator: Any) -> None:
    """Give this run's context to our reader, and drop Pelican's 'markdown missing' warning."""
    readers = getattr(generator, "readers", None)
    if readers is None:
        return
    for extension, reader in readers.readers.items():
        if isinstance(reader, MarkdownItReader):
            reader.context = generator.context
            readers.disabled_readers.pop(extension, None)


def report(build: Build, document: Document) -> None:
    """The file's own problems, again for each build (a cached file is not read again)."""
    build.problems.add_all(document.env.get("problems", []))


def report_stored_problems(content: Any) -> None:
    """Every content object, cached or not, even one Pelican then skips for lack of a date."""
    document = getattr(content, "markdown_document", None)
    context = getattr(content, "_context", None)
    if isinstance(document, Document) and isinstance(context, dict):
        report(build_of(context), document)


def refresh_documents(generators: list[Any]) -> None:
    """Phase `documents_read`: URLs fixed, documents from the content cache up to date."""
    if not generators:
        return
    context = generators[0].context
    build: Build = build_of(context)
    everything = list(contents_of(generators))
    freeze_urls(everything)
    version = markdown_version(context)
    for content in everything:
        document = getattr(content, "markdown_document", None)
        if document and document.env.get("markdown_version", version) != version:
            # from the content cache, rendered with another glossary or theme: render it again
            reader = MarkdownItReader(context)
            reader.context = context
            _, document = reader.read_document(content.source_path, document.path, context)
            content.markdown_document = document
            report(build, document)


def fill_documents(generators: list[Any]) -> None:
    """Phase `documents_filled`: every placeholder replaced by what its plugin resolved."""
    if not generators:
        return
    context = generators[0].context
    build: Build = build_of(context)
    for content in contents_of(generators):
        document = getattr(content, "markdown_document", None)
        if not document:
            continue
        html = fill(document.html, content, build.fillers)
        # Pelican's own `{filename}` link resolution, done now for the page's own address:
        # at writing, Pelican finds nothing left to replace and keeps this very string, so a
        # large site holds each page's HTML once, not once more per address it is written at
        content._content = content._update_content(html, _siteurl_of(content, context))
        document.html = ""
    collect_as_before()  # the process's own thresholds again before any page is written


def _siteurl_of(content: Any, context: dict[str, Any]) -> str:
    """The SITEURL Pelican's writer gives this page's links (see `Writer.write_file`)."""
    if context.get("RELATIVE_URLS") and content.save_as:
        return str(path_to_url(get_relative_path(content.save_as)))
    return str(context.get("localsiteurl", ""))
