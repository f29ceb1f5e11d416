"""The site link check: broken links and anchors, duplicate ids, and a build that fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import explainer_file, source_file, write_files
from sitecheck import check_links


def page(body: str) -> str:
    return f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>"


def test_reports_broken_links_anchors_and_duplicate_ids(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "index.html": page(
                '<p id="local">'
                '<a href="about/">ok</a> <a href="about">ok, a folder</a>'
                ' <a href="about/#team">ok</a> <a href="about/#nope">broken anchor</a>'
                ' <a href="missing/">broken link</a> <a href="#local">ok</a>'
                ' <a href="#gone">broken anchor</a> <a href="#top">ok, the top</a>'
                ' <a href="about/#:~:text=Our%20team">ok, a text fragment</a>'
                ' <a href="https://elsewhere.org/x">external</a> <a href="mailto:a@b.org">mail</a>'
                ' <a href="https://example.org/about/#team">ok, own site</a>'
                ' <a href="https://example.org/nothing/">broken, own site</a>'
                ' <img src="img/pic.png" alt=""></p>'
                '<link rel="stylesheet" href="theme/site.css">'
            ),
            "theme/site.css": "p {}",
            "about/index.html": page(
                '<h2 id="team">Team</h2><p id="team">again</p>'
                '<a href="../">ok</a> <a href="../index.html#local">ok</a>'
                '<a href="../about/index.html?x=1#team">ok</a>'
            ),
        },
    )
    assert check_links(tmp_path, "https://example.org")[0] == [
        "about/index.html: duplicate id 'team'",
        "index.html: broken anchor 'about/#nope' (no id 'nope' in about/index.html)",
        "index.html: broken link 'missing/' (no file missing/index.html)",
        "index.html: broken anchor '#gone' (no id 'gone' in index.html)",
        "index.html: broken link 'https://example.org/nothing/' (no file nothing/index.html)",
        "index.html: broken link 'img/pic.png' (no file img/pic.png)",
    ]


def test_clean_tree_has_no_problems(tmp_path: Path) -> None:
    write_files(tmp_path, {"index.html": page('<a id="x" href="#x">x</a>')})
    assert check_links(tmp_path)[0] == []


def test_broken_link_in_content_fails_the_build(build_site: Any) -> None:
    files = {
        "sources/src.md": source_file(),
        "explainers/one.md": explainer_file(
            "See [nothing](../nope/) and [the source]({filename}/sources/src.md) [@src].",
            title="One",
        ),
    }
    result = build_site(files)
    assert result.error is not None
    assert result.errors() == [
        "ERROR: one/index.html: broken link '../nope/' (no file nope/index.html) [sitecheck.link]"
    ]
    assert not result.output.exists()


def test_with_the_link_check_off_a_broken_link_is_published(build_site: Any) -> None:
    files = {
        "sources/src.md": source_file(),
        "explainers/one.md": explainer_file("See [nothing](../nope/) [@src].", title="One"),
    }
    result = build_site(files, SITECHECK={"check_links": False})
    assert result.error is None, result.messages
    assert 'href="../nope/"' in (result.output / "one" / "index.html").read_text(encoding="utf-8")


def test_publishing_an_incremental_build_removes_folders_left_empty(tmp_path: Path) -> None:
    from sitecheck.gate import _replace_files

    final, staging = tmp_path / "output", tmp_path / "staging"
    write_files(final, {"keep.html": page(""), "old/topic/index.html": page("")})
    write_files(staging, {"new/index.html": page("new")})
    staged = {"new/index.html": staging / "new" / "index.html"}
    _replace_files(staged, final, {"keep.html", "new/index.html"})
    assert sorted(p.relative_to(final).as_posix() for p in final.rglob("*")) == [
        "keep.html",
        "new",
        "new/index.html",
    ]
