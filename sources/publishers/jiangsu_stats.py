"""江苏省统计局 (tj.jiangsu.gov.cn): the statistical yearbook's population tables and dated
population news.

The yearbook is static HTML, one table per page (``/2019/nj03/nj0306.htm``: spaced city names,
an empty-label province row, unlabelled 苏南/苏中/苏北 subtotal rows), reached from the
yearbook's table of contents, whose links carry no dates. News items sit in a Hanweb column
listing with dated records.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import discover_notices, parse_with_extractors
from sources.publishers.listing import links_where, same_site
from sources.records import Document, DocumentRef, ParseResult

YEARBOOK_INDEX = "http://tj.jiangsu.gov.cn/2019/indexc.htm"
NEWS_COLUMN = "http://tj.jiangsu.gov.cn/col/col85276/index.html"
PUBLISHER = Publisher(
    name="jiangsu_stats",
    title_zh="江苏省统计局",
    hosts=("tj.jiangsu.gov.cn",),
    tier="official",
    cadence="yearly",
    entry_points=(NEWS_COLUMN, YEARBOOK_INDEX),
)
JIANGSU = "320000"
_WANTED = re.compile(r"人口|专利|商标|知识产权|市场主体|经营主体")
_YEARBOOK_TABLE = re.compile(r"/nj\d{2}/nj\d{4}\.htm$", re.I)


def yearbook_tables(content: bytes, index_url: str) -> list[tuple[str, str]]:
    """(url, title) of the yearbook tables a table of contents links to, each once."""
    return links_where(content, index_url, _YEARBOOK_TABLE.search)


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    news = dataclasses.replace(PUBLISHER, entry_points=(NEWS_COLUMN,))
    yield from discover_notices(fetch, news, _WANTED, follow_attachments=False)
    index = fetch(YEARBOOK_INDEX)
    for url, title in yearbook_tables(index.content, YEARBOOK_INDEX):
        if same_site(url, PUBLISHER.hosts) and _WANTED.search(title):
            yield DocumentRef(PUBLISHER.name, url, title, None, YEARBOOK_INDEX)


def parse(document: Document) -> ParseResult:
    return parse_with_extractors(document, region_code=JIANGSU)
