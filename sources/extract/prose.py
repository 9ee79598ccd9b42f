"""Figures written in sentences: press releases, white papers, statistical bulletins.

``截至2023年底，全市有效发明专利拥有量达到2856件，每万人口高价值发明专利拥有量3.21件，同比增长12.3%。``
holds two levels and one growth rate. A level is an indicator phrase (the longest synonym from
``indicators.yaml``) followed closely by a number with its unit; the period comes from the
clause's own period words or the sentence's (``其中`` clauses inherit them); the region from a
region name before the phrase (``全市`` is the page's region). Bound words (突破/近/约/余) become
the qualifier (quirk 16). Growth rates, ranks and shares are never levels (quirk 17) and are
passed over silently; a figure with a unit that cannot be tied to an indicator, period or region
is reported in ``skipped`` with the reason, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from sources.extract.body import simplify
from sources.extract.numbers import apply_multiplier, chinese_numeral
from sources.extract.periods import Period, find_period, resolve_period, year_in
from sources.records import RawObservation
from sources.reference import (
    NATIONAL_CODE,
    Indicator,
    Region,
    all_known_regions,
    indicators,
    region_labels,
)
from sources.reference.matching import resolve_region
from sources.units import tidy

__all__ = ["ProseResult", "extract_prose"]


@dataclass
class ProseResult:
    observations: list[RawObservation] = field(default_factory=list)
    # (sentence, reason) for figures seen but not understood.
    skipped: list[tuple[str, str]] = field(default_factory=list)


# Sentences end at 。！？; a semicolon only separates clauses (the period carries past it), and a
# paragraph break ends what earlier sentences said.
_SENTENCE_END = re.compile(r"[。！!？?]+")
_PARAGRAPH_END = re.compile(r"[\r\n]+")
_CLAUSE_END = re.compile(r"[,;:]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_CJK = re.compile(r"[\u3400-\u9fff]")
_FIGURE = re.compile(
    r"(?<![\d.])(?P<num>\d+(?:\.\d+)?(?![\d.])"
    r"|[一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千万亿]*)"
    r"(?P<more1>余|多)?(?P<mult>万亿|亿|万)?(?P<more2>余|多)?"
    r"(?P<unit>件/万人|件/万户|件/百万人|件每万人|人次|件|元|家|户|人|个|项|名|笔|所)?"
    r"(?P<per>/万人|/万户|每万人)?(?P<after>以上|左右|以下|以内)?"
)
# What follows a number that is a change, a time or a share rather than a level.
_NOT_LEVEL_AFTER = re.compile(r"^(?:余|多)?(?:个)?(?:百分点|%|‰|倍|成)")
_TIME_AFTER = re.compile(r"^(?:个)?(?:年|月|日|号|季|周|天|小时|岁|期|批|次|轮)")
_CHANGE_WORDS = re.compile(
    r"同比|环比|增长|增加|增幅|增速|增量|下降|减少|降低|提高|提升|比上年|较上年|比去年|较去年|占"
)
_CHANGE_TO_LEVEL = re.compile(r"(?:增长|增加|提高|提升|下降|减少|降低)(?:至|到|为)")
_RANK_WORDS = re.compile(r"第|排名|排位|位居|位列|居|列")
_LOWER = ("突破", "超过", "高于", "多于", "逾", "超")
_UPPER = ("接近", "不到", "不足", "低于", "少于", "近")
_APPROX = ("大约", "大概", "约")
_SUFFIX_QUALIFIER = {
    "以上": "lower_bound",
    "左右": "approx",
    "以下": "upper_bound",
    "以内": "upper_bound",
}
_MAX_GAP = 12
_FILLER = re.compile("|".join((*_LOWER, *_UPPER, *_APPROX, "达到", "达", "共", "为")))
# Trailing measure words of a subject that a follow-on clause reuses: 专利权质押融资金额…，惠及企业….
_MEASURE_TAIL = re.compile(r"(?:总金额|金额|总额|额|总量|数量|量|数)$")
_TOTAL_WORDS = {
    "全国": "national",
    "全省": "province",
    "我省": "province",
    "本省": "province",
    "全市": "city",
    "我市": "city",
    "本市": "city",
    "全区": "district",
    "全县": "district",
}


def _norm(text: str) -> str:
    return _THOUSANDS.sub("", unicodedata.normalize("NFKC", simplify(text)))


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    indicator: str
    text: str


@lru_cache(maxsize=1)
def _synonyms() -> tuple[tuple[str, str], ...]:
    """(normalised Chinese synonym, indicator id), longest first."""
    found: dict[str, str] = {}
    for ind in indicators().values():
        for synonym in (ind.name_zh, *ind.synonyms):
            key = _norm(synonym).casefold()
            if _CJK.search(key) and len(key) >= 3:
                found.setdefault(key, ind.id)
    return tuple(sorted(found.items(), key=lambda item: (-len(item[0]), item[0])))


def _remarks(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text)]


def _spans(text: str) -> list[_Span]:
    """Indicator phrases in ``text``; a synonym inside a longer one is not a phrase of its own,
    nor one inside a bracketed remark (「万人发明专利拥有量（按常住人口计算）」)."""
    folded = text.casefold()
    remarks = _remarks(text)
    spans = []
    for synonym, ind_id in _synonyms():
        start = folded.find(synonym)
        while start >= 0:
            spans.append(
                _Span(start, start + len(synonym), ind_id, text[start : start + len(synonym)])
            )
            start = folded.find(synonym, start + 1)
    outer = [
        s
        for s in spans
        if not any(
            o is not s
            and o.start <= s.start
            and s.end <= o.end
            and (o.end - o.start) > (s.end - s.start)
            for o in spans
        )
    ]
    outer = [s for s in outer if not any(a <= s.start and s.end <= b for a, b in remarks)]
    return sorted(set(outer), key=lambda s: (s.start, -s.end))


@lru_cache(maxsize=1)
def _region_pattern() -> re.Pattern[str]:
    names = set(_TOTAL_WORDS)
    for region in all_known_regions().values():
        if region.level in ("province", "city", "district", "county"):
            names.add(region.name)
        if region.level in ("province", "city") and len(region.short_name) >= 2:
            names.add(region.short_name)
    names = {n for n in names if _CJK.search(n)}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # Not a rank or share (居全国第4位, 占全省…, 高于全省平均).
    return re.compile(rf"(?<![居占列于比较])(?P<name>{alternatives})(?!第|排名|前列|平均|首位)")


def _hint_region(hint: str) -> Region | None:
    if not hint:
        return None
    known = all_known_regions()
    if re.fullmatch(r"\d{6}", hint):
        return known.get(hint)
    match = resolve_region(hint)
    return known.get(match.code) if match.code else None


def _region(token: str, hint: str) -> tuple[str, str]:
    """(region label, code when known) for a region word; 全市/全省 are the hint's city or
    province."""
    known = all_known_regions()
    scope = _TOTAL_WORDS.get(token)
    if scope == "national":
        return known[NATIONAL_CODE].name, NATIONAL_CODE
    if scope is None:
        match = resolve_region(token)
        return token, match.code if match.status == "ok" else ""
    region = _hint_region(hint)
    if region is None:
        return (hint if hint and not hint.isdigit() else token), ""
    target: Region | None = None
    if scope == "province":
        target = known.get(region.province_code) if region.level != "national" else None
    elif scope == "city":
        if region.level == "city" or (region.level == "province" and region.name.endswith("市")):
            target = region
        elif region.level == "county" and region.name.endswith("市"):
            target = region  # a county-level city (常熟市): 全市 is the city itself
        elif region.level in ("district", "county"):
            target = known.get(region.parent_code)
    elif region.level in ("district", "county"):
        target = region
    return (target.name, target.code) if target else (token, "")


def _default_region(hint: str) -> tuple[str, str]:
    region = _hint_region(hint)
    if region is not None:
        return region.name, region.code
    return ("", "") if not hint or hint.isdigit() else (hint, "")


def _figures(clause: str, spans: list[_Span]) -> list[re.Match]:
    """Numbers in the clause outside indicator phrases (百万 in 每百万人… is not a figure)."""
    out = []
    for match in _FIGURE.finditer(clause):
        if any(s.start < match.end() and match.start() < s.end for s in spans):
            continue
        if match["num"][0].isdigit() or match["unit"]:
            out.append(match)
    return out


def _silent(clause: str, figure: re.Match) -> bool:
    """A growth rate, a rank, a share or a date: not a level and not worth reporting."""
    rest = clause[figure.end("num") :]
    before = clause[: figure.start()]
    if _NOT_LEVEL_AFTER.match(rest) or _TIME_AFTER.match(rest):
        return True
    return before.endswith("第") or (before.endswith("前") and rest[:1] in ("位", "名"))


def _qualifier(gap: str, match: re.Match) -> str:
    for words, qualifier in ((_LOWER, "lower_bound"), (_UPPER, "upper_bound"), (_APPROX, "approx")):
        if any(gap.endswith(w) or gap.endswith(w + "达") for w in words):
            return qualifier
    tail = gap[-4:]
    for words, qualifier in ((_LOWER, "lower_bound"), (_UPPER, "upper_bound"), (_APPROX, "approx")):
        if any(w in tail for w in words):
            return qualifier
    if match["more1"] or match["more2"]:
        return "lower_bound"
    return _SUFFIX_QUALIFIER.get(match["after"] or "", "")


def _value(match: re.Match, ind: Indicator) -> tuple[Decimal, str] | str:
    """(value in base unit, unit), or the reason the figure cannot be read for ``ind``."""
    num = match["num"]
    value = Decimal(num) if num[0].isdigit() else chinese_numeral(num)
    if value is None:
        return f"{num!r} is not a number"
    mult = match["mult"] or ""
    unit = (match["unit"] or "") + (match["per"] or "")
    if ind.kind == "ratio":
        if mult:
            return f"{match.group(0)!r} has a multiplier: not a per-capita ratio"
        if unit in ("", ind.unit, *ind.accepted_units):
            return tidy(value), ind.unit
        return tidy(value), unit
    if not unit and not mult:
        return f"no unit printed after {match.group(0)!r}"
    return tidy(apply_multiplier(value, mult)), unit or ind.unit


def _false_friend(subject: str, ind: Indicator) -> str:
    folded = subject.casefold()
    for friend in ind.false_friends:
        if _norm(friend).casefold() in folded:
            return friend
    return ""


def _continuation(previous: _Span | None, head: str) -> _Span | None:
    """A follow-on clause whose subject is the previous one's (…质押融资金额12.5亿元，惠及企业近80家):
    the previous phrase without its measure word, joined to this clause's words, names it."""
    if previous is None or not head:
        return None
    stem = _MEASURE_TAIL.sub("", previous.text)
    joined = stem + head
    for span in _spans(joined):
        if span.start < len(stem) < span.end:
            return _Span(0, 0, span.indicator, span.text)
    return None


@dataclass
class _State:
    """What earlier clauses of a sentence said: it carries to the clauses after them."""

    period_source: str = ""
    region: tuple[str, str] | None = None
    # The last phrase emitted (for follow-on subjects) and the last phrase seen (for 增长至…).
    last_span: _Span | None = None
    last_seen: _Span | None = None
    context_year: int | None = None


GROUP = ("", "group")


@lru_cache(maxsize=1)
def _group_labels() -> tuple[str, ...]:
    """Group rows (江苏沿江八市, 苏南, 皖北…) named in prose: never a region (quirk 9)."""
    labels = {_norm(label) for label in region_labels().subtotals}
    generic = {"小计", "国内", "国外", "其他", "其它", "市区", "城区", "外国", "境外", "市辖区"}
    return tuple(sorted((x for x in labels if x not in generic), key=len, reverse=True))


def _clause_region(clause: str, limit: int, hint: str) -> tuple[str, str] | None:
    head = clause[:limit]
    if any(label in head for label in _group_labels()):
        return GROUP
    match = _region_pattern().search(clause, 0, limit)
    return _region(match["name"], hint) if match else None


def extract_prose(
    text: str,
    published: dt.date | None,
    *,
    region_hint: str = "",
    location_prefix: str = "",
    default_period: str = "",
) -> ProseResult:
    """Levels written in sentences, one :class:`RawObservation` per figure, with the sentence as
    evidence. ``region_hint`` (a name such as ``淮南市`` or a GB/T 2260 code) is the page's region:
    it stands for 全市/全省 and for sentences that name no region. ``default_period`` (the page
    title, say 「2024年1-9月江苏省知识产权数据统计」) dates sentences that carry no period words."""
    result = ProseResult()
    number = 0
    previous = _State(period_source=default_period)
    for paragraph in _PARAGRAPH_END.split(text or ""):
        # Across paragraphs only the period words carry (「分市看，…」 under 「2023年末…」); a year
        # stated in another paragraph does not date 「截至4月底」.
        previous = _State(period_source=previous.period_source)
        for sentence in (s.strip() for s in _SENTENCE_END.split(paragraph)):
            if not sentence:
                continue
            number += 1
            # A sentence without period words continues the period and year of the one before it
            # in the paragraph (「2023年1-10月份，…。截至10月底，…」); a 其中 sentence continues all.
            carried = (
                previous
                if sentence.startswith("其中")
                else _State(
                    period_source=previous.period_source, context_year=previous.context_year
                )
            )
            previous = _sentence(
                sentence, number, published, region_hint, location_prefix, result, carried
            )
    return result


def _phrase(
    clause: str, figure: re.Match, spans: list[_Span], start: int, state: _State
) -> tuple[_Span | None, str, str]:
    """The indicator phrase ``figure`` is the value of, the words between them (where bound and
    change words are) and the words before the phrase (where false friends are)."""
    before = [s for s in spans if s.end <= figure.start() and s.start >= start]
    if before:
        span = before[-1]
        return span, clause[span.end : figure.start()], clause[start : span.start]
    gap = clause[start : figure.start()]
    head = _FILLER.sub("", gap)
    span = _continuation(state.last_span, head)
    carried = state.last_span or state.last_seen
    if span is None and carried is not None and not _bare(head):
        # 「杭州…173.1件，宁波78.1件」: a clause naming only a region (or a year) and a figure
        # continues the indicator before it.
        span = carried
    if span is None and carried is not None:
        span = _component(carried, head)
    if span is None and _CHANGE_TO_LEVEL.match(gap) and state.last_seen:
        span = _Span(0, 0, state.last_seen.indicator, state.last_seen.text)
    return span, gap, head


def _component(whole: _Span, head: str) -> _Span | None:
    """「专利授权量4.2万件，其中发明专利4967件」: a part the indicator declares (发明 of 专利授权量)."""
    part = re.sub(r"^其中|专利$|专利权$", "", head.strip())
    for label, target in indicators()[whole.indicator].components:
        if part == label:
            return _Span(0, 0, target, head)
    return None


def _bare(head: str) -> str:
    """What is left of a clause head once region names, 其中/分市看 and period words are gone."""
    rest = _region_pattern().sub("", head)
    for word in (*_TOTAL_WORDS, "其中", "分市看", "分地区看", "分城市看", "另外", "此外"):
        rest = rest.replace(word, "")
    words = find_period(rest)
    if words:
        rest = rest.replace(words, "")
    return re.sub(r"[\s(){}\[\]（）]|年末|年底|末|底", "", rest)


def _subset(subject: str) -> bool:
    """「维持10年以上的有效发明专利」: a modifier with 的 before the phrase names a part, not the whole."""
    rest = _region_pattern().sub("", subject)
    for word in _TOTAL_WORDS:
        rest = rest.replace(word, "")
    return "的" in rest


def _period(
    ind: Indicator, source: str, published: dt.date | None, context_year: int | None
) -> Period | str:
    """The figure's period, or why there is none."""
    if not source:
        return "no period words"
    kind = "flow" if ind.kind == "flow" else "stock"
    period = resolve_period(source, published, default_kind=kind, context_year=context_year)
    if period is None:
        words = find_period(source)
        return (
            f"period {words!r} cannot be resolved (unsupported, or no year and no publication date)"
        )
    return period


def _sentence(
    sentence: str,
    number: int,
    published: dt.date | None,
    hint: str,
    location_prefix: str,
    result: ProseResult,
    state: _State,
) -> _State:
    normalised = _norm(sentence)
    if not re.search(r"\d|[一二两三四五六七八九十百千]", normalised):
        return state
    clauses = [c for c in _CLAUSE_END.split(normalised) if c.strip()]
    state.context_year = year_in(normalised) or state.context_year
    first_period = next((c for c in clauses if find_period(c)), "")
    for clause in clauses:
        if find_period(clause):
            state.period_source = clause
        spans = _spans(clause)
        region = _clause_region(clause, spans[0].start if spans else len(clause), hint)
        levels = [f for f in _figures(clause, spans) if not _silent(clause, f)]
        # A region named only in a share or comparison (「占全市的24.07%、全省的4.80%」) is not
        # what the following clauses are about; a region heading (「合肥市：…」) is.
        if region and (spans or levels or not _bare(clause)):
            state.region = region
        start = 0
        for figure in _figures(clause, spans):
            silent = _silent(clause, figure)
            span, gap, subject = (
                (None, "", "") if silent else _phrase(clause, figure, spans, start, state)
            )
            reading = figure.group(0)
            if not silent:
                start = figure.end()
            if silent or (span is None and not (figure["unit"] or figure["mult"])):
                continue
            if span is None:
                result.skipped.append((sentence, f"no indicator phrase before {reading!r}"))
                continue
            if (
                _CHANGE_WORDS.search(gap) and not _CHANGE_TO_LEVEL.search(gap)
            ) or _RANK_WORDS.search(gap):
                continue
            ind = indicators()[span.indicator]
            value = _value(figure, ind)
            period = _period(
                ind, state.period_source or first_period, published, state.context_year
            )
            if state.region == GROUP:
                result.skipped.append(
                    (sentence, "a group of regions (苏南, 沿江八市…), not a region")
                )
                continue
            region_label, region_code = state.region or _default_region(hint)
            friend = _false_friend(subject, ind)
            problem = (
                (
                    len(gap) > _MAX_GAP
                    and f"{span.text!r} is too far from {reading!r} to be its value"
                )
                or (friend and f"{subject + span.text!r} contains {friend!r}: not {ind.id}")
                or (
                    _subset(subject)
                    and f"{subject + span.text!r} names a part of {ind.id}, not the whole"
                )
                or (isinstance(value, str) and value)
                or (isinstance(period, str) and f"{period} for {span.text}{reading}")
                or (
                    not region_label
                    and f"no region named for {span.text}{reading} and no region hint"
                )
            )
            if problem:
                result.skipped.append((sentence, problem))
                continue
            result.observations.append(
                RawObservation(
                    region_label=region_label,
                    indicator_label=span.text,
                    period_kind=period.kind,
                    period_end=period.end,
                    value=value[0],
                    unit=value[1],
                    qualifier=_qualifier(gap, figure),
                    evidence=sentence,
                    location=f"{location_prefix}sentence {number}",
                    region_code=region_code,
                    indicator=ind.id,
                )
            )
            state.last_span = span
        if spans:
            state.last_seen = spans[-1]
    # What carries to the next sentence is the sentence's own period (the first one it states),
    # not a comparison year at its end (「2023年末…6627万人，2022年末为6577万人」).
    state.period_source = first_period or state.period_source
    return state
