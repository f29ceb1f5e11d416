"""`explainer sources check`: is every original still there, and does it still say what we quote?

Practice taken from Wikipedia's InternetArchiveBot: HEAD first, GET when HEAD fails or is
refused; one request a second to one host; a source is called dead only after failing on
`dead_after_runs` runs, each counted failure at least `dead_after_days` after the one before
(the history is the committed state file); a page that answers is read again only when it may
have changed. Quotes are re-anchored as Hypothesis does (`anchoring.py`); archive copies come
from the Wayback Machine's CDX server (`wayback.py`). The content is read as `explainer check`
reads it, in this process: the build itself never touches the network.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from citations.quotes import normalize
from explainer_cli import anchoring, project, wayback
from explainer_cli.errors import CliError, shorten
from explainer_cli.fetching import Answer, Fetcher, user_agent
from explainer_cli.importer import (
    ImportRefused,
    decode_text,
    from_html,
    from_text,
    looks_like_html,
    same_url_key,
)
from sitemodel.problems import did_you_mean
from sitemodel.settings import Option, declare, plugin_options

declare(
    "SOURCES_CHECK",
    {
        "cdx_url": Option(
            "https://web.archive.org/cdx/search/cdx",
            lambda v: v.startswith(("http://", "https://")),
            "an http(s) address",
        ),
        "timeout": Option(30.0, lambda v: v > 0, "seconds, a number like 30.0"),
        "host_delay": Option(1.0, lambda v: v >= 0, "seconds between requests to one host"),
        "fuzzy_threshold": Option(80.0, lambda v: 0 < v <= 100, "a score from 0 to 100"),
        "dead_after_runs": Option(3, lambda v: v >= 1, "a number of runs, at least 1"),
        "dead_after_days": Option(3, lambda v: v >= 1, "a number of days, at least 1"),
        "recheck_days": Option(30, lambda v: v >= 0, "a number of days"),
    },
)

STATE_NAME = "sources-check.json"
MAX_LIVE_TEXT = 1_000_000  # characters of an original's text searched for our quotes
STATE_VERSION = 1
LIVE, REDIRECTED, USURPED, FAILING, DEAD = "live", "redirected", "usurped", "failing", "dead"
ANSWERED = (LIVE, REDIRECTED, USURPED)
UNCHECKED = "unchecked"  # a quote whose original did not answer this time


# ---------------------------------------------------------------- what the site cites


@dataclass
class QuoteResult:
    """One passage the site cites, and where it stands in the original now."""

    exact: str
    prefix: str
    suffix: str
    paragraph: int
    cited_in: list[str]
    status: str = UNCHECKED
    previous: str = ""
    score: float = 0.0
    found: str = ""
    diff: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SourceResult:
    """One source's check: the original's state, its quotes, an archive copy."""

    id: str
    title: str
    path: str  # the source file, from the project folder
    url: str
    archived: str
    day: datetime.date  # the date an archive copy should be nearest to
    quotes: list[QuoteResult]
    status: str = ""
    previous: str = ""
    http_status: int = 0
    final_url: str = ""
    error: str = ""
    failures: list[str] = field(default_factory=list)  # the counted failing runs' dates
    text_checked: bool = False  # the page was read this run (else: HEAD only, or no answer)
    archive: str = ""  # a proposed snapshot address
    archive_day: str = ""
    archive_note: str = ""  # no capture, or the lookup failed
    archive_written: bool = False
    changes: list[str] = field(default_factory=list)  # what differs from the state file


# ---------------------------------------------------------------- checking one source


@dataclass
class Options:
    threshold: float
    dead_after_runs: int
    dead_after_days: int
    recheck_days: int
    cdx_url: str


def check_source(
    result: SourceResult,
    ours: list[str],
    previous: dict[str, Any] | None,
    fetcher: Fetcher,
    options: Options,
    today: datetime.date,
) -> dict[str, Any]:
    """Fetch, classify and re-anchor; returns the source's new state entry."""
    previous = previous if previous and previous.get("url") == result.url else None
    old_quotes: dict[str, Any] = (previous or {}).get("quotes") or {}
    result.previous = str((previous or {}).get("status") or "")
    head = fetcher.request(result.url, "HEAD")
    answer = head
    if not (head.ok and _settled(previous, result, head, options, today)):
        answer = fetcher.request(result.url, "GET")
    result.http_status, result.final_url = answer.status, answer.url
    if answer.ok:
        result.failures = []
        if answer is head:  # unchanged since it was last read: keep what was found then
            for quote in result.quotes:
                kept = old_quotes.get(quote.exact) or {}
                quote.status, quote.score = kept.get("status", UNCHECKED), kept.get("score", 0.0)
            result.status = _moved_or_live(result)
        else:
            result.text_checked = True
            result.status = _classify(result, answer, ours, options.threshold)
    else:
        result.error = answer.error or f"status {answer.status}"
        result.failures = _failures((previous or {}).get("failures") or [], today, options)
        result.status = DEAD if len(result.failures) >= options.dead_after_runs else FAILING
        for quote in result.quotes:
            quote.status = UNCHECKED
    for quote in result.quotes:
        quote.previous = str((old_quotes.get(quote.exact) or {}).get("status") or "")
    result.changes = _changes(result, previous)
    return _state_entry(result, previous, answer, today)


def _settled(
    previous: dict[str, Any] | None,
    result: SourceResult,
    head: Answer,
    options: Options,
    today: datetime.date,
) -> bool:
    """Whether a HEAD is enough: the page was read and fine less than `recheck_days` ago, the
    server says it has not changed since (same ETag or Last-Modified), and we cite the same
    passages as then."""
    if not previous or previous.get("status") not in (LIVE, REDIRECTED):
        return False
    if not head.validators or head.validators != previous.get("validators"):
        return False
    if set(previous.get("quotes") or {}) != {quote.exact for quote in result.quotes}:
        return False
    try:
        checked = datetime.date.fromisoformat(str(previous.get("checked")))
    except ValueError:
        return False
    return (today - checked).days < options.recheck_days


def _failures(before: list[str], today: datetime.date, options: Options) -> list[str]:
    """The counted failing runs: today counts when it is `dead_after_days` after the last one."""
    dates = sorted(str(day) for day in before)
    try:
        last = datetime.date.fromisoformat(dates[-1]) if dates else None
    except ValueError:
        last = None
    if last is None or (today - last).days >= options.dead_after_days:
        dates.append(today.isoformat())
    return dates


def _moved_or_live(result: SourceResult) -> str:
    return REDIRECTED if same_url_key(result.final_url) != same_url_key(result.url) else LIVE


def _classify(result: SourceResult, answer: Answer, ours: list[str], threshold: float) -> str:
    """Re-anchor every quote in the live text; then live, redirected or usurped."""
    paragraphs, seen = live_text(answer)
    for quote in result.quotes:
        found = anchoring.anchor(
            quote.exact, quote.prefix, quote.suffix, paragraphs, ours, quote.paragraph, threshold
        )
        quote.status, quote.score, quote.found, quote.diff = (
            found.status,
            found.score,
            found.found,
            found.diff,
        )
    quoted = any(quote.status in anchoring.FOUND for quote in result.quotes)
    if not quoted and not title_present(result.title, seen, threshold):
        return USURPED
    return _moved_or_live(result)


def live_text(answer: Answer) -> tuple[list[str], list[str]]:
    """(the article's paragraphs, every line of the page) as add-source extracts them."""
    try:
        if "html" in answer.content_type or looks_like_html(answer.body):
            article = from_html(answer.body, answer.url)
        else:
            article = from_text(decode_text(answer.body, answer.url))
    except ImportRefused:  # no text: nothing of ours can be found there
        return [], []
    kept, length = [], 0
    for paragraph in article.paragraphs:  # a page of any size costs at most this much matching
        length += len(paragraph)
        if length > MAX_LIVE_TEXT:
            break
        kept.append(paragraph)
    return kept, [article.title, *kept, *article.dropped[:1000]]


def title_present(title: str, lines: list[str], threshold: float) -> bool:
    """Our headline, or nearly (outlets retouch headlines), is on the page."""
    wanted = normalize(title).casefold()
    if not wanted:
        return False
    return any(
        wanted in normalize(line).casefold()
        or fuzz.ratio(wanted, normalize(line).casefold()) >= threshold
        for line in lines
        if line
    )


def _state_entry(
    result: SourceResult, previous: dict[str, Any] | None, answer: Answer, today: datetime.date
) -> dict[str, Any]:
    """The state file's record of a source: enough to tell next time what changed."""
    entry: dict[str, Any] = {"url": result.url, "status": result.status}
    old = previous or {}
    if result.text_checked:
        entry["checked"] = today.isoformat()
        entry["validators"] = answer.validators
    elif old.get("checked"):
        entry["checked"] = old["checked"]
        entry["validators"] = old.get("validators") or {}
    if not entry.get("validators"):
        entry.pop("validators", None)
    if result.failures:
        entry["failures"] = result.failures
        entry["error"] = result.error
    if result.status == REDIRECTED:
        entry["final_url"] = result.final_url
    quotes: dict[str, Any] = {}
    for quote in result.quotes:
        if quote.status == UNCHECKED:  # keep what the last answer showed
            if quote.exact in (old.get("quotes") or {}):
                quotes[quote.exact] = old["quotes"][quote.exact]
            continue
        quotes[quote.exact] = {"status": quote.status, "score": quote.score}
    if quotes:
        entry["quotes"] = quotes
    return entry


def _changes(result: SourceResult, previous: dict[str, Any] | None) -> list[str]:
    """What differs from the state file, in words (empty: nothing to report)."""
    changes: list[str] = []
    old = previous or {}
    if previous is None:
        if result.status != LIVE:
            changes.append(f"first checked: {result.status}")
    elif result.status != result.previous:
        changes.append(f"{result.previous} → {result.status}")
    elif result.status == REDIRECTED and result.final_url != old.get("final_url"):
        changes.append("redirects elsewhere now")
    for quote in result.quotes:
        if quote.status == UNCHECKED or quote.status == quote.previous:
            continue
        if quote.previous or quote.status != anchoring.EXACT:
            was = quote.previous or "new"
            changes.append(f"a quote: {was} → {quote.status}")
    return changes


# ---------------------------------------------------------------- archive copies


def propose_archive(
    result: SourceResult,
    previous: dict[str, Any] | None,
    fetcher: Fetcher,
    cdx_url: str,
    state: dict[str, Any],
) -> None:
    """For a source without `archived:`, or whose original is dead: the capture nearest its
    date (asked once; the proposal is kept in the state file until it is used)."""
    if result.archived and result.status != DEAD:
        return
    old = previous if previous and previous.get("url") == result.url else {}
    if old.get("archive"):
        result.archive, result.archive_day = str(old["archive"]), str(old.get("archive_day", ""))
        state["archive"], state["archive_day"] = result.archive, result.archive_day
        return
    try:
        capture = wayback.nearest_capture(fetcher.get, cdx_url, result.url, result.day)
    except OSError as error:
        result.archive_note = f"the archive lookup failed ({shorten(str(error), 120)})"
        return
    if capture is None:
        result.archive_note = "the Wayback Machine has no copy"
        return
    result.archive, result.archive_day = capture.url, capture.day.isoformat()
    state["archive"], state["archive_day"] = result.archive, result.archive_day
    if not result.archived:
        result.changes.append("archive copy found")


# ---------------------------------------------------------------- the state file


def read_state(path: Path) -> dict[str, Any]:
    """The sources' history; an absent or empty file is a first run."""
    if path.is_symlink():
        raise CliError("the state file is a symbolic link", path=str(path), code="cli.state")
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(
            f"not JSON (line {error.lineno}); restore it from git or delete it",
            path=str(path),
            code="cli.state",
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("sources", {}), dict):
        raise CliError(
            "not a sources-check state file; restore it from git or delete it",
            path=str(path),
            code="cli.state",
        )
    sources: dict[str, Any] = data.get("sources", {})
    for source_id, entry in sources.items():
        if not _well_formed(entry):
            raise CliError(
                f"the entry of '{shorten(str(source_id))}' is malformed; restore the file from"
                " git or delete that entry",
                path=str(path),
                code="cli.state",
            )
    return sources


_ENTRY_FIELDS: dict[str, type] = {
    "url": str,
    "status": str,
    "checked": str,
    "error": str,
    "final_url": str,
    "archive": str,
    "archive_day": str,
    "failures": list,
    "validators": dict,
    "quotes": dict,
}


def _well_formed(entry: Any) -> bool:
    """A state entry as `_state_entry` writes it (the file is committed: anyone can edit it)."""
    if not isinstance(entry, dict):
        return False
    for key, value in entry.items():
        kind = _ENTRY_FIELDS.get(key)
        if kind is not None and not isinstance(value, kind):
            return False
    quotes = entry.get("quotes") or {}
    return (
        all(isinstance(day, str) for day in entry.get("failures") or [])
        and all(isinstance(value, str) for value in (entry.get("validators") or {}).values())
        and all(
            isinstance(quote, dict)
            and isinstance(quote.get("status", ""), str)
            and isinstance(quote.get("score", 0.0), (int, float))
            for quote in quotes.values()
        )
    )


def write_state(path: Path, sources: dict[str, Any]) -> None:
    """Deterministic JSON (sorted keys, two-space indent), so its diff reads well in git."""
    data = {"version": STATE_VERSION, "sources": sources}
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# ---------------------------------------------------------------- the command


@dataclass
class Report:
    day: datetime.date
    sources: list[SourceResult]
    without_url: list[str]

    @property
    def changed(self) -> bool:
        return any(result.changes for result in self.sources)


def run(
    settings: dict[str, Any],
    site: Any,
    state_path: Path,
    *,
    only: list[str] | None = None,
    write: bool = False,
    today: datetime.date,
    fetcher: Fetcher | None = None,
) -> Report:
    """Check the sources of a site (`read_cited`), limited to `only` when given; update the
    state file and, with `write`, the source files that get an archive copy."""
    options_dict = plugin_options(settings, "SOURCES_CHECK")
    options = Options(
        float(options_dict["fuzzy_threshold"]),
        int(options_dict["dead_after_runs"]),
        int(options_dict["dead_after_days"]),
        int(options_dict["recheck_days"]),
        str(options_dict["cdx_url"]),
    )
    fetcher = fetcher or Fetcher(
        user_agent(settings), float(options_dict["timeout"]), float(options_dict["host_delay"])
    )
    state = read_state(state_path)
    wanted = [s for s in site.sources if only is None or s.id in only]
    results: list[SourceResult] = []
    new_state = {key: value for key, value in state.items() if key in site.ids}
    for source in wanted:
        if not source.url:
            new_state.pop(source.id, None)
            continue
        result = site.result(source)
        previous = state.get(source.id)
        entry = check_source(result, source.paragraphs, previous, fetcher, options, today)
        propose_archive(result, previous, fetcher, options.cdx_url, entry)
        new_state[source.id] = entry
        results.append(result)
    if len(fetcher.hosts_tried) >= 2 and not fetcher.hosts_answered:
        raise CliError(
            f"no original answered ({len(fetcher.hosts_tried)} hosts tried): is this machine"
            " offline? The state file is unchanged",
            path="explainer sources check",
            code="cli.offline",
        )
    if write:
        for result in results:
            if result.archive and not result.archived:
                result.archive_written = wayback.write_archived(
                    site.root / result.path, result.archive
                )
                if result.archive_written:
                    new_state[result.id].pop("archive", None)
                    new_state[result.id].pop("archive_day", None)
    write_state(state_path, dict(sorted(new_state.items())))
    without = [s.id for s in wanted if not s.url]
    return Report(today, results, without)


@dataclass
class CitedSite:
    """The sources a site has and the passages its pages cite, read as `explainer check`
    reads content (no page written, no network)."""

    root: Path  # the project folder, which paths in the report start from
    content: Path
    sources: list[Any]
    quotes: dict[str, list[QuoteResult]]

    @property
    def ids(self) -> set[str]:
        return {source.id for source in self.sources}

    def result(self, source: Any) -> SourceResult:
        path = os.path.relpath(self.content / source.path, self.root)
        return SourceResult(
            source.id,
            source.title,
            Path(path).as_posix(),
            source.url,
            source.archived,
            source.published,
            [QuoteResult(**vars(q)) for q in self.quotes.get(source.id, [])],
        )


def read_cited(settings_file: str, root: Path) -> CitedSite:
    """Read and verify the content in this process; stop (exit 2) if it has errors."""
    from pelican import signals

    from explainer_cli.check import collect_problems
    from sitemodel import build_of
    from sitemodel.evidence import Note

    seen: list[list[Any]] = []

    def keep(generators: list[Any]) -> None:
        seen.append(generators)

    with signals.all_generators_finalized.connected_to(keep):
        problems = collect_problems(settings_file)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors or not seen or not seen[0]:
        first = f": {shorten(str(errors[0]), 160)}" if errors else ""
        raise CliError(
            f"the content has {len(errors)} error(s){first}; run `explainer check` and fix"
            " them first",
            path=settings_file,
            code="cli.build",
        )
    context = seen[0][0].context
    build = build_of(context)
    content = Path(str(context["PATH"]))
    quotes: dict[str, dict[tuple[int, int, int], QuoteResult]] = defaultdict(dict)
    for citation in build.citations:
        source = build.sources.get(citation.source_id)
        if source is None or not citation.paragraph:
            continue
        key = (citation.paragraph, citation.start, citation.end)
        where = Path(os.path.relpath(content / citation.path, root)).as_posix()
        where = f"{where}:{citation.line}"
        if key not in quotes[source.id]:
            note = Note(0, source, citation.paragraph, citation.start, citation.end)
            selector = note.selector()
            quotes[source.id][key] = QuoteResult(
                selector["exact"], selector["prefix"], selector["suffix"], citation.paragraph, []
            )
        if where not in quotes[source.id][key].cited_in:
            quotes[source.id][key].cited_in.append(where)
    return CitedSite(
        root,
        content,
        sorted(build.sources.values(), key=lambda source: source.id),
        {sid: [found[key] for key in sorted(found)] for sid, found in quotes.items()},
    )


# ---------------------------------------------------------------- the command line

clock = datetime.date.today  # what day it is (tests set it)


def command(
    settings_file: str,
    *,
    state: str | None = None,
    only: list[str] | None = None,
    as_json: bool = False,
    write: bool = False,
) -> int:
    """Print the report; 0 when nothing changed since the state file, 1 when something did,
    2 when the check could not run (one line on stderr, the state file unchanged)."""
    from explainer_cli.sourcereport import to_json, to_markdown

    state_path = Path(os.path.abspath(state)) if state else None
    try:
        with project.in_project(settings_file):
            root = project.project_folder(settings_file)
            settings = project.read_settings(settings_file)
            site = read_cited(settings_file, root)
            unknown = sorted(set(only or []) - site.ids)
            if unknown:
                raise CliError(
                    f"no source '{shorten(unknown[0])}'{did_you_mean(unknown[0], site.ids)}",
                    path="explainer sources check",
                    code="cli.id",
                )
            report = run(
                settings,
                site,
                state_path or root / STATE_NAME,
                only=only,
                write=write,
                today=clock(),
            )
    except CliError as error:
        print(error, file=sys.stderr)
        return 2
    except OSError as error:
        where = error.filename if isinstance(error.filename, str) else "explainer sources check"
        print(f"{where}: error: {error.strerror or error} [cli.os-error]", file=sys.stderr)
        return 2
    sys.stdout.write(to_json(report) if as_json else to_markdown(report))
    return 1 if report.changed else 0
