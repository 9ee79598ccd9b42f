"""安徽省市场监督管理局（省知识产权局）: notices with the 16 cities' IP statistics and the yearly
status report.

Discovery reads the 公示公告 listing (``li`` items under ``div.navjz``, ``title`` attribute, date
cell) and follows notices whose titles are about IP statistics, and their XLS/XLSX/PDF
attachments. Parsing is the generic table and prose extraction: city tables with a spaced
``全 省`` row, units in headers or a unit line, rank and growth columns; prose with 全省 figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import discover_notices, parse_with_extractors
from sources.records import Document, DocumentRef, ParseResult

PUBLISHER = Publisher(
    name="anhui_amr",
    title_zh="安徽省市场监督管理局（安徽省知识产权局）",
    hosts=("amr.ah.gov.cn",),
    tier="official",
    cadence="yearly",
    entry_points=("https://amr.ah.gov.cn/xwdt/gsgg/index.html",),
)
ANHUI = "340000"
_STATISTICS = re.compile(
    r"知识产权.*(统计|指标|状况|数据)|专利.*统计|商标.*统计|质押|示范企业|优势企业|贯标"
)


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    return discover_notices(fetch, PUBLISHER, _STATISTICS)


def parse(document: Document) -> ParseResult:
    return parse_with_extractors(document, region_code=ANHUI)
