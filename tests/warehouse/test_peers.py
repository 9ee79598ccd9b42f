"""Shanghai in the peer groups: one city (310100, with the figures published for 310000) in the
city groups, never its 16 districts, so the Yangtze-Delta group has 41 cities."""

from __future__ import annotations

import datetime as dt

import polars as pl

from sources.reference import regions
from warehouse.benchmarks import benchmark_rows, fact_values, gap_rows
from warehouse.derive import FACT_SCHEMA
from warehouse.peers import load_peer_groups, municipal_cities, with_municipal_cities

SHANGHAI, SHANGHAI_CITY, HUANGPU, PUDONG = "310000", "310100", "310101", "310115"
END = dt.date(2023, 12, 31)


def test_city_groups_hold_shanghai_once_and_no_district():
    known = regions()
    districts = {code for code, r in known.items() if r.parent_code == SHANGHAI_CITY}
    assert len(districts) == 16 and {known[c].level for c in districts} == {"district"}
    groups = load_peer_groups()
    for group in groups.values():
        assert not districts & set(group.members), group.id
        if group.level == "city":
            assert {known[c].level for c in group.members} == {"city"}, group.id
    assert len(groups["yrd"].members) == 41
    assert [c for c in groups["yrd"].members if c.startswith("31")] == [SHANGHAI_CITY]
    assert groups["shanghai"].members == (SHANGHAI_CITY,)
    assert municipal_cities(known) == {SHANGHAI_CITY: SHANGHAI}


def _facts(values: dict[str, float]) -> pl.DataFrame:
    rows = [
        {
            "region_code": code,
            "indicator": "valid_invention_patents",
            "period_kind": "stock",
            "period_end": END,
            "value": value,
            "unit": "件",
            "tier": "sample",
            "series": "",
            "vintage": "",
            "derived": False,
            "publisher": "test",
            "document_sha256": "f" * 64,
        }
        for code, value in values.items()
    ]
    return pl.DataFrame(rows, schema=FACT_SCHEMA)


def test_yrd_benchmark_counts_41_cities_and_never_a_district():
    known = regions()
    groups = load_peer_groups()
    cities = [c for c in groups["yrd"].members if c != SHANGHAI_CITY]
    values = dict.fromkeys(cities, 100.0)
    values |= {SHANGHAI: 4100.0, HUANGPU: 1_000_000.0, PUDONG: 1_000_000.0}
    facts = with_municipal_cities(
        _facts(values), known, ("indicator", "period_kind", "period_end", "series")
    )
    by_key, meta = fact_values(facts)
    direction = {"valid_invention_patents": True}
    yrd = next(
        r for r in benchmark_rows(by_key, direction, groups, meta) if r["peer_group"] == "yrd"
    )
    assert yrd["n"] == 41
    assert (
        yrd["max"] == 4100.0 and yrd["best_region_code"] == SHANGHAI_CITY
    )  # Shanghai, not a district
    assert yrd["mean"] == (40 * 100.0 + 4100.0) / 41
    level = {code: r.level for code, r in known.items()}
    gaps = gap_rows(by_key, direction, level, groups, meta)
    assert not {HUANGPU, PUDONG} & {r["region_code"] for r in gaps}
    shanghai = [r for r in gaps if r["region_code"] == SHANGHAI_CITY and r["peer_group"] == "yrd"]
    assert [(r["value"], r["rank"], r["n_peers"]) for r in shanghai] == [(4100.0, 1, 41)]
