"""Citations in a built site: notes, source pages' "Cited in", errors, citation needed."""

from __future__ import annotations

import itertools
import posixpath
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from markdown_it.utils import read_fixture_file

from citations.needed import sentence_ends, uncited_spots
from conftest import (
    SiteBuild,
    explainer_file,
    reader_markdown,
    run_build,
    source_file,
    write_files,
)

FIXTURES = Path(__file__).parent / "fixtures"

ALPHA = source_file(
    "The agency could not determine with certainty the whereabouts of 1,475 children.\n\n"
    "Officials call it a “zero tolerance” policy – a new rule that began in 2018.\n\n"
    "A third paragraph about the U.S. border and 8 U.S.C. 1325.\n\n"
    "Nobody cites this paragraph.",
    title='"Alpha headline"',
    outlet="Alpha Outlet",
    author='"A. Writer"',
    published="2018-05-29",
    date_estimated="true",
    url="https://example.org/alpha",
    archived="https://archive.example.org/alpha",
)
BETA = source_file(
    "Some 1,500 undocumented children were revealed to be missing.\n\n"
    "The children were sent back, campaigners said.",
    title='"Beta headline"',
    outlet="Beta Outlet",
    author=None,
    published="2020-10-30",
    url="https://example.org/beta#story",
)
# Body lines start at line 6 (five lines of front matter).
FIRST = explainer_file(
    "The agency lost track of children"
    ' [@alpha, "could not determine with certainty the whereabouts"].\n'
    "\n"
    'Campaigners reported 1,500 missing children [@beta, "Some 1,500 undocumented children";'
    ' @alpha, "a \\"zero tolerance\\" policy - a new rule"].\n'
    "\n"
    'The same passage again [@alpha, "could not determine with\n'
    'certainty  the whereabouts"] and the whole source [@beta].',
    title="First explainer",
)
SECOND = explainer_file(
    'The U.S. held 1,475 children under 8 U.S.C. 1325 [@alpha, "whereabouts of 1,475 children"].',
    title="Second explainer",
)
SITE = {
    "sources/alpha.md": ALPHA,
    "sources/beta.md": BETA,
    "explainers/first.md": FIRST,
    "explainers/second.md": SECOND,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    root = tmp_path_factory.mktemp("citations")
    write_files(root / "content", SITE)
    # "citation needed" as an error: the cited sentence with "U.S." and "8 U.S.C. 1325" must pass
    return run_build(root / "content", root / "output", CITATIONS={"citation_needed": "error"})


def resolve(page: str, href: str) -> tuple[str, str]:
    """(output file, fragment) a relative link on `page` points at."""
    parts = urlsplit(href)
    if not parts.path:
        return page, parts.fragment
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
    if parts.path.endswith("/"):
        target += "/index.html"
    return target, parts.fragment


def notes(soup: BeautifulSoup) -> list[Tag]:
    return soup.select("section.citation-notes ol > li")


def test_site_builds_without_problems(site: SiteBuild) -> None:
    assert site.error is None, site.messages
    assert site.messages == []


def test_notes_numbered_in_order_of_first_citation(site: SiteBuild) -> None:
    page = site.html("first/index.html")
    refs = page.select("sup.citation a.cite-ref")
    assert [a.get_text() for a in refs] == ["1", "2", "3", "1", "4"]
    assert [a["id"] for a in refs] == ["cite-1-a", "cite-2-a", "cite-3-a", "cite-1-b", "cite-4-a"]
    assert [a["href"] for a in refs] == ["#cite-1", "#cite-2", "#cite-3", "#cite-1", "#cite-4"]
    assert [li["id"] for li in notes(page)] == ["cite-1", "cite-2", "cite-3", "cite-4"]


def test_same_passage_reuses_its_number_with_back_links(site: SiteBuild) -> None:
    first = notes(site.html("first/index.html"))[0]
    backrefs = first.select(".backrefs a")
    assert [(a["href"], a.get_text()) for a in backrefs] == [("#cite-1-a", "a"), ("#cite-1-b", "b")]
    labels = [a["aria-label"] for a in backrefs]
    assert labels == ["Back to citation 1a", "Back to citation 1b"]
    single = notes(site.html("first/index.html"))[1].select(".backrefs a")
    assert [a["href"] for a in single] == ["#cite-2-a"]


def test_original_link_keeps_the_pages_own_anchor(site: SiteBuild) -> None:
    note = notes(site.html("first/index.html"))[1]
    assert note.select_one("a.original")["href"] == (
        "https://example.org/beta#story:~:text=Some%201%2C500%20undocumented%20children"
    )


def test_passage_note_gives_where_and_the_words_and_the_source_list_who_and_when(
    site: SiteBuild,
) -> None:
    page = site.html("first/index.html")
    note = notes(page)[0]
    label = note.select_one("a.note-source")
    assert label.get_text() == "Alpha Outlet" and label["href"] == "#src-alpha"
    assert "¶1" in note.get_text()
    quoted = note.select_one("q.quoted").get_text()
    assert quoted == "could not determine with certainty the whereabouts"
    record = page.select_one("#src-alpha")
    text = " ".join(record.get_text(" ").split())
    assert "A. Writer" in text and "“Alpha headline”" in text
    assert record.select_one("cite").get_text() == "Alpha Outlet"
    assert "29 May 2018 (estimated)" in text
    assert "A. Writer" not in note.get_text()  # once per source, not per note


def test_source_without_author_or_estimate(site: SiteBuild) -> None:
    page = site.html("first/index.html")
    record = page.select_one("#src-beta")
    text = " ".join(record.get_text(" ").split())
    assert record.get_text().split("“Beta headline”")[0] == "Beta Outlet: "  # label, no author
    assert "30 October 2020" in text and "estimated" not in text
    assert not [a for a in notes(page)[1].select("a") if "archive" in a["href"]]


def test_note_links_to_our_passage_the_original_and_the_archive(site: SiteBuild) -> None:
    note = notes(site.html("first/index.html"))[0]
    links = {a.get_text(): a["href"] for a in note.select(".note-links a")}
    assert links["original"] == (
        "https://example.org/alpha#:~:text=could%20not%20determine%20with%20certainty%20the%20whereabouts"
    )
    assert links["archive"] == "https://archive.example.org/alpha"
    target, anchor = resolve("first/index.html", links["passage"])
    assert target == "sources/alpha/index.html"
    source_page = site.html(target)
    mark = source_page.find(id=anchor)
    assert mark is not None and mark.name == "mark" and mark.find_parent("p")["id"] == "p1"
    assert mark.get_text().startswith("could not determine with certainty the whereabouts")


def test_text_fragment_uses_the_sources_characters(site: SiteBuild) -> None:
    note = notes(site.html("first/index.html"))[2]
    assert note.select_one("q.quoted").get_text() == "a “zero tolerance” policy – a new rule"
    original = note.select_one("a.original")["href"]
    assert original == (
        "https://example.org/alpha#:~:text="
        "a%20%E2%80%9Czero%20tolerance%E2%80%9D%20policy%20%E2%80%93%20a%20new%20rule"
    )
    assert "¶2" in note.get_text()


def test_whole_source_note_links_source_page_and_original(site: SiteBuild) -> None:
    note = notes(site.html("first/index.html"))[3]
    assert note.select_one("q.quoted") is None
    assert "¶" not in note.get_text()
    links = {a.get_text(): a["href"] for a in note.select(".note-links a")}
    ours = resolve("first/index.html", links["our copy"])
    assert ours == ("sources/beta/index.html", "")
    assert links["original"] == "https://example.org/beta#story"


def test_note_ids_unique_and_stable(site: SiteBuild, tmp_path: Path) -> None:
    page = site.html("first/index.html")
    counts = Counter(element["id"] for element in page.find_all(id=True))
    assert [name for name, count in counts.items() if count > 1] == []
    again = run_build(site.content, tmp_path / "output", CITATIONS={"citation_needed": "error"})
    for name in ("first/index.html", "second/index.html", "sources/alpha/index.html"):
        assert (again.output / name).read_bytes() == (site.output / name).read_bytes()


def test_source_page_lists_citing_explainers_and_passages(site: SiteBuild) -> None:
    page = site.html("sources/alpha/index.html")
    entries = page.select("ul.cited-in > li")
    assert [li.a.get_text() for li in entries] == ["First explainer", "Second explainer"]
    first_refs = [a["href"] for a in entries[0].select("li a") if "cite-" in a["href"]]
    assert [href.rsplit("#", 1)[1] for href in first_refs] == ["cite-1", "cite-3"]  # each once
    for entry in entries:
        for link in entry.select("li a"):
            target, anchor = resolve("sources/alpha/index.html", link["href"])
            assert (site.output / target).is_file(), link
            assert not anchor or site.html(target).find(id=anchor) is not None, link
    quoted = entries[1].select_one("li li").get_text()
    assert "whereabouts of 1,475 children" in quoted and "¶1" in quoted


def test_source_page_marks_cited_paragraphs(site: SiteBuild) -> None:
    page = site.html("sources/alpha/index.html")
    cited = {p["id"]: "cited" in p.get("class", []) for p in page.select(".source-text p")}
    assert cited == {"p1": True, "p2": True, "p3": False, "p4": False}
    marks = [m.get_text() for m in page.select("#p2 mark")]
    assert marks == ["a “zero tolerance” policy – a new rule"]


# Errors: every problem of every file is reported, each with file:line, and the build fails.

BAD = explainer_file(
    'It was lost [@alpha, "could not determine the whereabouts"].\n'
    "\n"
    'Unknown source [@alpah, "1,475 children"].\n'
    "\n"
    'Unclosed [@alpha, "whereabouts of 1,475 children"\n'
    "and the paragraph goes on.",
    title="Bad",
)
ALSO_BAD = explainer_file('Another [@beta, "Some 1,501 undocumented children"].', title="Also bad")


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    root = tmp_path_factory.mktemp("broken")
    files = {**SITE, "explainers/bad.md": BAD, "explainers/also-bad.md": ALSO_BAD}
    write_files(root / "content", files)
    return run_build(root / "content", root / "output")


def error_for(site: SiteBuild, start: str) -> str:
    found = [m for m in site.errors() if m.startswith(f"ERROR: {start}")]
    assert len(found) == 1, site.messages
    return found[0]


def test_errors_fail_the_build(broken: SiteBuild) -> None:
    assert broken.error is not None


def test_misquote_names_file_line_and_closest_passage(broken: SiteBuild) -> None:
    message = error_for(broken, "explainers/bad.md:6:")
    assert 'quote not found in alpha: "could not determine the whereabouts"' in message
    assert 'closest passage (¶1): "' in message and "could not determine with certainty" in message
    assert message.endswith("[citations.quote-not-found]")


def test_unknown_source_suggests_closest_id(broken: SiteBuild) -> None:
    message = error_for(broken, "explainers/bad.md:8:")
    assert "unknown source '@alpah'; did you mean 'alpha'?" in message


def test_unclosed_bracket_names_its_line(broken: SiteBuild) -> None:
    message = error_for(broken, "explainers/bad.md:10:")
    assert message.endswith("unclosed citation; add ']' after the last citation [citations.syntax]")


def test_errors_of_every_file_are_reported(broken: SiteBuild) -> None:
    message = error_for(broken, "explainers/also-bad.md:6:")
    assert 'quote not found in beta: "Some 1,501 undocumented children"' in message
    assert len(broken.errors()) == 4


# "Citation needed"

UNCITED = explainer_file(
    "A paragraph with no citation at all.\n"
    "\n"
    "The U.S. border saw 1,475 cases. Then more came [@alpha].\n"
    "\n"
    'The U.S. held 1,475 children under 8 U.S.C. 1325 [@alpha, "whereabouts of 1,475 children"].'
    " Dr. No said so [@beta].\n"
    "\n"
    "## A heading needs none\n"
    "\n"
    "| year | count |\n"
    "| --- | --- |\n"
    "| 2018 | 700 |",
    title="Uncited",
)


def needed_messages(site: SiteBuild) -> list[str]:
    return [m for m in site.messages if "[citations.needed]" in m]


@pytest.mark.parametrize("severity", ["warning", "error"])
def test_citation_needed_reports(build_site: Any, severity: str) -> None:
    files = {"sources/alpha.md": ALPHA, "sources/beta.md": BETA, "explainers/uncited.md": UNCITED}
    result = build_site(files, CITATIONS={"citation_needed": severity})
    level = severity.upper()
    assert needed_messages(result) == [
        f"{level}: explainers/uncited.md:6: citation needed: paragraph without a citation;"
        ' add [@source-id, "words"] [citations.needed]',
        f"{level}: explainers/uncited.md:8: citation needed: sentence with a figure without a"
        ' citation; add [@source-id, "words"] [citations.needed]',
        f"{level}: explainers/uncited.md:16: citation needed: table cell with a figure without a"
        ' citation; add [@source-id, "words"] [citations.needed]',
    ]
    assert (result.error is None) == (severity == "warning")


def test_citation_needed_off(build_site: Any) -> None:
    files = {"sources/alpha.md": ALPHA, "sources/beta.md": BETA, "explainers/uncited.md": UNCITED}
    result = build_site(files, CITATIONS={"citation_needed": "off"})
    assert result.error is None and needed_messages(result) == []


def test_citing_a_source_with_its_own_errors_is_reported_once_per_page(build_site: Any) -> None:
    result = build_site(
        {
            "sources/bad.md": source_file(published="not-a-date"),
            "explainers/a.md": explainer_file('One [@bad, "First paragraph"].\n\nTwo [@bad].'),
        }
    )
    assert result.error is not None
    errors = result.errors()
    assert any(e.startswith("ERROR: sources/bad.md:5: ") and "[sources.date]" in e for e in errors)
    assert [e for e in errors if "[citations.broken-source]" in e] == [
        "ERROR: explainers/a.md: cites '@bad', whose source file has errors of its own;"
        " fix that file first [citations.broken-source]"
    ]
    assert not any("unknown source" in e for e in errors)


@pytest.mark.parametrize(
    ("line", "title", "text", "expected"),
    read_fixture_file(FIXTURES / "sentences.md"),
    ids=lambda value: value if isinstance(value, str) and "\n" not in value else "",
)
def test_sentences_fixtures(line: int, title: str, text: str, expected: str) -> None:
    text = text.rstrip("\n")
    ends = [0, *sentence_ends(text), len(text)]
    sentences = [" ".join(text[a:b].split()) for a, b in itertools.pairwise(ends)]
    assert "\n".join(s for s in sentences if s) == expected.rstrip(), (
        f"fixtures/sentences.md:{line}: {title}"
    )


def uncited(text: str) -> list[tuple[int, str]]:
    env: dict[str, Any] = {"path": "test.md", "docId": ""}
    return list(uncited_spots(reader_markdown().parse(text, env)))


@pytest.mark.parametrize(
    "text",
    [
        "In 2018 Gov. Abbott said so [@x].",
        "On Jan. 12 Sen. Cruz and Dr. Lee said the U.S. paid 3.75 percent [@x].",
        "In 2018 Gov.\nAbbott said so [@x].",
        "Some 5 fees, e.g. filing fees, rose [@x]. Others did not.",
    ],
)
def test_citation_needed_knows_abbreviations(text: str) -> None:
    assert uncited(text) == []


def test_citation_needed_still_splits_after_an_abbreviation_that_ends_a_sentence() -> None:
    assert uncited("They came to the U.S. In 2018 there were 1,475 [@x]. More came in Jan.") == []
    assert uncited("In 2018 they came to the U.S. The count rose [@x].") == [
        (1, "sentence with a figure")
    ]
    assert uncited("Rents, bills, etc.\nIn 2018 it was 900. It rose [@x].") == [
        (2, "sentence with a figure")
    ]
