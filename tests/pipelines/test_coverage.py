"""`ipbench coverage` after a sample refresh: every benchmark cell of Huainan and Hangzhou is
held, filters narrow the matrix, and the CSV has one row per cell with the documented columns."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.refresh import run_refresh
from warehouse import coverage as cov
from warehouse.db import make_engine

pytestmark = pytest.mark.slow


@pytest.fixture
def refreshed(database_url):
    outcome = run_refresh("sample", database_url=database_url)
    assert outcome.succeeded, outcome.message
    return database_url


def test_huainan_and_hangzhou_have_every_benchmark_indicator(refreshed):
    engine = make_engine(refreshed)
    try:
        cells = cov.coverage(engine, ["340400", "330100"])
    finally:
        engine.dispose()
    assert len(cells) == 2 * len(cov.BENCHMARK_INDICATORS) * 5
    assert [c for c in cells if c.tier == "missing"] == []
    tiers = {(c.region_code, c.indicator, c.year): c.tier for c in cells}
    assert tiers[("330100", "invention_grants", 2023)] == "official"  # the real zjamr page
    assert tiers[("330100", "population", 2023)] == "secondary"  # the real repost
    assert tiers[("340400", "patents_granted", 2020)] == "sample"


def test_filters_and_csv(refreshed, tmp_path):
    out = tmp_path / "coverage.csv"
    result = CliRunner().invoke(
        app,
        ["coverage", "--region", "杭州", "--indicator", "population", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "杭州市 330100" in result.output and "=missing" in result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == cov.CSV_COLUMNS
    assert [(r["region_code"], r["indicator"], r["year"]) for r in rows] == [
        ("330100", "population", str(y)) for y in cov.YEARS
    ]
    assert [r["tier"] for r in rows] == ["sample"] * 4 + ["secondary"]


def test_an_absent_year_is_missing_and_unknown_indicators_are_refused(refreshed):
    engine = make_engine(refreshed)
    try:
        cells = cov.coverage(engine, ["340400"], ["population"], years=[2010])
    finally:
        engine.dispose()
    assert [c.tier for c in cells] == ["missing"]
    result = CliRunner().invoke(app, ["coverage", "--indicator", "no_such_thing"])
    assert result.exit_code == 1 and "unknown indicator" in result.output


def test_shanghai_is_counted_once_and_its_districts_only_on_request(refreshed):
    engine = make_engine(refreshed)
    try:
        with engine.connect() as conn:
            known = [
                tuple(r)
                for r in conn.execute(text("select region_code, level, province_code from region"))
            ]
        regions = cov.default_regions(known)
        assert len(regions) == 44 and "310000" in regions
        assert not [c for c in regions if c.startswith("3101")]
        cells = cov.coverage(engine, ["310115"], ["population", "valid_invention_patents"])
    finally:
        engine.dispose()
    assert [c.tier for c in cells] == ["sample"] * 10  # 浦东新区 from the yearbook tables


def test_every_yrd_region_has_every_benchmark_indicator_and_zhejiangs_own_stays_apart(refreshed):
    from sources.reference import all_known_regions, indicators

    known = all_known_regions().values()
    regions = cov.default_regions((r.code, r.level, r.province_code) for r in known)
    zhejiang = [r for r in regions if r.startswith("33")]
    engine = make_engine(refreshed)
    try:
        cells = cov.coverage(engine, regions)
        own = cov.coverage(engine, zhejiang, ["zj_trademarks_per_100_firms"])
    finally:
        engine.dispose()
    assert len(regions) == 44  # 4 provinces and 40 cities; Shanghai is both
    assert [c for c in cells if c.tier == "missing"] == []
    # Zhejiang's own indicator is no benchmark indicator (no other region publishes it) ...
    scoped = {i.id for i in indicators().values() if i.scope}
    assert "zj_trademarks_per_100_firms" in scoped and not scoped & set(cov.BENCHMARK_INDICATORS)
    # ... and is held for Zhejiang and its 11 cities, the province's 2023 from the real repost.
    assert len(zhejiang) == 12 and [c for c in own if c.tier == "missing"] == []
    assert {(c.region_code, c.year): c.tier for c in own}[("330000", 2023)] == "secondary"
