"""`explainer diff OLD NEW`: what a change does to the built site, as a pull-request comment.

Builds are byte-identical for the same input, so every differing file is a real change. Pages
are compared as files; their citations come from each build's evidence manifest
(`evidence.json`), and source pages under `sources/` are read with BeautifulSoup, so a reviewer
sees which quotes and sources changed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

MAX_ITEMS = 60  # per list, so a large change still fits a comment
MAX_TEXT = 300
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


def to_markdown(report: Report, old_label: str = "base", new_label: str = "this change") -> str:
    out = ["## What this change does to the site", ""]
    if report.empty:
        out += [f"No difference: the {new_label} build is identical to the {old_label} build.", ""]
        return "\n".join(out)
    counts = Counter(change.status for change in report.pages)
    cited = [c for c in report.pages if c.citations_added or c.citations_removed]
    out.append(
        f"Pages: {counts['added']} added, {counts['removed']} removed, {counts['changed']} changed."
        f" Sources: {len(report.sources)} changed or new."
        f" Citations changed on {len(cited)} page(s)."
        f" (Compared with the {old_label} build.)"
    )
    out.append("")
    for status in ("added", "removed", "changed"):
        changes = [c for c in report.pages if c.status == status]
        if not changes:
            continue
        out += [f"### {status.capitalize()} pages", ""]
        out += _limited([_page_line(c) for c in changes])
        out.append("")
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
        out += [
            "<details><summary>Other files (styles, scripts, PDFs, search index): "
            f"{len(report.other_files)}</summary>",
            "",
        ]
        out += _limited([f"- {status}: {code(path)}" for status, path in report.other_files])
        out += ["", "</details>", ""]
    return "\n".join(out)
