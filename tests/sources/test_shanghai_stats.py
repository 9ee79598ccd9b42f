"""上海市统计局 yearbook tables over the bundled sample tree: discovery through the undated table
of contents, the 16 districts and the 全市 row read exactly, full-width spaces in names, footnote
rows never read as regions, and a page without the district table refused with a clear error."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from samplegen.layouts import shanghai_stats as layout
from sources import config
from sources.errors import ParseError
from sources.normalise import normalise_all
from sources.publishers import PUBLISHER_MODULES, shanghai_stats
from sources.records import DocumentRef
from sources.transport import SampleTransport, read_sample_manifest, url_to_sample_path

ROOT = Path(__file__).resolve().parents[2]
TRUTH = ROOT / "samplegen" / "truth.csv"
REGIONS = ROOT / "sources" / "reference" / "regions.csv"
POPULATION_2019 = "https://tjj.sh.gov.cn/tjnj/2020tjnj/C0207.htm"
PATENTS_2020 = "https://tjj.sh.gov.cn/tjnj/2021tjnj/C0810.htm"
PATENTS_2022 = "https://tjj.sh.gov.cn/tjnj/2023tjnj/C0810.htm"


@pytest.fixture(scope="module")
def transport() -> SampleTransport:
    return SampleTransport(config.SAMPLE_DIR)


def _fetch(transport: SampleTransport):
    return lambda url: transport.get(DocumentRef(shanghai_stats.PUBLISHER.name, url))


def _truth(url: str) -> dict[str, Decimal]:
    with TRUTH.open(encoding="utf-8") as handle:
        return {
            r["region_code"]: Decimal(r["value"]) for r in csv.DictReader(handle) if r["url"] == url
        }


def _parsed(transport: SampleTransport, url: str):
    document = _fetch(transport)(url)
    result = shanghai_stats.parse(document)
    observations, quarantined, _ = normalise_all(result.observations, document)
    return result, observations, quarantined


def test_registered_once_and_its_host_is_its_own():
    assert PUBLISHER_MODULES.count("shanghai_stats") == 1
    assert shanghai_stats.PUBLISHER.hosts == ("tjj.sh.gov.cn",)


def test_discovery_walks_the_undated_contents_to_the_district_tables(transport):
    refs = list(shanghai_stats.discover(_fetch(transport)))
    urls = {ref.url for ref in refs}
    expected = {
        layout.table_url(indicator, year)
        for indicator in layout.CITY_FIGURES
        for year in range(2019, 2024)
    }
    assert urls == expected  # 2-6 户籍人口 and 8-8 (city totals) are listed but not wanted
    assert all(ref.published_on is None for ref in refs)  # the contents carry no dates
    assert {ref.found_on for ref in refs} == {layout.contents_url(y) for y in range(2019, 2024)}
    titles = {ref.url: ref.title for ref in refs}
    assert titles[PATENTS_2022] == "上海统计年鉴2023 8-10 各区县有效发明专利情况(2022年)"
    manifest = read_sample_manifest(config.SAMPLE_DIR / "manifest.csv")
    for url in (*shanghai_stats.PUBLISHER.entry_points, *urls):
        assert url_to_sample_path(url) in manifest, url


def test_contents_links_are_read_without_dates():
    contents = """<html><head><meta charset="utf-8"></head><body><ul class="mulu">
    <li class="zhang">二、人口和就业</li>
    <li><a href="2024tjnj/C0207.htm" target="main">2-7　各区年末常住人口(2023年)</a></li>
    <li><a href="index.html">返回年鉴列表</a></li>
    </ul></body></html>""".encode()
    tables = shanghai_stats.yearbook_tables(contents, "https://tjj.sh.gov.cn/tjnj/nj24.htm")
    assert tables == [
        ("https://tjj.sh.gov.cn/tjnj/2024tjnj/C0207.htm", "2-7 各区年末常住人口(2023年)")
    ]


@pytest.mark.parametrize("url", [POPULATION_2019, PATENTS_2020, PATENTS_2022])
def test_every_district_row_is_read_exactly(transport, url):
    result, observations, quarantined = _parsed(transport, url)
    expected = _truth(url)
    found = {o.region_code: o.value for o in observations}
    assert found == expected
    assert len([c for c in found if c != "310000"]) == 16
    assert not result.quarantine and not quarantined


def test_the_total_row_is_shanghai_and_real_figures_are_not_reprinted(transport):
    _, observations, _ = _parsed(transport, POPULATION_2019)
    shanghai = {o.region_code: o for o in observations}["310000"]
    assert shanghai.value == 24814300 and "全" in shanghai.evidence
    districts = sum(o.value for o in observations if o.region_code != "310000")
    assert districts == shanghai.value
    # 2022: the white paper prints the real 20.20万件, so the 全市 cell is '-' and the districts
    # still add up to it.
    _, observations, _ = _parsed(transport, PATENTS_2022)
    assert "310000" not in {o.region_code for o in observations}
    assert sum(o.value for o in observations) == 202000


def test_full_width_spaced_names_resolve_to_the_districts(transport):
    document = _fetch(transport)(PATENTS_2020)
    assert "黄\u3000浦\u3000区".encode() in document.content
    _, observations, _ = _parsed(transport, PATENTS_2020)
    names = {o.region_code: o.region_name for o in observations}
    assert names["310101"] == "黄浦区" and names["310115"] == "浦东新区"
    assert names["310107"] == "普陀区"  # not 舟山's 普陀区 (330903)


def test_footnote_rows_are_not_rows(transport):
    document = _fetch(transport)(POPULATION_2019)
    assert "注：1.常住人口为年末数。".encode() in document.content
    _, observations, _ = _parsed(transport, POPULATION_2019)
    assert len(observations) == 17
    assert not {Decimal(1), Decimal(2), Decimal(2020)} & {o.value for o in observations}


def test_population_keeps_its_vintage(transport):
    _, before, _ = _parsed(transport, POPULATION_2019)
    assert {o.vintage for o in before} == {"pre-census"}  # the 2020 edition, before the census
    _, after, _ = _parsed(transport, layout.table_url("population", 2020))
    assert {o.vintage for o in after} == {""}
    assert all(o.period_end == dt.date(2020, 12, 31) for o in after)


def test_a_page_without_the_district_table_is_a_clear_error(transport):
    document = _fetch(transport)(PATENTS_2020)
    text = document.content.decode("utf-8")
    broken = text[: text.index('<tr><td class="dq">黄')] + "</table></body></html>"
    with pytest.raises(ParseError, match="no district table: 0 district rows"):
        shanghai_stats.parse(dataclasses.replace(document, content=broken.encode("utf-8")))
    empty = b"<html><body><p>\xe9\xa1\xb5\xe9\x9d\xa2\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</p></body></html>"
    with pytest.raises(ParseError, match="no district table"):
        shanghai_stats.parse(dataclasses.replace(document, content=empty))


def test_the_districts_are_regions_under_shanghai():
    with REGIONS.open(encoding="utf-8") as handle:
        known = {r["code"]: r for r in csv.DictReader(handle)}
    for code, name in layout.DISTRICTS:
        assert known[code]["name"] == name
        assert (known[code]["level"], known[code]["parent_code"]) == ("district", "310100")
        assert known[code]["province_code"] == "310000"
    shanghai_districts = {c for c, r in known.items() if r["parent_code"] == "310100"}
    assert shanghai_districts == set(layout.DISTRICT_NAMES)
