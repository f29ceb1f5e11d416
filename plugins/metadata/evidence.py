"""`evidence.json`: every page's notes and the passages they cite, for tools to read.

Each citation carries a W3C TextQuote selector (the exact words with some context before and
after), so `explainer diff` and later tools (link-rot and quote-drift checks) read records, not
the HTML of the notes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from sitemodel.evidence import Note

MANIFEST_VERSION = 1


def manifest(pages: list[Any], source_urls: dict[str, str]) -> dict[str, Any]:
    """Every page with notes, by the file it is written to; every cited source once."""
    records: dict[str, Any] = {}
    sources: dict[str, Any] = {}
    for page in sorted(pages, key=lambda p: str(p.save_as)):
        notes: list[Note] = list(getattr(page, "notes", None) or [])
        if not notes:
            continue
        records[str(page.save_as)] = {
            "title": str(page.title),
            "url": str(page.url),
            "notes": [note.record() for note in notes],
        }
        for note in notes:
            source = note.source
            sources[source.id] = {
                "title": source.title,
                "outlet": source.outlet,
                "authors": list(source.authors),
                "date": source.date_iso,
                "date_text": source.date_text,
                "url": source.url,
                "archived": source.archived,
                "page": source_urls.get(source.id, ""),
            }
    return {
        "version": MANIFEST_VERSION,
        "pages": records,
        "sources": dict(sorted(sources.items())),
    }


class EvidenceGenerator(Generator):  # type: ignore[misc]
    """Writes the evidence manifest beside the pages (see `METADATA['evidence']`)."""

    def generate_output(self, writer: Any) -> None:
        from metadata.pages import metadata_settings

        name = metadata_settings(self.settings)["evidence"]
        if not name:
            return
        pages = list(self.context.get("articles", [])) + list(self.context.get("pages", []))
        if self.context.get("glossary_page") is not None:
            pages.append(self.context["glossary_page"])
        # and every page's published translations (Pelican lists them on the original only)
        pages += [
            translation
            for page in list(pages)
            for translation in getattr(page, "translations", None) or []
            if translation.status == "published"
        ]
        source_urls = {
            page.source.id: str(page.url) for page in self.context.get("source_pages", [])
        }
        data = manifest(pages, source_urls)
        path = Path(self.output_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
            encoding="utf-8",
        )
