"""上海市统计局 (tjj.sh.gov.cn): the district tables of the 上海统计年鉴 online edition.

The yearbook index (``/tjnj/index.html``) links each edition's table of contents
(``/tjnj/nj24.htm``), which links one static page per table (``/tjnj/2024tjnj/C0207.htm``); no
link carries a date, and the edition of year Y holds the data of Y-1. Discovery keeps the tables
by district with population or IP figures (「2-7 各区年末常住人口」, 「8-10 各区(县)有效发明专利
情况」). Each prints the 16 districts (three-character names spaced with U+3000, 「黄　浦　区」)
under a 「全　　市 Total」 row, which is Shanghai (310000), below bilingual headers and above
注/资料来源 footnote rows. Districts are regions of their own; Shanghai stays one city.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sources.errors import ParseError
from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import parse_with_extractors
from sources.publishers.listing import links_where, same_site
from sources.records import Document, DocumentRef, ParseResult

YEARBOOK_INDEX = "https://tjj.sh.gov.cn/tjnj/index.html"
PUBLISHER = Publisher(
    name="shanghai_stats",
    title_zh="上海市统计局",
    hosts=("tjj.sh.gov.cn",),
    tier="official",
    cadence="yearly",
    entry_points=(YEARBOOK_INDEX,),
)
SHANGHAI = "310000"
_EDITION = re.compile(r"/tjnj/nj\d{2}\.htm$", re.I)
_TABLE = re.compile(r"/tjnj/\d{4}tjnj/C\d{4}\.htm$", re.I)
# Tables by district with a figure the benchmark uses (户籍人口 is not the resident population).
_WANTED = re.compile(r"各区县?.*(常住人口|专利)")
# A district table without this many district rows is not the layout this parser knows.
MIN_DISTRICTS = 10


def editions(content: bytes, index_url: str) -> list[tuple[str, str]]:
    """(url, title) of the editions' tables of contents the yearbook index links."""
    return links_where(content, index_url, _EDITION.search)


def yearbook_tables(content: bytes, contents_url: str) -> list[tuple[str, str]]:
    """(url, title) of the tables an edition's table of contents links."""
    return links_where(content, contents_url, _TABLE.search)


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    index = fetch(YEARBOOK_INDEX)
    for contents_url, edition in editions(index.content, YEARBOOK_INDEX):
        if not same_site(contents_url, PUBLISHER.hosts):
            continue
        contents = fetch(contents_url)
        for url, title in yearbook_tables(contents.content, contents_url):
            if same_site(url, PUBLISHER.hosts) and _WANTED.search(title):
                yield DocumentRef(PUBLISHER.name, url, f"{edition} {title}", None, contents_url)


def parse(document: Document) -> ParseResult:
    result = parse_with_extractors(document, region_code=SHANGHAI)
    districts = {o.region_code for o in result.observations if o.region_code != SHANGHAI}
    if len(districts) < MIN_DISTRICTS:
        raise ParseError(
            f"no district table: {len(districts)} district rows where the yearbook prints 16",
            where=document.url,
        )
    return result
