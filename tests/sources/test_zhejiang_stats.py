"""浙江省统计局 (tjj.zj.gov.cn) on the bundled sample tree: discovery through the Hanweb CDATA
listing, the 公报 city tables read exactly (real 2023 figures included), 经营主体 and 市场主体 as
one series, population vintages, and a cut-short page refused with a clear error. Beside it,
Zhejiang's own 每百户企业有效注册商标量 stays apart from 每万户市场主体商标拥有量."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import text

from samplegen.layouts import zhejiang_stats as layout
from samplegen.truth import read_truth
from sources import config
from sources.errors import ParseError
from sources.parse import parse_document
from sources.publishers import load, zhejiang_amr, zhejiang_stats
from sources.records import DocumentRef
from sources.transport import SampleTransport
from warehouse import load as warehouse_load
from warehouse import promote
from warehouse.db import make_engine, upgrade

ZHEJIANG_CODES = ("330000", "330100", "330200", "330300", "330400", "330500", "330600",
                  "330700", "330800", "330900", "331000", "331100")  # fmt: skip
# The 2023 figures the cdslxx repost quotes from the 2023 人口主要数据公报 (figures.csv).
REAL_2023_POPULATION = {
    "330000": 66_270_000,
    "330100": 12_522_000,
    "330200": 9_697_000,
    "330300": 9_761_000,
}
ZJAMR_2022 = "https://zjamr.zj.gov.cn/art/2023/3/5/art_1229693039_2513603.html"


@pytest.fixture(scope="module")
def transport() -> SampleTransport:
    return SampleTransport(config.SAMPLE_DIR)


def _get(transport, module, url: str, title: str = ""):
    return transport.get(DocumentRef(module.PUBLISHER.name, url, title))


def _observations(transport, module, url: str):
    batch = parse_document(module, _get(transport, module, url))
    assert not batch.quarantine, batch.quarantine
    return {(o.region_code, o.indicator, o.period_end): o for o in batch.observations}


@pytest.fixture(scope="module")
def truth() -> dict[tuple[str, str, dt.date], Decimal]:
    return {(r.region_code, r.indicator, r.period_end): r.value for r in read_truth()}


def test_registered_and_discovered_through_the_cdata_listing(transport):
    assert load("zhejiang_stats") is zhejiang_stats
    refs = list(zhejiang_stats.discover(lambda url: _get(transport, zhejiang_stats, url)))
    titles = sorted(ref.title for ref in refs)
    assert titles == sorted(
        t
        for year in range(2019, 2024)
        for t in (f"{year}年浙江省人口主要数据公报", f"{year}年浙江省国民经济和社会发展统计公报")
    )
    # The column's other releases (居民收入…) are passed by; dates come from the records.
    assert all(ref.found_on == zhejiang_stats.PUBLISHER.entry_points[0] for ref in refs)
    assert all(ref.url.startswith("https://tjj.zj.gov.cn/art/") for ref in refs)
    by_url = {ref.url: ref for ref in refs}
    assert by_url[layout.population_url(2023)].published_on == dt.date(2024, 2, 23)


@pytest.mark.parametrize("year", range(2019, 2024))
def test_city_rows_are_exactly_the_ground_truth(transport, truth, year):
    end = dt.date(year, 12, 31)
    population = _observations(transport, zhejiang_stats, layout.population_url(year))
    entities = _observations(transport, zhejiang_stats, layout.bulletin_url(year))
    for code in ZHEJIANG_CODES:
        assert population[(code, "population", end)].value == truth[(code, "population", end)]
        assert (
            entities[(code, "market_entities", end)].value == truth[(code, "market_entities", end)]
        )
    assert {o.indicator for o in population.values()} == {"population"}
    assert {o.indicator for o in entities.values()} == {"market_entities"}


def test_the_real_2023_population_figures_stay_exact(transport):
    found = _observations(transport, zhejiang_stats, layout.population_url(2023))
    for code, value in REAL_2023_POPULATION.items():
        observation = found[(code, "population", dt.date(2023, 12, 31))]
        assert observation.value == value and observation.unit == "人"


def test_population_keeps_its_vintage(transport):
    before_census = _observations(transport, zhejiang_stats, layout.population_url(2019))
    latest = _observations(transport, zhejiang_stats, layout.population_url(2023))
    # Printed in February 2020, before the 7th census was published: the pre-census series.
    assert before_census[("330100", "population", dt.date(2019, 12, 31))].vintage == "pre-census"
    assert latest[("330100", "population", dt.date(2023, 12, 31))].vintage == ""


def _promoted(database_url, documents, observations, query: str) -> list:
    """Stage and promote ``observations`` into a fresh warehouse, then run ``query`` on it."""
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        warehouse_load.load_reference(engine)
        warehouse_load.record_documents(engine, documents)
        warehouse_load.stage(engine, "run-zj", observations)
        promote.promote(engine, "run-zj")
        with engine.connect() as conn:
            return conn.execute(text(query)).all()
    finally:
        engine.dispose()


def test_jingying_zhuti_and_shichang_zhuti_are_one_series(transport, database_url):
    documents = [
        _get(transport, zhejiang_stats, layout.bulletin_url(year)) for year in (2022, 2023)
    ]
    assert "经营主体" not in documents[0].content.decode("utf-8")
    assert "市场主体" in documents[0].content.decode("utf-8")
    assert "市场主体" not in documents[1].content.decode("utf-8")
    assert "经营主体" in documents[1].content.decode("utf-8")
    observations = [o for d in documents for o in parse_document(zhejiang_stats, d).observations]
    assert {(o.indicator, o.series) for o in observations} == {("market_entities", "")}
    rows = _promoted(
        database_url,
        documents,
        observations,
        "select indicator, series, period_end, value from fact "
        "where region_code = '330100' order by period_end",
    )
    assert [(r[0], r[1], str(r[2])[:4]) for r in rows] == [
        ("market_entities", "", "2022"),
        ("market_entities", "", "2023"),
    ]
    assert rows[1][3] > rows[0][3]


def test_a_cut_short_bulletin_is_a_clear_error(transport):
    document = _get(transport, zhejiang_stats, layout.population_url(2022))
    content = document.content.decode("utf-8")
    cut = content[: content.index('<tr><td align="center">宁波市')] + "</table></div></body></html>"
    broken = dataclasses.replace(document, content=cut.encode("utf-8"))
    with pytest.raises(ParseError, match=r"年末常住人口 for 1 of the 11 cities"):
        zhejiang_stats.parse(broken)
    batch = parse_document(zhejiang_stats, broken)
    assert batch.observations == []
    assert len(batch.quarantine) == 1
    assert "city table is missing or cut short" in batch.quarantine[0].reason


def test_an_unrelated_page_of_the_host_is_no_error(transport):
    document = _get(transport, zhejiang_stats, layout.population_url(2022), "统计数据")
    other = dataclasses.replace(
        document, ref=dataclasses.replace(document.ref, title="统计分析"), content=b"<html></html>"
    )
    result = zhejiang_stats.parse(other)
    assert result.observations == []


# -- Zhejiang's own trademark density, printed beside the per-10k-market-entity ratio ----------


def test_per_100_enterprises_and_per_10k_entities_stay_two_indicators(
    transport, truth, database_url
):
    document = _get(transport, zhejiang_amr, ZJAMR_2022)
    page = document.content.decode("utf-8")
    assert "每百户企业有效注册商标量" in page and "每万户市场主体商标拥有量" in page
    found = _observations(transport, zhejiang_amr, ZJAMR_2022)
    end = dt.date(2022, 12, 31)
    for code in ZHEJIANG_CODES:
        per_firms = found[(code, "zj_trademarks_per_100_firms", end)]
        per_entities = found[(code, "trademarks_per_10k_entities", end)]
        assert per_firms.value == truth[(code, "zj_trademarks_per_100_firms", end)]
        assert per_entities.value == truth[(code, "trademarks_per_10k_entities", end)]
        assert (per_firms.unit, per_entities.unit) == ("件/百户", "件/万户")
        assert per_firms.value != per_entities.value
    batch = parse_document(zhejiang_amr, document)
    held = dict(
        _promoted(
            database_url,
            [document],
            batch.observations,
            "select indicator, value from fact where region_code = '330100' "
            "and period_end = '2022-12-31' and indicator in "
            "('zj_trademarks_per_100_firms', 'trademarks_per_10k_entities')",
        )
    )
    assert set(held) == {"zj_trademarks_per_100_firms", "trademarks_per_10k_entities"}
    assert held["zj_trademarks_per_100_firms"] == pytest.approx(131.93)


def test_the_zhejiang_ratio_is_published_for_zhejiang_only_2019_to_2023(truth):
    keys = {(c, y.year) for c, i, y in truth if i == "zj_trademarks_per_100_firms"}
    assert keys == {(c, y) for c in ZHEJIANG_CODES for y in range(2019, 2024)}
    # The real 124 per 100 enterprises (2023) is kept on its repost.
    assert truth[("330000", "zj_trademarks_per_100_firms", dt.date(2023, 12, 31))] == 124
