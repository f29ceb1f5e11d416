"""Citations readers can take away: Highwire tags for reference managers, Robust Links."""

from __future__ import annotations

from pathlib import Path

from conftest import build_with, explainer_file, site_settings, source_file, write_files

SITE = "https://explainers.example.net"


def build(tmp_path: Path) -> Path:
    write_files(
        tmp_path / "content",
        {
            "sources/story.md": source_file(
                "The cited words are here.",
                published="2019-09",
                author="[A. Writer, B. Writer]",
                archived="https://archive.example.org/story",
                accessed="2026-11-22",
            ),
            "sources/bare.md": source_file("Other words.", title='"Bare"'),
            "explainers/one.md": explainer_file(
                'It says so [@story, "cited words"] and more [@bare, "Other words"].',
                title="One",
            ),
        },
    )
    settings = site_settings(
        tmp_path / "content", tmp_path / "output", SITEURL=SITE, RELATIVE_URLS=False
    )
    result = build_with(settings)
    assert result.error is None, result.messages
    return tmp_path / "output"


def meta(html: str, name: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    return [str(m["content"]) for m in soup.find_all("meta", attrs={"name": name})]


def test_pages_carry_highwire_citation_tags(tmp_path: Path) -> None:
    output = build(tmp_path)
    source = (output / "sources" / "story" / "index.html").read_text(encoding="utf-8")
    assert meta(source, "citation_title") == ["A headline"]
    assert meta(source, "citation_author") == ["A. Writer", "B. Writer"]
    assert meta(source, "citation_publication_date") == ["2019/09"]  # no made-up day
    assert meta(source, "citation_publisher") == ["The Outlet"]
    page = (output / "one" / "index.html").read_text(encoding="utf-8")
    assert meta(page, "citation_title") == ["One"]
    assert meta(page, "citation_public_url") == [f"{SITE}/one/"]


def test_links_to_originals_are_robust(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    output = build(tmp_path)
    page = BeautifulSoup((output / "one" / "index.html").read_text(encoding="utf-8"), "lxml")
    story, bare = page.select("section.citation-notes a.original")
    assert story["data-originalurl"] == "https://example.org/article"
    assert story["data-versionurl"] == "https://archive.example.org/story"
    assert story["data-versiondate"] == "2026-11-22"
    # no archive: our own copy is the version; no access date known, so no version date
    assert bare["data-versionurl"] == f"{SITE}/sources/bare/"
    assert not bare.has_attr("data-versiondate")
