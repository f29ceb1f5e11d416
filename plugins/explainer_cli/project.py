"""Where the project is: the folder holding `pelicanconf.py`, found from any sub-folder.

Contributors run `explainer` from wherever their terminal is (often `content/explainers/`);
the commands resolve their defaults against the project folder, not the current one.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from explainer_cli.errors import CliError

SETTINGS_NAME = "pelicanconf.py"
CONTENT_NAME = "content"


def find_root(start: Path | None = None) -> Path | None:
    """The nearest folder, from `start` (default: the current one) upwards, with pelicanconf.py."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_NAME).is_file():
            return folder
    return None


def require_root() -> Path:
    root = find_root()
    if root is None:
        raise CliError(
            f"no {SETTINGS_NAME} here or in any folder above; run explainer inside the project"
            " folder, or name the files with -s/--content",
            path=os.getcwd(),
            code="cli.no-project",
        )
    return root


def settings_file(given: str | None) -> str:
    """The absolute settings file: the one given, or the project's pelicanconf.py."""
    if given is None:
        return str(require_root() / SETTINGS_NAME)
    if not Path(given).is_file():
        raise CliError("no such settings file", path=given, code="cli.settings")
    return os.path.abspath(given)


def content_folder(given: str | None) -> str:
    """The content folder: the one given, or the project's content/."""
    return given if given is not None else str(require_root() / CONTENT_NAME)


def project_folder(settings: str) -> Path:
    """The folder a command runs in: the settings file's, when it is a project folder; else
    the project around the current folder (a settings file kept elsewhere); else its own."""
    folder = Path(settings).resolve().parent
    if (folder / SETTINGS_NAME).is_file():
        return folder
    return find_root() or folder


@contextmanager
def in_project(settings: str) -> Iterator[None]:
    """Run a command from the project folder, as `make` does: publishconf's
    `sys.path.append(os.curdir); from pelicanconf import *` finds the file beside it, and
    Pelican's relative defaults (theme, output/, cache/) land in the project, not in content/."""
    folder = os.path.dirname(os.path.abspath(settings))
    previous = os.getcwd()
    sys.path.append(folder)
    os.chdir(project_folder(settings))
    try:
        yield
    finally:
        os.chdir(previous)
        sys.path.remove(folder)


# What running a settings file (Python the project writes) raises for a mistake in it; Pelican
# raises ValueError for a setting it cannot use (no PATH, a missing theme).
SETTINGS_ERRORS = (SyntaxError, ImportError, NameError, AttributeError, TypeError, ValueError)


def settings_error(error: Exception, settings: str) -> CliError:
    """A mistake in a settings file as one line, at the line of that file (or the file it
    imports from the same folder) where it happened."""
    folder = os.path.dirname(os.path.abspath(settings))
    where, message = settings, f"{type(error).__name__}: {error}"
    if isinstance(error, SyntaxError) and error.filename:
        where, message = f"{error.filename}:{error.lineno}", f"SyntaxError: {error.msg}"
    else:
        frames = traceback.extract_tb(error.__traceback__)
        mine = [f for f in frames if os.path.dirname(os.path.abspath(f.filename)) == folder]
        if mine:
            where = f"{mine[-1].filename}:{mine[-1].lineno}"
    return CliError(f"cannot use the settings: {message}", path=where, code="cli.settings")


def read_settings(settings: str, override: dict[str, Any] | None = None) -> dict[str, Any]:
    """Pelican's settings, with a mistake in the settings file reported in one line."""
    from pelican.settings import read_settings as pelican_read_settings

    try:
        result: dict[str, Any] = pelican_read_settings(settings, override=override)
    except SETTINGS_ERRORS as error:
        raise settings_error(error, settings) from error
    return result
