"""Site settings for local builds: relative URLs, so `output/` opens straight from disk."""

SITENAME = "Children at the US border: what the sources say"
SITEURL = ""
RELATIVE_URLS = True
PATH = "content"
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "mdreader",
    "sources",
    "citations",
    "crosslinks",
    "i18n",
    "metadata",
    "handouts",
    "search",
    "sitecheck",
    "incremental",
    "exports",
]

# Explainers are Pelican articles, about/method pages are Pelican pages; sources are ours.
ARTICLE_PATHS = ["explainers"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# A translation (same file name, `lang: es`, in content/explainers/es/ or content/pages/es/)
# is published under its language: /es/<slug>/ (plugins/i18n).
ARTICLE_LANG_URL = "{lang}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
TAG_URL = "topics/{slug}/"
TAG_SAVE_AS = "topics/{slug}/index.html"
TAGS_URL = "topics/"
TAGS_SAVE_AS = "topics/index.html"
INDEX_SAVE_AS = "index.html"
DEFAULT_PAGINATION = False
# What we do not publish: categories, authors, date archives.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags"]

FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DELETE_OUTPUT_DIRECTORY = True
# `explainer serve` turns the content cache on (see plugins/incremental); uncompressed, as
# gzipping it on every save costs more than the disk it saves
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
GZIP_CACHE = False

# The theme's strings in other languages are in theme/translations/ (`make translations`)
I18N = {"sitename": {"es": "Niños en la frontera de EE. UU.: lo que dicen las fuentes"}}

SOURCES = {"path": "sources", "text": "full"}
CITATIONS = {"citation_needed": "warning"}
# "Suggest a correction" on explainer and source pages links to
# {REPO_URL}/edit/{REPO_BRANCH}/content/<file>; no link while REPO_URL is unset.
# REPO_URL = "https://github.com/org/repo"
# REPO_BRANCH = "main"
# PDF handouts (plugins/handouts): off here so local builds stay fast; publishconf.py turns them on.
HANDOUTS = {"enabled": False, "sizes": ["letter", "a4"], "pages": ["glossary", "key-numbers"]}
