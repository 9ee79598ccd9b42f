"""The whole sample archive, extracted by a refresh, against the generator's ground truth
(samplegen/truth.csv, which no parser reads): no wrong and no missing value. And the plan's
indicators are there for Huainan and every Anhui city for 2019–2023."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from pipelines.refresh import run_refresh
from sources.reference import all_known_regions

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TRUTH = ROOT / "samplegen" / "truth.csv"
TARGETS = ROOT / "sources" / "reference" / "targets.yaml"
YEARS = range(2019, 2024)


def _key(region: str, indicator: str, kind: str, end) -> tuple[str, str, str, dt.date]:
    return region, indicator, kind, dt.date.fromisoformat(str(end)[:10])


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('truth') / 'warehouse.db'}"
    outcome = run_refresh("sample", database_url=url)
    assert outcome.succeeded, outcome.message
    engine = create_engine(url)
    with engine.connect() as conn:
        observed = defaultdict(set)
        for r in conn.execute(
            text("select region_code, indicator, period_kind, period_end, value from observation")
        ):
            observed[_key(*r[:4])].add(Decimal(str(r[4])).normalize())
        facts = {
            _key(*r)
            for r in conn.execute(
                text("select region_code, indicator, period_kind, period_end from fact")
            )
        }
    engine.dispose()
    return observed, facts


def test_extraction_reproduces_the_ground_truth(refreshed):
    observed, _ = refreshed
    with TRUTH.open(encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert len(truth) > 1000
    missing, wrong = [], []
    for row in truth:
        key = _key(row["region_code"], row["indicator"], row["period_kind"], row["period_end"])
        value = Decimal(row["value"]).normalize()
        seen = observed.get(key, set())
        if not seen:
            missing.append((key, row["url"]))
        elif seen != {value}:
            wrong.append((key, value, sorted(seen)))
    assert not wrong, f"{len(wrong)} wrong values, e.g. {wrong[:5]}"
    assert not missing, f"{len(missing)} missing values, e.g. {missing[:5]}"


def test_every_plan_indicator_for_every_anhui_city_2019_to_2023(refreshed):
    _, facts = refreshed
    targets = yaml.safe_load(TARGETS.read_text(encoding="utf-8"))["targets"]
    plan = {t["indicator"] for t in targets if not t["indicator"].startswith("milestone_")}
    cities = [r.code for r in all_known_regions().values() if r.parent_code == "340000"]
    assert len(cities) == 16 and "340400" in cities
    absent = [
        (code, indicator, year)
        for code in cities
        for indicator in sorted(plan)
        for year in YEARS
        if not any(
            f[0] == code and f[1] == indicator and f[3].year == year and f[3].month == 12
            for f in facts
        )
    ]
    assert not absent, f"{len(absent)} gaps, e.g. {absent[:8]}"


def test_shanghai_districts_are_facts_of_their_own_for_2019_to_2023(refreshed):
    _, facts = refreshed
    districts = [r.code for r in all_known_regions().values() if r.parent_code == "310100"]
    assert len(districts) == 16
    absent = [
        (code, indicator, year)
        for code in districts
        for indicator in ("population", "valid_invention_patents")
        for year in YEARS
        if _key(code, indicator, "stock", f"{year}-12-31") not in facts
    ]
    assert not absent, absent
