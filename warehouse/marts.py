"""Marts rebuilt on every refresh from the current facts: benchmarks per peer group and gaps.

The statistics are computed in Python from one SELECT so that SQLite and PostgreSQL give
identical marts (neither percentiles nor medians are portable SQL); the marts are then written
back in one transaction.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from warehouse.peers import load_peer_groups
from warehouse.schema import fact, indicator, mart_benchmark, mart_gap, region

HUAINAN = "340400"
BANDS = ((125.0, "≥125"), (100.0, "100–125"), (70.0, "70–100"))


def band_for(index: float | None) -> str | None:
    if index is None:
        return None
    for floor, label in BANDS:
        if index >= floor:
            return label
    return "<70"


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), on sorted ``values``."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def rank_of(value: float, values: list[float], higher_is_better: bool) -> int:
    """1 = best; ties share the best rank."""
    better = [v for v in values if (v > value if higher_is_better else v < value)]
    return len(better) + 1


def _facts(engine: Engine) -> tuple[dict, dict, dict]:
    with engine.connect() as conn:
        direction = {r.indicator: r.higher_is_better for r in conn.execute(select(indicator))}
        level = {r.region_code: r.level for r in conn.execute(select(region))}
        values: dict[tuple, dict[str, float]] = defaultdict(dict)
        query = select(
            fact.c.region_code,
            fact.c.indicator,
            fact.c.period_kind,
            fact.c.period_end,
            fact.c.value,
        ).where(fact.c.series == "")
        for row in conn.execute(query):
            period_end = row.period_end
            if isinstance(period_end, str):
                period_end = dt.date.fromisoformat(period_end[:10])
            values[(row.indicator, row.period_kind, period_end)][row.region_code] = row.value
    return values, direction, level


# A mean of fewer than three peers is not a benchmark (a ytd figure only Huainan publishes would
# otherwise be "100 % of its peers").
MIN_PEERS = 3


def benchmark_rows(values: dict, direction: dict, groups) -> list[dict]:
    rows = []
    for (ind, kind, end), by_region in sorted(values.items()):
        higher = direction.get(ind, True)
        for group in groups.values():
            member_values = {c: by_region[c] for c in group.members if c in by_region}
            if len(member_values) < MIN_PEERS:
                continue
            vals = list(member_values.values())
            best = (max if higher else min)(member_values, key=member_values.get)
            huainan = member_values.get(HUAINAN)
            rows.append(
                {
                    "indicator": ind,
                    "period_kind": kind,
                    "period_end": end,
                    "peer_group": group.id,
                    "n": len(vals),
                    "mean": statistics.fmean(vals),
                    "median": statistics.median(vals),
                    "p25": percentile(vals, 0.25),
                    "p75": percentile(vals, 0.75),
                    "min": min(vals),
                    "max": max(vals),
                    "best_region_code": best,
                    "huainan_value": huainan,
                    "huainan_rank": rank_of(huainan, vals, higher) if huainan is not None else None,
                }
            )
    return rows


def gap_rows(values: dict, direction: dict, level: dict, groups) -> list[dict]:
    rows = []
    for (ind, kind, end), by_region in sorted(values.items()):
        higher = direction.get(ind, True)
        for group in groups.values():
            member_values = [by_region[c] for c in group.members if c in by_region]
            if len(member_values) < MIN_PEERS:
                continue
            benchmark = statistics.fmean(member_values)
            for code, value in sorted(by_region.items()):
                if level.get(code) != group.level:
                    continue
                field = member_values if code in group.members else [*member_values, value]
                index = 100.0 * value / benchmark if benchmark else None
                rows.append(
                    {
                        "region_code": code,
                        "indicator": ind,
                        "period_kind": kind,
                        "period_end": end,
                        "peer_group": group.id,
                        "value": value,
                        "benchmark": benchmark,
                        "gap": value - benchmark,
                        "index": index,
                        "rank": rank_of(value, field, higher),
                        "n_peers": len(member_values),
                        "band": band_for(index),
                    }
                )
    return rows


def rebuild_marts(engine: Engine) -> dict[str, int]:
    values, direction, level = _facts(engine)
    groups = load_peer_groups()
    benchmarks = benchmark_rows(values, direction, groups)
    gaps = gap_rows(values, direction, level, groups)
    with engine.begin() as conn:
        for table, rows in ((mart_benchmark, benchmarks), (mart_gap, gaps)):
            conn.execute(delete(table))
            for start in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[start : start + 5000])
    return {"mart_benchmark": len(benchmarks), "mart_gap": len(gaps)}
