"""``ipbench refresh``: materialise the whole graph in-process, with progress on the terminal.

In-process execution keeps a refresh fast (no subprocess per step); the run id Dagster assigns is
the warehouse's ``refresh_run.run_id``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipelines.assets import ASSETS
from pipelines.checks import CHECKS
from pipelines.definitions import build_resources
from sources.progress import NullProgress

QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


class RichProgress:
    """Adapter from the library's progress protocol to rich progress bars."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}", style="dim"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._task = None

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def start(self, stage: str, total: int | None = None) -> None:
        self._task = self._progress.add_task(stage, total=total, detail="")

    def advance(self, n: int = 1, detail: str = "") -> None:
        if self._task is not None:
            self._progress.update(self._task, advance=n, detail=detail[:60])

    def done(self, summary: str = "") -> None:
        if self._task is not None:
            task = self._progress.tasks[self._task]
            total = task.total if task.total is not None else task.completed
            self._progress.update(self._task, total=total, completed=total, detail=summary)
            self._task = None


@dataclass
class RefreshOutcome:
    run_id: str
    status: str
    message: str = ""
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    metadata: dict[str, dict] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


def run_refresh(
    mode: str = "sample",
    *,
    replay_from: Path | None = None,
    database_url: str = "",
    archive_root: str = "",
    console: Console | None = None,
) -> RefreshOutcome:
    resources = build_resources(
        mode=mode,
        database_url=database_url,
        archive_root=archive_root,
        replay_from=str(replay_from or ""),
    )
    started = time.perf_counter()
    if console is None:
        result = _materialize(resources, NullProgress())
    else:
        with RichProgress(console) as progress:
            result = _materialize(resources, progress)
    outcome = _outcome(result, time.perf_counter() - started)
    if console is not None:
        _summarise(console, outcome)
    return outcome


def _materialize(resources: dict, progress) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [*ASSETS, *CHECKS],
        resources={**resources, "progress": progress},
        run_config=QUIET_LOGS,
        raise_on_error=False,
    )


def _failure_reasons(result: dg.ExecuteInProcessResult) -> list[str]:
    """What went wrong in each failed step, in the error's own words (not Dagster's summary)."""
    reasons = []
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        error = event.event_specific_data.error
        while error is not None and error.cause is not None:
            error = error.cause
        detail = error.message.strip() if error is not None else (event.message or "")
        reasons.append(f"{event.step_key}: {detail}")
    return reasons or ["the refresh failed before any step ran"]


def _outcome(result: dg.ExecuteInProcessResult, seconds: float) -> RefreshOutcome:
    metadata: dict[str, dict] = {}
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        metadata[mat.asset_key.to_user_string()] = {k: v.value for k, v in mat.metadata.items()}
    stage_seconds = {name: float(meta.get("seconds", 0.0)) for name, meta in metadata.items()}
    check_seconds = [
        float(e.event_specific_data.metadata["seconds"].value)
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and "seconds" in e.event_specific_data.metadata
    ]
    if check_seconds:
        stage_seconds["validation (GX)"] = max(check_seconds)
    failed_checks = [
        evaluation
        for evaluation in (
            e.event_specific_data
            for e in result.all_events
            if e.event_type_value == "ASSET_CHECK_EVALUATION"
        )
        if not evaluation.passed
    ]
    if failed_checks:
        # A blocking check stopped the promotion: yesterday's facts stand.
        failed = [
            str(item)
            for evaluation in failed_checks
            for item in (
                evaluation.metadata.get("failed").value
                if "failed" in evaluation.metadata
                else [evaluation.check_name]
            )
        ]
        status, message = "blocked", "validation failed: " + "; ".join(failed)
    elif not result.success:
        status, message = "failed", "; ".join(_failure_reasons(result))[:2000]
    elif "benchmark_marts" not in metadata:
        status, message = "blocked", "validation failed"
    else:
        status, message = "succeeded", ""
    return RefreshOutcome(result.run_id, status, message, seconds, stage_seconds, metadata)


def _summarise(console: Console, outcome: RefreshOutcome) -> None:
    staged = outcome.metadata.get("staged_observations", {})
    docs = outcome.metadata.get("documents", {})
    console.print(
        f"refresh [bold]{outcome.status}[/] in {outcome.seconds:.1f}s — "
        f"{docs.get('documents', 0)} documents, {staged.get('rows', 0)} observations, "
        f"{staged.get('quarantined', 0)} quarantined (run {outcome.run_id[:8]})",
        highlight=False,
    )
