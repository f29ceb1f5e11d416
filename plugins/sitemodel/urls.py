"""Which links the site may carry: an allow-list shared by where links are made and the check."""

from __future__ import annotations

import re

SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")  # browsers drop them: "java\tscript:" runs
_EMPTY_ICON = "data:,"  # the theme's "no favicon", so browsers do not ask for one


def link_scheme(url: str) -> str:
    """The scheme a browser would see in this link ('' for a relative link), lowercase."""
    match = _SCHEME.match(_IGNORED_IN_URLS.sub("", url).strip("\x00 \x0c"))
    return match.group(1).lower() if match else ""


def is_safe_url(url: str) -> bool:
    """http(s), mailto, relative or a fragment (and the theme's empty icon)."""
    if url.strip() == _EMPTY_ICON:
        return True
    scheme = link_scheme(url)
    return not scheme or scheme in SAFE_SCHEMES
