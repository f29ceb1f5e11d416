"""`explainer check`: every content problem, without writing the site."""

from __future__ import annotations

import os
from pathlib import Path

from pelican import Pelican, signals

from explainer_cli.project import read_settings
from sitemodel import Problem, build_of
from sitemodel.settings import SETTINGS_FILE_KEY


def collect_problems(settings_file: str, path: str | None = None) -> list[Problem]:
    """Read and resolve all content as a build would, stopping before any output is written."""
    override = {SETTINGS_FILE_KEY: os.path.abspath(settings_file)}  # named in settings problems
    if path:
        override["PATH"] = str(Path(path).resolve())
    settings = read_settings(settings_file, override=override)
    pelican = Pelican(settings)
    pelican.explainer_check_only = True
    context = settings.copy()
    context["generated_content"] = {}
    context["static_links"] = set()
    context["static_content"] = {}
    context["localsiteurl"] = settings["SITEURL"]
    generators = [
        cls(
            context=context,
            settings=settings,
            path=pelican.path,
            theme=pelican.theme,
            output_path=pelican.output_path,
        )
        for cls in pelican._get_generator_classes()
    ]
    for generator in generators:
        if hasattr(generator, "generate_context"):
            generator.generate_context()
    signals.all_generators_finalized.send(generators)
    return build_of(context).problems.problems


def _escape(text: str, *, property_value: bool = False) -> str:
    """GitHub's workflow-command escaping; property values also escape ':' and ','."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def annotation(problem: Problem, file: str) -> str:
    """A GitHub Actions workflow command, so the problem shows on the pull request's diff.

    `file` is relative to the project folder, which is the repository's root."""
    kind = "error" if problem.severity == "error" else "warning"
    line = f",line={problem.line}" if problem.line else ""
    return (
        f"::{kind} file={_escape(file, property_value=True)}{line},"
        f"title={_escape(problem.code, property_value=True)}::{_escape(problem.message)}"
    )


def run_check(settings_file: str, path: str | None = None, start: str | None = None) -> int:
    """Print every problem, one line each, as the build prints it: paths from the project
    folder (the current one while `check` runs), or from `start`, where `check` was run,
    when that is outside the project."""
    problems = sorted(collect_problems(settings_file, path), key=lambda p: (p.path, p.line))
    content_root = path or read_settings(settings_file)["PATH"]
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    base = os.getcwd()
    if start and not (start + os.sep).startswith(base.rstrip(os.sep) + os.sep):
        base = start
    for problem in problems:
        print(problem.text(content_root, base))
        if github:
            print(annotation(problem, problem.file(content_root, base)))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0
