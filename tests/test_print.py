"""The browser's Print of the published pages (Chromium with css/print.css), against the handouts.

One production-like build with Letter handouts, served locally; Chromium prints each explainer
at Letter size as Ctrl+P would, and the printed text is read back with poppler.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings
from pypdf import PdfReader

from conftest import ROOT, SiteBuild
from conftest_browser import FLAGSHIP, chromium_missing, launch_chromium, publish_build, serving
from test_handouts import _first_words, _save_artifact, body_line_lengths

_MISSING = chromium_missing() or (
    None if shutil.which("pdftotext") else "poppler-utils (pdftotext) is not installed"
)
pytestmark = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")

EXPLAINERS = sorted(p.stem for p in (ROOT / "content" / "explainers").glob("*.md"))
REPO_URL = "https://forge.example/site"  # so the pages have their "Suggest a correction" link

# What only a screen can use, from base.html, article.html, _handout_link.html, _notes.html and
# _macros.html (breadcrumbs); each must be missing from paper. The test adds every other text
# of the page's furniture it finds in the built page.
UI_LABELS = [
    "Skip to content",  # base.html
    "Search",  # the search box's button
    "See all sources",  # the site footer
    "Topic index",
    "Print handout",  # _handout_link.html
    "Suggest a correction",  # article.html, with REPO_URL set
    "Last updated",
    "Related explainers",
    "Linked from",
]
# Whatever of the page print.css hides, by class; their texts must not be printed.
FURNITURE = (
    ".skip-link, .site-header, nav, .site-footer, .page-links, .handout-link, .kicker, .dates, "
    ".backrefs, .note-links, .sidenote, .note-popover, button, form"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SiteBuild, str]]:
    output = tmp_path_factory.mktemp("print") / "output"
    handouts = read_settings(str(ROOT / "pelicanconf.py")).get("HANDOUTS", {})
    with serving(output) as base:
        build = publish_build(
            output,
            base,
            REPO_URL=REPO_URL,
            HANDOUTS={**handouts, "enabled": True, "sizes": ["letter"]},
        )
        assert build.error is None, build.messages
        yield build, base


@pytest.fixture(scope="module")
def printed(
    site: tuple[SiteBuild, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Every explainer printed by Chromium at Letter size, after its scripts have run."""
    from playwright.sync_api import sync_playwright

    build, base = site
    folder = tmp_path_factory.mktemp("printed")
    home = tmp_path_factory.mktemp("chromium-home")
    pdfs: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as patch:
        (home / "tmp").mkdir()
        patch.setenv("TMPDIR", str(home / "tmp"))  # the driver's browser profile goes there
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, home)
            # wide enough for the margin notes, which the script adds beside the text
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for slug in EXPLAINERS:
                page.goto(f"{base}/{slug}/")
                page.wait_for_load_state("load")
                pdfs[slug] = folder / f"{slug}.pdf"
                page.pdf(path=str(pdfs[slug]), format="Letter")  # the print dialog's defaults
            browser.close()
    return pdfs


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_printing_an_explainer_takes_no_more_pages_than_its_handout(
    site: tuple[SiteBuild, str], printed: dict[str, Path]
) -> None:
    build, _ = site
    counts = {
        slug: (
            len(PdfReader(path).pages),
            len(PdfReader(build.output / "handouts" / f"{slug}-letter.pdf").pages),
        )
        for slug, path in printed.items()
    }
    _save_artifact(
        "print-pages.txt",
        "".join(f"{slug}: printed {p}, handout {h}\n" for slug, (p, h) in counts.items()).encode(),
    )
    longer = {slug: pair for slug, pair in counts.items() if pair[0] > pair[1]}
    assert longer == {}, "(printed pages, handout pages)"
    assert counts[FLAGSHIP][0] <= 2


def _furniture(page: BeautifulSoup) -> set[str]:
    """Texts of the page's screen-only parts that its printable text does not also contain."""
    # a Sources list prints each original's address, which is its link's text
    hidden = [e for e in page.select(FURNITURE) if not e.find_parent(class_="source-list")]
    texts = {
        " ".join(node.get_text(" ").split())
        for element in hidden
        for node in [element, *element.find_all(["a", "button", "label", "p", "li", "h2"])]
    }
    for element in hidden:
        element.decompose()
    kept = squash(page.select_one("main").get_text())
    return {text for text in texts if text and squash(text) not in kept}


def test_printed_explainers_show_no_screen_furniture(
    site: tuple[SiteBuild, str], printed: dict[str, Path]
) -> None:
    build, _ = site
    for slug, path in printed.items():
        page = build.html(f"{slug}/index.html")
        furniture = _furniture(page)
        for label in ("Skip to content", "Print handout", "Suggest a correction"):
            assert any(label in text for text in furniture), (slug, label)  # the check has teeth
        text = pdf_text(path)
        flat = squash(text)
        shown = sorted(
            label for label in furniture | set(UI_LABELS) if squash(label) in flat and label
        )
        assert shown == [], slug


def test_printed_explainers_carry_their_notes_once_and_each_address_once(
    site: tuple[SiteBuild, str], printed: dict[str, Path]
) -> None:
    """As many times as in the handout: the notes list is printed, the margin notes are not."""
    build, _ = site
    for slug, path in printed.items():
        page = build.html(f"{slug}/index.html")
        flat = squash(pdf_text(path))
        handout = squash(pdf_text(build.output / "handouts" / f"{slug}-letter.pdf"))
        notes = page.select("section.citation-notes li[id^=cite-]")
        assert notes, slug
        for note in notes:
            quoted = note.select_one("q.quoted")
            if quoted is not None:
                words = squash(quoted.get_text())
                assert flat.count(words) == handout.count(words) > 0, (slug, quoted.get_text())
        addresses = {a["href"].split("#", 1)[0] for a in page.select("main a.original")}
        assert addresses, slug
        for address in addresses:
            assert flat.count(squash(address)) == 1, (slug, address)


def test_printed_pages_are_numbered_with_the_address_and_date(
    site: tuple[SiteBuild, str], printed: dict[str, Path]
) -> None:
    _, base = site
    pages = pdf_text(printed[FLAGSHIP]).split("\f")[:-1]
    first = squash(pages[0])
    assert squash(f"Online: {base}/{FLAGSHIP}/") in first
    assert re.search(r"Asof\d{1,2}\w+\d{4}", first)
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text


def test_printed_explainers_have_lines_of_60_to_80_characters(
    site: tuple[SiteBuild, str], printed: dict[str, Path]
) -> None:
    build, _ = site
    measured: dict[str, float] = {}
    for slug, path in printed.items():
        lengths = body_line_lengths(path, _first_words(build.html(f"{slug}/index.html")))
        assert len(lengths) >= 10, slug
        measured[slug] = statistics.median(lengths)
    _save_artifact(
        "print-line-lengths.txt",
        "".join(f"{slug}: {length}\n" for slug, length in measured.items()).encode(),
    )
    assert {slug: n for slug, n in measured.items() if not 60 <= n <= 80} == {}
