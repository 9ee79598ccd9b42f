"""The refresh_run table: one row per refresh, with its counters and outcome.

A refresh killed outright (SIGKILL, power loss) cannot record its own end, so its row stays
``running``. While a run is in progress its message names the process group and host executing
it; the next refresh on that host marks the row ``crashed`` once that group has no process left.
A process group, not a process id, because Dagster's multiprocess executor runs each step in its
own child process of the run worker: the group outlives the step that started the run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket

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


RUNNING_IN = re.compile(r"^running in process group (?P<group>\d+) on (?P<host>\S+)$")


def start_run(engine: Engine, mode: str, *, run_id: str) -> str:
    mark_crashed_runs(engine)
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
                    message=f"running in process group {os.getpgrp()} on {socket.gethostname()}",
                    **{c: 0 for c in COUNTERS},
                )
            )
    return run_id


def mark_crashed_runs(engine: Engine) -> list[str]:
    """Mark ``crashed`` the running rows whose process group on this host is gone; their ids.

    Rows of another host, or whose message no longer names a group, are left alone: their
    process may still be working, and a wrong ``crashed`` is worse than a stale ``running``.
    """
    host = socket.gethostname()
    with engine.begin() as conn:
        running = conn.execute(
            select(refresh_run.c.run_id, refresh_run.c.message).where(
                refresh_run.c.status == "running"
            )
        ).all()
        crashed = []
        for run_id, message in running:
            match = RUNNING_IN.match(message or "")
            if match and match["host"] == host and not _group_alive(int(match["group"])):
                conn.execute(
                    update(refresh_run)
                    .where(refresh_run.c.run_id == run_id, refresh_run.c.status == "running")
                    .values(
                        status="crashed",
                        finished_at=dt.datetime.now(dt.UTC),
                        message=f"process group {match['group']} ended before the run finished",
                    )
                )
                crashed.append(run_id)
    return crashed


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)  # signal 0: existence check only
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


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
    """The last succeeded run, if it read exactly what ``run_id`` reads (same documents, same
    code), else ``None``. Only the last one counts: the warehouse holds its facts and marts, so an
    older run with the same inputs (code reverted since) says nothing about what is there now."""
    with engine.connect() as conn:
        mine = conn.execute(
            select(refresh_run.c.input_fingerprint).where(refresh_run.c.run_id == run_id)
        ).scalar()
        if not mine:
            return None
        last = conn.execute(
            select(refresh_run.c.run_id, refresh_run.c.input_fingerprint)
            .where(refresh_run.c.status == "succeeded", refresh_run.c.run_id != run_id)
            .order_by(refresh_run.c.started_at.desc())
            .limit(1)
        ).first()
        return last.run_id if last and last.input_fingerprint == mine else None
