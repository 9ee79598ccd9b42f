"""SQL behind the consistency expectations, rendered for the warehouse's dialect.

The queries live in ``warehouse/sql/checks/``; ``{staging}`` becomes the staging rows of one
refresh run (a subquery the template aliases), ``{year:COLUMN}`` the dialect's year-of-date
expression, and other ``{name}`` placeholders take the keyword arguments.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

CHECKS_DIR = Path(__file__).resolve().parent / "sql" / "checks"
_YEAR = re.compile(r"\{year:([A-Za-z_][\w.]*)\}")
_PARAM = re.compile(r"\{([A-Za-z_]\w*)\}")
_RUN_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")


@cache
def _template(name: str) -> str:
    return (CHECKS_DIR / f"{name}.sql").read_text(encoding="utf-8")


def year_expression(column: str, dialect: str) -> str:
    if dialect == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def staging_rows(run_id: str) -> str:
    """The staging rows of ``run_id`` as a subquery (the id is checked, never interpolated raw)."""
    if not _RUN_ID.match(run_id):
        raise ValueError(f"unexpected characters in run id {run_id!r}")
    return f"(SELECT * FROM staging_observation WHERE run_id = '{run_id}')"


def check_query(name: str, dialect: str, run_id: str, **params: object) -> str:
    """The named check's SQL for ``dialect`` (``sqlite`` or ``postgresql``) and one run."""
    sql = _YEAR.sub(lambda m: year_expression(m.group(1), dialect), _template(name))
    values = {
        "staging": staging_rows(run_id),
        "run_id": run_id,
        **{k: str(v) for k, v in params.items()},
    }
    return _PARAM.sub(lambda m: values[m.group(1)], sql)


def check_names() -> list[str]:
    return sorted(p.stem for p in CHECKS_DIR.glob("*.sql"))


def bounds_query(bounds: dict[str, tuple[float | None, float | None]], run_id: str) -> str:
    """Rows outside their indicator's plausible range; every value must be non-negative."""
    clauses = ["s.value < 0"]
    for indicator, (low, high) in sorted(bounds.items()):
        limits = []
        if low is not None:
            limits.append(f"s.value < {float(low)!r}")
        if high is not None:
            limits.append(f"s.value > {float(high)!r}")
        if limits and re.fullmatch(r"[a-z0-9_]+", indicator):
            clauses.append(f"(s.indicator = '{indicator}' AND ({' OR '.join(limits)}))")
    where = "\n   OR ".join(clauses)
    return (
        "SELECT s.region_code, s.indicator, s.period_end, s.value, s.unit, s.document_sha256\n"
        f"FROM {staging_rows(run_id)} s\nWHERE {where}"
    )


# Column families of the staging table: what each column's declared type must be.
NUMERIC_COLUMNS = ("value",)
DATE_COLUMNS = ("period_end", "published_on")
_DECLARED = {
    "postgresql": (
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'staging_observation'",
        ("double precision", "real", "numeric"),
        ("date",),
        ("character varying", "text"),
    ),
    "sqlite": (
        "SELECT name AS column_name, upper(type) AS data_type "
        "FROM pragma_table_info('staging_observation')",
        ("FLOAT", "REAL", "DOUBLE", "DOUBLE PRECISION", "NUMERIC"),
        ("DATE",),
        ("TEXT",),
    ),
}


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def declared_types_query(dialect: str) -> str:
    """Staging columns whose declared type is not their family's (numeric, date, text)."""
    listing, numeric, date, text = _DECLARED[dialect]
    special = _sql_list(NUMERIC_COLUMNS + DATE_COLUMNS)
    text_ok = f"data_type IN ({_sql_list(text)})"
    if dialect == "sqlite":
        text_ok += " OR data_type LIKE 'VARCHAR%'"
    return (
        f"SELECT column_name, data_type FROM ({listing}) c WHERE NOT (\n"
        f"    (column_name IN ({_sql_list(NUMERIC_COLUMNS)}) AND data_type IN ({_sql_list(numeric)}))\n"
        f" OR (column_name IN ({_sql_list(DATE_COLUMNS)}) AND data_type IN ({_sql_list(date)}))\n"
        f" OR (column_name NOT IN ({special}) AND ({text_ok})))"
    )


def stored_types_query(run_id: str) -> str:
    """SQLite only (PostgreSQL enforces declared types): rows whose stored value is not a number
    or whose dates are not ISO dates, which SQLite would otherwise keep without complaint."""
    dates = " OR ".join(
        f"({c} IS NOT NULL AND (typeof({c}) <> 'text' OR date({c}) IS NOT {c}))"
        for c in DATE_COLUMNS
    )
    return (
        "SELECT s.region_code, s.indicator, s.period_end, s.value, s.document_sha256\n"
        f"FROM {staging_rows(run_id)} s\n"
        f"WHERE typeof(s.value) NOT IN ('real', 'integer') OR {dates}"
    )
