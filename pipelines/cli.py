"""The ``ipbench`` command.

Every command reads ``IPBENCH_DATABASE_URL`` (default: SQLite under the data directory) and turns
the project's errors into one clear line on stderr and exit code 1 — never a traceback.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from sources.errors import IpbenchError

app = typer.Typer(
    name="ipbench",
    help="Yangtze-Delta IP statistics warehouse and Huainan benchmarking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable)


def clear_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except IpbenchError as err:
            err_console.print(f"[bold red]error:[/] {err}", highlight=False)
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as err:  # noqa: BLE001 - one clear line, the traceback only on request
            if os.environ.get("IPBENCH_DEBUG"):
                raise
            err_console.print(
                f"[bold red]error:[/] unexpected {type(err).__name__}: {err} "
                "(set IPBENCH_DEBUG=1 for the traceback)",
                highlight=False,
                markup=False,
            )
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


class Mode(StrEnum):
    sample = "sample"
    live = "live"
    replay = "replay"


class OutputFormat(StrEnum):
    csv = "csv"
    json = "json"
    table = "table"


@app.command()
@clear_errors
def refresh(
    mode: Annotated[
        Mode, typer.Option(help="sample: bundled archive; live: publishers; replay: an archive")
    ] = Mode.sample,
    replay_from: Annotated[
        Path | None, typer.Option(help="archive directory for --mode replay")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Run the whole graph in-process: acquire, parse, validate, promote, marts."""
    from pipelines.refresh import run_refresh

    if mode is Mode.replay and replay_from is None:
        raise IpbenchError("--mode replay needs --replay-from ARCHIVE_DIR")
    outcome = run_refresh(mode.value, replay_from=replay_from, console=None if quiet else console)
    if not outcome.succeeded:
        err_console.print(
            f"[bold red]refresh {outcome.status}:[/] {outcome.message}", highlight=False
        )
        raise typer.Exit(1)


@app.command()
@clear_errors
def query(
    sql: Annotated[str, typer.Argument(help="one SELECT (or WITH … SELECT) statement")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
    limit: Annotated[int, typer.Option(help="maximum rows returned")] = 10000,
) -> None:
    """Run read-only SQL against the warehouse and print CSV, JSON or a table."""
    from warehouse.query import format_result, run_query

    text = format_result(run_query(sql, limit=limit), format.value)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command()
@clear_errors
def gap(
    region: Annotated[str, typer.Option(help="region code or name")] = "淮南",
    peers: Annotated[str, typer.Option(help="peer group(s), comma separated")] = "anhui,yrd",
    year: Annotated[int | None, typer.Option(help="year (default: latest with data)")] = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Print a region's gap to its peer groups on every indicator."""
    from pipelines.reports import gap_table

    sys.stdout.write(
        gap_table(region, [p.strip() for p in peers.split(",") if p.strip()], year, format.value)
    )


@app.command()
@clear_errors
def quarantine(
    run: Annotated[str | None, typer.Option(help="only this refresh run id")] = None,
    limit: Annotated[int, typer.Option(help="maximum rows")] = 200,
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """List rows that could not be parsed, normalised or validated, with the reason."""
    from pipelines.reports import quarantine_table

    sys.stdout.write(quarantine_table(run, limit, format.value))


class ExtractFormat(StrEnum):
    csv = "csv"
    json = "json"


@app.command()
@clear_errors
def extract(
    file: Annotated[
        Path, typer.Argument(help="HTML, XLS, XLSX, PDF or TXT file", exists=True, dir_okay=False)
    ],
    published: Annotated[
        str | None, typer.Option(help="publication date YYYY-MM-DD (default: as the page says)")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="region the document is about (code or name), for 全市/全省")
    ] = None,
    format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.csv,
    show_quarantine: Annotated[
        bool,
        typer.Option("--quarantine/--no-quarantine", help="list what was not understood on stderr"),
    ] = True,
) -> None:
    """Run the extractors on any file and print one row per observation."""
    from pipelines.reports import extraction_output, parse_date, region_code_for

    rows, quarantined = extract_rows(
        file, parse_date(published), region_code_for(region) if region else ""
    )
    refused = [q for q in quarantined if q.location == "document"]
    if refused and not rows:
        raise IpbenchError(f"{file.name}: {refused[0].reason}")
    sys.stdout.write(extraction_output(rows, format.value))
    if quarantined and show_quarantine:
        err_console.print(
            f"[yellow]{len(quarantined)} figure(s) not understood:[/]", highlight=False
        )
        for row in quarantined[:50]:
            err_console.print(
                f"  {row.location}: {row.reason} — {row.raw_text[:80]}",
                highlight=False,
                markup=False,
            )


def extract_rows(file: Path, published, region_code: str):
    from sources.parse import extract_file

    return extract_file(
        file.read_bytes(), filename=str(file), published=published, region_code=region_code
    )


@app.command()
@clear_errors
def history(
    region: Annotated[str, typer.Argument(help="region code or name, e.g. 淮南")],
    indicator: Annotated[str, typer.Argument(help="indicator id or Chinese name")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Show every revision of a series with the document it came from."""
    from pipelines.reports import history_table

    sys.stdout.write(history_table(region, indicator, format.value))


@app.command()
@clear_errors
def template(
    out: Annotated[Path, typer.Option(help="where to write the workbook")] = Path(
        "ipbench-office-template.xlsx"
    ),
) -> None:
    """Write the office's Excel template; drop a filled copy into the inbox directory."""
    from sources import config
    from sources.office_template import write_template

    path = write_template(out)
    console.print(f"template written to {path}; put the filled copy in {config.inbox_dir()}")


@app.command()
@clear_errors
def docs() -> None:
    """Print where the Great Expectations Data Docs of the last validation are."""
    from expectations.runner import gx_project_dir

    index = next(gx_project_dir().glob("**/data_docs/local_site/index.html"), None)
    if index is None:
        raise IpbenchError("no Data Docs yet: run `ipbench refresh` first")
    console.print(index.as_uri(), highlight=False)


@app.command()
@clear_errors
def fetch(
    publisher: Annotated[str, typer.Argument(help="publisher name, e.g. cnipa")],
    mode: Annotated[Mode, typer.Option(help="where documents come from")] = Mode.live,
    replay_from: Annotated[
        Path | None, typer.Option(help="archive directory for --mode replay")
    ] = None,
) -> None:
    """Fetch one publisher's documents into the archive (no parsing, no warehouse)."""
    from pipelines.refresh import RichProgress
    from sources import config, publishers
    from sources.acquire import acquire
    from sources.archive import Archive
    from sources.transport import make_transport

    module = publishers.load(publisher)
    archive = Archive(config.archive_dir())
    transport = make_transport(
        mode.value, archive=archive, replay_from=replay_from, modules=[module]
    )
    with RichProgress(console) as progress:
        result = acquire(module, transport, archive, progress=progress)
    stats = result.stats
    console.print(
        f"{publisher}: {stats.documents_seen} documents, {stats.documents_fetched} fetched, "
        f"{stats.documents_unchanged} unchanged, {stats.documents_failed} failed, "
        f"{stats.bytes_downloaded} bytes",
        highlight=False,
    )
    for failure in result.failures:
        err_console.print(f"[yellow]failed:[/] {failure.url}: {failure.reason}", highlight=False)
    if result.failures:
        raise typer.Exit(1)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def simulate(ctx: typer.Context) -> None:
    """Serve the bundled sample archive at the publishers' URL paths on 127.0.0.1.

    Options: --port PORT, --fault NAME[:GLOB[:COUNT]] (repeatable), --root DIR, --lifetime S.
    Then set IPBENCH_SIMULATOR=http://127.0.0.1:PORT to route every publisher host to it.
    """
    from sources.simulator import main as simulator_main

    simulator_main(list(ctx.args))


@app.command()
@clear_errors
def brief(
    year: Annotated[int | None, typer.Option(help="year (default: the latest with data)")] = None,
    peers: Annotated[
        str, typer.Option(help="peer groups, the first is the benchmark")
    ] = "anhui,yrd",
    format: Annotated[str, typer.Option("--format", help="docx,html,pdf")] = "docx,html,pdf",
    out: Annotated[Path | None, typer.Option(help="output directory")] = None,
) -> None:
    """Make the office's benchmarking brief from the warehouse."""
    from briefs.make import make_brief
    from sources import config
    from warehouse.db import make_engine

    made, paths = make_brief(
        make_engine(config.database_url()),
        year=year,
        peers=tuple(p.strip() for p in peers.split(",") if p.strip()),
        formats=tuple(f.strip() for f in format.split(",") if f.strip()),
        out_dir=out or config.data_dir() / "briefs",
    )
    if made.uses_sample:
        err_console.print("[yellow]this brief uses sample figures: every page says 示例数据[/]")
    for path in paths:
        console.print(str(path), highlight=False)


class ExportFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    parquet = "parquet"


@app.command()
@clear_errors
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.xlsx,
    out: Annotated[
        Path | None, typer.Option(help="output directory (default: DATA_DIR/export)")
    ] = None,
) -> None:
    """Write the facts, every mart and a provenance table: a sheet (xlsx) or a file per table."""
    from sources import config
    from warehouse.db import readonly_engine
    from warehouse.export import export_warehouse

    engine = readonly_engine()
    try:
        paths = export_warehouse(engine, format.value, out or config.data_dir() / "export")
    finally:
        engine.dispose()
    sys.stdout.write("".join(f"{path}\n" for path in paths))


@app.command()
@clear_errors
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


@app.command()
@clear_errors
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


def main() -> None:  # pragma: no cover - console script entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
