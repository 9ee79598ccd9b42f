"""国家版权局 (www.ncac.gov.cn): the yearly 「关于YYYY年全国著作权登记情况的通报」 and its column.

The real notice tabulates 作品登记 (合计, then one column per type of work) for a 全国合计 row, all
31 provinces in standard order and a 中国版权保护中心 row (the national centre's own
registrations, not a region). This reconstruction prints only what the ground truth holds: the
合计 of Shanghai, Jiangsu, Zhejiang and Anhui; every other cell is ``-``.

The notice is a second publisher of keys whose truth row names another page (the provincial
document that owns them), so it reads values with ``Lookup.value`` and owns no truth row: the
truth table keeps one printing url per key, and this page must agree with it exactly.
"""

from __future__ import annotations

import datetime as dt

from samplegen.layouts.common import Doc, Lookup, esc

HOST = "www.ncac.gov.cn"
BASE = f"https://{HOST}"
CHANNEL = 12542
LISTING_URL = f"{BASE}/chinacopyright/channels/{CHANNEL}.shtml"
INDICATOR = "copyright_registrations"
# data year -> (content id, posted on); the 2023 notice was posted on 2024-02-20 (press reports of
# that day), the other dates are placeholders of the same season.
NOTICES = {
    2019: (11485, "2020-03-02"),
    2020: (12715, "2021-03-01"),
    2021: (355817, "2022-03-01"),
    2022: (357293, "2023-03-01"),
    2023: (359186, "2024-02-20"),
}
# Other items of the column, never statistics: discovery must pass them by (they are not written).
OTHER_ITEMS = (
    (12231, "国家版权局关于开展2021年度全国版权示范创建评选工作的通知", "2021-06-18"),
    (356402, "国家版权局办公厅关于做好2022年著作权集体管理组织年报工作的通知", "2022-04-15"),
    (358710, "国家版权局关于开展2023年度全国版权示范创建评选工作的通知", "2023-06-16"),
)
# GB/T 2260 order, as the notice prints them (short names).
PROVINCES = (
    ("北京", ""), ("天津", ""), ("河北", ""), ("山西", ""), ("内蒙古", ""), ("辽宁", ""),
    ("吉林", ""), ("黑龙江", ""), ("上海", "310000"), ("江苏", "320000"), ("浙江", "330000"),
    ("安徽", "340000"), ("福建", ""), ("江西", ""), ("山东", ""), ("河南", ""), ("湖北", ""),
    ("湖南", ""), ("广东", ""), ("广西", ""), ("海南", ""), ("重庆", ""), ("四川", ""),
    ("贵州", ""), ("云南", ""), ("西藏", ""), ("陕西", ""), ("甘肃", ""), ("青海", ""),
    ("宁夏", ""), ("新疆", ""),
)  # fmt: skip
# Columns by type of work after 合计, as in the notice's 全国作品登记情况统计表 template; the
# sample holds no breakdown, so they print '-'.
WORK_TYPES = (
    "文字", "口述", "音乐", "戏剧", "曲艺", "舞蹈", "杂技", "美术", "摄影", "建筑", "影视", "图形",
    "模型", "其他",
)  # fmt: skip
NOTE = (
    "reconstructed layout of the 国家版权局 yearly 著作权登记 notice; sample values: the ground "
    "truth's copyright_registrations of the four provinces, other cells '-'"
)


def notice_url(year: int) -> str:
    return f"{BASE}/chinacopyright/contents/{CHANNEL}/{NOTICES[year][0]}.shtml"


def title(year: int) -> str:
    return f"国家版权局关于{year}年全国著作权登记情况的通报"


def _page(heading: str, body: str, posted: str) -> bytes:
    page = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="ArticleTitle" content="{esc(heading)}">
<meta name="PubDate" content="{posted}">
<title>{esc(heading)}-国家版权局</title>
</head>
<body>
<div class="header"><a href="/chinacopyright/index.shtml">国家版权局</a></div>
<div class="m-crumb">当前位置：<a href="/chinacopyright/index.shtml">首页</a> &gt; <a href="/chinacopyright/channels/{CHANNEL}.shtml">公告通知</a></div>
{body}
<div class="footer">主办单位：国家版权局　版权所有</div>
</body>
</html>
"""
    return page.encode("utf-8")


def _table(lookup: Lookup, year: int) -> str:
    end = dt.date(year, 12, 31)
    blanks = "".join('<td align="right">-</td>' for _ in WORK_TYPES)

    def row(label: str, total: str) -> str:
        return f'<tr><td align="center">{label}</td><td align="right">{total}</td>{blanks}</tr>'

    head = "".join(f'<td align="center">{t}</td>' for t in ("合计", *WORK_TYPES))
    rows = [f'<tr><td align="center">省、自治区、直辖市</td>{head}</tr>', row("全国合计", "-")]
    for name, code in PROVINCES:
        rows.append(row(name, str(int(lookup.value(code, INDICATOR, end))) if code else "-"))
    rows.append(row("中国版权保护中心", "-"))
    return (
        '<table border="1" cellspacing="0" cellpadding="0" width="100%" '
        'style="border-collapse:collapse">\n' + "\n".join(rows) + "\n</table>"
    )


def notice(lookup: Lookup, year: int) -> Doc:
    heading = title(year)
    posted = NOTICES[year][1]
    caption = f"{year}年全国作品登记情况统计表（按地区）"
    body = f"""<div class="m-detail">
<h1 class="m-title">{esc(heading)}</h1>
<div class="m-info"><span>发布时间：{posted}</span><span>来源：国家版权局</span></div>
<div class="m-content" id="zoom">
<p>各省、自治区、直辖市版权局，中国版权保护中心：</p>
<p style="text-indent:2em">根据各省、自治区、直辖市版权局和中国版权保护中心报送的数据，现将{year}年全国著作权登记情况通报如下。</p>
<p style="text-indent:2em">附件：{esc(caption)}</p>
<p align="center"><strong>{esc(caption)}</strong></p>
<p align="right">单位：件</p>
{_table(lookup, year)}
<p align="right">国家版权局</p>
</div>
</div>"""
    return Doc(notice_url(year), _page(heading, body, posted), "sample", posted, heading, NOTE)


def listing() -> Doc:
    """The column page: newest first, each item a titled link with its date in a span."""
    items = [(notice_url(y), title(y), posted) for y, (_, posted) in NOTICES.items()]
    items += [
        (f"{BASE}/chinacopyright/contents/{CHANNEL}/{i}.shtml", t, posted)
        for i, t, posted in OTHER_ITEMS
    ]
    lines = [
        f'<li><a href="{url.removeprefix(BASE)}" target="_blank" title="{esc(text)}">'
        f"{esc(text)}</a><span>{posted}</span></li>"
        for url, text, posted in sorted(items, key=lambda i: (i[2], i[0]), reverse=True)
    ]
    body = (
        '<div class="m-list"><ul class="list">\n'
        + "\n".join(lines)
        + '\n</ul><div class="page">共1页</div></div>'
    )
    content = _page("公告通知", body, max(i[2] for i in items))
    return Doc(LISTING_URL, content, "sample", "", "公告通知", "listing (reconstructed column)")


def all_docs(lookup: Lookup) -> list[Doc]:
    return [notice(lookup, year) for year in NOTICES] + [listing()]
