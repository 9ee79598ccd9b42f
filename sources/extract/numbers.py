"""Numbers as Chinese statistics print them.

Table cells carry thousands separators, full-width digits, footnote markers (``1234[1]``,
``1234*``) and missing markers (``-``, ``—``, ``/``, blank); prose carries multipliers in the
number (``17.83万``, ``3.05万件``, ``629.37亿元``) and sometimes Chinese numerals (``十二``,
``两千``). Parsing keeps the value exactly (``Decimal``) and reports the multiplier as part of the
unit, so that unit conversion happens once, after parsing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MISSING_MARKERS = frozenset({"", "-", "--", "—", "——", "–", "/", "…", "...", "x", "X", "空"})

_FOOTNOTE = re.compile(
    r"(\[\d{1,2}\]|［\d{1,2}］|\(\d{1,2}\)|（\d{1,2}）|[*＊※#△▲]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)"
)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d+)?|\.\d+)$")
_NUMBER_IN_TEXT = re.compile(r"(?P<num>[+-]?\d+(?:\.\d+)?)\s*(?P<mult>万亿|千万|百万|十万|万|亿)?")

MULTIPLIERS = {
    "十万": Decimal(100_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "万亿": Decimal(1_000_000_000_000),
}

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL_UNITS) + "".join(_CN_LARGE_UNITS)


@dataclass(frozen=True)
class CellNumber:
    """A number read from a cell: ``value`` is ``None`` for a missing marker."""

    value: Decimal | None
    is_percent: bool = False
    footnote: str = ""


def normalise_text(text: str) -> str:
    """Full-width to half-width (NFKC) and no thousands separators or inner spaces."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace(",", "").replace("\u00a0", " ").strip()


def strip_footnotes(text: str) -> tuple[str, str]:
    """Remove footnote markers glued to a number or a word; return (clean text, markers)."""
    markers = "".join(m.group(0) for m in _FOOTNOTE.finditer(text))
    return _FOOTNOTE.sub("", text).strip(), markers


def parse_cell(text: str | None) -> CellNumber | None:
    """Parse a table cell. ``None`` when the cell is not a number at all (a label, a note).

    A missing marker gives ``CellNumber(None)``, never zero.
    """
    if text is None:
        return CellNumber(None)
    raw = normalise_text(str(text))
    clean, footnote = strip_footnotes(raw)
    clean = re.sub(r"\s+", "", clean)
    if clean in MISSING_MARKERS:
        return CellNumber(None, footnote=footnote)
    is_percent = clean.endswith("%")
    if is_percent:
        clean = clean[:-1]
    if not _NUMBER.match(clean):
        return None
    try:
        return CellNumber(Decimal(clean), is_percent=is_percent, footnote=footnote)
    except InvalidOperation:
        return None


def chinese_numeral(text: str) -> Decimal | None:
    """``十二`` → 12, ``两千三百`` → 2300, ``一万二千`` → 12000; ``None`` if not a numeral."""
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        return None
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * _CN_SMALL_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            total = (total + section) * _CN_LARGE_UNITS[ch]
            section = 0
            digit = None
    return Decimal(total + section + (digit or 0))


def apply_multiplier(value: Decimal, multiplier: str) -> Decimal:
    """``apply_multiplier(Decimal("17.83"), "万")`` → ``Decimal("178300.00")``, exactly."""
    if not multiplier:
        return value
    return value * MULTIPLIERS[multiplier]


def split_unit(unit: str) -> tuple[str, str]:
    """Split a printed unit into (multiplier, base): ``万件`` → (``万``, ``件``), ``件/万人`` → ('', ``件/万人``).

    Ratios keep their unit whole: the multiplier in ``件/万人`` is part of the definition.
    """
    unit = normalise_text(unit).replace(" ", "")
    if "/" in unit or "每" in unit:
        return "", unit
    for mult in sorted(MULTIPLIERS, key=len, reverse=True):
        if unit.startswith(mult) and len(unit) > len(mult):
            return mult, unit[len(mult) :]
        if unit == mult:
            return mult, ""
    return "", unit


def to_canonical_scale(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """Remove the multiplier from a printed unit: (17.83, ``万件``) → (178300, ``件``)."""
    mult, base = split_unit(unit)
    return apply_multiplier(value, mult), base


def format_decimal(value: Decimal | float | None) -> str:
    """Render a value without float noise or trailing zeros: 178300, 53.54, 0.5."""
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(repr(float(value)))
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
