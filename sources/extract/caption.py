"""What the lines around a table say: its title, indicator, unit and period.

Statistical tables carry their meaning above the header: a title (``6-4 分地区PCT国际专利申请受理量
(2018年、2022年、2023年)``, ``2021年全省各市专利授权量统计表``), a unit line (``单位：万件``), metadata
lines (``表号…制定机关…``, ``数据截至2023年12月31日``) and a period line (``2018.1-2018.12``).
These functions read those lines; they never look at the table body.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sources.extract.body import is_boilerplate
from sources.reference import indicators
from sources.reference.matching import IndicatorMatch, clean_label, find_indicator

_TABLE_NUMBER = re.compile(r"^\s*(?:附件\s*\d+\s*[:：]?|附表\s*\d+|表\s*)?\s*\d+(?:[-－—]\d+)*\s*")
_UNIT_LINE = re.compile(r"(?:计量)?单位\s*[:：]\s*(?P<unit>[^\s,，;；()（）]+)")
_UNIT_IN_BRACKETS = re.compile(r"[（(](?:单位\s*[:：]\s*)?(?P<unit>[^()（）]{1,8})[)）]")
_ENGLISH_UNIT_LINE = re.compile(
    r"\bunits?\s*[:：]\s*(?P<unit>[A-Za-z0-9, ]+?)\s*(?:$|[()（）;；])", re.I
)
_ENGLISH_UNITS = {
    "piece": "件",
    "pieces": "件",
    "10,000 pieces": "万件",
    "10000 pieces": "万件",
    "person": "人",
    "persons": "人",
    "10,000 persons": "万人",
    "yuan": "元",
    "10,000 yuan": "万元",
    "100 million yuan": "亿元",
}
UNIT_WORDS = frozenset(
    "件 万件 亿件 个 项 家 万家 户 万户 人 万人 元 万元 亿元 件/万人 件/万户 件/百户 件/百万人 % ‰".split()
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年?(?!\d)")
_MONTH_RANGE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?:1|一)\s*[-－—~至到]\s*(?P<month>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月"
)
_DOTTED_RANGE = re.compile(
    r"(?P<y1>(?:19|20)\d{2})\.(?P<m1>\d{1,2})\s*[-－—~]\s*(?P<y2>(?:19|20)\d{2})\.(?P<m2>\d{1,2})"
)
_AS_OF = re.compile(
    r"截[至止]\s*(?P<year>(?:19|20)\d{2})\s*年\s*(?:(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日|底|末)?|底|末)"
)
_AS_OF_DATE = re.compile(
    r"(?:截[至止]|(?i:as of|by the end of))\s*[:：]?\s*(?P<year>(?:19|20)\d{2})\s*[.\-/]\s*(?P<month>\d{1,2})\s*[.\-/]\s*(?P<day>\d{1,2})"
)
# GI statistics count from 16 December of the previous year: keep the published span (quirk 29).
_DATE_SPAN = re.compile(
    r"(?P<y1>(?:19|20)\d{2})[.\-/年](?P<m1>\d{1,2})[.\-/月](?P<d1>\d{1,2})日?\s*[-－—~至到]\s*"
    r"(?P<y2>(?:19|20)\d{2})[.\-/年](?P<m2>\d{1,2})[.\-/月](?P<d2>\d{1,2})日?"
)
# A census count is a stock at its moment: 「2020年11月1日零时」.
_MOMENT = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*零时"
)
_QUARTERS = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年\s*(?:(?:1|一)\s*[-－—~至到]\s*|前)(?P<q>[1-4一二三四])\s*个?季度"
)
_HALF = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*上半年")
_CN_MONTH = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)} | {"十一": 11, "十二": 12}
_METADATA = re.compile(
    r"表\s*号|制定机关|备案机关|备案文号|有效期至|填报单位|数据来源|资料来源|发布时间|发布日期|信息来源|字号"
)


@dataclass(frozen=True)
class TablePeriod:
    """The period a caption states: a single year, a year-to-date, a stock date, or several years
    (then the columns carry them and ``years`` lists them)."""

    kind: str = ""  # "", year, ytd, stock, half
    end: dt.date | None = None
    years: tuple[int, ...] = ()


@dataclass(frozen=True)
class Caption:
    title: str = ""
    indicator: IndicatorMatch | None = None
    unit: str = ""
    period: TablePeriod = TablePeriod()
    lines: tuple[str, ...] = ()

    @property
    def indicator_id(self) -> str:
        return self.indicator.id if self.indicator and self.indicator.status == "ok" else ""


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_number(text: str) -> int | None:
    month = int(text) if text.isdigit() else _CN_MONTH.get(text)
    return month if month and 1 <= month <= 12 else None


def unit_of(text: str) -> str:
    """The unit a line or header states: ``单位：万件`` → ``万件``, ``有效发明(件/万人)`` → ``件/万人``."""
    text = text.replace(" (piece)", "")
    line = _UNIT_LINE.search(text)
    if line:
        # "单位：人、%" names the unit of the counts first; "件/万人" is one unit.
        return re.split(r"[、,，]", line.group("unit"))[0]
    english = _ENGLISH_UNIT_LINE.search(text)
    if english and english.group("unit").strip().lower() in _ENGLISH_UNITS:
        return _ENGLISH_UNITS[english.group("unit").strip().lower()]
    for match in _UNIT_IN_BRACKETS.finditer(text):
        unit = re.sub(r"\s+", "", match.group("unit"))
        if unit in UNIT_WORDS:
            return unit
    return ""


def period_of(lines: Iterable[str]) -> TablePeriod:
    """The period the caption lines state, most specific first."""
    text = " ".join(lines)
    moment = _MOMENT.search(text)
    if moment:
        return TablePeriod("stock", dt.date(int(moment["y"]), int(moment["m"]), int(moment["d"])))
    span = _DATE_SPAN.search(text)
    if span:
        start = dt.date(int(span["y1"]), int(span["m1"]), int(span["d1"]))
        end = dt.date(int(span["y2"]), int(span["m2"]), int(span["d2"]))
        whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        return TablePeriod("year" if whole_year else "ytd", end)
    as_of = _AS_OF.search(text) or _AS_OF_DATE.search(text)
    if as_of:
        year = int(as_of.group("year"))
        month = int(as_of.group("month") or 12)
        day = as_of.group("day")
        end = dt.date(year, month, int(day)) if day else _month_end(year, month)
        return TablePeriod("stock", end)
    dotted = _DOTTED_RANGE.search(text)
    if dotted and dotted.group("y1") == dotted.group("y2"):
        year, first, last = (
            int(dotted.group("y2")),
            int(dotted.group("m1")),
            int(dotted.group("m2")),
        )
        if first == 1:
            return TablePeriod("year" if last == 12 else "ytd", _month_end(year, last))
    quarters = _QUARTERS.search(text)
    if quarters:
        q = "一二三四".find(quarters["q"]) + 1 or int(quarters["q"])
        end = _month_end(int(quarters["year"]), 3 * q)
        return TablePeriod({2: "half", 4: "year"}.get(q, "ytd"), end)
    half = _HALF.search(text)
    if half:
        return TablePeriod("half", dt.date(int(half.group("year")), 6, 30))
    years = tuple(dict.fromkeys(int(y) for y in _YEAR.findall(text)))
    months = _MONTH_RANGE.search(text)
    if months and (months.group("year") or len(years) == 1):
        year = int(months.group("year") or years[0])
        month = _month_number(months.group("month"))
        if month:
            return TablePeriod("year" if month == 12 else "ytd", _month_end(year, month))
    if len(years) == 1:
        return TablePeriod("year", dt.date(years[0], 12, 31), years)
    return TablePeriod("", None, years)


def title_indicator(title: str) -> IndicatorMatch:
    """The indicator a table title names, ignoring the table number, years and title words."""
    text = _TABLE_NUMBER.sub("", title)
    text = re.sub(r"[（(][^()（）]*[)）]", "", text)
    return find_indicator(text)


def is_caption_line(cell: str) -> bool:
    """A unit or metadata line written inside the table (``单位：万人``, ``表号…``)."""
    return bool(cell) and (bool(_UNIT_LINE.search(cell)) or is_metadata(cell))


def is_sentence(line: str) -> bool:
    """A line of running text (the article around a table), not a caption or a unit line."""
    return len(line) > 80 or bool(re.search(r"[，。；！？][^，。；！？]*[，。；！？]", line))


def is_metadata(line: str) -> bool:
    return bool(_METADATA.search(line))


def _clean(lines: Iterable[str]) -> list[str]:
    lines = (" ".join(line.split()) for line in lines if line and line.strip())
    return [line for line in lines if not is_sentence(line) and not is_boilerplate(line)]


def read_caption(
    lines: Sequence[str], *, after: Sequence[str] = (), document_title: str = ""
) -> Caption:
    """Caption of a table from the lines above it (nearest first), the notes below it and the
    document's title. Sentences of the article and page boilerplate are not captions."""
    captions = [*reversed(_clean(lines)), *_clean(after)]
    lines = tuple(captions)
    unit = next((u for u in (unit_of(line) for line in captions) if u), "")
    candidates = [
        line for line in captions if not is_metadata(line) and not _UNIT_LINE.search(line)
    ]
    if document_title:
        candidates.append(document_title)
    title, match = "", None
    for line in candidates:
        found = title_indicator(line)
        if found.status == "ok":
            title, match = line, found
            break
    if not title:
        title = next((line for line in candidates if clean_label(line)), "")
    # The caption's own period first, then the document title's, then any caption line's.
    period = next(
        (
            p
            for p in (
                period_of([title]),
                period_of([document_title]),
                period_of([line for line in captions if not is_metadata(line)]),
            )
            if p.kind or p.years
        ),
        TablePeriod(),
    )
    return Caption(title=title, indicator=match, unit=unit, period=period, lines=lines)


def default_unit(indicator_id: str) -> str:
    return indicators()[indicator_id].unit
