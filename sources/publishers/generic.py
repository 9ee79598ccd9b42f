"""What most publishers share: walk dated listings to notices and their attachments, and parse a
document with the generic table and prose extractors.

A publisher module states its listing pages, which titles are statistics, and the region its
documents are about; everything else is common to the government CMSs of the four provinces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sources.errors import FetchError
from sources.publishers.base import Fetch, Publisher
from sources.publishers.listing import attachment_links, listing_items, page_count, same_site
from sources.records import Document, DocumentRef, ParseResult, QuarantineRow

MAX_LISTING_PAGES = 20


def _with_page(url: str, number: int) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["pageIndex"] = str(number)
    return urlunsplit(parts._replace(query=urlencode(query)))


def listing_pages(fetch: Fetch, entry: str) -> Iterable[tuple[str, Document]]:
    """The entry page and, for paged columns (``?pageIndex=N`` with ``pageCount`` in page JS),
    the further pages, bounded."""
    first = fetch(entry)
    yield entry, first
    if "pageIndex=" not in entry:
        return
    pages = min(page_count(first.content.decode("utf-8", "replace")), MAX_LISTING_PAGES)
    for number in range(2, pages + 1):
        url = _with_page(entry, number)
        yield url, fetch(url)


def discover_notices(
    fetch: Fetch,
    publisher: Publisher,
    title_pattern: re.Pattern[str],
    *,
    follow_attachments: bool = True,
) -> Iterable[DocumentRef]:
    """Notices whose title is about statistics, on the publisher's own hosts, and their
    spreadsheet/PDF attachments (fetched as documents of their own)."""
    seen: set[str] = set()
    for entry in publisher.entry_points:
        for page_url, page in listing_pages(fetch, entry):
            for item in listing_items(page.content, page_url):
                if item.url in seen or not same_site(item.url, publisher.hosts):
                    continue
                if not title_pattern.search(item.title):
                    continue
                seen.add(item.url)
                yield DocumentRef(publisher.name, item.url, item.title, item.posted_on, page_url)
                if follow_attachments:
                    yield from _attachments(
                        fetch, publisher, item.url, item.title, item.posted_on, seen
                    )


def _attachments(fetch, publisher, notice_url, title, posted_on, seen) -> Iterable[DocumentRef]:
    try:
        notice = fetch(notice_url)
    except FetchError:
        return  # the notice itself is fetched again as a document and reports the failure
    for url, text in attachment_links(notice.content, notice_url):
        if url in seen or not same_site(url, publisher.hosts):
            continue
        seen.add(url)
        yield DocumentRef(publisher.name, url, f"{title} {text}".strip(), posted_on, notice_url)


def parse_with_extractors(document: Document, *, region_code: str = "") -> ParseResult:
    """Tables and prose of any document, about ``region_code`` where the text says 全省/全市."""
    from sources.extract.document import extract_document

    found = extract_document(
        document.content,
        filename=urlsplit(document.final_url or document.url).path,
        content_type=document.content_type,
        declared_encoding=document.encoding or None,
        fallback_published=document.published_on or document.ref.published_on,
        region_code=region_code,
        title=document.title,
    )
    result = ParseResult(published_on=found.published)
    result.observations.extend(found.observations)
    result.quarantine.extend(
        QuarantineRow(
            document.sha256, document.publisher, s.location, s.raw_text, s.reason, document.url
        )
        for s in found.skipped
    )
    if not found.observations and not found.skipped:
        reason = "no figure found: no statistics table or sentence in this document"
        if found.kind == "html" and b"<img" in document.content.lower():
            reason = "no machine-readable data: the figures are in images (charts), not text"
        result.quarantine.append(
            QuarantineRow(
                document.sha256,
                document.publisher,
                "document",
                found.title or document.url,
                reason,
                document.url,
            )
        )
    return result
