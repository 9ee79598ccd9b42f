"""The analysts' stable SQL views, one definition for SQLite and PostgreSQL.

The SQL keeps to what both dialects read the same way: plain joins, quoted ``"index"`` (a keyword
in SQLite), no boolean literals, no ORDER BY. Migration 0003 creates these views; changing one
later needs a new migration that drops and recreates it (``drop_statements`` then
``create_statements``), and so does a migration that rebuilds a table a view reads on SQLite
(batch mode copies and renames the table, which SQLite refuses while a view depends on it).
"""

from __future__ import annotations

HUAINAN = "340400"

V_FACT = """
SELECT f.region_code, r.name AS region_name, r.level AS region_level, r.province_code,
       f.indicator, i.name_zh AS indicator_name_zh, i.name_en AS indicator_name_en,
       f.period_kind, f.period_end, f.series, f.value, f.unit, f.qualifier, f.tier, f.vintage,
       f.publisher, f.document_sha256, d.title AS document_title, d.url AS document_url,
       d.published_on AS document_published_on
FROM fact f
LEFT JOIN region r ON r.region_code = f.region_code
LEFT JOIN indicator i ON i.indicator = f.indicator
LEFT JOIN document d ON d.sha256 = f.document_sha256
"""

V_GAP_HUAINAN = f"""
SELECT g.peer_group, g.indicator, i.name_zh AS indicator_name_zh, i.area, g.period_kind,
       g.period_end, g.value, i.unit, g.benchmark, g.gap, g."index", g.band, g.rank, g.n_peers,
       g.derived, g.tier
FROM mart_gap g
LEFT JOIN indicator i ON i.indicator = g.indicator
WHERE g.region_code = '{HUAINAN}'
"""

V_TARGET_STATUS = """
SELECT t.target_id, t.title_zh, t.region_code, r.name AS region_name, t.indicator,
       i.name_zh AS indicator_name_zh, t.rule, t.status, t.baseline_year, t.baseline_value,
       t.target_year, t.target_value, t.latest_period_end, t.latest_value, t.latest_tier,
       t.required_growth, t.observed_growth, t.needed_growth_now, t.n_points, t.note
FROM mart_target t
LEFT JOIN region r ON r.region_code = t.region_code
LEFT JOIN indicator i ON i.indicator = t.indicator
"""

V_INDEX = """
SELECT m.region_code, r.name AS region_name, r.province_code, m.year, m."index",
       m.relative_index, m.relative_to_huainan, m.benchmark_group, m.band, m.band_zh,
       m.n_indicators, m.tiers, m.reason
FROM mart_index m
LEFT JOIN region r ON r.region_code = m.region_code
"""

VIEWS: tuple[tuple[str, str], ...] = (
    ("v_fact", V_FACT),
    ("v_gap_huainan", V_GAP_HUAINAN),
    ("v_target_status", V_TARGET_STATUS),
    ("v_index", V_INDEX),
)


def create_statements() -> list[str]:
    """``CREATE VIEW`` for every view, in dependency order."""
    return [f"CREATE VIEW {name} AS {sql.strip()}" for name, sql in VIEWS]


def drop_statements() -> list[str]:
    """``DROP VIEW`` for every view, in reverse order."""
    return [f"DROP VIEW IF EXISTS {name}" for name, _ in reversed(VIEWS)]
