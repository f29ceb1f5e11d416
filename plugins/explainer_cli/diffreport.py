"""`explainer diff`: what a change does to the built site, as a pull-request comment.

Builds are byte-identical for the same input, so every differing file is a real change. Pages
are compared as files; their citations come from each build's evidence manifest
(`evidence.json`), and source pages under `sources/` are read with BeautifulSoup, so a reviewer
sees which quotes and sources changed. For each changed page the report says why (its text, its
notes, only the dates, a menu title), comparing the visible text of `<main>` with and without
those parts, and shows the words that changed.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

MAX_ITEMS = 60  # per list, so a large change still fits a comment
MAX_TEXT = 300
MAX_PAGES = 30  # pages shown with their words; the rest are listed
MAX_DIFF = 1500  # characters of word diff per part of a page
MAX_RUN = 40  # words of one removed or added run
CONTEXT = 4  # unchanged words shown around a change
# parts of a note that are links and arrows, not the citation itself
_NOTE_FURNITURE = (".backrefs", ".note-links", ".url")


@dataclass
class PageChange:
    path: str  # relative to the output folder
    title: str
    status: str  # added, removed, changed
    citations_added: list[str] = field(default_factory=list)
    citations_removed: list[str] = field(default_factory=list)
    detail: str = ""  # for source pages: what part changed
    why: list[str] = field(default_factory=list)  # for changed pages: WHY_* labels
    text_diff: list[str] = field(default_factory=list)  # Markdown, one item per change
    notes_diff: list[str] = field(default_factory=list)
    dates_diff: list[str] = field(default_factory=list)


@dataclass
class Report:
    pages: list[PageChange] = field(default_factory=list)
    sources: list[PageChange] = field(default_factory=list)
    other_files: list[tuple[str, str]] = field(default_factory=list)  # (status, path)

    @property
    def empty(self) -> bool:
        return not (self.pages or self.sources or self.other_files)


def files_of(root: Path) -> dict[str, Path]:
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def page_url(relpath: str) -> str:
    """'a/index.html' -> '/a/', so the list reads like the site's addresses."""
    url = "/" + relpath
    return url[: -len("index.html")] if url.endswith("/index.html") else url


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "lxml")


def _text(node: object) -> str:
    text = node.get_text() if hasattr(node, "get_text") else str(node)
    text = re.sub(r"\s+([,.;:)])", r"\1", " ".join(text.split()))
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


def title_of(soup: BeautifulSoup) -> str:
    node = soup.find("h1") or soup.find("title")
    return _text(node) if node else ""


def citations_of(soup: BeautifulSoup) -> list[str]:
    """Each note's citation as plain text: author, title, outlet, date, ¶, quoted words."""
    notes = []
    for item in soup.select("li[id^=cite-]"):
        for selector in _NOTE_FURNITURE:
            for node in item.select(selector):
                node.decompose()
        for quoted in item.select("q"):  # the quote marks come from CSS
            quoted.insert(0, "“")
            quoted.append("”")
        notes.append(_text(item))
    return notes


def _multiset_difference(a: list[str], b: list[str]) -> list[str]:
    """Items of `a` not matched in `b`, in `a`'s order (renumbered notes are not changes)."""
    remaining = Counter(b)
    missing = []
    for item in a:
        if remaining[item]:
            remaining[item] -= 1
        else:
            missing.append(item)
    return missing


def _source_detail(old: BeautifulSoup, new: BeautifulSoup) -> str:
    def parts(soup: BeautifulSoup) -> tuple[str, str]:
        # no separator: highlighting splits a paragraph into elements, not its words
        text = "\n".join(" ".join(p.get_text().split()) for p in soup.select("p[id^=p]"))
        meta = " ".join(_text(n) for n in soup.select("h1, dl"))
        return text, meta

    old_text, old_meta = parts(old)
    new_text, new_meta = parts(new)
    changes = []
    if old_text != new_text:
        changes.append("text")
    if old_meta != new_meta:
        changes.append("details (title, outlet, date or addresses)")
    return " and ".join(changes) if changes else "where it is cited"


EVIDENCE = "evidence.json"  # the build's evidence manifest (plugins/metadata/evidence.py)


def evidence_citations(root: Path) -> dict[str, list[str]] | None:
    """Each page's citations as text, from the build's evidence manifest (None without one)."""
    try:
        data = json.loads((root / EVIDENCE).read_text(encoding="utf-8"))
        sources, pages = data["sources"], data["pages"]
        return {
            relpath: [_note_text(note, sources[note["source"]]) for note in page["notes"]]
            for relpath, page in pages.items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _note_text(note: dict[str, Any], source: dict[str, Any]) -> str:
    """A note as a reader sees it: author, title, outlet, date, ¶, the quoted words."""
    byline = ", ".join(source["authors"])
    text = (byline + ", " if byline else "") + f"“{source['title']}”, {source['outlet']}, "
    text += str(source["date_text"])
    if note["paragraph"]:
        text += f", ¶{note['paragraph']}. “{note['selector']['exact']}”"
    else:
        text += "."
    return _text(text)


# ---------------------------------------------------------------- why a page changed

WHY_TEXT = "its text"
WHY_NOTES = "its notes"
WHY_DATES = "the site-wide “As of” / last-updated date"
WHY_MENU = "a menu title"
WHY_MARKUP = "markup (no visible words)"
_NOTES = "section.citation-notes"
_DATES = ".dates, .print-meta"
_MENU = "nav.site-nav"
_INVISIBLE = "script, style, template, noscript"


@dataclass(frozen=True)
class Parts:
    """The visible text of a page, split where a change to it means different things."""

    text: str  # <main> without its notes and dates
    notes: str
    dates: str
    menu: str


def _words(node: Any) -> str:
    text = " ".join(node.get_text(" ").split())
    return re.sub(r" ([,.;:)\]])", r"\1", text)


def page_parts(path: Path) -> Parts:
    soup = _soup(path)
    for node in soup.select(_INVISIBLE):
        node.decompose()
    menu = " | ".join(_words(node) for node in soup.select(_MENU))
    main = soup.find("main") or soup.body or soup
    taken = []
    for selector in (_NOTES, _DATES):
        nodes = main.select(selector)
        taken.append(" | ".join(_words(node) for node in nodes))
        for node in nodes:
            node.decompose()
    return Parts(_words(main), taken[0], taken[1], menu)


def _numbered(notes: list[str]) -> str:
    return " ".join(f"[{number}] {note}" for number, note in enumerate(notes, 1))


def _run(words: list[str], mark: str) -> str:
    shown = " ".join(words[:MAX_RUN]) + (" …" if len(words) > MAX_RUN else "")
    return f"{mark}{plain(shown)}{mark}"


def word_diff(old: str, new: str, limit: int = MAX_DIFF) -> list[str]:
    """Markdown, one item per changed place: a few words of context, removed words as
    ~~words~~, added as **words**; about `limit` characters in all."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    items: list[str] = []
    groups = list(matcher.get_grouped_opcodes(CONTEXT))
    for done, group in enumerate(groups):
        parts = ["…"] if group[0][1] > 0 else []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                parts.append(plain(" ".join(a[i1:i2])))
                continue
            if i2 > i1:
                parts.append(_run(a[i1:i2], "~~"))
            if j2 > j1:
                parts.append(_run(b[j1:j2], "**"))
        if group[-1][2] < len(a):
            parts.append("…")
        item = " ".join(parts)
        if items and sum(map(len, items)) + len(item) > limit:
            items.append(f"… and {len(groups) - done} more change(s)")
            break
        items.append(item)
    return items


def _explain(change: PageChange, old: Path, new: Path, notes: tuple[str, str] | None) -> None:
    """Fill in why a changed page changed, and its words."""
    before, after = page_parts(old), page_parts(new)
    old_notes, new_notes = notes or (before.notes, after.notes)
    if before.text != after.text:
        change.why.append(WHY_TEXT)
        change.text_diff = word_diff(before.text, after.text)
    if old_notes != new_notes:
        change.why.append(WHY_NOTES)
        change.notes_diff = word_diff(old_notes, new_notes)
    if before.dates != after.dates:
        change.why.append(WHY_DATES)
        change.dates_diff = word_diff(before.dates, after.dates, limit=200)
    if before.menu != after.menu:
        change.why.append(WHY_MENU)
    if not change.why:
        change.why.append(WHY_MARKUP)


def compare(old_root: Path, new_root: Path) -> Report:
    old_files, new_files = files_of(old_root), files_of(new_root)
    old_evidence, new_evidence = evidence_citations(old_root), evidence_citations(new_root)
    use_evidence = old_evidence is not None and new_evidence is not None
    report = Report()
    for relpath in sorted(set(old_files) | set(new_files)):
        old, new = old_files.get(relpath), new_files.get(relpath)
        if old and new and old.read_bytes() == new.read_bytes():
            continue
        status = "added" if old is None else "removed" if new is None else "changed"
        if relpath == EVIDENCE:
            continue  # what changed in it is reported page by page
        if not relpath.endswith(".html"):
            report.other_files.append((status, relpath))
            continue
        old_soup = _soup(old) if old else None
        new_soup = _soup(new) if new else None
        change = PageChange(relpath, title_of(new_soup or old_soup), status)  # type: ignore[arg-type]
        if use_evidence:
            old_notes = (old_evidence or {}).get(relpath, [])
            new_notes = (new_evidence or {}).get(relpath, [])
        else:  # a build from before the evidence manifest: read the notes' HTML
            old_notes = citations_of(old_soup) if old_soup else []
            new_notes = citations_of(new_soup) if new_soup else []
        change.citations_added = _multiset_difference(new_notes, old_notes)
        change.citations_removed = _multiset_difference(old_notes, new_notes)
        if re.fullmatch(r"sources/[^/]+/index\.html", relpath):
            if old_soup and new_soup:
                change.detail = _source_detail(old_soup, new_soup)
            report.sources.append(change)
        else:
            if old and new:
                pair = (_numbered(old_notes), _numbered(new_notes)) if use_evidence else None
                _explain(change, old, new, pair)
            report.pages.append(change)
    return report


# ---------------------------------------------------------------- Markdown


def escape(text: str) -> str:
    """Markdown punctuation backslash-escaped: no markup, no raw HTML (`plain` adds mentions)."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~@&$-])", r"\\\1", text)


def plain(text: str) -> str:
    """Contributor text as Markdown text. GitHub finds @mentions and #123 links in the rendered
    text, after backslashes are gone, so a zero-width space also follows every @ and #."""
    return re.sub(r"([@#])", "\\1\u200b", escape(text))


def code(text: str) -> str:
    """Contributor text (a path, an id) as a code span it cannot leave: the fence is one
    backtick longer than any run inside, and control characters show as \\xNN (a line break
    would end the list item, and the next line could start raw HTML)."""
    text = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _limited(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_ITEMS:
        return lines
    return lines[:MAX_ITEMS] + [f"- … and {len(lines) - MAX_ITEMS} more"]


def _page_line(change: PageChange) -> str:
    title = f" {plain(change.title)}" if change.title else ""
    return f"- {code(page_url(change.path))}{title}"


def _citation_lines(change: PageChange) -> list[str]:
    lines = [f"  - removed: ~~{plain(c)}~~" for c in change.citations_removed]
    lines += [f"  - added: {plain(c)}" for c in change.citations_added]
    return lines


def _details(summary: str, body: list[str]) -> list[str]:
    """A collapsible section. The tags are ours; `summary` and `body` are Markdown whose
    contributor text went through `plain`/`code`. Blank lines around both end the HTML blocks,
    so GitHub reads them as Markdown (escaped), never as raw HTML."""
    return [
        "<details>",
        "<summary>",
        "",
        summary,
        "",
        "</summary>",
        "",
        *body,
        "",
        "</details>",
        "",
    ]


def _words_section(change: PageChange) -> list[str]:
    body: list[str] = []
    for label, items in (
        ("Text", change.text_diff),
        ("Notes", change.notes_diff),
        ("Dates", change.dates_diff),
    ):
        if items:
            body += [f"**{label}**", "", *[f"- {item}" for item in items], ""]
    return body[:-1]


def _changed_pages(changes: list[PageChange]) -> list[str]:
    """One collapsible section per page whose text or notes changed; the pages that changed
    only by a date, a menu title or markup are grouped, one section per reason."""
    out: list[str] = []
    worded = [c for c in changes if {WHY_TEXT, WHY_NOTES} & set(c.why)]
    for change in worded[:MAX_PAGES]:
        summary = f"{_page_line(change)[2:]}: {', '.join(change.why)}"
        out += _details(summary, _words_section(change))
    if worded[MAX_PAGES:]:
        lines = [f"{_page_line(c)}: {', '.join(c.why)}" for c in worded[MAX_PAGES:]]
        out += _details(f"{len(lines)} more page(s) with changed words", _limited(lines))
    groups: dict[str, list[PageChange]] = {}
    for change in changes:
        if change not in worded:
            groups.setdefault(", ".join(change.why), []).append(change)
    for why, group in groups.items():
        lines = [_page_line(c) + (f": {c.dates_diff[0]}" if c.dates_diff else "") for c in group]
        out += _details(f"{len(group)} page(s) changed only by {why}", _limited(lines))
    return out


def to_markdown(report: Report, old_label: str = "base", note: str = "") -> str:
    out = ["## What this change does to the site", ""]
    if note:
        out += [f"> {note}", ""]
    if not (report.pages or report.sources):
        out += ["No page changed.", ""]
    else:
        counts = Counter(change.status for change in report.pages)
        cited = [c for c in report.pages if c.citations_added or c.citations_removed]
        out.append(
            f"Pages: {counts['added']} added, {counts['removed']} removed,"
            f" {counts['changed']} changed. Sources: {len(report.sources)} changed or new."
            f" Citations changed on {len(cited)} page(s). (Compared with the {old_label} build.)"
        )
        out.append("")
    for status in ("added", "removed"):
        changes = [c for c in report.pages if c.status == status]
        if changes:
            out += [f"### {status.capitalize()} pages", ""]
            out += _limited([_page_line(c) for c in changes])
            out.append("")
    changed = [c for c in report.pages if c.status == "changed"]
    if changed:
        out += ["### Changed pages", ""]
        out += _changed_pages(changed)
    cited = [c for c in report.pages if c.citations_added or c.citations_removed]
    if cited:
        out += ["### Citations", ""]
        lines: list[str] = []
        for change in cited:
            lines.append(_page_line(change))
            lines += _citation_lines(change)
        out += _limited(lines)
        out.append("")
    if report.sources:
        out += ["### Sources", ""]
        lines = []
        for change in report.sources:
            source_id = change.path.split("/")[1]
            what = change.detail or change.status
            title = f" {plain(change.title)}" if change.title else ""
            lines.append(f"- {code(source_id)}{title}: {what}")
        out += _limited(lines)
        out.append("")
    if report.other_files:
        out += _details(
            f"Other files (styles, scripts, PDFs, search index): {len(report.other_files)}",
            _limited([f"- {status}: {code(path)}" for status, path in report.other_files]),
        )
    return "\n".join(out)
