"""Any document → raw observations: its tables through the table extractor, its prose through
the prose extractor, with the publication date the page itself states.

This is what ``ipbench extract FILE`` runs and what publishers without a layout of their own
call from ``parse``; it knows no publisher. Tables win over prose: a sentence repeating a table's
figure adds nothing, and the table's row/column evidence is the better provenance.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import html as lxml_html

from sources.errors import ParseError
from sources.extract.body import article_text, simplify
from sources.extract.encoding import decode_html
from sources.extract.grid import read_grids, read_text
from sources.extract.periods import published_date_in
from sources.extract.prose import extract_prose
from sources.extract.tables import Skipped, TableContext, extract_table
from sources.records import RawObservation
from sources.reference import all_known_regions

_TABLE_FREE_KINDS = ("txt",)


@dataclass
class Extraction:
    observations: list[RawObservation] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    published: dt.date | None = None
    title: str = ""
    kind: str = ""


def html_title(text: str) -> str:
    """The page's <title>, whitespace folded ("" when it has none)."""
    match = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    return " ".join(match.group(1).split()) if match else ""


def _html_without_tables(text: str) -> str:
    """The page with its tables removed, so that prose mining does not read table cells again."""
    try:
        tree = lxml_html.fromstring(text)
    except (ValueError, lxml_html.etree.ParserError):
        return text
    for table in tree.xpath("//table[not(ancestor::table)]"):
        if table.xpath(".//table") or len(table.xpath(".//tr")) < 2:
            # Layout tables hold the page body: drop only their inner data tables.
            continue
        table.drop_tree()
    for table in tree.xpath("//table//table"):
        table.drop_tree()
    return lxml_html.tostring(tree, encoding="unicode")


def _common_parent(observations: list[RawObservation]) -> str:
    """The region a document's tables are about (their cities' province): what 全省 means in
    its prose when the caller did not say."""
    known = all_known_regions()
    parents = Counter(
        known[o.region_code].parent_code
        for o in observations
        if o.region_code in known and known[o.region_code].level == "city"
    )
    return parents.most_common(1)[0][0] if parents else ""


def sniff_kind(content: bytes, filename: str = "", content_type: str = "") -> str:
    head = content[:8]
    name = filename.lower()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if name.endswith(".txt") or content_type.startswith("text/plain"):
        return "txt"
    return "html"


def extract_document(
    content: bytes,
    *,
    filename: str = "",
    content_type: str = "",
    declared_encoding: str | None = None,
    published: dt.date | None = None,
    fallback_published: dt.date | None = None,
    region_code: str = "",
    title: str = "",
    prose: bool = True,
) -> Extraction:
    """Observations of one document. Raises :class:`ParseError` for a document that has no
    machine-readable content at all (a scanned PDF, a corrupt spreadsheet)."""
    if not content:
        raise ParseError("empty document", where=filename)
    kind = sniff_kind(content, filename, content_type)
    result = Extraction(kind=kind)
    if kind == "html":
        html_text, _ = decode_html(content, declared_encoding)
        title = title or html_title(html_text)
        page_text = read_text(content, filename=filename, content_type=content_type)
    else:
        html_text = ""
        page_text = read_text(content, filename=filename, content_type=content_type)
    result.title = title
    # A date given by the caller wins; then the date the page states; then the listing's.
    result.published = published or published_date_in(page_text) or fallback_published
    grids = (
        []
        if kind in _TABLE_FREE_KINDS
        else read_grids(
            content,
            filename=filename,
            content_type=content_type,
            declared_encoding=declared_encoding,
        )
    )
    context = TableContext(title=title, published=result.published, region_code=region_code)
    for grid in grids:
        table = extract_table(
            grid.rows, before=grid.before, after=grid.after, context=context, name=grid.name
        )
        result.observations.extend(table.observations)
        result.skipped.extend(table.skipped)
    if prose and (kind in ("html", "txt") or not grids):
        body = article_text(_html_without_tables(html_text)) if html_text else simplify(page_text)
        hint = region_code or _common_parent(result.observations)
        found = extract_prose(body, result.published, region_hint=hint, default_period=title)
        result.observations.extend(found.observations)
        result.skipped.extend(
            Skipped(f"sentence: {s[:60]}", s, reason) for s, reason in found.skipped
        )
    return result
