"""Checking a claim at a glance (issue 15): short notes, glued markers, source pages built for
checking, contents lists, a phone header. Measured on the real site in Chromium, and in HTML."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, run_build
from conftest_browser import FLAGSHIP, chromium_missing, served_chromium

EXPLAINERS = sorted(p.stem for p in (ROOT / "content" / "explainers").glob("*.md"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("checking") / "output"
    result = run_build(ROOT / "content", output, CACHE_PATH=str(output.parent / "cache"))
    assert result.error is None, result.messages
    return output


def html(site: Path, relpath: str) -> BeautifulSoup:
    return BeautifulSoup((site / relpath).read_text(encoding="utf-8"), "lxml")


# --- in the HTML ------------------------------------------------------------------------


def test_every_passage_link_of_every_note_lands_on_its_marked_passage(site: Path) -> None:
    checked = 0
    for page in sorted(site.rglob("index.html")):
        for link in html(site, str(page.relative_to(site))).select(".citation-notes a.passage"):
            path, _, anchor = link["href"].partition("#")
            if not anchor:
                continue  # a whole-source note leads to the page itself
            target = Path(posixpath.normpath(posixpath.join(str(page.parent), path))) / "index.html"
            element = html(site, str(target.relative_to(site))).find(id=anchor)
            assert element is not None and element.name == "mark", (page, link["href"])
            assert "passage" in element["class"] and element["data-passage"] == anchor
            checked += 1
    assert checked > 400  # the whole site's notes, not a sample


def test_a_note_is_short_and_each_source_is_described_once(site: Path) -> None:
    page = html(site, f"{FLAGSHIP}/index.html")
    notes = page.select("section.citation-notes li")
    sources = page.select("section.source-list li")
    assert len(notes) >= 30 and 1 <= len(sources) <= 5
    first = notes[0]
    assert first.select_one("a.note-source").get_text() == "FFI"
    assert [a.get_text() for a in first.select(".note-links a")] == ["passage", "original"]
    assert "Freedom for Immigrants" not in first.get_text()  # the record is in the list
    ffi = page.select_one("#src-ffi-2018-whereabouts")
    assert "What You Need to Know About #WhereAreTheChildren" in ffi.get_text()
    assert "May 2018 (estimated)" in ffi.get_text()
    assert page.get_text().count("imm-print.com/what-you-need-to-know") == 1


def test_no_space_before_a_marker_and_running_text_has_curly_quotes(site: Path) -> None:
    for slug in EXPLAINERS:
        page = html(site, f"{slug}/index.html")
        prose = page.select_one(".prose")
        for marker in prose.select("sup.citation"):
            before = marker.previous_sibling
            assert not (isinstance(before, str) and before.endswith((" ", "\n"))), (slug, before)
        for text in prose.find_all(string=True):
            if text.parent.name in ("code", "q") or text.find_parent("q"):
                continue  # a source's own words stay as the source has them
            assert '"' not in text, (slug, text)


def test_source_pages_put_the_text_first_and_cited_in_lists_each_note_once(site: Path) -> None:
    page = html(site, "sources/ffi-2018-whereabouts/index.html")
    markup = str(page)
    assert markup.index('class="source-text"') < markup.index('class="cited-in-section"')
    cited_in = page.select_one(".cited-in-section")
    for explainer in cited_in.select("ul.cited-in > li"):
        notes = [a["href"] for a in explainer.select("a.note-link")]
        assert notes and len(notes) == len(set(notes))


def test_long_explainers_have_a_contents_list_of_their_sections(site: Path) -> None:
    for slug in EXPLAINERS:
        page = html(site, f"{slug}/index.html")
        sections = page.select(".prose > h2[id]")  # the page's own, not the notes' headings
        contents = page.select("nav.contents a")
        if len(sections) >= 3:
            assert [a["href"][1:] for a in contents] == [h["id"] for h in sections], slug
        else:
            assert not contents, slug


# --- in the browser ---------------------------------------------------------------------

_MISSING = chromium_missing()
browser = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")

MEASURE = """() => {
  const height = document.documentElement.scrollHeight;
  const notes = [...document.querySelectorAll('.citation-notes, .source-list')]
    .reduce((sum, el) => sum + el.getBoundingClientRect().height, 0);
  let lineStarts = 0, splitGroups = 0, markers = 0;
  for (const sup of document.querySelectorAll('.prose sup.citation')) {
    markers++;
    const rects = sup.getClientRects();
    if (new Set([...rects].map(r => Math.round(r.top))).size > 1) splitGroups++;
    let node = sup.previousSibling;
    while (node && node.nodeType === 1 && node.lastChild) node = node.lastChild;
    if (!node || node.nodeType !== 3 || !node.textContent.length) continue;
    const range = document.createRange();
    range.setStart(node, node.textContent.length - 1);
    range.setEnd(node, node.textContent.length);
    const last = [...range.getClientRects()].pop();
    if (last && rects[0].top > last.bottom - 2) lineStarts++;
  }
  const crumbs = [...document.querySelectorAll('.breadcrumbs li')];
  const lefts = crumbs.map(li => li.getBoundingClientRect().left);
  const crumbLineStart = Math.min(...lefts);
  const sepAtLineStart = crumbs.some((li, i) => i > 0 && lefts[i] <= crumbLineStart + 1
    && getComputedStyle(li, '::before').content.includes('›'));
  return {share: notes / height, lineStarts, splitGroups, markers,
          header: document.querySelector('.site-header').getBoundingClientRect().height,
          sepAtLineStart};
}"""


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory, site: Path) -> Iterator[tuple[Any, str]]:
    with served_chromium(site, tmp_path_factory.mktemp("chromium-home")) as served:
        yield served


@browser
@pytest.mark.parametrize("width", [375, 1280])
def test_notes_and_sources_take_at_most_30_percent_of_the_flagship(
    chromium: tuple[Any, str], width: int
) -> None:
    browser_, base = chromium
    page = browser_.new_page(viewport={"width": width, "height": 812})
    page.goto(f"{base}/{FLAGSHIP}/")
    measured = page.evaluate(MEASURE)
    page.close()
    assert measured["share"] <= 0.30, measured


@browser
@pytest.mark.parametrize("width", [320, 375, 768])
def test_markers_never_start_a_line_and_groups_never_split(
    chromium: tuple[Any, str], width: int
) -> None:
    browser_, base = chromium
    page = browser_.new_page(viewport={"width": width, "height": 812})
    for slug in EXPLAINERS:
        page.goto(f"{base}/{slug}/")
        measured = page.evaluate(MEASURE)
        assert measured["markers"] > 0, slug
        assert measured["lineStarts"] == 0 and measured["splitGroups"] == 0, (slug, measured)
    page.close()


@browser
def test_on_a_phone_the_header_is_short_and_its_menu_opens_without_javascript(
    chromium: tuple[Any, str],
) -> None:
    browser_, base = chromium
    context = browser_.new_context(
        viewport={"width": 375, "height": 667}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{base}/{FLAGSHIP}/")
    measured = page.evaluate(MEASURE)
    assert measured["header"] <= 120 and not measured["sepAtLineStart"], measured
    navigation = page.locator(".site-nav")
    assert not navigation.is_visible()
    page.locator(".site-menu > summary").click()
    assert navigation.is_visible() and page.locator(".site-nav a").first.is_visible()
    context.close()


@browser
def test_on_a_wide_screen_the_menu_is_open_with_no_button(chromium: tuple[Any, str]) -> None:
    browser_, base = chromium
    page = browser_.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{base}/{FLAGSHIP}/")
    assert page.locator(".site-nav a").first.is_visible()
    assert not page.locator(".site-menu > summary").is_visible()
    page.close()
