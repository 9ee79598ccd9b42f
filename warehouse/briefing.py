"""What a benchmarking brief reads from the warehouse: the region's gaps and ranks, its series over
time, the peer benchmarks, target tracking, the composite index, the office's milestones, and the
provenance of every figure. Read-only; tables another version of the schema may lack (mart_target,
mart_index) read as empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from warehouse.peers import load_peer_groups

_LEVEL_KINDS = ("stock", "year")


def _rows(conn: Connection, sql: str, **params) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def gap_rows(conn: Connection, region: str, year: int, groups: Sequence[str]) -> list[dict]:
    """The region's year-end gap to each peer group on every indicator, with the indicator's
    name, area, unit and direction."""
    placeholders = ", ".join(f":g{i}" for i in range(len(groups)))
    rows = _rows(
        conn,
        f"""
        SELECT g.indicator, i.name_zh, i.area, i.unit, i.higher_is_better, g.period_kind,
               g.period_end, g.peer_group, g.value, g.benchmark, g.gap, g."index" AS idx,
               g.rank, g.n_peers, g.band
        FROM mart_gap g JOIN indicator i ON i.indicator = g.indicator
        WHERE g.region_code = :region AND g.peer_group IN ({placeholders})
          AND g.period_kind IN ('stock', 'year') AND i.area <> 'context'
        ORDER BY i.area, g.indicator, g.peer_group
        """,
        region=region,
        **{f"g{i}": g for i, g in enumerate(groups)},
    )
    return [r for r in rows if _date(r["period_end"]) == dt.date(year, 12, 31)]


def series_rows(conn: Connection, region: str, indicators: Sequence[str]) -> list[dict]:
    """Year-end values of the region for the indicators, every year the warehouse holds."""
    if not indicators:
        return []
    placeholders = ", ".join(f":i{i}" for i in range(len(indicators)))
    rows = _rows(
        conn,
        f"""
        SELECT indicator, period_end, value, tier FROM fact
        WHERE region_code = :region AND series = '' AND period_kind IN ('stock', 'year')
          AND indicator IN ({placeholders})
        ORDER BY indicator, period_end
        """,
        region=region,
        **{f"i{i}": v for i, v in enumerate(indicators)},
    )
    return [
        r for r in rows if _date(r["period_end"]).month == 12 and _date(r["period_end"]).day == 31
    ]


def benchmark_series(conn: Connection, group: str) -> list[dict]:
    """Peer-group mean and best value per indicator and year-end."""
    rows = _rows(
        conn,
        """
        SELECT indicator, period_end, mean, max, min, best_region_code, huainan_rank, n
        FROM mart_benchmark
        WHERE peer_group = :group AND period_kind IN ('stock', 'year')
        ORDER BY indicator, period_end
        """,
        group=group,
    )
    return [
        r for r in rows if _date(r["period_end"]).month == 12 and _date(r["period_end"]).day == 31
    ]


def provenance_rows(conn: Connection, region: str, year: int) -> list[dict]:
    """Where each of the region's figures of the year comes from."""
    rows = _rows(
        conn,
        """
        SELECT f.indicator, i.name_zh, f.period_kind, f.period_end, f.value, f.unit, f.tier,
               f.qualifier, f.publisher, d.title, d.url, d.published_on, o.evidence
        FROM fact f
        JOIN indicator i ON i.indicator = f.indicator
        LEFT JOIN document d ON d.sha256 = f.document_sha256
        LEFT JOIN observation o ON o.observation_id = f.observation_id
        WHERE f.region_code = :region AND f.series = ''
        ORDER BY i.area, f.indicator, f.period_end
        """,
        region=region,
    )
    derived = optional_table(
        conn,
        "derived_fact",
        """
        SELECT f.indicator, i.name_zh, f.period_kind, f.period_end, f.value, f.unit, f.tier,
               f.qualifier, 'derived' AS publisher,
               '由' || i.numerator || ' ÷ ' || i.denominator || '（' || f.basis || '）计算' AS title,
               d.url, d.published_on, '' AS evidence
        FROM derived_fact f
        JOIN indicator i ON i.indicator = f.indicator
        LEFT JOIN document d ON d.sha256 = f.document_sha256
        WHERE f.region_code = :region AND f.series = ''
        """,
        region=region,
    )
    return [r for r in (*rows, *derived) if _date(r["period_end"]).year == year]


def sample_tiers(conn: Connection, region: str, year: int, groups_members: Sequence[str]) -> bool:
    """Whether any figure the brief shows (the region's, or its peers' in the benchmarks) is
    invented sample data."""
    codes = sorted({region, *groups_members})
    placeholders = ", ".join(f":c{i}" for i in range(len(codes)))
    rows = _rows(
        conn,
        f"SELECT period_end FROM fact WHERE tier = 'sample' AND region_code IN ({placeholders})",
        **{f"c{i}": c for i, c in enumerate(codes)},
    )
    return any(_date(r["period_end"]).year <= year for r in rows)


def milestone_rows(conn: Connection, region: str) -> list[dict]:
    return _rows(
        conn,
        """
        SELECT f.indicator, i.name_zh, f.period_end, f.value, f.tier, o.evidence
        FROM fact f JOIN indicator i ON i.indicator = f.indicator
        LEFT JOIN observation o ON o.observation_id = f.observation_id
        WHERE f.region_code = :region AND f.indicator LIKE 'milestone%'
        ORDER BY f.indicator, f.period_end
        """,
        region=region,
    )


def optional_table(conn: Connection, table: str, sql: str, **params) -> list[dict]:
    """Rows of a mart that a newer schema adds (mart_target, mart_index); none without it."""
    if not inspect(conn).has_table(table):
        return []
    return _rows(conn, sql, **params)


def target_rows(conn: Connection) -> list[dict]:
    return optional_table(conn, "mart_target", "SELECT * FROM mart_target ORDER BY target_id")


def index_rows(conn: Connection, year: int) -> list[dict]:
    """The year's mart_index rows, each with its benchmark group's Chinese title."""
    titles = {g.id: g.title_zh for g in load_peer_groups().values()}
    rows = optional_table(conn, "mart_index", "SELECT * FROM mart_index")
    return [
        r | {"benchmark_title": titles.get(str(r.get("benchmark_group")), "")}
        for r in rows
        if int(str(r.get("year", 0))[:4] or 0) == year
    ]


def last_refresh(conn: Connection) -> dict | None:
    rows = _rows(
        conn,
        "SELECT run_id, finished_at, mode FROM refresh_run WHERE status = 'succeeded' "
        "ORDER BY started_at DESC LIMIT 1",
    )
    return rows[0] if rows else None


def latest_year(conn: Connection, region: str) -> int | None:
    rows = _rows(
        conn,
        "SELECT MAX(period_end) AS last FROM mart_gap WHERE region_code = :region "
        "AND period_kind IN ('stock', 'year')",
        region=region,
    )
    last = rows[0]["last"] if rows else None
    return _date(last).year if last else None


def read_all(engine: Engine, region: str, year: int | None, groups: Sequence[str], members) -> dict:
    """Everything a brief needs, in one read-only connection."""
    with engine.connect() as conn:
        year = year or latest_year(conn, region)
        if year is None:
            return {"year": None}
        gaps = gap_rows(conn, region, year, groups)
        indicators = sorted({g["indicator"] for g in gaps})
        return {
            "year": year,
            "gaps": gaps,
            "series": series_rows(conn, region, indicators),
            "benchmarks": {g: benchmark_series(conn, g) for g in groups},
            "provenance": provenance_rows(conn, region, year),
            "uses_sample": sample_tiers(conn, region, year, members),
            "milestones": milestone_rows(conn, region),
            "targets": target_rows(conn),
            "index": index_rows(conn, year),
            "refresh": last_refresh(conn),
        }
