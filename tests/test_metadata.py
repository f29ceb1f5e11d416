"""Share and machine metadata: Open Graph, canonical URLs, JSON-LD, sitemap, feed, determinism."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from conftest import ROOT, SiteBuild, explainer_file, source_file
from conftest_browser import FLAGSHIP, publish_build
from metadata.jsonld import script_json
from metadata.sitemap import sitemap_xml
from search.stable import UnstableIndex, cbor_decode, cbor_encode, stabilise_bundle

SITEURL = "https://explainers.example"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    result = publish_build(tmp_path_factory.mktemp("meta") / "output", SITEURL)
    assert result.error is None, result.messages
    return result


def json_ld(soup: Any) -> list[dict[str, Any]]:
    return [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]


def test_pages_carry_open_graph_twitter_and_canonical_tags(site: SiteBuild) -> None:
    soup = site.html(f"{FLAGSHIP}/index.html")
    url = f"{SITEURL}/{FLAGSHIP}/"
    assert soup.select_one("link[rel=canonical]")["href"] == url
    og = {m["property"]: m["content"] for m in soup.select("meta[property^='og:']")}
    assert og["og:url"] == url
    assert og["og:type"] == "article"
    assert og["og:title"] == soup.h1.get_text()
    answer = soup.select_one(".short-answer").get_text()
    assert og["og:description"] == answer.removeprefix("Short answer: ")
    assert soup.select_one("meta[name='twitter:card']")["content"] == "summary"
    assert soup.select_one("meta[property='article:published_time']")["content"] == "2026-11-24"
    home = site.html("index.html")
    assert home.select_one("link[rel=canonical]")["href"] == f"{SITEURL}/"
    assert json_ld(home)[0]["@type"] == "WebSite"


def test_explainer_json_ld_is_an_article_citing_its_sources(site: SiteBuild) -> None:
    soup = site.html(f"{FLAGSHIP}/index.html")
    (data,) = json_ld(soup)
    assert data["@type"] == "Article"
    assert data["headline"] == soup.h1.get_text()
    assert data["url"] == f"{SITEURL}/{FLAGSHIP}/"
    assert data["datePublished"] == "2026-11-24"
    # one citation entry per cited source, in order of first citation, pointing at the original
    cited: list[str] = []
    for link in soup.select(".citation-notes li a.original"):
        original = link["href"].split("#")[0]
        if original not in cited:
            cited.append(original)
    assert [c["url"] for c in data["citation"]] == cited
    for entry in data["citation"]:
        assert entry["@type"] in ("NewsArticle", "OpinionNewsArticle", "Article")
        assert entry["headline"] and entry["publisher"]["name"] and entry["datePublished"]
        assert any(u.startswith(f"{SITEURL}/sources/") for u in entry["sameAs"])


def test_json_ld_from_a_small_site_names_authors_and_outlets(build_site: Any) -> None:
    result = build_site(
        {
            "sources/one.md": source_file(title='"Headline </script> & more"', kind="opinion"),
            "explainers/ex.md": explainer_file('Text [@one, "First paragraph"].'),
        },
        SITEURL=SITEURL,
        RELATIVE_URLS=False,
    )
    assert result.error is None, result.messages
    raw = result.html("ex/index.html").select_one('script[type="application/ld+json"]').string
    assert "</script>" not in raw and "&" not in raw
    (entry,) = json.loads(raw)["citation"]
    assert entry == {
        "@type": "OpinionNewsArticle",
        "headline": "Headline </script> & more",
        "publisher": {"@type": "Organization", "name": "The Outlet"},
        "datePublished": "2018-05-29",
        "inLanguage": "en",
        "author": [{"@type": "Person", "name": "A. Writer"}],
        "url": "https://example.org/article",
        "sameAs": [f"{SITEURL}/sources/one/"],
    }


def test_script_json_cannot_close_its_script_element() -> None:
    text = script_json({"a": "</script><!-- & '"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & '"}


def test_sitemap_lists_every_indexable_page_sorted_with_content_dates(site: SiteBuild) -> None:
    root = ElementTree.parse(site.output / "sitemap.xml").getroot()
    entries = [
        (u.findtext(f"{SITEMAP_NS}loc"), u.findtext(f"{SITEMAP_NS}lastmod"))
        for u in root.findall(f"{SITEMAP_NS}url")
    ]
    locs = [loc for loc, _ in entries]
    assert locs == sorted(locs)
    pages = sorted(p.relative_to(site.output).as_posix() for p in site.output.rglob("*.html"))
    expected = {
        f"{SITEURL}/" + name.removesuffix("index.html")
        for name in pages
        if not name.startswith("pagefind/")
        and name not in ("404.html", "search/index.html", "es/search/index.html")
    }
    assert set(locs) == expected
    dated = dict(entries)
    assert dated[f"{SITEURL}/{FLAGSHIP}/"] == "2026-11-24"
    assert dated[f"{SITEURL}/sources/"] is None


def test_sitemap_skips_noindex_pages(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<html><head><meta property="article:published_time" content="2020-01-02">'
        '<meta property="article:modified_time" content="2021-03-04"></head></html>'
    )
    (tmp_path / "404.html").write_text('<html><head><meta name="robots" content="noindex">')
    (tmp_path / "index.html").write_text("<html><body>home</body></html>")
    assert sitemap_xml(tmp_path, "https://x.example").splitlines()[2:] == [
        "<url><loc>https://x.example/</loc></url>",
        "<url><loc>https://x.example/a/</loc><lastmod>2021-03-04</lastmod></url>",
        "</urlset>",
    ]


def test_atom_feed_of_explainers_is_linked_from_every_page(site: SiteBuild) -> None:
    feed = ElementTree.parse(site.output / "feeds" / "explainers.atom.xml").getroot()
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == len(list((ROOT / "content" / "explainers").glob("*.md")))
    link = site.html("glossary/index.html").select_one('link[rel=alternate][type$="atom+xml"]')
    assert link is not None  # the glossary's other alternates are its translations (hreflang)
    assert link["href"] == f"{SITEURL}/feeds/explainers.atom.xml"


def test_two_production_builds_are_byte_identical(site: SiteBuild, tmp_path: Path) -> None:
    again = publish_build(tmp_path / "output", SITEURL)
    assert again.error is None, again.messages
    first = {p.relative_to(site.output): p for p in site.output.rglob("*") if p.is_file()}
    second = {p.relative_to(again.output): p for p in again.output.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert any(p.parts[0] == "pagefind" and p.parts[1] == "filter" for p in first)
    different = [str(p) for p in sorted(first) if first[p].read_bytes() != second[p].read_bytes()]
    assert different == []


def test_unknown_setting_keys_are_reported(build_site: Any) -> None:
    result = build_site(
        {"sources/one.md": source_file()},
        METADATA={"sitemaps": True},
        SEARCH={"enable": True},
    )
    assert result.error is not None
    assert any(
        "unknown METADATA key 'sitemaps'; did you mean 'sitemap'?" in m for m in result.messages
    ), result.messages
    assert any("unknown SEARCH key 'enable'" in m for m in result.messages)


# Pagefind's filter indexes come out in hash-map order; search.stable fixes the order.


def test_cbor_codec_round_trips_the_shapes_pagefind_writes() -> None:
    item = [
        "1.5.2",
        [["en_d48d2e1", 2406], ["x", 0]],
        [["topic", "en_1"]],
        [],
        ["title"],
        {"k": [True, False, None, -3, 70000, 2**40]},
        "ünïcode ↩",
    ]
    assert cbor_decode(cbor_encode(item)) == item
    assert cbor_encode(23) == b"\x17" and cbor_encode(24) == b"\x18\x18"
    assert cbor_encode(256) == b"\x19\x01\x00"
    with pytest.raises(UnstableIndex):
        cbor_decode(b"\x9f\xff")  # indefinite-length array


def test_pagefind_index_with_many_filter_values_is_stable(tmp_path: Path) -> None:
    topics = [f"topic {n:02d}" for n in range(16)]
    outputs = []
    for run in ("a", "b"):
        site = tmp_path / run
        for n, topic in enumerate(topics):
            page = site / f"p{n}" / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(
                f'<html lang="en"><body>'
                f'<main data-pagefind-body data-pagefind-filter="kind:K{n % 5}">'
                f"<h1>Page {n}</h1><p>word{n} common</p>"
                f'<span data-pagefind-filter="topic">{topic}</span></main></body></html>'
            )
        subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"], check=True
        )
        stabilise_bundle(site / "pagefind")
        outputs.append(
            {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
        )
    assert outputs[0].keys() == outputs[1].keys()
    assert [k for k in outputs[0] if outputs[0][k] != outputs[1][k]] == []
    entry = json.loads(outputs[0][Path("pagefind/pagefind-entry.json")])
    assert Path(f"pagefind/pagefind.{entry['languages']['en']['hash']}.pf_meta") in outputs[0]
