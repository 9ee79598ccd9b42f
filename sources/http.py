"""A polite HTTP client for government sites.

* Per-host politeness: a minimum interval between request starts (``rate_limit`` requests/s, or
  robots.txt's Crawl-delay when longer) and a cap on concurrent requests, both thread-safe.
* robots.txt is read once per host and honoured; a missing robots.txt allows everything.
* Retries with exponential backoff and jitter on timeouts, connection errors, 429 and 5xx,
  honouring Retry-After; other 4xx fail at once.
* Only hosts some publisher declares are contacted; redirects are followed by hand so that every
  hop is checked again.
* Bodies are streamed under a size cap and a wall-clock deadline; truncated bodies, WAF pages and
  soft 404s served with status 200 are errors, never documents.
* With a simulator configured (``IPBENCH_SIMULATOR``), ``https://HOST/PATH`` is sent to
  ``SIMULATOR/HOST/PATH``: the logical URL stays the document's URL.
"""

from __future__ import annotations

import email.utils
import os
import random
import threading
import time
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
import tenacity
import urllib3

from sources import config
from sources.errors import FetchError
from sources.waf import detect_interstitial

PROJECT_AGENT = "yrd-ipbench"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class HostPolicy:
    """Politeness towards one host: requests per second (0 = unlimited) and concurrent requests."""

    rate_limit: float = 1.0
    max_concurrency: int = 1


@dataclass(frozen=True)
class ClientSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # Wall-clock limit for one request from connect to last byte: a slow-drip body fails here.
    deadline: float = 120.0
    max_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 5
    attempts: int = 4
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    respect_robots: bool = True
    # False only for benchmarks and tests: no rate limit (concurrency caps still hold).
    politeness: bool = True
    default_policy: HostPolicy = field(default_factory=HostPolicy)


@dataclass(frozen=True)
class HttpResponse:
    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    via_simulator: bool = False

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class HttpStatusError(FetchError):
    """The server answered with a status that is not worth retrying (4xx other than 429)."""

    def __init__(self, status: int, *, where: str = "") -> None:
        super().__init__(f"HTTP {status}", where=where)
        self.status = status


class _Retryable(FetchError):
    def __init__(self, message: str, *, where: str = "", retry_after: float = 0.0) -> None:
        super().__init__(message, where=where)
        self.retry_after = retry_after


def user_agent() -> str:
    contact = os.environ.get("IPBENCH_CONTACT") or "contact not configured"
    return f"{PROJECT_AGENT}/0.1 (Yangtze-Delta IP statistics benchmark; {contact})"


class _HostGate:
    """Spacing between request starts and a concurrency cap for one host."""

    def __init__(self, policy: HostPolicy, politeness: bool) -> None:
        rate = policy.rate_limit if politeness else 0.0
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._slots = threading.BoundedSemaphore(max(1, policy.max_concurrency))
        self._lock = threading.Lock()
        self._next_start = 0.0

    def slow_down(self, interval: float) -> None:
        with self._lock:
            self.interval = max(self.interval, interval)

    @contextmanager
    def turn(self):
        with self._slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                self._next_start = start + self.interval
            if start > now:
                time.sleep(start - now)
            yield


class HttpClient:
    """Thread-safe polite client; one instance per refresh (robots.txt is cached per instance)."""

    def __init__(
        self,
        *,
        allowed_hosts: Iterable[str],
        policies: Mapping[str, HostPolicy] | None = None,
        settings: ClientSettings | None = None,
        simulator: str | None = None,
    ) -> None:
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        self.policies = dict(policies or {})
        self.settings = settings or ClientSettings()
        self.simulator = (simulator or "").rstrip("/") or None
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, RobotFileParser] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._local = threading.local()

    @classmethod
    def for_publishers(
        cls,
        modules: Iterable[ModuleType],
        *,
        settings: ClientSettings | None = None,
        simulator: str | None = None,
    ) -> HttpClient:
        """Allowlist and per-host politeness from the publishers' declarations."""
        policies: dict[str, HostPolicy] = {}
        override = config.rate_limit_override()
        for module in modules:
            pub = module.PUBLISHER
            for host in pub.hosts:
                policies[host.lower()] = HostPolicy(override or pub.rate_limit, pub.max_concurrency)
        return cls(
            allowed_hosts=policies,
            policies=policies,
            settings=settings,
            simulator=simulator if simulator is not None else config.simulator_url(),
        )

    # -- public ----------------------------------------------------------------------------------

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> HttpResponse:
        """GET ``url`` (logical), following redirects; 304 when the validators still match."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, check_robots=self.settings.respect_robots, document=True)

    def close(self) -> None:
        session = getattr(self._local, "session", None)
        if session is not None:
            session.close()

    # -- redirects, allowlist, robots ------------------------------------------------------------

    def _get(
        self, url: str, headers: dict[str, str], *, check_robots: bool, document: bool
    ) -> HttpResponse:
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            host = self._check_allowed(current, origin=url)
            if check_robots:
                self._check_robots(current, host)
            response = self._with_retries(current, host, headers, document=document)
            if response.status not in REDIRECT_STATUSES:
                return HttpResponse(
                    url=url,
                    final_url=current,
                    status=response.status,
                    headers=response.headers,
                    content=response.content,
                    via_simulator=self.simulator is not None,
                )
            location = response.header("location")
            if not location:
                raise FetchError(f"HTTP {response.status} without a Location", where=current)
            current = urljoin(current, location)
            # Validators belong to the first URL; a moved document is fetched whole.
            headers = {}
        raise FetchError(f"more than {self.settings.max_redirects} redirects", where=url)

    def _check_allowed(self, url: str, *, origin: str) -> str:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            raise FetchError(f"not an http(s) URL: {url}", where=origin)
        if host not in self.allowed_hosts:
            what = "redirect to undeclared host" if url != origin else "undeclared host"
            raise FetchError(f"{what} {host} (not in any publisher's hosts)", where=origin)
        return host

    def _check_robots(self, url: str, host: str) -> None:
        parser = self._robots_for(url, host)
        if not parser.can_fetch(PROJECT_AGENT, url):
            raise FetchError("disallowed by robots.txt", where=url)

    def _robots_for(self, url: str, host: str) -> RobotFileParser:
        with self._lock:
            lock = self._robots_locks.setdefault(host, threading.Lock())
        with lock:
            if host in self._robots:
                return self._robots[host]
            parts = urlsplit(url)
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            parser = RobotFileParser(robots_url)
            try:
                response = self._get(robots_url, {}, check_robots=False, document=False)
            except HttpStatusError:
                # 4xx: there is no robots.txt, so everything is allowed.
                parser.parse([])
            except FetchError as err:
                # Unreachable robots.txt (5xx, network): RFC 9309 says assume full disallow.
                raise FetchError(f"robots.txt unavailable ({err.message})", where=url) from None
            else:
                text = response.content.decode("utf-8", errors="replace")
                parser.parse(text.splitlines())
                delay = parser.crawl_delay(PROJECT_AGENT)
                if delay:
                    self._gate(host).slow_down(float(delay))
            self._robots[host] = parser
            return parser

    # -- one request, retried ------------------------------------------------------------------

    def _gate(self, host: str) -> _HostGate:
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                policy = self.policies.get(host, self.settings.default_policy)
                gate = self._gates[host] = _HostGate(policy, self.settings.politeness)
            return gate

    def _with_retries(
        self, url: str, host: str, headers: dict[str, str], *, document: bool
    ) -> HttpResponse:
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(max(1, self.settings.attempts)),
            wait=self._wait,
            retry=tenacity.retry_if_exception_type(_Retryable),
            reraise=True,
        )
        try:
            return retrying(self._attempt, url, host, headers, document)
        except _Retryable as err:
            attempts = self.settings.attempts
            raise FetchError(
                f"{err.message} (gave up after {attempts} attempts)", where=url
            ) from None

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", 0.0)
        s = self.settings
        backoff = min(s.backoff_max, s.backoff_initial * 2 ** (state.attempt_number - 1))
        # Full jitter keeps several clients from retrying in lockstep.
        return max(retry_after, random.uniform(backoff / 2, backoff))

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers.update({"User-Agent": user_agent(), "Accept-Encoding": "gzip"})
        return session

    def _physical(self, url: str) -> str:
        if not self.simulator:
            return url
        parts = urlsplit(url)
        query = f"?{parts.query}" if parts.query else ""
        return f"{self.simulator}/{parts.netloc}{parts.path or '/'}{query}"

    def _attempt(
        self, url: str, host: str, headers: dict[str, str], document: bool
    ) -> HttpResponse:
        s = self.settings
        with self._gate(host).turn():
            started = time.monotonic()
            try:
                raw = self._session().get(
                    self._physical(url),
                    headers=headers,
                    stream=True,
                    allow_redirects=False,
                    timeout=(s.connect_timeout, s.read_timeout),
                )
            except requests.Timeout:
                raise _Retryable("timed out", where=url) from None
            except requests.RequestException as err:
                raise _Retryable(f"connection failed: {type(err).__name__}", where=url) from None
            with raw:
                heads = {k.lower(): v for k, v in raw.headers.items()}
                status = raw.status_code
                if status == 429 or status >= 500:
                    retry_after = _retry_after(heads.get("retry-after", ""))
                    if retry_after > s.backoff_max:
                        raise FetchError(
                            f"HTTP {status}, asked to retry after {retry_after:.0f}s", where=url
                        )
                    raise _Retryable(f"HTTP {status}", where=url, retry_after=retry_after)
                if status >= 400:
                    raise HttpStatusError(status, where=url)
                if status == 304 or status in REDIRECT_STATUSES:
                    return HttpResponse(url, url, status, heads, b"")
                if status != 200:
                    raise FetchError(f"unexpected HTTP {status}", where=url)
                content = self._read_body(raw, heads, url, started)
        if document:
            reason = detect_interstitial(content)
            if reason:
                raise FetchError(reason, where=url)
        return HttpResponse(url, url, status, heads, content)

    def _read_body(
        self, raw: requests.Response, heads: Mapping[str, str], url: str, started: float
    ) -> bytes:
        s = self.settings
        declared = _int(heads.get("content-length", ""))
        if declared is not None and declared > s.max_bytes:
            raise FetchError(
                f"body of {declared} bytes exceeds the {s.max_bytes}-byte cap", where=url
            )
        chunks: list[bytes] = []
        total = 0
        while True:
            if time.monotonic() - started > s.deadline:
                raise FetchError(f"deadline of {s.deadline:g}s exceeded (slow body)", where=url)
            try:
                # read1 returns what one socket read gives, so a drip cannot block the deadline.
                chunk = raw.raw.read1(_CHUNK, decode_content=True)
            except urllib3.exceptions.ReadTimeoutError:
                raise _Retryable("timed out reading the body", where=url) from None
            except urllib3.exceptions.ProtocolError as err:
                raise FetchError(f"truncated body ({_short(err)})", where=url) from None
            except (urllib3.exceptions.HTTPError, OSError) as err:
                raise _Retryable(f"body read failed ({_short(err)})", where=url) from None
            if not chunk:
                break
            total += len(chunk)
            if total > s.max_bytes:
                raise FetchError(f"body exceeds the {s.max_bytes}-byte cap", where=url)
            chunks.append(chunk)
        wire = raw.raw.tell()
        if declared is not None and wire != declared:
            raise FetchError(f"truncated body: {wire} of {declared} bytes", where=url)
        return b"".join(chunks)


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _retry_after(value: str) -> float:
    if not value:
        return 0.0
    if value.strip().isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, moment.timestamp() - time.time())


def _short(err: BaseException) -> str:
    text = str(err)
    return text if len(text) <= 120 else text[:117] + "..."
