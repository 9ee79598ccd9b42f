"""The benchmark side: Shanghai, Jiangsu and Zhejiang publishers over the bundled sample tree.

Discovery walks each publisher's real listing layout (sipa ``ul.uli14.nowrapli.list-date`` with
dotted dates, Hanweb CDATA records, city-bureau ``li`` lists, the yearbook's undated table of
contents) to the documents that print the real figures of ``figures.csv``; parsing keeps the
published values, reads 合计 as the city and never 市本级.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from sources import config
from sources.extract.encoding import decode_html
from sources.publishers import jiangsu_ip, jiangsu_stats, mirrors, shanghai_ip, zhejiang_amr
from sources.records import DocumentRef
from sources.transport import SampleTransport, read_sample_manifest, url_to_sample_path

FIGURES = Path(__file__).resolve().parents[1] / "fixtures" / "figures.csv"
REGIONS = Path(__file__).resolve().parents[2] / "sources" / "reference" / "regions.csv"
BENCHMARK_PROVINCES = ("上海", "江苏", "浙江")

EXPECTED_DOCUMENTS = {
    shanghai_ip: {
        "http://sipa.sh.gov.cn/shzscqzk/20230531/b428a96f2f494bebbe38dc6908bfd6ae.html",
        "https://sipa.sh.gov.cn/2020mtjd/20240222/0a122ba20a4b4d1292e8ccbada7ae0f2.html",
    },
    zhejiang_amr: {
        "https://zjamr.zj.gov.cn/art/2024/2/27/art_1229693039_2513564.html",
        "https://www.hhtz.gov.cn/art/2024/4/29/art_1229250224_4257281.html",
    },
    jiangsu_ip: {
        "https://jsip.jiangsu.gov.cn/art/2024/10/25/art_85036_0000001.html",
        "https://scjgj.wuxi.gov.cn/doc/2025/04/24/4550702.shtml",
        "http://scjgj.nantong.gov.cn/ntsgsj/cz/content/1f96cd6a-2a10-4a70-930d-e223ede9cbb0.html",
    },
    jiangsu_stats: {
        "http://tj.jiangsu.gov.cn/2019/nj03/nj0306.htm",
        "http://tj.jiangsu.gov.cn/art/2024/3/6/art_85276_11167996.html",
    },
}


@pytest.fixture(scope="module")
def transport() -> SampleTransport:
    return SampleTransport(config.SAMPLE_DIR)


def _fetcher(transport: SampleTransport, module):
    return lambda url: transport.get(DocumentRef(module.PUBLISHER.name, url))


def _discovered(transport: SampleTransport, module) -> dict[str, DocumentRef]:
    return {
        str(url_to_sample_path(ref.url)): ref
        for ref in module.discover(_fetcher(transport, module))
    }


def _document(transport: SampleTransport, module, url: str):
    return transport.get(DocumentRef(module.PUBLISHER.name, url))


def _benchmark_figures() -> list[dict[str, str]]:
    with FIGURES.open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["province"] in BENCHMARK_PROVINCES]


@pytest.mark.parametrize("module", list(EXPECTED_DOCUMENTS), ids=lambda m: m.PUBLISHER.name)
def test_discovery_finds_the_documents_on_the_publishers_own_hosts(transport, module):
    found = _discovered(transport, module)
    expected = {str(url_to_sample_path(url)) for url in EXPECTED_DOCUMENTS[module]}
    # The real-figure pages; the generated sample notices are listed beside them.
    assert expected <= set(found)
    assert all(url.split("/")[0] in module.PUBLISHER.hosts for url in found)
    assert all(ref.found_on in module.PUBLISHER.entry_points for ref in found.values())
    manifest = read_sample_manifest(config.SAMPLE_DIR / "manifest.csv")
    for url in module.PUBLISHER.entry_points:
        assert url_to_sample_path(url) in manifest, f"listing {url} not in the manifest"


def test_listing_dates_are_read_as_the_listing_prints_them(transport):
    sipa = _discovered(transport, shanghai_ip)
    white_paper = sipa["sipa.sh.gov.cn/shzscqzk/20230531/b428a96f2f494bebbe38dc6908bfd6ae.html"]
    # The listing prints 2023.04.25 (dots) although the URL carries 20230531.
    assert white_paper.published_on == dt.date(2023, 4, 25)
    zhejiang = _discovered(transport, zhejiang_amr)
    notice = zhejiang["zjamr.zj.gov.cn/art/2024/2/27/art_1229693039_2513564.html"]
    assert notice.published_on == dt.date(2024, 2, 27)
    assert notice.title == "关于印发2023年全省专利授权量等统计数据的通知"


def test_a_title_with_a_month_range_does_not_become_the_listing_date(transport):
    found = _discovered(transport, jiangsu_ip)
    nantong = found[
        "scjgj.nantong.gov.cn/ntsgsj/cz/content/1f96cd6a-2a10-4a70-930d-e223ede9cbb0.html"
    ]
    assert nantong.published_on == dt.date(2023, 11, 15)


def test_yearbook_contents_yield_table_links_without_dates():
    index = """<html><head><meta charset="gb2312"></head><body><ul>
    <li>三、人　口<ul>
    <li><a href="nj03/nj0301.htm">3-1　人口及其变动情况</a></li>
    <li><a href="nj03/nj0306.htm">3-6　按地区分常住人口</a></li>
    <li><a href="../2018/indexc.htm">上一年</a></li>
    </ul></li></ul></body></html>""".encode("gb18030")
    tables = jiangsu_stats.yearbook_tables(index, "http://tj.jiangsu.gov.cn/2019/indexc.htm")
    assert tables == [
        ("http://tj.jiangsu.gov.cn/2019/nj03/nj0301.htm", "3-1 人口及其变动情况"),
        ("http://tj.jiangsu.gov.cn/2019/nj03/nj0306.htm", "3-6 按地区分常住人口"),
    ]


def test_every_benchmark_figure_has_a_sample_document():
    manifest = read_sample_manifest(config.SAMPLE_DIR / "manifest.csv")
    rows = _benchmark_figures()
    assert len(rows) >= 130
    missing = sorted(
        {r["source_url"] for r in rows if url_to_sample_path(r["source_url"]) not in manifest}
    )
    assert not missing, f"figures.csv pages without a sample document: {missing}"
    for row in rows:
        path = config.SAMPLE_DIR / "site" / url_to_sample_path(row["source_url"])
        assert path.is_file() and path.stat().st_size < 60_000, row["source_url"]


def test_secondary_pages_are_listed_as_mirrors_with_a_known_region():
    manifest = read_sample_manifest(config.SAMPLE_DIR / "manifest.csv")
    with REGIONS.open(encoding="utf-8") as handle:
        codes = {r["code"] for r in csv.DictReader(handle)}
    mirror_rows = {str(url_to_sample_path(r["url"])): r for r in mirrors.pages()}
    for url in {r["source_url"] for r in _benchmark_figures()}:
        key = url_to_sample_path(url)
        if manifest[key].tier != "secondary":
            assert manifest[key].tier == "official"
            continue
        assert str(key) in mirror_rows, f"{url} is secondary but not in mirror_pages.csv"
        assert mirror_rows[str(key)]["region_code"] in codes


def test_each_page_prints_its_figures_as_published():
    for row in _benchmark_figures():
        path = config.SAMPLE_DIR / "site" / url_to_sample_path(row["source_url"])
        text = decode_html(path.read_bytes())[0]
        assert row["value"] in text, f"{row['value']} not printed on {row['source_url']}"


def _observations(transport, module, url):
    result = module.parse(_document(transport, module, url))
    return {(o.region_code, o.indicator, str(o.period_end)): o for o in result.observations}


def test_zhejiang_city_block_reports_the_total_not_the_urban_districts(transport):
    found = _observations(
        transport, zhejiang_amr, "https://zjamr.zj.gov.cn/art/2024/2/27/art_1229693039_2513564.html"
    )
    assert found[("330100", "invention_grants", "2023-12-31")].value == 31981  # 合计, not 31459
    assert found[("330100", "utility_model_grants", "2023-12-31")].value == 58912
    assert found[("330100", "design_grants", "2023-12-31")].value == 16782
    assert found[("330108", "invention_grants", "2023-12-31")].value == 7699
    assert found[("330108", "patents_granted", "2023-12-31")].value == 18317
    # 市本级 (urban districts only) is never the city, nor any region.
    assert not any(o.value in (31459, 103080) for o in found.values())


def test_shanghai_white_paper_keeps_bounds_and_converts_wan(transport):
    found = _observations(
        transport,
        shanghai_ip,
        "http://sipa.sh.gov.cn/shzscqzk/20230531/b428a96f2f494bebbe38dc6908bfd6ae.html",
    )
    granted = found[("310000", "patents_granted", "2022-12-31")]
    assert (granted.value, granted.unit, granted.qualifier) == (Decimal("178300"), "件", "")
    copyright_ = found[("310000", "copyright_registrations", "2022-12-31")]
    assert (copyright_.value, copyright_.qualifier) == (Decimal("380000"), "lower_bound")
    assert ("310000", "pct_applications", "2022-12-31") in found
