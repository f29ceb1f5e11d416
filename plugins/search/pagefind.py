"""The search page and the Pagefind run, both only when SEARCH["enabled"] is true."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from search.stable import UnstableIndex, stabilise_bundle
from sitemodel.i18n import default_language, translated_languages
from sitemodel.settings import Option, declare, plugin_options

logger = logging.getLogger("explainer")

declare(
    "SEARCH",
    {
        "enabled": Option(False),
        "url": Option("search/"),
        "save_as": Option("search/index.html", lambda v: bool(v.strip("/")), "a file path"),
        # folder of the index, relative to the output
        "bundle": Option("pagefind", lambda v: bool(v.strip("/")), "a folder name"),
        # Not worth finding, and no excerpt should quote them: note numbers, the notes and
        # their sources (the source pages hold those words), lists of other pages' titles
        # (a page's links, a glossary term's "Used in") and print-only lines. Filters inside
        # them still count.
        "exclude": Option(
            [
                "sup.citation",
                "sup.footnote-ref",
                ".citation-notes",
                ".footnotes",
                ".source-list",
                ".page-links",
                ".used-in",
                ".print-only",
            ],
            lambda v: all(isinstance(item, str) for item in v),
            "a list of CSS selectors",
        ),
    },
)


class SearchIndexFailed(Exception):
    """Pagefind could not index the site: a production build must not ship without search."""

    exitcode = 1


def search_settings(settings: dict[str, Any]) -> dict[str, Any]:
    return plugin_options(settings, "SEARCH")


class SearchPageGenerator(Generator):  # type: ignore[misc]
    """Checks the SEARCH setting and writes the search page from the theme's `search` template."""

    def generate_output(self, writer: Any) -> None:
        options = search_settings(self.settings)
        if not options["enabled"]:
            return
        # one search page per language: Pagefind indexes each page under its <html lang>, and
        # a search page finds the pages in its own language (/es/search/ the Spanish ones)
        languages = [default_language(self.context), *translated_languages(self.context)]
        prefixes = {lang: "" if i == 0 else f"{lang}/" for i, lang in enumerate(languages)}
        versions = [(lang, prefix + options["url"]) for lang, prefix in prefixes.items()]
        for lang, prefix in prefixes.items():
            writer.write_file(
                prefix + options["save_as"],
                self.get_template("search"),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=prefix + options["url"],
                search_page=prefix + options["url"],
                search_bundle=options["bundle"].strip("/") + "/",
                page_lang=lang,
                page_alternates=versions if len(versions) > 1 else [],
            )


def pagefind_command(site: Path, options: dict[str, Any]) -> list[str]:
    """Pagefind from the wheel in this environment (`python -m pagefind`), quiet unless broken."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-subdir",
        str(options["bundle"]).strip("/"),
        "--silent",
    ]
    for selector in options["exclude"]:
        command += ["--exclude-selectors", selector]
    return command


def build_index(pelican: Any, build: Any = None) -> None:
    """Index the written site in place (the staging folder while sitecheck has not published)."""
    options = search_settings(pelican.settings)
    if not options["enabled"]:
        return
    site = Path(pelican.output_path)
    try:
        result = subprocess.run(
            pagefind_command(site, options),
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise SearchIndexFailed(f"cannot run Pagefind: {error}") from error
    if result.returncode != 0:
        for line in (result.stderr or result.stdout).strip().splitlines():
            logger.error("pagefind: %s [search.pagefind]", line)
        raise SearchIndexFailed(f"Pagefind failed with exit status {result.returncode}")
    try:
        stabilise_bundle(site / str(options["bundle"]).strip("/"))
    except (UnstableIndex, OSError, ValueError, KeyError) as error:
        # Search still works; only byte-identical rebuilds are lost, and the tests say so.
        logger.warning("pagefind: cannot make the index byte-stable: %s [search.unstable]", error)
