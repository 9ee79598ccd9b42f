"""Commands that bring figures in: the whole refresh, one publisher's fetch, the loopback
simulator, the extractors on any file, and the office's template for its own figures."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.common import Mode, console, err_console
from sources.errors import IpbenchError


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


class ExtractFormat(StrEnum):
    csv = "csv"
    json = "json"


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


def simulate(ctx: typer.Context) -> None:
    """Serve the bundled sample archive at the publishers' URL paths on 127.0.0.1.

    Options: --port PORT, --fault NAME[:GLOB[:COUNT]] (repeatable), --root DIR, --lifetime S.
    Then set IPBENCH_SIMULATOR=http://127.0.0.1:PORT to route every publisher host to it.
    """
    from sources.simulator import main as simulator_main

    simulator_main(list(ctx.args))
