"""Huainan: 市场监督管理局 press releases (scjgj) and 统计局 bulletins (tjj), same city CMS.

Content pages carry the date/source line at the top of the article; column listings are paged
with ``pageCount:N`` in page JS. Bulletins say 市场主体 up to 2022 and 经营主体 from 2023.
"""

from __future__ import annotations

import datetime as dt

from samplegen.layouts.common import Doc, Lookup, encode, esc, scaled
from samplegen.truth import (
    GBK_BULLETIN,
    HN_AMR,
    HN_AMR_COLUMN,
    HN_BULLETINS,
    HN_RELEASES,
    HN_TJJ,
    HN_TJJ_COLUMN,
    HN_YTD,
    HUAINAN,
    hn_bulletin_url,
    hn_release_url,
)

PAGE_SIZE = 3


def shell(site: str, office: str, title: str, body: str, published: str, source: str) -> str:
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="SiteName" content="{office}">
<meta name="ArticleTitle" content="{esc(title)}">
<title>{esc(title)}-{office}</title>
<link rel="stylesheet" href="/assets/css/public.css">
</head>
<body>
<div class="top">淮南市人民政府网站群 | <a href="https://www.huainan.gov.cn/">淮南市人民政府</a> | 无障碍浏览 | 长者模式</div>
<div class="banner"><h2>{office}</h2></div>
<div class="menu"><a href="{site}/">首页</a><a href="{site}/content/column/1">机构职能</a><a href="{site}/content/column/2">工作动态</a><a href="{site}/content/column/3">政策文件</a><a href="{site}/content/column/4">数据发布</a></div>
<div class="wzy_position">您当前的位置：<a href="{site}/">首页</a> &gt; 工作动态</div>
<div class="wzy_main">
<h1 class="newstitle">{esc(title)}</h1>
<div class="newsinfo">发布时间：{published}　来源：{source}　浏览次数：<span id="hits">0</span>　【字体：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>】</div>
<div class="j-fontContent newscontent" id="zoom">
{body}
</div>
</div>
<div class="footer"><p>主办：{office}　地址：安徽省淮南市山南新区</p><p>网站标识码：3404000012　皖ICP备05004153号　皖公网安备 34040302000125号</p></div>
</body>
</html>
"""


def _p(text: str) -> str:
    return f"<p>　　{text}</p>"


def _release_body(lookup: Lookup, doc_id: int, kind: str) -> str:
    url = hn_release_url(doc_id)
    if kind == "plan":
        return "".join(
            _p(t)
            for t in (
                "淮知联发〔2021〕5号",
                "各县、区人民政府，市有关单位：",
                "为全面建设知识产权强市，推动淮南高质量发展，经市知识产权强市联席会议研究，制定本行动方案。",
                "一、主要目标。到2023年底，每万人口高价值发明专利拥有量、每万户市场主体商标拥有量达到全省平均水平，版权作品登记数量接近全省平均水平；专利权质押融资金额年均增长20%，融资市场主体数量年均增长10%。",
                "二、重点任务。对标沪苏浙，实施知识产权创造提质、运用提效、保护提级、管理提优、服务提速五大工程；建成专利导航基地、专利技术转移转化中心和知识产权孵化基地，设立知识产权维权援助分中心，推行专利商标一窗通办。",
                "淮南市知识产权强市联席会议办公室",
                "2021年8月25日",
            )
        )
    if kind == "ytd":
        indicator, period_kind, end = HN_YTD
        row = next(r for r in lookup.at(url) if r.indicator == indicator and r.period_end == end)
        return _p(
            f"今年以来，市市场监管局持续深化知识产权强市建设。1-9月，全市专利授权量{int(row.value)}件，"
            "同比增长8.6%；全市新培育知识产权贯标企业一批，走访服务企业超过300家次。"
        )
    year = int(kind)
    end = dt.date(year, 12, 31)

    def v(indicator: str) -> str:
        row = lookup.get(url, HUAINAN, indicator, end)
        if row is None:
            raise ValueError(f"{url} lacks {indicator}")
        return f"{row.value:.2f}" if "per_10k" in indicator else str(int(row.value))

    before = (
        lookup.value(HUAINAN, "valid_invention_patents", dt.date(year - 1, 12, 31))
        if year > 2019
        else None
    )
    now = lookup.value(HUAINAN, "valid_invention_patents", end)
    rise = f"，同比增长{(now / before - 1) * 100:.1f}%" if before else ""
    text = [
        f"{year}年，市市场监管局（知识产权局）围绕知识产权强市建设目标，扎实推进知识产权创造、运用和保护各项工作。",
        f"截至{year}年底，全市有效发明专利拥有量达{v('valid_invention_patents')}件{rise}。"
        f"{year}年底，全市每万人口高价值发明专利拥有量{v('high_value_patents_per_10k')}件，与全省平均水平的差距进一步缩小。",
    ]
    if year == 2023:
        amount = lookup.get(url, HUAINAN, "patent_pledge_amount", end)
        assert amount is not None
        text.append(
            f"{year}年全年，全市专利权质押融资金额{scaled(amount.value, '亿元', 2)}亿元，"
            f"质押融资企业{v('pledge_financed_entities')}家。"
            "开展知识产权服务进园区活动，走访企业近200家。"
        )
    else:
        text.append("全年举办知识产权培训近30场次，培训人员超过1500人次。")
    return "".join(_p(t) for t in text)


def releases(lookup: Lookup) -> list[Doc]:
    docs = []
    for doc_id, (published, kind, title) in HN_RELEASES.items():
        body = _release_body(lookup, doc_id, kind)
        page = shell(
            HN_AMR, "淮南市市场监督管理局", title, body, published + " 16:12", "市市场监督管理局"
        )
        note = "reconstructed plan text (targets only)" if kind == "plan" else "invented figures"
        docs.append(
            Doc(hn_release_url(doc_id), page.encode("utf-8"), "sample", published, title, note)
        )
    return docs


def column_pages(
    site: str, office: str, column: int, items: list[tuple[str, str, str]], title: str
) -> list[Doc]:
    """A paged CMS column: ``?pageIndex=N`` pages, ``pageCount:N`` in the page JS."""
    items = sorted(items, key=lambda i: (i[2], i[0]), reverse=True)
    count = max(1, -(-len(items) // PAGE_SIZE))
    docs = []
    for index in range(1, count + 1):
        chunk = items[(index - 1) * PAGE_SIZE : index * PAGE_SIZE]
        lis = "\n".join(
            f'<li><a href="{u}" title="{esc(t)}" target="_blank">{esc(t)}</a><span class="date">{d}</span></li>'
            for u, t, d in chunk
        )
        body = (
            f'<ul class="doc_list">\n{lis}\n</ul>\n<div id="page_public_info"></div>\n'
            f"<script>$('#page_public_info').page({{pageCount:{count},pageIndex:{index},pageSize:{PAGE_SIZE},url:'{site}/content/column/{column}?pageIndex='}});</script>"
        )
        page = shell(site, office, title, body, "", office)
        url = f"{site}/content/column/{column}?pageIndex={index}"
        docs.append(
            Doc(url, page.encode("utf-8"), "sample", "", f"{title}（第{index}页）", "listing")
        )
    return docs


def bulletins(lookup: Lookup) -> list[Doc]:
    docs = []
    for year, (_, published) in HN_BULLETINS.items():
        url = hn_bulletin_url(year)
        end = dt.date(year, 12, 31)
        population = lookup.get(url, HUAINAN, "population", end)
        entities = lookup.get(url, HUAINAN, "market_entities", end)
        term = "经营主体" if year >= 2023 else "市场主体"
        title = f"淮南市{year}年国民经济和社会发展统计公报"
        paras = [
            f"{year}年，面对复杂严峻的外部环境，全市上下坚持稳中求进工作总基调，经济运行总体平稳、稳中有进。",
            "一、综合",
        ]
        if population is not None:
            paras.append(
                f"年末全市常住人口{scaled(population.value, '万人', 1)}万人，常住人口城镇化率继续提高。"
            )
        if entities is None:
            raise ValueError(f"{url} lacks market entities")
        paras.append(
            f"年末全市{term}{scaled(entities.value, '万户', 2)}万户，其中企业数量稳步增长。"
        )
        paras += [
            "二、农业",
            "全年粮食播种面积保持稳定，粮食总产量再获丰收。",
            "注：本公报中部分数据为初步统计数。",
            "淮南市统计局　国家统计局淮南调查队",
            f"{dt.date.fromisoformat(published).year}年3月",
        ]
        body = "".join(_p(esc(t)) for t in paras)
        gbk = year == GBK_BULLETIN
        page = shell(HN_TJJ, "淮南市统计局", title, body, published + " 10:00", "市统计局")
        docs.append(
            Doc(
                url,
                encode(page, gbk),
                "sample",
                published,
                title,
                "invented figures" + ("; GBK-encoded" if gbk else ""),
            )
        )
    return docs


def all_docs(lookup: Lookup) -> list[Doc]:
    docs = releases(lookup) + bulletins(lookup)
    release_items = [(hn_release_url(i), t, p) for i, (p, _, t) in HN_RELEASES.items()]
    docs += column_pages(HN_AMR, "淮南市市场监督管理局", HN_AMR_COLUMN, release_items, "工作动态")
    bulletin_items = [
        (hn_bulletin_url(y), f"淮南市{y}年国民经济和社会发展统计公报", p)
        for y, (_, p) in HN_BULLETINS.items()
    ]
    docs += column_pages(HN_TJJ, "淮南市统计局", HN_TJJ_COLUMN, bulletin_items, "统计公报")
    return docs
