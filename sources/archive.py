"""The raw archive: original bytes, content-addressed, plus an append-only fetch manifest.

Layout of an archive directory::

    objects/<sha[:2]>/<sha256>   the bytes exactly as served (written atomically)
    manifest.jsonl               one JSON object per fetch attempt, appended, never rewritten

Every fetch appends one row (fetched, unchanged or failed) so the history of each URL can be
read back. Identical bytes are stored once. Objects are written to a temporary file in the same
directory, fsynced and renamed into place, so a crash leaves either the whole object or nothing
under its name. A manifest row is one ``write`` of one line (O_APPEND); a torn last line after a
crash is skipped on reading.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from sources.errors import FetchError
from sources.records import Document, DocumentRef

MANIFEST = "manifest.jsonl"
OBJECTS = "objects"
OUTCOMES = ("fetched", "unchanged", "failed")
ROLES = ("document", "listing")
GOOD_OUTCOMES = ("fetched", "unchanged")


@dataclass(frozen=True)
class ManifestEntry:
    """One fetch of one URL. ``sha256`` is empty for a failed fetch."""

    url: str
    publisher: str
    outcome: str
    retrieved_at: str
    final_url: str = ""
    status: int = 0
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    encoding: str = ""
    published_on: str = ""
    tier: str = ""
    sha256: str = ""
    size: int = 0
    reason: str = ""
    title: str = ""
    found_on: str = ""
    role: str = "document"

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.outcome in GOOD_OUTCOMES and len(self.sha256) != 64:
            raise ValueError(f"a {self.outcome} entry needs the sha256 of its bytes")

    @property
    def good(self) -> bool:
        return self.outcome in GOOD_OUTCOMES

    @classmethod
    def for_document(
        cls, document: Document, *, outcome: str, role: str = "document"
    ) -> ManifestEntry:
        return cls(
            url=document.url,
            publisher=document.publisher,
            outcome=outcome,
            retrieved_at=_iso(document.retrieved_at or now_utc()),
            final_url=document.final_url,
            status=document.status,
            etag=document.etag,
            last_modified=document.last_modified,
            content_type=document.content_type,
            encoding=document.encoding,
            published_on=document.published_on.isoformat() if document.published_on else "",
            tier=document.tier,
            sha256=document.sha256,
            size=len(document.content),
            title=document.title,
            found_on=document.ref.found_on,
            role=role,
        )

    @classmethod
    def failure(cls, ref: DocumentRef, reason: str, *, role: str = "document") -> ManifestEntry:
        return cls(
            url=ref.url,
            publisher=ref.publisher,
            outcome="failed",
            retrieved_at=_iso(now_utc()),
            reason=reason,
            title=ref.title,
            found_on=ref.found_on,
            role=role,
        )


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


_FIELD_NAMES = {f.name for f in fields(ManifestEntry)}


class Archive:
    """Content-addressed bytes plus the fetch manifest of one archive directory."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / OBJECTS).mkdir(exist_ok=True)
        self.manifest_path = self.root / MANIFEST
        self._lock = threading.Lock()
        self._entries: list[ManifestEntry] = []
        self._latest_good: dict[tuple[str, str], ManifestEntry] = {}
        self._offset = 0

    # -- objects -------------------------------------------------------------------------------

    def object_path(self, sha: str) -> Path:
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise FetchError(f"not a sha256: {sha!r}", where=str(self.root))
        return self.root / OBJECTS / sha[:2] / sha

    def store(self, content: bytes) -> tuple[str, bool]:
        """Keep ``content``; return its sha256 and whether it was new to the archive."""
        sha = sha256_of(content)
        path = self.object_path(sha)
        if path.exists():
            return sha, False
        path.parent.mkdir(exist_ok=True)
        _write_atomic(path, content)
        return sha, True

    def has(self, sha: str) -> bool:
        return self.object_path(sha).exists()

    def read(self, sha: str) -> bytes:
        path = self.object_path(sha)
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            raise FetchError(f"object {sha} is not in the archive", where=str(self.root)) from None
        if sha256_of(content) != sha:
            # Bit rot or tampering: never hand back bytes that are not what the manifest names.
            raise FetchError(f"object {sha} is corrupt", where=str(self.root))
        return content

    # -- manifest ------------------------------------------------------------------------------

    def record(self, entry: ManifestEntry) -> None:
        """Append one fetch to the manifest (durable when this returns)."""
        if entry.good and not self.has(entry.sha256):
            raise FetchError(f"recording {entry.url} before its bytes were stored")
        line = (json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) + "\n").encode()
        with self._lock:
            fd = os.open(self.manifest_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                # Another process (a second refresh) may append too: lock the file for the write.
                fcntl.flock(fd, fcntl.LOCK_EX)
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        # Loaded lazily from the file, so a process sees the other writers' rows as well.
        self._refresh()

    def entries(self) -> list[ManifestEntry]:
        self._refresh()
        with self._lock:
            return list(self._entries)

    def latest(self, url: str, role: str | None = None) -> ManifestEntry | None:
        """The last good (fetched or unchanged) entry for ``url``, of ``role`` if given."""
        self._refresh()
        with self._lock:
            roles = (role,) if role else ROLES
            candidates = [self._latest_good.get((url, r)) for r in roles]
        found = [c for c in candidates if c is not None]
        return max(found, key=lambda e: e.retrieved_at) if found else None

    def document(self, entry: ManifestEntry) -> Document:
        """Rebuild the :class:`Document` an entry describes, bytes read from the archive."""
        ref = DocumentRef(
            publisher=entry.publisher,
            url=entry.url,
            title=entry.title,
            published_on=_date(entry.published_on),
            found_on=entry.found_on,
        )
        return Document(
            ref=ref,
            content=self.read(entry.sha256),
            sha256=entry.sha256,
            final_url=entry.final_url or entry.url,
            content_type=entry.content_type,
            encoding=entry.encoding,
            retrieved_at=dt.datetime.fromisoformat(entry.retrieved_at),
            tier=entry.tier,
            published_on=_date(entry.published_on),
            status=entry.status,
            etag=entry.etag,
            last_modified=entry.last_modified,
        )

    def documents(self, role: str = "document") -> list[Document]:
        """The current version of every URL ever fetched in ``role``, in URL order."""
        self._refresh()
        with self._lock:
            current = [e for (url, r), e in self._latest_good.items() if r == role]
        return [self.document(e) for e in sorted(current, key=lambda e: e.url)]

    def __iter__(self) -> Iterator[ManifestEntry]:
        return iter(self.entries())

    def _refresh(self) -> None:
        with self._lock:
            try:
                size = self.manifest_path.stat().st_size
            except FileNotFoundError:
                return
            if size <= self._offset:
                return
            with self.manifest_path.open("rb") as handle:
                handle.seek(self._offset)
                chunk = handle.read(size - self._offset)
            # A torn last line (crash mid-append) has no newline yet: leave it for later.
            complete = chunk[: chunk.rfind(b"\n") + 1]
            self._offset += len(complete)
            for raw in complete.splitlines():
                entry = _parse_line(raw)
                if entry is None:
                    continue
                self._entries.append(entry)
                if entry.good:
                    self._latest_good[(entry.url, entry.role)] = entry


def _parse_line(raw: bytes) -> ManifestEntry | None:
    try:
        data = json.loads(raw)
        return ManifestEntry(**{k: v for k, v in data.items() if k in _FIELD_NAMES})
    except (ValueError, TypeError):
        # Skipped rather than fatal: one damaged row must not hide the rest of the history.
        return None


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _write_atomic(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
