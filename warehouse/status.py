"""What ``ipbench status`` reads from the warehouse: blocked promotions and quarantine counts."""

from __future__ import annotations

from sqlalchemy import func, inspect, or_, select
from sqlalchemy.engine import Engine

from warehouse.schema import quarantine, refresh_run


def has_runs_table(engine: Engine) -> bool:
    """False on a warehouse no refresh has created yet."""
    return inspect(engine).has_table(refresh_run.name)


def blocked_promotions(engine: Engine, n: int = 5) -> list[dict]:
    """The newest runs whose validation stopped the promotion (the facts stayed as they were)."""
    query = (
        select(refresh_run.c.run_id, refresh_run.c.started_at, refresh_run.c.message)
        .where(refresh_run.c.status == "blocked")
        .order_by(refresh_run.c.started_at.desc())
        .limit(n)
    )
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def latest_parsing_run(engine: Engine) -> str | None:
    """The newest run that parsed documents (a no-change run parses nothing and is skipped)."""
    query = (
        select(refresh_run.c.run_id)
        .where(or_(refresh_run.c.observations > 0, refresh_run.c.quarantined > 0))
        .order_by(refresh_run.c.started_at.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def quarantine_counts(engine: Engine, run_id: str) -> list[tuple[str, int]]:
    """Quarantined rows of ``run_id`` per publisher, most first."""
    n = func.count().label("n")
    query = (
        select(func.coalesce(quarantine.c.publisher, ""), n)
        .where(quarantine.c.run_id == run_id)
        .group_by(quarantine.c.publisher)
        .order_by(n.desc(), quarantine.c.publisher)
    )
    with engine.connect() as conn:
        return [(publisher, count) for publisher, count in conn.execute(query)]
