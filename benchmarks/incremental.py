"""With Pelican's content cache on: a full build, then one explainer edited and rebuilt.

Reports both times and whether the rebuilt site is identical to a full build of the edited input.
    uv run python benchmarks/incremental.py 1000
"""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import working_copy  # noqa: E402


def build(content: Path, output: Path, cache: Path | None) -> float:
    code = (
        "import json,logging,sys,time\n"
        "from pelican import Pelican\nfrom pelican.settings import read_settings\n"
        "logging.disable(logging.WARNING)\n"
        f"o={{'PATH': {str(content)!r}, 'OUTPUT_PATH': {str(output)!r}}}\n"
        + (
            f"o.update(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CACHE_PATH={str(cache)!r})\n"
            if cache
            else ""
        )
        + f"s=read_settings({str(HERE / 'oursconf.py')!r}, override=o)\n"
        "t=time.perf_counter(); Pelican(s).run(); print(json.dumps(time.perf_counter()-t))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return float(result.stdout.strip().splitlines()[-1])


def identical(a: Path, b: Path) -> bool:
    compare = filecmp.dircmp(a, b)
    if compare.left_only or compare.right_only or compare.diff_files or compare.funny_files:
        return False
    return all(identical(a / sub, b / sub) for sub in compare.common_dirs)


def main(n: int) -> None:
    work = working_copy(n, "incremental")
    content = work / "content"
    cache = work / "cache"
    full = build(content, work / "out-cached", cache)
    edited = content / "explainers" / "explainer-1.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn added paragraph [@source-1].\n")
    rebuild = build(content, work / "out-cached", cache)
    build(content, work / "out-full", None)
    print(
        json.dumps(
            {
                "n": n,
                "full_s": full,
                "rebuild_after_one_edit_s": rebuild,
                "ratio": rebuild / full,
                "identical_to_full_build": identical(work / "out-cached", work / "out-full"),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
