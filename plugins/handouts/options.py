"""The HANDOUTS setting: defaults merged, checked once, problems reported like content problems."""

from __future__ import annotations

from typing import Any

from sitemodel import ProblemLog

DEFAULTS: dict[str, Any] = {
    "enabled": False,  # off for quick local builds; publishconf.py turns it on
    "sizes": ["letter", "a4"],  # one PDF per paper size
    "pages": [],  # slugs of pages (besides every explainer) that get a handout too
    "max_pages": 2,  # an explainer handout longer than this is reported as a warning
    "path": "handouts",  # output folder
    "template": "handout",
    "stylesheet": "css/print.css",  # in the theme's static folder
}

# CSS page size and the label readers see, per paper size name
PAPER: dict[str, tuple[str, str]] = {
    "letter": ("letter", "US Letter"),
    "a4": ("A4", "A4"),
    "legal": ("legal", "US Legal"),
    "a5": ("A5", "A5"),
}

_SETTINGS_FILE = "pelicanconf.py"


def handout_options(settings: dict[str, Any], problems: ProblemLog) -> dict[str, Any]:
    """HANDOUTS over the defaults; each wrong key or value is reported and left at its default."""
    given = settings.get("HANDOUTS") or {}
    if not isinstance(given, dict):
        _report(problems, "HANDOUTS must be a dict, like {'enabled': True}")
        given = {}
    options = dict(DEFAULTS)
    for key, value in given.items():
        if key not in DEFAULTS:
            _report(problems, f"HANDOUTS has no setting '{key}'; known: {', '.join(DEFAULTS)}")
        elif _valid(key, value):
            options[key] = value
        else:
            _report(
                problems,
                f"HANDOUTS['{key}'] = {value!r} is not valid; "
                f"the default is {DEFAULTS[key]!r}"
                + (f" (paper sizes: {', '.join(PAPER)})" if key == "sizes" else ""),
            )
    return options


def _valid(key: str, value: Any) -> bool:
    default = DEFAULTS[key]
    if key == "sizes":
        return isinstance(value, list) and bool(value) and all(v in PAPER for v in value)
    if key == "pages":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if key == "max_pages":
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    if isinstance(default, str):
        return isinstance(value, str) and bool(value.strip("/"))
    return isinstance(value, type(default))


def _report(problems: ProblemLog, message: str) -> None:
    problems.add(_SETTINGS_FILE, 0, message, "handouts.settings")
