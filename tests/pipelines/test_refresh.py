"""End to end: `ipbench refresh` on the bundled sample archive, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.refresh import run_refresh

pytestmark = pytest.mark.slow
runner = CliRunner()


def _table(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(sql))]
    engine.dispose()
    return rows


def test_refresh_answers_anhui_gap_to_hu_su_zhe(database_url):
    outcome = run_refresh("sample", database_url=database_url)
    assert outcome.succeeded, outcome.message

    result = runner.invoke(
        app,
        [
            "query",
            "select * from mart_gap where region_code='340000' and peer_group='hu_su_zhe'",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    pct_2023 = [
        r
        for r in rows
        if r["indicator"] == "pct_applications" and r["period_end"].startswith("2023-12-31")
    ]
    assert len(pct_2023) == 1
    row = pct_2023[0]
    # CNIPA 2023 yearbook table 6-4: Anhui 1901; Shanghai 6185, Jiangsu 6547, Zhejiang 4364.
    benchmark = (6185 + 6547 + 4364) / 3
    assert float(row["value"]) == 1901
    assert float(row["benchmark"]) == pytest.approx(benchmark)
    assert float(row["gap"]) == pytest.approx(1901 - benchmark)
    assert float(row["index"]) == pytest.approx(100 * 1901 / benchmark)
    assert row["band"] == "<70"
    assert int(row["rank"]) == 4


FACT_VALUES = (
    "select region_code, indicator, period_kind, period_end, series, value, unit, tier, document_sha256 "
    "from fact"
)


def test_refresh_twice_leaves_the_same_rows(database_url):
    assert run_refresh("sample", database_url=database_url).succeeded
    queries = {
        "observation": "select * from observation",
        "document": "select sha256, url, tier, published_on from document",
        "fact": FACT_VALUES,
        "mart_gap": "select * from mart_gap",
    }
    first = {name: sorted(map(repr, _table(database_url, sql))) for name, sql in queries.items()}
    assert first["fact"], "the sample archive must produce facts"

    assert run_refresh("sample", database_url=database_url).succeeded
    for name, sql in queries.items():
        assert sorted(map(repr, _table(database_url, sql))) == first[name], name
    runs = _table(
        database_url, "select status, documents_seen from refresh_run order by started_at"
    )
    assert [r[0] for r in runs] == ["succeeded", "succeeded"]
    assert runs[0][1] > 0


def test_query_refuses_writes(database_url):
    assert run_refresh("sample", database_url=database_url).succeeded
    result = runner.invoke(app, ["query", "delete from fact"])
    assert result.exit_code == 1
    assert "error" in result.output.lower()
    assert _table(database_url, "select count(*) from fact")[0][0] > 0
