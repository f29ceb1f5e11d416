"""Build the synthetic site with our plugins and with plain Pelican, alternating, and compare.

    uv run python benchmarks/run.py --sizes 100 1000 --repeats 3

Each build runs in its own process (benchmarks/build_once.py) so peak memory is per build.
Prints a Markdown table: median seconds, ratio ours/plain, peak MB, ms per explainer.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def build(variant: str, content: Path, output: Path) -> dict[str, float]:
    shutil.rmtree(output, ignore_errors=True)
    result = subprocess.run(
        [
            sys.executable,
            str(HERE / "build_once.py"),
            str(HERE / f"{variant}conf.py"),
            str(content),
            str(output),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(n: int, repeats: int, work: Path) -> dict[str, float]:
    root = work / str(n)
    if not (root / "ours").exists():
        generate(n, root)
    runs: dict[str, list[dict[str, float]]] = {"ours": [], "plain": []}
    for _ in range(repeats):
        for variant in ("plain", "ours"):
            runs[variant].append(build(variant, root / variant, root / f"out-{variant}"))
    ours = statistics.median(r["seconds"] for r in runs["ours"])
    plain = statistics.median(r["seconds"] for r in runs["plain"])
    return {
        "n": n,
        "ours_s": ours,
        "plain_s": plain,
        "ratio": ours / plain,
        "ours_mb": max(r["peak_mb"] for r in runs["ours"]),
        "plain_mb": max(r["peak_mb"] for r in runs["plain"]),
        "ours_ms_per_page": 1000 * ours / n,
        "plain_ms_per_page": 1000 * plain / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "explainer-bench"
    )
    args = parser.parse_args()
    print(
        "| N | ours (s) | plain (s) | ratio | ours peak MB | plain peak MB | memory ratio |"
        " ours ms/explainer | plain ms/explainer |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        r = measure(n, args.repeats, args.work)
        print(
            f"| {n:,} | {r['ours_s']:.2f} | {r['plain_s']:.2f} | {r['ratio']:.2f}x |"
            f" {r['ours_mb']:.0f} | {r['plain_mb']:.0f} | {r['ours_mb'] / r['plain_mb']:.2f}x |"
            f" {r['ours_ms_per_page']:.1f} | {r['plain_ms_per_page']:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
