"""sitemap.xml from the finished site: every indexable HTML page, sorted, dated by its content.

Reading the written pages (not Pelican's lists) means no page type is forgotten, including pages
other plugins write. A page opts out with `<meta name="robots" content="noindex">` (404, search).
Dates come only from the pages' `article:published_time` / `article:modified_time` meta tags,
so the file is the same for the same input. A page with versions in other languages lists them
as `xhtml:link` alternates, read from its own `<link rel="alternate" hreflang>` tags.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from lxml import html as lxml_html

_QUOTE = {'"': "&quot;"}


_XHTML = "http://www.w3.org/1999/xhtml"


def page_facts(path: Path) -> tuple[bool, str, list[tuple[str, str]]]:
    """(indexable, last content date or '', its (hreflang, href) alternates) of one page."""
    tree = lxml_html.fromstring(path.read_bytes())
    robots = " ".join(tree.xpath('//meta[@name="robots"]/@content')).lower()
    dates: dict[str, str] = {}
    for meta in tree.xpath('//meta[starts-with(@property, "article:")]'):
        dates[str(meta.get("property"))] = str(meta.get("content", ""))
    lastmod = dates.get("article:modified_time") or dates.get("article:published_time", "")
    alternates = [
        (str(link.get("hreflang")), str(link.get("href", "")))
        for link in tree.xpath('//head/link[@rel="alternate"][@hreflang]')
    ]
    return "noindex" not in robots, lastmod[:10], alternates


def page_url(siteurl: str, relpath: str) -> str:
    """The public URL of an output file: `a/index.html` is served as `a/`."""
    if relpath == "index.html":
        relpath = ""
    elif relpath.endswith("/index.html"):
        relpath = relpath[: -len("index.html")]
    return f"{siteurl}/{relpath}"


def sitemap_xml(output: Path, siteurl: str) -> str:
    """The sitemap of the site in `output`, served from `siteurl` (absolute, no trailing slash)."""
    entries = []
    for path in output.rglob("*.html"):
        relpath = path.relative_to(output).as_posix()
        if relpath.startswith("pagefind/"):
            continue
        indexable, lastmod, alternates = page_facts(path)
        if indexable:
            entries.append((page_url(siteurl, relpath), lastmod, alternates))
    namespaces = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    if any(alternates for _url, _lastmod, alternates in entries):
        namespaces += f' xmlns:xhtml="{_XHTML}"'
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<urlset {namespaces}>"]
    for url, lastmod, alternates in sorted(entries):
        date = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{escape(lang, _QUOTE)}"'
            f' href="{escape(href, _QUOTE)}"/>'
            for lang, href in alternates
        )
        lines.append(f"<url><loc>{escape(url)}</loc>{date}{links}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
