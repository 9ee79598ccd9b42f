"""The coverage matrix: for each benchmark indicator x YRD region x year, the tier of what the
warehouse holds (official / secondary / office / sample from ``fact``), ``derived`` when only a
derived value exists, ``missing`` otherwise. Year-end values only: that is what benchmarks use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, inspect, text

YEARS = (2019, 2020, 2021, 2022, 2023)
# The plan's indicators and the benchmark's, in the order the office reads them.
BENCHMARK_INDICATORS = (
    "high_value_patents_per_10k",
    "trademarks_per_10k_entities",
    "copyright_registrations",
    "patent_pledge_amount",
    "pledge_financed_entities",
    "ip_certified_firms",
    "national_demo_firms",
    "national_advantage_firms",
    "demo_parks",
    "patents_granted",
    "invention_grants",
    "valid_invention_patents",
    "invention_patents_per_10k",
    "valid_trademarks",
    "pct_applications",
    "population",
    "market_entities",
)
PROVINCES = ("310000", "320000", "330000", "340000")
TIERS = ("official", "secondary", "office", "sample", "derived", "missing")
# Better tiers first: a cell shows the best it has.
_RANK = {tier: i for i, tier in enumerate(TIERS)}
LETTERS = {
    "official": "O",
    "secondary": "S",
    "office": "F",
    "sample": "s",
    "derived": "d",
    "missing": "·",
}
CSV_COLUMNS = ("indicator", "region_code", "region_name", "year", "tier")

_FACTS = """
SELECT region_code, indicator, period_end, tier, derived FROM fact
WHERE series = '' AND period_kind IN ('stock', 'year')
"""
_DERIVED = """
SELECT region_code, indicator, period_end FROM derived_fact
WHERE period_kind IN ('stock', 'year')
"""


@dataclass(frozen=True)
class Cell:
    indicator: str
    region_code: str
    region_name: str
    year: int
    tier: str


def default_regions(known: Iterable[tuple[str, str, str]]) -> list[str]:
    """The 4 provinces and the 40 prefecture cities of Jiangsu, Zhejiang and Anhui (Shanghai is
    counted once, as 310000), from (code, level, province_code) triples."""
    cities = sorted(
        code
        for code, level, province in known
        if level == "city" and province in PROVINCES[1:] and code not in PROVINCES
    )
    return [*PROVINCES, *cities]


def _held(engine: Engine, regions: Sequence[str], indicators: Sequence[str]) -> dict:
    """(region, indicator, year) -> best tier found in fact (and derived_fact, if present)."""
    wanted_r, wanted_i = set(regions), set(indicators)
    best: dict[tuple[str, str, int], str] = {}

    def keep(region: str, indicator: str, end, tier: str) -> None:
        end = str(end)[:10]
        if region not in wanted_r or indicator not in wanted_i or end[5:] != "12-31":
            return
        key = (region, indicator, int(end[:4]))
        if key not in best or _RANK[tier] < _RANK[best[key]]:
            best[key] = tier

    with engine.connect() as conn:
        for region, indicator, end, tier, derived in conn.execute(text(_FACTS)):
            keep(region, indicator, end, "derived" if derived else tier)
        if inspect(conn).has_table("derived_fact"):
            for region, indicator, end in conn.execute(text(_DERIVED)):
                keep(region, indicator, end, "derived")
    return best


def coverage(
    engine: Engine,
    regions: Sequence[str],
    indicators: Sequence[str] = BENCHMARK_INDICATORS,
    years: Sequence[int] = YEARS,
    names: dict[str, str] | None = None,
) -> list[Cell]:
    """One cell per indicator x region x year, in indicator, region, year order."""
    held = _held(engine, regions, indicators)
    names = names or {}
    return [
        Cell(i, r, names.get(r, r), y, held.get((r, i, y), "missing"))
        for i in indicators
        for r in regions
        for y in years
    ]


def matrix_rows(cells: Sequence[Cell]) -> list[tuple[str, str, str, list[str]]]:
    """Rows of (indicator, region_code, region_name, [tier per year]) for the terminal table."""
    rows: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for cell in cells:
        rows.setdefault((cell.indicator, cell.region_code), (cell.region_name, []))[1].append(
            cell.tier
        )
    return [(i, r, name, tiers) for (i, r), (name, tiers) in rows.items()]


def summary(cells: Sequence[Cell]) -> dict[str, int]:
    """How many cells of each tier (every tier listed, zero included)."""
    counts = dict.fromkeys(TIERS, 0)
    for cell in cells:
        counts[cell.tier] += 1
    return counts
