"""Year-on-year growth, 3-year CAGR and years to catch up, on real published series."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from warehouse.derive import facts_frame
from warehouse.trends import cagr, trends, years_to_catch_up

D = dt.date


def series(region, indicator, points, *, tier="secondary", kind="stock", **extra):
    return [
        dict(
            region_code=region,
            indicator=indicator,
            period_kind=kind,
            period_end=end,
            value=value,
            tier=tier,
            **extra,
        )
        for end, value in points.items()
    ]


# Real: 合肥 万人发明专利拥有量 39.95 (2020), 45.4 (2021), 57.1 (2022), 60.8 (2023-04-30),
# 63.5 (2023-06-30), 95.84 (2025).
HEFEI = series(
    "340100",
    "invention_patents_per_10k",
    {
        D(2020, 12, 31): 39.95,
        D(2021, 12, 31): 45.4,
        D(2022, 12, 31): 57.1,
        D(2023, 4, 30): 60.8,
        D(2023, 6, 30): 63.5,
        D(2025, 12, 31): 95.84,
    },
)
# Real: 全国(国内) 有效发明专利 (CNIPA yearbook 2022 table 3-1, official), and a month-end stock.
NATIONAL = series(
    "100000",
    "valid_invention_patents",
    {
        D(2019, 12, 31): 1_926_122,
        D(2020, 12, 31): 2_279_123,
        D(2021, 12, 31): 2_773_287,
        D(2022, 9, 30): 3_225_541,
        D(2022, 12, 31): 3_351_453,
    },
    tier="official",
)


def by_year(frame, region):
    return {r["year"]: r for r in frame.iter_rows(named=True) if r["region_code"] == region}


def test_yoy_only_between_consecutive_year_ends():
    rows = by_year(trends(facts_frame(HEFEI)), "340100")
    assert sorted(rows) == [2020, 2021, 2022, 2025]  # mid-year 2023 stocks are not year ends
    assert rows[2020]["yoy"] is None
    assert rows[2021]["yoy"] == pytest.approx(45.4 / 39.95 - 1)  # +13.6 %
    assert rows[2022]["yoy"] == pytest.approx(57.1 / 45.4 - 1)  # +25.8 %
    assert rows[2025]["yoy"] is None  # no 2024 value


def test_three_year_cagr_needs_three_points_over_three_years():
    rows = by_year(trends(facts_frame(HEFEI)), "340100")
    assert rows[2025]["cagr_3y"] is None
    assert rows[2025]["cagr_reason"] == "only 2 points in 2022-2025, 3 needed"
    assert rows[2022]["cagr_reason"] == "no value for 2019"
    national = by_year(trends(facts_frame(NATIONAL)), "100000")
    # (3,351,453 / 1,926,122)^(1/3) - 1 = 20.3 %
    assert national[2022]["cagr_3y"] == pytest.approx((3_351_453 / 1_926_122) ** (1 / 3) - 1)
    assert national[2022]["cagr_reason"] == ""
    assert national[2020]["yoy"] == pytest.approx(2_279_123 / 1_926_122 - 1)


def test_other_series_and_derived_duplicates_are_kept_apart():
    broken = series(
        "100000",
        "valid_invention_patents",
        {D(2020, 12, 31): 9.0, D(2021, 12, 31): 99.0},
        tier="sample",
        series="applicant_address",
    )
    derived_copy = series(
        "100000", "valid_invention_patents", {D(2021, 12, 31): 1.0}, tier="sample", derived=True
    )
    rows = by_year(trends(facts_frame(NATIONAL + broken + derived_copy)), "100000")
    assert rows[2021]["value"] == 2_773_287
    assert rows[2021]["yoy"] == pytest.approx(2_773_287 / 2_279_123 - 1)


def test_cagr_is_undefined_from_zero():
    assert cagr(0, 10, 2) is None
    assert cagr(None, 10, 2) is None
    assert cagr(100, 121, 2) == pytest.approx(0.1)
    assert cagr(100, 0, 1) == pytest.approx(-1.0)


def test_years_to_catch_up():
    # 3 growing 20 % against 4.84 growing 10 %: n = ln(4.84/3) / ln(1.2/1.1) = 5.497
    assert years_to_catch_up(3, 0.2, 4.84, 0.1) == pytest.approx(
        math.log(4.84 / 3) / math.log(1.2 / 1.1)
    )
    assert years_to_catch_up(5, 0.0, 4.84, 0.1) == 0.0
    assert years_to_catch_up(3, 0.1, 4.84, 0.1) is None  # same pace: never
    assert years_to_catch_up(3, 0.05, 4.84, 0.1) is None  # slower: never
    assert years_to_catch_up(0, 0.5, 4.84, 0.1) is None  # nothing to grow from


def test_years_to_catch_up_when_lower_is_better():
    # 10 falling 10 % a year against a flat 8: n = ln(8/10) / ln(0.9) = 2.118
    assert years_to_catch_up(10, -0.1, 8, 0.0, higher_is_better=False) == pytest.approx(
        math.log(0.8) / math.log(0.9)
    )
    assert years_to_catch_up(7, 0.5, 8, 0.0, higher_is_better=False) == 0.0
    assert years_to_catch_up(10, 0.0, 8, 0.0, higher_is_better=False) is None
