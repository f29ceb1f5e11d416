"""The `explainer` command line: help for every command, `new`, and `serve`."""

from __future__ import annotations

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, explainer_file, run_build, source_file, write_files
from explainer_cli.main import build_parser, main
from explainer_cli.scaffold import new_explainer

COMMANDS = ["add-source", "new", "check", "serve", "diff", "sources", "translations"]


def test_every_command_is_listed_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert command in out


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert f"usage: explainer {command}" in capsys.readouterr().out


def test_console_script_help_runs() -> None:
    """The installed `explainer` entry point, as contributors call it."""
    script = Path(sys.executable).with_name("explainer")
    if not script.exists():
        pytest.skip(f"the explainer script is not installed beside {sys.executable}")
    result = subprocess.run(
        [str(script), "new", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "SLUG" in result.stdout


def test_subcommands_match_the_parser() -> None:
    parser = build_parser()
    choices = next(a for a in parser._actions if a.dest == "command").choices
    assert sorted(choices) == sorted(COMMANDS)


# ---------------------------------------------------------------- new


def small_site(root: Path) -> Path:
    content = root / "content"
    write_files(
        content,
        {
            "sources/paper-2020-plan.md": source_file(
                "The council approved the plan on Monday.\n\nIt will cost 2 million pounds."
            ),
            "explainers/the-plan.md": explainer_file(
                'The council approved it [@paper-2020-plan, "approved the plan"].',
                title="The plan",
                topics="[budget, council]",
            ),
        },
    )
    return content


def test_new_scaffold_builds_with_two_warnings_placeholder_and_citation_needed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = small_site(tmp_path)
    assert main(["new", "what-the-plan-costs", "--content", str(content)]) == 0
    path = content / "explainers" / "what-the-plan-costs.md"
    assert f"Wrote {path}" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    fields = yaml.safe_load(text.split("---\n")[1])
    assert fields["title"] == "What the plan costs"
    assert fields["date"] == datetime.date.today()
    assert fields["topics"] == [] and fields["related"] == []
    # the guide lists what exists, so the contributor need not look it up
    assert "Topics already in use: budget, council" in text
    assert "the-plan" in text and "paper-2020-plan" in text

    result = run_build(content, tmp_path / "output")
    assert result.error is None, result.messages
    assert len(result.messages) == 2, result.messages
    assert all(m.startswith("WARNING: explainers/what-the-plan-costs.md:") for m in result.messages)
    assert "still the placeholder" in result.messages[0]
    assert "citation needed" in result.messages[1]
    page = result.html("what-the-plan-costs/index.html")
    assert page.h1.get_text(strip=True) == "What the plan costs"
    shown = page.get_text(" ")
    assert "notes for you" not in shown  # the guide is YAML comments, never on the page
    assert "Replace this paragraph with the explainer." in shown


def test_new_scaffold_fails_the_published_build(tmp_path: Path) -> None:
    content = small_site(tmp_path)
    new_explainer("draft", str(content))
    result = run_build(
        content,
        tmp_path / "output",
        CITATIONS={"citation_needed": "error"},
        READER={"placeholder_text": "error"},
    )
    assert result.error is not None
    assert any("explainers/draft.md" in m and "citation needed" in m for m in result.errors())
    assert any(
        m.startswith("ERROR: explainers/draft.md:6: the summary is still the placeholder")
        and m.endswith("[reader.placeholder]")
        for m in result.errors()
    )


def test_new_lists_glossary_ids(tmp_path: Path) -> None:
    content = small_site(tmp_path)
    (content / "glossary.yml").write_text(
        "- id: orr\n  term: Office\n  definition: The office.\n"
        "- id: cbp\n  term: Customs\n  definition: Customs.\n",
        encoding="utf-8",
    )
    text = new_explainer("draft", str(content)).read_text(encoding="utf-8")
    assert "Glossary ids for [[term:id]]: cbp, orr" in text


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("the-plan", "explainers/the-plan.md already exists"),
        ("about", "pages/about.md already exists"),
        (
            "Bad Slug",
            "'Bad Slug' is not a valid slug: use lowercase letters, digits and"
            " hyphens; try 'bad-slug'",
        ),
        ("trailing-", "is not a valid slug"),
    ],
)
def test_new_refuses_taken_or_bad_slugs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], slug: str, message: str
) -> None:
    content = small_site(tmp_path)
    write_files(content, {"pages/about.md": "---\ntitle: About\n---\nAbout us.\n"})
    before = {p: p.read_bytes() for p in content.rglob("*.md")}
    assert main(["new", slug, "--content", str(content)]) == 1
    assert message in capsys.readouterr().err
    assert {p: p.read_bytes() for p in content.rglob("*.md")} == before


# ---------------------------------------------------------------- serve


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch_until(url: str, wanted: str, deadline: float) -> str:
    """The page once it contains `wanted`; the server builds in the background."""
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                last = response.read().decode("utf-8")
            if wanted in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never contained {wanted!r}; last answer: {last[:200]!r}")


def test_serve_builds_serves_and_rebuilds_on_save(tmp_path: Path) -> None:
    content = small_site(tmp_path)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "explainer_cli.main",
        "serve",
        str(content),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-o",
        str(tmp_path / "output"),
        "--port",
        str(port),
    ]
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
        start_new_session=True,  # Pelican starts a builder and a server process
    )
    try:
        page = f"http://127.0.0.1:{port}/the-plan/"
        fetch_until(page, "The plan", time.monotonic() + 90)
        explainer = content / "explainers" / "the-plan.md"
        explainer.write_text(
            explainer.read_text(encoding="utf-8").replace('"The plan"', '"The new plan"'),
            encoding="utf-8",
        )
        fetch_until(page, "The new plan", time.monotonic() + 90)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
