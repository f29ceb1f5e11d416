"""Turning saved article text into verbatim paragraphs: page furniture out, byline and date noted.

Text saved from a web page carries the site around the article ("Skip to main content",
comment counters, sign-up boxes, image captions). The rules below drop what is clearly not
article text and record every line they drop, so the contributor can check nothing was lost.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

# Whole paragraphs that are never article text (matched case-insensitively, whitespace collapsed).
_FURNITURE = [
    r"skip to (the )?(main )?content\b.*",
    r"skip to .*navigation",
    r"(top|bottom) of (the )?page",
    r"back to top",
    r"leave a (comment|reply)",
    r"(\d+ views?\s*)?\d+ comments?",
    r"\d+ views?",
    r"comments?( \(\d+\))?",
    r"(write|add|post) a comment\W*",
    r"log in to (leave a |post a )?comment.*",
    r"sign up (for|to) (our|the) .*",
    r"subscribe (to|for) (our|the) .*(email|newsletter|update|bulletin).*",
    r"downloading pdf\. .*",
    r"this (article|story|post|page) is (over|more than) .* old",
    r"issue \d+",
    r"(latest|related|recommended|more|recent|popular) (news|stories|articles|posts|reading)",
    r"read (more|next)\W*",
    r"(read (more|next|also)|see also|related|more on this( story)?)\s*[:|—–-].{0,120}",
    r"see all",
    r"share (this|on) .{0,40}",
    r"advert(isement)?",
    r"(make a )?donat(e|ion)( to .*)?\W*",
    r"\d+ min(ute)?s? read",
    r"post not marked as liked",
    r"(pic|photo|photograph|picture|image|credit)s?: .*",
    r".*\((pic|photo|photograph|picture|image|credit)s?: [^)]*\)",
    r"(we|this (web)?site) uses? cookies.*",
    r"accept (all )?cookies",
    r"print( this (article|page))?",
    r"(tweet|e-?mail|facebook|twitter|whatsapp|linkedin)",
    r"(https?://)?(www\.)?[\w-]+(\.[\w-]+)*\.[a-z]{2,}(/\S*)?",  # a bare link left alone
]
_FURNITURE_RE = re.compile("|".join(f"(?:{p})" for p in _FURNITURE), re.IGNORECASE)
# A short Title Case line standing alone in the text: the name left from an embedded tweet,
# or a box heading ("Latest News").
_NAME_LINE = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z'’.-]+){1,3}")
_PERSON = re.compile(r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3}")
_BYLINE = re.compile(r"by\s+([A-Z][^,|—–]*?)(?:\s*(?:,|\||—|–| - ).*)?", re.IGNORECASE)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATES = [
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<mm>\d{2})-(?P<day>\d{2})(?!\d)"),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)? " + _MONTH + r",? (?P<year>\d{4})\b"),
    re.compile(r"\b" + _MONTH + r" (?P<day>\d{1,2})(?:st|nd|rd|th)?,? (?P<year>\d{4})\b"),
]
_SENTENCE_END = tuple(".!?\"”’')…")
_HEAD = 6  # bylines, datelines and headlines are looked for in this many first paragraphs


@dataclass
class Paragraph:
    text: str
    heading: bool = False  # was a Markdown heading in the saved text


@dataclass
class Cleaned:
    """The article text and what was learnt (or dropped) on the way."""

    paragraphs: list[str]
    title: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime.date | None = None
    dropped: list[str] = field(default_factory=list)


def find_date(text: str) -> datetime.date | None:
    """The first calendar date written in `text` (2020-05-23, 23 May 2020, May 23, 2020)."""
    for pattern in _DATES:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["mm"]) if parts.get("mm") else _MONTHS.get(parts["month"].lower())
            if not month:
                continue
            try:
                return datetime.date(int(parts["year"]), month, int(parts["day"]))
            except ValueError:
                continue
    return None


def split_paragraphs(text: str, markdown: bool, *, one_per_line: bool = False) -> list[Paragraph]:
    """Paragraphs of saved text: one per line, or per block when the text is hard-wrapped
    (never with `one_per_line`: an extracted web page's lines are its paragraphs)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    wrapped = (
        not one_per_line
        and max((len(line) for line in lines), default=0) <= 100
        and any(a.strip() and b.strip() for a, b in zip(lines, lines[1:], strict=False))
    )
    paragraphs: list[Paragraph] = []
    joining = False
    for raw in lines:
        line = raw.strip()
        if not line:
            joining = False
            continue
        heading = markdown and bool(re.match(r"#{1,6}\s", line))
        if joining and paragraphs:
            paragraphs[-1].text += " " + line
        else:
            paragraphs.append(Paragraph(line, heading))
        # a Markdown hard break (two spaces or a backslash) continues the paragraph
        joining = wrapped or (markdown and (raw.endswith("  ") or raw.endswith("\\")))
    if markdown:
        for paragraph in paragraphs:
            paragraph.text = strip_markdown(paragraph.text)
    return [p for p in paragraphs if p.text]


def strip_markdown(text: str) -> str:
    """The words of a line of Markdown, without its markup (links keep their text)."""
    text = re.sub(r"^#{1,6}\s+(.*?)(\s+#+)?$", r"\1", text)
    text = re.sub(r"^>\s?", "", text)
    text = re.sub(r"^[-*+]\s+(?=\S)", "", text)
    text = re.sub(r"!\[[^\]\n]*\]\([^)\n]*\)", "", text)
    # [words](address), and the broken form "[words](" left when the address was lost
    text = re.sub(r"\[([^\]\n]*)\]\(([^)\s]*)\)?", r"\1", text)
    text = text.replace("**", "")
    text = re.sub(r"(?<![\w_])__(\S(?:.*?\S)?)__(?![\w_])", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!])", r"\1", text)
    return text.strip().rstrip("\\").strip()


def is_furniture(text: str) -> bool:
    return bool(_FURNITURE_RE.fullmatch(" ".join(text.split())))


def clean(
    text: str, *, markdown: bool = True, title: str = "", one_per_line: bool = False
) -> Cleaned:
    """Clean saved article text; `title`, when known, is dropped from the top of the text.
    With `one_per_line` (a web page's extracted text), each line stays its own paragraph."""
    paragraphs = split_paragraphs(text, markdown, one_per_line=one_per_line)
    result = Cleaned([])
    keep: list[bool] = []
    for paragraph in paragraphs:
        keep.append(not is_furniture(paragraph.text))
    _read_head(paragraphs, keep, result, title)
    for index, paragraph in enumerate(paragraphs):
        if not keep[index]:
            continue
        following = paragraphs[index + 1].text if index + 1 < len(paragraphs) else ""
        # an image's alt text, repeated at the start of its caption on the next line
        alt_text = len(following) > len(paragraph.text) and following.startswith(paragraph.text)
        # a lone name or box heading: what is left of an embedded post, or "Latest News"
        lone_name = bool(_NAME_LINE.fullmatch(paragraph.text)) and not paragraph.heading
        if alt_text or lone_name:
            keep[index] = False
    _drop_tail(paragraphs, keep)
    kept = [p.text for p, k in zip(paragraphs, keep, strict=True) if k]
    # a closing "visit:" or "contact us at:" whose link was furniture
    while kept and kept[-1].endswith(":"):
        kept.pop()
        keep[max(i for i, k in enumerate(keep) if k)] = False
    result.paragraphs = kept if one_per_line else join_broken(kept)
    result.dropped = [
        p.text
        for p, k in zip(paragraphs, keep, strict=True)
        if not k and " ".join(p.text.split()) != result.title
    ]
    return result


def _read_head(paragraphs: list[Paragraph], keep: list[bool], result: Cleaned, title: str) -> None:
    """Headline, byline and dateline above the article's first sentence, out of the body."""
    wanted = " ".join(title.split()).casefold()
    for index in range(min(_HEAD, len(paragraphs))):
        if not keep[index]:
            continue
        text = paragraphs[index].text
        byline = _BYLINE.fullmatch(text)
        if byline and len(text.split()) <= 12 and not text.endswith("."):
            result.authors = result.authors or split_names(byline.group(1))
            keep[index] = False
            continue
        date = find_date(text)
        if date and len(text.split()) <= 15 and ". " not in text:
            # a dateline, sometimes with the byline: "Jane Doe—reporter, 23 May 2020"
            result.published = result.published or date
            name = re.split(r"\s*(?:—|–|\|| - )\s*", text)[0]
            if not result.authors and name != text and _PERSON.fullmatch(name):
                result.authors = [name]
            keep[index] = False
            continue
        if result.title:
            return
        if wanted and " ".join(text.split()).casefold() == wanted:
            result.title = title
        elif not wanted and _looks_like_headline(paragraphs[index]):
            result.title = " ".join(text.split())
        else:
            return  # the article's first paragraph
        keep[index] = False


def _looks_like_headline(paragraph: Paragraph) -> bool:
    text = paragraph.text
    if paragraph.heading:
        return True
    return (
        len(text.split()) <= 30
        and not text[:1].islower()
        and not text.rstrip("\"”’'").endswith((".", ",", ";", ":"))
    )


def _drop_tail(paragraphs: list[Paragraph], keep: list[bool]) -> None:
    """After the first furniture line of the page's tail, short lines are furniture too."""
    start = len(paragraphs)
    while start > 0:
        text = paragraphs[start - 1].text
        short = len(text.split()) <= 8 and not text.endswith(_SENTENCE_END)
        if keep[start - 1] and not short:
            break
        start -= 1
    first_furniture = next((i for i in range(start, len(paragraphs)) if not keep[i]), None)
    if first_furniture is None or not any(keep[:start]):
        return
    for index in range(first_furniture, len(paragraphs)):
        keep[index] = False


def join_broken(paragraphs: list[str]) -> list[str]:
    """Join a paragraph cut mid-sentence ("the council voted to" / "delay the plan ...")."""
    joined: list[str] = []
    for text in paragraphs:
        if joined and not joined[-1].endswith(_SENTENCE_END + (":",)) and text[:1].islower():
            joined[-1] += " " + text
        else:
            joined.append(text)
    return joined


def split_names(text: str) -> list[str]:
    """'A and B' or 'A, B' as a list of names."""
    names = re.split(r"\s*(?:,|;|\band\b|&)\s*", text.strip())
    return [" ".join(name.split()) for name in names if name.strip()]
