"""The body of a news or notice page, as plain text with one paragraph per line.

Government pages wrap a few paragraphs of figures in navigation, share buttons, metadata blocks
(索引号, 主题分类, 发布机构, 成文日期) and long copyright footers (quirk 25). Prose mining must see
only the paragraphs: a footer's 备案号 or a sidebar's "1-9月" link would otherwise be read as
figures. The publication date lives in those metadata lines, so
:func:`sources.extract.periods.published_date_in` runs on :func:`page_text` (the whole page),
not on the body.
"""

from __future__ import annotations

import re

import zhconv
from lxml import etree
from lxml import html as lxml_html

__all__ = ["article_text", "is_boilerplate", "page_text", "simplify"]

# Publisher CMS containers of the article body, best first (TRS, Hanweb, Jiangsu's 无障碍 pages).
_CONTAINERS = (
    "//*[@id='zoom' or @id='Zoom']",
    "//*[@id='Zoom2']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[@id='barrierfree_container']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' wz ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' con ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' content ')]",
    "//article",
)
_MIN_BODY_CHARS = 20
_PAGE_WRAPPER = "barrierfree_container"
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "iframe",
    "template",
    "select",
    "option",
    "button",
    "input",
    "textarea",
    "svg",
    "object",
)
# id/class tokens of page chrome on the publishers' templates.
_CHROME = frozenset(
    "header footer nav navbar menu top bottom foot head breadcrumb crumb crumbs location "
    "position share bdshare print copyright sidebar".split()
)
_CHROME_WORDS = frozenset("header footer nav navbar breadcrumb copyright share bdshare".split())
_BLOCK = frozenset(
    "p div br li ul ol tr table tbody thead tfoot h1 h2 h3 h4 h5 h6 section article main "
    "blockquote dd dt dl pre center form aside figure figcaption hr".split()
)
_INLINE = frozenset("p span font strong b em i u a sub sup br img h1 h2 h3 h4 h5 h6".split())
_CELL = frozenset(("td", "th"))

_FOOTER_WORDS = re.compile(
    r"版权所有|Copyright|©|\(c\)\s*\d{4}|ICP\s*备|ICP\s*证|公网安备|网站标识码|网站地图|联系我们"
    r"|技术支持\s*[:：]|建议使用.{0,20}浏览器|最佳浏览|分辨率",
    re.IGNORECASE,
)
_META_LINE = re.compile(
    r"^[\s【\[(（]*(?:发布时间|发布日期|发文日期|更新时间|日期|时间|信息来源|文章来源|来源|作者|编辑|责任编辑"
    r"|审核|校对|浏览次数|阅读次数|阅读量|点击数|点击量|访问量|索引号|主题分类|发布机构|成文日期|文号"
    r"|发文字号|发文机关|生效日期|有效性|组配分类|体裁分类|主题词|公开方式|公开范围|公开时限"
    r"|当前位置|您当前的位置|您现在的位置|您的位置|主办单位|主办|承办单位|承办|地址|联系电话|电话"
    r"|邮编|传真|电子邮箱|邮箱)\s*[:：]"
)
_FONT_SIZE = re.compile(r"(?:字号|字体)\s*[:：]?\s*[【\[(（]?\s*大\s*[|/]?\s*中\s*[|/]?\s*小")
_TOOLS_ONLY = re.compile(
    r"^(?:[\s【】\[\]()（）|/·:：>»]*(?:打印(?:本页|此页)?|关闭(?:窗口|本页)?|分享(?:到)?|收藏(?:本页)?"
    r"|返回(?:顶部|列表)?|字体|字号|[大中小]|扫一扫|在手机上(?:查看|打开)|保存|纠错|加入收藏"
    r"|微信|微博|QQ空间))+[\s【】\[\]()（）|/·:：]*$"
)
_SPACES = re.compile(r"[\s\u3000\xa0]+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def simplify(text: str) -> str:
    """Traditional characters to simplified (quirk 26: mirrors of simplified originals), so that
    synonyms written in simplified characters match."""
    return zhconv.convert(text or "", "zh-cn")


def _parse(html_text: str) -> etree._Element | None:
    text = _XML_DECLARATION.sub("", html_text or "")
    if not text.strip():
        return None
    try:
        tree = lxml_html.document_fromstring(text)
    except (ValueError, etree.ParserError):
        return None
    for node in tree.xpath("//comment() | //processing-instruction()"):
        _drop(node)
    for node in tree.xpath("|".join(f"//{tag}" for tag in _DROP_TAGS)):
        _drop(node)
    return tree


def _drop(node: etree._Element) -> None:
    """Remove ``node`` but keep its tail text (the text after it belongs to the parent)."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    previous = node.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def _is_chrome(node: etree._Element) -> bool:
    """Page chrome by id/class: a whole token (``top``, ``position``) or a word of a compound
    token (``footer_wrap``, ``nav-bar``)."""
    tokens = f"{node.get('id', '')} {node.get('class', '')}".lower().split()
    if set(tokens) & _CHROME:
        return True
    words = {w for t in tokens for w in re.split(r"[_-]+", t)}
    return bool(words & _CHROME_WORDS)


def _drop_chrome(tree: etree._Element, keep: etree._Element | None) -> None:
    """Drop navigation, share and footer blocks, never the body container or what holds it."""
    holders = {keep, *keep.iterancestors()} if keep is not None else set()
    for node in list(tree.iter()):
        if not isinstance(node.tag, str) or node in holders:
            continue
        if _is_chrome(node):
            _drop(node)


def _render(node: etree._Element, out: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in _BLOCK:
        out.append("\n")
    if node.text:
        out.append(node.text)
    for child in node:
        _render(child, out)
        if child.tail:
            out.append(child.tail)
    if tag in _BLOCK:
        out.append("\n")
    elif tag in _CELL:
        out.append(" ")


def _lines(node: etree._Element) -> list[str]:
    out: list[str] = []
    _render(node, out)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n"))
    return [line for line in lines if line]


def _text_length(node: etree._Element) -> int:
    return len(_SPACES.sub("", node.text_content()))


def _own_text_length(node: etree._Element) -> int:
    """Article text in ``node`` itself and its inline children, without boilerplate lines or link
    text: a block of body paragraphs scores high, a link list, a footer or a layout wrapper of
    other blocks scores low."""
    pieces = [node.text or ""]
    links = 0
    for child in node:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _INLINE:
            pieces.extend(_lines(child))
            links += sum(len(_SPACES.sub("", a.text_content())) for a in child.iter("a"))
        pieces.append(child.tail or "")
    kept = [p for p in pieces if p.strip() and not is_boilerplate(_SPACES.sub(" ", p))]
    return sum(len(_SPACES.sub("", p)) for p in kept) - links


def _container(tree: etree._Element) -> etree._Element | None:
    found: list[etree._Element] = []
    for xpath in _CONTAINERS:
        found = [n for n in tree.xpath(xpath) if _text_length(n) >= _MIN_BODY_CHARS]
        if found:
            break
    if not found:
        return None
    best = max(found, key=_text_length)
    if best.get("id") == _PAGE_WRAPPER:
        # Jiangsu's 无障碍 container wraps the whole page: a body container inside it is better.
        for xpath in _CONTAINERS:
            inner = [n for n in best.xpath("." + xpath) if _text_length(n) >= _MIN_BODY_CHARS]
            inner = [n for n in inner if n is not best]
            if inner:
                return max(inner, key=_text_length)
    return best


def _largest_block(tree: etree._Element) -> etree._Element:
    blocks = tree.xpath("//div | //td | //section | //article | //main | //body")
    best = max(blocks, key=_own_text_length, default=None)
    return best if best is not None and _own_text_length(best) > 0 else tree


def is_boilerplate(line: str) -> bool:
    """A line of page chrome rather than of the article: copyright and 备案 footers, 发布时间 /
    来源 / 字号 lines, 索引号/主题分类/发布机构/成文日期 metadata, print/close/share buttons."""
    line = line.strip()
    if not line:
        return True
    if _TOOLS_ONLY.match(line) or _META_LINE.match(line) or _FONT_SIZE.search(line):
        return True
    return bool(_FOOTER_WORDS.search(line)) and len(line) < 300


def page_text(html_text: str) -> str:
    """All visible text of a page (metadata lines included), one block per line, simplified:
    what :func:`sources.extract.periods.published_date_in` reads."""
    tree = _parse(html_text)
    return simplify("\n".join(_lines(tree))) if tree is not None else ""


def article_text(html_text: str) -> str:
    """The article body of a page: the publisher's body container when there is one, else the
    block with the most text of its own; chrome and boilerplate lines removed, characters
    simplified, one paragraph per line."""
    tree = _parse(html_text)
    if tree is None:
        return ""
    body = _container(tree)
    _drop_chrome(tree, body)
    if body is None:
        body = _largest_block(tree)
    lines = [line for line in _lines(body) if not is_boilerplate(line)]
    return simplify("\n".join(lines))
