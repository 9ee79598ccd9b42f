"""The refresh_run table: one row per refresh, with its counters and outcome."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from warehouse.schema import refresh_run

COUNTERS = (
    "documents_seen",
    "documents_fetched",
    "documents_unchanged",
    "documents_failed",
    "bytes_downloaded",
    "observations",
    "quarantined",
    "promoted",
)


def start_run(engine: Engine, mode: str, *, run_id: str) -> str:
    with engine.begin() as conn:
        exists = conn.execute(
            select(refresh_run.c.run_id).where(refresh_run.c.run_id == run_id)
        ).first()
        if not exists:
            conn.execute(
                insert(refresh_run).values(
                    run_id=run_id,
                    mode=mode,
                    started_at=dt.datetime.now(dt.UTC),
                    status="running",
                    message="",
                    **{c: 0 for c in COUNTERS},
                )
            )
    return run_id


def update_run(engine: Engine, run_id: str, **values) -> None:
    with engine.begin() as conn:
        conn.execute(update(refresh_run).where(refresh_run.c.run_id == run_id).values(**values))


def finish_run(engine: Engine, run_id: str, status: str, message: str = "") -> None:
    update_run(engine, run_id, status=status, message=message, finished_at=dt.datetime.now(dt.UTC))


def last_runs(engine: Engine, n: int = 10) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(refresh_run).order_by(refresh_run.c.started_at.desc()).limit(n))
        return [dict(r._mapping) for r in rows]


def unchanged_since(engine: Engine, run_id: str) -> str | None:
    """The last succeeded run that read exactly what ``run_id`` reads (same documents, same code),
    or ``None``: such a run's staging, validation and promotion would change nothing."""
    with engine.connect() as conn:
        mine = conn.execute(
            select(refresh_run.c.input_fingerprint).where(refresh_run.c.run_id == run_id)
        ).scalar()
        if not mine:
            return None
        return conn.execute(
            select(refresh_run.c.run_id)
            .where(
                refresh_run.c.status == "succeeded",
                refresh_run.c.run_id != run_id,
                refresh_run.c.input_fingerprint == mine,
            )
            .order_by(refresh_run.c.started_at.desc())
            .limit(1)
        ).scalar()
