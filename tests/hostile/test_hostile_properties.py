"""Property: whatever text a contributor puts in a front-matter field, the pages gain no element
and no attribute the templates did not write. Plus the handout HTML, rendered for the PDF."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build_with, site_settings, source_file, write_files

# printable text, markup characters made likely; control characters are refused elsewhere
HOSTILE = (
    st.lists(
        st.one_of(
            st.sampled_from(list("<>\"'&=/;:() {}[]@#!`\\*_|-")),
            st.sampled_from(["<script>", "</p>", "<img src=x onerror=alert(1)>", "javascript:"]),
            st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
        ),
        min_size=1,
        max_size=20,
    )
    .map("".join)
    .filter(lambda text: text.strip() != "")
)

FIELDS = ("title", "summary", "topic", "page_title", "term", "abbr", "outlet", "source_title")


def site(values: dict[str, str]) -> dict[str, str | bytes]:
    """A small site with `values` in its front matter and glossary (YAML-quoted as it must be)."""

    def q(text: str) -> str:
        return yaml.safe_dump(text, default_style='"', width=10_000).strip()

    return {
        "sources/good.md": source_file(title=q(values["source_title"]), outlet=q(values["outlet"])),
        "explainers/page.md": (
            f"---\ntitle: {q(values['title'])}\nsummary: {q(values['summary'])}\n"
            f"date: 2026-11-23\ntopics: [{q(values['topic'])}]\n---\n"
            'Text [@good, "First paragraph of the source"].\n'
        ),
        "pages/about.md": f"---\ntitle: {q(values['page_title'])}\n---\nAbout [@good].\n",
        "glossary.yml": (
            f"- id: orr\n  term: {q(values['term'])}\n  abbr: {q(values['abbr'])}\n"
            "  definition: The office [@good].\n"
        ),
    }


def shape(output: Path) -> dict[str, Counter[tuple[str, str]]]:
    """Per page: how many of each (element, attribute) pair it has."""
    found = {}
    for path in sorted(output.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        pairs: Counter[tuple[str, str]] = Counter()
        for element in soup.find_all(True):
            pairs[(element.name, "")] += 1
            for attribute in element.attrs:
                pairs[(element.name, attribute)] += 1
        found[path.relative_to(output).as_posix()] = pairs
    return found


def build(values: dict[str, str]) -> tuple[Any, Path]:
    root = Path(tempfile.mkdtemp())
    write_files(root / "content", site(values))
    result = build_with(site_settings(root / "content", root / "output"))
    return result, root / "output"


PLAIN = {field: f"Plain {field}" for field in FIELDS}


@pytest.fixture(scope="module")
def plain_shape() -> dict[str, Counter[tuple[str, str]]]:
    result, output = build(PLAIN)
    assert result.error is None, result.messages
    return shape(output)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), text=HOSTILE)
def test_no_field_adds_an_element_or_attribute(
    plain_shape: dict[str, Counter[tuple[str, str]]], field: str, text: str
) -> None:
    result, output = build({**PLAIN, field: text})
    if result.error is not None:  # refused with a message (e.g. a topic that makes no slug)
        assert result.errors(), result.messages
        return
    got = shape(output)
    if field == "topic":  # the topic's page has another address: compare the pages by kind
        got = {_no_topic(name): pairs for name, pairs in got.items()}
        expected = {_no_topic(name): pairs for name, pairs in plain_shape.items()}
    else:
        expected = plain_shape
    assert got.keys() == expected.keys()
    for name, pairs in got.items():
        assert pairs == expected[name], (name, text)


def _no_topic(name: str) -> str:
    return (
        "topics/*/index.html"
        if name.startswith("topics/") and name != "topics/index.html"
        else name
    )


def test_handout_html_escapes_titles_and_summaries(tmp_path: Path, handout_html: list[str]) -> None:
    """The handout template got titles and summaries unescaped: a <style> hid the PDF's body."""
    rendered = handout_html
    hostile = {
        **PLAIN,
        "title": "<style>body{display:none}</style>T",
        "summary": '<a href="https://evil.example">S</a>',
    }
    write_files(tmp_path / "content", site(hostile))
    result = build_with(
        site_settings(
            tmp_path / "content",
            tmp_path / "output",
            SITEURL="https://explainers.example.net",
            HANDOUTS={"enabled": True, "sizes": ["letter"]},
        )
    )
    assert result.error is None, result.messages
    handout = next(html for html in rendered if "display:none" in html)
    soup = BeautifulSoup(handout, "lxml")
    assert soup.find("style") is None
    assert soup.find("a", href="https://evil.example") is None
    assert soup.find("h1").get_text() == "<style>body{display:none}</style>T"
