"""The `[@id, "words"]` syntax as a markdown-it-py plugin: parse rules only record what they see."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from citations.limits import LineCounter
from citations.needed import uncited_spots
from citations.quotes import normalize
from sitemodel import Citation
from sitemodel.evidence import letter

_ID_END = set(' \t\n,;]"')


@dataclass
class ParsedCitation:
    source_id: str
    quote: str | None
    translation: str | None = None  # `trans: "..."`: our rendering of the quote


class CitationSyntaxError(ValueError):
    """Malformed bracket; `offset` is where the contributor should look."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class _Scan:
    """What earlier brackets of one inline text found: a line of unclosed brackets is read once."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.run = (0, -1)  # no character from run[0] to run[1] - 1 ends a source id
        # where a source id ended -> the error of the group from there (offset None: the bracket)
        self.failed: dict[int, tuple[str, int | None]] = {}

    def id_end(self, start: int) -> int:
        if self.run[0] <= start <= self.run[1]:
            return self.run[1]
        src, end = self.src, start
        while end < len(src) and src[end] not in _ID_END:
            end += 1
        self.run = (start, end)
        return end


def parse_group(src: str, pos: int, scan: _Scan | None = None) -> tuple[int, list[ParsedCitation]]:
    """Parse `[@a; @b, "words"]` starting at `pos`; return the end offset and the citations.

    What follows a source id does not depend on where the bracket was, so a failure is
    remembered in `scan` at each id end: a later bracket reaching one fails at once.
    """
    scan = scan or _Scan(src)
    id_ends: list[int] = []
    try:
        return _parse_group(src, pos, scan, id_ends)
    except CitationSyntaxError as error:
        # only "unclosed citation" points at the bracket itself
        known = (str(error), None if error.offset == pos else error.offset)
        for end in id_ends:
            scan.failed[end] = known
        raise


def _parse_group(
    src: str, pos: int, scan: _Scan, id_ends: list[int]
) -> tuple[int, list[ParsedCitation]]:
    i = pos + 1
    items: list[ParsedCitation] = []
    length = len(src)

    def skip_space(j: int) -> int:
        while j < length and src[j] in " \t\n":
            j += 1
        return j

    while True:
        i = skip_space(i)
        if i >= length or src[i] != "@":
            raise CitationSyntaxError("expected '@source-id' in the citation", i)
        start = i + 1
        i = scan.id_end(start)
        if i == start:
            raise CitationSyntaxError("a citation needs a source id after '@'", i)
        if i in scan.failed:
            message, offset = scan.failed[i]
            raise CitationSyntaxError(message, pos if offset is None else offset)
        id_ends.append(i)
        source_id = src[start:i]
        item_end = i
        i = skip_space(i)
        quote = translation = None
        if i < length and src[i] == ",":
            i = skip_space(i + 1)
            if i >= length or src[i] != '"':
                # a Pandoc habit ("[@id, p. 2]") or curly quotes: say what goes after the comma
                raise CitationSyntaxError(
                    "after the comma come the source's exact words in straight double quotes,"
                    f' not a page or a note: [@{source_id}, "exact words"];'
                    f" to cite the whole source, write [@{source_id}]",
                    i,
                )
            i, quote = _read_quote(src, i)
            item_end = i
            i = skip_space(i)
            after = skip_space(i + 1)
            if src.startswith(",", i) and src.startswith(_TRANS, after):
                i = skip_space(after + len(_TRANS))
                if i >= length or src[i] != '"':
                    raise CitationSyntaxError(
                        "after 'trans:' comes the translation in straight double quotes:"
                        f' [@{source_id}, "exact words", trans: "translated words"]',
                        i,
                    )
                i, translation = _read_quote(src, i)
                item_end = i
                i = skip_space(i)
        if i >= length or (src[i] not in ";]" and "\n" in src[item_end:i]):
            # the line ended without ']': point at the bracket, not at the next line's words
            raise CitationSyntaxError("unclosed citation; add ']' after the last citation", pos)
        if src[i] == ";":
            items.append(ParsedCitation(source_id, quote, translation))
            i += 1
            continue
        if src[i] == "]":
            items.append(ParsedCitation(source_id, quote, translation))
            return i + 1, items
        raise CitationSyntaxError(
            "expected ';' before another citation or ']' to close the citation", i
        )


_TRANS = "trans:"
_QUOTE = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)
_ESCAPED = re.compile(r'\\(["\\])')


def _read_quote(src: str, i: int) -> tuple[int, str]:
    """Read `"words"` (with `\\"` for a quote mark inside) starting at the opening quote."""
    match = _QUOTE.match(src, i)
    if match is None:
        raise CitationSyntaxError('unclosed quote; end the quoted words with "', i)
    words = _ESCAPED.sub(r"\1", match.group(1))
    if not words.strip():
        raise CitationSyntaxError("the quoted words are empty", i)
    return match.end(), words


_SCAN_KEY = "citations.scan"  # the _Scan of the inline text being parsed; gone after parsing


def citation_rule(state: StateInline, silent: bool) -> bool:
    # Silent runs only scan link labels: there a citation must stay text, or the link
    # rule sees a nested token and `[words [@id]](url)` stops being a link.
    if silent or not state.src.startswith("[@", state.pos) or state.linkLevel > 0:
        return False
    scan = state.env.get(_SCAN_KEY)
    if not isinstance(scan, _Scan) or scan.src is not state.src:
        scan = state.env[_SCAN_KEY] = _Scan(state.src)
    try:
        end, items = parse_group(state.src, state.pos, scan)
    except CitationSyntaxError as error:
        # keep the text as typed, and leave a marker for the error report
        token = state.push("citation_error", "", 0)
        token.content = "[@"
        token.meta = {"message": str(error), "offset": error.offset}
        state.pos += 2
        return True
    state.pending = state.pending.rstrip(" \t")  # glued to its word: never starts a line
    token = state.push("citation", "", 0)
    token.meta = {"items": items, "offset": state.pos}
    token.content = state.src[state.pos : end]
    state.pos = end
    return True


def iter_inline(tokens: list[Token]) -> Iterator[tuple[Token, Token]]:
    """(block inline token, child) for every inline child of a document."""
    for token in tokens:
        for child in token.children or []:
            yield token, child


def citation_lines(state: StateCore) -> None:
    """Turn parse-time offsets into file lines, record errors, build Citation records."""
    env = state.env
    env.pop(_SCAN_KEY, None)
    path = env.get("path", "")
    citations: list[Citation] = env.setdefault("citations", [])
    errors: list[tuple[int, str]] = env.setdefault("citation_errors", [])
    lines: dict[int, LineCounter] = {}  # by id of the block token
    numbers: dict[tuple[str, str | None], list[int]] = env.setdefault(_NUMBERS_KEY, {})
    for block, child in iter_inline(state.tokens):
        if child.type not in ("citation", "citation_error"):
            continue
        if id(block) not in lines:
            lines = {id(block): LineCounter(block.content, (block.map[0] if block.map else 0) + 1)}
        line = lines[id(block)].line_of(child.meta["offset"])
        if child.type == "citation_error":
            errors.append((line, child.meta["message"]))
            continue
        records = [
            Citation(item.source_id, item.quote, path, line, translation=item.translation or "")
            for item in child.meta["items"]
        ]
        for record in records:
            number_note(record, numbers)
        child.meta["span"] = f"{len(citations)}-{len(citations) + len(records)}"
        citations.extend(records)


_NUMBERS_KEY = "citations.numbers"  # (source id, normalised quote) -> [note number, markers]


def number_note(citation: Citation, numbers: dict[tuple[str, str | None], list[int]]) -> None:
    """Give a citation its note number and marker id as soon as it is read.

    A note's number depends only on the order of (source, quote) in the page: the same words
    of a source are the same passage, so citing them again reuses the number.
    """
    key = (citation.source_id, None if citation.quote is None else normalize(citation.quote))
    entry = numbers.get(key)
    if entry is None:
        entry = numbers[key] = [len(numbers) + 1, 0]
    citation.note = entry[0]
    citation.ref_id = f"cite-{entry[0]}-{letter(entry[1])}"
    entry[1] += 1


def citation_end(state: StateCore) -> None:
    """After footnotes: note uncited text while the tokens exist."""
    state.env["uncited"] = list(uncited_spots(state.tokens))


def citation_markers(markers: Callable[[list[Citation], str], str]) -> Any:
    """The render rule of a citation group: its markers, as the theme writes them."""

    def render_citation(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        first, last = (int(n) for n in tokens[idx].meta["span"].split("-"))
        return markers(env["citations"][first:last], env.get("lang", ""))  # the page's

    return render_citation


def render_citation_error(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return "[@"


def citations_plugin(md: MarkdownIt, markers: Callable[[list[Citation], str], str]) -> None:
    """Register the citation syntax; `citation_lines` runs after inline parsing.

    `markers` renders one group of markers (see `citations.markers`, from the theme).
    """
    md.inline.ruler.before("link", "citation", citation_rule)
    md.core.ruler.after("inline", "citation_lines", citation_lines)
    if "footnote_tail" in md.core.ruler.get_all_rules():
        md.core.ruler.after("footnote_tail", "citation_end", citation_end)
    else:
        md.core.ruler.push("citation_end", citation_end)
    md.add_render_rule("citation", citation_markers(markers))
    md.add_render_rule("citation_error", render_citation_error)
