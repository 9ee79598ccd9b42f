"""Reconstructed third-party pages (tier secondary) that carry the real figures of figures.csv.

Each page prints only the figures recorded for it in figures.csv, in the wording the record notes
describe; everything else on the page is navigation and filler without numbers.
"""

from __future__ import annotations

import datetime as dt

from samplegen.layouts.common import Doc, Lookup, esc, scaled
from samplegen.truth import (
    AHWANG,
    CSCAIWANG,
    HBZQ_CITIES,
    HBZQ_HEFEI,
    HBZQ_HUAIBEI,
    HBZQ_PROVINCE,
    HEFEI,
    HONGHEIKU_CENSUS,
    HONGHEIKU_FUYANG,
    HUAINAN,
    KIIBK,
    LEHELEHUO,
    PROVINCE,
    XINLIHUI,
)

NOTE = "reconstructed page; only the figures recorded in figures.csv"


def _shell(site: str, title: str, published: str, body: str) -> bytes:
    page = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{esc(title)} - {esc(site)}</title>
<meta name="keywords" content="{esc(title)}">
</head>
<body>
<div class="head"><a href="/">{esc(site)}</a> | <a href="/">首页</a> | <a href="/">资讯</a> | <a href="/">排行</a></div>
<div class="article">
<h1>{esc(title)}</h1>
<div class="info">{published}　来源：网络整理　阅读：<span>1024</span></div>
<div class="content">
{body}
</div>
</div>
<div class="foot">本站内容均来自互联网，仅供参考，如有侵权请联系删除。</div>
</body>
</html>
"""
    return page.encode("utf-8")


def _value(lookup: Lookup, url: str, code: str, indicator: str, end: dt.date) -> str:
    row = lookup.get(url, code, indicator, end)
    if row is None:
        raise ValueError(f"{url} has no truth row {code} {indicator} {end}")
    return str(row.value)


def _wan(lookup: Lookup, url: str, code: str, year: int, decimals: int = 1) -> str:
    row = lookup.get(url, code, "population", dt.date(year, 12, 31))
    if row is None:
        raise ValueError(f"{url} has no population for {code} {year}")
    return scaled(row.value, "万人", decimals)


def _p(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def all_docs(lookup: Lookup) -> list[Doc]:
    docs = []
    ah = PROVINCE[0]

    cells = "".join(f"<td>{_wan(lookup, HBZQ_PROVINCE, ah, y, 0)}</td>" for y in (2019, 2020, 2021))
    body = (
        _p("安徽省人口数据（第七次全国人口普查后修订）：")
        + '<table border="1"><tr><th>地区</th>'
        + "".join(f"<th>{y}年末常住人口（万人）</th>" for y in (2019, 2020, 2021))
        + "<th>2020年户籍人口（万人）</th><th>2021年户籍人口（万人）</th></tr>"
        + f"<tr><td>安徽省</td>{cells}<td>待发布</td><td>待发布</td></tr></table>"
        + _p("数据来源：安徽统计年鉴、安徽省统计局。")
    )
    docs.append(
        Doc(
            HBZQ_PROVINCE,
            _shell("hbzqbyyxgs.com", "安徽省历年常住人口数据一览", "2022-05-06", body),
            "secondary",
            "",
            "安徽省历年常住人口数据一览",
            NOTE,
        )
    )

    body = _p(
        f"2022年末，全省常住人口{_wan(lookup, XINLIHUI, ah, 2022, 0)}万人，比上年末增加14万人。"
    ) + _p("以上数据来自2022年安徽省人口变动情况抽样调查主要数据公报。")
    docs.append(
        Doc(
            XINLIHUI,
            _shell("www.xinlihui.cn", "安徽2022年常住人口增加14万人", "2023-02-17", body),
            "secondary",
            "2023-02-17",
            "安徽2022年常住人口增加14万人",
            NOTE,
        )
    )

    body = _p(f"合肥市：2022年末常住人口{_wan(lookup, HBZQ_HEFEI, HEFEI, 2022)}万人。") + _p(
        f"阜阳市：2022年末常住人口{_wan(lookup, HBZQ_HEFEI, '341200', 2022)}万人。"
    )
    docs.append(
        Doc(
            HBZQ_HEFEI,
            _shell("m.hbzqbyyxgs.com", "安徽人口最多的城市 合肥阜阳位列前二", "2023-04-10", body),
            "secondary",
            "",
            "安徽人口最多的城市",
            NOTE,
        )
    )

    body = _p(
        f"根据淮北市2022年国民经济和社会发展统计公报，年末全市常住人口{_wan(lookup, HBZQ_HUAIBEI, '340600', 2022)}万人。"
    )
    docs.append(
        Doc(
            HBZQ_HUAIBEI,
            _shell("m.hbzqbyyxgs.com", "淮北市2022年统计公报摘要", "2023-04-02", body),
            "secondary",
            "",
            "淮北市2022年统计公报摘要",
            NOTE,
        )
    )

    ranked = [
        ("340700", "铜陵市"),
        ("341000", "黄山市"),
        ("341700", "池州市"),
        ("340500", "马鞍山市"),
    ]
    rows = "".join(
        f"<tr><td>{i}</td><td>{name}</td><td>{_wan(lookup, HBZQ_CITIES, code, 2022)}</td></tr>"
        for i, (code, name) in enumerate(ranked, start=1)
    )
    body = _p("安徽人口最少的城市排行榜（2022年末常住人口）：") + (
        f'<table border="1"><tr><th>排名</th><th>城市</th><th>常住人口（万人）</th></tr>{rows}</table>'
    )
    docs.append(
        Doc(
            HBZQ_CITIES,
            _shell("hbzqbyyxgs.com", "安徽人口最少的城市排名", "2024-08-02", body),
            "secondary",
            "2024-08-02",
            "安徽人口最少的城市排名",
            NOTE,
        )
    )

    body = _p("淮南市，安徽省辖地级市，位于安徽省中北部，是国家重要的能源基地。") + _p(
        f"截至2023年末，淮南市常住人口{_wan(lookup, KIIBK, HUAINAN, 2023)}万人，比上年末减少1.1万人。"
    )
    docs.append(
        Doc(KIIBK, _shell("kiibk.com", "淮南市", "", body), "secondary", "", "淮南市（百科）", NOTE)
    )

    body = _p("2021年，全市经济运行稳中加固、稳中提质。") + _p(
        f"年末全市常住人口{_wan(lookup, HONGHEIKU_FUYANG, '341200', 2021)}万人。"
    )
    docs.append(
        Doc(
            HONGHEIKU_FUYANG,
            _shell(
                "tjgb.hongheiku.com", "阜阳市2021年国民经济和社会发展统计公报", "2022-04-01", body
            ),
            "secondary",
            "",
            "阜阳市2021年国民经济和社会发展统计公报",
            NOTE,
        )
    )

    docs.append(census(lookup))

    def hefei(indicator: str, end: dt.date) -> str:
        text = _value(lookup, CSCAIWANG, HEFEI, indicator, end)
        return text.rstrip("0").rstrip(".") if "." in text else text

    april = dt.date(2023, 4, 30)
    body = "".join(
        _p(t)
        for t in (
            f"2020年底，合肥市万人发明专利拥有量{hefei('invention_patents_per_10k', dt.date(2020, 12, 31))}件。",
            f"2021年底，合肥市万人发明专利拥有量{hefei('invention_patents_per_10k', dt.date(2021, 12, 31))}件。",
            f"2022年底，合肥市万人发明专利拥有量{hefei('invention_patents_per_10k', dt.date(2022, 12, 31))}件。",
            f"截至4月底，合肥市有效发明专利拥有量{hefei('valid_invention_patents', april)}件，占全省的37.93%。",
            f"截至4月底，合肥市万人发明专利拥有量{hefei('invention_patents_per_10k', april)}件，同比增幅23.1%。",
            f"1-4月，合肥市发明专利授权量{hefei('invention_grants', april)}件。",
            f"1-4月，合肥市PCT国际专利申请量{hefei('pct_applications', april)}件，约占全省三分之二。",
        )
    )
    docs.append(
        Doc(
            CSCAIWANG,
            _shell("cscaiwang.cn", "合肥万人发明专利拥有量持续攀升", "2023-06-14", body),
            "secondary",
            "2023-06-14",
            "合肥万人发明专利拥有量持续攀升",
            NOTE,
        )
    )

    grants = lookup.get(LEHELEHUO, ah, "invention_grants", dt.date(2023, 12, 31))
    assert grants is not None
    body = _p(
        "4月19日，2024年长三角知识产权新闻发布会在浙江嘉善举行，沪苏浙皖三省一市分别发布2023年知识产权发展与保护状况。"
    ) + _p(f"安徽：2023年，全省新增发明专利授权量{scaled(grants.value, '万件', 2)}万件。")
    docs.append(
        Doc(
            LEHELEHUO,
            _shell("lehelehuo.com", "2024年长三角知识产权新闻发布会举行", "2024-04-26", body),
            "secondary",
            "2024-04-26",
            "2024年长三角知识产权新闻发布会举行",
            NOTE,
        )
    )

    gi = lookup.get(AHWANG, ah, "gi_products", dt.date(2019, 12, 31))
    assert gi is not None
    body = _p(
        f"截至2019年底，全省累计获批地理标志产品{int(gi.value)}个，地理标志专用标志使用率62.8%。"
    )
    docs.append(
        Doc(
            AHWANG,
            _shell("www.ahwang.cn", "安徽发布2019年地理标志保护工作情况", "2020-05-13", body),
            "secondary",
            "2020-05-13",
            "安徽发布2019年地理标志保护工作情况",
            NOTE,
        )
    )
    return docs


DISTRICTS = [
    ("大 通 区[1]", "大通区含经开区"),
    ("田家庵区[2]", "田家庵区含高新区"),
    ("谢家集区", ""),
    ("八公山区", ""),
    ("潘 集 区", ""),
    ("凤 台 县[3]", "凤台县含毛集实验区"),
    ("寿    县", ""),
]


def census(lookup: Lookup) -> Doc:
    """淮南市第七次全国人口普查公报 on the bulletin aggregator: table 2-1, two-row header."""
    total = lookup.get(HONGHEIKU_CENSUS, HUAINAN, "population", dt.date(2020, 11, 1))
    if total is None:
        raise ValueError("census figure missing from truth")
    rows = [
        f'<tr><td>全 市</td><td align="right">{int(total.value)}</td><td>100.00</td><td>100.00</td></tr>'
    ]
    rows += [
        f"<tr><td>{esc(name)}</td><td>-</td><td>-</td><td>-</td></tr>" for name, _ in DISTRICTS
    ]
    notes = "".join(
        _p(f"注：[{i}]{text}。")
        for i, (_, text) in enumerate([d for d in DISTRICTS if d[1]], start=1)
    )
    body = (
        _p("根据淮南市第七次全国人口普查结果，现将全市及各县区常住人口情况公布如下：")
        + _p("本次普查的标准时点是2020年11月1日零时。")
        + _p("表2-1　各县区常住人口（2020年11月1日零时）")
        + _p("单位:人、%")
        + '<table border="1" cellspacing="0">'
        + '<tr><td rowspan="2">地  区</td><td rowspan="2">常住人口数</td><td colspan="2">比重</td></tr>'
        + "<tr><td>2020年</td><td>2010年</td></tr>"
        + "".join(rows)
        + "</table>"
        + notes
        + _p("淮南市统计局　淮南市第七次全国人口普查领导小组办公室　2021年6月7日")
    )
    title = "淮南市第七次全国人口普查公报（第一号）"
    return Doc(
        HONGHEIKU_CENSUS,
        _shell("tjgb.hongheiku.com", title, "2021-06-07", body),
        "secondary",
        "2021-06-07",
        title,
        NOTE + "; district cells unknown ('-')",
    )
