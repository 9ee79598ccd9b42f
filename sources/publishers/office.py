"""The office's own figures: filled copies of ``ipbench template`` dropped into the inbox.

Each workbook is read cell by cell; a bad cell (wrong type, unknown region or indicator, a future
date, a negative count) becomes a quarantine row naming the sheet and cell, and every other cell is
loaded with tier ``office``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook

from sources.errors import ParseError
from sources.extract.numbers import normalise_text
from sources.office_template import FIGURES_SHEET, MILESTONES_SHEET
from sources.publishers.base import Fetch, Publisher
from sources.records import Document, DocumentRef, ParseResult, QuarantineRow, RawObservation
from sources.reference import indicators, regions
from sources.safety import check_zip_safety

PUBLISHER = Publisher(
    name="office",
    title_zh="淮南市知识产权局（办公室填报）",
    hosts=(),
    tier="office",
    cadence="yearly",
)
INBOX_SCHEME = "inbox://"
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024


def discover(fetch: Fetch) -> Iterable[DocumentRef]:
    """The office publishes nothing online; its documents come from the inbox (``inbox_refs``)."""
    return ()


def inbox_refs(inbox: Path) -> list[DocumentRef]:
    return [
        DocumentRef(publisher=PUBLISHER.name, url=f"{INBOX_SCHEME}{path.name}", title=path.stem)
        for path in sorted(inbox.glob("*.xlsx"))
        if not path.name.startswith(("~$", "."))
    ]


def parse(document: Document, *, today: dt.date | None = None) -> ParseResult:
    today = today or dt.date.today()
    if len(document.content) > MAX_WORKBOOK_BYTES:
        raise ParseError("workbook larger than 20 MB", where=document.url)
    check_zip_safety(document.content, where=document.url)
    try:
        workbook = load_workbook(io.BytesIO(document.content), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a damaged file
        raise ParseError(f"not a readable .xlsx workbook: {err}", where=document.url) from None
    result = ParseResult()
    reader = _CellReader(document, today)
    if FIGURES_SHEET in workbook.sheetnames:
        result.extend(reader.figures(workbook[FIGURES_SHEET]))
    if MILESTONES_SHEET in workbook.sheetnames:
        result.extend(reader.milestones(workbook[MILESTONES_SHEET]))
    if FIGURES_SHEET not in workbook.sheetnames and MILESTONES_SHEET not in workbook.sheetnames:
        raise ParseError(
            f"no sheet named {FIGURES_SHEET} or {MILESTONES_SHEET}: not an ipbench template",
            where=document.url,
        )
    return result


class _CellReader:
    """Turns template rows into observations; every problem is reported against its cell."""

    def __init__(self, document: Document, today: dt.date) -> None:
        self.document = document
        self.today = today
        self.regions = regions()
        self.indicators = indicators()

    def figures(self, sheet) -> ParseResult:
        result = ParseResult()
        for row_number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            code, _name, indicator, _label, year, value, _unit, note = (list(row) + [None] * 8)[:8]
            if value is None or str(value).strip() == "":
                continue
            problem = (
                self._region_problem(code)
                or self._indicator_problem(indicator)
                or self._year_problem(year)
            )
            number, value_problem = self._number(value)
            where = f"{FIGURES_SHEET}!{_cell('F', row_number)}"
            if problem or value_problem:
                result.quarantine.append(self._bad(where, row, problem or value_problem))
                continue
            meta = self.indicators[str(indicator).strip()]
            year = int(year)
            result.observations.append(
                RawObservation(
                    region_label=str(code),
                    indicator_label=meta.name_zh,
                    period_kind="year" if meta.kind == "flow" else "stock",
                    period_end=dt.date(year, 12, 31),
                    value=number,
                    unit=meta.unit,
                    evidence=f"办公室填报 {FIGURES_SHEET} 第{row_number}行: {meta.name_zh} {year}年 {value}"
                    + (f"（{note}）" if note else ""),
                    location=where,
                    region_code=str(code).strip(),
                    indicator=meta.id,
                )
            )
        return result

    def milestones(self, sheet) -> ParseResult:
        result = ParseResult()
        for row_number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            code, _name, indicator, label, required, built, done_on, status, note = (
                list(row) + [None] * 9
            )[:9]
            if built in (None, "") and done_on in (None, "") and status in (None, ""):
                continue
            where = f"{MILESTONES_SHEET}!{_cell('F', row_number)}"
            problem = self._region_problem(code) or self._indicator_problem(indicator)
            number, value_problem = self._number(built) if built not in (None, "") else (None, "")
            date, date_problem = self._date(done_on)
            problem = problem or value_problem or date_problem
            if not problem and number is None:
                problem = "已建成数量 is empty: fill in how many are built (0 if none yet)"
            if problem:
                result.quarantine.append(self._bad(where, row, problem))
                continue
            period_end = date or dt.date(self.today.year, 12, 31)
            result.observations.append(
                RawObservation(
                    region_label=str(code),
                    indicator_label=str(label or indicator),
                    period_kind="stock",
                    period_end=period_end,
                    value=number,
                    unit=self.indicators[str(indicator).strip()].unit,
                    evidence=f"办公室填报 {MILESTONES_SHEET} 第{row_number}行: {label} 要求{required} 已建成{built}"
                    + (f" 状态{status}" if status else "")
                    + (f"（{note}）" if note else ""),
                    location=where,
                    region_code=str(code).strip(),
                    indicator=str(indicator).strip(),
                )
            )
        return result

    def _region_problem(self, code) -> str:
        code = str(code or "").strip()
        return "" if code in self.regions else f"unknown region code {code!r}"

    def _indicator_problem(self, indicator) -> str:
        indicator = str(indicator or "").strip()
        return "" if indicator in self.indicators else f"unknown indicator {indicator!r}"

    def _year_problem(self, year) -> str:
        try:
            year = int(str(year).strip())
        except ValueError:
            return f"wrong type: year {year!r} is not a whole number"
        if year > self.today.year:
            return f"future year {year}"
        if year < 2000:
            return f"implausible year {year}"
        return ""

    def _number(self, value) -> tuple[Decimal | None, str]:
        if isinstance(value, bool):
            return None, f"wrong type: {value!r} is not a number"
        if isinstance(value, int | float):
            number = Decimal(repr(value))
        else:
            try:
                number = Decimal(normalise_text(str(value)))
            except InvalidOperation:
                return None, f"wrong type: {value!r} is not a number (write digits only, no units)"
        if number < 0:
            return None, f"negative value {value!r}"
        return number, ""

    def _date(self, value) -> tuple[dt.date | None, str]:
        if value in (None, ""):
            return None, ""
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value).strip())
            except ValueError:
                return None, f"wrong type: {value!r} is not a date (YYYY-MM-DD)"
        if value > self.today:
            return None, f"future date {value.isoformat()}"
        return value, ""

    def _bad(self, where: str, row, reason: str) -> QuarantineRow:
        return QuarantineRow(
            document_sha256=self.document.sha256,
            publisher=PUBLISHER.name,
            location=where,
            raw_text=" | ".join("" if v is None else str(v) for v in row),
            reason=reason,
            url=self.document.url,
        )


def _cell(column: str, row: int) -> str:
    return f"{column}{row}"


def collect_inbox(archive, inbox: Path) -> list[Document]:
    """Archive every workbook in the inbox (tier office) and return them as documents.

    The inbox is the office's channel instead of a website: a file is archived like any fetched
    document, so replay and provenance work the same way.
    """
    from sources.archive import ManifestEntry, now_utc, sha256_of

    documents = []
    for ref in inbox_refs(inbox):
        content = (inbox / ref.url.removeprefix(INBOX_SCHEME)).read_bytes()
        sha = sha256_of(content)
        previous = archive.latest(ref.url)
        unchanged = previous is not None and previous.sha256 == sha
        if not unchanged:
            archive.store(content)
        document = Document(
            ref=ref,
            content=content,
            sha256=sha,
            final_url=ref.url,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            retrieved_at=now_utc(),
            tier=PUBLISHER.tier,
        )
        if not unchanged:
            archive.record(ManifestEntry.for_document(document, outcome="fetched"))
        documents.append(document)
    return documents
