"""国家知识产权局 (CNIPA): statistical yearbook tables by province.

Discovery walks the yearbook's section index pages (``year{YYYY}/{s}.html``) and follows the table
links inside ``.style2`` (skipping ``indexy.html``). Parsing reads the region × year layout: the
caption row names the indicator, the header row holds the year columns, the region sits in one
bilingual cell or in two cells (Chinese | English); 合计 and 国外 are not regions and 国内小计 is the
national domestic figure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from urllib.parse import urljoin

from lxml import html as lxml_html

from sources.errors import ParseError
from sources.extract.numbers import parse_cell
from sources.normalise import resolve_indicator
from sources.publishers.base import Fetch, Publisher
from sources.records import Document, DocumentRef, ParseResult, QuarantineRow, RawObservation
from sources.reference import indicators

PUBLISHER = Publisher(
    name="cnipa",
    title_zh="国家知识产权局",
    hosts=("www.cnipa.gov.cn", "english.cnipa.gov.cn"),
    tier="official",
    cadence="yearly",
    entry_points=(
        "https://www.cnipa.gov.cn/tjxx/jianbao/year2023/c.html",
        "https://www.cnipa.gov.cn/tjxx/jianbao/year2023/f.html",
    ),
)

_YEAR = re.compile(r"^((?:19|20)\d{2})年?$")
_REGION_HEADER = re.compile(r"地区|Region", re.I)
_TOTAL = re.compile(r"合计|Total", re.I)
# Table number, patentee-type and regional qualifiers, and years are not part of the indicator.
_INDICATOR_PART = re.compile(r"^\d+-\d+\s*|分地区|分专利权人类型|[（(][^)）]*[)）]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
NATIONAL_DOMESTIC = {"国内小计", "国内"}
NOT_REGIONS = {"合计", "总计", "国外", "国外小计"}


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    for entry in PUBLISHER.entry_points:
        index = fetch(entry)
        tree = lxml_html.fromstring(index.content)
        for anchor in tree.xpath("//*[contains(@class,'style2')]//a[@href]"):
            href = anchor.get("href")
            if href.endswith("indexy.html"):
                continue
            yield DocumentRef(
                publisher=PUBLISHER.name,
                url=urljoin(entry, href),
                title=" ".join(anchor.text_content().split()),
                found_on=entry,
            )


def _grid(table) -> list[list[str]]:
    """Cell texts with rowspan/colspan resolved into a rectangle; <br> kept as a space."""
    grid: list[list[str | None]] = []
    for r, tr in enumerate(table.xpath("./tr|./tbody/tr|./thead/tr")):
        while len(grid) <= r:
            grid.append([])
        row = grid[r]
        c = 0
        for cell in tr.xpath("./td|./th"):
            while c < len(row) and row[c] is not None:
                c += 1
            for br in cell.xpath(".//br"):
                br.tail = " " + (br.tail or "")
            value = " ".join(cell.text_content().split())
            rowspan = int(cell.get("rowspan") or 1)
            colspan = int(cell.get("colspan") or 1)
            for dr in range(rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                while len(target) < c + colspan:
                    target.append(None)
                for dc in range(colspan):
                    target[c + dc] = value
            c += colspan
    width = max((len(row) for row in grid), default=0)
    return [[cell or "" for cell in row] + [""] * (width - len(row)) for row in grid]


def _caption(tree) -> str:
    # The bold caption above the table carries the year; the <title> often omits it.
    for text in [*tree.xpath("//b/text()"), *tree.xpath("//title/text()")]:
        text = " ".join(text.split())
        if re.match(r"^\d+-\d+", text):
            return text
    return ""


def _header_labels(grid: list[list[str]]) -> tuple[int, int, list[str]] | None:
    """(first header row, first data row, one flattened label per column), found by keywords."""
    start = next(
        (i for i, row in enumerate(grid) if _REGION_HEADER.search("".join(row[0].split()))), None
    )
    if start is None:
        return None
    end = start + 1
    while end < len(grid) and grid[end][0] == grid[start][0]:
        end += 1
    labels = []
    for j in range(len(grid[start])):
        parts: list[str] = []
        for i in range(start, end):
            if grid[i][j] and grid[i][j] not in parts:
                parts.append(grid[i][j])
        labels.append(" / ".join(parts))
    return start, end, labels


def _value_columns(labels: list[str], caption_year: int | None) -> dict[int, tuple[int, str]]:
    """Column → (year, label): year columns, else the 合计 column in the caption's year."""
    years = {}
    for j, label in enumerate(labels):
        last = label.split(" / ")[-1].strip()
        if _YEAR.match(last):
            years[j] = (int(_YEAR.match(last).group(1)), label)
    if years or caption_year is None:
        return years
    total = next((j for j, label in enumerate(labels) if j and _TOTAL.search(label)), None)
    return {} if total is None else {total: (caption_year, labels[total])}


def parse(document: Document) -> ParseResult:
    try:
        tree = lxml_html.fromstring(document.content)
    except Exception as err:
        raise ParseError(f"not an HTML page: {err}", where=document.url) from None
    caption = _caption(tree)
    year_in_caption = re.search(r"[（(]((?:19|20)\d{2})年?[)）]", caption)
    indicator = resolve_indicator(_INDICATOR_PART.sub("", caption))
    if indicator.status != "ok":
        raise ParseError(f"table {caption!r}: {indicator.reason}", where=document.url)
    kind = indicators()[indicator.id].kind
    result = ParseResult()
    for number, table in enumerate(tree.xpath("//table"), start=1):
        grid = _grid(table)
        found = _header_labels(grid)
        if found is None:
            continue
        _start, first_data, labels = found
        columns = _value_columns(labels, int(year_in_caption.group(1)) if year_in_caption else None)
        if not columns:
            continue
        label_width = min(columns)
        for i in range(first_data, len(grid)):
            row = grid[i]
            label = next((c for c in row[:label_width] if _CJK.search(c)), "")
            key = "".join(label.split())
            if not key or key in NOT_REGIONS:
                continue
            for j, (year, column_label) in columns.items():
                cell = parse_cell(row[j])
                if cell is None:
                    result.quarantine.append(
                        QuarantineRow(
                            document.sha256,
                            PUBLISHER.name,
                            f"table {number} row {i + 1} col {j + 1}",
                            row[j],
                            "cell is not a number",
                            document.url,
                        )
                    )
                    continue
                if cell.value is None or cell.is_percent:
                    continue
                result.observations.append(
                    RawObservation(
                        region_label=label,
                        indicator_label=caption,
                        period_kind="stock" if kind == "stock" else "year",
                        period_end=dt.date(year, 12, 31),
                        value=cell.value,
                        unit="件",
                        evidence=f"{caption} | 行 {' '.join(row[:label_width])} | 列 {column_label} | 值 {row[j]}",
                        location=f"table {number} row {i + 1} col {j + 1}",
                        region_code="100000" if key in NATIONAL_DOMESTIC else "",
                        indicator=indicator.id,
                    )
                )
    if not result.observations and not result.quarantine:
        result.quarantine.append(
            QuarantineRow(
                document.sha256,
                PUBLISHER.name,
                "document",
                caption or document.url,
                "no region table found: unknown layout",
                document.url,
            )
        )
    return result
