"""Canonical units: counts as plain numbers, money in yuan, population in persons, ratios as
published.

The multiplier printed in a unit (``万件``, ``亿元``, ``万人``) is applied exactly on ``Decimal``
by :mod:`sources.extract.numbers`; this module decides whether the rest of the unit can express
the indicator at all (``亿元`` for a patent count cannot) and which printed variants mean the
canonical unit (prose prints ``每万人口发明专利拥有量53.54件``: 件 means 件/万人 there).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from sources.errors import ParseError
from sources.extract.numbers import split_unit, to_canonical_scale
from sources.reference import Indicator

_UNIT_PREFIX = re.compile(r"^(单位|unit)[::]?", re.IGNORECASE)
_PERCENT = ("%", "‰", "百分点", "个百分点")


def clean_unit(unit: str) -> str:
    """``（单位：万件）`` → ``万件``; ``件 / 万人`` → ``件/万人``."""
    text = unicodedata.normalize("NFKC", unit or "")
    text = re.sub(r"\s+", "", text)
    text = text.strip("()[]【】")
    return _UNIT_PREFIX.sub("", text)


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form: 178300.00 → 178300, 2.50 → 2.5."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return Decimal(format(value.normalize(), "f"))


def to_canonical(value: Decimal, unit: str, indicator: Indicator) -> tuple[Decimal, str]:
    """Convert a printed value and unit to ``indicator``'s canonical unit, exactly.

    ``(17.83, "万件", patents_granted)`` → ``(178300, "件")``;
    ``(53.54, "件", invention_patents_per_10k)`` → ``(53.54, "件/万人")``.
    Raises :class:`ParseError` when the unit cannot express the indicator (``亿元`` for a
    patent count, ``%`` for any level, a missing unit that could be 件 or 万件).
    """
    printed = clean_unit(unit)
    if not printed:
        raise ParseError(
            f"no unit printed for {indicator.id}: cannot tell {indicator.unit} from "
            f"万{indicator.unit}"
        )
    if printed in _PERCENT:
        raise ParseError(f"unit {unit!r} is a rate: it cannot express indicator {indicator.id}")
    accepted = {indicator.unit, *indicator.accepted_units}
    multiplier, base = split_unit(printed)
    if indicator.kind == "ratio":
        # A ratio's multiplier is part of its definition (件/万人); 万件 for a ratio is an error.
        if multiplier or base not in accepted:
            raise ParseError(_incompatible(unit, indicator))
        return tidy(value), indicator.unit
    if not base and not multiplier:
        raise ParseError(_incompatible(unit, indicator))
    if base and base not in accepted:
        raise ParseError(_incompatible(unit, indicator))
    scaled, _ = to_canonical_scale(value, printed)
    return tidy(scaled), indicator.unit


def _incompatible(unit: str, indicator: Indicator) -> str:
    return (
        f"unit {unit!r} cannot express indicator {indicator.id} (canonical unit {indicator.unit})"
    )
