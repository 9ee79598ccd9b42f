"""`ipbench export`: facts, every mart and provenance round-trip through xlsx, csv and parquet on
both backends, with sample figures labelled."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from openpyxl import load_workbook
from sqlalchemy import insert
from typer.testing import CliRunner

from pipelines.cli import app
from warehouse import load, marts
from warehouse.db import make_engine, upgrade
from warehouse.export import PROVENANCE_COLUMNS, WORKBOOK_NAME, export_frames, table_names
from warehouse.schema import document, fact

runner = CliRunner()
CNIPA = "c" * 64
AMR = "a" * 64
DOCUMENTS = [
    {
        "sha256": CNIPA,
        "publisher": "cnipa",
        "url": "https://www.cnipa.gov.cn/tjxx/jianbao/year2023/f/f4.html",
        "title": "6-4 分地区PCT国际专利申请受理量(2018年、2022年、2023年)",
        "tier": "official",
        "published_on": dt.date(2024, 6, 1),
        "retrieved_at": dt.datetime(2024, 7, 1, 2, 0, tzinfo=dt.UTC),
    },
    {
        "sha256": AMR,
        "publisher": "anhui_amr",
        "url": "https://amr.ah.gov.cn/xwdt/gsgg/149310226.html",
        "title": "关于2023年全省各市知识产权主要统计指标的通报",
        "tier": "sample",
        "published_on": dt.date(2024, 3, 1),
        "retrieved_at": dt.datetime(2024, 7, 1, 2, 0, tzinfo=dt.UTC),
    },
    {
        "sha256": "0" * 64,
        "publisher": "cnipa",
        "url": "https://www.cnipa.gov.cn/unused.html",
        "title": "a document no fact cites",
        "tier": "official",
        "published_on": dt.date(2024, 6, 1),
        "retrieved_at": None,
    },
]


def _fact(region, indicator, value, sha, tier, kind="year", unit="件"):
    return {
        "region_code": region,
        "indicator": indicator,
        "period_kind": kind,
        "period_end": dt.date(2023, 12, 31),
        "series": "",
        "value": value,
        "unit": unit,
        "qualifier": "",
        "tier": tier,
        "publisher": "cnipa" if sha == CNIPA else "anhui_amr",
        "document_sha256": sha,
        "published_on": dt.date(2024, 6, 1),
        "vintage": "",
        "derived": False,
    }


# CNIPA 2023 yearbook table 6-4 (real); the three Anhui cities' figures are invented (sample).
FACTS = [
    _fact("340000", "pct_applications", 1901.0, CNIPA, "official"),
    _fact("310000", "pct_applications", 6185.0, CNIPA, "official"),
    _fact("320000", "pct_applications", 6547.0, CNIPA, "official"),
    _fact("330000", "pct_applications", 4364.0, CNIPA, "official"),
    _fact("340100", "high_value_patents_per_10k", 36.0, AMR, "sample", "stock", "件/万人"),
    _fact("340200", "high_value_patents_per_10k", 16.0, AMR, "sample", "stock", "件/万人"),
    _fact("340400", "high_value_patents_per_10k", 5.08, AMR, "sample", "stock", "件/万人"),
]


@pytest.fixture
def warehouse(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    load.load_reference(engine)
    with engine.begin() as conn:
        conn.execute(insert(document), DOCUMENTS)
        conn.execute(insert(fact), FACTS)
    marts.rebuild_marts(engine)
    return engine


def _export(fmt: str, out) -> list[str]:
    result = runner.invoke(app, ["export", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def test_xlsx_round_trip_with_sample_labelled(warehouse, tmp_path):
    written = _export("xlsx", tmp_path / "out")
    assert written == [str(tmp_path / "out" / WORKBOOK_NAME)]
    book = load_workbook(written[0])
    assert book.sheetnames == ["about", *table_names()]
    frames = export_frames(warehouse)

    sheet = book["fact"]
    header = [c.value for c in sheet[1]]
    assert header == frames["fact"].columns
    got = {
        (r["region_code"], r["indicator"]): (r["value"], r["tier"], r["period_end"])
        for r in (
            dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
        )
    }
    assert got[("340000", "pct_applications")] == (1901, "official", dt.datetime(2023, 12, 31))
    assert got[("340400", "high_value_patents_per_10k")][:2] == (5.08, "sample")
    assert len(got) == len(FACTS)

    # Every sample tier cell is filled and bold; official ones are not.
    tier_col = header.index("tier")
    for row in sheet.iter_rows(min_row=2):
        cell = row[tier_col]
        assert (cell.fill.fgColor.rgb.endswith("FFD966") and cell.font.bold) == (
            cell.value == "sample"
        )

    gap = book["mart_gap"]
    gap_header = [c.value for c in gap[1]]
    huainan = [
        dict(zip(gap_header, row, strict=True))
        for row in gap.iter_rows(2, values_only=True)
        if row[gap_header.index("region_code")] == "340400"
        and row[gap_header.index("peer_group")] == "anhui"
    ]
    assert len(huainan) == 1 and huainan[0]["tier"] == "sample"
    assert huainan[0]["benchmark"] == pytest.approx((36 + 16 + 5.08) / 3)

    provenance = book["provenance"]
    assert [c.value for c in provenance[1]] == list(PROVENANCE_COLUMNS)
    docs = {row[0]: row for row in provenance.iter_rows(2, values_only=True)}
    assert set(docs) == {CNIPA, AMR}  # the uncited document is left out
    assert docs[AMR][1:4] == ("anhui_amr", "sample", "关于2023年全省各市知识产权主要统计指标的通报")
    assert docs[CNIPA][4] == "https://www.cnipa.gov.cn/tjxx/jianbao/year2023/f/f4.html"
    assert "示例数据" in " ".join(str(c.value) for row in book["about"].iter_rows() for c in row)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_round_trip(warehouse, tmp_path, fmt):
    written = _export(fmt, tmp_path)
    assert [p.rsplit("/", 1)[1] for p in written] == [f"{name}.{fmt}" for name in table_names()]

    def read(name: str) -> pl.DataFrame:
        path = tmp_path / f"{name}.{fmt}"
        return pl.read_csv(path, try_parse_dates=True) if fmt == "csv" else pl.read_parquet(path)

    frames = export_frames(warehouse)
    for name in table_names():
        back, expected = read(name), frames[name]
        assert (back.columns, back.height) == (expected.columns, expected.height), name
        if fmt == "parquet":  # parquet keeps the types, so the frames must be identical
            assert back.equals(expected), name
    facts = read("fact")
    sample = facts.filter(pl.col("tier") == "sample")["region_code"].cast(pl.String).sort()
    assert sample.to_list() == ["340100", "340200", "340400"]
    assert (
        facts.filter(pl.col("indicator") == "pct_applications")["value"].sum()
        == 1901 + 6185 + 6547 + 4364
    )
    targets = read("mart_target")
    assert "latest_tier" in targets.columns and targets.height == 14


def test_export_without_a_warehouse_is_one_clear_error(data_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("IPBENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'none.db'}")
    result = runner.invoke(app, ["export", "--format", "csv", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "cannot open the warehouse" in result.output
    assert "Traceback" not in result.output
