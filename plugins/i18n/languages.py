"""What the site has in each language: pages, their other-language versions, homes, feeds.

A translation is a Pelican translation (same slug, `lang: es`); Pelican keeps it out of
`articles` and `pages` and lists it in each version's `translations`. Built once every page
is resolved (phase "checked"), kept in the context for the templates (see `jinja.py`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from pelican.contents import Article

from sitemodel import ProblemLog, build_of, contents_of
from sitemodel.i18n import default_language, theme_languages
from sitemodel.settings import Option, declare, plugin_options

LANGUAGES_KEY = "EXPLAINER_LANGUAGES"

declare(
    "I18N",
    {
        # the site's name in other languages: {"es": "..."}; SITENAME where none is given
        "sitename": Option({}, lambda v: all(isinstance(n, str) for n in v.values()), "a dict"),
        # the Atom feed of each language but the default one ("" for none; publishconf.py)
        "feed": Option("", lambda v: not v or "{lang}" in v, "a path with {lang}, or ''"),
    },
)


def i18n_options(settings: dict[str, Any]) -> dict[str, Any]:
    return plugin_options(settings, "I18N")


@dataclass
class SiteLanguages:
    """Every language the site is written in, and each page's versions in the others."""

    default: str
    languages: list[str]  # the default first, then those with translated pages
    sitenames: dict[str, str]
    feed: str
    # output file -> [(lang, url)] of every version of that page, the default first
    alternates: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # lang -> the published translations in it, explainers and pages
    articles: dict[str, list[Any]] = field(default_factory=dict)
    pages: dict[str, list[Any]] = field(default_factory=dict)

    def prefix(self, lang: str) -> str:
        """Where a language's pages live: '' for the default language, 'es/' for Spanish."""
        return "" if lang == self.default else f"{lang}/"

    def page_variables(self, variables: dict[str, Any], lang: str) -> dict[str, Any]:
        """What a template sees differently on a page in `lang`."""
        has_home = lang == self.default or bool(self.articles.get(lang))
        found: dict[str, Any] = {
            "lang_prefix": self.prefix(lang),  # its search page
            "home_url": self.prefix(lang) if has_home else "",
            # a generator may give a page's versions itself (the search pages do)
            "page_alternates": self.alternates.get(
                str(variables.get("output_file", "")), variables.get("page_alternates") or []
            ),
        }
        if lang == self.default:
            return found
        found["SITENAME"] = self.sitenames.get(lang) or variables.get("SITENAME", "")
        found["page_feed"] = self.feed.format(lang=lang) if self.feed else ""
        found["pages"] = [version(p, lang) for p in variables.get("pages") or []]
        glossary = variables.get("glossary_page")
        if glossary is not None:
            found["glossary_page"] = version(glossary, lang)
        return found

    def add_alternates(self, versions: list[tuple[str, str, str]]) -> None:
        """Record (lang, output file, url) versions of one page, if there are several."""
        if len(versions) < 2:
            return
        order = {lang: i for i, lang in enumerate(self.languages)}
        ranked = sorted(versions, key=lambda v: (order.get(v[0], len(order)), v[0]))
        pairs = [(lang, url) for lang, _save_as, url in ranked]
        for _lang, save_as, _url in versions:
            self.alternates[save_as] = pairs


def version(content: Any, lang: str) -> Any:
    """The content's version in `lang`, or the content itself when it has none."""
    if getattr(content, "lang", None) == lang:
        return content
    for other in getattr(content, "translations", None) or []:
        if other.lang == lang and getattr(other, "status", "published") == "published":
            return other
    return content


def collect_languages(generators: list[Any]) -> None:
    """Phase "checked": the site's languages, each page's versions, and what is wrong."""
    if not generators:
        return
    context = generators[0].context
    problems = build_of(context).problems
    default = default_language(context)
    known = theme_languages(context)
    options = i18n_options(context)
    contents = [
        c
        for c in contents_of(generators)
        if getattr(c, "save_as", "") and getattr(c, "status", "") == "published"
    ]
    check_languages(contents, context, known, problems)
    used = {str(getattr(c, "lang", default)) for c in contents} & set(known)
    languages = [default] + sorted(used - {default})
    site = SiteLanguages(default, languages, dict(options["sitename"]), str(options["feed"]))
    for content in contents:
        lang = str(getattr(content, "lang", default))
        if lang == default or lang not in used:
            continue
        kind = site.articles if isinstance(content, Article) else site.pages
        kind.setdefault(lang, []).append(content)
        translations = getattr(content, "translations", None) or []
        original = next((t for t in translations if t.lang == default), None)
        if original is not None:
            versions = [(default, original.save_as, original.url)] + [
                (t.lang, t.save_as, t.url)
                for t in original.translations
                if t.status == "published" and t.save_as
            ]
            site.add_alternates(versions)
    for lang in languages[1:]:
        if site.articles.get(lang):
            site.add_alternates(
                [(default, "index.html", ""), (lang, f"{lang}/index.html", f"{lang}/")]
            )
    context[LANGUAGES_KEY] = site


def check_languages(
    contents: list[Any], context: dict[str, Any], known: list[str], problems: ProblemLog
) -> None:
    """A page's language must be one the theme speaks; a translation needs its original."""
    default = default_language(context)
    root = str(context.get("PATH", ""))
    others = set(known) - {default}
    for content in contents:
        relpath = os.path.relpath(str(content.source_path), root).replace(os.sep, "/")
        if not relpath.endswith((".md", ".markdown")) or not hasattr(content, "markdown_document"):
            continue  # the glossary and other generated pages say their language themselves
        lang = str(getattr(content, "lang", default))
        lines = content.markdown_document.env.get("front_matter_lines", {})
        line = int(lines.get("lang", 1))
        folder = next((part for part in relpath.split("/")[:-1] if part in others), None)
        if lang not in known:
            problems.add(
                relpath,
                line,
                f"'lang: {lang}': the theme has no strings in that language"
                f" (theme/translations/{lang}/LC_MESSAGES/messages.po); languages: "
                + ", ".join(known),
                "i18n.language",
            )
        elif folder and lang != folder:
            problems.add(
                relpath,
                line,
                f"a file in a '{folder}/' folder is a translation: add 'lang: {folder}'"
                " to its front matter",
                "i18n.folder",
            )
        elif lang != default and not any(
            t.lang == default for t in getattr(content, "translations", [])
        ):
            slug = getattr(content, "slug", "")
            problems.add(
                relpath,
                line,
                f"a translation needs the page it translates: no page '{slug}' in '{default}'"
                " (the translation's file name must be the original's)",
                "i18n.no-original",
            )
