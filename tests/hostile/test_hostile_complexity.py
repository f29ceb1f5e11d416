"""Hostile input costs work linear in its size: steps counted at n and 2n, never a clock.

A step is a character read through the string API (indexing, slicing, `find`, ...) of a
`CountingStr`, or, for a regex or difflib call of our plugins, the characters it may scan
times the alternatives it may try at each: a backtracking engine's cost for an alternation.
"""

from __future__ import annotations

import datetime
import difflib
import re
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

import citations.quotes
import citations.syntax
import crosslinks.glossary
import crosslinks.glossary_page
import crosslinks.syntax
import crosslinks.terms
from citations import SourceText
from conftest import explainer_file, reader_markdown, source_file
from crosslinks import Term
from crosslinks.glossary import Glossary
from crosslinks.glossary_page import glossary_document
from crosslinks.terms import link_first_mentions, term_pattern
from mdreader import make_markdown
from sitemodel import Source

STEPS = [0]


def charge(steps: int) -> None:
    STEPS[0] += max(steps, 1)


class CountingStr(str):
    """A string that charges every character read through it."""

    def __getitem__(self, key: Any) -> str:
        item = str.__getitem__(self, key)
        charge(len(item))
        return item

    def _span(self, start: int | None, end: int | None) -> tuple[int, int]:
        start, end, _ = slice(start, end).indices(len(self))
        return start, end

    def find(self, sub: Any, start: Any = None, end: Any = None) -> int:
        at = str.find(self, sub, start, end)
        low, high = self._span(start, end)
        charge((at + len(sub) if at >= 0 else high) - low)
        return at

    def index(self, sub: Any, start: Any = None, end: Any = None) -> int:
        at = self.find(sub, start, end)
        if at < 0:
            raise ValueError("substring not found")
        return at

    def count(self, sub: Any, start: Any = None, end: Any = None) -> int:
        low, high = self._span(start, end)
        charge(high - low)
        return str.count(self, sub, start, end)

    def startswith(self, prefix: Any, start: Any = None, end: Any = None) -> bool:
        charge(len(prefix) if isinstance(prefix, str) else sum(map(len, prefix)))
        return str.startswith(self, prefix, start, end)

    def __contains__(self, sub: object) -> bool:
        charge(len(self))
        return str.__contains__(self, sub)  # type: ignore[operator]


class CountingPattern:
    """A compiled pattern that charges what it may scan, times its alternatives."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.alternatives = pattern.pattern.count("|") + 1

    def _charge(self, text: str, start: int, end: int) -> None:
        charge((end - start) * self.alternatives)

    def match(self, text: str, pos: int = 0, *args: Any) -> re.Match[str] | None:
        found = self.pattern.match(text, pos, *args)
        self._charge(text, pos, found.end() if found else len(text))
        return found

    def search(self, text: str, pos: int = 0, *args: Any) -> re.Match[str] | None:
        found = self.pattern.search(text, pos, *args)
        self._charge(text, pos, found.end() if found else len(text))
        return found

    def finditer(self, text: str, pos: int = 0, *args: Any) -> Any:
        self._charge(text, pos, len(text))
        return self.pattern.finditer(text, pos, *args)

    def findall(self, text: str, pos: int = 0, *args: Any) -> Any:
        self._charge(text, pos, len(text))
        return self.pattern.findall(text, pos, *args)

    def sub(self, repl: Any, text: str, *args: Any) -> str:
        self._charge(text, 0, len(text))
        return self.pattern.sub(repl, text, *args)

    def split(self, text: str, *args: Any) -> list[str]:
        self._charge(text, 0, len(text))
        return self.pattern.split(text, *args)

    def fullmatch(self, text: str, pos: int = 0, *args: Any) -> re.Match[str] | None:
        self._charge(text, pos, len(text))
        return self.pattern.fullmatch(text, pos, *args)


class CountingRe:
    """The `re` module as a plugin module sees it, with compiled patterns that charge."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    def compile(self, pattern: str, flags: int = 0) -> CountingPattern:
        return CountingPattern(re.compile(pattern, flags))


class CountingMatcher(difflib.SequenceMatcher):  # type: ignore[type-arg]
    """difflib charged at its worst case: every pair of characters compared."""

    def find_longest_match(
        self, alo: int = 0, ahi: Any = None, blo: int = 0, bhi: Any = None
    ) -> Any:
        ahi = len(self.a) if ahi is None else ahi
        bhi = len(self.b) if bhi is None else bhi
        charge((ahi - alo) * (bhi - blo))
        return super().find_longest_match(alo, ahi, blo, bhi)


@pytest.fixture
def metered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charge the regexes and difflib calls of the citation and cross-link plugins."""
    for module in (
        citations.syntax,
        citations.quotes,
        crosslinks.syntax,
        crosslinks.glossary,
        crosslinks.glossary_page,
        crosslinks.terms,
    ):
        for name, value in list(vars(module).items()):
            if isinstance(value, re.Pattern):
                monkeypatch.setattr(module, name, CountingPattern(value))
        if getattr(module, "re", None) is re:
            monkeypatch.setattr(module, "re", CountingRe())
    monkeypatch.setattr(citations.quotes.difflib, "SequenceMatcher", CountingMatcher)
    STEPS[0] = 0


def counting_markdown() -> MarkdownIt:
    """The reader's MarkdownIt, with each inline text a CountingStr before inline parsing."""
    md = reader_markdown()

    def count_reads(state: StateCore) -> None:
        for token in state.tokens:
            if token.type == "inline":
                token.content = CountingStr(token.content)

    md.core.ruler.after("block", "count_reads", count_reads)
    return md


def steps(work: Any, *args: Any) -> int:
    STEPS[0] = 0
    work(*args)
    return STEPS[0]


def parse_steps(md: MarkdownIt, text: str) -> int:
    return steps(md.parse, text, {"path": "hostile.md", "docId": ""})


def growth(md: MarkdownIt, unit: str, n: int = 1000) -> float:
    """Work for `unit` repeated 2n times over the work for n times: 2 if linear, 4 if quadratic."""
    return parse_steps(md, unit * 2 * n) / parse_steps(md, unit * n)


@pytest.mark.parametrize(
    "unit",
    [
        "[@",  # each unclosed bracket's source id ran to the end of the line
        "[@x ",  # each error's line was counted from the start of the paragraph
        "[@a;@x",  # each bracket read every later citation of the group again
        "[@a;\n@x",  # the same over lines of one paragraph
        '[@a, "',  # quotes
        "[@a  ",  # spaces
    ],
)
def test_unclosed_citations_cost_linear_work(metered: None, unit: str) -> None:
    assert growth(counting_markdown(), unit) < 2.5


@pytest.mark.parametrize(
    "unit",
    [
        "[[",  # each unclosed wiki link searched the rest of the paragraph for "]]"
        "[[x\n",  # ... and for a line break
        "[[x]",
        "[[a]] [[",
        "[[:",  # a target without a name was sliced again from each bracket
        "[[ |",
    ],
)
def test_unclosed_wiki_links_cost_linear_work(metered: None, unit: str) -> None:
    assert growth(counting_markdown(), unit) < 2.5


def test_citation_and_wiki_link_lines_are_still_right() -> None:
    md = reader_markdown()
    env: dict[str, Any] = {"path": "hostile.md", "docId": ""}
    md.parse("[@a\n[@b x [[c]]\n[[d]] [@e]\n\n[[f]]", env)
    assert [(line, message[:8]) for line, message in env["citation_errors"]] == [
        (1, "unclosed"),
        (2, "expected"),
    ]
    assert [link["line"] for link in env["wikilinks"]] == [2, 3, 5]
    assert [citation.line for citation in env["citations"]] == [3]


def glossary_steps(count: int) -> int:
    """Work to link terms in a text of `count` words against a glossary of `count` terms."""
    terms = [Term(f"t{i}", f"Term{i} name", "", i) for i in range(count)]
    md = reader_markdown()
    env: dict[str, Any] = {"path": "hostile.md", "docId": ""}
    words = " ".join(f"Tern{i} Term{i} nam" for i in range(count))
    tokens = md.parse(words + " Term1 name.", env)
    matcher = term_pattern(terms)
    assert matcher is not None
    return steps(link_first_mentions, tokens, terms, matcher)


def test_glossary_matching_costs_text_plus_terms(metered: None) -> None:
    assert glossary_steps(800) / glossary_steps(400) < 2.5


KEY = crosslinks.terms._key


def glossary_page_steps(count: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """Characters parsed, and names looked at, for a glossary page of `count` terms, five
    file lines each, each definition mentioning its term."""
    terms = [
        Term(f"t{i}", f"Term {i}", f"Of Term {i}.", 5 * i + 1, "", [], [], 5 * i + 3)
        for i in range(count)
    ]
    reader_markdown()  # registers the plugins
    md = make_markdown({"EXPLAINER_GLOSSARY": Glossary("g.yml", terms, term_pattern(terms), "")})
    parse = md.parse

    def counting_parse(src: str, env: Any = None) -> Any:
        charge(len(src))
        return parse(src, env)

    def counting_key(words: str) -> str:
        charge(1)
        return KEY(words)

    monkeypatch.setattr(md, "parse", counting_parse)
    monkeypatch.setattr(crosslinks.terms, "_key", counting_key)
    monkeypatch.setattr(crosslinks.glossary, "_key", counting_key)
    return steps(glossary_document, terms, md, "glossary.yml")


def test_glossary_page_parses_and_links_each_definition_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # each definition was parsed after blank lines standing for the file's lines before it,
    # and linking its terms listed every name of the glossary again
    assert glossary_page_steps(400, monkeypatch) / glossary_page_steps(200, monkeypatch) < 2.5


def make_source(paragraphs: list[str]) -> Source:
    return Source(
        "s", "sources/s.md", "T", "O", datetime.date(2020, 1, 1), "news", paragraphs=paragraphs
    )


def closest_steps(n: int) -> int:
    """Work for the closest-passage hint of an n-word quote that almost matches its source."""
    words = [f"w{i % 97}x{i}" for i in range(n)]
    source = SourceText(make_source([" ".join(words[: n // 2]), " ".join(words)]))
    quote = " ".join([*words[: n // 2], "typo", *words[n // 2 :]])
    return steps(source.closest, quote)


def test_closest_passage_search_is_bounded(metered: None) -> None:
    assert closest_steps(8000) / closest_steps(4000) < 2.5


def test_closest_passage_still_found() -> None:
    source = SourceText(make_source(["Nothing here.", "The agency lost track of 1,475 children."]))
    assert source.closest("the agency lost track of 1,457 children") == (
        2,
        "The agency lost track of 1,475 children.",
    )


# Whole site: what reaches the contributor

ALPHA = source_file("First paragraph of the source, with 1,475 children.\n\nSecond paragraph.")


def test_long_misquote_is_too_long_and_echoed_short(build_site: Any) -> None:
    long_quote = "First paragraph of the source, " * 100
    body = f'A claim [@alpha, "{long_quote}"].\n\nAnother [@alpah, "First paragraph {"x" * 500}"].'
    result = build_site(
        {"sources/alpha.md": ALPHA, "explainers/long.md": explainer_file(body, title="Long")}
    )
    errors = result.errors()
    assert result.error is not None
    too_long = [m for m in errors if "[citations.quote-too-long]" in m]
    assert len(too_long) == 1
    assert too_long[0].startswith("ERROR: explainers/long.md:6: quote too long (")
    assert "quote a short passage" in too_long[0]
    unknown = [m for m in errors if "[citations.unknown-source]" in m]
    assert len(unknown) == 1 and "'@alpah'" in unknown[0]
    assert all(len(message) < 400 for message in errors), errors


def test_misquote_and_its_hint_are_echoed_short(build_site: Any) -> None:
    source = source_file("Words of the source. " * 100)
    quote = "Words of the source. " * 40 + "and a typo."
    body = f'A claim [@alpha, "{quote}"].\n\nA [[missing-{"x" * 300}]] link.'
    result = build_site(
        {"sources/alpha.md": source, "explainers/typo.md": explainer_file(body, title="Typo")}
    )
    errors = result.errors()
    (misquote,) = [m for m in errors if "[citations.quote-not-found]" in m]
    assert misquote.startswith('ERROR: explainers/typo.md:6: quote not found in alpha: "Words of')
    assert misquote.count("…") == 2 and len(misquote) < 400
    (unknown,) = [m for m in errors if "[crosslinks.unknown-target]" in m]
    assert "…" in unknown and len(unknown) < 400


def test_the_703rd_back_link_continues_with_three_letters(build_site: Any) -> None:
    body = "Cited over and over " + " ".join(['[@alpha, "1,475 children"]'] * 703) + "."
    result = build_site(
        {"sources/alpha.md": ALPHA, "explainers/many.md": explainer_file(body, title="Many")}
    )
    assert result.error is None, result.messages
    page = result.html("many/index.html")
    refs = [a["id"] for a in page.select("a.cite-ref")]
    assert len(refs) == len(set(refs)) == 703
    assert refs[:2] == ["cite-1-a", "cite-1-b"]
    assert refs[25:28] == ["cite-1-z", "cite-1-aa", "cite-1-ab"]
    assert refs[701:] == ["cite-1-zz", "cite-1-aaa"]
    backrefs = page.select(".backrefs a")
    assert [a.get_text() for a in backrefs][-2:] == ["zz", "aaa"]


def test_glossary_names_over_100_characters_are_refused(build_site: Any) -> None:
    glossary = f"- id: long\n  term: {'Long name ' * 11}\n  definition: Too long a name.\n"
    result = build_site({"sources/alpha.md": ALPHA, "glossary.yml": glossary})
    (error,) = [m for m in result.errors() if "[glossary.format]" in m]
    assert error.startswith("ERROR: glossary.yml:1: the name 'Long name Long name")
    assert "is too long (109 characters, at most 100)" in error
