"""Reports the CLI prints: turn a user's words (region names, group ids) into warehouse queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from sources.errors import IpbenchError
from sources.extract.numbers import format_decimal
from sources.normalise import resolve_region
from sources.records import CONTRACT_COLUMNS, Observation
from warehouse.db import make_engine
from warehouse.peers import load_peer_groups
from warehouse.query import QueryResult, format_result
from warehouse.reports import GAP_COLUMNS, gap_rows, history_rows, quarantine_rows


def region_code_for(label: str) -> str:
    """A region code from a code or a name as people write it (淮南, 淮南市, Huainan, 340400)."""
    if label.isdigit() and len(label) == 6:
        return label
    match = resolve_region(label)
    if match.status != "ok":
        raise IpbenchError(f"unknown region {label!r}: {match.reason}")
    return match.code


def gap_table(region: str, peers: list[str], year: int | None, fmt: str) -> str:
    code = region_code_for(region)
    known = load_peer_groups()
    unknown = [p for p in peers if p not in known]
    if unknown:
        raise IpbenchError(
            f"unknown peer group(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    rows = gap_rows(make_engine(), code, peers, year)
    if not rows:
        raise IpbenchError(
            f"no gap rows for {region} against {', '.join(peers)}"
            + (f" in {year}" if year else "")
            + " — has `ipbench refresh` run?"
        )
    display = [tuple(_cell(row[column], column) for column in GAP_COLUMNS) for row in rows]
    return format_result(QueryResult(columns=list(GAP_COLUMNS), rows=display), fmt)


def _cell(value, column: str):
    if isinstance(value, float):
        digits = 1 if column == "index" else 2
        return format_decimal(round(value, digits))
    return value


def _table(rows: list[dict], fmt: str, empty: str) -> str:
    if not rows:
        return empty + "\n"
    columns = list(rows[0])
    display = [tuple(_cell(row[c], c) for c in columns) for row in rows]
    return format_result(QueryResult(columns=columns, rows=display), fmt)


def quarantine_table(run_id: str | None, limit: int, fmt: str) -> str:
    rows = quarantine_rows(make_engine(), run_id, limit)
    for row in rows:
        row["raw_text"] = (row["raw_text"] or "")[:120]
    return _table(rows, fmt, "quarantine is empty")


def history_table(region: str, indicator: str, fmt: str) -> str:
    from sources.normalise import resolve_indicator

    code = region_code_for(region)
    match = resolve_indicator(indicator)
    indicator_id = indicator if match.status != "ok" else match.id
    rows = history_rows(make_engine(), code, indicator_id)
    for row in rows:
        row["evidence"] = (row["evidence"] or "")[:120]
    return _table(rows, fmt, f"no observations of {indicator_id} for {region}")


EXTRACT_COLUMNS = CONTRACT_COLUMNS


def parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise IpbenchError(f"--published {text!r} is not a date (YYYY-MM-DD)") from None


def extraction_output(observations: list[Observation], fmt: str) -> str:
    """The extraction contract of DESIGN.md: one row per observation, canonical units."""
    rows = [
        {
            column: format_decimal(obs.value) if column == "value" else str(getattr(obs, column))
            for column in EXTRACT_COLUMNS
        }
        for obs in observations
    ]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXTRACT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
