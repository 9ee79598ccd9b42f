"""Plan targets (``targets.yaml``) and whether Huainan is on track for each.

Tracking follows the Statistics Canada / Eurostat rule used by Open SDG (methodology §1d): with a
quantitative target, R = observed CAGR / required CAGR gives on track (R ≥ 0.95), needs
acceleration (0.6 ≤ R < 0.95), off track (0 ≤ R < 0.6) or deteriorating (R < 0); a value that
already meets the target is achieved; once the deadline has a value the target is simply met or
missed. The rule-specific arithmetic lives in :mod:`warehouse.target_rules`; :func:`target_rows`
gives the ``mart_target`` rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from sources.config import REFERENCE_DIR
from sources.errors import ConfigError
from sources.reference import Indicator, Region
from sources.reference.indicator_file import read_yaml
from warehouse.derive import (
    BENCHMARK_COLUMNS,
    CITY_MEAN,
    FACT_SCHEMA,
    PROVINCE_RATIO,
    province_benchmarks,
    require_columns,
)
from warehouse.peers import PeerGroup
from warehouse.target_rules import track_one

RULES = (
    "reach_peer_average",
    "growth_rate",
    "at_least_per_year",
    "increase_every_year",
    "milestone",
)
STATUSES = (
    "achieved",
    "on_track",
    "needs_acceleration",
    "off_track",
    "deteriorating",
    "no_data",
)
BENCHMARK_DEFINITIONS = (PROVINCE_RATIO, CITY_MEAN)
# Parameters each rule accepts: name -> required?
_PARAMETERS: dict[str, dict[str, bool]] = {
    "reach_peer_average": {"peer_group": True, "benchmark": True, "share": False},
    "growth_rate": {"rate": True},
    "at_least_per_year": {"per_year": True},
    "increase_every_year": {},
    "milestone": {"required": True},
}
_FIELDS = {
    "id",
    "title_zh",
    "indicator",
    "rule",
    "parameters",
    "region",
    "baseline_year",
    "target_year",
    "source",
}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
TRACK_SCHEMA: dict[str, pl.DataType] = {
    "target_id": pl.String(),
    "indicator": pl.String(),
    "rule": pl.String(),
    "baseline_year": pl.Int32(),
    "baseline_value": pl.Float64(),
    "target_year": pl.Int32(),
    "target_value": pl.Float64(),
    "latest_period_end": pl.Date(),
    "latest_value": pl.Float64(),
    "required_growth": pl.Float64(),
    "observed_growth": pl.Float64(),
    "status": pl.String(),
    "needed_growth_now": pl.Float64(),
    "n_points": pl.Int32(),
    "note": pl.String(),
}


@dataclass(frozen=True)
class Target:
    """One plan target; rule parameters that do not apply to its rule are None."""

    id: str
    title_zh: str
    indicator: str
    rule: str
    region: str
    baseline_year: int
    target_year: int
    source: str
    higher_is_better: bool = True
    indicator_kind: str = "stock"
    peer_group: str | None = None
    benchmark: str | None = None
    share: float = 1.0
    rate: float | None = None
    per_year: float | None = None
    required: float | None = None

    @property
    def deadline(self) -> dt.date:
        return dt.date(self.target_year, 12, 31)


def _number(value: Any, name: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"parameter {name} must be a number, not {value!r}", where=where)
    return float(value)


def _year(value: Any, name: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise ConfigError(f"{name} must be a year such as 2023, not {value!r}", where=where)
    return value


def _parameters(rule: str, raw: Any, where: str) -> dict[str, Any]:
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise ConfigError("parameters must be a mapping", where=where)
    allowed = _PARAMETERS[rule]
    unknown = set(raw) - set(allowed)
    if unknown:
        raise ConfigError(f"rule {rule} takes no parameters {sorted(unknown)}", where=where)
    missing = [name for name, needed in allowed.items() if needed and name not in raw]
    if missing:
        raise ConfigError(f"rule {rule} needs parameters {missing}", where=where)
    out: dict[str, Any] = {}
    if rule == "reach_peer_average":
        if not isinstance(raw["peer_group"], str) or not raw["peer_group"].strip():
            raise ConfigError("peer_group must be a peer group id", where=where)
        if raw["benchmark"] not in BENCHMARK_DEFINITIONS:
            raise ConfigError(f"benchmark must be one of {BENCHMARK_DEFINITIONS}", where=where)
        share = _number(raw.get("share", 1.0), "share", where)
        if not 0 < share <= 2:
            raise ConfigError(f"share {share} must be in (0, 2]", where=where)
        out.update(peer_group=raw["peer_group"].strip(), benchmark=raw["benchmark"], share=share)
    elif rule == "growth_rate":
        rate = _number(raw["rate"], "rate", where)
        if rate == 0 or rate <= -1:
            raise ConfigError(f"rate {rate} must be non-zero and above -1", where=where)
        out["rate"] = rate
    elif rule == "at_least_per_year":
        out["per_year"] = _number(raw["per_year"], "per_year", where)
        if out["per_year"] < 0:
            raise ConfigError("per_year must not be negative", where=where)
    elif rule == "milestone":
        out["required"] = _number(raw["required"], "required", where)
        if out["required"] <= 0:
            raise ConfigError("required must be positive", where=where)
    return out


def _target(
    entry: Any,
    index: int,
    indicators: Mapping[str, Indicator],
    regions: Mapping[str, Region],
    file_name: str,
) -> Target:
    where = f"{file_name}, target #{index + 1}"
    if not isinstance(entry, dict):
        raise ConfigError("each target must be a mapping", where=where)
    target_id = entry.get("id")
    if not isinstance(target_id, str) or not _ID.match(target_id):
        raise ConfigError(f"id {target_id!r} must be snake_case ASCII", where=where)
    where = f"{file_name}, target {target_id}"
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ConfigError(f"unknown fields {sorted(unknown)}", where=where)
    for name in ("title_zh", "indicator", "rule", "region", "source"):
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise ConfigError(f"{name} is required", where=where)
    indicator = indicators.get(entry["indicator"])
    if indicator is None:
        raise ConfigError(f"unknown indicator {entry['indicator']!r}", where=where)
    if entry["rule"] not in RULES:
        raise ConfigError(f"unknown rule {entry['rule']!r}; one of {RULES}", where=where)
    if entry["region"] not in regions:
        raise ConfigError(f"unknown region code {entry['region']!r}", where=where)
    baseline = _year(entry.get("baseline_year"), "baseline_year", where)
    deadline = _year(entry.get("target_year"), "target_year", where)
    if deadline <= baseline:
        raise ConfigError(f"target_year {deadline} must follow baseline {baseline}", where=where)
    return Target(
        id=target_id,
        title_zh=entry["title_zh"].strip(),
        indicator=indicator.id,
        rule=entry["rule"],
        region=entry["region"],
        baseline_year=baseline,
        target_year=deadline,
        source=entry["source"].strip(),
        higher_is_better=indicator.higher_is_better,
        indicator_kind=indicator.kind,
        **_parameters(entry["rule"], entry.get("parameters"), where),
    )


def load_targets(
    path: Path | None = None,
    *,
    indicators: Mapping[str, Indicator] | None = None,
    regions: Mapping[str, Region] | None = None,
) -> list[Target]:
    """Read and validate the targets file (default ``sources/reference/targets.yaml``); any
    problem raises :class:`ConfigError` naming the file and the target id."""
    path = path or REFERENCE_DIR / "targets.yaml"
    if indicators is None or regions is None:
        from sources import reference

        indicators = reference.indicators() if indicators is None else indicators
        regions = reference.regions() if regions is None else regions
    entries = read_yaml(path).get("targets")
    if not isinstance(entries, list) or not entries:
        raise ConfigError("no targets defined (expected a list under 'targets')", where=path.name)
    targets = [_target(e, i, indicators, regions, path.name) for i, e in enumerate(entries)]
    seen: set[str] = set()
    for target in targets:
        if target.id in seen:
            raise ConfigError("target id defined twice", where=f"{path.name}, target {target.id}")
        seen.add(target.id)
    return targets


def track_targets(
    facts: pl.DataFrame,
    targets: Sequence[Target],
    benchmarks: pl.DataFrame,
    as_of_year: int | None = None,
) -> pl.DataFrame:
    """One row per target: baseline, target value, the latest value used, required vs observed
    growth, status, growth needed from now, number of points and a note saying why.

    ``benchmarks`` holds peer averages by year (peer_group, definition, indicator, period_end,
    value, …) as ``warehouse.derive.province_benchmarks`` or the benchmark mart produce them;
    ``as_of_year`` ignores every value after that year (default: all values)."""
    require_columns(facts, FACT_SCHEMA, "track_targets facts")
    require_columns(benchmarks, BENCHMARK_COLUMNS[:5], "track_targets benchmarks")
    rows = [track_one(facts, target, benchmarks, as_of_year) for target in targets]
    return pl.DataFrame(rows, schema=TRACK_SCHEMA, orient="row")


def _province_of(group: PeerGroup, regions: Mapping[str, Region]) -> str | None:
    """The province whose average a group of its own cities stands for (anhui → 340000)."""
    provinces = {regions[c].province_code for c in group.members if c in regions}
    return provinces.pop() if len(provinces) == 1 and group.level == "city" else None


def target_benchmarks(
    facts: pl.DataFrame,
    targets: Iterable[Target],
    groups: Mapping[str, PeerGroup],
    regions: Mapping[str, Region],
    indicators: Mapping[str, Indicator],
) -> pl.DataFrame:
    """Provincial averages (both definitions) by year for every reach-a-peer-average target
    whose peer group is one province's cities; other groups have none and their targets say so."""
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for target in targets:
        if target.rule == "reach_peer_average" and target.peer_group in groups:
            province = _province_of(groups[target.peer_group], regions)
            if province:
                wanted[(target.peer_group, province)].add(target.indicator)
    frames = [
        province_benchmarks(
            facts, regions, indicators, sorted(ids), peer_group=group, province_code=province
        )
        for (group, province), ids in sorted(wanted.items())
    ]
    if not frames:
        return province_benchmarks(facts, regions, indicators, [])
    return pl.concat(frames, how="vertical")


def _latest_tiers(facts: pl.DataFrame) -> dict[tuple, str]:
    main = facts.filter(pl.col("series") == "").sort("derived", descending=True)
    # Published rows come last and so win the dict slot for their key.
    return {
        (r["region_code"], r["indicator"], r["period_end"]): r["tier"]
        for r in main.select("region_code", "indicator", "period_end", "tier", "derived").iter_rows(
            named=True
        )
    }


def target_rows(
    facts: pl.DataFrame,
    targets: list[Target],
    groups: Mapping[str, PeerGroup],
    regions: Mapping[str, Region],
    indicators: Mapping[str, Indicator],
) -> list[dict]:
    """One ``mart_target`` row per plan target, with the tier of the latest value used."""
    benchmarks = target_benchmarks(facts, targets, groups, regions, indicators)
    tracked = track_targets(facts, targets, benchmarks)
    tiers = _latest_tiers(facts)
    by_id = {t.id: t for t in targets}
    rows = []
    for row in tracked.iter_rows(named=True):
        target = by_id[row["target_id"]]
        latest = (target.region, target.indicator, row["latest_period_end"])
        rows.append(
            {
                **row,
                "title_zh": target.title_zh,
                "region_code": target.region,
                "latest_tier": tiers.get(latest),
            }
        )
    return rows
