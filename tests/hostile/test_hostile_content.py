"""Hostile pull requests: every file under `content/` is written by a stranger.

Each case is one file in `tests/hostile/cases/`: the files it adds to a small valid site (or
removes, with `null`), symbolic links, settings, and the exact error lines it must give. A case
that expects no error must build, and nothing it wrote may add an element, attribute or link
the theme did not write. Every case: no traceback (an exception here fails the test), and the
last good `output/` untouched when the build fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import build_with, explainer_file, site_settings, source_file, write_files

CASES = sorted((Path(__file__).parent / "cases").glob("*.yml"))

BASE_SITE: dict[str, str | bytes] = {
    "sources/good.md": source_file(rights='"statement published for redistribution"'),
    "explainers/page.md": explainer_file(
        'The source says so [@good, "First paragraph of the source"].',
        title="A page",
        topics="[custody]",
    ),
    "pages/about.md": "---\ntitle: About\n---\nWho writes this site [@good].\n",
    "glossary.yml": "- id: orr\n  term: Office of Refugee Resettlement\n"
    "  definition: The office [@good].\n",
}
# what the theme itself writes that could run or move a reader: nothing else may appear
THEME_SCRIPTS = {"theme/js/notes.js", "theme/js/search.js"}
ALLOWED_META_HTTP_EQUIV = {"content-security-policy"}


def tree_state(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else b""
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The last good build, which a failing pull request must leave as it was."""
    root = tmp_path_factory.mktemp("good")
    write_files(root / "content", BASE_SITE)
    build = build_with(site_settings(root / "content", root / "output"))
    assert build.error is None, build.messages
    return root / "output"


def load_case(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(case) <= {"about", "files", "symlinks", "settings", "publish", "expect"}, path
    assert case.get("about"), f"{path.name}: say what the attack is"
    return dict(case)


@pytest.mark.parametrize("case_file", CASES, ids=[path.stem for path in CASES])
def test_hostile_case(case_file: Path, tmp_path: Path, good_output: Path) -> None:
    case = load_case(case_file)
    content, output = tmp_path / "content", tmp_path / "output"
    files = {**BASE_SITE, **(case.get("files") or {})}
    write_files(content, {name: text for name, text in files.items() if text is not None})
    for name, target in (case.get("symlinks") or {}).items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target.replace("{content}", str(content)), content / name)
    shutil.copytree(good_output, output)
    before = tree_state(output)
    settings_file = "publishconf.py" if case.get("publish") else "pelicanconf.py"
    overrides: dict[str, Any] = {"EXPLAINER_SETTINGS_FILE": settings_file}
    if case.get("publish"):
        site = "https://explainers.example.net"  # not the sources' domain: their links stay outside
        overrides.update(SITEURL=site, FEED_DOMAIN=site)
        overrides.update(HANDOUTS={"enabled": False}, SEARCH={"enabled": False})
    overrides.update(case.get("settings") or {})
    build = build_with(site_settings(content, output, settings_file, **overrides))

    expected = [f"ERROR: {line}" for line in case.get("expect") or []]
    assert build.errors() == expected
    assert not any("reader.internal" in m or "Traceback" in m for m in build.messages)
    if expected:
        assert build.error is not None
        assert tree_state(output) == before, "a failed build changed the published site"
    else:
        assert build.error is None, build.messages
        assert_nothing_injected(output)


def assert_nothing_injected(output: Path) -> None:
    """No script, handler, style, redirect or unsafe link beyond what the theme writes."""
    for path in sorted(output.rglob("*.html")):
        name = path.relative_to(output).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for script in soup.find_all("script"):
            src = str(script.get("src", ""))
            assert script.get("type") == "application/ld+json" or any(
                src.endswith(allowed) for allowed in THEME_SCRIPTS
            ), f"{name}: {script}"
        for meta in soup.find_all("meta", attrs={"http-equiv": True}):
            assert str(meta["http-equiv"]).lower() in ALLOWED_META_HTTP_EQUIV, f"{name}: {meta}"
        assert soup.find_all(["style", "base", "iframe", "object", "embed"]) == [], name
        for element in soup.find_all(True):
            for attribute, value in element.attrs.items():
                assert not attribute.lower().startswith("on"), f"{name}: {element}"
                assert attribute.lower() != "style", f"{name}: {element}"
                if attribute in ("href", "src", "action"):
                    link = str(value).strip().lower().replace("\t", "")
                    assert not link.startswith(("javascript:", "data:text", "vbscript:")), (
                        f"{name}: {element}"
                    )
    for path in sorted(output.rglob("*.xml")):
        feed = BeautifulSoup(path.read_text(encoding="utf-8"), "xml")
        links = [str(e["href"]) for e in feed.find_all(href=True)]
        for entry_html in feed.find_all(type="html"):
            html = BeautifulSoup(entry_html.get_text(), "lxml")
            links += [str(e.get("href") or e.get("src")) for e in html.find_all(["a", "img"])]
            assert html.find_all(["script", "style", "meta", "iframe"]) == [], path.name
        for link in links:
            assert link.startswith(("https://", "http://", "#", "mailto:")), (path.name, link)
    assert_lang_attributes(output)


def assert_lang_attributes(output: Path) -> None:
    for path in sorted(output.rglob("*.html")):
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").html
        assert html is not None and set(html.attrs) <= {"lang"}, path


def test_cases_cover_every_class_of_the_issue() -> None:
    """The corpus keeps a case for each class of attack (issue: untrusted contributors)."""
    names = {path.stem for path in CASES}
    for prefix in (
        "escape-", "scheme-", "symlink-", "address-", "control-", "yaml-", "settings-",
        "metadata-", "size-",
    ):  # fmt: skip
        assert any(name.startswith(prefix) for name in names), prefix
