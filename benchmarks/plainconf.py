"""Plain Pelican for the baseline: its own Markdown reader, our theme, no plugins."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pelicanconf import *  # noqa: E402,F403

PLUGINS = []
PLUGIN_PATHS = []
THEME = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "theme")

# The theme's words go through gettext and its dates through filters: the baseline gets those
# template helpers (sitemodel.i18n, plain functions), not our plugins.
sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "plugins")
)
from jinja2 import pass_context  # noqa: E402
from markupsafe import Markup  # noqa: E402

from sitemodel import i18n as theme_words  # noqa: E402


@pass_context
def _gettext(context, message, **variables):
    text = Markup(context.call(theme_words.gettext, message))
    return text % variables if variables else text


@pass_context
def _ngettext(context, singular, plural, number, **variables):
    text = Markup(context.call(theme_words.ngettext, singular, plural, number))
    return text % {"num": number, **variables}


JINJA_ENVIRONMENT = {"extensions": ["jinja2.ext.i18n"]}
JINJA_GLOBALS = {
    "gettext": _gettext,
    "ngettext": _ngettext,
    "_": _gettext,
    "other_language": theme_words.other_language,
    "text_language": theme_words.text_language,
}
JINJA_FILTERS = {
    "date_text": theme_words.date_filter,
    "source_date": theme_words.source_date_filter,
    "language_name": theme_words.language_name,
}
