"""PDF handouts: the real site's PDFs read back with poppler and pypdf; small sites for the rest."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pikepdf
import pytest
import segno
from bs4 import BeautifulSoup
from pelican.settings import read_settings
from pypdf import PdfReader

from conftest import (
    ROOT,
    SiteBuild,
    explainer_file,
    pelican_command,
    run_build,
    source_file,
    write_files,
)

POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm"))
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) is not installed"
)

SITEURL = "https://example.org"
FLAGSHIP = "missing-children-vs-separated-families"
EXTRA_PAGES = ["glossary", "key-numbers"]
SIZES = ["letter", "a4"]
EXPLAINERS = sorted(p.stem for p in (ROOT / "content" / "explainers").glob("*.md"))
ARTIFACTS = ROOT / "test-artifacts"


def handout_settings() -> dict[str, Any]:
    """The site's own HANDOUTS setting, switched on as in publishconf.py."""
    configured = read_settings(str(ROOT / "pelicanconf.py")).get("HANDOUTS", {})
    return {**configured, "enabled": True}


def production_overrides() -> dict[str, Any]:
    return {
        "SITEURL": SITEURL,
        "RELATIVE_URLS": False,
        "CITATIONS": {"citation_needed": "error"},
        "HANDOUTS": handout_settings(),
    }


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class RealSite:
    build: SiteBuild
    weasyprint_warnings: list[str]
    twin: Path  # the same site built again in another process (another hash seed)
    twin_log: Path
    _text: dict[str, list[str]] = field(default_factory=dict)
    _readers: dict[Path, PdfReader] = field(default_factory=dict)

    def pdf(self, slug: str, size: str = "letter") -> Path:
        return self.build.output / "handouts" / f"{slug}-{size}.pdf"

    def reader(self, slug: str, size: str = "letter") -> PdfReader:
        path = self.pdf(slug, size)
        if path not in self._readers:
            self._readers[path] = PdfReader(path)
        return self._readers[path]

    def pages(self, slug: str, size: str = "letter") -> int:
        return len(self.reader(slug, size).pages)

    def pages_text(self, slug: str, size: str = "letter") -> list[str]:
        """The text of each page, in drawing order (cells of a table row stay together)."""
        key = f"{slug}-{size}"
        if key not in self._text:
            out = subprocess.run(
                ["pdftotext", "-raw", str(self.pdf(slug, size)), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            self._text[key] = out.split("\f")[:-1]
        return self._text[key]

    def web(self, slug: str) -> BeautifulSoup:
        return self.build.html(f"{slug}/index.html")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_count(path: Path) -> int:
    return len(PdfReader(path).pages)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> RealSite:
    """The real content built once with handouts on, and once more in a second process."""
    root = tmp_path_factory.mktemp("handouts")
    overrides = production_overrides()
    # the second build runs meanwhile on another core; a different hash seed changes any
    # set or dict ordering that could leak into the PDFs
    twin_cmd = pelican_command(
        ROOT / "content",
        root / "twin",
        "-e",
        *(f"{key}={json.dumps(value)}" for key, value in overrides.items()),
        f"CACHE_PATH={json.dumps(str(root / 'twin-cache'))}",
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    twin_log = root / "twin.log"
    with twin_log.open("w") as log:
        twin = subprocess.Popen(twin_cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        records = _Records()
        weasy_logger = logging.getLogger("weasyprint")
        weasy_logger.addHandler(records)
        try:
            build = run_build(ROOT / "content", root / "output", **overrides)
        finally:
            weasy_logger.removeHandler(records)
            twin.wait(timeout=600)
    return RealSite(build, records.messages, root / "twin", twin_log)


# --- the real site --------------------------------------------------------------------------


def test_real_site_builds_with_handouts_cleanly(real_site: RealSite) -> None:
    assert real_site.build.error is None, real_site.build.messages
    assert real_site.build.messages == []  # no page is over its page budget
    assert real_site.weasyprint_warnings == []  # print.css is all understood, nothing fetched


def test_a_handout_per_explainer_and_page_in_both_sizes(real_site: RealSite) -> None:
    made = sorted(p.name for p in (real_site.build.output / "handouts").glob("*.pdf"))
    expected = sorted(f"{slug}-{size}.pdf" for slug in EXPLAINERS + EXTRA_PAGES for size in SIZES)
    assert made == expected
    for slug in EXPLAINERS + EXTRA_PAGES:
        sizes = {size: real_site.reader(slug, size).pages[0].mediabox for size in SIZES}
        assert (round(sizes["letter"].width), round(sizes["letter"].height)) == (612, 792)
        assert (round(sizes["a4"].width), round(sizes["a4"].height)) == (595, 842)


def test_web_pages_link_their_handouts_with_page_counts(real_site: RealSite) -> None:
    for slug in EXPLAINERS + EXTRA_PAGES:
        link = real_site.web(slug).select_one("p.handout-link")
        assert link is not None, slug
        hrefs = [a["href"] for a in link.find_all("a")]
        assert hrefs == [f"{SITEURL}/handouts/{slug}-{size}.pdf" for size in SIZES]
        counts = {real_site.pages(slug, size) for size in SIZES}
        text = " ".join(link.get_text().split())
        if len(counts) == 1:
            count = counts.pop()
            assert f"Print handout (PDF, {count} page{'s' if count > 1 else ''})" in text
        else:
            for size in SIZES:
                assert f"{real_site.pages(slug, size)} pages" in text


def test_page_budgets(real_site: RealSite) -> None:
    counts = {
        f"{slug}-{size}": real_site.pages(slug, size)
        for slug in EXPLAINERS + EXTRA_PAGES
        for size in SIZES
    }
    _save_artifact(
        "handout-pages.txt",
        "".join(f"{name}.pdf: {count}\n" for name, count in counts.items()).encode(),
    )
    assert counts[f"{FLAGSHIP}-letter"] <= 2
    too_long = {
        name: count
        for name, count in counts.items()
        if count > 2 and name.rsplit("-", 1)[0] in EXPLAINERS
    }
    assert too_long == {}


@needs_poppler
def test_every_page_has_the_title_and_page_numbers_in_its_footer(real_site: RealSite) -> None:
    titles = {
        slug: real_site.web(slug).select_one("main h1").get_text()
        for slug in EXPLAINERS + EXTRA_PAGES
    }
    for slug, title in titles.items():
        for size in SIZES:
            pages = real_site.pages_text(slug, size)
            for number, text in enumerate(pages, 1):
                lines = text.strip().splitlines()
                footer = " ".join(lines[-2:])
                assert squash(title) in squash(footer), (slug, size, number, lines[-2:])
                assert f"Page {number} of {len(pages)}" in footer, (slug, size, number)


@needs_poppler
def test_handouts_print_web_address_and_as_of_date(real_site: RealSite) -> None:
    for slug in EXPLAINERS:
        first = squash(real_site.pages_text(slug)[0])
        assert squash(f"Online: {SITEURL}/{slug}/") in first
        date = real_site.web(slug).select_one("p.print-meta").get_text()
        as_of = re.search(r"As of (\d{1,2} \w+ \d{4})", date)
        assert as_of is not None and squash(as_of.group(0)) in first, slug


@needs_poppler
def test_notes_are_short_and_each_address_is_printed_once(real_site: RealSite) -> None:
    """A note is "FFI ¶7 “words”"; the original's address is in the Sources list, once."""
    for slug in EXPLAINERS + EXTRA_PAGES:
        web = real_site.web(slug)
        notes = web.select("section.citation-notes li[id^=cite-]")
        assert notes, slug
        addresses = {a["href"].split("#", 1)[0] for a in web.select("main a.original")}
        archives = [a["href"] for a in web.select("main a.archive")]
        assert addresses, slug
        quoted = [q.get_text() for q in (n.select_one("q.quoted") for n in notes) if q]
        for size in SIZES:
            text = squash("".join(real_site.pages_text(slug, size)))
            for archive in archives:  # an archive's address may hold the original's
                text = text.replace(squash(archive), "")
            for address in addresses:
                assert text.count(squash(address)) == 1, (slug, size, address)
            for words in quoted:
                assert squash(words) in text, (slug, size, words)


@dataclass(frozen=True)
class Line:
    """One line of a PDF page's text, with its box in points from the top left."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    size: float  # the height of its tallest word: the font size, give or take

    @property
    def flat(self) -> str:
        return squash(self.text)


def pdf_blocks(pdf: Path) -> list[list[list[Line]]]:
    """Each page's blocks of lines (a paragraph, a cell, a note), as poppler finds them."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    ns = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in ElementTree.fromstring(xhtml).iter(f"{ns}page"):
        blocks = []
        for block in page.iter(f"{ns}block"):
            lines = []
            for line in block.iter(f"{ns}line"):
                words = list(line.iter(f"{ns}word"))
                box = [float(line.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")]
                size = max(float(w.get("yMax", 0)) - float(w.get("yMin", 0)) for w in words)
                text = " ".join(w.text or "" for w in words)
                lines.append(Line(text, *box, round(size, 1)))
            blocks.append(lines)
        pages.append(blocks)
    return pages


def body_line_lengths(pdf: Path, first_words: str) -> list[int]:
    """Characters a line in the body's paragraphs (a paragraph's last line left out).

    The body's type is that of the line starting with `first_words`: notes, tables and
    headings are in other sizes."""
    pages = pdf_blocks(pdf)
    lines = [line for page in pages for block in page for line in block]
    size = next(line.size for line in lines if line.text.startswith(first_words))
    return [
        len(line.text)
        for page in pages
        for block in page
        if len(block) >= 3
        for line in block[:-1]
        if line.size == size
    ]


def _first_words(web: BeautifulSoup) -> str:
    """The start of the page's first long paragraph, as the PDF shows it."""
    first = next(p for p in web.select("main .prose p") if len(p.get_text()) > 150)
    return " ".join(first.get_text().split()[:3])


@needs_poppler
def test_body_lines_are_60_to_80_characters(real_site: RealSite) -> None:
    measured = {}
    for slug in EXPLAINERS + ["glossary"]:
        words = _first_words(real_site.web(slug))
        for size in SIZES:
            lengths = body_line_lengths(real_site.pdf(slug, size), words)
            assert len(lengths) >= 10, (slug, size, lengths)
            measured[f"{slug}-{size}"] = statistics.median(lengths)
    _save_artifact(
        "handout-line-lengths.txt",
        "".join(f"{name}: {length}\n" for name, length in measured.items()).encode(),
    )
    assert {name: n for name, n in measured.items() if not 60 <= n <= 80} == {}


def _column_ends(page: list[list[Line]], width: float) -> list[Line]:
    """The lowest line of each half of a page above its footer (a line across both counts twice)."""
    lines = [line for block in page for line in block]
    footer = min(
        (line.top for line in lines if re.search(r"Page \d+ of \d+", line.text)), default=1e9
    )
    body = [line for line in lines if line.bottom < footer - 2]
    halves = (
        [line for line in body if line.left < width / 2],
        [line for line in body if line.right > width / 2],
    )
    return [max(half, key=lambda line: line.bottom) for half in halves if half]


@needs_poppler
def test_no_heading_is_left_alone_at_the_foot_of_a_page_or_column(real_site: RealSite) -> None:
    for slug in EXPLAINERS + EXTRA_PAGES:
        headings = {squash(h.get_text()) for h in real_site.web(slug).select("main h2, main h3")}
        headings |= {"Notes", "Sources"}
        for size in SIZES:
            pdf = real_site.pdf(slug, size)
            width = float(real_site.reader(slug, size).pages[0].mediabox.width)
            for number, page in enumerate(pdf_blocks(pdf)[:-1], 1):
                ends = [line.text for line in _column_ends(page, width)]
                assert [e for e in ends if squash(e) in headings] == [], (slug, size, number)


def _note_columns(pdf: Path) -> list[list[Line]]:
    """The lines of notes on the page where the notes end, by column from the left."""
    for page in reversed(pdf_blocks(pdf)):
        lines = [line for block in page for line in block]
        sources = [line for line in lines if line.text == "Sources"]
        if not sources:
            continue
        notes = [line for line in lines if line.text == "Notes"]
        top = notes[-1].bottom if notes else 36  # below the running header, in the margin
        listed = [line for line in lines if top < line.top and line.bottom < sources[-1].top]
        left = min(line.left for line in listed)
        third = (max(line.right for line in listed) - left) / 3
        columns: list[list[Line]] = [[], [], []]
        for line in listed:  # by its middle: a note's number hangs left of its column
            columns[min(2, int(((line.left + line.right) / 2 - left) / third))].append(line)
        return columns
    raise AssertionError(f"no Sources heading in {pdf.name}")


@needs_poppler
def test_note_columns_are_balanced(real_site: RealSite) -> None:
    """The notes' three columns are as even as whole notes allow: none is longer than a third
    of the lines plus one long note (three lines); filled one after another, the first would
    run down the page and the last stay half empty."""
    for slug in EXPLAINERS + EXTRA_PAGES:
        for size in SIZES:
            columns = _note_columns(real_site.pdf(slug, size))
            tops = [sorted(line.top for line in column) for column in columns]
            pitch = statistics.median(
                b - a for t in tops for a, b in zip(t, t[1:], strict=False) if b - a > 2
            )
            lengths = [
                (max(line.bottom for line in column) - min(line.top for line in column)) / pitch
                for column in columns
                if column
            ]
            if sum(lengths) < 9:
                continue
            assert len(lengths) == 3, (slug, size)
            assert max(lengths) <= sum(lengths) / 3 + 3, (slug, size, lengths)


@needs_poppler
def test_glossary_keeps_the_space_after_used_in(real_site: RealSite) -> None:
    used_in = len(real_site.web("glossary").select(".used-in"))
    assert used_in > 5
    for size in SIZES:
        text = " ".join(real_site.pages_text("glossary", size))
        assert re.findall(r"Used in:\S+", text) == []
        assert text.count("Used in: ") == used_in


def _structure(node: Any) -> Iterator[Any]:
    """Every structure element under `node`, depth first (its children are under /K)."""
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _structure(kid)


def _text_marked(page: Any) -> tuple[int, int]:
    """(text drawing operations, those inside marked content) of a page's content stream."""
    shown = marked = 0
    open_marks: list[bool] = []  # for each open sequence: is it tagged content (an MCID)?
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "BDC":
            properties = operands[1]
            open_marks.append(isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties)
        elif name == "BMC":
            open_marks.append(str(operands[0]) == "/Artifact")
        elif name == "EMC":
            open_marks.pop()
        elif name in ("Tj", "TJ", "'", '"'):
            shown += 1
            marked += any(open_marks)
    return shown, marked


def _qr_address(pdf: Any) -> str:
    """The web address the first page's QR code links to."""
    for annotation in pdf.pages[0].get("/Annots", []):
        action = annotation.get("/A")
        if action is not None and "/URI" in action:
            return str(action.URI)
    raise AssertionError("no web link on page 1")


def test_handouts_are_tagged_accessible_pdfs(real_site: RealSite) -> None:
    """PDF/UA-1: a structure tree, every text marked, the page's language and title, alt text."""
    pdfs = sorted((real_site.build.output / "handouts").rglob("*.pdf"))  # es/: Spanish pages
    assert len(pdfs) >= len(EXPLAINERS + EXTRA_PAGES) * len(SIZES)
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            address = _qr_address(pdf)
            web = real_site.build.html(address.removeprefix(f"{SITEURL}/") + "index.html")
            assert root.MarkInfo.Marked is True, path.name
            assert str(root.Lang) == web.html["lang"], path.name
            assert str(pdf.docinfo.Title) == web.select_one("main h1").get_text().strip()
            assert root.ViewerPreferences.DisplayDocTitle is True, path.name
            assert b'pdfuaid:part="1"' in root.Metadata.read_bytes(), path.name
            elements = list(_structure(root.StructTreeRoot))
            tags = {str(e.S) for e in elements}
            assert {"/H1", "/P", "/L", "/LI", "/Figure", "/Link"} <= tags, (path.name, tags)
            assert ("/Table" in tags) == (web.select_one("main table") is not None), path.name
            figures = [e for e in elements if e.S == "/Figure"]
            assert all(str(e.get("/Alt", "")).strip() for e in figures), path.name
            assert any(address in str(e.Alt) for e in figures), path.name  # the QR code
            for number, page in enumerate(pdf.pages, 1):
                shown, marked = _text_marked(page)
                assert shown > 0 and marked == shown, (path.name, number, shown, marked)


@needs_poppler
def test_no_table_row_is_split_across_pages(real_site: RealSite) -> None:
    checked = 0
    for slug in EXPLAINERS + EXTRA_PAGES:
        soup = real_site.web(slug)
        for hidden in soup.select(".visually-hidden"):
            hidden.decompose()
        rows = [squash(row.get_text()) for row in soup.select("main table tbody tr")]
        for size in SIZES:
            pages = [squash(text) for text in real_site.pages_text(slug, size)]
            for row in rows:
                assert any(row in page for page in pages), (slug, size, row[:60])
                checked += 1
    assert checked > 20


def _link_rect(pdf: Path, url: str) -> tuple[float, float, float, float, float]:
    """(left, top, width, height, page height) in points of the link to `url` on page 1."""
    page = PdfReader(pdf).pages[0]
    for annotation in page.get("/Annots", []):
        annotation = annotation.get_object()
        action = annotation.get("/A", {})
        if annotation.get("/Subtype") == "/Link" and action.get("/URI") == url:
            x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
            height = float(page.mediabox.height)
            return min(x1, x2), height - max(y1, y2), abs(x2 - x1), abs(y2 - y1), height
    raise AssertionError(f"no link to {url} on page 1 of {pdf.name}")


def _gray_crop(
    pdf: Path, box: tuple[float, float, float, float], dpi: int, out: Path
) -> tuple[int, int, bytes]:
    """Render a box (points) of page 1 in 8-bit gray: (width, height, pixels)."""
    left, top, width, height = (round(v * dpi / 72) for v in box)
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-x",
            str(left),
            "-y",
            str(top),
            "-W",
            str(width),
            "-H",
            str(height),
            "-singlefile",
            str(pdf),
            str(out),
        ],
        check=True,
    )
    data = out.with_suffix(".pgm").read_bytes()
    magic, w, h, maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return int(w), int(h), pixels[: int(w) * int(h)]


def _qr_modules(pdf: Path, url: str, tmp: Path) -> list[list[bool]]:
    """The dark/light modules of the QR code printed on page 1, read from a 300 dpi render."""
    left, top, width, height, _ = _link_rect(pdf, url)
    assert abs(width - height) < 1 and width >= 54, "the QR code should be square, >= 0.75 in"
    w, h, pixels = _gray_crop(pdf, (left, top, width, height), 300, tmp / "qr")
    for version in range(1, 41):
        size = 17 + 4 * version
        cell = w / size
        if cell < 3:
            break
        grid = [
            [pixels[int((r + 0.5) * cell) * w + int((c + 0.5) * cell)] < 128 for c in range(size)]
            for r in range(size)
        ]
        # finder pattern rings at three corners and the timing pattern between them
        finder = [grid[r][c] for r in range(7) for c in range(7)]
        expected = [
            r in (0, 6) or c in (0, 6) or (2 <= r <= 4 and 2 <= c <= 4)
            for r in range(7)
            for c in range(7)
        ]
        timing = [grid[6][c] for c in range(8, size - 8)]
        if finder == expected and timing == [c % 2 == 0 for c in range(8, size - 8)]:
            return grid
    raise AssertionError(f"no QR code found in the link box on page 1 of {pdf.name}")


def _encodes(grid: list[list[bool]], url: str) -> bool:
    """True when the printed symbol is exactly the QR code of `url` at some error level and mask."""
    version = (len(grid) - 17) // 4
    for error in "LMQH":
        for mask in range(8):
            try:
                qr = segno.make(url, version=version, error=error, mask=mask, boost_error=False)
            except segno.DataOverflowError:
                continue
            if [[bool(v) for v in row] for row in qr.matrix] == grid:
                return True
    return False


@needs_poppler
def test_qr_code_links_to_the_web_page(real_site: RealSite, tmp_path: Path) -> None:
    for slug in EXPLAINERS + EXTRA_PAGES:
        url = f"{SITEURL}/{slug}/"
        grid = _qr_modules(real_site.pdf(slug), url, tmp_path)
        assert _encodes(grid, url), slug
        assert not _encodes(grid, f"{SITEURL}/{slug}/x")  # the check can tell codes apart


@needs_poppler
def test_qr_code_stands_clear_of_the_text(real_site: RealSite) -> None:
    """No line runs into the QR code or its caption (the columns do not flow around floats)."""
    for slug in EXPLAINERS + EXTRA_PAGES:
        for size in SIZES:
            pdf = real_site.pdf(slug, size)
            left, top, width, height, _ = _link_rect(pdf, f"{SITEURL}/{slug}/")
            right, bottom = left + width, top + height + 30  # the caption below it
            crossing = [
                line.text
                for block in pdf_blocks(pdf)[0]
                for line in block
                if line.left < right
                and line.right > left  # beside or across it
                and line.top < bottom
                and line.bottom > top
                and not (left - 2 <= line.left and line.right <= right + 2)  # not the caption
            ]
            assert crossing == [], (slug, size)


def test_pdf_metadata_has_title_and_no_timestamps(real_site: RealSite) -> None:
    for slug in EXPLAINERS:
        info = real_site.reader(slug).metadata
        assert info is not None
        assert info.title == real_site.web(slug).select_one("main h1").get_text().strip()
        assert "/CreationDate" not in info and "/ModDate" not in info
        assert b"/ID" not in real_site.pdf(slug).read_bytes()[-400:]


def test_two_builds_give_identical_pdfs(real_site: RealSite) -> None:
    twin = real_site.twin / "handouts"
    assert twin.is_dir(), real_site.twin_log.read_text()[-3000:]
    first = real_site.build.output / "handouts"
    ours = sorted(str(p.relative_to(first)) for p in first.rglob("*.pdf"))
    assert sorted(str(p.relative_to(twin)) for p in twin.rglob("*.pdf")) == ours
    differ = [name for name in ours if (twin / name).read_bytes() != (first / name).read_bytes()]
    assert differ == []


@needs_poppler
def test_first_page_of_the_flagship_as_png(real_site: RealSite, tmp_path: Path) -> None:
    target = tmp_path / "page"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(real_site.pdf(FLAGSHIP)),
            str(target),
        ],
        check=True,
    )
    png = target.with_suffix(".png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (510, 660)  # 8.5 x 11 in at 60 dpi
    _save_artifact(f"handout-{FLAGSHIP}-letter-p1.png", png)


def _save_artifact(name: str, data: bytes) -> None:
    """Write into test-artifacts/ whole or not at all (other test runs may share the folder)."""
    ARTIFACTS.mkdir(exist_ok=True)
    partial = ARTIFACTS / f".{name}.{os.getpid()}"
    partial.write_bytes(data)
    os.replace(partial, ARTIFACTS / name)


# --- small sites ----------------------------------------------------------------------------

SMALL_SITEURL = "https://handouts.example"  # not the test source's host, so its links stay external
SMALL_SOURCE = source_file(
    "First paragraph of the source.\n\nSecond paragraph, with 1,475 children."
)


def small_site(body: str = 'Some were counted [@src, "with 1,475 children"].') -> dict[str, str]:
    return {
        "sources/src.md": SMALL_SOURCE,
        "explainers/short.md": explainer_file(body, title="A short explainer"),
    }


def test_handout_notes_are_short_and_each_source_is_listed_once(
    build_site: Any, handout_html: list[str]
) -> None:
    files = {
        "sources/src.md": source_file(
            "First paragraph of the source.\n\nSecond paragraph, with 1,475 children.",
            short="SRC",
        ),
        "sources/other.md": source_file(
            "The only paragraph.",
            title='"Another headline"',
            outlet="Other Outlet",
            published="2019-09",
            url="https://example.org/other",
        ),
        "explainers/short.md": explainer_file(
            'One [@src, "with 1,475 children"]. Two [@src, "First paragraph"]. Three [@other].',
            title="A short explainer",
        ),
    }
    result = build_site(files, SITEURL=SMALL_SITEURL, HANDOUTS={"enabled": True, "sizes": ["a4"]})
    assert result.error is None, result.messages
    handout = BeautifulSoup(handout_html[0], "html.parser")
    notes = [" ".join(li.get_text().split()) for li in handout.select(".print-notes li")]
    assert notes == ["SRC ¶2 with 1,475 children", "SRC ¶1 First paragraph", "Other Outlet"]
    assert [a["href"] for a in handout.select(".print-notes li a")] == ["#src-src"] * 2 + [
        "#src-other"
    ]
    sources = [" ".join(li.get_text().split()) for li in handout.select(".print-sources li")]
    assert sources == [
        "SRC: A. Writer, “A headline”, The Outlet, 29 May 2018. https://example.org/article · "
        f"Our copy, with ¶ numbers: {SMALL_SITEURL}/sources/src/",
        "Other Outlet: A. Writer, “Another headline”, Other Outlet, September 2019. "
        f"https://example.org/other · Our copy, with ¶ numbers: {SMALL_SITEURL}/sources/other/",
    ]
    assert handout.select_one("#src-src") is not None
    assert handout.get_text().count("https://example.org/article") == 1


def test_off_by_default(build_site: Any) -> None:
    result = build_site(small_site())
    assert result.error is None, result.messages
    assert not (result.output / "handouts").exists()
    assert result.html("short/index.html").select_one("p.handout-link") is None


def test_missing_weasyprint_skips_pdfs_with_one_warning(
    build_site: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now fails
    result = build_site(small_site(), SITEURL=SMALL_SITEURL, HANDOUTS={"enabled": True})
    assert result.error is None, result.messages
    warnings = [m for m in result.messages if "handouts.unavailable" in m]
    assert len(warnings) == 1 and "PDF handouts skipped" in warnings[0]
    assert not (result.output / "handouts").exists()
    assert result.html("short/index.html").select_one("p.handout-link") is None


def test_wrong_settings_are_reported(build_site: Any) -> None:
    result = build_site(small_site(), HANDOUTS={"enabled": True, "size": ["a4"], "sizes": ["a3"]})
    assert result.error is not None
    reported = [m for m in result.messages if "[handouts.settings]" in m]
    assert len(reported) == 2, result.messages
    assert any(
        m.startswith("ERROR: pelicanconf.py: unknown HANDOUTS key 'size'; did you mean 'sizes'?")
        for m in reported
    )
    assert any(
        "HANDOUTS['sizes'] = ['a3'] is not valid" in m and "letter, a4" in m for m in reported
    )


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    """One explainer of many short sections: five pages of A4, headings all down the pages."""
    root = tmp_path_factory.mktemp("long")
    sentence = "The second paragraph of the source is cited here again for length [@src]. "
    body = "\n\n".join(
        f"## Section {n}\n\nPart {n} says that some children were counted "
        f'[@src, "with 1,475 children"]. ' + sentence * (n % 7)
        for n in range(1, 60)
    )
    write_files(root / "content", small_site(body))
    return run_build(
        root / "content",
        root / "output",
        SITEURL=SMALL_SITEURL,
        HANDOUTS={"enabled": True, "sizes": ["a4"], "max_pages": 1, "pages": ["no-such-page"]},
    )


def test_over_budget_explainer_is_a_warning(long_site: SiteBuild) -> None:
    assert long_site.error is None, long_site.messages
    assert any(
        m.startswith("WARNING: explainers/short.md: the printed handout has")
        and "the budget is 1" in m
        and "[handouts.too-long]" in m
        for m in long_site.messages
    )
    link = long_site.html("short/index.html").select_one("p.handout-link a")
    assert link["href"].endswith("/handouts/short-a4.pdf")  # relative URLs in local builds
    assert page_count(long_site.output / "handouts" / "short-a4.pdf") >= 4
    assert (
        "WARNING: pelicanconf.py: HANDOUTS pages: no published page 'no-such-page' "
        "[handouts.settings]" in long_site.messages
    )


@needs_poppler
def test_headings_stay_with_their_text(long_site: SiteBuild) -> None:
    pdf = long_site.output / "handouts" / "short-a4.pdf"
    width = float(PdfReader(pdf).pages[0].mediabox.width)
    pages = pdf_blocks(pdf)
    ends = [line.text for page in pages[:-1] for line in _column_ends(page, width)]
    assert len(ends) >= 6  # two columns a page, on three pages or more
    assert [line for line in ends if re.fullmatch(r"Section \d+", line)] == []


def _png(width: int, height: int) -> bytes:
    """A small grey PNG, made here so the test needs no image files."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x00\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_images_print_from_the_site_files_offline(build_site: Any) -> None:
    files: dict[str, str | bytes] = {
        **small_site(
            "![A grey box]({static}/images/box.png)\n\n"
            'Some were counted [@src, "with 1,475 children"].'
        ),
        "images/box.png": _png(40, 20),
    }
    records = _Records()
    logging.getLogger("weasyprint").addHandler(records)
    try:
        result = build_site(
            files,
            SITEURL=SMALL_SITEURL,
            RELATIVE_URLS=False,
            HANDOUTS={"enabled": True, "sizes": ["a4"]},
        )
    finally:
        logging.getLogger("weasyprint").removeHandler(records)
    assert result.error is None, result.messages
    assert records.messages == []  # fetched from content/images, not from the web
    page = PdfReader(result.output / "handouts" / "short-a4.pdf").pages[0]
    assert [image.image.size for image in page.images] == [(40, 20)]
