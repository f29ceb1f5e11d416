"""Pelican's content cache: a rebuild from cached documents equals a full build, loses nothing."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

from conftest import SiteBuild, explainer_file, run_build, source_file, write_files

CACHED = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}

SITE: dict[str, str | bytes] = {
    "sources/src.md": source_file(
        "The office finds homes for unaccompanied children.\n\nAgents separated 2,000 families."
    ),
    "glossary.yml": (
        "- id: orr\n  term: Office of Refugee Resettlement\n  abbr: ORR\n"
        "  definition: The office that finds homes [@src].\n"
    ),
    "explainers/one.md": explainer_file(
        'The ORR finds homes [@src, "finds homes"]. See [[two]].', title="One"
    ),
    "explainers/two.md": explainer_file(
        'Agents separated families [@src, "separated 2,000 families"]. Border agents act [@src].',
        title="Two",
    ),
}


def _same_tree(left: Path, right: Path) -> list[str]:
    """Files and folders that differ or exist on one side only."""
    names = {p.relative_to(left) for p in left.rglob("*")}
    names |= {p.relative_to(right) for p in right.rglob("*")}
    return sorted(
        str(name)
        for name in names
        if not (left / name).exists()
        or not (right / name).exists()
        or (left / name).is_dir() != (right / name).is_dir()
        or ((left / name).is_file() and not filecmp.cmp(left / name, right / name, shallow=False))
    )


def _differences_from_a_full_build(content: Path, output: Path, tmp_path: Path) -> list[str]:
    """Build `content` afresh, without the cache, and compare it with `output`."""
    full = run_build(content, tmp_path / "full", CACHE_PATH=str(tmp_path / "other-cache"))
    assert full.error is None, full.messages
    return _same_tree(output, tmp_path / "full")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stamp = path.stat().st_mtime + 5  # a new mtime even within the same second
    os.utime(path, (stamp, stamp))


def _rebuild_after_edit(
    tmp_path: Path, files: dict[str, str | bytes], relpath: str, old: str, new: str
) -> SiteBuild:
    """A build of `files` with the cache on, then `old` replaced in one file, then a rebuild."""
    content = tmp_path / "content"
    write_files(content, files)
    assert run_build(content, tmp_path / "output", **CACHED).error is None
    _edit(content / relpath, old, new)
    return run_build(content, tmp_path / "output", **CACHED)


def test_rebuild_after_an_edit_equals_a_full_build(tmp_path: Path) -> None:
    rebuilt = _rebuild_after_edit(
        tmp_path, SITE, "explainers/two.md", "Border agents act", "Border agents acted"
    )
    assert rebuilt.error is None, rebuilt.messages
    assert "acted" in (tmp_path / "output" / "two" / "index.html").read_text(encoding="utf-8")
    assert _differences_from_a_full_build(rebuilt.content, rebuilt.output, tmp_path) == []


def test_problems_of_a_cached_file_are_reported_again(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_files(
        content,
        {**SITE, "explainers/bad.md": explainer_file("Text [@src].", date="2026-02-30")},
    )
    first = run_build(content, tmp_path / "output", **CACHED)
    second = run_build(content, tmp_path / "output", **CACHED)
    expected = "explainers/bad.md:4: 'date' must be a date like 2026-11-23 [reader.date]"
    assert first.error is not None and second.error is not None
    assert any(expected in message for message in first.errors()), first.messages
    assert any(expected in message for message in second.errors()), second.messages


def test_a_glossary_edit_renders_cached_explainers_again(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_files(content, SITE)
    assert run_build(content, tmp_path / "output", **CACHED).error is None
    page = tmp_path / "output" / "two" / "index.html"
    assert 'class="term"' not in page.read_text(encoding="utf-8")
    glossary = content / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + "- id: agents\n  term: Border agents\n  definition: Officers at the border [@src].\n",
        encoding="utf-8",
    )
    rebuilt = run_build(content, tmp_path / "output", **CACHED)
    assert rebuilt.error is None, rebuilt.messages
    assert 'href="../glossary/#term-agents"' in page.read_text(encoding="utf-8")


def test_placeholder_characters_typed_in_a_file_are_an_error(tmp_path: Path) -> None:
    # our own placeholder marks are control characters: refused like any other, never filled
    content = tmp_path / "content"
    files = dict(SITE)
    files["explainers/one.md"] = explainer_file(
        "The ORR finds homes \x02cite:0-1\x03 and \x02wiki:0\x03 [@src].", title="One"
    )
    write_files(content, files)
    build = run_build(content, tmp_path / "output")
    assert build.error is not None
    assert build.errors() == [
        "ERROR: explainers/one.md:6: control character U+0002 in the text; delete it"
        " [content.control-character]"
    ]
    assert not (tmp_path / "output").exists()


# Incremental builds: only the pages an edit changes are written again

LINKED = {
    **SITE,
    "sources/other.md": source_file("Another paragraph.", title='"Another headline"'),
    "explainers/three.md": explainer_file(
        "No wiki links, no shared source [@other]. See [the section](../two/#later).",
        title="Three",
    ),
    "explainers/two.md": explainer_file(
        'Agents separated families [@src, "separated 2,000 families"].\n\n## Later\n\nMore [@src].',
        title="Two",
    ),
}


def _inodes(output: Path) -> dict[str, int]:
    return {
        p.relative_to(output).as_posix(): p.stat().st_ino
        for p in output.rglob("*.html")
        if p.is_file()
    }


def test_an_edit_rewrites_only_the_pages_showing_the_edited_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_files(content, LINKED)
    assert run_build(content, tmp_path / "output", **CACHED).error is None
    before = _inodes(tmp_path / "output")
    _edit(content / "explainers" / "two.md", "More [@src]", "Much more [@src]")
    rebuilt = run_build(content, tmp_path / "output", **CACHED)
    assert rebuilt.error is None, rebuilt.messages
    after = _inodes(tmp_path / "output")
    rewritten = {name for name in after if after[name] != before.get(name)}
    # two itself, one (its "Linked from" and related lists show two), the source page citing
    # it, and the pages listing every explainer
    assert "two/index.html" in rewritten
    assert "one/index.html" in rewritten
    assert "sources/src/index.html" in rewritten
    assert "index.html" in rewritten
    assert "three/index.html" not in rewritten  # links to two, but shows nothing of it
    assert "glossary/index.html" not in rewritten
    assert _differences_from_a_full_build(content, tmp_path / "output", tmp_path) == []


def test_a_kept_page_linking_to_a_removed_heading_fails_the_build(tmp_path: Path) -> None:
    rebuilt = _rebuild_after_edit(tmp_path, LINKED, "explainers/two.md", "## Later", "Later on:")
    assert rebuilt.error is not None
    assert any(
        "three/index.html: broken anchor '../two/#later'" in message for message in rebuilt.errors()
    ), rebuilt.messages


def test_a_settings_change_writes_every_page(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_files(content, LINKED)
    assert run_build(content, tmp_path / "output", **CACHED).error is None
    before = _inodes(tmp_path / "output")
    rebuilt = run_build(content, tmp_path / "output", SITENAME="Renamed", **CACHED)
    assert rebuilt.error is None, rebuilt.messages
    after = _inodes(tmp_path / "output")
    assert all(after[name] != before[name] for name in after)
    assert "Renamed" in (tmp_path / "output" / "three" / "index.html").read_text(encoding="utf-8")


def test_a_page_the_edit_removes_is_removed_from_the_output(tmp_path: Path) -> None:
    files = dict(LINKED)
    files["explainers/three.md"] = explainer_file(
        "No wiki links, no shared source [@other].", title="Three", topics="[detention]"
    )
    content, output = tmp_path / "content", tmp_path / "output"
    write_files(content, files)
    assert run_build(content, output, **CACHED).error is None
    assert [p for p in output.rglob("*") if "detention" in p.name]
    rebuilt = _rebuild_after_edit(
        tmp_path, files, "explainers/three.md", "topics: [detention]\n", ""
    )
    assert rebuilt.error is None, rebuilt.messages
    assert not [p for p in output.rglob("*") if "detention" in p.name]
    assert _differences_from_a_full_build(content, output, tmp_path) == []


def test_a_source_edit_that_removes_a_quoted_passage_fails_the_rebuild(tmp_path: Path) -> None:
    # the second build runs in the same process, as under `explainer serve`, which remembers
    # the last build's quote matches: they must not outlive a change to the source
    rebuilt = _rebuild_after_edit(
        tmp_path, SITE, "sources/src.md", "separated 2,000 families", "separated families"
    )
    assert rebuilt.error is not None
    assert any(
        'explainers/two.md:6: quote not found in src: "separated 2,000 families"' in message
        for message in rebuilt.errors()
    ), rebuilt.messages


def test_a_source_with_problems_fails_every_build_of_a_process(tmp_path: Path) -> None:
    # sources unchanged since the last build of the process are not read again (serve):
    # their problems must still be reported
    content = tmp_path / "content"
    write_files(content, {**SITE, "sources/bad.md": source_file(kind="rumour")})
    first = run_build(content, tmp_path / "output", **CACHED)
    second = run_build(content, tmp_path / "output", **CACHED)
    assert first.error is not None and second.error is not None
    assert first.errors() == second.errors() != []
