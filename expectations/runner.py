"""Run the staging suites with Great Expectations against the warehouse, and build Data Docs.

GX connects through its own SQL datasource (SQLite or PostgreSQL) to the staging rows of one
refresh run; the result is reduced to plain records the pipeline and the CLI can show.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from sources import config
from sources.errors import ConfigError

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx  # noqa: E402  (analytics must be off before the import)

from expectations.suites import ERROR, staging_checks  # noqa: E402

SUITE = "staging"
DATASOURCE = "warehouse"
_RUN_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")
SAMPLE_ROWS = 5
MAX_ROWS = 1000


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    name: str
    severity: str
    success: bool
    unexpected_count: int = 0
    # The unexpected rows GX returned (at most MAX_ROWS), for quarantine and for the report.
    rows: list = field(default_factory=list)

    @property
    def sample_rows(self) -> list:
        return self.rows[:SAMPLE_ROWS]


@dataclass(frozen=True)
class ValidationReport:
    run_id: str
    outcomes: list[ExpectationOutcome]
    docs_index: str = ""

    @property
    def success(self) -> bool:
        """True unless an ERROR expectation failed (WARN failures are shown, not blocking)."""
        return not self.errors

    @property
    def errors(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == ERROR]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity != ERROR]

    def by_suite(self) -> dict[str, list[ExpectationOutcome]]:
        grouped: dict[str, list[ExpectationOutcome]] = {}
        for outcome in self.outcomes:
            grouped.setdefault(outcome.suite, []).append(outcome)
        return grouped


def gx_project_dir() -> Path:
    return config.data_dir() / "gx"


def validate_staging(
    database_url: str, run_id: str, *, project_dir: Path | None = None
) -> ValidationReport:
    """Validate the staging rows of ``run_id``; Data Docs are rebuilt under the GX project dir."""
    if not _RUN_ID.match(run_id):
        raise ConfigError(f"refusing to validate run id {run_id!r}: unexpected characters")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    dialect = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    context = gx.get_context(mode="file", project_root_dir=str(project_dir or gx_project_dir()))
    context.variables.progress_bars = {"globally": False}
    batch_definition = _batch_definition(context, database_url, dialect, run_id)
    checks = staging_checks(dialect, run_id)
    suite = gx.ExpectationSuite(name=SUITE, expectations=[spec.expectation for spec in checks])
    suite = context.suites.add_or_update(suite)
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"{SUITE}_validation", data=batch_definition, suite=suite)
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"{SUITE}_checkpoint",
            validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
            result_format="COMPLETE",
        )
    )
    result = checkpoint.run()
    outcomes = [
        _outcome(res) for run_result in result.run_results.values() for res in run_result.results
    ]
    return ValidationReport(run_id, outcomes, docs_index=_docs_index(context))


def _batch_definition(context, database_url: str, dialect: str, run_id: str):
    if dialect == "postgresql":
        datasource = context.data_sources.add_or_update_postgres(
            name=f"{DATASOURCE}_{dialect}", connection_string=database_url
        )
    else:
        datasource = context.data_sources.add_or_update_sqlite(
            name=f"{DATASOURCE}_{dialect}", connection_string=database_url
        )
    for name in list(datasource.get_asset_names()):
        datasource.delete_asset(name)
    asset = datasource.add_query_asset(
        name="staging_run", query=f"SELECT * FROM staging_observation WHERE run_id = '{run_id}'"
    )
    return asset.add_batch_definition_whole_table("run")


def _outcome(res) -> ExpectationOutcome:
    meta = res.expectation_config.meta or {}
    result = res.result or {}
    details = result.get("details") or {}
    rows = details.get("unexpected_rows") or result.get("partial_unexpected_list") or []
    error = (res.exception_info or {}) if isinstance(res.exception_info, dict) else {}
    raised = [v for v in error.values() if isinstance(v, dict) and v.get("raised_exception")]
    if error.get("raised_exception") or raised:
        message = error.get("exception_message") or (
            raised[0].get("exception_message") if raised else ""
        )
        rows = [{"error": str(message).splitlines()[0][:500]}]
    count = result.get("unexpected_count")
    if count is None:
        count = (
            result.get("observed_value")
            if isinstance(result.get("observed_value"), int)
            else len(rows)
        )
    return ExpectationOutcome(
        suite=meta.get("suite", "structure"),
        name=meta.get("name", res.expectation_config.type),
        severity=meta.get("severity", ERROR),
        success=bool(res.success),
        unexpected_count=int(count or 0) if not res.success else 0,
        rows=[_plain(row) for row in rows[:MAX_ROWS]],
    )


def _plain(row):
    if isinstance(row, dict):
        return {
            k: (v if isinstance(v, int | float | str | type(None)) else str(v))
            for k, v in row.items()
        }
    return row if isinstance(row, int | float | str | type(None)) else str(row)


def _docs_index(context) -> str:
    sites = context.get_docs_sites_urls()
    return sites[0]["site_url"] if sites else ""
