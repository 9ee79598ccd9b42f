"""Periods and dates as Chinese press releases and bulletins write them.

A sentence names its period in words (``截至4月底``, ``1-9月``, ``前三季度``, ``上半年``, ``全年``,
``去年``, ``年末``) and often leaves the year to the page: ``截至4月底`` on a page published
2023-05-10 is the stock at 2023-04-30. Whether a figure is a stock or a flow is the indicator's
business, so the caller says which (``default_kind``) and the same words give a stock date or a
flow period. Pages state their own publication date (``发布时间：2023-04-25``), which is better
than the date in the URL.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Period", "parse_date", "published_date_in", "resolve_period"]


@dataclass(frozen=True)
class Period:
    """A period in the vocabulary of ``sources.records.PERIOD_KINDS`` and the words that said it."""

    kind: str
    end: dt.date
    label: str


_YEAR = r"(?P<year>(?:19|20)\d{2})\s*年"
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DASH = r"\s*(?:-|—|–|~|至|到)\s*"
_UNTIL = r"截(?:至|止)到?\s*[:]?\s*"
_CN_SMALL = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)} | {"两": 2}

_DATE_PATTERNS = (
    re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
    ),
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![\d.])"),
    re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d/])(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)"),
)
_ANY_DATE = (
    r"(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    r"|(?:19|20)\d{2}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2})"
)
# Labels of the on-page publication date, best first; 成文日期 (the date a document was signed)
# only when nothing else is there.
_PUBLISHED_LABELS = (
    re.compile(
        r"(?:发布时间|发布日期|发稿时间|发文日期|公开日期|公布日期|更新时间|上传时间)\s*[:]?\s*"
        f"(?P<date>{_ANY_DATE})"
    ),
    re.compile(rf"(?<![成生])(?:时间|日期)\s*[:]\s*(?P<date>{_ANY_DATE})"),
    re.compile(rf"(?P<date>{_ANY_DATE})(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*(?:信息)?来源"),
    re.compile(rf"成文日期\s*[:]?\s*(?P<date>{_ANY_DATE})"),
)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _number(text: str) -> int | None:
    """``9`` → 9, ``九`` → 9, ``十二`` → 12 (months, quarters and counts of months)."""
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN_SMALL.get(text)
    if text.startswith("十"):
        return 10 + (_CN_SMALL.get(text[1:]) or 0)
    return None


def parse_date(text: str) -> dt.date | None:
    """The first calendar date written in ``text`` (``2023.04.25``, ``2023-04-25``,
    ``2023/4/25``, ``2023年4月25日``); ``None`` when there is none or it is not a real day."""
    text = _normalise(text)
    found = [(m.start(), m) for pattern in _DATE_PATTERNS for m in pattern.finditer(text)]
    for _, match in sorted(found, key=lambda item: item[0]):
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
    return None


def published_date_in(text: str) -> dt.date | None:
    """The publication date a page states about itself (``发布时间：2023-04-25``,
    ``日期：2023.04.25``, ``2023年04月25日 来源：…``). Run it on the whole page text, before the
    metadata lines are stripped; it wins over a date in the URL."""
    text = _normalise(text)
    for pattern in _PUBLISHED_LABELS:
        for match in pattern.finditer(text):
            found = parse_date(match["date"])
            if found is not None:
                return found
    return None


@dataclass(frozen=True)
class _Context:
    published: dt.date | None
    year: int | None


def _year_for(month: int, stated: str | None, ctx: _Context) -> int | None:
    """A period ending in ``month`` with no year of its own: the context year, else the latest
    such month not after the publication month."""
    if stated:
        return int(stated)
    if ctx.year:
        return ctx.year
    if ctx.published is None:
        return None
    return ctx.published.year - (1 if month > ctx.published.month else 0)


def _relative_year(word: str, ctx: _Context) -> int | None:
    if ctx.published is None:
        return None
    if word in ("去", "去年", "上年", "上一年", "上"):
        return ctx.published.year - 1
    return ctx.published.year


def _base(kind: str, year: int | None, month: int, day: int | None = None):
    if year is None or not 1 <= month <= 12:
        return None
    try:
        end = dt.date(year, month, day) if day else _month_end(year, month)
    except ValueError:
        return None
    return kind, end


_Handler = Callable[[re.Match, _Context], "tuple[str, dt.date] | None | str"]
_UNSUPPORTED = "unsupported"


def _until_date(m: re.Match, ctx: _Context):
    found = parse_date(m["date"])
    return ("stock", found) if found else None


def _until_month_day(m: re.Match, ctx: _Context):
    month = _number(m["month"])
    if month is None:
        return None
    return _base("stock", _year_for(month, None, ctx), month, int(m["day"]))


def _until_month(m: re.Match, ctx: _Context):
    month = _number(m["month"])
    if month is None:
        return None
    return _base("stock", _year_for(month, m["year"], ctx), month)


def _year_end(m: re.Match, ctx: _Context):
    rel = m["rel"]
    if m["year"]:
        year: int | None = int(m["year"])
    elif rel in ("去", "上"):
        year = _relative_year(rel, ctx)
    elif rel == "今":
        year = ctx.published.year if ctx.published else ctx.year
    elif rel in ("本", "当"):
        year = ctx.year or _relative_year(rel, ctx)
    else:
        year = _year_for(12, None, ctx)
    return _base("stock", year, 12)


def _until_now(m: re.Match, ctx: _Context):
    return ("stock", ctx.published) if ctx.published else None


def _now_month_end(m: re.Match, ctx: _Context):
    """「目前…」 in a release: the latest monthly statistics, read as the publication month's end."""
    if not ctx.published:
        return None
    return "stock", _month_end(ctx.published.year, ctx.published.month)


def _moment(m: re.Match, ctx: _Context):
    """A census moment, 「2020年11月1日零时」: a stock at that day."""
    try:
        return "stock", dt.date(int(m["year"]), int(m["month"]), int(m["day"]))
    except ValueError:
        return None


def _month_range(m: re.Match, ctx: _Context):
    first, last = _number(m["first"]), _number(m["last"])
    if first != 1 or last is None or not 1 <= last <= 12:
        return None
    year = _year_for(last, m["year"], ctx)
    return _base("year" if last == 12 else "ytd", year, last)


def _quarter_range(m: re.Match, ctx: _Context):
    quarters = _number(m["q"] or m["q2"])
    if quarters is None or not 1 <= quarters <= 4:
        return None
    last = quarters * 3
    return _base("year" if last == 12 else "ytd", _year_for(last, m["year"], ctx), last)


def _first_months(m: re.Match, ctx: _Context):
    months = _number(m["n"])
    if months is None or not 1 <= months <= 12:
        return None
    return _base("year" if months == 12 else "ytd", _year_for(months, m["year"], ctx), months)


def _first_quarter(m: re.Match, ctx: _Context):
    return _base("ytd", _year_for(3, m["year"], ctx), 3)


def _unsupported(m: re.Match, ctx: _Context):
    return _UNSUPPORTED


def _first_half(m: re.Match, ctx: _Context):
    return _base("half", _year_for(6, m["year"], ctx), 6)


def _single_month(m: re.Match, ctx: _Context):
    month = _number(m["month"])
    if month is None:
        return None
    return _base("month", _year_for(month, m["year"], ctx), month)


def _whole_year(m: re.Match, ctx: _Context):
    word = m["rel"]
    if m["year"]:
        year: int | None = int(m["year"])
    elif word == "全年":
        year = ctx.year
        if year is None and ctx.published is not None:
            # A full-year figure published in January-April is last year's.
            year = ctx.published.year - (1 if ctx.published.month <= 4 else 0)
    elif word in ("本年", "当年"):
        year = ctx.year or _relative_year(word, ctx)
    else:
        year = _relative_year(word, ctx)
    return _base("year", year, 12)


def _year_alone(m: re.Match, ctx: _Context):
    return _base("year", int(m["year"]), 12)


_OPT_YEAR = rf"(?:{_YEAR}\s*)?"
_RULES: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (re.compile(rf"{_UNTIL}(?P<date>{_ANY_DATE})"), _until_date),
    (
        re.compile(rf"{_UNTIL}(?P<month>{_MONTH})\s*月\s*(?P<day>\d{{1,2}})\s*[日号]"),
        _until_month_day,
    ),
    (re.compile(rf"{_UNTIL}{_OPT_YEAR}(?P<month>{_MONTH})\s*月份?(?:底|末|止)?"), _until_month),
    (
        re.compile(rf"{_UNTIL}(?:{_YEAR}\s*|(?P<rel>今|去|上|本|当)?年)年?(?:底|末)"),
        _year_end,
    ),
    (re.compile(rf"{_UNTIL}(?:目前|发稿|当前|现在|今天|今日|日前)"), _until_now),
    (re.compile(r"(?:^|(?<=[,，\s]))(?:目前|当前|现有)"), _now_month_end),
    (
        re.compile(
            r"(?P<year>(?:19|20)\d{2})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日\s*零时"
        ),
        _moment,
    ),
    (
        re.compile(
            rf"{_OPT_YEAR}(?P<first>0?1|一)\s*(?:月份?)?{_DASH}(?P<last>{_MONTH})\s*月份?(?!\s*\d{{1,2}}\s*[日号])"
        ),
        _month_range,
    ),
    (
        re.compile(
            rf"{_OPT_YEAR}(?:前(?P<q>[一二三四1-4])个?季度"
            rf"|第?(?:1|一)\s*(?:季度)?{_DASH}第?(?P<q2>[二三四2-4])\s*季度)"
        ),
        _quarter_range,
    ),
    (
        re.compile(rf"{_OPT_YEAR}前(?P<n>1[0-2]|[1-9]|十[一二]?|[一二两三四五六七八九])个?月"),
        _first_months,
    ),
    (re.compile(rf"{_OPT_YEAR}第?(?:1|一)季度"), _first_quarter),
    (re.compile(r"第?[二三四2-4]季度|下半年"), _unsupported),
    (re.compile(rf"{_OPT_YEAR}上半年"), _first_half),
    (re.compile(rf"{_OPT_YEAR}(?P<month>{_MONTH})\s*月份?(?:底|末)"), _until_month),
    (
        re.compile(
            r"(?:(?<![比较与])(?P<year>(?:19|20)\d{2})\s*年|(?<![比较同])(?P<rel>今|去|上|本|当)年"
            r"|(?<![比较同上去今本当\d年])年)年?(?:底|末)"
        ),
        _year_end,
    ),
    (
        re.compile(
            rf"(?<![\d.]){_OPT_YEAR}(?P<month>{_MONTH})\s*月份?(?!\s*\d{{1,2}}\s*[日号])(?![-—–~至到])"
        ),
        _single_month,
    ),
    (
        re.compile(
            r"(?<![比较同])(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?"
            r"(?P<rel>全年|今年|本年|当年|去年|上一年|上年)(?!同期|以来|末|底)"
        ),
        _whole_year,
    ),
    (
        re.compile(rf"(?<![\d比较与和同]){_YEAR}度?(?!\s*\d{{1,2}}\s*月)(?!以来|同期|相比)"),
        _year_alone,
    ),
)
_STANDALONE_YEAR = re.compile(
    rf"(?<![\d比较与和同]){_YEAR}(?!\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号])(?!以来|同期|相比)"
    r"(?!\s*[-—~至到])"
)


def year_in(text: str) -> int | None:
    """The first year a text names on its own (not inside a full date), used as the context year
    for period words that carry none (``2023年，…截至年底…``)."""
    match = _STANDALONE_YEAR.search(_normalise(text))
    return int(match["year"]) if match else None


def find_period(text: str) -> str:
    """The period words of ``text`` (``截至4月底``, ``下半年``), or ``""`` when it names none."""
    text = _normalise(text)
    for pattern, _ in _RULES:
        match = pattern.search(text)
        if match:
            return match.group(0).strip()
    return ""


def _shape(kind: str, end: dt.date, default_kind: str) -> str:
    """Stocks are levels at the end of whatever period the words name; a flow at a stock date
    is the year (to Dec 31) or the year to date."""
    if default_kind in ("stock", "ratio"):
        return "stock"
    if default_kind == "flow" and kind == "stock":
        return "year" if (end.month, end.day) == (12, 31) else "ytd"
    return kind


def resolve_period(
    text: str,
    published: dt.date | None,
    *,
    default_kind: str = "",
    context_year: int | None = None,
) -> Period | None:
    """The period ``text`` names, relative to the publication date when it states no year.

    ``default_kind`` is the indicator's kind: ``stock`` (or ``ratio``) turns any period into the
    stock at its end; ``flow`` turns a stock date into the year or year-to-date ending there.
    ``context_year`` is a year stated elsewhere in the sentence. ``None`` when no period is
    named, the year cannot be told, or the period is not one the vocabulary has (下半年, 二季度).
    """
    text = _normalise(text)
    ctx = _Context(published, context_year or year_in(text))
    for pattern, handler in _RULES:
        match = pattern.search(text)
        if not match:
            continue
        found = handler(match, ctx)
        if found is None or found == _UNSUPPORTED:
            return None
        kind, end = found
        return Period(_shape(kind, end, default_kind), end, match.group(0).strip())
    return None
