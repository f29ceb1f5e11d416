"""CONTRIBUTING.md is the contributor's manual: its codes and its example are the real ones."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from explainer_cli.main import main

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
CODE = re.compile(
    r"\b((?:reader|citations|crosslinks|sources|glossary|content|sitecheck|handouts|import|cli)"
    r"\.[a-z][a-z-]*)\b"
)
# names in the plugins that look like codes but are not (env keys, a file name)
NOT_CODES = {"citations.numbers", "citations.scan", "crosslinks.finder", "glossary.yml"}


def emitted_codes() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "plugins").rglob("*.py"):
        for literal in re.findall(r"\"([a-z]+\.[a-z-]+)\"", path.read_text(encoding="utf-8")):
            if CODE.fullmatch(literal):
                found.add(literal)
    return found - NOT_CODES


def test_every_code_the_plugins_emit_is_explained() -> None:
    explained = set(re.findall(r"`([a-z]+\.[a-z-]+)`", GUIDE))
    assert emitted_codes() - explained == set()


def test_the_example_message_is_what_check_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    example = next(line for line in GUIDE.splitlines() if ": error: quote not found" in line)
    match = re.match(r"content/explainers/([\w-]+)\.md:(\d+): ", example)
    assert match, example
    slug, line = match.group(1), int(match.group(2))
    quote = re.search(r'quote not found in [\w-]+: "([^"]+)"', example)
    source = re.search(r"quote not found in ([\w-]+):", example)
    assert quote and source
    shutil.copytree(ROOT / "content" / "sources", tmp_path / "content" / "sources")
    front = "---\ntitle: Example\nsummary: Short.\ndate: 2026-11-23\n---\n"
    padding = "\n" * (line - 1 - front.count("\n"))
    text = f'{front}{padding}It says so [@{source.group(1)}, "{quote.group(1)}"].\n'
    (tmp_path / "content" / "explainers").mkdir(parents=True)
    (tmp_path / "content" / "explainers" / f"{slug}.md").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "-s", str(ROOT / "pelicanconf.py"), "content"]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert example in printed, printed
