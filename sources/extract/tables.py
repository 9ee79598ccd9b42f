"""Statistical tables → raw observations, for any layout in the family the publishers use.

A table arrives as a rectangle of cell texts (merged cells repeated into every position they
cover, ``<br>`` kept as a newline) plus the lines around it. Nothing is found by position: the
header is the block of rows above the first row whose label names a region or an indicator; each
value column is read from its flattened header (``专利授权量 / 发明``, ``2023年``, ``每万人口…(件/万人)``)
and the caption (title, unit line, period line); each row label is resolved against the reference
regions (spaced names, bilingual cells, 合计 inside a city block, 市本级 and 苏南/苏中/苏北 refused).

Two orientations are read: regions down the side (the usual city table) and indicators down the
side (a bulletin's 指标 | 单位 | 2023年 | 比上年增长% table, about the document's region). A row
that cannot be understood is reported in ``skipped`` with the reason; growth, rank and share
columns are not levels and are ignored by design.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sources.extract.caption import (
    UNIT_WORDS,
    Caption,
    is_caption_line,
    period_of,
    read_caption,
    unit_of,
)
from sources.extract.numbers import parse_cell
from sources.extract.periods import find_period
from sources.records import RawObservation
from sources.reference import NATIONAL_CODE, all_known_regions, header_rules, indicators
from sources.reference.matching import (
    RegionMatch,
    clean_label,
    label_key,
    resolve_indicator,
    resolve_region,
)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_YEAR_LABEL = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年(?:末|底|度)?|年鉴)?(?!\d)")
_REGION_HEADERS = frozenset(
    label_key(w)
    for w in "地区 区域 地市 城市 市别 设区市 市县 县市区 省份 省市 市州 Region Province".split()
)
_UNIT_COLUMN = re.compile(r"^(计量)?单位$|^Unit$", re.I)
_RANK_COLUMN = re.compile(r"^(序号|排名|排序|位次|名次|No\.?|Rank|编号)$", re.I)
_SUBPART = re.compile(r"^(?:其中[:：]?|#|＃)")
# Column words that mean "the table's own indicator, as a level".
_LEVEL_WORDS = frozenset(
    label_key(w)
    for w in "合计 总计 总量 总数 合计数 数量 绝对数 数值 本年 本期 本月 累计 年末数 期末数 全年 Total Number".split()
)
# Breakdowns of the indicator by who holds it: not the indicator itself, not a problem either.
_BREAKDOWN_WORDS = frozenset(
    label_key(w)
    for w in (
        "大专院校 高等院校 高校 科研单位 科研机构 科研院所 企业 工矿企业 机关团体 事业单位 个人 职务 "
        "非职务 国内 国外 境内 境外 男 女 城镇 乡村 第一产业 第二产业 第三产业 内资 外资 个体工商户 "
        "私营企业 农民专业合作社 Universities Institutions Enterprises Individuals Organizations"
    ).split()
)
MAX_HEADER_ROWS = 5


@dataclass(frozen=True)
class TableContext:
    """What the document says about its tables: its title, publication date and the region it
    is about (a city bulletin's tables need not name the city)."""

    title: str = ""
    published: dt.date | None = None
    region_code: str = ""
    location: str = ""


@dataclass(frozen=True)
class Skipped:
    location: str
    raw_text: str
    reason: str


@dataclass
class TableResult:
    observations: list[RawObservation] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def extend(self, other: TableResult) -> None:
        self.observations.extend(other.observations)
        self.skipped.extend(other.skipped)


@dataclass(frozen=True)
class Column:
    index: int
    label: str
    indicator: str = ""
    year: int | None = None
    unit: str = ""
    region_code: str = ""
    ignore: str = ""  # why the column holds no level (growth, rank, breakdown…)


# --- cells ---------------------------------------------------------------------------------


def join_fragments(text: str) -> str:
    """Wrapped header words back together: ``实用\\n新型`` → ``实用新型``; ``合计\\nTotal`` stays two words."""
    out = ""
    for part in (p.strip() for p in (text or "").split("\n")):
        if not part:
            continue
        glue = "" if out and _CJK.match(out[-1]) and _CJK.match(part[0]) else " "
        out = f"{out}{glue}{part}" if out else part
    return " ".join(out.split())


def _is_number(text: str) -> bool:
    cell = parse_cell(text)
    return cell is not None and cell.value is not None


def _is_value_cell(text: str) -> bool:
    """A number or a missing marker: what a value column holds."""
    return parse_cell(text) is not None and bool(text.strip())


def _is_year_like(text: str) -> bool:
    cell = parse_cell(text)
    return (
        cell is not None
        and cell.value is not None
        and cell.value == cell.value.to_integral_value()
        and 1978 <= cell.value <= 2100
    )


def _distinct(row: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(c for c in row if c))


# --- rows: where the header ends and what the labels are -------------------------------------


@dataclass(frozen=True)
class _Layout:
    header: tuple[int, ...]
    data: tuple[int, ...]
    label_width: int
    orientation: str  # regions | indicators


def _label_cells(row: Sequence[str], width: int) -> list[str]:
    cells = _distinct(row[:width])
    if any(_CJK.search(c) for c in cells):
        cells = [c for c in cells if _CJK.search(c)]
    return cells


def _first_value_index(row: Sequence[str]) -> int:
    """The first number or missing marker after the row's first text cell (a leading 序号
    number is not a value); ``len(row)`` when the row has no label or no value."""
    seen_text = False
    for j, cell in enumerate(row):
        if _is_value_cell(cell):
            if seen_text:
                return j
        elif cell.strip():
            seen_text = True
    return len(row)


def _row_resolves(row: Sequence[str], width: int) -> str:
    """``region`` / ``indicator`` / ``""``: what the row's label cells name."""
    for cell in reversed(_label_cells(row, width)):
        match = resolve_region(cell)
        if match.status in ("ok", "total", "subtotal", "out_of_scope"):
            return "region"
        if resolve_indicator(cell).status in ("ok", "growth_rate", "false_friend"):
            return "indicator"
    return ""


def _label_width(grid: Sequence[Sequence[str]]) -> int:
    """Columns left of the values: the most common first value column among rows with a label."""
    firsts = Counter(j for j in map(_first_value_index, grid) if j < len(grid[0]))
    return firsts.most_common(1)[0][0] if firsts else 1


def _is_banner(row: Sequence[str]) -> bool:
    """A title, unit or note line spanning the table (one distinct text that is not a value)."""
    cells = _distinct(row)
    return len(cells) == 0 or (len(cells) == 1 and not _is_number(cells[0]))


def find_layout(grid: Sequence[Sequence[str]]) -> _Layout | None:
    width = _label_width(grid)
    kinds = [
        _row_resolves(row, width) if any(_is_value_cell(c) for c in row[width:]) else ""
        for row in grid
    ]
    counts = Counter(k for k in kinds if k)
    if not counts:
        return None
    orientation = "region" if counts["region"] >= counts["indicator"] else "indicator"
    first = kinds.index(orientation)
    # An unlabelled first data row (the province total of the Jiangsu yearbook) sits right
    # below the header: take it in when it holds real numbers, not years.
    while (
        first > 0
        and not _distinct(grid[first - 1][:width])
        and any(_is_number(c) and not _is_year_like(c) for c in grid[first - 1][width:])
    ):
        first -= 1
    header: list[int] = []
    i = first - 1
    while (
        i >= 0
        and len(header) < MAX_HEADER_ROWS
        and not _is_banner(grid[i])
        and not any(is_caption_line(c) for c in grid[i])
    ):
        if any(_is_number(c) and not _is_year_like(c) for c in grid[i][width:]):
            break
        header.insert(0, i)
        i -= 1
    data = tuple(i for i in range(first, len(grid)) if not _is_banner(grid[i]))
    return _Layout(tuple(header), data, width, orientation + "s")


def flatten_header(grid: Sequence[Sequence[str]], header: Sequence[int], j: int) -> str:
    parts: list[str] = []
    for i in header:
        text = join_fragments(grid[i][j])
        if text and text not in parts:
            parts.append(text)
    return " / ".join(parts)


# --- columns ---------------------------------------------------------------------------------


def _year_of(label: str) -> int | None:
    years = [int(y) for y in _YEAR_LABEL.findall(label)]
    return years[-1] if years else None


def _without_years(text: str) -> str:
    return _YEAR_LABEL.sub("", text).strip(" /")


def _level_word(text: str) -> bool:
    key = label_key(clean_label(text))
    return not key or key in _LEVEL_WORDS


def _column_indicator(label: str, caption: Caption, left: str = "") -> tuple[str, str]:
    """(indicator id, reason to ignore the column). ``left`` is the indicator of the column to
    the left, which a ``其中：发明`` column breaks down."""
    raw_parts = [_without_years(p) for p in label.split(" / ")]
    of_which = any(_SUBPART.match(p) for p in raw_parts)
    parts = [_SUBPART.sub("", p) for p in raw_parts]
    parts = [p for p in parts if p and re.sub(r"\s+", "", p) not in UNIT_WORDS]
    if _RANK_COLUMN.match(label_key(parts[-1]) if parts else ""):
        return "", "rank column"
    whole = " ".join(parts)
    rules = header_rules()
    for marker in (*rules.growth_rate_markers, *rules.not_level_markers):
        if marker in whole:
            return "", f"{marker}: a change, rank or share, not a level"
    last = parts[-1] if parts else ""
    if caption.indicator_id and label_key(clean_label(last)) in _BREAKDOWN_WORDS:
        return "", f"{last}: a breakdown, not the total"
    for candidate in (whole, *reversed(parts)):
        match = resolve_indicator(candidate)
        if match.status == "ok":
            return match.id, ""
        if match.status in ("growth_rate", "false_friend"):
            return "", match.reason
    group = (
        (left if of_which else "")
        or caption.indicator_id
        or next((resolve_indicator(p).id for p in parts if resolve_indicator(p).status == "ok"), "")
    )
    if group:
        if _level_word(last):
            return group, ""
        name = indicators()[group].name_zh
        component = resolve_indicator(f"{name}{clean_label(last)}")
        if component.status == "ok" and component.id != group:
            return component.id, ""
    if label_key(clean_label(last)) in _BREAKDOWN_WORDS:
        return "", f"{last}: a breakdown, not the total"
    return "", f"column {label!r} names no known indicator"


def _column_unit(label: str, indicator: str, caption: Caption) -> str:
    bare = [p for p in label.split(" / ") if re.sub(r"\s+", "", p) in UNIT_WORDS]
    unit = re.sub(r"\s+", "", bare[-1]) if bare else unit_of(label)
    ind = indicators().get(indicator)
    if unit:
        return unit
    if ind is None:
        return ""
    printed = caption.unit
    # A count's unit line does not apply to a ratio column (件 over 件/万人) and vice versa.
    if printed and ("/" in printed) == (ind.kind == "ratio"):
        return printed
    return ind.unit if ind.kind == "ratio" else ""


def read_columns(grid: Sequence[Sequence[str]], layout: _Layout, caption: Caption) -> list[Column]:
    columns = []
    for j in range(layout.label_width, len(grid[0]) if grid else 0):
        label = flatten_header(grid, layout.header, j)
        if _UNIT_COLUMN.match(label_key(label) or "-"):
            columns.append(Column(j, label, ignore="unit column"))
            continue
        year = _year_of(label)
        if layout.orientation == "indicators":
            region = resolve_region(_without_years(label)) if _without_years(label) else None
            ignore = ""
            if region is None or region.status not in ("ok", "total"):
                region = None
                # A value column is headed by a year, a period (1-2季度, 1-9月) or a level word;
                # anything else (同比±%, 排名, notes) holds no level.
                is_period = bool(period_of([label]).kind) or bool(find_period(label))
                _, ignore = (
                    ("", "")
                    if is_period or _level_word(_without_years(label))
                    else _column_indicator(label, Caption())
                )
            columns.append(
                Column(
                    j, label, year=year, region_code=region.code if region else "", ignore=ignore
                )
            )
            continue
        left = columns[-1].indicator if columns else ""
        indicator, ignore = _column_indicator(label, caption, left)
        unit = _column_unit(label, indicator, caption) if indicator else ""
        columns.append(Column(j, label, indicator, year, unit, ignore=ignore))
    return columns


# --- rows: which region ----------------------------------------------------------------------


def _resolve_row(cells: Sequence[str], parent: str | None) -> RegionMatch:
    """The region a row names: the innermost label cell, inside the outer one (a Zhejiang city
    block: 杭州市 | 滨江区, 杭州市 | 合计 = 杭州市, 杭州市 | 市本级 = not a region)."""
    if not cells:
        return RegionMatch("", "", "empty", "empty label")
    if len(cells) == 1:
        return resolve_region(cells[0], parent_code=parent)
    outer = resolve_region(cells[0], parent_code=parent)
    context = outer.code if outer.status in ("ok", "total") and outer.code else parent
    inner = resolve_region(cells[-1], parent_code=context)
    if inner.status == "unknown" and outer.status in ("ok", "total"):
        return inner
    return inner


def _table_parent(matches: Sequence[RegionMatch], hint: str) -> str | None:
    """The region the table is about: the document's region, else the parent most rows share."""
    if hint:
        return hint
    known = all_known_regions()
    parents = Counter(
        known[m.code].parent_code for m in matches if m.status in ("ok", "out_of_scope") and m.code
    )
    return parents.most_common(1)[0][0] if parents else None


def _values(row: Sequence[str], columns: Sequence[Column]) -> list[Decimal | None]:
    out = []
    for col in columns:
        cell = parse_cell(row[col.index]) if col.index < len(row) else None
        out.append(cell.value if cell and not cell.is_percent else None)
    return out


def _is_share_row(row: Sequence[str], columns: Sequence[Column]) -> bool:
    cells = [row[c.index] for c in columns if not c.ignore and c.index < len(row)]
    parsed = [parse_cell(c) for c in cells]
    numbers = [p for p in parsed if p is not None and p.value is not None]
    return bool(numbers) and all(
        p.is_percent or (p.value <= 100 and p.value != p.value.to_integral_value()) for p in numbers
    )


def _sum_matches(total: Decimal, parts: Sequence[Decimal]) -> bool:
    if not parts:
        return False
    sum_ = sum(parts)
    return abs(total - sum_) <= max(Decimal("0.006") * abs(total), Decimal(1))


# --- periods and emission --------------------------------------------------------------------


# A stock indicator printed as what happened in the period (地理标志商标注册量 in a 1-10月 table).
_FLOW_WORDS = re.compile(r"注册量|授权量|申请量|登记量|受理量|新增|核准")


def _period(
    indicator: str, year: int | None, caption: Caption, label: str = ""
) -> tuple[str, dt.date] | None:
    kind = indicators()[indicator].kind
    if kind == "stock" and caption.period.kind == "ytd" and _FLOW_WORDS.search(label):
        kind = "flow"
    stated = caption.period
    if stated.kind in ("ytd", "stock", "half") and stated.end and year in (None, stated.end.year):
        if kind in ("stock", "ratio"):
            return "stock", stated.end
        if stated.end.month == 12 and stated.end.day == 31:
            return "year", stated.end  # a flow up to the year's end is the year's flow
        return ("half" if stated.kind == "half" else "ytd"), stated.end
    year = year or (stated.end.year if stated.end else None)
    if year is None:
        return None
    return ("year" if kind == "flow" else "stock"), dt.date(year, 12, 31)


@dataclass(frozen=True)
class _Cell:
    region_code: str
    region_label: str
    indicator: str
    unit: str
    year: int | None
    text: str
    row_label: str
    column_label: str
    location: str


def _emit(cell: _Cell, caption: Caption, result: TableResult) -> None:
    parsed = parse_cell(cell.text)
    if parsed is None:
        result.skipped.append(Skipped(cell.location, cell.text, "cell is not a number"))
        return
    if parsed.value is None or parsed.is_percent:
        return
    period = _period(cell.indicator, cell.year, caption, cell.column_label)
    if period is None:
        result.skipped.append(
            Skipped(
                cell.location, cell.text, f"no year for {cell.indicator} in the header or caption"
            )
        )
        return
    unit, note = cell.unit, ""
    ind = indicators()[cell.indicator]
    if not unit and ind.kind != "ratio" and parsed.value == parsed.value.to_integral_value():
        unit, note = ind.unit, f" (单位未注明，按{ind.unit}计)"
    result.observations.append(
        RawObservation(
            region_label=cell.region_label,
            indicator_label=cell.column_label,
            period_kind=period[0],
            period_end=period[1],
            value=parsed.value,
            unit=unit,
            evidence=f"{caption.title} | {cell.row_label} | {cell.column_label} | {cell.text}{note}",
            location=cell.location,
            region_code=cell.region_code,
            indicator=cell.indicator,
        )
    )


_FOREIGN = frozenset(label_key(w) for w in ("国外", "国外小计", "外国", "国外来华", "Foreign"))
_DOMESTIC = frozenset(label_key(w) for w in ("国内小计", "国内", "Domestic Sub-total", "Domestic"))


def _region_rows(
    grid, layout: _Layout, columns: list[Column], caption: Caption, context: TableContext, name: str
) -> TableResult:
    result = TableResult()
    value_columns = [c for c in columns if c.indicator and not c.ignore]
    width = layout.label_width
    labels = {i: _label_cells(grid[i], width) for i in layout.data}
    cjk_table = any(_CJK.search(c) for cells in labels.values() for c in cells)
    parent = _table_parent(
        [_resolve_row(cells, None) for cells in labels.values()], context.region_code
    )
    keys = {label_key(clean_label(" ".join(cells))) for cells in labels.values()}
    # With 国内/国外 rows, 合计 includes foreign applicants: 国内小计 is the national figure.
    split_by_origin = bool(keys & (_DOMESTIC | _FOREIGN))
    national = parent == NATIONAL_CODE or split_by_origin
    known = all_known_regions()
    resolved: dict[int, str] = {}
    previous = ""
    for i in layout.data:
        cells, row = labels[i], grid[i]
        text = " ".join(cells)
        where = f"{context.location}{name} row {i + 1}"
        if cjk_table and cells and not any(_CJK.search(c) for c in cells):
            continue  # the English share row under a Chinese count row
        if not cells:
            if i == layout.data[0] and parent:
                resolved[i] = parent
            elif any(_is_number(row[c.index]) for c in value_columns):
                result.skipped.append(
                    Skipped(
                        where,
                        " | ".join(row),
                        "unlabelled row below the regions: a group subtotal, not a region",
                    )
                )
            continue
        key = label_key(clean_label(text))
        if national and key in _DOMESTIC:
            resolved[i] = NATIONAL_CODE
            continue
        match = _resolve_row(cells, parent)
        if match.status == "total" and national and split_by_origin:
            continue  # 合计 with foreign applicants: no region's figure
        if match.status == "total" and match.code:
            resolved[i] = match.code
        elif match.status == "ok":
            if match.code == previous and _is_share_row(row, value_columns):
                continue
            resolved[i] = match.code
        elif match.status in ("unknown", "total", "empty"):
            if any(_is_number(row[c.index]) for c in value_columns):
                result.skipped.append(Skipped(where, text, f"row label: {match.reason}"))
        previous = resolved.get(i, previous)
    _check_unlabelled_total(grid, layout, value_columns, resolved, result, context, name)
    for i, code in resolved.items():
        row = grid[i]
        label = " ".join(labels[i]) or f"(无标签行 = {known[code].name})"
        for col in value_columns:
            _emit(
                _Cell(
                    code,
                    label,
                    col.indicator,
                    col.unit,
                    col.year,
                    row[col.index],
                    label,
                    col.label,
                    f"{context.location}{name} row {i + 1} col {col.index + 1}",
                ),
                caption,
                result,
            )
    return result


def _check_unlabelled_total(grid, layout, value_columns, resolved, result, context, name) -> None:
    """An unlabelled first row is the table's total only if it adds up to the regions below."""
    first = layout.data[0] if layout.data else None
    if first is None or first not in resolved or _label_cells(grid[first], layout.label_width):
        return
    code = resolved[first]
    children = [
        i for i, c in resolved.items() if i != first and all_known_regions()[c].parent_code == code
    ]
    for col in value_columns:
        total = parse_cell(grid[first][col.index])
        parts = [parse_cell(grid[i][col.index]) for i in children]
        if total is None or total.value is None or any(p is None or p.value is None for p in parts):
            continue
        if _sum_matches(total.value, [p.value for p in parts]):
            return
        break
    del resolved[first]
    result.skipped.append(
        Skipped(
            f"{context.location}{name} row {first + 1}",
            " | ".join(grid[first]),
            "unlabelled first row does not add up to the regions below: not taken as the total",
        )
    )


def _is_component(indicator: str, group: str) -> bool:
    return bool(group) and indicator in {t for _, t in indicators()[group].components}


def _row_indicator(label: str, group: str):
    """A row's indicator; a ``#发明`` / ``其中：发明`` / ``实用新型`` row under ``授权专利数`` is a part of
    the row group's indicator."""
    match = resolve_indicator(_SUBPART.sub("", label))
    if match.status == "ok" or not group:
        return match
    part = clean_label(_SUBPART.sub("", label))
    component = resolve_indicator(f"{indicators()[group].name_zh}{part}")
    return component if component.status == "ok" and component.id != group else match


def _indicator_rows(
    grid, layout: _Layout, columns: list[Column], caption: Caption, context: TableContext, name: str
) -> TableResult:
    result = TableResult()
    unit_column = next(
        (
            j
            for j in range(len(grid[0]))
            if _UNIT_COLUMN.match(label_key(flatten_header(grid, layout.header, j)) or "-")
        ),
        None,
    )
    value_columns = [c for c in columns if not c.ignore]
    if not any(c.year or c.region_code for c in value_columns):
        value_columns = value_columns[:1]
    group = ""
    for i in layout.data:
        row = grid[i]
        cells = _distinct(c for j, c in enumerate(row[: layout.label_width]) if j != unit_column)
        label = cells[-1] if cells else ""
        where = f"{context.location}{name} row {i + 1}"
        match = _row_indicator(label, group)
        if match.status == "ok" and not _SUBPART.match(label):
            group = group if _is_component(match.id, group) else match.id
        if match.status != "ok":
            if match.status == "unknown" and any(_is_number(row[c.index]) for c in value_columns):
                result.skipped.append(Skipped(where, label, f"row label: {match.reason}"))
            continue
        printed = unit_of(label) or (row[unit_column].strip() if unit_column is not None else "")
        for col in value_columns:
            region = col.region_code or context.region_code
            if not region:
                result.skipped.append(
                    Skipped(where, label, "the table does not say which region it is about")
                )
                break
            unit = printed or _column_unit(col.label, match.id, caption)
            _emit(
                _Cell(
                    region,
                    all_known_regions()[region].name,
                    match.id,
                    unit,
                    col.year,
                    row[col.index],
                    label,
                    col.label or caption.title,
                    f"{where} col {col.index + 1}",
                ),
                caption,
                result,
            )
    return result


# --- entry points ----------------------------------------------------------------------------


def _has_values(grid: Sequence[Sequence[str]], first: int, last: int) -> bool:
    return any(_is_number(c) for row in grid for c in row[first:last])


def _segments(grid: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    """Column ranges of side-by-side record blocks (CNIPA monthly: two records per row)."""
    for row in grid[:8]:
        starts = [
            j
            for j, c in enumerate(row)
            if label_key(clean_label(c)) in _REGION_HEADERS and (j == 0 or row[j - 1] != c)
        ]
        # A region column with no values after it is the English label column of a bilingual
        # table (地区 … Region), not a second block of records.
        starts = [j for j in starts if _has_values(grid, j + 1, len(row))]
        if len(starts) >= 2:
            return list(zip(starts, [*starts[1:], len(row)], strict=True))
    return [(0, len(grid[0]) if grid else 0)]


def extract_table(
    rows: Sequence[Sequence[str]],
    *,
    before: Sequence[str] = (),
    after: Sequence[str] = (),
    context: TableContext = TableContext(),
    name: str = "table",
) -> TableResult:
    """Observations of one table; an unreadable table is one ``skipped`` entry with the reason."""
    grid = [
        [join_fragments(c) if "\n" in (c or "") else " ".join((c or "").split()) for c in row]
        for row in rows
    ]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    result = TableResult()
    for start, end in _segments(grid):
        part = [row[start:end] for row in grid]
        layout = find_layout(part)
        label = name if (start, end) == (0, width) else f"{name} cols {start + 1}-{end}"
        # Rows above the header are the caption: title, unit line, period line, metadata.
        top = layout.header[0] if layout and layout.header else (layout.data[0] if layout else 0)
        above = [text for row in grid[:top] for text in _distinct(row)]
        caption = read_caption([*before, *above], after=after, document_title=context.title)
        if layout is None:
            if any(_is_number(c) for row in part for c in row):
                result.skipped.append(
                    Skipped(
                        f"{context.location}{label}",
                        caption.title,
                        "no row names a region or an indicator: unknown layout",
                    )
                )
            continue
        # Lines between the header and the first rows (a unit line inside the table) count too.
        columns = read_columns(part, layout, caption)
        reader = _region_rows if layout.orientation == "regions" else _indicator_rows
        result.extend(reader(part, layout, columns, caption, context, label))
    return result
