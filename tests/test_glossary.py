"""Glossary terms: first mentions linked in explainers, the glossary page, cited definitions."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

import pelicanconf
from conftest import SiteBuild, explainer_file, filled, run_build, source_file, write_files
from crosslinks import Term
from crosslinks.terms import link_first_mentions, mention_html, term_pattern
from mdreader import make_markdown

TERMS = [
    Term("orr", "Office of Refugee Resettlement", "", 1, "ORR", ["refugee office"]),
    Term("cbp", "U.S. Customs and Border Patrol", "", 2, "CBP", ["Customs and Border Patrol"]),
    Term("border-patrol", "U.S. Border Patrol", "", 3, "", ["Border Patrol"]),
    Term("safe", "Safe", "", 4),
    Term("safe-t", "Safety Act Framework Extension", "", 5, "SAFE-T"),
]


def reader_markdown() -> MarkdownIt:
    """A MarkdownIt built like the reader's: the site's plugins registered in pelicanconf's order.

    Pelican registers them the same way on its first build; blinker keeps one connection each.
    """
    for name in pelicanconf.PLUGINS:
        importlib.import_module(name).register()
    return make_markdown({})


def in_explainer(html: str, env: dict[str, Any], terms: list[Term] = TERMS) -> str:
    """The HTML with first mentions filled in as in an explainer: linked to the glossary."""

    def term(content: Any, key: str) -> str:
        term_id, word, is_abbr = env["terms"][int(key)]
        return mention_html(next(t for t in terms if t.id == term_id), word, is_abbr, "g.yml")

    return filled(html, env, term=term)


def linked(text: str, terms: list[Term] = TERMS) -> list[tuple[str, str]]:
    """(words, term id) of each term link made in `text`, in order."""
    md = reader_markdown()
    env: dict[str, Any] = {"path": "test.md", "docId": ""}
    tokens = md.parse(text, env)
    pattern = term_pattern(terms)
    assert pattern is not None
    link_first_mentions(tokens, terms, pattern)
    html = md.renderer.render(tokens, md.options, env)
    soup = BeautifulSoup(in_explainer(html, env, terms), "lxml")
    return [
        (" ".join(a.find(string=True).split()), a["href"].rsplit("#term-", 1)[1])
        for a in soup.select("a.term")
    ]


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("The Office of Refugee Resettlement.", [("Office of Refugee Resettlement", "orr")]),
        ("the office of refugee resettlement", [("office of refugee resettlement", "orr")]),
        ("A refugee office here.", [("refugee office", "orr")]),
        ("ORR held them.", [("ORR", "orr")]),
        # abbreviations are case-sensitive, names and akas match whole words only
        ("The orr and Orr words.", []),
        ("Refugee offices and a prerefugee office.", []),
        ("ORRs and XORR.", []),
        # the second mention, by any of the term's names, is not linked
        ("ORR and the Office of Refugee Resettlement and ORR.", [("ORR", "orr")]),
        ("ORR.\n\nORR again in another paragraph.", [("ORR", "orr")]),
        # the longest name wins where names overlap, whatever their kind
        ("Customs and Border Patrol (CBP) agents.", [("Customs and Border Patrol", "cbp")]),
        ("The U.S. Customs and Border Patrol.", [("U.S. Customs and Border Patrol", "cbp")]),
        (
            "Customs and Border Patrol, then the Border Patrol.",
            [("Customs and Border Patrol", "cbp"), ("Border Patrol", "border-patrol")],
        ),
        ("SAFE-T and then Safe.", [("SAFE-T", "safe-t"), ("Safe", "safe")]),
        # a name broken over two lines is still one mention
        ("Customs and\nBorder Patrol agents.", [("Customs and Border Patrol", "cbp")]),
        ("The Office of Refugee\nResettlement.", [("Office of Refugee Resettlement", "orr")]),
    ],
)
def test_first_mentions_linked(text: str, links: list[tuple[str, str]]) -> None:
    assert linked(text) == links


@pytest.mark.parametrize(
    "text",
    [
        "## ORR in a heading\n\nThen ORR in text.",
        "[ORR](https://example.org) then ORR.",
        "`ORR` then ORR.",
        'A citation [@s, "ORR said"] then ORR.',
        "A wiki link [[term:orr|ORR]] then ORR.",
        "![ORR](image.png) then ORR.",
    ],
)
def test_never_in_headings_links_code_or_citations(text: str) -> None:
    # the only link is the mention in running text at the end
    assert linked(text) == [("ORR", "orr")]


def test_abbreviation_gets_its_expansion() -> None:
    md = reader_markdown()
    env: dict[str, Any] = {"path": "test.md", "docId": ""}
    tokens = md.parse("ORR and the refugee office.", env)
    pattern = term_pattern(TERMS)
    assert pattern is not None
    link_first_mentions(tokens, TERMS, pattern)
    soup = BeautifulSoup(in_explainer(md.renderer.render(tokens, md.options, env), env), "lxml")
    abbr = soup.select_one("a.term abbr")
    assert abbr is not None
    assert (abbr.get_text(), abbr["title"]) == ("ORR", "Office of Refugee Resettlement")


# Whole site

SOURCE = source_file(
    "The office is tasked with finding homes for unaccompanied children.\n\n"
    "Border agents separated families.",
    title='"A source"',
)
GLOSSARY = """\
# terms
- id: orr
  term: Office of Refugee Resettlement
  abbr: ORR
  aka: [refugee office]
  definition: >-
    The office that finds homes for children
    [@src, "tasked with finding homes for unaccompanied children"].

- id: cbp
  term: Customs and Border Patrol
  abbr: CBP
  definition: The border agency [@src, "Border agents separated families."].

- id: border-patrol
  term: Border Patrol
  definition: Part of it [@src].

- id: unused
  term: Unused term
  definition: Nobody uses it [@src].
"""
SITE: dict[str, str | bytes] = {
    "sources/src.md": SOURCE,
    "glossary.yml": GLOSSARY,
    "explainers/one.md": explainer_file(
        "## The ORR\n\nThe ORR found homes [@src]. Customs and Border Patrol agents"
        " worked [@src]. The ORR again [@src].",
        title="One",
    ),
    "explainers/two.md": explainer_file(
        "The Office of Refugee Resettlement and [ORR](https://example.org) [@src].", title="Two"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    root = tmp_path_factory.mktemp("glossary")
    write_files(root / "content", SITE)
    return run_build(root / "content", root / "output")


def test_site_builds_without_problems(site: SiteBuild) -> None:
    assert site.error is None, site.messages
    assert site.messages == []


def test_glossary_page_has_an_anchor_per_term(site: SiteBuild) -> None:
    page = site.html("glossary/index.html")
    for term_id in ("orr", "cbp", "border-patrol", "unused"):
        assert page.find(id=f"term-{term_id}") is not None, term_id


def used_in(page: BeautifulSoup, term_id: str) -> list[tuple[str, str]]:
    section = page.find(id=f"term-{term_id}")
    return [(a.get_text(), a["href"]) for a in section.select(".used-in a")]


def test_used_in_lists_explainers(site: SiteBuild) -> None:
    page = site.html("glossary/index.html")
    assert used_in(page, "orr") == [("One", "../one/"), ("Two", "../two/")]
    assert used_in(page, "cbp") == [("One", "../one/")]
    assert used_in(page, "border-patrol") == []
    assert used_in(page, "unused") == []


def test_explainer_links_first_mention_with_expansion(site: SiteBuild) -> None:
    page = site.html("one/index.html")
    assert page.select("h2 a.term") == []
    terms = page.select("a.term")
    assert [(a.get_text(" ", strip=True), a["href"]) for a in terms] == [
        ("ORR (Office of Refugee Resettlement)", "../glossary/#term-orr"),
        ("Customs and Border Patrol", "../glossary/#term-cbp"),
    ]
    assert terms[0].abbr["title"] == "Office of Refugee Resettlement"
    two = site.html("two/index.html").select("a.term")
    assert [a.get_text() for a in two] == ["Office of Refugee Resettlement"]


def test_definitions_are_cited(site: SiteBuild) -> None:
    orr = site.html("glossary/index.html").find(id="term-orr")
    assert orr.select("sup.citation a.cite-ref")
    page = site.html("glossary/index.html")
    notes = page.select("section.citation-notes ol > li")
    assert any("tasked with finding homes" in note.get_text() for note in notes)


def test_misquote_in_glossary_names_the_glossary_line(build_site: Any) -> None:
    # a folded (`>-`) definition is one line once read: its citations name its first line
    bad = GLOSSARY.replace("tasked with finding homes", "tasked with finding houses")
    bad = bad.replace("Part of it [@src]", 'Part of it [@src, "Border agents"; @src, "no words"]')
    result = build_site({**SITE, "glossary.yml": bad})
    assert result.error is not None
    errors = [m for m in result.errors() if "quote-not-found" in m]
    assert [m.split(": quote not found")[0] for m in errors] == [
        "ERROR: glossary.yml:7",
        "ERROR: glossary.yml:17",
    ]
    assert (
        '"tasked with finding houses for unaccompanied children"; closest passage (¶1):'
        in (errors[0])
    )
    assert "tasked with finding homes for unaccompanied children." in errors[0]
