"""'Citation needed': a paragraph with no citation, or a sentence with a figure and none."""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.token import Token

# a candidate sentence end: . ! or ? (plus closing quotes/brackets) before whitespace, a
# citation or the end; `_ends_sentence` then rules out abbreviations ("Gov.", "U.S.")
_CANDIDATE_END = re.compile(r"[.!?][\"'”’)\]]*(?=[\s\x00]|$)")
_FIGURE = re.compile(r"\d")
# a citation's place in a paragraph's text: it belongs to the sentence it stands in
_CITATION = "\x00"
_WORD_START = frozenset("\x00([\"'“‘ \t\n")
_LONGEST_ABBREVIATION = 12

# never end a sentence: titles and words that lead into what follows
_NEVER_FINAL = frozenset(
    {"gov", "sen", "rep", "dr", "mr", "ms", "mrs", "prof", "st", "vs", "e.g", "i.e", "cf"}
)
# end a sentence unless a number or a lowercase word follows ("No. 5", "Jan. 12", "etc. and")
_BEFORE_NUMBER = frozenset(
    {"no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
    | {"etc"}
)
# initials ("U.S.", "U.N.", "J."): a sentence ends there only if a word that usually opens a
# sentence follows ("in the U.S. The count rose"), not a name ("U.S. Army", "J. Smith")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
_WORD = re.compile(r"\w+")
_SENTENCE_OPENERS = frozenset(
    (  # noqa: SIM905
        "A After An And As At But By For He Her His However I If In It Its On She Since So That"
        " The Their Then There These They This Those To We When While Yet"
    ).split()
)


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


def _paragraph_text(children: list[Token]) -> str:
    """The paragraph's words, a newline per line break and a marker per citation."""
    parts: list[str] = []
    for child in children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "citation":
            parts.append(_CITATION)
    return "".join(parts)


def sentence_ends(text: str) -> Iterator[int]:
    """Offsets just after each sentence end in `text` (the last sentence may have none)."""
    for end in _CANDIDATE_END.finditer(text):
        if _ends_sentence(text, end.start(), end.end()):
            yield end.end()


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    if text[stop] != ".":
        return True
    start = stop
    while start > 0 and stop - start < _LONGEST_ABBREVIATION and text[start - 1] not in _WORD_START:
        start -= 1
    word = text[start:stop]
    following = after
    while following < len(text) and text[following] in " \t\n\x00":
        following += 1
    next_char = text[following] if following < len(text) else ""
    continues = next_char.isdigit() or next_char.islower()
    if word.lower() in _NEVER_FINAL:
        return False
    if word.lower() in _BEFORE_NUMBER:
        return not continues
    if _INITIALS.fullmatch(word) and next_char:
        opener = _WORD.match(text, following)
        return not continues and opener is not None and opener.group() in _SENTENCE_OPENERS
    return True


def _check_paragraph(token: Token, line: int) -> Iterator[tuple[int, str]]:
    children = token.children or []
    if not any(child.type == "citation" for child in children):
        yield line, "paragraph"
        return
    text = _paragraph_text(children)
    position = 0
    for end in [*sentence_ends(text), len(text)]:
        if position >= end:
            continue
        sentence = text[position:end]
        line += text.count("\n", position, end)
        if _CITATION not in sentence and _FIGURE.search(sentence):
            yield line, "sentence with a figure"
        position = end
