"""Promotion: staging → observation (append-only history) and fact (current value per key).

Everything happens in one transaction: a failure at any point leaves yesterday's observations
and facts exactly as they were.

``IPBENCH_CRASH_AT=promotion`` makes ``promote`` SIGKILL its own process once the observation and
fact rows are written and before the commit. It exists for the crash test alone, which must kill a
refresh at a known point to show that the database, not our code, undoes the transaction; never
set it in production.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.engine import Connection, Engine

from sources.records import TIER_RANK
from warehouse.db import analyze
from warehouse.schema import fact, observation, staging_observation

CRASH_AT = "IPBENCH_CRASH_AT"
KEY = ("region_code", "indicator", "period_kind", "period_end", "series")
VINTAGE_RANK = {"revised": 0, "census": 1, "": 2, "pre-census": 3}
FACT_FIELDS = (
    "value",
    "unit",
    "qualifier",
    "tier",
    "publisher",
    "document_sha256",
    "observation_id",
    "published_on",
    "vintage",
)


@dataclass(frozen=True)
class PromoteStats:
    new_observations: int
    new_revisions: int
    facts_changed: int


def promote(engine: Engine, run_id: str, *, fail_after_observations: bool = False) -> PromoteStats:
    """Promote ``run_id``'s staging rows. ``fail_after_observations`` exists for rollback tests."""
    with engine.begin() as conn:
        new, revisions = _append_observations(conn, run_id)
        if fail_after_observations:
            raise RuntimeError("injected failure during promotion")
        changed = _refresh_facts(conn, run_id)
        if os.environ.get(CRASH_AT) == "promotion":
            os.kill(os.getpid(), signal.SIGKILL)
    analyze(engine, "observation", "fact")
    return PromoteStats(new, revisions, changed)


def _append_observations(conn: Connection, run_id: str) -> tuple[int, int]:
    staged = [
        dict(r._mapping)
        for r in conn.execute(
            select(staging_observation).where(staging_observation.c.run_id == run_id)
        )
    ]
    existing = {}
    latest_revision: dict[tuple, int] = {}
    for row in conn.execute(select(observation)):
        row = dict(row._mapping)
        existing[_key(row) + (row["document_sha256"], row["value"])] = True
        rev_key = _key(row) + (row["publisher"],)
        latest_revision[rev_key] = max(latest_revision.get(rev_key, 0), row["revision"])
    now = dt.datetime.now(dt.UTC)
    inserts, revisions = [], 0
    for row in staged:
        if (_key(row) + (row["document_sha256"], row["value"])) in existing:
            continue
        rev_key = _key(row) + (row["publisher"],)
        revision = latest_revision.get(rev_key, 0) + 1
        latest_revision[rev_key] = revision
        revisions += revision > 1
        row.pop("run_id")
        inserts.append({**row, "revision": revision, "first_run_id": run_id, "recorded_at": now})
        existing[_key(row) + (row["document_sha256"], row["value"])] = True
    if inserts:
        conn.execute(insert(observation), inserts)
    return len(inserts), revisions


def _rank(row: dict) -> tuple:
    published = row["published_on"] or dt.date.min
    return (
        TIER_RANK.get(row["tier"], 99),
        -published.toordinal(),
        VINTAGE_RANK.get(row["vintage"], 2),
        -row["observation_id"],
    )


def _refresh_facts(conn: Connection, run_id: str) -> int:
    best: dict[tuple, dict] = {}
    for row in conn.execute(select(observation)):
        row = dict(row._mapping)
        key = _key(row)
        if key not in best or _rank(row) < _rank(best[key]):
            best[key] = row
    current = {
        _key(dict(r._mapping)): dict(r._mapping)
        for r in conn.execute(select(fact).where(fact.c.derived.is_(False)))
    }
    changed = [
        key
        for key, row in best.items()
        if key not in current or any(current[key][f] != row[f] for f in FACT_FIELDS)
    ]
    # A derived value never shadows a published one for the same key: it goes with the old value.
    derived = {
        _key(dict(r._mapping))
        for r in conn.execute(select(*(fact.c[k] for k in KEY)).where(fact.c.derived.is_(True)))
    }
    for key in changed:
        if key in current or key in derived:
            conn.execute(
                delete(fact).where(and_(*(fact.c[k] == v for k, v in zip(KEY, key, strict=True))))
            )
    rows = [
        {
            **{k: best[key][k] for k in KEY},
            **{f: best[key][f] for f in FACT_FIELDS},
            "derived": False,
            "updated_run_id": run_id,
        }
        for key in changed
    ]
    if rows:
        conn.execute(insert(fact), rows)
    return len(rows)


def _key(row: dict) -> tuple:
    period_end = row["period_end"]
    if isinstance(period_end, str):
        period_end = dt.date.fromisoformat(period_end[:10])
    return (row["region_code"], row["indicator"], row["period_kind"], period_end, row["series"])
