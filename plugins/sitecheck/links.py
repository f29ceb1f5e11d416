"""Every internal link and anchor of the finished site resolves; no page repeats an id."""

from __future__ import annotations

import os
import posixpath
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from sitemodel.problems import shorten
from sitemodel.urls import is_safe_url

_LINKS = etree.XPath(
    "|".join(
        f"//{tag}/@{attribute}"
        for tag, attribute in (
            ("a", "href"),
            ("link", "href"),
            ("img", "src"),
            ("script", "src"),
            ("source", "src"),
            ("iframe", "src"),
            ("form", "action"),
        )
    ),
    smart_strings=False,  # plain strings: lxml's "smart" ones keep a link to their element
)
_XML_LINKS = etree.XPath(
    "//@href | //@src | //*[local-name()='loc']/text() | //*[local-name()='uri']/text()",
    smart_strings=False,
)
# feed entries carry their HTML as text: its links are checked like a page's
_XML_HTML = etree.XPath("//*[@type='html']/text()", smart_strings=False)
_IDS = etree.XPath("//@id", smart_strings=False)
_NAMES = etree.XPath("//a/@name", smart_strings=False)


@dataclass
class PageFacts:
    """What the link check needs of one page, kept between builds with the content cache."""

    stamp: tuple[int, int, int]  # inode, size, mtime: a page linked from the last build keeps it
    # ids and links as one string each, separated by NUL (which HTML cannot carry): sets and
    # lists of a large site's every id and link took a fifth of the build's memory
    ids: str
    duplicates: list[str]
    links: str
    targets: set[str] = field(default_factory=set)  # files its links resolve to
    anchored: set[str] = field(default_factory=set)  # ... with a fragment: their ids matter


@dataclass
class LinkIndex:
    """The facts of a published site's pages, so the next build parses only new pages."""

    siteurl: str
    pages: dict[str, PageFacts] = field(default_factory=dict)


def _stamp(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _page_facts(path: Path) -> PageFacts:
    """Ids, duplicate ids and links of one HTML file.

    lxml directly rather than BeautifulSoup: building soup trees cost half the whole build.
    """
    data = path.read_bytes()
    if not data.strip():
        return PageFacts(_stamp(path), "\x00", [], "")
    tree = lxml.html.document_fromstring(data)
    ids: set[str] = set()
    duplicates: list[str] = []
    for element_id in _IDS(tree):
        if element_id in ids:
            duplicates.append(element_id)
        ids.add(element_id)
    ids.update(_NAMES(tree))
    return PageFacts(_stamp(path), _joined(ids), duplicates, "\x00".join(_LINKS(tree)))


def _joined(ids: set[str]) -> str:
    return "\x00" + "\x00".join(sorted(ids)) + "\x00"


def _has_id(facts: PageFacts, element_id: str) -> bool:
    return "\x00" not in element_id and f"\x00{element_id}\x00" in facts.ids


def _kept_ids(old: PageFacts, new: PageFacts) -> bool:
    return set(old.ids.split("\x00")) <= set(new.ids.split("\x00"))


class EarlyFacts:
    """Pages read as soon as Pelican writes them, in a thread beside its rendering.

    lxml reads and parses without holding the GIL, so on a second core the link check's
    reading costs the build almost nothing. What a later write changes is read again.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitecheck")
        self._pending: dict[Path, Future[PageFacts]] = {}

    def written(self, path: Path) -> None:
        if path.suffix == ".html" and path.is_relative_to(self.folder):
            self._pending[path] = self._pool.submit(_page_facts, path)

    def collect(self) -> dict[Path, PageFacts]:
        facts = {}
        for path, future in self._pending.items():
            try:
                facts[path] = future.result()
            except OSError:
                continue  # gone or unreadable: the check reads it itself, or reports it
        self._pool.shutdown()
        return facts


def site_files(output: Path) -> dict[str, Path]:
    """Every file of a built site: its path in the site -> where it is on disk."""
    files = {}
    for folder, _subfolders, names in os.walk(output):
        relative = Path(folder).relative_to(output).as_posix()
        for name in names:
            files[posixpath.normpath(posixpath.join(relative, name))] = Path(folder) / name
    return files


def check_links(
    site: Path | dict[str, Path],
    siteurl: str = "",
    previous: LinkIndex | None = None,
    read_early: dict[Path, PageFacts] | None = None,
) -> tuple[list[str], LinkIndex]:
    """One message per broken link, broken anchor or duplicate id, sorted by page.

    `site` is a built site's folder, or its files (see `site_files`) when they are in more than
    one place. With the index of the last published build, a page it already checked (the same
    file, kept in this build) is checked again only if a page it links to has changed. Pages in
    `read_early` (see `EarlyFacts`) are not read again unless they changed since.
    """
    on_disk = site_files(site) if isinstance(site, Path) else site
    files = set(on_disk)
    folders = {"."}
    for name in files:
        folder = posixpath.dirname(name)
        while folder and folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    known = previous.pages if previous is not None and previous.siteurl == siteurl else {}
    index = LinkIndex(siteurl)
    problems: list[str] = []
    kept: set[str] = set()
    for name in sorted(files):
        if name.endswith(".xml"):
            problems += [
                f"{name}: unsafe link '{shorten(link)}' (only http, https, mailto or relative)"
                for link in _xml_links(on_disk[name])
                if not is_safe_url(link)
            ]
        if not name.endswith(".html"):
            continue
        stamp = _stamp(on_disk[name])
        old = known.get(name)
        early = (read_early or {}).get(on_disk[name])
        if old is not None and old.stamp == stamp:
            index.pages[name] = old
            kept.add(name)
        elif early is not None and early.stamp == stamp:
            index.pages[name] = early
        else:
            index.pages[name] = _page_facts(on_disk[name])
    # pages that still have every id they had (a rewritten home page usually does)
    same_ids = kept | {
        name for name, page in index.pages.items() if name in known and _kept_ids(known[name], page)
    }
    site_prefix = siteurl.rstrip("/") + "/" if siteurl else None
    resolved_paths: dict[tuple[str, str], str] = {}  # many pages share a folder and a target
    split_links: dict[str, tuple[str, str] | None] = {}  # and many pages share a link
    for name, facts in index.pages.items():
        if name in kept and facts.targets <= files and facts.anchored <= same_ids:
            continue  # checked in the last build; what it points to is there, with its ids
        for duplicate in sorted(set(facts.duplicates)):
            problems.append(f"{name}: duplicate id '{duplicate}'")
        folder = posixpath.dirname(name)
        facts.targets, facts.anchored = set(), set()
        for link in facts.links.split("\x00") if facts.links else []:
            if not is_safe_url(link):
                problems.append(
                    f"{name}: unsafe link '{shorten(link)}' (only http, https, mailto or relative)"
                )
                continue
            if link not in split_links:
                split_links[link] = _internal(link, site_prefix)
            internal = split_links[link]
            if internal is None:
                continue
            path, fragment = internal
            if not path:
                resolved = name
            elif (folder, path) in resolved_paths:
                resolved = resolved_paths[folder, path]
            else:
                resolved = resolved_paths[folder, path] = _resolve(folder, path, folders)
            facts.targets.add(resolved)
            if resolved not in files:
                problems.append(f"{name}: broken link '{link}' (no file {resolved})")
                continue
            if not fragment or fragment.lower() == "top" or not resolved.endswith(".html"):
                continue
            facts.anchored.add(resolved)
            if not _has_id(index.pages[resolved], fragment):
                problems.append(
                    f"{name}: broken anchor '{link}' (no id '{fragment}' in {resolved})"
                )
    return problems, index


def _internal(link: str, site_prefix: str | None) -> tuple[str, str] | None:
    """(path, fragment) of a link within the site, or None for one to elsewhere."""
    target = link
    if site_prefix and target.startswith(site_prefix):
        target = "/" + target[len(site_prefix) :]
    elif target.startswith(("https://", "http://", "mailto:")):
        return None  # most links to elsewhere, without parsing them
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    # a text directive (`#:~:text=`) is no anchor, and `#top` needs no id (HTML spec)
    fragment = unquote(parts.fragment).split(":~:", 1)[0]
    return unquote(parts.path), fragment


def _resolve(folder: str, path: str, folders: set[str]) -> str:
    """The output file a link path points to, from a page in `folder`."""
    resolved = posixpath.normpath(posixpath.join("/" + folder + "/", path)).lstrip("/")
    if path.endswith("/") or resolved in folders or not resolved:
        resolved = posixpath.join(resolved, "index.html")
    return resolved


def _xml_links(path: Path) -> list[str]:
    """Links of a feed or sitemap, including those in the HTML its entries carry."""
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError):
        return []
    links = list(_XML_LINKS(tree))
    for fragment in _XML_HTML(tree):
        if fragment.strip():
            links += _LINKS(lxml.html.document_fromstring(fragment))
    return [str(link).strip() for link in links]
