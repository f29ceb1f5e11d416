"""'Citation needed': a paragraph with no citation, or a sentence with a figure and none."""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.token import Token

# a sentence ends at . ! or ? (plus closing quotes/brackets) before whitespace, unless the
# word before is a single letter ("U.S.") or a common abbreviation; the lookahead first lets
# the search skip every other character without trying the lookbehinds
_SENTENCE_END = re.compile(
    r"(?=[.!?])(?<![\s.(][A-Za-z])(?<!\bvs)(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bNo)(?<!\bSt)"
    r"[.!?][\"'”’)\]]*(?=\s|$)"
)
_FIGURE = re.compile(r"\d")


def uncited_spots(tokens: list[Token]) -> Iterator[tuple[int, str]]:
    """(line, what is uncited) for each paragraph, sentence or table cell lacking a citation."""
    in_footnote = 0
    parents: list[str] = []
    for token in tokens:
        if token.type == "footnote_block_open":
            in_footnote += 1
        elif token.type == "footnote_block_close":
            in_footnote -= 1
        if token.nesting == 1:
            parents.append(token.type)
        elif token.nesting == -1 and parents:
            parents.pop()
        if token.type != "inline" or in_footnote or not parents:
            continue
        line = (token.map[0] if token.map else 0) + 1
        if parents[-1] == "paragraph_open":
            yield from _check_paragraph(token, line)
        elif (
            parents[-1] == "td_open"
            and _FIGURE.search(_plain_text(token))
            and not any(child.type == "citation" for child in token.children or [])
        ):
            yield line, "table cell with a figure"


def _plain_text(token: Token) -> str:
    return "".join(child.content for child in token.children or [] if child.type == "text")


def _check_paragraph(token: Token, line: int) -> Iterator[tuple[int, str]]:
    children = token.children or []
    if not any(child.type == "citation" for child in children):
        yield line, "paragraph"
        return
    has_figure = False
    cited = False
    current_line = line
    for child in children:
        if child.type == "citation":
            cited = True
        elif child.type in ("softbreak", "hardbreak"):
            current_line += 1
        elif child.type == "text":
            position = 0
            for end in _SENTENCE_END.finditer(child.content):
                has_figure = has_figure or bool(_FIGURE.search(child.content[position : end.end()]))
                if has_figure and not cited:
                    yield current_line, "sentence with a figure"
                has_figure, cited, position = False, False, end.end()
            has_figure = has_figure or bool(_FIGURE.search(child.content[position:]))
    if has_figure and not cited:
        yield current_line, "sentence with a figure"
