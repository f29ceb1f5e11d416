"""`explainer add-source`: saved pages served from 127.0.0.1, saved files, and the five seeds."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT
from explainer_cli.importer import same_url_key, yaml_string
from explainer_cli.main import main
from explainer_cli.sourceid import abbreviation, propose_id, site_name
from explainer_cli.textclean import clean, find_date
from sitemodel import ProblemLog
from sources import load_source

FIXTURES = ROOT / "tests" / "fixtures" / "import"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"  # the five seed texts as saved, copied from shared/
SETTINGS = str(ROOT / "pelicanconf.py")

RIVERSIDE_BODY = [
    "Riverside councillors have postponed a vote on a new water treatment plant after the"
    " estimated cost rose from 24 million pounds to 48 million pounds in a year.",
    "The council's finance committee said on Friday that it needed \"at least three more"
    ' months" to examine the revised figures before the full council could decide.',
    "The current plant was built in 1962. An inspection report published last autumn found"
    " that two of its four filters no longer met national standards.",
    "Council leader Martin Okafor said residents would not be asked to pay more this year."
    ' "Nobody\'s water bill will go up because of this delay," he said.',
    "Opposition councillors called the delay a mistake. Councillor Jane Whitfield said the"
    ' plant "should have been replaced a decade ago" and that every month of waiting added'
    " to the final bill.",
    "The national water regulator has given the council until the end of 2023 to bring the"
    " filters up to standard.",
]
# Page furniture on the saved pages, none of which may reach a source file.
RIVERSIDE_FURNITURE = [
    "Skip to main content",
    "cookies",
    "Subscribe",
    "Advertisement",
    "Share on Facebook",
    "Photo: Valley Courier",
    "Read more",
    "Riverside filters fail inspection",
    "Sign up for our daily email",
    "Related stories",
    "Three bus routes to close",
    "12 comments",
    "Typical council",
    "Leave a Comment",
    "All rights reserved",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    """The saved pages, served by a local web server as if they were the originals."""
    handler = partial(_QuietHandler, directory=str(FIXTURES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def add_source(*arguments: str) -> int:
    return main(["add-source", *arguments])


def only_source(content: Path) -> Path:
    files = sorted((content / "sources").glob("*.md"))
    assert len(files) == 1, files
    return files[0]


def load(path: Path, content: Path) -> tuple[Any, ProblemLog]:
    problems = ProblemLog()
    source = load_source(path, path.relative_to(content).as_posix(), problems)
    return source, problems


def front_matter(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def body_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


# ---------------------------------------------------------------- web pages


def test_news_page_from_url_becomes_a_valid_source(
    tmp_path: Path, site_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    url = f"{site_url}/riverside-water.html"
    assert add_source(url, "--content", str(content), "--kind", "news") == 0
    path = only_source(content)
    assert path.stem.startswith("vc-2021-")
    source, problems = load(path, content)
    assert problems.problems == []
    assert source.title == "Council delays vote on Riverside water plant after cost doubles"
    assert source.outlet == "The Valley Courier"
    assert source.authors == ["Priya Raman"]
    assert source.published == datetime.date(2021, 3, 14)
    assert source.url == url
    assert source.kind == "news"
    assert source.paragraphs == RIVERSIDE_BODY
    text = path.read_text(encoding="utf-8")
    for furniture in RIVERSIDE_FURNITURE:
        assert furniture not in text
    assert f"Wrote {path}" in capsys.readouterr().out


def test_page_without_a_date_leaves_fill_in_fields_that_check_reports(
    tmp_path: Path, site_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    assert add_source(f"{site_url}/tenants-statement.html", "--content", str(content)) == 0
    path = only_source(content)
    lines = path.read_text(encoding="utf-8").split("\n")
    published_line = next(i for i, line in enumerate(lines, 1) if line.startswith("published:"))
    assert lines[published_line - 1].startswith("published: FILL-IN  # YYYY-MM-DD")
    assert any(line.startswith("kind: FILL-IN") for line in lines)
    # the platform's "Admin" is not an author
    assert any(line.startswith("author:  # FILL-IN") for line in lines)
    assert front_matter(path)["outlet"] == "Northgate Tenants Union"
    body = body_of(path)
    assert body.startswith("The Northgate Tenants Union rejects the landlord's plan")
    for furniture in (
        "top of page",
        "cookies",
        "min read",
        "1 view",
        "0 comments",
        "Recent Posts",
        "Welcome to our new website",
        "Log in",
        "bottom of page",
    ):
        assert furniture not in body
    out = capsys.readouterr().out
    assert f"{path}:{published_line}: published" in out

    assert main(["check", str(content), "-s", SETTINGS]) == 1
    report = capsys.readouterr().out
    assert (
        f"{path}:{published_line}: error: 'published' must be a date like 2018-05-29, or 2019-09"
        " or 2019 when only the month or year is known [sources.date]" in report
    )
    assert "unknown kind 'FILL-IN'" in report
    assert "'author' must be a name or a list of names" in report


def test_same_address_is_refused_and_the_file_kept(
    tmp_path: Path, site_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    url = f"{site_url}/riverside-water.html"
    assert add_source(url, "--content", str(content), "--kind", "news") == 0
    path = only_source(content)
    path.write_text(path.read_text(encoding="utf-8") + "\nA contributor's edit.\n", "utf-8")
    edited = path.read_bytes()
    capsys.readouterr()
    # the same page again, with the address written slightly differently
    assert add_source(url + "?utm_source=feed", "--content", str(content)) == 1
    error = capsys.readouterr().err
    assert f"already imported: {path} has the same address" in error
    assert path.read_bytes() == edited
    assert only_source(content) == path


def test_same_text_under_another_address_is_refused(
    tmp_path: Path, site_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    page = FIXTURES / "riverside-water.html"
    mirror = "https://mirror.example/riverside"
    assert add_source(str(page), "--content", str(content), "--url", mirror) == 0
    path = only_source(content)
    before = path.read_bytes()
    capsys.readouterr()
    assert add_source(f"{site_url}/riverside-water.html", "--content", str(content)) == 1
    assert f"already imported: {path} has the same text" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_page_whose_canonical_address_is_stored_is_refused(
    tmp_path: Path, site_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Saved first from a file (its canonical address recorded), then fetched from a mirror."""
    content = tmp_path / "content"
    assert add_source(str(FIXTURES / "riverside-water.html"), "--content", str(content)) == 0
    path = only_source(content)
    capsys.readouterr()
    assert add_source(f"{site_url}/riverside-water.html", "--content", str(content)) == 1
    error = capsys.readouterr().err
    assert f"already imported: {path} has the same address (https://valleycourier" in error


def test_saved_page_uses_canonical_address_or_url_option(tmp_path: Path) -> None:
    content = tmp_path / "content"
    page = FIXTURES / "riverside-water.html"
    assert add_source(str(page), "--content", str(content), "--id", "courier-plant") == 0
    written = content / "sources" / "courier-plant.md"
    assert front_matter(written)["url"] == (
        "https://valleycourier.example/news/2021/03/council-delays-riverside-water-plant-vote"
    )

    other = tmp_path / "other"
    column = FIXTURES / "opinion-column.html"
    given_url = "https://northernledger.example/opinion/libraries-worth-more"
    assert (
        add_source(str(column), "--content", str(other), "--url", given_url, "--kind", "opinion")
        == 0
    )
    path = only_source(other)
    source, problems = load(path, other)
    assert problems.problems == []
    assert source.url == given_url
    assert source.authors == ["Tomasz Nowak", "Grace Adeyemi"]
    assert source.published == datetime.date(2019, 11, 2)
    assert source.outlet == "Northern Ledger"
    assert source.paragraphs[0].startswith("For the third year running")
    text = path.read_text(encoding="utf-8")
    for furniture in (
        "Read more",
        "What the library plan means",
        "More from Opinion",
        "Libraries saved my life",
        "cookies",
        "Pic:",
        "Subscribe",
    ):
        assert furniture not in text


def test_plain_text_address_with_wrapped_lines_and_markdown(tmp_path: Path, site_url: str) -> None:
    content = tmp_path / "content"
    url = f"{site_url}/plain-statement.txt"
    assert add_source(url, "--content", str(content), "--kind", "statement") == 0
    path = only_source(content)
    assert path.stem == "source-2019-library"  # no outlet, and an IP address says nothing
    source, problems = load(path, content)
    assert [p.message for p in problems.problems] == ["missing required field 'outlet'"]
    fields = front_matter(path)
    assert fields["title"] == "Library users' group statement on Saturday closures"
    assert fields["author"] == ["Ruth Okoye", "Daniel Marsh"]
    assert fields["published"] == datetime.date(2019, 11, 4)
    assert fields["url"] == url
    assert body_of(path) == (
        "The Library Users' Group opposes the plan to close six branches on Saturdays. We"
        " collected 2,300 signatures in two weeks, most of them from parents who cannot visit"
        " on weekdays.\n\nWe ask the county to publish the figures behind its estimate of the"
        " savings, and to hold a public meeting before the vote.\n"
    )


def test_dry_run_prints_the_file_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    page = FIXTURES / "riverside-water.html"
    assert add_source(str(page), "--content", str(content), "--dry-run") == 0
    captured = capsys.readouterr()
    assert captured.out.startswith('---\ntitle: "Council delays vote')
    assert RIVERSIDE_BODY[0] in captured.out
    assert "Would write" in captured.err
    assert not content.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--id", "Bad_ID"], "must use lowercase letters, digits and hyphens"),
        (["--url", "ftp://example.org/x"], "--url must be an http:// or https:// address"),
        (["--id", "taken"], "the id 'taken' is taken by"),
    ],
)
def test_bad_options_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    content = tmp_path / "content"
    (content / "sources").mkdir(parents=True)
    taken = content / "sources" / "taken.md"
    taken.write_text("---\ntitle: x\n---\nSomething else entirely.\n", encoding="utf-8")
    page = FIXTURES / "riverside-water.html"
    assert add_source(str(page), "--content", str(content), *arguments) == 1
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (content / "sources").iterdir()) == ["taken.md"]


def test_unreachable_address_is_a_clear_error(
    tmp_path: Path, site_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add_source(f"{site_url}/no-such-page.html", "--content", str(tmp_path)) == 1
    error = capsys.readouterr().err
    assert "cannot fetch" in error and "404" in error


# ---------------------------------------------------------------- the five seed texts

SEED_CASES = {
    # seed: (furniture that must be gone, first paragraph starts, last paragraph starts)
    "000": (
        [
            "By Alistair Farrow",
            "Downloading PDF",
            "This article is over",
            "Issue 2606",
            "(Pic:",
            "The fence between the US and Mexico in California",
            "Sign up for our daily email",
            "Latest News",
            "Make a donation",
            "Help fund",
        ],
        "The world had a glimpse of the reality",
        "Join the demonstrations against Trump",
    ),
    "001": (
        [
            "**",
            "# ",
            "SEP candidate for US vice president",
            "To contact the WSWP",
            "wsws.org/contact",
            "*Times*",
        ],
        "The Socialist Equality Party and our election campaign denounce",
        "The fight for the rights of immigrants",
    ),
    "002": (
        ["Skip to main content", "Skip to header navigation", "Leave a Comment"],
        "It’s been less than a month since a Justice Department draft was leaked",
        "If you’re looking to help #keepfamiliestogether",
    ),
    "003": (
        ["Josy Duffy Rice", "](", "###", "**"],
        "The separation of families and the government “losing track”",
        "Join activists for a National Day of Action",
    ),
    "004": (
        ["top of page", "1 view0 comments", "bottom of page"],
        "The International Migrant Alliance-USA (IMA-USA) network denounces",
        "End forced migration!",
    ),
}


def seed_file(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.txt"))


@pytest.mark.parametrize("number", sorted(SEED_CASES))
def test_seed_text_is_imported_cleanly(tmp_path: Path, number: str) -> None:
    furniture, first, last = SEED_CASES[number]
    content = tmp_path / "content"
    assert add_source(str(seed_file(number)), "--content", str(content)) == 0
    path = only_source(content)
    body = body_of(path)
    for line in furniture:
        assert line not in body
    paragraphs = body.strip("\n").split("\n\n")
    assert paragraphs[0].startswith(first)
    assert paragraphs[-1].startswith(last)
    assert all(p and "\n" not in p for p in paragraphs)


def test_seed_cut_paragraphs_are_joined_and_byline_kept(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert add_source(str(seed_file("001")), "--content", str(content)) == 0
    path = only_source(content)
    fields = front_matter(path)
    assert fields["author"] == "Norissa Santa Cruz"
    assert fields["published"] == datetime.date(2020, 5, 23)
    assert fields["title"].startswith("Oppose the Trump administration")
    body = body_of(path)
    assert "directly responsible for the widespread infection" in body
    assert "Miller had long viewed" in body
    assert "ruling class." in body


@pytest.mark.parametrize(
    ("number", "source_id"),
    [
        ("000", "sw-2018-missing"),
        ("001", "wsws-2020-deportations"),
        ("002", "sheknows-2020-expelled"),
        ("003", "ffi-2018-whereabouts"),
        ("004", "imausa-2019-resist"),
    ],
)
def test_seed_import_matches_the_hand_cleaned_source(number: str, source_id: str) -> None:
    """The cleaning reproduces, paragraph for paragraph, the sources cleaned by hand."""
    hand_cleaned = ROOT / "content" / "sources" / f"{source_id}.md"
    if not hand_cleaned.exists():
        pytest.skip(f"{hand_cleaned} is not in this checkout")
    cleaned = clean(seed_file(number).read_text(encoding="utf-8"))
    source, problems = load(hand_cleaned, ROOT / "content")
    assert problems.problems == []
    assert cleaned.paragraphs == source.paragraphs


def test_a_seed_already_in_the_site_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = ROOT / "content" / "sources" / "sw-2018-missing.md"
    if not existing.exists():
        pytest.skip(f"{existing} is not in this checkout")
    content = tmp_path / "content"
    (content / "sources").mkdir(parents=True)
    copy = content / "sources" / existing.name
    copy.write_bytes(existing.read_bytes())
    assert add_source(str(seed_file("000")), "--content", str(content)) == 1
    assert f"already imported: {copy} has the same text" in capsys.readouterr().err
    assert copy.read_bytes() == existing.read_bytes()


# ---------------------------------------------------------------- small parts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe—reporter  23 May 2020", datetime.date(2020, 5, 23)),
        ("Published May 23, 2020", datetime.date(2020, 5, 23)),
        ("Updated 2021-03-14T09:30", datetime.date(2021, 3, 14)),
        ("3rd Sept 2019", datetime.date(2019, 9, 3)),
        ("31 February 2020", None),
        ("Issue 2606", None),
    ],
)
def test_find_date(text: str, expected: datetime.date | None) -> None:
    assert find_date(text) == expected


@pytest.mark.parametrize(
    ("outlet", "url", "expected"),
    [
        ("The Valley Courier (UK)", "", "vc"),
        ("Newsday", "", "newsday"),
        ("World Wide Web Site", "", "wwws"),
        ("Example Alliance–USA", "", "eausa"),
        ("", "https://www.valleycourier.example/a", "valleycourier"),
        ("", "https://paper.co.uk/a", "paper"),
    ],
)
def test_id_prefix(outlet: str, url: str, expected: str) -> None:
    assert (abbreviation(outlet) or site_name(url)) == expected


def test_proposed_id_is_short_valid_and_unique() -> None:
    from collections import Counter

    counts = Counter({"council": 5, "water": 3})
    proposed = propose_id(
        outlet="The Valley Courier",
        url="",
        year=2021,
        title="Council delays vote on Riverside water plant",
        taken={"vc-2021-delays"},
        counts=counts,
    )
    assert proposed == "vc-2021-delays-2"
    assert propose_id(outlet="", url="", year=None, title="", taken=set()) == "source"


def test_same_address_ignores_scheme_www_slash_and_tracking() -> None:
    assert same_url_key("https://www.example.org/a/?utm_source=x#top") == same_url_key(
        "http://example.org/a"
    )
    assert same_url_key("https://example.org/a?id=1") != same_url_key("https://example.org/a")


@given(st.text(min_size=1), st.text(min_size=1))
def test_yaml_strings_read_back_unchanged(value: str, other: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(value)}")["key"] == value
    names = f"[{yaml_string(value, in_list=True)}, {yaml_string(other, in_list=True)}]"
    assert yaml.safe_load(f"key: {names}")["key"] == [value, other]


@pytest.mark.parametrize(
    ("head", "authors"),
    [
        ("Jane Doe — city reporter  \n23 May 2020", ["Jane Doe"]),
        ("Washington, 23 May 2020", []),
        ("By Ana Ruiz and Tom Lee, staff writers", ["Ana Ruiz", "Tom Lee"]),
    ],
)
def test_byline_and_dateline_go_to_metadata(head: str, authors: list[str]) -> None:
    cleaned = clean(f"# A headline\n\n{head}\n\nThe article starts here.\n")
    assert cleaned.title == "A headline"
    assert cleaned.authors == authors
    assert cleaned.paragraphs == ["The article starts here."]
    if "2020" in head:
        assert cleaned.published == datetime.date(2020, 5, 23)


# ---------------------------------------------------------------- HTML imports

SHORT_LINES_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Short lines</title></head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Ferry timetable changes from Monday</h1>
<p>The ferry will leave at seven.</p>
<p>it returns at nine, the operator said.</p>
<p>Tickets cost 4 pounds for adults.</p>
<p>Children under five travel free.</p>
<p>The winter timetable starts in October.</p>
<p>Passengers were told to arrive early.</p>
</article>
<footer><p>Harbour Gazette, Quay Street.</p></footer>
</body></html>
"""


def test_html_import_lists_what_it_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = FIXTURES / "riverside-water.html"
    assert add_source(str(page), "--content", str(tmp_path / "content")) == 0
    out = capsys.readouterr().out
    dropped = out.split("Dropped as page furniture", 1)[1]
    for line in ("Skip to main content", "Accept all cookies", "Typical council.", "About us"):
        assert f"  - {line}" in dropped
    # the headline and the article's paragraphs are not listed
    assert "Council delays vote on Riverside water plant after cost doubles" not in dropped
    assert RIVERSIDE_BODY[0] not in dropped


def test_html_import_keeps_short_paragraphs_apart(tmp_path: Path) -> None:
    page = tmp_path / "ferry.html"
    page.write_text(SHORT_LINES_PAGE, encoding="utf-8")
    content = tmp_path / "content"
    assert add_source(str(page), "--content", str(content)) == 0
    assert body_of(only_source(content)).split("\n\n") == [
        "The ferry will leave at seven.",
        "it returns at nine, the operator said.",
        "Tickets cost 4 pounds for adults.",
        "Children under five travel free.",
        "The winter timetable starts in October.",
        "Passengers were told to arrive early.\n",
    ]


def test_import_fills_accessed_and_writes_the_archive_address_as_a_comment(
    tmp_path: Path, site_url: str
) -> None:
    content = tmp_path / "content"
    url = f"{site_url}/riverside-water.html"
    assert add_source(url, "--content", str(content), "--kind", "news") == 0
    path = only_source(content)
    today = datetime.date.today()
    fields = front_matter(path)
    assert fields["accessed"] == today
    assert "archived" not in fields  # a comment until the contributor checks the copy exists
    assert f"\n# archived: https://web.archive.org/web/20210314/{url}" in path.read_text("utf-8")
    source, problems = load(path, content)
    assert problems.problems == [] and source.accessed == today
    # a page without a date: the archive address uses today
    undated = f"{site_url}/tenants-statement.html"
    assert add_source(undated, "--content", str(content), "--id", "tenants") == 0
    text = (content / "sources" / "tenants.md").read_text("utf-8")
    assert f"\n# archived: https://web.archive.org/web/{today:%Y%m%d}/{undated}" in text
