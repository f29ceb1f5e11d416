"""`explainer diff`: two real builds of a small site, before and after a contributor's change."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import explainer_file, run_build, source_file, write_files
from explainer_cli.diffreport import escape
from explainer_cli.main import main

SOURCES = {
    "sources/paper-2020-plan.md": source_file(
        "The council approved the plan on Monday.\n\n"
        "It will cost 2 million pounds over five years.\n\n"
        "Residents can comment until the end of March.",
        title='"Council approves the plan"',
    ),
    "sources/union-2020-reply.md": source_file(
        "The union says the plan comes too late.\n\nIt asks for repairs first.",
        title='"Our reply to the plan"',
        outlet="The Union",
        url="https://union.example/reply",
    ),
}
BEFORE = {
    **SOURCES,
    "explainers/the-plan.md": explainer_file(
        'The council approved the plan [@paper-2020-plan, "approved the plan on Monday"].'
        ' It will cost 2 million pounds [@paper-2020-plan, "It will cost 2 million pounds"].',
        title="The plan",
    ),
    "explainers/the-reply.md": explainer_file(
        'The union says the plan is late [@union-2020-reply, "comes too late"].',
        title="The reply",
    ),
    "explainers/old-news.md": explainer_file(
        'Comments are open [@paper-2020-plan, "Residents can comment"].', title="Old news"
    ),
}
AFTER = {
    **{k: v for k, v in BEFORE.items() if k != "explainers/old-news.md"},
    # one citation changed: now quotes the period too
    "explainers/the-plan.md": BEFORE["explainers/the-plan.md"].replace(
        '"It will cost 2 million pounds"]', '"It will cost 2 million pounds over five years"]'
    ),
    "explainers/what-happens-next.md": explainer_file(
        'The union wants repairs first [@union-2020-reply, "It asks for repairs first."].',
        title="What happens next",
    ),
}


@dataclass
class Builds:
    old: Path
    new: Path
    again: Path  # the old content built a second time


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = tmp_path_factory.mktemp("diff")
    outputs = []
    for name, files in (("old", BEFORE), ("new", AFTER), ("again", BEFORE)):
        content = root / f"content-{name}"
        write_files(content, files)
        result = run_build(content, root / name)
        assert result.error is None, result.messages
        assert result.messages == []
        outputs.append(root / name)
    return Builds(*outputs)


def sections(report: str) -> dict[str, list[str]]:
    """'### Heading' -> its non-empty lines."""
    found: dict[str, list[str]] = {}
    current = ""
    for line in report.splitlines():
        if line.startswith("### "):
            current = line[4:]
            found[current] = []
        elif line.strip() and current:
            found[current].append(line)
    return found


@pytest.fixture(scope="module")
def report(builds: Builds, tmp_path_factory: pytest.TempPathFactory) -> str:
    written = tmp_path_factory.mktemp("report") / "report.md"
    assert main(["diff", str(builds.old), str(builds.new), "-o", str(written)]) == 0
    return written.read_text(encoding="utf-8")


def test_added_and_removed_pages_are_listed(report: str) -> None:
    parts = sections(report)
    assert "- `/what-happens-next/` What happens next" in parts["Added pages"]
    assert "- `/old-news/` Old news" in parts["Removed pages"]


def test_changed_page_and_its_citation_change_are_named(report: str) -> None:
    parts = sections(report)
    assert "- `/the-plan/` The plan" in parts["Changed pages"]
    citations = parts["Citations"]
    # the reply page changed (a new related explainer), its citations did not
    assert "- `/the-reply/` The reply" in parts["Changed pages"]
    assert "- `/the-reply/` The reply" not in citations
    start = citations.index("- `/the-plan/` The plan")
    changes = citations[start + 1 : start + 3]
    assert changes[0].startswith("  - removed: ~~")
    assert escape("“It will cost 2 million pounds”") in changes[0]
    assert changes[1].startswith("  - added: ")
    assert escape("“It will cost 2 million pounds over five years”") in changes[1]
    # the unchanged citation on the same page is not reported
    assert not any("approved the plan on Monday" in line for line in citations)


def test_source_pages_say_what_changed(report: str) -> None:
    lines = sections(report)["Sources"]
    # both sources are cited differently now; their texts did not change
    assert any(
        line.startswith("- `paper-2020-plan` Council approves the plan: where it is cited")
        for line in lines
    )
    assert any(line.startswith("- `union-2020-reply`") for line in lines)


def test_source_text_change_is_reported(
    builds: Builds, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = dict(AFTER)
    changed["sources/union-2020-reply.md"] = SOURCES["sources/union-2020-reply.md"].replace(
        "It asks for repairs first.", "It asks for repairs first.\n\nA new closing line."
    )
    content = tmp_path / "content"
    write_files(content, changed)
    result = run_build(content, tmp_path / "output")
    assert result.error is None, result.messages
    assert main(["diff", str(builds.new), str(tmp_path / "output")]) == 0
    lines = sections(capsys.readouterr().out)["Sources"]
    assert any(
        line.startswith("- `union-2020-reply`") and line.endswith(": text") for line in lines
    )


def test_identical_builds_report_no_difference(
    builds: Builds, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same input, byte-identical output: a pull request's diff shows only its own effect."""
    assert main(["diff", str(builds.old), str(builds.again)]) == 0
    out = capsys.readouterr().out
    assert "No difference" in out
    assert "###" not in out


def test_missing_folder_is_an_error(
    builds: Builds, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(tmp_path / "nothing"), str(builds.new)]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_an_empty_base_lists_every_page_as_added(
    builds: Builds, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first pull request of a new site, or a base branch that did not build."""
    empty = tmp_path / "empty"
    empty.mkdir()
    copy = tmp_path / "copy"
    shutil.copytree(builds.new, copy)
    assert main(["diff", str(empty), str(copy)]) == 0
    parts = sections(capsys.readouterr().out)
    assert "- `/the-plan/` The plan" in parts["Added pages"]
    assert "Removed pages" not in parts


def test_markdown_escaping_defuses_mentions_and_markup() -> None:
    text = escape("@team see #12 <b>*now*</b> [x](y)")
    assert "@team" not in text.replace("\\@", "")
    assert "<b>" not in text
    assert text.replace("\\", "") == "@team see #12 <b>*now*</b> [x](y)"


def test_citations_come_from_the_evidence_manifest(
    builds: Builds, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A theme may write notes any way it likes: the report reads `evidence.json`, not HTML."""
    import shutil

    from bs4 import BeautifulSoup

    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(builds.old, old)
    shutil.copytree(builds.new, new)
    for page in (old / "the-plan" / "index.html", new / "the-plan" / "index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for notes in soup.select("section.citation-notes"):
            notes.decompose()  # as a theme that shows notes differently would
        page.write_text(str(soup), encoding="utf-8")
    written = tmp_path / "report.md"
    assert main(["diff", str(old), str(new), "-o", str(written)]) == 0
    citations = sections(written.read_text(encoding="utf-8"))["Citations"]
    start = citations.index("- `/the-plan/` The plan")
    assert escape("“It will cost 2 million pounds over five years”") in citations[start + 2]
    assert not any("evidence.json" in line for line in written.read_text().splitlines())
