"""Commands that hand the warehouse's results to people: the Data Docs, the brief, the export."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.common import comma_list, console, err_console
from sources.errors import IpbenchError


def docs() -> None:
    """Print where the Great Expectations Data Docs of the last validation are."""
    from expectations.runner import gx_project_dir

    index = next(gx_project_dir().glob("**/data_docs/local_site/index.html"), None)
    if index is None:
        raise IpbenchError("no Data Docs yet: run `ipbench refresh` first")
    console.print(index.as_uri(), highlight=False)


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
        peers=tuple(comma_list(peers)),
        formats=tuple(comma_list(format)),
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
