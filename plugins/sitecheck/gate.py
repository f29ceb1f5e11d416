"""Build into a staging folder; publish it over `output/` only when content and links are sound."""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from sitecheck.links import EarlyFacts, LinkIndex, check_links, site_files
from sitecheck.swap import STAGING_PREFIX, OutputLock, OutputProblem, prepare_output, swap_in
from sitemodel import Build, build_of
from sitemodel.settings import Option, declare, plugin_options

logger = logging.getLogger("explainer")

declare("SITECHECK", {"check_links": Option(True)})


@dataclass
class RunState:
    """What the gate knows of the build now running (renewed by `stage_output` at each run):
    its staging folder (None in `check`), the pages read early for the link check, and the
    output folder's lock (kept across the runs of one process, like `explainer serve`'s)."""

    staging: Path | None = None
    early_facts: EarlyFacts | None = None
    lock: OutputLock | None = None


_run = RunState()


class BuildFailed(SystemExit):
    """Raised after every problem has been logged: the process exits 1 with no traceback.

    A SystemExit, not an Exception: Pelican's command line logs any Exception as CRITICAL with
    its traceback, which a contributor would read as a crash of the build.
    """

    exitcode = 1

    def __init__(self, message: str) -> None:
        super().__init__(1)
        self.message = message

    def __str__(self) -> str:
        return self.message


def fail(message: str) -> BuildFailed:
    """The build's last line, printed before the process exits (after the problems, which are
    the lines to act on: this one is no problem of its own)."""
    print(f"build failed: {message}", file=sys.stderr)
    _release()
    return BuildFailed(message)


def stage_output(pelican: Any) -> None:
    """Point this run at a fresh staging folder beside the real output, holding its lock."""
    pelican.explainer_published = False
    _run.early_facts = None
    _run.staging = None
    if getattr(pelican, "explainer_check_only", False):
        return
    final = Path(getattr(pelican, "explainer_final_output", pelican.output_path)).resolve()
    pelican.explainer_final_output = str(final)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        if _run.lock is None or _run.lock.path != final.with_name(f".{final.name}.lock"):
            _release()
            _run.lock = OutputLock(final)
        _run.lock.acquire()
        prepare_output(final)
        staging = tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{final.name}-", dir=final.parent)
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 would become the site's mode
    except (OSError, OutputProblem) as error:
        problem = str(error) if isinstance(error, OutputProblem) else _os_problem(error, final)
        print(f"{problem} [sitecheck.output]", file=sys.stderr)
        raise fail("the output folder cannot be used; the previous output is unchanged") from None
    pelican.output_path = staging
    _run.staging = Path(staging)
    if plugin_options(pelican.settings, "SITECHECK")["check_links"]:
        _run.early_facts = EarlyFacts(Path(staging))


def _os_problem(error: OSError, final: Path) -> str:
    where = Path(error.filename).name if error.filename else final.name
    return f"{where}: {error.strerror or error}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _release() -> None:
    if _run.lock is not None:
        _run.lock.release()


def fail_before_writing(generators: list[Any]) -> None:
    """Every file is read and resolved: stop before Pelican writes a page if content has errors.

    Pelican writes explainers and pages before any plugin generator runs; a page that would
    overwrite another would crash its writer first.
    """
    if _run.staging is None or not generators:
        return
    errors = report_problems(generators[0].context)
    if errors:
        _discard(_run.staging)
        raise fail(f"{errors} problem(s) in the content; the previous output is unchanged")


def page_written(path: str, context: Any = None) -> None:
    """Pelican has written a page: start reading it for the link check."""
    if _run.early_facts is not None:
        _run.early_facts.written(Path(path))


def report_problems(context: dict[str, Any]) -> int:
    """Log every content problem of the build; return how many are errors."""
    problems = build_of(context).problems
    problems.log_all()
    return len(problems.errors)


class ContentGate(Generator):  # type: ignore[misc]
    """Fails the build, after all content problems are logged, before anything is published."""

    def generate_output(self, writer: Any) -> None:
        errors = report_problems(self.context)
        if errors:
            _discard(Path(self.output_path))
            raise fail(f"{errors} problem(s) in the content; the previous output is unchanged")


def publish_output(pelican: Any, build: Build | None = None) -> None:
    """Check the staged site's links, then swap it in for the real output folder."""
    staging = Path(pelican.output_path)
    final = Path(pelican.explainer_final_output)
    pelican.output_path = str(final)
    kept = build.kept_outputs if build is not None else None
    if not staging.name.startswith(STAGING_PREFIX):
        return
    # an incremental build staged only the pages it wrote; the others stay where they are
    staged = site_files(staging)
    site = staged if kept is None else {**{name: final / name for name in kept}, **staged}
    options = plugin_options(pelican.settings, "SITECHECK")
    read_early = _run.early_facts.collect() if _run.early_facts is not None else {}
    _run.early_facts = None
    index = None
    if options["check_links"]:
        broken, index = check_links(
            site,
            pelican.settings.get("SITEURL", ""),
            _last_index(pelican.settings),
            read_early,
        )
        for message in broken:
            logger.error("%s [sitecheck.link]", message)
        if broken:
            _discard(staging)
            raise fail(
                f"{len(broken)} broken link(s) in the built site; the previous output is unchanged"
            )
    if kept is None:
        swap_in(staging, final)
    else:
        _replace_files(staged, final, set(site))
        shutil.rmtree(staging, ignore_errors=True)
    pelican.explainer_published = True
    _release()
    if index is not None and pelican.settings.get("CACHE_CONTENT"):
        _save_index(pelican.settings, index)


def _replace_files(staged: dict[str, Path], final: Path, site: set[str]) -> None:
    """Move the staged files over the published ones and remove what the site no longer has.

    Each file is replaced at once, not the whole site: used only by incremental (local) builds.
    """
    for name, path in staged.items():
        (final / name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, final / name)
    for name, path in site_files(final).items():
        if name not in site:
            path.unlink()
    for folder, _subfolders, _names in os.walk(final, topdown=False):
        # listed afresh: the walk's own lists predate removing the folders below
        if Path(folder) != final and not any(Path(folder).iterdir()):
            Path(folder).rmdir()


_INDEX_NAME = "explainer-links.pickle"


def _last_index(settings: dict[str, Any]) -> LinkIndex | None:
    """The link index of the last published build, with the content cache on."""
    if not (settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE")):
        return None
    try:
        with open(Path(settings["CACHE_PATH"]) / _INDEX_NAME, "rb") as file:
            index = pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return index if isinstance(index, LinkIndex) else None


def _save_index(settings: dict[str, Any], index: LinkIndex) -> None:
    cache = Path(settings["CACHE_PATH"])
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / _INDEX_NAME, "wb") as file:
        pickle.dump(index, file, protocol=pickle.HIGHEST_PROTOCOL)


@atexit.register
def _discard_at_exit() -> None:
    """A crash after staging (a template error, a failing receiver) skips publishing: do not
    leave the half-written site behind when the process ends. Registered once per process."""
    if _run.staging is not None:
        _discard(_run.staging)


def _discard(staging: Path) -> None:
    if staging.name.startswith(STAGING_PREFIX):
        shutil.rmtree(staging, ignore_errors=True)
