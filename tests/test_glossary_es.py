"""A translated glossary (`glossary.es.yml`): checked against the site's, linked from Spanish
pages, and published as the Spanish glossary page; English pages as they were."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import SiteBuild, explainer_file, run_build, source_file, write_files
from crosslinks.glossary import translation_files
from crosslinks.translations import text_version

# Translations at /es/<slug>/ (the project's settings say so too; set here so these tests do
# not depend on them)
LANG_URLS = {
    "ARTICLE_LANG_URL": "{lang}/{slug}/",
    "ARTICLE_LANG_SAVE_AS": "{lang}/{slug}/index.html",
    "PAGE_LANG_URL": "{lang}/{slug}/",
    "PAGE_LANG_SAVE_AS": "{lang}/{slug}/index.html",
}

SOURCE = source_file(
    "The office is tasked with finding homes for unaccompanied children.\n\n"
    "Border agents separated families.",
    title='"A source"',
    short="SRC",
)
# a Spanish-language source, so Spanish text quotes it without a translation
FUENTE = source_file(
    "La oficina busca hogares para los niños no acompañados.\n\n"
    "Los agentes fronterizos separaron familias.",
    title='"Una fuente"',
    short="FUENTE",
    language="es",
    url="https://example.org/fuente",
)
GLOSSARY = """\
- id: orr
  term: Office of Refugee Resettlement
  abbr: ORR
  aka: [refugee office]
  definition: The office that finds homes for children [@src, "tasked with finding homes"].

- id: cbp
  term: Customs and Border Patrol
  abbr: CBP
  definition: The border agency [@src, "Border agents separated families."].

- id: unused
  term: Unused term
  definition: Nobody uses it [@src].
"""
GLOSARIO = """\
# no entry for cbp: Spanish pages link its English entry
- id: orr
  term: Oficina de Reasentamiento de Refugiados
  abbr: ORR
  aka: [oficina de refugiados]
  definition: >-
    La oficina que busca hogares para los niños
    [@fuente, "busca hogares para los niños no acompañados"].

- id: unused
  term: Término sin uso
  definition: Nadie lo usa [@fuente].
"""
ONE = explainer_file(
    "The ORR found homes [@src]. Customs and Border Patrol agents worked [@src].", title="One"
)
UNO = explainer_file(
    "La ORR buscó hogares [@fuente]. Los agentes de Customs and Border Patrol trabajaron"
    " [@fuente]. Ver [[term:orr]] y [[term:cbp]] [@fuente].",
    title="Uno",
    lang="es",
    translates=text_version(ONE),
)
SITE: dict[str, str | bytes] = {
    "sources/src.md": SOURCE,
    "sources/fuente.md": FUENTE,
    "glossary.yml": GLOSSARY,
    "glossary.es.yml": GLOSARIO,
    "explainers/one.md": ONE,
    "explainers/es/one.md": UNO,
}


def build(root: Path, files: dict[str, str | bytes]) -> SiteBuild:
    write_files(root / "content", files)
    return run_build(root / "content", root / "output", **LANG_URLS)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    return build(tmp_path_factory.mktemp("glossary-es"), SITE)


def links(site: SiteBuild, page: str, selector: str) -> list[tuple[str, str]]:
    """(text, address from the site root) of the links `selector` finds on `page`."""
    url = "https://site.test/" + page.removesuffix("index.html")
    found = site.html(page).select(selector)
    return [(a.get_text(" ", strip=True), urljoin(url, a["href"])[17:]) for a in found]


def test_site_builds_without_problems(site: SiteBuild) -> None:
    assert site.error is None, site.messages
    assert site.messages == []


def test_spanish_page_links_spanish_terms_to_the_spanish_glossary(site: SiteBuild) -> None:
    # the English name of a term with no Spanish entry is not looked for in Spanish text
    assert links(site, "es/one/index.html", "a.term") == [
        ("ORR (Oficina de Reasentamiento de Refugiados)", "/es/glossary/#term-orr")
    ]


def test_term_links_lead_to_the_entry_in_the_page_language_else_english(site: SiteBuild) -> None:
    page = site.html("es/one/index.html")
    assert links(site, "es/one/index.html", "a.wikilink-term") == [
        ("Oficina de Reasentamiento de Refugiados", "/es/glossary/#term-orr"),
        ("Customs and Border Patrol", "/glossary/#term-cbp"),
    ]
    orr, cbp = page.select("a.wikilink-term")
    assert orr.get("hreflang") is None
    assert (cbp["hreflang"], cbp["lang"]) == ("en", "en")
    assert cbp.find_next_sibling("span", class_="other-language").get_text() == "(inglés)"


def test_english_page_links_english_terms(site: SiteBuild) -> None:
    assert links(site, "one/index.html", "a.term") == [
        ("ORR (Office of Refugee Resettlement)", "/glossary/#term-orr"),
        ("Customs and Border Patrol", "/glossary/#term-cbp"),
    ]


def test_english_pages_unchanged_by_the_translations(site: SiteBuild, tmp_path: Path) -> None:
    spanish = ("glossary.es.yml", "explainers/es/one.md", "sources/fuente.md")
    english = {k: v for k, v in SITE.items() if k not in spanish}
    alone = build(tmp_path, english)
    assert alone.error is None, alone.messages
    for page in ("one/index.html", "glossary/index.html"):
        assert str(site.html(page).select_one(".prose")) == str(
            alone.html(page).select_one(".prose")
        )


def entries(page: BeautifulSoup) -> list[tuple[str, str]]:
    return [(s["id"], s.h2.get_text()) for s in page.select("section.term")]


def used_in(site: SiteBuild, page: str, term_id: str) -> list[str]:
    return [a for _, a in links(site, page, f"#term-{term_id} .used-in a")]


def test_spanish_glossary_page_lists_the_spanish_entries(site: SiteBuild) -> None:
    page = site.html("es/glossary/index.html")
    assert page.html["lang"] == "es"
    assert entries(page) == [
        ("term-orr", "Oficina de Reasentamiento de Refugiados (ORR)"),
        ("term-unused", "Término sin uso"),
    ]
    assert page.select_one(".aka").get_text().endswith("oficina de refugiados")
    # used in: the Spanish pages only; the English glossary, the English pages only
    assert used_in(site, "es/glossary/index.html", "orr") == ["/es/one/"]
    assert used_in(site, "es/glossary/index.html", "unused") == []
    english = site.html("glossary/index.html")
    assert [e for e, _ in entries(english)] == ["term-cbp", "term-orr", "term-unused"]
    assert used_in(site, "glossary/index.html", "orr") == ["/one/"]
    assert english.html["lang"] == "en"


def test_spanish_definitions_are_cited_like_english_ones(site: SiteBuild) -> None:
    page = site.html("es/glossary/index.html")
    assert page.find(id="term-orr").select("sup.citation a.cite-ref")
    notes = [li.get_text(" ", strip=True) for li in page.select("section.citation-notes ol > li")]
    assert any("busca hogares para los niños no acompañados" in note for note in notes), notes


def test_spanish_misquote_names_its_glossary_line(tmp_path: Path) -> None:
    bad = GLOSARIO.replace("busca hogares para los niños", "busca casas para los niños")
    result = build(tmp_path, {**SITE, "glossary.es.yml": bad})
    assert result.error is not None
    errors = [m for m in result.errors() if "[citations.quote-not-found]" in m]
    # a folded (`>-`) definition is one line once read: its citations name its first line
    assert len(errors) == 1 and errors[0].startswith("ERROR: glossary.es.yml:7: quote not found")


def test_unknown_id_is_an_error_with_its_line_and_the_nearest_id(tmp_path: Path) -> None:
    bad = GLOSARIO.replace("- id: unused", "- id: unusd")
    result = build(tmp_path, {**SITE, "glossary.es.yml": bad})
    assert result.error is not None
    assert (
        "ERROR: glossary.es.yml:10: term id 'unusd' is not in glossary.yml, which this file"
        " translates; did you mean 'unused'? [glossary.unknown-id]"
    ) in result.errors()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("  term: Término sin uso\n", ""),
            "ERROR: glossary.es.yml:10: entry needs a 'term' [glossary.format]",
        ),
        (
            ("  term: Término sin uso\n", "  term: Término sin uso\n  plural: x\n"),
            "ERROR: glossary.es.yml:10: unknown field 'plural' [glossary.format]",
        ),
        (
            ("- id: unused", "- id: orr"),
            "ERROR: glossary.es.yml:10: term id 'orr' is already used on line 2"
            " [glossary.duplicate]",
        ),
    ],
)
def test_spanish_entries_get_the_english_field_checks(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    result = build(tmp_path, {**SITE, "glossary.es.yml": GLOSARIO.replace(*change)})
    assert expected in result.errors(), result.messages


def test_glossary_of_the_default_language_is_refused(tmp_path: Path) -> None:
    result = build(tmp_path, {**SITE, "glossary.en.yml": GLOSARIO})
    assert any("glossary.en.yml:1: 'en' is the site's language" in m for m in result.errors())


def test_translation_files_are_named_glossary_lang_yml(tmp_path: Path) -> None:
    names = ["glossary.yml", "glossary.es.yml", "glossary.pt-BR.yml", "glossary.backup.yml"]
    names += ["glossary.es.yml.bak", "other.fr.yml"]
    for name in names:
        (tmp_path / name).write_text("[]\n", encoding="utf-8")
    context: dict[str, Any] = {"PATH": str(tmp_path)}
    assert translation_files(context, "glossary.yml") == {
        "es": "glossary.es.yml",
        "pt-BR": "glossary.pt-BR.yml",
    }
