"""国家版权局 (ncac) over the bundled sample tree: the column listing leads to the yearly
著作权登记 notices; their province table gives the four provinces' 作品登记 exactly as the ground
truth holds them; 全国合计, the other provinces and 中国版权保护中心 never become Yangtze-Delta
figures; an interstitial or broken page is one clear quarantine reason."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest

from samplegen.layouts import ncac as layout
from samplegen.truth import read_truth
from sources import config
from sources.errors import ParseError
from sources.parse import parse_document
from sources.publishers import all_publishers, load, ncac
from sources.records import DocumentRef
from sources.transport import SampleTransport, read_sample_manifest, url_to_sample_path

YRD = ("310000", "320000", "330000", "340000")
YEARS = range(2019, 2024)


@pytest.fixture(scope="module")
def transport() -> SampleTransport:
    return SampleTransport(config.SAMPLE_DIR)


def _fetch(transport: SampleTransport, url: str):
    return transport.get(DocumentRef(ncac.PUBLISHER.name, url))


def _notice(transport: SampleTransport, year: int):
    return _fetch(transport, layout.notice_url(year))


def _with_cells(document, cells: dict[str, str]):
    """The notice with the named rows' 合计 filled in, as the real notice prints them."""
    text = document.content.decode("utf-8")
    for label, value in cells.items():
        blank = f'<td align="center">{label}</td><td align="right">-</td>'
        assert blank in text, label
        text = text.replace(blank, blank.replace(">-<", f">{value}<"))
    content = text.encode("utf-8")
    return dataclasses.replace(
        document, content=content, sha256=hashlib.sha256(content).hexdigest()
    )


def _truth() -> dict[tuple[str, int], int]:
    return {
        (r.region_code, r.period_end.year): int(r.value)
        for r in read_truth()
        if r.indicator == "copyright_registrations" and r.region_code in YRD
    }


def test_the_publisher_is_registered_with_its_host():
    assert load("ncac") is ncac
    assert ncac.PUBLISHER.hosts == ("www.ncac.gov.cn",)
    manifest = read_sample_manifest(config.SAMPLE_DIR / "manifest.csv")
    for url in ncac.PUBLISHER.entry_points:
        assert url_to_sample_path(url) in manifest


def test_discovery_follows_the_column_to_the_registration_notices_only(transport):
    found = list(ncac.discover(lambda url: _fetch(transport, url)))
    assert sorted(ref.url for ref in found) == sorted(layout.notice_url(y) for y in YEARS)
    by_year = {int(ref.title[7:11]): ref for ref in found}
    assert by_year[2023].title == "国家版权局关于2023年全国著作权登记情况的通报"
    assert by_year[2023].published_on == dt.date(2024, 2, 20)
    assert all(ref.found_on == ncac.PUBLISHER.entry_points[0] for ref in found)
    # The column's other notices (示范创建, 集体管理) are never fetched as documents.
    assert not any("示范" in ref.title or "集体管理" in ref.title for ref in found)


@pytest.mark.parametrize("year", YEARS)
def test_the_province_rows_are_the_truth_exactly(transport, year):
    document = _notice(transport, year)
    assert document.tier == "sample"  # a reconstructed layout with sample values
    batch = parse_document(ncac, document)
    assert batch.quarantine == []
    found = {(o.region_code, o.period_end): o for o in batch.observations}
    truth = _truth()
    assert set(found) == {(code, dt.date(year, 12, 31)) for code in YRD}
    for (code, _), obs in found.items():
        assert obs.indicator == "copyright_registrations"
        assert (obs.period_kind, obs.unit, obs.qualifier) == ("year", "件", "")
        assert obs.value == truth[(code, year)], code
    # Real figures of figures.csv stay exact (Shanghai 2019 29.18万件, Zhejiang 2023 4.66万件).
    real = {("310000", 2019): 291800, ("330000", 2023): 46600}
    for (code, real_year), value in real.items():
        if real_year == year:
            assert found[(code, dt.date(year, 12, 31))].value == value


def test_national_other_provinces_and_the_centre_never_become_yrd_figures(transport):
    document = _with_cells(
        _notice(transport, 2023),
        # 2023 as press reports of the real notice give them.
        {"全国合计": "6428277", "北京": "1101072", "山东": "873826", "中国版权保护中心": "493070"},
    )
    batch = parse_document(ncac, document)
    values = {o.region_code: o.value for o in batch.observations}
    assert set(values) == {"100000", *YRD}
    assert values["100000"] == 6428277  # 全国合计 is the national figure, no province's
    assert not {1101072, 873826, 493070} & set(values.values())
    # The centre's own row is a known non-region row: no figure, and no nightly quarantine noise.
    assert batch.quarantine == []


def test_a_waf_page_is_one_clear_reason_not_a_traceback(transport):
    notice = _notice(transport, 2023)
    waf = "<html><head><title>安全验证</title></head><body>请输入验证码</body></html>".encode()
    page = dataclasses.replace(notice, content=waf, sha256=hashlib.sha256(waf).hexdigest())
    with pytest.raises(ParseError, match="WAF/captcha page"):
        ncac.parse(page)
    batch = parse_document(ncac, page)
    assert batch.observations == []
    [row] = batch.quarantine
    assert row.location == "document" and "WAF/captcha page" in row.reason
    assert "Traceback" not in row.reason and "\n" not in row.reason


def test_a_notice_cut_before_its_table_is_quarantined_with_the_reason(transport):
    notice = _notice(transport, 2022)
    cut = notice.content[: notice.content.index(b"<table")]
    page = dataclasses.replace(notice, content=cut, sha256=hashlib.sha256(cut).hexdigest())
    batch = parse_document(ncac, page)
    assert batch.observations == []
    assert [r.reason for r in batch.quarantine] == [
        "no figure found: no statistics table or sentence in this document"
    ]


def test_the_notice_agrees_with_each_province_s_own_page(transport):
    """The same key from two publishers: what the validation's sources_agree check compares."""
    truth_urls = {
        (r.region_code, r.period_end): r.url
        for r in read_truth()
        if r.indicator == "copyright_registrations" and r.region_code in YRD
    }
    manifest = read_sample_manifest(config.SAMPLE_DIR / "manifest.csv")
    by_host = {h: m for m in all_publishers() for h in m.PUBLISHER.hosts}
    for year in YEARS:
        for obs in parse_document(ncac, _notice(transport, year)).observations:
            url = truth_urls[(obs.region_code, obs.period_end)]
            assert url_to_sample_path(url) in manifest
            module = by_host.get(url.split("/")[2])
            if module is None:
                continue  # a mirror page: parsed by the mirrors publisher, compared by test_truth
            other = parse_document(module, transport.get(DocumentRef(module.PUBLISHER.name, url)))
            same = [
                o
                for o in other.observations
                if (o.region_code, o.indicator, o.period_end)
                == (obs.region_code, obs.indicator, obs.period_end)
            ]
            assert same and all(o.value == obs.value for o in same), (url, obs.value)
