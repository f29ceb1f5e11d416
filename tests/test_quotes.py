"""Quote verification forgives only whitespace, quote-mark and dash variants; text fragments."""

from __future__ import annotations

import datetime
from urllib.parse import unquote

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from citations import SourceText, encode_fragment_term, normalize, parse_group, text_fragment
from sitemodel import Source

PARAGRAPHS = [
    "The government said it “lost track” of 1,475 children.",
    "It’s a policy – the officials’ word – of “zero tolerance”.",
    "Between October 2017 and April this year some 700 children were separated.",
]


def make_source(paragraphs: list[str]) -> Source:
    return Source(
        "test-source",
        "sources/test-source.md",
        "Title",
        "Outlet",
        datetime.date(2020, 1, 1),
        "news",
        paragraphs=paragraphs,
    )


def find(words: str, paragraphs: list[str] = PARAGRAPHS) -> str | None:
    """The source's own text of the passage the words match, with its ¶ number."""
    match = SourceText(make_source(paragraphs)).find(words)
    if match is None:
        return None
    return f"{match.paragraph}:{paragraphs[match.paragraph - 1][match.start : match.end]}"


def test_normalize_collapses_whitespace_and_unifies_quotes_and_dashes() -> None:
    assert normalize("  a\n\t b  ") == "a b"
    assert normalize("‘it’s’ “so” ") == "'it's' \"so\""
    assert normalize("a-b–c—d−e") == "a-b-c-d-e"
    assert normalize("Case Stays") == "Case Stays"


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("lost track", "1:lost track"),
        ('"lost track" of 1,475', "1:“lost track” of 1,475"),
        ("said it\n   “lost\ttrack”", "1:said it “lost track”"),
        ("It's a policy", "2:It’s a policy"),
        ("policy - the officials' word — of", "2:policy – the officials’ word – of"),
        ("policy − the", "2:policy – the"),
        ("some 700 children", "3:some 700 children"),
    ],
)
def test_forgiven_differences(words: str, found: str) -> None:
    assert find(words) == found


@pytest.mark.parametrize(
    "words",
    [
        "Lost track",  # case
        "lost  track of 1475 children",  # a digit group separator
        "lost track of 1,475 children!",  # punctuation
        "lost-track",  # a dash is not a space
        "zero tolerance.",  # the full stop is outside the quote marks in the source
        "1,475 children. It’s a policy",  # spans two paragraphs
        "   ",
    ],
)
def test_everything_else_matters(words: str) -> None:
    assert find(words) is None


def test_first_occurrence_is_the_passage() -> None:
    assert find("children") == "1:children"
    assert find("700 children") == "3:700 children"


def test_text_fragment_uses_the_sources_own_characters() -> None:
    paragraph = PARAGRAPHS[1]
    match = SourceText(make_source(PARAGRAPHS)).find("policy - the officials' word")
    assert match is not None
    fragment = text_fragment(paragraph, match.start, match.end)
    assert fragment == "#:~:text=policy%20%E2%80%93%20the%20officials%E2%80%99%20word"
    assert unquote(fragment.removeprefix("#:~:text=")) == "policy – the officials’ word"


def test_text_fragment_widens_to_whole_words() -> None:
    paragraph = "Some 1,500 undocumented children were revealed to be missing."
    start = paragraph.index("ndocumented")
    end = paragraph.index("childr") + len("childr")
    assert text_fragment(paragraph, start, end) == "#:~:text=undocumented%20children"


def test_long_passages_use_start_and_end() -> None:
    paragraph = "one two three four five six seven eight nine ten, eleven twelve-thirteen"
    fragment = text_fragment(paragraph, 0, len(paragraph))
    assert fragment == (
        "#:~:text=one%20two%20three%20four,nine%20ten%2C%20eleven%20twelve%2Dthirteen"
    )
    eight = "one two three four five six seven eight"
    assert text_fragment(eight, 0, len(eight)) == "#:~:text=" + eight.replace(" ", "%20")


@pytest.mark.parametrize(
    ("term", "encoded"),
    [
        ("pre-existing", "pre%2Dexisting"),
        ("Health & Human", "Health%20%26%20Human"),
        ("one, two", "one%2C%20two"),
        ("it’s #1?", "it%E2%80%99s%20%231%3F"),
    ],
)
def test_fragment_terms_escape_what_the_directive_reserves(term: str, encoded: str) -> None:
    assert encode_fragment_term(term) == encoded


# Source-like text: words, every forgiven variant, and whitespace of several kinds.
source_text = st.text(
    alphabet=st.sampled_from(list("abcAB1,.;&-–—−'’‘\"“”\\ \t\n\u00a0")), min_size=1, max_size=60
)


@given(st.lists(source_text, min_size=1, max_size=4), st.data())
def test_any_substring_of_a_paragraph_verifies_to_it(
    paragraphs: list[str], data: st.DataObject
) -> None:
    """Precondition: the quote is not blank. Partial whitespace runs at its ends are stripped,
    and every inner run is a whole run of the paragraph, so no other precondition is needed."""
    index = data.draw(st.integers(0, len(paragraphs) - 1))
    paragraph = paragraphs[index]
    start = data.draw(st.integers(0, len(paragraph) - 1))
    end = data.draw(st.integers(start + 1, len(paragraph)))
    quote = paragraph[start:end]
    assume(normalize(quote))
    # written the way a contributor must, then read back by the citation parser
    escaped = quote.replace("\\", "\\\\").replace('"', '\\"')
    _end, items = parse_group(f'[@test-source, "{escaped}"]', 0)
    assert items[0].quote == quote
    match = SourceText(make_source(paragraphs)).find(items[0].quote)
    assert match is not None
    first = next(i for i, p in enumerate(paragraphs) if normalize(quote) in normalize(p))
    assert match.paragraph == first + 1
    passage = paragraphs[match.paragraph - 1][match.start : match.end]
    assert normalize(passage) == normalize(quote)
    assert passage == passage.strip()
    fragment = text_fragment(paragraphs[match.paragraph - 1], match.start, match.end)
    terms = fragment.removeprefix("#:~:text=").split(",")
    assert 1 <= len(terms) <= 2
    for term in terms:
        assert not set(term) & set(" -&,")
        assert unquote(term) in " ".join(paragraphs[match.paragraph - 1].split())


@given(source_text, source_text)
def test_quotes_never_span_paragraphs(first: str, second: str) -> None:
    head, tail = normalize(first), normalize(second)
    assume(head and tail)
    joined = f"{head} {tail}"
    assume(joined not in normalize(first) and joined not in normalize(second))
    assert SourceText(make_source([first, second])).find(joined) is None
