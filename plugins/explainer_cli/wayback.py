"""Archive copies: the Wayback Machine capture nearest a source's date, and `archived:` written
into the source's front matter without touching anything else in the file.

The CDX server (`internetarchive/wayback`, `wayback-cdx-server`) lists captures; it has no
"closest" query, so captures within a year either side of the date are asked for, one a day,
and the nearest with status 200 is chosen. With none there, the earliest 200 capture; with
none at all, nothing is proposed (the report points to the Memento aggregator, which searches
other archives too). A snapshot address is always timestamped, never a `/save/` address.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from explainer_cli.importer import yaml_url

WINDOW = datetime.timedelta(days=366)
MAX_CAPTURES = 800  # one a day over two years, at most
_TIMESTAMP = re.compile(r"\d{14}")
SNAPSHOT = "https://web.archive.org/web/{timestamp}/{url}"
MEMENTO = "https://timetravel.mementoweb.org/list/{day}/{url}"

# fetches a URL and returns its body; raises OSError (or a subclass) when it cannot
Get = Callable[[str], bytes]


@dataclass(frozen=True)
class Capture:
    timestamp: str  # 14 digits, UTC
    url: str  # the snapshot's address

    @property
    def day(self) -> datetime.date:
        return datetime.date(
            int(self.timestamp[:4]), int(self.timestamp[4:6]), int(self.timestamp[6:8])
        )


def memento_list(url: str, day: datetime.date) -> str:
    """Where a person can look for copies in every public archive (not written anywhere)."""
    return MEMENTO.format(day=f"{day:%Y%m%d}", url=url)


def captures(get: Get, cdx_url: str, url: str, **query: str) -> list[str]:
    """Timestamps of the captures the CDX server lists with status 200 (checked here too)."""
    parameters = {"url": url, "output": "json", "fl": "timestamp,statuscode"}
    parameters.update(query)
    address = f"{cdx_url}?{urlencode(parameters)}&filter=statuscode:200"
    body = get(address)
    try:
        rows = json.loads(body.decode("utf-8") or "[]")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OSError(f"the archive's answer is not CDX JSON: {error}") from error
    if not isinstance(rows, list):
        raise OSError("the archive's answer is not a list of captures")
    found = []
    for row in rows[1:]:  # the first row names the fields
        if not (isinstance(row, list) and len(row) >= 2):
            continue
        timestamp, status = str(row[0]), str(row[1])
        if _TIMESTAMP.fullmatch(timestamp) and status == "200" and _valid_day(timestamp):
            found.append(timestamp)
    return found


def _valid_day(timestamp: str) -> bool:
    try:
        datetime.date(int(timestamp[:4]), int(timestamp[4:6]), int(timestamp[6:8]))
    except ValueError:
        return False
    return True


def nearest_capture(get: Get, cdx_url: str, url: str, day: datetime.date) -> Capture | None:
    """The 200 capture nearest `day` (the earlier on a tie); else the earliest; else None."""
    near = captures(
        get,
        cdx_url,
        url,
        **{
            "from": f"{day - WINDOW:%Y%m%d}",
            "to": f"{day + WINDOW:%Y%m%d}",
            "collapse": "timestamp:8",
            "limit": str(MAX_CAPTURES),
        },
    )
    if near:
        target = f"{day:%Y%m%d}120000"
        timestamp = min(near, key=lambda t: (abs(_seconds(t) - _seconds(target)), t))
    else:
        earliest = captures(get, cdx_url, url, limit="1")
        if not earliest:
            return None
        timestamp = min(earliest)
    return Capture(timestamp, SNAPSHOT.format(timestamp=timestamp, url=url))


def _seconds(timestamp: str) -> float:
    moment = datetime.datetime.strptime(timestamp, "%Y%m%d%H%M%S")
    return moment.replace(tzinfo=datetime.UTC).timestamp()


# ---------------------------------------------------------------- writing `archived:`

_FIELD = re.compile(r"#?\s*archived\s*:")


def with_archived(text: str, address: str) -> str | None:
    """The source file's text with `archived: ADDRESS` in its front matter, every other byte
    as it was; None when the file has no front matter.

    The line goes where add-source's commented-out proposal (`# archived: ...`) or an empty
    `archived:` is, else after the `url:` line, else before the closing `---`."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        return None
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") == "---"), None)
    if close is None:
        return None
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    line = f"archived: {yaml_url(address)}{newline}"
    front = range(1, close)
    at = next((i for i in front if _FIELD.match(lines[i])), None)
    if at is not None:
        lines[at] = line
    else:
        after_url = next((i for i in front if re.match(r"url\s*:", lines[i])), None)
        # the url line may go on over indented lines
        if after_url is not None:
            at = after_url + 1
            while at < close and lines[at][:1] in (" ", "\t"):
                at += 1
        else:
            at = close
        lines.insert(at, line)
    return "".join(lines)


def write_archived(path: Path, address: str) -> bool:
    """Put `archived:` into one source file (a regular file, never a link); False when its
    front matter cannot be found."""
    if path.is_symlink() or not path.is_file():
        return False
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    changed = with_archived(text, address)
    if changed is None:
        return False
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(changed)
    return True
