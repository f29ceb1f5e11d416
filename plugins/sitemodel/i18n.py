"""The languages a site is written in: the theme's catalogs, each page's language, its dates.

The theme's strings are translated with Babel catalogs (`theme/translations/<lang>/LC_MESSAGES/
messages.po`), read straight from the `.po` files when a build starts: a translator's edit shows
in the next build, with no compiled file to forget. Dates are written with CLDR patterns that
are themselves theme strings ("d MMMM y" becomes "d 'de' MMMM 'de' y" in Spanish), so a
language brings its own date order and month names.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

CATALOG_FOLDER = "translations"  # in the theme
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "extract, translate later")
    """Marks a theme string in Python code for `pybabel extract`; translated where it is shown."""
    return message


# Translators: CLDR date patterns (https://cldr.unicode.org/translation/date-time):
# d day, MMMM month name, y year; words in single quotes stay as written.
DAY_PATTERN = N_("d MMMM y")
MONTH_PATTERN = N_("MMMM y")
YEAR_PATTERN = N_("y")
PATTERNS = {"day": DAY_PATTERN, "month": MONTH_PATTERN, "year": YEAR_PATTERN}


def catalog_folder(settings: dict[str, Any]) -> Path:
    return Path(str(settings.get("THEME", ""))) / CATALOG_FOLDER


def default_language(settings: dict[str, Any]) -> str:
    return str(settings.get("DEFAULT_LANG") or "en")


def theme_languages(settings: dict[str, Any]) -> list[str]:
    """The site's default language, then every language the theme has a catalog for."""
    folder = catalog_folder(settings)
    found = sorted(
        path.parent.parent.name
        for path in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
        if path.is_file() and not path.is_symlink()
    )
    default = default_language(settings)
    return [default] + [lang for lang in found if lang != default]


def translations(settings: dict[str, Any], lang: str) -> NullTranslations:
    """The theme's strings in `lang` (the msgids themselves for the default language)."""
    if lang == default_language(settings):
        return _UNTRANSLATED
    return _load(str(catalog_folder(settings)), lang)


_UNTRANSLATED = NullTranslations()  # the site's own language: every msgid as it is


@functools.cache
def _load_cached(folder: str, lang: str, stamp: tuple[int, int]) -> NullTranslations:
    path = Path(folder) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as `pybabel compile` does
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _load(folder: str, lang: str) -> NullTranslations:
    path = Path(folder) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file() or path.is_symlink():
        return NullTranslations()
    stat = path.stat()
    return _load_cached(folder, lang, (stat.st_mtime_ns, stat.st_size))


def catalogs_version(settings: dict[str, Any]) -> str:
    """A digest of every catalog: pages rendered with another version are rendered again."""
    digest = hashlib.sha256()
    for path in sorted(catalog_folder(settings).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        digest.update(path.parent.parent.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


_PAGE_VARIABLES = ("article", "page", "item")  # what Pelican, our generators and handouts pass


def page_language(variables: Any) -> str:
    """The language of the page rendered with these template variables (a dict or a Jinja
    context): `page_lang` when the writer gave it, else the page's or article's `lang`."""
    lang = variables.get("page_lang")
    if lang:
        return str(lang)
    for name in _PAGE_VARIABLES:
        content = variables.get(name)
        if content is not None and getattr(content, "lang", None):
            return str(content.lang)
    return str(variables.get("DEFAULT_LANG") or "en")


PAGE_TRANSLATIONS = "page_translations"  # a render's catalog, looked up once per page


def _context_translations(context: Context) -> NullTranslations:
    found = context.get(PAGE_TRANSLATIONS)
    if isinstance(found, NullTranslations):
        return found
    settings = {"THEME": context.get("THEME", ""), "DEFAULT_LANG": context.get("DEFAULT_LANG")}
    return translations(settings, page_language(context))


@pass_context
def gettext(context: Context, message: str) -> str:
    """`_()` in templates: the string in the language of the page being rendered."""
    return str(_context_translations(context).ugettext(message))


@pass_context
def ngettext(context: Context, singular: str, plural: str, number: int) -> str:
    return str(_context_translations(context).ungettext(singular, plural, number))


def _gettext_of(context: Context) -> Callable[[str], str]:
    return _context_translations(context).ugettext


@pass_context
def date_filter(context: Context, day: Any) -> Markup:
    """`{{ article.date | date_text }}`: 29 May 2018, 29 de mayo de 2018."""
    return Markup.escape(date_text(day, page_language(context), _gettext_of(context)))


@pass_context
def source_date_filter(context: Context, source: Any, estimated: bool = True) -> Markup:
    """`{{ source | source_date }}`: September 2019 (estimated), septiembre de 2019 (estimada)."""
    text = source_date_text(source, page_language(context), _gettext_of(context), estimated)
    return Markup.escape(text)


@pass_context
def other_language(context: Context, lang: Any) -> Markup:
    """` hreflang="en"` on a link to a page in another language than this page's."""
    if not lang or str(lang) == page_language(context):
        return Markup("")
    return Markup(' hreflang="{}"').format(lang)


@pass_context
def text_language(context: Context, lang: Any) -> Markup:
    """` lang="en"` on text in another language than this page's (a title, a summary)."""
    if not lang or str(lang) == page_language(context):
        return Markup("")
    return Markup(' lang="{}"').format(lang)


def install_gettext(environment: Any) -> None:
    """`_()`, `ngettext()`, `{% trans %}`, dates and language marks in an environment's
    templates, in each page's language (the render's `page_lang`, `THEME`, `DEFAULT_LANG`)."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)
    environment.filters["date_text"] = date_filter
    environment.filters["source_date"] = source_date_filter
    environment.filters["language_name"] = language_name
    environment.globals["other_language"] = other_language
    environment.globals["text_language"] = text_language


def translated_languages(context: dict[str, Any]) -> list[str]:
    """The languages, besides the default, that published explainers or pages exist in."""
    originals = [*context.get("articles", []), *context.get("pages", [])]
    return sorted(
        {
            str(t.lang)
            for content in originals
            for t in getattr(content, "translations", None) or []
            if getattr(t, "status", "") == "published"
        }
        - {default_language(context)}
    )


def content_language(content: Any, settings: dict[str, Any]) -> str:
    """A page's language: its `lang:` field, else the site's."""
    return str(getattr(content, "lang", None) or default_language(settings))


def language_name(lang: str, in_lang: str = "") -> str:
    """A language's name: in its own language and capitalised, as a reader looks for it in a
    switcher ("English", "Español"), or as a sentence in `in_lang` writes it ("inglés")."""
    try:
        name = str(_locale(lang, strict=True).get_display_name(_locale(in_lang or lang)))
    except (ValueError, UnknownLocaleError):
        return lang
    return name[:1].upper() + name[1:] if not in_lang else name


def _locale(lang: str, strict: bool = False) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        if strict:
            raise
        return Locale.parse("en")


def date_text(
    day: datetime.date, lang: str, gettext: Callable[[str], str], precision: str = "day"
) -> str:
    """A date as the page's language writes it, at the precision that is known."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return str(format_date(day, gettext(PATTERNS[precision]), locale=_locale(lang)))


def source_date_text(
    source: Any, lang: str, gettext: Callable[[str], str], estimated: bool = True
) -> str:
    """A source's date: "29 May 2018", "September 2019 (estimated)"; never an unknown day."""
    text = date_text(source.published, lang, gettext, source.date_precision)
    if estimated and source.date_estimated:
        return gettext(N_("%(date)s (estimated)")) % {"date": text}
    return text
