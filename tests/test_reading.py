"""Reading and checking a claim on the real site (issue 15, notes.js): margin notes beside their
markers, note and glossary cards with live links, arriving at a passage on a source page.
Measured in Chromium on a build of the project's own content."""

from __future__ import annotations

import gzip
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, explainer_file, run_build, write_files
from conftest_browser import FLAGSHIP, chromium_missing, served_chromium, serving

EXPLAINERS = sorted(p.stem for p in (ROOT / "content" / "explainers").glob("*.md"))
BUDGET = 20_000  # bytes: the flagship page, site.css and notes.js, each gzip -9


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("reading") / "output"
    result = run_build(ROOT / "content", output, CACHE_PATH=str(output.parent / "cache"))
    assert result.error is None, result.messages
    return output


def until(page: Any, expression: str, timeout: float = 5.0) -> None:
    """Wait for `expression` to be true in the page, polling from Python: Playwright's own
    polling evaluates strings, which the site's Content-Security-Policy forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)


def html(site: Path, relpath: str) -> BeautifulSoup:
    return BeautifulSoup((site / relpath).read_text(encoding="utf-8"), "lxml")


def test_the_flagship_with_its_css_and_js_is_at_most_20_kb_gzipped(site: Path) -> None:
    page = site / FLAGSHIP / "index.html"
    files = [page, site / "theme" / "css" / "site.css", site / "theme" / "js" / "notes.js"]
    sizes = {f.name: len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in files}
    assert sum(sizes.values()) <= BUDGET, sizes


# --- in the browser ---------------------------------------------------------------------

_MISSING = chromium_missing()
browser = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory, site: Path) -> Iterator[tuple[Any, str]]:
    with served_chromium(site, tmp_path_factory.mktemp("chromium-home")) as served:
        yield served


@pytest.fixture
def opened(chromium: tuple[Any, str]) -> Iterator[Any]:
    """open(path, **context) -> a page of the site in a fresh context; console errors fail."""
    browser_, base = chromium
    contexts: list[Any] = []
    errors: list[str] = []

    def open_(path: str, width: int = 1280, **options: Any) -> Any:
        context = browser_.new_context(viewport={"width": width, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.base = base
        page.goto(f"{base}/{path}")
        return page

    yield open_
    for context in contexts:
        context.close()
    assert errors == []


MARGIN = """() => {
  const y = el => el.getBoundingClientRect().top + scrollY;
  const firsts = {};
  for (const m of document.querySelectorAll('.prose a.cite-ref')) {
    if (!(m.textContent in firsts)) firsts[m.textContent] = {top: y(m), inTable: !!m.closest('td')};
  }
  const textRight = document.querySelector('.prose > p').getBoundingClientRect().right;
  const notes = [...document.querySelectorAll('.margin-notes .sidenote')].map(s => ({
    n: s.querySelector('b').textContent.trim(), top: y(s),
    bottom: s.getBoundingClientRect().bottom + scrollY, short: s.classList.contains('short'),
    text: s.innerText.replace(/\\s+/g, ' ').trim(),
    quote: [...s.querySelectorAll('q')].some(q => q.getClientRects().length > 0),
    right: s.getBoundingClientRect().left >= textRight}));
  return {firsts, notes, textEnd: y(document.querySelector('.citation-notes')),
          articleEnd: document.querySelector('article').getBoundingClientRect().bottom + scrollY};
}"""


def check_margin(measured: dict[str, Any], where: str) -> dict[str, int]:
    """The issue's rules for margin notes; returns what was measured."""
    firsts, notes = measured["firsts"], measured["notes"]
    assert sorted(n["n"] for n in notes) == sorted(firsts), where  # every note, tables too
    assert [int(n["n"]) for n in notes] == sorted(int(n["n"]) for n in notes), where
    drift = 0
    for previous, note in zip([None, *notes], notes, strict=False):
        marker = firsts[note["n"]]["top"]
        assert note["right"], (where, note)  # in the margin, not over the text
        assert note["top"] >= marker - 1, (where, note, marker)
        if previous is not None:
            assert note["top"] >= previous["bottom"] - 0.5, (where, previous, note)  # no overlap
            pushed = note["top"] - previous["bottom"] <= 12
        else:
            pushed = False
        assert note["top"] - marker <= 4 or pushed, (where, note, marker)
        assert note["bottom"] <= measured["textEnd"] <= measured["articleEnd"], (where, note)
        if note["short"]:
            assert re.fullmatch(r"\d+ \S+ ¶\d+", note["text"]), (where, note)  # "7 FFI ¶5"
            assert not note["quote"], (where, note)
        drift = max(drift, round(note["top"] - marker))
    return {"drift": drift, "short": sum(n["short"] for n in notes)}


@browser
def test_margin_notes_sit_beside_their_markers_in_number_order(opened: Any) -> None:
    page = opened(f"{FLAGSHIP}/")
    for slug in EXPLAINERS:
        page.goto(f"{page.base}/{slug}/")
        until(page, "document.fonts.status === 'loaded'")
        measured = page.evaluate(MARGIN)
        check_margin(measured, slug)
        if slug == FLAGSHIP:
            assert sum(f["inTable"] for f in measured["firsts"].values()) > 10
            full = [n for n in measured["notes"] if not n["short"]]
            assert full and all(n["quote"] for n in full)  # the quoted words when room


@browser
def test_margin_notes_follow_the_text_when_it_moves_and_the_window_widens(opened: Any) -> None:
    page = opened(f"{FLAGSHIP}/", width=375)
    assert page.locator(".sidenote").count() == 0  # phones: the list below is the notes
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(".sidenote").first.wait_for()
    before = check_margin(page.evaluate(MARGIN), "widened")
    top = "document.querySelector('.sidenote').getBoundingClientRect().top + scrollY"
    first = page.evaluate(top)
    # something above the text grows (an image loads, a font swaps): the notes move with it
    page.evaluate(
        "() => { const grown = document.createElement('div'); grown.style.height = '300px';"
        " document.querySelector('.prose').prepend(grown); }"
    )
    until(page, f"{top} > {first} + 290")
    after = check_margin(page.evaluate(MARGIN), "grown")
    assert after["drift"] == before["drift"]


@browser
def test_margin_notes_need_javascript_and_the_list_stays(opened: Any) -> None:
    page = opened(f"{FLAGSHIP}/", java_script_enabled=False)
    assert page.locator(".sidenote").count() == 0
    assert page.locator(".citation-notes li").count() >= 30


@browser
def test_a_card_has_the_notes_links_the_sources_record_and_the_quotes_sentence(
    opened: Any, site: Path
) -> None:
    page = opened(f"{FLAGSHIP}/")
    card = page.locator("#cite-preview")
    page.hover("#cite-6-a")
    card.wait_for(state="visible")
    note_links = page.eval_on_selector_all(
        "#cite-6 .note-links a", "links => links.map(a => a.getAttribute('href'))"
    )
    card_links = card.locator(".note-links a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(note_links) >= 2 and card_links == note_links
    assert card.locator("a.passage").evaluate("a => a.tagName === 'A' && !!a.href")
    record = card.locator(".record").inner_text()
    assert "What You Need to Know About #WhereAreTheChildren" in record
    assert record.startswith("Freedom for Immigrants, ")  # not "FFI: ", the label shown above
    # the sentence around the quote, read from the source page: the quote and its neighbours
    context = card.locator(".context")
    context.wait_for()
    quote = page.inner_text("#cite-6 q.quoted")
    sentence = context.inner_text().strip("…“”")
    assert quote in sentence and len(sentence) > len(quote) + 20
    source = html(site, "sources/ffi-2018-whereabouts/index.html").select_one("#p5")
    plain = source.get_text().replace("“", "").replace("”", "")
    assert context.inner_text().replace("“", "").replace("”", "").strip("…") in plain
    # its links are real: the passage link leads to the marked passage
    card.locator("a.passage").click()
    page.wait_for_url("**/sources/ffi-2018-whereabouts/#q5-202-277")
    assert page.locator("mark.arrived").count() >= 1


@browser
def test_keyboard_tab_reaches_the_cards_links_and_escape_closes_it(opened: Any) -> None:
    page = opened(f"{FLAGSHIP}/")
    card = page.locator("#cite-preview")
    page.focus("#cite-6-a")
    card.wait_for(state="visible")
    assert page.get_attribute("#cite-6-a", "aria-describedby") == "cite-preview"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#cite-preview') !== null")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#cite-preview') !== null")
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "cite-6-a"  # focus goes back
    page.keyboard.press("Enter")  # the marker still leads to its note
    until(page, "location.hash === '#cite-6'")


@browser
def test_coming_back_by_a_back_link_opens_no_card(opened: Any) -> None:
    page = opened(f"{FLAGSHIP}/#cite-3")
    page.locator("#cite-3 .backrefs a").nth(1).click()
    until(page, "location.hash === '#cite-3-b'")
    page.wait_for_timeout(500)  # longer than the hover delay
    assert page.locator("#cite-preview").count() == 0
    page.locator("#cite-3 .backrefs a").nth(2).focus()
    page.keyboard.press("Enter")  # by keyboard too
    until(page, "location.hash === '#cite-3-c'")
    page.wait_for_timeout(500)
    assert page.evaluate("document.activeElement.id") == "cite-3-c"
    assert page.locator("#cite-preview").count() == 0
    page.hover("#cite-2-a")  # cards still open where the reader asks
    page.locator("#cite-preview").wait_for(state="visible")


@browser
def test_a_glossary_term_has_a_card_with_its_definition(opened: Any, site: Path) -> None:
    page = opened(f"{FLAGSHIP}/")
    term = page.locator(".prose a.term[href$='#term-sponsor']").first
    term.hover()
    card = page.locator("#cite-preview")
    card.wait_for(state="visible")
    card.locator(".definition").wait_for()
    entry = html(site, "glossary/index.html").select_one("#term-sponsor")
    definition = entry.select_one("p")
    for sup in definition.select("sup"):
        sup.decompose()
    assert card.locator(".definition").inner_text() == definition.get_text()
    assert entry.select_one("h2").get_text() in card.inner_text()
    assert page.get_attribute(".prose a.term[href$='#term-sponsor']", "aria-describedby") == (
        "cite-preview"
    )


@browser
def test_arriving_at_a_passage_marks_every_piece_and_leads_back_to_the_note(
    opened: Any, site: Path
) -> None:
    source = "sources/ffi-2018-whereabouts/"
    markup = html(site, source + "index.html")
    pieces = {}
    for mark in markup.select("mark.passage"):
        pieces.setdefault(mark["data-passage"], []).append(mark)
    anchor = next(a for a, found in pieces.items() if len(found) >= 3)  # a passage split in 3
    citing = markup.select(f".cited-in li[data-anchor='{anchor}']")
    assert citing
    explainer = citing[0].find_parent("li")
    note = citing[0].select_one("a.note-link")["href"]

    page = opened(source)
    came_from = urljoin(page.url, explainer.a["href"])
    page.goto("about:blank")  # a new document, so the referrer counts
    page.goto(f"{page.base}/{source}#{anchor}", referer=came_from)
    marked = page.locator(f"mark[data-passage='{anchor}']")
    assert marked.count() == len(pieces[anchor])
    assert all("arrived" in (c or "") for c in marked.evaluate_all("m => m.map(e => e.className)"))
    other = next(a for a in pieces if a != anchor and not a.startswith(anchor.split("-")[0] + "-"))
    style = "m => getComputedStyle(m).backgroundColor + getComputedStyle(m).outlineStyle"
    strong = marked.evaluate_all(f"ms => ms.map({style})")
    dim = page.locator(f"mark[data-passage='{other}']").first.evaluate(style)
    assert all(s != dim for s in strong) and len(set(strong)) == 1
    box = marked.first.bounding_box()
    assert 0 <= box["y"] < 900  # in view
    bar = page.locator("#arrival")
    assert bar.is_visible()
    links = bar.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links == [note]  # the note of the page we came from
    assert explainer.a.get_text() in bar.inner_text()
    # another passage chosen from "Cited in": the marks and the bar follow it
    other_link = page.locator(f".cited-in a[href='#{other}']").first
    other_link.click()
    until(page, f"location.hash === '#{other}'")
    assert "arrived" not in (marked.first.get_attribute("class") or "")
    assert "arrived" in (page.locator(f"mark[data-passage='{other}']").first.get_attribute("class"))
    # back to the note
    page.goto("about:blank")
    page.goto(f"{page.base}/{source}#{anchor}", referer=came_from)
    page.locator("#arrival a").click()
    page.wait_for_url(urljoin(page.url, note))
    assert page.evaluate("document.querySelector(':target').id") == note.split("#")[1]


@browser
def test_arriving_from_elsewhere_lists_every_note_that_cites_the_passage(opened: Any) -> None:
    source = "sources/ffi-2018-whereabouts/"
    page = opened(source)
    counts = page.evaluate(
        """() => {
          const c = {};
          for (const li of document.querySelectorAll('.cited-in li[data-anchor]'))
            c[li.dataset.anchor] = (c[li.dataset.anchor] || 0) + 1;
          return c;
        }"""
    )
    anchor = max(counts, key=counts.get)
    page.goto(f"{page.base}/{source}#{anchor}")
    page.locator("#arrival").wait_for()
    assert page.locator("#arrival a").count() == counts[anchor] >= 1


@browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_a_card_open_or_a_passage_arrived_at(
    opened: Any, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = opened(f"{FLAGSHIP}/")
    page.emulate_media(color_scheme=scheme)
    page.hover("#cite-6-a")
    page.locator("#cite-preview .context").wait_for()
    found = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found] == []
    page.hover(".prose a.term[href$='#term-sponsor']")
    page.locator("#cite-preview .definition").wait_for()
    assert Axe().run(page).response["violations"] == []
    page.goto(f"{page.base}/sources/ffi-2018-whereabouts/#q5-202-277")
    page.locator("#arrival").wait_for()
    found = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found] == []


# --- a translated page: every word from the page ------------------------------------------

ES_EXPLAINER = explainer_file(
    "Dos historias distintas"
    ' [@ffi-2018-whereabouts, "These are two different issues and must not be conflated.",'
    ' trans: "Son dos problemas diferentes y no deben confundirse."].\n\n'
    "Los niños no estaban perdidos para sus familias [@ffi-2018-whereabouts].",
    title="Dos historias",
    summary='"Dos historias distintas."',
    date="2026-12-01",
    lang="es",
)


@pytest.fixture(scope="module")
def spanish(
    tmp_path_factory: pytest.TempPathFactory, chromium: tuple[Any, str]
) -> Iterator[tuple[Any, str]]:
    """The site with a Spanish translation of the flagship, served beside the English one
    (one Playwright per module: the same Chromium)."""
    tmp = tmp_path_factory.mktemp("reading-es")
    shutil.copytree(ROOT / "content", tmp / "content")
    write_files(tmp / "content", {f"explainers/es/{FLAGSHIP}.md": ES_EXPLAINER})
    result = run_build(tmp / "content", tmp / "output", CACHE_PATH=str(tmp / "cache"))
    assert result.error is None, result.messages
    with serving(tmp / "output") as base:
        yield chromium[0], base


WORDS = "el => new Set(el.innerText.split(/[\\s·“”()]+/).filter(Boolean))"


@browser
def test_on_a_translated_page_cards_and_margin_notes_use_the_pages_own_words(
    spanish: tuple[Any, str],
) -> None:
    browser_, base = spanish
    page = browser_.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/es/{FLAGSHIP}/")
    # the page's own words: no card open, the margin notes (made by notes.js) left out
    page.evaluate("document.querySelector('.margin-notes').hidden = true")
    page_words = set(page.locator("main").evaluate(f"el => [...({WORDS})(el)]"))
    page.evaluate("document.querySelector('.margin-notes').hidden = false")
    assert page.locator(".sidenote").count() == 2
    page.hover("#cite-1-a")
    card = page.locator("#cite-preview")
    card.wait_for(state="visible")
    assert card.get_attribute("aria-label") == page.get_attribute("#cite-1-a", "aria-label")
    assert "Son dos problemas diferentes" in card.inner_text()
    assert "must not be conflated" in card.locator(".translated").inner_text()
    page.wait_for_timeout(300)  # no sentence in English around a Spanish quote
    assert card.locator(".context").count() == 0
    for shown in [card, *page.locator(".sidenote").all()]:
        assert set(shown.evaluate(f"el => [...({WORDS})(el)]")) <= page_words
    page.close()
