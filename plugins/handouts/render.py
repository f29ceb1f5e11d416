"""Print HTML to PDF with WeasyPrint, offline and byte-for-byte repeatable."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

import segno

from handouts.options import PAPER


class HandoutsUnavailable(Exception):
    """WeasyPrint (or the Pango library under it) cannot be loaded on this machine."""


def load_weasyprint() -> Any:
    """The weasyprint module, or HandoutsUnavailable saying why not."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango or another system library missing
        reason = str(error).splitlines()[0] if str(error) else repr(error)
        raise HandoutsUnavailable(reason) from error
    _tables_span_columns()
    return weasyprint


def _tables_span_columns() -> None:
    """Let `column-span: all` on a table span the text's two columns, as browsers do.

    WeasyPrint 70 moves margins and floats from a table to the box around it but leaves
    `column-span` on the inner box, where its column layout never looks (Kozea/WeasyPrint#980).
    """
    from weasyprint.css import properties

    properties.TABLE_WRAPPER_BOX_PROPERTIES.add("column_span")


def qr_data_uri(url: str) -> str:
    """An SVG QR code of `url` as a data: URI, modules only (the quiet zone is CSS padding)."""
    return str(segno.make(url, error="m").svg_data_uri(border=0, dark="#000", light=None))


class Renderer:
    """Renders handouts for one build: the stylesheet and fonts are loaded once for all of them."""

    def __init__(self, weasyprint: Any, stylesheet: Path, local_files: dict[str, Path]) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        self._fonts = FontConfiguration()
        self._fetcher = _local_fetcher(weasyprint, local_files)
        self._stylesheet = weasyprint.CSS(
            filename=str(stylesheet), font_config=self._fonts, url_fetcher=self._fetcher
        )
        self._sizes = {
            name: weasyprint.CSS(string=f"@page {{ size: {css} }}", font_config=self._fonts)
            for name, (css, _label) in PAPER.items()
        }

    def render(self, html: str, size: str, base_url: str) -> tuple[int, bytes]:
        """(number of pages, PDF bytes) of one handout on one paper size."""
        document = self._weasyprint.HTML(
            string=html, base_url=base_url or None, url_fetcher=self._fetcher
        ).render(stylesheets=[self._stylesheet, self._sizes[size]], font_config=self._fonts)
        # Tagged for screen readers (PDF/UA-1: structure, language, title, alt text). No
        # identifier and no dates (none in the HTML): the same page gives the same bytes.
        data = document.write_pdf(pdf_identifier=False, pdf_variant="pdf/ua-1")
        return len(document.pages), bytes(data)


def _local_fetcher(weasyprint: Any, local_files: dict[str, Path]) -> Any:
    """A URL fetcher that reads the site's own files from disk and never goes online."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = local_files.get(url.split("#", 1)[0].split("?", 1)[0])
            if path is None:
                raise ValueError(f"handouts are built offline; not fetching {url}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return LocalFetcher(allowed_protocols=("data",))
