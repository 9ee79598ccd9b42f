"""The analysts' PostgreSQL role reads the warehouse and cannot change it (PostgreSQL only)."""

import subprocess
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import errorcodes
from sqlalchemy import create_engine, make_url, text

from pipelines.refresh import run_refresh
from tests.conftest import drop_postgres_database, fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "create-analyst-role.sh"
ROLE = "ipbench_analyst"


@pytest.fixture
def warehouse(data_dir, monkeypatch):
    """A PostgreSQL warehouse filled by a sample refresh."""
    name, url = fresh_postgres_database()
    monkeypatch.setenv("IPBENCH_DATABASE_URL", url)
    try:
        assert run_refresh("sample", database_url=url).succeeded
        yield url
    finally:
        from warehouse.db import make_engine

        make_engine(url).dispose()
        drop_postgres_database(name)


def _connect_as_analyst(url: str):
    parsed = make_url(url)
    return psycopg2.connect(
        host=parsed.host, port=parsed.port or 5432, dbname=parsed.database, user=ROLE
    )


def _refused(conn, statement: str) -> str:
    """Run ``statement`` in a read-write transaction; the pgcode it was refused with."""
    with conn.cursor() as cur:
        try:
            # Read-write on purpose: the refusal must come from privileges, not the session default.
            cur.execute("SET TRANSACTION READ WRITE")
            cur.execute(statement)
        except psycopg2.Error as err:
            return err.pgcode
        finally:
            conn.rollback()
    return ""


def test_analyst_reads_every_table_and_view_and_cannot_write(warehouse):
    done = subprocess.run([str(SCRIPT), warehouse], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # Idempotent: running it again (after a migration, say) changes nothing and does not fail.
    again = subprocess.run([str(SCRIPT), warehouse], capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    owner = create_engine(warehouse, isolation_level="AUTOCOMMIT")
    try:
        with owner.connect() as conn:
            facts = conn.execute(text("select count(*) from fact")).scalar()
            # A table created after the grant, as a mart rebuild or a migration would.
            conn.execute(text("create table mart_later (region_code text)"))
            conn.execute(text("insert into mart_later values ('340400')"))
    finally:
        owner.dispose()
    assert facts > 100

    conn = _connect_as_analyst(warehouse)
    try:
        with conn.cursor() as cur:
            cur.execute("select count(*) from fact")
            assert cur.fetchone()[0] == facts
            cur.execute("select count(*) from v_gap_huainan")
            assert cur.fetchone()[0] > 0
            cur.execute("select region_code from mart_later")
            assert cur.fetchall() == [("340400",)]
        conn.rollback()
        denied = errorcodes.INSUFFICIENT_PRIVILEGE
        assert _refused(conn, "insert into fact select * from fact limit 1") == denied
        assert _refused(conn, "update fact set value = value + 1") == denied
        assert _refused(conn, "delete from fact") == denied
        assert _refused(conn, "delete from mart_later") == denied
        assert _refused(conn, "create table mine (x int)") == denied
        # And a plain session is read-only before any privilege is even looked at.
        with conn.cursor() as cur:
            with pytest.raises(psycopg2.Error) as refused:
                cur.execute("delete from fact")
        conn.rollback()
        assert refused.value.pgcode == errorcodes.READ_ONLY_SQL_TRANSACTION
    finally:
        conn.close()
