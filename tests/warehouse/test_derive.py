"""Derived ratios, published vs derived, and provincial averages.

Real figures (reference/figures.csv) keep their source's tier; invented ones are tier sample.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from sources.errors import ValidationFailed
from sources.reference import indicators, regions
from warehouse.derive import (
    compare_published_derived,
    derive_ratios,
    facts_frame,
    province_average,
    province_benchmarks,
)
from warehouse.targets import load_targets, track_targets

D = dt.date


def row(region, indicator, end, value, *, kind="stock", tier="secondary", **extra):
    return dict(
        region_code=region,
        indicator=indicator,
        period_kind=kind,
        period_end=end,
        value=value,
        tier=tier,
        **extra,
    )


# Real: 合肥 有效发明专利 60134 (2023-06-30) and 57564 (2023-04-30), 万人发明专利拥有量 63.5 and
# 60.8 on the same dates, 年末常住人口 963.4万 at end-2022 (all secondary mirrors).
HEFEI = [
    row("340100", "valid_invention_patents", D(2023, 6, 30), 60134),
    row("340100", "valid_invention_patents", D(2023, 4, 30), 57564),
    row("340100", "invention_patents_per_10k", D(2023, 6, 30), 63.5),
    row("340100", "invention_patents_per_10k", D(2023, 4, 30), 60.8),
    row("340100", "population", D(2022, 12, 31), 9_634_000),
]


def test_published_ratio_is_compared_with_the_one_derived_from_counts():
    out = compare_published_derived(facts_frame(HEFEI), indicators())
    assert out["period_end"].to_list() == [D(2023, 4, 30), D(2023, 6, 30)]
    # 60134 / 9,634,000 * 10,000 = 62.4185 against 63.5: -1.70 %
    june = out.row(1, named=True)
    assert june["derived"] == pytest.approx(60134 / 9_634_000 * 10_000)
    assert june["rel_diff"] == pytest.approx(62.41852 / 63.5 - 1, abs=1e-6)
    # 57564 / 9,634,000 * 10,000 = 59.7509 against 60.8: -1.73 %
    assert out["rel_diff"][0] == pytest.approx(57564 / 9_634_000 * 10_000 / 60.8 - 1)


def test_nothing_is_derived_where_a_ratio_is_published():
    assert derive_ratios(facts_frame(HEFEI), indicators()).is_empty()


def test_previous_year_end_denominator_of_the_preferred_vintage():
    facts = facts_frame(
        [
            # Real: 安徽 end-2019 population 6365.9万 pre-census and 6092万 revised.
            row("340000", "population", D(2019, 12, 31), 63_659_000, vintage="pre-census"),
            row("340000", "population", D(2019, 12, 31), 60_920_000, vintage="revised"),
            row("340000", "population", D(2020, 12, 31), 61_050_000, vintage="revised"),
            row("340000", "valid_invention_patents", D(2020, 12, 31), 90_000, tier="sample"),
        ]
    )
    (out,) = derive_ratios(facts, indicators()).iter_rows(named=True)
    # 90,000 / 60,920,000 (end-2019, revised) * 10,000 = 14.7735 — not the pre-census 14.138,
    # and not the same-year 61,050,000 (14.742)
    assert out["indicator"] == "invention_patents_per_10k"
    assert out["value"] == pytest.approx(90_000 / 60_920_000 * 10_000)
    assert (out["denominator_period_end"], out["denominator_vintage"]) == (
        D(2019, 12, 31),
        "revised",
    )
    assert out["denominator_basis"] == "previous_year_end"
    assert (out["derived"], out["tier"], out["unit"]) == (True, "sample", "件/万人")


def test_same_year_end_is_the_fallback_and_is_recorded():
    facts = facts_frame(
        [
            # Real: 淮南 end-2023 population 301.6万 (secondary); the count is invented.
            row("340400", "population", D(2023, 12, 31), 3_016_000),
            row("340400", "high_value_invention_patents", D(2023, 12, 31), 1500, tier="sample"),
        ]
    )
    (out,) = derive_ratios(facts, indicators()).iter_rows(named=True)
    assert out["value"] == pytest.approx(1500 / 3_016_000 * 10_000)  # 4.9735
    assert out["denominator_basis"] == "same_year_end"
    assert out["denominator_period_end"] == D(2023, 12, 31)


def test_tier_is_the_weaker_of_the_two_inputs():
    facts = facts_frame(
        [
            row("340100", "valid_invention_patents", D(2023, 6, 30), 60134, tier="secondary"),
            row("340100", "population", D(2022, 12, 31), 9_634_000, tier="official"),
        ]
    )
    assert derive_ratios(facts, indicators())["tier"].to_list() == ["secondary"]


def test_flow_ratio_uses_the_previous_year_population():
    facts = facts_frame(
        [
            # Real: 浙江 作品自愿登记量 4.66万 in 2023 and 每百万人 708.21 (secondary).
            row("330000", "copyright_registrations", D(2023, 12, 31), 46_600, kind="year"),
            row("330000", "copyright_registrations_per_million", D(2023, 12, 31), 708.21),
            # Zhejiang's end-2022 population (6577万) is not in the reference figures: sample.
            row("330000", "population", D(2022, 12, 31), 65_770_000, tier="sample"),
        ]
    )
    (out,) = compare_published_derived(facts, indicators()).iter_rows(named=True)
    # 46,600 / 65,770,000 * 1,000,000 = 708.53 against 708.21: +0.05 %
    assert out["derived"] == pytest.approx(46_600 / 65_770_000 * 1e6)
    assert abs(out["rel_diff"]) < 0.001


def test_no_ratio_without_a_usable_denominator_or_from_partial_years():
    facts = facts_frame(
        [
            row("330000", "copyright_registrations", D(2023, 6, 30), 20_000, kind="ytd"),
            row("330000", "population", D(2022, 12, 31), 65_770_000, tier="sample"),
            row("340400", "high_value_invention_patents", D(2023, 12, 31), 1500, tier="sample"),
            row("340400", "population", D(2022, 12, 31), 0, tier="sample"),
            row("320100", "high_value_invention_patents", D(2023, 12, 31), 9000, tier="sample"),
        ]
    )
    assert derive_ratios(facts, indicators()).is_empty()


def test_bad_frames_are_refused():
    with pytest.raises(ValidationFailed, match="lacks columns"):
        derive_ratios(pl.DataFrame({"value": [1.0]}), indicators())
    bad = facts_frame([row("340400", "population", D(2022, 12, 31), 1, tier="rumour")])
    with pytest.raises(ValidationFailed, match="unknown tiers"):
        derive_ratios(bad, indicators())


ANHUI_2023 = [
    # Invented values (sample) for four cities and the province; real Anhui end-2022 population.
    row("340100", "high_value_patents_per_10k", D(2023, 12, 31), 20.0, tier="sample"),
    row("340400", "high_value_patents_per_10k", D(2023, 12, 31), 3.0, tier="sample"),
    row("340200", "high_value_patents_per_10k", D(2023, 12, 31), 10.0, tier="sample"),
    row("341000", "high_value_invention_patents", D(2023, 12, 31), 1323, tier="sample"),
    # Real: 黄山 end-2022 population 132.3万.
    row("341000", "population", D(2022, 12, 31), 1_323_000),
    row("340000", "high_value_invention_patents", D(2023, 12, 31), 61_270, tier="sample"),
    # Real: 安徽 end-2022 population 6127万.
    row("340000", "population", D(2022, 12, 31), 61_270_000),
]


def test_province_average_both_ways():
    out = province_average(
        facts_frame(ANHUI_2023), regions(), "high_value_patents_per_10k", D(2023, 12, 31)
    )
    by = {r["definition"]: r for r in out.iter_rows(named=True)}
    # province: 61,270 / 61,270,000 * 10,000 = 10.0, derived from the province's counts
    assert by["province_ratio"]["value"] == pytest.approx(10.0)
    assert by["province_ratio"]["derived"] is True
    # cities: Hefei 20, Huainan 3, Wuhu 10 published; Huangshan 1323 / 1,323,000 * 1e4 = 10
    # derived: (20 + 3 + 10 + 10) / 4 = 10.75, 4 of Anhui's 16 cities
    assert by["city_mean"]["value"] == pytest.approx(10.75)
    assert (by["city_mean"]["n_regions"], by["city_mean"]["n_expected"]) == (4, 16)


def test_province_average_refuses_a_city():
    with pytest.raises(ValidationFailed, match="not a province"):
        province_average(
            facts_frame(ANHUI_2023),
            regions(),
            "population",
            D(2023, 12, 31),
            province_code="340400",
        )


def test_benchmarks_feed_target_tracking():
    earlier = [
        row("340000", "high_value_patents_per_10k", D(2020, 12, 31), 8.0, tier="sample"),
        row("340400", "high_value_patents_per_10k", D(2020, 12, 31), 2.0, tier="sample"),
    ]
    facts = facts_frame(ANHUI_2023 + earlier)
    bench = province_benchmarks(facts, regions(), indicators(), ["high_value_patents_per_10k"])
    ratio = bench.filter(pl.col("definition") == "province_ratio")
    assert ratio["value"].to_list() == pytest.approx([8.0, 10.0])
    (target,) = [t for t in load_targets() if t.id == "high_value_patents_reach_anhui_2023"]
    out = track_targets(facts, [target], bench).row(0, named=True)
    # At the deadline (2023) Huainan has 3.0 against the province's 10.0: missed.
    assert (out["status"], out["target_value"], out["latest_value"]) == ("off_track", 10.0, 3.0)
