"""The Markdown reader: syntax cases, line numbers, Pelican links, untrusted HTML, bad files."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from markdown_it.utils import read_fixture_file
from pelican.settings import DEFAULT_CONFIG

import mdreader.reader
from conftest import (
    SiteBuild,
    explainer_file,
    reader_markdown,
    run_build,
    source_file,
    write_files,
)
from mdreader import MarkdownItReader, make_markdown
from test_build_guarantees import assert_no_injected_markup, assert_one_error, build_over_good

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("line", "title", "text", "expected"),
    read_fixture_file(FIXTURES / "reader.md"),
    ids=lambda value: value if isinstance(value, str) and "\n" not in value else "",
)
def test_reader_fixtures(line: int, title: str, text: str, expected: str) -> None:
    html = make_markdown({}).render(text, {"path": "test.md", "docId": ""})
    assert html.rstrip() == expected.rstrip(), f"fixtures/reader.md:{line}: {title}"


# --- line numbers: problems name the file's own lines, front matter included -------------------

LINED = (
    "---\n"  # 1
    'title: "Lines"\n'  # 2
    "date: 2026-11-23\n"  # 3
    "---\n"  # 4
    "First paragraph.\n"  # 5
    "\n"  # 6
    "## A heading\n"  # 7
    "\n"  # 8
    "| a | b |\n"  # 9
    "|---|---|\n"  # 10
    "| 1 | 2 |\n"  # 11
)


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode(), id="lf"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda text: ("\ufeff" + text).encode(), id="utf8-bom"),
    ],
)
def test_token_lines_match_the_file(tmp_path: Path, encode: Any) -> None:
    path = tmp_path / "explainers" / "lines.md"
    path.parent.mkdir()
    path.write_bytes(encode(LINED))
    reader_markdown()  # registers the site's plugins, as Pelican does
    reader = MarkdownItReader({**DEFAULT_CONFIG, "PATH": str(tmp_path)})
    _, metadata = reader.read(str(path))
    assert metadata["title"] == "Lines"
    document = metadata["markdown_document"]
    # the uncited paragraph and table cells are reported at the file's own lines
    assert document.env["uncited"] == [
        (5, "paragraph"),
        (11, "table cell with a figure"),
        (11, "table cell with a figure"),
    ]
    assert document.env["front_matter_lines"] == {"title": 2, "date": 3}


def test_problems_in_body_and_front_matter_name_their_lines(build_site: Any) -> None:
    text = (
        "---\n"
        'title: "Lines"\n'
        "summary: x\n"
        "date: 2026-11-23\n"
        "modified: whenever\n"  # 5
        "---\n"
        "Intro [@good].\n"  # 7
        "\n"
        "Later [@nosuch].\n"  # 9
    )
    build = build_site({"sources/good.md": source_file(), "explainers/lines.md": text})
    assert build.error is not None
    errors = sorted(build.errors())
    assert len(errors) == 2, errors
    assert errors[0].startswith("ERROR: explainers/lines.md:5: 'modified' must be a date")
    assert errors[0].endswith("[reader.date]")
    assert errors[1].startswith("ERROR: explainers/lines.md:9: unknown source '@nosuch'")


# --- a small site: tables, footnotes, anchors, Pelican links, untrusted HTML ------------------

PAGE = """Intro [@good, "First paragraph"] with a remark[^note].

## What happened

| Year | Count |
|------|------:|
| 2018 [@good] | 1,475 [@good, "1,475 children"] |

### The details

See [the other page]({filename}other.md), [our copy]({filename}/sources/good.md#p2)
and [the map]({static}/images/map.png) [@good].

<script>alert("page")</script>

Inline <b onclick="x()">bold</b> and [bad](javascript:alert(1)) and <javascript:alert(2)> [@good].

[^note]: A remark [@good].
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    root = tmp_path_factory.mktemp("reader")
    write_files(
        root / "content",
        {
            "sources/good.md": source_file(),
            "explainers/page.md": explainer_file(PAGE, title="The page"),
            "explainers/other.md": explainer_file("Other text [@good].", title="Other"),
            "images/map.png": b"\x89PNG\r\n\x1a\n",
        },
    )
    return run_build(root / "content", root / "output")


def article(site: SiteBuild) -> Any:
    body = site.html("page/index.html").select_one("main article")
    assert body is not None
    return body


def written(site: SiteBuild) -> Any:
    """The article as its author wrote it: without the notes and source list the theme adds."""
    body = article(site)
    for section in body.select(".citation-notes, .source-list, .cite-files, .page-links"):
        section.decompose()
    return body


def test_site_builds(site: SiteBuild) -> None:
    assert site.error is None, site.messages
    assert site.errors() == []


def test_table_rendered(site: SiteBuild) -> None:
    table = article(site).select_one("table")
    assert table is not None
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["Year", "Count"]
    cells = table.select("tbody td")
    assert cells[0].get_text().startswith("2018")
    assert cells[1].get_text().startswith("1,475")
    # alignment as a class: the Content-Security-Policy forbids style attributes
    assert cells[1].get("class") == ["align-right"]
    assert not table.select("[style]")


def test_footnote_rendered_and_linked(site: SiteBuild) -> None:
    body = article(site)
    ref = body.select_one("sup.footnote-ref a")
    assert ref is not None
    target = body.find(id=ref["href"].lstrip("#"))
    assert target is not None and "A remark" in target.get_text()
    back = target.select_one("a.footnote-backref")
    assert back is not None and back["href"] == f"#{ref['id']}"


def test_h2_and_h3_get_ids(site: SiteBuild) -> None:
    body = article(site)
    h2 = body.find("h2", string="What happened")
    h3 = body.find("h3", string="The details")
    assert h2 is not None and h2["id"] == "what-happened"
    assert h3 is not None and h3["id"] == "the-details"


def test_filename_and_static_links_resolved_by_pelican(site: SiteBuild) -> None:
    hrefs = {a.get_text(): a["href"] for a in written(site).select("a[href]")}
    assert hrefs["the other page"] == "../other/"
    assert hrefs["our copy"] == "../sources/good/#p2"
    assert hrefs["the map"] == "../images/map.png"
    assert (site.output / "images" / "map.png").read_bytes() == b"\x89PNG\r\n\x1a\n"
    page = (site.output / "page" / "index.html").read_text(encoding="utf-8")
    assert "{filename}" not in page and "{static}" not in page and "%7B" not in page


def test_raw_html_is_text(site: SiteBuild) -> None:
    body = written(site)
    assert body.find("script") is None
    assert body.find("b") is None
    assert body.find(attrs={"onclick": True}) is None
    texts = [p.get_text() for p in body.select("p")]
    assert "<script>alert(“page”)</script>" in texts  # shown as text, quotes curled for display
    assert any("<b onclick=“x()”>bold</b>" in text for text in texts)


def test_javascript_links_not_made(site: SiteBuild) -> None:
    page = site.html("page/index.html")
    for element in page.find_all(href=True):
        assert not element["href"].strip().lower().startswith("javascript:")
    text = article(site).get_text()
    assert "[bad](javascript:alert(1))" in text
    assert "<javascript:alert(2)>" in text


def test_title_and_summary_are_text_not_html(build_site: Any) -> None:
    build = build_site(
        {
            "sources/good.md": source_file(),
            "explainers/evil.md": explainer_file(
                "Text [@good].",
                title="<script>alert(1)</script> Evil title",
                summary='"<img src=x onerror=alert(2)> Evil summary"',
                topics="[custody]",
            ),
        }
    )
    assert build.error is None, build.messages
    assert_no_injected_markup(build.output, "alert")
    heading = build.html("evil/index.html").select_one("main h1")
    assert heading is not None
    assert heading.get_text(strip=True) == "<script>alert(1)</script> Evil title"
    assert "<img src=x onerror=alert(2)> Evil summary" in build.html("index.html").get_text()


# --- bad explainers: each fails the build, names file and line, leaves output/ alone ----------

# explainer_file() puts title on line 2, summary 3, date 4, then any extra field on 5.
BAD_EXPLAINERS: list[Any] = [
    pytest.param(
        "Text [@good].\n", "explainers/bad.md:1", "reader.metadata", id="missing-front-matter"
    ),
    pytest.param(
        '---\ntitle: "x"\ndate: 2026-11-23\nsummary: a: b\n---\nText [@good].\n',
        "explainers/bad.md:4",
        "reader.yaml",
        id="malformed-yaml",
    ),
    pytest.param(
        explainer_file("Text [@good].", date="soon"),
        "explainers/bad.md:4",
        "reader.date",
        id="date-not-a-date",
    ),
    pytest.param(
        explainer_file("Text [@good].", date="2026-02-30"),
        "explainers/bad.md:4",
        "reader.date",
        id="impossible-date",
    ),
    pytest.param(explainer_file(""), "explainers/bad.md:1", "reader.empty", id="empty-body"),
    pytest.param(
        b"---\ntitle: x\ndate: 2026-11-23\n---\nText \xff [@good].\n",
        "explainers/bad.md:5",
        "content.encoding",
        id="not-utf8",
    ),
    pytest.param(
        explainer_file("Text [@good].", slug="../evil"),
        "explainers/bad.md:5",
        "reader.slug",
        id="slug-escapes",
    ),
    pytest.param(
        explainer_file("Text [@good].", save_as="../../evil.html"),
        "explainers/bad.md:5",
        "reader.slug",
        id="save-as-escapes",
    ),
    pytest.param(
        explainer_file("Text [@good].", template="../../evil"),
        "explainers/bad.md:5",
        "reader.metadata",
        id="template-escapes",
    ),
]


@pytest.mark.parametrize(("text", "where", "code"), BAD_EXPLAINERS)
def test_bad_explainer_fails_naming_file_and_line(
    tmp_path: Path, text: str | bytes, where: str, code: str
) -> None:
    files: dict[str, str | bytes] = {
        "sources/good.md": source_file(),
        "explainers/bad.md": text,
    }
    bad = build_over_good(tmp_path, files)
    assert_one_error(bad, where, code)
    assert not list(tmp_path.rglob("*evil*"))


def test_file_name_must_be_a_slug(tmp_path: Path) -> None:
    page = explainer_file("Text [@good].")
    files = {"sources/good.md": source_file(), "explainers/Bad_Name.md": page}
    bad = build_over_good(tmp_path, files)
    assert_one_error(bad, "explainers/Bad_Name.md:1", "reader.slug", "Bad_Name")


def test_unexpected_reader_error_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pelican would log "Could not process" and skip the file, and the build would pass
    original = mdreader.reader.MarkdownItReader._metadata

    def fail_on_bad(self: Any, tokens: Any, relpath: str, *args: Any) -> Any:
        if relpath.endswith("bad.md"):
            raise RuntimeError("boom")
        return original(self, tokens, relpath, *args)

    monkeypatch.setattr(mdreader.reader.MarkdownItReader, "_metadata", fail_on_bad)
    files = {"sources/good.md": source_file(), "explainers/bad.md": explainer_file("T [@good].")}
    bad = build_over_good(tmp_path, files)
    assert_one_error(bad, "explainers/bad.md", "reader.internal", "RuntimeError: boom")


def test_the_collector_thresholds_come_back_after_a_build(build_site: Any) -> None:
    before = gc.get_threshold()
    result = build_site(
        {
            "sources/src.md": source_file(),
            "explainers/one.md": explainer_file("Text [@src].", title="One"),
        }
    )
    assert result.error is None, result.messages
    assert gc.get_threshold() == before
