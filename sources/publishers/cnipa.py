"""国家知识产权局 (CNIPA): statistical yearbook tables by province.

Discovery walks the yearbook's section index pages (``year{YYYY}/{s}.html``) and follows the table
links inside ``.style2`` (skipping ``indexy.html``). Parsing is the generic table extraction
(region × year or region × patentee-type layouts, bilingual or English-only, share rows); 国内小计
is the national figure, and patents in force before the 2021 method break are their own series.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import urljoin

from lxml import html as lxml_html

from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import parse_with_extractors
from sources.records import Document, DocumentRef, ParseResult, RawObservation

PUBLISHER = Publisher(
    name="cnipa",
    title_zh="国家知识产权局",
    hosts=("www.cnipa.gov.cn", "english.cnipa.gov.cn"),
    tier="official",
    cadence="yearly",
    entry_points=(
        "https://www.cnipa.gov.cn/tjxx/jianbao/year2023/c.html",
        "https://www.cnipa.gov.cn/tjxx/jianbao/year2023/f.html",
        "https://english.cnipa.gov.cn/jianbao/year2022/c.html",
        "https://english.cnipa.gov.cn/jianbao/year2022/h.html",
    ),
)

# Quirk 19: from the 2021 figures on, CNIPA counts patents in force by the patentee's address,
# before by the applicant's. The earlier years are kept as their own series, never spliced.
METHOD_BREAK_YEAR = 2021
BREAK_SERIES = "applicant_address"
_BY_ADDRESS = frozenset(
    {"valid_patents", "valid_invention_patents", "valid_utility_models", "valid_designs"}
)


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    for entry in PUBLISHER.entry_points:
        index = fetch(entry)
        tree = lxml_html.fromstring(index.content)
        for anchor in tree.xpath("//*[contains(@class,'style2')]//a[@href]"):
            href = anchor.get("href")
            if href.endswith("indexy.html"):
                continue
            yield DocumentRef(
                publisher=PUBLISHER.name,
                url=urljoin(entry, href),
                title=" ".join(anchor.text_content().split()),
                found_on=entry,
            )


def _series(raw: RawObservation) -> RawObservation:
    if raw.indicator in _BY_ADDRESS and raw.period_end.year < METHOD_BREAK_YEAR:
        return replace(raw, series=BREAK_SERIES)
    return raw


def parse(document: Document) -> ParseResult:
    """Yearbook tables by region: 国内小计 is the national figure, 合计 (with foreign) is not."""
    result = parse_with_extractors(document)
    result.observations = [_series(raw) for raw in result.observations]
    return result
