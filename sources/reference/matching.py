"""Printed labels → reference entries: which region a row label names, which indicator a header is.

Every decision is driven by the files beside this module (aliases, totals, subtotals, synonyms,
false friends, header noise); this module only knows *how* to compare. The public names are
re-exported by :mod:`sources.normalise`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import zhconv

from sources.errors import ConfigError
from sources.extract.numbers import strip_footnotes
from sources.reference import (
    NATIONAL_CODE,
    REGION_LEVELS,
    Region,
    all_known_regions,
    header_rules,
    indicators,
    region_labels,
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{_CJK}]")
_LAST_CJK = re.compile(f"[{_CJK}][^{_CJK}]*$")
# English tail of a bilingual cell: "上海  Shanghai", "合计 Total", "上海 | Shanghai", "安徽(Anhui)".
_ENGLISH_TAIL = re.compile(
    r"^(?P<keep>[)\]]*)(?P<sep>[\s|/]*)[(\[]?[A-Za-z][A-Za-z0-9\s.,'’&()\-/]*$"
)
_NOTE_MARK = re.compile(r"注\d+|\[注\d*\]")
# Pinyin glosses some mirrors insert after a character: 發(fā)明.
_PINYIN = re.compile(f"(?<=[{_CJK}])\\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\\)")
_SEPARATORS = re.compile(r"[\-—–_·•:|、'’\"“”]")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_PUNCT = re.compile(r"[()\[\]/,.;:\-—–_·•、+0-9]")
_LEVEL_RANK = {level: rank for rank, level in enumerate(REGION_LEVELS)}


@dataclass(frozen=True)
class RegionMatch:
    code: str
    name: str
    # ok | subtotal | total | out_of_scope | unknown | empty
    status: str
    reason: str = ""


@dataclass(frozen=True)
class IndicatorMatch:
    id: str
    # ok | unknown | false_friend | growth_rate
    status: str
    reason: str = ""


def _strip_english_tail(text: str) -> str:
    last = _LAST_CJK.search(text)
    if last is None:
        return text
    head, tail = text[: last.start() + 1], text[last.start() + 1 :]
    m = _ENGLISH_TAIL.match(tail)
    # A bare all-caps tail glued to the Chinese (申请量PCT) may be meaningful; a separated or
    # lower-case one is the English half of a bilingual cell.
    if m and (m.group("sep") or any(ch.islower() for ch in tail)):
        return head + m.group("keep")
    return text


@lru_cache(maxsize=8192)
def clean_label(text: str | None) -> str:
    """One printed form for a label: NFKC, simplified characters, no footnote markers, no
    English half of a bilingual cell, no whitespace (``"南 京 市"`` → ``南京市``,
    ``"江\\n苏 Jiangsu"`` → ``江苏``). English-only labels keep single spaces."""
    if text is None:
        return ""
    out = unicodedata.normalize("NFKC", str(text))
    out = zhconv.convert(out, "zh-cn")
    out = _PINYIN.sub("", out)
    out = _NOTE_MARK.sub("", out)
    out, _ = strip_footnotes(out)
    if _HAS_CJK.search(out):
        return re.sub(r"\s+", "", _strip_english_tail(out))
    return " ".join(out.split())


def label_key(text: str | None) -> str:
    """Comparison key: the clean label, case-folded, without separators; English-only labels
    also lose spaces and punctuation (``Xinjiang bingtua`` → ``xinjiangbingtua``)."""
    clean = clean_label(text)
    if _HAS_CJK.search(clean):
        return _SEPARATORS.sub("", clean).casefold()
    return re.sub(r"[^0-9a-z]", "", clean.casefold())


# --- regions -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _region_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for region in all_known_regions().values():
        for label in region.labels:
            codes = index.setdefault(label_key(label), [])
            if region.code not in codes:
                codes.append(region.code)
    return {key: tuple(codes) for key, codes in index.items()}


@lru_cache(maxsize=1)
def _row_labels() -> tuple[dict[str, str], frozenset[str], tuple[str, ...], tuple[str, ...]]:
    labels = region_labels()
    totals = {label_key(label): scope for label, scope in labels.totals.items()}
    subtotals = frozenset(label_key(label) for label in labels.subtotals)
    return (
        totals,
        subtotals,
        tuple(label_key(s) for s in labels.subtotal_suffixes),
        tuple(label_key(s) for s in labels.functional_zone_suffixes),
    )


@lru_cache(maxsize=1)
def _prefixes() -> tuple[tuple[str, str], ...]:
    """Chinese names of provinces and cities, longest first, for labels like 杭州市滨江区."""
    found = {
        (label_key(label), region.code)
        for region in all_known_regions().values()
        if region.level in ("province", "city")
        for label in region.labels
        if _HAS_CJK.search(label) and len(label_key(label)) >= 2
    }
    return tuple(sorted(found, key=lambda item: (-len(item[0]), item[1])))


def _depth_below(region: Region, ancestor: str) -> int | None:
    known = all_known_regions()
    depth, current = 1, region
    while current.parent_code:
        if current.parent_code == ancestor:
            return depth
        current = known[current.parent_code]
        depth += 1
    return None


def _region_match(region: Region, reason: str) -> RegionMatch:
    if region.in_scope:
        return RegionMatch(region.code, region.name, "ok", reason)
    return RegionMatch(region.code, region.name, "out_of_scope", f"{reason}; outside the YRD")


def _pick(text: str, codes: tuple[str, ...], parent: str | None, level: str | None) -> RegionMatch:
    known = all_known_regions()
    found = [known[code] for code in codes]
    if level and any(r.level == level for r in found):
        found = [r for r in found if r.level == level]
    if parent in known and len(found) > 1:
        depths = {r.code: _depth_below(r, parent) for r in found}
        below = [r for r in found if depths[r.code] is not None]
        if below:
            nearest = min(depths[r.code] for r in below)
            found = [r for r in below if depths[r.code] == nearest]
    if len(found) > 1:
        # 上海 is both the province and the city: the higher level wins unless told otherwise.
        top = min(_LEVEL_RANK[r.level] for r in found)
        found = [r for r in found if _LEVEL_RANK[r.level] == top]
    if len(found) > 1:
        options = ", ".join(f"{r.code} {known[r.parent_code].name}{r.name}" for r in found)
        return RegionMatch(
            "", "", "unknown", f"{text!r} is ambiguous ({options}); pass parent_code"
        )
    return _region_match(found[0], f"{text!r} names {found[0].code}")


def _municipality(region: Region) -> bool:
    """A province-level city (上海市): its 全市 row is the province itself, as in prose."""
    return region.level == "province" and region.name.endswith("市")


def _total(text: str, scope: str, parent: str | None) -> RegionMatch:
    known = all_known_regions()
    if scope == "national":
        return RegionMatch(
            NATIONAL_CODE, known[NATIONAL_CODE].name, "total", f"{text!r} is the national total"
        )
    region = known.get(parent or "")
    code = ""
    if region is not None:
        if scope == "parent":
            code = region.code
        elif scope == "province" and region.level != "national":
            code = region.province_code
        elif scope == "city" and (region.level == "city" or _municipality(region)):
            code = region.code
    if not code:
        hint = f"parent {parent} does not fit it" if parent else "pass parent_code to say whose"
        return RegionMatch("", "", "total", f"{text!r} is a total row; {hint}")
    return RegionMatch(
        code, known[code].name, "total", f"{text!r} is the total of {known[code].name}"
    )


def _resolve_key(text: str, key: str, parent: str | None, level: str | None) -> RegionMatch:
    totals, subtotals, partial_suffixes, zone_suffixes = _row_labels()
    if key in totals:
        return _total(text, totals[key], parent)
    if key in subtotals:
        return RegionMatch("", "", "subtotal", f"{text!r} is a group or partial row, not a region")
    codes = _region_index().get(key)
    if codes:
        return _pick(text, codes, parent, level)
    bracket = re.fullmatch(r"(.+?)\((.+)\)", key)
    if bracket:
        outer, inner = bracket.groups()
        if inner in subtotals:
            return RegionMatch("", "", "subtotal", f"{text!r} is {inner} of {outer}, not the whole")
        hint = _resolve_key(inner, inner, None, None)
        context = hint.code if hint.status in ("ok", "out_of_scope") else parent
        outer_match = _resolve_key(text, outer, context, level)
        if outer_match.status != "unknown":
            return outer_match
    for prefix, code in _prefixes():
        rest = key[len(prefix) :]
        if not key.startswith(prefix) or not rest:
            continue
        if rest in partial_suffixes:
            return RegionMatch("", "", "subtotal", f"{text!r} is part of {code}, not the whole")
        inner_codes = _region_index().get(rest, ())
        if any(_depth_below(all_known_regions()[c], code) for c in inner_codes):
            return _resolve_key(text, rest, code, level)
    if any(key.endswith(suffix) for suffix in zone_suffixes):
        return RegionMatch(
            "", "", "subtotal", f"{text!r} is a functional zone, not a GB/T 2260 region"
        )
    return RegionMatch("", "", "unknown", f"no region named {text!r}")


def resolve_region(
    label: str | None, *, parent_code: str | None = None, level: str | None = None
) -> RegionMatch:
    """What a row label names. ``parent_code`` is the region the table is about: it turns
    全省/全市/合计 into that region (status ``total``) and settles names that several regions
    share (鼓楼区 in Nanjing and Xuzhou). ``level`` prefers one level when a name is both
    (``上海`` is the province unless ``level="city"``)."""
    text = clean_label(label)
    if not text:
        return RegionMatch("", "", "empty", "empty label")
    return _resolve_key(text, label_key(text), parent_code, level)


# --- indicators --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for ind in indicators().values():
        for synonym in ind.synonyms:
            key = label_key(synonym)
            if index.setdefault(key, ind.id) != ind.id:
                raise ConfigError(f"synonym {synonym!r} maps to {index[key]} and {ind.id}")
    return index


@lru_cache(maxsize=1)
def _noise() -> tuple[str, ...]:
    return tuple(sorted({label_key(n) for n in header_rules().header_noise}, key=len, reverse=True))


def _strip_noise(rest: str) -> str:
    rest = _PUNCT.sub("", _BRACKETED.sub("", rest))
    for word in _noise():
        rest = rest.replace(word, "")
    return rest


def _false_friend(key: str, indicator_id: str) -> str:
    for friend in indicators()[indicator_id].false_friends:
        if label_key(friend) in key:
            return friend
    return ""


def resolve_indicator(label: str | None) -> IndicatorMatch:
    """Which indicator a header or prose label is: an exact synonym, else the longest synonym
    inside it with only units/period words around it; false friends and growth-rate or rank
    headers are refused with the reason."""
    text = clean_label(label)
    if not text:
        return IndicatorMatch("", "unknown", "empty label")
    key = label_key(text)
    rules = header_rules()
    for marker in rules.growth_rate_markers:
        # "%" has an empty key (no letters): compare it as printed.
        if marker in text or (label_key(marker) and label_key(marker) in key):
            return IndicatorMatch(
                "", "growth_rate", f"{text!r} is a change ({marker}), not a level"
            )
    for marker in rules.not_level_markers:
        if marker in text or (label_key(marker) and label_key(marker) in key):
            return IndicatorMatch(
                "", "unknown", f"{text!r} is a rank or share ({marker}), not a level"
            )
    index = _synonym_index()
    if key in index:
        return IndicatorMatch(index[key], "ok", f"{text!r} is a synonym of {index[key]}")
    contained = [s for s in index if len(s) >= 3 and s in key]
    if not contained:
        return IndicatorMatch("", "unknown", f"no indicator synonym in {text!r}")
    synonym = max(contained, key=len)
    found = index[synonym]
    friend = _false_friend(key, found)
    if friend:
        return IndicatorMatch("", "false_friend", f"{text!r} contains {friend!r}: not {found}")
    rest = key.replace(synonym, "", 1)
    parts = dict((label_key(sub), target) for sub, target in indicators()[found].components)
    for candidate in (_strip_noise(re.sub(r"[()\[\]]", "", rest)), _strip_noise(rest)):
        if candidate in parts:
            return IndicatorMatch(parts[candidate], "ok", f"{text!r}: {found} / {candidate}")
    leftover = _strip_noise(rest)
    if leftover:
        return IndicatorMatch(
            "", "unknown", f"{text!r} has {leftover!r} beyond the synonym of {found}"
        )
    return IndicatorMatch(found, "ok", f"{text!r} contains the synonym of {found}")


def find_indicator(text: str | None) -> IndicatorMatch:
    """Which indicator a title or sentence names among other words: the synonyms it contains,
    shorter ones inside longer ones ignored. Two different indicators make it ``ambiguous``;
    false friends are refused as in :func:`resolve_indicator`."""
    key = label_key(clean_label(text))
    if not key:
        return IndicatorMatch("", "unknown", "empty label")
    index = _synonym_index()
    spans = []
    for synonym, ind_id in index.items():
        if len(synonym) < 3:
            continue
        start = key.find(synonym)
        while start >= 0:
            spans.append((start, start + len(synonym), ind_id, synonym))
            start = key.find(synonym, start + 1)
    outer = [
        s
        for s in spans
        if not any(
            o is not s and o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0]
            for o in spans
        )
    ]
    found = dict.fromkeys(ind_id for _, _, ind_id, _ in outer)
    if not found:
        return IndicatorMatch("", "unknown", f"no indicator synonym in {text!r}")
    if len(found) > 1:
        return IndicatorMatch("", "ambiguous", f"{text!r} names {', '.join(found)}")
    ind_id = next(iter(found))
    friend = _false_friend(key, ind_id)
    if friend:
        return IndicatorMatch("", "false_friend", f"{text!r} contains {friend!r}: not {ind_id}")
    return IndicatorMatch(ind_id, "ok", f"{text!r} names {ind_id}")
