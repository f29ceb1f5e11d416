"""Our build for the benchmark: the project's settings with absolute theme and plugin paths."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from pelicanconf import *  # noqa: E402,F403

THEME = os.path.join(ROOT, "theme")
PLUGIN_PATHS = [os.path.join(ROOT, "plugins")]
