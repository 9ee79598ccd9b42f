"""Target loading and tracking, each rule against hand-computed expectations.

Huainan's own yearly values are not in the reference figures, so every Huainan value here is an
invented figure and carries tier ``sample``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import polars as pl
import pytest

from sources.errors import ConfigError, ValidationFailed
from warehouse.derive import facts_frame
from warehouse.targets import STATUSES, TRACK_SCHEMA, load_targets, track_targets

HUAINAN = "340400"
NO_BENCHMARKS = pl.DataFrame(
    schema={
        "peer_group": pl.String,
        "definition": pl.String,
        "indicator": pl.String,
        "period_end": pl.Date,
        "value": pl.Float64,
        "n_regions": pl.Int64,
    }
)


@pytest.fixture(scope="module")
def targets():
    return {t.id: t for t in load_targets()}


def huainan(indicator: str, points: dict[int, float], kind: str = "stock", **extra):
    return [
        dict(
            region_code=HUAINAN,
            indicator=indicator,
            period_kind=kind,
            period_end=dt.date(year, 12, 31),
            value=value,
            tier="sample",
            **extra,
        )
        for year, value in points.items()
    ]


def benchmarks(indicator: str, definition: str, points: dict[int, float]) -> pl.DataFrame:
    rows = [
        dict(
            peer_group="anhui",
            definition=definition,
            indicator=indicator,
            period_end=dt.date(year, 12, 31),
            value=value,
            n_regions=16,
        )
        for year, value in points.items()
    ]
    return pl.DataFrame(rows, schema=NO_BENCHMARKS.schema)


def track(target, rows, bench=NO_BENCHMARKS, as_of_year=None) -> dict:
    out = track_targets(facts_frame(rows), [target], bench, as_of_year)
    assert out.schema == pl.Schema(TRACK_SCHEMA)
    assert out["status"][0] in STATUSES
    return out.row(0, named=True)


# --- the targets file ------------------------------------------------------------------------


def test_plan_file_lists_every_target_of_the_plan(targets):
    rules = {t.id: t.rule for t in targets.values()}
    assert rules["high_value_patents_reach_anhui_2023"] == "reach_peer_average"
    assert rules["trademarks_reach_anhui_2023"] == "reach_peer_average"
    assert rules["patent_pledge_growth_2023"] == "growth_rate"
    assert rules["pledge_entities_growth_2023"] == "growth_rate"
    assert rules["certified_firms_per_year_2023"] == "at_least_per_year"
    assert sorted(t.indicator for t in targets.values() if t.rule == "increase_every_year") == [
        "demo_parks",
        "national_advantage_firms",
        "national_demo_firms",
    ]
    milestones = {t.indicator: t.required for t in targets.values() if t.rule == "milestone"}
    assert milestones == {
        "milestone_patent_navigation_base": 1,
        "milestone_tech_transfer_center": 1,
        "milestone_incubation_base": 2,
        "milestone_rights_protection_center": 1,
        "milestone_one_window_service": 1,
    }
    assert targets["patent_pledge_growth_2023"].rate == 0.20
    assert targets["pledge_entities_growth_2023"].rate == 0.10
    assert targets["certified_firms_per_year_2023"].per_year == 5
    copyright_target = targets["copyright_approach_anhui_2023"]
    assert (copyright_target.benchmark, copyright_target.share) == ("city_mean", 0.8)
    for t in targets.values():
        assert (t.region, t.baseline_year, t.target_year) == (HUAINAN, 2020, 2023)
        assert t.source == "淮知联发〔2021〕5号"


ENTRY = """
  - id: {id}
    title_zh: 测试目标
    indicator: {indicator}
    rule: {rule}
    parameters: {parameters}
    region: "340400"
    baseline_year: {baseline}
    target_year: {deadline}
    source: 测试
"""


def write(tmp_path, *entries: dict) -> object:
    defaults = dict(
        id="t2025",
        indicator="high_value_patents_per_10k",
        rule="reach_peer_average",
        parameters="{peer_group: anhui, benchmark: province_ratio}",
        baseline=2023,
        deadline=2025,
    )
    path = tmp_path / "targets.yaml"
    path.write_text(
        "targets:\n" + "".join(ENTRY.format(**{**defaults, **e}) for e in entries),
        encoding="utf-8",
    )
    return path


def test_a_2025_target_loads_with_its_own_baseline(tmp_path):
    (target,) = load_targets(write(tmp_path, {}))
    assert (target.baseline_year, target.target_year, target.share) == (2023, 2025, 1.0)
    assert target.deadline == dt.date(2025, 12, 31)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"indicator": "patents_per_cat"}, "unknown indicator 'patents_per_cat'"),
        ({"rule": "reach_the_moon"}, "unknown rule 'reach_the_moon'"),
        ({"parameters": "{peer_group: anhui}"}, "needs parameters ['benchmark']"),
        ({"parameters": "{peer_group: anhui, benchmark: max}"}, "benchmark must be one of"),
        ({"rule": "growth_rate", "parameters": "{rate: fast}"}, "rate must be a number"),
        ({"rule": "milestone", "parameters": "{required: 1, when: soon}"}, "takes no parameters"),
        ({"baseline": 2025, "deadline": 2023}, "must follow baseline"),
    ],
)
def test_bad_entries_name_the_target(tmp_path, entry, message):
    with pytest.raises(ConfigError) as err:
        load_targets(write(tmp_path, {"id": "bad_one", **entry}))
    assert message in str(err.value)
    assert "target bad_one" in str(err.value)


def test_duplicate_ids_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="defined twice"):
        load_targets(write(tmp_path, {}, {}))


# --- growth_rate: path L_t = L_0 (1 + r)^(t - t0) ----------------------------------------------


def pledge(points):
    return huainan("patent_pledge_amount", points, kind="year")


def test_growth_below_the_path_needs_acceleration(targets):
    row = track(
        targets["patent_pledge_growth_2023"], pledge({2020: 100e6, 2021: 115e6, 2022: 130e6})
    )
    # target 100e6 * 1.2^3 = 172.8e6; g_obs = (130/100)^(1/2) - 1 = 0.140175; R = 0.7009
    assert row["target_value"] == pytest.approx(172.8e6)
    assert row["required_growth"] == pytest.approx(0.20)
    assert row["observed_growth"] == pytest.approx(math.sqrt(1.3) - 1)
    assert row["status"] == "needs_acceleration"
    # needed now: (172.8 / 130)^(1/1) - 1 = 0.329231
    assert row["needed_growth_now"] == pytest.approx(172.8 / 130 - 1)
    assert row["n_points"] == 3
    # path in 2022 = 100e6 * 1.44 = 144e6; shortfall 14e6
    assert "path level 144,000,000 in 2022; shortfall 14,000,000" in row["note"]


@pytest.mark.parametrize(
    ("points", "status"),
    [
        ({2020: 100, 2021: 125}, "on_track"),  # g 0.25, R = 1.25
        ({2020: 100, 2022: 105}, "off_track"),  # g = 1.05^0.5 - 1 = 0.0247, R = 0.12
        ({2020: 100, 2021: 90}, "deteriorating"),  # g = -0.10, R = -0.5
        ({2020: 100, 2022: 180}, "achieved"),  # 180 >= 172.8 before the deadline
    ],
)
def test_growth_bands(targets, points, status):
    assert track(targets["patent_pledge_growth_2023"], pledge(points))["status"] == status


def test_at_the_deadline_the_target_is_met_or_missed(targets):
    target = targets["patent_pledge_growth_2023"]
    row = track(target, pledge({2020: 100, 2021: 130, 2023: 170}))
    # 170 < 172.8 at 2023, although g_obs = 1.7^(1/3) - 1 = 19.3 % (R = 0.97)
    assert row["status"] == "off_track"
    assert row["needed_growth_now"] is None
    assert row["latest_period_end"] == dt.date(2023, 12, 31)
    # As of 2021 the same series was on track: g = 30 % > 20 %.
    assert track(target, pledge({2020: 100, 2021: 130, 2023: 170}), as_of_year=2021)["status"] == (
        "on_track"
    )


def test_zero_baseline_has_no_growth_rate(targets):
    row = track(targets["patent_pledge_growth_2023"], pledge({2020: 0, 2021: 50, 2022: 80}))
    assert row["observed_growth"] is None and row["target_value"] is None
    assert row["status"] == "needs_acceleration"  # level rose from 0 to 80
    assert "baseline is zero: no CAGR, status from levels" in row["note"]


def test_missing_baseline_judges_levels(targets):
    row = track(targets["patent_pledge_growth_2023"], pledge({2021: 50, 2022: 40}))
    assert row["baseline_value"] is None
    assert row["status"] == "deteriorating"  # 50 -> 40
    assert "no value for the baseline year 2020" in row["note"]


def test_fewer_than_two_points_is_no_data(targets):
    row = track(targets["patent_pledge_growth_2023"], pledge({2020: 100}))
    assert row["status"] == "no_data"
    assert "fewer than 2 points" in row["note"]
    empty = track(targets["patent_pledge_growth_2023"], [])
    assert (empty["status"], empty["note"]) == ("no_data", "no value since 2020")


def test_lower_is_better_flips_the_direction(targets):
    # A reduction target on an indicator where lower is better: -10 % a year.
    target = dataclasses.replace(
        targets["patent_pledge_growth_2023"], rate=-0.10, higher_is_better=False
    )
    # target 100 * 0.9^3 = 72.9; g_obs = -5 %; R = -0.05 / -0.10 = 0.5
    assert track(target, pledge({2020: 100, 2021: 95}))["status"] == "off_track"
    assert track(target, pledge({2020: 100, 2021: 110}))["status"] == "deteriorating"
    assert track(target, pledge({2020: 100, 2022: 70}))["status"] == "achieved"


def test_a_method_break_series_is_named_and_not_spliced(targets):
    main = pledge({2020: 100, 2021: 115, 2022: 130})
    other = pledge({2021: 300, 2022: 400})
    other = [{**r, "series": "patentee_address"} for r in other]
    row = track(targets["patent_pledge_growth_2023"], main + other)
    assert row["observed_growth"] == pytest.approx(math.sqrt(1.3) - 1)
    assert "method break: series ['patentee_address']" in row["note"]


# --- reach_peer_average against a moving benchmark --------------------------------------------


HVP = "high_value_patents_per_10k"


def test_moving_benchmark_sets_the_required_growth(targets):
    bench = benchmarks(HVP, "province_ratio", {2020: 4.0, 2022: 4.84})
    row = track(
        targets["high_value_patents_reach_anhui_2023"], huainan(HVP, {2020: 2, 2022: 3}), bench
    )
    # g_B = (4.84/4)^(1/2) - 1 = 0.10; projected B_2023 = 4.84 * 1.1 = 5.324
    # g_req = 5.324 / 3 - 1 = 0.774667; g_obs = (3/2)^(1/2) - 1 = 0.224745; R = 0.29
    assert row["target_value"] == pytest.approx(5.324)
    assert row["required_growth"] == pytest.approx(5.324 / 3 - 1)
    assert row["needed_growth_now"] == pytest.approx(5.324 / 3 - 1)
    assert row["observed_growth"] == pytest.approx(math.sqrt(1.5) - 1)
    assert row["status"] == "off_track"
    # static gap 4.84 - 3 = 1.84; 3 / 4.84 = 62.0 %
    assert "static gap 1.84 (62.0% of benchmark 4.84)" in row["note"]


def test_reaching_todays_benchmark_is_achieved(targets):
    bench = benchmarks(HVP, "province_ratio", {2020: 4.0, 2022: 4.84})
    row = track(
        targets["high_value_patents_reach_anhui_2023"], huainan(HVP, {2020: 2, 2022: 5}), bench
    )
    assert row["status"] == "achieved"


def test_a_falling_benchmark_needs_no_growth(targets):
    bench = benchmarks(HVP, "province_ratio", {2020: 6.0, 2022: 3.84})
    row = track(
        targets["high_value_patents_reach_anhui_2023"], huainan(HVP, {2020: 3, 2022: 3.5}), bench
    )
    # g_B = 0.64^(1/2) - 1 = -0.2; projected 3.84 * 0.8 = 3.072 < 3.5: g_req = -12.2 %
    assert row["required_growth"] == pytest.approx(3.072 / 3.5 - 1)
    assert row["status"] == "on_track"


def test_approach_target_uses_a_share_of_the_city_mean(targets):
    bench = benchmarks("copyright_registrations", "city_mean", {2022: 2000})
    facts = huainan("copyright_registrations", {2020: 1000, 2022: 1500}, kind="year")
    row = track(targets["copyright_approach_anhui_2023"], facts, bench)
    # 80 % of 2000 = 1600 > 1500; one benchmark point: held constant
    # g_req = 1600/1500 - 1 = 6.7 %; g_obs = 1.5^(1/2) - 1 = 22.5 %: R = 3.4
    assert row["target_value"] == pytest.approx(1600)
    assert row["status"] == "on_track"
    assert "held constant" in row["note"]


def test_no_benchmark_is_no_data(targets):
    row = track(
        targets["trademarks_reach_anhui_2023"],
        huainan("trademarks_per_10k_entities", {2020: 900, 2022: 1000}),
    )
    assert row["status"] == "no_data"
    assert "no benchmark anhui/province_ratio" in row["note"]


# --- at_least_per_year and increase_every_year ------------------------------------------------


CERT = "ip_certified_firms"


@pytest.mark.parametrize(
    ("points", "as_of", "status", "note"),
    [
        ({2021: 6, 2022: 5, 2023: 7}, None, "achieved", ""),
        ({2021: 6, 2022: 4, 2023: 9}, None, "off_track", "below 5 in [2022]"),
        ({2021: 6, 2022: 5, 2023: 7}, 2022, "on_track", ""),
        ({2021: 6, 2023: 8}, None, "on_track", "no value for [2022]"),
        ({2020: 3}, None, "no_data", "no value after the baseline year 2020"),
    ],
)
def test_at_least_per_year(targets, points, as_of, status, note):
    row = track(
        targets["certified_firms_per_year_2023"], huainan(CERT, points, "year"), as_of_year=as_of
    )
    assert (row["status"], row["note"]) == (status, note)


@pytest.mark.parametrize(
    ("points", "status", "note"),
    [
        ({2020: 1, 2021: 2, 2022: 3, 2023: 4}, "achieved", ""),
        ({2020: 1, 2021: 2}, "on_track", ""),
        ({2020: 2, 2021: 2, 2022: 3}, "off_track", "no increase in [2021]"),
        ({2020: 2, 2021: 3, 2022: 2}, "deteriorating", "decrease in [2022]"),
        ({2020: 2}, "no_data", "fewer than 2 points"),
    ],
)
def test_increase_every_year(targets, points, status, note):
    row = track(
        targets["national_demo_firms_increase_2023"], huainan("national_demo_firms", points)
    )
    assert (row["status"], row["note"]) == (status, note)


# --- milestones --------------------------------------------------------------------------------


def office(indicator: str, dated: dict[dt.date, float]):
    return [
        dict(
            region_code=HUAINAN,
            indicator=indicator,
            period_kind="stock",
            period_end=day,
            value=value,
            tier="sample",
            publisher="office",
        )
        for day, value in dated.items()
    ]


INCUBATION = "milestone_incubation_base"


@pytest.mark.parametrize(
    ("dated", "as_of", "status", "note"),
    [
        ({dt.date(2022, 6, 30): 1, dt.date(2023, 9, 30): 2}, None, "achieved", ""),
        ({dt.date(2022, 6, 30): 1}, None, "needs_acceleration", "1 of 2 built"),
        ({dt.date(2022, 6, 30): 1}, 2024, "off_track", "1 of 2 built"),
        ({dt.date(2024, 3, 31): 2}, None, "off_track", "met on 2024-03-31, after the deadline"),
        ({}, None, "no_data", "not reported by the office"),
    ],
)
def test_milestone(targets, dated, as_of, status, note):
    row = track(targets["incubation_bases_2023"], office(INCUBATION, dated), as_of_year=as_of)
    assert (row["status"], row["note"]) == (status, note)
    assert row["target_value"] == 2


def test_frames_without_the_contract_columns_are_refused(targets):
    with pytest.raises(ValidationFailed, match="lacks columns"):
        track_targets(pl.DataFrame({"value": [1.0]}), list(targets.values()), NO_BENCHMARKS)
