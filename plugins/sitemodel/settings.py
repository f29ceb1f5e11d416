"""One settings layer: every plugin's dict setting declared once, validated once per build.

A typo in a key (`citation_neded`) or a value of the wrong type must not silently fall back to
a default and weaken the publish gate: it is an error naming the settings file in use.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sitemodel.problems import ProblemLog, did_you_mean, shorten

# settings key a caller (our CLI, tests) may set to name the settings file in messages
SETTINGS_FILE_KEY = "EXPLAINER_SETTINGS_FILE"


@dataclass(frozen=True)
class Option:
    """A key of a plugin's dict setting: its default and, beyond the default's type, a check."""

    default: Any
    check: Callable[[Any], bool] | None = None
    expected: str = ""  # what a valid value looks like, for the message


_DECLARED: dict[str, dict[str, Option]] = {}


def declare(name: str, options: dict[str, Option]) -> None:
    """Called by a plugin at import: `name` is its setting (CITATIONS), `options` its keys."""
    _DECLARED[name] = options


def defaults(name: str) -> dict[str, Any]:
    return {key: option.default for key, option in _DECLARED[name].items()}


def plugin_options(settings: dict[str, Any], name: str) -> dict[str, Any]:
    """The plugin's setting over its defaults; a wrong key or value keeps the default (and is
    reported once by `check_settings`)."""
    options = defaults(name)
    given = settings.get(name)
    if isinstance(given, dict):
        for key, value in given.items():
            option = _DECLARED[name].get(key)
            if option is not None and _valid(option, value):
                options[key] = value
    return options


def check_settings(settings: dict[str, Any], problems: ProblemLog) -> None:
    """Every declared plugin setting: a dict, known keys, values of the right kind."""
    where = settings_file(settings)
    for name, declared in sorted(_DECLARED.items()):
        given = settings.get(name)
        if given is None:
            continue
        code = f"{name.lower()}.settings"
        if not isinstance(given, dict):
            problems.add(
                where, 0, f"{name} must be a dict, like {defaults(name)!r}", code, in_content=False
            )
            continue
        for key, value in given.items():
            option = declared.get(key)
            if option is None:
                hint = did_you_mean(str(key), declared) or f"; known: {', '.join(declared)}"
                message = f"unknown {name} key {str(key)!r}{hint}"
                problems.add(where, 0, message, code, in_content=False)
            elif not _valid(option, value):
                expected = option.expected or f"a {type(option.default).__name__}"
                problems.add(
                    where,
                    0,
                    f"{name}[{key!r}] = {shorten(repr(value), 80)} is not valid:"
                    f" expected {expected}",
                    code,
                    in_content=False,
                )


def _valid(option: Option, value: Any) -> bool:
    default = option.default
    if isinstance(default, bool) or isinstance(value, bool):
        kind_ok = isinstance(value, bool) and isinstance(default, bool)
    elif default is None:
        kind_ok = True
    else:
        kind_ok = isinstance(value, type(default))
    return kind_ok and (option.check is None or option.check(value))


def is_explainer(relpath: str, settings: dict[str, Any]) -> bool:
    """Whether a content file (its path relative to the content folder) is an explainer:
    Pelican reads the files under ARTICLE_PATHS as articles ("" is the whole content)."""
    path = relpath.replace("\\", "/")
    folders = [str(folder).strip("/") for folder in settings.get("ARTICLE_PATHS") or [""]]
    return any(not folder or path.startswith(folder + "/") for folder in folders)


def settings_file(settings: dict[str, Any]) -> str:
    """The settings file this build reads, as the contributor named it (for messages)."""
    named = settings.get(SETTINGS_FILE_KEY)
    if isinstance(named, str) and named:
        return named
    argv = sys.argv[1:]
    for index, arg in enumerate(argv):
        if arg in ("-s", "--settings") and index + 1 < len(argv):
            return os.path.relpath(argv[index + 1])
        if arg.startswith("--settings="):
            return os.path.relpath(arg.split("=", 1)[1])
    return "pelicanconf.py"


def enforce_autoescape(pelican: Any) -> None:
    """Every template escapes by default; only HTML our plugins made is marked safe.

    Set before any generator builds its Jinja environment (on `initialized`), whatever the
    settings file says, as a new dict (the user's settings object is not changed in place).
    """
    environment = dict(pelican.settings.get("JINJA_ENVIRONMENT") or {})
    environment["autoescape"] = True
    pelican.settings["JINJA_ENVIRONMENT"] = environment
