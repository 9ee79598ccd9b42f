"""Label cleaning, region and indicator resolution on labels as real tables print them, and
normalise(): provenance, canonical units and precise quarantine reasons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sources.normalise import (
    clean_label,
    normalise,
    normalise_all,
    resolve_indicator,
    resolve_region,
)
from sources.records import Document, DocumentRef, Observation, QuarantineRow, RawObservation


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("南 京 市", "南京市"),  # Jiangsu yearbook padding
        ("全\u3000省", "全省"),  # full-width space
        ("上海  Shanghai", "上海"),  # CNIPA c7 bilingual cell
        ("上海 | Shanghai", "上海"),  # CNIPA f4 split cells joined
        ("合计 Total", "合计"),
        ("安徽 anhui", "安徽"),  # CNIPA 2009
        ("江\n苏 Jiangsu", "江苏"),  # cpahkltd mirror of CNIPA monthly
        ("大专院校 A*", "大专院校"),
        ("全 市[1]", "全市"),  # Huainan census bulletin
        ("有效发明专利注1", "有效发明专利"),
        ("發明專利", "发明专利"),  # traditional-character mirrors
        ("發(fā)明專利", "发明专利"),  # pinyin gloss inserted by a mirror
        ("ＰＣＴ国际专利申请量", "PCT国际专利申请量"),  # full-width letters
        ("PCT国际专利申请受理量 PCT Applications", "PCT国际专利申请受理量"),
        ("Xinjiang  bingtua", "Xinjiang bingtua"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_label(raw, clean):
    assert clean_label(raw) == clean


@pytest.mark.parametrize(
    ("label", "parent", "code", "status"),
    [
        ("南 京 市", None, "320100", "ok"),
        ("连云港市", None, "320700", "ok"),
        ("上海  Shanghai", None, "310000", "ok"),
        ("上海 | Shanghai", None, "310000", "ok"),
        ("Shanghai", None, "310000", "ok"),
        ("安徽 anhui", None, "340000", "ok"),
        ("江\n苏 Jiangsu", None, "320000", "ok"),
        ("Anhui", None, "340000", "ok"),
        ("Xinjiang bingtua", None, "660000", "out_of_scope"),
        ("广东", None, "440000", "out_of_scope"),
        ("深圳", None, "440300", "out_of_scope"),
        ("全 省", "320000", "320000", "total"),
        ("全省", "340400", "340000", "total"),
        ("全市", "340400", "340400", "total"),
        ("合计", "330100", "330100", "total"),  # Zhejiang city block: 合计 = the whole city
        ("总计", "100000", "100000", "total"),
        ("全国合计", None, "100000", "total"),
        ("全 省", None, "", "total"),  # whose total? the caller must say
        ("全市", "320000", "", "total"),
        ("市本级", "330100", "", "subtotal"),  # urban districts only, never the city
        ("杭州市(市本级)", None, "", "subtotal"),
        ("淮南市区", None, "", "subtotal"),
        ("国内小计", "100000", "", "subtotal"),
        ("国内", None, "", "subtotal"),
        ("国外", None, "", "subtotal"),
        ("其 他", None, "", "subtotal"),
        ("苏南", None, "", "subtotal"),
        ("苏中", None, "", "subtotal"),
        ("苏北", None, "", "subtotal"),
        ("江苏沿江八市", None, "", "subtotal"),
        ("皖北", None, "", "subtotal"),
        ("苏州工业园区", None, "", "subtotal"),
        ("滨江区", "330100", "330108", "ok"),
        ("滨江区", None, "330108", "ok"),  # unique name needs no parent
        ("杭州市滨江区", None, "330108", "ok"),
        ("高新区(滨江)", "330100", "330108", "ok"),
        ("常熟市(苏州)", None, "320581", "ok"),
        ("田家庵区", None, "340403", "ok"),
        ("寿县", "340400", "340422", "ok"),
        ("鼓楼区", "320100", "320106", "ok"),
        ("鼓楼区", "320300", "320302", "ok"),
        ("鼓楼区", None, "", "unknown"),  # Nanjing or Xuzhou?
        ("普陀区", "310100", "310107", "ok"),
        ("普陀区", "330900", "330903", "ok"),
        ("Suzhou", "340000", "341300", "ok"),  # 宿州 in an Anhui table
        ("Suzhou", "320000", "320500", "ok"),
        ("Suzhou", None, "", "unknown"),
        ("Taizhou", "330000", "331000", "ok"),
        ("", None, "", "empty"),
        ("\u3000", None, "", "empty"),
        ("火星市", None, "", "unknown"),
    ],
)
def test_resolve_region(label, parent, code, status):
    match = resolve_region(label, parent_code=parent)
    assert (match.code, match.status) == (code, status), match.reason


def test_resolve_region_reasons_name_the_label():
    assert "火星市" in resolve_region("火星市").reason
    assert (
        "320106" in resolve_region("鼓楼区").reason and "320302" in resolve_region("鼓楼区").reason
    )
    assert "parent_code" in resolve_region("全 省").reason


def test_shanghai_city_by_level():
    assert resolve_region("上海").code == "310000"
    assert resolve_region("上海", level="city").code == "310100"
    assert resolve_region("上海市", parent_code="310000").code == "310100"


@pytest.mark.parametrize(
    ("label", "ind_id", "status"),
    [
        ("發明專利授權量", "invention_grants", "ok"),
        ("有效发明专利拥有量(件)", "valid_invention_patents", "ok"),
        ("有效发明专利拥有量（万件）", "valid_invention_patents", "ok"),
        ("PCT国际专利申请受理量 PCT Applications", "pct_applications", "ok"),
        ("每万人口发明专利拥有量(件/万人)", "invention_patents_per_10k", "ok"),
        ("专利密度(件/万人)", "", "unknown"),
        ("实用\n新型", "", "unknown"),  # a sub-column alone: the caller knows its group
        ("专利授权量-发明", "invention_grants", "ok"),  # flattened two-level header
        ("专利授权量 外观设计", "design_grants", "ok"),
        ("经营主体", "market_entities", "ok"),
        ("市场主体", "market_entities", "ok"),
        ("每百户企业有效注册商标量", "zj_trademarks_per_100_firms", "ok"),
        ("每百户企业有效注册商标数", "", "false_friend"),
        ("每万户市场主体注册商标数", "", "false_friend"),
        ("企业发明专利授权量", "", "false_friend"),
        ("新登记市场主体", "", "false_friend"),
        ("同比增长(%)", "", "growth_rate"),
        ("发明专利授权量同比增长", "", "growth_rate"),
        ("增幅", "", "growth_rate"),
        ("增长率", "", "growth_rate"),
        ("占比(%)", "", "growth_rate"),
        ("排名", "", "unknown"),
        ("发明专利", "", "unknown"),
        ("", "", "unknown"),
    ],
)
def test_resolve_indicator(label, ind_id, status):
    match = resolve_indicator(label)
    assert (match.id, match.status) == (ind_id, status), match.reason


def test_false_friend_never_maps_to_trademarks_per_10k_entities():
    for label in (
        "每百户企业有效注册商标量",
        "每百户企业有效注册商标量(件)",
        "每百户企业有效注册商标数",
    ):
        assert resolve_indicator(label).id != "trademarks_per_10k_entities"


# --- normalise ---------------------------------------------------------------------------

SIPA = Document(
    ref=DocumentRef(
        publisher="sipa",
        url="http://sipa.sh.gov.cn/shzscqzk/20230531/b428a96f2f494bebbe38dc6908bfd6ae.html",
        title="2022年上海知识产权白皮书",
    ),
    content=b"",
    sha256="ab" * 32,
    final_url="http://sipa.sh.gov.cn/shzscqzk/20230531/b428a96f2f494bebbe38dc6908bfd6ae.html",
    tier="official",
    published_on=dt.date(2023, 4, 25),
)
YEAR_2022 = dt.date(2022, 12, 31)


def _raw(**overrides) -> RawObservation:
    fields = dict(
        region_label="上海市",
        indicator_label="专利授权量",
        period_kind="year",
        period_end=YEAR_2022,
        value=Decimal("17.83"),
        unit="万件",
        evidence="全年专利授权量17.83万件",
        location="p3",
    )
    fields.update(overrides)
    return RawObservation(**fields)


def test_normalise_fills_provenance_and_canonical_unit():
    obs = normalise(_raw(), SIPA)
    assert isinstance(obs, Observation)
    assert (obs.region_code, obs.region_name, obs.indicator) == (
        "310000",
        "上海市",
        "patents_granted",
    )
    assert (obs.value, obs.unit) == (Decimal("178300"), "件")
    assert obs.raw_value == "17.83万件"
    assert obs.document_sha256 == "ab" * 32 and obs.publisher == "sipa" and obs.tier == "official"
    assert obs.published_on == dt.date(2023, 4, 25)
    assert (obs.evidence, obs.location, obs.period_end) == (
        "全年专利授权量17.83万件",
        "p3",
        YEAR_2022,
    )


def test_normalise_per_10k_printed_as_jian():
    raw = _raw(
        indicator_label="每万人口高价值发明专利拥有量",
        period_kind="stock",
        value=Decimal("40.9"),
        unit="件",
    )
    obs = normalise(raw, SIPA)
    assert (obs.indicator, obs.value, obs.unit) == (
        "high_value_patents_per_10k",
        Decimal("40.9"),
        "件/万人",
    )


def test_parser_codes_win_over_labels():
    raw = _raw(
        region_label="国内小计",
        region_code="100000",
        indicator_label="??",
        indicator="pct_applications",
        value=Decimal("68780"),
        unit="件",
    )
    obs = normalise(raw, SIPA)
    assert (obs.region_code, obs.indicator, obs.value) == (
        "100000",
        "pct_applications",
        Decimal("68780"),
    )


def test_total_row_takes_the_parent():
    obs = normalise(_raw(region_label="全 省"), SIPA, parent_code="320000")
    assert obs.region_code == "320000" and obs.region_name == "江苏省"


def test_out_of_scope_region_is_skipped_not_quarantined():
    assert normalise(_raw(region_label="广东"), SIPA) is None
    assert normalise(_raw(region_label="", region_code="440300"), SIPA) is None


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"region_label": "苏南"}, "region subtotal"),
        ({"region_label": "市本级"}, "not a region"),
        ({"region_label": "火星市"}, "no region named '火星市'"),
        ({"region_label": ""}, "region empty"),
        ({"region_label": "全省"}, "pass parent_code"),
        ({"region_label": "鼓楼区"}, "ambiguous"),
        ({"region_code": "999999"}, "unknown region code '999999'"),
        ({"indicator_label": "发明专利"}, "indicator unknown"),
        ({"indicator_label": "每万户市场主体注册商标数"}, "indicator false_friend"),
        ({"indicator_label": "同比增长"}, "indicator growth_rate"),
        ({"indicator": "patent_count"}, "unknown indicator id 'patent_count'"),
        ({"unit": "亿元"}, "unit '亿元' cannot express indicator patents_granted"),
        ({"unit": ""}, "no unit printed"),
        ({"period_kind": "census"}, "bad period_kind 'census'"),
        ({"qualifier": "maybe"}, "bad qualifier 'maybe'"),
        ({"value": Decimal("-5"), "unit": "件"}, "outside the plausible range"),
        ({"value": Decimal("1783"), "unit": "亿件"}, "outside the plausible range"),
        (
            {"indicator_label": "每万人口发明专利拥有量", "unit": "件/万人", "period_kind": "year"},
            "period_kind must be stock",
        ),
    ],
)
def test_quarantine_reasons(overrides, reason):
    row = normalise(_raw(**overrides), SIPA)
    assert isinstance(row, QuarantineRow)
    assert reason in row.reason
    assert row.document_sha256 == SIPA.sha256 and row.publisher == "sipa" and row.url == SIPA.url
    assert row.location == "p3"
    assert str(overrides.get("value", "17.83")) in row.raw_text


def test_normalise_all_counts():
    raws = [
        _raw(),
        _raw(indicator_label="发明专利授权量", value=Decimal("3.68")),
        _raw(region_label="广东"),
        _raw(region_label="苏北"),
    ]
    observations, quarantine, skipped = normalise_all(raws, SIPA)
    assert [o.value for o in observations] == [Decimal("178300"), Decimal("36800")]
    assert [q.reason.split(":")[0] for q in quarantine] == ["region subtotal"]
    assert skipped == 1


def test_population_vintage_follows_the_census_and_the_publication_date():
    import datetime as dt

    from sources.normalise import population_vintage

    end_2019 = dt.date(2019, 12, 31)
    # Anhui 2019: 6365.9万 printed in March 2020 (pre-census), 6092万 printed after the census.
    assert population_vintage(end_2019, dt.date(2020, 3, 18)) == "pre-census"
    assert population_vintage(end_2019, dt.date(2022, 2, 1)) == "revised"
    assert population_vintage(dt.date(2020, 11, 1), dt.date(2021, 5, 20)) == "census"
    assert population_vintage(dt.date(2022, 12, 31), dt.date(2023, 3, 1)) == ""
    assert population_vintage(end_2019, None) == ""
