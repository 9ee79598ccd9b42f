"""Marts rebuilt on every refresh from the current facts: derived ratios, benchmarks per peer
group, gaps, plan targets, the composite index and trends.

The statistics are computed in Python (polars and the pure modules ``derive``, ``targets``,
``composite``, ``trends``) from plain SELECTs so that SQLite and PostgreSQL give identical marts
(neither percentiles nor medians are portable SQL); everything is then written back in one
transaction, so a reader never sees half a rebuild.

Published facts come first everywhere: a ratio derived from counts (``derived_fact``) fills in
only where no ratio is published for that region and date, and says so (``derived``).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping

import polars as pl
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from sources.records import TIER_RANK
from sources.reference import HUAINAN_CODE, Indicator, Region
from warehouse.composite import composite_index, load_index_spec
from warehouse.derive import FACT_SCHEMA, derive_ratios, province_benchmarks
from warehouse.peers import PeerGroup, load_peer_groups
from warehouse.schema import (
    derived_fact,
    fact,
    frame_schema,
    indicator,
    mart_benchmark,
    mart_gap,
    mart_index,
    mart_target,
    mart_trend,
    region,
)
from warehouse.targets import Target, load_targets, track_targets
from warehouse.trends import trends, years_to_catch_up

HUAINAN = HUAINAN_CODE
BANDS = ((125.0, "≥125"), (100.0, "100–125"), (70.0, "70–100"))
# A mean of fewer than three peers is not a benchmark (a ytd figure only Huainan publishes would
# otherwise be "100 % of its peers").
MIN_PEERS = 3
# Huainan's "years to catch up" are measured against this group's mean (as in mart_gap).
TREND_BENCHMARK_GROUP = "anhui"
_EXTRA_FACT_COLUMNS = {"qualifier": pl.String(), "published_on": pl.Date()}


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


def tiers_label(tiers: Iterable[str]) -> str:
    """Distinct tiers, best first: 'official,sample' tells a reader a sample figure is inside."""
    return ",".join(sorted(set(tiers), key=lambda t: TIER_RANK.get(t, len(TIER_RANK))))


# --- reading and deriving ---------------------------------------------------------------------


def read_facts(engine: Engine) -> pl.DataFrame:
    """Every published fact in ``FACT_SCHEMA`` plus qualifier and published_on."""
    schema = {**FACT_SCHEMA, **_EXTRA_FACT_COLUMNS}
    with engine.connect() as conn:
        rows = conn.execute(select(*(fact.c[name] for name in schema))).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def derive_facts(published: pl.DataFrame, indicators: Mapping[str, Indicator]) -> pl.DataFrame:
    """``derived_fact`` rows: ratios derived where none is published, with the numerator's
    qualifier and publication date and the denominator used."""
    columns = [c.name for c in derived_fact.columns]
    derived = derive_ratios(published.select(list(FACT_SCHEMA)), indicators)
    if derived.is_empty():
        return pl.DataFrame(schema=frame_schema(derived_fact))
    numerators = pl.DataFrame(
        {
            "indicator": list(indicators),
            "_numerator": [ind.numerator for ind in indicators.values()],
        },
        schema={"indicator": pl.String, "_numerator": pl.String},
    )
    source = published.filter(pl.col("series") == "").select(
        "region_code",
        pl.col("indicator").alias("_numerator"),
        "period_kind",
        "period_end",
        "qualifier",
        "published_on",
    )
    return (
        derived.join(numerators, on="indicator", how="left")
        .join(source, on=["region_code", "_numerator", "period_kind", "period_end"], how="left")
        .with_columns(
            pl.col("qualifier").fill_null(""),
            pl.lit(None, dtype=pl.Int64).alias("observation_id"),
            pl.lit(None, dtype=pl.String).alias("updated_run_id"),
            pl.col("denominator_basis").alias("basis"),
        )
        .select(columns)
    )


def combined_facts(published: pl.DataFrame, derived: pl.DataFrame) -> pl.DataFrame:
    """Published and derived facts in one ``FACT_SCHEMA`` frame (derived rows flagged)."""
    parts = [published.select(list(FACT_SCHEMA))]
    if derived.height:
        parts.append(derived.select(list(FACT_SCHEMA)))
    return pl.concat(parts, how="vertical")


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


# --- benchmark and gap ------------------------------------------------------------------------


def benchmark_rows(
    values: dict, direction: dict, groups: Mapping[str, PeerGroup], meta: dict | None = None
) -> list[dict]:
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
) -> list[dict]:
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


# --- targets, index, trends -------------------------------------------------------------------


def _province_of(group: PeerGroup, regions: Mapping[str, Region]) -> str | None:
    """The province whose average a group of its own cities stands for (anhui → 340000)."""
    provinces = {regions[c].province_code for c in group.members if c in regions}
    return provinces.pop() if len(provinces) == 1 and group.level == "city" else None


def target_benchmarks(
    facts: pl.DataFrame,
    targets: Iterable[Target],
    groups: Mapping[str, PeerGroup],
    regions: Mapping[str, Region],
    indicators: Mapping[str, Indicator],
) -> pl.DataFrame:
    """Provincial averages (both definitions) by year for every reach-a-peer-average target
    whose peer group is one province's cities; other groups have none and their targets say so."""
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for target in targets:
        if target.rule == "reach_peer_average" and target.peer_group in groups:
            province = _province_of(groups[target.peer_group], regions)
            if province:
                wanted[(target.peer_group, province)].add(target.indicator)
    frames = [
        province_benchmarks(
            facts, regions, indicators, sorted(ids), peer_group=group, province_code=province
        )
        for (group, province), ids in sorted(wanted.items())
    ]
    if not frames:
        return province_benchmarks(facts, regions, indicators, [])
    return pl.concat(frames, how="vertical")


def _latest_tiers(facts: pl.DataFrame) -> dict[tuple, str]:
    main = facts.filter(pl.col("series") == "").sort("derived", descending=True)
    # Published rows come last and so win the dict slot for their key.
    return {
        (r["region_code"], r["indicator"], r["period_end"]): r["tier"]
        for r in main.select("region_code", "indicator", "period_end", "tier", "derived").iter_rows(
            named=True
        )
    }


def target_rows(
    facts: pl.DataFrame,
    targets: list[Target],
    groups: Mapping[str, PeerGroup],
    regions: Mapping[str, Region],
    indicators: Mapping[str, Indicator],
) -> list[dict]:
    """One ``mart_target`` row per plan target, with the tier of the latest value used."""
    benchmarks = target_benchmarks(facts, targets, groups, regions, indicators)
    tracked = track_targets(facts, targets, benchmarks)
    tiers = _latest_tiers(facts)
    by_id = {t.id: t for t in targets}
    rows = []
    for row in tracked.iter_rows(named=True):
        target = by_id[row["target_id"]]
        latest = (target.region, target.indicator, row["latest_period_end"])
        rows.append(
            {
                **row,
                "title_zh": target.title_zh,
                "region_code": target.region,
                "latest_tier": tiers.get(latest),
            }
        )
    return rows


def index_rows(
    facts: pl.DataFrame, regions: Mapping[str, Region], indicators: Mapping[str, Indicator]
) -> list[dict]:
    """``mart_index``: the composite index with the relative index (to the benchmark group's
    mean), Huainan's own yardstick (100 × index / Huainan's index that year) and the tiers of
    the values behind each index."""
    spec = load_index_spec(indicators=indicators)
    index = composite_index(facts, regions, spec, indicators).index
    huainan = index.filter(pl.col("region_code") == HUAINAN).select(
        "year", pl.col("index").alias("_huainan")
    )
    ids = set(index["region_code"].to_list())
    year_end = (pl.col("period_end").dt.month() == 12) & (pl.col("period_end").dt.day() == 31)
    spec_ids = [i for i, _ in spec.weights]
    tiers = (
        facts.filter(
            pl.col("indicator").is_in(spec_ids)
            & pl.col("region_code").is_in(list(ids))
            & (pl.col("series") == "")
            & year_end
        )
        .group_by("region_code", pl.col("period_end").dt.year().alias("year"))
        .agg(pl.col("tier").unique())
    )
    tier_of = {(r["region_code"], r["year"]): tiers_label(r["tier"]) for r in tiers.to_dicts()}
    relative = pl.when(pl.col("_huainan") > 0).then(100 * pl.col("index") / pl.col("_huainan"))
    out = index.join(huainan, on="year", how="left").with_columns(
        relative.alias("relative_to_huainan")
    )
    return [
        {**r, "tiers": tier_of.get((r["region_code"], r["year"]))}
        for r in out.drop("_huainan").to_dicts()
    ]


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
        if r["region_code"] == HUAINAN and bench is not None:
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


# --- the rebuild ------------------------------------------------------------------------------


def _clean(rows: list[dict]) -> list[dict]:
    """NaN and infinities are not values a reader can use: store them as NULL."""
    return [
        {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in row.items()}
        for row in rows
    ]


def rebuild_marts(engine: Engine) -> dict[str, int]:
    """Recompute derived facts and every mart from the current facts, in one transaction."""
    from sources import reference

    indicators = reference.indicators()
    regions = reference.regions()
    with engine.connect() as conn:
        direction = {r.indicator: r.higher_is_better for r in conn.execute(select(indicator))}
        level = {r.region_code: r.level for r in conn.execute(select(region))}
    groups = load_peer_groups()
    published = read_facts(engine)
    derived = derive_facts(published, indicators)
    facts = combined_facts(published, derived)
    values, meta = fact_values(facts)
    benchmarks = benchmark_rows(values, direction, groups, meta)
    tables = {
        derived_fact: derived.to_dicts(),
        mart_benchmark: benchmarks,
        mart_gap: gap_rows(values, direction, level, groups, meta),
        mart_target: target_rows(facts, load_targets(), groups, regions, indicators),
        mart_index: index_rows(facts, regions, indicators),
        mart_trend: trend_rows(facts, benchmarks, direction, meta),
    }
    with engine.begin() as conn:
        for table, rows in tables.items():
            conn.execute(delete(table))
            rows = _clean(rows)
            for start in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[start : start + 5000])
    return {table.name: len(rows) for table, rows in tables.items()}
