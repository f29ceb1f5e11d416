"""Theme strings in each page's language, from one Jinja environment per generator.

Pelican renders every page of a generator with one environment, so the language cannot be
installed once: `gettext` and `ngettext` are context functions that read the language of the
page being rendered (`page_lang`). `LanguageTemplate.render` sets it, from the page or article
rendered (or `page_lang` given by the generator writing the page), together with what changes
with it: the site's name, the page lists of the menu in that language, and the page's other
language versions (`page_alternates`) for the switcher and the `hreflang` links.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Template

from i18n.languages import LANGUAGES_KEY, SiteLanguages
from sitemodel import i18n
from sitemodel.i18n import page_language


class LanguageTemplate(Template):
    """A template that knows, at each render, which language the page is in."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        variables = dict(*args, **kwargs)
        languages = variables.get(LANGUAGES_KEY)
        lang = page_language(variables)
        variables["page_lang"] = lang
        variables[i18n.PAGE_TRANSLATIONS] = i18n.translations(variables, lang)
        if isinstance(languages, SiteLanguages):
            variables.update(languages.page_variables(variables, lang))
        return super().render(variables)


def install(environment: Any) -> None:
    """Give a generator's Jinja environment gettext, the date filters and language templates."""
    i18n.install_gettext(environment)
    environment.template_class = LanguageTemplate
