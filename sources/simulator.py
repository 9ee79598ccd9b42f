"""A loopback stand-in for the publishers' sites: the sample tree served at real URL paths, with faults.

Routing: ``https://HOST/PATH?Q`` is served at ``http://127.0.0.1:PORT/HOST/PATH?Q`` (the client
adds the host as the first path segment when ``IPBENCH_SIMULATOR`` is set). Redirects carry real
``https://HOST/...`` URLs so that the client routes them again. Responses carry an ETag (sha256),
Last-Modified, ``X-Ipbench-Tier`` and ``X-Ipbench-Published-On`` from ``manifest.csv``, and answer
conditional requests with 304. Each host's ``robots.txt`` is ``site/HOST/robots.txt`` (404 when
absent).

Faults (``--fault NAME[:GLOB[:COUNT]]``, or ``POST /_sim/faults`` with a JSON list of
``{"name", "glob", "count"}``) apply to request paths ``/HOST/PATH`` matching GLOB, for the first
COUNT matching requests (all when omitted); robots.txt is exempt unless the glob names it.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import ipaddress
import json
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from sources import config
from sources.errors import ConfigError, FetchError
from sources.simulator_faults import (
    FAULTS,
    HUGE_BYTES,
    MOVED_PREFIX,
    OFFSITE_HOST,
    WAF_PAGE,
    ZEROS,
    Fault,
    SimSettings,
    as_gbk,
    build_zipbomb,
)
from sources.transport import (
    PUBLISHED_HEADER,
    TIER_HEADER,
    content_type_for,
    read_sample_manifest,
    url_to_sample_path,
)


@dataclass(frozen=True)
class Hit:
    at: float  # time.monotonic() on arrival
    host: str
    path: str
    conditional: bool
    agent: str


class _State:
    def __init__(self, root: Path, faults: list[Fault], settings: SimSettings) -> None:
        self.root = root
        self.site = root
        self._manifest_path = root.parent / "manifest.csv"
        self._manifest_mtime = -1.0
        self._manifest: dict = {}
        self.settings = settings
        self.faults = faults
        self.hits: deque[Hit] = deque(maxlen=100_000)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self._zipbomb: bytes | None = None
        self.in_flight: dict[str, int] = {}
        self.peak_in_flight: dict[str, int] = {}

    @property
    def manifest(self) -> dict:
        """The sample manifest, read again when it changes (a demo may add documents live)."""
        try:
            mtime = self._manifest_path.stat().st_mtime
        except OSError:
            return {}
        with self.lock:
            if mtime != self._manifest_mtime:
                self._manifest = read_sample_manifest(self._manifest_path)
                self._manifest_mtime = mtime
            return self._manifest

    def enter(self, host: str) -> None:
        with self.lock:
            self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.peak_in_flight[host] = max(self.peak_in_flight.get(host, 0), self.in_flight[host])

    def leave(self, host: str) -> None:
        with self.lock:
            self.in_flight[host] -= 1

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(path) and (fault.count is None or fault.count > 0):
                    if fault.count is not None:
                        fault.count -= 1
                    return fault
        return None

    def zipbomb(self) -> bytes:
        with self.lock:
            if self._zipbomb is None:
                self._zipbomb = build_zipbomb(self.settings.zipbomb_bytes)
            return self._zipbomb


class _Handler(BaseHTTPRequestHandler):
    server_version = "ipbench-simulator"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms.
    disable_nagle_algorithm = True
    state: _State

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's signature
        pass

    # -- control endpoint -------------------------------------------------------------------------

    def do_POST(self) -> None:
        if self.path != "/_sim/faults":
            return self._plain(404, "not found")
        length = int(self.headers.get("Content-Length") or 0)
        try:
            specs = json.loads(self.rfile.read(min(length, 65536)) or b"[]")
            faults = [Fault(**spec) for spec in specs]
        except (ValueError, TypeError, ConfigError) as err:
            return self._plain(400, f"bad faults: {err}")
        with self.state.lock:
            self.state.faults = faults
        self._json([asdict(f) for f in faults])

    def do_DELETE(self) -> None:
        if self.path != "/_sim/faults":
            return self._plain(404, "not found")
        with self.state.lock:
            self.state.faults = []
        self._json([])

    # -- documents --------------------------------------------------------------------------------

    def do_GET(self) -> None:
        try:
            self._get()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True  # the client gave up (cap, deadline): nothing to do

    def _get(self) -> None:
        state = self.state
        if self.path.startswith("/_sim/"):
            with state.lock:
                body = [asdict(f) for f in state.faults]
            return self._json(body)
        parts = urlsplit(self.path)
        host, _, rest = parts.path.lstrip("/").partition("/")
        conditional = bool(
            self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")
        )
        agent = self.headers.get("User-Agent", "")
        state.hits.append(Hit(time.monotonic(), host, self.path, conditional, agent))
        state.enter(host)
        try:
            self._answer(parts, host, "/" + rest)
        finally:
            state.leave(host)

    def _answer(self, parts, host: str, path: str) -> None:
        state = self.state
        if state.settings.latency:
            state.stop.wait(state.settings.latency)
        fault = state.take_fault(parts.path)
        moved = path.startswith(MOVED_PREFIX + "/")
        if moved:
            path = path[len(MOVED_PREFIX) :]
        query = f"?{parts.query}" if parts.query else ""
        logical = f"https://{host}{path}{query}"
        name = fault.name if fault else ""
        if name == "timeout":
            state.stop.wait(state.settings.hang_seconds)
            self.close_connection = True
            return
        if name in ("500", "503", "429"):
            extra = {} if name == "500" else {"Retry-After": str(state.settings.retry_after)}
            return self._plain(int(name), f"simulated HTTP {name}", extra)
        if name == "redirect_loop":
            return self._redirect(302, logical)
        if name == "offsite_redirect":
            return self._redirect(302, f"https://{OFFSITE_HOST}{path}{query}")
        if name == "moved" and not moved:
            return self._redirect(301, f"https://{host}{MOVED_PREFIX}{path}{query}")
        if name == "waf":
            return self._send(200, WAF_PAGE, "text/html; charset=utf-8")
        if name in ("huge", "huge_undeclared"):
            return self._stream_zeros(declared=name == "huge")
        if name == "zipbomb":
            ctype = content_type_for("bomb.xlsx")
            return self._send(200, state.zipbomb(), ctype)
        try:
            relative = url_to_sample_path(logical)
        except FetchError:
            return self._plain(400, "bad path")
        file = state.site / relative
        if path == "/robots.txt" and not file.is_file():
            return self._plain(404, "no robots.txt")
        if not file.is_file():
            return self._plain(404, "页面不存在")
        self._document(file, relative, fault)

    def _document(self, file: Path, relative: PurePosixPath, fault: Fault | None) -> None:
        content = file.read_bytes()
        ctype = content_type_for(relative)
        if fault and fault.name == "wrong_charset":
            content = as_gbk(content)
            ctype = f"{ctype}; charset=utf-8"
        etag = f'"{hashlib.sha256(content).hexdigest()}"'
        mtime = int(file.stat().st_mtime)
        headers = {"ETag": etag, "Last-Modified": email.utils.formatdate(mtime, usegmt=True)}
        entry = self.state.manifest.get(relative)
        headers[TIER_HEADER] = entry.tier if entry else "sample"
        if entry and entry.published_on:
            headers[PUBLISHED_HEADER] = entry.published_on.isoformat()
        # A body fault stands for a changed document being served, so it is never a 304.
        if fault is None and _not_modified(self.headers, etag, mtime):
            return self._send(304, b"", ctype, headers)
        if fault and fault.name == "truncated":
            headers["Content-Length"] = str(len(content) + 1000)
            self.close_connection = True
        if fault and fault.name == "slow":
            return self._drip(content, ctype, headers)
        self._send(200, content, ctype, headers)

    # -- responses ------------------------------------------------------------------------------

    def _send(
        self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        headers = dict(headers or {})
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if status != 304:
            self.send_header("Content-Length", headers.pop("Content-Length", str(len(body))))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def _plain(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        body = f"<html><head><title>{status} {text}</title></head><body>{text}</body></html>"
        self._send(status, body.encode(), "text/html; charset=utf-8", headers)

    def _json(self, payload: object) -> None:
        self._send(200, json.dumps(payload).encode(), "application/json")

    def _redirect(self, status: int, location: str) -> None:
        self._send(status, b"", "text/html", {"Location": location})

    def _drip(self, content: bytes, ctype: str, headers: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(content)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        for i in range(len(content)):  # bounded by the body; stops early on shutdown
            if self.state.stop.wait(self.state.settings.drip_interval):
                break
            self.wfile.write(content[i : i + 1])
            self.wfile.flush()
        self.close_connection = True

    def _stream_zeros(self, *, declared: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if declared:
            self.send_header("Content-Length", str(HUGE_BYTES))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for _ in range(HUGE_BYTES // len(ZEROS)):  # bounded; the client aborts long before
            if self.state.stop.is_set():
                break
            self.wfile.write(ZEROS)


def _not_modified(headers, etag: str, mtime: int) -> bool:
    if_none_match = headers.get("If-None-Match")
    if if_none_match:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    since = headers.get("If-Modified-Since")
    if since:
        try:
            return mtime <= email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


class Simulator:
    """A running simulator: ``url`` to route the client to, ``stop()`` to shut it down."""

    def __init__(self, httpd: ThreadingHTTPServer, state: _State) -> None:
        self._httpd = httpd
        self._state = state
        host, port = httpd.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=httpd.serve_forever, args=(0.1,), daemon=True)
        self._timer: threading.Timer | None = None
        self._stopped = threading.Event()

    def start(self) -> Simulator:
        self._thread.start()
        lifetime = self._state.settings.lifetime
        if lifetime:
            self._timer = threading.Timer(lifetime, self.stop)
            self._timer.daemon = True
            self._timer.start()
        return self

    def stop(self) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._state.stop.set()
        if self._timer is not None:
            self._timer.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def set_faults(self, faults: list[Fault | str]) -> None:
        parsed = [f if isinstance(f, Fault) else Fault.parse(f) for f in faults]
        with self._state.lock:
            self._state.faults = parsed

    def hits(self, host: str | None = None) -> list[Hit]:
        with self._state.lock:
            return [h for h in list(self._state.hits) if host is None or h.host == host]

    def clear_hits(self) -> None:
        with self._state.lock:
            self._state.hits.clear()
            self._state.peak_in_flight.clear()

    def peak_in_flight(self, host: str) -> int:
        """The most requests for ``host`` the simulator was answering at once."""
        with self._state.lock:
            return self._state.peak_in_flight.get(host, 0)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the simulator stops (or ``timeout``); True when it has stopped."""
        return self._stopped.wait(timeout)

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(
    root: Path | None = None,
    port: int = 0,
    faults: list[Fault | str] = (),
    host: str = "127.0.0.1",
    settings: SimSettings | None = None,
) -> Simulator:
    """Start the simulator in a background thread; ``port=0`` picks a free port."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ConfigError(f"the simulator binds loopback addresses only, not {host!r}")
    root = Path(root) if root is not None else config.SAMPLE_DIR / "site"
    if not root.is_dir():
        raise ConfigError(f"no sample site tree at {root}")
    parsed = [f if isinstance(f, Fault) else Fault.parse(f) for f in faults]
    state = _State(root, parsed, settings or SimSettings())
    handler = type("SimHandler", (_Handler,), {"state": state})
    httpd = ThreadingHTTPServer((host, port), handler)
    httpd.daemon_threads = True
    return Simulator(httpd, state).start()


def main(argv: list[str] | None = None) -> None:
    """``ipbench simulate [--port N] [--fault NAME[:GLOB[:COUNT]]] [--lifetime S]``."""
    parser = argparse.ArgumentParser(prog="ipbench simulate", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fault", action="append", default=[], help=", ".join(FAULTS))
    parser.add_argument("--root", type=Path, default=None, help="site tree (default: sample)")
    parser.add_argument("--lifetime", type=float, default=3600.0, help="stop after S seconds")
    args = parser.parse_args(argv)
    simulator = serve(
        args.root, args.port, args.fault, settings=SimSettings(lifetime=args.lifetime)
    )
    print(f"simulator at {simulator.url}; set IPBENCH_SIMULATOR={simulator.url}")
    try:
        simulator.wait(args.lifetime)
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()


if __name__ == "__main__":
    main()
