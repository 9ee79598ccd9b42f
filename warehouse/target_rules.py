"""The arithmetic of each target rule (methodology §1d), one function per rule.

Every rule returns the same row (``TRACK_SCHEMA`` in :mod:`warehouse.targets`). Values come from
the main series only; a method-break series beside it is named in the note, never spliced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from warehouse.trends import annual_points, cagr

if TYPE_CHECKING:
    from warehouse.targets import Target

ON_TRACK_R = 0.95
ACCELERATE_R = 0.6
BENCHMARK_GROWTH_YEARS = 3


@dataclass
class _Row:
    target: Target
    status: str = "no_data"
    baseline_value: float | None = None
    target_value: float | None = None
    latest_end: dt.date | None = None
    latest_value: float | None = None
    required_growth: float | None = None
    observed_growth: float | None = None
    needed_growth_now: float | None = None
    n_points: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        t = self.target
        return {
            "target_id": t.id,
            "indicator": t.indicator,
            "rule": t.rule,
            "baseline_year": t.baseline_year,
            "baseline_value": self.baseline_value,
            "target_year": t.target_year,
            "target_value": self.target_value,
            "latest_period_end": self.latest_end,
            "latest_value": self.latest_value,
            "required_growth": self.required_growth,
            "observed_growth": self.observed_growth,
            "status": self.status,
            "needed_growth_now": self.needed_growth_now,
            "n_points": self.n_points,
            "note": "; ".join(self.notes),
        }


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def meets(value: float, target: float, higher_is_better: bool) -> bool:
    return value >= target if higher_is_better else value <= target


def classify(g_obs: float, g_req: float, higher_is_better: bool) -> str:
    """Status from observed vs required growth: R = g_obs/g_req in the 95/60/0 % bands. When
    no growth is needed (the required rate points the other way) the value may even move back
    by up to |g_req| a year: on track while it does not move back faster than that."""
    d = 1 if higher_is_better else -1
    if d * g_req <= 0:
        return "on_track" if d * g_obs >= d * g_req else "deteriorating"
    ratio = g_obs / g_req
    if ratio >= ON_TRACK_R:
        return "on_track"
    if ratio >= ACCELERATE_R:
        return "needs_acceleration"
    return "off_track" if ratio >= 0 else "deteriorating"


def level_status(first: float, latest: float, higher_is_better: bool) -> str:
    """Without a growth rate only the direction of the level is known: moving towards the
    target cannot be confirmed as on track, so it needs acceleration; flat is off track."""
    change = (latest - first) * (1 if higher_is_better else -1)
    if change > 0:
        return "needs_acceleration"
    return "off_track" if change == 0 else "deteriorating"


def _series(facts: pl.DataFrame, target: Target, as_of_year: int | None, row: _Row):
    """Year-end points of the target's main series from the baseline year on."""
    own = facts.filter(
        (pl.col("region_code") == target.region) & (pl.col("indicator") == target.indicator)
    )
    breaks = sorted(set(own.filter(pl.col("series") != "")["series"].to_list()))
    if breaks:
        row.notes.append(f"method break: series {breaks} kept apart, only the main series used")
    points = annual_points(own)
    kinds = set(points["period_kind"].to_list())
    if len(kinds) > 1:
        points = points.filter(
            pl.col("period_kind") == ("year" if target.indicator_kind == "flow" else "stock")
        )
    points = points.filter(pl.col("year") >= target.baseline_year)
    if as_of_year is not None:
        points = points.filter(pl.col("year") <= as_of_year)
    return list(zip(points["year"].to_list(), points["value"].to_list(), strict=True))


def _evaluation_point(points, target: Target, row: _Row) -> tuple[int, float]:
    """The deadline's value once there is one (the first later value if the deadline year is
    missing), else the latest value."""
    after = [p for p in points if p[0] >= target.target_year]
    year, value = after[0] if after else points[-1]
    if after and year > target.target_year:
        row.notes.append(f"no value for {target.target_year}; {year} used for the deadline")
    row.latest_end, row.latest_value = dt.date(year, 12, 31), value
    row.n_points = sum(1 for p in points if p[0] <= year)
    return year, value


def _no_growth_rate(row: _Row, target: Target, points, why: str) -> None:
    row.notes.append(f"{why}: no CAGR, status from levels")
    if row.n_points < 2:
        row.notes.append("fewer than 2 points")
        return
    first = row.baseline_value if row.baseline_value is not None else points[0][1]
    row.status = level_status(first, row.latest_value, target.higher_is_better)


def _baseline(points, target: Target, row: _Row) -> None:
    base = [v for y, v in points if y == target.baseline_year]
    row.baseline_value = base[0] if base else None


def _growth_problem(row: _Row, target: Target) -> str:
    if row.baseline_value is None:
        return f"no value for the baseline year {target.baseline_year}"
    if row.baseline_value <= 0:
        return "baseline is zero"
    return ""


def track_growth_rate(points, target: Target, row: _Row) -> None:
    """Target path L_t = L_0 (1+r)^(t−t0); status from R = g_obs / r; level shortfall noted."""
    t, y = _evaluation_point(points, target, row)
    _baseline(points, target, row)
    problem = _growth_problem(row, target)
    if problem:
        _no_growth_rate(row, target, points, problem)
        return
    base, rate, span = row.baseline_value, target.rate, target.target_year - target.baseline_year
    row.target_value = base * (1 + rate) ** span
    row.required_growth = rate
    path = base * (1 + rate) ** (t - target.baseline_year)
    row.notes.append(f"path level {_fmt(path)} in {t}; shortfall {_fmt(path - y)}")
    _judge(row, target, t, y, row.target_value, rate, met=None)


def _judge(
    row: _Row, target: Target, t: int, y: float, goal: float, g_req: float, *, met: bool | None
) -> None:
    """Shared ending of the quantitative rules: met / missed at the deadline, else R bands.
    ``met`` is None when the rule has not already compared the level with its goal."""
    if t > target.baseline_year:
        row.observed_growth = cagr(row.baseline_value, y, t - target.baseline_year)
    if met is None:
        met = meets(y, goal, target.higher_is_better)
    if met:
        row.status = "achieved"
        return
    if t >= target.target_year:
        row.status = "off_track"
        row.notes.append(f"deadline {target.target_year} passed without meeting the target")
        return
    if y > 0:
        row.needed_growth_now = cagr(y, goal, target.target_year - t)
    if row.observed_growth is None:
        row.notes.append("fewer than 2 points: only the baseline year")
        return
    row.status = classify(row.observed_growth, g_req, target.higher_is_better)


def _benchmark_at(
    benchmarks: pl.DataFrame, target: Target, year: int, as_of_year: int | None, row: _Row
) -> tuple[float, float] | None:
    """The benchmark in ``year`` (or the latest before it) and its own recent CAGR."""
    bench = benchmarks.filter(
        (pl.col("peer_group") == target.peer_group)
        & (pl.col("definition") == target.benchmark)
        & (pl.col("indicator") == target.indicator)
        & (pl.col("period_end").dt.month() == 12)
        & (pl.col("period_end").dt.day() == 31)
        & (pl.col("period_end").dt.year() <= min(year, as_of_year or year))
        & pl.col("value").is_not_null()
    ).sort("period_end")
    if bench.is_empty():
        row.notes.append(f"no benchmark {target.peer_group}/{target.benchmark} up to {year}")
        return None
    years = [d.year for d in bench["period_end"].to_list()]
    values = bench["value"].to_list()
    if years[-1] != year:
        row.notes.append(f"benchmark for {year} missing; {years[-1]} used")
    window = [i for i, y in enumerate(years) if y >= years[-1] - BENCHMARK_GROWTH_YEARS]
    growth = None
    if len(window) >= 2:
        growth = cagr(values[window[0]], values[-1], years[-1] - years[window[0]])
    if growth is None:
        row.notes.append("benchmark growth unknown (fewer than 2 points): held constant")
        growth = 0.0
    return values[-1], growth


def track_reach_peer_average(
    points, target: Target, benchmarks: pl.DataFrame, as_of_year: int | None, row: _Row
) -> None:
    """Reach share × benchmark by the deadline, the benchmark projected with its own CAGR:
    g_req = ((B_t (1+g_B)^(T−t)) / y_t)^(1/(T−t)) − 1."""
    t, y = _evaluation_point(points, target, row)
    _baseline(points, target, row)
    found = _benchmark_at(benchmarks, target, t, as_of_year, row)
    if found is None:
        return
    bench, bench_growth = found
    row.notes.append(
        f"static gap {_fmt(bench - y)} ({100 * y / bench:.1f}% of benchmark {_fmt(bench)})"
        if bench
        else "benchmark is zero"
    )
    now_goal = target.share * bench
    remaining = target.target_year - t
    goal = now_goal * (1 + bench_growth) ** max(remaining, 0)
    row.target_value = goal
    if remaining > 0 and y > 0:
        row.required_growth = cagr(y, goal, remaining)
    elif row.baseline_value and row.baseline_value > 0:
        row.required_growth = cagr(row.baseline_value, goal, t - target.baseline_year)
    # Reached means reaching today's benchmark; the projection only sets the pace needed.
    met = meets(y, now_goal, target.higher_is_better)
    problem = _growth_problem(row, target) or ("" if y > 0 else "latest value is zero")
    if problem and remaining > 0 and not met:
        _no_growth_rate(row, target, points, problem)
        return
    _judge(row, target, t, y, goal, row.required_growth or 0.0, met=met)


def track_at_least_per_year(points, target: Target, row: _Row) -> None:
    """Every year from baseline+1 to the latest (up to the deadline) at least ``per_year``."""
    years = [(y, v) for y, v in points if target.baseline_year < y <= target.target_year]
    row.target_value = target.per_year
    if not years:
        row.notes.append(f"no value after the baseline year {target.baseline_year}")
        return
    row.n_points = len(years)
    last = years[-1][0]
    row.latest_end, row.latest_value = dt.date(last, 12, 31), years[-1][1]
    below = [y for y, v in years if v < target.per_year]
    have = {y for y, _ in years}
    missing = [y for y in range(target.baseline_year + 1, last + 1) if y not in have]
    if missing:
        row.notes.append(f"no value for {missing}")
    if below:
        row.status = "off_track"
        row.notes.append(f"below {_fmt(target.per_year)} in {below}")
    elif last >= target.target_year and not missing:
        row.status = "achieved"
    else:
        row.status = "on_track"


def track_increase_every_year(points, target: Target, row: _Row) -> None:
    """Each year's value above the previous year's (direction-adjusted)."""
    years = [(y, v) for y, v in points if y <= target.target_year]
    _baseline(points, target, row)
    row.n_points = len(years)
    if len(years) < 2:
        row.notes.append("fewer than 2 points")
        return
    (first_year, first), (last, latest) = years[0], years[-1]
    row.latest_end, row.latest_value = dt.date(last, 12, 31), latest
    row.observed_growth = cagr(first, latest, last - first)
    d = 1 if target.higher_is_better else -1
    steps = [(b[0], d * (b[1] - a[1])) for a, b in zip(years, years[1:], strict=False)]
    have = {y for y, _ in years}
    missing = [y for y in range(first_year, last + 1) if y not in have]
    if missing:
        row.notes.append(f"no value for {missing}: compared with the previous known year")
    if any(change < 0 for _, change in steps):
        row.status = "deteriorating"
        row.notes.append(f"decrease in {[y for y, c in steps if c < 0]}")
    elif any(change == 0 for _, change in steps):
        row.status = "off_track"
        row.notes.append(f"no increase in {[y for y, c in steps if c == 0]}")
    elif last >= target.target_year and not missing:
        row.status = "achieved"
    else:
        row.status = "on_track"


def track_milestone(facts: pl.DataFrame, target: Target, as_of_year: int | None, row: _Row):
    """Built ≥ required by the deadline; the office reports milestones as dated stocks."""
    rows = facts.filter(
        (pl.col("region_code") == target.region)
        & (pl.col("indicator") == target.indicator)
        & (pl.col("series") == "")
        & (pl.col("period_kind") == "stock")
        & pl.col("value").is_not_null()
    )
    if as_of_year is not None:
        rows = rows.filter(pl.col("period_end").dt.year() <= as_of_year)
    rows = rows.sort("period_end")
    row.target_value = target.required
    row.n_points = rows.height
    if rows.is_empty():
        row.notes.append("not reported by the office")
        return
    row.latest_end, row.latest_value = rows["period_end"][-1], rows["value"][-1]
    met = rows.filter(pl.col("value") >= target.required)
    past_deadline = (as_of_year or row.latest_end.year) >= target.target_year
    if met.height and met["period_end"][0] <= target.deadline:
        row.status = "achieved"
    elif met.height:
        row.status = "off_track"
        row.notes.append(f"met on {met['period_end'][0].isoformat()}, after the deadline")
    else:
        row.status = "off_track" if past_deadline else "needs_acceleration"
        row.notes.append(f"{_fmt(row.latest_value)} of {_fmt(target.required)} built")


def track_one(
    facts: pl.DataFrame, target: Target, benchmarks: pl.DataFrame, as_of_year: int | None
) -> dict:
    row = _Row(target)
    if as_of_year is not None and as_of_year < target.baseline_year:
        row.notes.append(f"as-of year {as_of_year} precedes the baseline")
        return row.as_dict()
    if target.rule == "milestone":
        track_milestone(facts, target, as_of_year, row)
        return row.as_dict()
    points = _series(facts, target, as_of_year, row)
    if not points:
        row.notes.append(f"no value since {target.baseline_year}")
        return row.as_dict()
    if target.rule == "growth_rate":
        track_growth_rate(points, target, row)
    elif target.rule == "reach_peer_average":
        track_reach_peer_average(points, target, benchmarks, as_of_year, row)
    elif target.rule == "at_least_per_year":
        track_at_least_per_year(points, target, row)
    else:
        track_increase_every_year(points, target, row)
    return row.as_dict()
