"""Shared helpers: build a real site from files in a temporary folder and read its HTML."""

from __future__ import annotations

import importlib
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from pelican import Pelican
from pelican.settings import read_settings

import pelicanconf
from crosslinks.syntax import wikilink_html
from mdreader import Document, make_markdown
from sitecheck import BuildFailed
from sitemodel import Filler, fill

ROOT = Path(__file__).resolve().parent.parent


def source_file(
    body: str = "First paragraph of the source.\n\nSecond paragraph, with 1,475 children.",
    **fields: Any,
) -> str:
    """A valid source file; keyword arguments replace or add front-matter lines."""
    values: dict[str, Any] = {
        "title": '"A headline"',
        "outlet": "The Outlet",
        "author": "A. Writer",
        "published": "2018-05-29",
        "url": "https://example.org/article",
        "kind": "news",
        "language": "en",
    }
    values.update(fields)
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def explainer_file(body: str, title: str = "An explainer", **fields: Any) -> str:
    values: dict[str, Any] = {
        "title": f'"{title}"',
        "summary": '"The short answer."',
        "date": "2026-11-23",
    }
    values.update(fields)
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def reader_markdown() -> MarkdownIt:
    """A MarkdownIt built like the reader's: the site's plugins registered in pelicanconf's order.

    Pelican registers them the same way on its first build; blinker keeps one connection each.
    """
    for name in pelicanconf.PLUGINS:
        importlib.import_module(name).register()
    return make_markdown({"THEME": str(ROOT / "theme"), **pelicanconf_jinja()})


def pelicanconf_jinja() -> dict[str, Any]:
    """The Jinja options Pelican's own templates use (the markers macro is rendered alike)."""
    from pelican.settings import DEFAULT_CONFIG

    return {"JINJA_ENVIRONMENT": DEFAULT_CONFIG["JINJA_ENVIRONMENT"]}


def filled(html: str, env: dict[str, Any], **fillers: Filler) -> str:
    """Rendered HTML with its placeholders filled as in a build where nothing resolved:
    wiki links as typed; `fillers` replace some kinds. (Citation markers are numbered when
    read; the notes list is the theme's.)"""
    content = type("Content", (), {"markdown_document": Document("test.md", html, env)})()
    unresolved: dict[str, Filler] = {
        "wiki": wikilink_html,
    }
    return fill(html, content, {**unresolved, **fillers})


@dataclass
class SiteBuild:
    content: Path
    output: Path
    error: BuildFailed | None
    messages: list[str] = field(default_factory=list)

    def html(self, relpath: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / relpath).read_text(encoding="utf-8"), "lxml")

    def errors(self) -> list[str]:
        return [m for m in self.messages if m.startswith("ERROR")]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def site_settings(
    content: Path, output: Path, settings_file: str = "pelicanconf.py", **overrides: Any
) -> dict[str, Any]:
    """The project's settings file, pointed at a test's content and output folders."""
    return read_settings(
        str(ROOT / settings_file),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "THEME": str(ROOT / "theme"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "CACHE_PATH": str(content.parent / "cache"),
            **overrides,
        },
    )


def pelican_command(content: Path, output: Path, *options: str) -> list[str]:
    """Pelican's command line for the project's settings, for a build in another process."""
    return [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-o",
        str(output),
        *options,
    ]


def run_build(content: Path, output: Path, **overrides: Any) -> SiteBuild:
    """Run Pelican on `content` into `output`, collecting our problem messages."""
    return build_with(site_settings(content, output, **overrides))


def build_with(settings: dict[str, Any]) -> SiteBuild:
    """Run Pelican with these settings, collecting our problem messages."""
    collector = _Collect()
    logger = logging.getLogger("explainer")
    logger.addHandler(collector)
    try:
        Pelican(settings).run()
        error = None
    except BuildFailed as failure:
        error = failure
    finally:
        logger.removeHandler(collector)
    return SiteBuild(
        Path(settings["PATH"]), Path(settings["OUTPUT_PATH"]), error, collector.messages
    )


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for relpath, data in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


@pytest.fixture
def build_site(tmp_path: Path) -> Any:
    """build_site({relpath: text}, **settings) -> SiteBuild, in a fresh temporary folder."""

    def build(files: dict[str, str | bytes], **overrides: Any) -> SiteBuild:
        content = tmp_path / "content"
        write_files(content, files)
        return run_build(content, tmp_path / "output", **overrides)

    return build


@pytest.fixture
def handout_html(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of every handout the build makes, instead of its PDF (no WeasyPrint needed)."""
    import handouts.generator

    rendered: list[str] = []

    class Capture:
        def __init__(self, *args: Any) -> None:
            pass

        def render(self, html: str, size: str, base_url: str) -> tuple[int, bytes]:
            rendered.append(html)
            return 1, b"%PDF-1.7\n"

    monkeypatch.setattr(handouts.generator, "Renderer", Capture)
    monkeypatch.setattr(handouts.generator, "load_weasyprint", lambda: None)
    return rendered
