"""`explainer serve`: build, serve on this machine, and rebuild whenever a file is saved.

Pelican's own `--listen --autoreload` retries a failed build at once, in a loop, printing the
same problems again and again until the file is fixed. Here a failed build waits for the next
save, like a successful one, and the last good site stays served meanwhile (the sitecheck
plugin only replaces the output folder after a build without errors).

The open page follows along (see `preview`): it reloads after a good build and shows the
problems of a failed one in a banner; nothing of this is written to the output folder.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from typing import Any

import watchfiles
from pelican.utils import FileChangeFilter

from explainer_cli import project
from explainer_cli.errors import CliError
from explainer_cli.preview import BuildEvents, PreviewServer, ProblemLines

logger = logging.getLogger("explainer")


def pelican_arguments(*, path: str | None, settings: str, output: str | None) -> list[str]:
    """The Pelican command line this preview builds with."""
    return ([path] if path else []) + ["-s", settings] + (["-o", output] if output else [])


def build_once(site: Any, events: BuildEvents | None = None) -> bool:
    """One build; a failure is reported, not raised, so the preview keeps running. The open
    pages hear of it through `events`, with the problems the build logged."""
    from sitecheck import BuildFailed  # a SystemExit: the problems are already printed

    problems = ProblemLines()
    logger.addHandler(problems)
    message = ""
    try:
        site.run()
    except BuildFailed:
        message = "the build failed"
    except Exception as error:  # noqa: BLE001 - any failure: report it and wait for a fix
        message = f"the build failed ({error})"
    finally:
        logger.removeHandler(problems)
    if events is not None:
        events.publish(ok=not message, problems=problems.lines, message=message)
    if message:
        logger.warning("%s; fix it and save: the site rebuilds", message)
        return False
    return True


def watched_paths(settings_file: str, settings: dict[str, Any]) -> list[str]:
    """What a rebuild depends on: the settings file, the theme, the content (as Pelican watches)."""
    content = settings.get("PATH", "")
    candidates = [settings_file, settings.get("THEME", ""), content]
    candidates += [os.path.join(content, p) for p in settings.get("STATIC_PATHS", [])]
    return sorted({os.path.abspath(p) for p in candidates if p and os.path.exists(p)})


def watch_in_background(
    paths: list[str], ignore: set[str], stop: threading.Event
) -> queue.Queue[Any]:
    """Changes arrive on a queue from a watcher that runs all the time, even during a build,
    so a save made while the site is building is never lost."""
    changes: queue.Queue[Any] = queue.Queue()

    def run() -> None:
        for batch in watchfiles.watch(
            *paths, watch_filter=FileChangeFilter(ignore_file_patterns=ignore), stop_event=stop
        ):
            changes.put(batch)

    threading.Thread(target=run, daemon=True).start()
    return changes


def preview_instance(pelican: Any, args: Any) -> tuple[Any, dict[str, Any]]:
    """Pelican with its content cache on: a save re-reads one file, and the incremental
    plugin rewrites only the pages showing it."""
    try:
        site, settings = pelican.get_instance(args)
    except project.SETTINGS_ERRORS as error:
        raise project.settings_error(error, args.settings) from error
    settings.update(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True)
    return site, settings


def serve(*, path: str | None, settings: str, output: str | None, port: int, bind: str) -> int:
    """Serve until Ctrl-C, rebuilding after every change to content, theme or settings."""
    import pelican

    args = pelican.parse_arguments(pelican_arguments(path=path, settings=settings, output=output))
    pelican.init_logging(
        level=args.verbosity,
        fatal=args.fatal,
        name="pelican",
        handler=pelican.LOG_HANDLERS[args.log_handler],
        logs_dedup_min_level=getattr(logging, args.logs_dedup_min_level),
    )
    site, site_settings = preview_instance(pelican, args)
    events = BuildEvents()
    try:
        server = PreviewServer(site_settings["OUTPUT_PATH"], (bind, port), events)
    except OSError as error:
        raise CliError(
            f"cannot listen: {error.strerror or error}; try another --port",
            path=f"{bind}:{port}",
            code="cli.port",
        ) from error
    settings_file = os.path.abspath(args.settings)
    stop = threading.Event()
    try:
        ignore = set(site_settings.get("IGNORE_FILES", []))
        changes = watch_in_background(watched_paths(settings_file, site_settings), ignore, stop)
        # serving from the start: shutdown() below waits for serve_forever to have run
        threading.Thread(target=server.serve_forever, daemon=True).start()
        build_once(site, events)
        print(f"Serving http://{bind}:{port}/ (Ctrl-C to stop); the site rebuilds on every save.")
        while True:
            changed = {name for _change, name in changes.get()}
            while not changes.empty():
                changed |= {name for _change, name in changes.get()}
            if settings_file in changed:
                site, site_settings = preview_instance(pelican, args)
            print(f"\nChanged: {', '.join(sorted(changed))}. Rebuilding...")
            build_once(site, events)
    except KeyboardInterrupt:
        print("\nStopped.")
        return 130  # the shell's code for Ctrl-C
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
