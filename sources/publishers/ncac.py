"""国家版权局 (www.ncac.gov.cn): the yearly 「关于YYYY年全国著作权登记情况的通报」.

Discovery reads the notice column (``/chinacopyright/channels/{id}.shtml``: ``li`` items, a titled
link and its date in a span) and keeps the registration notices. Each notice tabulates 作品登记
(合计, then one column per type of work) for 全国合计, the 31 provinces and 中国版权保护中心.
Parsing is the generic table extraction: the caption names the indicator and 合计 is its column
(the type columns name none and are left alone); provinces outside the Yangtze Delta are
recognised and left out, 全国合计 is the national figure (100000), and the centre's own row is a
known non-region row (``region_labels.yaml``), never a province.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sources.errors import ParseError
from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import discover_notices, parse_with_extractors
from sources.records import Document, DocumentRef, ParseResult
from sources.waf import detect_interstitial

PUBLISHER = Publisher(
    name="ncac",
    title_zh="国家版权局",
    hosts=("www.ncac.gov.cn",),
    tier="official",
    cadence="yearly",
    entry_points=("https://www.ncac.gov.cn/chinacopyright/channels/12542.shtml",),
)
_REGISTRATION_NOTICE = re.compile(r"著作权登记情况")


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    return discover_notices(fetch, PUBLISHER, _REGISTRATION_NOTICE, follow_attachments=False)


def parse(document: Document) -> ParseResult:
    # An archived interstitial would otherwise read as a notice without figures; say what it is.
    interstitial = detect_interstitial(document.content)
    if interstitial:
        raise ParseError(f"not the notice but a {interstitial}", where=document.url)
    return parse_with_extractors(document)
