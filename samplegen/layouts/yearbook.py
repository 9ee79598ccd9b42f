"""安徽统计年鉴 (tjj.ah.gov.cn): Excel "save as web page" tables and a listing that links them.

Yearbook YYYY holds the data of YYYY-1. Data rows are ``tr`` with ``height="19"``; numbers carry
``x:num``; styles are mso classes. Population in 万人 with two decimals; market entities in 户 in
earlier editions and 万户 from the 2023 edition (经营主体 from the 2024 edition).
"""

from __future__ import annotations

import datetime as dt

from samplegen.layouts.common import Doc, Lookup, esc, scaled, spaced
from samplegen.truth import AH_TJJ, CITIES, PROVINCE, YEARBOOK_LISTING, YEARS, yearbook_url

STYLE = """<style>
<!--table
	{mso-displayed-decimal-separator:"\\.";
	mso-displayed-thousand-separator:"\\,";}
.xl24 {mso-style-parent:style0; font-size:10.0pt; font-family:宋体; mso-number-format:"\\@"; text-align:left;}
.xl25 {mso-style-parent:style0; font-size:10.0pt; font-family:宋体; mso-number-format:"0\\.00"; text-align:right;}
.xl26 {mso-style-parent:style0; font-size:10.0pt; font-family:宋体; mso-number-format:0; text-align:right;}
.xl27 {mso-style-parent:style0; font-size:12.0pt; font-weight:700; font-family:黑体; text-align:center;}
-->
</style>"""


def _sheet(title: str, unit: str, headers: list[str], rows: list[list[tuple[str, str]]]) -> str:
    """rows: cells as (text, x:num value or "")."""
    width = len(headers)
    out = [
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">',
        "<head>",
        '<meta http-equiv=Content-Type content="text/html; charset=utf-8">',
        "<meta name=ProgId content=Excel.Sheet>",
        '<meta name=Generator content="Microsoft Excel 11">',
        '<link rel=File-List href="filelist.xml">',
        '<link rel=Edit-Time-Data href="editdata.mso">',
        STYLE,
        "</head>",
        "<body link=blue vlink=purple>",
        f"<table x:str border=0 cellpadding=0 cellspacing=0 width={90 + 110 * (width - 1)} style='border-collapse:collapse;table-layout:fixed'>",
        f"<col width=90><col width=110 span={width - 1}>",
        f'<tr height="27"><td colspan={width} class=xl27>{esc(title)}</td></tr>',
        f"<tr height=\"19\"><td colspan={width} class=xl24 style='text-align:right'>{esc(unit)}</td></tr>",
        '<tr height="19">' + "".join(f"<td class=xl24>{esc(h)}</td>" for h in headers) + "</tr>",
    ]
    for cells in rows:
        tds = []
        for text, num in cells:
            if num:
                cls = "xl25" if "." in text else "xl26"
                tds.append(f'<td class={cls} x:num="{num}">{esc(text)}</td>')
            else:
                tds.append(f"<td class=xl24>{esc(text)}</td>")
        out.append("<tr height=\"19\" style='height:14.25pt'>" + "".join(tds) + "</tr>")
    out += [
        "<![if supportMisalignedColumns]>",
        "<tr height=0 style='display:none'></tr>",
        "<![endif]>",
        "</table>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def _region(code: str) -> str:
    return "全 省" if code == PROVINCE[0] else spaced(code)


def population_table(lookup: Lookup, year: int) -> Doc:
    url = yearbook_url(year, "population")
    end = dt.date(year, 12, 31)
    rows = []
    for code in (PROVINCE[0], *(c for c, _ in CITIES)):
        row = lookup.get(url, code, "population", end)
        text = scaled(row.value, "万人", 2) if row else "-"
        rows.append([(_region(code), ""), (text, text if row else "")])
    edition = year + 1
    title = f"3-2  各市年末常住人口（{year}年）"
    page = _sheet(title, "单位：万人", ["地  区", "年末常住人口"], rows)
    return Doc(
        url,
        page.encode("utf-8"),
        "sample",
        f"{edition}-10-30",
        f"安徽统计年鉴{edition} {title}",
        "invented figures; cells printed elsewhere are '-'",
    )


def entities_table(lookup: Lookup, year: int) -> Doc:
    url = yearbook_url(year, "market_entities")
    end = dt.date(year, 12, 31)
    edition = year + 1
    in_wan = edition >= 2023
    term = "经营主体" if edition >= 2024 else "市场主体"
    rows = []
    for code in (PROVINCE[0], *(c for c, _ in CITIES)):
        row = lookup.get(url, code, "market_entities", end)
        if row is None:
            rows.append([(_region(code), ""), ("-", "")])
            continue
        text = scaled(row.value, "万户", 2) if in_wan else str(int(row.value))
        rows.append([(_region(code), ""), (text, text)])
    title = f"13-6  各市实有{term}（{year}年末）"
    unit = "单位：万户" if in_wan else "单位：户"
    page = _sheet(title, unit, ["地  区", f"实有{term}"], rows)
    return Doc(
        url,
        page.encode("utf-8"),
        "sample",
        f"{edition}-10-30",
        f"安徽统计年鉴{edition} {title}",
        "invented figures; cells printed elsewhere are '-'",
    )


def listing(docs: list[Doc]) -> Doc:
    items = "\n".join(
        f'<li><a href="{d.url}" target="_blank" title="{esc(d.title)}">{esc(d.title)}</a><span>{d.published_on}</span></li>'
        for d in sorted(docs, key=lambda d: (d.published_on, d.url), reverse=True)
    )
    page = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>统计年鉴_安徽省统计局</title>
</head>
<body>
<div class="header"><a href="{AH_TJJ}/">安徽省统计局</a> | 首页 | 统计数据 | 统计年鉴 | 统计公报 | 数据解读</div>
<div class="position">当前位置：<a href="{AH_TJJ}/">首页</a> &gt; 统计数据 &gt; 统计年鉴</div>
<div class="navjz clearfix"><ul class="doc_list">
{items}
</ul></div>
<div class="footer">主办：安徽省统计局　皖ICP备05001541号</div>
</body>
</html>
"""
    return Doc(
        YEARBOOK_LISTING, page.encode("utf-8"), "sample", "", "安徽统计年鉴（网页版）", "listing"
    )


def all_docs(lookup: Lookup) -> list[Doc]:
    docs = [population_table(lookup, y) for y in YEARS] + [entities_table(lookup, y) for y in YEARS]
    return docs + [listing(docs)]
