"""What every ``ipbench`` command shares: the consoles, the option types, and the error handling
that turns the project's errors into one clear line on stderr and exit code 1 — never a traceback.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

import typer
from rich.console import Console

from sources.errors import IpbenchError

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


def comma_list(text: str) -> list[str]:
    """'anhui, yrd' → ['anhui', 'yrd']: the items of a comma-separated option, blanks dropped."""
    return [item.strip() for item in text.split(",") if item.strip()]


class Mode(StrEnum):
    sample = "sample"
    live = "live"
    replay = "replay"


class OutputFormat(StrEnum):
    csv = "csv"
    json = "json"
    table = "table"
