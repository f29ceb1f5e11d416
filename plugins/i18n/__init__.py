"""The site in several languages: theme strings per page language, language homes and feeds.

A page in another language is a Pelican translation (same file name, `lang: es`, published at
`/es/<slug>/`); this plugin gives its templates the theme's strings and dates in its language
(`jinja.py`), links every version of a page to the others, and writes each language's home
page and feed (`pages.py`).
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from i18n.jinja import install
from i18n.languages import LANGUAGES_KEY, SiteLanguages, collect_languages, version
from i18n.pages import LanguageHomesGenerator
from sitemodel.i18n import page_language
from sitemodel.phases import connect_phases, documents_checked

__all__ = ["LANGUAGES_KEY", "SiteLanguages", "page_language", "register", "version"]


def install_gettext(generator: Any) -> None:
    install(generator.env)


def get_generators(pelican: Any) -> type[LanguageHomesGenerator]:
    return LanguageHomesGenerator


_SIGNAL_HANDLERS = (
    # each generator's Jinja environment, before it loads a template
    (signals.generator_init, install_gettext),
    (signals.get_generators, get_generators),
    # every page is resolved (its translations known) and none is rendered yet
    (documents_checked, collect_languages),
)


def register() -> None:
    connect_phases()
    for signal, handler in _SIGNAL_HANDLERS:
        signal.connect(handler)
