"""sitemap.xml from the finished site: every indexable HTML page, sorted, dated by its content.

Reading the written pages (not Pelican's lists) means no page type is forgotten, including pages
other plugins write. A page opts out with `<meta name="robots" content="noindex">` (404, search).
Dates come only from the pages' `article:published_time` / `article:modified_time` meta tags,
so the file is the same for the same input.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from lxml import html as lxml_html


def page_facts(path: Path) -> tuple[bool, str]:
    """(indexable, last content date or '') of one HTML page."""
    tree = lxml_html.fromstring(path.read_bytes())
    robots = " ".join(tree.xpath('//meta[@name="robots"]/@content')).lower()
    dates: dict[str, str] = {}
    for meta in tree.xpath('//meta[starts-with(@property, "article:")]'):
        dates[str(meta.get("property"))] = str(meta.get("content", ""))
    lastmod = dates.get("article:modified_time") or dates.get("article:published_time", "")
    return "noindex" not in robots, lastmod[:10]


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
        indexable, lastmod = page_facts(path)
        if indexable:
            entries.append((page_url(siteurl, relpath), lastmod))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in sorted(entries):
        date = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(url)}</loc>{date}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
