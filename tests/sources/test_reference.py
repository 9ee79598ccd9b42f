"""Reference files: every alias and synonym maps to its own entry, the 41 cities are right,
and a broken file fails loudly with file and line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from sources.config import REFERENCE_DIR
from sources.errors import ConfigError
from sources.normalise import resolve_indicator, resolve_region
from sources.reference import (
    all_known_regions,
    check_regions,
    indicators,
    load_indicators,
    load_regions,
    regions,
)


def _region_rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _alias_cases() -> list[tuple[str, str, str, str, bool]]:
    cases = []
    for file_name, in_scope in (("regions.csv", True), ("other_regions.csv", False)):
        for row in _region_rows(file_name):
            labels = {row["name"], row["short_name"], row["name_en"], *row["aliases"].split("|")}
            for label in sorted(label for label in labels if label):
                cases.append((label, row["code"], row["parent_code"], row["level"], in_scope))
    return cases


@pytest.mark.parametrize(("label", "code", "parent", "level", "in_scope"), _alias_cases())
def test_every_region_label_resolves_to_its_own_code(label, code, parent, level, in_scope):
    match = resolve_region(label, parent_code=parent or None, level=level)
    assert match.code == code, match.reason
    assert match.status == ("ok" if in_scope else "out_of_scope")


def _synonym_cases() -> list[tuple[str, str]]:
    data = yaml.safe_load((REFERENCE_DIR / "indicators.yaml").read_text(encoding="utf-8"))
    return [
        (label, ind_id)
        for ind_id, spec in data["indicators"].items()
        for label in [spec["name_zh"], *spec["synonyms"]]
    ]


@pytest.mark.parametrize(("label", "ind_id"), _synonym_cases())
def test_every_indicator_synonym_resolves_to_its_own_id(label, ind_id):
    match = resolve_indicator(label)
    assert (match.id, match.status) == (ind_id, "ok"), match.reason


# Labels exactly as printed in the real sources (figures.csv, indicator_zh column).
PUBLISHED_LABELS = [
    ("PCT国际专利申请受理量", "pct_applications"),
    ("Trademark Applications via the Madrid System by Origin", "madrid_applications"),
    ("Patents in Force for Utility Model Originated from Home by Origin", "valid_utility_models"),
    ("分地区分专利权人类型国内外观设计专利有效量(合计)", "valid_designs"),
    ("Patents in Force (Invention, Domestic)", "valid_invention_patents"),
    ("地理标志商标注册件数", "gi_trademarks"),
    ("核准使用专用标志企业(家)", "gi_authorised_users"),
    ("每万人口高价值发明专利拥有量", "high_value_patents_per_10k"),
    ("专利商标质押融资金额", "ip_pledge_amount"),
    ("高价值发明专利拥有量", "high_value_invention_patents"),
    ("知识产权质押登记金额", "ip_pledge_amount"),
    ("知识产权质押融资登记金额", "ip_pledge_amount"),
    ("新增发明专利授权量", "invention_grants"),
    ("地理标志产品(个)", "gi_products"),
    ("常住人口(第七次全国人口普查)", "population"),
    ("年末常住人口", "population"),
    ("常住人口(总人口)", "population"),
    ("年末经营主体总数", "market_entities"),
    ("万人发明专利拥有量", "invention_patents_per_10k"),
    ("有效发明专利拥有量", "valid_invention_patents"),
    ("发明专利授权量", "invention_grants"),
    ("PCT国际专利申请量", "pct_applications"),
    ("有效发明专利", "valid_invention_patents"),
    ("发明专利授权", "invention_grants"),
    ("每万人口发明专利拥有量", "invention_patents_per_10k"),
    ("国家知识产权示范企业", "national_demo_firms"),
    ("国家知识产权优势企业", "national_advantage_firms"),
    ("实用新型专利授权量", "utility_model_grants"),
    ("外观设计专利授权量", "design_grants"),
    ("合计授权量", "patents_granted"),
    ("每万人发明专利拥有量", "invention_patents_per_10k"),
    ("专利授权量", "patents_granted"),
    ("专利授权总量", "patents_granted"),
    ("有效发明专利量", "valid_invention_patents"),
    ("每万人有效发明专利量", "invention_patents_per_10k"),
    ("PCT国际专利申请", "pct_applications"),
    ("高价值发明专利总量", "high_value_invention_patents"),
    ("每万人高价值发明专利拥有量", "high_value_patents_per_10k"),
    ("有效注册商标", "valid_trademarks"),
    ("马德里商标申请量", "madrid_applications"),
    ("获得地理标志产品认定(新增)", "gi_products"),
    ("新增国内发明专利授权", "invention_grants"),
    ("高价值发明专利拥有量", "high_value_invention_patents"),
    ("有效注册商标量", "valid_trademarks"),
    ("每百户企业有效注册商标量", "zj_trademarks_per_100_firms"),
    ("作品自愿登记量", "copyright_registrations"),
    ("每百万人作品自愿登记量", "copyright_registrations_per_million"),
    ("国家知识产权示范企业(新认定)", "national_demo_firms"),
    ("国家知识产权优势企业(新认定)", "national_advantage_firms"),
    ("地理标志(累计)", "gi_products"),
    ("授权专利数", "patents_granted"),
    ("授权专利数-发明", "invention_grants"),
    ("授权专利数-实用新型", "utility_model_grants"),
    ("授权专利数-外观设计", "design_grants"),
    ("地理标志商标", "gi_trademarks"),
    ("地理标志产品", "gi_products"),
    ("地理标志商标(累计)", "gi_trademarks"),
    ("地理标志保护产品(累计)", "gi_products"),
    ("专利商标质押融资登记金额", "ip_pledge_amount"),
    ("有效商标注册量", "valid_trademarks"),
    ("新增商标注册量", "trademark_registrations"),
    ("作品版权登记数", "copyright_registrations"),
    ("PCT专利申请量", "pct_applications"),
    ("企业专利授权量", "firm_patents_granted"),
    ("商标注册量", "trademark_registrations"),
    ("新增国家知识产权示范企业", "national_demo_firms"),
    ("新增知识产权贯标备案企业", "ip_certified_firms"),
    ("知识产权质押融资额", "ip_pledge_amount"),
    ("质押融资项目", "pledge_projects"),
    ("质押融资备案金额", "ip_pledge_amount"),
    ("国内外观设计专利有效量", "valid_designs"),
]


@pytest.mark.parametrize(("label", "ind_id"), PUBLISHED_LABELS)
def test_published_labels_resolve(label, ind_id):
    match = resolve_indicator(label)
    assert (match.id, match.status) == (ind_id, "ok"), match.reason


def test_service_designs_are_not_all_designs():
    # CNIPA 2019 table 3-7 counts 职务 (service) designs only: a subset, refused.
    match = resolve_indicator("国内职务外观设计专利有效量(合计)")
    assert match.status == "false_friend" and "职务" in match.reason


CITIES = {
    "310100": "上海市",
    "320100": "南京市",
    "320200": "无锡市",
    "320300": "徐州市",
    "320400": "常州市",
    "320500": "苏州市",
    "320600": "南通市",
    "320700": "连云港市",
    "320800": "淮安市",
    "320900": "盐城市",
    "321000": "扬州市",
    "321100": "镇江市",
    "321200": "泰州市",
    "321300": "宿迁市",
    "330100": "杭州市",
    "330200": "宁波市",
    "330300": "温州市",
    "330400": "嘉兴市",
    "330500": "湖州市",
    "330600": "绍兴市",
    "330700": "金华市",
    "330800": "衢州市",
    "330900": "舟山市",
    "331000": "台州市",
    "331100": "丽水市",
    "340100": "合肥市",
    "340200": "芜湖市",
    "340300": "蚌埠市",
    "340400": "淮南市",
    "340500": "马鞍山市",
    "340600": "淮北市",
    "340700": "铜陵市",
    "340800": "安庆市",
    "341000": "黄山市",
    "341100": "滁州市",
    "341200": "阜阳市",
    "341300": "宿州市",
    "341500": "六安市",
    "341600": "亳州市",
    "341700": "池州市",
    "341800": "宣城市",
}


def test_the_41_cities_with_codes_and_parents():
    cities = {code: r for code, r in regions().items() if r.level == "city"}
    assert {code: r.name for code, r in cities.items()} == CITIES
    for code, city in cities.items():
        assert city.parent_code == code[:2] + "0000"
        assert city.province_code == code[:2] + "0000"


def test_provinces_and_national():
    known = regions()
    provinces = {code for code, r in known.items() if r.level == "province"}
    assert provinces == {"310000", "320000", "330000", "340000"}
    assert known["100000"].level == "national" and known["100000"].parent_code == ""


def test_shanghai_districts_and_huainan_counties():
    known = regions()
    shanghai = {code for code, r in known.items() if r.parent_code == "310100"}
    assert len(shanghai) == 16 and {"310115", "310151", "310101"} <= shanghai
    huainan = {r.name: code for code, r in known.items() if r.parent_code == "340400"}
    assert huainan == {
        "大通区": "340402",
        "田家庵区": "340403",
        "谢家集区": "340404",
        "八公山区": "340405",
        "潘集区": "340406",
        "凤台县": "340421",
        "寿县": "340422",
    }
    assert known["330108"].name == "滨江区" and known["330108"].parent_code == "330100"
    hangzhou = [r for r in known.values() if r.parent_code == "330100"]
    assert len(hangzhou) == 13  # 10 districts and 3 counties, as Zhejiang's 附件1 lists them


def test_flags():
    known = regions()
    huainan = known["340400"]
    assert huainan.hefei_metro and huainan.resource_based and huainan.in_scope
    metro = {r.name for r in known.values() if r.hefei_metro}
    assert metro == {"合肥市", "淮南市", "六安市", "滁州市", "芜湖市", "马鞍山市", "蚌埠市"}
    resource = {r.name for r in known.values() if r.resource_based}
    assert {
        "淮北市",
        "铜陵市",
        "宿州市",
        "亳州市",
        "池州市",
        "宣城市",
        "徐州市",
        "宿迁市",
        "湖州市",
    } <= resource
    assert "合肥市" not in resource and "衢州市" not in resource


def test_out_of_scope_regions_are_known_but_not_benchmarked():
    known = all_known_regions()
    assert not known["440300"].in_scope and "440300" not in regions()
    assert len([r for r in known.values() if r.level == "province" and not r.in_scope]) == 31


DESIGN_VOCABULARY = """patent_applications invention_applications patents_granted invention_grants
utility_model_grants design_grants valid_invention_patents invention_patents_per_10k
high_value_invention_patents high_value_patents_per_10k trademark_applications
trademark_registrations valid_trademarks trademarks_per_10k_entities copyright_registrations
patent_pledge_amount ip_pledge_amount pledge_financed_entities pct_applications
madrid_applications gi_products gi_trademarks patent_agents ip_certified_firms
national_demo_firms national_advantage_firms population market_entities""".split()


def test_vocabulary_is_complete_and_ratios_are_defined():
    vocab = indicators()
    assert set(DESIGN_VOCABULARY) <= set(vocab)
    per_10k = vocab["invention_patents_per_10k"]
    assert (per_10k.numerator, per_10k.denominator, per_10k.per) == (
        "valid_invention_patents",
        "population",
        10000,
    )
    assert per_10k.unit == "件/万人" and per_10k.kind == "ratio" and per_10k.skewed
    assert vocab["trademarks_per_10k_entities"].denominator == "market_entities"
    assert "每百户企业有效注册商标量" in vocab["trademarks_per_10k_entities"].false_friends
    assert vocab["market_entities"].unit == "户" and vocab["ip_pledge_amount"].unit == "元"
    assert not vocab["population"].skewed and vocab["population"].area == "context"


# --- broken files ------------------------------------------------------------------------

HEADER = "code,name,short_name,aliases,level,parent_code,province_code,hefei_metro,resource_based,name_en\n"
GOOD = (
    "100000,全国,全国,中国,national,,,0,0,China\n"
    "340000,安徽省,安徽,皖,province,100000,340000,0,0,Anhui\n"
)


def _regions_from(tmp_path: Path, body: str):
    path = tmp_path / "regions.csv"
    path.write_text(HEADER + GOOD + body, encoding="utf-8")
    return check_regions([(path, load_regions(path, in_scope=True))])


def test_good_region_file_loads(tmp_path):
    loaded = _regions_from(tmp_path, "340400,淮南市,淮南,,city,340000,340000,1,1,Huainan\n")
    assert loaded["340400"].hefei_metro and loaded["340400"].aliases == ()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("34040,淮南市,淮南,,city,340000,340000,0,0,Huainan\n", "line 4"),
        ("340400,淮南市,淮南,,town,340000,340000,0,0,Huainan\n", "level 'town'"),
        ("340400,淮南市,淮南,,city,340000,340000,yes,0,Huainan\n", "hefei_metro must be 0 or 1"),
        ("340400,淮南市,淮南,,city,349900,340000,0,0,Huainan\n", "parent 349900"),
        ("340000,安徽,安徽,,province,100000,340000,0,0,Anhui\n", "duplicate region code 340000"),
        (
            "340400,淮南市,淮南,,city,340000,340000,0,0,Huainan\n"
            "340500,马鞍山市,淮南,,city,340000,340000,0,0,Maanshan\n",
            "label '淮南' names both",
        ),
        (
            "340400,淮南市,淮南,,city,340000,340000,0,0,Huainan\n"
            "340402,大通区,大通,,district,340400,340000,0,1,Datong District\n",
            "flag prefecture cities only",
        ),
    ],
)
def test_bad_region_files_raise_config_error(tmp_path, body, message):
    with pytest.raises(ConfigError) as err:
        _regions_from(tmp_path, body)
    assert "regions.csv" in str(err.value) and message in str(err.value)


INDICATOR_HEAD = """units: [件, 人, 件/万人]
growth_rate_markers: [同比, "%"]
areas: [创造, context]
indicators:
  population:
    name_zh: 常住人口
    name_en: Resident population
    synonyms: [常住人口]
    unit: 人
    kind: stock
    higher_is_better: true
    area: context
    skewed: false
"""


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "  population:\n    name_zh: x\n    name_en: x\n    synonyms: [x]\n    unit: 人\n"
            "    kind: stock\n    higher_is_better: true\n    area: context\n    skewed: false\n",
            "line 14",
        ),
        (
            "  grants:\n    name_zh: 授权\n    name_en: g\n    synonyms: [授权量]\n    unit: 万件\n"
            "    kind: flow\n    higher_is_better: true\n    area: 创造\n    skewed: true\n",
            "unit '万件'",
        ),
        (
            "  per_10k:\n    name_zh: 每万人\n    name_en: p\n    synonyms: [每万人拥有量]\n"
            "    unit: 件/万人\n    kind: ratio\n    numerator: grants\n    denominator: population\n"
            "    per: 10000\n    higher_is_better: true\n    area: 创造\n    skewed: true\n",
            "unknown id 'grants'",
        ),
        (
            "  residents:\n    name_zh: 居民\n    name_en: r\n    synonyms: [常住人口]\n    unit: 人\n"
            "    kind: stock\n    higher_is_better: true\n    area: context\n    skewed: false\n",
            "already a synonym of population",
        ),
        (
            "  growth:\n    name_zh: 人口\n    name_en: r\n    synonyms: [人口同比增长]\n    unit: 人\n"
            "    kind: stock\n    higher_is_better: true\n    area: context\n    skewed: false\n",
            "growth/rank marker",
        ),
        ("  broken: [unclosed\n", "invalid YAML"),
    ],
)
def test_bad_indicator_files_raise_config_error(tmp_path, entry, message):
    path = tmp_path / "indicators.yaml"
    path.write_text(INDICATOR_HEAD + entry, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_indicators(path)
    assert "indicators.yaml" in str(err.value) and message in str(err.value)
