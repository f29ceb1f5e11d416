"""Build one site in this process and print its wall time and peak memory as JSON."""

from __future__ import annotations

import json
import logging
import resource
import sys
import time

from pelican import Pelican
from pelican.settings import read_settings


def main(settings_file: str, content: str, output: str) -> None:
    logging.disable(logging.WARNING)
    settings = read_settings(settings_file, override={"PATH": content, "OUTPUT_PATH": output})
    start = time.perf_counter()
    Pelican(settings).run()
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
