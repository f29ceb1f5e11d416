"""Profile one build of the synthetic site with our plugins; print the top costs.

uv run python benchmarks/profile_build.py 1000 > benchmarks/profile-1000.txt
"""

from __future__ import annotations

import cProfile
import io
import logging
import pstats
import shutil
import sys
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generated  # noqa: E402


def main(n: int) -> None:
    root = generated(n)
    logging.disable(logging.WARNING)
    shutil.rmtree(root / "out-profile", ignore_errors=True)  # as run.py: no old site to remove
    settings = read_settings(
        str(HERE / "oursconf.py"),
        override={"PATH": str(root / "ours"), "OUTPUT_PATH": str(root / "out-profile")},
    )
    profile = cProfile.Profile()
    profile.runcall(Pelican(settings).run)
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profile, stream=text).strip_dirs().sort_stats(order).print_stats(25)
        print(f"## by {order}\n")
        print(text.getvalue().split("\n", 6)[-1])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
