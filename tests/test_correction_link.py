"""The "Suggest a correction" link: every explainer and source page links to its file on the
repository host when `REPO_URL` is set, and nowhere when it is not."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup

from conftest import explainer_file, source_file

FILES = {
    "sources/paper-2020-plan.md": source_file("The council approved the plan on Monday."),
    "explainers/the-plan.md": explainer_file(
        'The council approved it [@paper-2020-plan, "approved the plan"].', title="The plan"
    ),
}


def correction_links(page: BeautifulSoup) -> list[str]:
    return [str(a["href"]) for a in page.select(".suggest-correction a")]


def test_links_edit_the_file_on_the_repository_host(build_site: Any) -> None:
    site = build_site(FILES, REPO_URL="https://github.com/org/repo/", REPO_BRANCH="drafts")
    assert site.error is None, site.messages
    assert correction_links(site.html("the-plan/index.html")) == [
        "https://github.com/org/repo/edit/drafts/content/explainers/the-plan.md"
    ]
    assert correction_links(site.html("sources/paper-2020-plan/index.html")) == [
        "https://github.com/org/repo/edit/drafts/content/sources/paper-2020-plan.md"
    ]


def test_the_branch_defaults_to_main(build_site: Any) -> None:
    site = build_site(FILES, REPO_URL="https://github.com/org/repo")
    assert correction_links(site.html("the-plan/index.html")) == [
        "https://github.com/org/repo/edit/main/content/explainers/the-plan.md"
    ]


def test_no_link_without_a_repository(build_site: Any) -> None:
    site = build_site(FILES)
    assert site.error is None, site.messages
    assert correction_links(site.html("the-plan/index.html")) == []
    assert correction_links(site.html("sources/paper-2020-plan/index.html")) == []
    assert "Suggest a correction" not in (site.output / "the-plan/index.html").read_text()
