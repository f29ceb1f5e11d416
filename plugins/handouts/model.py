"""What a page knows of its handout, set before pages are written so links give page counts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class HandoutFile:
    """One PDF of a page, for one paper size."""

    size: str  # "letter", "a4"...
    label: str  # "US Letter"
    url: str  # relative to the site root: "handouts/<slug>-letter.pdf"
    pages: int
    data: bytes = field(repr=False, default=b"")

    @property
    def pages_text(self) -> str:
        return f"{self.pages} page" + ("" if self.pages == 1 else "s")


@dataclass
class Handout:
    """The PDFs of one page, for the page's "Print handout" link (`page.handout`)."""

    slug: str
    page_url: str  # absolute web address printed on the handout, "" when SITEURL is relative
    files: list[HandoutFile] = field(default_factory=list)

    @property
    def same_length(self) -> bool:
        """True when every paper size gives the same number of pages (one count in the link)."""
        return len({f.pages for f in self.files}) == 1

    @property
    def pages_text(self) -> str:
        """'2 pages' when all sizes agree, else ''."""
        return self.files[0].pages_text if self.files and self.same_length else ""
