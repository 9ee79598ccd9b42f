"""`ipbench refresh --mode live` against the loopback simulator: the same facts as the sample
archive, a no-change night that downloads nothing, a changed document that becomes a revision,
and a failing document that leaves the previous version in force."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from sqlalchemy import create_engine, text

from pipelines.refresh import run_refresh
from sources import config
from sources.simulator import SimSettings, serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

END = dt.date(2023, 12, 31)
F4 = "www.cnipa.gov.cn/tjxx/jianbao/year2023/f/f4.html"
FACTS = (
    "select region_code, indicator, period_kind, period_end, series, value, unit, tier "
    "from fact order by 1, 2, 3, 4, 5"
)


def _rows(url: str, sql: str, **params) -> list[tuple]:
    """Rows as text, so that SQLite's and PostgreSQL's date and number types compare."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [tuple(str(v) for v in r) for r in conn.execute(text(sql), params)]
    engine.dispose()
    return rows


@pytest.fixture
def site(data_dir, tmp_path, monkeypatch):
    """A copy of the sample tree served by the simulator, so a test may change a document."""
    root = tmp_path / "sample"
    shutil.copytree(config.SAMPLE_DIR, root)
    simulator = serve(root / "site", settings=SimSettings(lifetime=240))
    monkeypatch.setenv("IPBENCH_SIMULATOR", simulator.url)
    # The simulator is not a government site: no need to wait a second between requests.
    monkeypatch.setenv("IPBENCH_RATE_LIMIT", "200")
    try:
        yield root / "site", simulator
    finally:
        simulator.stop()


def _last_run(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as conn:
        row = (
            conn.execute(text("select * from refresh_run order by started_at desc limit 1"))
            .mappings()
            .one()
        )
    engine.dispose()
    return dict(row)


def test_live_refresh_matches_sample_then_costs_nothing_when_unchanged(
    site, database_url, tmp_path
):
    sample_url = f"sqlite:///{tmp_path / 'sample.db'}"
    assert run_refresh("sample", database_url=sample_url).succeeded

    first = run_refresh("live", database_url=database_url, archive_root=str(tmp_path / "arch"))
    assert first.succeeded, first.message
    live_facts = _rows(database_url, FACTS)
    assert live_facts and live_facts == _rows(sample_url, FACTS)
    cold = _last_run(database_url)
    assert cold["documents_fetched"] == cold["documents_seen"] > 0
    assert cold["bytes_downloaded"] > 0

    second = run_refresh("live", database_url=database_url, archive_root=str(tmp_path / "arch"))
    assert second.succeeded, second.message
    warm = _last_run(database_url)
    assert warm["documents_fetched"] == 0
    assert warm["documents_unchanged"] == warm["documents_seen"] == cold["documents_seen"]
    assert warm["bytes_downloaded"] == 0
    assert _rows(database_url, FACTS) == live_facts


def test_a_changed_document_is_a_new_revision_and_a_failing_one_keeps_the_old(
    site, database_url, tmp_path
):
    root, _simulator = site
    archive = str(tmp_path / "arch")
    assert run_refresh("live", database_url=database_url, archive_root=archive).succeeded

    page = root / F4
    page.write_text(page.read_text(encoding="utf-8").replace(">1901<", ">1902<"), encoding="utf-8")
    assert run_refresh("live", database_url=database_url, archive_root=archive).succeeded
    anhui_2023 = (
        "select value from {table} where region_code='340000' and indicator='pct_applications' "
        "and period_end = :end order by value"
    )
    assert [
        float(v) for (v,) in _rows(database_url, anhui_2023.format(table="observation"), end=END)
    ] == [
        1901,
        1902,
    ]
    assert [float(v) for (v,) in _rows(database_url, anhui_2023.format(table="fact"), end=END)] == [
        1902
    ]

    page.unlink()  # the publisher's page disappears: 404 from now on
    third = run_refresh("live", database_url=database_url, archive_root=archive)
    assert third.succeeded, third.message
    run = _last_run(database_url)
    assert run["documents_failed"] >= 1
    # The previous version stays in force: nothing lost.
    assert [float(v) for (v,) in _rows(database_url, anhui_2023.format(table="fact"), end=END)] == [
        1902
    ]
