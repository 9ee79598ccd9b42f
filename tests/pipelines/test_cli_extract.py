"""`ipbench extract FILE`: any document through the extractors, printed in DESIGN.md's contract."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.reports import EXTRACT_COLUMNS

runner = CliRunner()

NOTICE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于2023年全省各市知识产权主要统计指标的通报</title></head><body>
<div class="nav">首页 &gt; 公示公告</div>
<div class="wz">
<p>发布时间：2024-03-15 10:00　来源：省知识产权局　字号：大 中 小</p>
<p>截至2023年底，全省有效发明专利拥有量达到16.85万件，同比增长18.2%，居全国第8位。</p>
<p>附表：2023年各市主要指标</p>
<p style="text-align:right">单位：件</p>
<table border="1">
<tr><td rowspan="2">地 区</td><td colspan="2">专利授权量</td><td rowspan="2">每万人口高价值发明专利拥有量（件/万人）</td><td rowspan="2">排名</td></tr>
<tr><td>合计</td><td>其中：发明</td></tr>
<tr><td>全 省</td><td>147260</td><td>30532</td><td>11.82</td><td></td></tr>
<tr><td>合肥市</td><td>61536</td><td>16532</td><td>38.67</td><td>1</td></tr>
<tr><td>淮 南</td><td>3215</td><td>412</td><td>3.11</td><td>12</td></tr>
</table>
</div><div class="footer">版权所有：安徽省市场监督管理局 皖ICP备05001234号</div>
</body></html>"""


def _csv(output: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(output)))


def test_extract_reads_a_gbk_notice_with_a_lying_header_table_and_prose(tmp_path):
    page = tmp_path / "notice.html"
    page.write_bytes(NOTICE.encode("gbk"))
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert list(rows[0]) == list(EXTRACT_COLUMNS)
    got = {(r["region_code"], r["indicator"], r["period_kind"], r["period_end"]): r for r in rows}
    assert got[("340000", "valid_invention_patents", "stock", "2023-12-31")]["value"] == "168500"
    assert got[("340000", "patents_granted", "year", "2023-12-31")]["value"] == "147260"
    assert got[("340100", "invention_grants", "year", "2023-12-31")]["value"] == "16532"
    huainan = got[("340400", "high_value_patents_per_10k", "stock", "2023-12-31")]
    assert (huainan["value"], huainan["unit"]) == ("3.11", "件/万人")
    # Growth rates and ranks are never values.
    assert not any(r["value"] in ("18.2", "8", "12") for r in rows)
    assert all(r["evidence"] for r in rows)


def test_extract_reads_an_xlsx_attachment_as_json(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2022年各市专利权质押融资情况"])
    sheet.append(["单位：亿元、家"])
    sheet.append(["地区", "专利权质押融资金额（亿元）", "质押融资市场主体（家）"])
    sheet.append(["淮南市", 12.35, 41])
    sheet.append(["淮北市", "-", 17])
    sheet.merge_cells("A1:C1")
    path = tmp_path / "attachment.xlsx"
    book.save(path)
    result = runner.invoke(app, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {(r["region_code"], r["indicator"]): r for r in json.loads(result.stdout)}
    assert rows[("340400", "patent_pledge_amount")]["value"] == "1235000000"
    assert rows[("340400", "patent_pledge_amount")]["unit"] == "元"
    assert rows[("340400", "pledge_financed_entities")]["value"] == "41"
    assert ("340600", "patent_pledge_amount") not in rows  # '-' is missing, not zero


def test_extract_refuses_a_scanned_pdf_with_one_clear_line(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(50, 50, 400, 600, fill=1)  # an image of a table, no text layer
    pdf.showPage()
    pdf.save()
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 1
    assert "no text layer" in result.output
    assert "Traceback" not in result.output


def test_extract_reports_what_it_did_not_understand(tmp_path):
    page = tmp_path / "odd.html"
    page.write_text(
        "<html><body><table><tr><td>甲</td><td>乙</td></tr><tr><td>foo</td><td>12</td></tr>"
        "<tr><td>bar</td><td>13</td></tr></table></body></html>",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["extract", str(page), "--published", "2024-01-01"])
    assert result.exit_code == 0
    assert _csv(result.stdout) == []
    assert "unknown layout" in result.stderr


def test_extract_rejects_a_bad_date():
    result = runner.invoke(app, ["extract", __file__, "--published", "2024-13-01"])
    assert result.exit_code == 1
    assert "not a date" in result.output
