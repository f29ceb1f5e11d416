"""`[[slug]]`, `[[slug|label]]`, `[[source:id]]` and `[[term:id]]` as a markdown-it-py plugin."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from citations.limits import LineCounter
from sitemodel import placeholder

KINDS = ("source", "term")


class _Finder:
    """`src.find` remembering its last answer per needle: brackets are tried left to right,
    so a line of unclosed `[[` is searched once, not once per bracket."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.last: dict[str, tuple[int, int]] = {}  # needle -> (searched from, found at)
        self.failed: dict[int, int] = {}  # end of a target with no name -> first bracket so

    def find(self, needle: str, start: int) -> int:
        low, found = self.last.get(needle, (0, -2))
        if low <= start and (found == -1 or start <= found):
            return found
        found = self.src.find(needle, start)
        self.last[needle] = (start, found)
        return found


_FINDER_KEY = "crosslinks.finder"  # the _Finder of the inline text being parsed; gone after


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    # silent runs only scan link labels, where a wiki link stays text (see citation_rule)
    if silent or not src.startswith("[[", pos) or state.linkLevel > 0:
        return False
    finder = state.env.get(_FINDER_KEY)
    if not isinstance(finder, _Finder) or finder.src is not src:
        finder = state.env[_FINDER_KEY] = _Finder(src)
    end = finder.find("]]", pos + 2)
    if end < 0 or 0 <= finder.find("\n", pos + 2) < end:
        return False
    pipe = finder.find("|", pos + 2)
    target_end = pipe if 0 <= pipe < end else end
    # a target without a name ("[[ ]]", "[[kind:]]") stays so for every later bracket before it
    if finder.failed.get(target_end, end) <= pos:
        return False
    kind, _, name = src[pos + 2 : target_end].strip().rpartition(":")
    if not name:
        finder.failed[target_end] = pos
        return False
    label = src[target_end + 1 : end]
    token = state.push("wikilink", "", 0)
    token.content = src[pos : end + 2]
    token.meta = {
        "text": src[pos : end + 2],
        "kind": kind.strip() or "page",
        "name": name.strip(),
        "label": label.strip(),
        "offset": pos,
        "href": "",
    }
    state.pos = end + 2
    return True


def wikilink_lines(state: StateCore) -> None:
    """Give each wiki link its file line, and list them in env for resolution."""
    state.env.pop(_FINDER_KEY, None)
    links: list[dict[str, Any]] = state.env.setdefault("wikilinks", [])
    for block in state.tokens:
        lines = LineCounter(block.content, (block.map[0] if block.map else 0) + 1)
        for child in block.children or []:
            if child.type == "wikilink":
                child.meta["line"] = lines.line_of(child.meta["offset"])
                child.meta["index"] = len(links)
                links.append(child.meta)


def render_wikilink(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    # the target is known once every file is read: see `crosslinks.links`
    return placeholder("wiki", str(tokens[idx].meta["index"]))


def wikilink_html(
    content: Any, key: str, other_language: Callable[[str], str] | None = None
) -> str:
    """The resolved link, or the text as typed where the target is unknown.

    A link to a page in another language than the linking page's (a translation's link to an
    original not yet translated) says so: `hreflang`, and `other_language(lang)` after it
    ("(inglés)"); the label is marked as that language when it is the target's own title.
    """
    link = content.markdown_document.env["wikilinks"][int(key)]
    if not link["href"]:
        return html.escape(link["text"])
    other = str(link.get("hreflang") or "")
    attributes = f' hreflang="{html.escape(other)}"' if other else ""
    if other and link.get("label_is_title"):
        attributes += f' lang="{html.escape(other)}"'
    mark = ""
    if other and other_language is not None:
        mark = f' <span class="other-language">{html.escape(other_language(other))}</span>'
    return (
        f'<a class="wikilink wikilink-{link["kind"]}" href="{html.escape(link["href"])}"'
        f"{attributes}>{html.escape(link['label'])}</a>{mark}"
    )


def wikilinks_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.core.ruler.after("inline", "wikilink_lines", wikilink_lines)
    md.add_render_rule("wikilink", render_wikilink)
