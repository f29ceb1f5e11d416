"""Placeholders: what a page's HTML needs from the rest of the site, filled in once all is read.

Documents are rendered while they are read, so no parse tree is held for the whole site (nor
pickled into Pelican's content cache). Only what needs the whole site waits, as
`\\x02kind:key\\x03`, and there are two kinds: `wiki` (a link's label is another page's
title) and `used` (a glossary entry's "used in" list). After every document is resolved, each
plugin's filler turns its kind into HTML. Citation markers and glossary links are made when the
file is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

START, END = "\x02", "\x03"
_PLACEHOLDER = re.compile("\x02([a-z]+):([^\x02\x03]*)\x03")

# (content, key) -> HTML for one placeholder of its kind
Filler = Callable[[Any, str], str]


def placeholder(kind: str, key: str = "") -> str:
    return f"{START}{kind}:{key}{END}"


def fill(html: str, content: Any, fillers: dict[str, Filler]) -> str:
    """The page's HTML with every placeholder replaced by what its plugin resolved."""
    if START not in html:
        return html
    return _PLACEHOLDER.sub(lambda m: fillers[m.group(1)](content, m.group(2)), html)
