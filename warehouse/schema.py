"""SQLAlchemy Core schema; column names follow the project's vocabulary (DESIGN.md).

Types behave the same on SQLite and PostgreSQL: values are double precision, dates are DATE,
moments are timezone-aware and stored in UTC.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

region = Table(
    "region",
    metadata,
    Column("region_code", String(6), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("short_name", String(64), nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent_code", String(6)),
    Column("province_code", String(6)),
    Column("hefei_metro", Boolean, nullable=False, default=False),
    Column("resource_based", Boolean, nullable=False, default=False),
    Column("name_en", String(64)),
)

indicator = Table(
    "indicator",
    metadata,
    Column("indicator", String(64), primary_key=True),
    Column("name_zh", String(128), nullable=False),
    Column("name_en", String(128)),
    Column("unit", String(16), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("numerator", String(64)),
    Column("denominator", String(64)),
    Column("per", Integer),
    Column("higher_is_better", Boolean, nullable=False),
    Column("area", String(16), nullable=False),
    Column("skewed", Boolean, nullable=False),
)

document = Table(
    "document",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("publisher", String(64), nullable=False),
    Column("url", Text, nullable=False),
    Column("final_url", Text),
    Column("title", Text),
    Column("tier", String(16), nullable=False),
    Column("published_on", Date),
    Column("retrieved_at", DateTime(timezone=True)),
    Column("content_type", String(128)),
    Column("encoding", String(32)),
    Column("bytes", Integer),
)


def _observation_columns() -> list[Column]:
    return [
        Column("region_code", String(6), nullable=False),
        Column("region_name", String(64), nullable=False),
        Column("indicator", String(64), nullable=False),
        Column("period_kind", String(8), nullable=False),
        Column("period_end", Date, nullable=False),
        Column("value", Float, nullable=False),
        Column("unit", String(16), nullable=False),
        Column("qualifier", String(16), nullable=False, default=""),
        Column("evidence", Text, nullable=False, default=""),
        Column("location", Text, nullable=False, default=""),
        Column("document_sha256", String(64), nullable=False),
        Column("publisher", String(64), nullable=False),
        Column("tier", String(16), nullable=False),
        Column("published_on", Date),
        Column("vintage", String(16), nullable=False, default=""),
        Column("series", String(32), nullable=False, default=""),
        Column("raw_value", Text, nullable=False, default=""),
    ]


staging_observation = Table(
    "staging_observation",
    metadata,
    Column("run_id", String(64), nullable=False),
    *_observation_columns(),
    Index("ix_staging_run", "run_id"),
)

observation = Table(
    "observation",
    metadata,
    Column("observation_id", Integer, primary_key=True, autoincrement=True),
    *_observation_columns(),
    Column("revision", Integer, nullable=False),
    Column("first_run_id", String(64), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint(
        "region_code",
        "indicator",
        "period_kind",
        "period_end",
        "series",
        "document_sha256",
        "value",
        name="uq_observation_key_document",
    ),
    Index("ix_observation_key", "region_code", "indicator", "period_kind", "period_end", "series"),
)


def _fact_columns() -> list[Column]:
    return [
        Column("region_code", String(6), primary_key=True),
        Column("indicator", String(64), primary_key=True),
        Column("period_kind", String(8), primary_key=True),
        Column("period_end", Date, primary_key=True),
        Column("series", String(32), primary_key=True, default=""),
        Column("value", Float, nullable=False),
        Column("unit", String(16), nullable=False),
        Column("qualifier", String(16), nullable=False, default=""),
        Column("tier", String(16), nullable=False),
        Column("publisher", String(64), nullable=False),
        Column("document_sha256", String(64), nullable=False),
        Column("observation_id", Integer),
        Column("published_on", Date),
        Column("vintage", String(16), nullable=False, default=""),
        Column("derived", Boolean, nullable=False, default=False),
        Column("updated_run_id", String(64)),
    ]


fact = Table("fact", metadata, *_fact_columns())

quarantine = Table(
    "quarantine",
    metadata,
    Column("quarantine_id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(64), nullable=False),
    Column("document_sha256", String(64)),
    Column("publisher", String(64)),
    Column("url", Text),
    Column("location", Text),
    Column("raw_text", Text),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_quarantine_run", "run_id"),
)

refresh_run = Table(
    "refresh_run",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("mode", String(16), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(16), nullable=False),
    Column("documents_seen", Integer, nullable=False, default=0),
    Column("documents_fetched", Integer, nullable=False, default=0),
    Column("documents_unchanged", Integer, nullable=False, default=0),
    Column("documents_failed", Integer, nullable=False, default=0),
    Column("bytes_downloaded", Integer, nullable=False, default=0),
    Column("observations", Integer, nullable=False, default=0),
    Column("quarantined", Integer, nullable=False, default=0),
    Column("promoted", Integer, nullable=False, default=0),
    Column("message", Text, nullable=False, default=""),
    # sha256 of the documents and the code that read them: identical inputs, identical output.
    Column("input_fingerprint", String(64)),
)

mart_benchmark = Table(
    "mart_benchmark",
    metadata,
    Column("indicator", String(64), nullable=False),
    Column("period_kind", String(8), nullable=False),
    Column("period_end", Date, nullable=False),
    Column("peer_group", String(64), nullable=False),
    Column("n", Integer, nullable=False),
    Column("mean", Float),
    Column("median", Float),
    Column("p25", Float),
    Column("p75", Float),
    Column("min", Float),
    Column("max", Float),
    Column("best_region_code", String(6)),
    Column("huainan_value", Float),
    Column("huainan_rank", Integer),
    # Tiers of the values behind the statistics (best first, comma separated), e.g. "official,sample".
    Column("tiers", String(64)),
)

mart_gap = Table(
    "mart_gap",
    metadata,
    Column("region_code", String(6), nullable=False),
    Column("indicator", String(64), nullable=False),
    Column("period_kind", String(8), nullable=False),
    Column("period_end", Date, nullable=False),
    Column("peer_group", String(64), nullable=False),
    Column("value", Float, nullable=False),
    Column("benchmark", Float),
    Column("gap", Float),
    Column("index", Float),
    Column("rank", Integer),
    Column("n_peers", Integer, nullable=False),
    Column("band", String(16)),
    # The region's value is a ratio derived from counts (derived_fact), not a published one.
    Column("derived", Boolean, nullable=False, default=False, server_default=false()),
    # Tier of the region's value, so sample figures stay labelled in every mart.
    Column("tier", String(16)),
    Index("ix_mart_gap_region", "region_code", "peer_group"),
)

# Per-10k ratios derived from counts and denominators where no ratio is published. Kept apart
# from ``fact`` so published facts stay exactly what the publishers said.
derived_fact = Table(
    "derived_fact",
    metadata,
    *_fact_columns(),
    Column("numerator_value", Float, nullable=False),
    Column("denominator_value", Float, nullable=False),
    Column("denominator_period_end", Date, nullable=False),
    Column("denominator_vintage", String(16), nullable=False, default=""),
    Column("denominator_document_sha256", String(64), nullable=False),
    # previous_year_end (the publishers' convention) or same_year_end (the fallback).
    Column("basis", String(32), nullable=False),
)

mart_target = Table(
    "mart_target",
    metadata,
    Column("target_id", String(64), primary_key=True),
    Column("title_zh", Text, nullable=False),
    Column("region_code", String(6), nullable=False),
    Column("indicator", String(64), nullable=False),
    Column("rule", String(32), nullable=False),
    Column("baseline_year", Integer, nullable=False),
    Column("baseline_value", Float),
    Column("target_year", Integer, nullable=False),
    Column("target_value", Float),
    Column("latest_period_end", Date),
    Column("latest_value", Float),
    Column("latest_tier", String(16)),
    Column("required_growth", Float),
    Column("observed_growth", Float),
    Column("status", String(32), nullable=False),
    Column("needed_growth_now", Float),
    Column("n_points", Integer, nullable=False),
    Column("note", Text, nullable=False, default=""),
)

mart_index = Table(
    "mart_index",
    metadata,
    Column("region_code", String(6), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("index", Float),
    Column("n_indicators", Integer, nullable=False),
    Column("relative_index", Float),
    Column("relative_to_huainan", Float),
    Column("benchmark_group", String(64), nullable=False),
    Column("band", String(16)),
    Column("band_zh", String(16)),
    Column("tiers", String(64)),
    Column("reason", Text, nullable=False, default=""),
)

mart_trend = Table(
    "mart_trend",
    metadata,
    Column("region_code", String(6), primary_key=True),
    Column("indicator", String(64), primary_key=True),
    Column("period_kind", String(8), primary_key=True),
    Column("period_end", Date, primary_key=True),
    Column("value", Float, nullable=False),
    Column("derived", Boolean, nullable=False, default=False),
    Column("tier", String(16)),
    Column("yoy_growth", Float),
    Column("cagr_3y", Float),
    Column("cagr_reason", Text, nullable=False, default=""),
    # Huainan only: the anhui city mean, its growth, and the years to reach it at these rates.
    Column("benchmark", Float),
    Column("benchmark_growth", Float),
    Column("growth_basis", String(8)),
    Column("years_to_catch_up", Float),
)


def frame_schema(table: Table) -> dict[str, pl.DataType]:
    """The polars schema of a table, so a frame read from SQLite or PostgreSQL has the same
    types (moments become ISO text: spreadsheets cannot hold a time zone)."""
    types: list[tuple[type, pl.DataType]] = [
        (Boolean, pl.Boolean()),
        (Integer, pl.Int64()),
        (Float, pl.Float64()),
        (DateTime, pl.String()),
        (Date, pl.Date()),
    ]
    return {
        c.name: next(
            (dtype for sa_type, dtype in types if isinstance(c.type, sa_type)), pl.String()
        )
        for c in table.columns
    }
