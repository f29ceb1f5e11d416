"""The pages a language gets besides its translations: its home page and its Atom feed."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from i18n.languages import LANGUAGES_KEY, SiteLanguages


class LanguageHomesGenerator(Generator):  # type: ignore[misc]
    """Writes `/<lang>/` (the theme's `index` template, listing that language's explainers)
    and, when I18N["feed"] is set, `feeds/explainers.<lang>.atom.xml`."""

    def generate_output(self, writer: Any) -> None:
        site = self.context.get(LANGUAGES_KEY)
        if not isinstance(site, SiteLanguages):
            return
        for lang in site.languages[1:]:
            articles = sorted(site.articles.get(lang, []), key=lambda a: a.slug)
            if not articles:
                continue
            home = site.prefix(lang)
            writer.write_file(
                f"{home}index.html",
                self.get_template("index"),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=home,
                page_lang=lang,
                articles=articles,
            )
            if site.feed:
                path = site.feed.format(lang=lang)
                newest = sorted(articles, key=lambda a: (a.date, a.slug), reverse=True)
                # Pelican titles a feed "SITENAME - feed_title": the site's name in `lang` alone
                title = site.sitenames.get(lang) or self.settings.get("SITENAME")
                writer.write_feed(newest, {**self.context, "SITENAME": title}, path)
