"""Peer-group benchmarks and each region's gap to them, as ``mart_benchmark`` and ``mart_gap`` rows.

Pure functions over the facts' main-series values (:func:`fact_values`): no database here, the
rebuild in :mod:`warehouse.marts` reads the facts and writes the rows.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping

import polars as pl

from sources.records import tiers_label
from sources.reference import HUAINAN_CODE
from warehouse.peers import PeerGroup

BANDS = ((125.0, "≥125"), (100.0, "100–125"), (70.0, "70–100"))
# A mean of fewer than three peers is not a benchmark (a ytd figure only Huainan publishes would
# otherwise be "100 % of its peers").
MIN_PEERS = 3


def in_scope(group: PeerGroup, scope: tuple[str, ...]) -> bool:
    """Whether a province's own indicator can be benchmarked in ``group``: every member lies in
    one of the ``scope`` provinces (an empty scope: every group). A YRD mean of Zhejiang's own
    每百户企业有效注册商标量 would be the Zhejiang mean under another name."""
    prefixes = {code[:2] for code in scope}
    return not scope or all(member[:2] in prefixes for member in group.members)


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


def fact_values(facts: pl.DataFrame) -> tuple[dict, dict]:
    """Main-series values keyed (indicator, period_kind, period_end) → {region: value}, and each
    value's (tier, derived) keyed (indicator, period_kind, period_end, region)."""
    values: dict[tuple, dict[str, float]] = defaultdict(dict)
    meta: dict[tuple, tuple[str, bool]] = {}
    main = facts.filter(pl.col("series") == "").sort("derived")
    for row in main.iter_rows(named=True):
        key = (row["indicator"], row["period_kind"], row["period_end"])
        if row["region_code"] in values[key]:
            continue  # a published value already holds this key
        values[key][row["region_code"]] = row["value"]
        meta[(*key, row["region_code"])] = (row["tier"], row["derived"])
    return values, meta


def benchmark_rows(
    values: dict,
    direction: dict,
    groups: Mapping[str, PeerGroup],
    meta: dict | None = None,
    scopes: Mapping[str, tuple[str, ...]] | None = None,
) -> list[dict]:
    rows = []
    for (ind, kind, end), by_region in sorted(values.items()):
        higher = direction.get(ind, True)
        for group in groups.values():
            if not in_scope(group, (scopes or {}).get(ind, ())):
                continue
            member_values = {c: by_region[c] for c in group.members if c in by_region}
            if len(member_values) < MIN_PEERS:
                continue
            vals = list(member_values.values())
            best = (max if higher else min)(member_values, key=member_values.get)
            huainan = member_values.get(HUAINAN_CODE)
            tiers = [meta[(ind, kind, end, c)][0] for c in member_values] if meta else []
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
                    "tiers": tiers_label(tiers) if meta else None,
                }
            )
    return rows


def gap_rows(
    values: dict,
    direction: dict,
    level: dict,
    groups: Mapping[str, PeerGroup],
    meta: dict | None = None,
    scopes: Mapping[str, tuple[str, ...]] | None = None,
) -> list[dict]:
    rows = []
    for (ind, kind, end), by_region in sorted(values.items()):
        higher = direction.get(ind, True)
        for group in groups.values():
            if not in_scope(group, (scopes or {}).get(ind, ())):
                continue
            member_values = [by_region[c] for c in group.members if c in by_region]
            if len(member_values) < MIN_PEERS:
                continue
            benchmark = statistics.fmean(member_values)
            for code, value in sorted(by_region.items()):
                if level.get(code) != group.level:
                    continue
                field = member_values if code in group.members else [*member_values, value]
                index = 100.0 * value / benchmark if benchmark else None
                tier, derived = (meta or {}).get((ind, kind, end, code), (None, False))
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
                        "derived": derived,
                        "tier": tier,
                    }
                )
    return rows
