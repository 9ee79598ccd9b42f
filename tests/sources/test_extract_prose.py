"""Figures in sentences (quirks 15-17, 20-21, 25-26): press releases, white papers, bulletins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sources.extract.body import article_text, is_boilerplate, page_text, simplify
from sources.extract.periods import published_date_in
from sources.extract.prose import extract_prose

D = dt.date


def rows(result):
    """The observations as comparable tuples."""
    return [
        (
            o.region_label,
            o.indicator,
            o.period_kind,
            o.period_end,
            o.value,
            o.unit,
            o.qualifier,
        )
        for o in result.observations
    ]


def test_stock_and_per_10k_ratio_with_growth_rate_beside_them():
    text = "截至2023年底，全市有效发明专利拥有量达到2856件，每万人口高价值发明专利拥有量3.21件，同比增长12.3%。"
    result = extract_prose(text, D(2024, 1, 20), region_hint="淮南市")
    assert rows(result) == [
        ("淮南市", "valid_invention_patents", "stock", D(2023, 12, 31), Decimal(2856), "件", ""),
        (
            "淮南市",
            "high_value_patents_per_10k",
            "stock",
            D(2023, 12, 31),
            Decimal("3.21"),
            "件/万人",
            "",
        ),
    ]
    first, second = result.observations
    assert first.region_code == "340400"
    assert first.indicator_label == "有效发明专利拥有量"
    assert second.indicator_label == "每万人口高价值发明专利拥有量"
    assert first.evidence == text.rstrip("。")
    assert first.location == "sentence 1"
    # 12.3% is the growth of the ratio, not a level; it is not even reported as skipped.
    assert result.skipped == []


def test_year_to_date_with_qizhong_clause_and_multiplier():
    text = "1-9月，全省专利授权量28.9万件，其中发明专利授权6.26万件，同比增长23.1%。"
    result = extract_prose(text, D(2023, 10, 20), region_hint="安徽省")
    assert rows(result) == [
        ("安徽省", "patents_granted", "ytd", D(2023, 9, 30), Decimal(289000), "件", ""),
        ("安徽省", "invention_grants", "ytd", D(2023, 9, 30), Decimal(62600), "件", ""),
    ]
    assert [o.region_code for o in result.observations] == ["340000", "340000"]
    assert all(o.value != Decimal("23.1") for o in result.observations)


def test_qizhong_after_a_semicolon_inherits_period_and_region():
    text = "1-9月，合肥市专利授权量2.1万件，居全省第1位；其中，发明专利授权量3000件。"
    result = extract_prose(text, D(2023, 10, 20), region_hint="安徽省")
    assert rows(result) == [
        ("合肥市", "patents_granted", "ytd", D(2023, 9, 30), Decimal(21000), "件", ""),
        ("合肥市", "invention_grants", "ytd", D(2023, 9, 30), Decimal(3000), "件", ""),
    ]
    # A semicolon separates clauses, not sentences: both figures have the sentence as evidence.
    assert [o.location for o in result.observations] == ["sentence 1", "sentence 1"]


def test_stock_at_month_end_with_lower_bound():
    result = extract_prose(
        "截至4月底，有效商标注册量突破1万件", D(2023, 5, 10), region_hint="上海市"
    )
    assert rows(result) == [
        ("上海市", "valid_trademarks", "stock", D(2023, 4, 30), Decimal(10000), "件", "lower_bound")
    ]


def test_half_year_money_in_yuan_and_follow_on_clause():
    text = "上半年，全市专利权质押融资金额12.5亿元，惠及企业近80家"
    result = extract_prose(text, D(2023, 7, 20), region_hint="淮南市")
    assert rows(result) == [
        ("淮南市", "patent_pledge_amount", "half", D(2023, 6, 30), Decimal(1250000000), "元", ""),
        (
            "淮南市",
            "pledge_financed_entities",
            "half",
            D(2023, 6, 30),
            Decimal(80),
            "家",
            "upper_bound",
        ),
    ]


def test_last_year_and_rank_is_not_a_value():
    text = "去年全市PCT国际专利申请量达6185件，居全国第4位。"
    result = extract_prose(text, D(2024, 2, 20), region_hint="340400")
    assert rows(result) == [
        ("淮南市", "pct_applications", "year", D(2023, 12, 31), Decimal(6185), "件", "")
    ]
    assert result.observations[0].region_code == "340400"
    assert result.skipped == []


def test_bound_words_and_chinese_numerals():
    text = (
        "全年作品登记量突破41万件；截至2023年底，全省专利代理机构逾百家，"
        "有效发明专利两千余件；2023年，全省共认定国家知识产权示范企业十二家。"
    )
    result = extract_prose(text, D(2024, 1, 10), region_hint="江苏省")
    assert rows(result) == [
        (
            "江苏省",
            "copyright_registrations",
            "year",
            D(2023, 12, 31),
            Decimal(410000),
            "件",
            "lower_bound",
        ),
        ("江苏省", "patent_agencies", "stock", D(2023, 12, 31), Decimal(100), "家", "lower_bound"),
        (
            "江苏省",
            "valid_invention_patents",
            "stock",
            D(2023, 12, 31),
            Decimal(2000),
            "件",
            "lower_bound",
        ),
        ("江苏省", "national_demo_firms", "stock", D(2023, 12, 31), Decimal(12), "家", ""),
    ]


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("2023年，全市商标注册量超过1万件", "lower_bound"),
        ("2023年，全市商标注册量1万件以上", "lower_bound"),
        ("2023年，全市商标注册量1万余件", "lower_bound"),
        ("2023年，全市商标注册量接近1万件", "upper_bound"),
        ("2023年，全市商标注册量不足1万件", "upper_bound"),
        ("2023年，全市商标注册量约1万件", "approx"),
        ("2023年，全市商标注册量1万件左右", "approx"),
        ("2023年，全市商标注册量达到1万件", ""),
    ],
)
def test_bound_word_sets_the_qualifier(text, qualifier):
    (obs,) = extract_prose(text, D(2024, 1, 10), region_hint="淮南市").observations
    assert (obs.value, obs.unit, obs.qualifier) == (Decimal(10000), "件", qualifier)


def test_huainan_statistical_bulletin_population_and_market_entities():
    text = (
        "年末全市常住人口303.3万人，比上年末减少0.2万人。"
        "年末全市市场主体（经营主体）总数28.6万户，比上年末增长8.1%。"
    )
    result = extract_prose(text, D(2024, 3, 28), region_hint="淮南市")
    assert rows(result) == [
        ("淮南市", "population", "stock", D(2023, 12, 31), Decimal(3033000), "人", ""),
        ("淮南市", "market_entities", "stock", D(2023, 12, 31), Decimal(286000), "户", ""),
    ]


def test_jiangsu_and_nantong_phrasings():
    jiangsu = extract_prose(
        "截至2023年底，全省万人发明专利拥有量突破60件。", D(2024, 1, 15), region_hint="江苏省"
    )
    assert rows(jiangsu) == [
        (
            "江苏省",
            "invention_patents_per_10k",
            "stock",
            D(2023, 12, 31),
            Decimal(60),
            "件/万人",
            "lower_bound",
        )
    ]
    nantong = extract_prose(
        "1-10月份，全市专利授权量4.2万件。", D(2023, 11, 15), region_hint="南通市"
    )
    assert rows(nantong) == [
        ("南通市", "patents_granted", "ytd", D(2023, 10, 31), Decimal(42000), "件", "")
    ]
    assert nantong.observations[0].region_code == "320600"


def test_named_regions_in_one_sentence():
    text = "2023年，合肥市专利授权量6.8万件，淮南市专利授权量5623件。"
    result = extract_prose(text, D(2024, 1, 10), region_hint="安徽省")
    assert [(o.region_label, o.region_code, o.value) for o in result.observations] == [
        ("合肥市", "340100", Decimal(68000)),
        ("淮南市", "340400", Decimal(5623)),
    ]


def test_quan_sheng_on_a_city_page_is_the_province():
    result = extract_prose("2023年，全省专利授权量12.5万件。", D(2024, 1, 10), region_hint="340400")
    assert [(o.region_label, o.region_code) for o in result.observations] == [("安徽省", "340000")]


def test_without_hint_the_printed_region_word_is_kept():
    result = extract_prose("2023年，全市专利授权量5623件。", D(2024, 1, 10))
    assert [(o.region_label, o.region_code) for o in result.observations] == [("全市", "")]
    # No region word and no hint: reported, not guessed.
    bare = extract_prose("2023年，专利授权量5623件。", D(2024, 1, 10))
    assert bare.observations == []
    assert "no region" in bare.skipped[0][1]


def test_growth_rates_shares_and_ranks_are_never_levels():
    text = (
        "2023年，全市发明专利授权量同比增长12.3%，专利授权量占全省的12.3%，"
        "列全省第三，有效发明专利拥有量较上年末增加300件，增幅达15.2个百分点。"
    )
    result = extract_prose(text, D(2024, 1, 10), region_hint="淮南市")
    assert result.observations == []
    assert result.skipped == []


def test_increase_to_a_level_is_a_level():
    text = "2023年，全市有效发明专利拥有量较上年末增加300件，增长至2,856件。"
    result = extract_prose(text, D(2024, 1, 10), region_hint="淮南市")
    assert rows(result) == [
        ("淮南市", "valid_invention_patents", "stock", D(2023, 12, 31), Decimal(2856), "件", "")
    ]


def test_figures_not_understood_are_reported_with_a_reason():
    text = (
        "下半年，全市专利授权量2万件。全市企业发明专利授权量300件。"
        "全市专利授权量2.1万件。截至目前，全市累计建成1个专利导航基地。"
        "2023年，全市专利授权量28912。"
    )
    result = extract_prose(text, D(2024, 1, 10), region_hint="淮南市")
    assert result.observations == []
    reasons = [reason for _, reason in result.skipped]
    assert len(reasons) == 5
    assert "下半年" in reasons[0]
    assert "企业" in reasons[1] and "invention_grants" in reasons[1]
    # No period words of its own: it continues 下半年 of the paragraph, which cannot be resolved.
    assert "period" in reasons[2]
    assert "no indicator phrase" in reasons[3] and "1个" in reasons[3]
    assert "no unit" in reasons[4]
    assert result.skipped[1][0] == "全市企业发明专利授权量300件"


def test_new_registrations_are_not_the_stock_of_market_entities():
    text = (
        "2023年，全市新登记市场主体5万户，全市市场主体总数30万户，每万户市场主体商标拥有量1200件。"
    )
    result = extract_prose(text, D(2024, 1, 10), region_hint="淮南市")
    assert rows(result) == [
        ("淮南市", "market_entities", "stock", D(2023, 12, 31), Decimal(300000), "户", ""),
        (
            "淮南市",
            "trademarks_per_10k_entities",
            "stock",
            D(2023, 12, 31),
            Decimal(1200),
            "件/万户",
            "",
        ),
    ]
    assert "新登记" in result.skipped[0][1]


def test_traditional_characters_and_full_width_digits():
    text = "截至2023年底，上海市有效發明專利擁有量達到２１．９萬件，每萬人口發明專利擁有量88.7件。"
    result = extract_prose(text, D(2024, 1, 10))
    assert rows(result) == [
        ("上海市", "valid_invention_patents", "stock", D(2023, 12, 31), Decimal(219000), "件", ""),
        (
            "上海市",
            "invention_patents_per_10k",
            "stock",
            D(2023, 12, 31),
            Decimal("88.7"),
            "件/万人",
            "",
        ),
    ]
    # Evidence is the sentence as printed.
    assert "發明專利" in result.observations[0].evidence


def test_location_prefix_and_sentence_numbers():
    text = "2023年，全市知识产权工作取得新成效。\n全年专利授权量5623件。"
    result = extract_prose(text, D(2024, 1, 10), region_hint="淮南市", location_prefix="body ")
    assert [o.location for o in result.observations] == ["body sentence 2"]


# --- article bodies --------------------------------------------------------------------------

COPYRIGHT = (
    "版权所有：淮南市市场监督管理局（淮南市知识产权局） 主办：淮南市市场监督管理局 "
    "地址：淮南市山南新区洞山中路 联系电话：0554-6678888 皖ICP备05001234号-1 "
    "皖公网安备 34040302000123号 网站标识码：3404000012 建议使用1366×768分辨率浏览本网站"
)

HUAINAN_PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>淮南市2023年知识产权发展状况_淮南市市场监督管理局</title>
<script>var pageCount=3; document.write("1-9月，全市专利授权量9999件");</script>
<style>.zoom{{font-size:16px}}</style></head>
<body>
<div class="top"><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/tjsj">1-9月全市专利授权量9999件</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a>工作动态</a></div>
<div class="main">
 <h1>淮南市2023年知识产权发展状况</h1>
 <table class="xxgk_table">
  <tr><td>索引号：</td><td>11340400MB1234567X/202404-00012</td><td>主题分类：</td><td>知识产权</td></tr>
  <tr><td>发布机构：</td><td>淮南市市场监督管理局</td><td>成文日期：</td><td>2024-04-20</td></tr>
 </table>
 <div class="info">发布时间：2024-04-25 10:30　信息来源：淮南市市场监督管理局　浏览次数：1234　字号：[ 大 中 小 ]</div>
 <div id="zoom">
  <p>　　2023年，全市知识产权工作取得新成效。</p>
  <p>　　截至2023年底，全市有效发明专利拥有量达到7312件，每万人口高价值发明专利拥有量3.21件，同比增长12.3%。</p>
  <p>　　全年专利授权量5623件，其中发明专利授权1102件。</p>
  <div class="bdshare">分享到：<a>微信</a><a>微博</a></div>
 </div>
 <div class="tools">【<a>打印本页</a>】【<a>关闭窗口</a>】</div>
</div>
<div class="footer_wrap"><p>{COPYRIGHT}</p><p>Copyright © 2024 www.huainan.gov.cn All Rights Reserved</p></div>
</body></html>"""


def test_article_text_keeps_the_body_and_drops_boilerplate():
    body = article_text(HUAINAN_PAGE)
    assert body.split("\n") == [
        "2023年，全市知识产权工作取得新成效。",
        "截至2023年底，全市有效发明专利拥有量达到7312件，每万人口高价值发明专利拥有量3.21件，同比增长12.3%。",
        "全年专利授权量5623件，其中发明专利授权1102件。",
    ]
    # The publication date is read from the whole page, before the metadata lines go.
    assert published_date_in(page_text(HUAINAN_PAGE)) == D(2024, 4, 25)
    assert published_date_in(body) is None


def test_body_prose_gives_only_the_articles_figures():
    published = published_date_in(page_text(HUAINAN_PAGE))
    result = extract_prose(article_text(HUAINAN_PAGE), published, region_hint="340400")
    assert rows(result) == [
        ("淮南市", "valid_invention_patents", "stock", D(2023, 12, 31), Decimal(7312), "件", ""),
        (
            "淮南市",
            "high_value_patents_per_10k",
            "stock",
            D(2023, 12, 31),
            Decimal("3.21"),
            "件/万人",
            "",
        ),
        ("淮南市", "patents_granted", "year", D(2023, 12, 31), Decimal(5623), "件", ""),
        ("淮南市", "invention_grants", "year", D(2023, 12, 31), Decimal(1102), "件", ""),
    ]
    assert all(o.value != 9999 for o in result.observations)


# Wuxi (Jiangsu) pages wrap the whole page in the 无障碍 container and have no #zoom.
WUXI_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>2023年无锡市知识产权发展与保护状况</title></head>
<body><div id="barrierfree_container">
<div class="header"><ul><li><a>首页</a></li><li><a>新闻中心</a></li><li><a>信息公开</a></li></ul></div>
<div class="bt">2023年无锡市知识产权发展与保护状况</div>
<div class="xx">日期：2024.04.26　来源：无锡市市场监管局　【字体：大 中 小】</div>
<div class="article">
<p>2023年，无锡市专利授权量4.6万件，其中发明专利授权1.1万件。</p>
<p>截至2023年底，全市有效发明专利拥有量6.75万件，万人发明专利拥有量89.9件，居全省第2位。</p>
<p style="text-align:right">无锡市市场监督管理局</p>
</div>
<div class="fx">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
<div class="foot"><p>主办单位：无锡市人民政府办公室　承办单位：无锡市大数据管理局</p>
<p>苏ICP备05000001号　苏公网安备 32021102000001号　网站标识码：3202000001</p>
<p>版权所有 © 无锡市人民政府 All Rights Reserved</p></div>
</div></body></html>"""


def test_wuxi_page_body_and_figures():
    body = article_text(WUXI_PAGE)
    assert "ICP" not in body and "分享" not in body and "日期" not in body and "首页" not in body
    assert body.split("\n")[0] == "2023年，无锡市专利授权量4.6万件，其中发明专利授权1.1万件。"
    published = published_date_in(page_text(WUXI_PAGE))
    assert published == D(2024, 4, 26)
    result = extract_prose(body, published, region_hint="无锡市")
    assert rows(result) == [
        ("无锡市", "patents_granted", "year", D(2023, 12, 31), Decimal(46000), "件", ""),
        ("无锡市", "invention_grants", "year", D(2023, 12, 31), Decimal(11000), "件", ""),
        ("无锡市", "valid_invention_patents", "stock", D(2023, 12, 31), Decimal(67500), "件", ""),
        (
            "无锡市",
            "invention_patents_per_10k",
            "stock",
            D(2023, 12, 31),
            Decimal("89.9"),
            "件/万人",
            "",
        ),
    ]
    assert result.observations[0].region_code == "320200"


def test_largest_text_block_when_no_known_container():
    page = HUAINAN_PAGE.replace('id="zoom"', 'class="zw_box"')
    assert article_text(page).split("\n")[2] == "全年专利授权量5623件，其中发明专利授权1102件。"


def test_traditional_mirror_page_is_simplified():
    page = (
        "<html><body><div class='TRS_Editor'><p>截至2023年底，全市有效發明專利擁有量達到7312件。</p>"
        "</div></body></html>"
    )
    assert article_text(page) == "截至2023年底，全市有效发明专利拥有量达到7312件。"
    assert simplify("有效發明專利擁有量") == "有效发明专利拥有量"


@pytest.mark.parametrize(
    ("line", "boilerplate"),
    [
        ("发布时间：2024-04-25 信息来源：市局", True),
        ("索引号： 11340400MB1234567X/202404-00012 主题分类： 知识产权", True),
        ("【打印本页】【关闭窗口】", True),
        ("分享到：", True),
        ("字号：[ 大 中 小 ]", True),
        ("皖ICP备05001234号-1", True),
        ("来源于国家知识产权局的数据显示，全市专利授权量5623件。", False),
        ("全年专利授权量5623件，其中发明专利授权1102件。", False),
    ],
)
def test_is_boilerplate(line, boilerplate):
    assert is_boilerplate(line) is boilerplate


def test_empty_and_broken_pages():
    assert article_text("") == ""
    assert article_text(
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>全年专利授权量5623件。</p></body></html>'
    ) == ("全年专利授权量5623件。")


def test_period_and_year_carry_to_the_next_sentence_of_the_paragraph():
    text = "2023年1-10月份，全市专利授权量4.2万件。截至10月底，全市有效发明专利42673件。"
    result = extract_prose(text, None, region_hint="320600")
    assert rows(result) == [
        ("南通市", "patents_granted", "ytd", D(2023, 10, 31), Decimal(42000), "件", ""),
        ("南通市", "valid_invention_patents", "stock", D(2023, 10, 31), Decimal(42673), "件", ""),
    ]


def test_the_indicator_carries_to_a_clause_that_names_only_another_region():
    text = "2025年末，杭州每万人有效发明专利量173.1件，宁波78.1件。"
    result = extract_prose(text, D(2026, 2, 14), region_hint="330000")
    assert [(r[0], r[1], r[4]) for r in rows(result)] == [
        ("杭州", "invention_patents_per_10k", Decimal("173.1")),
        ("宁波", "invention_patents_per_10k", Decimal("78.1")),
    ]


def test_a_qualified_part_is_not_the_whole():
    text = "截至2024年底，全市有效发明专利5.2万件，其中维持10年以上的有效发明专利14375件。"
    result = extract_prose(text, D(2025, 4, 24), region_hint="320200")
    assert [r[4] for r in rows(result)] == [Decimal(52000)]
    assert any("part of" in reason for _, reason in result.skipped)


def test_county_level_city_hint_is_the_city_itself():
    text = "2023年，全市发明专利授权量2489件。"
    result = extract_prose(text, D(2024, 3, 1), region_hint="320581")
    assert [o.region_code for o in result.observations] == ["320581"]


def test_a_group_of_cities_is_never_a_region():
    text = "2023年末，江苏沿江八市常住人口5544.15万人。"
    result = extract_prose(text, D(2024, 3, 6), region_hint="320000")
    assert result.observations == []
    assert "group" in result.skipped[0][1]


def test_a_region_named_in_a_share_does_not_become_the_subject():
    text = (
        "2023年，高新区（滨江）专利授权量18317件，占全市的17.01%、全省的4.80%；"
        "其中发明专利授权量7699件，占全市的24.07%。"
    )
    result = extract_prose(text, D(2024, 4, 29), region_hint="330108")
    assert {(o.region_code, o.indicator, o.value) for o in result.observations} == {
        ("330108", "patents_granted", Decimal(18317)),
        ("330108", "invention_grants", Decimal(7699)),
    }
