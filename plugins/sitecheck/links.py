"""Every internal link and anchor of the finished site resolves; no page repeats an id."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

_LINK_ATTRIBUTES = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
                    ("source", "src"), ("iframe", "src"), ("form", "action"))


def _page_facts(path: Path) -> tuple[set[str], list[str], list[str]]:
    """(ids, duplicate ids, internal link targets) of one HTML file."""
    soup = BeautifulSoup(path.read_bytes(), "lxml")
    ids: set[str] = set()
    duplicates: list[str] = []
    for element in soup.find_all(id=True):
        element_id = str(element["id"])
        if element_id in ids:
            duplicates.append(element_id)
        ids.add(element_id)
    for element in soup.find_all("a", attrs={"name": True}):
        ids.add(str(element["name"]))
    links = [
        str(element[attribute])
        for tag, attribute in _LINK_ATTRIBUTES
        for element in soup.find_all(tag, attrs={attribute: True})
    ]
    return ids, duplicates, links


def check_links(output: Path, siteurl: str = "") -> list[str]:
    """One message per broken link, broken anchor or duplicate id, sorted by page."""
    pages = {p.relative_to(output).as_posix(): p for p in sorted(output.rglob("*.html"))}
    facts = {name: _page_facts(path) for name, path in pages.items()}
    site_prefix = siteurl.rstrip("/") + "/" if siteurl else None
    problems: list[str] = []
    for name, (_ids, duplicates, links) in facts.items():
        for duplicate in sorted(set(duplicates)):
            problems.append(f"{name}: duplicate id '{duplicate}'")
        for link in links:
            target = link
            if site_prefix and target.startswith(site_prefix):
                target = "/" + target[len(site_prefix):]
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith("//"):
                continue
            path = unquote(parts.path)
            if path:
                base = "/" + posixpath.dirname(name) + "/"
                resolved = posixpath.normpath(posixpath.join(base, path)).lstrip("/")
                if path.endswith("/") or (output / resolved).is_dir():
                    resolved = posixpath.join(resolved, "index.html")
            else:
                resolved = name
            if not (output / resolved).is_file():
                problems.append(f"{name}: broken link '{link}' (no file {resolved})")
                continue
            fragment = unquote(parts.fragment)
            if fragment and resolved.endswith(".html"):
                if resolved not in facts:
                    facts[resolved] = _page_facts(output / resolved)
                if fragment not in facts[resolved][0]:
                    problems.append(f"{name}: broken anchor '{link}' (no id '{fragment}' in {resolved})")
    return problems
