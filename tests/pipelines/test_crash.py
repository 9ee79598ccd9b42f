"""A refresh killed by SIGKILL in the middle of promotion leaves the warehouse exactly as before,
and the next refresh recovers on its own: the database rolls the transaction back (SQLite from its
stale WAL, PostgreSQL when the connection drops) and the dead run is marked ``crashed``."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from pipelines.refresh import run_refresh
from sources import config
from sources.simulator import SimSettings, serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

REFRESH_TIMEOUT = 240  # seconds; a live refresh against the simulator takes well under a minute
F4 = "www.cnipa.gov.cn/tjxx/jianbao/year2023/f/f4.html"
WAREHOUSE_TABLES = ("fact", "observation", "mart_benchmark", "mart_gap")
ANHUI_PCT_2023 = (
    "select value from {table} where region_code='340000' and indicator='pct_applications' "
    "and period_kind='year' and period_end = :end order by value"
)
END = dt.date(2023, 12, 31)


def _rows(url: str, sql: str, **params) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [tuple(str(v) for v in r) for r in conn.execute(text(sql), params)]
    engine.dispose()
    return rows


def _snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of the tables analysts read, in a stable order."""
    return {table: sorted(_rows(url, f"select * from {table}")) for table in WAREHOUSE_TABLES}


def _values(url: str, table: str) -> list[float]:
    return [float(v) for (v,) in _rows(url, ANHUI_PCT_2023.format(table=table), end=END)]


def _runs(url: str) -> list[tuple]:
    return _rows(url, "select status, message from refresh_run order by started_at")


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database or "") if parsed.get_backend_name() == "sqlite" else None


def _close_connections_to(sqlite_file: Path) -> None:
    """Close every pooled connection this process holds to ``sqlite_file`` (the refresh's own
    engine and the validator's): SQLite then checkpoints and removes the WAL, so a WAL found after
    the crash is the killed process's, and the next open must recover it."""
    for engine in [obj for obj in gc.get_objects() if isinstance(obj, Engine)]:
        if _sqlite_file(engine.url.render_as_string(hide_password=False)) == sqlite_file:
            engine.dispose()


def _ipbench_refresh_live(env: dict[str, str]) -> subprocess.CompletedProcess:
    # Its own session, as a shell job or a cron job runs: the process group dies with it.
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "refresh", "--mode", "live", "--quiet"],
        cwd=config.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=REFRESH_TIMEOUT,
        start_new_session=True,
    )


@pytest.fixture
def changed_site(tmp_path):
    """The sample tree served by the simulator, with Anhui's 2023 PCT count changed 1901 → 1902."""
    root = tmp_path / "sample"
    shutil.copytree(config.SAMPLE_DIR, root)
    page = root / "site" / F4
    original = page.read_text(encoding="utf-8")
    assert original.count(">1901<") == 1
    page.write_text(original.replace(">1901<", ">1902<"), encoding="utf-8")
    simulator = serve(root / "site", settings=SimSettings(lifetime=REFRESH_TIMEOUT * 2))
    try:
        yield simulator.url
    finally:
        simulator.stop()


def test_sigkill_during_promotion_leaves_the_warehouse_as_before(
    database_url, data_dir, changed_site
):
    assert run_refresh("sample", database_url=database_url).succeeded
    before = _snapshot(database_url)
    assert before["fact"] and before["observation"] and before["mart_gap"]
    assert _values(database_url, "fact") == [1901]
    sqlite_file = _sqlite_file(database_url)
    if sqlite_file:
        _close_connections_to(sqlite_file)
        assert not Path(f"{sqlite_file}-wal").exists()

    env = {
        **os.environ,
        "IPBENCH_DATABASE_URL": database_url,
        "IPBENCH_DATA_DIR": str(data_dir),
        "IPBENCH_SIMULATOR": changed_site,
        # The simulator is not a government site: no need to wait a second between requests.
        "IPBENCH_RATE_LIMIT": "200",
    }
    crashed = _ipbench_refresh_live({**env, "IPBENCH_CRASH_AT": "promotion"})
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr[-2000:]
    if sqlite_file:
        assert Path(f"{sqlite_file}-wal").exists()  # left by the killed writer
        assert _rows(database_url, "pragma integrity_check") == [("ok",)]

    assert _snapshot(database_url) == before
    # It did reach promotion: its staging rows were committed, its run never finished.
    crashed_run = _rows(
        database_url,
        "select r.status, count(s.run_id) from refresh_run r "
        "join staging_observation s on s.run_id = r.run_id "
        "where r.status = 'running' group by r.status",
    )
    assert len(crashed_run) == 1 and int(crashed_run[0][1]) > 0

    recovered = _ipbench_refresh_live(env)
    assert recovered.returncode == 0, recovered.stderr[-2000:]
    assert _values(database_url, "observation") == [1901, 1902]
    assert _values(database_url, "fact") == [1902]
    gap = _rows(
        database_url,
        "select value from mart_gap where region_code='340000' and indicator='pct_applications' "
        "and period_kind='year' and period_end = :end and peer_group='hu_su_zhe'",
        end=END,
    )
    assert [float(v) for (v,) in gap] == [1902]
    runs = _runs(database_url)
    assert [status for status, _message in runs] == ["succeeded", "crashed", "succeeded"]
    assert runs[1][1].endswith("ended before the run finished")
