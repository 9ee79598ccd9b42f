"""Ground truth for the benchmark side: Shanghai, Jiangsu and Zhejiang on the benchmark indicators.

Same rules as the Anhui side (``samplegen.truth``): real figures already in the archive are kept
exactly with their page; every other year-end value 2019-2023 is invented (tier ``sample``),
seeded, and consistent: cities sum to the province, stocks never fall, per-10k ratios are counts
over the previous year-end denominator. Shanghai is one city (310000) and its own province.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SEED = 20240611
YEARS = (2019, 2020, 2021, 2022, 2023)
ALL_YEARS = (2018, *YEARS)
WAN = 10_000

SHANGHAI = "310000"
JIANGSU = "320000"
ZHEJIANG = "330000"
PROVINCES = {SHANGHAI: "上海市", JIANGSU: "江苏省", ZHEJIANG: "浙江省"}
CITIES = {
    SHANGHAI: (("310000", "上海市"),),
    JIANGSU: (
        ("320100", "南京市"), ("320200", "无锡市"), ("320300", "徐州市"), ("320400", "常州市"),
        ("320500", "苏州市"), ("320600", "南通市"), ("320700", "连云港市"), ("320800", "淮安市"),
        ("320900", "盐城市"), ("321000", "扬州市"), ("321100", "镇江市"), ("321200", "泰州市"),
        ("321300", "宿迁市"),
    ),
    ZHEJIANG: (
        ("330100", "杭州市"), ("330200", "宁波市"), ("330300", "温州市"), ("330400", "嘉兴市"),
        ("330500", "湖州市"), ("330600", "绍兴市"), ("330700", "金华市"), ("330800", "衢州市"),
        ("330900", "舟山市"), ("331000", "台州市"), ("331100", "丽水市"),
    ),
}  # fmt: skip
NAMES = PROVINCES | {code: name for cities in CITIES.values() for code, name in cities}

# The indicators every YRD city must have (the plan's plus the benchmark's).
INDICATORS = (
    "patents_granted",
    "invention_grants",
    "valid_invention_patents",
    "invention_patents_per_10k",
    "high_value_patents_per_10k",
    "pct_applications",
    "valid_trademarks",
    "trademarks_per_10k_entities",
    "copyright_registrations",
    "patent_pledge_amount",
    "pledge_financed_entities",
    "ip_certified_firms",
    "national_demo_firms",
    "national_advantage_firms",
    "demo_parks",
    "population",
    "market_entities",
)
STOCKS = frozenset(
    {
        "valid_invention_patents",
        "high_value_invention_patents",
        "valid_trademarks",
        "national_demo_firms",
        "national_advantage_firms",
        "demo_parks",
        "population",
        "market_entities",
    }
)
RATIOS = {
    "invention_patents_per_10k": ("valid_invention_patents", "population"),
    "high_value_patents_per_10k": ("high_value_invention_patents", "population"),
    "trademarks_per_10k_entities": ("valid_trademarks", "market_entities"),
}

# -- real figures already in the archive (figures.csv), on the page that prints them ------------

SIPA_2022 = "http://sipa.sh.gov.cn/shzscqzk/20230531/b428a96f2f494bebbe38dc6908bfd6ae.html"
SIPA_2023 = "https://sipa.sh.gov.cn/2020mtjd/20240222/0a122ba20a4b4d1292e8ccbada7ae0f2.html"
SHZX = "http://www.shzx.com/html/202004/28/195815869.htm"
CNIPA_F4 = "https://www.cnipa.gov.cn/tjxx/jianbao/year2023/f/f4.html"
NJ0306 = "http://tj.jiangsu.gov.cn/2019/nj03/nj0306.htm"
GOLANGJUMP = "http://golangjump.com/?de0ZP=oUCke.html"
DIGIPUB = "http://www.digipub.cc/dy/article/J05CDOSL05564307.html?spss=dy_author"
CDSLXX = "http://cdslxx.cn/cn/Instant/culture/202402/t20240226_7578525.html"
TIBET = "http://tibet.cn/cn/Instant/local/202304/t20230428_7407761.html"
ZJAMR_2023 = "https://zjamr.zj.gov.cn/art/2024/2/27/art_1229693039_2513564.html"
LONGXINWENSHI = "http://longxinwenshi.com/col/col88749/index.html"
OFFICIAL_URLS = (SIPA_2022, SIPA_2023, CNIPA_F4, NJ0306, ZJAMR_2023)

# (region, indicator, year, value in canonical units, url); all year-end.
REAL = (
    (SHANGHAI, "patents_granted", 2019, 100600, SHZX),
    (SHANGHAI, "invention_grants", 2019, 22700, SHZX),
    (SHANGHAI, "pct_applications", 2019, 3200, SHZX),
    (SHANGHAI, "valid_invention_patents", 2019, 129800, SHZX),
    (SHANGHAI, "invention_patents_per_10k", 2019, Decimal("53.54"), SHZX),
    (SHANGHAI, "valid_trademarks", 2019, 1472600, SHZX),
    (SHANGHAI, "copyright_registrations", 2019, 291800, SHZX),
    (SHANGHAI, "patents_granted", 2022, 178300, SIPA_2022),
    (SHANGHAI, "invention_grants", 2022, 36800, SIPA_2022),
    (SHANGHAI, "pct_applications", 2022, 5591, CNIPA_F4),
    (SHANGHAI, "valid_invention_patents", 2022, 202000, SIPA_2022),
    (SHANGHAI, "high_value_patents_per_10k", 2022, Decimal("40.9"), SIPA_2022),
    (SHANGHAI, "valid_trademarks", 2022, 2427500, SIPA_2022),
    (SHANGHAI, "copyright_registrations", 2022, 380000, SIPA_2022),
    (SHANGHAI, "valid_invention_patents", 2023, 241400, SIPA_2023),
    (SHANGHAI, "high_value_patents_per_10k", 2023, Decimal("50.2"), SIPA_2023),
    (SHANGHAI, "pct_applications", 2023, 6185, CNIPA_F4),
    (SHANGHAI, "valid_trademarks", 2023, 2613500, SIPA_2023),
    (SHANGHAI, "copyright_registrations", 2023, 410000, SIPA_2023),
    (JIANGSU, "pct_applications", 2022, 6986, CNIPA_F4),
    (JIANGSU, "pct_applications", 2023, 6547, CNIPA_F4),
    (JIANGSU, "invention_patents_per_10k", 2023, Decimal("60.0"), GOLANGJUMP),
    (JIANGSU, "national_demo_firms", 2023, 71, GOLANGJUMP),
    (JIANGSU, "ip_certified_firms", 2023, 4391, GOLANGJUMP),
    (ZHEJIANG, "pct_applications", 2022, 4316, CNIPA_F4),
    (ZHEJIANG, "pct_applications", 2023, 4364, CNIPA_F4),
    (ZHEJIANG, "valid_trademarks", 2023, 4471000, DIGIPUB),
    (ZHEJIANG, "copyright_registrations", 2023, 46600, DIGIPUB),
    (ZHEJIANG, "zj_trademarks_per_100_firms", 2023, 124, DIGIPUB),
    (ZHEJIANG, "population", 2022, 65770000, CDSLXX),
    (ZHEJIANG, "population", 2023, 66270000, CDSLXX),
    ("330100", "population", 2023, 12522000, CDSLXX),
    ("330200", "population", 2023, 9697000, CDSLXX),
    ("330300", "population", 2023, 9761000, CDSLXX),
    ("330100", "invention_grants", 2023, 31981, ZJAMR_2023),
    ("330200", "national_demo_firms", 2022, 12, TIBET),
    ("330200", "national_advantage_firms", 2022, 93, TIBET),
)
# Real keys whose figure also comes out of another archived page with a different value (an
# extraction issue of that page): they stay real, pinned in the series, but out of the truth
# table, whose every row must come out of the archive exactly once.
CONFLICTING = {
    (ZHEJIANG, "invention_grants", 2023): 65000,  # digipub; hhtz's 滨江 7699 read as 全省
    (JIANGSU, "population", 2023): 85260000,  # longxinwenshi; tj.jiangsu's 沿江八市 read as 全省
}
# The Jiangsu yearbook's 2018 year-end populations (nj0306): the basis of the 2019 ratios.
JIANGSU_2018 = {
    "320100": 8436200, "320200": 6574500, "320300": 8802000, "320400": 4728600,
    "320500": 10721700, "320600": 7310000, "320700": 4520000, "320800": 4925000,
    "320900": 7200000, "321000": 4531000, "321100": 3196400, "321200": 4635700,
    "321300": 4925900,
}  # fmt: skip

# -- invented series ---------------------------------------------------------------------------

# City weights for IP activity, trademarks and market entities.
TECH = {
    "310000": 1.0,
    "320100": 20, "320200": 14, "320300": 6, "320400": 10, "320500": 30, "320600": 9,
    "320700": 3, "320800": 3, "320900": 4, "321000": 5, "321100": 4.5, "321200": 4.5,
    "321300": 2.5,
    "330100": 35, "330200": 20, "330300": 10, "330400": 8, "330500": 5, "330600": 8,
    "330700": 8, "330800": 2, "330900": 1.2, "331000": 7, "331100": 2,
}  # fmt: skip
BRANDS = {
    "310000": 1.0,
    "320100": 14, "320200": 10, "320300": 8, "320400": 8, "320500": 22, "320600": 9,
    "320700": 4, "320800": 4.5, "320900": 6, "321000": 5, "321100": 3.5, "321200": 5,
    "321300": 5,
    "330100": 28, "330200": 15, "330300": 14, "330400": 7, "330500": 5, "330600": 8,
    "330700": 14, "330800": 2.5, "330900": 1.5, "331000": 9, "331100": 3,
}  # fmt: skip
# Population 2019-2023 (万人, revised basis) for regions without the Jiangsu 2018 table; the
# 2018 figure is held fixed where it is only an internal denominator.
POPULATION = {
    "310000": (2424.36, 2481.43, 2488.36, 2489.43, 2475.89, 2487.45),
    "320000": (8050.70, 8469.00, 8477.26, 8505.40, 8515.00, 8526.00),
    "330000": (6457.00, 6468.00, 6468.00, 6540.00, 6577.00, 6627.00),
    "330100": (1036.00, 1062.00, 1196.50, 1220.40, 1237.60, 1252.20),
    "330200": (820.20, 854.20, 940.43, 954.40, 961.80, 969.70),
    "330300": (925.00, 930.00, 957.29, 964.50, 967.90, 976.10),
}
ZJ_POP_WEIGHTS = {
    "330400": 5.4, "330500": 3.4, "330600": 5.3, "330700": 7.1, "330800": 2.3, "330900": 1.2,
    "331000": 6.6, "331100": 2.5,
}  # fmt: skip
# Province totals, 2018-2023 for stocks, 2019-2023 for flows; real figures are pinned on top.
TOTALS = {
    SHANGHAI: {
        "patents_granted": (100600, 139800, 179300, 178300, 155400),
        "invention_grants": (22700, 24200, 32900, 36800, 44300),
        "pct_applications": (3200, 3558, 4830, 5591, 6185),
        "copyright_registrations": (291800, 318400, 352600, 380000, 410000),
        "patent_pledge_amount": (5620, 7830, 10650, 12880, 15240),
        "pledge_financed_entities": (210, 286, 372, 455, 538),
        "ip_certified_firms": (420, 468, 512, 561, 603),
        "valid_invention_patents": (110000, 129800, 145400, 171800, 202000, 241400),
        "valid_trademarks": (1210000, 1472600, 1780000, 2150000, 2427500, 2613500),
        "national_demo_firms": (58, 66, 78, 92, 107, 121),
        "national_advantage_firms": (210, 262, 318, 372, 431, 486),
        "demo_parks": (8, 9, 10, 11, 12, 13),
        "market_entities": (24500, 26400, 28300, 31000, 32800, 34500),
    },
    JIANGSU: {
        "patents_granted": (314400, 499200, 639600, 558800, 437500),
        "invention_grants": (39700, 45900, 68800, 89200, 91100),
        "pct_applications": (6635, 9619, 7158, 6986, 6547),
        "copyright_registrations": (287000, 316500, 348200, 392800, 431600),
        "patent_pledge_amount": (30120, 45380, 61760, 88540, 112330),
        "pledge_financed_entities": (1540, 2010, 2680, 3420, 4180),
        "ip_certified_firms": (3120, 3460, 3790, 4105, 4391),
        "valid_invention_patents": (168000, 193100, 239000, 297600, 384200, 0),
        "valid_trademarks": (1420000, 1700000, 2050000, 2460000, 2760000, 3000000),
        "national_demo_firms": (30, 38, 46, 55, 63, 71),
        "national_advantage_firms": (150, 200, 262, 330, 401, 470),
        "demo_parks": (20, 24, 28, 32, 36, 40),
        "market_entities": (93600, 106900, 118400, 131200, 138700, 144300),
    },
    ZHEJIANG: {
        "patents_granted": (285300, 391700, 465500, 444400, 421000),
        "invention_grants": (33400, 49900, 56800, 61300, 65000),
        "pct_applications": (2817, 3680, 4155, 4316, 4364),
        "copyright_registrations": (31200, 35800, 39400, 42900, 46600),
        "patent_pledge_amount": (20450, 32160, 43380, 55720, 68910),
        "pledge_financed_entities": (1210, 1590, 2020, 2510, 3040),
        "ip_certified_firms": (1880, 2050, 2230, 2410, 2590),
        "valid_invention_patents": (137800, 164700, 206000, 262700, 321600, 378000),
        "valid_trademarks": (2320000, 2720000, 3180000, 3650000, 4030000, 4471000),
        "national_demo_firms": (40, 52, 65, 79, 93, 108),
        "national_advantage_firms": (300, 395, 489, 588, 690, 795),
        "demo_parks": (14, 17, 20, 23, 26, 29),
        "market_entities": (65400, 75100, 82700, 89900, 93900, 103300),
    },
}
# National demo/advantage firms: Ningbo's real 2022 counts (12, 93) set its share.
FIRMS = TECH | {"330200": 13}
HIGH_VALUE_SHARE = (0.36, 0.38, 0.40, 0.42, 0.44, 0.317)  # Zhejiang 2023: 12万 of 37.8万
MONEY_UNIT = 1_000_000  # pledge totals above are in millions of yuan
ENTITY_UNIT = 100  # market entities above are in hundreds


@dataclass(frozen=True)
class Cell:
    """One benchmark-side year-end value and where it comes from."""

    region_code: str
    indicator: str
    year: int
    value: Decimal
    url: str  # "" for invented values: the layout decides the page


def _ratio(count: int, denominator: int) -> Decimal:
    return (Decimal(count) * WAN / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Largest-remainder split: the parts sum to ``total`` exactly."""
    if total < 0:
        raise ValueError(f"cannot split a negative total {total}")
    scale = sum(weights.values())
    raw = {k: total * w / scale for k, w in weights.items()}
    parts = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: (parts[k] - raw[k], k))[: total - sum(parts.values())]:
        parts[k] += 1
    return parts


def _real() -> dict[tuple[str, str, int], int | Decimal]:
    pinned: dict[tuple[str, str, int], int | Decimal] = {
        (code, ind, year): value for code, ind, year, value, _ in REAL
    }
    return pinned | CONFLICTING


def _noisy(weights: dict[str, float], rng: random.Random) -> dict[str, float]:
    return {c: w * rng.uniform(0.93, 1.07) for c, w in weights.items()}


def _population(grid: dict[tuple[str, str, int], int]) -> None:
    for i, year in enumerate(ALL_YEARS):
        grid[(SHANGHAI, "population", year)] = round(POPULATION[SHANGHAI][i] * WAN)
        total = round(POPULATION[JIANGSU][i] * WAN)
        grid[(JIANGSU, "population", year)] = total
        if year == 2018:
            for code, value in JIANGSU_2018.items():
                grid[(code, "population", year)] = value
        else:
            # Cities keep their 2018 shares plus a drift towards the south (苏南 grows).
            drift = {
                c: v * (1.0 + 0.004 * (year - 2018) * TECH[c] / 10) for c, v in JIANGSU_2018.items()
            }
            for code, part in _allocate(total // 100, drift).items():
                grid[(code, "population", year)] = part * 100
        total = round(POPULATION[ZHEJIANG][i] * WAN)
        grid[(ZHEJIANG, "population", year)] = total
        fixed = {c: round(POPULATION[c][i] * WAN) for c in ("330100", "330200", "330300")}
        rest = _allocate((total - sum(fixed.values())) // 100, ZJ_POP_WEIGHTS)
        for code, value in fixed.items():
            grid[(code, "population", year)] = value
        for code, part in rest.items():
            grid[(code, "population", year)] = part * 100


def _weights(indicator: str) -> dict[str, float]:
    if indicator in ("valid_trademarks", "market_entities", "copyright_registrations"):
        return BRANDS
    return FIRMS if indicator.startswith("national_") else TECH


def _series(
    province: str, indicator: str, totals: tuple[int, ...], rng: random.Random
) -> dict[tuple[str, int], int]:
    """City values of one indicator: flows split each year, stocks grown by split increments;
    pinned city values are honoured and the other cities share the rest."""
    cities = [c for c, _ in CITIES[province]]
    weights = {c: _weights(indicator)[c] for c in cities}
    unit = {"patent_pledge_amount": MONEY_UNIT, "market_entities": ENTITY_UNIT}.get(indicator, 1)
    pinned = _real()
    out: dict[tuple[str, int], int] = {}
    if indicator not in STOCKS:
        for i, year in enumerate(YEARS):
            fixed = {
                c: int(pinned[(c, indicator, year)])
                for c in cities
                if (c, indicator, year) in pinned and c != province
            }
            free = {c: w for c, w in _noisy(weights, rng).items() if c not in fixed}
            share = _allocate(totals[i] - sum(fixed.values()), free) if free else {}
            for code in cities:
                out[(code, year)] = fixed.get(code, share.get(code, 0)) * unit
        return out
    levels = _allocate(totals[0], weights)
    for code in cities:
        out[(code, 2018)] = levels[code] * unit
    for i, year in enumerate(YEARS, start=1):
        fixed = {
            c: int(pinned[(c, indicator, year)]) - levels[c]
            for c in cities
            if (c, indicator, year) in pinned and c != province
        }
        free = {c: w for c, w in _noisy(weights, rng).items() if c not in fixed}
        step = totals[i] - totals[i - 1] - sum(fixed.values())
        share = _allocate(step, free) if free else {}
        for code in cities:
            levels[code] += fixed.get(code, share.get(code, 0))
            out[(code, year)] = levels[code] * unit
    return out


def invent_grid() -> dict[tuple[str, str, int], int]:
    """Every (region, indicator, year) 2018-2023 in canonical units, ratios excluded."""
    rng = random.Random(SEED)
    grid: dict[tuple[str, str, int], int] = {}
    _population(grid)
    for province in PROVINCES:
        totals = dict(TOTALS[province])
        if province == JIANGSU:
            # Pinned by the real 2023 per-10k (60.0) over the 2022 year-end population.
            count = int(Decimal(60) * grid[(JIANGSU, "population", 2022)] / WAN)
            totals["valid_invention_patents"] = (*totals["valid_invention_patents"][:5], count)
        for indicator, series in totals.items():
            for (code, year), value in _series(province, indicator, series, rng).items():
                grid[(code, indicator, year)] = value
    for cities in CITIES.values():
        for i, year in enumerate(ALL_YEARS):
            for code, _ in cities:
                valid = grid[(code, "valid_invention_patents", year)]
                grid[(code, "high_value_invention_patents", year)] = int(
                    valid * HIGH_VALUE_SHARE[i]
                )
    for year, ratio in ((2019, "53.54"),):
        # Shanghai's 2018 year-end population is the one that gives its published 2019 ratio.
        grid[(SHANGHAI, "population", year - 1)] = int(
            grid[(SHANGHAI, "valid_invention_patents", year)] * WAN / Decimal(ratio)
        )
    for year in (2022, 2023):
        target = Decimal(str(_real()[(SHANGHAI, "high_value_patents_per_10k", year)]))
        base = grid[(SHANGHAI, "population", year - 1)]
        grid[(SHANGHAI, "high_value_invention_patents", year)] = int(
            (target * base / WAN).to_integral_value(ROUND_HALF_UP)
        )
    for province in (JIANGSU, ZHEJIANG):
        for indicator in {i for (_, i, _) in grid}:
            if indicator == "population":
                continue
            for year in ALL_YEARS:
                if (CITIES[province][0][0], indicator, year) in grid:
                    grid[(province, indicator, year)] = sum(
                        grid[(c, indicator, year)] for c, _ in CITIES[province]
                    )
    return grid


def cells() -> list[Cell]:
    """Every benchmark-side year-end cell 2019-2023, real (with its url) or invented."""
    grid = invent_grid()
    real_urls = {(code, ind, year): url for code, ind, year, _, url in REAL}
    out = []
    for code in NAMES:
        for indicator in INDICATORS:
            for year in YEARS:
                if (code, indicator, year) in CONFLICTING:
                    continue
                if indicator in RATIOS:
                    numerator, denominator = RATIOS[indicator]
                    value = _ratio(
                        grid[(code, numerator, year)], grid[(code, denominator, year - 1)]
                    )
                else:
                    value = Decimal(grid[(code, indicator, year)])
                url = real_urls.get((code, indicator, year), "")
                if url:
                    published = Decimal(str(_real()[(code, indicator, year)]))
                    if indicator in RATIOS and abs(published - value) > Decimal("0.01"):
                        raise ValueError(
                            f"invented series misses the real ratio at {code} {indicator} {year}"
                        )
                    value = published
                out.append(Cell(code, indicator, year, value, url))
    return out


def internal_denominators() -> dict[tuple[str, str], int]:
    """Unpublished 2018 year-end denominators behind the 2019 ratios (Jiangsu's are printed)."""
    grid = invent_grid()
    return {(c, i): grid[(c, i, 2018)] for c in NAMES for i in ("population", "market_entities")}


def period_kind(indicator: str) -> str:
    ratio = indicator in RATIOS or indicator in ZJ_RATIOS
    return "stock" if indicator in STOCKS or ratio else "year"


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


# -- Zhejiang's own trademark density ---------------------------------------------------------

# 每百户企业有效注册商标量: valid trademarks per 100 enterprises at the same year end. Only
# Zhejiang publishes it (never required of other regions), only as a ratio (its enterprise counts
# are not printed beside it), and it is not the per-10k-market-entity ratio.
ZJ_RATIOS = {"zj_trademarks_per_100_firms": ("valid_trademarks", "enterprises", 100)}
# Enterprises as a share of market entities, by year; 2023 (pinned by the real 124) dips as
# individual businesses surged that year.
ENTERPRISE_SHARE = {2019: 0.352, 2020: 0.354, 2021: 0.355, 2022: 0.356, 2023: 0.349}


def zhejiang_enterprises(grid: dict[tuple[str, str, int], int]) -> dict[tuple[str, int], int]:
    """Enterprises of Zhejiang and its cities (internal: only the ratio is printed); the province
    total for 2023 is the one that gives the real 124 per 100 enterprises."""
    rng = random.Random(SEED + 33)
    cities = [c for c, _ in CITIES[ZHEJIANG]]
    bias = {c: rng.uniform(0.85, 1.15) for c in cities}
    real = _real()
    out: dict[tuple[str, int], int] = {}
    for year in YEARS:
        trademarks = grid[(ZHEJIANG, "valid_trademarks", year)]
        pinned = real.get((ZHEJIANG, "zj_trademarks_per_100_firms", year))
        total = (
            round(trademarks * 100 / Decimal(pinned))
            if pinned
            else round(grid[(ZHEJIANG, "market_entities", year)] * ENTERPRISE_SHARE[year])
        )
        weights = {c: grid[(c, "market_entities", year)] * bias[c] for c in cities}
        for code, part in _allocate(total, weights).items():
            out[(code, year)] = part
        out[(ZHEJIANG, year)] = total
    return out


def zhejiang_cells() -> list[Cell]:
    """每百户企业有效注册商标量 for Zhejiang and its 11 cities 2019-2023, real where known."""
    grid = invent_grid()
    firms = zhejiang_enterprises(grid)
    real = _real()
    real_urls = {(code, ind, year): url for code, ind, year, _, url in REAL}
    out = []
    for indicator, (numerator, _, per) in ZJ_RATIOS.items():
        for code in (ZHEJIANG, *(c for c, _ in CITIES[ZHEJIANG])):
            for year in YEARS:
                value = (
                    Decimal(grid[(code, numerator, year)]) * per / firms[(code, year)]
                ).quantize(Decimal("0.01"), ROUND_HALF_UP)
                url = real_urls.get((code, indicator, year), "")
                if url:
                    published = Decimal(str(real[(code, indicator, year)]))
                    if published != value:
                        raise ValueError(f"invented enterprises miss the real {code} {indicator}")
                out.append(Cell(code, indicator, year, value, url))
    return out
