"""The brief as data: what each section says, built from the warehouse's marts by pure functions.

Nothing here is written by hand: every number comes from a mart row or a fact, and every sentence
is a template filled with them. A brief that shows any sample-tier figure says so (示例数据).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

AREAS = ("创造", "运用", "保护", "管理", "服务")
AREA_TITLES = {
    "创造": "知识产权创造",
    "运用": "知识产权运用",
    "保护": "知识产权保护",
    "管理": "知识产权管理",
    "服务": "知识产权服务",
}
BAND_WORDS = {
    "≥125": "领先",
    "100–125": "高于平均",
    "70–100": "略低于平均",
    "<70": "明显落后",
}
STATUS_WORDS = {
    "achieved": "已实现",
    "on track": "进度正常",
    "on_track": "进度正常",
    "needs acceleration": "需加快",
    "needs_acceleration": "需加快",
    "off track": "滞后",
    "off_track": "滞后",
    "deteriorating": "下滑",
    "no data": "暂无数据",
    "no_data": "暂无数据",
}
CN_NUMBERS = "一二三四五六七八九十"


@dataclass
class IndicatorLine:
    indicator: str
    name: str
    area: str
    unit: str
    value: float
    benchmark: float | None = None
    gap: float | None = None
    index: float | None = None
    band: str = ""
    rank_anhui: str = ""
    rank_yrd: str = ""
    trend: str = ""
    target: str = ""


@dataclass
class Brief:
    region_name: str
    year: int
    peer_label: str
    headline: list[str] = field(default_factory=list)
    areas: dict[str, list[IndicatorLine]] = field(default_factory=dict)
    targets: list[dict] = field(default_factory=list)
    milestones: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    uses_sample: bool = False
    refreshed: str = ""
    issued: dt.date = field(default_factory=dt.date.today)
    charts: dict[str, bytes] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.region_name}知识产权发展对标分析简报（{self.year}年）"

    @property
    def number(self) -> str:
        return f"淮知简报〔{self.issued.year}〕{self.year % 100:02d}号"

    @property
    def watermark(self) -> str:
        return "示例数据" if self.uses_sample else ""


def fmt(value: float | None, unit: str = "") -> str:
    """A figure as a reader wants it: thousands separated, money in 亿元/万元, ratios with 2 decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "元":
        if abs(value) >= 1e8:
            return f"{value / 1e8:,.2f}亿元"
        return f"{value / 1e4:,.1f}万元"
    if unit == "人" and abs(value) >= 1e4:
        return f"{value / 1e4:,.1f}万人"
    if float(value).is_integer():
        return f"{int(value):,}{unit}"
    return f"{value:,.2f}{unit}"


def heading(level: int, n: int, text: str) -> str:
    """GB/T 9704 numbering: 一、 / （一） / 1."""
    if level == 1:
        return f"{CN_NUMBERS[n - 1]}、{text}"
    if level == 2:
        return f"（{CN_NUMBERS[n - 1]}）{text}"
    return f"{n}. {text}"


def _cagr(points: list[tuple[int, float]], years: int = 3) -> float | None:
    if len(points) < 2:
        return None
    points = sorted(points)[-(years + 1) :]
    (y0, v0), (y1, v1) = points[0], points[-1]
    if v0 <= 0 or v1 <= 0 or y1 == y0:
        return None
    return (v1 / v0) ** (1 / (y1 - y0)) - 1


def _trend_text(points: list[tuple[int, float]]) -> str:
    growth = _cagr(points)
    if growth is None:
        return "—"
    arrow = "↑" if growth > 0.005 else ("↓" if growth < -0.005 else "→")
    first = sorted(points)[-4:][0][0]
    return f"{arrow}{growth * 100:+.1f}%/年（{first}年起）"


def _rank(row: dict | None) -> str:
    if not row or row.get("rank") is None:
        return "—"
    return f"{int(row['rank'])}/{int(row['n_peers'])}"


def _target_text(target: dict | None) -> str:
    if not target:
        return ""
    status = STATUS_WORDS.get(str(target.get("status", "")), str(target.get("status", "")))
    needed = target.get("needed_growth_now")
    if needed is not None and not (isinstance(needed, float) and math.isnan(needed)):
        return f"{status}，尚需年均增长{float(needed) * 100:.1f}%"
    return status


def build(data: dict, *, region_name: str, groups: tuple[str, ...]) -> Brief:
    """The brief for ``data`` as read by :func:`warehouse.briefing.read_all`."""
    main = groups[0]
    brief = Brief(region_name=region_name, year=data["year"], peer_label=main)
    by_group: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in data["gaps"]:
        by_group[row["peer_group"]][row["indicator"]] = row
    series: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row in data["series"]:
        series[row["indicator"]].append((int(str(row["period_end"])[:4]), float(row["value"])))
    targets = {t.get("indicator"): t for t in data["targets"]}
    for ind, row in sorted(by_group.get(main, {}).items()):
        line = IndicatorLine(
            indicator=ind,
            name=row["name_zh"],
            area=row["area"],
            unit=row["unit"],
            value=float(row["value"]),
            benchmark=row["benchmark"],
            gap=row["gap"],
            index=row["idx"],
            band=BAND_WORDS.get(row["band"] or "", row["band"] or ""),
            rank_anhui=_rank(by_group.get("anhui", {}).get(ind)),
            rank_yrd=_rank(by_group.get("yrd", {}).get(ind)),
            trend=_trend_text(series.get(ind, [])),
            target=_target_text(targets.get(ind)),
        )
        brief.areas.setdefault(row["area"], []).append(line)
    brief.areas = {a: brief.areas[a] for a in AREAS if a in brief.areas}
    brief.targets = data["targets"]
    brief.milestones = data["milestones"]
    brief.sources = data["provenance"]
    brief.uses_sample = bool(data["uses_sample"])
    refresh = data.get("refresh") or {}
    brief.refreshed = str(refresh.get("finished_at") or "")[:19]
    brief.headline = headline(brief, data)
    brief.notes = notes(brief)
    return brief


def index_sentence(brief: Brief, row: dict) -> str:
    """Composite index, its level against the benchmark group's mean and the group it falls in."""
    text = f"{brief.year}年{brief.region_name}知识产权综合指数为{float(row.get('index') or 0):.1f}"
    relative, title = row.get("relative_index"), row.get("benchmark_title") or ""
    if relative is not None and title:
        text += f"，相当于{title}平均水平的{float(relative):.0f}%"
    band = row.get("band_zh") or row.get("band")
    return text + (f"，属“{band}”组。" if band else "。")


def headline(brief: Brief, data: dict) -> list[str]:
    lines = [line for lines in brief.areas.values() for line in lines if line.index is not None]
    out = []
    index_rows = [r for r in data["index"] if str(r.get("region_code")) == "340400"]
    if index_rows:
        out.append(index_sentence(brief, index_rows[0]))
    statuses = defaultdict(int)
    for target in brief.targets:
        statuses[STATUS_WORDS.get(str(target.get("status")), str(target.get("status")))] += 1
    if statuses:
        parts = "、".join(f"{k}{v}项" for k, v in statuses.items())
        out.append(f"行动方案{len(brief.targets)}项目标中：{parts}。")
    if lines:
        weakest = sorted(lines, key=lambda x: x.index)[:3]
        strongest = sorted(lines, key=lambda x: x.index, reverse=True)[:3]
        out.append(
            f"与{group_name(brief.peer_label)}平均水平相比，差距最大的三项是"
            + "、".join(f"{x.name}（为平均水平的{x.index:.0f}%）" for x in weakest)
            + "。"
        )
        out.append(
            "表现最好的三项是" + "、".join(f"{x.name}（{x.index:.0f}%）" for x in strongest) + "。"
        )
    return out


GROUP_NAMES = {
    "anhui": "安徽省16市",
    "yrd": "长三角41市",
    "hefei_metro": "合肥都市圈",
    "resource_based": "资源型城市",
    "hu_su_zhe": "沪苏浙",
}


def group_name(group: str) -> str:
    return GROUP_NAMES.get(group, group)


def notes(brief: Brief) -> list[str]:
    out = [
        "对标值为同组城市的算术平均值；指数 = 100 × 本市数值 ÷ 对标值；"
        "分档：≥125 领先，100–125 高于平均，70–100 略低于平均，<70 明显落后。",
        "排名为本市在安徽省16市、长三角41市中的位次（数值越好越靠前）。",
        "数据来源见附表；每一数值均可追溯到发布机构、文件标题、网址和发布日期。",
    ]
    if brief.uses_sample:
        out.insert(
            0,
            "【示例数据】本简报含有示例数据（tier = sample）：在未找到真实公开数据的位置使用了虚构的"
            "示例数值，仅用于演示，不得作为决策依据。",
        )
    missing = [name for ind, name in plan_indicator_names().items() if ind not in present(brief)]
    if missing:
        out.append(f"{brief.year}年暂无数据的方案指标：" + "、".join(missing) + "。")
    if any(s.get("publisher") == "derived" for s in brief.sources):
        out.append(
            "标注“derived”的数值由公开的数量与分母（常住人口、市场主体）计算，分母采用上年末数。"
        )
    if brief.refreshed:
        out.append(f"数据更新时间：{brief.refreshed}（UTC）。")
    return out


def present(brief: Brief) -> set[str]:
    return {x.indicator for xs in brief.areas.values() for x in xs}


def plan_indicator_names() -> dict[str, str]:
    """The action plan's published indicators (targets.yaml), by Chinese name; milestones come
    from the office and have their own table."""
    from sources.reference import indicators
    from warehouse.targets import load_targets

    names = {}
    for target in load_targets():
        if not target.indicator.startswith("milestone_"):
            names[target.indicator] = indicators()[target.indicator].name_zh
    return names
