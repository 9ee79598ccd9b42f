"""Production shape end to end: dagster-webserver and dagster-daemon on a PostgreSQL instance
(deploy/dagster.yaml), a run of ``refresh`` launched through GraphQL, queued, executed by the
daemon's run launcher, and the warehouse filled."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select

from tests.conftest import drop_postgres_database, fresh_postgres_database
from warehouse.schema import fact, refresh_run

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCATION = "yrd_ipbench"

LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId status } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on Error { message }
  }
}
"""
RUN_STATUS = """
query Status($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run { status }
    ... on Error { message }
  }
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A Dagster process in its own session, so that its children (code servers, run workers)
    can be stopped with it."""
    handle = log.open("wb")
    try:
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    finally:
        handle.close()


def stop(process: subprocess.Popen, grace: float = 20.0) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=grace)
        except ProcessLookupError:
            pass
    # Children left behind in the session (a run worker mid-step) go with it.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def tail(log: Path, n: int = 4000) -> str:
    return log.read_text(errors="replace")[-n:] if log.exists() else ""


def wait_for_webserver(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dagster-webserver exited with {process.returncode}:\n{tail(log)}")
        try:
            if requests.get(f"{url}/server_info", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    pytest.fail(f"dagster-webserver did not answer within {timeout:.0f}s:\n{tail(log)}")


@contextmanager
def webserver(env: dict[str, str], logs: Path, timeout: float = 180) -> Iterator[str]:
    """A running dagster-webserver on 127.0.0.1 serving workspace.yaml; yields its base URL."""
    port = free_port()
    log = logs / "webserver.log"
    args = [str(BIN / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1"]
    process = start([*args, "-p", str(port)], env, log)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_webserver(url, process, log, timeout)
        yield url
    finally:
        stop(process)


def dagster_env(home: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "HOME": str(home),
        "DAGSTER_HOME": str(home),
        "LANG": "C.UTF-8",
        **extra,
    }


def graphql(url: str, query: str, variables: dict) -> dict:
    response = requests.post(
        f"{url}/graphql", json={"query": query, "variables": variables}, timeout=30
    )
    response.raise_for_status()
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


@pytest.fixture
def dagster_storage() -> Iterator[str]:
    """A fresh PostgreSQL database for Dagster's runs, event logs and schedules."""
    name, _ = fresh_postgres_database()
    try:
        yield name
    finally:
        drop_postgres_database(name)


@pytest.fixture
def warehouse_url() -> Iterator[str]:
    name, url = fresh_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(name)


def test_daemon_runs_the_refresh_launched_through_graphql(tmp_path, dagster_storage, warehouse_url):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    env = dagster_env(
        home,
        DAGSTER_PG_HOST="127.0.0.1",
        DAGSTER_PG_PORT="5432",
        DAGSTER_PG_USER="postgres",
        DAGSTER_PG_PASSWORD="",
        DAGSTER_PG_DB=dagster_storage,
        IPBENCH_DATABASE_URL=warehouse_url,
        IPBENCH_DATA_DIR=str(tmp_path / "data"),
        IPBENCH_MODE="sample",
    )
    daemon_log = tmp_path / "daemon.log"
    daemon = start([str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"], env, daemon_log)
    try:
        with webserver(env, tmp_path) as url:
            params = {
                "selector": {
                    "repositoryLocationName": LOCATION,
                    "repositoryName": "__repository__",
                    "jobName": "refresh",
                },
                "runConfigData": {},
            }
            launched = graphql(url, LAUNCH, {"params": params})["launchRun"]
            assert launched["__typename"] == "LaunchRunSuccess", launched
            run_id = launched["run"]["runId"]
            status = _wait_for_run(url, run_id, daemon, daemon_log, timeout=600)
            assert status == "SUCCESS", f"run {run_id} ended {status}:\n{tail(daemon_log)}"
    finally:
        stop(daemon)

    engine = create_engine(warehouse_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(fact)).scalar() > 100
            runs = conn.execute(select(refresh_run.c.run_id, refresh_run.c.status)).all()
    finally:
        engine.dispose()
    # The warehouse's run is the Dagster run the GraphQL API launched.
    assert [tuple(r) for r in runs] == [(run_id, "succeeded")]


def _wait_for_run(
    url: str, run_id: str, daemon: subprocess.Popen, log: Path, timeout: float
) -> str:
    """Poll until the run ends; QUEUED runs only start if the daemon dequeues them."""
    deadline = time.monotonic() + timeout
    status = "UNKNOWN"
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            pytest.fail(f"dagster-daemon exited with {daemon.returncode}:\n{tail(log)}")
        found = graphql(url, RUN_STATUS, {"runId": run_id})["runOrError"]
        status = found.get("status", found["__typename"])
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            return status
        time.sleep(2)
    pytest.fail(f"run {run_id} still {status} after {timeout:.0f}s:\n{tail(log)}")
