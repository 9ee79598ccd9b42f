"""The structure suite's type checks: declared column types on both backends, and on SQLite (which
stores anything anywhere) the values actually stored."""

from __future__ import annotations

import sqlite3

from sqlalchemy import text

from expectations.runner import validate_staging
from pipelines.refresh import run_refresh
from warehouse.db import make_engine, upgrade
from warehouse.validation import declared_types_query


def test_the_warehouse_schema_has_the_declared_types(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text(declared_types_query(engine.dialect.name))).all() == []


def test_a_mis_declared_staging_column_is_named():
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE staging_observation (region_code VARCHAR(6), value TEXT, "
        "period_end DATE, published_on VARCHAR(10), evidence TEXT)"
    )
    found = conn.execute(declared_types_query("sqlite")).fetchall()
    assert sorted(found) == [("published_on", "VARCHAR(10)"), ("value", "TEXT")]


def test_text_stored_in_a_number_column_fails_the_structure_suite(data_dir):
    url = f"sqlite:///{data_dir / 'warehouse.db'}"
    assert run_refresh("sample", database_url=url).succeeded
    engine = make_engine(url)
    with engine.begin() as conn:
        run_id = conn.execute(text("SELECT run_id FROM staging_observation LIMIT 1")).scalar()
        conn.execute(
            text(
                "UPDATE staging_observation SET value = '12,3' WHERE rowid = "
                "(SELECT min(rowid) FROM staging_observation WHERE run_id = :r)"
            ),
            {"r": run_id},
        )
        conn.execute(
            text(
                "UPDATE staging_observation SET period_end = '2023-13-01' WHERE rowid = "
                "(SELECT max(rowid) FROM staging_observation WHERE run_id = :r)"
            ),
            {"r": run_id},
        )
    report = validate_staging(url, run_id, project_dir=data_dir / "gx")
    failed = {o.name: o for o in report.errors}
    assert set(failed) >= {"stored_types"}
    values = sorted(str(row["value"]) for row in failed["stored_types"].rows)
    assert len(values) == 2 and "12,3" in values
    assert any(str(row["period_end"]) == "2023-13-01" for row in failed["stored_types"].rows)
    assert not report.success
