"""`explainer sources check`: originals served from 127.0.0.1 that change between runs, a fake
Wayback CDX server, and a clock the tests set."""

from __future__ import annotations

import datetime
import json
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from conftest import ROOT, explainer_file, source_file, write_files
from explainer_cli import fetching, sourcecheck
from explainer_cli.anchoring import anchor
from explainer_cli.main import main
from explainer_cli.wayback import with_archived
from sitemodel import ProblemLog
from sources import load_source

DAY0 = datetime.date(2026, 11, 2)

# ---------------------------------------------------------------- the originals


@dataclass
class Page:
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    head_allowed: bool = True


@dataclass
class Web:
    """What the local server answers, changed by the tests between runs."""

    pages: dict[str, Page] = field(default_factory=dict)
    captures: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # url: (ts, status)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, agent
    base: str = ""

    def url(self, path: str) -> str:
        return self.base + path

    def asked(self, path: str) -> list[str]:
        return [method for method, asked, _ in self.requests if asked == path]


class Handler(BaseHTTPRequestHandler):
    web: Web

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self.answer(head=True)

    def do_GET(self) -> None:
        self.answer(head=False)

    def answer(self, head: bool) -> None:
        parsed = urlparse(self.path)
        web = self.web
        web.requests.append((self.command, parsed.path, self.headers.get("User-Agent", "")))
        if parsed.path == "/cdx":
            self.send(Page(body=cdx_answer(web, parse_qs(parsed.query))), head, "application/json")
            return
        page = web.pages.get(parsed.path, Page(404, "<html><body>Not found</body></html>"))
        if head and not page.head_allowed:
            page = Page(405)
        self.send(page, head, "text/html; charset=utf-8")

    def send(self, page: Page, head: bool, content_type: str) -> None:
        data = page.body.encode("utf-8")
        self.send_response(page.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in page.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(data)


def cdx_answer(web: Web, query: dict[str, list[str]]) -> str:
    """The CDX server's JSON, honouring url, from, to, filter=statuscode and limit."""
    rows = sorted(web.captures.get(query["url"][0], []))
    low, high = query.get("from", ["0"])[0], query.get("to", ["99999999"])[0]
    rows = [row for row in rows if low <= row[0][: len(low)] and row[0][: len(high)] <= high]
    for wanted in query.get("filter", []):
        rows = [row for row in rows if row[1] == wanted.removeprefix("statuscode:")]
    limit = int(query.get("limit", ["0"])[0])
    rows = rows[:limit] if limit > 0 else rows[limit:] if limit < 0 else rows
    return json.dumps([["timestamp", "statuscode"], *[list(row) for row in rows]])


@pytest.fixture
def web() -> Iterator[Web]:
    state = Web()
    handler = type("BoundHandler", (Handler,), {"web": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def article(title: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head><body>'
        "<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
        f"<main><article><h1>{title}</h1>{body}</article></main>"
        "<footer>All rights reserved</footer></body></html>"
    )


def paragraphs(name: str) -> list[str]:
    """Five paragraphs of ordinary news prose, different for each article."""
    return [
        f"The {name} council met on Monday evening to discuss the budget for the coming year,"
        " and members spoke for more than three hours before the vote was called.",
        f"Officials in {name} said the office was unable to determine with certainty the"
        " whereabouts of the records that had been sent to the regional archive last spring.",
        f"Residents of {name} told reporters that the new bus timetable had made their trips"
        " to work longer, and several asked the council to restore the old evening routes.",
        f"A spokesperson for the {name} water board said repairs to the main pipe would begin"
        " in March and take about six weeks, during which some streets would be closed.",
        f"The next meeting of the {name} council is planned for the first week of the month,"
        " when members expect to publish the final figures for the school building plan.",
    ]


QUOTES = {  # the passage each explainer cites, by paragraph
    1: "unable to determine with certainty the whereabouts of the records",
    2: "the new bus timetable had made their trips to work longer",
    3: "repairs to the main pipe would begin in March",
}
NAMES = ["same", "cut", "moved", "drift", "gone", "moving", "taken"]


# ---------------------------------------------------------------- a project


def write_project(root: Path, web: Web, names: list[str], **source_fields: Any) -> Path:
    """A project folder: settings pointing at the local server, a source per name (its text
    as served) and one explainer citing every source's three passages."""
    settings = (
        f"exec(open({str(ROOT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
        f"SOURCES_CHECK = {{'cdx_url': {web.url('/cdx')!r}, 'host_delay': 0.0,"
        " 'timeout': 10.0, 'fuzzy_threshold': 80.0}\n"
    )
    files: dict[str, str | bytes] = {"pelicanconf.py": settings}
    citing = []
    for name in names:
        fields = {"archived": f"https://archive.example/{name}", "short": name, **source_fields}
        body = "\n\n".join(paragraphs(name))
        files[f"content/sources/{name}.md"] = source_file(
            body, title=f'"The {name} report"', url=web.url(f"/{name}"), **fields
        )
        cites = "; ".join(f'@{name}, "{quote}"' for quote in QUOTES.values())
        citing.append(f"The {name} story says so [{cites}].")
        web.pages[f"/{name}"] = Page(body=article(f"The {name} report", paragraphs(name)))
    files["content/explainers/stories.md"] = explainer_file("\n\n".join(citing))
    write_files(root, files)
    return root / "pelicanconf.py"


def check(
    settings: Path,
    day: datetime.date,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *options: str,
) -> tuple[int, str, str]:
    monkeypatch.setattr(sourcecheck, "clock", lambda: day)
    for name in ("pelicanconf", "publishconf"):  # Pelican caches a settings file as a module:
        if name in sys.modules:  # the project's own must be there again for later tests
            monkeypatch.setitem(sys.modules, name, sys.modules[name])
    state = settings.parent / "sources-check.json"
    code = main(["sources", "check", "-s", str(settings), "--state", str(state), *options])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def by_id(out: str) -> dict[str, Any]:
    return {source["id"]: source for source in json.loads(out)["sources"]}


def statuses(source: dict[str, Any]) -> dict[str, str]:
    return {quote["exact"]: quote["status"] for quote in source["quotes"]}


# ---------------------------------------------------------------- the whole story


def test_every_kind_of_change_is_classified_across_runs(
    tmp_path: Path, web: Web, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(tmp_path, web, NAMES)
    web.pages["/same"].headers = {"ETag": '"v1"'}
    web.pages["/moved"].head_allowed = False

    code, out, err = check(settings, DAY0, monkeypatch, capsys, "--json")
    assert (code, err) == (0, "")
    first = by_id(out)
    assert {name: first[name]["status"] for name in NAMES} == dict.fromkeys(NAMES, "live")
    assert all(set(statuses(s).values()) == {"exact"} for s in first.values())
    assert web.asked("/moved") == ["HEAD", "GET"]  # HEAD refused (405): GET
    agents = {agent for _, _, agent in web.requests}
    assert all(agent.startswith("explainer-sources-check/") for agent in agents), agents

    # the originals change
    text = paragraphs("cut")
    text[2] = text[2].replace(" the new bus timetable had made their trips to work longer, and", "")
    web.pages["/cut"].body = article("The cut report", text)
    text = paragraphs("moved")
    sentence = "repairs to the main pipe would begin in March"
    text[3] = text[3].replace(sentence, "work on the main pipe would start soon")
    text[4] += f" The board added that {sentence}."
    web.pages["/moved"].body = article("The moved report", text)
    text = paragraphs("drift")
    text[1] = text[1].replace("with certainty", "with confidence")
    web.pages["/drift"].body = article("The drift report", text)
    web.pages["/gone"] = Page(404, "<html><body>No such page</body></html>")
    web.pages["/moving"] = Page(301, headers={"Location": web.url("/moving-new")})
    web.pages["/moving-new"] = Page(body=article("The moving report", paragraphs("moving")))
    other = [
        "Play the best online games tonight and win a welcome bonus on your first deposit.",
        "Our casino offers hundreds of slot machines, live tables and daily tournaments.",
    ]
    web.pages["/taken"].body = article("Best online casino bonuses", other * 3)
    web.requests.clear()

    code, out, err = check(
        settings, DAY0 + datetime.timedelta(days=7), monkeypatch, capsys, "--json"
    )
    assert (code, err) == (1, "")
    second = by_id(out)
    assert second["same"]["status"] == "live"
    assert web.asked("/same") == ["HEAD"]  # same ETag, read a week ago: not read again
    assert second["cut"]["status"] == "live"
    assert statuses(second["cut"])[QUOTES[2]] == "removed"
    assert statuses(second["cut"])[QUOTES[1]] == "exact"
    assert statuses(second["moved"])[QUOTES[3]] == "moved"
    assert statuses(second["moved"])[QUOTES[1]] == "exact"
    drifted = next(q for q in second["drift"]["quotes"] if q["exact"] == QUOTES[1])
    assert drifted["status"] == "drifted"
    assert 80 <= drifted["score"] < 100
    assert ["-", "certainty"] in drifted["diff"] and ["+", "confidence"] in drifted["diff"]
    assert second["gone"]["status"] == "failing"  # one failed run is not dead
    assert second["gone"]["failures"] == ["2026-11-09"]
    assert second["gone"]["error"].startswith("404")
    assert second["moving"]["status"] == "redirected"
    assert second["moving"]["final_url"] == web.url("/moving-new")
    assert set(statuses(second["moving"]).values()) == {"exact"}
    assert second["taken"]["status"] == "usurped"
    assert set(statuses(second["taken"]).values()) == {"removed"}

    # the 404 goes on: runs closer than three days apart count once
    expected = [(1, "failing", 1, 0), (3, "failing", 2, 0), (4, "failing", 2, 0), (6, "dead", 3, 1)]
    for days_later, status, failures, exit_code in expected:
        day = DAY0 + datetime.timedelta(days=7 + days_later)
        code, out, err = check(settings, day, monkeypatch, capsys, "--json", "--only", "gone")
        gone = by_id(out)["gone"]
        assert (gone["status"], len(gone["failures"]), code) == (status, failures, exit_code)
    assert gone["changes"] == ["failing → dead"]

    # the original comes back: live again, its failures forgotten
    web.pages["/gone"] = Page(body=article("The gone report", paragraphs("gone")))
    code, out, _ = check(settings, day + datetime.timedelta(days=1), monkeypatch, capsys, "--json")
    assert by_id(out)["gone"]["status"] == "live"
    state = json.loads((tmp_path / "sources-check.json").read_text(encoding="utf-8"))
    assert "failures" not in state["sources"]["gone"]


def test_state_file_is_deterministic_json_and_a_second_run_reports_nothing(
    tmp_path: Path, web: Web, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(tmp_path, web, ["same", "gone"])
    web.pages["/gone"] = Page(404)
    assert check(settings, DAY0, monkeypatch, capsys)[0] == 1  # new, and failing
    path = tmp_path / "sources-check.json"
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert set(data["sources"]) == {"same", "gone"}
    code, out, _ = check(settings, DAY0 + datetime.timedelta(days=3), monkeypatch, capsys)
    assert code == 0
    assert "Nothing changed since the last check." in out
    assert "**failing**" in out


def test_default_state_file_is_in_the_project_folder(
    tmp_path: Path, web: Web, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(tmp_path, web, ["same"])
    monkeypatch.setattr(sourcecheck, "clock", lambda: DAY0)
    monkeypatch.chdir(tmp_path / "content")
    assert main(["sources", "check", "-s", str(settings)]) == 0
    assert (tmp_path / "sources-check.json").is_file()


# ---------------------------------------------------------------- the report


HOSTILE_TITLE = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) @maintainer #12 **loud**"


def test_markdown_report_is_inert(
    tmp_path: Path, web: Web, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(tmp_path, web, ["drift"])
    source = tmp_path / "content" / "sources" / "drift.md"
    title = json.dumps(HOSTILE_TITLE)
    source.write_text(
        source.read_text(encoding="utf-8").replace('"The drift report"', title), encoding="utf-8"
    )
    text = paragraphs("drift")
    text[1] = text[1].replace("with certainty", "with <b>confidence</b>")
    web.pages["/drift"].body = article("<script>alert(2)</script>", text)
    code, out, err = check(settings, DAY0, monkeypatch, capsys)
    assert code == 1, err
    assert "drifted" in out
    html = MarkdownIt("commonmark", {"html": True}).enable("strikethrough").render(out)
    soup = BeautifulSoup(html, "lxml")
    assert not soup.find_all(["img", "a", "script", "b"])
    assert HOSTILE_TITLE in soup.get_text().replace("\u200b", "")
    assert "@\u200bmaintainer" in out  # no mention on GitHub
    # our own emphasis survives: the diff marks the words changed
    struck = soup.find("s")
    assert struck is not None and struck.get_text() == "certainty"


def test_report_lists_what_to_do(
    tmp_path: Path, web: Web, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(tmp_path, web, ["taken"])
    web.pages["/taken"].body = article("Something else", ["A page about something else."] * 4)
    code, out, _ = check(settings, DAY0, monkeypatch, capsys)
    assert code == 1
    assert "### Sources to look at" in out
    assert "**usurped**" in out and "what to do:" in out
    assert "content/explainers/stories.md:" in out  # where each quote is cited


# ---------------------------------------------------------------- archive copies


def test_archive_copy_nearest_the_date_is_proposed_then_written(
    tmp_path: Path, web: Web, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(tmp_path, web, ["same"], archived=None, published="2018-05-29")
    url = web.url("/same")
    web.captures[url] = [
        ("20170101000000", "200"),
        ("20180530120000", "404"),  # nearest, but not a copy of the page
        ("20180615080000", "200"),
        ("20190101000000", "200"),
    ]
    path = tmp_path / "content" / "sources" / "same.md"
    before = path.read_bytes()
    code, out, _ = check(settings, DAY0, monkeypatch, capsys, "--json")
    assert code == 1
    proposed = f"https://web.archive.org/web/20180615080000/{url}"
    assert by_id(out)["same"]["archive"] == proposed
    assert by_id(out)["same"]["changes"] == ["archive copy found"]
    assert path.read_bytes() == before  # without --write, nothing is written
    cdx_calls = len(web.asked("/cdx"))

    code, out, _ = check(settings, DAY0, monkeypatch, capsys, "--write")
    assert len(web.asked("/cdx")) == cdx_calls  # the proposal was kept, not asked again
    assert "written into the file" in out
    after = path.read_bytes()
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    url_line = next(i for i, line in enumerate(old_lines) if line.startswith(b"url:"))
    assert new_lines[url_line + 1] == f"archived: {proposed}\n".encode()
    assert new_lines[: url_line + 1] + new_lines[url_line + 2 :] == old_lines
    problems = ProblemLog()
    source = load_source(path, "sources/same.md", problems)
    assert problems.problems == [] and source.archived == proposed
    code, _, _ = check(settings, DAY0, monkeypatch, capsys)
    assert code == 0  # archived now: nothing more to propose


def test_archive_falls_back_to_the_earliest_copy_then_to_none(
    tmp_path: Path, web: Web, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(tmp_path, web, ["same", "cut"], archived=None, published="2018-05-29")
    web.captures[web.url("/same")] = [("20100101000000", "200"), ("20180601000000", "302")]
    code, out, _ = check(settings, DAY0, monkeypatch, capsys, "--json")
    sources = by_id(out)
    assert (
        sources["same"]["archive"]
        == f"https://web.archive.org/web/20100101000000/{web.url('/same')}"
    )
    assert sources["cut"]["archive"] == ""
    assert sources["cut"]["archive_note"] == "the Wayback Machine has no copy"
    code, out, _ = check(settings, DAY0, monkeypatch, capsys)
    assert "timetravel.mementoweb.org/list/20180529/" in out


def test_write_replaces_the_commented_proposal_of_add_source() -> None:
    text = (
        "---\r\ntitle: A\r\nurl: https://example.org/a\r\n"
        "# archived: https://web.archive.org/web/20180529/https://example.org/a  # uncomment\r\n"
        "kind: news\r\n---\r\nBody.\r\n"
    )
    written = with_archived(
        text, "https://web.archive.org/web/20180601000000/https://example.org/a"
    )
    assert written == text.replace(
        "# archived: https://web.archive.org/web/20180529/https://example.org/a  # uncomment",
        "archived: https://web.archive.org/web/20180601000000/https://example.org/a",
    )
    assert with_archived("no front matter\n", "https://x.example/") is None


# ---------------------------------------------------------------- could not run


@pytest.mark.parametrize(
    "state",
    [
        "{not json",
        "[]",
        '{"sources": {"same": {"failures": "2026-11-01"}}}',
        '{"sources": {"same": {"quotes": {"words": {"score": "high"}}}}}',
    ],
)
def test_unreadable_state_file_exits_2_in_one_line(
    state: str,
    tmp_path: Path,
    web: Web,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = write_project(tmp_path, web, ["same"])
    (tmp_path / "sources-check.json").write_text(state, encoding="utf-8")
    code, out, err = check(settings, DAY0, monkeypatch, capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.rstrip().endswith("[cli.state]"), err
    assert web.requests == []
    assert (tmp_path / "sources-check.json").read_text(encoding="utf-8") == state


def test_content_errors_and_unknown_ids_exit_2(
    tmp_path: Path, web: Web, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(tmp_path, web, ["same"])
    code, _, err = check(settings, DAY0, monkeypatch, capsys, "--only", "sane")
    assert code == 2 and "did you mean 'same'?" in err and err.count("\n") == 1
    explainer = tmp_path / "content" / "explainers" / "stories.md"
    explainer.write_text(explainer.read_text(encoding="utf-8") + '\n[@same, "not there"]\n')
    code, _, err = check(settings, DAY0, monkeypatch, capsys)
    assert code == 2 and err.rstrip().endswith("[cli.build]") and err.count("\n") == 1, err
    assert not (tmp_path / "sources-check.json").exists()


def test_no_answer_from_any_host_exits_2_and_keeps_the_state(
    tmp_path: Path, web: Web, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(tmp_path, web, ["same", "cut"])
    for name, port in (("same", 9), ("cut", 1)):  # nothing listens on these ports
        path = tmp_path / "content" / "sources" / f"{name}.md"
        text = path.read_text(encoding="utf-8").replace(web.base, f"http://127.0.0.1:{port}")
        path.write_text(text, encoding="utf-8")
    code, out, err = check(settings, DAY0, monkeypatch, capsys)
    assert (code, out) == (2, "")
    assert "offline" in err and err.rstrip().endswith("[cli.offline]")
    assert not (tmp_path / "sources-check.json").exists()


def test_wrong_setting_exits_2(
    tmp_path: Path, web: Web, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(tmp_path, web, ["same"])
    with settings.open("a", encoding="utf-8") as handle:
        handle.write("SOURCES_CHECK = {'fuzzy_treshold': 90.0}\n")
    code, _, err = check(settings, DAY0, monkeypatch, capsys)
    assert code == 2 and "fuzzy_threshold" in err, err


# ---------------------------------------------------------------- the parts


def test_requests_to_one_host_wait_for_the_delay() -> None:
    now = [100.0]
    slept: list[float] = []
    fetcher = fetching.Fetcher("agent", 1.0, 1.0, clock=lambda: now[0], sleep=slept.append)
    fetcher.last["a.example"] = 99.7
    fetcher.wait_for("a.example")
    fetcher.wait_for("b.example")
    assert slept == [pytest.approx(0.7)]


OURS = [
    "First paragraph of ours.",
    "The board said repairs would begin in March and last six weeks.",
    "Third paragraph of ours.",
]
SELECTOR = ("repairs would begin in March", "The board said ", " and last six weeks.")


@pytest.mark.parametrize(
    ("live", "status"),
    [
        (OURS, "exact"),
        # curly quotes, dashes and line breaks are folded, as the build folds them
        (
            [OURS[0], "The board  said repairs would\nbegin in March and last six weeks.", OURS[2]],
            "exact",
        ),
        ([OURS[0], "The board now says repairs would begin in March.", OURS[2]], "moved"),
        ([OURS[1], OURS[0], OURS[2]], "moved"),  # the paragraph itself moved
        (
            [OURS[0], "The board said repairs would begin in April and last six weeks.", OURS[2]],
            "drifted",
        ),
        ([OURS[0], "Nothing about pipes at all here, only the weather.", OURS[2]], "removed"),
        ([OURS[0], "March", OURS[2]], "removed"),  # a short paragraph inside the quote is no match
    ],
)
def test_anchoring(live: list[str], status: str) -> None:
    found = anchor(*SELECTOR, live, OURS, 2, threshold=80.0)
    assert found.status == status
    if status == "drifted":
        assert found.found == "repairs would begin in April"
        assert 80 <= found.score < 100
