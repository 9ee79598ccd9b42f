"""Refresh bookkeeping the no-change shortcut relies on, and the planner statistics a refresh
leaves behind for the consistency checks."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pipelines.refresh import run_refresh
from warehouse import runs
from warehouse.db import analyze, make_engine, upgrade


def _run(engine, run_id: str, fingerprint: str, status: str | None = "succeeded") -> None:
    runs.start_run(engine, "sample", run_id=run_id)
    runs.update_run(engine, run_id, input_fingerprint=fingerprint)
    if status:
        runs.finish_run(engine, run_id, status)


def test_only_the_last_succeeded_run_counts_as_unchanged(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    _run(engine, "run-a", "inputs-x")
    _run(engine, "run-b", "inputs-y")
    _run(engine, "run-c", "inputs-x", status=None)
    # The warehouse holds run-b's facts: run-a having read the same inputs proves nothing.
    assert runs.unchanged_since(engine, "run-c") is None
    runs.update_run(engine, "run-c", input_fingerprint="inputs-y")
    assert runs.unchanged_since(engine, "run-c") == "run-b"
    # A blocked run promoted nothing, so it does not move the reference point.
    _run(engine, "run-d", "inputs-z", status="blocked")
    assert runs.unchanged_since(engine, "run-c") == "run-b"
    _run(engine, "run-e", "", status=None)
    assert runs.unchanged_since(engine, "run-e") is None


def _has_statistics(engine, table: str) -> bool:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return conn.execute(
                text("SELECT reltuples > 0 FROM pg_class WHERE relname = :t"), {"t": table}
            ).scalar()
        return bool(
            conn.execute(
                text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}
            ).scalar()
        )


def test_a_refresh_leaves_planner_statistics_for_what_it_wrote(database_url):
    outcome = run_refresh("sample", database_url=database_url)
    assert outcome.succeeded, outcome.message
    engine = make_engine(database_url)
    for table in ("staging_observation", "observation", "fact"):
        assert _has_statistics(engine, table), table
    with pytest.raises(ValueError, match="unknown table"):
        analyze(engine, "fact; DROP TABLE fact")
