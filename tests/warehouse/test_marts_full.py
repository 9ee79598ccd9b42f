"""The full marts on both backends: derived facts, mart_target and mart_index by hand on small
fact tables, mart_trend, the views, and the whole sample refresh giving equal marts on SQLite
and PostgreSQL.

The small tables' figures are invented (tier ``sample``) except where a comment names a source.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

import pytest
from sqlalchemy import insert, select, text
from typer.testing import CliRunner

from tests.conftest import drop_postgres_database, fresh_postgres_database
from warehouse import load, marts
from warehouse.db import make_engine, upgrade
from warehouse.schema import (
    derived_fact,
    fact,
    mart_benchmark,
    mart_gap,
    mart_index,
    mart_target,
    mart_trend,
)
from warehouse.targets import load_targets
from warehouse.views import VIEWS

HEFEI, WUHU, HUAINAN, ANHUI = "340100", "340200", "340400", "340000"
SHA = "f" * 64
MART_TABLES = (derived_fact, mart_benchmark, mart_gap, mart_target, mart_index, mart_trend)


def end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def put_facts(engine, rows: list[tuple]) -> None:
    """Facts as (region, indicator, kind, year, value[, tier[, series]])."""
    units = {"population": "人", "patent_pledge_amount": "元"}
    records = []
    for row in rows:
        region, indicator, kind, year, value, *rest = row
        tier = rest[0] if rest else "sample"
        series = rest[1] if len(rest) > 1 else ""
        records.append(
            {
                "region_code": region,
                "indicator": indicator,
                "period_kind": kind,
                "period_end": end(year),
                "series": series,
                "value": float(value),
                "unit": units.get(indicator, "件"),
                "qualifier": "",
                "tier": tier,
                "publisher": "anhui_amr",
                "document_sha256": SHA,
                "published_on": dt.date(year + 1, 3, 1),
                "vintage": "",
                "derived": False,
            }
        )
    with engine.begin() as conn:
        conn.execute(insert(fact), records)


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    load.load_reference(engine)
    return engine


def rows_of(engine, table, **where) -> list[dict]:
    query = select(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


# --- derived facts and the composite index -----------------------------------------------------

INDEX_FACTS = [
    # 2023: three Anhui cities; Huainan publishes no invention_patents_per_10k, only its counts.
    (HEFEI, "high_value_patents_per_10k", "stock", 2023, 36),
    (WUHU, "high_value_patents_per_10k", "stock", 2023, 16),
    (HUAINAN, "high_value_patents_per_10k", "stock", 2023, 4),
    (HEFEI, "trademarks_per_10k_entities", "stock", 2023, 2500),
    (WUHU, "trademarks_per_10k_entities", "stock", 2023, 900),
    (HUAINAN, "trademarks_per_10k_entities", "stock", 2023, 1600),
    (HEFEI, "invention_patents_per_10k", "stock", 2023, 100),
    (WUHU, "invention_patents_per_10k", "stock", 2023, 49),
    (HUAINAN, "valid_invention_patents", "stock", 2023, 7500, "official"),
    (HUAINAN, "population", "stock", 2022, 3_000_000),
    # Wuhu publishes its ratio (49) and its counts would give 50: the published one wins.
    (WUHU, "valid_invention_patents", "stock", 2023, 18_000),
    (WUHU, "population", "stock", 2022, 3_600_000),
    # 2022: Huainan has one of the four index indicators only.
    (HUAINAN, "high_value_patents_per_10k", "stock", 2022, 1),
]


def test_derived_ratios_fill_gaps_and_published_facts_stay_pure(engine):
    put_facts(engine, INDEX_FACTS)
    counts = marts.rebuild_marts(engine)
    derived = rows_of(engine, derived_fact)
    assert counts["derived_fact"] == len(derived) == 1
    row = derived[0]
    # 7500 patents / 3,000,000 people at the end of the previous year × 10,000.
    assert (row["region_code"], row["indicator"], row["period_end"]) == (
        HUAINAN,
        "invention_patents_per_10k",
        end(2023),
    )
    assert row["value"] == pytest.approx(25.0)
    assert (row["numerator_value"], row["denominator_value"]) == (7500, 3_000_000)
    assert (row["denominator_period_end"], row["basis"]) == (end(2022), "previous_year_end")
    assert row["derived"] is True and row["publisher"] == "derived"
    # The weaker of the two tiers: an official count over a sample population is sample.
    assert row["tier"] == "sample"
    assert row["published_on"] == dt.date(2024, 3, 1)
    assert not rows_of(engine, fact, indicator="invention_patents_per_10k", region_code=HUAINAN)

    gaps = {
        r["region_code"]: r
        for r in rows_of(
            engine, mart_gap, indicator="invention_patents_per_10k", peer_group="anhui"
        )
    }
    assert gaps[HUAINAN]["derived"] is True and gaps[HUAINAN]["tier"] == "sample"
    assert gaps[WUHU]["derived"] is False and gaps[WUHU]["value"] == 49
    assert gaps[HUAINAN]["benchmark"] == pytest.approx((100 + 49 + 25) / 3)
    assert (gaps[HUAINAN]["rank"], gaps[HUAINAN]["n_peers"]) == (3, 3)
    (bench,) = rows_of(
        engine, mart_benchmark, indicator="invention_patents_per_10k", peer_group="anhui"
    )
    assert bench["huainan_value"] == pytest.approx(25.0) and bench["tiers"] == "sample"


def test_composite_index_by_hand(engine):
    put_facts(engine, INDEX_FACTS)
    marts.rebuild_marts(engine)
    index = {(r["region_code"], r["year"]): r for r in rows_of(engine, mart_index)}
    # All four indicators are skewed: square roots, then min-max over every city and year.
    #   high value  √: Hefei 6, Wuhu 4, Huainan 2 (2023) and 1 (2022) → (x−1)/5: 1, .6, .2
    #   trademarks  √: 50, 30, 40 → 1, 0, .5
    #   invention   √: 10, 7, 5 (Huainan derived) → 1, .4, 0
    #   copyright per million: no data; 3 of 4 equal weights (0.75) clear min_coverage 0.66.
    hefei, wuhu, huainan = 100.0, (0.6 + 0 + 0.4) / 3 * 100, (0.2 + 0.5 + 0) / 3 * 100
    assert index[(HEFEI, 2023)]["index"] == pytest.approx(hefei)
    assert index[(WUHU, 2023)]["index"] == pytest.approx(wuhu)
    assert index[(HUAINAN, 2023)]["index"] == pytest.approx(huainan)
    assert index[(HUAINAN, 2023)]["n_indicators"] == 3
    mean = (hefei + wuhu + huainan) / 3
    assert index[(HUAINAN, 2023)]["relative_index"] == pytest.approx(100 * huainan / mean)  # 44.7
    assert index[(HUAINAN, 2023)]["band"] == "emerging"
    assert index[(HEFEI, 2023)]["band"] == "leader"  # 191.5
    assert index[(WUHU, 2023)]["relative_to_huainan"] == pytest.approx(100 * wuhu / huainan)
    assert index[(HUAINAN, 2023)]["relative_to_huainan"] == pytest.approx(100.0)
    assert index[(HUAINAN, 2023)]["tiers"] == "sample"  # the derived ratio is sample too
    # One indicator of four in 2022: too few for an index, and it says why.
    only = index[(HUAINAN, 2022)]
    assert only["index"] is None and only["relative_index"] is None and only["band"] is None
    assert (only["n_indicators"], only["reason"]) == (1, "only 1 of 4 indicators")

    with engine.connect() as conn:
        view = conn.execute(
            text(
                'select region_name, "index", band_zh from v_index '
                "where region_code = :code and year = 2023"
            ),
            {"code": HUAINAN},
        ).one()
    assert view.region_name == "淮南市" and view.index == pytest.approx(huainan)
    assert view.band_zh == "新兴型"


# --- plan targets ------------------------------------------------------------------------------

TARGET_FACTS = [
    # Target already met: 12 against the province's own ratio 10 at the deadline.
    (HUAINAN, "high_value_patents_per_10k", "stock", 2020, 5),
    (HUAINAN, "high_value_patents_per_10k", "stock", 2023, 12),
    (ANHUI, "high_value_patents_per_10k", "stock", 2020, 8),
    (ANHUI, "high_value_patents_per_10k", "stock", 2023, 10),
    # A method-break series beside it must never be spliced in.
    (HUAINAN, "high_value_patents_per_10k", "stock", 2022, 99, "sample", "applicant_address"),
    # Negative growth against a rising benchmark, before the deadline.
    (HUAINAN, "trademarks_per_10k_entities", "stock", 2020, 1000),
    (HUAINAN, "trademarks_per_10k_entities", "stock", 2022, 900),
    (ANHUI, "trademarks_per_10k_entities", "stock", 2020, 1500),
    (ANHUI, "trademarks_per_10k_entities", "stock", 2022, 1800),
    # Zero baseline: no growth rate exists, the status comes from the levels.
    (HUAINAN, "patent_pledge_amount", "year", 2020, 0),
    (HUAINAN, "patent_pledge_amount", "year", 2021, 100_000_000),
    (HUAINAN, "patent_pledge_amount", "year", 2022, 200_000_000),
    # Missing baseline year.
    (HUAINAN, "pledge_financed_entities", "year", 2021, 10),
    (HUAINAN, "pledge_financed_entities", "year", 2022, 12),
    # At least five a year, every year to the deadline.
    (HUAINAN, "ip_certified_firms", "year", 2021, 6),
    (HUAINAN, "ip_certified_firms", "year", 2022, 5),
    (HUAINAN, "ip_certified_firms", "year", 2023, 7),
    # The office reports its milestone as a dated stock.
    (HUAINAN, "milestone_patent_navigation_base", "stock", 2022, 1, "office"),
]


@pytest.fixture
def targets(engine) -> dict[str, dict]:
    put_facts(engine, TARGET_FACTS)
    marts.rebuild_marts(engine)
    return {r["target_id"]: r for r in rows_of(engine, mart_target)}


def test_every_plan_target_has_a_row(targets):
    assert set(targets) == {t.id for t in load_targets()}
    assert targets["tech_transfer_center_2023"]["status"] == "no_data"
    assert targets["tech_transfer_center_2023"]["note"] == "not reported by the office"


def test_target_already_met_ignores_the_method_break_series(targets):
    row = targets["high_value_patents_reach_anhui_2023"]
    assert row["status"] == "achieved"
    assert (row["baseline_value"], row["latest_value"], row["target_value"]) == (5, 12, 10)
    assert row["latest_period_end"] == end(2023) and row["latest_tier"] == "sample"
    assert row["observed_growth"] == pytest.approx((12 / 5) ** (1 / 3) - 1)
    assert row["required_growth"] == pytest.approx((10 / 5) ** (1 / 3) - 1)
    assert row["needed_growth_now"] is None and row["n_points"] == 2
    assert "method break" in row["note"] and "applicant_address" in row["note"]
    assert row["title_zh"] == "每万人口高价值发明专利拥有量达到全省平均水平"


def test_negative_growth_is_deteriorating(targets):
    row = targets["trademarks_reach_anhui_2023"]
    # Benchmark 1800 in 2022 growing (1800/1500)^(1/2) − 1 a year, projected one year ahead.
    goal = 1800 * math.sqrt(1800 / 1500)
    assert row["target_value"] == pytest.approx(goal)
    assert row["required_growth"] == pytest.approx(goal / 900 - 1)
    assert row["needed_growth_now"] == pytest.approx(goal / 900 - 1)
    assert row["observed_growth"] == pytest.approx(math.sqrt(0.9) - 1)
    assert row["status"] == "deteriorating"
    assert row["latest_period_end"] == end(2022)


def test_zero_and_missing_baselines_fall_back_to_levels(targets):
    zero = targets["patent_pledge_growth_2023"]
    assert (zero["baseline_value"], zero["latest_value"]) == (0, 200_000_000)
    assert zero["status"] == "needs_acceleration" and zero["n_points"] == 3
    assert zero["required_growth"] is None and zero["observed_growth"] is None
    assert "baseline is zero" in zero["note"]
    missing = targets["pledge_entities_growth_2023"]
    assert missing["baseline_value"] is None and missing["status"] == "needs_acceleration"
    assert "no value for the baseline year 2020" in missing["note"]


def test_count_per_year_and_milestone(targets):
    firms = targets["certified_firms_per_year_2023"]
    assert (firms["status"], firms["target_value"], firms["latest_value"]) == ("achieved", 5, 7)
    base = targets["patent_navigation_base_2023"]
    assert (base["status"], base["latest_tier"]) == ("achieved", "office")


def test_target_view_names_region_and_indicator(engine, targets):
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "select region_name, indicator_name_zh, status from v_target_status "
                "where target_id = 'trademarks_reach_anhui_2023'"
            )
        ).one()
    assert tuple(row) == ("淮南市", "每万户市场主体商标拥有量", "deteriorating")


def test_trend_keeps_the_main_series_and_measures_catching_up(engine, targets):
    rows = {
        r["period_end"].year: r
        for r in rows_of(engine, mart_trend, region_code=HUAINAN, indicator="ip_certified_firms")
    }
    assert sorted(rows) == [2021, 2022, 2023]
    assert rows[2022]["yoy_growth"] == pytest.approx(5 / 6 - 1)
    assert rows[2023]["cagr_3y"] is None and "no value for 2020" in rows[2023]["cagr_reason"]
    # Huainan is the only Anhui city here: no three peers, no benchmark to catch up with.
    assert rows[2023]["benchmark"] is None and rows[2023]["years_to_catch_up"] is None
    breaks = rows_of(
        engine, mart_trend, region_code=HUAINAN, indicator="high_value_patents_per_10k"
    )
    assert [r["value"] for r in sorted(breaks, key=lambda r: r["period_end"])] == [5, 12]


# --- the full sample archive on both backends ----------------------------------------------------


@pytest.fixture(scope="module")
def sample_warehouses(tmp_path_factory):
    """The sample refresh into a SQLite and a PostgreSQL warehouse, each from its own archive."""
    from pipelines.refresh import run_refresh

    pg_name, pg_url = fresh_postgres_database()
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'warehouse.db'}"}
    urls["postgresql"] = pg_url
    try:
        for backend, url in urls.items():
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("IPBENCH_DATA_DIR", str(tmp_path_factory.mktemp(f"data-{backend}")))
                mp.setenv("IPBENCH_DATABASE_URL", url)
                mp.delenv("IPBENCH_ARCHIVE_DIR", raising=False)
                mp.delenv("IPBENCH_SIMULATOR", raising=False)
                outcome = run_refresh("sample", database_url=url)
                assert outcome.succeeded, outcome.message
        yield urls
    finally:
        make_engine(pg_url).dispose()
        drop_postgres_database(pg_name)


def _plain(value):
    """One spelling per value across drivers: SQLite hands raw SQL back dates as text and
    booleans as 0/1, psycopg2 as date and bool."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, bool):
        return int(value)
    return value


def _sorted_rows(url: str, sql: str) -> list[tuple]:
    with make_engine(url).connect() as conn:
        rows = [tuple(_plain(v) for v in r) for r in conn.execute(text(sql))]
    # Ordered by the non-float columns only, so float rounding cannot reorder rows.
    return sorted(
        rows, key=lambda r: tuple((v is not None, str(v)) for v in r if not isinstance(v, float))
    )


def _equal_rows(left: list[tuple], right: list[tuple]) -> None:
    assert len(left) == len(right)
    for a, b in zip(left, right, strict=True):
        for x, y in zip(a, b, strict=True):
            if isinstance(x, float) or isinstance(y, float):
                assert x == pytest.approx(y, rel=1e-9, abs=1e-9), (a, b)
            else:
                assert x == y, (a, b)


@pytest.mark.slow
@pytest.mark.parametrize("table", MART_TABLES, ids=lambda t: t.name)
def test_marts_equal_on_sqlite_and_postgresql(sample_warehouses, table):
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    sql = f"select {columns} from {table.name}"
    left = _sorted_rows(sample_warehouses["sqlite"], sql)
    right = _sorted_rows(sample_warehouses["postgresql"], sql)
    assert left, f"{table.name} is empty after the sample refresh"
    _equal_rows(left, right)


@pytest.mark.slow
@pytest.mark.parametrize("view", [name for name, _ in VIEWS])
def test_views_equal_on_sqlite_and_postgresql(sample_warehouses, view):
    left = _sorted_rows(sample_warehouses["sqlite"], f"select * from {view}")
    right = _sorted_rows(sample_warehouses["postgresql"], f"select * from {view}")
    assert left, f"{view} is empty after the sample refresh"
    _equal_rows(left, right)


PLAN_INDICATORS = sorted({t.indicator for t in load_targets() if t.rule != "milestone"})


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize("peers", ["anhui", "yrd"])
def test_gap_answers_every_plan_indicator(sample_warehouses, backend, peers, monkeypatch):
    from pipelines.cli import app

    monkeypatch.setenv("IPBENCH_DATABASE_URL", sample_warehouses[backend])
    result = CliRunner().invoke(
        app, ["gap", "--region", "淮南", "--peers", peers, "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    answered = {r["indicator"] for r in rows if r["peer_group"] == peers and r["value"]}
    assert set(PLAN_INDICATORS) <= answered, sorted(set(PLAN_INDICATORS) - answered)
    assert all(r["benchmark"] and r["band"] for r in rows if r["indicator"] in PLAN_INDICATORS)
    # Every value says its tier; a ratio the warehouse derived says so too.
    assert all(r["tier"] for r in rows if r["indicator"] in PLAN_INDICATORS)
    assert "sample, derived" in {r["tier"] for r in rows}


@pytest.mark.slow
def test_sample_marts_count_shanghai_once_and_no_district(sample_warehouses):
    url = sample_warehouses["sqlite"]
    sizes = dict(
        _sorted_rows(url, "select peer_group, max(n) from mart_benchmark group by peer_group")
    )
    assert (sizes["yrd"], sizes["anhui"]) == (41, 16)
    gap_regions = {r[0] for r in _sorted_rows(url, "select distinct region_code from mart_gap")}
    assert "310100" in gap_regions and not any(
        c.startswith("3101") and c != "310100" for c in gap_regions
    )
    districts = _sorted_rows(
        url,
        "select count(*) from fact f join region r on r.region_code = f.region_code "
        "where r.level = 'district' and r.parent_code = '310100'",
    )
    assert districts == [(16 * 2 * 5,)]  # population and valid invention patents, 2019-2023
    indexed = _sorted_rows(
        url, 'select count(distinct region_code) from mart_index where "index" is not null'
    )
    shanghai = _sorted_rows(
        url, "select count(*) from mart_index where region_code = '310100' and \"index\" > 0"
    )
    assert indexed == [(41,)] and shanghai == [(5,)]  # 41 cities, Shanghai each year 2019-2023


@pytest.mark.slow
def test_sample_targets_and_index_for_huainan(sample_warehouses):
    url = sample_warehouses["sqlite"]
    statuses = dict(
        _sorted_rows(url, "select target_id, status from mart_target where status <> 'no_data'")
    )
    # Every quantitative plan target has data in the sample archive and gets a verdict.
    plan = {t.id for t in load_targets() if t.rule != "milestone"}
    assert plan <= set(statuses)
    years = _sorted_rows(
        url,
        "select year, band from mart_index where region_code = '340400' and \"index\" is not null",
    )
    assert [y for y, _ in years] == [2019, 2020, 2021, 2022, 2023]
    catch_up = _sorted_rows(
        url,
        "select years_to_catch_up from mart_trend where region_code = '340400' "
        "and indicator = 'high_value_patents_per_10k' and period_end = '2023-12-31'",
    )
    assert catch_up[0][0] is not None and catch_up[0][0] > 0
