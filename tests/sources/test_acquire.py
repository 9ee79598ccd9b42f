"""Acquisition: discover → fetch → archive, previous versions kept in force on failure."""

from __future__ import annotations

import dataclasses
import types

import pytest

from sources.acquire import AcquireStats, acquire, acquire_all
from sources.archive import Archive
from sources.errors import FetchError
from sources.transport import SampleTransport, make_transport
from tests.fixtures.acquire import fakepub, support
from tests.fixtures.acquire.support import (
    DOC,
    DOCUMENT_URLS,
    HOST,
    LISTING_URLS,
    ROOT,
    XLSX_DOC,
    make_client,
    object_files,
)

sim = support.sim  # pytest fixture, shared with the other acquisition tests
pytestmark = pytest.mark.timeout(60)


def live(simulator, archive: Archive):
    return make_transport("live", archive=archive, client=make_client(simulator), modules=[fakepub])


def test_sample_acquisition_archives_documents_and_listings(tmp_path):
    archive = Archive(tmp_path)
    result = acquire(fakepub, SampleTransport(ROOT), archive)
    assert result.failures == [] and result.stale == set()
    assert sorted(d.url for d in result.documents) == sorted(DOCUMENT_URLS)
    assert result.stats.documents_seen == 4 and result.stats.documents_fetched == 4
    # Listing pages are archived for replay, but are not documents to parse.
    assert sorted(d.url for d in archive.documents(role="listing")) == sorted(LISTING_URLS)
    assert sorted(d.url for d in archive.documents()) == sorted(DOCUMENT_URLS)
    gbk = next(d for d in result.documents if d.url.endswith("1000000002"))
    assert gbk.title == "示例：2023年淮南市商标统计简报"
    assert gbk.ref.found_on == fakepub.ENTRY
    assert str(gbk.published_on) == "2024-01-22"


def test_second_refresh_stores_nothing_new(sim, tmp_path):
    archive = Archive(tmp_path)
    cold = acquire(fakepub, live(sim, archive), archive)
    objects = object_files(tmp_path)
    assert cold.stats.documents_fetched == 4 and cold.stats.bytes_downloaded > 0
    sim.clear_hits()
    warm = acquire(fakepub, live(sim, archive), archive)
    assert warm.stats == AcquireStats(documents_seen=4, documents_unchanged=4)
    assert object_files(tmp_path) == objects
    assert [d.sha256 for d in warm.documents] == [d.sha256 for d in cold.documents]
    # Every page request of the second run was conditional (a new client reads robots.txt again).
    pages = [h for h in sim.hits() if not h.path.endswith("/robots.txt")]
    assert len(pages) == 7 and all(h.conditional for h in pages)


@pytest.mark.parametrize(
    ("fault", "url", "reason"),
    [
        ("500", DOC, "HTTP 500 (gave up after 3 attempts)"),
        ("timeout", DOC, "timed out"),
        ("truncated", DOC, "truncated body"),
        ("slow", DOC, "deadline"),
        ("waf", DOC, "WAF/captcha page"),
        ("redirect_loop", DOC, "more than 5 redirects"),
        ("huge", DOC, "byte cap"),
        ("zipbomb", XLSX_DOC, "refusing zip bomb"),
    ],
)
def test_failed_fetch_keeps_previous_version(sim, tmp_path, fault, url, reason):
    archive = Archive(tmp_path)
    good = {d.url: d.sha256 for d in acquire(fakepub, live(sim, archive), archive).documents}
    objects = object_files(tmp_path)
    sim.set_faults([f"{fault}:/{url.split('://', 1)[1]}"])
    result = acquire(fakepub, live(sim, archive), archive)
    assert {d.url: d.sha256 for d in result.documents} == good
    assert result.stale == {url}
    [failure] = result.failures
    assert failure.url == url and reason in failure.reason and failure.kept_previous
    assert result.stats.documents_failed == 1 and result.stats.documents_unchanged == 3
    assert object_files(tmp_path) == objects  # nothing partial or hostile was archived
    assert archive.entries()[-1].outcome in ("failed", "unchanged")
    assert {d.url: d.sha256 for d in archive.documents()} == good


def test_failure_without_previous_version_is_reported_only(sim, tmp_path):
    archive = Archive(tmp_path)
    sim.set_faults([f"waf:/{HOST}/public/content/1000000001"])
    result = acquire(fakepub, live(sim, archive), archive)
    assert DOC not in {d.url for d in result.documents}
    assert [f.kept_previous for f in result.failures] == [False]
    assert archive.latest(DOC) is None


def test_moved_document_keeps_its_url(sim, tmp_path):
    archive = Archive(tmp_path)
    sim.set_faults([f"moved:/{HOST}/public/content/*"])
    result = acquire(fakepub, live(sim, archive), archive)
    moved = next(d for d in result.documents if d.url == DOC)
    assert moved.final_url == f"https://{HOST}/_moved/public/content/1000000001"
    assert archive.latest(DOC).final_url == moved.final_url


def test_discovery_failure_keeps_all_previous_documents(sim, tmp_path):
    archive = Archive(tmp_path)
    acquire(fakepub, live(sim, archive), archive)
    sim.set_faults([f"503:/{HOST}/content/column/*"])
    result = acquire(fakepub, live(sim, archive), archive)
    assert sorted(d.url for d in result.documents) == sorted(DOCUMENT_URLS)
    assert result.stale == set(DOCUMENT_URLS)
    reasons = [f.reason for f in result.failures]
    assert any(r.startswith("discovery: HTTP 503") for r in reasons)
    assert result.stats.documents_seen == 0


def test_a_failing_publisher_never_stops_the_others(tmp_path):
    def broken_discover(fetch):
        raise KeyError("layout changed")
        yield  # pragma: no cover - makes this a generator like real publishers

    broken = types.SimpleNamespace(
        PUBLISHER=dataclasses.replace(fakepub.PUBLISHER, name="broken"), discover=broken_discover
    )

    class Exploding:
        PUBLISHER = dataclasses.replace(fakepub.PUBLISHER, name="exploding")

        @staticmethod
        def discover(fetch):
            return iter([fetch(fakepub.ENTRY)])  # yields a Document, not a DocumentRef

    archive = Archive(tmp_path)
    result = acquire_all([broken, Exploding, fakepub], SampleTransport(ROOT), archive)
    assert sorted(d.url for d in result.documents) == sorted(DOCUMENT_URLS)
    by_publisher = {f.publisher: f.reason for f in result.failures}
    assert by_publisher["broken"] == "discovery: KeyError: 'layout changed'"
    assert "exploding" in by_publisher
    assert result.stats.documents_fetched == 4


def test_discover_may_not_speak_for_another_publisher(tmp_path):
    class Impostor:
        PUBLISHER = dataclasses.replace(fakepub.PUBLISHER, name="impostor")
        discover = staticmethod(fakepub.discover)

    result = acquire(Impostor, SampleTransport(ROOT), Archive(tmp_path))
    assert result.documents == []
    assert "of publisher 'fakepub'" in result.failures[0].reason


def test_listing_fetch_error_reaches_the_publisher(tmp_path):
    seen: list[str] = []

    class Careful:
        PUBLISHER = dataclasses.replace(fakepub.PUBLISHER, name="fakepub")

        @staticmethod
        def discover(fetch):
            try:
                fetch(f"https://{HOST}/content/column/0")
            except FetchError as err:
                seen.append(err.message)
            return iter(())

    result = acquire(Careful, SampleTransport(ROOT), Archive(tmp_path))
    assert seen == ["HTTP 404 (not in the sample archive)"]
    assert [f.reason for f in result.failures] == seen


def test_progress_is_reported(tmp_path):
    calls: list[tuple] = []

    class Recorder:
        def start(self, stage, total=None):
            calls.append(("start", stage, total))

        def advance(self, n=1, detail=""):
            calls.append(("advance", n))

        def done(self, summary=""):
            calls.append(("done", summary))

    acquire(fakepub, SampleTransport(ROOT), Archive(tmp_path), progress=Recorder())
    assert ("start", "fakepub: fetch", 4) in calls
    assert calls.count(("advance", 1)) == 8  # four discovered, four fetched
    assert calls[-1] == ("done", "4 new, 0 unchanged, 0 failed")
