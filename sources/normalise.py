"""Raw figures → the project's vocabulary: region codes, indicator ids, canonical units.

Labels are matched through the mapping files in ``sources/reference/`` (never ``if`` chains):
``clean_label`` puts a printed label in one form, ``resolve_region`` and ``resolve_indicator``
say what it is and why, and ``normalise`` turns a :class:`RawObservation` into an
:class:`Observation` with its document's provenance, or a :class:`QuarantineRow` naming the
reason. Nothing is dropped silently; only regions recognised as outside the Yangtze Delta are
skipped (and counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sources.errors import ParseError
from sources.extract.numbers import format_decimal
from sources.records import (
    PERIOD_KINDS,
    QUALIFIERS,
    Document,
    Observation,
    QuarantineRow,
    RawObservation,
)
from sources.reference import Region, all_known_regions, indicators
from sources.reference.matching import (
    IndicatorMatch,
    RegionMatch,
    clean_label,
    label_key,
    resolve_indicator,
    resolve_region,
)
from sources.units import to_canonical

__all__ = [
    "IndicatorMatch",
    "RegionMatch",
    "clean_label",
    "label_key",
    "normalise",
    "normalise_all",
    "resolve_indicator",
    "resolve_region",
]


class _Reject(Exception):
    """Internal: the raw figure cannot become an observation (reason in the message)."""


class _OutOfScope(Exception):
    """Internal: the figure belongs to a recognised region outside the Yangtze Delta."""


def _region(raw: RawObservation, parent_code: str | None, in_scope_only: bool = True) -> Region:
    known = all_known_regions()
    if raw.region_code:
        region = known.get(raw.region_code)
        if region is None:
            raise _Reject(f"unknown region code {raw.region_code!r}")
    else:
        match = resolve_region(raw.region_label, parent_code=parent_code)
        if match.status == "out_of_scope" and in_scope_only:
            raise _OutOfScope(match.reason)
        if match.status not in ("ok", "total", "out_of_scope") or not match.code:
            raise _Reject(f"region {match.status}: {match.reason}")
        region = known[match.code]
    if not region.in_scope and in_scope_only:
        raise _OutOfScope(f"{region.name} ({region.code}) is outside the Yangtze Delta")
    return region


def _indicator_id(raw: RawObservation) -> str:
    if raw.indicator:
        if raw.indicator not in indicators():
            raise _Reject(f"unknown indicator id {raw.indicator!r}")
        return raw.indicator
    match = resolve_indicator(raw.indicator_label)
    if match.status != "ok":
        raise _Reject(f"indicator {match.status}: {match.reason}")
    return match.id


def _observation(
    raw: RawObservation, document: Document, parent_code: str | None, in_scope_only: bool = True
) -> Observation:
    if raw.period_kind not in PERIOD_KINDS:
        raise _Reject(f"bad period_kind {raw.period_kind!r} (expected one of {PERIOD_KINDS})")
    if raw.qualifier not in QUALIFIERS:
        raise _Reject(f"bad qualifier {raw.qualifier!r} (expected one of {QUALIFIERS})")
    region = _region(raw, parent_code, in_scope_only)
    indicator = indicators()[_indicator_id(raw)]
    if indicator.kind == "ratio" and raw.period_kind != "stock":
        raise _Reject(f"{indicator.id} is a ratio at a date: period_kind must be stock")
    try:
        value, unit = to_canonical(raw.value, raw.unit, indicator)
    except ParseError as err:
        raise _Reject(str(err)) from err
    low, high = indicator.min_value, indicator.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        raise _Reject(
            f"{indicator.id} = {format_decimal(value)} {unit} is outside the plausible range "
            f"{format_decimal(low)}..{format_decimal(high)}"
        )
    published = document.published_on or document.ref.published_on
    return Observation(
        region_code=region.code,
        region_name=region.name,
        indicator=indicator.id,
        period_kind=raw.period_kind,
        period_end=raw.period_end,
        value=value,
        unit=unit,
        qualifier=raw.qualifier,
        evidence=raw.evidence,
        location=raw.location,
        document_sha256=document.sha256,
        publisher=document.publisher,
        tier=document.tier,
        published_on=published,
        vintage=raw.vintage
        or (population_vintage(raw.period_end, published) if indicator.id in _VINTAGED else ""),
        series=raw.series,
        raw_value=f"{raw.value}{raw.unit}",
    )


# The 7th census counted at 2020-11-01 and was published from 2021-05-11; population figures for
# earlier year-ends printed before then are the pre-census series, later prints the revised one.
CENSUS_DAY = dt.date(2020, 11, 1)
CENSUS_PUBLISHED = dt.date(2021, 5, 11)
_VINTAGED = ("population",)


def population_vintage(period_end: dt.date, published_on: dt.date | None) -> str:
    if period_end == CENSUS_DAY:
        return "census"
    if period_end < CENSUS_DAY and published_on is not None:
        return "pre-census" if published_on < CENSUS_PUBLISHED else "revised"
    return ""


def _raw_text(raw: RawObservation) -> str:
    return f"{raw.region_label or raw.region_code} | {raw.indicator_label or raw.indicator} | {raw.value}{raw.unit}"


def normalise(
    raw: RawObservation,
    document: Document,
    *,
    parent_code: str | None = None,
    in_scope_only: bool = True,
) -> Observation | QuarantineRow | None:
    """One raw figure → an observation, a quarantine row with the reason, or ``None`` when the
    region is recognised but outside the Yangtze Delta (another province, Shenzhen…).

    ``raw.region_code`` / ``raw.indicator`` win over the printed labels when the parser set
    them; ``parent_code`` is the region the table is about (turns 全省/合计 into that region);
    ``in_scope_only=False`` keeps recognised regions outside the Yangtze Delta (``ipbench extract``).
    """
    try:
        return _observation(raw, document, parent_code, in_scope_only)
    except _OutOfScope:
        return None
    except _Reject as reason:
        return QuarantineRow(
            document_sha256=document.sha256,
            publisher=document.publisher,
            location=raw.location,
            raw_text=_raw_text(raw),
            reason=str(reason),
            url=document.url,
        )


def normalise_all(
    raws: Iterable[RawObservation],
    document: Document,
    parent_code: str | None = None,
    *,
    in_scope_only: bool = True,
) -> tuple[list[Observation], list[QuarantineRow], int]:
    """Normalise a document's raw figures: (observations, quarantine rows, skipped count)."""
    observations: list[Observation] = []
    quarantine: list[QuarantineRow] = []
    skipped = 0
    for raw in raws:
        result = normalise(raw, document, parent_code=parent_code, in_scope_only=in_scope_only)
        if result is None:
            skipped += 1
        elif isinstance(result, QuarantineRow):
            quarantine.append(result)
        else:
            observations.append(result)
    return observations, quarantine, skipped
