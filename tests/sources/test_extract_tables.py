"""The generic table extractor on grids in the publishers' real layouts (quirks 1–13, 17, 20)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sources.extract.tables import TableContext, extract_table, join_fragments


def _values(result) -> dict[tuple[str, str, str, dt.date], tuple[Decimal, str]]:
    return {
        (o.region_code, o.indicator, o.period_kind, o.period_end): (o.value, o.unit)
        for o in result.observations
    }


D23 = dt.date(2023, 12, 31)


def test_join_fragments_glues_wrapped_chinese_but_not_bilingual_words():
    assert join_fragments("实用\n新型") == "实用新型"
    assert join_fragments("合计\nTotal") == "合计 Total"
    assert join_fragments("地区\n市县\n名称") == "地区市县名称"


def test_zhejiang_city_blocks_take_heji_and_districts_never_shibenji():
    # 附件1: the city spans its block (rowspan repeated), 市本级 is urban districts only, 合计 is the city.
    rows = [
        [
            "地区\n市县\n名称",
            "地区\n市县\n名称",
            "专利类型",
            "专利类型",
            "专利类型",
            "合计\n授权量",
        ],
        [
            "地区\n市县\n名称",
            "地区\n市县\n名称",
            "发明",
            "实用\n新型",
            "外观\n设计",
            "合计\n授权量",
        ],
        ["杭州市", "市本级", "31459", "40000", "20000", "91459"],
        ["杭州市", "滨江区", "9876", "5000", "1000", "15876"],
        ["杭州市", "桐庐县", "221", "900", "300", "1421"],
        ["杭州市", "合计", "31981", "42000", "21000", "94981"],
        ["宁波市", "合计", "8000", "30000", "15000", "53000"],
    ]
    result = extract_table(
        rows, before=["附件1", "2023年全省各地区专利授权量", "单位：件"], name="附件1"
    )
    values = _values(result)
    assert values[("330100", "invention_grants", "year", D23)] == (Decimal(31981), "件")
    assert values[("330100", "patents_granted", "year", D23)] == (Decimal(94981), "件")
    assert values[("330108", "invention_grants", "year", D23)] == (Decimal(9876), "件")
    assert values[("330122", "utility_model_grants", "year", D23)] == (Decimal(900), "件")
    assert values[("330200", "design_grants", "year", D23)] == (Decimal(15000), "件")
    assert not any(o.region_label.endswith("市本级") for o in result.observations)
    assert Decimal(31459) not in {o.value for o in result.observations}


def test_jiangsu_yearbook_empty_label_total_and_unlabelled_subtotals():
    # nj0306: spaced names, the province row has no label, 苏南/苏中/苏北 rows have none either.
    rows = [
        ["地  区", "2017", "2018"],
        ["", "8029.30", "8050.70"],
        ["南 京 市", "833.50", "843.62"],
        ["无 锡 市", "655.30", "657.45"],
        ["徐 州 市", "876.35", "880.20"],
        ["常 州 市", "471.73", "472.90"],
        ["苏 州 市", "1068.36", "1072.17"],
        ["南 通 市", "730.50", "731.00"],
        ["连云港市", "451.84", "452.00"],
        ["淮 安 市", "491.40", "492.50"],
        ["盐 城 市", "724.22", "720.00"],
        ["扬 州 市", "450.82", "453.10"],
        ["镇 江 市", "318.63", "319.64"],
        ["泰 州 市", "465.19", "463.57"],
        ["宿 迁 市", "491.46", "492.55"],
        ["", "3347.52", "3365.78"],
        ["", "1646.51", "1647.67"],
        ["", "3035.27", "3037.25"],
    ]
    result = extract_table(rows, before=["3-6 各市年末常住人口", "单位：万人"], name="nj0306")
    values = _values(result)
    assert values[("320000", "population", "stock", dt.date(2017, 12, 31))] == (
        Decimal("8029.30"),
        "万人",
    )
    assert values[("320100", "population", "stock", dt.date(2018, 12, 31))][0] == Decimal("843.62")
    assert values[("320700", "population", "stock", dt.date(2017, 12, 31))][0] == Decimal("451.84")
    assert Decimal("3347.52") not in {o.value for o in result.observations}
    reasons = {s.reason for s in result.skipped}
    assert any("group subtotal" in r for r in reasons)


def test_empty_label_first_row_that_does_not_add_up_is_not_the_total():
    rows = [
        ["地区", "2023"],
        ["", "999"],
        ["淮南市", "100"],
        ["淮北市", "200"],
    ]
    result = extract_table(rows, before=["专利授权量（件）"], context=TableContext(region_code=""))
    assert "340000" not in {o.region_code for o in result.observations}
    assert any("does not add up" in s.reason for s in result.skipped)


def test_cnipa_old_yearbook_alternating_count_and_share_rows():
    rows = [
        ["发明专利申请受理量", "", "", ""],
        ["表号：知统年1-7 制定机关：国家知识产权局", "", "", ""],
        ["2018.1-2018.12", "", "", ""],
        ["地区 Region", "合计 Total", "职务 Service", "非职务 Non-service"],
        ["安徽", "76293", "60000", "16293"],
        ["Anhui", "4.58", "4.10", "6.92"],
        ["江苏", "198801", "170000", "28801"],
        ["Jiangsu", "11.94", "11.60", "14.30"],
    ]
    result = extract_table(rows, before=["1-7 分地区国内发明专利申请受理量", "单位:件"])
    values = _values(result)
    assert values == {
        ("340000", "invention_applications", "year", dt.date(2018, 12, 31)): (Decimal(76293), "件"),
        ("320000", "invention_applications", "year", dt.date(2018, 12, 31)): (
            Decimal(198801),
            "件",
        ),
    }


def test_cnipa_monthly_two_records_per_row_english_only():
    rows = [
        ["No.", "Region", "Number", "No.", "Region", "Number"],
        ["1", "Guangdong", "512345", "17", "Anhui", "41234"],
        ["2", "Jiangsu", "432101", "18", "Shanghai", "40321"],
        ["3", "Zhejiang", "301234", "19", "Hebei", "20000"],
    ]
    result = extract_table(
        rows,
        before=["Valid Invention Patents by Region (2023.1-2023.10)", "Unit: piece"],
        context=TableContext(title="国内发明专利有效量（截至2023年10月底）"),
    )
    values = _values(result)
    end = dt.date(2023, 10, 31)
    assert values[("340000", "valid_invention_patents", "stock", end)][0] == Decimal(41234)
    assert values[("320000", "valid_invention_patents", "stock", end)][0] == Decimal(432101)
    assert values[("310000", "valid_invention_patents", "stock", end)][0] == Decimal(40321)
    assert {o.region_code for o in result.observations} == {"340000", "320000", "330000", "310000"}


def test_hunan_style_city_table_rank_and_density_columns_missing_and_spaced_total():
    rows = [
        ["地区", "有效发明专利（件）", "常住人口（万人）", "专利密度（件/万人）", "排名"],
        ["全 省", "30021", "6092", "4.93", ""],
        ["合肥市", "20000", "937.0", "21.34", "1"],
        ["淮南市", "-", "303.3", "—", "9"],
        ["其 他", "-", "-", "-", ""],
    ]
    result = extract_table(rows, before=["截至2023年12月底各市有效发明专利统计表"])
    values = _values(result)
    assert values[("340000", "valid_invention_patents", "stock", D23)] == (Decimal(30021), "件")
    assert values[("340100", "population", "stock", D23)] == (Decimal("937.0"), "万人")
    assert ("340400", "valid_invention_patents", "stock", D23) not in values
    assert values[("340400", "population", "stock", D23)][0] == Decimal("303.3")
    # 专利密度 is not a known synonym here: reported, never guessed; rank never a value.
    assert not any(o.value == 1 for o in result.observations)


def test_growth_and_share_columns_are_not_levels_and_footnotes_are_stripped():
    rows = [
        ["地区", "PCT国际专利申请量(件)", "同比增长(%)", "占全省比重(%)"],
        ["合肥[1]", "1234*", "12.3", "64.9"],
        ["芜湖", "321", "-5.0", "16.9"],
    ]
    result = extract_table(
        rows, before=["2023年各市PCT国际专利申请情况"], after=["注：[1]含代管县"]
    )
    values = _values(result)
    assert values == {
        ("340100", "pct_applications", "year", D23): (Decimal(1234), "件"),
        ("340200", "pct_applications", "year", D23): (Decimal(321), "件"),
    }


def test_indicator_rows_of_a_city_bulletin_use_the_documents_region_and_unit_column():
    rows = [
        ["指标", "单位", "2023年", "比上年增长(%)"],
        ["年末常住人口", "万人", "303.3", "-0.5"],
        ["市场主体", "万户", "28.65", "6.1"],
        ["有效发明专利", "件", "2856", "12.3"],
        ["全社会用电量", "亿千瓦时", "150.2", "3.0"],
    ]
    result = extract_table(
        rows,
        before=["表1 2023年主要指标"],
        context=TableContext(title="淮南市2023年国民经济和社会发展统计公报", region_code="340400"),
    )
    values = _values(result)
    assert values[("340400", "population", "stock", D23)] == (Decimal("303.3"), "万人")
    assert values[("340400", "market_entities", "stock", D23)] == (Decimal("28.65"), "万户")
    assert values[("340400", "valid_invention_patents", "stock", D23)] == (Decimal(2856), "件")
    assert any("全社会用电量" in s.raw_text for s in result.skipped)


def test_ytd_caption_and_ratio_column_keep_their_own_units():
    rows = [
        ["设区市", "专利授权量", "其中：发明", "每万人口发明专利拥有量"],
        ["单位", "万件", "万件", "件/万人"],
        ["南京市", "6.26", "2.01", "102.5"],
    ]
    result = extract_table(rows, before=["2023年1-9月江苏省各市知识产权主要指标"])
    values = _values(result)
    end = dt.date(2023, 9, 30)
    assert values[("320100", "patents_granted", "ytd", end)] == (Decimal("6.26"), "万件")
    assert values[("320100", "invention_grants", "ytd", end)] == (Decimal("2.01"), "万件")
    assert values[("320100", "invention_patents_per_10k", "stock", end)] == (
        Decimal("102.5"),
        "件/万人",
    )


def test_false_friend_column_is_never_merged_into_trademarks_per_10k_entities():
    rows = [
        ["地区", "每百户企业有效注册商标量（件）", "有效注册商标（件）"],
        ["杭州市", "95.2", "1200000"],
    ]
    result = extract_table(rows, before=["2023年各市商标情况"])
    ids = {o.indicator for o in result.observations}
    assert "trademarks_per_10k_entities" not in ids
    assert "valid_trademarks" in ids


def test_a_table_with_no_region_or_indicator_is_reported_not_guessed():
    rows = [["甲", "乙"], ["foo", "12"], ["bar", "13"]]
    result = extract_table(rows, before=["2023年某某情况"])
    assert not result.observations
    assert result.skipped and "unknown layout" in result.skipped[0].reason
