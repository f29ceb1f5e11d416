"""`[[slug]]`, `[[slug|label]]`, `[[source:id]]` and `[[term:id]]` as a markdown-it-py plugin."""

from __future__ import annotations

import html
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from sitemodel import placeholder

KINDS = ("source", "term")


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    # silent runs only scan link labels, where a wiki link stays text (see citation_rule)
    if silent or not src.startswith("[[", pos) or state.linkLevel > 0:
        return False
    end = src.find("]]", pos + 2)
    newline = src.find("\n", pos + 2)
    if end < 0 or (0 <= newline < end):
        return False
    inner = src[pos + 2 : end]
    target, _, label = inner.partition("|")
    kind, _, name = target.strip().rpartition(":")
    if not name:
        return False
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
    links: list[dict[str, Any]] = state.env.setdefault("wikilinks", [])
    for block in state.tokens:
        for child in block.children or []:
            if child.type == "wikilink":
                first = (block.map[0] if block.map else 0) + 1
                child.meta["line"] = first + block.content[: child.meta["offset"]].count("\n")
                child.meta["index"] = len(links)
                links.append(child.meta)


def render_wikilink(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    # the target is known once every file is read: see `crosslinks.links`
    return placeholder("wiki", str(tokens[idx].meta["index"]))


def wikilink_html(content: Any, key: str) -> str:
    """The resolved link, or the text as typed where the target is unknown."""
    link = content.markdown_document.env["wikilinks"][int(key)]
    if not link["href"]:
        return html.escape(link["text"])
    return (
        f'<a class="wikilink wikilink-{link["kind"]}" href="{html.escape(link["href"])}">'
        f"{html.escape(link['label'])}</a>"
    )


def wikilinks_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.core.ruler.after("inline", "wikilink_lines", wikilink_lines)
    md.add_render_rule("wikilink", render_wikilink)
