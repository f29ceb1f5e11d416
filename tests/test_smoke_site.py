"""The real site in content/ builds cleanly in the CI configuration."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, run_build


def test_real_site_builds_without_problems(tmp_path: Path) -> None:
    result = run_build(
        ROOT / "content", tmp_path / "output", CITATIONS={"citation_needed": "error"}
    )
    assert result.error is None, result.messages
    assert result.messages == []
    index = result.html("sources/index.html")
    links = {a["href"] for a in index.select("main a")}
    for source in (ROOT / "content" / "sources").glob("*.md"):
        assert f"../sources/{source.stem}/" in links or f"{source.stem}/" in links
        page = result.html(f"sources/{source.stem}/index.html")
        # the full text from its first paragraph, or (excerpts) the cited paragraphs only
        excerpts = "\ntext: excerpts\n" in source.read_text(encoding="utf-8")
        assert page.select("p[id^=p]") if excerpts else page.select("p#p1")
