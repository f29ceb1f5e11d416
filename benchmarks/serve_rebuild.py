"""Time what `explainer serve` does after a save: one Pelican object, the content cache on,
a build, one explainer edited, a rebuild; count the pages the rebuild wrote.

    uv run python benchmarks/serve_rebuild.py 1000
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import working_copy  # noqa: E402


def inodes(output: Path) -> dict[Path, int]:
    return {path: path.stat().st_ino for path in output.rglob("*.html")}


def main(n: int) -> None:
    work = working_copy(n, "serve")
    logging.disable(logging.WARNING)
    settings = read_settings(
        str(HERE / "oursconf.py"),
        override={
            "PATH": str(work / "content"),
            "OUTPUT_PATH": str(work / "output"),
            "CACHE_PATH": str(work / "cache"),
            "CACHE_CONTENT": True,  # as `explainer serve` sets them
            "LOAD_CONTENT_CACHE": True,
        },
    )
    site = Pelican(settings)
    start = time.perf_counter()
    site.run()
    first = time.perf_counter() - start
    before = inodes(work / "output")
    edited = work / "content" / "explainers" / "explainer-1.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn added paragraph [@source-1].\n")
    start = time.perf_counter()
    site.run()
    rebuild = time.perf_counter() - start
    after = inodes(work / "output")
    rewritten = sum(1 for path, inode in after.items() if before.get(path) != inode)
    print(
        json.dumps(
            {
                "n": n,
                "first_build_s": round(first, 2),
                "rebuild_after_save_s": round(rebuild, 2),
                "pages": len(after),
                "pages_rewritten": rewritten,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
