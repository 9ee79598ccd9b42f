"""上海市知识产权局 (sipa.sh.gov.cn): the yearly white paper and media reposts with city figures.

Discovery reads the 上海知识产权状况 and 媒体解读 columns (``ul.uli14.nowrapli.list-date li``
items, date in a ``<span>`` as ``YYYY.MM.DD``) and follows items whose titles are about IP
statistics or status. The white paper's URL carries its upload date; the on-page 时间 wins.
Parsing is the generic prose extraction with 全市 = Shanghai.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import discover_notices, parse_with_extractors
from sources.records import Document, DocumentRef, ParseResult

PUBLISHER = Publisher(
    name="shanghai_ip",
    title_zh="上海市知识产权局",
    hosts=("sipa.sh.gov.cn",),
    tier="official",
    cadence="yearly",
    entry_points=(
        "https://sipa.sh.gov.cn/shzscqzk/",
        "https://sipa.sh.gov.cn/2020mtjd/",
    ),
)
SHANGHAI = "310000"
_STATISTICS = re.compile(r"白皮书|知识产权.*(状况|统计|数据|工作会议)|专利.*(统计|数据)")


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    return discover_notices(fetch, PUBLISHER, _STATISTICS)


def parse(document: Document) -> ParseResult:
    return parse_with_extractors(document, region_code=SHANGHAI)
