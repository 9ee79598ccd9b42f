"""Engines for the warehouse, and Alembic upgrades run from code (no alembic.ini needed)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

from sources import config as project_config
from warehouse import schema

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default ``IPBENCH_DATABASE_URL`` or the SQLite file)."""
    return _engine(url or project_config.database_url())


@cache
def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        return engine
    return create_engine(url, pool_pre_ping=True)


def analyze(engine: Engine, *tables: str) -> None:
    """Refresh the planner's statistics of ``tables`` after a bulk write. Without them PostgreSQL
    plans a freshly filled table as if it held a handful of rows and picks nested loops that take
    minutes on the consistency checks' joins."""
    known = {t.name for t in schema.metadata.sorted_tables}
    with engine.begin() as conn:
        for table in tables:
            if table not in known:
                raise ValueError(f"unknown table {table!r}")
            conn.exec_driver_sql(f"ANALYZE {table}")


def readonly_engine(url: str | None = None) -> Engine:
    """A connection that cannot write: the database itself refuses, not only our checks."""
    url = url or project_config.database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "").resolve()
        return create_engine(
            "sqlite://", creator=lambda: _sqlite_readonly(path), pool_reset_on_return=None
        )
    return create_engine(
        url, connect_args={"options": "-c default_transaction_read_only=on"}, pool_pre_ping=True
    )


def _sqlite_readonly(path: Path):
    import sqlite3

    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() or ""


_upgraded: set[str] = set()


def upgrade(engine: Engine) -> None:
    """Bring the warehouse to the newest schema (a no-op when it is already there)."""
    key = engine.url.render_as_string(hide_password=False)
    if key in _upgraded:
        return
    if current_revision(engine) != head_revision():
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    _upgraded.add(key)
