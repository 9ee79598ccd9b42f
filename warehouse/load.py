"""Loads into the warehouse: reference tables, documents, a run's staging rows and quarantine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from sources.records import Document, Observation, QuarantineRow
from sources.reference import indicators, regions
from warehouse.db import analyze
from warehouse.schema import document, indicator, refresh_run, region, staging_observation
from warehouse.schema import quarantine as quarantine_table

BATCH = 5000


def load_reference(engine: Engine) -> None:
    """Replace the region and indicator tables with the reference files' content."""
    region_rows = [
        {
            "region_code": r.code,
            "name": r.name,
            "short_name": r.short_name,
            "level": r.level,
            "parent_code": r.parent_code or None,
            "province_code": r.province_code or None,
            "hefei_metro": r.hefei_metro,
            "resource_based": r.resource_based,
            "name_en": r.name_en,
        }
        for r in regions().values()
    ]
    indicator_rows = [
        {
            "indicator": i.id,
            "name_zh": i.name_zh,
            "name_en": i.name_en,
            "unit": i.unit,
            "kind": i.kind,
            "numerator": i.numerator,
            "denominator": i.denominator,
            "per": i.per,
            "higher_is_better": i.higher_is_better,
            "area": i.area,
            "skewed": i.skewed,
        }
        for i in indicators().values()
    ]
    with engine.begin() as conn:
        conn.execute(delete(region))
        conn.execute(insert(region), region_rows)
        conn.execute(delete(indicator))
        conn.execute(insert(indicator), indicator_rows)


def record_documents(engine: Engine, documents: Iterable[Document]) -> int:
    """Insert documents not yet known (by sha256); returns how many were new."""
    rows = {}
    for doc in documents:
        rows[doc.sha256] = {
            "sha256": doc.sha256,
            "publisher": doc.publisher,
            "url": doc.url,
            "final_url": doc.final_url,
            "title": doc.title,
            "tier": doc.tier,
            "published_on": doc.published_on,
            "retrieved_at": doc.retrieved_at,
            "content_type": doc.content_type,
            "encoding": doc.encoding,
            "bytes": len(doc.content),
        }
    with engine.begin() as conn:
        known = {sha for (sha,) in conn.execute(select(document.c.sha256))}
        new = [row for sha, row in rows.items() if sha not in known]
        if new:
            conn.execute(insert(document), new)
    return len(new)


def _observation_row(obs: Observation) -> dict:
    row = obs.as_row()
    row["value"] = float(obs.value)
    row["published_on"] = obs.published_on
    return row


def stage(engine: Engine, run_id: str, observations: Iterable[Observation]) -> int:
    """Replace ``run_id``'s staging rows with ``observations`` (exact duplicates collapsed)."""
    rows, seen = [], set()
    for obs in observations:
        row = _observation_row(obs)
        key = (
            row["region_code"],
            row["indicator"],
            row["period_kind"],
            row["period_end"],
            row["series"],
            row["document_sha256"],
        )
        if key in seen:
            continue
        seen.add(key)
        rows.append({"run_id": run_id, **row})
    with engine.begin() as conn:
        conn.execute(delete(staging_observation).where(staging_observation.c.run_id == run_id))
        for start in range(0, len(rows), BATCH):
            conn.execute(insert(staging_observation), rows[start : start + BATCH])
    analyze(engine, "staging_observation")
    return len(rows)


def quarantine(engine: Engine, run_id: str, rows: Iterable[QuarantineRow]) -> int:
    now = dt.datetime.now(dt.UTC)
    values = [{"run_id": run_id, "created_at": now, **row.as_row()} for row in rows]
    if values:
        with engine.begin() as conn:
            conn.execute(insert(quarantine_table), values)
    return len(values)


def prune_staging(engine: Engine, keep_runs: int) -> int:
    """Drop the staging rows of all but the newest ``keep_runs`` refreshes that staged rows, and
    return how many went. The last succeeded refresh that staged rows always keeps them: the
    completeness check compares the next refresh with it. Blocked runs' rows stay inspectable
    while they are among the newest."""
    if keep_runs < 1:
        raise ValueError(f"keep_runs must be at least 1, not {keep_runs}")
    with engine.begin() as conn:
        runs = conn.execute(
            select(refresh_run.c.run_id, refresh_run.c.status)
            .where(refresh_run.c.observations > 0)
            .order_by(refresh_run.c.started_at.desc())
        ).all()
        keep = {run_id for run_id, _ in runs[:keep_runs]}
        keep |= {next((r for r, status in runs if status == "succeeded"), None)}
        drop = [run_id for run_id, _ in runs if run_id not in keep]
        if not drop:
            return 0
        result = conn.execute(
            delete(staging_observation).where(staging_observation.c.run_id.in_(drop))
        )
    return result.rowcount
