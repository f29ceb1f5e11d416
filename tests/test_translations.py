"""Translations: wiki links in the page's language, stale translations (`translates:`), and the
`explainer translations` command (its table, its JSON, and `--stamp`, byte for byte)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from conftest import ROOT, SiteBuild, explainer_file, run_build, source_file, write_files
from crosslinks.translations import text_version
from explainer_cli.main import main
from explainer_cli.translations import with_stamp

LANG_URLS = {
    "ARTICLE_LANG_URL": "{lang}/{slug}/",
    "ARTICLE_LANG_SAVE_AS": "{lang}/{slug}/index.html",
    "PAGE_LANG_URL": "{lang}/{slug}/",
    "PAGE_LANG_SAVE_AS": "{lang}/{slug}/index.html",
}
SOURCE = source_file("The office finds homes for children.", title='"A source"', short="SRC")
FUENTE = source_file(
    "La oficina busca hogares para los niños.",
    title='"Una fuente"',
    short="FUENTE",
    language="es",
    url="https://example.org/fuente",
)
ONE = explainer_file(
    "The office finds homes [@src]. See [[two]] and [[three]] [@src].",
    title="One",
    related="[two, three]",
)
TWO = explainer_file("Two says more [@src].", title="Two")
THREE = explainer_file("Three says more [@src].", title="Three")
UNO = explainer_file(
    "La oficina busca hogares [@fuente]. Ver [[two]], [[three]], [[three|la tercera]],"
    " [[source:src]] y [[source:fuente]] [@fuente].",
    title="Uno",
    lang="es",
    related="[two, three]",
    translates=text_version(ONE),
)
TRES = explainer_file("Tres dice más [@fuente].", title="Tres", lang="es")
SITE: dict[str, str | bytes] = {
    "sources/src.md": SOURCE,
    "sources/fuente.md": FUENTE,
    "explainers/one.md": ONE,
    "explainers/two.md": TWO,
    "explainers/three.md": THREE,
    "explainers/es/one.md": UNO,
    "explainers/es/three.md": TRES,
}


def build(root: Path, files: dict[str, str | bytes]) -> SiteBuild:
    write_files(root / "content", files)
    return run_build(root / "content", root / "output", **LANG_URLS)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    return build(tmp_path_factory.mktemp("translations"), SITE)


def wikilinks(site: SiteBuild, page: str) -> list[tuple[str, str, str | None, str]]:
    """(label, address from the site root, hreflang, the mark after it) of each wiki link."""
    url = "https://site.test/" + page.removesuffix("index.html")
    found = []
    for a in site.html(page).select("a.wikilink"):
        mark = a.find_next_sibling()
        after = mark.get_text() if mark is not None and "other-language" in mark["class"] else ""
        found.append((a.get_text(), urljoin(url, a["href"])[17:], a.get("hreflang"), after))
    return found


def test_only_the_unstamped_translation_is_reported(site: SiteBuild) -> None:
    assert site.error is None, site.messages
    assert site.messages == [
        "WARNING: explainers/es/three.md:1: no 'translates:' line, so a change to"
        " explainers/three.md cannot be noticed; once this translates it as it is now, run"
        " `explainer translations --stamp three --lang es` [translations.unstamped]"
    ]


def test_wiki_links_on_a_spanish_page_lead_to_spanish_pages_else_marked_english(
    site: SiteBuild,
) -> None:
    assert wikilinks(site, "es/one/index.html") == [
        ("Two", "/two/", "en", "(inglés)"),
        ("Tres", "/es/three/", None, ""),
        ("la tercera", "/es/three/", None, ""),
        ("A source", "/sources/src/", "en", "(inglés)"),
        ("Una fuente", "/sources/fuente/", None, ""),
    ]
    two = site.html("es/one/index.html").select_one("a.wikilink")
    assert two["lang"] == "en"  # its label is the English title


def test_english_wiki_links_unchanged(site: SiteBuild) -> None:
    assert wikilinks(site, "one/index.html") == [
        ("Two", "/two/", None, ""),
        ("Three", "/three/", None, ""),
    ]


def listed(site: SiteBuild, page: str, section: str) -> list[str]:
    url = "https://site.test/" + page.removesuffix("index.html")
    links = site.html(page).select(f"#{section} ~ ul a, [aria-labelledby={section}] a")
    return [urljoin(url, a["href"])[17:] for a in links]


def test_page_lists_name_pages_of_the_same_language(site: SiteBuild) -> None:
    assert listed(site, "es/one/index.html", "related") == ["/two/", "/es/three/"]
    assert listed(site, "one/index.html", "related") == ["/two/", "/three/"]
    assert listed(site, "es/three/index.html", "linked-from") == ["/es/one/"]
    assert listed(site, "three/index.html", "linked-from") == ["/one/"]
    assert listed(site, "two/index.html", "linked-from") == ["/one/"]


def test_current_translation_has_no_notice(site: SiteBuild) -> None:
    assert site.html("es/one/index.html").select(".translation-notice") == []


def test_cosmetic_front_matter_changes_keep_a_translation_current(tmp_path: Path) -> None:
    edited = ONE.replace("date: 2026-11-23", "date: 2026-11-23\nmodified: 2026-12-24")
    edited = edited.replace("related: [two, three]", "related: [three, two]")
    assert text_version(edited) == text_version(ONE)
    assert text_version(edited.replace("\n", "\r\n")) == text_version(ONE)
    result = build(tmp_path, {**SITE, "explainers/one.md": edited})
    assert not [m for m in result.messages if "translations.stale" in m]


@pytest.mark.parametrize(
    "edit",
    [("The office finds", "The office still finds"), ('title: "One"', 'title: "One, again"')],
)
def test_editing_the_english_page_makes_the_translation_stale(
    tmp_path: Path, edit: tuple[str, str]
) -> None:
    edited = ONE.replace(*edit)
    result = build(tmp_path, {**SITE, "explainers/one.md": edited})
    assert result.error is None, result.messages
    line = UNO.split("\n").index(f"translates: {text_version(ONE)}") + 1
    assert (
        f"WARNING: explainers/es/one.md:{line}: explainers/one.md has changed since this"
        f" translation was made (translates: {text_version(ONE)}, the original is now"
        f" {text_version(edited)}); update the translation, then run"
        " `explainer translations --stamp one --lang es` [translations.stale]"
    ) in result.messages
    notice = result.html("es/one/index.html").select_one(".translation-notice")
    assert notice is not None
    assert "inglés" in notice.get_text()
    link = notice.a
    assert (link["href"], link["hreflang"], link["lang"]) == ("../../one/", "en", "en")
    assert link.get_text() == edited.split('title: "')[1].split('"')[0]
    # the English page says nothing of it
    assert result.html("one/index.html").select(".translation-notice") == []


def test_translates_must_be_twelve_hex_characters(tmp_path: Path) -> None:
    result = build(
        tmp_path,
        {
            **SITE,
            "explainers/es/one.md": UNO.replace(
                f"translates: {text_version(ONE)}", "translates: latest"
            ),
        },
    )
    assert any(
        "explainers/es/one.md:" in m and "'translates' must be the 12 hex characters" in m
        for m in result.errors()
    ), result.messages


# The command


def command(content: Path, *args: str) -> int:
    return main(["translations", "-s", str(ROOT / "pelicanconf.py"), str(content), *args])


def statuses(content: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()  # what commands before printed
    assert command(content, "--json") == 0
    report = json.loads(capsys.readouterr().out)
    return {Path(p["path"]).name: p["translations"] for p in report["pages"]}


def test_command_lists_missing_current_stale_and_unstamped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    write_files(content, SITE)
    found = statuses(content, capsys)
    assert {name: state["es"]["status"] for name, state in found.items()} == {
        "one.md": "current",
        "two.md": "missing",
        "three.md": "unstamped",
    }
    assert found["one.md"]["es"]["path"].endswith("content/explainers/es/one.md")
    (content / "explainers" / "one.md").write_text(ONE.replace("finds", "found"), "utf-8")
    assert statuses(content, capsys)["one.md"]["es"]["status"] == "stale"
    assert command(content) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["page", "es"]
    rows = {Path(line.split()[0]).name: line.split()[1] for line in table[1:4]}
    assert rows == {"one.md": "stale", "three.md": "unstamped", "two.md": "missing"}
    assert table[4] == "es: 0 current, 1 stale, 1 unstamped, 1 missing"


# a translation as an editor may leave it: CRLF line endings, a BOM, comments, odd spacing
EDITED = (
    "\ufeff---\r\ntitle: 'Tres'   # en español\r\nsummary: \"Resumen.\"\r\ndate: 2026-12-01\r\n"
    "lang: es\r\n---\r\nTres dice más [@fuente].  \r\n\r\nÚltima línea sin fin de línea"
)


def test_stamp_adds_the_line_and_changes_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    write_files(content, SITE)
    path = content / "explainers" / "es" / "three.md"
    before = EDITED.encode("utf-8")
    path.write_bytes(before)
    assert command(content, "--stamp", str(path)) == 0
    version = text_version(THREE)
    assert f"translates: {version}" in capsys.readouterr().out
    assert path.read_bytes() == before.replace(
        b"lang: es\r\n---", f"lang: es\r\ntranslates: {version}\r\n---".encode()
    )
    # the English page changes: stamping again replaces only the value
    (content / "explainers" / "three.md").write_text(THREE.replace("more", "less"), "utf-8")
    stamped = path.read_bytes()
    assert command(content, "--stamp", "three", "--lang", "es") == 0
    new = text_version(THREE.replace("more", "less"))
    assert path.read_bytes() == stamped.replace(version.encode(), new.encode())
    assert statuses(content, capsys)["three.md"]["es"]["status"] == "current"
    # and once more: nothing to change
    assert command(content, "--stamp", "three") == 0
    assert "already translates" in capsys.readouterr().out
    assert path.read_bytes() == stamped.replace(version.encode(), new.encode())


def test_stamped_translation_builds_current(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_files(content, SITE)
    path = content / "explainers" / "es" / "three.md"
    assert (
        main(
            ["translations", "-s", str(ROOT / "pelicanconf.py"), str(content), "--stamp", str(path)]
        )
        == 0
    )
    result = run_build(content, tmp_path / "output", **LANG_URLS)
    assert result.error is None and result.messages == [], result.messages


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("explainers/one.md", "this page is in the site's language ('en')"),
        ("explainers/es/nothing.md", "not an explainer or page this command can read"),
        ("two", "no translation in 'es' called 'two'"),
    ],
)
def test_stamp_refuses_what_is_not_a_translation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str, message: str
) -> None:
    content = tmp_path / "content"
    write_files(content, SITE)
    before = {p: p.read_bytes() for p in content.rglob("*.md")}
    argument = str(content / target) if target.endswith(".md") else target
    assert command(content, "--stamp", argument) == 1
    err = capsys.readouterr().err
    assert message in err and "[cli.stamp]" in err
    assert {p: p.read_bytes() for p in content.rglob("*.md")} == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: x\n---\nbody\n", "---\ntitle: x\ntranslates: 0123456789ab\n---\nbody\n"),
        (
            "---\ntranslates: ffffffffffff # old\ntitle: x\n...\nbody",
            "---\ntranslates: 0123456789ab\ntitle: x\n...\nbody",
        ),
        ("no front matter\n", None),
        ("---\ntitle: never closed\n", None),
    ],
)
def test_with_stamp(text: str, expected: str | None) -> None:
    assert with_stamp(text, "0123456789ab") == expected


def test_the_real_content_can_be_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    assert command(tmp_path / "content") == 0
    out = capsys.readouterr().out
    assert "missing-children-vs-separated-families.md" in out
