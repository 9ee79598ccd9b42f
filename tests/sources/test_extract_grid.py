"""Document readers: HTML, XLS, XLSX and PDF tables as grids, in the publishers' real layouts
(quirks 1–4, 11, 14, 27, 28, 30) and against hostile files."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import pytest

from sources.errors import ParseError
from sources.extract.grid import (
    NO_TEXT_LAYER,
    Grid,
    clean_cell,
    detect_kind,
    read_grids,
    read_text,
    render_number,
)

# --- HTML ------------------------------------------------------------------------------------

CNIPA_YEARBOOK = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>国家知识产权局 统计年报 2023</title>
<script>var tpl = "<table><tr><td>脚本</td><td>1</td></tr></table>";</script>
<style>td { font-size: 12px }</style></head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/tjxx">统计信息</a></div>
<p class="caption"><b>3-7</b></p>
<p><b>分地区国内专利授权状况（2023年）</b></p>
<p>单位：件</p>
<p>数据截至：2023年12月31日</p>
<table border="1" cellspacing="0">
  <tr><td colspan="5" align="center"><b>分地区国内专利授权状况</b></td></tr>
  <tr><td colspan="3">表号：国知统3-7表</td><td colspan="2">制定机关：国家知识产权局</td></tr>
  <tr><td rowspan="2">地&nbsp;区</td><td rowspan="2">合计<br>Total</td>
      <td colspan="3">专利授权量</td></tr>
  <tr><td>发明</td><td>实用<br>
        新型</td><td>外观设计</td></tr>
  <tr><td>上海&nbsp;&nbsp;Shanghai</td><td>158,488</td><td>44,407</td><td>95,043</td><td>19,038</td></tr>
  <tr><td>江　苏</td><td>528,016</td><td>91,716</td><td>353,016</td><td>83,284</td></tr>
  <tr><td>安徽</td><td>140,105</td><td>30,021</td><td>93,684</td><td>16,400</td></tr>
</table>
<p>注：1. 本表按专利权人地址统计。</p>
<p>2. 不含港澳台数据。</p>
<div class="footer">版权所有：国家知识产权局</div>
</body></html>"""


def test_cnipa_yearbook_table_keeps_spans_line_breaks_and_the_lines_around_it():
    grids = read_grids(CNIPA_YEARBOOK.encode("utf-8"), filename="t3-7.html")
    assert len(grids) == 1
    grid = grids[0]
    assert grid.rows == (
        ("分地区国内专利授权状况",) * 5,
        ("表号：国知统3-7表",) * 3 + ("制定机关：国家知识产权局",) * 2,
        ("地 区", "合计\nTotal", "专利授权量", "专利授权量", "专利授权量"),
        ("地 区", "合计\nTotal", "发明", "实用\n新型", "外观设计"),
        ("上海 Shanghai", "158,488", "44,407", "95,043", "19,038"),
        ("江 苏", "528,016", "91,716", "353,016", "83,284"),
        ("安徽", "140,105", "30,021", "93,684", "16,400"),
    )
    assert grid.before == (
        "首页 > 统计信息",
        "3-7",
        "分地区国内专利授权状况（2023年）",
        "单位：件",
        "数据截至：2023年12月31日",
    )
    assert grid.after == (
        "注：1. 本表按专利权人地址统计。",
        "2. 不含港澳台数据。",
        "版权所有：国家知识产权局",
    )
    assert grid.name == "table 1"
    assert grid.source_kind == "html"


def test_html_text_has_block_lines_and_no_script_or_style():
    text = read_text(CNIPA_YEARBOOK.encode("utf-8"), filename="t3-7.html")
    lines = text.splitlines()
    assert "单位：件" in lines
    assert "数据截至：2023年12月31日" in lines
    assert "江 苏 528,016 91,716 353,016 83,284" in lines
    assert "实用 新型" in text
    assert "脚本" not in text
    assert "font-size" not in text


def test_gbk_page_declared_utf8_by_the_server_is_read_by_its_meta():
    page = CNIPA_YEARBOOK.replace("charset=utf-8", "charset=gb2312")
    grids = read_grids(page.encode("gbk"), content_type="text/html", declared_encoding="utf-8")
    assert grids[0].rows[5] == ("江 苏", "528,016", "91,716", "353,016", "83,284")
    assert grids[0].before[-1] == "数据截至：2023年12月31日"


ZHEJIANG_LAYOUT = """<html><head><meta charset="gbk"></head><body>
<table width="1000" class="layout"><tr>
  <td width="200"><ul><li>通知公告</li><li>统计数据</li></ul></td>
  <td>
    <div class="title">附件1</div>
    <div>2023年浙江省各地专利授权情况</div>
    <table class="data" border="1">
      <caption>单位：件</caption>
      <tr><th>设区市</th><th>县（市、区）</th><th>发明</th><th>实用<br>新型</th></tr>
      <tr><td rowspan="3">杭州市</td><td>市本级</td><td>31459</td><td>40000</td></tr>
      <tr><td>滨江区</td><td>9876</td><td>5000</td></tr>
      <tr><td>合计</td><td>41335</td><td>45000</td></tr>
      <tr><td rowspan="99999">宁波市</td><td colspan="abc">合计</td><td>8000</td><td>30000</td></tr>
    </table>
    <table><tr><td>打印本页</td><td>关闭窗口</td></tr></table>
  </td>
</tr></table>
</body></html>"""


def test_layout_table_does_not_swallow_the_data_table_and_rowspans_repeat_down():
    grids = read_grids(ZHEJIANG_LAYOUT.encode("gbk"), filename="fj1.htm")
    # The layout table holds tables; the one-row link bar has fewer than two rows.
    assert [g.name for g in grids] == ["table 1"]
    grid = grids[0]
    assert grid.rows == (
        ("设区市", "县（市、区）", "发明", "实用\n新型"),
        ("杭州市", "市本级", "31459", "40000"),
        ("杭州市", "滨江区", "9876", "5000"),
        ("杭州市", "合计", "41335", "45000"),
        ("宁波市", "合计", "8000", "30000"),
    )
    assert grid.before == (
        "通知公告",
        "统计数据",
        "附件1",
        "2023年浙江省各地专利授权情况",
        "单位：件",
    )
    assert grid.after == ("打印本页 关闭窗口",)


def test_hostile_spans_are_clamped_to_the_table():
    page = (
        "<table><tr><td rowspan='0'>全省</td><td colspan='100000000'>a</td></tr>"
        "<tr><td colspan='0'>b</td></tr><tr><td>c</td></tr></table>"
    )
    (grid,) = read_grids(page.encode())
    assert len(grid.rows) == 3
    assert len(grid.rows[0]) == 1 + 100
    assert grid.rows[1][:2] == ("全省", "b")
    assert grid.rows[2][:3] == ("全省", "c", "")


def test_small_tables_are_skipped_and_plain_text_has_no_grids():
    page = "<html><body><table><tr><td>只有一行</td><td>1</td></tr></table>"
    page += "<table><tr><td>一列</td></tr><tr><td>2</td></tr></table></body></html>"
    assert read_grids(page.encode()) == []
    text = "2023年淮南市专利授权量 3,456 件".encode("gbk")
    assert read_grids(text, filename="note.txt") == []
    assert read_text(text, filename="note.txt") == "2023年淮南市专利授权量 3,456 件"


EXCEL_WEB_PAGE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Excel.Sheet>
<meta name=Generator content="Microsoft Excel 11">
<link id=Main-File rel=Main-File href="../2023年各市专利.htm">
<style>
<!--table {mso-displayed-decimal-separator:"\\.";}
.xl24 {mso-number-format:"\\#\\,\\#\\#0";}
-->
</style>
<!--[if gte mso 9]><xml>
 <x:WorksheetOptions><x:Selected/></x:WorksheetOptions>
</xml><![endif]-->
</head>
<body link=blue vlink=purple>
<table x:str border=0 cellpadding=0 cellspacing=0 width=288 style='border-collapse:collapse'>
 <col width=72 span=4 style='width:54pt'>
 <tr height=19 style='height:14.25pt'>
  <td colspan=4 height=19 class=xl25 width=288>2023年安徽省各市专利授权量</td>
 </tr>
 <tr height=19 style='height:14.25pt'>
  <td height=19 class=xl26>城市</td><td class=xl26>授权量</td>
  <td class=xl26>发明</td><td class=xl26>占比</td>
 </tr>
 <tr height=19 style='height:14.25pt'>
  <td height=19>合肥市</td><td class=xl24 x:num="45678">45,678</td>
  <td class=xl24 x:num="12345">12,345</td><td x:num="0.27">27.0%</td>
 </tr>
 <tr height=19 style='height:14.25pt'>
  <td height=19>淮南市</td><td class=xl24 x:num="3456">3,456</td>
  <td class=xl24 x:num>567</td><td x:num="0.16">16.4%</td>
 </tr>
 <![if supportMisalignedColumns]>
 <tr height=0 style='display:none'>
  <td width=72 style='width:54pt'></td><td width=72 style='width:54pt'></td>
 </tr>
 <![endif]>
</table>
</body></html>"""


def test_excel_save_as_web_page_reads_displayed_values():
    content = EXCEL_WEB_PAGE.encode("gb2312")
    assert detect_kind(content, "sheet001.htm", "application/octet-stream") == "html"
    (grid,) = read_grids(content, filename="sheet001.htm")
    assert grid.rows == (
        ("2023年安徽省各市专利授权量",) * 4,
        ("城市", "授权量", "发明", "占比"),
        ("合肥市", "45,678", "12,345", "27.0%"),
        ("淮南市", "3,456", "567", "16.4%"),
    )


def test_an_xls_named_html_table_is_read_as_html():
    content = (
        "<table><tr><td>城市</td><td>发明</td></tr><tr><td>淮南市</td><td>567</td></tr></table>"
    )
    grids = read_grids(
        content.encode("gbk"), filename="2023.xls", content_type="application/vnd.ms-excel"
    )
    assert grids[0].rows == (("城市", "发明"), ("淮南市", "567"))


def test_clean_cell_collapses_spaces_but_keeps_line_breaks():
    assert clean_cell("  合\u3000计 \r\n Total\u00a0 ") == "合 计\nTotal"
    assert clean_cell("实用\n\n新型") == "实用\n新型"
    assert clean_cell("\u200b12 345") == "12 345"


def test_render_number_reads_like_a_person():
    assert render_number(31459.0) == "31459"
    assert render_number(0.1 + 0.2) == "0.3"
    assert render_number(12.300000000000001) == "12.3"
    assert render_number(0.123, "0.0%") == "12.3%"
    assert render_number(0.2, "0%") == "20%"
    assert render_number(0.12345, "0.00%;[Red]-0.00%") == "12.35%"
    assert render_number(1.5e-7) == "0.00000015"
    assert render_number(-0.0) == "0"
    assert render_number(12345, "#,##0") == "12345"


# --- XLSX ------------------------------------------------------------------------------------


def _cnipa_xlsx() -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "附表1"
    sheet["A1"] = "2023年各省专利授权状况"
    sheet.merge_cells("A1:E1")
    sheet["A2"] = "单位：件"
    sheet["A3"] = "地区"
    sheet.merge_cells("A3:A4")
    sheet["B3"] = "专利授权量"
    sheet.merge_cells("B3:D3")
    sheet["E3"] = "发明占比"
    sheet.merge_cells("E3:E4")
    sheet["B4"], sheet["C4"], sheet["D4"] = "发明", "实用\n新型", "外观设计"
    sheet.append(["江苏", 91716.0, 353016, 83284, 0.1737])
    sheet["E5"].number_format = "0.0%"
    sheet.append(["安徽", 30021, 93684, 16400, 0.2143])
    sheet["E6"].number_format = "0.0%"
    sheet.append(["每万人口发明专利拥有量", 12.300000000000001, None, None, None])
    sheet["A8"] = dt.datetime(2024, 3, 15)
    # Formatting applied far below the data must not grow the grid.
    sheet["H500"].number_format = "0.00"
    sheet["H500"].font = openpyxl.styles.Font(bold=True)
    book.create_sheet("空表")
    notes = book.create_sheet("说明")
    notes["B2"] = "注：数据来源于国家知识产权局"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_fills_merged_ranges_and_renders_numbers_and_percent_cells():
    grids = read_grids(_cnipa_xlsx(), filename="2023.xlsx")
    assert [(g.name, g.source_kind) for g in grids] == [("附表1", "xlsx"), ("说明", "xlsx")]
    assert grids[0].rows == (
        ("2023年各省专利授权状况",) * 5,
        ("单位：件", "", "", "", ""),
        ("地区", "专利授权量", "专利授权量", "专利授权量", "发明占比"),
        ("地区", "发明", "实用\n新型", "外观设计", "发明占比"),
        ("江苏", "91716", "353016", "83284", "17.4%"),
        ("安徽", "30021", "93684", "16400", "21.4%"),
        ("每万人口发明专利拥有量", "12.3", "", "", ""),
        ("2024-03-15", "", "", "", ""),
    )
    assert grids[1].rows == (("注：数据来源于国家知识产权局",),)


def test_xlsx_text_is_rows_joined_by_tabs():
    text = read_text(_cnipa_xlsx(), filename="2023.xlsx")
    assert "江苏\t91716\t353016\t83284\t17.4%" in text.splitlines()
    assert "地区\t发明\t实用 新型\t外观设计\t发明占比" in text.splitlines()


def _rezip(content: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = replace.pop(info.filename, None)
            dst.writestr(info.filename, data if data is not None else src.read(info.filename))
        for name, data in replace.items():
            dst.writestr(name, data)
    return out.getvalue()


def test_xlsx_zip_bomb_is_refused_before_decompression():
    out = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>0</t></is></c></row>' * 1000
    with zipfile.ZipFile(io.BytesIO(_cnipa_xlsx())) as src:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename != "xl/worksheets/sheet1.xml":
                    dst.writestr(info.filename, src.read(info.filename))
            with dst.open("xl/worksheets/sheet1.xml", "w") as sheet:
                written = 0
                while written < 210 * 1024 * 1024:
                    sheet.write(row)
                    written += len(row)
    bomb = out.getvalue()
    assert len(bomb) < 5 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(ParseError, match="zip bomb"):
        read_grids(bomb, filename="bomb.xlsx")
    assert time.monotonic() - started < 5


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE worksheet [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>
<c r="B1"><v>1</v></c></row></sheetData></worksheet>"""


def test_xlsx_entity_expansion_is_refused_and_openpyxl_would_refuse_it_too():
    openpyxl = pytest.importorskip("openpyxl")
    hostile = _rezip(_cnipa_xlsx(), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})
    started = time.monotonic()
    with pytest.raises(ParseError, match="entit"):
        read_grids(hostile, filename="laughs.xlsx")
    assert time.monotonic() - started < 5
    # Second line of defence: openpyxl parses sheets with defusedxml when it is installed.
    assert openpyxl.DEFUSEDXML is True
    with pytest.raises(ValueError) as refused:
        openpyxl.load_workbook(io.BytesIO(hostile), data_only=True)
    assert type(refused.value.__cause__).__name__ == "EntitiesForbidden"


def test_truncated_or_foreign_xlsx_is_a_parse_error_not_a_traceback():
    content = _cnipa_xlsx()
    with pytest.raises(ParseError, match="zip|XLSX") as truncated:
        read_grids(content[: len(content) // 2], filename="cut.xlsx")
    assert truncated.value.where == "cut.xlsx"
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ParseError, match="XLSX"):
        read_grids(not_a_workbook.getvalue(), filename="notice.docx")


# --- XLS -------------------------------------------------------------------------------------


def _jiangsu_xls() -> bytes:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表3-7")
    sheet.write_merge(0, 0, 0, 3, "2023年江苏省各市专利授权量")
    sheet.write(1, 0, "单位：件")
    sheet.write_merge(2, 3, 0, 0, "地区")
    sheet.write_merge(2, 2, 1, 2, "专利授权量")
    sheet.write_merge(2, 3, 3, 3, "发明占比")
    sheet.write(3, 1, "发明")
    sheet.write(3, 2, "实用\n新型")
    percent = xlwt.easyxf(num_format_str="0.0%")
    rows = [("", 91716.0, 353016, 0.2059), ("南 京 市", 24156, 51230, 0.3204)]
    for r, (name, invention, utility, share) in enumerate(rows, start=4):
        sheet.write(r, 0, name)
        sheet.write(r, 1, invention)
        sheet.write(r, 2, utility)
        sheet.write(r, 3, share, percent)
    sheet.write(6, 0, "每万人口发明专利拥有量")
    sheet.write(6, 1, 0.1 + 0.2 + 12)
    sheet.write(7, 0, dt.date(2024, 1, 31), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    book.add_sheet("Sheet2")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xls_fills_merged_ranges_and_renders_numbers():
    content = _jiangsu_xls()
    assert detect_kind(content) == "xls"
    (grid,) = read_grids(content, filename="2023.xls")
    assert grid.name == "表3-7"
    assert grid.source_kind == "xls"
    assert grid.rows == (
        ("2023年江苏省各市专利授权量",) * 4,
        ("单位：件", "", "", ""),
        ("地区", "专利授权量", "专利授权量", "发明占比"),
        ("地区", "发明", "实用\n新型", "发明占比"),
        ("", "91716", "353016", "20.6%"),
        ("南 京 市", "24156", "51230", "32.0%"),
        ("每万人口发明专利拥有量", "12.3", "", ""),
        ("2024-01-31", "", "", ""),
    )
    assert "南 京 市\t24156\t51230\t32.0%" in read_text(content, filename="2023.xls")


def test_corrupt_xls_is_a_parse_error():
    content = _jiangsu_xls()
    with pytest.raises(ParseError, match="XLS") as err:
        read_grids(content[:600], filename="cut.xls")
    assert err.value.where == "cut.xls"


# --- PDF -------------------------------------------------------------------------------------


def _cjk_font() -> str:
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _ruled_table_pdf() -> bytes:
    font = _cjk_font()
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    style = ParagraphStyle("cjk", fontName=font, fontSize=11, leading=16)
    data = [
        ["地区", "专利授权量", "", ""],
        ["", "发明", "实用新型", "外观设计"],
        ["合肥市", "12345", "23456", "3456"],
        ["淮南市", "567", "2890", "301"],
    ]
    table = Table(data, colWidths=[90, 80, 80, 80])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("SPAN", (0, 0), (0, 1)),
                ("SPAN", (1, 0), (3, 0)),
            ]
        )
    )
    story = [
        Paragraph("表3 2023年安徽省各市专利授权量", style),
        Paragraph("单位：件", style),
        Spacer(1, 8),
        table,
        Spacer(1, 8),
        Paragraph("注：数据来源于安徽省知识产权局。", style),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def test_pdf_ruled_table_with_the_caption_above_and_note_below():
    content = _ruled_table_pdf()
    (grid,) = read_grids(content, filename="2023.pdf", content_type="application/octet-stream")
    assert grid.name == "page 1 table 1"
    assert grid.source_kind == "pdf"
    assert grid.rows[2:] == (
        ("合肥市", "12345", "23456", "3456"),
        ("淮南市", "567", "2890", "301"),
    )
    assert grid.rows[1][1:] == ("发明", "实用新型", "外观设计")
    assert grid.before == ("表3 2023年安徽省各市专利授权量", "单位：件")
    assert grid.after == ("注：数据来源于安徽省知识产权局。",)
    assert "单位：件" in read_text(content, filename="2023.pdf")


def test_pdf_table_without_rules_is_found_by_text_alignment():
    font = _cjk_font()
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont(font, 12)
    rows = [
        ("城市", "发明专利", "有效发明专利"),
        ("合肥市", "12345", "80123"),
        ("芜湖市", "4567", "21034"),
        ("淮南市", "567", "3210"),
    ]
    for i, row in enumerate(rows):
        for x, text in zip((72, 220, 360), row, strict=True):
            page.drawString(x, 700 - 20 * i, text)
    page.save()
    (grid,) = read_grids(buffer.getvalue(), filename="plain.pdf")
    assert ("淮南市", "567", "3210") in grid.rows
    assert grid.rows[0] == ("城市", "发明专利", "有效发明专利")


def test_scanned_pdf_without_text_layer_is_refused_clearly():
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(72, 400, 400, 300, fill=1)
    page.save()
    with pytest.raises(ParseError) as err:
        read_grids(buffer.getvalue(), filename="scan.pdf")
    assert err.value.message == NO_TEXT_LAYER
    assert err.value.where == "scan.pdf"
    with pytest.raises(ParseError, match="no text layer"):
        read_text(buffer.getvalue(), filename="scan.pdf")


def test_encrypted_and_damaged_pdfs_are_parse_errors():
    font = _cjk_font()
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt="secret")
    page.setFont(font, 12)
    page.drawString(72, 700, "内部资料")
    page.save()
    with pytest.raises(ParseError, match="encrypted"):
        read_grids(buffer.getvalue(), filename="locked.pdf")
    with pytest.raises(ParseError, match="damaged"):
        read_grids(b"%PDF-1.4\n1 0 obj << /Type /Catalog", filename="cut.pdf")


def test_grid_is_frozen():
    grid = Grid(rows=(("a", "b"),), name="table 1", source_kind="html")
    with pytest.raises(AttributeError):
        grid.name = "table 2"  # type: ignore[misc]
