"""Helpers for tests of the published site: a production-like build, a local server, Chromium.

Not a conftest (pytest does not load it by itself): test modules import what they need, so
only the modules that build the published site pay for it.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conftest import ROOT, SiteBuild, build_with, site_settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
FLAGSHIP = "missing-children-vs-separated-families"


def publish_build(
    output: Path, siteurl: str, content: Path | None = None, **overrides: Any
) -> SiteBuild:
    """Build with publishconf.py (absolute URLs, feed, search) at `siteurl`.

    PDF handouts are off unless asked for: they take most of a production build's time and
    have their own tests.
    """
    settings = site_settings(
        content or ROOT / "content",
        output,
        "publishconf.py",
        CACHE_PATH=str(output.parent / f"{output.name}-cache"),
        SITEURL=siteurl,
        FEED_DOMAIN=siteurl,
        **overrides,
    )
    if "HANDOUTS" not in overrides and isinstance(settings.get("HANDOUTS"), dict):
        settings["HANDOUTS"] = {**settings["HANDOUTS"], "enabled": False}
    return build_with(settings)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 from a thread; yields the base URL (no trailing slash).

    The port is known before anything is requested, so the site can be built for it."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def chromium_missing() -> str | None:
    """Why browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    return None


def launch_chromium(playwright: Any, home: Path) -> Any:
    """The system Chromium, headless, writing nothing into the real home folder."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, env=env)


@contextmanager
def served_chromium(site: Path, home: Path) -> Iterator[tuple[Any, str]]:
    """(Chromium, base URL) for a built site served on 127.0.0.1: one per test module."""
    from playwright.sync_api import sync_playwright

    with serving(site) as base, sync_playwright() as playwright:
        chromium = launch_chromium(playwright, home)
        yield chromium, base
        chromium.close()
