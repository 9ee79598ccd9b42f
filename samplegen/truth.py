"""Ground truth for the Anhui-side sample archive: every figure the generated documents print.

Real figures (``figures.csv``) are kept exactly, with their source page; every other value is
invented, seeded and internally consistent (province = sum of cities for additive counts, per-10k
ratios = count / previous-year-end denominator x 10000, stocks never fall). Each row also names
the one document that prints it, so ``samplegen.build`` renders documents from this table and the
extraction of the archive can be compared against it.

Run ``python -m samplegen.truth`` to rewrite ``samplegen/truth.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SEED = 20240419
YEARS = (2019, 2020, 2021, 2022, 2023)
TRUTH_PATH = Path(__file__).with_name("truth.csv")
COLUMNS = (
    "region_code",
    "region_name",
    "indicator",
    "period_kind",
    "period_end",
    "value",
    "unit",
    "tier",
    "url",
)

PROVINCE = ("340000", "安徽省")
CITIES = (
    ("340100", "合肥市"),
    ("340200", "芜湖市"),
    ("340300", "蚌埠市"),
    ("340400", "淮南市"),
    ("340500", "马鞍山市"),
    ("340600", "淮北市"),
    ("340700", "铜陵市"),
    ("340800", "安庆市"),
    ("341000", "黄山市"),
    ("341100", "滁州市"),
    ("341200", "阜阳市"),
    ("341300", "宿州市"),
    ("341500", "六安市"),
    ("341600", "亳州市"),
    ("341700", "池州市"),
    ("341800", "宣城市"),
)
NAMES = dict((PROVINCE, *CITIES))
HEFEI, HUAINAN = "340100", "340400"

UNITS = {
    "patents_granted": "件",
    "invention_grants": "件",
    "valid_invention_patents": "件",
    "high_value_invention_patents": "件",
    "high_value_patents_per_10k": "件/万人",
    "invention_patents_per_10k": "件/万人",
    "valid_trademarks": "件",
    "trademarks_per_10k_entities": "件/万户",
    "copyright_registrations": "件",
    "patent_pledge_amount": "元",
    "pledge_financed_entities": "家",
    "pct_applications": "件",
    "madrid_applications": "件",
    "gi_products": "个",
    "ip_certified_firms": "家",
    "national_demo_firms": "家",
    "national_advantage_firms": "家",
    "provincial_demo_firms": "家",
    "demo_parks": "个",
    "population": "人",
    "market_entities": "户",
}
INDICATORS = tuple(UNITS)
STOCKS = frozenset(
    {
        "valid_invention_patents",
        "high_value_invention_patents",
        "valid_trademarks",
        "gi_products",
        "national_demo_firms",
        "national_advantage_firms",
        "provincial_demo_firms",
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
ADDITIVE = tuple(i for i in INDICATORS if i not in RATIOS)
# Ratios only one benchmark province publishes (never required of the Anhui cities): their units.
PROVINCIAL_RATIOS = {"zj_trademarks_per_100_firms": "件/百户"}

# -- where each figure is printed ---------------------------------------------------------------

AMR = "https://amr.ah.gov.cn"
AMR_LISTING = f"{AMR}/xwdt/gsgg/index.html"
AMR_GROUPS = {
    "patents": (
        "patents_granted",
        "invention_grants",
        "valid_invention_patents",
        "high_value_invention_patents",
        "invention_patents_per_10k",
        "high_value_patents_per_10k",
        "pct_applications",
    ),
    "brands": (
        "valid_trademarks",
        "trademarks_per_10k_entities",
        "madrid_applications",
        "copyright_registrations",
        "gi_products",
    ),
    "finance": (
        "patent_pledge_amount",
        "pledge_financed_entities",
        "ip_certified_firms",
        "national_demo_firms",
        "national_advantage_firms",
        "provincial_demo_firms",
        "demo_parks",
    ),
}
# (data year, group) -> (docId, published, attachment path or "")
AMR_NOTICES = {
    (2019, "patents"): (
        146381022,
        "2020-03-16",
        "/group1/M00/0B/2E/wKgBZl5vQ2aAT3xRAAAuAFb1k6E381.xls",
    ),
    (2019, "brands"): (
        146381057,
        "2020-03-16",
        "/group1/M00/0B/2E/wKgBZl5vQ4-AGm0qAAAiADx7c2U529.xls",
    ),
    (2019, "finance"): (
        146382113,
        "2020-03-20",
        "/group1/M00/0B/31/wKgBZl50bHqAS8fVAAAmAIk0o1M114.xls",
    ),
    (2020, "patents"): (147046291, "2021-03-12", "/public/6991/147046299.xls"),
    (2020, "brands"): (147046318, "2021-03-12", "/public/6991/147046325.xls"),
    (2020, "finance"): (147052260, "2021-03-19", "/public/6991/147052268.xls"),
    (2021, "patents"): (147912437, "2022-03-15", ""),
    (2021, "brands"): (147912455, "2022-03-15", ""),
    (2021, "finance"): (147920114, "2022-03-22", ""),
    (2022, "patents"): (148633092, "2023-03-14", "/public/6991/148633101.xlsx"),
    (2022, "brands"): (148633117, "2023-03-14", "/public/6991/148633126.xlsx"),
    (2022, "finance"): (148641580, "2023-03-21", "/public/6991/148641589.xlsx"),
    (2023, "patents"): (149310226, "2024-03-13", ""),
    (2023, "brands"): (149310245, "2024-03-13", ""),
    (2023, "finance"): (
        149318872,
        "2024-03-20",
        "/group1/M00/13/A7/wKgBZmX6c1uAQ9bLAAGh2c0f0Q4583.pdf",
    ),
}
STATUS_REPORT = (149402518, "2024-04-19")
GBK_NOTICE = (2021, "brands")

HN_AMR = "https://scjgj.huainan.gov.cn"
HN_AMR_COLUMN = 4697291
# press release id -> (published, data year or "plan"/"ytd", title)
HN_RELEASES = {
    1260498172: ("2024-01-25", "2023", "2023年我市知识产权工作取得新成效"),
    1260305518: ("2023-10-26", "ytd", "前三季度全市知识产权主要指标稳步增长"),
    1259530864: ("2022-01-20", "2021", "【优化营商环境】2021年全市知识产权创造运用水平持续提升"),
    1258915259: (
        "2021-09-15",
        "plan",
        "【优化营商环境】全面建设知识产权强市推动淮南高质量发展行动方案",
    ),
    1258402137: ("2020-01-16", "2019", "2019年全市知识产权工作综述"),
}
HN_RELEASE_FIGURES = {
    "2019": ("valid_invention_patents", "high_value_patents_per_10k"),
    "2021": ("valid_invention_patents", "high_value_patents_per_10k"),
    "2023": (
        "valid_invention_patents",
        "high_value_patents_per_10k",
        "patent_pledge_amount",
        "pledge_financed_entities",
    ),
}
HN_YTD = ("patents_granted", "ytd", dt.date(2023, 9, 30))

HN_TJJ = "https://tjj.huainan.gov.cn"
HN_TJJ_COLUMN = 6610931
HN_BULLETINS = {
    2019: (1257894216, "2020-03-27"),
    2020: (1258456107, "2021-03-30"),
    2021: (1259286403, "2022-03-29"),
    2022: (1259871524, "2023-03-28"),
    2023: (1260651893, "2024-03-29"),
}
GBK_BULLETIN = 2019

AH_TJJ = "https://tjj.ah.gov.cn"
YEARBOOK_LISTING = f"{AH_TJJ}/ssah/qwfbjd/tjnj/index.html"
YEARBOOK_TABLES = {"population": "3/cn3-2", "market_entities": "13/cn13-6"}


def amr_notice_url(year: int, group: str) -> str:
    return f"{AMR}/xwdt/gsgg/{AMR_NOTICES[(year, group)][0]}.html"


def amr_table_url(year: int, group: str) -> str:
    """The document whose table prints the group's figures: the attachment when there is one."""
    attachment = AMR_NOTICES[(year, group)][2]
    return AMR + attachment if attachment else amr_notice_url(year, group)


def status_report_url() -> str:
    return f"{AMR}/xwdt/gsgg/{STATUS_REPORT[0]}.html"


def hn_release_url(doc_id: int) -> str:
    return f"{HN_AMR}/public/content/{doc_id}"


def hn_bulletin_url(year: int) -> str:
    return f"{HN_TJJ}/public/{HN_TJJ_COLUMN}/{HN_BULLETINS[year][0]}.html"


def yearbook_url(data_year: int, indicator: str) -> str:
    edition = data_year + 1
    return f"{AH_TJJ}/oldfiles/tjj/tjjweb/tjnj/{edition}/cn/{YEARBOOK_TABLES[indicator]}.files/sheet001.htm"


# -- real figures (figures.csv), with the page that printed them ----------------------------------

CNIPA_F4 = "https://www.cnipa.gov.cn/tjxx/jianbao/year2023/f/f4.html"
CNIPA_H4 = "https://english.cnipa.gov.cn/jianbao/year2022/h/h4.html"
HBZQ_PROVINCE = "http://hbzqbyyxgs.com/news/4jcNNzYz.html"
HBZQ_CITIES = "http://hbzqbyyxgs.com/top/1DMNNzA2.html"
HBZQ_HEFEI = "http://m.hbzqbyyxgs.com/top/2DMNODY3.html"
HBZQ_HUAIBEI = "http://m.hbzqbyyxgs.com/news/694876.html"
XINLIHUI = "http://www.xinlihui.cn/newsDetail_forward_21954890"
KIIBK = "https://kiibk.com/doc-view-16860.html"
HONGHEIKU_FUYANG = "https://tjgb.hongheiku.com/djs/27139.html"
HONGHEIKU_CENSUS = "https://tjgb.hongheiku.com/12359.html"
CSCAIWANG = "http://cscaiwang.cn/kauixun/20230614/103730.html"
LEHELEHUO = "http://lehelehuo.com/html/xinwendongtai/7827.html"
AHWANG = "http://www.ahwang.cn/newsflash/20200513/2057690.html"
MIRROR_URLS = (
    HBZQ_PROVINCE,
    HBZQ_CITIES,
    HBZQ_HEFEI,
    HBZQ_HUAIBEI,
    XINLIHUI,
    KIIBK,
    HONGHEIKU_FUYANG,
    HONGHEIKU_CENSUS,
    CSCAIWANG,
    LEHELEHUO,
    AHWANG,
)
OFFICIAL_URLS = (CNIPA_F4, CNIPA_H4)

WAN = 10_000
YI = 100_000_000


def _d(year: int, month: int = 12, day: int = 31) -> dt.date:
    return dt.date(year, month, day)


# (region, indicator, kind, period_end, value in canonical unit, url)
REAL = (
    ("340000", "pct_applications", "year", _d(2022), Decimal(1880), CNIPA_F4),
    ("340000", "pct_applications", "year", _d(2023), Decimal(1901), CNIPA_F4),
    ("340000", "madrid_applications", "year", _d(2021), Decimal(277), CNIPA_H4),
    ("340000", "madrid_applications", "year", _d(2022), Decimal(174), CNIPA_H4),
    ("340000", "invention_grants", "year", _d(2023), Decimal(30500), LEHELEHUO),
    ("340000", "gi_products", "stock", _d(2019), Decimal(78), AHWANG),
    ("340000", "population", "stock", _d(2019), Decimal(6092 * WAN), HBZQ_PROVINCE),
    ("340000", "population", "stock", _d(2020), Decimal(6105 * WAN), HBZQ_PROVINCE),
    ("340000", "population", "stock", _d(2021), Decimal(6113 * WAN), HBZQ_PROVINCE),
    ("340000", "population", "stock", _d(2022), Decimal(6127 * WAN), XINLIHUI),
    ("340400", "population", "stock", _d(2020, 11, 1), Decimal(3033528), HONGHEIKU_CENSUS),
    ("340400", "population", "stock", _d(2023), Decimal(3016000), KIIBK),
    ("340100", "population", "stock", _d(2022), Decimal(9634000), HBZQ_HEFEI),
    ("341200", "population", "stock", _d(2022), Decimal(8141000), HBZQ_HEFEI),
    ("340600", "population", "stock", _d(2022), Decimal(1950000), HBZQ_HUAIBEI),
    ("340700", "population", "stock", _d(2022), Decimal(1301000), HBZQ_CITIES),
    ("341000", "population", "stock", _d(2022), Decimal(1323000), HBZQ_CITIES),
    ("341700", "population", "stock", _d(2022), Decimal(1328000), HBZQ_CITIES),
    ("340500", "population", "stock", _d(2022), Decimal(2186000), HBZQ_CITIES),
    ("341200", "population", "stock", _d(2021), Decimal(8171000), HONGHEIKU_FUYANG),
    ("340100", "invention_patents_per_10k", "stock", _d(2020), Decimal("39.95"), CSCAIWANG),
    ("340100", "invention_patents_per_10k", "stock", _d(2021), Decimal("45.40"), CSCAIWANG),
    ("340100", "invention_patents_per_10k", "stock", _d(2022), Decimal("57.10"), CSCAIWANG),
    ("340100", "invention_patents_per_10k", "stock", _d(2023, 4, 30), Decimal("60.8"), CSCAIWANG),
    ("340100", "valid_invention_patents", "stock", _d(2023, 4, 30), Decimal(57564), CSCAIWANG),
    ("340100", "invention_grants", "ytd", _d(2023, 4, 30), Decimal(4082), CSCAIWANG),
    ("340100", "pct_applications", "ytd", _d(2023, 4, 30), Decimal(302), CSCAIWANG),
)


@dataclass(frozen=True)
class TruthRow:
    region_code: str
    indicator: str
    period_kind: str
    period_end: dt.date
    value: Decimal
    tier: str
    url: str

    @property
    def region_name(self) -> str:
        from samplegen import benchmark
        from samplegen.layouts import shanghai_stats

        names = NAMES | benchmark.NAMES | shanghai_stats.DISTRICT_NAMES
        return names[self.region_code]

    @property
    def unit(self) -> str:
        return UNITS.get(self.indicator) or PROVINCIAL_RATIOS[self.indicator]

    def as_csv(self) -> dict[str, str]:
        return {
            "region_code": self.region_code,
            "region_name": self.region_name,
            "indicator": self.indicator,
            "period_kind": self.period_kind,
            "period_end": self.period_end.isoformat(),
            "value": format_value(self.indicator, self.value),
            "unit": self.unit,
            "tier": self.tier,
            "url": self.url,
        }


def format_value(indicator: str, value: Decimal) -> str:
    """Counts as integers, ratios with two decimals (as published)."""
    if indicator in RATIOS or indicator in PROVINCIAL_RATIOS:
        return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP)}"
    return str(int(value))


def _ratio(count: int, denominator: int) -> Decimal:
    return (Decimal(count) * WAN / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Largest-remainder split of an integer total: the parts always sum to it exactly."""
    scale = sum(weights.values())
    raw = {k: total * w / scale for k, w in weights.items()}
    parts = {k: int(v) for k, v in raw.items()}
    short = total - sum(parts.values())
    for k in sorted(raw, key=lambda k: (parts[k] - raw[k], k))[:short]:
        parts[k] += 1
    return parts


# -- invented series --------------------------------------------------------------------------

# Revised (post-census) basis, in units of 1000 persons; real figures override these.
POPULATION_BASIS = {
    "340100": (9100, 9210, 9370, 9465, 9634, 9853),
    "340200": (3630, 3640, 3672, 3671, 3738, 3731),
    "340300": (3306, 3305, 3296, 3294, 3296, 3291),
    "340400": (3036, 3035, 3034, 3033, 3027, 3016),
    "340500": (2153, 2157, 2160, 2166, 2186, 2192),
    "340600": (1978, 1975, 1970, 1969, 1950, 1939),
    "340700": (1309, 1310, 1312, 1311, 1301, 1306),
    "340800": (4175, 4170, 4165, 4172, 4165, 4128),
    "341000": (1329, 1328, 1331, 1331, 1323, 1320),
    "341100": (3975, 3980, 3994, 4003, 4023, 4042),
    "341200": (8210, 8205, 8200, 8171, 8141, 8059),
    "341300": (5325, 5320, 5325, 5312, 5290, 5242),
    "341500": (4402, 4400, 4394, 4400, 4394, 4366),
    "341600": (4995, 4990, 4996, 4991, 4969, 4914),
    "341700": (1341, 1340, 1342, 1338, 1328, 1330),
    "341800": (2501, 2500, 2500, 2499, 2499, 2481),
}
PROVINCE_POPULATION = (6076, 6092, 6105, 6113, 6127, 6121)  # 万人, 2018-2023 (2018 unpublished)

TECH = {
    "340100": 40.0, "340200": 12.0, "340300": 5.0, "340400": 2.2, "340500": 5.0, "340600": 2.0,
    "340700": 2.5, "340800": 3.5, "341000": 1.5, "341100": 5.5, "341200": 3.5, "341300": 2.2,
    "341500": 3.0, "341600": 1.8, "341700": 1.2, "341800": 3.8,
}  # fmt: skip
BRANDS = {
    "340100": 30.0, "340200": 8.5, "340300": 4.5, "340400": 2.4, "340500": 4.0, "340600": 2.6,
    "340700": 2.0, "340800": 5.5, "341000": 3.5, "341100": 5.5, "341200": 8.0, "341300": 5.0,
    "341500": 5.5, "341600": 6.5, "341700": 2.0, "341800": 4.0,
}  # fmt: skip
ENTITIES = {c: w for c, w in BRANDS.items()} | {"340100": 22.0, "340400": 3.6, "341200": 10.0}
RURAL = {
    "340100": 2.0, "340200": 2.0, "340300": 2.0, "340400": 1.5, "340500": 1.5, "340600": 1.0,
    "340700": 1.5, "340800": 5.0, "341000": 7.0, "341100": 3.0, "341200": 4.0, "341300": 3.5,
    "341500": 7.0, "341600": 4.5, "341700": 4.0, "341800": 6.0,
}  # fmt: skip

# Province totals per year 2019-2023 (flows) or 2018-2023 (stocks built by increments).
FLOW_TOTALS = {
    "patents_granted": ((82500, 119800, 154900, 147200, 128700), TECH),
    "invention_grants": ((14900, 19900, 23800, 26400, 30500), TECH),
    "pct_applications": ((1260, 1590, 1760, 1880, 1901), TECH),
    "madrid_applications": ((160, 205, 277, 174, 210), BRANDS),
    "copyright_registrations": ((62000, 78400, 95300, 118600, 134700), BRANDS),
    "patent_pledge_amount": ((5862, 8715, 12380, 19246, 27538), TECH),  # units of 1e6 yuan
    "pledge_financed_entities": ((612, 793, 1024, 1316, 1587), TECH),
    "ip_certified_firms": ((642, 718, 805, 873, 936), TECH),
}
STOCK_TOTALS = {
    "valid_invention_patents": ((61000, 75000, 92500, 113000, 141500, 171000), TECH),
    "valid_trademarks": ((489000, 612000, 781000, 968000, 1124000, 1262000), BRANDS),
    "gi_products": ((74, 78, 80, 83, 85, 86), RURAL),
    "national_demo_firms": ((24, 31, 42, 55, 71, 88), TECH),
    "national_advantage_firms": ((118, 152, 196, 251, 317, 386), TECH),
    "provincial_demo_firms": ((402, 486, 571, 663, 758, 842), TECH),
    "demo_parks": ((21, 25, 29, 33, 37, 41), {c: 1.0 + w / 8 for c, w in TECH.items()}),
    "market_entities": ((46200, 51500, 56800, 62400, 67700, 73300), ENTITIES),  # units of 100
}
HIGH_VALUE_SHARE = (0.34, 0.36, 0.385, 0.41, 0.43, 0.45)  # of valid invention patents, 2018-2023
HUAINAN_HIGH_VALUE_FACTOR = 0.8


def _noisy(weights: dict[str, float], rng: random.Random) -> dict[str, float]:
    """Year-to-year jitter for every city but Huainan, whose path the plan targets track."""
    return {c: w if c == HUAINAN else w * rng.uniform(0.94, 1.06) for c, w in weights.items()}


def invent_grid() -> dict[tuple[str, str, int], int]:
    """Every (region, indicator, year) for 2018-2023 in canonical units (ratios excluded)."""
    rng = random.Random(SEED)
    grid: dict[tuple[str, str, int], int] = {}
    years = (2018, *YEARS)
    for i, year in enumerate(years):
        fixed = {c: v[i] for c, v in POPULATION_BASIS.items()}
        for code, ind, _, end, value, _ in REAL:
            if ind == "population" and end == _d(year) and code != PROVINCE[0]:
                fixed[code] = int(value) // 1000
        free = [
            c
            for c in fixed
            if c not in (HEFEI, HUAINAN) and not _real_key(c, "population", _d(year))
        ]
        gap = PROVINCE_POPULATION[i] * 10 - sum(fixed.values())
        shares = _allocate(abs(gap), {c: fixed[c] for c in free})
        for code in fixed:
            grid[(code, "population", year)] = (
                fixed[code] + shares.get(code, 0) * (1 if gap >= 0 else -1)
            ) * 1000
    for ind, (totals, weights) in FLOW_TOTALS.items():
        for i, year in enumerate(YEARS):
            unit = 1_000_000 if ind == "patent_pledge_amount" else 1
            for code, part in _allocate(totals[i], _noisy(weights, rng)).items():
                grid[(code, ind, year)] = part * unit
    for ind, (totals, weights) in STOCK_TOTALS.items():
        unit = 100 if ind == "market_entities" else 1
        levels = _allocate(totals[0], weights)
        if ind == "valid_invention_patents":
            hefei = _hefei_valid_invention_patents(grid)
        for i, year in enumerate(years):
            if i:
                if ind == "valid_invention_patents":
                    rest = {c: w for c, w in weights.items() if c != HEFEI}
                    step = totals[i] - hefei[year] - (totals[i - 1] - hefei[year - 1])
                    levels = {
                        c: levels[c] + s for c, s in _allocate(step, _noisy(rest, rng)).items()
                    }
                    levels[HEFEI] = hefei[year]
                else:
                    step = _allocate(totals[i] - totals[i - 1], _noisy(weights, rng))
                    levels = {c: levels[c] + step[c] for c in levels}
            elif ind == "valid_invention_patents":
                rest = {c: w for c, w in weights.items() if c != HEFEI}
                levels = _allocate(totals[0] - hefei[year], rest) | {HEFEI: hefei[year]}
            for code, level in levels.items():
                grid[(code, ind, year)] = level * unit
    for i, year in enumerate(years):
        for code, _ in CITIES:
            factor = HUAINAN_HIGH_VALUE_FACTOR if code == HUAINAN else 1.0
            valid = grid[(code, "valid_invention_patents", year)]
            grid[(code, "high_value_invention_patents", year)] = int(
                valid * HIGH_VALUE_SHARE[i] * factor
            )
    # The status report prints 2023 province stocks in 万件 with two decimals.
    for ind in ("high_value_invention_patents",):
        total = sum(grid[(c, ind, 2023)] for c, _ in CITIES)
        grid[(HEFEI, ind, 2023)] -= total % 100
    for year in years:
        for ind in ADDITIVE:
            if (HEFEI, ind, year) in grid:
                grid[(PROVINCE[0], ind, year)] = sum(grid[(c, ind, year)] for c, _ in CITIES)
    return grid


def _real_key(code: str, indicator: str, end: dt.date) -> bool:
    return any(r[0] == code and r[1] == indicator and r[3] == end for r in REAL)


def _hefei_valid_invention_patents(grid: dict[tuple[str, str, int], int]) -> dict[int, int]:
    """Hefei's stock is pinned by its real per-10k figures for 2020-2022."""
    pinned = {}
    for code, ind, _, end, value, _ in REAL:
        if code == HEFEI and ind == "invention_patents_per_10k" and end.month == 12:
            population = grid[(HEFEI, "population", end.year - 1)]
            count = int((value * population / WAN).to_integral_value(ROUND_HALF_UP))
            if _ratio(count, population) != value:
                raise ValueError(f"no integer stock gives Hefei {value} in {end.year}")
            pinned[end.year] = count
    return {
        2018: int(pinned[2020] * 0.67),
        2019: int(pinned[2020] * 0.82),
        **pinned,
        2023: 64418,
    }


def add_ratios(grid: dict[tuple[str, str, int], int]) -> dict[tuple[str, str, int], Decimal]:
    values: dict[tuple[str, str, int], Decimal] = {}
    for (code, ind, year), value in grid.items():
        if year in YEARS:
            values[(code, ind, year)] = Decimal(value)
    for ratio, (numerator, denominator) in RATIOS.items():
        for code in NAMES:
            for year in YEARS:
                count = grid[(code, numerator, year)]
                values[(code, ratio, year)] = _ratio(count, grid[(code, denominator, year - 1)])
    return values


# -- placement: the one document that prints each figure -------------------------------------


def _group_of(indicator: str) -> str:
    return next(g for g, members in AMR_GROUPS.items() if indicator in members)


def place(code: str, indicator: str, year: int) -> str:
    """The url of the document printing an invented year-end figure."""
    if code == HUAINAN and indicator in ("population", "market_entities"):
        return hn_bulletin_url(year)
    if code == HUAINAN and indicator in HN_RELEASE_FIGURES.get(str(year), ()):
        doc_id = next(i for i, (_, kind, _) in HN_RELEASES.items() if kind == str(year))
        return hn_release_url(doc_id)
    if indicator in ("population", "market_entities"):
        return yearbook_url(year, indicator)
    if code == PROVINCE[0] and year == 2023:
        return status_report_url()
    return amr_table_url(year, _group_of(indicator))


def huainan_ytd_grants(grid: dict[tuple[str, str, int], int]) -> int:
    """January-September grants: about three quarters of the year's total."""
    return int(grid[(HUAINAN, "patents_granted", 2023)] * 0.74)


def build_truth() -> list[TruthRow]:
    grid = invent_grid()
    values = add_ratios(grid)
    real = {(code, ind, kind, end): (value, url) for code, ind, kind, end, value, url in REAL}
    rows: list[TruthRow] = []
    for (code, ind, year), value in values.items():
        key = (code, ind, "year" if ind not in STOCKS and ind not in RATIOS else "stock", _d(year))
        if key in real:
            real_value, url = real.pop(key)
            if real_value != value:
                raise ValueError(f"invented series disagrees with the real figure at {key}")
            tier = "official" if url in OFFICIAL_URLS else "secondary"
            rows.append(TruthRow(code, ind, key[2], key[3], real_value, tier, url))
            continue
        rows.append(TruthRow(code, ind, key[2], key[3], value, "sample", place(code, ind, year)))
    for (code, ind, kind, end), (value, url) in real.items():
        tier = "official" if url in OFFICIAL_URLS else "secondary"
        rows.append(TruthRow(code, ind, kind, end, value, tier, url))
    ytd_id = next(i for i, (_, kind, _) in HN_RELEASES.items() if kind == "ytd")
    indicator, kind, end = HN_YTD
    rows.append(
        TruthRow(
            HUAINAN, indicator, kind, end, Decimal(huainan_ytd_grants(grid)), "sample",
            hn_release_url(ytd_id),
        )
    )  # fmt: skip
    rows.extend(benchmark_rows())
    return sorted(rows, key=lambda r: (r.region_code, r.indicator, r.period_end, r.period_kind))


def benchmark_rows() -> list[TruthRow]:
    """Shanghai, Jiangsu and Zhejiang (``samplegen.benchmark``) and Shanghai's districts
    (``samplegen.layouts.shanghai_stats``), each on its printing page."""
    from samplegen import benchmark
    from samplegen.layouts import shanghai_stats
    from samplegen.layouts.benchmark import place_benchmark

    return [
        TruthRow(
            cell.region_code,
            cell.indicator,
            benchmark.period_kind(cell.indicator),
            _d(cell.year),
            cell.value,
            "sample"
            if not cell.url
            else "official"
            if cell.url in benchmark.OFFICIAL_URLS
            else "secondary",
            cell.url or place_benchmark(cell.region_code, cell.indicator, cell.year),
        )
        for cell in (
            *benchmark.cells(),
            *benchmark.zhejiang_cells(),
            *shanghai_stats.district_cells(),
        )
    ]


def internal_denominators() -> dict[tuple[str, str], int]:
    """The unpublished 2018 year-end denominators behind the 2019 per-10k ratios."""
    grid = invent_grid()
    return {(c, i): grid[(c, i, 2018)] for c in NAMES for i in ("population", "market_entities")}


def to_csv(rows: Iterable[TruthRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.as_csv())
    return out.getvalue()


def read_truth(path: Path = TRUTH_PATH) -> list[TruthRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            TruthRow(
                r["region_code"],
                r["indicator"],
                r["period_kind"],
                dt.date.fromisoformat(r["period_end"]),
                Decimal(r["value"]),
                r["tier"],
                r["url"],
            )
            for r in csv.DictReader(handle)
        ]


def main() -> None:
    TRUTH_PATH.write_text(to_csv(build_truth()), encoding="utf-8")


if __name__ == "__main__":
    main()
