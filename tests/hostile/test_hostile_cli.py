"""Hostile input to the `explainer` command line: one line `path: error: message [code]`, exit 1.

Never a traceback, never a hang, never the network (only 127.0.0.1).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from conftest import ROOT, explainer_file, source_file, write_files
from explainer_cli import importer
from explainer_cli.diffreport import code
from explainer_cli.main import main

FIXTURES = ROOT / "tests" / "fixtures" / "import"


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The one line the command printed on stderr (and no traceback)."""
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


# ---------------------------------------------------------------- 1. local files: size, kind


def test_a_local_file_over_the_cap_is_refused_before_it_is_parsed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_args: object) -> None:
        raise AssertionError("a file over the cap was parsed")

    monkeypatch.setattr(importer, "from_html", never)
    page = tmp_path / "huge.html"
    with page.open("wb") as handle:  # sparse: 26 MB on paper, nothing on disk
        handle.write(b"<html><body><p>")
        handle.truncate(26 * 1024 * 1024)
    assert main(["add-source", str(page), "--content", str(tmp_path / "content")]) == 1
    assert error_line(capsys) == (
        f"{page}: error: larger than the 20 MB cap on an imported article; save only the"
        " article's text and import that [import.too-large]"
    )
    assert not (tmp_path / "content").exists()


def test_urls_and_files_share_one_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_BYTES", 1000)
    page = tmp_path / "page.txt"
    page.write_text("A paragraph of an article.\n" * 40, encoding="utf-8")
    assert main(["add-source", str(page), "--content", str(tmp_path)]) == 1
    assert error_line(capsys).endswith("[import.too-large]")


@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
def test_what_is_not_a_regular_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    if kind == "folder":
        target = tmp_path / "saved.html"
        target.mkdir()
    elif kind == "fifo":
        target = tmp_path / "pipe.html"
        os.mkfifo(target)  # reading it would wait for a writer for ever
    else:
        target = Path("/dev/zero")  # reading it never ends
    done: list[int] = []
    thread = threading.Thread(
        target=lambda: done.append(main(["add-source", str(target), "--content", str(tmp_path)])),
        daemon=True,
    )
    thread.start()
    thread.join(timeout=20)
    assert done == [1], "add-source hung or did not refuse"
    assert error_line(capsys) == (
        f"{target}: error: not a regular file (a folder, device or pipe); import a saved page"
        " or text file [import.not-a-file]"
    )


def test_a_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nothing.html"
    assert main(["add-source", str(missing), "--content", str(tmp_path)]) == 1
    assert error_line(capsys) == f"{missing}: error: no such file [import.no-file]"


# ---------------------------------------------------------------- 2. redirects


class _Redirect(BaseHTTPRequestHandler):
    """Answers every request with a redirect to the address in the path's query."""

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.path.split("?to=", 1)[1])
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def redirector() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "target", ["ftp://127.0.0.1:9/article.html", "file:///etc/passwd", "data:text/plain,x"]
)
def test_a_redirect_to_another_scheme_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], redirector: str, target: str
) -> None:
    url = f"{redirector}/article?to={target}"
    assert main(["add-source", url, "--content", str(tmp_path), "--timeout", "5"]) == 1
    assert error_line(capsys) == (
        f"{url}: error: the server redirects to {target}; only http:// and https:// addresses"
        " are followed [import.redirect]"
    )
    assert not (tmp_path / "sources").exists()


def test_a_redirect_to_http_is_still_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], redirector: str
) -> None:
    """The handler refuses schemes, not redirects: the http one is followed, the ftp one not."""
    url = f"{redirector}/article?to={redirector}/elsewhere?to=ftp://127.0.0.1:9/x"
    assert main(["add-source", url, "--content", str(tmp_path), "--timeout", "5"]) == 1
    assert "the server redirects to ftp://127.0.0.1:9/x" in error_line(capsys)


# ---------------------------------------------------------------- 3. ids and slugs


def test_a_300_character_slug_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slug = "a" * 300
    assert main(["new", slug, "--content", str(tmp_path)]) == 1
    assert error_line(capsys) == (
        f"explainer new: error: the slug '{'a' * 59}…' is 300 characters long; use at most 80"
        " [cli.id-too-long]"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_300_character_source_id_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = FIXTURES / "riverside-water.html"
    assert main(["add-source", str(page), "--content", str(tmp_path), "--id", "b" * 300]) == 1
    assert error_line(capsys) == (
        f"explainer add-source: error: --id '{'b' * 59}…' is 300 characters long; use at most"
        " 80 [cli.id-too-long]"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_80_character_slug_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "c" * 80, "--content", str(tmp_path)]) == 0
    assert (tmp_path / "explainers" / f"{'c' * 80}.md").is_file()


def test_a_proposed_id_stays_short_whatever_the_headline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "article.txt"
    headline = "Councillors" + "x" * 300
    article.write_text(f"# {headline}\n\nThe article's one paragraph.\n", encoding="utf-8")
    assert main(["add-source", str(article), "--content", str(tmp_path / "content")]) == 0
    (written,) = (tmp_path / "content" / "sources").glob("*.md")
    assert len(written.stem) <= 80


# ---------------------------------------------------------------- 4. serve's port


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http", "８０"])
def test_a_port_out_of_range_is_one_line_before_anything_starts(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", port])
    assert exit_.value.code == 1
    assert error_line(capsys) == (
        f"explainer serve: error: --port {port} is not a port number; use 1 to 65535 [cli.port]"
    )


def explainer(*arguments: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The command line in another process, as a contributor runs it."""
    return subprocess.run(
        [sys.executable, "-m", "explainer_cli.main", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
        check=False,
    )


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_files(content, {"sources/a-source.md": source_file()})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = explainer(
            "serve", str(content), "-s", str(ROOT / "pelicanconf.py"), "-o",
            str(tmp_path / "output"), "--port", str(port), cwd=tmp_path,
        )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"127.0.0.1:{port}: error: cannot listen: Address already in use; try another --port"
        " [cli.port]"
    )


def test_ctrl_c_stops_serve_with_130_and_no_traceback(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_files(content, {"sources/a-source.md": source_file()})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "explainer_cli.main", "serve", str(content), "-s",
             str(ROOT / "pelicanconf.py"), "-o", str(tmp_path / "output"), "--port", str(port)],
            cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
        )  # fmt: skip
        try:
            time.sleep(3)  # Ctrl-C while it starts or builds, the worst moment
            server.send_signal(signal.SIGINT)
            code = server.wait(timeout=60)
        finally:
            server.kill()
    text = log.read_text(encoding="utf-8")
    assert code == 130, text
    assert "Traceback" not in text


# ---------------------------------------------------------------- 5. run from anywhere


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder like the repository's: both settings files, plugins, theme, content."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, root / name)
    for name in ("plugins", "theme"):
        (root / name).symlink_to(ROOT / name)
    write_files(
        root / "content",
        {
            "sources/paper-2020-plan.md": source_file("The council approved the plan on Monday."),
            "explainers/the-plan.md": explainer_file(
                'The council approved it [@paper-2020-plan, "approved the plan"].'
            ),
        },
    )
    return root


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("where", [".", "content", "content/explainers"])
def test_check_works_from_any_folder_of_the_project(
    project: Path, where: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = listing(project / "content")
    monkeypatch.chdir(project / where)
    assert main(["check"]) == 0, capsys.readouterr()
    assert capsys.readouterr().out.splitlines()[-1] == "0 error(s), 0 warning(s)"
    assert Path.cwd() == project / where
    assert listing(project / "content") == before  # no output/ or cache/ inside content/


def test_check_with_an_absolute_publishconf_from_another_folder(
    project: Path, tmp_path: Path
) -> None:
    """publishconf.py imports pelicanconf from the current folder: a new process, as in CI."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = explainer("check", "-s", str(project / "publishconf.py"), cwd=elsewhere)
    assert "Traceback" not in result.stderr
    # it read the settings and checked the content (whatever the publishing rules say of it)
    assert result.stderr == ""
    assert re.fullmatch(r"\d+ error\(s\), \d+ warning\(s\)", result.stdout.splitlines()[-1])


def test_check_outside_a_project_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    assert error_line(capsys) == (
        f"{tmp_path}: error: no pelicanconf.py here or in any folder above; run explainer inside"
        " the project folder, or name the files with -s/--content [cli.no-project]"
    )


def test_a_missing_settings_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "nosuchconf.py")
    assert main(["check", "-s", missing]) == 1
    assert error_line(capsys) == f"{missing}: error: no such settings file [cli.settings]"


def test_new_inside_content_writes_into_the_project_content(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "content" / "explainers")
    assert main(["new", "what-next"]) == 0
    assert (project / "content" / "explainers" / "what-next.md").is_file()
    assert not (project / "content" / "explainers" / "content").exists()


def test_add_source_inside_content_writes_into_the_project_content(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "content" / "sources")
    assert main(["add-source", str(FIXTURES / "riverside-water.html")]) == 0
    written = sorted((project / "content" / "sources").glob("*.md"))
    assert len(written) == 2
    assert not (project / "content" / "sources" / "content").exists()


def test_new_outside_a_project_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "what-next"]) == 1
    assert error_line(capsys).endswith("[cli.no-project]")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- 6. diff Markdown


HOSTILE_PAGE = (
    "<html><body><h1>@octocat fixes #12 &lt;img src=x onerror=alert(1)&gt; **bold**</h1>"
    '<ol><li id="cite-1">See @someone and org/repo#34 &lt;script&gt;alert(1)&lt;/script&gt;'
    " [a](javascript:alert(1))</li></ol></body></html>"
)
HOSTILE_PATHS = [
    "a`b/index.html",  # a backtick would close the code span
    "c``d` /index.html",
    "e\n<script>alert(1)</script>/index.html",  # a line break would end the list item
    "sources/f```g/index.html",
    "style`<img src=x>.css",
]


def test_diff_markdown_keeps_contributor_text_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    write_files(new, dict.fromkeys(HOSTILE_PATHS, HOSTILE_PAGE))
    assert main(["diff", str(old), str(new)]) == 0
    markdown = capsys.readouterr().out
    page = BeautifulSoup(MarkdownIt("commonmark").render(markdown), "lxml")
    # nothing but our own list, headings, code and the <details> we write ourselves
    assert {tag.name for tag in page.find_all(True)} <= {
        "html", "body", "h2", "h3", "p", "ul", "li", "code", "del", "details", "summary",
    }  # fmt: skip
    assert {tag.get_text() for tag in page.find_all("code")} == {
        "/a`b/",
        "/c``d` /",
        "/e\\x0a<script>alert(1)</script>/",
        "f```g",  # a source: its id
        "style`<img src=x>.css",
    }
    for tag in page.find_all("code"):
        tag.decompose()
    text = page.get_text()
    assert "@octocat" in text.replace("\u200b", "")  # shown, but
    assert not re.search(r"(^|\W)@[A-Za-z0-9]", text)  # never a live @mention
    assert not re.search(r"#\d", text)  # nor an issue link
    assert "<img src=x onerror=alert(1)>" in text  # markup shown as text


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("plain", "`plain`"),
        ("a`b", "``a`b``"),
        ("``x", "``` ``x ```"),
        ("x ", "` x  `"),
        ("a\tb", "`a\\x09b`"),
    ],
)
def test_code_spans_fence_past_any_backtick_run(text: str, span: str) -> None:
    assert code(text) == span


# ---------------------------------------------------------------- 7. the environment, settings


def test_content_that_is_a_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    content.write_text("not a folder", encoding="utf-8")
    assert main(["new", "what-next", "--content", str(content)]) == 1
    assert error_line(capsys) == f"{content}/explainers: error: Not a directory [cli.os-error]"


def test_a_diff_report_that_cannot_be_written_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    report = tmp_path / "report.md"
    report.mkdir()
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "new"), "-o", str(report)]) == 1
    assert error_line(capsys) == f"{report}: error: Is a directory [cli.os-error]"


def test_ctrl_c_during_an_import_is_130_and_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(importer, "from_html", interrupted)
    page = FIXTURES / "riverside-water.html"
    assert main(["add-source", str(page), "--content", str(tmp_path)]) == 130
    assert error_line(capsys) == "explainer add-source: interrupted"


def test_check_of_a_missing_content_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "nothing")
    assert main(["check", missing, "-s", str(ROOT / "pelicanconf.py")]) == 1
    assert error_line(capsys) == f"{missing}: error: no such content folder [cli.no-folder]"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("PATH = 'content'\nX = (\n", 2, "SyntaxError: '(' was never closed"),
        ("PATH = 'content'\nX = nothing\n", 2, "NameError: name 'nothing' is not defined"),
        ("from no_such import *\n", 1, "ModuleNotFoundError: No module named 'no_such'"),
    ],
)  # fmt: skip
def test_a_broken_settings_file_is_one_line_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, message: str
) -> None:
    settings = tmp_path / "brokenconf.py"
    settings.write_text(text, encoding="utf-8")
    (tmp_path / "content").mkdir()
    assert main(["check", "-s", str(settings)]) == 1
    assert error_line(capsys) == (
        f"{settings}:{line}: error: cannot use the settings: {message} [cli.settings]"
    )
