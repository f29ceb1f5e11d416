"""The HANDOUTS setting, declared in the shared settings layer (which reports wrong values)."""

from __future__ import annotations

from typing import Any

from sitemodel.i18n import N_
from sitemodel.settings import Option, declare, defaults, plugin_options

# CSS page size and the label readers see (a theme string), per paper size name
PAPER: dict[str, tuple[str, str]] = {
    "letter": ("letter", N_("US Letter")),
    "a4": ("A4", "A4"),
    "legal": ("legal", N_("US Legal")),
    "a5": ("A5", "A5"),
}


def _name(value: str) -> bool:
    return bool(value.strip("/"))


declare(
    "HANDOUTS",
    {
        # off for quick local builds; publishconf.py turns it on
        "enabled": Option(False),
        # one PDF per paper size
        "sizes": Option(
            ["letter", "a4"],
            lambda v: bool(v) and all(size in PAPER for size in v),
            f"a list of paper sizes ({', '.join(PAPER)})",
        ),
        # slugs of pages (besides every explainer) that get a handout too
        "pages": Option([], lambda v: all(isinstance(s, str) for s in v), "a list of page slugs"),
        # an explainer handout longer than this is reported as a warning
        "max_pages": Option(2, lambda v: v > 0, "a whole number above 0"),
        # a translation's notes print every quote twice (the translation and the original)
        "max_pages_translated": Option(3, lambda v: v > 0, "a whole number above 0"),
        "path": Option("handouts", _name, "a folder name"),  # output folder
        "template": Option("handout", _name, "a template name"),
        "stylesheet": Option("css/print.css", _name, "a file in the theme's static folder"),
    },
)
DEFAULTS: dict[str, Any] = defaults("HANDOUTS")


def handout_options(settings: dict[str, Any]) -> dict[str, Any]:
    """HANDOUTS over the defaults; wrong keys and values are reported by the settings layer."""
    return plugin_options(settings, "HANDOUTS")
