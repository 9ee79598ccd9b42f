"""Charts of the brief (matplotlib, PNG bytes), in a CJK font or not at all.

A chart whose Chinese labels render as empty boxes is worse than none: :func:`cjk_font` finds an
installed CJK font (the project's setup installs Debian's fonts-noto-cjk) and raises
:class:`BriefError` naming the package when there is none.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from briefs.model import Brief, IndicatorLine, group_name  # noqa: E402
from sources.errors import BriefError  # noqa: E402

PREFERRED_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
)
BAND_COLOURS = {
    "领先": "#1a7f37",
    "高于平均": "#4c9f70",
    "略低于平均": "#d4a72c",
    "明显落后": "#cf222e",
}
DPI = 150


@lru_cache(maxsize=1)
def cjk_font() -> str:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in PREFERRED_FONTS:
        if name in installed:
            return name
    raise BriefError(
        "no CJK font installed: Chinese labels would not render. Install one "
        "(Debian: apt-get install fonts-noto-cjk, done by scripts/setup-system.sh)"
    )


def _figure(width: float, height: float):
    plt.rcParams["font.family"] = [cjk_font()]
    plt.rcParams["axes.unicode_minus"] = False
    return plt.subplots(figsize=(width, height), dpi=DPI)


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def gap_bars(lines: Sequence[IndicatorLine], group: str) -> bytes:
    """Index (peer average = 100) per indicator, coloured by band."""
    lines = sorted((x for x in lines if x.index is not None), key=lambda x: x.index)
    fig, ax = _figure(7.5, 0.38 * len(lines) + 1.2)
    names = [x.name for x in lines]
    values = [x.index for x in lines]
    colours = [BAND_COLOURS.get(x.band, "#888888") for x in lines]
    ax.barh(names, values, color=colours)
    ax.axvline(100, color="#333333", linewidth=1)
    ax.set_xlabel(f"指数（{group_name(group)}平均 = 100）")
    for y, value in enumerate(values):
        ax.text(value + 1, y, f"{value:.0f}", va="center", fontsize=8)
    return _png(fig)


def trend_lines(
    indicator: str, name: str, own: Sequence[tuple[int, float]], peers: Sequence[dict], region: str
) -> bytes:
    """The region's series beside the peer mean and the best peer, year by year."""
    fig, ax = _figure(6.5, 3.2)
    if own:
        years, values = zip(*sorted(own), strict=True)
        ax.plot(years, values, marker="o", label=region, linewidth=2)
    mine = sorted((int(str(r["period_end"])[:4]), r) for r in peers if r["indicator"] == indicator)
    if mine:
        ax.plot(
            [y for y, _ in mine], [r["mean"] for _, r in mine], linestyle="--", label="对标平均"
        )
        ax.plot([y for y, _ in mine], [r["max"] for _, r in mine], linestyle=":", label="对标最好")
    ax.set_title(name)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8)
    return _png(fig)


def rank_heatmap(ranks: dict[str, dict[int, int]], names: dict[str, str], n: int) -> bytes:
    """The region's rank among its peers, indicator × year (1 = best)."""
    indicators = sorted(ranks)
    years = sorted({y for by_year in ranks.values() for y in by_year})
    grid = [[ranks[i].get(y, math.nan) for y in years] for i in indicators]
    fig, ax = _figure(7.0, 0.35 * len(indicators) + 1.4)
    image = ax.imshow(grid, cmap="RdYlGn_r", vmin=1, vmax=max(n, 2), aspect="auto")
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_yticks(range(len(indicators)), [names[i] for i in indicators])
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if not math.isnan(value):
                ax.text(c, r, f"{int(value)}", ha="center", va="center", fontsize=7)
    fig.colorbar(image, ax=ax, label=f"位次（共{n}市）")
    return _png(fig)


def radar(axes: Sequence[str], series: dict[str, Sequence[float]]) -> bytes:
    """Indicators normalised to the best peer (= 1): the region, the peer average, the best city."""
    count = len(axes)
    angles = [2 * math.pi * k / count for k in range(count)] + [0.0]
    fig = plt.figure(figsize=(6, 6), dpi=DPI)
    plt.rcParams["font.family"] = [cjk_font()]
    ax = fig.add_subplot(polar=True)
    for label, values in series.items():
        closed = [*values, values[0]]
        ax.plot(angles, closed, label=label)
        ax.fill(angles, closed, alpha=0.08)
    ax.set_xticks(angles[:-1], axes, fontsize=7)
    ax.set_ylim(0, 1.05)
    ax.legend(loc="lower right", fontsize=8, bbox_to_anchor=(1.15, -0.05))
    return _png(fig)


def all_charts(brief: Brief, data: dict) -> dict[str, bytes]:
    lines = [x for xs in brief.areas.values() for x in xs]
    if not lines:
        return {}
    charts = {"gap": gap_bars(lines, brief.peer_label)}
    peers = data["benchmarks"].get(brief.peer_label, [])
    own: dict[str, list[tuple[int, float]]] = {}
    for row in data["series"]:
        own.setdefault(row["indicator"], []).append((int(str(row["period_end"])[:4]), row["value"]))
    key = [x for x in lines if x.indicator in own][:2]
    for x in key:
        charts[f"trend_{x.indicator}"] = trend_lines(
            x.indicator, x.name, own[x.indicator], peers, brief.region_name
        )
    ranks: dict[str, dict[int, int]] = {}
    n = 0
    for row in peers:
        if row.get("huainan_rank") is not None:
            year = int(str(row["period_end"])[:4])
            ranks.setdefault(row["indicator"], {})[year] = int(row["huainan_rank"])
            n = max(n, int(row["n"]))
    names = {x.indicator: x.name for x in lines}
    ranks = {i: r for i, r in ranks.items() if i in names}
    if ranks:
        charts["ranks"] = rank_heatmap(ranks, names, n)
    latest = {r["indicator"]: r for r in peers if int(str(r["period_end"])[:4]) == brief.year}
    usable = [x for x in lines if x.indicator in latest and latest[x.indicator]["max"]]
    if len(usable) >= 3:
        best = [latest[x.indicator]["max"] for x in usable]
        charts["radar"] = radar(
            [x.name for x in usable],
            {
                brief.region_name: [
                    min(x.value / b, 1.0) for x, b in zip(usable, best, strict=True)
                ],
                f"{group_name(brief.peer_label)}平均": [
                    min(latest[x.indicator]["mean"] / b, 1.0)
                    for x, b in zip(usable, best, strict=True)
                ],
                "最好城市": [1.0] * len(usable),
            },
        )
    return charts
