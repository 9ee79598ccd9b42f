"""The warehouse on both backends: migrations, idempotent loads, revisions, tiers, rollback, marts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from sources.errors import QueryError
from sources.records import Observation
from warehouse import benchmarks, load, marts, promote
from warehouse.db import current_revision, head_revision, make_engine, readonly_engine, upgrade
from warehouse.query import run_query
from warehouse.schema import fact, observation

END_2023 = dt.date(2023, 12, 31)


def obs(
    region="340000",
    indicator="pct_applications",
    value="1901",
    *,
    tier="official",
    sha="a" * 64,
    publisher="cnipa",
    published=dt.date(2024, 6, 1),
    period_end=END_2023,
    vintage="",
    series="",
) -> Observation:
    return Observation(
        region_code=region,
        region_name=region,
        indicator=indicator,
        period_kind="year",
        period_end=period_end,
        value=Decimal(value),
        unit="件",
        evidence="test row",
        document_sha256=sha,
        publisher=publisher,
        tier=tier,
        published_on=published,
        vintage=vintage,
        series=series,
    )


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    load.load_reference(engine)
    return engine


def stage_and_promote(engine, run_id, rows, **kwargs):
    load.stage(engine, run_id, rows)
    return promote.promote(engine, run_id, **kwargs)


def facts(engine) -> dict:
    with engine.connect() as conn:
        return {
            (r.region_code, r.indicator, r.period_end.isoformat()): (
                r.value,
                r.tier,
                r.document_sha256,
            )
            for r in conn.execute(select(fact))
        }


def test_migrations_reach_head_from_empty(engine):
    assert current_revision(engine) == head_revision() != ""
    upgrade(engine)  # a second upgrade is a no-op
    assert current_revision(engine) == head_revision()


def test_promoting_the_same_rows_twice_changes_nothing(engine):
    rows = [obs(), obs(region="310000", value="6185")]
    first = stage_and_promote(engine, "run1", rows)
    assert (first.new_observations, first.facts_changed) == (2, 2)
    again = stage_and_promote(engine, "run2", rows)
    assert (again.new_observations, again.new_revisions, again.facts_changed) == (0, 0, 0)
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from observation")).scalar() == 2


def test_a_changed_value_is_a_new_revision_and_the_old_one_is_kept(engine):
    stage_and_promote(
        engine, "run1", [obs(value="1900", sha="a" * 64, published=dt.date(2024, 6, 1))]
    )
    stats = stage_and_promote(
        engine, "run2", [obs(value="1901", sha="b" * 64, published=dt.date(2024, 7, 1))]
    )
    assert stats.new_revisions == 1
    with engine.connect() as conn:
        history = conn.execute(
            select(observation.c.value, observation.c.revision).order_by(observation.c.revision)
        ).all()
    assert [tuple(r) for r in history] == [(1900.0, 1), (1901.0, 2)]
    assert facts(engine)[("340000", "pct_applications", "2023-12-31")][0] == 1901.0


def test_official_beats_office_secondary_and_sample_whatever_the_date(engine):
    stage_and_promote(
        engine,
        "run1",
        [
            obs(
                value="1000",
                tier="sample",
                sha="c" * 64,
                publisher="x",
                published=dt.date(2025, 1, 1),
            ),
            obs(
                value="1500",
                tier="secondary",
                sha="d" * 64,
                publisher="y",
                published=dt.date(2025, 1, 1),
            ),
            obs(
                value="1901",
                tier="official",
                sha="e" * 64,
                publisher="z",
                published=dt.date(2024, 1, 1),
            ),
        ],
    )
    assert facts(engine)[("340000", "pct_applications", "2023-12-31")][:2] == (1901.0, "official")


def test_a_failure_during_promotion_leaves_yesterdays_facts(engine):
    stage_and_promote(engine, "run1", [obs(value="1880")])
    before = facts(engine)
    with pytest.raises(RuntimeError, match="injected"):
        stage_and_promote(
            engine,
            "run2",
            [
                obs(value="1901", sha="f" * 64, published=dt.date(2025, 1, 1)),
                obs(region="310000", value="6185", sha="f" * 64),
            ],
            fail_after_observations=True,
        )
    assert facts(engine) == before
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from observation")).scalar() == 1


def test_marts_by_hand(engine):
    # Anhui 1901 against Shanghai 6185, Jiangsu 6547, Zhejiang 4364 (CNIPA 2023 table 6-4).
    stage_and_promote(
        engine,
        "run1",
        [
            obs(),
            obs(region="310000", value="6185"),
            obs(region="320000", value="6547"),
            obs(region="330000", value="4364"),
        ],
    )
    marts.rebuild_marts(engine)
    with engine.connect() as conn:
        gap = conn.execute(
            text(
                'select value, benchmark, gap, "index", rank, n_peers, band from mart_gap '
                "where region_code='340000' and peer_group='hu_su_zhe'"
            )
        ).one()
        bench = conn.execute(
            text(
                "select n, mean, median, p25, p75, min, max, best_region_code from mart_benchmark "
                "where peer_group='provinces_yrd'"
            )
        ).one()
    mean = (6185 + 6547 + 4364) / 3
    assert gap.value == 1901 and gap.benchmark == pytest.approx(mean)
    assert gap.gap == pytest.approx(1901 - mean) and gap.index == pytest.approx(100 * 1901 / mean)
    assert (gap.rank, gap.n_peers, gap.band) == (4, 3, "<70")
    # Sorted: 1901, 4364, 6185, 6547 → median 5274.5; p25 = 1901 + 0.75 × (4364 − 1901).
    assert bench.n == 4 and bench.median == pytest.approx(5274.5)
    assert bench.p25 == pytest.approx(1901 + 0.75 * (4364 - 1901))
    assert bench.p75 == pytest.approx(6185 + 0.25 * (6547 - 6185))
    assert (bench.min, bench.max, bench.best_region_code) == (1901, 6547, "320000")


@pytest.mark.parametrize(
    "index,band",
    [
        (125.0, "≥125"),
        (124.99, "100–125"),
        (100.0, "100–125"),
        (99.9, "70–100"),
        (70.0, "70–100"),
        (69.99, "<70"),
    ],
)
def test_band_edges(index, band):
    assert benchmarks.band_for(index) == band


def test_read_only_queries_refuse_writes(engine, database_url):
    stage_and_promote(engine, "run1", [obs()])
    for sql in (
        "delete from fact",
        "select 1; delete from fact",
        "pragma writable_schema=1",
        "attach database 'x' as y",
    ):
        with pytest.raises(QueryError):
            run_query(sql, url=database_url)
    # The connection itself refuses, whatever the statement check lets through.
    ro = readonly_engine(database_url)
    with pytest.raises(Exception), ro.connect() as conn:  # noqa: B017 - driver-specific error type
        conn.execute(
            text(
                "insert into region (region_code, name, short_name, level, hefei_metro, "
                "resource_based) values ('999999', 'x', 'x', 'city', false, false)"
            )
        )
        conn.commit()
    ro.dispose()
    result = run_query("select region_code, value from fact", url=database_url)
    assert result.rows == [("340000", 1901.0)]


def test_staging_keeps_the_newest_runs_and_the_last_succeeded_one(engine):
    from warehouse import runs

    statuses = ("succeeded", "succeeded", "succeeded", "blocked", "blocked")
    for i, status in enumerate(statuses, start=1):
        run_id = f"run-{i}"
        runs.start_run(engine, "sample", run_id=run_id)
        runs.update_run(engine, run_id, observations=load.stage(engine, run_id, [obs()]))
        runs.finish_run(engine, run_id, status)

    def staged() -> set[str]:
        with engine.connect() as conn:
            return set(
                conn.execute(text("SELECT DISTINCT run_id FROM staging_observation")).scalars()
            )

    # The two newest are blocked runs; run-3, the last that succeeded, is what the completeness
    # check compares the next refresh with, so it stays too.
    assert load.prune_staging(engine, keep_runs=2) == 2
    assert staged() == {"run-3", "run-4", "run-5"}
    assert load.prune_staging(engine, keep_runs=2) == 0
    with pytest.raises(ValueError, match="at least 1"):
        load.prune_staging(engine, keep_runs=0)


@pytest.mark.parametrize("setting", ["0", "-3", "two weeks"])
def test_a_bad_staging_retention_setting_is_named(monkeypatch, setting):
    from sources import config
    from sources.errors import ConfigError

    monkeypatch.setenv("IPBENCH_STAGING_KEEP_RUNS", setting)
    with pytest.raises(ConfigError, match="IPBENCH_STAGING_KEEP_RUNS"):
        config.staging_keep_runs()
    monkeypatch.setenv("IPBENCH_STAGING_KEEP_RUNS", "30")
    assert config.staging_keep_runs() == 30


def test_a_published_value_replaces_a_derived_one_for_the_same_key(engine):
    stage_and_promote(engine, "run-1", [obs(value="1800", sha="1" * 64)])
    with engine.begin() as conn:
        conn.execute(text("UPDATE fact SET derived = :t"), {"t": True})
    stage_and_promote(engine, "run-2", [obs(value="1901", sha="2" * 64)])
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT value, derived FROM fact")).all()
    assert [(float(v), bool(d)) for v, d in rows] == [(1901.0, False)]
