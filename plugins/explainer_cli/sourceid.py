"""Proposing a source id: outlet abbreviation, year and one telling word of the headline."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlparse

from sitemodel.source import SLUG_PATTERN

ID_PATTERN = SLUG_PATTERN
# An id is a file name (`<id>.md`) and an address (`/<id>/`): 80 characters keeps it readable
# and far below the 255 bytes a file system allows for one name.
MAX_ID_LENGTH = 80
MAX_KEYWORD = 30
_STOPWORD_TEXT = """
a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers him his how i if in into is it its itself
just me more most my no nor not now of off on once only or other our out over own same she
should so some such than that the their them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you
your yours new says said say know need needs statement update news report latest how why
what's it's"""
_STOPWORDS = set(_STOPWORD_TEXT.split())
_WORD = re.compile(r"[a-z][a-z']{3,}")


def abbreviation(outlet: str) -> str:
    """'The Valley Courier (UK)' -> 'vc', 'Newsday' -> 'newsday', 'BBC' kept whole."""
    name = re.sub(r"\([^)]*\)", " ", outlet)
    name = re.sub(r"^\s*the\s+", "", name, flags=re.IGNORECASE)
    words = [w for w in re.split(r"[\s\-–—/&.,:]+", name) if re.search(r"[A-Za-z0-9]", w)]
    if not words:
        return ""
    if len(words) == 1:
        return _ascii(words[0])
    parts = [w if w.isupper() and len(w) > 1 else w[0] for w in words]
    return _ascii("".join(parts))


def site_name(url: str) -> str:
    """'https://www.valleycourier.example/news/...' -> 'valleycourier'."""
    host = (urlparse(url).hostname or "").lower()
    if re.fullmatch(r"[\d.]+|[\da-f:]+", host):
        return ""  # an IP address says nothing about the outlet
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
    if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3:
        labels = labels[:-2]  # example.co.uk
    elif len(labels) >= 2:
        labels = labels[:-1]
    return _ascii(labels[-1]) if labels else ""


def keyword(title: str, outlet: str, counts: Counter[str]) -> str:
    """The headline word the existing sources use least (first such word on a tie)."""
    skip = {w.lower() for w in re.split(r"\W+", outlet)}
    words = [
        w.strip("'")
        for w in _WORD.findall(title.lower().replace("’", "'"))
        if w.strip("'") not in _STOPWORDS and w.strip("'") not in skip
    ]
    words = [w for w in words if len(w) >= 4 and "'" not in w]
    if not words:
        return ""
    return _ascii(min(words, key=lambda w: (counts[w], words.index(w))))


def word_counts(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(_WORD.findall(text.lower().replace("’", "'"))))
    return counts


def propose_id(
    *,
    outlet: str,
    url: str,
    year: int | None,
    title: str,
    taken: set[str],
    counts: Counter[str] | None = None,
) -> str:
    """A short, unique, valid id; the contributor may pick another with --id."""
    prefix = abbreviation(outlet) or site_name(url) or "source"
    word = keyword(title, outlet, counts or Counter())[:MAX_KEYWORD]
    parts = [prefix[:12], str(year) if year else "", word]
    base = "-".join(p for p in parts if p)
    candidate = base
    number = 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())
