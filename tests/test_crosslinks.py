"""Wiki links: syntax fixtures; in a built site, targets, backlinks, related and compared pages."""

from __future__ import annotations

import html
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import read_fixture_file

from conftest import (
    SiteBuild,
    explainer_file,
    filled,
    reader_markdown,
    run_build,
    source_file,
    write_files,
)

FIXTURES = Path(__file__).parent / "fixtures"


def render_wikilink_record(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """What the parser recorded, in place of a link (targets need the whole site)."""
    meta = tokens[idx].meta
    fields = " ".join(
        f'{key}="{html.escape(str(meta[key]))}"' for key in ("kind", "name", "label", "line")
    )
    return f"<wikilink {fields}>"


def site_markdown() -> MarkdownIt:
    """The reader's full pipeline, with wiki links shown as parsed."""
    md = reader_markdown()
    md.add_render_rule("wikilink", render_wikilink_record)
    return md


def render(md: MarkdownIt, text: str) -> str:
    env: dict[str, Any] = {"path": "test.md", "docId": ""}
    return filled(md.render(text, env), env)


@pytest.mark.parametrize(
    ("line", "title", "text", "expected"),
    read_fixture_file(FIXTURES / "wikilinks.md"),
    ids=lambda value: value if isinstance(value, str) and "\n" not in value else "",
)
def test_wikilink_fixtures(line: int, title: str, text: str, expected: str) -> None:
    md = site_markdown()
    assert render(md, text).rstrip() == expected.rstrip(), f"fixtures/wikilinks.md:{line}: {title}"


# Whole-site tests

# original articles on another host than SITEURL: links under SITEURL count as the site's own
S1 = source_file(
    "Source one says the first thing.\n\nAnd a second thing.",
    title='"Source one"',
    url="https://news.example.com/one",
)
S2 = source_file("Source two says another.", title='"Source two"', url="https://news.example.com/2")
S3 = source_file("Source three says a third.", title='"Source three"', url=None)
GLOSSARY = """\
- id: orr
  term: Office of Refugee Resettlement
  abbr: ORR
  definition: An office [@s1, "the first thing"].
"""


def explainer(title: str, body: str, **fields: Any) -> str:
    return explainer_file(body, title=title, **fields)


# Body lines start at line 6; front-matter keys are on lines 2-4 (title, summary, date) and on.
SITE: dict[str, str | bytes] = {
    "sources/s1.md": S1,
    "sources/s2.md": S2,
    "sources/s3.md": S3,
    "glossary.yml": GLOSSARY,
    "explainers/alpha.md": explainer(
        "Alpha page",
        'See [[beta]] and [[gamma|the gamma page]] [@s1, "the first thing"; @s2; @s3].\n\n'
        "Read [[source:s1]] and [[term:orr]], or [[alpha]] itself [@s1].",
        related="[delta]",
        topics="[custody, family separation]",
    ),
    "explainers/beta.md": explainer(
        "Beta page", "Back to [[alpha]] [@s1; @s2].", topics="[custody]"
    ),
    # explicit related pages: repeats and the page itself dropped, then cut to related_max
    "explainers/gamma.md": explainer(
        "Gamma page",
        "Only one source [@s1].",
        related="[delta, delta, gamma, beta, alpha, compare]",
    ),
    "explainers/delta.md": explainer("Delta page", "Another source [@s3]."),
    "explainers/compare.md": explainer(
        "Compare page", "Alpha or beta [@s1].", compares="[alpha, beta, alpha]"
    ),
    "pages/about.md": explainer("About", "See [[alpha]] [@s1]."),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    root = tmp_path_factory.mktemp("crosslinks")
    write_files(root / "content", SITE)
    return run_build(root / "content", root / "output", CROSSLINKS={"related_max": 3})


def resolve(page: str, href: str) -> tuple[str, str]:
    """(output file, fragment) a relative link on `page` points at."""
    parts = urlsplit(href)
    if not parts.path:
        return page, parts.fragment
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
    if parts.path.endswith("/") or target == ".":
        target = posixpath.join(target, "index.html").removeprefix("./")
    return target, parts.fragment


def link_list(page: BeautifulSoup, section_id: str) -> list[tuple[str, str]]:
    heading = page.find(id=section_id)
    if heading is None:
        return []
    return [(a.get_text(), a["href"]) for a in heading.find_parent("section").select("li a")]


def test_site_builds_without_problems(site: SiteBuild) -> None:
    assert site.error is None, site.messages
    assert site.messages == []


def test_wikilinks_resolve_to_relative_urls_with_default_labels(site: SiteBuild) -> None:
    links = [(a.get_text(), a["href"]) for a in site.html("alpha/index.html").select("a.wikilink")]
    assert links == [
        ("Beta page", "../beta/"),
        ("the gamma page", "../gamma/"),
        ("Source one", "../sources/s1/"),
        ("Office of Refugee Resettlement", "../glossary/#term-orr"),
        ("Alpha page", "../alpha/"),
    ]
    assert site.html("glossary/index.html").find(id="term-orr") is not None


def test_wikilinks_absolute_without_relative_urls(build_site: Any) -> None:
    files = {k: SITE[k] for k in ("sources/s1.md", "glossary.yml")}
    files["explainers/gamma.md"] = explainer("Gamma page", "Only one source [@s1].")
    files["explainers/one.md"] = explainer("One", "[[gamma]] [[source:s1]] [[term:orr]] [@s1].")
    result = build_site(files, RELATIVE_URLS=False, SITEURL="https://example.org")
    assert result.error is None, result.messages
    hrefs = [a["href"] for a in result.html("one/index.html").select("a.wikilink")]
    assert hrefs == [
        "https://example.org/gamma/",
        "https://example.org/sources/s1/",
        "https://example.org/glossary/#term-orr",
    ]


def test_linked_from_lists_linking_pages(site: SiteBuild) -> None:
    assert link_list(site.html("beta/index.html"), "linked-from") == [("Alpha page", "../alpha/")]
    assert link_list(site.html("alpha/index.html"), "linked-from") == [
        ("About", "../about/"),
        ("Beta page", "../beta/"),
    ]
    assert link_list(site.html("delta/index.html"), "linked-from") == []


def test_related_explicit_first_then_by_shared_sources(site: SiteBuild) -> None:
    # alpha cites s1, s2, s3: beta shares two; compare, gamma and delta one each (ties by title)
    related = link_list(site.html("alpha/index.html"), "related")
    assert [title for title, _ in related] == ["Delta page", "Beta page", "Compare page"]
    beta = [title for title, _ in link_list(site.html("beta/index.html"), "related")]
    assert beta == ["Alpha page", "Compare page", "Gamma page"]
    gamma = [title for title, _ in link_list(site.html("gamma/index.html"), "related")]
    assert gamma == ["Delta page", "Beta page", "Alpha page"]
    for name in ("alpha", "beta", "gamma", "delta", "compare"):
        titles = [t for t, _ in link_list(site.html(f"{name}/index.html"), "related")]
        assert f"{name.title()} page" not in titles and len(titles) <= 3


def test_compared_pages_link_to_the_comparison(site: SiteBuild) -> None:
    for name in ("alpha", "beta"):
        assert link_list(site.html(f"{name}/index.html"), "compared-in") == [
            ("Compare page", "../compare/")
        ]
    assert link_list(site.html("gamma/index.html"), "compared-in") == []


def hrefs_to(site: SiteBuild, page: str, prefix: str) -> set[str]:
    """Output files under `prefix` that links in the main part of `page` point at."""
    soup = site.html(page)
    found = {resolve(page, a["href"])[0] for a in soup.select("main a[href]")}
    return {name for name in found if name.startswith(prefix)}


def test_topics_pages_and_index(site: SiteBuild) -> None:
    explainers = "alpha/", "beta/", "gamma/", "delta/", "compare/"
    custody = hrefs_to(site, "topics/custody/index.html", explainers)
    assert custody == {"alpha/index.html", "beta/index.html"}
    family = hrefs_to(site, "topics/family-separation/index.html", explainers)
    assert family == {"alpha/index.html"}
    assert hrefs_to(site, "topics/index.html", "topics/") >= {
        "topics/custody/index.html",
        "topics/family-separation/index.html",
    }
    topics = link_list(site.html("alpha/index.html"), "topics")
    assert [t for t, _ in topics] == ["custody", "family separation"]


def test_same_input_same_output(site: SiteBuild, tmp_path: Path) -> None:
    again = run_build(site.content, tmp_path / "output", CROSSLINKS={"related_max": 3})
    built = sorted(p.relative_to(site.output) for p in site.output.rglob("*.html"))
    assert built == sorted(p.relative_to(again.output) for p in again.output.rglob("*.html"))
    for name in built:
        assert (again.output / name).read_bytes() == (site.output / name).read_bytes(), name


def test_unknown_targets_and_kinds_are_errors(build_site: Any) -> None:
    files = {k: SITE[k] for k in ("sources/s1.md", "glossary.yml")}
    files["explainers/gamma.md"] = explainer("Gamma page", "Only one source [@s1].")
    files["explainers/bad.md"] = explainer(
        "Bad",
        "[[gama]] and [@s1]\n[[source:s2]] and\n[[term:orrr]] [[topic:custody]].",
        compares="[gamma, gammma]",
        related="[nope]",
    )
    result = build_site(files)
    assert result.error is not None
    assert result.errors() == [
        "ERROR: explainers/bad.md:5: unknown explainer 'gammma' in 'compares'; did you mean"
        " 'gamma'? [crosslinks.unknown-target]",
        "ERROR: explainers/bad.md:6: unknown explainer 'nope' in 'related'"
        " [crosslinks.unknown-target]",
        "ERROR: explainers/bad.md:8: unknown explainer or page 'gama' in [[gama]]; did you mean"
        " 'gamma'? [crosslinks.unknown-target]",
        "ERROR: explainers/bad.md:9: unknown source 's2' in [[source:s2]]; did you mean 's1'?"
        " [crosslinks.unknown-target]",
        "ERROR: explainers/bad.md:10: unknown glossary term 'orrr' in [[term:orrr]]; did you mean"
        " 'orr'? [crosslinks.unknown-target]",
        "ERROR: explainers/bad.md:10: unknown link kind 'topic:' in [[topic:custody]]; use"
        " [[slug]], [[source:id]] or [[term:id]] [crosslinks.unknown-kind]",
    ]
