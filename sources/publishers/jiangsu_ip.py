"""江苏省知识产权局 (jsip.jiangsu.gov.cn) and the city market-regulation (IP) bureaus of Wuxi and
Nantong: province monthly statistics, the Wuxi white paper, Nantong's monthly bulletin.

All three are column listings of dated links: jsip's Hanweb records (``div.text`` and
``div.text-date`` inside ``div#div75904``), the city bureaus' ``li`` lists. Pages open with an
open-government metadata block before the body. Figures are year-to-date (``1-9月``) or stocks
at month end (``截至9月底``); 全市 means the city whose bureau published the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import discover_notices, parse_with_extractors
from sources.records import Document, DocumentRef, ParseResult

PUBLISHER = Publisher(
    name="jiangsu_ip",
    title_zh="江苏省知识产权局及设区市市场监督管理局（知识产权局）",
    hosts=("jsip.jiangsu.gov.cn", "scjgj.wuxi.gov.cn", "scjgj.nantong.gov.cn"),
    tier="official",
    cadence="monthly",
    entry_points=(
        "https://jsip.jiangsu.gov.cn/col/col85036/index.html",
        "https://scjgj.wuxi.gov.cn/zfxxgk/xxgkml/zscq/index.shtml",
        "http://scjgj.nantong.gov.cn/ntsgsj/cz/index.html",
    ),
)
JIANGSU = "320000"
REGION_BY_HOST = {
    "jsip.jiangsu.gov.cn": JIANGSU,
    "scjgj.wuxi.gov.cn": "320200",
    "scjgj.nantong.gov.cn": "320600",
}
_STATISTICS = re.compile(r"知识产权.*(数据|统计|状况|指标)|专利.*(统计|数据)|白皮书")


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    return discover_notices(fetch, PUBLISHER, _STATISTICS)


def parse(document: Document) -> ParseResult:
    host = urlsplit(document.final_url or document.url).hostname or ""
    return parse_with_extractors(document, region_code=REGION_BY_HOST.get(host, JIANGSU))
