"""Composite index on a small hand-computed panel (all values invented: tier sample)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sources.config import REFERENCE_DIR
from sources.errors import ConfigError, ValidationFailed
from sources.reference import indicators, regions
from warehouse.composite import band_for, composite_index, load_index_spec, normalised_scores
from warehouse.derive import facts_frame

P = "invention_patents_per_10k"  # skewed in indicators.yaml: square root
T = "trademarks_per_10k_entities"  # transform forced to none below
L = "copyright_registrations_per_million"  # made lower-is-better below, no transform
HEFEI, HUAINAN, HUANGSHAN, WUHU, NANJING = "340100", "340400", "341000", "340200", "320100"

VALUES = {
    # region: {indicator: {year: value}}
    HEFEI: {P: {2021: 36, 2022: 49}, T: {2021: 500, 2022: 550}, L: {2021: 10, 2022: 10}},
    HUAINAN: {P: {2021: 4, 2022: 9}, T: {2021: 300, 2022: 350}, L: {2021: 30, 2022: 20}},
    HUANGSHAN: {P: {2021: 1}, T: {2021: 200, 2022: 250}, L: {2021: 50, 2022: 40}},
    NANJING: {P: {2021: 64, 2022: 81}, T: {2021: 600, 2022: 700}},
    WUHU: {T: {2022: 450}},
}


def panel_rows(values):
    return [
        dict(
            region_code=region,
            indicator=ind,
            period_kind="stock",
            period_end=dt.date(year, 12, 31),
            value=float(v),
            tier="sample",
        )
        for region, per_ind in values.items()
        for ind, per_year in per_ind.items()
        for year, v in per_year.items()
    ]


@pytest.fixture(scope="module")
def vocabulary():
    vocab = dict(indicators())
    vocab[L] = dataclasses.replace(vocab[L], higher_is_better=False, skewed=False)
    return vocab


@pytest.fixture(scope="module")
def spec(vocabulary):
    base = load_index_spec(indicators=vocabulary)
    return dataclasses.replace(
        base,
        weights=((P, 1.0), (T, 1.0), (L, 1.0)),
        transforms=((P, "auto"), (T, "none"), (L, "none")),
        min_coverage=0.66,
    )


@pytest.fixture(scope="module")
def result(spec, vocabulary):
    return composite_index(facts_frame(panel_rows(VALUES)), regions(), spec, vocabulary)


def scores_of(result):
    return {
        (r["region_code"], r["year"], r["indicator"]): r
        for r in result.scores.iter_rows(named=True)
    }


def test_scores_are_min_max_pooled_over_all_regions_and_years(result):
    s = scores_of(result)
    # P: sqrt of 36, 4, 1, 64 (2021) and 49, 9, 81 (2022) = 6, 2, 1, 8, 7, 3, 9; min 1, max 9
    # over both years, so Hefei 2021 scores (6 - 1) / 8 = 0.625 (per-year scaling would give 5/7)
    assert s[(HEFEI, 2021, P)]["transform"] == "sqrt"
    assert s[(HEFEI, 2021, P)]["score"] == pytest.approx(0.625)
    assert s[(HUAINAN, 2022, P)]["score"] == pytest.approx(0.25)
    assert s[(NANJING, 2022, P)]["score"] == pytest.approx(1.0)
    # T: no transform; min 200, max 700: Huainan 2021 (300 - 200) / 500 = 0.2
    assert s[(HUAINAN, 2021, T)]["score"] == pytest.approx(0.2)
    assert s[(WUHU, 2022, T)]["score"] == pytest.approx(0.5)
    # L, lower is better: min 10, max 50: Huainan 2022 1 - (20 - 10) / 40 = 0.75
    assert s[(HUAINAN, 2022, L)]["score"] == pytest.approx(0.75)
    assert s[(HEFEI, 2021, L)]["score"] == pytest.approx(1.0)


def test_index_is_the_weighted_mean_of_scores_present(result):
    idx = {(r["region_code"], r["year"]): r for r in result.index.iter_rows(named=True)}
    # Huainan 2021: (0.125 + 0.2 + 0.5) / 3 * 100 = 27.5
    assert idx[(HUAINAN, 2021)]["index"] == pytest.approx(27.5)
    # Huainan 2022: (0.25 + 0.3 + 0.75) / 3 * 100 = 43.333
    assert idx[(HUAINAN, 2022)]["index"] == pytest.approx(130 / 3)
    # Hefei 2021: (0.625 + 0.6 + 1.0) / 3 * 100 = 74.167
    assert idx[(HEFEI, 2021)]["index"] == pytest.approx(222.5 / 3)
    # Huangshan 2022 lacks P: (0.1 + 0.25) / 2 * 100 = 17.5 with 2 of 3 indicators
    assert idx[(HUANGSHAN, 2022)]["index"] == pytest.approx(17.5)
    assert idx[(HUANGSHAN, 2022)]["n_indicators"] == 2
    # Wuhu 2022 has 1 of 3: below the coverage rule, null with the reason
    assert idx[(WUHU, 2022)]["index"] is None
    assert idx[(WUHU, 2022)]["reason"] == "only 1 of 3 indicators"


def test_relative_index_against_the_anhui_city_mean_and_bands(result):
    idx = {(r["region_code"], r["year"]): r for r in result.index.iter_rows(named=True)}
    # 2021 Anhui cities with an index: Hefei 74.167, Huainan 27.5, Huangshan 0 -> mean 33.889
    bench_2021 = (222.5 / 3 + 27.5 + 0) / 3
    assert idx[(HUAINAN, 2021)]["relative_index"] == pytest.approx(100 * 27.5 / bench_2021)  # 81.1
    assert (idx[(HUAINAN, 2021)]["band"], idx[(HUAINAN, 2021)]["band_zh"]) == ("moderate", "中等型")
    # 2022: Hefei 81.667, Huainan 43.333, Huangshan 17.5 (Wuhu null, left out) -> mean 47.5
    assert idx[(HUAINAN, 2022)]["relative_index"] == pytest.approx(100 * (130 / 3) / 47.5)  # 91.2
    assert idx[(HEFEI, 2022)]["band"] == "leader"  # 171.9
    assert idx[(HUANGSHAN, 2022)]["band"] == "emerging"  # 36.8
    # Nanjing is scored in the pooled panel but benchmarked against the Anhui mean too
    assert idx[(NANJING, 2022)]["relative_index"] == pytest.approx(100 * 100 / 47.5)
    assert idx[(WUHU, 2022)]["band"] is None
    assert set(result.index["benchmark_group"].to_list()) == {"anhui"}


def test_band_boundaries(spec):
    assert [band_for(x, spec.bands).id for x in (125, 124.99, 100, 99.99, 70, 69.99, 0)] == [
        "leader",
        "strong",
        "strong",
        "moderate",
        "moderate",
        "emerging",
        "emerging",
    ]
    assert band_for(None, spec.bands) is None


def test_outliers_are_left_out_of_min_max_then_clipped(spec, vocabulary):
    # 20 city-years: 1..19 and one 1000. mean = (190 + 1000) / 20 = 59.5;
    # sample SD = sqrt((47,124.75 + 940.5^2) / 19) = 221.44; z(1000) = 940.5 / 221.44 = 4.25 > 3.
    cities = sorted(c for c, r in regions().items() if r.level == "city")[:5]
    values = list(range(1, 20)) + [1000]
    rows = {c: {T: {}} for c in cities}
    for i, v in enumerate(values):
        rows[cities[i % 5]][T][2016 + i // 5] = v
    one = dataclasses.replace(spec, weights=((T, 1.0),), transforms=((T, "none"),))
    scores = normalised_scores(facts_frame(panel_rows(rows)), one, vocabulary, regions())
    by_value = {r["value"]: r for r in scores.iter_rows(named=True)}
    assert by_value[1000.0]["outlier"] is True
    assert by_value[1000.0]["score"] == 1.0  # clipped
    # min 1, max 19 among the rest: 10 scores (10 - 1) / 18 = 0.5
    assert by_value[10.0]["score"] == pytest.approx(0.5)
    assert not any(r["outlier"] for v, r in by_value.items() if v != 1000.0)


def test_auto_transform_follows_skewness(spec, vocabulary):
    vocab = dict(vocabulary)
    vocab[T] = dataclasses.replace(vocab[T], skewed=False)
    one = dataclasses.replace(spec, weights=((T, 1.0),), transforms=((T, "auto"),))
    skewed = {
        c: {T: {2022: v}}
        for c, v in zip((HEFEI, HUAINAN, WUHU, HUANGSHAN, NANJING), (1, 1, 1, 2, 100), strict=True)
    }
    flat = {
        c: {T: {2022: v}}
        for c, v in zip((HEFEI, HUAINAN, WUHU, HUANGSHAN, NANJING), (1, 2, 3, 4, 5), strict=True)
    }
    for values, transform in ((skewed, "sqrt"), (flat, "none")):
        scores = normalised_scores(facts_frame(panel_rows(values)), one, vocab, regions())
        assert set(scores["transform"].to_list()) == {transform}


def test_only_the_panel_level_is_pooled(result):
    assert set(result.scores["region_code"].to_list()) == {HEFEI, HUAINAN, HUANGSHAN, NANJING, WUHU}


def test_shanghai_enters_the_city_panel_once_with_the_municipalitys_figures(spec, vocabulary):
    # Shanghai publishes as 310000 (a province-level region); the city panel holds it as 310100,
    # and a figure published for 310100 itself wins over the municipality's.
    values = {**VALUES, "310000": {T: {2021: 650, 2022: 800}}, "310100": {T: {2022: 750}}}
    result = composite_index(facts_frame(panel_rows(values)), regions(), spec, vocabulary)
    s = scores_of(result)
    assert "310000" not in set(result.scores["region_code"].to_list())
    # T (no transform) pools 200..750 (the municipality's 800 is not in the panel for 2022):
    # Shanghai 2021 = (650 - 200) / 550, 2022 its own 750 = the maximum.
    assert s[("310100", 2021, T)]["score"] == pytest.approx(450 / 550)
    assert s[("310100", 2022, T)]["score"] == pytest.approx(1.0)


def test_negative_values_are_refused(spec, vocabulary):
    bad = {HEFEI: {T: {2022: -1}}, HUAINAN: {T: {2022: 3}}}
    with pytest.raises(ValidationFailed, match="negative values"):
        normalised_scores(facts_frame(panel_rows(bad)), spec, vocabulary, regions())


def test_index_file_accepts_only_ratios(tmp_path):
    text = (REFERENCE_DIR / "index.yaml").read_text(encoding="utf-8")
    path = tmp_path / "index.yaml"
    path.write_text(
        text.replace("invention_patents_per_10k:", "valid_invention_patents:"), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="valid_invention_patents is a stock, not a ratio"):
        load_index_spec(path)
    path.write_text(text.replace("min: 100,", "min: 130,"), encoding="utf-8")
    with pytest.raises(ConfigError, match="band minimums"):
        load_index_spec(path)


def test_default_spec_uses_the_plans_intensities():
    spec = load_index_spec()
    assert [i for i, _ in spec.weights] == [
        "high_value_patents_per_10k",
        "invention_patents_per_10k",
        "trademarks_per_10k_entities",
        "copyright_registrations_per_million",
    ]
    assert {w for _, w in spec.weights} == {1.0}
    assert (spec.benchmark_id, spec.benchmark_province, spec.outlier_sd) == ("anhui", "340000", 3.0)
