"""Citation markers as the theme writes them: the `markers` macro of `_notes.html`.

Markers are rendered while a file is read (their numbers are known then), so the macro runs
in its own Jinja environment; each distinct group of markers is rendered once per build.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jinja2 import DictLoader, Environment, FileSystemLoader, select_autoescape

from sitemodel import Citation
from sitemodel.i18n import catalogs_version, install_gettext

NOTES_TEMPLATE = "_notes.html"
# for a theme without `_notes.html` (the notes list then needs the macro too: see the README)
_FALLBACK = (
    '{% macro markers(items) %}<sup class="citation">{% for item in items %}'
    '<a class="cite-ref" id="{{ item.ref }}" href="#cite-{{ item.number }}">{{ item.number }}</a>'
    '{{ ", " if not loop.last }}{% endfor %}</sup>{% endmacro %}'
)


class Markers:
    """Renders a group of citation markers with the theme's macro, remembering each group."""

    def __init__(self, settings: dict[str, Any]) -> None:
        folder = Path(str(settings.get("THEME", ""))) / "templates"
        path = folder / NOTES_TEMPLATE
        options = {
            key: value
            for key, value in (settings.get("JINJA_ENVIRONMENT") or {}).items()
            if key in ("trim_blocks", "lstrip_blocks")
        }
        if path.is_file():
            loader: Any = FileSystemLoader(str(folder))
            source = path.read_bytes()
        else:
            loader, source = DictLoader({NOTES_TEMPLATE: _FALLBACK}), _FALLBACK.encode()
        environment = Environment(
            loader=loader, autoescape=select_autoescape(default=True), **options
        )
        install_gettext(environment)  # its labels in the language of the page read
        self.template = environment.get_template(NOTES_TEMPLATE)
        self.languages = {
            "THEME": settings.get("THEME", ""),
            "DEFAULT_LANG": settings.get("DEFAULT_LANG"),
        }
        self.version = (
            f"notes:{hashlib.sha256(source).hexdigest()[:16]}:{catalogs_version(settings)}"
        )
        self._macros: dict[str, Any] = {}
        self._groups: dict[tuple[str, tuple[tuple[int, str], ...]], str] = {}

    def __call__(self, citations: list[Citation], lang: str = "") -> str:
        key = (lang, tuple((citation.note, citation.ref_id) for citation in citations))
        html = self._groups.get(key)
        if html is None:
            if lang not in self._macros:
                variables = {**self.languages, "page_lang": lang}
                self._macros[lang] = self.template.make_module(variables).markers  # type: ignore[attr-defined]
            items = [{"number": number, "ref": ref} for number, ref in key[1]]
            html = self._groups[key] = str(self._macros[lang](items))
        return html
