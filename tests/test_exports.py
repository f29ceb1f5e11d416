"""Citation files (plugins/exports): CSL-JSON, BibTeX and RIS for every explainer and source.

The CSL-JSON schema in tests/fixtures/csl-data.json is the official one, copied unchanged from
github.com/citation-style-language/schema, schemas/input/csl-data.json at commit
40b3ce0bbbda517ad14b98c93a2c65ab4cde56a9 (CSL 1.0.2; `$id` .../schema/v1.0/input/json/...).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jsonschema
import pytest
from bs4 import BeautifulSoup

from conftest import (
    ROOT,
    SiteBuild,
    build_with,
    explainer_file,
    site_settings,
    source_file,
    write_files,
)
from exports.files import explainer_key
from exports.names import csl_name

SITE = "https://explainers.example.net"
SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "csl-data.json").read_text(encoding="utf-8"))
# contributor text that would end a BibTeX field or entry, or start a new RIS tag
HOSTILE_TITLE = "Break } out \\ of 100% {braces}\n@misc{evil, title={x}} & $ # _ ^ ~"
HOSTILE_OUTLET = "Outlet\nER  - \nTY  - JOUR"
FILES = {
    "sources/story.md": source_file(
        "Intro words.\n\nThe cited words are here, and more cited words after.",
        title='"A story"',
        published="2019-09",
        date_estimated="true",
        author="[Ludwig van Beethoven, Freedom for Immigrants]",
        outlet="Freedom for Immigrants (Print)",
        archived="https://web.archive.org/web/20190901000000/https://example.org/article",
        accessed="2026-11-22",
    ),
    "sources/hostile.md": source_file(
        "Words } with \\ specials % here.",
        title=json.dumps(HOSTILE_TITLE),
        outlet=json.dumps(HOSTILE_OUTLET),
        author=json.dumps("Jane } Doe"),
        kind="statement",
    ),
    "sources/whole.md": source_file("Cited as a whole.", title='"Whole"'),
    "explainers/one.md": explainer_file(
        'It says so [@story, "cited words are here"] and [@story, "cited words"]'
        ' and again [@story, "more cited words"] [@hostile, "} with \\\\ specials %"]'
        " [@whole].",
        title="One",
    ),
}


def build(root: Path, **overrides: Any) -> SiteBuild:
    write_files(root / "content", FILES)
    settings = site_settings(root / "content", root / "output", **overrides)
    result = build_with(settings)
    assert result.error is None, result.messages
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exports")
    return build(root, SITEURL=SITE, RELATIVE_URLS=False).output


def csl(output: Path, page: str) -> list[dict[str, Any]]:
    return json.loads((output / page / "cite.json").read_text(encoding="utf-8"))


def flat(text: str) -> str:
    return " ".join(text.split())


# --- CSL-JSON ---


def test_every_csl_json_file_validates_against_the_csl_schema(site: Path) -> None:
    files = sorted(site.rglob("cite.json"))
    assert len(files) == 4  # one explainer, three sources
    for path in files:
        jsonschema.Draft7Validator(SCHEMA).validate(json.loads(path.read_text(encoding="utf-8")))


def test_a_source_record_has_its_archive_access_date_and_type(site: Path) -> None:
    [item] = csl(site, "sources/story")
    assert item["id"] == "story"
    assert item["type"] == "article-newspaper"  # kind: news
    assert item["container-title"] == "Freedom for Immigrants (Print)"
    assert item["URL"] == "https://example.org/article"
    assert item["accessed"] == {"date-parts": [[2026, 11, 22]]}
    assert item["archive"] == "Internet Archive"
    assert item["archive_location"].startswith("https://web.archive.org/web/2019")
    assert item["language"] == "en"
    assert csl(site, "sources/hostile")[0]["type"] == "webpage"  # kind: statement


def test_a_month_only_date_has_two_date_parts_in_every_format(site: Path) -> None:
    [item] = csl(site, "sources/story")
    assert item["issued"] == {"date-parts": [[2019, 9]], "circa": True}  # date_estimated
    assert "date = {2019-09}" in (site / "sources/story/cite.bib").read_text(encoding="utf-8")
    ris = (site / "sources/story/cite.ris").read_text(encoding="utf-8").splitlines()
    assert "DA  - 2019/09//" in ris
    assert "PY  - 2019" in ris


def test_people_are_split_and_organisations_kept_whole(site: Path) -> None:
    [item] = csl(site, "sources/story")
    assert item["author"] == [
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        {"literal": "Freedom for Immigrants"},
    ]
    bib = (site / "sources/story/cite.bib").read_text(encoding="utf-8")
    assert "author = {van Beethoven, Ludwig and {Freedom for Immigrants}}" in bib
    ris = (site / "sources/story/cite.ris").read_text(encoding="utf-8").splitlines()
    assert [line for line in ris if line.startswith("AU")] == [
        "AU  - van Beethoven, Ludwig",
        "AU  - Freedom for Immigrants",
    ]


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("Alistair Farrow", {"family": "Farrow", "given": "Alistair"}),
        ("Norissa Santa Cruz", {"family": "Santa Cruz", "given": "Norissa"}),
        (
            "Maria de la Cruz",
            {"family": "Cruz", "given": "Maria", "non-dropping-particle": "de la"},
        ),
        (
            "Martin Luther King Jr.",
            {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        ),
        (
            "Martin Luther King, Jr.",
            {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        ),
        ("García Márquez, Gabriel", {"family": "García Márquez", "given": "Gabriel"}),
        ("IMA-USA", {"literal": "IMA-USA"}),
        ("The Outlet", {"literal": "The Outlet"}),
        ("ACLU Staff", {"literal": "ACLU Staff"}),
        ("Office of Refugee Resettlement", {"literal": "Office of Refugee Resettlement"}),
    ],
)
def test_bylines_become_csl_names(byline: str, name: dict[str, str]) -> None:
    assert csl_name(byline, "The Outlet") == name


def test_passages_the_site_cites_are_in_the_source_record(site: Path) -> None:
    [item] = csl(site, "sources/story")
    lines = item["note"].splitlines()
    assert lines[0].startswith("Passages cited by ")
    assert f"{SITE}/sources/story/" in lines[0]  # where the ¶ numbers come from
    # "cited words are here" and "cited words" overlap: the highlighted words, once
    assert lines[1:] == ["¶2: “cited words are here”", "¶2: “more cited words”"]
    ris = (site / "sources/story/cite.ris").read_text(encoding="utf-8").splitlines()
    assert "N1  - ¶2: “more cited words”" in ris
    bib = (site / "sources/story/cite.bib").read_text(encoding="utf-8")
    assert "¶2: “cited words are here”; ¶2: “more cited words”" in bib
    assert "Archived copy (Internet Archive): https://web.archive.org/" in bib
    assert "note" not in csl(site, "sources/whole")[0]  # cited as a whole: no passage


def test_an_explainer_file_holds_the_explainer_then_its_sources(site: Path) -> None:
    items = csl(site, "one")
    assert [item["id"] for item in items] == ["one", "story", "hostile", "whole"]
    page = items[0]
    assert page["type"] == "webpage"
    assert page["title"] == "One"
    assert page["URL"] == f"{SITE}/one/"
    assert page["issued"] == {"date-parts": [[2026, 11, 23]]}
    assert page["language"] == "en"
    assert page["container-title"] == page["author"][0]["literal"]  # the site
    assert "“One”" in items[1]["note"].splitlines()[0]  # the passages this explainer cites
    bib = (site / "one/cite.bib").read_text(encoding="utf-8")
    assert re.findall(r"^@(\w+)\{([\w-]+),$", bib, re.MULTILINE) == [
        ("online", "one"),
        ("article", "story"),
        ("online", "hostile"),
        ("article", "whole"),
    ]
    ris = (site / "one/cite.ris").read_text(encoding="utf-8").splitlines()
    types = [line.removeprefix("TY  - ") for line in ris if line.startswith("TY")]
    assert types == ["ELEC", "NEWS", "ELEC", "NEWS"]


@pytest.mark.parametrize(
    ("slug", "lang", "key"),
    [
        ("one", "en", "one"),
        ("one", "es", "one-es"),  # a translation: its own id and file name
        ("story", "en", "story-explainer"),  # a source has that id
    ],
)
def test_explainer_keys_are_unique_beside_translations_and_sources(
    slug: str, lang: str, key: str
) -> None:
    article = type("Article", (), {"slug": slug, "lang": lang})()
    assert explainer_key(article, {"DEFAULT_LANG": "en"}, {"story": object()}) == key


# --- BibTeX: a parser that counts braces as BibTeX does (a backslash escapes none) ---


def bibtex_entries(text: str) -> list[tuple[str, str, dict[str, str]]]:
    entries = []
    position = 0
    header = re.compile(r"\s*@(\w+)\{([\w-]+),\n")
    field = re.compile(r"\s*(\w+) = \{")
    while position < len(text.rstrip()):
        match = header.match(text, position)
        assert match, f"no entry at {text[position : position + 40]!r}"
        kind, key, position = match.group(1), match.group(2), match.end()
        fields: dict[str, str] = {}
        while not text.startswith("\n}", position):
            found = field.match(text, position)
            assert found, f"no field at {text[position : position + 40]!r}"
            depth, start = 1, found.end()
            position = start
            while depth:
                assert position < len(text), "unbalanced braces"
                depth += {"{": 1, "}": -1}.get(text[position], 0)
                position += 1
            fields[found.group(1)] = text[start : position - 1]
            if text.startswith(",", position):
                position += 1
        position += 2
        entries.append((kind, key, fields))
    return entries


UNESCAPE = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciicircum{}": "^",
    r"\textasciitilde{}": "~",
    r"\%": "%",
    r"\&": "&",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
}


def unescape(value: str) -> str:
    pattern = "|".join(re.escape(escaped) for escaped in UNESCAPE)
    return re.sub(pattern, lambda m: UNESCAPE[m.group()], value)


def test_bibtex_parses_and_hostile_text_stays_in_its_field(site: Path) -> None:
    entries = bibtex_entries((site / "sources/hostile/cite.bib").read_text(encoding="utf-8"))
    [(kind, key, fields)] = entries  # no entry smuggled in by the title
    assert (kind, key) == ("online", "hostile")
    assert set(fields) == {"author", "title", "organization", "date", "url", "annotation"}
    assert unescape(fields["title"]) == flat(HOSTILE_TITLE)
    assert unescape(fields["organization"]) == flat(HOSTILE_OUTLET)
    assert unescape(fields["author"]) == "Doe, Jane }"  # a person, with its brace escaped
    assert "¶1: “} with \\ specials %”" in unescape(fields["annotation"])
    for value in fields.values():
        assert "\n" not in value
        assert not re.search(r"(?<!\\)[%&$#_]", value.replace(r"\textbackslash{}", ""))


def test_every_bibtex_file_parses(site: Path) -> None:
    for path in sorted(site.rglob("cite.bib")):
        entries = bibtex_entries(path.read_text(encoding="utf-8"))
        assert entries
        assert len({key for _kind, key, _fields in entries}) == len(entries)


# --- RIS ---

RIS_LINE = re.compile(r"^[A-Z][A-Z0-9]  - (.*)$")


def test_ris_has_one_tag_per_line_and_ends_each_record(site: Path) -> None:
    for path in sorted(site.rglob("cite.ris")):
        data = path.read_bytes()
        assert data.endswith(b"ER  - \r\n")
        assert data.count(b"\n") == data.count(b"\r\n") == data.count(b"\r")  # CR LF only
        lines = data.decode("utf-8").split("\r\n")[:-1]
        assert all(RIS_LINE.match(line) for line in lines), path
        assert sum(line.startswith("TY  - ") for line in lines) == lines.count("ER  - ")
    lines = (site / "sources/hostile/cite.ris").read_text(encoding="utf-8").splitlines()
    assert lines.count("ER  - ") == 1  # the outlet's "ER  - " did not end the record
    assert f"TI  - {flat(HOSTILE_TITLE)}" in lines
    assert f"T2  - {flat(HOSTILE_OUTLET)}" in lines


# --- pages ---


def cite_links(output: Path, page: str, siteurl: str) -> list[tuple[Path, Any]]:
    soup = BeautifulSoup((output / page / "index.html").read_text(encoding="utf-8"), "lxml")
    block = soup.select_one("section.cite-files")
    assert block is not None and block.h2 is not None
    base = f"{siteurl}/{page}/" if siteurl else f"http://local/{page}/"
    found = []
    for link in block.find_all("a"):
        address = urljoin(base, str(link["href"]))
        relative = address.removeprefix(f"{siteurl or 'http://local'}/")
        found.append((output / relative, link))
    return found


@pytest.mark.parametrize("page", ["one", "sources/story"])
def test_pages_link_their_three_files(site: Path, page: str) -> None:
    links = cite_links(site, page, SITE)
    assert [link.get_text() for _path, link in links] == ["CSL-JSON", "BibTeX", "RIS"]
    for path, link in links:
        assert path.is_file(), path
        assert link["download"] == f"{page.rsplit('/', 1)[-1]}{path.suffix}"
        assert link["type"].startswith("application/")


def test_local_builds_link_the_files_relatively_and_rebuild_identically(tmp_path: Path) -> None:
    first = build(tmp_path / "a")
    for page in ("one", "sources/story"):
        for path, _link in cite_links(first.output, page, ""):
            assert path.is_file(), path
    assert "URL" not in csl(first.output, "one")[0]  # no address without a SITEURL
    second = build(tmp_path / "b")
    names = sorted(p.relative_to(first.output) for p in first.output.rglob("cite.*"))
    assert len(names) == 12
    assert names == sorted(p.relative_to(second.output) for p in second.output.rglob("cite.*"))
    for name in names:
        assert (first.output / name).read_bytes() == (second.output / name).read_bytes(), name


def test_a_file_on_a_citation_file_address_is_an_error(build_site: Any) -> None:
    result = build_site(
        {
            "sources/story.md": source_file("The cited words are here."),
            "explainers/images.md": explainer_file('It says so [@story, "cited words"].'),
            "images/cite.json": "[]",
        }
    )
    assert result.error is not None
    assert any(
        m.startswith("ERROR: explainers/images.md: ")
        and "written to 'images/cite.json', where images/cite.json is published" in m
        and "[exports.address-collision]" in m
        for m in result.errors()
    ), result.messages
