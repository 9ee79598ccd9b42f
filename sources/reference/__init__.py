"""Reference data: the regions the system knows (GB/T 2260) and the indicator vocabulary.

The data lives beside this module (``regions.csv``, ``other_regions.csv``, ``indicators.yaml``,
``region_labels.yaml``); this module loads it once, validates it and raises
:class:`~sources.errors.ConfigError` naming the file and line of the first problem, so a bad edit
fails the first command that touches it instead of producing wrong numbers later.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sources.config import REFERENCE_DIR
from sources.errors import ConfigError
from sources.reference.indicator_file import HeaderRules, Indicator, load_indicators, read_yaml

__all__ = [
    "HUAINAN_CODE",
    "NATIONAL_CODE",
    "REGION_LEVELS",
    "HeaderRules",
    "Indicator",
    "Region",
    "RegionLabels",
    "all_known_regions",
    "check_regions",
    "header_rules",
    "indicators",
    "load_indicators",
    "load_region_labels",
    "load_regions",
    "region_labels",
    "regions",
]

NATIONAL_CODE = "100000"
HUAINAN_CODE = "340400"
REGION_LEVELS = ("national", "province", "city", "district", "county")
TOTAL_SCOPES = ("parent", "province", "city", "national")

_REGION_COLUMNS = (
    "code",
    "name",
    "short_name",
    "aliases",
    "level",
    "parent_code",
    "province_code",
    "hefei_metro",
    "resource_based",
    "name_en",
)
_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    level: str
    parent_code: str
    province_code: str
    hefei_metro: bool
    resource_based: bool
    name_en: str
    in_scope: bool

    @property
    def labels(self) -> tuple[str, ...]:
        """Every printed form this region is known by (name, 简称, English, aliases)."""
        seen = dict.fromkeys((self.name, self.short_name, self.name_en, *self.aliases))
        return tuple(label for label in seen if label)


@dataclass(frozen=True)
class RegionLabels:
    """Row labels that are not regions: totals (by scope), subtotals, partial-area suffixes."""

    totals: dict[str, str]
    subtotals: tuple[str, ...]
    subtotal_suffixes: tuple[str, ...]
    functional_zone_suffixes: tuple[str, ...]


def _flag(value: str, column: str, where: str) -> bool:
    if value not in ("0", "1"):
        raise ConfigError(f"{column} must be 0 or 1, not {value!r}", where=where)
    return value == "1"


def load_regions(path: Path, *, in_scope: bool) -> list[Region]:
    """Read one region file, checking each row on its own (cross-row checks: ``check_regions``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read region file: {err}", where=str(path)) from err
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != _REGION_COLUMNS:
        raise ConfigError(
            f"header must be {','.join(_REGION_COLUMNS)}", where=f"{path.name}, line 1"
        )
    out: list[Region] = []
    for row in reader:
        where = f"{path.name}, line {reader.line_num}"
        if None in row or any(row[c] is None for c in _REGION_COLUMNS):
            raise ConfigError("wrong number of columns", where=where)
        code = row["code"].strip()
        if not _CODE.match(code):
            raise ConfigError(f"region code {code!r} is not six digits", where=where)
        level = row["level"].strip()
        if level not in REGION_LEVELS:
            raise ConfigError(f"level {level!r} not one of {', '.join(REGION_LEVELS)}", where=where)
        name = row["name"].strip()
        if not name or not row["name_en"].strip():
            raise ConfigError(f"region {code} needs a name and an English name", where=where)
        parent = row["parent_code"].strip()
        if (level == "national") != (parent == ""):
            raise ConfigError(f"region {code}: only the national row has no parent", where=where)
        out.append(
            Region(
                code=code,
                name=name,
                short_name=row["short_name"].strip() or name,
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                level=level,
                parent_code=parent,
                province_code=row["province_code"].strip(),
                hefei_metro=_flag(row["hefei_metro"].strip(), "hefei_metro", where),
                resource_based=_flag(row["resource_based"].strip(), "resource_based", where),
                name_en=row["name_en"].strip(),
                in_scope=in_scope,
            )
        )
    return out


def _simple_key(label: str) -> str:
    # Enough to catch duplicate labels in the files; matching itself uses sources.normalise.
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", label)).casefold()


def check_regions(groups: Iterable[tuple[Path, list[Region]]]) -> dict[str, Region]:
    """Cross-row checks over all region files: unique codes, parents and provinces exist,
    flags only on cities, and no two children of one parent share a label (which no
    ``parent_code`` could then tell apart)."""
    known: dict[str, Region] = {}
    where_of: dict[str, str] = {}
    for path, rows in groups:
        for i, region in enumerate(rows):
            where = f"{path.name}, region {region.code} (row {i + 2})"
            if region.code in known:
                raise ConfigError(
                    f"duplicate region code {region.code} (also {where_of[region.code]})",
                    where=where,
                )
            known[region.code] = region
            where_of[region.code] = where
    labels_by_parent: dict[tuple[str, str], str] = {}
    for code, region in known.items():
        where = where_of[code]
        if region.parent_code and region.parent_code not in known:
            raise ConfigError(f"parent {region.parent_code} of {code} is unknown", where=where)
        if region.level != "national":
            province = known.get(region.province_code)
            if province is None or province.level != "province":
                raise ConfigError(
                    f"province_code {region.province_code!r} is not a province", where=where
                )
        if (region.hefei_metro or region.resource_based) and region.level != "city":
            raise ConfigError("hefei_metro/resource_based flag prefecture cities only", where=where)
        if region.hefei_metro and region.province_code != "340000":
            raise ConfigError("合肥都市圈 cities are all in Anhui", where=where)
        for label in {_simple_key(x) for x in region.labels}:
            other = labels_by_parent.setdefault((region.parent_code, label), code)
            if other != code:
                raise ConfigError(
                    f"label {label!r} names both {other} and {code} under one parent", where=where
                )
    return known


def load_region_labels(path: Path) -> RegionLabels:
    data = read_yaml(path)
    totals: dict[str, str] = {}
    for scope, labels in (data.get("totals") or {}).items():
        if scope not in TOTAL_SCOPES:
            raise ConfigError(f"total scope {scope!r} not one of {TOTAL_SCOPES}", where=path.name)
        for label in labels or ():
            totals[str(label)] = scope

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{key} must be a list of labels", where=path.name)
        return tuple(value)

    subtotals = strings("subtotals")
    clash = set(map(_simple_key, subtotals)) & set(map(_simple_key, totals))
    if clash:
        raise ConfigError(f"labels both total and subtotal: {sorted(clash)}", where=path.name)
    return RegionLabels(
        totals=totals,
        subtotals=subtotals,
        subtotal_suffixes=strings("subtotal_suffixes"),
        functional_zone_suffixes=strings("functional_zone_suffixes"),
    )


@lru_cache(maxsize=1)
def all_known_regions() -> dict[str, Region]:
    """Every region the system recognises: in scope (YRD) and out of scope (other provinces,
    CNIPA's separately listed cities), keyed by code."""
    groups = [
        (REFERENCE_DIR / "regions.csv", True),
        (REFERENCE_DIR / "other_regions.csv", False),
    ]
    return check_regions((path, load_regions(path, in_scope=flag)) for path, flag in groups)


@lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    """The regions the system benchmarks (national, the four provinces, their cities and the
    districts/counties their tables list), keyed by GB/T 2260 code."""
    return {code: r for code, r in all_known_regions().items() if r.in_scope}


@lru_cache(maxsize=1)
def region_labels() -> RegionLabels:
    return load_region_labels(REFERENCE_DIR / "region_labels.yaml")


@lru_cache(maxsize=1)
def _indicator_file() -> tuple[dict[str, Indicator], HeaderRules]:
    return load_indicators(REFERENCE_DIR / "indicators.yaml")


def indicators() -> dict[str, Indicator]:
    """The indicator vocabulary keyed by id."""
    return _indicator_file()[0]


def header_rules() -> HeaderRules:
    """Growth-rate and rank/share markers and the noise words allowed around a synonym."""
    return _indicator_file()[1]
