"""Trends per region and indicator: year-on-year growth, 3-year CAGR, years to catch up.

Only year-end points are compared (a stock at 31 December or a full-year flow): a mid-year stock
or a year-to-date flow against a year-end one would read seasonality as growth. Only the main
series (``series == ''``) is used, so a method break is never spliced into one growth rate.
:func:`trend_rows` gives the ``mart_trend`` rows.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

from sources.reference import HUAINAN_CODE
from warehouse.derive import require_columns

CAGR_YEARS = 3
CAGR_MIN_POINTS = 3
TREND_COLUMNS = (
    "region_code",
    "indicator",
    "period_kind",
    "year",
    "value",
    "yoy",
    "cagr_3y",
    "cagr_reason",
)
# Huainan's "years to catch up" are measured against this group's mean (as in mart_gap).
TREND_BENCHMARK_GROUP = "anhui"


def cagr(first: float | None, last: float | None, years: float) -> float | None:
    """Compound annual growth (last/first)^(1/years) − 1; None when undefined (a missing or
    non-positive value, or no elapsed time)."""
    if first is None or last is None or years <= 0 or first <= 0 or last < 0:
        return None
    return (last / first) ** (1 / years) - 1


def annual_points(facts: pl.DataFrame) -> pl.DataFrame:
    """Year-end points of the main series: region_code, indicator, period_kind, year, value,
    derived. Published values win over derived ones for the same year."""
    require_columns(
        facts,
        ("region_code", "indicator", "period_kind", "period_end", "value", "series", "derived"),
        "annual_points",
    )
    year_end = (pl.col("period_end").dt.month() == 12) & (pl.col("period_end").dt.day() == 31)
    return (
        facts.filter(
            (pl.col("series") == "")
            & pl.col("period_kind").is_in(["stock", "year"])
            & year_end
            & pl.col("value").is_not_null()
        )
        .sort("derived")
        .unique(["region_code", "indicator", "period_kind", "period_end"], keep="first")
        .select(
            "region_code",
            "indicator",
            "period_kind",
            pl.col("period_end").dt.year().alias("year"),
            "value",
            "derived",
        )
        .sort("region_code", "indicator", "period_kind", "year")
    )


def _cagr_at(years: list[int], values: list[float], i: int) -> tuple[float | None, str]:
    year = years[i]
    start = year - CAGR_YEARS
    window = [j for j in range(i + 1) if years[j] >= start]
    if years[window[0]] != start:
        return None, f"no value for {start}"
    if len(window) < CAGR_MIN_POINTS:
        return None, f"only {len(window)} points in {start}-{year}, {CAGR_MIN_POINTS} needed"
    value = cagr(values[window[0]], values[i], CAGR_YEARS)
    if value is None:
        return None, f"value in {start} is zero or negative"
    return value, ""


def _series_trend(years: list[int], values: list[float]) -> tuple[list, list, list]:
    yoy, growth, reasons = [], [], []
    for i, year in enumerate(years):
        previous = i > 0 and years[i - 1] == year - 1
        yoy.append(cagr(values[i - 1], values[i], 1) if previous else None)
        value, reason = _cagr_at(years, values, i)
        growth.append(value)
        reasons.append(reason)
    return yoy, growth, reasons


def trends(facts: pl.DataFrame) -> pl.DataFrame:
    """One row per region × indicator × period kind × year: the value, growth on the previous
    year (null when that year is missing), and the CAGR over the 3 years ending there (null
    with ``cagr_reason`` unless there is a value 3 years earlier and at least 3 points)."""
    points = annual_points(facts)
    rows: list[dict] = []
    for key, group in points.group_by(
        ["region_code", "indicator", "period_kind"], maintain_order=True
    ):
        years = group["year"].to_list()
        values = group["value"].to_list()
        yoy, growth, reasons = _series_trend(years, values)
        region, indicator, kind = key
        for i, year in enumerate(years):
            rows.append(
                {
                    "region_code": region,
                    "indicator": indicator,
                    "period_kind": kind,
                    "year": year,
                    "value": values[i],
                    "yoy": yoy[i],
                    "cagr_3y": growth[i],
                    "cagr_reason": reasons[i],
                }
            )
    schema = {
        "region_code": pl.String,
        "indicator": pl.String,
        "period_kind": pl.String,
        "year": pl.Int32,
        "value": pl.Float64,
        "yoy": pl.Float64,
        "cagr_3y": pl.Float64,
        "cagr_reason": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def years_to_catch_up(
    value: float,
    growth: float,
    benchmark: float,
    benchmark_growth: float,
    *,
    higher_is_better: bool = True,
) -> float | None:
    """Years until ``value`` growing at ``growth`` reaches ``benchmark`` growing at
    ``benchmark_growth``: n = ln(B/v) / ln((1+g)/(1+g_B)). 0 when already there, None when it
    never catches up at these rates (or the arithmetic is undefined: a zero value cannot grow
    multiplicatively, growth of −100 % ends the series)."""
    reached = value >= benchmark if higher_is_better else value <= benchmark
    if reached:
        return 0.0
    if value <= 0 or benchmark <= 0 or growth <= -1 or benchmark_growth <= -1:
        return None
    pace = math.log((1 + growth) / (1 + benchmark_growth))
    if pace == 0:
        return None
    years = math.log(benchmark / value) / pace
    return years if years > 0 and math.isfinite(years) else None


def _growth_pair(own: dict, bench: dict | None) -> tuple[str | None, float | None, float | None]:
    """Compare like with like: both 3-year CAGRs, else both year-on-year growths."""
    if bench is None:
        return None, None, None
    for basis, column in (("cagr_3y", "cagr_3y"), ("yoy", "yoy")):
        if own[column] is not None and bench[column] is not None:
            return basis, own[column], bench[column]
    return None, None, None


def trend_rows(
    facts: pl.DataFrame, benchmarks: list[dict], direction: dict, meta: dict
) -> list[dict]:
    """``mart_trend``: growth per region × indicator × year end; for Huainan, the years to
    reach the anhui city mean if both kept their growth (CAGR, or YoY when no CAGR exists)."""
    mean_points = [
        {
            "region_code": TREND_BENCHMARK_GROUP,
            "indicator": b["indicator"],
            "period_kind": b["period_kind"],
            "period_end": b["period_end"],
            "value": b["mean"],
        }
        for b in benchmarks
        if b["peer_group"] == TREND_BENCHMARK_GROUP
    ]
    bench_frame = pl.DataFrame(
        [{**p, "series": "", "derived": False} for p in mean_points],
        schema={
            "region_code": pl.String,
            "indicator": pl.String,
            "period_kind": pl.String,
            "period_end": pl.Date,
            "value": pl.Float64,
            "series": pl.String,
            "derived": pl.Boolean,
        },
    )
    bench_trend = {
        (r["indicator"], r["period_kind"], r["year"]): r for r in trends(bench_frame).to_dicts()
    }
    rows = []
    for r in trends(facts).to_dicts():
        period_end = dt.date(r["year"], 12, 31)
        key = (r["indicator"], r["period_kind"], period_end, r["region_code"])
        tier, derived = meta.get(key, (None, False))
        row = {
            "region_code": r["region_code"],
            "indicator": r["indicator"],
            "period_kind": r["period_kind"],
            "period_end": period_end,
            "value": r["value"],
            "derived": derived,
            "tier": tier,
            "yoy_growth": r["yoy"],
            "cagr_3y": r["cagr_3y"],
            "cagr_reason": r["cagr_reason"],
            "benchmark": None,
            "benchmark_growth": None,
            "growth_basis": None,
            "years_to_catch_up": None,
        }
        bench = bench_trend.get((r["indicator"], r["period_kind"], r["year"]))
        if r["region_code"] == HUAINAN_CODE and bench is not None:
            basis, growth, bench_growth = _growth_pair(r, bench)
            row.update(benchmark=bench["value"], benchmark_growth=bench_growth, growth_basis=basis)
            if basis is not None:
                row["years_to_catch_up"] = years_to_catch_up(
                    r["value"],
                    growth,
                    bench["value"],
                    bench_growth,
                    higher_is_better=direction.get(r["indicator"], True),
                )
        rows.append(row)
    return rows
