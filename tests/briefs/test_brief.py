"""The office's brief from a refreshed sample warehouse: every format opens, every page of a
sample brief says 示例数据, scraped text is escaped, Chinese renders, every figure has a source."""

from __future__ import annotations

import io
import warnings

import pdfplumber
import pytest
from docx import Document as DocxDocument
from sqlalchemy import create_engine, text

from briefs import charts
from briefs.make import make_brief
from pipelines.refresh import run_refresh
from sources.errors import BriefError
from warehouse.db import make_engine, upgrade

pytestmark = pytest.mark.slow
HOSTILE = "<script>alert('x')</script>淮南"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("brief")
    url = f"sqlite:///{root / 'warehouse.db'}"
    outcome = run_refresh("sample", database_url=url, archive_root=str(root / "archive"))
    assert outcome.succeeded, outcome.message
    engine = create_engine(url)
    # A publisher's page title is scraped text: the brief must print it, never run it.
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE document SET title = :t WHERE sha256 IN (SELECT document_sha256 FROM fact "
                "WHERE region_code = '340400' AND indicator = 'high_value_patents_per_10k')"
            ),
            {"t": HOSTILE},
        )
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def made(warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    brief, paths = make_brief(warehouse, year=2023, out_dir=out)
    return brief, {p.suffix.lstrip("."): p for p in paths}


def test_every_plan_area_and_indicator_line_traces_to_a_source(made):
    brief, _ = made
    assert brief.year == 2023 and brief.uses_sample
    lines = [x for xs in brief.areas.values() for x in xs]
    assert {"创造", "运用"} <= set(brief.areas)
    hv = next(x for x in lines if x.indicator == "high_value_patents_per_10k")
    assert hv.rank_anhui.endswith("/16") and hv.benchmark > 0
    sourced = {s["indicator"] for s in brief.sources}
    assert [x.indicator for x in lines if x.indicator not in sourced] == []
    assert len(brief.headline) >= 2 and "差距最大的三项" in brief.headline[-2]


def test_headline_states_the_composite_index_against_its_benchmark_in_chinese(made, warehouse):
    brief, _ = made
    with warehouse.connect() as conn:
        index, relative, band = conn.execute(
            text(
                'SELECT "index", relative_index, band_zh FROM mart_index '
                "WHERE region_code = '340400' AND year = 2023"
            )
        ).one()
    first = brief.headline[0]
    assert f"综合指数为{index:.1f}" in first
    assert f"相当于安徽省16市平均水平的{relative:.0f}%" in first and f"属“{band}”组" in first
    assert not any("a" <= ch.lower() <= "z" for ch in first)  # no English band id


def test_docx_is_a_government_style_document_with_the_watermark_on_every_page(made):
    brief, paths = made
    doc = DocxDocument(io.BytesIO(paths["docx"].read_bytes()))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert brief.title in body and brief.number in body
    assert "一、总体情况" in body and "（一）知识产权创造" in body and "五、数据说明" in body
    for section in doc.sections:
        assert "示例数据" in section.header.paragraphs[0].text
        assert abs(section.page_width.cm - 21.0) < 0.01
    table = doc.tables[0]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    hv = next(
        x for xs in brief.areas.values() for x in xs if x.indicator == "high_value_patents_per_10k"
    )
    assert f"{hv.value:,.2f}件/万人" in cells
    assert len(doc.inline_shapes) >= 2  # charts


def test_html_is_one_escaped_file_with_embedded_charts(made):
    _, paths = made
    html = paths["html"].read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html
    assert html.count("data:image/png;base64,") >= 2
    assert "示例数据" in html and "@page" in html
    assert 'src="http' not in html  # nothing fetched from elsewhere


def test_pdf_pages_all_carry_the_watermark_and_chinese_text(made):
    _, paths = made
    with pdfplumber.open(paths["pdf"]) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    assert len(texts) >= 2
    assert "淮南市知识产权发展对标分析简报" in texts[0].replace("\n", "")
    assert all("示例数据" in t for t in texts)


def test_charts_render_chinese_with_a_cjk_font_and_no_missing_glyphs(made):
    brief, _ = made
    assert "CJK" in charts.cjk_font()
    lines = [x for xs in brief.areas.values() for x in xs]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = charts.gap_bars(lines, "anhui")
    assert png.startswith(b"\x89PNG")
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_a_brief_without_data_is_a_clear_error(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    upgrade(engine)
    with pytest.raises(BriefError, match="ipbench refresh"):
        make_brief(engine, out_dir=tmp_path)
