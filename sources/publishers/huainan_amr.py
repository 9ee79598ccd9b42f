"""淮南市市场监督管理局（知识产权局）: press releases and work reports with Huainan's figures.

Column listings are paged (``/content/column/{id}?pageIndex=N``, page count in page JS); each
release is a ``/public/content/{id}`` page whose body starts with a date/source line. Figures are
in sentences (截至2023年底…, 1-9月…), about Huainan (全市).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import discover_notices, parse_with_extractors
from sources.records import Document, DocumentRef, ParseResult

PUBLISHER = Publisher(
    name="huainan_amr",
    title_zh="淮南市市场监督管理局（淮南市知识产权局）",
    hosts=("scjgj.huainan.gov.cn",),
    tier="official",
    cadence="quarterly",
    entry_points=("https://scjgj.huainan.gov.cn/content/column/4697291?pageIndex=1",),
)
HUAINAN = "340400"
_STATISTICS = re.compile(r"知识产权|专利|商标|质押|地理标志|版权")


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    return discover_notices(fetch, PUBLISHER, _STATISTICS)


def parse(document: Document) -> ParseResult:
    return parse_with_extractors(document, region_code=HUAINAN)
