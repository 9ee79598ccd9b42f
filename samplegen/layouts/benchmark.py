"""The benchmark side's sample documents, in the layouts of the publishers that print them.

* zjamr.zj.gov.cn: a yearly notice 「关于印发YYYY年全省知识产权主要统计数据的通知」 with inline 附件
  tables: a 全省 row, then one block per city whose first cell spans the block and whose 合计 row
  is the city total (no 市本级 row: it is printed only beside a 合计).
* jsip.jiangsu.gov.cn: a yearly notice with a city table (spaced two-character names in even
  years, 全省 last).
* tj.jiangsu.gov.cn: a yearly news item with the cities' population and market entities.
  Zhejiang's are printed by its statistics bureau (``layouts.zhejiang_stats``).
* sipa.sh.gov.cn: a yearly data page in white-paper prose (万件 units), listed with YYYY.MM.DD.

Values a real page already prints are never printed here (the cell shows ``-``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from urllib.parse import urlsplit

from samplegen import benchmark
from samplegen.benchmark import CITIES, JIANGSU, NAMES, RATIOS, SHANGHAI, ZHEJIANG
from samplegen.layouts import shanghai_stats, zhejiang_stats
from samplegen.layouts.common import Doc, Lookup, scaled

ZJAMR = "https://zjamr.zj.gov.cn"
JSIP = "https://jsip.jiangsu.gov.cn"
JSTJ = "http://tj.jiangsu.gov.cn"
SIPA = "https://sipa.sh.gov.cn"
LISTINGS = {
    "zjamr": "zjamr.zj.gov.cn/col/col1228969897/index.html",
    "jsip": "jsip.jiangsu.gov.cn/col/col85036/index.html",
    "jstj": "tj.jiangsu.gov.cn/col/col85276/index.html",
    "sipa": "sipa.sh.gov.cn/shzscqzk/index.html",
}
STATS = ("population", "market_entities")

# (label, unit printed, decimals); ratios print two decimals.
LABELS = {
    "patents_granted": ("专利授权量", "件", 0),
    "invention_grants": ("发明专利授权量", "件", 0),
    "valid_invention_patents": ("有效发明专利拥有量", "件", 0),
    "invention_patents_per_10k": ("每万人口发明专利拥有量", "件/万人", 2),
    "high_value_patents_per_10k": ("每万人口高价值发明专利拥有量", "件/万人", 2),
    "pct_applications": ("PCT国际专利申请量", "件", 0),
    "valid_trademarks": ("有效商标注册量", "件", 0),
    "trademarks_per_10k_entities": ("每万户市场主体商标拥有量", "件/万户", 2),
    "zj_trademarks_per_100_firms": ("每百户企业有效注册商标量", "件", 2),
    "copyright_registrations": ("作品登记量", "件", 0),
    "patent_pledge_amount": ("专利权质押融资金额", "亿元", 2),
    "pledge_financed_entities": ("质押融资企业数", "家", 0),
    "ip_certified_firms": ("知识产权贯标认证企业", "家", 0),
    "national_demo_firms": ("国家知识产权示范企业", "家", 0),
    "national_advantage_firms": ("国家知识产权优势企业", "家", 0),
    "demo_parks": ("知识产权示范（试点）园区", "个", 0),
    "population": ("年末常住人口", "万人", 2),
    "market_entities": ("市场主体", "万户", 2),
}
GROUPS = {
    "附件1": ("patents_granted", "invention_grants", "valid_invention_patents",
              "invention_patents_per_10k", "high_value_patents_per_10k", "pct_applications"),
    "附件2": ("valid_trademarks", "trademarks_per_10k_entities", "zj_trademarks_per_100_firms",
              "copyright_registrations"),
    "附件3": ("patent_pledge_amount", "pledge_financed_entities", "ip_certified_firms",
              "national_demo_firms", "national_advantage_firms", "demo_parks"),
}  # fmt: skip
GROUP_TITLES = {
    "附件1": "{y}年全省各地区专利主要统计指标",
    "附件2": "{y}年全省各地区商标和版权主要统计指标",
    "附件3": "{y}年全省各地区知识产权运用和管理主要指标",
}


def _published(year: int, month: int, day: int) -> dt.date:
    return dt.date(year + 1, month, day)


def zjamr_url(year: int) -> str:
    d = _published(year, 3, 5)
    return f"{ZJAMR}/art/{d.year}/{d.month}/{d.day}/art_1229693039_{2513600 + year - 2019}.html"


def jsip_url(year: int) -> str:
    d = _published(year, 3, 12)
    return f"{JSIP}/art/{d.year}/{d.month}/{d.day}/art_85036_{4127300 + year - 2019}.html"


def jstj_url(year: int) -> str:
    d = _published(year, 3, 20)
    return f"{JSTJ}/art/{d.year}/{d.month}/{d.day}/art_85276_{11167000 + year - 2019}.html"


def sipa_url(year: int) -> str:
    d = _published(year, 4, 26)
    digest = hashlib.md5(f"sipa-{year}".encode()).hexdigest()  # noqa: S324 (an id, not security)
    return f"{SIPA}/shzscqzk/{d:%Y%m%d}/{digest}.html"


def place_benchmark(code: str, indicator: str, year: int) -> str:
    """The url of the generated page printing an invented benchmark-side value."""
    if code == SHANGHAI or code in shanghai_stats.DISTRICT_NAMES:
        return shanghai_stats.place(code, indicator, year) or sipa_url(year)
    if code.startswith("32"):
        return jstj_url(year) if indicator in STATS else jsip_url(year)
    if indicator in STATS:
        return zhejiang_stats.place(indicator, year)
    return zjamr_url(year)


# -- tables -----------------------------------------------------------------------------------


def _cell(lookup: Lookup, url: str, code: str, indicator: str, year: int) -> str:
    row = lookup.get(url, code, indicator, dt.date(year, 12, 31))
    if row is None:
        return "-"
    if indicator in RATIOS:
        return f"{row.value:.2f}"
    _, unit, decimals = LABELS[indicator]
    return scaled(row.value, unit if unit in ("万人", "万户", "亿元") else "件", decimals)


def _header(indicator: str, year: int) -> str:
    label, unit, _ = LABELS[indicator]
    if indicator == "market_entities" and year >= 2023:
        label = "经营主体"
    return f"{label}<br>（{unit}）"


def _zj_table(lookup: Lookup, url: str, year: int, indicators: tuple[str, ...]) -> str:
    head = "".join(f'<td align="center">{_header(i, year)}</td>' for i in indicators)
    rows = [
        f'<tr><td colspan="2" align="center">地区<br>市县<br>名称</td>{head}</tr>',
        '<tr><td colspan="2" align="center">全省</td>'
        + "".join(
            f'<td align="right">{_cell(lookup, url, ZHEJIANG, i, year)}</td>' for i in indicators
        )
        + "</tr>",
    ]
    for code, name in CITIES[ZHEJIANG]:
        cells = "".join(
            f'<td align="right">{_cell(lookup, url, code, i, year)}</td>' for i in indicators
        )
        rows.append(f'<tr><td align="center">{name}</td><td>合计</td>{cells}</tr>')
    table = "\n".join(rows)
    return (
        '<table border="1" cellspacing="0" cellpadding="0" width="100%" '
        f'style="border-collapse:collapse">\n{table}\n</table>'
    )


def _js_label(code: str, year: int) -> str:
    name = NAMES[code].removesuffix("市").removesuffix("省")
    if code == JIANGSU:
        name = "全省"
    return " ".join(name) if year % 2 == 0 and len(name) == 2 else name


def _js_table(lookup: Lookup, url: str, year: int, indicators: tuple[str, ...]) -> str:
    head = "".join(f"<th>{_header(i, year)}</th>" for i in indicators)
    rows = [f"<tr><th>地区</th>{head}</tr>"]
    for code in [c for c, _ in CITIES[JIANGSU]] + [JIANGSU]:
        cells = "".join(f"<td>{_cell(lookup, url, code, i, year)}</td>" for i in indicators)
        rows.append(f"<tr><td>{_js_label(code, year)}</td>{cells}</tr>")
    return '<table border="1" cellspacing="0" width="100%">\n' + "\n".join(rows) + "\n</table>"


def _page(title: str, published: dt.date, body: str, site: str) -> bytes:
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="ArticleTitle" content="{html.escape(title)}">
<meta name="PubDate" content="{published:%Y-%m-%d} 10:00">
<title>{html.escape(title)}</title>
</head>
<body>
<div class="top"><a href="/">{site}</a></div>
<div class="main">
<div class="title">{html.escape(title)}</div>
<div class="info">发布日期：{published:%Y-%m-%d}　信息来源：{site}</div>
<div id="zoom">
{body}
</div></div>
<div class="foot">版权所有：{site}</div>
</body>
</html>
"""
    return page.encode("utf-8")


def zjamr_notice(lookup: Lookup, year: int) -> Doc:
    url = zjamr_url(year)
    published = _published(year, 3, 5)
    title = f"关于印发{year}年全省知识产权主要统计数据的通知"
    parts = [
        "<p>各市、县（市、区）市场监管局（知识产权局）：</p>",
        f'<p style="text-indent:2em">现将{year}年全省知识产权主要统计数据印发给你们，请结合实际，认真做好相关工作。</p>',
    ]
    for name, indicators in GROUPS.items():
        parts.append(f"<p><strong>{name}</strong></p>")
        parts.append(f'<p align="center"><strong>{GROUP_TITLES[name].format(y=year)}</strong></p>')
        parts.append(_zj_table(lookup, url, year, indicators))
    body = "\n".join(parts)
    return Doc(
        url,
        _page(title, published, body, "浙江省市场监督管理局"),
        "sample",
        f"{published}",
        title,
        NOTE,
    )


def jsip_notice(lookup: Lookup, year: int) -> Doc:
    url = jsip_url(year)
    published = _published(year, 3, 12)
    title = f"{year}年全省设区市知识产权主要统计数据"
    indicators = tuple(i for i in benchmark.INDICATORS if i not in STATS)
    body = (
        f'<p style="text-indent:2em">现将{year}年全省各设区市知识产权主要统计数据公布如下。</p>\n'
        + _js_table(lookup, url, year, indicators)
    )
    return Doc(
        url,
        _page(title, published, body, "江苏省知识产权局"),
        "sample",
        f"{published}",
        title,
        NOTE,
    )


def jstj_news(lookup: Lookup, year: int) -> Doc:
    url = jstj_url(year)
    published = _published(year, 3, 20)
    title = f"{year}年全省设区市常住人口和市场主体情况"
    body = (
        f'<p style="text-indent:2em">{year}年末全省各设区市常住人口和市场主体情况如下表。</p>\n'
        + _js_table(lookup, url, year, STATS)
    )
    return Doc(
        url, _page(title, published, body, "江苏省统计局"), "sample", f"{published}", title, NOTE
    )


SH_SENTENCES = {
    "patents_granted": "{y}年，全市专利授权量{v}万件。",
    "invention_grants": "{y}年，全市发明专利授权量{v}万件。",
    "pct_applications": "{y}年，全市PCT国际专利申请量{v}件。",
    "valid_invention_patents": "截至{y}年底，全市有效发明专利拥有量{v}万件。",
    "invention_patents_per_10k": "截至{y}年底，全市每万人口发明专利拥有量{v}件。",
    "high_value_patents_per_10k": "截至{y}年底，全市每万人口高价值发明专利拥有量{v}件。",
    "valid_trademarks": "截至{y}年底，全市有效商标注册量{v}万件。",
    "trademarks_per_10k_entities": "截至{y}年底，全市每万户市场主体商标拥有量{v}件。",
    "copyright_registrations": "{y}年，全市作品版权登记数{v}万件。",
    "patent_pledge_amount": "{y}年，全市专利权质押融资金额{v}亿元。",
    "pledge_financed_entities": "{y}年，全市专利权质押融资企业{v}家。",
    "ip_certified_firms": "{y}年，全市知识产权贯标认证企业{v}家。",
    "national_demo_firms": "截至{y}年底，全市共有国家知识产权示范企业{v}家。",
    "national_advantage_firms": "截至{y}年底，全市共有国家知识产权优势企业{v}家。",
    "demo_parks": "截至{y}年底，全市共有知识产权示范（试点）园区{v}个。",
    "population": "{y}年末，全市常住人口{v}万人。",
    "market_entities": "截至{y}年底，全市共有市场主体{v}万户。",
}


def sipa_page(lookup: Lookup, year: int) -> Doc:
    url = sipa_url(year)
    published = _published(year, 4, 26)
    title = f"{year}年上海知识产权主要统计数据"
    sentences = []
    for indicator in benchmark.INDICATORS:
        row = lookup.get(url, SHANGHAI, indicator, dt.date(year, 12, 31))
        if row is None:
            continue
        template = SH_SENTENCES[indicator]
        if indicator in RATIOS:
            value = f"{row.value:.2f}"
        elif "万件" in template:
            value = scaled(row.value, "万件", 2)
        elif "万人" in template or "万户" in template:
            value = scaled(row.value, "万人", 2)
        elif "亿元" in template:
            value = scaled(row.value, "亿元", 2)
        else:
            value = str(int(row.value))
        sentence = template.format(y=year, v=value)
        if indicator == "market_entities" and year >= 2023:
            sentence = sentence.replace("市场主体", "经营主体")
        sentences.append(f'<p style="text-indent:2em">{sentence}</p>')
    body = "\n".join(sentences)
    return Doc(
        url,
        _page(title, published, body, "上海市知识产权局"),
        "sample",
        f"{published}",
        title,
        NOTE,
    )


NOTE = "generated sample (samplegen): invented figures, tier sample; real figures printed elsewhere show '-'"


def all_docs(lookup: Lookup) -> list[Doc]:
    docs = []
    for year in benchmark.YEARS:
        docs += [zjamr_notice(lookup, year), jsip_notice(lookup, year), jstj_news(lookup, year)]
        docs.append(sipa_page(lookup, year))
    return docs


# -- manifest ownership and the hand-made listings they are linked from ------------------------

_GENERATED = re.compile(
    r"^(https://zjamr\.zj\.gov\.cn/art/\d{4}/\d+/\d+/art_1229693039_25136\d\d"
    r"|https://jsip\.jiangsu\.gov\.cn/art/\d{4}/\d+/\d+/art_85036_41273\d\d"
    r"|http://tj\.jiangsu\.gov\.cn/art/\d{4}/\d+/\d+/art_85276_111670\d\d"
    r"|https://sipa\.sh\.gov\.cn/shzscqzk/\d{8}/[0-9a-f]{32})\.html$"
)


def generated(url: str) -> bool:
    """True for the urls this module writes (the hand-made real pages are never matched)."""
    return bool(_GENERATED.match(url)) and url not in benchmark.OFFICIAL_URLS


def _item(doc: Doc) -> str:
    path = urlsplit(doc.url).path
    title = html.escape(doc.title)
    day = dt.date.fromisoformat(doc.published_on)
    host = urlsplit(doc.url).netloc
    if host == "zjamr.zj.gov.cn":
        return (
            f'<record><![CDATA[\n<table width="100%"><tr><td><a href="{path}" title="{title}" '
            f'target="_blank">{title}</a></td><td width="90">[{day}]</td></tr></table>\n]]></record>'
        )
    if host in ("jsip.jiangsu.gov.cn", "tj.jiangsu.gov.cn"):
        # jsip's own div.text / div.text-date records are not read by the listing parser (the
        # date sits in a sibling div), so its items use the Hanweb li/span record template.
        return (
            f'<record><![CDATA[\n<li><a href="{path}" title="{title}" target="_blank">{title}</a>'
            f"<span>[{day}]</span></li>\n]]></record>"
        )
    return (
        f'<li><a href="{path}" target="_blank" title="{title}">{title}</a>'
        f"<span>{day:%Y.%m.%d}</span></li>"
    )


def listing_items(docs: list[Doc]) -> dict[str, list[str]]:
    """Listing file (relative to ``site/``) -> the items linking our generated documents."""
    out: dict[str, list[str]] = {}
    keys = {"zjamr.zj.gov.cn": "zjamr", "jsip.jiangsu.gov.cn": "jsip"}
    keys |= {"tj.jiangsu.gov.cn": "jstj", "sipa.sh.gov.cn": "sipa"}
    for doc in sorted(docs, key=lambda d: d.url):
        host = urlsplit(doc.url).netloc
        if host in keys and generated(doc.url):
            out.setdefault(LISTINGS[keys[host]], []).append(_item(doc))
    return out


def extend_listing(content: bytes, items: list[str]) -> bytes:
    """Append the items not yet present before the list's end; existing items stay as they are."""
    text = content.decode("utf-8")
    new = [i for i in items if i not in text]
    if not new:
        return content
    if "</recordset>" in text:
        at = text.rindex("</recordset>")
    elif 'class="uli14' in text:
        at = text.index("</ul>", text.index('class="uli14'))
    else:
        raise ValueError("no record set or dated list in a listing page")
    return (text[:at] + "".join(f"{i}\n" for i in new) + text[at:]).encode("utf-8")
