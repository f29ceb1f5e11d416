"""A source document and a citation of it: the two records every plugin agrees on."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

KINDS = ("news", "opinion", "statement", "explainer")
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
    url: str = ""
    archived: str = ""
    notes: str = ""
    text: str = ""  # "full" or "excerpts"; "" means the site-wide setting
    paragraphs: list[str] = field(default_factory=list)
    paragraph_lines: list[int] = field(default_factory=list)

    @property
    def author_line(self) -> str:
        return ", ".join(self.authors)


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
