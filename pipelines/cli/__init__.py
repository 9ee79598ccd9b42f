"""The ``ipbench`` command.

Every command reads ``IPBENCH_DATABASE_URL`` (default: SQLite under the data directory) and turns
the project's errors into one clear line on stderr and exit code 1 — never a traceback
(:func:`pipelines.cli.common.clear_errors`, applied here to every command but ``simulate``).

The commands live by family — :mod:`~pipelines.cli.acquisition` (figures in),
:mod:`~pipelines.cli.reading` (the warehouse read) and :mod:`~pipelines.cli.outputs` (documents
out) — and are registered here, in the order ``ipbench --help`` lists them.
"""

from __future__ import annotations

import typer

from pipelines.cli import acquisition, outputs, reading
from pipelines.cli.common import clear_errors

app = typer.Typer(
    name="ipbench",
    help="Yangtze-Delta IP statistics warehouse and Huainan benchmarking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

COMMANDS = (
    acquisition.refresh,
    reading.query,
    reading.gap,
    reading.quarantine,
    acquisition.extract,
    reading.history,
    acquisition.template,
    outputs.docs,
    acquisition.fetch,
    acquisition.simulate,
    outputs.brief,
    outputs.export,
    reading.coverage,
    reading.status,
)
for command in COMMANDS:
    if command is acquisition.simulate:
        # Its options go untouched to the simulator's own parser, which reports its own errors.
        settings = {"allow_extra_args": True, "ignore_unknown_options": True}
        app.command(context_settings=settings)(command)
    else:
        app.command()(clear_errors(command))


def main() -> None:  # pragma: no cover - console script entry
    app()
