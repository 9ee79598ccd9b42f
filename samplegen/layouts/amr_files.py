"""Notice attachments: .xls (xlwt, merged header cells), .xlsx (openpyxl, metadata rows above the
header, merged cells) and a text-layer PDF (reportlab, STSong-Light, ruled table).

Every writer produces identical bytes on every run (fixed workbook dates, fixed zip timestamps,
reportlab's invariant mode), so the archive's hashes are stable.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from samplegen.layouts.common import Table

FIXED_TIME = dt.datetime(2023, 3, 14, 9, 0, 0)


def render(ext: str, table: Table, name: str, year: int, *, title: str) -> bytes:
    if ext == "xls":
        return xls(table, title)
    if ext == "xlsx":
        return xlsx(table, title, year)
    if ext == "pdf":
        return pdf(table, title)
    raise ValueError(f"no attachment writer for .{ext}")


def _header_cells(table: Table) -> list[tuple[int, int, int, int, str]]:
    """(first_row, last_row, first_col, last_col, text) of every header cell, spans resolved."""
    taken: set[tuple[int, int]] = set()
    cells = []
    for r, row in enumerate(table.header):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in taken:
                c += 1
            cells.append((r, r + rowspan - 1, c, c + colspan - 1, text))
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    taken.add((rr, cc))
            c += colspan
    return cells


def xls(table: Table, title: str) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    bold = xlwt.easyxf(
        "font: bold on; align: horiz center, vert center, wrap on; borders: left thin, right thin, top thin, bottom thin"
    )
    cell = xlwt.easyxf("align: horiz right; borders: left thin, right thin, top thin, bottom thin")
    name = xlwt.easyxf("align: horiz center; borders: left thin, right thin, top thin, bottom thin")
    sheet.write_merge(
        0,
        0,
        0,
        table.width - 1,
        title,
        xlwt.easyxf("font: bold on, height 280; align: horiz center"),
    )
    row = 1
    for note in [n for n in table.notes if n.startswith("单位")]:
        sheet.write_merge(row, row, 0, table.width - 1, note, xlwt.easyxf("align: horiz right"))
        row += 1
    for r1, r2, c1, c2, text in _header_cells(table):
        sheet.write_merge(row + r1, row + r2, c1, c2, text, bold)
    row += len(table.header)
    decimal = xlwt.easyxf(
        "align: horiz right; borders: left thin, right thin, top thin, bottom thin",
        num_format_str="0.00",
    )
    for values in table.body:
        for c, text in enumerate(values):
            value = _number_or_text(text) if c else text
            style = name if c == 0 else decimal if isinstance(value, float) else cell
            sheet.write(row, c, value, style)
        row += 1
    for note in [n for n in table.notes if not n.startswith("单位")]:
        sheet.write(row, 0, note)
        row += 1
    sheet.col(0).width = 256 * 10
    for c in range(1, table.width):
        sheet.col(c).width = 256 * 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx(table: Table, title: str, year: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    book.properties.creator = "安徽省知识产权局"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=table.width)
    sheet.cell(1, 1, title).font = Font(bold=True, size=14)
    sheet.cell(2, 1, "填报单位：安徽省知识产权局")
    sheet.cell(3, 1, f"数据截至：{year}年12月31日")
    sheet.cell(4, 1, next((n for n in table.notes if n.startswith("单位")), ""))
    first = 6
    for r1, r2, c1, c2, text in _header_cells(table):
        if (r1, c1) != (r2, c2):
            sheet.merge_cells(
                start_row=first + r1, start_column=c1 + 1, end_row=first + r2, end_column=c2 + 1
            )
        target = sheet.cell(first + r1, c1 + 1, text)
        target.font = Font(bold=True)
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row = first + len(table.header)
    for values in table.body:
        for c, text in enumerate(values):
            target = sheet.cell(row, c + 1, _number_or_text(text) if c else text)
            if isinstance(target.value, float):
                target.number_format = "0.00"
        row += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _number_or_text(text: str) -> int | float | str:
    """Spreadsheet cells hold numbers where the publisher typed numbers."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return text
    return number if f"{number:.2f}" == text else text


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every member, and the save time openpyxl records, fixed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            target.writestr(fixed, content)
    return out.getvalue()


def pdf(table: Table, title: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    heading = ParagraphStyle("h", fontName="STSong-Light", fontSize=14, leading=20, alignment=1)
    small = ParagraphStyle("s", fontName="STSong-Light", fontSize=9, leading=12)
    spans = []
    grid: list[list[str]] = [[""] * table.width for _ in table.header]
    for r1, r2, c1, c2, text in _header_cells(table):
        grid[r1][c1] = _wrap(text)
        if (r1, c1) != (r2, c2):
            spans.append(("SPAN", (c1, r1), (c2, r2)))
    grid.extend(table.body)
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("ALIGN", (1, len(table.header)), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            *spans,
        ]
    )
    story = [Paragraph(title, heading), Spacer(1, 8)]
    story += [Paragraph(n, small) for n in table.notes if n.startswith("单位")]
    story.append(PdfTable(grid, style=style, repeatRows=len(table.header)))
    story += [Paragraph(n, small) for n in table.notes if not n.startswith("单位")]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=landscape(A4), title=title, author="安徽省知识产权局", invariant=1
    )
    doc.build(story)
    return out.getvalue()


def _wrap(text: str) -> str:
    """Long header words wrap over two lines in the printed table."""
    return text if len(text) <= 8 else text[:8] + "\n" + text[8:]
