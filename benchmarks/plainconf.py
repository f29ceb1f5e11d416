"""Plain Pelican for the baseline: its own Markdown reader, our theme, no plugins."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pelicanconf import *  # noqa: E402,F403

PLUGINS = []
PLUGIN_PATHS = []
THEME = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "theme")
