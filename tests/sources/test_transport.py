"""Transports: the sample-tree mapping, sample / live-through-simulator / replay agreement."""

from __future__ import annotations

import socket
from pathlib import PurePosixPath

import pytest

from sources.acquire import acquire
from sources.archive import Archive
from sources.errors import ConfigError, FetchError
from sources.http import HttpResponse
from sources.records import DocumentRef
from sources.transport import (
    LiveTransport,
    ReplayTransport,
    SampleTransport,
    content_type_for,
    detect_encoding,
    make_transport,
    read_sample_manifest,
    sample_path_to_url,
    url_to_sample_path,
)
from tests.fixtures.acquire import fakepub, support
from tests.fixtures.acquire.support import (
    DOC,
    GBK_DOC,
    HOST,
    ROOT,
    SITE,
    XLSX_DOC,
    make_client,
)

sim = support.sim  # pytest fixture, shared with the other acquisition tests
pytestmark = pytest.mark.timeout(30)
GBK_ENCODINGS = {"gb18030", "gbk", "gb2312"}


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://tjj.huainan.gov.cn/tjgb/", "tjj.huainan.gov.cn/tjgb/index.html"),
        ("https://tjj.huainan.gov.cn", "tjj.huainan.gov.cn/index.html"),
        (
            "http://Scjgj.Huainan.gov.cn/column/123?pageIndex=2",
            "scjgj.huainan.gov.cn/column/123@pageIndex=2",
        ),
        ("https://a.gov.cn/list/?page=2#top", "a.gov.cn/list/index.html@page=2"),
        ("https://a.gov.cn/x/y.xlsx", "a.gov.cn/x/y.xlsx"),
    ],
)
def test_url_to_sample_path(url, path):
    assert url_to_sample_path(url) == PurePosixPath(path)


@pytest.mark.parametrize(
    "url", ["https://a.gov.cn/../../etc/passwd", "file:///etc/passwd", "https:///x", "a.gov.cn/x"]
)
def test_unsafe_urls_are_refused(url):
    with pytest.raises(FetchError):
        url_to_sample_path(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://scjgj.huainan.gov.cn/content/column/123?pageIndex=2",
        "https://a.gov.cn/x/y.xlsx",
        "https://a.gov.cn/tjgb/index.html",
    ],
)
def test_sample_path_round_trip(url):
    assert sample_path_to_url(url_to_sample_path(url)) == url


def test_content_types_by_extension():
    assert content_type_for("h/public/content/1000000001") == "text/html"
    assert content_type_for("h/content/column/1@pageIndex=2.xlsx") == "text/html"
    assert content_type_for("h/a/b.xlsx").endswith("spreadsheetml.sheet")
    assert content_type_for("h/a/b.XLS") == "application/vnd.ms-excel"
    assert content_type_for("h/a/b.pdf") == "application/pdf"


def test_sample_manifest_is_validated(tmp_path):
    bad_tier = tmp_path / "manifest.csv"
    bad_tier.write_text("url,tier,published_on,title,note\nhttps://a.gov.cn/x,real,,t,\n")
    with pytest.raises(ConfigError, match="manifest.csv:2: tier 'real'"):
        read_sample_manifest(bad_tier)
    bad_tier.write_text(
        "url,tier,published_on,title,note\n"
        "https://a.gov.cn/x/,sample,,t,\nhttp://a.gov.cn/x/index.html,sample,,t,\n"
    )
    with pytest.raises(ConfigError, match="listed twice"):
        read_sample_manifest(bad_tier)
    bad_tier.write_text(
        "url,tier,published_on,title,note\nhttps://a.gov.cn/x,sample,2024-13-01,t,\n"
    )
    with pytest.raises(ConfigError, match="bad sample manifest row"):
        read_sample_manifest(bad_tier)


def test_sample_transport_reads_tree_and_manifest():
    transport = SampleTransport(ROOT)
    document = transport.get(DocumentRef("fakepub", DOC))
    assert document.content == (SITE / HOST / "public/content/1000000001").read_bytes()
    assert document.tier == "sample"
    assert document.title == "示例：2023年淮南市专利统计简报"
    assert str(document.published_on) == "2024-01-19"
    assert document.encoding == "utf-8" and document.content_type == "text/html"
    assert transport.get(DocumentRef("fakepub", GBK_DOC)).encoding in GBK_ENCODINGS
    assert transport.get(DocumentRef("fakepub", XLSX_DOC)).encoding == ""
    with pytest.raises(FetchError, match="HTTP 404"):
        transport.get(DocumentRef("fakepub", f"https://{HOST}/public/content/42"))


def _tree_urls() -> list[str]:
    """Every file of the fixture tree except robots.txt, the soft-404 page and the robots-barred."""
    skip = ("robots.txt", "1000000404", "private")
    files = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*") if p.is_file())
    return [sample_path_to_url(f) for f in files if not any(s in f for s in skip)]


def test_live_through_simulator_matches_sample_transport(sim, tmp_path):
    archive = Archive(tmp_path)
    live = make_transport("live", archive=archive, client=make_client(sim), modules=[fakepub])
    sample = make_transport("sample", sample_root=ROOT)
    urls = _tree_urls()
    assert len(urls) == 7
    for url in urls:
        ref = DocumentRef("fakepub", url)
        from_live, from_sample = live.get(ref), sample.get(ref)
        assert from_live.sha256 == from_sample.sha256, url
        # The publisher is declared official, but the simulator says these are invented.
        assert from_live.tier == from_sample.tier == "sample"
        assert from_live.published_on == from_sample.published_on
        assert from_live.encoding == from_sample.encoding


def test_wrong_charset_header_does_not_decide_the_encoding(sim, tmp_path):
    live = make_transport(
        "live", archive=Archive(tmp_path), client=make_client(sim), modules=[fakepub]
    )
    sim.set_faults([f"wrong_charset:/{HOST}/public/content/*"])
    document = live.get(DocumentRef("fakepub", DOC))
    assert "charset=utf-8" in document.content_type
    assert document.encoding in GBK_ENCODINGS
    assert document.content.decode("gbk").count("有效发明专利") == 1


def test_only_the_simulator_can_set_a_tier(tmp_path):
    class StubClient:
        def __init__(self, via_simulator: bool) -> None:
            self.via_simulator = via_simulator

        def get(self, url, etag="", last_modified=""):
            headers = {"x-ipbench-tier": "sample", "content-type": "text/html"}
            return HttpResponse(url, url, 200, headers, b"<p>x</p>", self.via_simulator)

    ref = DocumentRef("fakepub", DOC)
    archive = Archive(tmp_path)
    real_site = LiveTransport(StubClient(False), archive, {"fakepub": "official"})
    assert real_site.get(ref).tier == "official"
    simulated = LiveTransport(StubClient(True), archive, {"fakepub": "official"})
    assert simulated.get(ref).tier == "sample"


def test_replay_needs_no_network(tmp_path, monkeypatch):
    first = Archive(tmp_path / "first")
    original = acquire(fakepub, SampleTransport(ROOT), first)

    def no_network(*args, **kwargs):
        raise AssertionError("replay touched the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    replay = make_transport("replay", replay_from=tmp_path / "first")
    assert isinstance(replay, ReplayTransport)
    second = Archive(tmp_path / "second")
    replayed = acquire(fakepub, replay, second)
    assert replayed.failures == []
    assert [d.sha256 for d in replayed.documents] == [d.sha256 for d in original.documents]
    assert [d.tier for d in replayed.documents] == ["sample"] * 4
    with pytest.raises(FetchError, match="not in the replay archive"):
        replay.get(DocumentRef("fakepub", f"https://{HOST}/public/content/42"))


def test_make_transport_refuses_bad_settings(tmp_path):
    with pytest.raises(ConfigError, match="unknown mode 'ftp'"):
        make_transport("ftp")
    with pytest.raises(ConfigError, match="no archive manifest"):
        make_transport("replay", replay_from=tmp_path)
    with pytest.raises(ConfigError, match="live mode needs the archive"):
        make_transport("live", modules=[fakepub])


def test_detect_encoding_ignores_binary_and_reads_declarations():
    assert detect_encoding(b"PK\x03\x04...", "application/vnd.ms-excel") == ""
    gbk = "<html><head><meta charset=gb2312></head><body>淮南</body></html>".encode("gbk")
    assert detect_encoding(gbk, "text/html") in GBK_ENCODINGS
    assert detect_encoding("淮南".encode(), "text/html; charset=utf-8") == "utf-8"


def test_encoded_and_raw_chinese_paths_map_to_one_file():
    raw = url_to_sample_path("https://a.gov.cn/附件/统计表.xls")
    encoded = url_to_sample_path(
        "https://a.gov.cn/%E9%99%84%E4%BB%B6/%E7%BB%9F%E8%AE%A1%E8%A1%A8.xls"
    )
    assert raw == encoded == PurePosixPath("a.gov.cn/附件/统计表.xls")
    with pytest.raises(FetchError, match="escapes the sample tree"):
        url_to_sample_path("https://a.gov.cn/x/%2E%2E/%2E%2E/etc")
    assert url_to_sample_path("https://a.gov.cn/go?to=/x/y").name == "go@to=%2Fx%2Fy"


def test_simulator_routing_is_configuration(sim, tmp_path, monkeypatch):
    monkeypatch.setenv("IPBENCH_SIMULATOR", sim.url)
    live = make_transport("live", archive=Archive(tmp_path), modules=[fakepub])
    document = live.get(DocumentRef("fakepub", DOC))
    assert document.url == document.final_url == DOC
    assert [h.path for h in sim.hits(HOST)][-1] == f"/{HOST}/public/content/1000000001"
