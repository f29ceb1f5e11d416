"""The sources check as Markdown (an issue body, a job summary) or JSON (for tools).

Titles, quotes and addresses come from content files and from the originals, both untrusted:
in Markdown they go through `diffreport.plain` (escaped, mentions broken) or `diffreport.code`
(a code span they cannot leave), so nothing in them becomes a link, markup or raw HTML.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from typing import Any

from explainer_cli.anchoring import DRIFTED, EXACT, MOVED, REMOVED
from explainer_cli.diffreport import code, plain
from explainer_cli.errors import shorten
from explainer_cli.sourcecheck import (
    ANSWERED,
    DEAD,
    FAILING,
    LIVE,
    REDIRECTED,
    UNCHECKED,
    USURPED,
    QuoteResult,
    Report,
    SourceResult,
)
from explainer_cli.wayback import memento_list

MAX_QUOTE = 300  # characters of a quote shown
STATUSES = (LIVE, REDIRECTED, FAILING, DEAD, USURPED)
QUOTE_STATUSES = (EXACT, MOVED, DRIFTED, REMOVED, UNCHECKED)
WHAT_TO_DO = {
    REDIRECTED: "the address now redirects; if the new page is the same article, put its"
    " address in `url:`",
    FAILING: "the original did not answer; nothing to do yet (it is called dead only after"
    " failing on separate runs)",
    DEAD: "the original is gone: make sure `archived:` holds a copy (readers are sent there)",
    USURPED: "the address now shows something else (neither the headline nor any quote is"
    " there): add `archived:` and say so in `notes:`",
}


def to_json(report: Report) -> str:
    data = {
        "date": report.day.isoformat(),
        "changed": report.changed,
        "without_url": report.without_url,
        "sources": [_source_record(result) for result in report.sources],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _source_record(result: SourceResult) -> dict[str, Any]:
    record = asdict(result)
    record["day"] = result.day.isoformat()
    record["quotes"] = [asdict(quote) for quote in result.quotes]
    return record


def to_markdown(report: Report) -> str:
    out = [f"## Sources check, {report.day.isoformat()}", ""]
    counts = Counter(result.status for result in report.sources)
    quotes = Counter(quote.status for result in report.sources for quote in result.quotes)
    summary = f"{len(report.sources)} source(s) checked: " + ", ".join(
        f"{counts[status]} {status}" for status in STATUSES
    )
    summary += ". Quotes: " + ", ".join(
        f"{quotes[status]} {status}"
        for status in QUOTE_STATUSES
        if quotes[status] or status != UNCHECKED
    )
    summary += "."
    if report.without_url:
        summary += f" Without an address (not checked): {', '.join(map(code, report.without_url))}."
    out += [summary, ""]
    changed = [result for result in report.sources if result.changes]
    if changed:
        out += ["### Changed since the last check", ""]
        for result in changed:
            out.append(f"- {code(result.id)}: {'; '.join(result.changes)}")
        out.append("")
    else:
        out += ["Nothing changed since the last check.", ""]
    worth = [result for result in report.sources if _worth_a_look(result)]
    if worth:
        out += ["### Sources to look at", ""]
        for result in worth:
            out += _source_section(result)
    fine = [result.id for result in report.sources if not _worth_a_look(result)]
    if fine:
        out += [
            "### In place",
            "",
            "Live, every quote where it was: " + ", ".join(map(code, fine)) + ".",
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def _worth_a_look(result: SourceResult) -> bool:
    return (
        result.status != LIVE
        or bool(result.archive or result.archive_note)
        or any(quote.status not in (EXACT, UNCHECKED) for quote in result.quotes)
    )


def _source_section(result: SourceResult) -> list[str]:
    out = [f"#### {code(result.id)}: {plain(_line(result.title))}", ""]
    status = f"**{result.status}**"
    if result.status in (FAILING, DEAD):
        runs = plain(shorten(", ".join(result.failures), 200))  # dates, from the history file
        status += f" ({plain(shorten(_line(result.error), 120))}; failed on {runs})"
    out.append(f"- {status}: {code(result.url)}")
    if result.status == REDIRECTED:
        out.append(f"- now at {code(result.final_url)}")
    if result.status in WHAT_TO_DO:
        out.append(f"- what to do: {WHAT_TO_DO[result.status]}")
    out.append(f"- file: {code(result.path)}")
    if result.archive:
        out.append(
            f"- archive copy: {code(result.archive)} (captured {plain(result.archive_day)},"
            f" nearest to {result.day.isoformat()})"
        )
        if result.archive_written:
            out.append("  - written into the file as `archived:`")
        elif not result.archived:
            out.append("  - `explainer sources check --write` adds it to the file as `archived:`")
    elif result.archive_note:
        out.append(
            f"- archive copy: none ({result.archive_note}); look in other archives:"
            f" {code(memento_list(result.url, result.day))}, or ask the Wayback Machine to"
            " save the page (https://web.archive.org/save)"
        )
    if result.archived and result.status in (DEAD, USURPED):
        out.append(f"- our archived copy: {code(result.archived)}")
    for quote in result.quotes:
        if quote.status not in (EXACT, UNCHECKED):
            out += _quote_lines(quote)
    if result.status in ANSWERED and not result.text_checked:
        out.append("- quotes as last read (the server says the page has not changed)")
    out.append("")
    return out


def _quote_lines(quote: QuoteResult) -> list[str]:
    words = plain(shorten(_line(quote.exact), MAX_QUOTE))
    where = ", ".join(map(code, quote.cited_in))
    head = f"- quote **{quote.status}**"
    if quote.status == DRIFTED:
        head += f" (score {quote.score:g})"
    elif quote.status == REMOVED and quote.score:
        head += f" (closest {quote.score:g})"
    lines = [f"{head}: “{words}”, cited in {where}"]
    if quote.status == MOVED:
        lines.append("  - the words are there, in another place or with other words around them")
    if quote.status == DRIFTED:
        lines.append(f"  - the original now says: {_diff(quote.diff)}")
        lines.append(
            "  - check that the page still supports the sentence; if the article was"
            " corrected, say so or cite the archived copy"
        )
    if quote.status == REMOVED:
        lines.append(
            "  - the words are gone from the original: make sure `archived:` points to a copy"
            " that has them, or cite another source"
        )
    return lines


def _diff(diff: list[tuple[str, str]]) -> str:
    marks = {"=": "", "-": "~~", "+": "**"}
    parts = [f"{marks[op]}{plain(shorten(words, MAX_QUOTE))}{marks[op]}" for op, words in diff]
    return " ".join(parts)


def _line(text: str) -> str:
    return " ".join(str(text).split())
