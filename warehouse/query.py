"""Analysts' read-only SQL: one SELECT (or WITH … SELECT) on a connection that cannot write."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from sources.errors import QueryError
from warehouse.db import readonly_engine

_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
_FORBIDDEN = re.compile(r"\b(pragma|attach|detach|vacuum|copy|set|call|do)\b", re.I)


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def check_statement(sql: str) -> str:
    """The statement, stripped, if it is one read-only SELECT; QueryError otherwise."""
    body = _COMMENTS.sub(" ", sql).strip().rstrip(";").strip()
    if not body:
        raise QueryError("empty query")
    if ";" in body:
        raise QueryError("one statement only: remove the ';' and what follows")
    first = body.split(None, 1)[0].lower()
    if first not in ("select", "with"):
        raise QueryError(f"only SELECT queries are allowed (got {first.upper()})")
    if _FORBIDDEN.search(_strip_strings(body)):
        raise QueryError("only SELECT queries are allowed")
    return body


def _strip_strings(sql: str) -> str:
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


def run_query(sql: str, *, url: str | None = None, limit: int = 10000) -> QueryResult:
    statement = check_statement(sql)
    engine = readonly_engine(url)
    try:
        with engine.connect() as conn:
            result = conn.execute(text(statement))
            columns = list(result.keys())
            rows = [tuple(row) for row in result.fetchmany(limit)]
    except SQLAlchemyError as err:
        message = str(getattr(err, "orig", err)).strip().splitlines()[0]
        raise QueryError(f"query failed: {message}") from None
    finally:
        engine.dispose()
    return QueryResult(columns, rows)


def _plain(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def format_result(result: QueryResult, fmt: str) -> str:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([[_plain(v) for v in row] for row in result.rows])
        return buffer.getvalue()
    if fmt == "json":
        records = [dict(zip(result.columns, map(_plain, row), strict=True)) for row in result.rows]
        return json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n"
    table = Table(*result.columns, show_lines=False)
    for row in result.rows:
        table.add_row(*("" if v is None else str(_plain(v)) for v in row))
    console = Console(record=True, width=200, file=io.StringIO())
    console.print(table)
    return console.export_text()
