"""浙江省统计局 (tjj.zj.gov.cn): Zhejiang's denominators, year-end 常住人口 and 市场主体 by city.

Both come as yearly releases of the 统计公报 column, a Hanweb column listing of the same CMS
family as zjamr (``/col/col<id>/index.html``, records as ``<record><![CDATA[ … ]]></record>`` with
``[YYYY-MM-DD]`` dates, articles at ``/art/YYYY/M/D/art_<col>_<id>.html``):

* 「YYYY年浙江省人口主要数据公报」: the province's 年末常住人口 in prose and a table of the 11
  cities (万人). Population keeps its vintage (``sources.normalise.population_vintage``).
* 「YYYY年浙江省国民经济和社会发展统计公报」: registered 市场主体 with a table by city; the 2023
  edition says 经营主体, the same series (one indicator, ``market_entities``).

A 公报 whose city table is missing or cut short is an error, not a silent partial year: these are
the denominators of every Zhejiang per-10k ratio.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sources.errors import ParseError
from sources.extract.encoding import decode_html
from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import discover_notices, parse_with_extractors
from sources.records import Document, DocumentRef, ParseResult
from sources.reference.matching import resolve_indicator

PUBLISHER = Publisher(
    name="zhejiang_stats",
    title_zh="浙江省统计局",
    hosts=("tjj.zj.gov.cn",),
    tier="official",
    cadence="yearly",
    entry_points=("https://tjj.zj.gov.cn/col/col1229129205/index.html",),
)
ZHEJIANG = "330000"
CITIES = 11
_WANTED = re.compile(r"人口主要数据公报|国民经济和社会发展统计公报")
# What each kind of 公报 must print for the province and every city.
_EXPECTED = (
    (re.compile(r"人口主要数据公报"), "population", "年末常住人口"),
    (re.compile(r"国民经济和社会发展统计公报"), "market_entities", "市场主体（经营主体）"),
)


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    return discover_notices(fetch, PUBLISHER, _WANTED, follow_attachments=False)


def _regions_with(result: ParseResult, indicator: str) -> set[str]:
    found = set()
    for raw in result.observations:
        resolved = raw.indicator or resolve_indicator(raw.indicator_label).id
        if resolved == indicator:
            found.add(raw.region_code or raw.region_label)
    return found


def _title(document: Document) -> str:
    """The listing's title, else the page's own (a document fetched by URL alone)."""
    from sources.extract.document import html_title  # the extractors load lazily, as in generic

    if document.title:
        return document.title
    return html_title(decode_html(document.content)[0])


def parse(document: Document) -> ParseResult:
    result = parse_with_extractors(document, region_code=ZHEJIANG)
    title = _title(document)
    for pattern, indicator, label in _EXPECTED:
        if not pattern.search(title):
            continue
        regions = _regions_with(result, indicator)
        if len(regions - {ZHEJIANG}) < CITIES:
            raise ParseError(
                f"{title} prints {label} for {len(regions - {ZHEJIANG})} of the {CITIES} cities: "
                "the city table is missing or cut short",
                where=document.url,
            )
        break
    return result
