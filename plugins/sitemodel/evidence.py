"""The evidence of a page as data: its numbered notes and the sources they cite.

The theme renders these records (`theme/templates/_notes.html`); handouts, JSON-LD and the
evidence manifest (`evidence.json`, read by `explainer diff`) read the same records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sitemodel.source import Source

SELECTOR_CONTEXT = 32  # characters of prefix and suffix kept with each quote (W3C TextQuote)


@dataclass
class Note:
    """One numbered note of a page: a passage of a source (or the whole source) and every
    place on the page that cites it (`refs`: the ids of its markers, for back-links).

    Made once its citation is verified; the derived links are computed once (templates read
    them for every page a note is on)."""

    number: int
    source: Source
    paragraph: int = 0  # 1-based paragraph of the source; 0 for the whole source
    start: int = 0  # character offsets of the passage in that paragraph
    end: int = 0
    fragment: str = ""  # `#:~:text=...` pointing at the passage in the original
    source_url: str = ""  # the source's page on this site, relative to the site root
    translation: str = ""  # our translation of the passage, on a page in another language
    refs: list[str] = field(default_factory=list)

    @cached_property
    def passage(self) -> str:
        """The quoted words as the source has them ("" for a whole-source citation)."""
        if not self.paragraph:
            return ""
        return self.source.paragraphs[self.paragraph - 1][self.start : self.end]

    @property
    def anchor(self) -> str:
        """The passage's id on the source page."""
        return f"q{self.paragraph}-{self.start}-{self.end}" if self.paragraph else ""

    @cached_property
    def ours(self) -> str:
        """Our copy: the source page, at the passage when there is one (site-relative)."""
        return self.source_url + (f"#{self.anchor}" if self.anchor else "")

    @cached_property
    def original(self) -> str:
        """The original article, jumping to the words where the browser can."""
        url = self.source.url
        if not url or not self.fragment:
            return url
        # one fragment per URL: the directive follows the page's own anchor
        return url + (self.fragment.removeprefix("#") if "#" in url else self.fragment)

    @property
    def letters(self) -> list[tuple[str, str]]:
        """(marker id, its letter) for each back-link."""
        return [(ref, ref.rsplit("-", 1)[1]) for ref in self.refs]

    def selector(self) -> dict[str, Any]:
        """A W3C TextQuote selector for the passage: exact words and some context."""
        if not self.paragraph:
            return {}
        text = self.source.paragraphs[self.paragraph - 1]
        return {
            "type": "TextQuoteSelector",
            "exact": self.passage,
            "prefix": text[max(0, self.start - SELECTOR_CONTEXT) : self.start],
            "suffix": text[self.end : self.end + SELECTOR_CONTEXT],
        }

    def record(self) -> dict[str, Any]:
        """The note in the evidence manifest."""
        return {
            "number": self.number,
            "source": self.source.id,
            "paragraph": self.paragraph,
            "anchor": self.anchor,
            "selector": self.selector(),
            "refs": list(self.refs),
        } | ({"translation": self.translation} if self.translation else {})


def cited_sources(notes: list[Note]) -> list[Source]:
    """Each source the notes cite, once, in order of first citation."""
    seen: dict[str, Source] = {}
    for note in notes:
        seen.setdefault(note.source.id, note.source)
    return list(seen.values())


def letter(index: int) -> str:
    """a..z, then aa..zz, then aaa...: as many back-links as a note has (as Wikipedia does)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters
