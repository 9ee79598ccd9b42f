"""A province's own indicator (``scope`` in indicators.yaml) is benchmarked only within peer
groups inside that province: Zhejiang's 每百户企业有效注册商标量 gets a Zhejiang benchmark, never a
YRD or provincial one that would be the Zhejiang mean under another name."""

from __future__ import annotations

import datetime as dt

from sources.reference import indicators
from warehouse.benchmarks import benchmark_rows, gap_rows, in_scope
from warehouse.peers import load_peer_groups

END = dt.date(2023, 12, 31)
ZJ_CITIES = ("330100", "330200", "330300", "330400", "330500", "330600", "330700", "330800",
             "330900", "331000", "331100")  # fmt: skip
INDICATOR = "zj_trademarks_per_100_firms"


def test_the_zhejiang_ratio_is_scoped_to_zhejiang_and_the_others_are_not():
    vocab = indicators()
    assert vocab[INDICATOR].scope == ("330000",)
    assert vocab["trademarks_per_10k_entities"].scope == ()


def test_only_groups_inside_the_scope_benchmark_it():
    groups = load_peer_groups()
    values = {(INDICATOR, "stock", END): {c: 100.0 + i for i, c in enumerate(ZJ_CITIES)}}
    scopes = {INDICATOR: indicators()[INDICATOR].scope}
    rows = benchmark_rows(values, {INDICATOR: True}, groups, scopes=scopes)
    assert {r["peer_group"] for r in rows} == {
        g.id for g in groups.values() if in_scope(g, ("330000",))
    }
    assert "zhejiang" in {r["peer_group"] for r in rows}
    assert "yrd" not in {r["peer_group"] for r in rows}
    level = dict.fromkeys(ZJ_CITIES, "city")
    gaps = gap_rows(values, {INDICATOR: True}, level, groups, scopes=scopes)
    assert gaps and {r["peer_group"] for r in gaps} <= {r["peer_group"] for r in rows}
    # Without a scope the same values reach the YRD group (other indicators keep that).
    unscoped = benchmark_rows(values, {INDICATOR: True}, groups)
    assert "yrd" in {r["peer_group"] for r in unscoped}
