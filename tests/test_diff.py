"""`explainer diff`: two real builds of a small site, before and after a contributor's change."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from conftest import ROOT, explainer_file, run_build, source_file, write_files
from explainer_cli.diffreport import (
    WHY_DATES,
    WHY_MARKUP,
    WHY_MENU,
    WHY_NOTES,
    WHY_TEXT,
    compare,
    escape,
    to_markdown,
    word_diff,
)
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
    # each changed page is a collapsible section saying why it changed
    assert "`/the-plan/` The plan: its text, its notes" in parts["Changed pages"]
    citations = parts["Citations"]
    # the reply page changed (a new related explainer), its citations did not
    assert "`/the-reply/` The reply: its text" in parts["Changed pages"]
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
    assert "No page changed." in out
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


def test_the_reply_page_shows_the_words_of_its_new_link(report: str) -> None:
    start = report.index("`/the-reply/` The reply: its text")
    section = report[start : report.index("</details>", start)]
    assert "**Text**" in section
    assert "**Related explainers What happens next**" in section  # the new link, as added words


# ---------------------------------------------------------------- why, and the words


def page(main: str, menu: str = "Explainers Topics", dates: str = "Last updated 1 May 2026") -> str:
    return (
        f'<html><body><nav class="site-nav">{menu}</nav><main><h1>A page</h1>'
        f'<p class="dates">{dates}</p>{main}</main></body></html>'
    )


def test_each_page_says_why_it_changed(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    notes = '<section class="citation-notes"><ol><li id="cite-1">{}</li></ol></section>'
    write_files(
        old,
        {
            "text/index.html": page("<p>The council approved the plan on Monday.</p>"),
            "notes/index.html": page("<p>Same.</p>" + notes.format("First source, ¶2.")),
            "dated/index.html": page("<p>Same.</p>"),
            "menu/index.html": page("<p>Same.</p>"),
            "markup/index.html": page("<p>Same.</p>"),
        },
    )
    write_files(
        new,
        {
            "text/index.html": page("<p>The council passed the plan on Monday.</p>"),
            "notes/index.html": page("<p>Same.</p>" + notes.format("Second source, ¶2.")),
            "dated/index.html": page("<p>Same.</p>", dates="Last updated 3 May 2026"),
            "menu/index.html": page("<p>Same.</p>", menu="Explainers Topics Timeline"),
            "markup/index.html": page('<p class="x">Same.</p>'),
        },
    )
    why = {change.path.split("/")[0]: change.why for change in compare(old, new).pages}
    assert why == {
        "text": [WHY_TEXT],
        "notes": [WHY_NOTES],
        "dated": [WHY_DATES],
        "menu": [WHY_MENU],
        "markup": [WHY_MARKUP],
    }
    report = to_markdown(compare(old, new))
    assert "~~approved~~ **passed**" in report
    assert "~~First~~ **Second**" in report
    assert f"1 page(s) changed only by {WHY_DATES}" in report
    assert "- `/dated/` A page: Last updated ~~1~~ **3** May 2026" in report
    assert f"1 page(s) changed only by {WHY_MENU}" in report


def test_word_diff_has_context_and_a_bound() -> None:
    old = " ".join(f"w{i}" for i in range(100))
    new = old.replace("w50", "changed")
    assert word_diff(old, new) == ["… w46 w47 w48 w49 ~~w50~~ **changed** w51 w52 w53 w54 …"]
    many = " ".join("x" if i % 10 == 0 else f"w{i}" for i in range(2000))
    items = word_diff(" ".join(f"w{i}" for i in range(2000)), many)
    assert sum(map(len, items)) < 1700
    assert re.fullmatch(r"… and \d+ more change\(s\)", items[-1])


# ---------------------------------------------------------------- --base: it builds both


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


SETTINGS = f"""exec(open({str(ROOT / "pelicanconf.py")!r}, encoding="utf-8").read())
THEME = {str(ROOT / "theme")!r}
PLUGIN_PATHS = [{str(ROOT / "plugins")!r}]
PATH = "content"
"""
HOSTILE = "The council passed the plan <img src=x onerror=alert(1)> @octocat #12 **now**"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with a small committed site, its settings pointing at our theme."""
    root = tmp_path / "repo"
    write_files(root / "content", BEFORE)
    (root / "pelicanconf.py").write_text(SETTINGS, encoding="utf-8")
    git(root, "init", "--quiet")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "site")
    monkeypatch.chdir(root / "content")  # commands find the project from inside it
    return root


def rendered(markdown: str) -> BeautifulSoup:
    html = MarkdownIt("commonmark").enable("strikethrough").render(markdown)
    return BeautifulSoup(html, "lxml")


def test_diff_base_builds_the_base_and_shows_the_words(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = repo / "content" / "explainers" / "the-plan.md"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("The council approved the plan", HOSTILE),
        encoding="utf-8",
    )
    written = tmp_path / "report.md"
    assert main(["diff", "--base", "HEAD", "-o", str(written)]) == 0
    report = written.read_text(encoding="utf-8")
    assert report == capsys.readouterr().out
    assert "(Compared with the `HEAD` build.)" in report
    # one collapsible section for the page, saying why, with the words
    assert "<details>\n<summary>\n\n`/the-plan/` The plan: its text\n\n</summary>" in report
    assert "~~approved~~ **passed** the plan **\\<img src=x onerror=alert\\(1\\)\\>" in report
    page = rendered(report)
    summaries = [s.get_text(" ", strip=True) for s in page.find_all("summary")]
    assert "/the-plan/ The plan: its text" in summaries
    words = page.find("details").get_text()
    assert "approved" in {d.get_text() for d in page.find_all("s")}
    assert "<img src=x onerror=alert(1)>" in words  # shown as text
    # contributor text is never markup, a live mention or an issue link
    assert {tag.name for tag in page.find_all(True)} <= {
        "html", "body", "h2", "h3", "p", "ul", "li", "code", "s", "strong", "details",
        "summary",
    }  # fmt: skip
    for tag in page.find_all("code"):
        tag.decompose()
    text = page.get_text()
    assert "@octocat" in text.replace("\u200b", "")
    assert not re.search(r"(^|\W)@[A-Za-z0-9]", text)
    assert not re.search(r"#\d", text)
    # nothing left behind: no worktree, no output folder in the project
    assert git(repo, "worktree", "list").count("\n") == 1
    assert not (repo / "output").exists()


def test_diff_base_without_a_change_says_no_page_changed(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "new"
    assert main(["diff", "--base", "HEAD", str(new)]) == 0
    out = capsys.readouterr().out
    assert "No page changed." in out
    assert "###" not in out
    assert (new / "the-plan" / "index.html").is_file()  # NEW_OUTPUT keeps the new build


def test_diff_base_of_an_unknown_ref_is_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "--base", "no-such-branch"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith(
        "error: no commit 'no-such-branch' in this repository (fetch it first?) [cli.git]"
    )
    assert git(repo, "worktree", "list").count("\n") == 1


def test_diff_needs_two_folders_or_a_base(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "only-one"]) == 2
    assert "or --base REF" in capsys.readouterr().err
