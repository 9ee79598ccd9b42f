"""Commands that read the warehouse: SQL, gap tables, quarantine, a series' revisions, coverage
and the operational status."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.common import OutputFormat, comma_list, console
from sources.errors import IpbenchError


def query(
    sql: Annotated[str, typer.Argument(help="one SELECT (or WITH … SELECT) statement")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
    limit: Annotated[int, typer.Option(help="maximum rows returned")] = 10000,
) -> None:
    """Run read-only SQL against the warehouse and print CSV, JSON or a table."""
    from warehouse.query import format_result, run_query

    text = format_result(run_query(sql, limit=limit), format.value)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def gap(
    region: Annotated[str, typer.Option(help="region code or name")] = "淮南",
    peers: Annotated[str, typer.Option(help="peer group(s), comma separated")] = "anhui,yrd",
    year: Annotated[int | None, typer.Option(help="year (default: latest with data)")] = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Print a region's gap to its peer groups on every indicator."""
    from pipelines.reports import gap_table

    sys.stdout.write(gap_table(region, comma_list(peers), year, format.value))


def quarantine(
    run: Annotated[str | None, typer.Option(help="only this refresh run id")] = None,
    limit: Annotated[int, typer.Option(help="maximum rows")] = 200,
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """List rows that could not be parsed, normalised or validated, with the reason."""
    from pipelines.reports import quarantine_table

    sys.stdout.write(quarantine_table(run, limit, format.value))


def history(
    region: Annotated[str, typer.Argument(help="region code or name, e.g. 淮南")],
    indicator: Annotated[str, typer.Argument(help="indicator id or Chinese name")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Show every revision of a series with the document it came from."""
    from pipelines.reports import history_table

    sys.stdout.write(history_table(region, indicator, format.value))


def coverage(
    region: Annotated[
        list[str] | None, typer.Option(help="region code or name (repeatable; default: 4+40)")
    ] = None,
    indicator: Annotated[
        list[str] | None, typer.Option(help="indicator id (repeatable; default: benchmark set)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="also write one row per cell to this CSV")
    ] = None,
) -> None:
    """The indicator x region x year matrix (2019-2023) with each cell's tier."""
    import csv

    from rich.table import Table

    from pipelines.reports import region_code_for
    from sources.reference import all_known_regions, indicators
    from warehouse import coverage as cov
    from warehouse.db import readonly_engine

    known = all_known_regions()
    codes = (
        [region_code_for(r) for r in region]
        if region
        else cov.default_regions((r.code, r.level, r.province_code) for r in known.values())
    )
    wanted = list(indicator) if indicator else list(cov.BENCHMARK_INDICATORS)
    unknown = [i for i in wanted if i not in indicators()]
    if unknown:
        raise IpbenchError(f"unknown indicator(s): {', '.join(unknown)}")
    names = {code: known[code].name for code in codes if code in known}
    engine = readonly_engine()
    try:
        cells = cov.coverage(engine, codes, wanted, names=names)
    finally:
        engine.dispose()
    table = Table(title="coverage (year-end)", show_lines=False)
    for column in ("indicator", "region", *map(str, cov.YEARS)):
        table.add_column(column)
    for ind, code, name, tiers in cov.matrix_rows(cells):
        table.add_row(ind, f"{name} {code}", *(cov.LETTERS[t] for t in tiers))
    console.print(table)
    legend = "  ".join(f"{letter}={tier}" for tier, letter in cov.LETTERS.items())
    counts = "  ".join(f"{tier} {n}" for tier, n in cov.summary(cells).items())
    console.print(f"{legend}\n{counts}", highlight=False)
    if out:
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(cov.CSV_COLUMNS)
            for cell in cells:
                writer.writerow([getattr(cell, column) for column in cov.CSV_COLUMNS])
        console.print(str(out), highlight=False)


def status(
    runs: Annotated[int, typer.Option(help="how many recent refresh runs to list")] = 5,
) -> None:
    """Last runs, stale or vanished publishers, blocked promotions, latest quarantine counts."""
    from rich.table import Table
    from sqlalchemy.exc import OperationalError

    from pipelines.nightly import archive_freshness, today_in_shanghai
    from sources import config
    from sources.archive import Archive
    from warehouse import status as st
    from warehouse.db import readonly_engine
    from warehouse.runs import last_runs

    engine = readonly_engine()
    try:
        try:
            created = st.has_runs_table(engine)
        except OperationalError as err:
            raise IpbenchError(f"cannot open the warehouse: {err.orig}") from None
        if not created:
            raise IpbenchError("the warehouse has no refresh yet: run `ipbench refresh` first")
        recent = last_runs(engine, runs)
        blocked = st.blocked_promotions(engine)
        parsed = st.latest_parsing_run(engine)
        counts = st.quarantine_counts(engine, parsed) if parsed else []
    finally:
        engine.dispose()
    table = Table(title="last runs")
    for column in ("run", "mode", "started", "status", "fetched", "failed", "rows", "quarantined"):
        table.add_column(column)
    for r in recent:
        table.add_row(
            r["run_id"][:8], r["mode"], f"{r['started_at']:%Y-%m-%d %H:%M}", r["status"],
            str(r["documents_fetched"]), str(r["documents_failed"]), str(r["observations"]),
            str(r["quarantined"]),
        )  # fmt: skip
    console.print(table)
    entries = Archive(config.archive_dir()).entries()
    flagged = [f for f in archive_freshness(entries, today_in_shanghai()) if not f.ok]
    console.print("[bold]stale or vanished publishers[/]", highlight=False)
    for f in flagged:
        console.print(f"  {f.publisher} ({f.cadence}): {f.describe()}", highlight=False)
    if not flagged:
        console.print("  none", highlight=False)
    console.print("[bold]blocked promotions[/]", highlight=False)
    for b in blocked:
        console.print(f"  {b['run_id'][:8]} {b['started_at']:%Y-%m-%d %H:%M} {b['message']}",
                      highlight=False, markup=False)  # fmt: skip
    if not blocked:
        console.print("  none", highlight=False)
    where = f" (run {parsed[:8]})" if parsed else ""
    console.print(f"[bold]quarantine of the latest parsing run[/]{where}", highlight=False)
    for publisher, n in counts:
        console.print(f"  {publisher or '-'}: {n}", highlight=False)
    if not counts:
        console.print("  none", highlight=False)
