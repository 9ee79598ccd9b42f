"""Peer groups from sources/reference/peer_groups.yaml, resolved to member region codes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl
import yaml

from sources.config import REFERENCE_DIR
from sources.errors import ConfigError
from sources.reference import Region, regions

PEER_GROUPS_FILE = REFERENCE_DIR / "peer_groups.yaml"
FLAGS = ("hefei_metro", "resource_based")


@dataclass(frozen=True)
class PeerGroup:
    id: str
    title_zh: str
    members: tuple[str, ...]
    level: str


def _select(spec: dict, group_id: str) -> tuple[str, ...]:
    level = spec.get("level", "city")
    provinces = spec.get("province")
    provinces = [provinces] if isinstance(provinces, str) else provinces
    flag = spec.get("flag")
    if flag is not None and flag not in FLAGS:
        raise ConfigError(
            f"peer group {group_id}: unknown flag {flag!r}", where=str(PEER_GROUPS_FILE)
        )
    return tuple(
        code
        for code, region in sorted(regions().items())
        if region.level == level
        and (provinces is None or region.province_code in provinces)
        and (flag is None or getattr(region, flag))
    )


@cache
def load_peer_groups(path: Path = PEER_GROUPS_FILE) -> dict[str, PeerGroup]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = regions()
    groups = {}
    for group_id, spec in (data.get("groups") or {}).items():
        if "members" in spec:
            members = tuple(str(code) for code in spec["members"])
        elif "select" in spec:
            members = _select(spec["select"], group_id)
        else:
            raise ConfigError(f"peer group {group_id}: needs members or select", where=str(path))
        unknown = [code for code in members if code not in known]
        if unknown or not members:
            raise ConfigError(
                f"peer group {group_id}: unknown or no members {unknown}", where=str(path)
            )
        levels = {known[code].level for code in members}
        if len(levels) != 1:
            raise ConfigError(
                f"peer group {group_id}: members mix levels {sorted(levels)}", where=str(path)
            )
        groups[group_id] = PeerGroup(
            group_id, spec.get("title_zh", group_id), members, levels.pop()
        )
    return groups


def municipal_cities(known: Mapping[str, Region]) -> dict[str, str]:
    """City code → province code of the province-level cities (上海市 310100 → 310000): their
    figures are published for the municipality, and a city peer group counts them once."""
    return {
        code: r.parent_code
        for code, r in sorted(known.items())
        if r.level == "city"
        and r.parent_code in known
        and known[r.parent_code].level == "province"
        and known[r.parent_code].name == r.name
    }


def with_municipal_cities(
    frame: pl.DataFrame, known: Mapping[str, Region], keys: Sequence[str]
) -> pl.DataFrame:
    """``frame`` plus, under each province-level city's code (310100), its municipality's rows
    (310000) for every ``keys`` the city has no row of its own: Shanghai publishes as the
    municipality, and a city peer group or panel holds it once, as the city."""
    same_as = municipal_cities(known)
    borrowed = (
        frame.filter(pl.col("region_code").is_in(list(same_as.values())))
        .with_columns(pl.col("region_code").replace({p: c for c, p in same_as.items()}))
        .join(frame, on=["region_code", *keys], how="anti")
    )
    return pl.concat([frame, borrowed])
