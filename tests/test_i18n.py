"""The Spanish edition's site side: translated pages at /es/<slug>/, the theme in Spanish, the
language switcher and alternates, feeds and sitemap per language, and the English site unchanged.

The sites are the project's own content plus small Spanish translations written here.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Tag
from jinja2 import Environment, nodes

from conftest import ROOT, SiteBuild, build_with, explainer_file, site_settings, write_files
from sitemodel import i18n
from sitemodel.source import Source

SITEURL = "https://example.org"
PO = ROOT / "theme" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
TEMPLATES = ROOT / "theme" / "templates"

ES_EXPLAINER = explainer_file(
    "## Quiénes eran\n\n"
    "La oficina no pudo saber con certeza dónde estaban esos niños"
    ' [@ffi-2018-whereabouts, "These are two different issues and must not be conflated.",'
    ' trans: "Son dos problemas diferentes y no deben confundirse."].\n\n'
    "Los niños no estaban perdidos para sus familias [@ffi-2018-whereabouts].",
    title="Los niños que la ORR no pudo ubicar",
    summary='"La ORR no pudo decir con certeza dónde estaban esos niños."',
    date="2026-12-01",
    lang="es",
    topics="[custody, numbers]",
)
ES_ABOUT = (
    "---\ntitle: Acerca de este sitio\nsummary: Un sitio pequeño de explicaciones.\nlang: es\n"
    "---\nEste sitio explica noticias confusas [@ffi-2018-whereabouts].\n"
)
SPANISH = {
    "explainers/es/children-orr-could-not-locate.md": ES_EXPLAINER,
    "pages/es/about.md": ES_ABOUT,
}


def copy_content(target: Path, extra: dict[str, str]) -> Path:
    """The real English content with only the translations a test gives (so it knows them all)."""
    shutil.copytree(ROOT / "content", target)
    for folder in ("explainers/es", "pages/es"):
        shutil.rmtree(target / folder, ignore_errors=True)
    (target / "glossary.es.yml").unlink(missing_ok=True)
    write_files(target, dict(extra))
    return target


def publish(tmp: Path, extra: dict[str, str], **overrides: Any) -> SiteBuild:
    content = copy_content(tmp / "content", extra)
    settings = site_settings(
        content,
        tmp / "output",
        "publishconf.py",
        CACHE_PATH=str(tmp / "cache"),
        SITEURL=SITEURL,
        FEED_DOMAIN=SITEURL,
        **overrides,
    )
    settings["HANDOUTS"] = {**settings["HANDOUTS"], "enabled": False}
    settings["SEARCH"] = {"enabled": False}
    return build_with(settings)


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    site = publish(tmp_path_factory.mktemp("es"), SPANISH)
    assert site.error is None, site.errors()
    return site


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    site = publish(tmp_path_factory.mktemp("en"), {})
    assert site.error is None, site.errors()
    return site


# --- pages, switcher, alternates ------------------------------------------------------------


def alternates(soup: BeautifulSoup) -> dict[str, str]:
    return {
        str(link["hreflang"]): str(link["href"])
        for link in soup.select('head link[rel="alternate"][hreflang]')
    }


def test_translation_is_published_under_its_language(spanish_site: SiteBuild) -> None:
    page = spanish_site.html("es/children-orr-could-not-locate/index.html")
    assert page.html is not None and page.html["lang"] == "es"
    assert page.h1 is not None and page.h1.get_text() == "Los niños que la ORR no pudo ubicar"
    assert spanish_site.html("es/about/index.html").html["lang"] == "es"  # type: ignore[index]
    english = spanish_site.html("children-orr-could-not-locate/index.html")
    assert english.html is not None and english.html["lang"] == "en"


@pytest.mark.parametrize(
    ("path", "other", "other_lang"),
    [
        ("children-orr-could-not-locate/index.html", "es/children-orr-could-not-locate/", "es"),
        ("es/children-orr-could-not-locate/index.html", "children-orr-could-not-locate/", "en"),
        ("about/index.html", "es/about/", "es"),
        ("es/about/index.html", "about/", "en"),
        ("index.html", "es/", "es"),
        ("es/index.html", "", "en"),
    ],
)
def test_switcher_and_hreflang_both_ways(
    spanish_site: SiteBuild, path: str, other: str, other_lang: str
) -> None:
    soup = spanish_site.html(path)
    switcher = soup.select_one("nav.language-switcher")
    assert switcher is not None
    link = switcher.select_one("a")
    assert link is not None and link["href"] == f"{SITEURL}/{other}"
    assert link["hreflang"] == other_lang and link["lang"] == other_lang
    assert link.get_text() == {"en": "English", "es": "Español"}[other_lang]
    found = alternates(soup)
    english = found["en"]
    assert found[other_lang] == f"{SITEURL}/{other}"
    assert found["x-default"] == english and not english.startswith(f"{SITEURL}/es/")
    assert set(found) == {"en", "es", "x-default"}


def test_page_without_translation_has_no_switcher(spanish_site: SiteBuild) -> None:
    soup = spanish_site.html("conditions-in-detention/index.html")
    assert soup.select_one("nav.language-switcher") is None
    assert alternates(soup) == {}


def test_spanish_home_lists_the_spanish_explainers(spanish_site: SiteBuild) -> None:
    home = spanish_site.html("es/index.html")
    assert home.html is not None and home.html["lang"] == "es"
    titles = [a.get_text() for a in home.select(".card-title a")]
    assert titles == ["Los niños que la ORR no pudo ubicar"]
    assert home.select_one(".card-title a")["href"] == (  # type: ignore[index]
        f"{SITEURL}/es/children-orr-could-not-locate/"
    )
    # the menu leads to the Spanish pages where they exist, to the English ones marked as such
    menu = {a.get_text(): a for a in home.select("nav.site-nav a")}
    assert menu["Acerca de este sitio"]["href"] == f"{SITEURL}/es/about/"
    assert menu["Key numbers"]["lang"] == "en" and menu["Key numbers"]["hreflang"] == "en"
    assert menu["Fuentes"]["hreflang"] == "en"
    # the English home does not list translations
    english = [a.get_text() for a in spanish_site.html("index.html").select(".card-title a")]
    assert "Los niños que la ORR no pudo ubicar" not in english


def test_translated_note_shows_original_beside_translation(spanish_site: SiteBuild) -> None:
    page = spanish_site.html("es/children-orr-could-not-locate/index.html")
    note = page.select_one(".citation-notes li")
    assert note is not None
    original = note.select_one('q[lang="en"]')
    assert original is not None
    assert original.get_text() == "These are two different issues and must not be conflated."
    assert "Son dos problemas diferentes y no deben confundirse." in note.get_text()
    assert "nuestra traducción de" in note.get_text()
    # the marker's label is Spanish too (rendered when the file is read)
    marker = page.select_one("a.cite-ref")
    assert marker is not None and marker["aria-label"].startswith("Nota de fuente ")


def test_feed_per_language(spanish_site: SiteBuild) -> None:
    english = (spanish_site.output / "feeds" / "explainers.atom.xml").read_text(encoding="utf-8")
    spanish = (spanish_site.output / "feeds" / "explainers.es.atom.xml").read_text(encoding="utf-8")
    assert "Los niños que la ORR no pudo ubicar" in spanish
    assert "Los niños que la ORR no pudo ubicar" not in english
    assert spanish.count("<entry>") == 1
    assert "<title>Niños en la frontera" in spanish
    page = spanish_site.html("es/children-orr-could-not-locate/index.html")
    feed = page.select_one('head link[type="application/atom+xml"]')
    assert feed is not None and feed["href"] == f"{SITEURL}/feeds/explainers.es.atom.xml"


def test_sitemap_lists_alternates(spanish_site: SiteBuild) -> None:
    xml = BeautifulSoup((spanish_site.output / "sitemap.xml").read_bytes(), "xml")
    by_loc = {url.loc.get_text(): url for url in xml.find_all("url")}  # type: ignore[union-attr]
    for loc in (f"{SITEURL}/children-orr-could-not-locate/", f"{SITEURL}/es/about/"):
        links = {link["hreflang"]: link["href"] for link in by_loc[loc].find_all("link")}
        assert set(links) == {"en", "es", "x-default"}
    assert by_loc[f"{SITEURL}/conditions-in-detention/"].find_all("link") == []


def test_json_ld_links_translations(spanish_site: SiteBuild) -> None:
    def json_ld(path: str) -> dict[str, Any]:
        script = spanish_site.html(path).select_one('script[type="application/ld+json"]')
        assert script is not None
        data: dict[str, Any] = json.loads(script.get_text())
        return data

    spanish = json_ld("es/children-orr-could-not-locate/index.html")
    assert spanish["inLanguage"] == "es"
    assert spanish["translationOfWork"]["url"] == f"{SITEURL}/children-orr-could-not-locate/"
    english = json_ld("children-orr-could-not-locate/index.html")
    assert english["workTranslation"] == [
        {
            "@type": "Article",
            "url": f"{SITEURL}/es/children-orr-could-not-locate/",
            "inLanguage": "es",
        }
    ]


def test_evidence_lists_translations(spanish_site: SiteBuild) -> None:
    evidence = json.loads((spanish_site.output / "evidence.json").read_text(encoding="utf-8"))
    page = evidence["pages"]["es/children-orr-could-not-locate/index.html"]
    assert page["url"] == "es/children-orr-could-not-locate/"


# --- theme strings ---------------------------------------------------------------------------


def spanish_catalog() -> Any:
    with PO.open("rb") as po:
        return read_po(po, locale="es")


def test_catalog_is_complete() -> None:
    catalog = spanish_catalog()
    for message in catalog:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else message.string
        assert all(strings), f"no Spanish for {message.id!r}"
        assert not message.fuzzy, f"fuzzy (not used by the build): {message.id!r}"


def _english_fragments() -> set[str]:
    """Every English theme string whose Spanish differs, cut at its %(placeholders)s."""
    fragments: set[str] = set()
    for message in spanish_catalog():
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for english in ids:
            if english in strings:
                continue  # "Original", "A4": the same word in both
            text = re.sub(r"<[^>]+>", "\x00", english)
            for part in re.split(r"%\(\w+\)[sd]|\{\w+\}|\x00", text):
                if len(re.findall(r"[A-Za-z]{2,}", part)) >= 1 and len(part.strip()) >= 4:
                    fragments.add(part.strip(" .:;,"))
    return fragments


_SHOWN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "content") + tuple(
    f"data-text-{n}"
    for n in (
        "loading",
        "failed",
        "found-one",
        "found-other",
        "for",
        "first",
        "none",
        "with-filters",
        "clear",
        "count",
        "chosen",
    )
)


def spanish_texts(soup: BeautifulSoup) -> list[str]:
    """What a reader of the page sees or hears: text and labels, minus what is marked as in
    another language (original quotes, English titles) or is data (scripts)."""
    for element in soup.select("[lang]:not(html)"):
        if element["lang"] != "es":
            element.decompose()
    for element in soup.select("script, style"):
        element.decompose()
    texts = [soup.get_text(" ")]
    for element in soup.find_all(True):
        assert isinstance(element, Tag)
        if element.name == "meta" and element.get("property", "").startswith("article:"):
            continue
        texts += [str(element[name]) for name in _SHOWN_ATTRIBUTES if element.has_attr(name)]
        filter_value = str(element.get("data-pagefind-filter", ""))
        texts.append(filter_value.split(":", 1)[-1])
    return texts


def test_spanish_pages_show_no_english_theme_string(spanish_site: SiteBuild) -> None:
    fragments = _english_fragments()
    assert "Short answer" in fragments and "Skip to content" in fragments  # the test can fail
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(fragments))) + r")\b")
    pages = sorted(spanish_site.output.glob("es/**/*.html"))
    assert len(pages) >= 3
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for text in spanish_texts(soup):
            found = pattern.search(text)
            assert found is None, f"{path.relative_to(spanish_site.output)}: {found.group(0)!r}"


def test_spanish_search_page_is_in_spanish(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content", SPANISH)
    settings = site_settings(content, tmp_path / "output", "pelicanconf.py")
    settings["SEARCH"] = {"enabled": True}
    # the page alone (Pagefind's index is tested in the browser tests)
    import search.pagefind

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search.pagefind, "build_index", lambda *args, **kwargs: None)
        site = build_with(settings)
    soup = site.html("es/search/index.html")
    assert soup.html is not None and soup.html["lang"] == "es"
    assert soup.h1 is not None and soup.h1.get_text() == "Buscar"
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(_english_fragments()))) + r")\b")
    for text in spanish_texts(soup):
        assert not pattern.search(text), text
    english = site.html("search/index.html")
    assert english.h1 is not None and english.h1.get_text() == "Search"


# Every piece of text a template writes itself is a theme string: find the rest. A template's
# literal text (its TemplateData) is read as HTML with each {{ }} / {% %} as a placeholder;
# words in a text node or in a shown attribute are untranslated. So are prose string constants
# in expressions ('Comparisons', ' and ') that are not the argument of _() or ngettext().
_WORD = re.compile(r"[A-Za-z]{2,}")
_ATTRIBUTE = re.compile(r'\s(aria-label|title|alt|placeholder|data-text-[\w-]+)="([^"]*)"')
_FILTER = re.compile(r'data-pagefind-filter="\w+:([^"]*)"')
# blocks base.html writes inside an attribute (a class name, a language code), not as text
_ATTRIBUTE_BLOCKS = {"kind", "lang", "og_type", "csp_script"}
_ATTRIBUTES_ONLY = re.compile(r'^(\s*[\w-]+="[^"]*")+\s*$')
_ENTITY = re.compile(r"&\w+;")
_CONSTANT_PROSE = re.compile(r"^[A-Z][a-z]+( [a-z]+)*$|\s[a-z]{2,}\s|^[a-z]+ [a-z]+")


def _literal_text(template: str) -> str:
    environment = Environment(extensions=["jinja2.ext.i18n"])
    tree = environment.parse(template)
    parts: list[str] = []
    for node in _output_nodes(tree):
        if isinstance(node, nodes.TemplateData):
            parts.append(node.data)
        else:
            parts.append("\x00")
    return "".join(parts)


def _output_nodes(node: nodes.Node) -> list[nodes.Node]:
    """The template's output, literal text and expressions, in order (trans blocks excluded:
    they are gettext calls once parsed)."""
    found: list[nodes.Node] = []
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Block) and child.name in _ATTRIBUTE_BLOCKS:
            continue
        if isinstance(child, nodes.Output):
            for item in child.nodes:
                found.append(item)
        else:
            found += _output_nodes(child)
    return found


def _untranslated(template: Path) -> list[str]:
    source = template.read_text(encoding="utf-8")
    text = _literal_text(source)
    problems = []
    for piece in re.split(r"<[^>]*>", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", text)):
        # a macro may write attributes, not text (` data-originalurl="..."`); and entities
        prose = _ENTITY.sub("", _ATTRIBUTES_ONLY.sub("", piece))
        if _WORD.search(prose):
            problems.append(piece.replace("\x00", "").strip())
    for match in _ATTRIBUTE.finditer(text):
        if _WORD.search(match.group(2).replace("\x00", "")):
            problems.append(match.group(0).strip())
    for match in _FILTER.finditer(text):
        if _WORD.search(match.group(1)):
            problems.append(match.group(0))
    environment = Environment(extensions=["jinja2.ext.i18n"])
    tree = environment.parse(source)
    translated = {
        id(arg)
        for call in tree.find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name in ("_", "gettext", "ngettext")
        for arg in call.args
    }
    for const in tree.find_all(nodes.Const):
        value = const.value
        if (
            isinstance(value, str)
            and id(const) not in translated
            and "%" not in value
            and _CONSTANT_PROSE.search(value)
        ):
            problems.append(repr(value))
    return problems


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_every_template_string_goes_through_gettext(template: Path) -> None:
    assert _untranslated(template) == []


def test_the_template_check_finds_literal_text(tmp_path: Path) -> None:
    template = tmp_path / "t.html"
    template.write_text(
        '<p>{{ _("Fine") }}</p><p>Not translated {{ x }}</p><a aria-label="Menu">x</a>'
        "{{ link('Compared in', y) }}{% trans %}Also fine{% endtrans %}",
        encoding="utf-8",
    )
    assert _untranslated(template) == ["Not translated", 'aria-label="Menu"', "'Compared in'"]


# --- dates -----------------------------------------------------------------------------------


def _source(published: datetime.date, precision: str, estimated: bool) -> Source:
    return Source(
        "s", "sources/s.md", "T", "O", published, "news", date_precision=precision,
        date_estimated=estimated,
    )  # fmt: skip


def test_dates_in_spanish_and_english() -> None:
    settings = {"THEME": str(ROOT / "theme"), "DEFAULT_LANG": "en"}
    es = i18n.translations(settings, "es").ugettext
    en = i18n.translations(settings, "en").ugettext
    day = datetime.date(2018, 5, 29)
    assert i18n.date_text(day, "es", es) == "29 de mayo de 2018"
    assert i18n.date_text(day, "en", en) == "29 May 2018"
    month = _source(datetime.date(2018, 5, 1), "month", True)
    assert i18n.source_date_text(month, "es", es) == "mayo de 2018 (estimada)"
    assert i18n.source_date_text(month, "en", en) == "May 2018 (estimated)"
    assert i18n.source_date_text(month, "en", en) == month.date_text  # the English as before
    year = _source(datetime.date(2019, 1, 1), "year", False)
    assert i18n.source_date_text(year, "es", es) == "2019"


def test_spanish_page_dates(spanish_site: SiteBuild) -> None:
    page = spanish_site.html("es/children-orr-could-not-locate/index.html")
    dates = page.select_one(".page-header .dates")
    assert dates is not None and "1 de diciembre de 2026" in dates.get_text()


# --- problems --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "code", "where"),
    [
        (
            {"explainers/fr/children-orr-could-not-locate.md": ES_EXPLAINER.replace(
                "lang: es", "lang: fr")},
            "i18n.language",
            "explainers/fr/children-orr-could-not-locate.md",
        ),
        (
            {"explainers/es/no-such-page.md": ES_EXPLAINER},
            "i18n.no-original",
            "explainers/es/no-such-page.md",
        ),
        (
            {"pages/es/about.md": ES_ABOUT.replace("lang: es\n", "")},
            "sitecheck.address-collision",
            "pages/es/about.md",
        ),
        (
            {"explainers/es.md": explainer_file("Text [@ffi-2018-whereabouts].")},
            "sitecheck.reserved-address",
            "explainers/es.md",
        ),
        (
            {"explainers/es/search.md": ES_EXPLAINER.replace("lang: es", "lang: es")},
            "sitecheck.reserved-address",
            "explainers/es/search.md",
        ),
    ],
)  # fmt: skip
def test_language_problems(tmp_path: Path, files: dict[str, str], code: str, where: str) -> None:
    site = publish(tmp_path, files)
    assert site.error is not None
    assert any(code in m and where in m for m in site.errors()), site.errors()


def test_translation_folder_must_match_its_language(tmp_path: Path) -> None:
    about = ES_ABOUT.replace("lang: es", "lang: en")
    site = publish(tmp_path, {"pages/es/about.md": about})
    assert any("i18n.folder" in m for m in site.errors()), site.errors()


# --- the English site unchanged --------------------------------------------------------------


def _without_language_links(html: str) -> str:
    soup = BeautifulSoup(html, "lxml")
    for element in soup.select("nav.language-switcher, head link[hreflang]"):
        element.decompose()
    for script in soup.select('script[type="application/ld+json"]'):
        data = json.loads(script.get_text())
        data.pop("workTranslation", None)
        script.string = json.dumps(data, sort_keys=True)
    return re.sub(r"\n\s*\n", "\n", str(soup))  # the lines the links stood on


def test_english_pages_unchanged_by_a_translation(
    english_site: SiteBuild, spanish_site: SiteBuild
) -> None:
    english = sorted(
        p.relative_to(english_site.output).as_posix() for p in english_site.output.rglob("*.html")
    )
    assert len(english) > 20
    # Source pages list every page citing them, the translations too (and count them): the
    # English source is what a Spanish reader checks a quote against.
    cited_in = spanish_site.html("sources/ffi-2018-whereabouts/index.html").select(".cited-in a")
    assert f"{SITEURL}/es/children-orr-could-not-locate/" in {a["href"] for a in cited_in}
    english = [name for name in english if not name.startswith("sources/")]
    changed = []
    for name in english:
        before = (english_site.output / name).read_text(encoding="utf-8")
        after = (spanish_site.output / name).read_text(encoding="utf-8")
        if before != after and _without_language_links(before) != _without_language_links(after):
            changed.append(name)
    assert changed == []
    # and only the translated pages (and the home) gained a switcher
    switched = {
        name
        for name in english
        if spanish_site.html(name).select_one("nav.language-switcher") is not None
    }
    assert switched == {
        "index.html",
        "children-orr-could-not-locate/index.html",
        "about/index.html",
    }
    feed = "feeds/explainers.atom.xml"
    assert (english_site.output / feed).read_bytes() == (spanish_site.output / feed).read_bytes()


# --- handouts --------------------------------------------------------------------------------


def test_spanish_handouts_are_in_spanish(tmp_path: Path, handout_html: list[str]) -> None:
    content = copy_content(tmp_path / "content", SPANISH)
    settings = site_settings(
        content, tmp_path / "output", "publishconf.py", SITEURL=SITEURL, FEED_DOMAIN=SITEURL
    )
    settings["SEARCH"] = {"enabled": False}
    site = build_with(settings)
    assert site.error is None, site.errors()
    slug = "children-orr-could-not-locate"
    for size in ("letter", "a4"):
        assert (site.output / "handouts" / "es" / f"{slug}-{size}.pdf").is_file()
        assert (site.output / "handouts" / f"{slug}-{size}.pdf").is_file()
    link = site.html(f"es/{slug}/index.html").select_one(".handout-link")
    assert link is not None and link.get_text().startswith("Hoja para imprimir (PDF, 1 página)")
    assert link.select("a")[0]["href"] == f"{SITEURL}/handouts/es/{slug}-letter.pdf"
    assert link.select("a")[0].get_text() == "Carta (EE. UU.)"
    spanish = [
        BeautifulSoup(html, "lxml")
        for html in handout_html
        if BeautifulSoup(html, "lxml").html["lang"] == "es"  # type: ignore[index]
    ]
    # one per paper size; "about" has no handout (HANDOUTS pages: glossary, key numbers)
    titles = [soup.h1.get_text() for soup in spanish if soup.h1]
    assert titles == ["Los niños que la ORR no pudo ubicar"] * 2
    handout = next(s for s in spanish if s.h1 and s.h1.get_text().startswith("Los niños"))
    qr = handout.select_one("a.qr-link")
    assert qr is not None and qr["href"] == f"{SITEURL}/es/{slug}/"
    text = handout.get_text(" ")
    assert "Escanee para leer en línea" in text and "Actualizado al 1 de diciembre de 2026" in text
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(_english_fragments()))) + r")\b")
    for piece in spanish_texts(handout):
        assert not pattern.search(piece), piece


def test_spanish_pdf_says_its_language(tmp_path: Path) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    from handouts import HandoutsUnavailable
    from handouts.render import load_weasyprint

    try:
        load_weasyprint()
    except HandoutsUnavailable as error:
        pytest.skip(f"WeasyPrint cannot be loaded: {error}")
    from conftest import source_file

    english = explainer_file('Two issues [@src, "First paragraph of the source."].', title="A")
    spanish = explainer_file(
        'Dos temas [@src, "First paragraph of the source.", trans: "Primer párrafo."].',
        title="Un tema",
        lang="es",
    )
    files = {
        "sources/src.md": source_file(url="https://news.example.com/a", rights="test"),
        "explainers/topic.md": english,
        "explainers/es/topic.md": spanish,
    }
    write_files(tmp_path / "content", dict(files))
    settings = site_settings(
        tmp_path / "content", tmp_path / "output", "publishconf.py", SITEURL=SITEURL
    )
    settings["SEARCH"] = {"enabled": False}
    settings["HANDOUTS"] = {**settings["HANDOUTS"], "sizes": ["a4"], "pages": []}
    site = build_with(settings)
    assert site.error is None, site.errors()
    with pikepdf.open(site.output / "handouts" / "es" / "topic-a4.pdf") as pdf:
        assert str(pdf.Root.Lang) == "es"
    with pikepdf.open(site.output / "handouts" / "topic-a4.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en"
