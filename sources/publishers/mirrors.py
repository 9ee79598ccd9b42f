"""Secondary copies: reposts of official releases on news sites and mirrors (tier secondary).

Some real figures are only known through a repost (a newspaper's copy of a press conference, a
mirror that keeps the original path). Each such page is listed in ``mirror_pages.csv`` beside this
module (url, the region it is about, its date, its title); there is no listing to walk. Parsing is
the generic extraction. An official document with the same key always wins over a copy.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from sources.errors import ConfigError
from sources.publishers.base import Fetch, Publisher
from sources.publishers.generic import parse_with_extractors
from sources.records import Document, DocumentRef, ParseResult

PAGES = Path(__file__).with_name("mirror_pages.csv")


@lru_cache(maxsize=1)
def pages() -> tuple[dict[str, str], ...]:
    with PAGES.open(encoding="utf-8") as handle:
        rows = tuple(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        if not urlsplit(row["url"]).hostname:
            raise ConfigError(f"not a URL: {row['url']!r}", where=f"{PAGES.name}:{number}")
    return rows


PUBLISHER = Publisher(
    name="mirrors",
    title_zh="转载与镜像页面",
    hosts=tuple(sorted({urlsplit(row["url"]).hostname for row in pages()})),
    tier="secondary",
    cadence="yearly",
)


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    for row in pages():
        yield DocumentRef(PUBLISHER.name, row["url"], row["title"], _date(row["published_on"]))


def parse(document: Document) -> ParseResult:
    region = next((row["region_code"] for row in pages() if row["url"] == document.url), "")
    return parse_with_extractors(document, region_code=region)
