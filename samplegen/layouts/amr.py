"""安徽省市场监督管理局 (amr.ah.gov.cn): 公示公告 listing, notices with city tables, status report.

Layout by data year: 2019-2020 notices attach an .xls, 2021 prints the table inline (footnote
markers, spaced names, rank column), 2022 attaches an .xlsx, 2023 prints inline tables without a
province row (the province figures are in the status report) and attaches a PDF to one notice.
"""

from __future__ import annotations

import datetime as dt

from samplegen.layouts import amr_files
from samplegen.layouts.common import (
    Column,
    Doc,
    Lookup,
    Table,
    city_table,
    encode,
    esc,
    html_table,
    scaled,
)
from samplegen.truth import (
    AMR,
    AMR_LISTING,
    AMR_NOTICES,
    GBK_NOTICE,
    HEFEI,
    HUAINAN,
    PROVINCE,
    STATUS_REPORT,
    amr_notice_url,
    amr_table_url,
    status_report_url,
)

TITLES = {
    "patents": "关于{y}年全省各市知识产权主要统计指标的通报",
    "brands": "关于{y}年全省各市商标、版权和地理标志主要统计指标的通报",
    "finance": "关于{y}年全省各市知识产权运用和管理主要指标的通报",
}
SECTIONS = {"patents": "专利", "brands": "商标版权地理标志", "finance": "知识产权运用管理"}
STATUS_TITLE = "2023年安徽省知识产权发展与保护状况"


def columns(year: int, group: str) -> list[Column]:
    money_unit, money_decimals = ("亿元", 2) if year in (2021, 2022, 2023) else ("万元", 0)
    if group == "patents":
        two_level = year in (2019, 2022, 2023)
        granted = [
            Column("patents_granted", "合计" if two_level else "专利授权量", "件", parent="专利授权量" if two_level else ""),
            Column("invention_grants", "发明" if two_level else "发明专利授权量", "件", parent="专利授权量" if two_level else ""),
        ]  # fmt: skip
        if year in (2020, 2023):
            granted.append(Column("patents_granted", "同比增长(%)", context="growth"))
        cols = [
            *granted,
            Column("valid_invention_patents", "有效发明专利拥有量", "件"),
            Column("high_value_invention_patents", "高价值发明专利拥有量", "件"),
            Column("invention_patents_per_10k", "每万人口发明专利拥有量", "件/万人"),
            Column("high_value_patents_per_10k", "每万人口高价值发明专利拥有量", "件/万人"),
            Column("pct_applications", "PCT国际专利申请量", "件"),
        ]
        if year in (2019, 2021):
            cols.append(Column("valid_invention_patents", "排名", context="rank"))
        return cols
    if group == "brands":
        cols = [
            Column("valid_trademarks", "有效商标注册量", "件"),
            Column("trademarks_per_10k_entities", "每万户市场主体商标拥有量", "件/万户"),
            Column("madrid_applications", "马德里商标国际注册申请量", "件"),
            Column("copyright_registrations", "作品登记量", "件"),
            Column("gi_products", "地理标志产品", "个"),
        ]
        if year == 2021:
            cols.insert(2, Column("trademarks_per_10k_entities", "排名", context="rank"))
        return cols
    return [
        Column("patent_pledge_amount", "专利权质押融资金额", money_unit, money_decimals),
        Column("pledge_financed_entities", "质押融资企业数", "家"),
        Column("ip_certified_firms", "知识产权贯标认证企业", "家"),
        Column("national_demo_firms", "国家知识产权示范企业", "家"),
        Column("national_advantage_firms", "国家知识产权优势企业", "家"),
        Column("provincial_demo_firms", "省级知识产权示范企业", "家"),
        Column("demo_parks", "知识产权示范（试点）园区", "个"),
    ]


def _marks_2021(code: str, indicator: str, text: str) -> str:
    if code == HEFEI and not indicator:
        return f"{text}[1]"
    if code == HUAINAN and indicator in (
        "patents_granted",
        "valid_trademarks",
        "patent_pledge_amount",
    ):
        return f"{text}*"
    return text


NOTES_2021 = [
    "注：[1]合肥市数据含合肥高新区、合肥经开区、合肥新站高新区。",
    "*数据经市局核实后更正。",
]


def notice_table(lookup: Lookup, year: int, group: str) -> Table:
    url = amr_table_url(year, group)
    options = {
        2019: {"style": "short", "total": "first", "unit_in_header": group == "finance"},
        2020: {"style": "full", "total": "last"},
        2021: {"style": "spaced", "total": "last", "marks": _marks_2021},
        2022: {"style": "short", "total": "first", "unit_in_header": group == "finance"},
        2023: {"style": "full", "total": "none"},
    }[year]
    table = city_table(lookup, url, year, columns(year, group), **options)
    if year == 2021:
        table.notes = list(NOTES_2021)
    if not options.get("unit_in_header", True):
        table.notes.insert(0, "单位：件")
    return table


# -- page shell --------------------------------------------------------------------------------

NAV = ["首页", "机构概况", "新闻动态", "公示公告", "政务公开", "政务服务", "互动交流", "数据发布"]


def page(title: str, body: str, published: str, *, container: str = "wz", docid: int = 0) -> str:
    nav = "".join(f'<li><a href="{AMR}/{i}/">{esc(n)}</a></li>' for i, n in enumerate(NAV))
    box = (
        f'<div id="Zoom2" class="con">{body}</div>'
        if container == "Zoom2"
        else f'<div class="wz">{body}</div>'
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="ArticleTitle" content="{esc(title)}">
<meta name="PubDate" content="{published} 09:30">
<meta name="ContentSource" content="安徽省市场监督管理局">
<title>{esc(title)}_安徽省市场监督管理局（安徽省知识产权局）</title>
<link rel="stylesheet" href="/assets/css/common.css">
</head>
<body>
<div class="header"><div class="logo"><a href="{AMR}/"><img src="/assets/images/logo.png" alt="安徽省市场监督管理局（安徽省知识产权局）"></a></div>
<div class="search"><form action="/site/search/6786371" method="get"><input type="text" name="searchWord"><button>搜索</button></form></div></div>
<ul class="nav">{nav}</ul>
<div class="position">当前位置：<a href="{AMR}/">首页</a> &gt; <a href="{AMR}/xwdt/">新闻动态</a> &gt; <a href="{AMR_LISTING}">公示公告</a></div>
<div class="article" data-docid="{docid}">
<h1 class="newstitle">{esc(title)}</h1>
<div class="newsinfo"><span>发布时间：{published} 09:30</span> <span>来源：知识产权促进处</span> <span>字号：<a href="javascript:;">[大]</a> <a href="javascript:;">[中]</a> <a href="javascript:;">[小]</a></span> <span>浏览次数：<script>document.write(Math.floor(Math.random()*900));</script></span></div>
<div class="share">分享到：<a href="javascript:;">微信</a> <a href="javascript:;">微博</a> <a href="javascript:window.print();">打印本页</a></div>
{box}
</div>
<div class="footer"><p>主办单位：安徽省市场监督管理局（安徽省知识产权局）　地址：合肥市包河区中山路1号</p>
<p>网站标识码：3400000031　皖ICP备05002528号　皖公网安备 34010402700602号</p>
<p>本网站所有内容版权归安徽省市场监督管理局所有，未经书面许可不得转载、摘编或镜像。</p></div>
</body>
</html>
"""


def _date_cn(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def notice(lookup: Lookup, year: int, group: str) -> list[Doc]:
    doc_id, published, attachment = AMR_NOTICES[(year, group)]
    title = TITLES[group].format(y=year)
    table = notice_table(lookup, year, group)
    intro = (
        f"<p>各市市场监督管理局（知识产权局）：</p>"
        f"<p>　　为全面掌握各地知识产权{SECTIONS[group]}工作进展，现将{year}年全省各市"
        f"{SECTIONS[group]}主要统计指标通报如下，请各地对照目标任务，查找差距，抓好落实。</p>"
    )
    sign = (
        f'<p style="text-align:right">安徽省市场监督管理局（安徽省知识产权局）</p>'
        f'<p style="text-align:right">{_date_cn(published)}</p>'
    )
    docs: list[Doc] = []
    if attachment:
        name = f"{year}年全省各市{SECTIONS[group]}主要统计指标"
        ext = attachment.rsplit(".", 1)[1]
        icon = {"xls": "xls.gif", "xlsx": "xls.gif", "pdf": "pdf.gif"}[ext]
        link = (
            f'<p>附件：<img src="/assets/images/files2/{icon}" border="0">'
            f'<a href="{attachment}" title="{esc(name)}.{ext}" target="_blank">{esc(name)}.{ext}</a></p>'
        )
        body = intro + "<p>　　具体数据详见附件。</p>" + sign + link
        content = amr_files.render(ext, table, name, year, title=name)
        docs.append(
            Doc(
                AMR + attachment,
                content,
                "sample",
                published,
                f"{name}（附件）",
                f"attachment of {amr_notice_url(year, group)}",
            )
        )
    else:
        notes = "".join(f"<p>{esc(n)}</p>" for n in table.notes if not n.startswith("单位"))
        unit_line = "".join(f"<p>{esc(n)}</p>" for n in table.notes if n.startswith("单位"))
        tbl = html_table(
            table,
            'width="640" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse"',
        )
        body = intro + unit_line + tbl + notes + sign
    container = "Zoom2" if year in (2020, 2023) else "wz"
    gbk = (year, group) == GBK_NOTICE
    html_page = page(title, body, published, container=container, docid=doc_id)
    docs.append(
        Doc(
            amr_notice_url(year, group),
            encode(html_page, gbk),
            "sample",
            published,
            title,
            "invented figures" + ("; GBK-encoded" if gbk else ""),
        )
    )
    return docs


def status_report(lookup: Lookup) -> Doc:
    url = status_report_url()
    province = PROVINCE[0]
    end = dt.date(2023, 12, 31)

    def v(indicator: str, unit: str = "件", decimals: int = 0) -> str:
        row = lookup.get(url, province, indicator, end)
        if row is None:
            raise ValueError(f"status report has no {indicator}")
        if unit == "ratio":
            return f"{row.value:.2f}"
        return scaled(row.value, unit, decimals)

    def g(indicator: str) -> str:
        now = lookup.value(province, indicator, end)
        before = lookup.value(province, indicator, dt.date(2022, 12, 31))
        rate = (now / before - 1) * 100
        word = "增长" if rate >= 0 else "下降"
        return f"同比{word}{abs(rate):.1f}%"

    paragraphs = [
        "2023年，全省知识产权系统坚持以习近平新时代中国特色社会主义思想为指导，深入实施知识产权强省战略，知识产权创造、运用、保护、管理和服务水平持续提升。",
        "<strong>一、知识产权创造</strong>",
        f"2023年，全省专利授权量{v('patents_granted', '万件', 2)}万件，{g('patents_granted')}。"
        f"截至2023年底，全省有效发明专利拥有量{v('valid_invention_patents', '万件', 2)}万件，{g('valid_invention_patents')}。"
        f"截至2023年底，全省高价值发明专利拥有量{v('high_value_invention_patents', '万件', 2)}万件。"
        f"截至2023年底，全省每万人口发明专利拥有量{v('invention_patents_per_10k', 'ratio')}件，"
        f"每万人口高价值发明专利拥有量{v('high_value_patents_per_10k', 'ratio')}件。",
        f"截至2023年底，全省有效商标注册量{v('valid_trademarks', '万件', 2)}万件，"
        f"每万户经营主体商标拥有量{v('trademarks_per_10k_entities', 'ratio')}件。"
        f"2023年，全省马德里商标国际注册申请量{v('madrid_applications')}件。"
        f"2023年，全省作品登记量{v('copyright_registrations', '万件', 2)}万件。"
        f"截至2023年底，全省累计获批地理标志产品{v('gi_products', '个')}个。",
        "<strong>二、知识产权运用</strong>",
        f"2023年，全省专利权质押融资金额{v('patent_pledge_amount', '亿元', 2)}亿元，{g('patent_pledge_amount')}。"
        f"2023年，全省质押融资企业{v('pledge_financed_entities', '家')}家。"
        f"2023年，全省新增知识产权贯标认证企业{v('ip_certified_firms', '家')}家。",
        "<strong>三、知识产权管理</strong>",
        f"截至2023年底，全省共有国家知识产权示范企业{v('national_demo_firms', '家')}家、国家知识产权优势企业{v('national_advantage_firms', '家')}家，"
        f"省级知识产权示范企业{v('provincial_demo_firms', '家')}家，知识产权示范（试点）园区{v('demo_parks', '个')}个。",
        "<strong>四、知识产权保护</strong>",
        "全年办理知识产权行政裁决案件近400件，建成知识产权保护中心和快速维权中心超过10家，知识产权保护社会满意度稳步提升。",
    ]
    body = "".join(f"<p>　　{p}</p>" for p in paragraphs)
    doc_id, published = STATUS_REPORT
    content = page(STATUS_TITLE, body, published, container="wz", docid=doc_id).encode("utf-8")
    return Doc(
        url,
        content,
        "sample",
        published,
        STATUS_TITLE,
        "invented province figures for 2023 (white-paper prose)",
    )


def listing(items: list[tuple[str, str, str]]) -> Doc:
    """The 公示公告 column: newest first; each entry a link with a title attribute and a date cell."""
    rows = []
    for url, title, published in sorted(items, key=lambda i: (i[2], i[0]), reverse=True):
        rows.append(
            f'<li><table width="100%"><tr><td class="dot">·</td>'
            f'<td><a href="{url}" title="{esc(title)}" target="_blank">{esc(title)}</a></td>'
            f'<td class="date">{published}</td></tr></table></li>'
        )
    body = '<div class="navjz clearfix"><ul>' + "\n".join(rows) + "</ul></div>"
    body += (
        '<div class="page"><script>createPageHTML({pageCount:1,pageIndex:1});</script>共1页</div>'
    )
    content = page("公示公告", body, items[0][2] if items else "", container="list").encode("utf-8")
    return Doc(AMR_LISTING, content, "sample", "", "公示公告", "listing")


def all_docs(lookup: Lookup) -> list[Doc]:
    docs: list[Doc] = []
    items = []
    for year, group in AMR_NOTICES:
        made = notice(lookup, year, group)
        docs.extend(made)
        items.append(
            (
                amr_notice_url(year, group),
                TITLES[group].format(y=year),
                AMR_NOTICES[(year, group)][1],
            )
        )
    report = status_report(lookup)
    docs.append(report)
    items.append((report.url, STATUS_TITLE, report.published_on))
    docs.append(listing(items))
    return docs
