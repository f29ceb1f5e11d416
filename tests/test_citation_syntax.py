"""The `[@id, "words"]` syntax: fixture cases, the group parser, and random input never crashing."""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import read_fixture_file

from citations import CitationSyntaxError, parse_group
from conftest import filled, reader_markdown

FIXTURES = Path(__file__).parent / "fixtures"


def render_citation_record(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """What the parser recorded, in place of the note number (notes need resolved sources)."""
    first, last = (int(number) for number in tokens[idx].meta["span"].split("-"))
    records = env["citations"][first:last]
    line = {record.line for record in records}.pop()
    items = [
        f"@{record.source_id}"
        + ("" if record.quote is None else " " + json.dumps(record.quote, ensure_ascii=False))
        for record in records
    ]
    return f'<cite line="{line}">{html.escape("; ".join(items), quote=False)}</cite>'


@functools.cache
def site_markdown() -> MarkdownIt:
    """The reader's full pipeline, with citations shown as parsed rather than as notes."""
    md = reader_markdown()
    md.add_render_rule("citation", render_citation_record)
    return md


def render(md: MarkdownIt, text: str) -> str:
    env: dict[str, Any] = {"path": "test.md", "docId": ""}
    out = filled(md.render(text, env), env)
    errors = "".join(f"error {line}: {message}\n" for line, message in env["citation_errors"])
    return out + errors


@pytest.mark.parametrize(
    ("line", "title", "text", "expected"),
    read_fixture_file(FIXTURES / "citations.md"),
    ids=lambda value: value if isinstance(value, str) and "\n" not in value else "",
)
def test_citation_fixtures(line: int, title: str, text: str, expected: str) -> None:
    md = site_markdown()
    assert render(md, text).rstrip() == expected.rstrip(), f"fixtures/citations.md:{line}: {title}"


def test_parse_group_returns_end_and_items() -> None:
    src = 'x [@a; @b-2, "one, two; [three]"] y'
    end, items = parse_group(src, 2)
    assert src[end:] == " y"
    assert [(item.source_id, item.quote) for item in items] == [
        ("a", None),
        ("b-2", "one, two; [three]"),
    ]


@pytest.mark.parametrize(
    ("src", "message", "offset"),
    [
        ('[@a, "words"', "unclosed citation", 0),
        ('[@a, "words"\nmore]', "unclosed citation", 0),
        ("[@a\nmore]", "unclosed citation", 0),
        ('[@a, "words', "unclosed quote", 5),
        ("[@a, words]", "straight double quotes", 5),
        ("[@a, p. 2]", r"exact words in straight double quotes.*\[@a, \"exact words\"\]", 5),
        ("[@a, p. 2]", r"to cite the whole source, write \[@a\]$", 5),
        ("[@]", "needs a source id", 2),
        ("[@a; ]", "expected '@source-id'", 5),
        ('[@a "w"]', "expected ';'", 4),
    ],
)
def test_parse_group_errors_say_where(src: str, message: str, offset: int) -> None:
    with pytest.raises(CitationSyntaxError, match=message) as caught:
        parse_group(src, 0)
    assert caught.value.offset == offset


def escape_quote(words: str) -> str:
    """Write words the way a contributor must inside `"..."`."""
    return words.replace("\\", "\\\\").replace('"', '\\"')


source_ids = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True)
quotes = st.text(min_size=1).filter(lambda words: words.strip() != "")


@given(st.lists(st.tuples(source_ids, st.none() | quotes), min_size=1, max_size=4))
def test_parse_group_reads_back_what_was_written(items: list[tuple[str, str | None]]) -> None:
    src = (
        "["
        + "; ".join(
            f"@{source_id}" + ("" if quote is None else f', "{escape_quote(quote)}"')
            for source_id, quote in items
        )
        + "] after"
    )
    end, parsed = parse_group(src, 0)
    assert src[end:] == " after"
    assert [(item.source_id, item.quote) for item in parsed] == items


SYNTAX_CHARS = st.sampled_from(list('[]@";,\\\n `|*>-#a1 “”') + ["[@", "[[", "]]", "\n\n", "- "])


@given(st.lists(SYNTAX_CHARS, max_size=40).map("".join))
def test_parse_group_parses_or_reports(tail: str) -> None:
    src = "[@" + tail
    try:
        end, items = parse_group(src, 0)
    except CitationSyntaxError as error:
        assert 0 <= error.offset <= len(src)
        assert str(error)
    else:
        assert 2 < end <= len(src) and src[end - 1] == "]"
        assert items and all(item.source_id for item in items)
        assert all(item.quote is None or item.quote.strip() for item in items)


@functools.cache
def pristine_markdown() -> MarkdownIt:
    return reader_markdown()


@settings(max_examples=200, deadline=None)
@given(st.lists(SYNTAX_CHARS, max_size=60).map("".join))
def test_markdown_parses_any_text_and_reports_with_lines(text: str) -> None:
    md = pristine_markdown()
    env: dict[str, Any] = {"path": "test.md", "docId": ""}
    tokens = md.parse(text, env)
    md.renderer.render(tokens, md.options, env)
    last_line = text.count("\n") + 1
    for line, message in env["citation_errors"]:
        assert 1 <= line <= last_line and message
    for citation in env["citations"]:
        assert 1 <= citation.line <= last_line and citation.source_id
