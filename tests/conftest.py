"""Shared fixtures: a fresh warehouse on SQLite and on PostgreSQL.

PostgreSQL tests never skip silently: when the server is unreachable they fail with a clear
message, unless IPBENCH_SKIP_PG=1 says to skip them on purpose.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get(
    "IPBENCH_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)


def fresh_postgres_database() -> tuple[str, str]:
    name = f"ipbench_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as err:  # a clear failure, never a silent skip
        if os.environ.get("IPBENCH_SKIP_PG") == "1":
            pytest.skip("IPBENCH_SKIP_PG=1")
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is required for this test: {err}")
    finally:
        admin.dispose()
    return name, PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres_database(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("IPBENCH_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("IPBENCH_ARCHIVE_DIR", raising=False)
    monkeypatch.delenv("IPBENCH_SIMULATOR", raising=False)
    return tmp_path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, data_dir, monkeypatch):
    """A fresh, empty warehouse URL (set as IPBENCH_DATABASE_URL) on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{data_dir / 'warehouse.db'}"
        monkeypatch.setenv("IPBENCH_DATABASE_URL", url)
        yield url
        return
    name, url = fresh_postgres_database()
    monkeypatch.setenv("IPBENCH_DATABASE_URL", url)
    try:
        yield url
    finally:
        from warehouse.db import make_engine

        make_engine(url).dispose()
        drop_postgres_database(name)
