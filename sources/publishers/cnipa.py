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
from sources.publishers.base import Fetch, Publisher
from sources.records import Document, DocumentRef, ParseResult, QuarantineRow, RawObservation

PUBLISHER = Publisher(
    name="cnipa",
    title_zh="国家知识产权局",
    hosts=("www.cnipa.gov.cn", "english.cnipa.gov.cn"),
    tier="official",
    cadence="yearly",
    entry_points=("https://www.cnipa.gov.cn/tjxx/jianbao/year2023/f.html",),
)

_YEAR = re.compile(r"^((?:19|20)\d{2})年?$")
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
    for text in tree.xpath("//b/text()|//title/text()"):
        text = " ".join(text.split())
        if re.match(r"^\d+-\d+", text):
            return text
    return ""


def parse(document: Document) -> ParseResult:
    try:
        tree = lxml_html.fromstring(document.content)
    except Exception as err:
        raise ParseError(f"not an HTML page: {err}", where=document.url) from None
    caption = _caption(tree)
    result = ParseResult()
    for number, table in enumerate(tree.xpath("//table"), start=1):
        grid = _grid(table)
        header = next((i for i, row in enumerate(grid) if any(_YEAR.match(c) for c in row)), None)
        if header is None:
            continue
        years = {
            j: int(_YEAR.match(c).group(1)) for j, c in enumerate(grid[header]) if _YEAR.match(c)
        }
        indicator_label = next(
            (grid[i][j] for i in range(header) for j in years if grid[i][j]), caption
        )
        for i in range(header + 1, len(grid)):
            row = grid[i]
            label = next((c for c in row[: min(years)] if _CJK.search(c)), "")
            if not label:
                continue
            key = "".join(label.split())
            if key in NOT_REGIONS:
                continue
            for j, year in years.items():
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
                        indicator_label=indicator_label,
                        period_kind="year",
                        period_end=dt.date(year, 12, 31),
                        value=cell.value,
                        unit="件",
                        evidence=f"{caption} | 行 {' '.join(row[: min(years)])} | 列 {grid[header][j]} | 值 {row[j]}",
                        location=f"table {number} row {i + 1} col {j + 1}",
                        region_code="100000" if key in NATIONAL_DOMESTIC else "",
                    )
                )
    if not result.observations and not result.quarantine:
        result.quarantine.append(
            QuarantineRow(
                document.sha256,
                PUBLISHER.name,
                "document",
                caption or document.url,
                "no region × year table found: unknown layout",
                document.url,
            )
        )
    return result
