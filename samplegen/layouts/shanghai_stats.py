"""上海统计年鉴 (tjj.sh.gov.cn): the district tables of the online yearbook, and their ground truth.

Shanghai is one city (310000) on the benchmark side; its 16 districts are regions of their own.
The yearbook of edition Y holds the data of Y-1, one static page per table, reached from the
edition's table of contents (``/tjnj/nj24.htm``), which the yearbook index (``/tjnj/index.html``)
links; no link carries a date. Two tables per edition:

* 2-7 各区年末常住人口: 年末常住人口 (万人, two decimals), the 全市 row = Shanghai's population;
* 8-10 各区有效发明专利情况 (「各区县」 up to the 2023 edition, as the 2022 table was titled):
  有效发明专利 (件); the 全市 row shows ``-`` where a real page prints Shanghai's figure.

Headers are bilingual, three-character names carry full-width spaces (「黄　浦　区」), the total
row reads 「全　　市 Total」 and footnote rows (注/资料来源) close the table. District values are
invented (tier sample) and sum exactly to the Shanghai figures of the ground truth.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from samplegen import benchmark
from samplegen.benchmark import SHANGHAI, _allocate
from samplegen.layouts.common import Doc, Lookup, esc, scaled

TJJ = "https://tjj.sh.gov.cn"
YEARBOOK_INDEX = f"{TJJ}/tjnj/index.html"
SEED = 20240612
# The Shanghai keys this publisher prints (the 全市 rows); the white paper keeps the others.
CITY_FIGURES = ("population", "valid_invention_patents")
DISTRICTS = (
    ("310101", "黄浦区"),
    ("310104", "徐汇区"),
    ("310105", "长宁区"),
    ("310106", "静安区"),
    ("310107", "普陀区"),
    ("310109", "虹口区"),
    ("310110", "杨浦区"),
    ("310112", "闵行区"),
    ("310113", "宝山区"),
    ("310114", "嘉定区"),
    ("310115", "浦东新区"),
    ("310116", "金山区"),
    ("310117", "松江区"),
    ("310118", "青浦区"),
    ("310120", "奉贤区"),
    ("310151", "崇明区"),
)
DISTRICT_NAMES = dict(DISTRICTS)
# Shares of the districts (roughly the 2020 census for people, the patent-rich centre and
# Pudong for patents); invented values are drawn around them.
PEOPLE = {
    "310101": 66, "310104": 111, "310105": 69, "310106": 98, "310107": 124, "310109": 76,
    "310110": 124, "310112": 265, "310113": 224, "310114": 183, "310115": 568, "310116": 82,
    "310117": 191, "310118": 127, "310120": 114, "310151": 64,
}  # fmt: skip
PATENTS = {
    "310101": 3.5, "310104": 11, "310105": 3.5, "310106": 4.5, "310107": 3, "310109": 2,
    "310110": 8, "310112": 10, "310113": 4, "310114": 6, "310115": 30, "310116": 1.5,
    "310117": 5, "310118": 2.5, "310120": 2, "310151": 0.8,
}  # fmt: skip
# (table number, title, English title) per indicator; {district} is 「各区」 or the older 「各区县」.
TABLES = {
    "population": ("2-7", "{district}年末常住人口", "Year-end Resident Population by District"),
    "valid_invention_patents": (
        "8-10",
        "{district}有效发明专利情况",
        "Valid Invention Patents by District",
    ),
}
HEADERS = {
    "population": ("年末常住人口<br>(万人)", "Year-end Resident<br>Population<br>(10 000 persons)"),
    "valid_invention_patents": ("有效发明专利<br>(件)", "Valid Invention<br>Patents<br>(piece)"),
}
# Footnotes carry numbers of their own (years, item numbers) that are never rows.
FOOTNOTES = {
    "population": "注：1.常住人口为年末数。2.2020年起为第七次全国人口普查后修订口径。",
    "valid_invention_patents": "注：1.按专利权人地址统计。2.2021年起不含失效专利。",
}
SOURCE_NOTES = {
    "population": "资料来源：上海市统计局。",
    "valid_invention_patents": "资料来源：上海市知识产权局。",
}
NOTE = "reconstructed layout of the 上海统计年鉴 online edition; invented sample values (samplegen)"


def edition_of(year: int) -> int:
    return year + 1


def published(year: int) -> dt.date:
    """The edition of data year ``year`` goes online at the end of the following year."""
    return dt.date(edition_of(year), 12, 20)


def contents_url(year: int) -> str:
    return f"{TJJ}/tjnj/nj{edition_of(year) % 100:02d}.htm"


def table_url(indicator: str, year: int) -> str:
    return f"{TJJ}/tjnj/{_href(TABLES[indicator][0], year)}"


def place(code: str, indicator: str, year: int) -> str:
    """The yearbook table printing an invented Shanghai or district year-end figure, or ''."""
    if (code == SHANGHAI or code in DISTRICT_NAMES) and indicator in CITY_FIGURES:
        return table_url(indicator, year)
    return ""


# -- the districts' series ---------------------------------------------------------------------


def _noisy(weights: dict[str, float], rng: random.Random) -> dict[str, float]:
    return {c: w * rng.uniform(0.95, 1.05) for c, w in weights.items()}


def district_grid(shanghai: dict[tuple[str, int], Decimal]) -> dict[tuple[str, str, int], int]:
    """(district, indicator, year) -> value; each year's districts sum to ``shanghai``'s value.

    Population is split in units of 100 persons (printed in 万人 with two decimals); patents are
    a stock, so each year's increase is split and no district ever falls."""
    rng = random.Random(SEED)
    grid: dict[tuple[str, str, int], int] = {}
    for year in benchmark.YEARS:
        total = int(shanghai[("population", year)])
        if total % 100:
            raise ValueError(f"Shanghai {year} population {total} is not in whole 100s")
        for code, part in _allocate(total // 100, _noisy(PEOPLE, rng)).items():
            grid[(code, "population", year)] = part * 100
    levels: dict[str, int] = {}
    for i, year in enumerate(benchmark.YEARS):
        total = int(shanghai[("valid_invention_patents", year)])
        if not i:
            levels = _allocate(total, PATENTS)
        else:
            step = _allocate(total - sum(levels.values()), _noisy(PATENTS, rng))
            levels = {c: levels[c] + step[c] for c in levels}
        for code, level in levels.items():
            grid[(code, "valid_invention_patents", year)] = level
    return grid


def district_cells() -> list[benchmark.Cell]:
    """The districts' year-end cells 2019-2023, all invented, from Shanghai's truth values."""
    shanghai = {
        (c.indicator, c.year): c.value
        for c in benchmark.cells()
        if c.region_code == SHANGHAI and c.indicator in CITY_FIGURES
    }
    grid = district_grid(shanghai)
    return [
        benchmark.Cell(code, indicator, year, Decimal(grid[(code, indicator, year)]), "")
        for code, _ in DISTRICTS
        for indicator in CITY_FIGURES
        for year in benchmark.YEARS
    ]


# -- pages ---------------------------------------------------------------------------------------


def _label(name: str) -> str:
    """Three-character names are set to the width of four with full-width spaces."""
    return "\u3000".join(name) if len(name) == 3 else name


def _title(indicator: str, year: int) -> tuple[str, str, str]:
    number, title, english = TABLES[indicator]
    district = "各区县" if indicator != "population" and edition_of(year) <= 2023 else "各区"
    return number, title.format(district=district) + f"({year}年)", f"{english} ({year})"


def _value(lookup: Lookup, url: str, code: str, indicator: str, year: int) -> str:
    row = lookup.get(url, code, indicator, dt.date(year, 12, 31))
    if row is None:
        return "-"
    return scaled(row.value, "万人", 2) if indicator == "population" else str(int(row.value))


def table_page(lookup: Lookup, indicator: str, year: int) -> Doc:
    url = table_url(indicator, year)
    number, title, english = _title(indicator, year)
    chinese, english_header = HEADERS[indicator]
    rows = [
        f'<tr><td colspan="2" class="bt"><b>{number}\u3000{esc(title)}</b></td></tr>',
        f'<tr><td colspan="2" class="bt">{esc(english)}</td></tr>',
        f'<tr class="bth"><td>区\u3000县<br>District</td><td>{chinese}<br>{english_header}</td></tr>',
        f'<tr><td class="dq">全\u3000\u3000市 Total</td>'
        f'<td class="sz">{_value(lookup, url, SHANGHAI, indicator, year)}</td></tr>',
    ]
    for code, name in DISTRICTS:
        value = _value(lookup, url, code, indicator, year)
        rows.append(f'<tr><td class="dq">{_label(name)}</td><td class="sz">{value}</td></tr>')
    for note in (FOOTNOTES[indicator], SOURCE_NOTES[indicator]):
        rows.append(f'<tr><td colspan="2" class="zs">{esc(note)}</td></tr>')
    body = "\n".join(rows)
    page = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{number} {esc(title)}</title>
<link rel="stylesheet" href="../css/nj.css">
</head>
<body>
<table class="nj" border="1" cellspacing="0" cellpadding="2" align="center" width="560">
{body}
</table>
</body>
</html>
"""
    edition = edition_of(year)
    return Doc(
        url,
        page.encode("utf-8"),
        "sample",
        published(year).isoformat(),
        f"上海统计年鉴{edition} {number} {title}",
        NOTE,
    )


# Each table's chapter, and the chapters' other tables as the contents list them (never fetched).
CHAPTERS = {
    "二、人口和就业 Population and Employment": (
        "population",
        ("2-1", "户数、人口、人口密度和户籍人口期望寿命"),
        ("2-2", "常住人口基本情况"),
        ("2-6", "各区户籍人口、户数和人口密度"),
    ),
    "八、科学技术 Science and Technology": (
        "valid_invention_patents",
        ("8-1", "科技活动基本情况"),
        ("8-8", "专利申请和授权情况"),
    ),
}


def _href(number: str, year: int) -> str:
    chapter, table = number.split("-")
    return f"{edition_of(year)}tjnj/C{int(chapter):02d}{int(table):02d}.htm"


def contents_page(year: int) -> Doc:
    edition = edition_of(year)
    items = []
    for chapter, (indicator, *others) in CHAPTERS.items():
        number, title, _ = _title(indicator, year)
        tables = sorted([*others, (number, title)], key=lambda t: int(t[0].split("-")[1]))
        items.append(f'<li class="zhang">{esc(chapter)}</li>')
        items += [
            f'<li><a href="{_href(n, year)}" target="main">{n}\u3000{esc(t)}</a></li>'
            for n, t in tables
        ]
    body = "\n".join(items)
    page = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>上海统计年鉴{edition}</title>
</head>
<body>
<div class="njtitle">上海统计年鉴{edition}<br>SHANGHAI STATISTICAL YEARBOOK {edition}</div>
<ul class="mulu">
{body}
</ul>
<div class="fy"><a href="index.html">返回年鉴列表</a></div>
</body>
</html>
"""
    return Doc(
        contents_url(year),
        page.encode("utf-8"),
        "sample",
        "",
        f"上海统计年鉴{edition} 目录",
        "reconstructed table of contents; lists the sampled tables and a few others",
    )


def index_page() -> Doc:
    links = "\n".join(
        f'<li><a href="{contents_url(year).removeprefix(f"{TJJ}/tjnj/")}" target="_blank">'
        f"上海统计年鉴{edition_of(year)}</a></li>"
        for year in sorted(benchmark.YEARS, reverse=True)
    )
    page = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>统计年鉴_上海市统计局</title>
</head>
<body>
<div class="header"><a href="{TJJ}/">上海市统计局</a> | 统计数据 | 统计年鉴 | 统计公报</div>
<div class="position">当前位置：首页 &gt; 统计数据 &gt; 统计年鉴</div>
<ul class="nj-list">
{links}
</ul>
<div class="footer">主办：上海市统计局　沪ICP备</div>
</body>
</html>
"""
    return Doc(
        YEARBOOK_INDEX, page.encode("utf-8"), "sample", "", "统计年鉴", "reconstructed listing"
    )


def all_docs(lookup: Lookup) -> list[Doc]:
    docs = [index_page()]
    for year in benchmark.YEARS:
        docs.append(contents_page(year))
        docs += [table_page(lookup, indicator, year) for indicator in CITY_FIGURES]
    return docs
