"""The loopback simulator itself: routing, validators, headers, faults, control endpoint, lifetime."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
import urllib.error
import urllib.request

import pytest

from sources.errors import ConfigError, ParseError
from sources.safety import check_zip_safety
from sources.simulator import HUGE_BYTES, Fault, serve
from sources.transport import PUBLISHED_HEADER, TIER_HEADER
from tests.fixtures.acquire import support
from tests.fixtures.acquire.support import (
    HOST,
    OTHER_HOST,
    SIM,
    SITE,
)

sim = support.sim  # pytest fixture, shared with the other acquisition tests
pytestmark = pytest.mark.timeout(30)


def raw_get(url: str, headers: dict[str, str] | None = None, method: str = "GET", data=None):
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        return urllib.request.urlopen(request, timeout=5)
    except urllib.error.HTTPError as err:
        return err


def test_serves_sample_tree_at_real_paths_with_validators(sim):
    response = raw_get(f"{sim.url}/{HOST}/public/content/1000000001")
    body = response.read()
    assert response.status == 200
    assert body == (SITE / HOST / "public/content/1000000001").read_bytes()
    assert response.headers["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    assert response.headers["Last-Modified"].endswith("GMT")
    assert response.headers["Content-Type"] == "text/html"
    assert response.headers[TIER_HEADER] == "sample"
    assert response.headers[PUBLISHED_HEADER] == "2024-01-19"
    listing = raw_get(f"{sim.url}/{HOST}/content/column/4697401?pageIndex=2")
    assert b"zscqtj2023.xlsx" in listing.read()
    xlsx = raw_get(f"{sim.url}/{HOST}/group1/M00/zscqtj2023.xlsx")
    assert xlsx.headers["Content-Type"].endswith("spreadsheetml.sheet")
    assert (
        raw_get(f"{sim.url}/{OTHER_HOST}/tjgb/").read()
        == (SITE / OTHER_HOST / "tjgb/index.html").read_bytes()
    )


def test_conditional_requests_get_304(sim):
    first = raw_get(f"{sim.url}/{HOST}/public/content/1000000001")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    by_tag = raw_get(f"{sim.url}/{HOST}/public/content/1000000001", {"If-None-Match": etag})
    assert by_tag.status == 304 and by_tag.read() == b""
    by_date = raw_get(
        f"{sim.url}/{HOST}/public/content/1000000001", {"If-Modified-Since": modified}
    )
    assert by_date.status == 304
    stale = raw_get(f"{sim.url}/{HOST}/public/content/1000000001", {"If-None-Match": '"other"'})
    assert stale.status == 200


def test_robots_per_host_and_404s(sim):
    assert b"Disallow: /private/" in raw_get(f"{sim.url}/{HOST}/robots.txt").read()
    assert raw_get(f"{sim.url}/{OTHER_HOST}/robots.txt").status == 404
    assert raw_get(f"{sim.url}/{HOST}/nothing/here").status == 404
    assert raw_get(f"{sim.url}/{HOST}/../../etc/passwd").status in (400, 404)


def test_fault_specs_parse_and_validate():
    assert Fault.parse("503") == Fault("503", "*", None)
    assert Fault.parse("moved:/h/a/*") == Fault("moved", "/h/a/*", None)
    assert Fault.parse("429:/h/*:2") == Fault("429", "/h/*", 2)
    with pytest.raises(ConfigError, match="unknown fault 'meltdown'"):
        Fault.parse("meltdown")
    assert not Fault("500").matches("/h/robots.txt")
    assert Fault("500", "/h/robots.txt").matches("/h/robots.txt")


def test_control_endpoint_sets_counted_faults(sim):
    spec = [{"name": "503", "glob": f"/{HOST}/public/*", "count": 1}]
    posted = raw_get(f"{sim.url}/_sim/faults", method="POST", data=json.dumps(spec).encode())
    assert json.loads(posted.read()) == spec
    url = f"{sim.url}/{HOST}/public/content/1000000001"
    failed = raw_get(url)
    assert failed.status == 503 and failed.headers["Retry-After"] == "0"
    assert raw_get(url).status == 200  # the count is used up
    assert raw_get(f"{sim.url}/_sim/faults", method="POST", data=b"[{}]").status == 400
    raw_get(f"{sim.url}/_sim/faults", method="DELETE")
    assert json.loads(raw_get(f"{sim.url}/_sim/faults").read()) == []


def test_redirect_faults_carry_real_urls(sim):
    sim.set_faults([f"moved:/{HOST}/public/*", f"redirect_loop:/{OTHER_HOST}/*"])
    opener = urllib.request.build_opener(NoRedirect)
    moved = opener.open(f"{sim.url}/{HOST}/public/content/1000000001")
    assert moved.status == 301
    assert moved.headers["Location"] == f"https://{HOST}/_moved/public/content/1000000001"
    assert raw_get(f"{sim.url}/{HOST}/_moved/public/content/1000000001").status == 200
    loop = opener.open(f"{sim.url}/{OTHER_HOST}/tjgb/")
    assert loop.headers["Location"] == f"https://{OTHER_HOST}/tjgb/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_301(self, req, fp, code, msg, headers):
        return fp

    http_error_302 = http_error_301


def test_huge_body_is_streamed_lazily(sim):
    sim.set_faults([f"huge:/{HOST}/*"])
    response = raw_get(f"{sim.url}/{HOST}/big.bin")
    assert int(response.headers["Content-Length"]) == HUGE_BYTES
    assert response.read(1024 * 1024) == bytes(1024 * 1024)
    response.close()
    sim.set_faults([])
    assert raw_get(f"{sim.url}/{HOST}/robots.txt").status == 200  # still answering


def test_zipbomb_is_small_on_the_wire_and_refused_by_the_guard(sim):
    sim.set_faults([f"zipbomb:/{HOST}/*.xlsx"])
    body = raw_get(f"{sim.url}/{HOST}/group1/M00/zscqtj2023.xlsx").read()
    assert len(body) < 1024 * 1024
    with pytest.raises(ParseError, match="zip bomb"):
        check_zip_safety(body)


def test_wrong_charset_serves_gbk_under_a_utf8_header(sim):
    sim.set_faults(["wrong_charset"])
    response = raw_get(f"{sim.url}/{HOST}/public/content/1000000001")
    body = response.read()
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "有效发明专利" in body.decode("gbk")


def test_waf_fault_answers_200_with_an_interstitial(sim):
    sim.set_faults(["waf"])
    response = raw_get(f"{sim.url}/{HOST}/public/content/1000000001")
    assert response.status == 200 and "访问过于频繁" in response.read().decode()


def test_binds_loopback_only():
    with pytest.raises(ConfigError, match="loopback addresses only"):
        serve(SITE, host="0.0.0.0")
    with pytest.raises(ConfigError, match="no sample site tree"):
        serve(SITE / "missing")


def test_stops_by_itself_after_its_lifetime():
    simulator = serve(SITE, settings=dataclasses.replace(SIM, lifetime=0.3))
    started = time.monotonic()
    assert simulator.wait(5)
    assert time.monotonic() - started < 2
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{simulator.url}/{HOST}/robots.txt", timeout=1)


def test_stop_ends_a_hanging_answer_promptly():
    simulator = serve(SITE, settings=dataclasses.replace(SIM, hang_seconds=20))
    simulator.set_faults(["timeout"])
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{simulator.url}/{HOST}/public/content/1000000001", timeout=0.3)
    started = time.monotonic()
    simulator.stop()
    assert time.monotonic() - started < 3
