"""`explainer diff --base REF`: the site as built at REF and as built now, so nobody copies
`output/` folders by hand.

REF is checked out in a temporary `git worktree` (removed afterwards) and both sites are built
by Pelican in a subprocess, as `make html` does, into temporary folders. The base is built with
its own copy of the settings file (the working tree's when REF has none), so a change to the
settings, theme or plugins shows in the report too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from explainer_cli import project
from explainer_cli.errors import CliError, shorten

TAIL = 20  # lines of Pelican's output shown when a build fails


@dataclass
class Build:
    output: Path
    failure: str = ""  # the end of Pelican's output when the build failed


def git(args: list[str], cwd: Path) -> str:
    """Run git; a failure is one line naming the command."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise CliError("git is not installed", path=str(cwd), code="cli.git") from error
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise CliError(f"git {args[0]}: {shorten(last, 200)}", path=str(cwd), code="cli.git")
    return done.stdout.strip()


@contextmanager
def worktree(ref: str, folder: Path) -> Iterator[Path]:
    """`folder` (inside a git repository) as it is at `ref`, in a temporary worktree."""
    top = Path(git(["rev-parse", "--show-toplevel"], folder)).resolve()
    try:
        commit = git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except CliError as error:
        raise CliError(
            f"no commit {shorten(ref)!r} in this repository (fetch it first?)",
            path=str(top),
            code="cli.git",
        ) from error
    with tempfile.TemporaryDirectory(prefix="explainer-base-") as temp:
        tree = Path(temp) / "base"
        git(["worktree", "add", "--detach", "--quiet", str(tree), commit], top)
        try:
            yield tree / folder.resolve().relative_to(top)
        finally:
            try:
                git(["worktree", "remove", "--force", str(tree)], top)
            except CliError:
                git(["worktree", "prune"], top)


def pelican(content: Path, settings: Path, output: Path, cwd: Path) -> Build:
    """One Pelican build in its own process (plugins and settings are imported fresh)."""
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(settings)]
    command += ["-o", str(output)]
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, env=os.environ.copy()
    )
    if done.returncode == 0:
        return Build(output)
    lines = (done.stdout + done.stderr).strip().splitlines()
    return Build(output, "\n".join(lines[-TAIL:]) or f"pelican exited with {done.returncode}")


def content_path(settings: str) -> Path:
    """The content folder the settings name (Pelican makes it absolute from the settings file)."""
    with project.in_project(settings):
        path = project.read_settings(settings).get("PATH") or project.CONTENT_NAME
        return Path(os.path.abspath(path))


def _moved(path: Path, old_root: Path, new_root: Path) -> Path | None:
    """`path` under `old_root` as the same path under `new_root` (None: not under it)."""
    try:
        return new_root / path.resolve().relative_to(old_root.resolve())
    except ValueError:
        return None


@contextmanager
def builds(ref: str, settings: str, new_output: Path | None) -> Iterator[tuple[Build, Build]]:
    """(base, new): REF built from a temporary worktree, the working tree built into
    `new_output` (default: a temporary folder). Temporary folders go when the block ends."""
    folder = project.project_folder(settings)
    content = content_path(settings)
    with tempfile.TemporaryDirectory(prefix="explainer-diff-") as temp:
        new_output = new_output or Path(temp) / "new"
        new = pelican(content, Path(settings), new_output, folder)
        if new.failure:
            print(new.failure, file=sys.stderr)
            raise CliError(
                "the site does not build; fix the problems above first",
                path=settings,
                code="cli.build",
            )
        with worktree(ref, folder) as base_folder:
            base_settings = _moved(Path(settings), folder, base_folder)
            if base_settings is None or not base_settings.is_file():
                base_settings = Path(settings)
            base_content = _moved(content, folder, base_folder) or content
            base = pelican(base_content, base_settings, Path(temp) / "base", base_folder)
        if base.failure:  # compared as an empty site: every page is listed as added
            shutil.rmtree(base.output, ignore_errors=True)
            base.output.mkdir(parents=True)
        yield base, new
