"""The polite client against the loopback simulator: faults, politeness, allowlist, conditional GET."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from sources.errors import FetchError
from sources.http import HttpClient, _retry_after, user_agent
from sources.simulator import serve
from tests.fixtures.acquire import support
from tests.fixtures.acquire.support import (
    DOC,
    FAST,
    HOST,
    OTHER_HOST,
    SIM,
    SITE,
    SOFT_404,
    make_client,
)

client = support.client  # pytest fixture, shared with the other acquisition tests
sim = support.sim  # pytest fixture, shared with the other acquisition tests
pytestmark = pytest.mark.timeout(30)
DOC_PATH = "/" + HOST + "/public/content/1000000001"


def doc_hits(simulator, path: str = DOC_PATH) -> list:
    return [h for h in simulator.hits(HOST) if h.path == path]


def test_fetch_keeps_logical_url_and_sends_descriptive_agent(sim, monkeypatch):
    monkeypatch.setenv("IPBENCH_CONTACT", "ipbench@example.org")
    http = make_client(sim)
    response = http.get(DOC)
    assert response.status == 200
    assert response.url == response.final_url == DOC
    assert response.content == (SITE / HOST / "public/content/1000000001").read_bytes()
    agent = doc_hits(sim)[0].agent
    assert agent == user_agent()
    assert "yrd-ipbench" in agent and "ipbench@example.org" in agent


@pytest.mark.parametrize(
    ("fault", "reason", "attempts"),
    [
        ("500", "HTTP 500 (gave up after 3 attempts)", 3),
        ("503", "HTTP 503 (gave up after 3 attempts)", 3),
        ("429", "HTTP 429 (gave up after 3 attempts)", 3),
        ("timeout", "timed out (gave up after 3 attempts)", 3),
        ("truncated", "truncated body", 1),
        ("waf", "WAF/captcha page served with status 200", 1),
        ("redirect_loop", "more than 5 redirects", 6),
        ("huge", "exceeds the 52428800-byte cap", 1),
    ],
)
def test_persistent_fault_fails_with_clear_reason(sim, client, fault, reason, attempts):
    sim.set_faults([f"{fault}:{DOC_PATH}"])
    with pytest.raises(FetchError) as err:
        client.get(DOC)
    assert reason in str(err.value)
    assert str(err.value).startswith(DOC)
    assert len(doc_hits(sim)) == attempts


@pytest.mark.parametrize("fault", ["500", "503", "429", "timeout"])
def test_transient_fault_succeeds_after_retry(sim, client, fault):
    sim.set_faults([f"{fault}:{DOC_PATH}:1"])
    response = client.get(DOC)
    assert response.status == 200
    assert len(doc_hits(sim)) == 2


def test_client_error_is_not_retried(sim, client):
    with pytest.raises(FetchError, match="HTTP 404$"):
        client.get(f"https://{HOST}/public/content/999")
    assert len(doc_hits(sim, f"/{HOST}/public/content/999")) == 1


def test_slow_drip_body_hits_the_deadline(sim):
    http = make_client(sim, dataclasses.replace(FAST, deadline=0.6))
    sim.set_faults([f"slow:{DOC_PATH}"])
    started = time.monotonic()
    with pytest.raises(FetchError, match="deadline of 0.6s exceeded"):
        http.get(DOC)
    # Each drip arrives within the read timeout: only the wall-clock deadline can stop it.
    assert time.monotonic() - started < 2.0


def test_body_without_length_is_cut_at_the_cap(sim):
    http = make_client(sim, dataclasses.replace(FAST, max_bytes=1024 * 1024))
    sim.set_faults([f"huge_undeclared:{DOC_PATH}"])
    with pytest.raises(FetchError, match="body exceeds the 1048576-byte cap"):
        http.get(DOC)


@pytest.mark.parametrize("url", [SOFT_404])
def test_soft_404_with_status_200_is_an_error(client, url):
    with pytest.raises(FetchError, match="soft error page"):
        client.get(url)


def test_retry_after_is_honoured():
    with serve(SITE, settings=dataclasses.replace(SIM, retry_after=1)) as simulator:
        http = make_client(simulator)
        simulator.set_faults([f"503:{DOC_PATH}:1"])
        http.get(DOC)
        first, second = doc_hits(simulator)
        assert second.at - first.at >= 0.95


def test_retry_after_beyond_the_patience_fails_at_once():
    with serve(SITE, settings=dataclasses.replace(SIM, retry_after=5)) as simulator:
        http = make_client(simulator)
        simulator.set_faults([f"429:{DOC_PATH}"])
        with pytest.raises(FetchError, match="asked to retry after 5s"):
            http.get(DOC)
        assert len(doc_hits(simulator)) == 1


def test_retry_after_parses_seconds_and_dates():
    assert _retry_after("7") == 7.0
    assert _retry_after("") == 0.0
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert _retry_after("soon") == 0.0


def test_moved_document_is_followed_and_rechecked(sim, client):
    sim.set_faults([f"moved:{DOC_PATH}"])
    response = client.get(DOC)
    assert response.url == DOC
    assert response.final_url == f"https://{HOST}/_moved/public/content/1000000001"
    assert response.content == (SITE / HOST / "public/content/1000000001").read_bytes()


def test_rate_limit_spaces_requests_per_host(sim):
    http = make_client(sim, rate_limit=5.0, max_concurrency=3)
    urls = [f"https://{HOST}/public/content/100000000{i}" for i in (1, 2)] * 3
    threads = [threading.Thread(target=http.get, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times = sorted(h.at for h in sim.hits(HOST))
    assert len(times) == 7  # robots.txt + six documents
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # 1/rate = 0.2 s between request starts. Arrival times on a busy machine carry scheduling
    # noise, so one gap may look short; over the run the spacing must hold.
    assert min(gaps) >= 0.15, gaps
    assert (times[-1] - times[0]) >= 0.2 * (len(times) - 1) - 0.02, gaps


def test_hosts_have_independent_rate_limits(sim):
    http = make_client(sim, rate_limit=2.0, max_concurrency=1)
    http.get(DOC)
    started = time.monotonic()
    http.get(f"https://{OTHER_HOST}/tjgb/")  # its first request (robots.txt) need not wait
    assert sim.hits(OTHER_HOST)[0].at - started < 0.3


def test_concurrency_limit_holds(tmp_path):
    with serve(SITE, settings=dataclasses.replace(SIM, latency=0.3)) as simulator:
        http = make_client(simulator, rate_limit=0.0, max_concurrency=2)
        http.get(DOC)  # robots.txt first, so that every thread below goes straight to documents
        simulator.clear_hits()
        threads = [threading.Thread(target=http.get, args=(DOC,)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(doc_hits(simulator)) == 6
        assert simulator.peak_in_flight(HOST) == 2


def test_robots_disallow_is_honoured_and_missing_robots_allows(sim, client):
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        client.get(f"https://{HOST}/private/draft.html")
    assert not [h for h in sim.hits(HOST) if "/private/" in h.path]
    # tjj has no robots.txt (404): everything is allowed.
    assert client.get(f"https://{OTHER_HOST}/tjgb/").status == 200
    robots = [h for h in sim.hits() if h.path.endswith("/robots.txt")]
    client.get(f"https://{HOST}/public/content/1000000002")
    assert [h for h in sim.hits() if h.path.endswith("/robots.txt")] == robots  # cached


def test_robots_can_be_switched_off_for_the_owner_of_a_site(sim):
    http = make_client(sim, dataclasses.replace(FAST, respect_robots=False))
    assert http.get(f"https://{HOST}/private/draft.html").status == 200


def test_undeclared_host_is_never_contacted(sim, client):
    with pytest.raises(FetchError, match="undeclared host www.example.com"):
        client.get("https://www.example.com/public/content/1")
    assert sim.hits() == []


def test_redirect_to_undeclared_host_is_refused(sim, client):
    sim.set_faults([f"offsite_redirect:{DOC_PATH}"])
    with pytest.raises(FetchError, match="redirect to undeclared host www.example.com"):
        client.get(DOC)
    assert [h.host for h in sim.hits()] == [HOST, HOST]  # robots.txt and the redirecting page


def test_non_http_scheme_is_refused(client):
    with pytest.raises(FetchError, match="not an http"):
        client.get(f"ftp://{HOST}/file.xls")


def test_conditional_get_returns_304_without_body(sim, client):
    first = client.get(DOC)
    etag, modified = first.header("etag"), first.header("last-modified")
    assert etag and modified
    again = client.get(DOC, etag=etag)
    assert again.status == 304 and again.content == b""
    by_date = client.get(DOC, last_modified=modified)
    assert by_date.status == 304
    assert [h.conditional for h in doc_hits(sim)] == [False, True, True]


def test_client_from_publishers_declares_allowlist_and_policies():
    from tests.fixtures.acquire import fakepub

    http = HttpClient.for_publishers([fakepub], simulator="")
    assert http.allowed_hosts == {HOST, OTHER_HOST}
    assert http.policies[HOST].rate_limit == fakepub.PUBLISHER.rate_limit
    assert http.simulator is None


def test_interstitial_detection_reads_title_short_pages_and_gbk():
    from sources.waf import detect_interstitial

    gbk_block = "<html><head><title>提示</title></head><body>您的访问被拒绝</body></html>"
    assert "您的访问被拒绝" in detect_interstitial(gbk_block.encode("gbk"))
    challenge = (
        b"<html><script>document.cookie='__jsl_clearance=1';location.reload()</script></html>"
    )
    assert "__jsl_clearance" in detect_interstitial(challenge)
    assert "soft error" in detect_interstitial("<title>页面找不到</title>".encode())
    assert detect_interstitial(b"   ") == "empty body"
    assert detect_interstitial(b"PK\x03\x04 captcha inside a zip member name") is None


def test_long_statistics_page_mentioning_captcha_in_footer_is_a_document():
    from sources.waf import detect_interstitial

    rows = "".join(f"<tr><td>区{i}</td><td>{i * 37}</td></tr>" for i in range(400))
    page = f"<html><head><title>2023年知识产权统计</title></head><body><table>{rows}</table>"
    page += "<div class='footer'>请输入验证码后登录</div></body></html>"
    assert detect_interstitial(page.encode()) is None
