"""CSL-JSON items for a source and for an explainer: the one record the three formats share.

BibTeX and RIS are written from these items (`exports.formats`), so what a reader downloads
says the same thing in every format.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from exports.names import csl_name
from sitemodel.source import Source

# kind -> CSL type. Opinion is cited like news (styles format an op-ed as a newspaper
# article); statements and advocacy explainers are pages on an organisation's website.
CSL_TYPES = {
    "news": "article-newspaper",
    "opinion": "article-newspaper",
    "statement": "webpage",
    "explainer": "webpage",
}
# archive hosts by name; any other archive is named by its host
_ARCHIVES = {
    "web.archive.org": "Internet Archive",
    "archive.org": "Internet Archive",
    "archive.today": "archive.today",
    "archive.ph": "archive.today",
    "archive.is": "archive.today",
}
_SPACE = re.compile(r"[\s\u2028\u2029\x85]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """Contributor text as a single line: a newline in a title must not end a RIS tag."""
    return _CONTROL.sub("", _SPACE.sub(" ", text)).strip()


@dataclass(frozen=True)
class Passage:
    """Words of a source a page cites, by ¶ number and offsets in that paragraph."""

    paragraph: int
    start: int
    end: int

    def line(self, source: Source) -> str:
        words = one_line(source.paragraphs[self.paragraph - 1][self.start : self.end])
        return f"¶{self.paragraph}: “{words}”"


def merged(passages: set[Passage]) -> list[Passage]:
    """Overlapping passages of a paragraph as one, in reading order: the words the source page
    highlights, each once."""
    spans: list[Passage] = []
    for passage in sorted(passages, key=lambda p: (p.paragraph, p.start, p.end)):
        last = spans[-1] if spans else None
        if last and last.paragraph == passage.paragraph and passage.start <= last.end:
            spans[-1] = Passage(last.paragraph, last.start, max(last.end, passage.end))
        else:
            spans.append(passage)
    return spans


def date_parts(day: datetime.date, precision: str = "day") -> list[int]:
    """[y, m, d] cut to what is known: a month-only date has no day."""
    parts = [day.year, day.month, day.day]
    return parts[: {"day": 3, "month": 2, "year": 1}[precision]]


def archive_name(address: str) -> str:
    host = (urlsplit(address).hostname or "").removeprefix("www.")
    return _ARCHIVES.get(host, host)


def source_item(
    source: Source, passages: set[Passage], cited_by: str = "", copy_url: str = ""
) -> dict[str, Any]:
    """A source as it was published, with our archive details and the passages `cited_by`
    (the site, or one explainer) quotes; ¶ numbers are those of our copy at `copy_url`."""
    item: dict[str, Any] = {
        "id": source.id,
        "type": CSL_TYPES.get(source.kind, "webpage"),
        "title": one_line(source.title),
    }
    authors = [csl_name(one_line(a), source.outlet) for a in source.authors if one_line(a)]
    if authors:
        item["author"] = authors
    item["container-title"] = one_line(source.outlet)
    issued: dict[str, Any] = {"date-parts": [date_parts(source.published, source.date_precision)]}
    if source.date_estimated:
        issued["circa"] = True
    item["issued"] = issued
    if source.url:
        item["URL"] = source.url
    if source.accessed:
        item["accessed"] = {"date-parts": [date_parts(source.accessed)]}
    if source.archived:
        item["archive"] = archive_name(source.archived)
        item["archive_location"] = source.archived
    item["language"] = source.language
    lines = [passage.line(source) for passage in merged(passages)]
    if lines:
        heading = f"Passages cited by {one_line(cited_by)}" if cited_by else "Passages cited"
        where = f" (¶ numbers as in the copy at {copy_url})" if copy_url else ""
        item["note"] = "\n".join([f"{heading}{where}:", *lines])
    return item


def explainer_item(
    key: str,
    title: str,
    site_name: str,
    date: datetime.date,
    language: str,
    url: str = "",
) -> dict[str, Any]:
    """The explainer as a page of the site; its date is the version's (last updated)."""
    item: dict[str, Any] = {
        "id": key,
        "type": "webpage",
        "title": one_line(title),
        "author": [{"literal": one_line(site_name)}],
        "container-title": one_line(site_name),
        "issued": {"date-parts": [date_parts(date)]},
    }
    if url:
        item["URL"] = url
    item["language"] = language
    return item
