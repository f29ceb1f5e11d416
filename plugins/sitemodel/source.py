"""A source document and a citation of it: the two records every plugin agrees on."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import cached_property

# every id and slug a contributor writes: sources, explainers, pages, glossary terms
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = ("news", "opinion", "statement", "explainer")
PRECISIONS = ("day", "month", "year")  # `published: 2018-05-29`, `2019-09` or `2019`
TEXT_MODES = ("full", "excerpts")


@dataclass
class Source:
    """An archived article: bibliographic metadata plus its numbered paragraphs."""

    id: str
    path: str
    title: str
    outlet: str
    published: datetime.date
    kind: str
    language: str = "en"
    authors: list[str] = field(default_factory=list)
    date_estimated: bool = False
    date_precision: str = "day"  # what of `published` is known; a month-only date has day 1
    url: str = ""
    archived: str = ""
    notes: str = ""
    text: str = ""  # "full" or "excerpts"; "" means the site-wide setting
    short: str = ""  # label for notes ("FFI"); "" means the outlet
    short_line: int = 1  # where `short:` is, for the one-label-one-source error
    accessed: datetime.date | None = None  # when the archived text was taken
    rights: str = ""  # why we may show what we show
    paragraphs: list[str] = field(default_factory=list)
    paragraph_lines: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        """What a note calls the source ("FFI ¶7"): its short label, else its outlet."""
        return self.short or self.outlet

    @property
    def author_line(self) -> str:
        return ", ".join(self.authors)

    @property
    def date_iso(self) -> str:
        """The date at its known precision: 2018-05-29, 2019-09 or 2019 (as schema.org takes)."""
        return self.published.isoformat()[: {"day": 10, "month": 7, "year": 4}[self.date_precision]]

    @cached_property
    def date_text(self) -> str:
        """29 May 2018, September 2019 (estimated): never a day that is not known."""
        month_year = self.published.strftime("%B %Y")
        text = {
            "day": f"{self.published.day} {month_year}",
            "month": month_year,
            "year": str(self.published.year),
        }[self.date_precision]
        return f"{text} (estimated)" if self.date_estimated else text


@dataclass(slots=True)
class Citation:
    """One cited passage (or whole source) at one place in a document."""

    source_id: str
    quote: str | None
    path: str
    line: int
    paragraph: int = 0  # 1-based paragraph of the source; 0 for a whole-source citation
    start: int = 0  # character offsets of the passage in that paragraph
    end: int = 0
    anchor: str = ""  # the passage's id on the source page
    note: int = 0  # footnote number on the citing page
    ref_id: str = ""  # id of the citing marker, for back-links
    page_title: str = ""
    page_url: str = ""
    translation: str = ""  # `trans:`: our translation of the quote, for a page in another language
