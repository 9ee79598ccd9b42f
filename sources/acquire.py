"""Acquire one publisher's documents: discover, fetch, archive; keep the last good version on failure.

``discover`` walks the publisher's listing pages through a ``fetch`` that archives each page (role
``listing``) so that a replay can walk them again offline. Every discovered document is then
fetched and archived (role ``document``). A fetch that fails leaves the previous good version of
that URL in force: it is returned among the documents, its URL listed in ``stale``, and the failure
is reported. A publisher whose discovery fails keeps all its previous documents.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import ModuleType

from sources.archive import Archive, ManifestEntry
from sources.errors import FetchError, IpbenchError
from sources.progress import NullProgress, Progress
from sources.records import Document, DocumentRef
from sources.safety import check_zip_safety
from sources.transport import Transport

_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FetchFailure:
    publisher: str
    url: str
    reason: str
    # True when the previous good version of the URL is returned in its place.
    kept_previous: bool = False


@dataclass(frozen=True)
class AcquireStats:
    documents_seen: int = 0
    documents_fetched: int = 0
    documents_unchanged: int = 0
    documents_failed: int = 0
    bytes_downloaded: int = 0

    def __add__(self, other: AcquireStats) -> AcquireStats:
        return AcquireStats(
            *(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__)
        )


@dataclass
class AcquireResult:
    documents: list[Document] = field(default_factory=list)
    failures: list[FetchFailure] = field(default_factory=list)
    stats: AcquireStats = field(default_factory=AcquireStats)
    # URLs whose document in ``documents`` is the previous version, kept because the fetch failed.
    stale: set[str] = field(default_factory=set)

    def extend(self, other: AcquireResult) -> None:
        self.documents.extend(other.documents)
        self.failures.extend(other.failures)
        self.stats = self.stats + other.stats
        self.stale |= other.stale


class _Run:
    """The state of acquiring one publisher; ``fetch`` is safe to call from worker threads."""

    def __init__(self, module: ModuleType, transport: Transport, archive: Archive) -> None:
        self.publisher = module.PUBLISHER.name
        self.transport = transport
        self.archive = archive
        self.result = AcquireResult()
        self.listings: dict[str, Document] = {}
        self._lock = threading.Lock()
        self._counts = {"fetched": 0, "unchanged": 0, "failed": 0, "bytes": 0}

    def fetch_listing(self, url: str) -> Document:
        """The ``fetch`` handed to ``discover``: raises FetchError, which the publisher may catch."""
        ref = DocumentRef(publisher=self.publisher, url=url)
        document = self._get(ref, role="listing")
        with self._lock:
            self.listings[url] = document
        return document

    def fetch_document(self, ref: DocumentRef) -> None:
        with self._lock:
            listing = self.listings.get(ref.url)
        try:
            document = self._get(ref, role="document", already=listing)
        except FetchError:
            self._keep_previous(ref.url)
            return
        with self._lock:
            self.result.documents.append(document)

    def keep_all_previous(self, fetched: set[str]) -> None:
        for document in self.archive.documents():
            if document.publisher == self.publisher and document.url not in fetched:
                with self._lock:
                    self.result.documents.append(document)
                    self.result.stale.add(document.url)

    def _get(self, ref: DocumentRef, *, role: str, already: Document | None = None) -> Document:
        previous = self.archive.latest(ref.url, role)
        try:
            if already is not None:
                document = dataclasses.replace(already, ref=ref)
            else:
                document = self.transport.get(ref)
            if document.content.startswith(_ZIP_MAGIC):
                # A zip bomb must not replace a good version: refuse it before it is archived.
                check_zip_safety(document.content, where=ref.url)
            sha, _ = self.archive.store(document.content)
        except (IpbenchError, OSError) as err:
            reason = err.message if isinstance(err, IpbenchError) else f"{type(err).__name__}"
            self.archive.record(ManifestEntry.failure(ref, reason, role=role))
            with self._lock:
                self._counts["failed"] += role == "document"
                self.result.failures.append(FetchFailure(self.publisher, ref.url, reason))
            raise FetchError(reason, where=ref.url) from None
        unchanged = document.status == 304 or (previous is not None and previous.sha256 == sha)
        outcome = "unchanged" if unchanged else "fetched"
        self.archive.record(ManifestEntry.for_document(document, outcome=outcome, role=role))
        with self._lock:
            if role == "document":
                self._counts[outcome] += 1
            if document.status != 304 and already is None:
                self._counts["bytes"] += len(document.content)
        return document

    def _keep_previous(self, url: str) -> None:
        previous = self.archive.latest(url, "document")
        if previous is None:
            return
        document = self.archive.document(previous)
        with self._lock:
            self.result.documents.append(document)
            self.result.stale.add(url)
            failures = self.result.failures
            for i in range(len(failures) - 1, -1, -1):
                if failures[i].url == url:
                    f = failures[i]
                    failures[i] = FetchFailure(f.publisher, f.url, f.reason, kept_previous=True)
                    break

    def stats(self, seen: int) -> AcquireStats:
        c = self._counts
        return AcquireStats(seen, c["fetched"], c["unchanged"], c["failed"], c["bytes"])


def acquire(
    module: ModuleType,
    transport: Transport,
    archive: Archive,
    *,
    progress: Progress | None = None,
) -> AcquireResult:
    """Discover and fetch one publisher's documents into ``archive``."""
    progress = progress or NullProgress()
    run = _Run(module, transport, archive)
    publisher = module.PUBLISHER
    refs: dict[str, DocumentRef] = {}
    discovery_failed = False
    progress.start(f"{publisher.name}: discover")
    try:
        for ref in module.discover(run.fetch_listing):
            if ref.publisher != publisher.name:
                raise FetchError(f"discover yielded a ref of publisher {ref.publisher!r}")
            refs.setdefault(ref.url, ref)
            progress.advance(1, ref.url)
    except Exception as err:  # publisher code: a layout change must not stop the refresh
        discovery_failed = True
        reason = err.message if isinstance(err, IpbenchError) else f"{type(err).__name__}: {err}"
        where = getattr(err, "where", "") or (publisher.entry_points or ("",))[0]
        run.result.failures.append(FetchFailure(publisher.name, where, f"discovery: {reason}"))
    progress.done(f"{len(refs)} documents found")

    progress.start(f"{publisher.name}: fetch", total=len(refs))

    def one(ref: DocumentRef) -> None:
        run.fetch_document(ref)
        progress.advance(1, ref.url)

    workers = max(1, publisher.max_concurrency)
    if workers == 1:
        for ref in refs.values():
            one(ref)
    else:
        # The client's per-host gates keep the politeness; threads only overlap the waiting.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(one, refs.values()))
    if discovery_failed:
        run.keep_all_previous(set(refs))
    run.result.stats = run.stats(len(refs))
    run.result.documents.sort(key=lambda d: d.url)
    s = run.result.stats
    progress.done(
        f"{s.documents_fetched} new, {s.documents_unchanged} unchanged, {s.documents_failed} failed"
    )
    return run.result


def acquire_all(
    modules: Iterable[ModuleType],
    transport: Transport,
    archive: Archive,
    *,
    progress: Progress | None = None,
) -> AcquireResult:
    """Acquire every publisher in turn; one publisher's failure never stops the others."""
    total = AcquireResult()
    for module in modules:
        try:
            total.extend(acquire(module, transport, archive, progress=progress))
        except Exception as err:  # last resort: report the publisher as failed, go on
            name = getattr(getattr(module, "PUBLISHER", None), "name", module.__name__)
            reason = f"acquisition aborted: {type(err).__name__}: {err}"
            total.failures.append(FetchFailure(name, "", reason))
    return total
