"""Notes as data: the theme owns their markup, tools read the evidence manifest, and the build's
phases do not depend on the order of PLUGINS."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from conftest import (
    ROOT,
    build_with,
    explainer_file,
    site_settings,
    source_file,
    write_files,
)
from test_build_guarantees import tree_state

BODY = (
    "The office said it could not find 1,475 children in its checks.\n\n"
    "Critics called the figure a sign of a broken system."
)
SITE: dict[str, str | bytes] = {
    "sources/office.md": source_file(BODY, title='"Office report"'),
    "sources/critics.md": source_file("Critics wrote a long letter.", title='"A letter"'),
    "explainers/one.md": explainer_file(
        'It could not find them [@office, "could not find 1,475 children"].\n\n'
        'Again [@office, "could not find 1,475 children"; @critics].',
        title="One",
    ),
    "explainers/two.md": explainer_file(
        'Critics spoke [@office, "a sign of a broken system"].', title="Two"
    ),
    "pages/about.md": "---\ntitle: About\nsummary: Who.\n---\nWho writes this [@critics].\n",
    "glossary.yml": "- id: orr\n  term: The office\n  definition: An office [@office].\n",
}


def build(tmp_path: Path, name: str, **overrides: Any) -> Path:
    content = tmp_path / "content"
    if not content.exists():
        write_files(content, SITE)
    result = build_with(site_settings(content, tmp_path / name, **overrides))
    assert result.error is None, result.messages
    return tmp_path / name


def test_the_manifest_has_every_note_with_a_text_quote_selector(tmp_path: Path) -> None:
    output = build(tmp_path, "output")
    data = json.loads((output / "evidence.json").read_text(encoding="utf-8"))
    one = data["pages"]["one/index.html"]
    assert [(n["number"], n["source"], n["refs"]) for n in one["notes"]] == [
        (1, "office", ["cite-1-a", "cite-1-b"]),
        (2, "critics", ["cite-2-a"]),
    ]
    selector = one["notes"][0]["selector"]
    assert selector == {
        "type": "TextQuoteSelector",
        "exact": "could not find 1,475 children",
        "prefix": "The office said it ",
        "suffix": " in its checks.",
    }
    assert one["notes"][1]["selector"] == {}  # the whole source
    assert set(data["pages"]) == {
        "one/index.html", "two/index.html", "about/index.html", "glossary/index.html"
    }  # fmt: skip
    assert data["sources"]["office"]["page"] == "sources/office/"


def test_notes_on_the_page_match_the_records(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    output = build(tmp_path, "output")
    soup = BeautifulSoup((output / "one" / "index.html").read_text(encoding="utf-8"), "lxml")
    markers = [a["id"] for a in soup.select("sup.citation a.cite-ref")]
    assert markers == ["cite-1-a", "cite-1-b", "cite-2-a"]
    notes = soup.select("section.citation-notes li")
    assert [li["id"] for li in notes] == ["cite-1", "cite-2"]
    assert notes[0].select_one("q.quoted").get_text() == "could not find 1,475 children"
    ours = notes[0].select_one(".note-links a")["href"]
    assert ours == "../sources/office/#q1-19-48"


def test_a_theme_changes_how_notes_look_everywhere(tmp_path: Path, handout_html: list[str]) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    notes = theme / "templates" / "_notes.html"
    text = notes.read_text(encoding="utf-8")
    text = text.replace('<sup class="citation">', '<sup class="citation our-marker">')
    text = text.replace(
        "<ol>{% for note in notes %}", '<ol class="our-notes">{% for note in notes %}'
    )
    text = text.replace(
        "<ol>\n    {% for note in notes %}",
        '<ol class="our-print-notes">\n    {% for note in notes %}',
    )
    notes.write_text(text, encoding="utf-8")
    rendered = handout_html
    output = build(
        tmp_path,
        "output",
        THEME=str(theme),
        SITEURL="https://explainers.example.net",
        HANDOUTS={"enabled": True, "sizes": ["letter"]},
    )
    for page in ("one", "two"):
        html = (output / page / "index.html").read_text(encoding="utf-8")
        assert 'class="citation our-marker"' in html and 'class="our-notes"' in html, page
    handout_html = [html for html in rendered if "<h1>One</h1>" in html]
    assert handout_html and 'class="our-print-notes"' in handout_html[0]
    assert 'class="citation our-marker"' in handout_html[0]


def test_the_order_of_plugins_does_not_matter(tmp_path: Path) -> None:
    forward = build(tmp_path, "forward")
    plugins = site_settings(tmp_path / "content", tmp_path / "x")["PLUGINS"]
    backward = build(tmp_path, "backward", PLUGINS=list(reversed(plugins)))
    assert {k: v[2] for k, v in tree_state(forward).items() if k != "."} == {
        k: v[2] for k, v in tree_state(backward).items() if k != "."
    }
