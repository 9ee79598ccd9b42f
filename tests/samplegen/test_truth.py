"""Invariants of samplegen/truth.csv, the ground truth of the Anhui-side sample archive."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from samplegen import benchmark, build, truth
from samplegen.layouts import benchmark as layout_benchmark
from samplegen.truth import (
    ADDITIVE,
    CITIES,
    INDICATORS,
    NAMES,
    PROVINCE,
    RATIOS,
    STOCKS,
    YEARS,
    TruthRow,
    read_truth,
)
from sources.transport import read_sample_manifest, url_to_sample_path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "tests" / "fixtures" / "figures.csv"
MANIFEST = ROOT / "sources" / "sample" / "manifest.csv"
MULTIPLIERS = {"万人": 10_000, "万件": 10_000, "万户": 10_000, "亿元": 100_000_000}


@pytest.fixture(scope="module")
def rows() -> list[TruthRow]:
    return read_truth()


@pytest.fixture(scope="module")
def year_end(rows: list[TruthRow]) -> dict[tuple[str, str, int], Decimal]:
    return {
        (r.region_code, r.indicator, r.period_end.year): r.value
        for r in rows
        if r.period_end == dt.date(r.period_end.year, 12, 31)
    }


def test_the_committed_table_is_what_truth_py_builds():
    assert truth.TRUTH_PATH.read_text(encoding="utf-8") == truth.to_csv(truth.build_truth())


def test_every_region_indicator_and_year_is_present_once(rows: list[TruthRow]):
    keys = [(r.region_code, r.indicator, r.period_kind, r.period_end) for r in rows]
    assert len(keys) == len(set(keys))
    for code in NAMES:
        for indicator in INDICATORS:
            kind = "stock" if indicator in STOCKS or indicator in RATIOS else "year"
            for year in YEARS:
                assert (code, indicator, kind, dt.date(year, 12, 31)) in set(keys), (
                    code,
                    indicator,
                    year,
                )
    assert len(NAMES) == 17


def test_city_sums_never_exceed_and_additive_totals_equal_the_province(year_end):
    for indicator in ADDITIVE:
        for year in YEARS:
            cities = sum(year_end[(code, indicator, year)] for code, _ in CITIES)
            province = year_end[(PROVINCE[0], indicator, year)]
            assert cities <= province
            assert cities == province, (indicator, year)


def test_ratios_are_counts_over_previous_year_end_denominators(year_end):
    previous = {(c, i, 2018): v for (c, i), v in truth.internal_denominators().items()}
    for ratio, (numerator, denominator) in RATIOS.items():
        for code in NAMES:
            for year in YEARS:
                base = (
                    year_end.get((code, denominator, year - 1))
                    or previous[(code, denominator, year - 1)]
                )
                expected = year_end[(code, numerator, year)] * 10_000 / Decimal(base)
                assert abs(year_end[(code, ratio, year)] - expected) <= Decimal("0.01"), (
                    code,
                    ratio,
                    year,
                )


def test_ip_stocks_never_fall_and_population_follows_the_real_decline(year_end):
    for code in NAMES:
        for indicator in STOCKS - {"population"}:
            series = [year_end[(code, indicator, y)] for y in YEARS]
            assert series == sorted(series), (code, indicator, series)
    huainan = [year_end[("340400", "population", y)] for y in YEARS]
    assert huainan[-2] - huainan[-1] == 11_000  # 比上年末减少1.1万人 on the real page


def test_huainan_is_below_the_province_on_the_plan_ratios_and_improving(year_end):
    for ratio in ("high_value_patents_per_10k", "trademarks_per_10k_entities"):
        series = [year_end[("340400", ratio, y)] for y in YEARS]
        assert series == sorted(series) and len(set(series)) == len(series)
        for year in YEARS:
            assert year_end[("340400", ratio, year)] < year_end[(PROVINCE[0], ratio, year)]
    hefei = {i: year_end[("340100", i, 2023)] for i in ADDITIVE if i != "gi_products"}
    for code, _ in CITIES[1:]:
        assert all(year_end[(code, i, 2023)] < v for i, v in hefei.items()), code


def _figures() -> list[dict]:
    with FIGURES.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_real_figure_of_a_generated_page_is_kept_exactly(rows: list[TruthRow]):
    by_key = {(r.region_name, r.indicator, r.period_end, r.url): r for r in rows}
    used = [f for f in _figures() if f["source_url"] in truth.MIRROR_URLS]
    assert {f["source_url"] for f in used} == set(truth.MIRROR_URLS)
    for figure in used:
        name = figure["region_name"]
        name = "安徽省" if name == "安徽" else name
        end = dt.date.fromisoformat(figure["period_end"])
        row = by_key.get((name, figure["indicator_id"], end, figure["source_url"]))
        assert row is not None, figure
        expected = Decimal(figure["value"]) * MULTIPLIERS.get(figure["unit"], 1)
        assert row.value == expected and row.tier == "secondary", (figure, row)


def test_cnipa_figures_for_anhui_point_at_the_cnipa_pages(rows: list[TruthRow]):
    rows = [r for r in rows if r.region_code.startswith("34")]
    official = {(r.indicator, r.period_end.year): r for r in rows if r.tier == "official"}
    assert official[("pct_applications", 2023)].value == 1901
    assert official[("madrid_applications", 2021)].value == 277
    assert all(r.url in truth.OFFICIAL_URLS for r in official.values())
    assert all(
        r.tier == "sample" for r in rows if r.url not in truth.MIRROR_URLS + truth.OFFICIAL_URLS
    )


def test_every_truth_url_is_in_the_manifest_with_the_same_tier(rows: list[TruthRow]):
    manifest = read_sample_manifest(MANIFEST)
    for row in rows:
        entry = manifest.get(url_to_sample_path(row.url))
        assert entry is not None, row.url
        assert entry.tier == row.tier, row.url


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("first")
    build.main(["--out", str(out)])
    return out


def test_the_build_is_byte_for_byte_reproducible(built: Path, tmp_path: Path):
    build.main(["--out", str(tmp_path)])
    first, second = _tree_digest(built), _tree_digest(tmp_path)
    assert first == second
    assert any(name.endswith(".xlsx") for name in first)
    assert any(name.endswith(".pdf") for name in first)


def test_the_committed_documents_are_what_the_build_writes(built: Path):
    site = ROOT / "sources" / "sample" / "site"
    for name, digest in _tree_digest(built / "site").items():
        assert hashlib.sha256((site / name).read_bytes()).hexdigest() == digest, name


def test_the_manifest_merge_keeps_other_rows_and_replaces_its_own():
    existing = (
        "url,tier,published_on,title,note\n"
        "https://www.cnipa.gov.cn/a.html,official,,A,\n"
        "https://amr.ah.gov.cn/stale.html,sample,,old,\n"
        "https://english.cnipa.gov.cn/b.html,official,,B,\n"
    )
    doc = build.Doc("https://amr.ah.gov.cn/xwdt/gsgg/1.html", b"", "sample", "2024-03-13", "T")
    merged = build.merge_manifest(existing, [doc])
    urls = [r["url"] for r in csv.DictReader(io.StringIO(merged))]
    assert urls == [
        "https://www.cnipa.gov.cn/a.html",
        "https://english.cnipa.gov.cn/b.html",
        "https://amr.ah.gov.cn/xwdt/gsgg/1.html",
    ]
    assert build.merge_manifest(merged, [doc]) == merged


def _text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".xls":
        import xlrd

        sheet = xlrd.open_workbook(file_contents=data).sheet_by_index(0)
        cells = (sheet.cell_value(r, c) for r in range(sheet.nrows) for c in range(sheet.ncols))
        return "|".join(_cell(v) for v in cells)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data)).active
        return "|".join(_cell(c.value) for row in sheet.iter_rows() for c in row)
    if path.suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join(page.extract_text() for page in pdf.pages)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        assert b'charset="gb2312"' in data[:600]
        return data.decode("gbk")


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if value != int(value) else str(int(value))
    return "" if value is None else str(value)


def _printed_forms(row: TruthRow) -> set[str]:
    value = row.value
    if row.indicator in RATIOS:
        return {f"{value:.2f}", f"{value:.2f}".rstrip("0").rstrip(".")}
    forms = {str(int(value))}
    for divisor, decimals in ((10_000, 2), (10_000, 1), (10_000, 0), (100_000_000, 2)):
        scaled = value / divisor
        if scaled == Decimal(f"{scaled:.{decimals}f}"):
            forms.add(f"{scaled:.{decimals}f}")
    return forms


def test_every_truth_value_is_printed_in_its_document(rows: list[TruthRow], built: Path):
    texts: dict[Path, str] = {}
    per_document: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.tier != "sample":
            continue  # real figures are on the hand-made pages, which the build never writes
        path = built / "site" / url_to_sample_path(row.url)
        text = texts.setdefault(path, _text(path))
        assert any(form in text for form in _printed_forms(row)), (row, path.name)
        per_document[row.url] += 1
    assert len(per_document) >= 50


def test_two_pages_are_gbk_encoded(built: Path):
    gbk = [
        p for p in (built / "site").rglob("*") if p.is_file() and b"gb2312" in p.read_bytes()[:600]
    ]
    assert len(gbk) == 2
    for page in gbk:
        with pytest.raises(UnicodeDecodeError):
            page.read_bytes().decode("utf-8")


# -- the benchmark side: Shanghai, Jiangsu, Zhejiang ------------------------------------------


@pytest.fixture(scope="module")
def bench_year_end(rows: list[TruthRow]) -> dict[tuple[str, str, int], Decimal]:
    values = {
        (r.region_code, r.indicator, r.period_end.year): r.value
        for r in rows
        if r.region_code[:2] in ("31", "32", "33") and r.period_end.month == 12
    }
    return values | {(c, i, y): Decimal(v) for (c, i, y), v in benchmark.CONFLICTING.items()}


def test_every_benchmark_region_has_every_benchmark_indicator_2019_to_2023(bench_year_end):
    assert len(benchmark.NAMES) == 3 + 1 + 13 + 11 - 1  # Shanghai is its own city
    for code in benchmark.NAMES:
        for indicator in benchmark.INDICATORS:
            for year in YEARS:
                assert (code, indicator, year) in bench_year_end, (code, indicator, year)


def test_benchmark_cities_sum_to_their_province_and_stocks_never_fall(bench_year_end):
    for province in (benchmark.JIANGSU, benchmark.ZHEJIANG):
        cities = [c for c, _ in benchmark.CITIES[province]]
        for indicator in benchmark.INDICATORS:
            if indicator in benchmark.RATIOS:
                continue
            for year in YEARS:
                total = sum(bench_year_end[(c, indicator, year)] for c in cities)
                assert total == bench_year_end[(province, indicator, year)], (indicator, year)
    for code in benchmark.NAMES:
        for indicator in benchmark.STOCKS & set(benchmark.INDICATORS) - {"population"}:
            series = [bench_year_end[(code, indicator, y)] for y in YEARS]
            assert series == sorted(series), (code, indicator, series)


def test_benchmark_ratios_use_previous_year_end_denominators(bench_year_end):
    grid = benchmark.invent_grid()
    for ratio, (numerator, denominator) in benchmark.RATIOS.items():
        for code in benchmark.NAMES:
            for year in YEARS:
                count = grid[(code, numerator, year)]
                expected = count * 10_000 / Decimal(grid[(code, denominator, year - 1)])
                published = bench_year_end[(code, ratio, year)]
                assert abs(published - expected) <= Decimal("0.01"), (code, ratio, year)
                if numerator in benchmark.INDICATORS:
                    assert count == bench_year_end[(code, numerator, year)]


def test_the_big_four_lead_their_provinces(bench_year_end):
    for province, leaders in (("320000", {"320100", "320500"}), ("330000", {"330100"})):
        others = [c for c, _ in benchmark.CITIES[province] if c not in leaders]
        for leader in leaders:
            for indicator in ("patents_granted", "valid_invention_patents", "pct_applications"):
                assert all(
                    bench_year_end[(leader, indicator, 2023)] > bench_year_end[(c, indicator, 2023)]
                    for c in others
                ), (leader, indicator)


def test_benchmark_real_figures_are_kept_with_their_pages(rows: list[TruthRow]):
    by_key = {(r.region_code, r.indicator, r.period_end.year): r for r in rows}
    for code, indicator, year, value, url in benchmark.REAL:
        row = by_key[(code, indicator, year)]
        assert row.url == url and row.value == Decimal(str(value)) and row.tier != "sample"
    for code, indicator, year in benchmark.CONFLICTING:
        assert (code, indicator, year) not in by_key
    generated = {
        r.url for r in rows if r.tier == "sample" and r.region_code[:2] in ("31", "32", "33")
    }
    assert generated and all(build.owned(url) for url in generated)
    assert not any(build.owned(url) for *_, url in benchmark.REAL if "cnipa" not in url)


def test_listings_gain_our_items_once_and_keep_their_own():
    docs = build.documents()
    listing = (
        '<ul class="uli14 nowrapli list-date">\n<li><a href="/shzscqzk/x.html">旧</a>'
        "<span>2023.04.25</span></li>\n</ul>"
    ).encode()
    items = next(v for k, v in layout_benchmark.listing_items(docs).items() if "sipa" in k)
    once = layout_benchmark.extend_listing(listing, items)
    assert layout_benchmark.extend_listing(once, items) == once
    text = once.decode()
    assert text.count("<li>") == 1 + 5 and "旧" in text and "2024.04.26" in text


# -- Shanghai's districts (上海统计年鉴) ---------------------------------------------------------


def test_shanghai_districts_sum_to_shanghai_and_sit_on_the_yearbook_tables(rows: list[TruthRow]):
    from samplegen.layouts import shanghai_stats

    by_key = {(r.region_code, r.indicator, r.period_end.year): r for r in rows}
    for indicator in shanghai_stats.CITY_FIGURES:
        previous: dict[str, Decimal] = {}
        for year in YEARS:
            parts = {c: by_key[(c, indicator, year)] for c in shanghai_stats.DISTRICT_NAMES}
            shanghai = by_key[("310000", indicator, year)]
            assert sum(r.value for r in parts.values()) == shanghai.value, (indicator, year)
            assert {r.url for r in parts.values()} == {shanghai_stats.table_url(indicator, year)}
            assert {r.tier for r in parts.values()} == {"sample"}
            if indicator == "valid_invention_patents":
                assert all(r.value >= previous.get(c, 0) for c, r in parts.items())
                previous = {c: r.value for c, r in parts.items()}
    # Shanghai's population is printed by the statistics bureau, no longer by the IP office.
    for year in YEARS:
        assert by_key[("310000", "population", year)].url.startswith("https://tjj.sh.gov.cn/")
    # The real Shanghai figures keep their own pages (the yearbook's 全市 cell shows '-').
    assert by_key[("310000", "valid_invention_patents", 2022)].url == benchmark.SIPA_2022
