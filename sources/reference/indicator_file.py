"""Loading and validating ``indicators.yaml`` (the indicator vocabulary).

YAML silently keeps the last of two equal keys, so the file is first composed into nodes to find
duplicate ids and the line of every entry; errors then name ``indicators.yaml, line N``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sources.errors import ConfigError

KINDS = ("stock", "flow", "ratio")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELDS = {
    "name_zh",
    "name_en",
    "synonyms",
    "unit",
    "accepted_units",
    "kind",
    "numerator",
    "denominator",
    "per",
    "higher_is_better",
    "area",
    "skewed",
    "bounds",
    "false_friends",
    "components",
    "scope",
}


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str
    synonyms: tuple[str, ...]
    unit: str
    kind: str
    numerator: str | None
    denominator: str | None
    per: int | None
    higher_is_better: bool
    area: str
    skewed: bool
    min_value: float | None
    max_value: float | None
    false_friends: tuple[str, ...]
    # Printed units that mean the canonical one for this indicator (件 for a per-10k ratio in prose).
    accepted_units: tuple[str, ...] = ()
    # (sub-column label, indicator id): 专利授权量 over 发明 is invention_grants.
    components: tuple[tuple[str, str], ...] = ()
    # Province codes whose own definition this is: benchmarked only within peer groups inside them.
    scope: tuple[str, ...] = ()


@dataclass(frozen=True)
class HeaderRules:
    growth_rate_markers: tuple[str, ...]
    not_level_markers: tuple[str, ...]
    header_noise: tuple[str, ...]
    units: tuple[str, ...]
    areas: tuple[str, ...]


def read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"cannot read: {err}", where=str(path)) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path.name}, line {mark.line + 1}" if mark else path.name
        raise ConfigError(f"invalid YAML: {getattr(err, 'problem', err)}", where=where) from err
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping at the top level", where=path.name)
    return data


def _entry_lines(path: Path) -> dict[str, int]:
    """Line of each indicator id; raises on an id defined twice."""
    root = yaml.compose(path.read_text(encoding="utf-8"))
    lines: dict[str, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        if key.value != "indicators" or not isinstance(value, yaml.MappingNode):
            continue
        for id_node, _ in value.value:
            line = id_node.start_mark.line + 1
            if id_node.value in lines:
                raise ConfigError(
                    f"indicator {id_node.value!r} defined twice (first at line "
                    f"{lines[id_node.value]})",
                    where=f"{path.name}, line {line}",
                )
            lines[id_node.value] = line
    return lines


def _key(label: str) -> str:
    # Enough to catch duplicates in the file; matching itself uses sources.normalise.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", label)).casefold()


def _strings(value: Any, what: str, where: str, *, required: bool = False) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{what} must be a list of non-empty strings", where=where)
    if required and not value:
        raise ConfigError(f"{what} must not be empty", where=where)
    return tuple(v.strip() for v in value)


def _rules(data: dict, where: str) -> HeaderRules:
    return HeaderRules(
        growth_rate_markers=_strings(data.get("growth_rate_markers"), "growth_rate_markers", where),
        not_level_markers=_strings(data.get("not_level_markers"), "not_level_markers", where),
        header_noise=_strings(data.get("header_noise"), "header_noise", where),
        units=_strings(data.get("units"), "units", where, required=True),
        areas=_strings(data.get("areas"), "areas", where, required=True),
    )


def _indicator(ind_id: str, spec: Any, rules: HeaderRules, where: str) -> Indicator:
    if not _ID.match(ind_id):
        raise ConfigError(f"indicator id {ind_id!r} must be snake_case ASCII", where=where)
    if not isinstance(spec, dict):
        raise ConfigError(f"indicator {ind_id} must be a mapping", where=where)
    unknown = set(spec) - _FIELDS
    if unknown:
        raise ConfigError(f"indicator {ind_id}: unknown fields {sorted(unknown)}", where=where)
    for field in ("name_zh", "name_en", "unit", "kind", "area"):
        if not isinstance(spec.get(field), str) or not spec[field].strip():
            raise ConfigError(f"indicator {ind_id}: {field} is required", where=where)
    if spec["unit"] not in rules.units:
        raise ConfigError(
            f"indicator {ind_id}: unit {spec['unit']!r} is not a known unit", where=where
        )
    if spec["kind"] not in KINDS:
        raise ConfigError(f"indicator {ind_id}: kind must be one of {KINDS}", where=where)
    if spec["area"] not in rules.areas:
        raise ConfigError(f"indicator {ind_id}: area {spec['area']!r} is not known", where=where)
    for flag in ("higher_is_better", "skewed"):
        if not isinstance(spec.get(flag), bool):
            raise ConfigError(f"indicator {ind_id}: {flag} must be true or false", where=where)
    ratio = spec["kind"] == "ratio"
    per = spec.get("per")
    if ratio and (not spec.get("denominator") or not isinstance(per, int) or per <= 0):
        raise ConfigError(f"ratio {ind_id} needs a denominator and a positive per", where=where)
    if not ratio and any(spec.get(f) is not None for f in ("numerator", "denominator", "per")):
        raise ConfigError(f"{ind_id} is not a ratio: no numerator/denominator/per", where=where)
    bounds = spec.get("bounds")
    low = high = None
    if bounds is not None:
        if (
            not isinstance(bounds, list)
            or len(bounds) != 2
            or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
            or bounds[0] >= bounds[1]
        ):
            raise ConfigError(
                f"indicator {ind_id}: bounds must be [min, max], min < max", where=where
            )
        low, high = float(bounds[0]), float(bounds[1])
    components = spec.get("components") or {}
    if not isinstance(components, dict):
        raise ConfigError(f"indicator {ind_id}: components must be a mapping", where=where)
    synonyms = _strings(spec.get("synonyms"), f"{ind_id}: synonyms", where, required=True)
    name_zh = spec["name_zh"].strip()
    return Indicator(
        id=ind_id,
        name_zh=name_zh,
        name_en=spec["name_en"].strip(),
        synonyms=tuple(dict.fromkeys((name_zh, *synonyms))),
        unit=spec["unit"],
        kind=spec["kind"],
        numerator=spec.get("numerator"),
        denominator=spec.get("denominator"),
        per=per,
        higher_is_better=spec["higher_is_better"],
        area=spec["area"],
        skewed=spec["skewed"],
        min_value=low,
        max_value=high,
        false_friends=_strings(spec.get("false_friends"), f"{ind_id}: false_friends", where),
        accepted_units=_strings(spec.get("accepted_units"), f"{ind_id}: accepted_units", where),
        components=tuple((str(k), str(v)) for k, v in components.items()),
        scope=_strings(spec.get("scope"), f"{ind_id}: scope", where),
    )


def _cross_check(found: dict[str, Indicator], rules: HeaderRules, lines: dict[str, int], name: str):
    owner: dict[str, str] = {}
    for ind in found.values():
        where = f"{name}, line {lines.get(ind.id, 0)}"
        for ref in (ind.numerator, ind.denominator, *(target for _, target in ind.components)):
            if ref is not None and ref not in found:
                raise ConfigError(f"indicator {ind.id} refers to unknown id {ref!r}", where=where)
        friends = {_key(f) for f in ind.false_friends}
        for synonym in ind.synonyms:
            key = _key(synonym)
            if owner.setdefault(key, ind.id) != ind.id:
                raise ConfigError(
                    f"synonym {synonym!r} of {ind.id} is already a synonym of {owner[key]}",
                    where=where,
                )
            if any(_key(m) in key for m in rules.growth_rate_markers + rules.not_level_markers):
                raise ConfigError(f"synonym {synonym!r} contains a growth/rank marker", where=where)
            if any(friend in key for friend in friends):
                raise ConfigError(f"synonym {synonym!r} contains its own false friend", where=where)


def load_indicators(path: Path) -> tuple[dict[str, Indicator], HeaderRules]:
    """Read and validate the vocabulary: unique ids and synonyms, known units and areas,
    ratios with existing numerator/denominator, sane bounds."""
    data = read_yaml(path)
    lines = _entry_lines(path)
    rules = _rules(data, path.name)
    entries = data.get("indicators")
    if not isinstance(entries, dict) or not entries:
        raise ConfigError("no indicators defined", where=path.name)
    found = {
        str(ind_id): _indicator(
            str(ind_id), spec, rules, f"{path.name}, line {lines.get(ind_id, 0)}"
        )
        for ind_id, spec in entries.items()
    }
    _cross_check(found, rules, lines, path.name)
    return found, rules
