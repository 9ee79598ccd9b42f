"""安徽省统计局: yearbook tables by city (常住人口, 市场主体/经营主体), published as Excel
"save as web page" HTML (``cn3-{n}.files/sheet001.htm``, data rows ``height="19"``).

The yearbook of year Y holds data of Y-1; its table caption says which year. Population keeps its
vintage: the yearbooks before the 7th census carry the pre-census series.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import discover_notices, parse_with_extractors
from sources.records import Document, DocumentRef, ParseResult

PUBLISHER = Publisher(
    name="anhui_stats",
    title_zh="安徽省统计局",
    hosts=("tjj.ah.gov.cn",),
    tier="official",
    cadence="yearly",
    entry_points=("https://tjj.ah.gov.cn/ssah/qwfbjd/tjnj/index.html",),
)
ANHUI = "340000"
_STATISTICS = re.compile(r"人口|市场主体|经营主体|统计年鉴|统计公报")


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    return discover_notices(fetch, PUBLISHER, _STATISTICS, follow_attachments=False)


def parse(document: Document) -> ParseResult:
    return parse_with_extractors(document, region_code=ANHUI)
