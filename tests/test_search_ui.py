"""The search page on a phone and a desktop: folded filters, counts that follow the query, no
filter option that finds nothing, results that land on the heading, term or paragraph, and
source results quoting the article.

One production-like build (search on) served on 127.0.0.1 and one Chromium for the module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from conftest_browser import chromium_missing, launch_chromium, publish_build, serving

_MISSING = chromium_missing()
pytestmark = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    output = tmp_path_factory.mktemp("search-ui") / "output"
    with serving(output) as base:
        result = publish_build(output, base)
        assert result.error is None, result.messages
        yield base + "/", output


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium-home")
    with pytest.MonkeyPatch.context() as patch:
        (home / "tmp").mkdir()
        patch.setenv("TMPDIR", str(home / "tmp"))
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, home)
            yield browser
            browser.close()


@pytest.fixture
def open_search(chromium: Any, site: tuple[str, Path]) -> Iterator[Any]:
    """Opens the search page (with a query string, at a viewport); fails on console errors."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_page(
        query: str = "", viewport: dict[str, int] = DESKTOP, scheme: str = "light"
    ) -> Any:
        context = chromium.new_context(viewport=viewport, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site[0] + "search/" + query)
        settled(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == []


def settled(page: Any) -> None:
    """Wait until the newest search is on the page (search.js clears aria-busy then)."""
    expect(page.locator("form.search-page")).not_to_have_attribute("aria-busy", "true")


def search_for(page: Any, query: str) -> None:
    page.fill("#search-q", query)  # typing: the search runs on input, no Enter needed
    settled(page)


def found(page: Any) -> int:
    """The number of pages the status line reports (0 for "No pages found")."""
    match = re.match(r"(\d+) pages? found", page.inner_text("#search-status"))
    return int(match.group(1)) if match else 0


def options(page: Any) -> dict[tuple[str, str], int]:
    """Visible filter options and their counts: {(group, value): count}."""
    shown: dict[tuple[str, str], int] = {}
    for label in page.locator("#search-filters label").all():
        if label.is_visible():
            check = label.locator("input")
            count = int(label.locator(".count").inner_text().strip("()"))
            shown[(check.get_attribute("name"), check.get_attribute("value"))] = count
    return shown


def open_filters(page: Any) -> None:
    if page.get_attribute("#search-filters", "open") is None:
        page.click("#search-filters summary")


def test_first_result_is_above_the_fold_on_a_phone(open_search: Any) -> None:
    page = open_search(viewport=PHONE)
    filters = page.locator("#search-filters")
    search_for(page, "children")
    assert found(page) > 5
    first = page.locator("#search-results li").first.bounding_box()
    assert first["y"] < PHONE["height"], first
    # folded on a phone, and the disclosure opens without any script of ours
    assert filters.get_attribute("open") is None
    assert not page.locator("#search-filters fieldset").first.is_visible()
    page.click("#search-filters summary")
    assert page.locator("#search-filters fieldset").first.is_visible()


def test_filters_start_open_on_a_wide_screen(open_search: Any) -> None:
    page = open_search("?q=children")
    assert page.get_attribute("#search-filters", "open") is not None
    assert page.locator("#search-filters fieldset[data-group=kind]").is_visible()


def test_filter_counts_follow_the_query(open_search: Any) -> None:
    page = open_search(viewport=PHONE)
    open_filters(page)
    counts = {}
    for query in ("children", "sponsor"):
        search_for(page, query)
        counts[query] = options(page)
        kinds = [n for (group, _), n in counts[query].items() if group == "kind"]
        # every page has one kind, so the kinds' counts add up to the pages found
        assert sum(kinds) == found(page) > 0, query
    assert counts["children"] != counts["sponsor"]


@pytest.mark.parametrize("query", ["children", "sponsor", "raids"])
def test_no_visible_filter_option_finds_nothing(open_search: Any, query: str) -> None:
    page = open_search(viewport=PHONE)
    open_filters(page)
    search_for(page, query)
    shown = options(page)
    assert shown and all(n > 0 for n in shown.values()), shown
    for group, value in shown:
        check = page.locator(f"#search-filters input[name='{group}'][value='{value}']")
        check.check()
        settled(page)
        # the count an option shows is what choosing it finds
        assert found(page) == shown[(group, value)], (group, value)
        # and every option still shown adds results to that choice
        assert all(n > 0 for n in options(page).values())
        check.uncheck()
        settled(page)


def test_sources_have_no_topics_to_combine_with(open_search: Any) -> None:
    page = open_search("?q=children")
    page.check("#search-filters input[name=kind][value=Source]")
    settled(page)
    assert found(page) > 0
    assert not page.locator("#search-filters fieldset[data-group=topic]").is_visible()


def test_an_impossible_combination_says_why_and_offers_a_way_out(open_search: Any) -> None:
    page = open_search("?q=children&kind=Source&topic=custody")
    status = page.inner_text("#search-status")
    assert found(page) == 0 and "with all the chosen filters" in status, status
    assert "(2 chosen)" in page.inner_text("#search-filters summary")
    # the chosen options stay visible (so they can be unchosen) though they find nothing here
    assert page.locator("#search-filters input[value=custody]").is_visible()
    page.click(".search-clear button")
    settled(page)
    assert found(page) > 0
    assert page.locator("#search-filters input:checked").count() == 0


def result_links(page: Any) -> list[tuple[str, str]]:
    """(path#fragment, link text) of each result."""
    links = []
    for link in page.locator("#search-results h2 a").all():
        href = urlsplit(link.get_attribute("href"))
        links.append((f"{href.path}#{href.fragment}", link.inner_text()))
    return links


def test_a_glossary_term_result_links_to_the_term(open_search: Any, site: tuple[str, Path]) -> None:
    page = open_search()
    search_for(page, "sponsor")
    links = dict(result_links(page))
    assert "/glossary/#term-sponsor" in links, links
    assert links["/glossary/#term-sponsor"].endswith("› Sponsor")
    glossary = BeautifulSoup((site[1] / "glossary/index.html").read_text("utf-8"), "lxml")
    assert glossary.find(id="term-sponsor").name == "section"


def test_an_explainer_result_links_to_its_heading(open_search: Any, site: tuple[str, Path]) -> None:
    page = open_search()
    search_for(page, "sponsors")
    for path, text in result_links(page):
        if path.startswith("/office-of-refugee-resettlement/"):
            fragment, title = path.split("#")[1], text
            break
    else:
        pytest.fail("no result for the ORR explainer")
    html = (site[1] / "office-of-refugee-resettlement/index.html").read_text("utf-8")
    heading = BeautifulSoup(html, "lxml").find(id=fragment)
    assert heading.name == "h2" and title.endswith("› " + heading.get_text(strip=True))


def squeeze(text: str) -> str:
    """Letters and digits only: Pagefind's excerpts space words apart differently."""
    return re.sub(r"[\W_]+", "", text.replace("…", "")).lower()


def test_a_source_result_quotes_the_article_not_cited_in(
    open_search: Any, site: tuple[str, Path]
) -> None:
    page = open_search()
    search_for(page, "unaccompanied")
    item = page.locator("#search-results li", has=page.locator("a[href*='/sources/ffi-']"))
    href = urlsplit(item.locator("h2 a").get_attribute("href"))
    excerpt = squeeze(item.locator(".search-excerpt").inner_text())
    page_file = site[1] / href.path.strip("/") / "index.html"
    source = BeautifulSoup(page_file.read_text("utf-8"), "lxml")
    text = source.select_one(".source-text")
    cited_in = source.select_one(".cited-in-section")
    assert len(excerpt) > 40 and excerpt in squeeze(text.get_text())
    assert excerpt not in squeeze(cited_in.get_text())
    # the link lands on the paragraph of the match
    assert re.fullmatch(r"p\d+", href.fragment) and text.find(id=href.fragment) is not None
    assert "unaccompanied" in text.find(id=href.fragment).get_text().lower()


def violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in found]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_violations_with_results_and_filters_shown(
    open_search: Any, viewport: dict[str, int], scheme: str
) -> None:
    page = open_search("?q=children", viewport=viewport, scheme=scheme)
    open_filters(page)
    assert page.locator("#search-results li").count() > 0
    assert violations(page) == []
    page.goto(page.url.split("?")[0] + "?q=children&kind=Source&topic=custody")
    settled(page)
    assert page.locator(".search-clear button").is_visible()
    assert violations(page) == []
