"""`trans:` quotes: a page in Spanish quotes an English source in the original and translated."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import explainer_file, source_file

SOURCE = source_file(
    "First paragraph of the source.\n\nThese are two different issues and must not be conflated."
)
QUOTE = "These are two different issues and must not be conflated."
TRANSLATION = "Son dos problemas diferentes y no deben confundirse."


def spanish(body: str) -> str:
    return explainer_file(body, title="Un explicador", lang="es")


def files(body: str) -> dict[str, str]:
    return {
        "sources/alpha.md": SOURCE,
        "explainers/one.md": explainer_file(f'Two issues [@alpha, "{QUOTE}"].'),
        "explainers/es/one.md": spanish(body),
    }


def test_a_translated_note_shows_the_translation_and_the_original_words_marked_english(
    build_site: Any,
) -> None:
    site = build_site(files(f'Dos problemas [@alpha, "{QUOTE}", trans: "{TRANSLATION}"].'))
    assert site.error is None, site.messages
    note = site.html("es/one/index.html").select_one("section.citation-notes li")
    assert note is not None
    quotes = note.select("q")
    assert [q.get_text() for q in quotes] == [TRANSLATION, QUOTE]
    assert quotes[1]["lang"] == "en" and quotes[1].find_parent(class_="translated") is not None
    # the passage and the text fragment point at the original words, not the translation
    assert "#q2-0-5" in note.select_one("a.passage")["href"]
    fragment = note.select_one("a.original")["href"]
    assert "#:~:text=These%20are" in fragment and "Son%20dos" not in fragment
    manifest = json.loads((site.output / "evidence.json").read_text(encoding="utf-8"))
    spanish_page = next(p for p in manifest["pages"].values() if p["url"].startswith("es/"))
    assert spanish_page["notes"][0]["translation"] == TRANSLATION
    assert spanish_page["notes"][0]["selector"]["exact"] == QUOTE


def test_the_original_words_are_verified_even_when_translated(build_site: Any) -> None:
    site = build_site(files(f'Dos [@alpha, "Three different issues", trans: "{TRANSLATION}"].'))
    assert site.error is not None
    assert any(
        "content/explainers/es/one.md" in m or "explainers/es/one.md:" in m
        for m in site.errors()
        if "quote not found in alpha" in m
    ), site.messages


@pytest.mark.parametrize(("severity", "fails"), [("warning", False), ("error", True)])
def test_an_untranslated_quote_on_a_page_in_another_language_is_reported(
    build_site: Any, severity: str, fails: bool
) -> None:
    site = build_site(
        files(f'Dos problemas.\n\nOtra línea [@alpha, "{QUOTE}"].'),
        CITATIONS={"untranslated": severity},
    )
    assert (site.error is not None) is fails, site.messages
    reported = [m for m in site.messages if "[citations.untranslated]" in m]
    assert len(reported) == 1 and "es/one.md:9:" in reported[0], site.messages
    assert reported[0].startswith(severity.upper())


def test_a_page_in_the_sources_language_needs_no_translation(build_site: Any) -> None:
    site = build_site(files("Dos problemas."), CITATIONS={"untranslated": "error"})
    assert site.error is None, site.messages


@pytest.mark.parametrize(
    "citation",
    ['[@alpha, "These are", trans: Son]', '[@alpha, "These are", trans: "Son]'],
)
def test_a_malformed_translation_is_a_syntax_error_at_its_line(
    build_site: Any, citation: str
) -> None:
    site = build_site(files(f"Uno.\n\nDos {citation}."))
    assert site.error is not None
    assert any("es/one.md:9:" in m and "[citations.syntax]" in m for m in site.errors()), (
        site.messages
    )
