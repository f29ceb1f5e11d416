"""The theme on the real site: landmarks, navigation, short answers, home page, CSP, budgets."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SiteBuild, run_build
from conftest_browser import FLAGSHIP, publish_build

SITEURL = "https://explainers.example"
BUDGET = 60 * 1024


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    result = publish_build(tmp_path_factory.mktemp("theme") / "output", SITEURL)
    assert result.error is None, result.messages
    return result


def html_pages(site: SiteBuild) -> list[str]:
    return sorted(
        p.relative_to(site.output).as_posix()
        for p in site.output.rglob("*.html")
        if not p.relative_to(site.output).as_posix().startswith("pagefind/")
    )


def explainer_slugs() -> list[str]:
    return sorted(p.stem for p in (ROOT / "content" / "explainers").glob("*.md"))


def local_path(site: SiteBuild, url: str) -> Path:
    """The output file an absolute site URL points at."""
    path = urlsplit(url).path.lstrip("/")
    target = site.output / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def test_every_page_has_landmarks_skip_link_and_site_navigation(site: SiteBuild) -> None:
    pages = html_pages(site)
    assert len(pages) > 20
    for name in pages:
        soup = site.html(name)
        assert soup.html.get("lang"), name
        assert len(soup.select("main#main")) == 1, name
        skip = soup.select_one("body > a.skip-link")
        assert skip is not None and skip["href"] == "#main", name
        navigation = soup.select_one("header.site-header nav.site-nav")
        assert navigation is not None and navigation.get("aria-label"), name  # named per language
        assert soup.select_one("footer.site-footer"), name
        assert soup.select_one('meta[name=viewport][content*="width=device-width"]'), name


def test_csp_forbids_inline_script_and_style_and_no_page_uses_them(site: SiteBuild) -> None:
    for name in html_pages(site):
        soup = site.html(name)
        meta = soup.select_one('meta[http-equiv="Content-Security-Policy"]')
        assert meta is not None, name
        policy = {d.split()[0]: d.split()[1:] for d in meta["content"].split(";") if d.strip()}
        assert policy["script-src"][0] == "'self'", name
        assert "'unsafe-inline'" not in meta["content"], name
        assert policy["style-src"] == ["'self'"], name
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", name
        assert not soup.find_all("style"), name
        assert not soup.find_all(style=True), name
        assert not [a for tag in soup.find_all(True) for a in tag.attrs if a.startswith("on")]


def test_no_assets_from_other_hosts(site: SiteBuild) -> None:
    for name in html_pages(site):
        soup = site.html(name)
        for tag, attribute in (("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attribute: True}):
                url = element[attribute]
                parts = urlsplit(url)
                if parts.scheme == "data":
                    continue
                assert not parts.netloc or url.startswith(SITEURL + "/"), (name, url)


def test_flagship_with_its_css_and_js_is_under_60_kb_gzipped(site: SiteBuild) -> None:
    page = site.output / FLAGSHIP / "index.html"
    soup = site.html(f"{FLAGSHIP}/index.html")
    assets = [
        local_path(site, element.get("href") or element.get("src"))
        for element in soup.select("link[rel=stylesheet], script[src]")
    ]
    assert any(a.suffix == ".css" for a in assets) and any(a.suffix == ".js" for a in assets)
    sizes = {p.name: len(gzip.compress(p.read_bytes(), compresslevel=9)) for p in [page, *assets]}
    assert sum(sizes.values()) < BUDGET, sizes


def test_explainer_puts_title_short_answer_and_dates_first(site: SiteBuild) -> None:
    for slug in explainer_slugs():
        soup = site.html(f"{slug}/index.html")
        header = soup.select_one("main article.explainer > header")
        assert header is not None, slug
        children = [
            c
            for c in header.find_all(True, recursive=False)
            if "kicker" not in (c.get("class") or [])
        ]
        assert children[0].name == "h1", slug
        assert "short-answer" in children[1].get("class", []), slug
        assert children[1].get_text(" ", strip=True).startswith("Short answer"), slug
        updated = header.select_one(".dates time[datetime]")
        assert updated is not None and "Last updated" in updated.parent.get_text(), slug
        # the body follows the header, inside the same article
        assert header.find_next_sibling(class_="prose").select("p"), slug


def test_comparison_names_what_it_compares_and_compared_pages_link_back(site: SiteBuild) -> None:
    soup = site.html(f"{FLAGSHIP}/index.html")
    assert "comparison" in soup.select_one("main article")["class"]
    compared = [a["href"] for a in soup.select("header .compares a")]
    assert len(compared) >= 2
    for url in compared:
        page = BeautifulSoup(local_path(site, url).read_text(encoding="utf-8"), "lxml")
        assert f"{SITEURL}/{FLAGSHIP}/" in [a["href"] for a in page.select("header .compares a")]


def test_inner_pages_have_breadcrumbs_ending_at_the_current_page(site: SiteBuild) -> None:
    sources = [f"sources/{p.stem}/index.html" for p in (ROOT / "content/sources").glob("*.md")]
    for name in [
        f"{FLAGSHIP}/index.html",
        "sources/index.html",
        "glossary/index.html",
        "topics/index.html",
        "topics/custody/index.html",
        "timeline/index.html",
        *sources,
    ]:
        soup = site.html(name)
        crumbs = soup.select_one("nav.breadcrumbs[aria-label=Breadcrumb] ol")
        assert crumbs is not None, name
        items = crumbs.find_all("li", recursive=False)
        assert items[0].a["href"] == f"{SITEURL}/", name
        current = items[-1].select_one('[aria-current="page"]')
        assert current is not None and current.get_text(strip=True) == soup.h1.get_text(strip=True)


def test_home_reaches_every_explainer_comparisons_first_and_the_reference_pages(
    site: SiteBuild,
) -> None:
    soup = site.html("index.html")
    sections = soup.select("main section")
    assert sections[0].h2["id"] == "comparisons"
    assert [a["href"] for a in sections[0].select(".card-title a")] == [f"{SITEURL}/{FLAGSHIP}/"]
    listed = {a["href"] for a in soup.select("main .card-title a")}
    assert listed == {f"{SITEURL}/{slug}/" for slug in explainer_slugs()}
    for card in soup.select("main .card"):
        assert card.select_one(".card-summary").get_text(strip=True), card
    links = {a["href"] for a in soup.select("main a")}
    for path in ("glossary/", "timeline/", "key-numbers/", "sources/", "topics/"):
        assert f"{SITEURL}/{path}" in links, path


def test_pages_are_marked_for_the_search_index_with_filters(site: SiteBuild) -> None:
    flagship = site.html(f"{FLAGSHIP}/index.html")
    body = flagship.select_one("[data-pagefind-body]")
    assert body.name == "article" and body["data-pagefind-filter"] == "kind:Comparison"
    topics = [a.get_text() for a in flagship.select('[data-pagefind-filter="topic"]')]
    assert topics == ["custody", "family separation", "numbers"]
    source = site.html("sources/sw-2018-missing/index.html")
    assert source.select_one("article.source")["data-pagefind-filter"] == "kind:Source"
    # a source page's index holds its headline, outlet and archived text, not "Cited in"
    bodies = source.select("[data-pagefind-body]")
    assert [b.name for b in bodies] == ["h1", "dd", "div"] and "source-text" in bodies[2]["class"]
    for name in ("index.html", "topics/index.html", "404.html", "search/index.html"):
        assert not site.html(name).select("[data-pagefind-body]"), name
    assert (site.output / "pagefind" / "pagefind.js").is_file()


def test_search_page_without_javascript_points_to_the_topic_index(site: SiteBuild) -> None:
    soup = site.html("search/index.html")
    assert soup.select_one("meta[name=robots][content=noindex]")
    form = soup.select_one("main form[role=search]")
    assert form["action"] == f"{SITEURL}/search/" and form.select_one("input[name=q]")
    message = soup.select_one("#search-nojs")
    assert "needs JavaScript" in message.get_text()
    assert f"{SITEURL}/topics/" in [a["href"] for a in message.select("a")]
    assert soup.select_one('script[src$="/theme/js/search.js"]')
    # every other page has the search box, which works as a plain GET form
    box = site.html("index.html").select_one("header form[role=search]")
    assert box["action"] == f"{SITEURL}/search/" and box["method"] == "get"


def test_404_page_is_written_and_kept_out_of_the_index(site: SiteBuild) -> None:
    soup = site.html("404.html")
    assert soup.h1.get_text() == "Page not found"
    assert soup.select_one("meta[name=robots][content=noindex]")
    assert f"{SITEURL}/topics/" in [a["href"] for a in soup.select("main a")]


def test_local_build_has_relative_links_and_no_search_or_canonical(tmp_path: Path) -> None:
    result: Any = run_build(ROOT / "content", tmp_path / "output")
    assert result.error is None, result.messages
    soup = result.html(f"{FLAGSHIP}/index.html")
    assert not soup.select("link[rel=canonical], form[role=search]")
    assert soup.select_one("link[rel=stylesheet]")["href"].startswith("../")
    related = soup.select("#related + ul a")
    assert related and all(a["href"].startswith("../") for a in related)
    assert not (tmp_path / "output" / "search").exists()
    assert not (tmp_path / "output" / "sitemap.xml").exists()
    assert (tmp_path / "output" / "404.html").is_file()
