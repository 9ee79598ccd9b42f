"""Marts rebuilt on every refresh from the current facts: derived ratios, benchmarks per peer
group, gaps, plan targets, the composite index and trends.

This module is the rebuild's input and output: it reads the published facts with plain SELECTs,
and writes ``derived_fact`` and every mart back in one transaction, so a reader never sees half a
rebuild. The statistics themselves are pure functions in Python (polars) beside their methods:
``derive`` (ratios), ``benchmarks`` (peer benchmarks and gaps), ``targets``, ``composite`` (the
index) and ``trends``, so that SQLite and PostgreSQL give identical marts (neither percentiles
nor medians are portable SQL).

Published facts come first everywhere: a ratio derived from counts (``derived_fact``) fills in
only where no ratio is published for that region and date, and says so (``derived``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import polars as pl
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from sources.reference import Indicator
from warehouse.benchmarks import benchmark_rows, fact_values, gap_rows
from warehouse.composite import index_rows
from warehouse.derive import FACT_SCHEMA, derive_ratios
from warehouse.peers import load_peer_groups, with_municipal_cities
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
from warehouse.targets import load_targets, target_rows
from warehouse.trends import trend_rows

_EXTRA_FACT_COLUMNS = {"qualifier": pl.String(), "published_on": pl.Date()}


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
    values, meta = fact_values(
        with_municipal_cities(facts, regions, ("indicator", "period_kind", "period_end", "series"))
    )
    scopes = {i.id: i.scope for i in indicators.values() if i.scope}
    benchmarks = benchmark_rows(values, direction, groups, meta, scopes)
    tables = {
        derived_fact: derived.to_dicts(),
        mart_benchmark: benchmarks,
        mart_gap: gap_rows(values, direction, level, groups, meta, scopes),
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
