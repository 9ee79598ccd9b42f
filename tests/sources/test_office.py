"""The office's template: generate, fill with openpyxl, read back cell by cell."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sources.errors import ParseError
from sources.office_template import (
    FIGURES_SHEET,
    MILESTONES_SHEET,
    TemplateSpec,
    write_template,
)
from sources.publishers import office
from sources.records import Document, DocumentRef

TODAY = dt.date(2024, 3, 1)


def _document(path) -> Document:
    content = path.read_bytes()
    return Document(
        ref=DocumentRef(publisher="office", url=f"inbox://{path.name}", title=path.stem),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        final_url=f"inbox://{path.name}",
        tier="office",
    )


def _fill(path, figures: dict[tuple[str, int], object], milestones: dict[str, tuple]) -> None:
    workbook = load_workbook(path)
    sheet = workbook[FIGURES_SHEET]
    for row in sheet.iter_rows(min_row=2):
        key = (row[2].value, row[4].value)
        if key in figures:
            row[5].value = figures[key]
    sheet = workbook[MILESTONES_SHEET]
    for row in sheet.iter_rows(min_row=2):
        if row[2].value in milestones:
            row[5].value, row[6].value, row[7].value = milestones[row[2].value]
    workbook.save(path)


@pytest.fixture
def template(tmp_path):
    return write_template(tmp_path / "template.xlsx", TemplateSpec(years=(2021, 2022, 2023)))


def test_template_lists_every_office_figure_and_milestone(template):
    workbook = load_workbook(template)
    assert workbook.sheetnames == ["填表说明", FIGURES_SHEET, MILESTONES_SHEET]
    figures = {(r[2], r[4]) for r in workbook[FIGURES_SHEET].iter_rows(min_row=2, values_only=True)}
    assert ("ip_certified_firms", 2023) in figures and ("demo_parks", 2021) in figures
    milestones = [r[2] for r in workbook[MILESTONES_SHEET].iter_rows(min_row=2, values_only=True)]
    assert "milestone_patent_navigation_base" in milestones and len(milestones) == 5


def test_filled_template_round_trips_to_office_observations(template):
    _fill(
        template,
        {
            ("ip_certified_firms", 2022): 6,
            ("ip_certified_firms", 2023): 7,
            ("patent_pledge_amount", 2023): 125000000,
        },
        {"milestone_patent_navigation_base": (1, dt.datetime(2023, 6, 30), "已建成")},
    )
    result = office.parse(_document(template), today=TODAY)
    assert result.quarantine == []
    got = {(o.indicator, o.period_kind, o.period_end, o.value) for o in result.observations}
    assert got == {
        ("ip_certified_firms", "year", dt.date(2022, 12, 31), Decimal(6)),
        ("ip_certified_firms", "year", dt.date(2023, 12, 31), Decimal(7)),
        ("patent_pledge_amount", "year", dt.date(2023, 12, 31), Decimal(125000000)),
        ("milestone_patent_navigation_base", "stock", dt.date(2023, 6, 30), Decimal(1)),
    }
    assert all(o.region_code == "340400" for o in result.observations)
    assert any("第" in o.evidence and "行" in o.evidence for o in result.observations)


def test_bad_cells_are_reported_one_by_one_and_the_good_ones_load(template):
    workbook = load_workbook(template)
    sheet = workbook[FIGURES_SHEET]
    sheet.append(["999999", "?", "ip_certified_firms", "", 2023, 3, "家", None])  # unknown region
    sheet.append(["340400", "淮南市", "no_such_thing", "", 2023, 3, "", None])  # unknown indicator
    sheet.append(["340400", "淮南市", "ip_certified_firms", "", 2031, 3, "家", None])  # future year
    workbook.save(template)
    _fill(
        template,
        {
            ("ip_certified_firms", 2022): "五家",
            ("ip_certified_firms", 2023): 8,
            ("national_demo_firms", 2023): -1,
        },
        {
            "milestone_incubation_base": (1, dt.datetime(2030, 1, 1), "建设中"),
            "milestone_tech_transfer_center": (1, dt.datetime(2022, 5, 1), "已建成"),
        },
    )
    result = office.parse(_document(template), today=TODAY)
    reasons = sorted(q.reason for q in result.quarantine)
    assert len(reasons) == 6
    assert any(r.startswith("wrong type: '五家'") for r in reasons)
    assert "unknown region code '999999'" in reasons
    assert "unknown indicator 'no_such_thing'" in reasons
    assert "future year 2031" in reasons
    assert "future date 2030-01-01" in reasons
    assert "negative value -1" in reasons
    assert all("!" in q.location for q in result.quarantine)
    loaded = {(o.indicator, o.value) for o in result.observations}
    assert loaded == {
        ("ip_certified_firms", Decimal(8)),
        ("milestone_tech_transfer_center", Decimal(1)),
    }


def test_a_zip_bomb_is_refused_before_opening(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ParseError, match="zip bomb"):
        office.parse(_document(path), today=TODAY)


def test_a_workbook_that_is_not_the_template_is_a_clear_error(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    with pytest.raises(ParseError, match="not an ipbench template"):
        office.parse(_document(path), today=TODAY)
