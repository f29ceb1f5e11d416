"""The published site in a real browser: accessibility, footnote previews, search, layout.

One production-like build (search on, SITEURL = the local server) and one Chromium per module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest_browser import (
    ARTIFACTS,
    FLAGSHIP,
    chromium_missing,
    launch_chromium,
    publish_build,
    serving,
)

_MISSING = chromium_missing()
pytestmark = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")

# One page of every type the theme has.
PAGE_TYPES = {
    "home": "",
    "comparison": f"{FLAGSHIP}/",
    "explainer": "children-orr-could-not-locate/",
    "source": "sources/ffi-2018-whereabouts/",
    "source-index": "sources/",
    "glossary": "glossary/",
    "topic": "topics/custody/",
    "topic-index": "topics/",
    "timeline": "timeline/",
    "table-page": "key-numbers/",
    "not-found": "404.html",
    "search": "search/?q=children",
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output = tmp_path_factory.mktemp("browser") / "output"
    with serving(output) as base:
        result = publish_build(output, base)
        assert result.error is None, result.messages
        yield base + "/"


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium-home")
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's driver makes the browser profile in its temporary folder: ours.
        (home / "tmp").mkdir()
        patch.setenv("TMPDIR", str(home / "tmp"))
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, home)
            yield browser
            browser.close()


class Pages:
    """New pages in fresh contexts, each recording console errors (CSP violations show there)."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.contexts: list[Any] = []
        self.errors: list[str] = []

    def open(self, url: str, **context: Any) -> Any:
        ctx = self.browser.new_context(**context)
        self.contexts.append(ctx)
        page = ctx.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.goto(url)
        return page

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def pages(chromium: Any) -> Iterator[Pages]:
    opened = Pages(chromium)
    yield opened
    opened.close()


def violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in found]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_finds_no_violations(base_url: str, pages: Pages, kind: str, scheme: str) -> None:
    page = pages.open(base_url + PAGE_TYPES[kind])
    page.emulate_media(color_scheme=scheme)
    if kind == "search":
        page.locator("#search-results li").first.wait_for()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (scheme == "light"), background
    assert violations(page) == []
    assert pages.errors == []


def test_footnote_preview_opens_on_hover_and_closes_with_escape(
    base_url: str, pages: Pages
) -> None:
    page = pages.open(base_url + f"{FLAGSHIP}/")
    preview = page.locator("#cite-preview")
    assert preview.is_hidden()
    page.hover("#cite-2-a")
    preview.wait_for(state="visible")
    # a card with links to follow (issue 15), so a non-modal dialog named by its marker
    assert preview.get_attribute("role") == "dialog"
    assert preview.get_attribute("aria-label") == page.get_attribute("#cite-2-a", "aria-label")
    note_quote = page.inner_text("#cite-2 q.quoted")
    assert note_quote in preview.inner_text()
    assert page.get_attribute("#cite-2-a", "aria-describedby") == "cite-preview"
    # the pointer can move onto the preview without closing it
    box = preview.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.wait_for_timeout(500)
    assert preview.is_visible()
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden")
    assert page.get_attribute("#cite-2-a", "aria-describedby") is None


def test_footnote_preview_opens_on_keyboard_focus(base_url: str, pages: Pages) -> None:
    page = pages.open(base_url + f"{FLAGSHIP}/")
    page.focus("#cite-3-a")
    page.keyboard.press("Escape")  # Tab from an open card's marker goes into its links (issue 15)
    page.keyboard.press("Tab")  # real keyboard navigation to the next marker
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("cite-") and focused.endswith("-a")
    preview = page.locator("#cite-preview")
    preview.wait_for(state="visible")
    note = focused.rsplit("-", 1)[0]
    assert page.inner_text(f"#{note} q.quoted") in preview.inner_text()
    assert page.get_attribute(f"#{focused}", "aria-describedby") == "cite-preview"
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == focused
    page.keyboard.press("Enter")  # the marker is still a link to its note
    page.wait_for_function(f"location.hash === '#{note}'")


def test_footnote_preview_opens_on_tap_and_a_second_tap_follows_the_link(
    base_url: str, pages: Pages
) -> None:
    page = pages.open(
        base_url + f"{FLAGSHIP}/",
        viewport={"width": 375, "height": 740},
        has_touch=True,
        is_mobile=True,
    )
    preview = page.locator("#cite-preview")
    page.tap("#cite-1-a")
    preview.wait_for(state="visible")
    assert page.evaluate("location.hash") == ""
    box = preview.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.tap("h1")
    preview.wait_for(state="hidden")
    page.tap("#cite-1-a")
    preview.wait_for(state="visible")
    page.tap("#cite-1-a")
    page.wait_for_function("location.hash === '#cite-1'")


def test_note_link_and_back_link_work_without_javascript(base_url: str, pages: Pages) -> None:
    page = pages.open(base_url + f"{FLAGSHIP}/", java_script_enabled=False)
    assert page.locator("#cite-preview").count() == 0
    page.click("#cite-2-a")
    page.wait_for_function("location.hash === '#cite-2'")
    assert page.evaluate("document.querySelector(':target').id") == "cite-2"
    page.click("#cite-2 .backrefs a")
    page.wait_for_function("location.hash === '#cite-2-a'")
    assert page.evaluate("document.querySelector(':target').id") == "cite-2-a"


def test_search_finds_the_flagship_by_a_word_in_its_body(base_url: str, pages: Pages) -> None:
    page = pages.open(base_url + "search/")
    assert page.locator("#search-nojs").is_hidden()
    page.fill("#search-q", "conflated")
    page.press("#search-q", "Enter")
    page.locator("#search-results li").first.wait_for()
    hrefs = page.locator("#search-results a").evaluate_all("a => a.map(e => e.href)")
    assert base_url + f"{FLAGSHIP}/" in hrefs
    assert "conflated" in page.inner_text("#search-status")
    assert "q=conflated" in page.url
    assert pages.errors == []


def test_search_results_filter_by_kind_and_topic(base_url: str, pages: Pages) -> None:
    page = pages.open(base_url + "search/?q=children")
    page.locator("#search-results li").first.wait_for()
    everything = page.locator("#search-results li").count()
    page.check("#search-filters input[name=kind][value=Comparison]")
    # expect() polls from Python: a polling wait_for_function needs eval, which the CSP forbids
    expect(page.locator("#search-results li")).to_have_count(1)
    # results land on the heading of their best match (search.js): compare the pages
    href = page.locator("#search-results a").get_attribute("href")
    assert href.split("#")[0].endswith(f"/{FLAGSHIP}/")
    page.uncheck("#search-filters input[name=kind][value=Comparison]")
    page.check("#search-filters input[name=topic][value='workplace raids']")
    expect(page.locator("#search-results li")).to_have_count(1)
    assert everything > 1
    hrefs = page.locator("#search-results a").evaluate_all("a => a.map(e => e.href)")
    assert [h.split("#")[0] for h in hrefs] == [base_url + "mississippi-workplace-raids-2019/"]


def test_search_page_without_javascript_links_to_the_topic_index(
    base_url: str, pages: Pages
) -> None:
    page = pages.open(base_url + "search/?q=children", java_script_enabled=False)
    message = page.locator("#search-nojs")
    assert message.is_visible() and "needs JavaScript" in message.inner_text()
    page.click("#search-nojs a[href$='/topics/']")
    page.wait_for_url(base_url + "topics/")


def test_flagship_screenshots_and_no_sideways_scrolling(base_url: str, pages: Pages) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (375, 1280):
        page = pages.open(base_url + f"{FLAGSHIP}/", viewport={"width": width, "height": 900})
        path = ARTIFACTS / f"flagship-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(
    "kind", ["home", "comparison", "source", "glossary", "table-page", "search"]
)
def test_pages_fit_a_320_px_screen(base_url: str, pages: Pages, kind: str) -> None:
    page = pages.open(base_url + PAGE_TYPES[kind], viewport={"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_reading_measure_is_60_to_75_characters(base_url: str, pages: Pages) -> None:
    page = pages.open(base_url + f"{FLAGSHIP}/", viewport={"width": 1280, "height": 900})
    per_line = page.evaluate(
        """() => [...document.querySelectorAll('main .prose > p')].map(p => {
            const text = [...p.childNodes]
                .filter(n => !(n.classList && n.classList.contains('sidenote')))
                .map(n => n.textContent).join('');
            const probe = document.createElement('span');
            probe.textContent = text;
            probe.style.whiteSpace = 'nowrap';
            p.appendChild(probe);
            const average = probe.getBoundingClientRect().width / text.length;
            probe.remove();
            return p.clientWidth / average;
        })"""
    )
    assert per_line and all(60 <= n <= 75 for n in per_line), per_line


def test_margin_notes_on_wide_screens_only(base_url: str, pages: Pages) -> None:
    wide = pages.open(base_url + f"{FLAGSHIP}/", viewport={"width": 1280, "height": 900})
    notes = wide.locator(".sidenote")
    assert notes.count() > 0
    assert notes.first.is_visible() and notes.first.get_attribute("aria-hidden") == "true"
    text_right = wide.evaluate(
        "document.querySelector('main .prose > p').getBoundingClientRect().right"
    )
    assert notes.first.bounding_box()["x"] > text_right
    narrow = pages.open(base_url + f"{FLAGSHIP}/", viewport={"width": 375, "height": 900})
    assert narrow.locator(".sidenote").count() == 0


def test_comparison_table_stacks_on_a_phone_and_stays_a_table(base_url: str, pages: Pages) -> None:
    phone = pages.open(base_url + f"{FLAGSHIP}/", viewport={"width": 375, "height": 900})
    cell = phone.locator("main table tbody td").nth(1)
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert cell.get_attribute("data-label")
    assert phone.locator("main table").get_attribute("role") == "table"
    assert phone.locator("main table tbody td").first.get_attribute("role") == "rowheader"
    desk = pages.open(base_url + f"{FLAGSHIP}/", viewport={"width": 1280, "height": 900})
    assert (
        desk.locator("main table tbody td").nth(1).evaluate("td => getComputedStyle(td).display")
        == "table-cell"
    )


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(base_url: str, pages: Pages) -> None:
    page = pages.open(base_url + f"{FLAGSHIP}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0  # visible once focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'main'")


def test_screenshot_artifacts_are_gitignored() -> None:
    ignored = (Path(__file__).resolve().parent.parent / ".gitignore").read_text().splitlines()
    assert "test-artifacts/" in ignored


# --- the Spanish edition ---------------------------------------------------------------------
# The project's content plus the small Spanish translations of tests/test_i18n.py, until the
# real Spanish pages arrive.

SPANISH_PAGES = {
    "es-home": "es/",
    "es-explainer": "es/children-orr-could-not-locate/",
    "es-page": "es/about/",
    "es-search": "es/search/?q=ninos",
    "switcher-en": "children-orr-could-not-locate/",
}


@pytest.fixture(scope="module")
def spanish_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from test_i18n import SPANISH, copy_content

    folder = tmp_path_factory.mktemp("browser-es")
    content = copy_content(folder / "content", SPANISH)
    with serving(folder / "output") as base:
        result = publish_build(folder / "output", base, content)
        assert result.error is None, result.messages
        yield base + "/"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(SPANISH_PAGES))
def test_axe_finds_no_violations_in_spanish(
    spanish_url: str, pages: Pages, kind: str, scheme: str
) -> None:
    page = pages.open(spanish_url + SPANISH_PAGES[kind])
    page.emulate_media(color_scheme=scheme)
    if kind == "es-search":
        page.locator("#search-results li").first.wait_for()
    assert violations(page) == []
    assert pages.errors == []


def test_spanish_search_ignores_accents_and_finds_only_spanish_pages(
    spanish_url: str, pages: Pages
) -> None:
    for query in ("ninos", "niños", "NIÑOS"):
        page = pages.open(spanish_url + f"es/search/?q={query}")
        page.locator("#search-results li").first.wait_for()
        hrefs = page.locator("#search-results a").evaluate_all("a => a.map(e => e.href)")
        assert spanish_url + "es/children-orr-could-not-locate/" in hrefs, (query, hrefs)
        assert all(href.startswith(spanish_url + "es/") for href in hrefs), hrefs
        assert "encontrada" in page.inner_text("#search-status")  # its sentences in Spanish
    english = pages.open(spanish_url + "search/?q=confundirse")
    expect(english.locator("#search-status")).not_to_be_empty()
    assert english.locator("#search-results li").count() == 0
