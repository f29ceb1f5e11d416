"""Make the handouts before pages are written (their links give page counts); write PDFs after."""

from __future__ import annotations

import datetime
import logging
import time
from pathlib import Path
from typing import Any

from pelican.contents import Article
from pelican.generators import Generator, PelicanTemplateNotFound

from handouts.model import Handout, HandoutFile
from handouts.options import PAPER, handout_options
from handouts.render import HandoutsUnavailable, Renderer, load_weasyprint, qr_data_uri
from sitemodel import build_of, contents_of, i18n
from sitemodel.settings import settings_file

logger = logging.getLogger("explainer")


def prepare_handouts(generators: list[Any]) -> None:
    """Render the PDFs once every page is rendered to HTML (mdreader's receiver runs first)."""
    maker = next((g for g in generators if isinstance(g, HandoutGenerator)), None)
    if maker is not None:
        maker.prepare(generators)


class HandoutGenerator(Generator):  # type: ignore[misc]
    """Holds this build's handouts; writes them into the (staging) output with the other files."""

    def generate_context(self) -> None:
        self.handouts: list[Handout] = []

    def prepare(self, generators: list[Any]) -> None:
        build = build_of(self.context)
        options = handout_options(self.settings)
        if not options["enabled"] or build.problems.errors:
            return  # with content errors the build fails anyway: do not spend time on PDFs
        try:
            weasyprint = load_weasyprint()
        except HandoutsUnavailable as error:
            logger.warning(
                "PDF handouts skipped: WeasyPrint cannot be loaded (%s); install Pango "
                "(Debian: libpango-1.0-0 libpangoft2-1.0-0) [handouts.unavailable]",
                error,
            )
            return
        stylesheet = self._stylesheet(options["stylesheet"])
        try:
            template = self.get_template(options["template"])
        except PelicanTemplateNotFound:
            template = None
        if stylesheet is None or template is None:
            logger.warning(
                "PDF handouts skipped: the theme needs templates/%s.html and static/%s "
                "[handouts.theme]",
                options["template"],
                options["stylesheet"],
            )
            return
        started = time.perf_counter()
        siteurl = _absolute_siteurl(self.settings.get("SITEURL", ""))
        if not siteurl:
            logger.warning(
                "PDF handouts have no web address or QR code: SITEURL is not an "
                "absolute URL [handouts.siteurl]"
            )
        renderer = Renderer(weasyprint, stylesheet, self._local_files(siteurl))
        items = self._items(generators, options["pages"], build.problems)
        latest = max((a.date for a in self.context.get("articles", [])), default=None)
        for item in items:
            handout = self._make(item, template, renderer, siteurl, latest, options)
            item.handout = handout
            self.handouts.append(handout)
            longest = max(handout.files, key=lambda f: f.pages)
            translated = any(note.translation for note in getattr(item, "notes", []))
            budget = int(options["max_pages_translated" if translated else "max_pages"])
            if isinstance(item, Article) and longest.pages > budget:
                build.problems.add(
                    item.get_relative_source_path(),
                    0,
                    f"the printed handout has {longest.pages} pages on {longest.label} paper; "
                    f"the budget is {budget}: shorten the text",
                    "handouts.too-long",
                    "warning",
                )
        logger.info(
            "handouts: %d PDF(s) in %.1f s",
            sum(len(h.files) for h in self.handouts),
            time.perf_counter() - started,
        )

    def _make(
        self,
        item: Any,
        template: Any,
        renderer: Renderer,
        siteurl: str,
        latest: datetime.datetime | None,
        options: dict[str, Any],
    ) -> Handout:
        page_url = f"{siteurl}/{item.url}" if siteurl else ""
        as_of = getattr(item, "modified", None) or getattr(item, "date", None) or latest
        lang = i18n.content_language(item, self.settings)
        gettext = i18n.translations(self.settings, lang).ugettext
        content = item.get_content(siteurl) if siteurl else item.content
        html = template.render(
            {
                **self.context,
                "SITEURL": siteurl,
                "item": item,
                "content": content,
                "page_url": page_url,
                "qr": qr_data_uri(page_url) if page_url else "",
                "as_of": i18n.date_text(as_of, lang, gettext) if as_of else "",
            }
        )
        handout = Handout(item.slug, page_url)
        # a translation's handouts in a folder of its language: handouts/es/<slug>-a4.pdf
        folder = options["path"].strip("/")
        if lang != i18n.default_language(self.settings):
            folder = f"{folder}/{lang}"
        for size in options["sizes"]:
            pages, data = renderer.render(html, size, page_url)
            url = f"{folder}/{item.slug}-{size}.pdf"
            handout.files.append(HandoutFile(size, PAPER[size][1], url, pages, data))
        return handout

    def _items(self, generators: list[Any], slugs: list[str], problems: Any) -> list[Any]:
        """Every published explainer, then the pages named in the setting, in its order; each
        followed by its published translations."""
        articles = list(self.context.get("articles", []))
        default = i18n.default_language(self.settings)
        by_slug = {
            c.slug: c
            for c in contents_of(generators)
            if not isinstance(c, Article)
            and c.status == "published"
            and i18n.content_language(c, self.settings) == default
        }
        for slug in slugs:
            if slug not in by_slug:
                problems.add(
                    settings_file(self.settings),
                    0,
                    f"HANDOUTS pages: no published page '{slug}'",
                    "handouts.settings",
                    "warning",
                    in_content=False,
                )
        originals = sorted(articles, key=lambda a: a.slug) + [
            by_slug[s] for s in slugs if s in by_slug
        ]
        return [
            version
            for item in originals
            for version in [item, *sorted(_translations(item), key=lambda t: str(t.lang))]
        ]

    def _stylesheet(self, relpath: str) -> Path | None:
        for folder in self.settings.get("THEME_STATIC_PATHS", ["static"]):
            path = Path(self.theme, folder, relpath)
            if path.is_file():
                return path
        return None

    def _local_files(self, siteurl: str) -> dict[str, Path]:
        """The site's static files by web address, so images print without going online."""
        if not siteurl:
            return {}
        return {
            f"{siteurl}/{static.url}": Path(static.source_path)
            for static in self.context.get("static_content", {}).values()
            if getattr(static, "url", None)
        }

    def generate_output(self, writer: Any) -> None:
        output = Path(self.output_path)
        for handout in self.handouts:
            for file in handout.files:
                target = output / file.url
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.data)


def _translations(item: Any) -> list[Any]:
    return [
        t
        for t in getattr(item, "translations", None) or []
        if getattr(t, "status", "") == "published"
    ]


def _absolute_siteurl(siteurl: str) -> str:
    siteurl = siteurl.rstrip("/")
    return siteurl if siteurl.startswith(("https://", "http://")) else ""
