"""淮南市统计局: statistical bulletins (常住人口, 市场主体/经营主体) and census bulletins.

Bulletins are prose with small tables; the census bulletin's table has spaced district names
(``全 市``, ``大 通 区``), a two-row header and ``[1]`` footnote markers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import discover_notices, parse_with_extractors
from sources.records import Document, DocumentRef, ParseResult

PUBLISHER = Publisher(
    name="huainan_stats",
    title_zh="淮南市统计局",
    hosts=("tjj.huainan.gov.cn",),
    tier="official",
    cadence="yearly",
    entry_points=("https://tjj.huainan.gov.cn/content/column/6610931?pageIndex=1",),
)
HUAINAN = "340400"
_STATISTICS = re.compile(r"统计公报|人口普查公报|人口")


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    return discover_notices(fetch, PUBLISHER, _STATISTICS, follow_attachments=False)


def parse(document: Document) -> ParseResult:
    return parse_with_extractors(document, region_code=HUAINAN)
