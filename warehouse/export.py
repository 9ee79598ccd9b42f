"""Export the facts and every mart for analysts: one Excel workbook (a sheet per table), or one
CSV or Parquet file per table, always with a provenance table of the documents behind them.

Every table keeps its tier column (``tier``, ``latest_tier`` or ``tiers``): ``sample`` figures are
invented placeholders and must stay recognisable outside the warehouse too. In the workbook the
tier cell of a sample row is also filled and bold, and a first sheet explains the tiers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import polars as pl
from sqlalchemy import Table, inspect, select, union
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from sources.errors import QueryError
from warehouse.schema import (
    derived_fact,
    document,
    fact,
    frame_schema,
    mart_benchmark,
    mart_gap,
    mart_index,
    mart_target,
    mart_trend,
)

FORMATS = ("xlsx", "csv", "parquet")
TABLES: tuple[Table, ...] = (
    fact,
    derived_fact,
    mart_benchmark,
    mart_gap,
    mart_target,
    mart_index,
    mart_trend,
)
PROVENANCE = "provenance"
PROVENANCE_COLUMNS = ("sha256", "publisher", "tier", "title", "url", "published_on", "retrieved_at")
TIER_COLUMNS = ("tier", "latest_tier", "tiers")
WORKBOOK_NAME = "ipbench-export.xlsx"
SAMPLE_FILL = "FFD966"
ABOUT_ROWS = (
    ("ipbench export", ""),
    ("tier", "meaning"),
    ("official", "published by a statistics or IP office"),
    ("office", "reported by the Huainan IP office through its template"),
    ("secondary", "a real figure known only through a repost"),
    ("sample", "示例数据: an invented placeholder, not a published statistic"),
    ("", ""),
    ("provenance", "every document behind a fact or a derived ratio (sha256, publisher, url)"),
)


def _rows(engine: Engine, query, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    text = [dtype == pl.String() for dtype in schema.values()]
    with engine.connect() as conn:
        rows = [
            tuple(
                v.isoformat() if is_text and isinstance(v, dt.datetime) else v
                for v, is_text in zip(row, text, strict=True)
            )
            for row in conn.execute(query)
        ]
    return pl.DataFrame(rows, schema=schema, orient="row")


def read_table(engine: Engine, table: Table) -> pl.DataFrame:
    """A whole table as a frame typed from the schema (the same on SQLite and PostgreSQL)."""
    return _rows(engine, select(table), frame_schema(table))


def provenance(engine: Engine) -> pl.DataFrame:
    """The documents that facts and derived ratios cite, numerator and denominator alike."""
    cited = union(
        select(fact.c.document_sha256.label("sha256")),
        select(derived_fact.c.document_sha256),
        select(derived_fact.c.denominator_document_sha256),
    ).subquery()
    query = (
        select(*(document.c[name] for name in PROVENANCE_COLUMNS))
        .where(document.c.sha256.in_(select(cited.c.sha256)))
        .order_by(document.c.publisher, document.c.published_on, document.c.sha256)
    )
    schema = frame_schema(document)
    return _rows(engine, query, {name: schema[name] for name in PROVENANCE_COLUMNS})


def export_frames(engine: Engine) -> dict[str, pl.DataFrame]:
    """Every exported table by name, provenance last."""
    try:
        names = set(inspect(engine).get_table_names())
    except OperationalError as err:
        raise QueryError(f"cannot open the warehouse ({err.orig})", where="export") from None
    missing = [t.name for t in (*TABLES, document) if t.name not in names]
    if missing:
        raise QueryError(
            f"the warehouse lacks {', '.join(missing)}: run `ipbench refresh` first",
            where="export",
        )
    frames = {table.name: read_table(engine, table) for table in TABLES}
    frames[PROVENANCE] = provenance(engine)
    return frames


def _is_sample(column: str, value) -> bool:
    return column in TIER_COLUMNS and isinstance(value, str) and "sample" in value.split(",")


def write_workbook(frames: dict[str, pl.DataFrame], path: Path) -> Path:
    """One sheet per frame after an ``about`` sheet; sample tier cells filled and bold."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    book = Workbook(write_only=True)
    about = book.create_sheet("about")
    for row in ABOUT_ROWS:
        about.append(row)
    fill = PatternFill("solid", start_color=SAMPLE_FILL, end_color=SAMPLE_FILL)
    bold = Font(bold=True)
    for name, frame in frames.items():
        sheet = book.create_sheet(name[:31])
        sheet.freeze_panes = "A2"
        header = []
        for column in frame.columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        flagged = [i for i, c in enumerate(frame.columns) if c in TIER_COLUMNS]
        for row in frame.iter_rows():
            if not flagged:
                sheet.append(row)
                continue
            out: list = list(row)
            for i in flagged:
                if _is_sample(frame.columns[i], row[i]):
                    cell = WriteOnlyCell(sheet, value=row[i])
                    cell.fill, cell.font = fill, bold
                    out[i] = cell
            sheet.append(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def export_warehouse(engine: Engine, fmt: str, out_dir: Path) -> list[Path]:
    """Write the export in ``fmt`` (xlsx, csv or parquet) under ``out_dir``; the paths written."""
    if fmt not in FORMATS:
        raise QueryError(f"format {fmt!r} is not one of {', '.join(FORMATS)}", where="export")
    frames = export_frames(engine)
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        return [write_workbook(frames, out_dir / WORKBOOK_NAME)]
    written: list[Path] = []
    for name, frame in frames.items():
        path = out_dir / f"{name}.{fmt}"
        if fmt == "csv":
            frame.write_csv(path)
        else:
            frame.write_parquet(path)
        written.append(path)
    return written


def table_names() -> Sequence[str]:
    """Names of the exported tables, in export order."""
    return [*(t.name for t in TABLES), PROVENANCE]
