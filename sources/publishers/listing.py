"""Listing pages of government CMSs → (link, title, date) items, for every publisher's discovery.

The layouts differ (``li`` items with a ``title`` attribute and a date cell; Hanweb/JPaaS
``<record><![CDATA[ … ]]></record>`` blocks inside a script or a div; paged columns whose page
count sits in page JS as ``pageCount:N``; dates as ``2023-04-25``, ``[2023-04-25]``,
``2023.04.25`` or ``2023年4月25日``) but the meaning is the same: a link to a notice and the date
it was posted. An item is a link with a date in the same list item, row or record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from sources.extract.encoding import decode_html

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-./]|年)\s*(?P<m>\d{1,2})\s*(?:[-./]|月)\s*(?P<d>\d{1,2})"
)
_RECORD = re.compile(r"<record[^>]*>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_PAGE_COUNT = re.compile(
    r"""(?:pageCount|totalPage|page_count|countPage)["']?\s*[:=]\s*["']?(\d{1,4})""", re.I
)
_ITEM_TAGS = ("li", "tr", "dd", "record", "div", "p")
ATTACHMENT_SUFFIXES = (".xls", ".xlsx", ".pdf", ".doc", ".docx", ".et", ".wps", ".csv")


@dataclass(frozen=True)
class ListingItem:
    url: str
    title: str
    posted_on: dt.date | None


def parse_date(text: str) -> dt.date | None:
    match = _DATE.search(text or "")
    if not match:
        return None
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def page_count(text: str) -> int:
    """Pages of a paged column listing (``pageCount:N`` in page JS); 1 when not stated."""
    match = _PAGE_COUNT.search(text)
    return max(1, min(int(match.group(1)), 500)) if match else 1


def _fragments(text: str) -> list[str]:
    """The page itself plus each CMS record's HTML (records hide their markup in CDATA)."""
    return [text, *_RECORD.findall(text)]


def _item_of(anchor) -> lxml_html.HtmlElement:
    node = anchor
    while node is not None and node.tag not in _ITEM_TAGS:
        node = node.getparent()
    return node if node is not None else anchor


def _outside(node, anchor) -> str:
    return " ".join(node.text_content().replace(anchor.text_content(), " ").split())


def _posted(anchor) -> dt.date | None:
    """The date beside the link, not one inside its title (「2024年1-9月…」 is no date); when the
    link sits alone in its block (Hanweb ``div.text`` + ``div.text-date``), the block's parent."""
    item = _item_of(anchor)
    posted = parse_date(_outside(item, anchor))
    parent = item.getparent()
    if posted is None and parent is not None and len(parent.xpath(".//a[@href]")) == 1:
        posted = parse_date(_outside(parent, anchor))
    return posted or parse_date(" ".join(item.text_content().split()))


def _items_in(fragment: str, base_url: str) -> Iterable[ListingItem]:
    try:
        tree = lxml_html.fromstring(fragment)
    except (ValueError, lxml_html.etree.ParserError):
        return
    for anchor in tree.xpath("//a[@href]"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        title = (anchor.get("title") or " ".join(anchor.text_content().split())).strip()
        posted = _posted(anchor)
        if title and posted:
            yield ListingItem(urljoin(base_url, href), title, posted)


def listing_items(content: bytes | str, base_url: str) -> list[ListingItem]:
    """Dated links of a listing page, in page order, each URL once."""
    text = content if isinstance(content, str) else decode_html(content)[0]
    seen: dict[str, ListingItem] = {}
    for fragment in _fragments(text):
        for item in _items_in(fragment, base_url):
            seen.setdefault(item.url, item)
    return list(seen.values())


def links_where(
    content: bytes | str, base_url: str, keep: Callable[[str], bool]
) -> list[tuple[str, str]]:
    """(url, link text) of the links whose absolute url's path ``keep`` accepts, each url once,
    in page order; a page that is no HTML at all has none."""
    text = content if isinstance(content, str) else decode_html(content)[0]
    try:
        tree = lxml_html.fromstring(text)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    found: dict[str, str] = {}
    for anchor in tree.xpath("//a[@href]"):
        url = urljoin(base_url, anchor.get("href").strip())
        if keep(urlsplit(url).path):
            found.setdefault(url, " ".join(anchor.text_content().split()))
    return list(found.items())


def attachment_links(content: bytes | str, base_url: str) -> list[tuple[str, str]]:
    """(url, link text) of the spreadsheet/PDF/Word attachments a notice links to."""
    return links_where(content, base_url, lambda path: path.lower().endswith(ATTACHMENT_SUFFIXES))


def same_site(url: str, hosts: Iterable[str]) -> bool:
    return urlsplit(url).hostname in set(hosts)
