"""Documents → rectangles of cell texts (:class:`Grid`), whatever format the publisher used.

Publishers put the same statistics in HTML pages, Excel "save as web page" exports, XLS, XLSX and
PDF. Everything downstream (the table extractor) wants one shape: a rectangle of strings with
merged cells repeated into every position they cover, plus the lines printed around the table
(title, 表号, 单位 line, 数据截至 line above; 注 lines below), because that is where units and
periods are stated. A cell keeps a line break where the publisher broke the line (``实用<br>新型``,
``合计\\nTotal``) so the consumer can choose to join or split; all other whitespace is one space.

Hostile or broken files (zip bombs, XML entity expansion, corrupt or encrypted files, scanned
PDFs) become :class:`ParseError` with a readable message, never a library traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree
from lxml import html as lxml_html

from sources.errors import ParseError
from sources.extract.encoding import decode_html, decode_text
from sources.safety import check_zip_safety

MAX_ROWSPAN = 500
MAX_COLSPAN = 100
MAX_COLUMNS = 1000
LINES_BEFORE = 6
LINES_AFTER = 4
NO_TEXT_LAYER = "PDF has no text layer (scanned image?): no machine-readable data"
PDF_TEXT_STRATEGY = {"vertical_strategy": "text", "horizontal_strategy": "text"}

_SPACES = re.compile(r"\s+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DROPPED_TAGS = ("script", "style", "noscript", "template")
_CELL_TAGS = ("td", "th")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote caption center dd div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody tfoot "
    "thead title tr ul".split()
)
_PERCENT_DECIMALS = re.compile(r"\.([0#?]+)")


@dataclass(frozen=True)
class Grid:
    """One table as printed: a rectangle of cell texts and the lines around it."""

    rows: tuple[tuple[str, ...], ...]
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    name: str = ""
    source_kind: str = ""


# --- cell text -------------------------------------------------------------------------------


def clean_cell(text: object) -> str:
    """Cell text with whitespace runs as one space, kept line breaks, NBSP/U+3000 as spaces."""
    raw = str(text).replace("\r\n", "\n").replace("\r", "\n")
    raw = raw.replace("\u00a0", " ").replace("\u3000", " ").replace("\u200b", "")
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def render_number(value: float | int | Decimal, number_format: str = "") -> str:
    """A spreadsheet number as a person reads it: no ``.0`` on integers, no float noise, and
    percent-formatted cells as ``12.3%`` with the format's decimals."""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
    section = number_format.split(";")[0]
    if "%" in section.replace('"%"', "").replace("\\%", ""):
        places = _PERCENT_DECIMALS.search(section.split("%")[0])
        quantum = Decimal(1).scaleb(-len(places.group(1)) if places else 0)
        return f"{(number * 100).quantize(quantum, rounding=ROUND_HALF_UP)}%"
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def render_value(value: object, number_format: str = "") -> str:
    """Any spreadsheet cell value as text (dates ISO, booleans as Excel prints them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        return render_number(value, number_format)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return clean_cell(value)


def _rectangle(cells: dict[tuple[int, int], str]) -> tuple[tuple[str, ...], ...]:
    """The smallest rectangle holding every non-empty cell."""
    filled = [(r, c) for (r, c), text in cells.items() if text]
    if not filled:
        return ()
    top, bottom = min(r for r, _ in filled), max(r for r, _ in filled)
    left, right = min(c for _, c in filled), max(c for _, c in filled)
    return tuple(
        tuple(cells.get((r, c), "") for c in range(left, right + 1)) for r in range(top, bottom + 1)
    )


def _trim(rows: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    return _rectangle({(r, c): text for r, row in enumerate(rows) for c, text in enumerate(row)})


def _fill_merged(
    cells: dict[tuple[int, int], str], merges: Iterable[tuple[int, int, int, int]]
) -> None:
    """Repeat each merged range's top-left text into the range (``last`` bounds inclusive),
    clipped to the used area so a range drawn over a whole column adds no rows."""
    used = [key for key, text in cells.items() if text]
    if not used:
        return
    bottom, right = max(r for r, _ in used), max(c for _, c in used)
    for first_row, last_row, first_col, last_col in merges:
        text = cells.get((first_row, first_col), "")
        if not text:
            continue
        for r in range(first_row, min(last_row, bottom) + 1):
            for c in range(first_col, min(last_col, right) + 1):
                cells[(r, c)] = text


def _describe(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"[:200]


# --- format sniffing -------------------------------------------------------------------------


def detect_kind(content: bytes, filename: str = "", content_type: str = "") -> str:
    """``html``, ``xlsx``, ``xls``, ``pdf`` or ``txt``: magic bytes first, because servers and
    file names lie (an "xls" is often an HTML table, an attachment is often octet-stream)."""
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if b"%PDF-" in content[:1024]:
        return "pdf"
    head = content[:65536].lower()
    if b"<table" in head or b"<html" in head:
        return "html"
    name = filename.lower().rsplit("?", 1)[0]
    ctype = content_type.split(";")[0].strip().lower()
    for kind, suffixes, types in (
        ("xlsx", (".xlsx", ".xlsm"), ("spreadsheetml",)),
        ("xls", (".xls", ".et"), ("ms-excel",)),
        ("pdf", (".pdf",), ("/pdf",)),
        ("html", (".htm", ".html", ".shtml", ".jsp", ".php", ".asp", ".aspx"), ("html", "xml")),
        ("txt", (".txt", ".csv"), ("text/plain", "text/csv")),
    ):
        if name.endswith(suffixes) or any(t in ctype for t in types):
            return kind
    return "txt"


# --- HTML ------------------------------------------------------------------------------------


def _remove(node) -> None:
    """Remove a node but keep the text that follows it."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _html_body(text: str):
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return None
    try:
        root = lxml_html.document_fromstring(text)
    except (ValueError, etree.ParserError):
        return None
    junk = root.xpath(
        " | ".join(f"//{tag}" for tag in _DROPPED_TAGS)
        + " | //comment() | //processing-instruction()"
    )
    for node in junk:
        _remove(node)
    body = root.find("body")
    return body if body is not None else root


def _tag(node) -> str:
    return node.tag.lower() if isinstance(node.tag, str) else ""


def _cell_text(cell) -> str:
    parts: list[str] = []
    for event, node in etree.iterwalk(cell, events=("start", "end")):
        tag = _tag(node)
        if event == "start":
            if tag == "br" or tag in _BLOCK_TAGS:
                parts.append("\n")
            if node.text:
                parts.append(_SPACES.sub(" ", node.text))
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if node is not cell and node.tail:
                parts.append(_SPACES.sub(" ", node.tail))
    return clean_cell("".join(parts))


def _span(value: str | None, limit: int) -> int:
    match = re.match(r"\s*(\d{1,6})", value or "")
    return min(max(int(match.group(1)), 0), limit) if match else 1


def table_rows(table) -> tuple[tuple[str, ...], ...]:
    """The rectangle of an HTML table without nested tables, spans repeated, edges trimmed."""
    trs = list(table.iter("tr"))
    height = len(trs)
    cells: dict[tuple[int, int], str] = {}
    for i, tr in enumerate(trs):
        j = 0
        for cell in tr:
            if _tag(cell) not in _CELL_TAGS:
                continue
            while (i, j) in cells:
                j += 1
            if j >= MAX_COLUMNS:
                break
            # rowspan="0" means "to the end of the table"; colspan="0" is invalid and means 1.
            rowspan = _span(cell.get("rowspan"), MAX_ROWSPAN) or height - i
            colspan = min(_span(cell.get("colspan"), MAX_COLSPAN) or 1, MAX_COLUMNS - j)
            text = _cell_text(cell)
            for r in range(i, min(i + rowspan, height)):
                for c in range(j, j + colspan):
                    cells.setdefault((r, c), text)
            j += colspan
    return _trim(_rows_of(cells, height))


def _rows_of(cells: dict[tuple[int, int], str], height: int) -> list[list[str]]:
    width = max((c for _, c in cells), default=-1) + 1
    return [[cells.get((r, c), "") for c in range(width)] for r in range(height)]


def _lines_and_tables(body, tables: dict) -> list:
    """The body as text lines in reading order, with each grid table as a marker in its place."""
    items: list = []
    line: list[str] = []

    def flush() -> None:
        text = " ".join("".join(line).split())
        if text:
            items.append(text)
        line.clear()

    walker = etree.iterwalk(body, events=("start", "end"))
    for event, node in walker:
        tag = _tag(node)
        if event == "start":
            if node in tables:
                flush()
                items.append(node)
                walker.skip_subtree()
                continue
            if tag == "br" or tag in _BLOCK_TAGS:
                flush()
            elif tag in _CELL_TAGS:
                line.append("\t")
                if not any(_tag(d) in _BLOCK_TAGS for d in node.iterdescendants()):
                    # A cell's own <br> (实用<br>新型) does not end the row's line.
                    line.append(" ".join(_cell_text(node).split()))
                    walker.skip_subtree()
                    continue
            if node.text:
                line.append(node.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
            if node is not body and node.tail:
                line.append(node.tail)
    flush()
    return items


def _html_grids(text: str) -> list[Grid]:
    body = _html_body(text)
    if body is None:
        return []
    tables = {}
    for table in body.iter("table"):
        if table.find(".//table") is not None:
            continue
        rows = table_rows(table)
        if len(rows) >= 2 and len(rows[0]) >= 2:
            tables[table] = rows
    items = _lines_and_tables(body, tables)
    grids = []
    for index, item in enumerate(items):
        if isinstance(item, str):
            continue
        before: list[str] = []
        for previous in reversed(items[:index]):
            if not isinstance(previous, str) or len(before) == LINES_BEFORE:
                break
            before.insert(0, previous)
        caption = item.find("caption")
        if caption is not None and (caption_text := " ".join(_cell_text(caption).split())):
            before.append(caption_text)
        after: list[str] = []
        for following in items[index + 1 :]:
            if not isinstance(following, str) or len(after) == LINES_AFTER:
                break
            after.append(following)
        grids.append(
            Grid(
                rows=tables[item],
                before=tuple(before),
                after=tuple(after),
                name=f"table {len(grids) + 1}",
                source_kind="html",
            )
        )
    return grids


def _html_text(text: str) -> str:
    body = _html_body(text)
    if body is None:
        return ""
    return "\n".join(" ".join(line.split()) for line in _lines_and_tables(body, {}))


# --- XLSX ------------------------------------------------------------------------------------


def _refuse_xml_entities(content: bytes, where: str) -> None:
    """OOXML parts never need a DTD; one that declares entities is an expansion attack."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for member in archive.infolist():
                if not member.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(member) as handle:
                    head = handle.read(65536).replace(b"\x00", b"")
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise ParseError(
                        f"refusing XLSX: {member.filename} declares XML entities "
                        "(entity expansion attack)",
                        where=where,
                    )
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
        raise ParseError(f"damaged XLSX container ({_describe(err)})", where=where) from None


def _xlsx_workbook(content: bytes, where: str):
    import openpyxl

    check_zip_safety(content, where=where)
    _refuse_xml_entities(content, where)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(content), read_only=False, data_only=True)
    except Exception as err:  # openpyxl raises anything from KeyError to XML errors
        raise ParseError(f"cannot read XLSX workbook ({_describe(err)})", where=where) from None


def _xlsx_grids(content: bytes, where: str) -> list[Grid]:
    book = _xlsx_workbook(content, where)
    grids = []
    try:
        for sheet in book.worksheets:
            # Only the cells stored in the file: iterating the used rectangle would create
            # every empty cell of a sheet formatted down to row 65536.
            cells = {
                (row - 1, col - 1): render_value(cell.value, cell.number_format or "")
                for (row, col), cell in sheet._cells.items()
            }
            _fill_merged(
                cells,
                (
                    (m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1)
                    for m in sheet.merged_cells.ranges
                ),
            )
            rows = _rectangle(cells)
            if rows:
                grids.append(Grid(rows=rows, name=sheet.title, source_kind="xlsx"))
    except Exception as err:
        raise ParseError(f"cannot read XLSX sheet ({_describe(err)})", where=where) from None
    finally:
        book.close()
    return grids


# --- XLS -------------------------------------------------------------------------------------


def _xls_book(content: bytes, where: str):
    import xlrd

    try:
        try:
            return xlrd.open_workbook(file_contents=content, formatting_info=True)
        except NotImplementedError:
            return xlrd.open_workbook(file_contents=content)
    except Exception as err:
        raise ParseError(f"cannot read XLS workbook ({_describe(err)})", where=where) from None


def _xls_cell_text(book, cell) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return clean_cell(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return render_value(xlrd.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            pass
    number_format = ""
    if cell.xf_index is not None and cell.xf_index < len(book.xf_list):
        found = book.format_map.get(book.xf_list[cell.xf_index].format_key)
        number_format = found.format_str if found is not None else ""
    return render_number(cell.value, number_format)


def _xls_grids(content: bytes, where: str) -> list[Grid]:
    book = _xls_book(content, where)
    grids = []
    try:
        for sheet in book.sheets():
            cells = {
                (r, c): _xls_cell_text(book, sheet.cell(r, c))
                for r in range(sheet.nrows)
                for c in range(sheet.row_len(r))
            }
            _fill_merged(
                cells, ((rlo, rhi - 1, clo, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells)
            )
            rows = _rectangle(cells)
            if rows:
                grids.append(Grid(rows=rows, name=sheet.name, source_kind="xls"))
    except Exception as err:
        raise ParseError(f"cannot read XLS sheet ({_describe(err)})", where=where) from None
    finally:
        book.release_resources()
    return grids


# --- PDF -------------------------------------------------------------------------------------


def _pdf_pages(content: bytes, where: str):
    """Yield (page number, page) of a readable PDF with a text layer."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(content))
    except Exception as err:
        raise ParseError(_pdf_failure(err), where=where) from None
    with pdf:
        try:
            pages = list(pdf.pages)
            with_text = [(n, page) for n, page in enumerate(pages, start=1) if page.chars]
        except Exception as err:
            raise ParseError(_pdf_failure(err), where=where) from None
        if not with_text:
            raise ParseError(NO_TEXT_LAYER, where=where)
        yield from with_text


def _pdf_failure(err: BaseException) -> str:
    # pdfplumber wraps pdfminer's errors: the cause is in the arguments or the context.
    causes = [err, *(a for a in err.args if isinstance(a, BaseException)), err.__context__]
    names = " ".join(type(c).__name__ for c in causes if c is not None)
    if "Password" in names or "Encrypt" in names:
        return "PDF is encrypted and cannot be read without a password"
    return f"cannot read PDF: damaged or not a PDF ({_describe(err)})"


def _band_lines(page, top: float, bottom: float) -> list[str]:
    x0, page_top, x1, page_bottom = page.bbox
    top, bottom = max(top, page_top), min(bottom, page_bottom)
    if bottom - top < 1:
        return []
    text = page.crop((x0, top, x1, bottom)).extract_text() or ""
    return [line for line in (" ".join(t.split()) for t in text.splitlines()) if line]


def _page_tables(page) -> list:
    ruled = page.find_tables()
    if ruled:
        return sorted(ruled, key=lambda t: t.bbox[1])
    found = page.find_tables(table_settings=PDF_TEXT_STRATEGY)
    # The text strategy also "finds" prose; a table has at least two rows of several cells.
    plausible = [
        t for t in found if sum(1 for row in t.extract() if sum(1 for c in row if c) >= 2) >= 2
    ]
    return sorted(plausible, key=lambda t: t.bbox[1])


def _pdf_grids(content: bytes, where: str) -> list[Grid]:
    grids = []
    for number, page in _pdf_pages(content, where):
        try:
            tables = _page_tables(page)
            previous_bottom = page.bbox[1]
            for k, table in enumerate(tables):
                following = tables[k + 1].bbox[1] if k + 1 < len(tables) else page.bbox[3]
                rows = _trim([[clean_cell(c or "") for c in row] for row in table.extract()])
                if len(rows) >= 2 and len(rows[0]) >= 2:
                    before = _band_lines(page, previous_bottom, table.bbox[1])[-LINES_BEFORE:]
                    after = _band_lines(page, table.bbox[3], following)[:LINES_AFTER]
                    count = sum(1 for g in grids if g.name.startswith(f"page {number} "))
                    grids.append(
                        Grid(
                            rows=rows,
                            before=tuple(before),
                            after=tuple(after),
                            name=f"page {number} table {count + 1}",
                            source_kind="pdf",
                        )
                    )
                previous_bottom = table.bbox[3]
        except Exception as err:
            raise ParseError(
                f"cannot read PDF page {number} ({_describe(err)})", where=where
            ) from None
    return grids


def _pdf_text(content: bytes, where: str) -> str:
    pages = []
    for number, page in _pdf_pages(content, where):
        try:
            pages.append(page.extract_text() or "")
        except Exception as err:
            raise ParseError(
                f"cannot read PDF page {number} ({_describe(err)})", where=where
            ) from None
    return "\n".join(pages)


# --- entry points ----------------------------------------------------------------------------


def read_grids(
    content: bytes,
    *,
    filename: str = "",
    content_type: str = "",
    declared_encoding: str | None = None,
) -> list[Grid]:
    """Every data table of a document, in document order. Plain text has no tables."""
    kind = detect_kind(content, filename, content_type)
    if kind == "html":
        return _html_grids(decode_html(content, declared_encoding)[0])
    if kind == "xlsx":
        return _xlsx_grids(content, filename)
    if kind == "xls":
        return _xls_grids(content, filename)
    if kind == "pdf":
        return _pdf_grids(content, filename)
    return []


def read_text(
    content: bytes,
    *,
    filename: str = "",
    content_type: str = "",
    declared_encoding: str | None = None,
) -> str:
    """The visible text of a document: HTML body text with block elements as line breaks, PDF
    text, spreadsheet cells row by row separated by tabs, a text file as decoded."""
    kind = detect_kind(content, filename, content_type)
    if kind == "html":
        return _html_text(decode_html(content, declared_encoding)[0])
    if kind in ("xlsx", "xls"):
        grids = _xlsx_grids(content, filename) if kind == "xlsx" else _xls_grids(content, filename)
        return "\n\n".join(
            "\n".join("\t".join(" ".join(c.split()) for c in row) for row in grid.rows)
            for grid in grids
        )
    if kind == "pdf":
        return _pdf_text(content, filename)
    return decode_text(content, declared_encoding)[0]
