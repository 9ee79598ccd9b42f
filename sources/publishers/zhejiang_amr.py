"""浙江省市场监督管理局（省知识产权局） (zjamr.zj.gov.cn) and a district bureau of the same family.

The yearly notice 「关于印发YYYY年全省专利授权量等统计数据的通知」 carries its attachments inline
as HTML tables (附件1: city blocks whose first cell spans the districts, 市本级 = urban districts
only, 合计 = the whole city; wrapped headers 实用<br>新型). Discovery reads the Hanweb column
listings (``<record><![CDATA[ … ]]></record>`` inside ``div id="5324848"``, dates ``[YYYY-MM-DD]``).
杭州高新区(滨江) (www.hhtz.gov.cn) publishes its yearly IP report on the same CMS; its 全区
figures are about 滨江区.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import discover_notices, parse_with_extractors
from sources.records import Document, DocumentRef, ParseResult

PUBLISHER = Publisher(
    name="zhejiang_amr",
    title_zh="浙江省市场监督管理局（浙江省知识产权局）",
    hosts=("zjamr.zj.gov.cn", "www.hhtz.gov.cn"),
    tier="official",
    cadence="yearly",
    entry_points=(
        "https://zjamr.zj.gov.cn/col/col1228969897/index.html",
        "https://www.hhtz.gov.cn/col/col1229250224/index.html",
    ),
)
ZHEJIANG = "330000"
REGION_BY_HOST = {"zjamr.zj.gov.cn": ZHEJIANG, "www.hhtz.gov.cn": "330108"}
_STATISTICS = re.compile(r"专利.*统计|统计数据|知识产权.*(状况|统计|数据)|有效发明|PCT")


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    return discover_notices(fetch, PUBLISHER, _STATISTICS)


def parse(document: Document) -> ParseResult:
    host = urlsplit(document.final_url or document.url).hostname or ""
    return parse_with_extractors(document, region_code=REGION_BY_HOST.get(host, ZHEJIANG))
