"""The one Definitions object of the code location (``workspace.yaml`` points here)."""

from __future__ import annotations

import dagster as dg

from pipelines.assets import ALL_ASSETS
from pipelines.checks import CHECKS
from pipelines.nightly import (
    SCHEDULES,
    SENSORS,
    nightly_acquire_job,
    publisher_archive,
)
from pipelines.resources import ArchiveResource, WarehouseResource
from sources.progress import NullProgress

refresh_job = dg.define_asset_job(
    "refresh",
    # The nightly acquisition is partitioned by publisher and runs in its own job.
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(publisher_archive),
    description="The whole graph: acquire, parse, validate, promote, marts, the brief.",
)


def build_resources(
    mode: str = "sample", database_url: str = "", archive_root: str = "", replay_from: str = ""
) -> dict:
    return {
        "archive": ArchiveResource(mode=mode, root=archive_root, replay_from=replay_from),
        "warehouse": WarehouseResource(url=database_url),
        "progress": NullProgress(),
    }


defs = dg.Definitions(
    assets=[*ALL_ASSETS, publisher_archive],
    asset_checks=CHECKS,
    jobs=[refresh_job, nightly_acquire_job],
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources={
        **build_resources(mode=dg.EnvVar("IPBENCH_MODE").get_value("sample") or "sample"),
        # The night fetches the real sites; IPBENCH_NIGHTLY_MODE=sample tries it offline.
        "nightly_archive": ArchiveResource(
            mode=dg.EnvVar("IPBENCH_NIGHTLY_MODE").get_value("live") or "live"
        ),
    },
)
