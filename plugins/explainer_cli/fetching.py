"""HTTP for the sources check: add-source's limits (20 MB, redirects to http(s) only), a
User-Agent naming the project, and one request a second to one host, as InternetArchiveBot
does."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import HTTPException
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse
from urllib.request import Request, build_opener

from explainer_cli.importer import MAX_BYTES, HttpOnlyRedirects, ImportRefused


@dataclass
class Answer:
    """What one request got: a status and body, or why there is none."""

    status: int = 0  # the HTTP status; 0 when no answer came
    url: str = ""  # where the redirects ended
    body: bytes = b""
    content_type: str = ""
    validators: dict[str, str] = field(default_factory=dict)  # ETag, Last-Modified
    error: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 and not self.error


class Fetcher:
    """HTTP with add-source's limits (20 MB, redirects to http(s) only) and a pause of
    `delay` seconds between two requests to one host."""

    def __init__(
        self,
        user_agent: str,
        timeout: float,
        delay: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent, self.timeout, self.delay = user_agent, timeout, delay
        self.clock, self.sleep = clock, sleep
        self.last: dict[str, float] = {}  # host -> when its last request ended
        self.hosts_answered: set[str] = set()
        self.hosts_tried: set[str] = set()

    def wait_for(self, host: str) -> None:
        if host in self.last:
            pause = self.last[host] + self.delay - self.clock()
            if pause > 0:
                self.sleep(pause)

    def request(self, url: str, method: str = "GET") -> Answer:
        host = (urlparse(url).netloc or url).lower()
        self.wait_for(host)
        self.hosts_tried.add(host)
        headers = {"User-Agent": self.user_agent, "Accept": "text/html,text/plain;q=0.9,*/*;q=0.5"}
        try:
            with build_opener(HttpOnlyRedirects).open(
                Request(url, headers=headers, method=method), timeout=self.timeout
            ) as response:
                body = response.read(MAX_BYTES + 1) if method == "GET" else b""
                self.hosts_answered.add(host)
                answer = Answer(
                    response.status,
                    response.geturl(),
                    body,
                    response.headers.get("Content-Type", ""),
                    {
                        key: str(response.headers[key])
                        for key in ("ETag", "Last-Modified")
                        if response.headers.get(key)
                    },
                )
                if len(body) > MAX_BYTES:
                    answer.error = f"larger than {MAX_BYTES // 1024 // 1024} MB"
                return answer
        except HTTPError as error:
            self.hosts_answered.add(host)
            return Answer(error.code, error.geturl() or url, error=f"{error.code} {error.reason}")
        except ImportRefused as error:  # a redirect to another scheme
            self.hosts_answered.add(host)
            return Answer(url=url, error=error.message)
        except URLError as error:
            return Answer(url=url, error=str(getattr(error, "reason", error)))
        except (TimeoutError, OSError, HTTPException, ValueError) as error:
            return Answer(url=url, error=str(error) or type(error).__name__)
        finally:
            self.last[host] = self.clock()

    def get(self, url: str) -> bytes:
        """The body of a page that must answer (the CDX server), else OSError."""
        answer = self.request(url)
        if not answer.ok:
            raise OSError(answer.error or f"status {answer.status}")
        return answer.body


def user_agent(settings: dict[str, Any]) -> str:
    """Names the tool and, when the settings give it, the project's repository."""
    repository = settings.get("REPO_URL")
    where = f"+{repository}" if isinstance(repository, str) and repository else "explainer"
    return f"explainer-sources-check/0.1 ({where}; checks that cited articles still exist)"
