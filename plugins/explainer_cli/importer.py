"""`explainer add-source`: one article (saved page, plain text or URL) into `sources/<id>.md`.

The import is a first draft the contributor reviews: what the page did not say is left as a
FILL-IN field that `explainer check` reports, and every line dropped as page furniture is listed.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, urlencode, urljoin, urlparse, urlunparse
from urllib.request import HTTPRedirectHandler, Request, build_opener

from explainer_cli import sourceid
from explainer_cli.errors import CliError, shorten
from explainer_cli.textclean import clean
from sitemodel.source import KINDS
from sitemodel.textfile import load_yaml, split_front_matter

USER_AGENT = "explainer-add-source/0.1 (Python-urllib; fetches one article to cite it)"
MAX_BYTES = 20 * 1024 * 1024  # the cap on one imported article, from a file or a URL
# names a blog platform prints where the author should be
GENERIC_AUTHORS = {"admin", "administrator", "staff", "editor", "editors", "webmaster", "guest"}
FILL_IN = "FILL-IN"


class ImportRefused(CliError):
    """The import cannot go on; the message says why and what to do."""

    def __init__(
        self, message: str, *, path: str = "explainer add-source", code: str = "import.refused"
    ) -> None:
        super().__init__(message, path=path, code=code)


def too_large(where: str) -> ImportRefused:
    return ImportRefused(
        f"larger than the {MAX_BYTES // 1024 // 1024} MB cap on an imported article;"
        " save only the article's text and import that",
        path=where,
        code="import.too-large",
    )


@dataclass
class Article:
    """What one import found: verbatim paragraphs and whatever metadata the page gave."""

    paragraphs: list[str]
    title: str = ""
    outlet: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime.date | None = None
    url: str = ""
    language: str = ""
    dropped: list[str] = field(default_factory=list)
    canonical: str = ""  # the address the page gives for itself, when it differs


@dataclass
class Existing:
    path: Path
    url: str
    text: str  # whitespace-normalised body


# ---------------------------------------------------------------- reading the input


def is_url(location: str) -> bool:
    return urlparse(location).scheme in ("http", "https")


class HttpOnlyRedirects(HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only: never to ftp://, file:// or data:."""

    def http_error_302(self, req: Request, fp: Any, code: int, msg: str, headers: Any) -> Any:
        target = urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        if not is_url(target):
            fp.close()
            raise ImportRefused(
                f"the server redirects to {target}; only http:// and https:// addresses are"
                " followed",
                path=req.full_url,
                code="import.redirect",
            )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def fetch(url: str, timeout: float) -> tuple[bytes, str, str]:
    """(body, content type, final address) of a web page."""
    request = Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
        },
    )
    try:
        opener = build_opener(HttpOnlyRedirects)
        with opener.open(request, timeout=timeout) as response:  # http(s) only, redirects too
            data = response.read(MAX_BYTES + 1)
            content_type = response.headers.get("Content-Type", "")
            final = response.geturl()
    except HTTPError as error:
        raise ImportRefused(
            f"cannot fetch {url}: the server answered {error.code} {error.reason}"
        ) from error
    except URLError as error:
        reason = getattr(error, "reason", error)
        raise ImportRefused(
            f"cannot fetch {url}: {reason}; save the page in your browser and import the file"
        ) from error
    except (TimeoutError, OSError) as error:
        raise ImportRefused(f"cannot fetch {url}: {error}") from error
    if len(data) > MAX_BYTES:
        raise too_large(url)
    return data, content_type, final


def read_file(location: str) -> bytes:
    """The bytes of a regular file, refusing FIFOs, devices, folders and anything too large."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before we can refuse it
        descriptor = os.open(location, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as error:
        raise ImportRefused("no such file", path=location, code="import.no-file") from error
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ImportRefused(
                "not a regular file (a folder, device or pipe); import a saved page or text file",
                path=location,
                code="import.not-a-file",
            )
        if info.st_size > MAX_BYTES:
            raise too_large(location)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(MAX_BYTES + 1)  # the file may have grown since fstat
    finally:
        os.close(descriptor)
    if len(data) > MAX_BYTES:
        raise too_large(location)
    return data


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head


def decode_text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(f"{where} is not UTF-8 text (byte {error.start})") from error


def read_article(location: str, timeout: float) -> Article:
    """The article at a URL or in a file (HTML page or plain text)."""
    if is_url(location):
        data, content_type, final = fetch(location, timeout)
        if "html" in content_type or looks_like_html(data):
            return from_html(data, final)
        article = from_text(decode_text(data, location))
        article.url = final
        return article
    path = Path(location)
    data = read_file(location)
    if path.suffix.lower() in (".html", ".htm", ".xhtml") or looks_like_html(data):
        return from_html(data, "")
    return from_text(decode_text(data, location))


def from_html(data: bytes, url: str) -> Article:
    """Body and metadata of a web page, by trafilatura, then our furniture rules."""
    import trafilatura  # slow to import; only add-source needs it

    extracted = trafilatura.extract(
        data,
        url=url or None,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
        author_blacklist=GENERIC_AUTHORS,
    )
    if not extracted:
        raise ImportRefused(
            "no article text found on the page; copy the article's text into a .txt file"
            " and import that"
        )
    meta: dict[str, Any] = json.loads(extracted)
    title = " ".join(str(meta.get("title") or "").split())
    cleaned = clean(str(meta.get("text") or ""), markdown=False, title=title, one_per_line=True)
    authors = [a for a in str(meta.get("author") or "").split("; ") if a.strip()]
    outlet = str(meta.get("source-hostname") or "").strip()
    if re.fullmatch(r"[\w.-]+\.[a-z]{2,}", outlet):
        outlet = ""  # a bare host name, not the publication's name
    known = {title, outlet, *authors, *cleaned.authors, *cleaned.dropped}
    unextracted = dropped_from_page(page_lines(data), cleaned.paragraphs, known)
    return Article(
        paragraphs=cleaned.paragraphs,
        title=title or cleaned.title,
        outlet=outlet,
        authors=authors or cleaned.authors,
        published=_iso_date(meta.get("date")) or cleaned.published or date_in_url(url),
        url=url or str(meta.get("source") or ""),
        language=page_language(data) or str(meta.get("language") or ""),
        dropped=cleaned.dropped + unextracted,
        canonical=str(meta.get("source") or ""),
    )


# where a page's text breaks into lines, as a browser shows it
_BLOCK_TAGS = frozenset(
    (  # noqa: SIM905
        "address article aside blockquote body br button caption dd details dialog div dl dt"
        " fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol"
        " option p pre section select summary table td th tr ul"
    ).split()
)
_UNSEEN_TAGS = frozenset({"head", "script", "style", "noscript", "template", "svg", "title"})


def page_lines(data: bytes) -> list[str]:
    """The visible text of a page, a line per block (paragraph, list item, cell, button)."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fromstring(data)
    except (ValueError, lxml.etree.ParserError):
        return []
    parts: list[str] = []
    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _UNSEEN_TAGS or not tag:
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            parts.append(element.text or "")
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element is not root:
                parts.append(element.tail or "")
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def dropped_from_page(lines: list[str], paragraphs: list[str], known: set[str]) -> list[str]:
    """Each line of the page that the extracted article does not contain, once, in page order
    (the headline, outlet and byline went to the front matter: not listed)."""
    body = normalise_text(paragraphs)
    known = {" ".join(text.split()) for text in known}
    dropped: list[str] = []
    seen: set[str] = set()
    for line in lines:
        if line in seen or line in known or line in body:
            continue
        seen.add(line)
        dropped.append(line)
    return dropped


def from_text(text: str) -> Article:
    cleaned = clean(text, markdown=True)
    return Article(
        paragraphs=cleaned.paragraphs,
        title=cleaned.title,
        authors=cleaned.authors,
        published=cleaned.published,
        dropped=cleaned.dropped,
    )


def page_language(data: bytes) -> str:
    match = re.search(rb"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", data[:4096], re.IGNORECASE)
    return match.group(1).decode("ascii").lower() if match else ""


def date_in_url(url: str) -> datetime.date | None:
    match = re.search(r"/(\d{4})/(\d{1,2})/(\d{1,2})(?:/|$)", urlparse(url).path)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _iso_date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------- what is already there


def same_url_key(url: str) -> str:
    """An address without what does not change the page: scheme, www., tracking, slash."""
    parsed = urlparse(url.strip())
    host = (parsed.hostname or "").lower().removeprefix("www.")
    query = [(k, v) for k, v in parse_qsl(parsed.query) if not k.lower().startswith("utm_")]
    path = parsed.path.rstrip("/")
    return urlunparse(("", host, path, "", urlencode(query), ""))


def normalise_text(paragraphs: list[str] | str) -> str:
    text = " ".join(paragraphs) if isinstance(paragraphs, list) else paragraphs
    return " ".join(text.split())


def existing_sources(folder: Path) -> dict[str, Existing]:
    """Every source file already in the folder, by id, with its address and text."""
    found: dict[str, Existing] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        split = split_front_matter(text.replace("\r\n", "\n"))
        fields: Any = {}
        body = text
        if split is not None:
            body = split[1]
            try:
                fields = load_yaml(split[0]) or {}
            except Exception:  # noqa: BLE001 - a broken file is `check`'s to report
                fields = {}
        url = str(fields.get("url") or "") if isinstance(fields, dict) else ""
        found[path.stem] = Existing(path, url, normalise_text(body))
    return found


def refuse_duplicate(article: Article, sources: dict[str, Existing]) -> None:
    keys = {same_url_key(url) for url in (article.url, article.canonical) if url}
    text = normalise_text(article.paragraphs)
    for existing in sources.values():
        if existing.url and same_url_key(existing.url) in keys:
            raise ImportRefused(
                f"already imported: {existing.path} has the same address ({existing.url});"
                " edit that file instead"
            )
        if text and existing.text == text:
            raise ImportRefused(
                f"already imported: {existing.path} has the same text; edit that file instead"
            )


# ---------------------------------------------------------------- writing the file


def yaml_string(value: str, *, in_list: bool = False) -> str:
    """A YAML scalar that reads back as exactly `value` (inside `[...]` when in_list)."""
    allowed = r"[A-Za-z][\w .()'’&–—-]*" if in_list else r"[A-Za-z][\w .,()'’&–—-]*"
    plain = re.fullmatch(allowed, value) and not value.endswith(" ")
    if plain and value.lower() not in ("yes", "no", "true", "false", "null", "on", "off"):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    # YAML refuses some characters JSON leaves as they are, and folds line separators
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def yaml_url(url: str) -> str:
    plain = re.fullmatch(r"https?://[^\s'\"#]+", url) and ": " not in url
    return url if plain else json.dumps(url)


def archive_address(url: str, day: datetime.date) -> str:
    """The Wayback Machine's address for the page near `day` (it redirects to the nearest
    copy); written, not fetched: the contributor checks that a copy exists."""
    return f"https://web.archive.org/web/{day:%Y%m%d}/{url}"


def render(
    article: Article, kind: str, today: datetime.date | None = None
) -> tuple[str, list[tuple[int, str]]]:
    """The source file's text and (line, field) of each field left for the contributor."""
    today = today or datetime.date.today()
    lines = ["---"]
    todo: list[tuple[int, str]] = []

    def add(key: str, value: str | None, hint: str, *, empty_when_missing: bool = False) -> None:
        if value:
            lines.append(f"{key}: {value}")
            return
        todo.append((len(lines) + 1, key))
        if empty_when_missing:
            # left empty, so the check reports it as missing, with the FILL-IN note beside it
            lines.append(f"{key}:  # {FILL_IN} {hint}")
        else:
            lines.append(f"{key}: {FILL_IN}  # {hint}")

    title = json.dumps(article.title, ensure_ascii=False) if article.title else None
    add("title", title, "the exact headline, in double quotes", empty_when_missing=True)
    add(
        "outlet",
        yaml_string(article.outlet) if article.outlet else None,
        "the publication's name",
        empty_when_missing=True,
    )
    if len(article.authors) == 1:
        author = yaml_string(article.authors[0])
    elif article.authors:
        author = "[" + ", ".join(yaml_string(a, in_list=True) for a in article.authors) + "]"
    else:
        author = None
    add(
        "author",
        author,
        "a name or [Name, Name]; delete this line if there is no byline",
        empty_when_missing=True,
    )
    add(
        "published",
        article.published.isoformat() if article.published else None,
        "YYYY-MM-DD; if you work the date out, also add a line: date_estimated: true",
    )
    add(
        "url",
        yaml_url(article.url) if article.url else None,
        "the original address (https://...); delete this line only if it is unknown",
    )
    if article.url:
        archived = archive_address(article.url, article.published or today)
        lines.append(f"# archived: {yaml_url(archived)}  # uncomment once the copy exists")
    lines.append(f"accessed: {today.isoformat()}")
    add("kind", kind or None, " | ".join(KINDS))
    lines.append(f"language: {article.language or 'en'}")
    lines.append("---")
    text = "\n".join(lines) + "\n" + "\n\n".join(article.paragraphs) + "\n"
    return text, todo


# ---------------------------------------------------------------- the command


def add_source(
    location: str,
    *,
    content: str = "content",
    source_id: str | None = None,
    url: str | None = None,
    kind: str | None = None,
    dry_run: bool = False,
    timeout: float = 30.0,
    out: TextIO | None = None,
    today: datetime.date | None = None,
) -> Path:
    """Import one article; returns the path written (or that would be, with dry_run)."""
    if url is not None and not is_url(url):
        raise ImportRefused(f"--url must be an http:// or https:// address, not '{url}'")
    if kind is not None and kind not in KINDS:
        raise ImportRefused(f"--kind must be one of {', '.join(KINDS)}")
    if source_id is not None and len(source_id) > sourceid.MAX_ID_LENGTH:
        raise ImportRefused(
            f"--id '{shorten(source_id)}' is {len(source_id)} characters long; use at most"
            f" {sourceid.MAX_ID_LENGTH}",
            code="cli.id-too-long",
        )
    if source_id is not None and not sourceid.ID_PATTERN.match(source_id):
        raise ImportRefused(
            f"--id '{shorten(source_id)}' must use lowercase letters, digits and hyphens only",
            code="cli.id",
        )
    article = read_article(location, timeout)
    if url:
        article.url = url
    if not article.paragraphs:
        raise ImportRefused(f"no article text left in {location} after removing page furniture")
    folder = Path(content) / "sources"
    sources = existing_sources(folder)
    refuse_duplicate(article, sources)
    if source_id is None:
        source_id = sourceid.propose_id(
            outlet=article.outlet,
            url=article.url,
            year=article.published.year if article.published else None,
            title=article.title or article.paragraphs[0],
            taken=set(sources),
            counts=sourceid.word_counts(s.text for s in sources.values()),
        )
    target = folder / f"{source_id}.md"
    if source_id in sources or target.exists():
        where = sources[source_id].path if source_id in sources else target
        raise ImportRefused(f"the id '{source_id}' is taken by {where}; choose another with --id")
    text, todo = render(article, kind or "", today)
    out = out or sys.stdout
    report = sys.stderr if dry_run else out
    if dry_run:
        out.write(text)
    else:
        folder.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    verb = "Would write" if dry_run else "Wrote"
    print(f"{verb} {target} ({len(article.paragraphs)} paragraphs).", file=report)
    if todo:
        print("Fill in these fields (`explainer check` reports them until you do):", file=report)
        for line, key in todo:
            print(f"  {target}:{line}: {key}", file=report)
    if article.dropped:
        print("Dropped as page furniture (put back anything that is article text):", file=report)
        for dropped in article.dropped:
            print(f"  - {dropped}", file=report)
    print(
        "Read the text against the original: it must be the article's words, verbatim.", file=report
    )
    return target
