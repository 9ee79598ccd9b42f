"""Read-side queries behind the CLI's reports (bound parameters, never string-built SQL)."""

from __future__ import annotations

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

GAP_COLUMNS = (
    "peer_group",
    "indicator",
    "name_zh",
    "period_kind",
    "period_end",
    "value",
    "unit",
    "benchmark",
    "gap",
    "index",
    "band",
    "rank",
    "n_peers",
    "tier",
)

_GAP_SQL = text(
    """
    SELECT g.peer_group, g.indicator, i.name_zh, g.period_kind, g.period_end, g.value, i.unit,
           g.benchmark, g.gap, g."index", g.band, g.rank, g.n_peers,
           CASE WHEN g.derived THEN g.tier || ', derived' ELSE g.tier END AS tier
    FROM mart_gap g
    JOIN indicator i ON i.indicator = g.indicator
    WHERE g.region_code = :region_code AND g.peer_group IN :peer_groups
    ORDER BY g.peer_group, i.area, g.indicator, g.period_end DESC
    """
).bindparams(bindparam("peer_groups", expanding=True))


def gap_rows(
    engine: Engine, region_code: str, peer_groups: list[str], year: int | None = None
) -> list[dict]:
    """A region's gap rows; with ``year`` only that year's periods, else the latest per indicator."""
    with engine.connect() as conn:
        rows = [
            dict(r._mapping)
            for r in conn.execute(
                _GAP_SQL, {"region_code": region_code, "peer_groups": peer_groups}
            )
        ]
    for row in rows:
        row["period_end"] = str(row["period_end"])[:10]
    if year is not None:
        return [r for r in rows if r["period_end"].startswith(f"{year}-")]
    latest: dict[tuple, dict] = {}
    for row in rows:
        key = (row["peer_group"], row["indicator"], row["period_kind"])
        if key not in latest or row["period_end"] > latest[key]["period_end"]:
            latest[key] = row
    return list(latest.values())


def quarantine_rows(engine: Engine, run_id: str | None = None, limit: int = 200) -> list[dict]:
    """Quarantined rows of one refresh, newest first: ``run_id``, else the latest refresh that
    parsed documents (a refresh with nothing new repeats its quarantine, so it records none)."""
    sql = (
        "SELECT run_id, created_at, publisher, url, location, reason, raw_text FROM quarantine"
        " WHERE run_id = :run_id ORDER BY created_at DESC, quarantine_id DESC LIMIT :limit"
    )
    with engine.connect() as conn:
        if run_id is None:
            run_id = conn.execute(
                text(
                    "SELECT run_id FROM refresh_run WHERE observations > 0 "
                    "ORDER BY started_at DESC LIMIT 1"
                )
            ).scalar()
        rows = conn.execute(text(sql), {"run_id": run_id, "limit": limit})
        return [dict(r._mapping) for r in rows]


def history_rows(engine: Engine, region_code: str, indicator: str) -> list[dict]:
    """Every revision of a series with the document it came from, oldest period first."""
    sql = text(
        """
        SELECT o.period_kind, o.period_end, o.value, o.unit, o.qualifier, o.revision, o.tier,
               o.publisher, d.title, d.url, d.published_on, o.recorded_at, o.evidence
        FROM observation o JOIN document d ON d.sha256 = o.document_sha256
        WHERE o.region_code = :region_code AND o.indicator = :indicator
        ORDER BY o.period_end, o.period_kind, o.publisher, o.revision
        """
    )
    with engine.connect() as conn:
        rows = conn.execute(sql, {"region_code": region_code, "indicator": indicator})
        return [dict(r._mapping) for r in rows]
