"""The few theme words crosslinks writes into pages itself, in the page's language.

A glossary page's title, "Also called:", "Used in:" and the mark after a link to a page in
another language are made in Python, not in a template, so they are marked with `N_` for
`make translations` and looked up in the theme's catalogs here (`sitemodel.i18n`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sitemodel.i18n import N_, language_name, translations

GLOSSARY_TITLE = N_("Glossary")
GLOSSARY_SUMMARY = N_("The terms, agencies and laws the explainers use, with their sources.")
ALSO_CALLED = N_("Also called:")
USED_IN = N_("Used in:")
# Translators: after a link to a page in another language than this page's: "(English)"
OTHER_LANGUAGE = N_("(%(language)s)")


def words_for(settings: dict[str, Any], lang: str) -> Callable[[str], str]:
    """gettext in `lang` (the words as written for the site's own language)."""
    return translations(settings, lang or str(settings.get("DEFAULT_LANG") or "en")).gettext


def other_language_mark(settings: dict[str, Any], lang: str, in_lang: str) -> str:
    """The mark after a link to a page in `lang` on a page in `in_lang`: "(inglés)"."""
    return words_for(settings, in_lang)(OTHER_LANGUAGE) % {"language": language_name(lang, in_lang)}
