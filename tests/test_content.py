"""The first site's content meets its editorial bars, checked on the real files and build."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from citations import parse_group
from conftest import ROOT, SiteBuild, run_build

CONTENT = ROOT / "content"
EXPLAINERS = sorted((CONTENT / "explainers").glob("*.md"))
FLAGSHIP = "missing-children-vs-separated-families"


def prose(path: Path) -> str:
    """The body a reader sees inline: front matter, citations and link syntax removed."""
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    out, position = [], 0
    while (start := body.find("[@", position)) >= 0:
        out.append(body[position:start])
        position, _ = parse_group(body, start)
    out.append(body[position:])
    text = "".join(out)
    text = re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", text)
    return re.sub(r"[#|*>`-]+", " ", text)


def front(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    output = tmp_path_factory.mktemp("content") / "output"
    return run_build(CONTENT, output, CITATIONS={"citation_needed": "error"})


def test_the_site_builds_in_the_ci_configuration(site: SiteBuild) -> None:
    assert site.error is None, site.messages
    assert site.messages == []


def test_a_flagship_and_at_least_eight_explainers() -> None:
    slugs = {path.stem for path in EXPLAINERS}
    assert FLAGSHIP in slugs
    assert len(slugs - {FLAGSHIP}) >= 8


@pytest.mark.parametrize(
    "path", [p for p in EXPLAINERS if p.stem != FLAGSHIP], ids=lambda p: p.stem
)
def test_explainers_are_300_to_800_words_with_a_short_answer(path: Path) -> None:
    words = len(prose(path).split())
    assert 300 <= words <= 800, words
    summary = front(path)["summary"]
    assert summary and len(re.findall(r"[.!?](\s|$)", summary.strip())) == 1


def test_flagship_compares_and_covers_custody_agency_numbers_period_and_claims() -> None:
    path = CONTENT / "explainers" / f"{FLAGSHIP}.md"
    meta = front(path)
    assert meta["compares"] == ["children-orr-could-not-locate", "family-separation-at-the-border"]
    table_rows = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("|")
    ]
    first_cells = " ".join(row.split("|")[1].lower() for row in table_rows)
    for needed in (
        "custody",
        "agency",
        "number",
        "period",
        "socialist worker",
        "freedom for immigrants",
    ):
        assert needed in first_cells, needed


def test_every_source_is_cited_by_at_least_two_explainers() -> None:
    for source in sorted((CONTENT / "sources").glob("*.md")):
        citing = [p for p in EXPLAINERS if f"@{source.stem}" in p.read_text(encoding="utf-8")]
        assert len(citing) >= 2, source.stem


def test_every_explainer_is_linked_from_the_home_page(site: SiteBuild) -> None:
    home = site.html("index.html")
    hrefs = {a["href"].strip("./") for a in home.select("a[href]")}
    for path in EXPLAINERS:
        assert f"{path.stem}" in hrefs or f"{path.stem}/" in {h + "/" for h in hrefs}, path.stem


def test_glossary_timeline_key_numbers_about_and_methodology_exist(site: SiteBuild) -> None:
    entries = yaml.safe_load((CONTENT / "glossary.yml").read_text(encoding="utf-8"))
    assert len(entries) >= 15
    assert all("[@" in entry["definition"] for entry in entries)
    for slug in ("timeline", "key-numbers", "about", "methodology"):
        assert (site.output / slug / "index.html").is_file(), slug
    timeline = site.html("timeline/index.html")
    assert timeline.select("section.citation-notes li")
    assert "approximate" in timeline.get_text()
