"""Publishing under a hostile or broken environment: one line and exit 1, never a traceback.

Builds run in another process through Pelican's own command line, as contributors run them.
"""

from __future__ import annotations

import fcntl
import subprocess
import time
from pathlib import Path

from conftest import explainer_file, pelican_command, source_file, write_files

GOOD: dict[str, str | bytes] = {
    "sources/good.md": source_file(),
    "explainers/page.md": explainer_file('Text [@good, "First paragraph of the source"].'),
}


def pelican(
    tmp_path: Path, files: dict[str, str | bytes] | None = None
) -> subprocess.CompletedProcess[str]:
    write_files(tmp_path / "content", files or GOOD)
    command = pelican_command(tmp_path / "content", tmp_path / "output")
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_a_failed_build_ends_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    bad = {**GOOD, "explainers/page.md": explainer_file("Text [@nosuch].")}
    result = pelican(tmp_path, bad)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "CRITICAL" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-2:] == [
        "content/explainers/page.md:6: error: unknown source '@nosuch' [citations.unknown-source]",
        "build failed: 1 problem(s) in the content; the previous output is unchanged",
    ]


def test_output_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "output").write_text("not a folder", encoding="utf-8")
    result = pelican(tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "output: is a file, not a folder; move it away or build elsewhere [sitecheck.output]",
        "build failed: the output folder cannot be used; the previous output is unchanged",
    ]
    assert (tmp_path / "output").read_text(encoding="utf-8") == "not a folder"


def test_a_site_left_aside_by_a_killed_swap_is_recovered(tmp_path: Path) -> None:
    assert pelican(tmp_path).returncode == 0
    (tmp_path / "output").rename(tmp_path / ".staging-output-old")  # killed between renames
    (tmp_path / ".staging-output-stale").mkdir()  # and a staging folder of a crashed build
    result = pelican(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "recovered the last published site from .staging-output-old" in result.stderr
    assert (tmp_path / "output" / "page" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".staging")) == []


def test_a_second_build_of_one_output_waits_for_the_first(tmp_path: Path) -> None:
    assert pelican(tmp_path).returncode == 0
    write_files(tmp_path / "content", {"explainers/new.md": explainer_file("More [@good].")})
    with (tmp_path / ".output.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another build holds the output
        command = pelican_command(tmp_path / "content", tmp_path / "output")
        build = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        waited = 0.0
        while not list(tmp_path.glob(".staging-output-*")) and waited < 3:
            time.sleep(0.1)
            waited += 0.1
        assert build.poll() is None, "the second build did not wait"
        assert not (tmp_path / "output" / "new").exists()
        assert list(tmp_path.glob(".staging-output-*")) == []  # nothing touched while waiting
        fcntl.flock(lock, fcntl.LOCK_UN)
        _out, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert "another build is writing output/; waiting for it" in err
    assert (tmp_path / "output" / "new" / "index.html").is_file()


def test_the_published_folder_is_readable_by_others(tmp_path: Path) -> None:
    assert pelican(tmp_path).returncode == 0
    assert (tmp_path / "output").stat().st_mode & 0o055 == 0o055  # not mkdtemp's 0700
