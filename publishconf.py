"""Production settings: absolute URLs, feeds, and a build that fails on 'citation needed'."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://example.org")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
# the explainers in the site's language (FEED_ALL_ATOM would mix in every translation), and
# one feed per other language (plugins/i18n)
FEED_ATOM = "feeds/explainers.atom.xml"
I18N = {**I18N, "feed": "feeds/explainers.{lang}.atom.xml"}  # noqa: F405
CITATIONS = {**CITATIONS, "citation_needed": "error", "untranslated": "error"}  # noqa: F405
SOURCES = {**SOURCES, "rights_required": True}  # noqa: F405
READER = {"placeholder_text": "error"}  # `explainer new`'s placeholder summary fails the build
SEARCH = {"enabled": True}  # Pagefind index and search page (plugins/search)
# PDF handouts in /handouts/ (plugins/handouts)
HANDOUTS = {**HANDOUTS, "enabled": True}  # noqa: F405
