"""What every build promises: atomic output, identical rebuilds, and `explainer check`."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pelican.writers import Writer

import sitecheck.gate
from conftest import (
    ROOT,
    SiteBuild,
    explainer_file,
    pelican_command,
    run_build,
    site_settings,
    source_file,
    write_files,
)
from explainer_cli.main import main as explainer_main
from sitecheck import BuildFailed

GOOD_SITE: dict[str, str | bytes] = {
    "sources/good.md": source_file(),
    "explainers/page.md": explainer_file('Text [@good, "First paragraph of the source"].'),
    "explainers/other.md": explainer_file("More text [@good].", title="Other"),
}


def tree_state(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Inode, mtime and bytes of every file and folder under `folder`, to prove it untouched."""
    state = {".": (folder.stat().st_ino, folder.stat().st_mtime_ns, b"")}
    for path in sorted(folder.rglob("*")):
        data = path.read_bytes() if path.is_file() else b""
        info = path.stat()
        state[path.relative_to(folder).as_posix()] = (info.st_ino, info.st_mtime_ns, data)
    return state


def staging_left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".staging-"))


def site_folder(root: Path, files: dict[str, str | bytes]) -> Path:
    write_files(root, files)
    return root


def build_over_good(tmp_path: Path, files: dict[str, str | bytes], **overrides: Any) -> SiteBuild:
    """Build a good site into output/, then `files` into the same output/: it must fail cleanly.

    Returns the failed build, after checking that output/ is byte for byte (and inode and
    mtime) what the good build left, and that no staging folder remains.
    """
    output = tmp_path / "output"
    good = run_build(site_folder(tmp_path / "good", GOOD_SITE), output)
    assert good.error is None, good.messages
    before = tree_state(output)
    bad = run_build(site_folder(tmp_path / "bad", files), output, **overrides)
    assert isinstance(bad.error, BuildFailed), bad.messages
    assert tree_state(output) == before
    assert staging_left(tmp_path) == []
    return bad


def assert_one_error(build: SiteBuild, where: str, code: str, *words: str) -> str:
    """The build's only error starts with `where: ` (path:line) and ends with `[code]`."""
    errors = build.errors()
    assert len(errors) == 1, errors
    message = errors[0]
    assert message.startswith(f"ERROR: {where}: "), message
    assert message.endswith(f" [{code}]"), message
    for word in words:
        assert word in message
    return message


def assert_no_injected_markup(output: Path, marker: str) -> None:
    """No page turned contributor text containing `marker` into elements or event handlers."""
    from bs4 import BeautifulSoup

    for path in sorted(output.rglob("*.html")):
        soup = BeautifulSoup(path.read_bytes(), "lxml")
        for element in soup.find_all(True):
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            assert not handlers, f"{path}: {element.name} has {handlers}"
            if element.name == "script" and not element.get("src"):
                # the only inline scripts are JSON data, with "<" escaped inside
                assert element.get("type") == "application/ld+json", f"{path}: inline script"
                assert "<" not in element.get_text(), f"{path}: markup inside a script element"
                json.loads(element.get_text())
            elif element.name in ("b", "i", "img", "script", "iframe"):
                assert marker not in str(element), f"{path}: markup became <{element.name}>"


# --- atomic output ---------------------------------------------------------------------------


def test_failed_build_leaves_output_untouched_and_no_staging(tmp_path: Path) -> None:
    bad = build_over_good(
        tmp_path,
        {**GOOD_SITE, "explainers/page.md": explainer_file("Text [@nosuch].")},
    )
    assert_one_error(bad, "explainers/page.md:6", "citations.unknown-source")
    assert (tmp_path / "output" / "page" / "index.html").is_file()


def test_broken_link_fails_after_writing_but_leaves_output_untouched(tmp_path: Path) -> None:
    # content is sound, so the staged site is written; the link check then refuses it
    page = explainer_file("See [x]({filename}gone.md) [@good].")
    files = {**GOOD_SITE, "explainers/page.md": page}
    bad = build_over_good(tmp_path, files)
    assert any("[sitecheck.link]" in m and "gone.md" in m for m in bad.errors()), bad.messages


def test_successful_build_replaces_output(tmp_path: Path) -> None:
    output = tmp_path / "output"
    first = run_build(site_folder(tmp_path / "c1", GOOD_SITE), output)
    assert first.error is None, first.messages
    assert (output / "other" / "index.html").is_file()
    (output / "stray.txt").write_text("left by hand", encoding="utf-8")
    without_other = {k: v for k, v in GOOD_SITE.items() if k != "explainers/other.md"}
    second = run_build(site_folder(tmp_path / "c2", without_other), output)
    assert second.error is None, second.messages
    assert (output / "page" / "index.html").is_file()
    assert not (output / "other").exists()
    assert not (output / "stray.txt").exists()
    assert staging_left(tmp_path) == []


CRASHING_PLUGIN = """
from pelican import signals


def crash(pelican):
    raise RuntimeError("post-processing failed")


def register():
    signals.finalized.connect(crash)
"""


def test_crash_after_writing_leaves_output_untouched_and_no_staging(tmp_path: Path) -> None:
    # like a failing search index or template: publish_output never runs, Pelican exits 1
    output = tmp_path / "output"
    content = site_folder(tmp_path / "content", GOOD_SITE)
    assert run_build(content, output).error is None
    before = tree_state(output)
    write_files(tmp_path / "extra", {"crash/__init__.py": CRASHING_PLUGIN})
    plugins = list(site_settings(content, output)["PLUGINS"])
    plugins.insert(plugins.index("sitecheck"), "crash")
    paths = [str(ROOT / "plugins"), str(tmp_path / "extra")]
    result = subprocess.run(
        pelican_command(
            content,
            output,
            "-e",
            f"PLUGINS={json.dumps(plugins)}",
            f"PLUGIN_PATHS={json.dumps(paths)}",
        ),
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "post-processing failed" in result.stdout + result.stderr
    assert tree_state(output) == before
    assert staging_left(tmp_path) == []


# --- identical rebuilds ----------------------------------------------------------------------


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_real_site_rebuilds_byte_identical(tmp_path: Path) -> None:
    first = run_build(ROOT / "content", tmp_path / "one")
    second = run_build(ROOT / "content", tmp_path / "two")
    assert first.error is None, first.messages
    assert second.error is None, second.messages
    # a separate process with another hash seed: set and dict ordering must not leak out
    env = {**os.environ, "PYTHONHASHSEED": "7"}
    subprocess.run(
        pelican_command(ROOT / "content", tmp_path / "three", "-q"),
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    one, two, three = (tree_bytes(tmp_path / name) for name in ("one", "two", "three"))
    assert len(one) > 20 and "index.html" in one
    assert sorted(one) == sorted(two) == sorted(three)
    for name in one:
        assert one[name] == two[name], f"{name} differs between two builds in one process"
        assert one[name] == three[name], f"{name} differs in a build with another hash seed"


# --- explainer check -------------------------------------------------------------------------

CHECK_LINE = re.compile(r"^[^:]+:\d+: (?:error|warning): .+ \[[a-z]+\.[a-z-]+\]$")


@pytest.fixture
def no_writing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Run from tmp_path; record any page written and refuse any staging folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    written: list[str] = []

    def record(self: Any, name: str, *args: Any, **kwargs: Any) -> None:
        written.append(name)

    def refuse(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("explainer check created a staging folder")

    monkeypatch.setattr(Writer, "write_file", record)
    monkeypatch.setattr(sitecheck.gate.tempfile, "mkdtemp", refuse)
    return written


def run_check(content: Path) -> int:
    return explainer_main(["check", "-s", str(ROOT / "pelicanconf.py"), str(content)])


BAD_SITE: dict[str, str | bytes] = {
    **GOOD_SITE,
    "sources/bad.md": source_file(kind="rumour"),
    "explainers/page.md": explainer_file('Text [@good, "words not in the source"].'),
}


def test_check_reports_every_problem_and_exits_1(
    tmp_path: Path, no_writing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    content = site_folder(tmp_path / "content", BAD_SITE)
    assert run_check(content) == 1
    lines = capsys.readouterr().out.splitlines()
    problems = [line for line in lines if CHECK_LINE.match(line)]
    assert len(problems) == 2, lines
    # the same line the build prints: the path from where check ran (the project's root)
    assert problems[0].startswith("content/explainers/page.md:6: error: quote not found")
    assert problems[0].endswith("[citations.quote-not-found]")
    assert problems[1].startswith("content/sources/bad.md:7: error: unknown kind 'rumour'")
    assert problems[1].endswith("[sources.kind]")
    assert lines[-1] == "2 error(s), 0 warning(s)"
    assert not any(line.startswith("::") for line in lines)
    assert no_writing == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_check_prints_github_annotations(
    tmp_path: Path,
    no_writing: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    content = site_folder(tmp_path / "content", BAD_SITE)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert run_check(content) == 1
    annotations = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    assert annotations == [
        "::error file=content/explainers/page.md,line=6,title=citations.quote-not-found::"
        + annotations[0].split("::", 2)[2],
        "::error file=content/sources/bad.md,line=7,title=sources.kind::"
        "unknown kind 'rumour'; use one of news, opinion, statement, explainer",
    ]
    assert annotations[0].split("::", 2)[2].startswith('quote not found in good: "words not')


def test_check_passes_a_good_site_and_writes_nothing(
    tmp_path: Path, no_writing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    content = site_folder(tmp_path / "content", GOOD_SITE)
    assert run_check(content) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 error(s), 0 warning(s)"
    assert no_writing == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_check_names_the_settings_file_for_settings_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    content = site_folder(tmp_path / "content", GOOD_SITE)
    settings = tmp_path / "mysettings.py"
    settings.write_text(
        "from pelicanconf import *  # noqa\nSOURCES = {'txt': 'full'}\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    from explainer_cli.main import main

    assert main(["check", "-s", str(settings), str(content)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith(f"{settings}: error: unknown SOURCES key 'txt'") for line in lines
    ), lines
    assert any(
        line.startswith("::error file=") and "mysettings.py,title=" in line for line in lines
    )
