"""The raw archive: content addressing, atomic writes, the append-only manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os

import pytest

from sources.archive import Archive, ManifestEntry
from sources.errors import FetchError
from sources.records import Document, DocumentRef
from tests.fixtures.acquire.support import object_files

URL = "https://scjgj.huainan.gov.cn/public/content/1000000001"


def make_document(content: bytes, url: str = URL, **extra) -> Document:
    return Document(
        ref=DocumentRef(publisher="fakepub", url=url, title="示例", found_on="https://x/list"),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        final_url=url,
        content_type="text/html",
        encoding="utf-8",
        retrieved_at=dt.datetime(2024, 3, 1, 2, 0, tzinfo=dt.UTC),
        tier="sample",
        published_on=dt.date(2024, 1, 19),
        etag='"abc"',
        **extra,
    )


def keep(archive: Archive, document: Document, outcome: str = "fetched", role: str = "document"):
    archive.store(document.content)
    archive.record(ManifestEntry.for_document(document, outcome=outcome, role=role))


def test_identical_bytes_are_stored_once(tmp_path):
    archive = Archive(tmp_path)
    sha, new = archive.store(b"<html>one</html>")
    assert new and sha == hashlib.sha256(b"<html>one</html>").hexdigest()
    assert archive.store(b"<html>one</html>") == (sha, False)
    assert object_files(tmp_path) == {tmp_path / "objects" / sha[:2] / sha}
    assert archive.read(sha) == b"<html>one</html>"


def test_crash_mid_write_leaves_no_object(tmp_path, monkeypatch):
    archive = Archive(tmp_path)

    def crash(fd):
        raise OSError("disk pulled out")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk pulled out"):
        archive.store(b"partial download")
    # Neither the object nor its temporary file survives; the next attempt starts clean.
    assert object_files(tmp_path) == set()
    monkeypatch.undo()
    sha, new = archive.store(b"partial download")
    assert new and archive.read(sha) == b"partial download"


def test_corrupt_object_is_refused(tmp_path):
    archive = Archive(tmp_path)
    sha, _ = archive.store(b"original")
    archive.object_path(sha).write_bytes(b"tampered")
    with pytest.raises(FetchError, match="corrupt"):
        archive.read(sha)


def test_missing_object_and_bad_sha_are_clear_errors(tmp_path):
    archive = Archive(tmp_path)
    with pytest.raises(FetchError, match="is not in the archive"):
        archive.read("0" * 64)
    with pytest.raises(FetchError, match="not a sha256"):
        archive.read("../../etc/passwd")


def test_manifest_row_has_full_provenance(tmp_path):
    archive = Archive(tmp_path)
    keep(archive, make_document(b"<html>v1</html>", last_modified="Fri, 19 Jan 2024 02:00:00 GMT"))
    row = json.loads((tmp_path / "manifest.jsonl").read_text(encoding="utf-8"))
    assert row["url"] == URL and row["final_url"] == URL
    assert row["outcome"] == "fetched" and row["status"] == 200
    assert row["sha256"] == hashlib.sha256(b"<html>v1</html>").hexdigest()
    assert row["size"] == len(b"<html>v1</html>")
    assert row["etag"] == '"abc"' and row["last_modified"].startswith("Fri, 19 Jan")
    assert (row["publisher"], row["tier"], row["published_on"]) == (
        "fakepub",
        "sample",
        "2024-01-19",
    )
    assert row["retrieved_at"] == "2024-03-01T02:00:00+00:00"
    assert row["encoding"] == "utf-8" and row["content_type"] == "text/html"


def test_latest_skips_failures_and_documents_give_current_versions(tmp_path):
    archive = Archive(tmp_path)
    keep(archive, make_document(b"v1"))
    keep(archive, make_document(b"v2"))
    archive.record(ManifestEntry.failure(DocumentRef("fakepub", URL), "HTTP 503"))
    keep(
        archive, make_document(b"listing", url="https://scjgj.huainan.gov.cn/list"), role="listing"
    )
    latest = archive.latest(URL)
    assert latest is not None and archive.read(latest.sha256) == b"v2"
    assert [e.outcome for e in archive.entries()] == ["fetched", "fetched", "failed", "fetched"]
    documents = archive.documents()
    assert [(d.url, d.content) for d in documents] == [(URL, b"v2")]
    assert documents[0].ref.found_on == "https://x/list"
    assert documents[0].published_on == dt.date(2024, 1, 19)
    assert [d.content for d in archive.documents(role="listing")] == [b"listing"]
    assert archive.latest("https://scjgj.huainan.gov.cn/unknown") is None


def test_good_entry_needs_its_bytes_first(tmp_path):
    archive = Archive(tmp_path)
    entry = ManifestEntry.for_document(make_document(b"never stored"), outcome="fetched")
    with pytest.raises(FetchError, match="before its bytes were stored"):
        archive.record(entry)
    with pytest.raises(ValueError, match="needs the sha256"):
        ManifestEntry(url=URL, publisher="p", outcome="fetched", retrieved_at="2024-01-01")
    with pytest.raises(ValueError, match="unknown outcome"):
        ManifestEntry(url=URL, publisher="p", outcome="maybe", retrieved_at="2024-01-01")


def test_torn_last_line_is_ignored_until_completed(tmp_path):
    archive = Archive(tmp_path)
    keep(archive, make_document(b"v1"))
    with (tmp_path / "manifest.jsonl").open("ab") as handle:
        handle.write(b'{"url": "https://half')  # a crash in the middle of an append
    reopened = Archive(tmp_path)
    assert len(reopened.entries()) == 1
    assert reopened.read(reopened.latest(URL).sha256) == b"v1"


def test_other_writers_rows_are_seen(tmp_path):
    reader, writer = Archive(tmp_path), Archive(tmp_path)
    assert reader.latest(URL) is None
    keep(writer, make_document(b"from another process"))
    assert reader.read(reader.latest(URL).sha256) == b"from another process"
