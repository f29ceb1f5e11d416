"""The contributor's command line: add a source, start an explainer, check, preview, compare."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from explainer_cli import project, translations
from explainer_cli.check import run_check
from explainer_cli.errors import CliError, shorten
from sitemodel.source import KINDS

PROJECT = (
    " The project folder is the nearest one, from the current folder up, holding pelicanconf.py:"
    " run explainer from anywhere inside it."
)
CONTENT_HELP = "content folder (default: content/ in the project folder)"
SETTINGS_HELP = "settings file (default: pelicanconf.py in the project folder)"


class PortNumber(argparse.Action):
    """--port: a TCP port, 1 to 65535, refused in one line before anything starts."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        text = str(values)
        port = int(text) if text.isascii() and text.isdigit() else 0
        if not 1 <= port <= 65535:
            parser.exit(
                1,
                f"{parser.prog}: error: --port {shorten(text)} is not a port number;"
                " use 1 to 65535 [cli.port]\n",
            )
        setattr(namespace, self.dest, port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explainer",
        description=__doc__,
        epilog="Run `explainer COMMAND --help` for each command's options."
        + PROJECT
        + " CONTRIBUTING.md explains the workflow.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add = commands.add_parser(
        "add-source",
        help="import an article (saved page, text file or URL) into content/sources/",
        description="Import one article as content/sources/<id>.md: its text verbatim, one"
        " paragraph per line, page furniture (menus, sign-up boxes, comment counters) removed,"
        " and the metadata the page gives. What it cannot find is left as a FILL-IN field that"
        " `explainer check` reports. Refuses an article that is already there (same address or"
        " same text), one larger than 20 MB (file or download), and anything that is not a"
        " regular file or an http(s) page (redirects to other schemes included).",
    )
    add.add_argument(
        "location",
        metavar="FILE_OR_URL",
        help="a saved web page (.html), a plain-text file, or an http(s) address",
    )
    add.add_argument(
        "--id",
        dest="source_id",
        help="the source id: lowercase letters, digits, hyphens, at most 80 characters"
        " (default: proposed from outlet, year and headline)",
    )
    add.add_argument("--url", help="the original address, when importing a file")
    add.add_argument("--kind", choices=KINDS, help="what the article is (default: FILL-IN)")
    add.add_argument("--content", help=CONTENT_HELP)
    add.add_argument("--dry-run", action="store_true", help="print the file instead of writing it")
    add.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for a web page (default: 30)"
    )

    new = commands.add_parser(
        "new",
        help="start a new explainer from a template",
        description="Create content/explainers/SLUG.md with its front matter filled in and a"
        " short writing guide (YAML comments, not shown on the site).",
    )
    new.add_argument(
        "slug",
        metavar="SLUG",
        help="the page's address and file name: lowercase letters, digits, hyphens,"
        " at most 80 characters",
    )
    new.add_argument("--content", help=CONTENT_HELP)

    check = commands.add_parser(
        "check",
        help="validate all content without writing the site",
        description="Validate sources, explainers, citations and links; exit 1 on errors."
        " With GITHUB_ACTIONS=true, also print annotations for the pull request." + PROJECT,
    )
    check.add_argument("path", nargs="?", help="content folder (default: PATH in the settings)")
    check.add_argument("-s", "--settings", help=SETTINGS_HELP)

    serve = commands.add_parser(
        "serve",
        help="build and preview the site locally, rebuilding on every save",
        description="Build the site, serve it at http://BIND:PORT/ and rebuild whenever a file"
        " changes. The open page reloads itself after a good build; after a failed one it"
        " shows the problems in a banner, and the last good site stays served. Ctrl-C stops"
        " it." + PROJECT,
    )
    serve.add_argument("path", nargs="?", help="content folder (default: PATH in the settings)")
    serve.add_argument("-s", "--settings", help=SETTINGS_HELP)
    serve.add_argument(
        "-o", "--output", help="output folder (default: OUTPUT_PATH in the settings, or output/)"
    )
    serve.add_argument(
        "--port", action=PortNumber, default=8000, help="port, 1 to 65535 (default: 8000)"
    )
    serve.add_argument(
        "--bind",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )

    diff = commands.add_parser(
        "diff",
        help="report what a change does to the built site, in Markdown",
        usage="%(prog)s [-h] (--base REF [NEW_OUTPUT] | OLD_OUTPUT NEW_OUTPUT) [-s SETTINGS]"
        " [-o FILE]",
        description="Compare the site before and after a change: pages added, removed or"
        " changed, why each changed (its text, its notes, only the site-wide date, a menu"
        " title) with the words that changed, citations added or removed, source pages"
        " changed. With --base REF (a branch, tag or commit), builds REF in a temporary git"
        " worktree and the working tree in a temporary folder (or NEW_OUTPUT) itself; else"
        " compares two folders built before. Prints Markdown ready to post as a pull-request"
        " comment or job summary." + PROJECT,
    )
    diff.add_argument(
        "old", metavar="OLD_OUTPUT", nargs="?", help="the site built before the change"
    )
    diff.add_argument("new", metavar="NEW_OUTPUT", nargs="?", help="the site built with the change")
    diff.add_argument(
        "--base",
        metavar="REF",
        help="build the site as it is at this git branch, tag or commit (e.g. origin/main)"
        " and compare with the working tree",
    )
    diff.add_argument("-s", "--settings", help=SETTINGS_HELP + "; with --base only")
    diff.add_argument("-o", "--output", help="write the report to this file too")
    translations.add_parser(commands, SETTINGS_HELP, PROJECT)

    sources = commands.add_parser(
        "sources",
        help="check the original articles: still there, still saying what we quote",
        description="Commands about the sources' originals on the web.",
    )
    actions = sources.add_subparsers(dest="action", required=True, metavar="ACTION")
    sources_check = actions.add_parser(
        "check",
        help="fetch every source's url; report dead links and quotes that changed",
        description="Fetch every source's url (HEAD, then GET; one request a second per host),"
        " classify it live, redirected, failing, dead (failed on separate runs, days apart) or"
        " usurped (answers, but neither its headline nor any quote is there), and find every"
        " cited quote again: exact, moved, drifted (with a score and the words changed) or"
        " removed. Proposes a Wayback Machine copy for sources without `archived:`. Keeps the"
        " history in the state file and prints a Markdown report. Exit 0 when nothing changed"
        " since the state file, 1 when something did, 2 when the check could not run." + PROJECT,
    )
    sources_check.add_argument("--json", action="store_true", help="print JSON, not Markdown")
    sources_check.add_argument(
        "--write", action="store_true", help="put the proposed archive copies into `archived:`"
    )
    sources_check.add_argument(
        "--state", metavar="FILE", help="the history (default: sources-check.json in the project)"
    )
    sources_check.add_argument(
        "--only", nargs="+", metavar="ID", help="check only these sources (by id)"
    )
    sources_check.add_argument("-s", "--settings", help=SETTINGS_HELP)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; a problem with the input or the environment is one line, exit 1."""
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except CliError as error:
        print(error, file=sys.stderr)
    except OSError as error:  # unreadable, missing or unwritable files, full disk, ...
        where = error.filename if isinstance(error.filename, str) else f"explainer {args.command}"
        print(f"{where}: error: {error.strerror or error} [cli.os-error]", file=sys.stderr)
    except KeyboardInterrupt:
        print(f"explainer {args.command}: interrupted", file=sys.stderr)
        return 130
    return 1


def _run(args: argparse.Namespace) -> int:
    if args.command in ("add-source", "new"):
        args.content = project.content_folder(args.content)
    if args.command in ("check", "serve") and args.path and not os.path.isdir(args.path):
        raise CliError("no such content folder", path=args.path, code="cli.no-folder")
    if args.command == "check":
        settings = project.settings_file(args.settings)
        path = os.path.abspath(args.path) if args.path else None
        start = os.getcwd()  # paths are shown from here when it is outside the project
        with project.in_project(settings):
            return run_check(settings, path, start=start)
    if args.command == "add-source":
        return _add_source(args)
    if args.command == "new":
        return _new(args)
    if args.command == "serve":
        from explainer_cli.serve import serve

        settings = project.settings_file(args.settings)
        path = os.path.abspath(args.path) if args.path else None
        output = os.path.abspath(args.output) if args.output else None
        with project.in_project(settings):
            return serve(
                path=path, settings=settings, output=output, port=args.port, bind=args.bind
            )
    if args.command == "diff":
        return _diff(args)
    if args.command == "translations":
        return translations.run(args)
    if args.command == "sources":
        from explainer_cli.sourcecheck import command

        settings = project.settings_file(args.settings)
        return command(
            settings, state=args.state, only=args.only, as_json=args.json, write=args.write
        )
    return 2


def _add_source(args: argparse.Namespace) -> int:
    from explainer_cli.importer import add_source

    add_source(
        args.location,
        content=args.content,
        source_id=args.source_id,
        url=args.url,
        kind=args.kind,
        dry_run=args.dry_run,
        timeout=args.timeout,
    )
    return 0


def _new(args: argparse.Namespace) -> int:
    from explainer_cli.scaffold import new_explainer

    path = new_explainer(args.slug, args.content)
    print(f"Wrote {path}. Edit it, then run `explainer check` and `explainer serve`.")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from explainer_cli.diffreport import compare, to_markdown

    if args.base is not None:
        if args.new is not None:
            print(
                "explainer diff: error: with --base, give at most one folder (NEW_OUTPUT)"
                " [cli.usage]",
                file=sys.stderr,
            )
            return 2
        return _diff_base(args, args.base, args.old)
    if args.old is None or args.new is None:
        print(
            "explainer diff: error: give two built sites (OLD_OUTPUT NEW_OUTPUT), or --base REF"
            " to build them [cli.usage]",
            file=sys.stderr,
        )
        return 2
    for folder in (args.old, args.new):
        if not Path(folder).is_dir():
            print(f"{folder}: error: no such folder [cli.no-folder]", file=sys.stderr)
            return 2  # as for a wrong argument
    _write_report(to_markdown(compare(Path(args.old), Path(args.new))), args.output)
    return 0


def _diff_base(args: argparse.Namespace, ref: str, new_output: str | None) -> int:
    from explainer_cli.basebuild import builds
    from explainer_cli.diffreport import code, compare, to_markdown

    settings = project.settings_file(args.settings)
    output = Path(os.path.abspath(new_output)) if new_output else None
    with builds(ref, settings, output) as (base, new):
        note = ""
        if base.failure:
            print(base.failure, file=sys.stderr)
            print(
                f"explainer diff: {ref} did not build; every page is listed as added",
                file=sys.stderr,
            )
            note = f"The base ({code(ref)}) did not build, so every page is listed as added."
        text = to_markdown(compare(base.output, new.output), code(ref), note)
    _write_report(text, args.output)
    return 0


def _write_report(text: str, output: str | None) -> None:
    sys.stdout.write(text)
    if output:
        Path(output).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
