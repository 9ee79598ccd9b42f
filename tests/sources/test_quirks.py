"""One test per quirk of ../shared/reference/quirks.md, each on a fixture in the real layout,
through the public entry points (``extract_document``, the normaliser, discovery helpers)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sources.errors import ParseError
from sources.extract.body import article_text
from sources.extract.document import extract_document
from sources.normalise import normalise_all
from sources.publishers import cnipa
from sources.publishers.generic import parse_with_extractors
from sources.publishers.listing import attachment_links, listing_items, page_count
from sources.records import Document, DocumentRef, RawObservation
from sources.reference.matching import resolve_indicator

D23 = dt.date(2023, 12, 31)


def page(body: str, title: str = "统计", charset: str = "utf-8") -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body>{body}</body></html>"
    )


def values(html: str | bytes, **kwargs) -> dict:
    content = html.encode("utf-8") if isinstance(html, str) else html
    found = extract_document(content, filename="page.html", **kwargs)
    return {
        (o.region_code, o.indicator, o.period_kind, o.period_end): (o.value, o.unit, o.qualifier)
        for o in found.observations
    }


def doc(content: bytes, url: str = "https://amr.ah.gov.cn/xwdt/gsgg/1.html", **ref) -> Document:
    return Document(
        ref=DocumentRef("anhui_amr", url, **ref), content=content, sha256="0" * 64, final_url=url
    )


CNIPA_2023 = page(
    """<table><tr><td>2023知识产权统计年报</td></tr>
<tr><td><b>3-7 分地区分专利权人类型国内外观设计专利有效量(2023年)</b></td></tr></table>
<table border="1">
<tr><td colspan="4">表号：知统年3-7　制定机关：国家知识产权局　有效期至：2025年12月</td></tr>
<tr><td colspan="4">数据截至：2023.12.31</td></tr>
<tr><td colspan="4" align="right">单位:件 (piece)</td></tr>
<tr><td rowspan="2">地 区<br>Region</td><td rowspan="2">合计<br>Total</td>
<td colspan="2">专利权人类型 Type of Patentee</td></tr>
<tr><td>企业<br>Enterprises</td><td>个人<br>Individuals</td></tr>
<tr><td>合计 Total</td><td>3000000</td><td>-</td><td>-</td></tr>
<tr><td>国内小计 Domestic Sub-total</td><td>2900000</td><td>-</td><td>-</td></tr>
<tr><td>上海&nbsp;&nbsp;Shanghai</td><td>117009</td><td>-</td><td>-</td></tr>
<tr><td>安徽&nbsp;&nbsp;Anhui</td><td>64225</td><td>41222</td><td>20433</td></tr>
<tr><td>国外 Foreign</td><td>100000</td><td>-</td><td>-</td></tr>
</table>""",
    title="3-7 分地区分专利权人类型国内外观设计专利有效量",
)


def test_quirk_01_metadata_rows_above_the_table_and_the_unit_line():
    got = values(CNIPA_2023)
    assert got[("340000", "valid_designs", "stock", D23)] == (Decimal(64225), "件", "")
    # 表号…有效期至：2025年12月 is metadata, not the period.
    assert all(key[3] == D23 for key in got)


def test_quirk_02_two_level_merged_header_gives_one_indicator_per_column():
    html = page(
        """<p>2023年各市专利授权量</p><p>单位：件</p><table border="1">
<tr><td rowspan="2">地区</td><td colspan="3">专利授权量</td></tr>
<tr><td>发明</td><td>实用新型</td><td>外观设计</td></tr>
<tr><td>合肥市</td><td>16532</td><td>30000</td><td>15004</td></tr></table>"""
    )
    got = values(html)
    assert got[("340100", "invention_grants", "year", D23)][0] == 16532
    assert got[("340100", "utility_model_grants", "year", D23)][0] == 30000
    assert got[("340100", "design_grants", "year", D23)][0] == 15004


def test_quirk_03_wrapped_header_words_are_joined():
    html = page(
        """<p>附件1 2023年全省各地区专利授权量</p><p>单位：件</p><table border="1">
<tr><td>地区</td><td>发明</td><td>实用<br>新型</td><td>外观<br>设计</td><td>合计<br>授权量</td></tr>
<tr><td>宁波市</td><td>8000</td><td>30000</td><td>15000</td><td>53000</td></tr></table>"""
    )
    got = values(html)
    assert got[("330200", "utility_model_grants", "year", D23)][0] == 30000
    assert got[("330200", "design_grants", "year", D23)][0] == 15000
    assert got[("330200", "patents_granted", "year", D23)][0] == 53000


def test_quirk_04_bilingual_cells_one_or_two_cells():
    got = values(CNIPA_2023)
    assert got[("310000", "valid_designs", "stock", D23)][0] == 117009
    two_cells = page(
        """<p>6-4 分地区PCT国际专利申请受理量(2023年)</p><p>单位:件</p><table border="1">
<tr><td colspan="2">地 区<br>Region</td><td>2023年</td></tr>
<tr><td>浙江</td><td>Zhejiang</td><td>4364</td></tr></table>"""
    )
    assert values(two_cells)[("330000", "pct_applications", "year", D23)][0] == 4364


def test_quirk_05_percent_share_rows_are_never_counts():
    html = page(
        """<p>1-7 分地区国内发明专利申请受理量</p><p>2018.1-2018.12</p><p>单位：件</p>
<table border="1"><tr><td>地区</td><td>合计</td><td>企业</td></tr>
<tr><td>安徽</td><td>76293</td><td>60000</td></tr><tr><td>Anhui</td><td>4.58</td><td>4.10</td></tr>
</table>"""
    )
    got = values(html)
    assert got == {
        ("340000", "invention_applications", "year", dt.date(2018, 12, 31)): (
            Decimal(76293),
            "件",
            "",
        )
    }


def test_quirk_06_english_tables_with_two_records_per_row():
    html = page(
        """<p>Invention Patents in Force by Region (as of 2023.10.31)</p><p>Unit: piece</p>
<table border="1"><tr><td>No.</td><td>Region</td><td>Number</td><td>No.</td><td>Region</td>
<td>Number</td></tr>
<tr><td>1</td><td>Guangdong</td><td>512345</td><td>17</td><td>Anhui</td><td>41234</td></tr>
<tr><td>2</td><td>Jiangsu</td><td>432101</td><td>18</td><td>Shanghai</td><td>40321</td></tr>
</table>""",
        title="截至2023年10月底国内发明专利有效量",
    )
    got = values(html)
    end = dt.date(2023, 10, 31)
    assert got[("340000", "valid_invention_patents", "stock", end)][0] == 41234
    assert got[("310000", "valid_invention_patents", "stock", end)][0] == 40321


SPACED = page(
    """<p>3-6 各市年末常住人口</p><p>单位：万人</p><table border="1">
<tr><td>地  区</td><td>2017</td></tr><tr><td></td><td>2441.45</td></tr>
<tr><td>南 京 市</td><td>833.50</td></tr><tr><td>无 锡 市</td><td>655.30</td></tr>
<tr><td>苏 州 市</td><td>952.65</td></tr><tr><td></td><td>2441.45</td></tr>
<tr><td>其 他</td><td>-</td></tr></table>"""
)


def test_quirk_07_spaced_names():
    got = values(SPACED)
    assert got[("320100", "population", "stock", dt.date(2017, 12, 31))][0] == Decimal("833.50")


def test_quirk_08_empty_label_total_row_by_position_and_sum():
    got = values(SPACED)
    assert got[("320000", "population", "stock", dt.date(2017, 12, 31))][0] == Decimal("2441.45")


def test_quirk_09_group_subtotals_are_never_regions():
    html = page(
        """<p>2023年各市专利授权量（件）</p><table border="1"><tr><td>地区</td><td>2023年</td></tr>
<tr><td>苏南</td><td>300000</td></tr><tr><td>江苏沿江八市</td><td>400000</td></tr>
<tr><td>南京市</td><td>90000</td></tr></table>"""
    )
    got = values(html)
    assert set(got) == {("320100", "patents_granted", "year", D23)}
    assert values(CNIPA_2023)[("100000", "valid_designs", "stock", D23)][0] == 2900000


ZHEJIANG_BLOCK = page(
    """<p>附件1</p><p>2023年全省各地区专利授权量</p><p>单位：件</p><table border="1">
<tr><td colspan="2">地区</td><td>发明</td></tr>
<tr><td rowspan="4">杭州市</td><td>市本级</td><td>31459</td></tr>
<tr><td>滨江区</td><td>9876</td></tr><tr><td>桐庐县</td><td>221</td></tr>
<tr><td>合计</td><td>31981</td></tr></table>"""
)


def test_quirk_10_shibenji_is_never_the_city():
    got = values(ZHEJIANG_BLOCK)
    assert got[("330100", "invention_grants", "year", D23)][0] == 31981
    assert Decimal(31459) not in {v[0] for v in got.values()}


def test_quirk_11_rowspan_city_blocks_keep_districts_as_regions():
    got = values(ZHEJIANG_BLOCK)
    assert got[("330108", "invention_grants", "year", D23)][0] == 9876
    assert got[("330122", "invention_grants", "year", D23)][0] == 221


def test_quirk_12_missing_markers_are_missing_not_zero():
    html = page(
        """<p>2023年各市PCT国际专利申请量（件）</p><table border="1"><tr><td>地区</td><td>2023年</td></tr>
<tr><td>淮南市</td><td>-</td></tr><tr><td>淮北市</td><td>—</td></tr><tr><td>铜陵市</td><td></td></tr>
<tr><td>池州市</td><td>/</td></tr><tr><td>芜湖市</td><td>0</td></tr></table>"""
    )
    got = values(html)
    assert set(got) == {("340200", "pct_applications", "year", D23)}
    assert got[("340200", "pct_applications", "year", D23)][0] == 0


def test_quirk_13_units_in_headers_lines_and_prose_become_canonical():
    html = page(
        """<p>截至2023年底，全省有效发明专利拥有量达到16.85万件。</p>
<p>2023年各市知识产权质押融资</p><p>单位：亿元</p><table border="1">
<tr><td>地区</td><td>专利权质押融资金额</td><td>每万人口高价值发明专利拥有量（件/万人）</td></tr>
<tr><td>淮南市</td><td>12.35</td><td>3.11</td></tr></table>"""
    )
    found = extract_document(html.encode(), filename="p.html", region_code="340000")
    observations, quarantine, _ = normalise_all(found.observations, doc(html.encode()))
    got = {(o.region_code, o.indicator): (o.value, o.unit) for o in observations}
    assert got[("340400", "patent_pledge_amount")] == (Decimal(1235000000), "元")
    assert got[("340400", "high_value_patents_per_10k")] == (Decimal("3.11"), "件/万人")
    assert got[("340000", "valid_invention_patents")] == (Decimal(168500), "件")
    assert not quarantine


def test_quirk_14_gbk_page_whose_header_says_utf8():
    html = page(
        "<p>2023年各市专利授权量（件）</p><table border=1><tr><td>地区</td><td>2023年</td></tr>"
        "<tr><td>蚌埠市</td><td>8123</td></tr></table>",
        charset="gbk",
    ).encode("gbk")
    got = values(html, declared_encoding="utf-8")
    assert got[("340300", "patents_granted", "year", D23)][0] == 8123


def test_quirk_15_stock_flow_and_ytd_from_the_sentence_and_page_date():
    text = (
        "<div id='zoom'><p>发布时间：2023-05-10</p>"
        "<p>截至4月底，全市有效发明专利拥有量57564件。1-4月，全市发明专利授权量4082件。</p></div>"
    )
    got = values(page(text), region_code="340100")
    assert got[("340100", "valid_invention_patents", "stock", dt.date(2023, 4, 30))][0] == 57564
    assert got[("340100", "invention_grants", "ytd", dt.date(2023, 4, 30))][0] == 4082


def test_quirk_16_bound_words_are_qualifiers():
    text = "<div id='zoom'><p>2023年，全市作品登记量突破41万件。</p></div>"
    got = values(page(text), region_code="310000", published=dt.date(2024, 4, 25))
    assert got[("310000", "copyright_registrations", "year", D23)] == (
        Decimal(410000),
        "件",
        "lower_bound",
    )


def test_quirk_17_growth_rates_and_ranks_are_not_levels():
    text = (
        "<div id='zoom'><p>去年全市PCT国际专利申请量6185件，同比增长10.6%，居全国第4位。</p></div>"
    )
    got = values(page(text), region_code="310000", published=dt.date(2024, 2, 20))
    assert got == {("310000", "pct_applications", "year", D23): (Decimal(6185), "件", "")}


def test_quirk_18_population_vintage_follows_the_publication():
    text = "<div id='zoom'><p>2019年末全省常住人口6365.9万人。</p></div>"
    content = page(text).encode()
    found = extract_document(content, filename="p.html", region_code="340000")
    document = doc(content, published_on=dt.date(2020, 3, 18))
    observations, _, _ = normalise_all(found.observations, document)
    (population,) = observations
    assert (population.value, population.vintage) == (Decimal(63659000), "pre-census")


def test_quirk_19_cnipa_method_break_keeps_earlier_years_apart():
    html = page(
        """<p>3-1 Invention Patents in Force, Domestic and Foreign</p><p>Unit: piece</p>
<table border="1"><tr><td>Region</td><td>2020</td><td>2021</td></tr>
<tr><td>Domestic</td><td>2279123</td><td>2773287</td></tr></table>"""
    ).encode()
    url = "https://english.cnipa.gov.cn/jianbao/year2022/c/c1.html"
    result = cnipa.parse(doc(html, url=url))
    series = {o.period_end.year: o.series for o in result.observations}
    assert series == {2020: cnipa.BREAK_SERIES, 2021: ""}


def test_quirk_20_synonyms_and_false_friends():
    for label in ("万人发明专利拥有量", "每万人口发明专利拥有量", "每万人有效发明专利量"):
        assert resolve_indicator(label).id == "invention_patents_per_10k"
    assert resolve_indicator("每百户企业有效注册商标量").id != "trademarks_per_10k_entities"


def test_quirk_21_market_entity_term_change_is_one_series():
    assert resolve_indicator("市场主体").id == resolve_indicator("经营主体").id == "market_entities"


def test_quirk_22_on_page_date_wins_over_the_url_date():
    html = page("<div class='main'><p>时间：2023-04-25</p><p>2022年上海知识产权白皮书</p></div>")
    found = extract_document(
        html.encode(), filename="20230531/b428.html", fallback_published=dt.date(2023, 5, 31)
    )
    assert found.published == dt.date(2023, 4, 25)


def test_quirk_23_dates_with_dots_in_listings():
    listing = (
        '<ul class="uli14 nowrapli list-date"><li><a href="/shzscqzk/20230531/b428.html" '
        'title="2022年上海知识产权白皮书">2022年上海知识产权白皮书</a><span>2023.04.25</span></li></ul>'
    )
    (item,) = listing_items(listing, "https://sipa.sh.gov.cn/tzgg/")
    assert item.posted_on == dt.date(2023, 4, 25)
    assert item.url == "https://sipa.sh.gov.cn/shzscqzk/20230531/b428.html"


def test_quirk_24_hanweb_cdata_records_and_page_count():
    listing = (
        '<div id="5324848"><script type="text/xml"><datastore><recordset>'
        '<record><![CDATA[<li><a href="/art/2024/2/27/art_1229693039_2513564.html" '
        'title="关于印发2023年全省专利授权量等统计数据的通知">关于印发…</a><span>[2024-02-27]</span></li>]]></record>'
        "</recordset></datastore></script></div><script>var pageCount:3;</script>"
    )
    (item,) = listing_items(listing, "https://zjamr.zj.gov.cn/col/col1228969897/index.html")
    assert item.url.endswith("art_1229693039_2513564.html")
    assert item.posted_on == dt.date(2024, 2, 27)
    assert page_count("pageCount:3, pageSize:15") == 3


def test_quirk_25_boilerplate_before_the_body_is_not_mined():
    html = page(
        "<div class='meta'>信息索引号：014000319/2025-00424 发文日期：2025-04-24 发布机构：无锡市市场监管局</div>"
        "<div id='zoom'><p>版权所有 未经授权禁止转载，违者必究（共计1000件作品）</p>"
        "<p>2024年，全市PCT国际专利申请量1350件。</p></div>"
    )
    body = article_text(html)
    assert "信息索引号" not in body and "版权所有" not in body
    got = values(html, region_code="320200")
    assert got == {
        ("320200", "pct_applications", "year", D23.replace(year=2024)): (Decimal(1350), "件", "")
    }


def test_quirk_26_traditional_character_mirrors():
    text = "<div id='zoom'><p>截至2023年底，全省有效發明專利擁有量16.85萬件。</p></div>"
    got = values(page(text), region_code="340000")
    assert got[("340000", "valid_invention_patents", "stock", D23)][0] == 168500


def test_quirk_27_data_only_in_images_is_reported_not_zero():
    html = page("<div id='zoom'><p>图2 各地市有效发明专利分布</p><img src='fig2.png'></div>")
    result = parse_with_extractors(doc(html.encode()))
    assert not result.observations
    assert "images" in result.quarantine[0].reason


def test_quirk_28_attachments_are_found():
    html = page(
        '<div class="wz"><p>附件：<img src="/assets/images/files2/xls.gif">'
        '<a href="/group1/M00/2023zscq.xls">2023年各市知识产权主要指标.xls</a>'
        '<a href="fj2.pdf">附件2.pdf</a><a href="/xwdt/">返回</a></p></div>'
    )
    links = attachment_links(html, "https://amr.ah.gov.cn/xwdt/gsgg/1.html")
    assert [url for url, _ in links] == [
        "https://amr.ah.gov.cn/group1/M00/2023zscq.xls",
        "https://amr.ah.gov.cn/xwdt/gsgg/fj2.pdf",
    ]


def test_yearbook_contents_that_are_no_html_give_no_tables_not_a_traceback():
    from sources.publishers import jiangsu_stats, shanghai_stats

    for content in (b"", b"\x00\x01\x02", "  ".encode("gbk")):
        assert jiangsu_stats.yearbook_tables(content, "http://tj.jiangsu.gov.cn/2019/") == []
        assert shanghai_stats.editions(content, "https://tjj.sh.gov.cn/tjnj/index.html") == []


def test_quirk_29_ytd_starting_mid_month_keeps_the_published_period():
    html = page(
        """<p>2022年1-10月地理标志业务统计表（2021.12.16-2022.10.15）</p><p>单位：件</p>
<table border="1"><tr><td>地区</td><td>地理标志商标注册量</td></tr>
<tr><td>安徽</td><td>12</td></tr></table>"""
    )
    got = values(html)
    assert got[("340000", "gi_trademarks", "ytd", dt.date(2022, 10, 15))][0] == 12


def test_quirk_30_scanned_pdf_is_a_clear_error(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(50, 50, 400, 600, fill=1)
    pdf.save()
    with pytest.raises(ParseError, match="no text layer"):
        extract_document(path.read_bytes(), filename="scan.pdf")


def test_raw_observation_is_what_the_extractor_returns():
    found = extract_document(CNIPA_2023.encode(), filename="c7.html")
    assert all(isinstance(o, RawObservation) for o in found.observations)


def test_hanweb_listing_date_in_a_sibling_block():
    listing = (
        '<div id="div75904"><div class="item"><div class="text"><a href="/art/2024/10/25/a.html" '
        'title="2024年1-9月江苏省知识产权数据统计">2024年1-9月江苏省知识产权数据统计</a></div>'
        '<div class="text-date">2024-10-25</div></div></div>'
    )
    (item,) = listing_items(listing, "https://jsip.jiangsu.gov.cn/col/col85036/index.html")
    assert item.posted_on == dt.date(2024, 10, 25)
