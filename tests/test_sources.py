"""The sources plugin: metadata checked, one page per source, numbered paragraphs, excerpts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import SiteBuild, explainer_file, run_build, source_file, write_files
from test_build_guarantees import assert_no_injected_markup, assert_one_error, build_over_good

BODY = (
    "Alpha paragraph opens the article.\n\n"
    "Bravo paragraph holds the cited words in its middle,\nacross two lines.\n\n"
    "Charlie paragraph closes it."
)
CITING = explainer_file('The words [@story, "the cited words"].')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    root = tmp_path_factory.mktemp("sources")
    write_files(
        root / "content",
        {
            "sources/story.md": source_file(BODY, archived="https://archive.example.org/story"),
            "sources/plain.md": source_file(author=None, url=None, title='"Plain one"'),
            "explainers/citing.md": CITING,
        },
    )
    return run_build(root / "content", root / "output")


def test_site_builds(site: SiteBuild) -> None:
    assert site.error is None, site.messages
    assert site.messages == []


def test_source_page_shows_metadata_and_links(site: SiteBuild) -> None:
    main = site.html("sources/story/index.html").select_one("main")
    assert main is not None
    assert main.h1 is not None and main.h1.get_text(strip=True) == "A headline"
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in main.select("dt")}
    assert facts["Outlet"].get_text(strip=True) == "The Outlet"
    assert "A. Writer" in facts["Author"].get_text()
    assert facts["Published"].time["datetime"] == "2018-05-29"
    hrefs = {a["href"] for a in main.select("dt + dd a")}
    assert "https://example.org/article" in hrefs
    assert "https://archive.example.org/story" in hrefs


def test_source_without_author_url_or_archive(site: SiteBuild) -> None:
    main = site.html("sources/plain/index.html").select_one("main")
    assert main is not None
    labels = [dt.get_text(strip=True) for dt in main.select("dt")]
    assert "Author" not in labels
    assert not [a for a in main.select("a[href]") if "archive" in a["href"]]
    assert not [a for a in main.select("a[href]") if a["href"].startswith("http")]


def test_paragraphs_numbered_with_anchors(site: SiteBuild) -> None:
    page = site.html("sources/story/index.html")
    paragraphs = page.select("p[id^=p]")
    assert [p["id"] for p in paragraphs] == ["p1", "p2", "p3"]
    for number, paragraph in enumerate(paragraphs, start=1):
        link = paragraph.select_one("a.pnum")
        assert link is not None
        assert link["href"] == f"#p{number}"
        assert link.get_text() == f"¶{number}"
    # lines of one paragraph are joined into one
    assert "in its middle, across two lines." in paragraphs[1].get_text()


def test_cited_passage_marked_with_its_anchor(site: SiteBuild) -> None:
    page = site.html("sources/story/index.html")
    mark = page.select_one("p#p2 mark.passage")
    assert mark is not None and mark.get_text() == "the cited words"
    assert mark["id"] and mark["data-passage"] == mark["id"]  # the passage is the element
    explainer = site.html("citing/index.html")
    assert explainer.select_one(f'a[href$="sources/story/#{mark["id"]}"]') is not None


def test_index_lists_every_source(site: SiteBuild) -> None:
    page = site.html("sources/index.html")
    main = page.select_one("main")
    assert main is not None
    links = {a["href"]: a.get_text(strip=True) for a in main.select("a[href]")}
    assert links.get("../sources/story/", links.get("story/")) == "A headline"
    assert links.get("../sources/plain/", links.get("plain/")) == "Plain one"


def excerpt_text(build: SiteBuild) -> str:
    text = build.html("sources/story/index.html").select_one(".source-text")
    assert text is not None
    return text.get_text(" ", strip=True)


@pytest.mark.parametrize(
    ("front", "settings"),
    [({"text": "excerpts"}, {}), ({}, {"SOURCES": {"text": "excerpts"}})],
    ids=["per-source", "site-wide"],
)
def test_excerpts_show_only_cited_passages(
    build_site: Any, front: dict[str, str], settings: dict[str, Any]
) -> None:
    build = build_site(
        {"sources/story.md": source_file(BODY, **front), "explainers/citing.md": CITING},
        **settings,
    )
    assert build.error is None, build.messages
    text = excerpt_text(build)
    assert "the cited words" in text
    assert "¶2" in text
    for absent in ("Alpha", "Bravo", "in its middle", "across two lines", "Charlie", "¶1", "¶3"):
        assert absent not in text
    page = build.html("sources/story/index.html")
    assert [p["id"] for p in page.select(".source-text p[id]")] == ["p2"]
    for path in build.output.rglob("*"):  # nor anywhere else in the published site
        if path.is_file():
            assert b"Charlie paragraph" not in path.read_bytes(), path


def test_excerpts_are_capped_at_a_share_of_the_words(build_site: Any) -> None:
    body = "One two three four five six seven eight nine ten."
    quoted = 'Text [@story, "One two three"].'  # 3 of 10 words
    files = {
        "sources/story.md": source_file(body, text="excerpts"),
        "explainers/citing.md": explainer_file(quoted),
    }
    within = build_site(files, SOURCES={"excerpt_share": 0.3})
    assert within.error is None, within.messages
    over = build_site(files, SOURCES={"excerpt_share": 0.25})
    assert over.errors() == [
        "ERROR: sources/story.md:1: explainers quote 3 of its 10 words (30%); a source shown"
        " as excerpts may show at most 25%: quote shorter passages [sources.excerpt-share]"
    ]


def test_full_text_is_the_default(build_site: Any) -> None:
    build = build_site({"sources/story.md": source_file(BODY), "explainers/citing.md": CITING})
    assert build.error is None, build.messages
    text = excerpt_text(build)
    for present in ("Alpha paragraph", "Bravo paragraph", "Charlie paragraph"):
        assert present in text


def test_mistyped_text_setting_fails_rather_than_publish_full_text(tmp_path: Path) -> None:
    files = {"sources/story.md": source_file(BODY), "explainers/citing.md": CITING}
    bad = build_over_good(tmp_path, files, SOURCES={"text": "excerpt"})
    assert_one_error(bad, "pelicanconf.py", "sources.settings", "excerpts")


# --- bad input: each fails the build, names file and line, leaves output/ alone ---------------

BAD_UTF8 = source_file("First paragraph.\n\nSecond ").encode() + b"\xff paragraph.\n"
BAD_UTF8_LINE = BAD_UTF8.count(b"\n")  # the last line holds the bad byte
# source_file() puts its fields on these lines: title 2, outlet 3, author 4, published 5,
# url 6, kind 7, language 8, then any extra field on 9.
BAD_SOURCES: list[Any] = [
    pytest.param(
        {"sources/a.md": "Just a body, no front matter.\n"},
        "sources/a.md:1",
        "sources.metadata",
        id="missing-front-matter",
    ),
    pytest.param(
        {"sources/a.md": "---\ntitle: ok\noutlet: O\nkind: news: bad\n---\nBody.\n"},
        "sources/a.md:4",
        "sources.yaml",
        id="malformed-yaml",
    ),
    pytest.param(
        {"sources/a.md": "---\ntitle: [unclosed\noutlet: O\n---\nBody.\n"},
        "sources/a.md:3",
        "sources.yaml",
        id="unclosed-yaml",
    ),
    pytest.param(
        {"sources/a.md": source_file(outlet=None)},
        "sources/a.md:1",
        "sources.metadata",
        id="missing-outlet",
    ),
    pytest.param(
        {"sources/a.md": source_file(kind="rumour")},
        "sources/a.md:7",
        "sources.kind",
        id="unknown-kind",
    ),
    pytest.param(
        {"sources/a.md": source_file(published="last spring")},
        "sources/a.md:5",
        "sources.date",
        id="date-not-a-date",
    ),
    pytest.param(
        {"sources/a.md": source_file(published="2018-02-30")},
        "sources/a.md:5",
        "sources.date",
        id="impossible-date",
    ),
    pytest.param(
        {"sources/a.md": source_file(url="javascript:alert(1)")},
        "sources/a.md:6",
        "sources.url",
        id="javascript-url",
    ),
    pytest.param(
        {"sources/a.md": source_file(url="ftp://example.org/a")},
        "sources/a.md:6",
        "sources.url",
        id="ftp-url",
    ),
    pytest.param(
        {"sources/a.md": source_file(archived="javascript:alert(1)")},
        "sources/a.md:9",
        "sources.url",
        id="javascript-archive",
    ),
    pytest.param(
        {"sources/bad..id.md": source_file()},
        "sources/bad..id.md:1",
        "sources.id",
        id="dots-in-file-name",
    ),
    pytest.param(
        {"sources/a.md": source_file(id="../evil")},
        "sources/a.md:9",
        "sources.id",
        id="slash-in-id",
    ),
    pytest.param(
        {"sources/a.md": source_file(), "sources/sub/a.md": source_file()},
        "sources/sub/a.md:1",
        "sources.duplicate",
        id="duplicate-id",
    ),
    pytest.param(
        {"sources/a.md": BAD_UTF8},
        f"sources/a.md:{BAD_UTF8_LINE}",
        "content.encoding",
        id="not-utf8",
    ),
    pytest.param(
        {"sources/a.md": source_file(body="")}, "sources/a.md:10", "sources.empty", id="empty-body"
    ),
    pytest.param(
        {"sources/a.md": source_file(body="  \n\n \t")},
        "sources/a.md:10",
        "sources.empty",
        id="blank-body",
    ),
    pytest.param(
        {"sources/a.md": source_file(text="some")},
        "sources/a.md:9",
        "sources.metadata",
        id="unknown-text-mode",
    ),
    pytest.param(
        {"sources/a.md": source_file(**{"date-estimated": "true"})},
        "sources/a.md:9",
        "sources.metadata",
        id="unknown-field",
    ),
]


@pytest.mark.parametrize(("files", "where", "code"), BAD_SOURCES)
def test_bad_source_fails_naming_file_and_line(
    tmp_path: Path, files: dict[str, str | bytes], where: str, code: str
) -> None:
    site_files: dict[str, str | bytes] = {
        "sources/good.md": source_file(),
        "explainers/page.md": explainer_file("Text [@good]."),
        **files,
    }
    bad = build_over_good(tmp_path, site_files)
    assert_one_error(bad, where, code)
    assert not list(tmp_path.rglob("*evil*"))


def test_every_problem_of_every_file_in_one_build(tmp_path: Path) -> None:
    files = {
        "sources/good.md": source_file(),
        "sources/one.md": source_file(kind="rumour", url="ftp://example.org/"),
        "sources/two.md": source_file(published="soon"),
        "explainers/page.md": explainer_file("Text [@good].", date="later"),
    }
    bad = build_over_good(tmp_path, files)
    found = {(m.split(": ")[1], m.rsplit("[", 1)[1]) for m in bad.errors()}
    assert found == {
        ("sources/one.md:6", "sources.url]"),
        ("sources/one.md:7", "sources.kind]"),
        ("sources/two.md:5", "sources.date]"),
        ("explainers/page.md:4", "reader.date]"),
    }, bad.messages


# --- unusual but valid input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: ("\ufeff" + text).encode(), id="utf8-bom"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda text: ("\ufeff" + text.replace("\n", "\r\n")).encode(), id="bom-crlf"),
    ],
)
def test_bom_and_crlf_build_with_paragraphs_split(build_site: Any, encode: Any) -> None:
    build = build_site(
        {
            "sources/story.md": encode(source_file(BODY)),
            "explainers/citing.md": CITING,
        }
    )
    assert build.error is None, build.messages
    page = build.html("sources/story/index.html")
    assert page.h1 is not None and page.h1.get_text(strip=True) == "A headline"
    paragraphs = [p.get_text(" ", strip=True) for p in page.select(".source-text p[id]")]
    assert paragraphs == [
        "¶1 Alpha paragraph opens the article.",
        "¶2 Bravo paragraph holds the cited words in its middle, across two lines.",
        "¶3 Charlie paragraph closes it.",
    ]
    assert "\r" not in (build.output / "sources" / "story" / "index.html").read_text("utf-8")


def test_script_in_source_body_is_text(build_site: Any) -> None:
    body = "Before <script>alert(1)</script> after.\n\n<img src=x onerror=alert(2)>"
    build = build_site(
        {
            "sources/story.md": source_file(body),
            "explainers/citing.md": explainer_file("Text [@story]."),
        }
    )
    assert build.error is None, build.messages
    text = build.html("sources/story/index.html").select_one(".source-text")
    assert text is not None
    assert text.find("script") is None and text.find("img") is None
    assert "Before <script>alert(1)</script> after." in text.get_text()
    assert "<img src=x onerror=alert(2)>" in text.get_text()


def test_metadata_is_text_not_html(build_site: Any) -> None:
    build = build_site(
        {
            "sources/story.md": source_file(
                BODY,
                title='"<script>alert(1)</script> Headline"',
                outlet='"<b>Evil</b> Outlet"',
                author='"<i>Evil</i> Writer"',
                notes='"<img src=x onerror=alert(2)> Evil note"',
                url='"https://example.org/?a=1&b=\\"><script>alert(3)</script>"',
            ),
            "explainers/citing.md": CITING,
        }
    )
    assert build.error is None, build.messages
    assert_no_injected_markup(build.output, "Evil")
    assert_no_injected_markup(build.output, "alert")
    main = build.html("sources/story/index.html").select_one("main")
    assert main is not None and main.h1 is not None
    assert main.h1.get_text(strip=True) == "<script>alert(1)</script> Headline"
    assert "<b>Evil</b> Outlet" in main.get_text()
    original = main.select_one('dd a[href^="https://example.org/"]')
    assert original is not None
    assert original["href"] == 'https://example.org/?a=1&b="><script>alert(3)</script>'


@pytest.mark.parametrize(
    ("published", "shown", "iso"),
    [
        ("2019-09", "September 2019", "2019-09"),
        ("2019", "2019", "2019"),
        ("2018-05-29", "29 May 2018", "2018-05-29"),
    ],
)
def test_a_date_is_shown_at_the_precision_that_is_known(
    build_site: Any, published: str, shown: str, iso: str
) -> None:
    import json

    build = build_site(
        {
            "sources/story.md": source_file(BODY, published=published, date_estimated="true"),
            "explainers/citing.md": CITING,
        },
        SITEURL="https://explainers.example.net",
    )
    assert build.error is None, build.messages
    label = f"{shown} (estimated)"
    page = build.html("citing/index.html")
    assert label in page.select_one("section.source-list li").get_text()
    listing = build.html("sources/index.html").get_text(" ")
    assert " ".join(label.split()) in " ".join(listing.split())
    source_page = build.html("sources/story/index.html")
    assert source_page.select_one("time")["datetime"] == iso
    json_ld = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert json_ld["citation"][0]["datePublished"] == iso
    everything = "".join(p.read_text(encoding="utf-8") for p in build.output.rglob("*.html"))
    if published != "2018-05-29":
        assert " 1 September 2019" not in everything and "1 January 2019" not in everything


def test_overlapping_passages_each_get_a_marked_element_that_nests_or_splits() -> None:
    from sitemodel import Citation
    from sources.pages import paragraph_html

    def cited(start: int, end: int) -> Citation:
        return Citation("s", "q", "x.md", 1, 1, start, end, f"q1-{start}-{end}")

    text = "0123456789abcdefghij"
    html_ = paragraph_html(text, [cited(0, 10), cited(2, 5), cited(8, 15), cited(2, 5)])
    soup = BeautifulSoup(html_, "html.parser")
    assert soup.get_text() == text  # nothing lost or repeated
    for anchor, words in (("q1-0-10", "0123456789"), ("q1-2-5", "234"), ("q1-8-15", "89abcde")):
        pieces = soup.select(f'mark.passage[data-passage="{anchor}"]')
        assert (
            "".join(
                p.get_text()
                for p in pieces
                if not p.find_parent("mark", attrs={"data-passage": anchor})
            )
            == words
        )
        assert [p for p in pieces if p.get("id")] == [pieces[0]] and pieces[0]["id"] == anchor
    assert soup.find(id="q1-2-5").find_parent("mark")["id"] == "q1-0-10"  # contained: nested
