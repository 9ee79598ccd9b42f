"""浙江省统计局 (tjj.zj.gov.cn): the yearly 人口主要数据公报 and 国民经济和社会发展统计公报.

Both are Hanweb articles of the 统计公报 column (``/col/col1229129205/index.html``, records as
``<record><![CDATA[ … ]]></record>`` with ``[YYYY-MM-DD]`` dates), released on the same day:

* 「YYYY年浙江省人口主要数据公报」: the province's year-end 常住人口 in prose, then a table of the
  11 cities (万人, share of the province). The 2023 table prints the real province, 杭州, 宁波
  and 温州 figures a repost of this 公报 quotes; every other figure is invented.
* 「YYYY年浙江省国民经济和社会发展统计公报」: the province's registered 市场主体 in prose and an
  attached table by city; from the 2023 edition the term is 经营主体.

Article ids and release dates are reconstructed (the column id is the real one).
"""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

from samplegen.benchmark import CITIES, NAMES, ZHEJIANG
from samplegen.layouts.common import Doc, Lookup, scaled

HOST = "tjj.zj.gov.cn"
SITE = f"https://{HOST}"
COLUMN = 1229129205
LISTING = f"{SITE}/col/col{COLUMN}/index.html"
PUBLISHER = "浙江省统计局"
# Data year -> (release date, article id of the 统计公报; the population 公报 is three ids before).
RELEASES = {
    2019: (dt.date(2020, 2, 27), 4081702),
    2020: (dt.date(2021, 2, 28), 4548221),
    2021: (dt.date(2022, 2, 24), 4905873),
    2022: (dt.date(2023, 3, 16), 5081449),
    2023: (dt.date(2024, 2, 23), 5265931),
}
NOTE = (
    "reconstructed layout (Hanweb article of the 统计公报 column) with sample values: invented "
    "figures, tier sample"
)
NOTE_2023_POPULATION = (
    "reconstructed layout (Hanweb article of the 统计公报 column) with sample values; the province, "
    "杭州, 宁波 and 温州 figures are the real ones the cdslxx repost quotes from this 公报 "
    "(its own truth rows point at the repost), the other cities are invented"
)


def _url(year: int, offset: int) -> str:
    released, article = RELEASES[year]
    day = released
    return f"{SITE}/art/{day.year}/{day.month}/{day.day}/art_{COLUMN}_{article - offset}.html"


def population_url(year: int) -> str:
    return _url(year, 3)


def bulletin_url(year: int) -> str:
    return _url(year, 0)


def place(indicator: str, year: int) -> str:
    """The page printing Zhejiang's ``population`` or ``market_entities`` for ``year``."""
    return population_url(year) if indicator == "population" else bulletin_url(year)


def entities_term(year: int) -> str:
    """市场主体 was renamed 经营主体 in the statistics of 2023 onwards."""
    return "经营主体" if year >= 2023 else "市场主体"


def _regions() -> list[str]:
    return [ZHEJIANG, *(code for code, _ in CITIES[ZHEJIANG])]


def _table(title: str, label: str, values: dict[str, str], shares: dict[str, str]) -> str:
    rows = [
        f'<p align="center"><strong>{html.escape(title)}</strong></p>',
        '<table border="1" cellspacing="0" cellpadding="0" width="90%" align="center" '
        'style="border-collapse:collapse">',
        f'<tr><td align="center">地区</td><td align="center">{label}</td>'
        '<td align="center">占全省比重（%）</td></tr>',
    ]
    for code in _regions():
        name = "全省" if code == ZHEJIANG else NAMES[code]
        rows.append(
            f'<tr><td align="center">{name}</td><td align="right">{values[code]}</td>'
            f'<td align="right">{shares[code]}</td></tr>'
        )
    rows.append("</table>")
    return "\n".join(rows)


def _shares(levels: dict[str, Decimal]) -> dict[str, str]:
    total = levels[ZHEJIANG]
    return {c: "100.0" if c == ZHEJIANG else f"{v * 100 / total:.1f}" for c, v in levels.items()}


def _wan(value) -> str:
    """万 with the fewest decimals (up to two) that print the value exactly, as the 公报 does."""
    for decimals in (0, 1, 2):
        try:
            return scaled(value, "万人", decimals)
        except ValueError:
            continue
    raise ValueError(f"{value} cannot be printed in 万 with two decimals")


def _page(title: str, released: dt.date, body: str) -> bytes:
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="SiteName" content="{PUBLISHER}">
<meta name="ColumnName" content="统计公报">
<meta name="ArticleTitle" content="{html.escape(title)}">
<meta name="PubDate" content="{released:%Y-%m-%d} 09:30">
<meta name="ContentSource" content="{PUBLISHER}">
<title>{html.escape(title)}</title>
</head>
<body>
<div class="top"><a href="/">{PUBLISHER}</a></div>
<div class="location">您当前的位置：<a href="/">首页</a> &gt; <a href="/col/col{COLUMN}/index.html">统计公报</a></div>
<div class="main">
<div class="title">{html.escape(title)}</div>
<div class="info">发布日期：{released:%Y-%m-%d}　来源：{PUBLISHER}　【字体：大 中 小】</div>
<div id="zoom">
{body}
</div></div>
<div class="foot">主办单位：{PUBLISHER}　版权所有</div>
</body>
</html>
"""
    return page.encode("utf-8")


def population_bulletin(lookup: Lookup, year: int) -> Doc:
    released, _ = RELEASES[year]
    end = dt.date(year, 12, 31)
    title = f"{year}年浙江省人口主要数据公报"
    levels = {code: lookup.value(code, "population", end) for code in _regions()}
    values = {code: scaled(levels[code], "万人", 2) for code in _regions()}
    body = "\n".join(
        [
            f'<p style="text-indent:2em">根据{year}年全省人口变动情况抽样调查推算，现将{year}年'
            "全省人口主要数据公布如下：</p>",
            "<p><strong>一、常住人口</strong></p>",
            f'<p style="text-indent:2em">{year}年末，全省常住人口为{_wan(levels[ZHEJIANG])}万人。'
            "</p>",
            _table(f"表1  {year}年末各市常住人口", "年末常住人口（万人）", values, _shares(levels)),
            '<p style="text-indent:2em">注：常住人口为年末数，由人口变动情况抽样调查推算。</p>',
        ]
    )
    note = NOTE_2023_POPULATION if year == 2023 else NOTE
    url = population_url(year)
    return Doc(url, _page(title, released, body), "sample", f"{released}", title, note)


def statistical_bulletin(lookup: Lookup, year: int) -> Doc:
    released, _ = RELEASES[year]
    end = dt.date(year, 12, 31)
    url = bulletin_url(year)
    term = entities_term(year)
    title = f"{year}年浙江省国民经济和社会发展统计公报"
    levels = {code: lookup.get(url, code, "market_entities", end).value for code in _regions()}
    values = {code: scaled(levels[code], "万户", 2) for code in _regions()}
    body = "\n".join(
        [
            f'<p style="text-indent:2em">{year}年，全省上下坚持稳中求进工作总基调，'
            "经济社会发展主要目标任务较好完成。</p>",
            "<p><strong>一、综合</strong></p>",
            f'<p style="text-indent:2em">年末全省在册{term}{values[ZHEJIANG]}万户。</p>',
            "<p><strong>附表</strong></p>",
            _table(f"{year}年末各市在册{term}", f"{term}（万户）", values, _shares(levels)),
        ]
    )
    return Doc(url, _page(title, released, body), "sample", f"{released}", title, NOTE)


# A release of the same column that is no statistics of ours: discovery must pass it by.
OTHER_TITLE = "{y}年浙江省居民收入和消费支出情况"


def _record(path: str, title: str, day: str) -> str:
    return (
        f'<record><![CDATA[\n<li><a href="{path}" title="{html.escape(title)}" target="_blank">'
        f"{html.escape(title)}</a><span>[{day}]</span></li>\n]]></record>"
    )


def listing(docs: list[Doc]) -> Doc:
    """The column's records, newest first: our 公报 and one other release a year."""
    dated = [(d.published_on, d.url.removeprefix(SITE), d.title) for d in docs]
    for year, (released, article) in RELEASES.items():
        day = released + dt.timedelta(days=1)
        path = f"/art/{day.year}/{day.month}/{day.day}/art_{COLUMN}_{article + 5}.html"
        dated.append((f"{day}", path, OTHER_TITLE.format(y=year)))
    records = [_record(path, title, day) for day, path, title in sorted(dated, reverse=True)]
    items = "\n".join(records)
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>统计公报 {PUBLISHER}</title>
</head>
<body>
<div class="top"><a href="/">{PUBLISHER}</a></div>
<div class="location">您当前的位置：<a href="/">首页</a> &gt; 统计数据 &gt; 统计公报</div>
<div class="main"><div class="list-title">统计公报</div>
<div id="4806862"><script type="text/xml"><datastore>
<recordset>
{items}
</recordset>
</datastore></script></div>
<script type="text/javascript">var pageCount = 1; var totalRecord = {len(records)};</script>
</div>
<div class="foot">主办单位：{PUBLISHER}　版权所有</div>
</body>
</html>
"""
    note = "listing (Hanweb records, [YYYY-MM-DD]); column id from real article URLs; reconstructed"
    return Doc(LISTING, page.encode("utf-8"), "sample", "", "统计公报", note)


def all_docs(lookup: Lookup) -> list[Doc]:
    docs = []
    for year in RELEASES:
        docs += [population_bulletin(lookup, year), statistical_bulletin(lookup, year)]
    return [*docs, listing(docs)]
