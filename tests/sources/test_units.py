"""Unit conversion: exact on Decimal, printed variants accepted, impossible units refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sources.errors import ParseError
from sources.reference import indicators
from sources.units import clean_unit, to_canonical


@pytest.mark.parametrize(
    ("value", "unit", "indicator", "expected", "canonical"),
    [
        # Real figures (figures.csv): sipa 2022 white paper, Anhui AMR 2024, Huainan 2023.
        ("17.83", "万件", "patents_granted", "178300", "件"),
        ("20.20", "万件", "valid_invention_patents", "202000", "件"),
        ("629.37", "亿元", "ip_pledge_amount", "62937000000", "元"),
        ("301.6", "万人", "population", "3016000", "人"),
        ("6365.9", "万人", "population", "63659000", "人"),
        ("15.6", "万户", "market_entities", "156000", "户"),
        ("61027171", "人", "population", "61027171", "人"),
        ("5591", "件", "pct_applications", "5591", "件"),
        # Prose prints a per-10k ratio as 件 (上海 2019: 每万人口发明专利拥有量53.54件).
        ("53.54", "件", "invention_patents_per_10k", "53.54", "件/万人"),
        ("39.95", "件/万人", "invention_patents_per_10k", "39.95", "件/万人"),
        ("124", "件", "zj_trademarks_per_100_firms", "124", "件/百户"),
        # 家 and 户 both count market entities; 万家 scales like 万户.
        ("3.2", "万家", "market_entities", "32000", "户"),
        ("78", "个", "gi_products", "78", "个"),
        ("61", "件", "gi_products", "61", "个"),
        ("500", "万元", "patent_pledge_amount", "5000000", "元"),
        ("1.5", "亿", "ip_pledge_amount", "150000000", "元"),
    ],
)
def test_conversions_are_exact(value, unit, indicator, expected, canonical):
    got, got_unit = to_canonical(Decimal(value), unit, indicators()[indicator])
    assert got == Decimal(expected) and got_unit == canonical
    # Exact, not float: the text form has no exponent and no float noise.
    assert str(got) == expected


@pytest.mark.parametrize(
    ("unit", "indicator", "message"),
    [
        ("亿元", "patents_granted", "unit '亿元' cannot express indicator patents_granted"),
        ("万件", "invention_patents_per_10k", "cannot express indicator invention_patents_per_10k"),
        ("件/万户", "invention_patents_per_10k", "cannot express"),
        ("%", "valid_invention_patents", "is a rate"),
        ("", "patents_granted", "no unit printed"),
        ("人", "market_entities", "cannot express"),
        ("户", "patents_granted", "cannot express"),
    ],
)
def test_incompatible_units_raise_parse_error(unit, indicator, message):
    with pytest.raises(ParseError) as err:
        to_canonical(Decimal("1"), unit, indicators()[indicator])
    assert message in str(err.value)


def test_clean_unit_handles_full_width_and_spacing():
    assert clean_unit("（件 / 万人）") == "件/万人"
    assert clean_unit("单位：亿元") == "亿元"
    assert clean_unit("(单位:万件)") == "万件"
