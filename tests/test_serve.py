"""The preview under `explainer serve`: the page reloads after a good build, a failed build
shows its problems in a banner, a missing page is a 404, and none of it reaches `output/`."""

from __future__ import annotations

import json
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pelican import Pelican

from conftest import explainer_file, site_settings, source_file, write_files
from explainer_cli.preview import BuildEvents, PreviewServer, with_reload_script
from explainer_cli.serve import build_once

PLAN = 'The council approved it [@paper-2020-plan, "approved the plan"].'


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path, BuildEvents, Pelican]]:
    """A small site built once, served by the preview on a free port of this machine."""
    content = tmp_path / "content"
    write_files(
        content,
        {
            "sources/paper-2020-plan.md": source_file("The council approved the plan on Monday."),
            "explainers/the-plan.md": explainer_file(PLAN, title="The plan"),
        },
    )
    output = tmp_path / "output"
    site = Pelican(site_settings(content, output))
    events = BuildEvents()
    assert build_once(site, events)
    server = PreviewServer(str(output), ("127.0.0.1", 0), events)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", output, events, site
    finally:
        server.shutdown()
        server.server_close()


def get(url: str) -> tuple[int, str, str]:
    """Status, content type and text of a page, 404s included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our server
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def test_served_pages_load_the_reload_script_but_the_output_does_not(
    preview: tuple[str, Path, BuildEvents, Pelican],
) -> None:
    base, output, events, _site = preview
    status, kind, page = get(f"{base}/the-plan/")
    assert status == 200 and kind.startswith("text/html")
    tag = f'<script src="/__explainer/reload.js?build={events.current().build}" defer></script>'
    assert tag in page
    assert page.index(tag) < page.index("</head>")
    assert "The plan" in page
    for file in output.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".js", ".json", ".xml"):
            assert "__explainer" not in file.read_text(encoding="utf-8"), file
    status, kind, script = get(f"{base}/__explainer/reload.js")
    assert status == 200 and kind.startswith("text/javascript")
    assert "EventSource" in script and "/__explainer/status" in script
    # other files are served as before, untouched
    status, kind, css = get(f"{base}/theme/css/site.css")
    assert status == 200 and "__explainer" not in css


def test_a_missing_page_is_a_404_with_the_sites_not_found_page(
    preview: tuple[str, Path, BuildEvents, Pelican],
) -> None:
    base, output, _events, _site = preview
    status, kind, page = get(f"{base}/nonexistent")
    assert status == 404 and kind.startswith("text/html")
    assert (output / "404.html").read_text(encoding="utf-8").split("</head>")[1] in page
    assert "/__explainer/reload.js" in page  # it reloads itself once the page exists
    assert get(f"{base}/__explainer/nothing")[0] == 404


def test_a_failed_build_reports_its_problems_and_keeps_the_old_site(
    preview: tuple[str, Path, BuildEvents, Pelican],
) -> None:
    base, output, events, site = preview
    status = json.loads(get(f"{base}/__explainer/status")[2])
    assert status["ok"] is True and status["problems"] == []

    explainer = Path(site.settings["PATH"]) / "explainers" / "the-plan.md"
    explainer.write_text(explainer_file(PLAN.replace("paper-2020-plan", "no-such-source"),
                                        title="The broken plan"), encoding="utf-8")  # fmt: skip
    assert not build_once(site, events)
    status = json.loads(get(f"{base}/__explainer/status")[2])
    assert status["ok"] is False
    assert status["build"] == events.current().build
    assert any(
        "explainers/the-plan.md:" in line and "no-such-source" in line and line.endswith("]")
        for line in status["problems"]
    ), status
    assert "The plan" in get(f"{base}/the-plan/")[2]  # the last good site is still served

    explainer.write_text(explainer_file(PLAN, title="The fixed plan"), encoding="utf-8")
    assert build_once(site, events)
    assert json.loads(get(f"{base}/__explainer/status")[2])["ok"] is True
    assert "The fixed plan" in get(f"{base}/the-plan/")[2]


def test_the_event_stream_announces_each_build(
    preview: tuple[str, Path, BuildEvents, Pelican],
) -> None:
    base, _output, events, _site = preview
    since = events.current().build
    with urllib.request.urlopen(f"{base}/__explainer/events?since={since}", timeout=10) as stream:  # noqa: S310
        assert stream.headers["Content-Type"] == "text/event-stream"
        events.publish(ok=False, problems=["content/x.md:3: error: broken [x.y]"])
        lines = [stream.readline().decode().rstrip("\n") for _ in range(3)]
    assert lines[:2] == [f"id: {since + 1}", "event: build"]
    data = json.loads(lines[2].removeprefix("data: "))
    assert data == {
        "build": since + 1,
        "ok": False,
        "problems": ["content/x.md:3: error: broken [x.y]"],
        "message": "",
    }


def test_a_page_that_missed_a_build_hears_of_it_at_once(
    preview: tuple[str, Path, BuildEvents, Pelican],
) -> None:
    """A build that ends between the page load and the stream's start is not lost."""
    base, _output, events, _site = preview
    since = events.current().build
    events.publish(ok=True, problems=[])
    with urllib.request.urlopen(f"{base}/__explainer/events?since={since}", timeout=10) as stream:  # noqa: S310
        assert stream.readline() == f"id: {since + 1}\n".encode()


def test_the_event_bus_wakes_waiters_and_times_out() -> None:
    events = BuildEvents()
    assert events.next_after(0, timeout=0.01) is None
    threading.Timer(0.05, lambda: events.publish(ok=True, problems=[])).start()
    status = events.next_after(0, timeout=5)
    assert status is not None and status.build == 1 and status.ok
    events.close()
    assert events.next_after(1, timeout=5) is None


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (b"<html><head><title>x</title></HEAD><body></body>", b"<title>x</title>TAG</HEAD>"),
        (b"<p>no head</p></body>", b"<p>no head</p>TAG</body>"),
        (b"fragment", b"fragmentTAG"),
    ],
)
def test_the_script_tag_goes_before_the_end_of_head(html: bytes, expected: bytes) -> None:
    tag = b'<script src="/__explainer/reload.js?build=4" defer></script>'
    assert expected.replace(b"TAG", tag) in with_reload_script(html, 4)


def test_in_a_browser_the_banner_shows_and_a_good_build_reloads(
    preview: tuple[str, Path, BuildEvents, Pelican],
) -> None:
    """Under the site's own Content-Security-Policy, with no console error."""
    from conftest_browser import chromium_missing, launch_chromium

    if chromium_missing():
        pytest.skip(chromium_missing() or "")
    from playwright.sync_api import sync_playwright

    base, _output, events, _site = preview
    with (
        tempfile.TemporaryDirectory() as short,  # Chromium's socket path has a length limit
        pytest.MonkeyPatch.context() as patch,
        sync_playwright() as playwright,
    ):
        home = Path(short)
        (home / "tmp").mkdir()
        patch.setenv("TMPDIR", str(home / "tmp"))
        browser = launch_chromium(playwright, home)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/the-plan/")
            page.wait_for_function("() => !!window.EventSource")
            page.evaluate("() => { window.beforeBuild = true; }")
            page.wait_for_timeout(300)  # the event stream is open
            problem = "content/explainers/the-plan.md:3: error: <b>no</b> such source [citations.x]"
            events.publish(ok=False, problems=[problem])
            banner = page.wait_for_selector("#explainer-build-problems", timeout=10_000)
            assert banner is not None and problem in banner.inner_text()
            assert page.query_selector("#explainer-build-problems b") is None  # text, not HTML
            events.publish(ok=True, problems=[])
            page.wait_for_function("() => window.beforeBuild === undefined", timeout=10_000)
            page.wait_for_load_state()
            assert page.query_selector("#explainer-build-problems") is None
            assert errors == []
        finally:
            browser.close()
