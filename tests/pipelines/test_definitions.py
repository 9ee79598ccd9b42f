"""The code location loads the way the Dagster UI and daemon load it."""

import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg

from pipelines.checks import SUITES, staging_suites
from pipelines.definitions import defs

ROOT = Path(__file__).resolve().parents[2]


def test_definitions_validate_with_the_workspace_file(tmp_path):
    dagster = shutil.which("dagster", path=str(Path(sys.executable).parent)) or "dagster"
    result = subprocess.run(
        [dagster, "definitions", "validate", "-w", "workspace.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": str(Path(sys.executable).parent),
            "DAGSTER_HOME": str(tmp_path),
            "HOME": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_graph_runs_acquire_to_marts_in_order():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"documents", "staged_observations", "facts", "benchmark_marts"} <= keys
    upstream = {
        key.to_user_string(): {p.to_user_string() for p in graph.get(key).parent_keys}
        for key in graph.get_all_asset_keys()
    }
    assert upstream["staged_observations"] == {"documents"}
    assert upstream["facts"] == {"staged_observations"}
    assert upstream["benchmark_marts"] == {"facts"}


def test_staging_checks_are_blocking():
    specs = list(staging_suites.check_specs)
    assert {spec.name for spec in specs} == {f"{suite}_suite" for suite in SUITES}
    assert all(
        spec.blocking and spec.asset_key == dg.AssetKey("staged_observations") for spec in specs
    )
