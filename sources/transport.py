"""Where documents come from: the bundled sample tree, the live sites, or a previous archive.

Every transport turns a :class:`DocumentRef` into a :class:`Document` or raises
:class:`FetchError`; archiving is the caller's job (``sources.acquire``).

Sample tree convention (shared with the simulator and the sample authors): the document served at
``https://HOST/PATH`` lives at ``site/HOST/PATH``; a path ending in ``/`` maps to ``index.html``;
a query string becomes a ``@query`` suffix (``/column/123?pageIndex=2`` → ``column/123@pageIndex=2``).
``manifest.csv`` beside ``site/`` lists every sample document: ``url,tier,published_on,title,note``.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import mimetypes
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urlsplit

from sources import config
from sources.archive import Archive, now_utc, sha256_of
from sources.errors import ConfigError, FetchError, ParseError
from sources.records import TIERS, Document, DocumentRef

if TYPE_CHECKING:
    from sources.http import HttpClient

MODES = ("sample", "live", "replay")
TIER_HEADER = "X-Ipbench-Tier"
PUBLISHED_HEADER = "X-Ipbench-Published-On"
_TEXT_TYPES = ("text/html", "text/plain", "application/xhtml+xml", "text/xml", "application/xml")
_EXTRA_TYPES = {
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".pdf": "application/pdf",
    ".htm": "text/html",
    ".html": "text/html",
    ".shtml": "text/html",
    ".jsp": "text/html",
    ".txt": "text/plain",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


# -- the sample-tree mapping (used by the sample transport, the simulator and the tests) --------


def url_to_sample_path(url: str) -> PurePosixPath:
    """``https://HOST/a/b?x=1`` → ``HOST/a/b@x=1``; raises FetchError for unsafe URLs."""
    parts = urlsplit(url)
    host = (parts.netloc or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise FetchError(f"not an http(s) URL: {url!r}")
    path = parts.path or "/"
    if path.endswith("/"):
        path += "index.html"
    # Percent-decoded, so that a link written in Chinese and its encoded request agree.
    segments = [unquote(s) for s in path.split("/") if s]
    unsafe = any(s in (".", "..") or "/" in s or "\\" in s for s in segments)
    if unsafe or "/" in host or host.startswith("."):
        raise FetchError(f"refusing a URL that escapes the sample tree: {url!r}")
    if parts.query:
        segments[-1] += "@" + parts.query.replace("/", "%2F")
    return PurePosixPath(host, *segments)


def sample_path_to_url(relative: PurePosixPath | str, scheme: str = "https") -> str:
    """Inverse of :func:`url_to_sample_path` (``index.html`` stays explicit)."""
    parts = PurePosixPath(relative).parts
    if len(parts) < 2:
        raise FetchError(f"not a sample document path: {relative}")
    host, *segments = parts
    name, _, query = segments[-1].partition("@")
    path = "/".join([*segments[:-1], name])
    return f"{scheme}://{host}/{path}" + (f"?{query}" if query else "")


def content_type_for(relative: PurePosixPath | str) -> str:
    """Content type by extension; extensionless paths are CMS pages, i.e. HTML."""
    name = PurePosixPath(relative).name.partition("@")[0]
    suffix = PurePosixPath(name).suffix.lower()
    if not suffix:
        return "text/html"
    return _EXTRA_TYPES.get(suffix) or mimetypes.types_map.get(suffix, "application/octet-stream")


@dataclass(frozen=True)
class SampleEntry:
    url: str
    tier: str
    published_on: dt.date | None
    title: str
    note: str = ""


def read_sample_manifest(path: Path) -> dict[PurePosixPath, SampleEntry]:
    """``manifest.csv`` keyed by sample path (so http/https and ``/`` vs ``index.html`` agree)."""
    if not path.exists():
        return {}
    entries: dict[PurePosixPath, SampleEntry] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.name}:{line}"
            tier = (row.get("tier") or "").strip()
            if tier not in TIERS:
                raise ConfigError(f"tier {tier!r} is not one of {TIERS}", where=where)
            try:
                published = (row.get("published_on") or "").strip()
                entry = SampleEntry(
                    url=row["url"].strip(),
                    tier=tier,
                    published_on=dt.date.fromisoformat(published) if published else None,
                    title=(row.get("title") or "").strip(),
                    note=(row.get("note") or "").strip(),
                )
                key = url_to_sample_path(entry.url)
            except (KeyError, ValueError, FetchError) as err:
                raise ConfigError(f"bad sample manifest row: {err}", where=where) from None
            if key in entries:
                raise ConfigError(f"{entry.url} listed twice", where=where)
            entries[key] = entry
    return entries


def detect_encoding(content: bytes, content_type: str) -> str:
    """The text encoding of an HTML/text document; empty for binary formats or undecodable text."""
    if not content_type.split(";")[0].strip().lower().startswith(_TEXT_TYPES):
        return ""
    declared = _declared_charset(content_type, content)
    try:
        from sources.extract.encoding import decode_html
    except ImportError:
        return _fallback_encoding(content, declared)
    try:
        return decode_html(content, declared)[1]
    except ParseError:
        # Undecodable text is still archived as served; the parser reports it with the document.
        return ""


def _declared_charset(content_type: str, content: bytes) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    match = _META_CHARSET.search(content[:4096])
    return match.group(1).decode("ascii") if match else None


def _fallback_encoding(content: bytes, declared: str | None) -> str:
    # Minimal stand-in until sources.extract.encoding is available: strict decodes, GB18030
    # being the superset of GB2312/GBK that government pages declare.
    wanted = (declared or "").lower()
    if wanted in ("gb2312", "gbk", "gb_2312-80"):
        wanted = "gb18030"
    for name in dict.fromkeys(n for n in (wanted, "utf-8", "gb18030") if n):
        try:
            content.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        return name
    return ""


# -- transports -------------------------------------------------------------------------------


class Transport(Protocol):
    def get(self, ref: DocumentRef) -> Document: ...


class SampleTransport:
    """The bundled sample tree: offline, deterministic bytes."""

    def __init__(self, root: Path = config.SAMPLE_DIR) -> None:
        self.root = Path(root)
        self.site = self.root / "site"
        self.manifest = read_sample_manifest(self.root / "manifest.csv")

    def get(self, ref: DocumentRef) -> Document:
        relative = url_to_sample_path(ref.url)
        path = self.site / relative
        if not path.is_file():
            raise FetchError("HTTP 404 (not in the sample archive)", where=ref.url)
        content = path.read_bytes()
        entry = self.manifest.get(relative)
        content_type = content_type_for(relative)
        if not ref.title and entry and entry.title:
            ref = dataclasses.replace(ref, title=entry.title)
        return Document(
            ref=ref,
            content=content,
            sha256=sha256_of(content),
            final_url=ref.url,
            content_type=content_type,
            encoding=detect_encoding(content, content_type),
            retrieved_at=now_utc(),
            # A file the manifest does not list cannot vouch for itself: it is sample data.
            tier=entry.tier if entry else "sample",
            published_on=(entry.published_on if entry else None) or ref.published_on,
        )


class LiveTransport:
    """The publishers' sites (or the simulator standing in for them) through the polite client."""

    def __init__(self, client: HttpClient, archive: Archive, tiers: Mapping[str, str]) -> None:
        self.client = client
        self.archive = archive
        self.tiers = dict(tiers)

    def get(self, ref: DocumentRef) -> Document:
        previous = self.archive.latest(ref.url)
        if previous is not None and not self.archive.has(previous.sha256):
            previous = None
        response = self.client.get(
            ref.url,
            etag=previous.etag if previous else "",
            last_modified=previous.last_modified if previous else "",
        )
        if response.status == 304:
            if previous is None:
                raise FetchError("HTTP 304 without a previous version to keep", where=ref.url)
            kept = self.archive.document(previous)
            return dataclasses.replace(
                kept, ref=_merge_ref(ref, kept.ref), retrieved_at=now_utc(), status=304
            )
        content_type = response.header("content-type") or content_type_for(
            url_to_sample_path(response.final_url)
        )
        tier = self.tiers.get(ref.publisher, "official")
        published_on = ref.published_on
        if response.via_simulator:
            # Only the simulator may speak for a document's tier: invented sample documents
            # stay tier sample end to end, whatever their publisher's tier is.
            tier = response.header(TIER_HEADER) or tier
            published_on = _date(response.header(PUBLISHED_HEADER)) or published_on
        if tier not in TIERS:
            raise FetchError(f"unknown tier {tier!r} in the response", where=ref.url)
        return Document(
            ref=ref,
            content=response.content,
            sha256=sha256_of(response.content),
            final_url=response.final_url,
            content_type=content_type,
            encoding=detect_encoding(response.content, content_type),
            retrieved_at=now_utc(),
            tier=tier,
            published_on=published_on,
            status=response.status,
            etag=response.header("etag"),
            last_modified=response.header("last-modified"),
        )


class ReplayTransport:
    """A previous archive: no network at all."""

    def __init__(self, source: Archive) -> None:
        self.source = source

    def get(self, ref: DocumentRef) -> Document:
        entry = self.source.latest(ref.url)
        if entry is None:
            raise FetchError("not in the replay archive", where=ref.url)
        kept = self.source.document(entry)
        return dataclasses.replace(kept, ref=_merge_ref(ref, kept.ref))


def make_transport(
    mode: str,
    *,
    archive: Archive | None = None,
    replay_from: Path | None = None,
    sample_root: Path | None = None,
    client: HttpClient | None = None,
    modules: Iterable[ModuleType] | None = None,
) -> Transport:
    """The transport for ``mode``: ``sample`` (default data), ``live`` or ``replay``."""
    if mode == "sample":
        return SampleTransport(sample_root or config.SAMPLE_DIR)
    if mode == "replay":
        if replay_from is not None:
            if not (Path(replay_from) / "manifest.jsonl").exists():
                raise ConfigError(f"no archive manifest in {replay_from}")
            return ReplayTransport(Archive(replay_from))
        if archive is None:
            raise ConfigError("replay needs an archive directory")
        return ReplayTransport(archive)
    if mode == "live":
        if archive is None:
            raise ConfigError("live mode needs the archive (for conditional requests)")
        if modules is None:
            from sources.publishers import all_publishers

            modules = all_publishers()
        modules = list(modules)
        if client is None:
            from sources.http import HttpClient

            client = HttpClient.for_publishers(modules)
        tiers = {m.PUBLISHER.name: m.PUBLISHER.tier for m in modules}
        return LiveTransport(client, archive, tiers)
    raise ConfigError(f"unknown mode {mode!r} (one of {', '.join(MODES)})")


def _merge_ref(asked: DocumentRef, kept: DocumentRef) -> DocumentRef:
    # The caller's ref is the fresher description; fill its gaps from the archived one.
    return DocumentRef(
        publisher=asked.publisher,
        url=asked.url,
        title=asked.title or kept.title,
        published_on=asked.published_on or kept.published_on,
        found_on=asked.found_on or kept.found_on,
    )


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None
