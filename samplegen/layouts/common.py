"""Shared pieces of every layout: the document record, exact number printing, city tables.

Numbers are printed so that a careful reader recovers the canonical value exactly: a value that a
printed unit cannot carry exactly (12.345亿元) raises instead of being rounded.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from samplegen.truth import CITIES, NAMES, PROVINCE, RATIOS, TruthRow

# Denominator of each printed unit, relative to the canonical unit.
DIVISORS = {
    "件": 1,
    "个": 1,
    "家": 1,
    "户": 1,
    "人": 1,
    "万件": 10_000,
    "万户": 10_000,
    "万人": 10_000,
    "万元": 10_000,
    "亿元": 100_000_000,
}


@dataclass(frozen=True)
class Doc:
    """One generated document and its manifest row."""

    url: str
    content: bytes
    tier: str
    published_on: str
    title: str
    note: str = ""


class Lookup:
    """Truth rows by (url, region, indicator, period_end): what each document must print."""

    def __init__(self, rows: Sequence[TruthRow]) -> None:
        self.rows = list(rows)
        self._by_key = {(r.url, r.region_code, r.indicator, r.period_end): r for r in rows}
        self._any = {(r.region_code, r.indicator, r.period_end): r for r in rows}

    def get(self, url: str, code: str, indicator: str, end: dt.date) -> TruthRow | None:
        return self._by_key.get((url, code, indicator, end))

    def value(self, code: str, indicator: str, end: dt.date) -> Decimal:
        """Any document's value (for growth rates and ranks, which are never truth values)."""
        return self._any[(code, indicator, end)].value

    def at(self, url: str) -> list[TruthRow]:
        return [r for r in self.rows if r.url == url]


def scaled(value: Decimal, unit: str, decimals: int) -> str:
    """``value`` in a printed unit with fixed decimals; raises when that would not be exact."""
    printed = value / DIVISORS[unit]
    text = f"{printed:.{decimals}f}"
    if Decimal(text) != printed:
        raise ValueError(f"{value} cannot be printed exactly in {unit} with {decimals} decimals")
    return text


def plain(row: TruthRow) -> str:
    return f"{row.value:.2f}" if row.indicator in RATIOS else str(int(row.value))


def growth(lookup: Lookup, code: str, indicator: str, year: int) -> str:
    """Year-on-year change in percent, one decimal (context only, never a level)."""
    now = lookup.value(code, indicator, dt.date(year, 12, 31))
    before = lookup.value(code, indicator, dt.date(year - 1, 12, 31))
    if not before:
        return "-"
    return f"{(now / before - 1) * 100:.1f}"


# -- region labels in the styles the publishers use ------------------------------------------


def short(code: str) -> str:
    name = NAMES[code]
    return name[:-1] if name.endswith(("市", "省")) else name


def spaced(code: str) -> str:
    """Two-character names padded to the width of three (「淮 南」, 「全 省」)."""
    name = short(code)
    return " ".join(name) if len(name) == 2 else name


def region_label(code: str, style: str) -> str:
    if code == PROVINCE[0]:
        return {"full": "全省", "short": "全省", "spaced": "全 省"}[style]
    return {"full": NAMES[code], "short": short(code), "spaced": spaced(code)}[style]


# -- a city table, independent of the output format -------------------------------------------


@dataclass(frozen=True)
class Column:
    """A printed column: a truth indicator, or a context column (rank / growth) beside one."""

    indicator: str
    label: str
    unit: str = ""
    decimals: int = 0
    parent: str = ""
    context: str = ""  # "" | "rank" | "growth"


@dataclass
class Table:
    header: list[list[tuple[str, int, int]]]  # rows of (text, colspan, rowspan)
    body: list[list[str]]
    notes: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return sum(span for text, span, _ in self.header[0])


def city_table(
    lookup: Lookup,
    url: str,
    year: int,
    columns: Sequence[Column],
    *,
    style: str = "full",
    total: str = "first",
    unit_in_header: bool = True,
    marks: Callable[[str, str, str], str] | None = None,
) -> Table:
    """Header and rows for the 16 cities (and the province unless ``total`` is "none")."""
    end = dt.date(year, 12, 31)
    two_level = any(c.parent for c in columns)
    top: list[tuple[str, int, int]] = [("地区", 1, 2 if two_level else 1)]
    sub: list[tuple[str, int, int]] = []
    index = 0
    while index < len(columns):
        column = columns[index]
        if column.parent:
            stop = index
            while stop < len(columns) and columns[stop].parent == column.parent:
                stop += 1
            top.append((column.parent, stop - index, 1))
            sub.extend((c.label, 1, 1) for c in columns[index:stop])
            index = stop
            continue
        label = column.label
        if column.unit and not column.context and (unit_in_header or column.unit != "件"):
            label = f"{label}（{column.unit}）"
        top.append((label, 1, 2 if two_level else 1))
        index += 1
    header = [top, sub] if two_level else [top]

    ranked = next((c.indicator for c in columns if c.context == "rank"), "")
    order = sorted(
        (c for c, _ in CITIES),
        key=lambda c: -lookup.value(c, ranked, end) if ranked else 0,
    )
    rank_of = {c: i + 1 for i, c in enumerate(order)}
    regions = [c for c, _ in CITIES]
    if total == "first":
        regions.insert(0, PROVINCE[0])
    elif total == "last":
        regions.append(PROVINCE[0])

    body = []
    for code in regions:
        label = region_label(code, style)
        if marks:
            label = marks(code, "", label)
        cells = [label]
        for column in columns:
            if column.context == "rank":
                cells.append("" if code == PROVINCE[0] else str(rank_of[code]))
                continue
            if column.context == "growth":
                cells.append(growth(lookup, code, column.indicator, year))
                continue
            row = lookup.get(url, code, column.indicator, end)
            if row is None:
                cells.append("-")
                continue
            if column.indicator in RATIOS:
                text = f"{row.value:.2f}"
            else:
                text = scaled(row.value, column.unit or "件", column.decimals)
            if marks:
                text = marks(code, column.indicator, text)
            cells.append(text)
        body.append(cells)
    return Table(header, body)


def html_table(table: Table, attrs: str = "") -> str:
    """An HTML table with fixed widths, as the CMS editors leave them."""
    lines = [f"<table {attrs}>".replace(" >", ">")]
    for row in table.header:
        cells = "".join(
            f'<td{_span(c, r)} align="center"><strong>{html.escape(t)}</strong></td>'
            for t, c, r in row
        )
        lines.append(f"<tr>{cells}</tr>")
    for row in table.body:
        cells = f'<td align="center">{html.escape(row[0])}</td>' + "".join(
            f'<td align="right">{html.escape(v)}</td>' for v in row[1:]
        )
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _span(colspan: int, rowspan: int) -> str:
    out = f' colspan="{colspan}"' if colspan > 1 else ""
    return out + (f' rowspan="{rowspan}"' if rowspan > 1 else "")


def esc(text: str) -> str:
    return html.escape(text)


def encode(page: str, gbk: bool) -> bytes:
    if gbk:
        return page.replace('charset="utf-8"', 'charset="gb2312"').encode("gbk")
    return page.encode("utf-8")
