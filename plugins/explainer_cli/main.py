"""The contributor's command line: `explainer check`, and more as the project grows."""

from __future__ import annotations

import argparse
import sys

from explainer_cli.check import run_check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="explainer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check",
        help="validate all content without writing the site",
        description="Validate sources, explainers, citations and links; exit 1 on errors."
        " With GITHUB_ACTIONS=true, also print annotations for the pull request.",
    )
    check.add_argument("path", nargs="?", help="content folder (default: PATH in the settings)")
    check.add_argument("-s", "--settings", default="pelicanconf.py", help="settings file")
    args = parser.parse_args(argv)
    if args.command == "check":
        return run_check(args.settings, args.path)
    return 2


if __name__ == "__main__":
    sys.exit(main())
