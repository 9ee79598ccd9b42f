"""Bad data against the blocking validation: each kind is either quarantined row by row or blocks
the whole promotion, and yesterday's facts stay exactly as they were.

Each test refreshes once from the simulator (the baseline), then puts a bad table on the CNIPA
yearbook site (linked from its section index, listed as official in the manifest) and refreshes
again.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import pytest
from sqlalchemy import create_engine, text

from pipelines.refresh import run_refresh
from sources import config
from sources.simulator import SimSettings, serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

SECTION = "www.cnipa.gov.cn/tjxx/jianbao/year2023/f.html"
BAD_URL = "https://www.cnipa.gov.cn/tjxx/jianbao/year2023/f/f9.html"
FACTS = "select region_code, indicator, period_kind, period_end, series, value from fact order by 1,2,3,4,5"


def _rows(url: str, sql: str, **params) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [tuple(str(v) for v in r) for r in conn.execute(text(sql), params)]
    engine.dispose()
    return rows


def table(caption: str, header: list[str], rows: list[list[str]], unit: str = "件") -> str:
    cells = "".join(f"<td>{h}</td>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<html><head><meta charset="utf-8"><title>{caption}</title></head><body>'
        f"<p><b>{caption}</b></p><p>单位：{unit}</p>"
        f'<table border="1"><tr>{cells}</tr>{body}</table></body></html>'
    )


@pytest.fixture
def site(data_dir, tmp_path, monkeypatch):
    root = tmp_path / "sample"
    shutil.copytree(config.SAMPLE_DIR, root)
    simulator = serve(root / "site", settings=SimSettings(lifetime=240))
    monkeypatch.setenv("IPBENCH_SIMULATOR", simulator.url)
    monkeypatch.setenv("IPBENCH_RATE_LIMIT", "200")
    try:
        yield root
    finally:
        simulator.stop()


@pytest.fixture
def baseline(site, database_url, tmp_path):
    archive = str(tmp_path / "arch")

    def refresh():
        return run_refresh("live", database_url=database_url, archive_root=archive)

    first = refresh()
    assert first.succeeded, first.message
    return site, refresh, _rows(database_url, FACTS)


def inject(root, html: str) -> None:
    (root / "site" / "www.cnipa.gov.cn/tjxx/jianbao/year2023/f/f9.html").write_text(
        html, encoding="utf-8"
    )
    index = root / "site" / SECTION
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "</td></tr></table>", '<a href="f/f9.html">6-9 test table</a><br></td></tr></table>'
        ),
        encoding="utf-8",
    )
    with (root / "manifest.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow([BAD_URL, "official", "2024-06-01", "6-9 test table", "test"])


def _blocked(outcome, database_url, before, expectation: str) -> None:
    assert outcome.status == "blocked", outcome.message
    assert expectation in outcome.message
    assert _rows(database_url, FACTS) == before
    reasons = _rows(database_url, "select reason from quarantine")
    assert any(expectation in r for (r,) in reasons)


def test_unknown_city_is_quarantined_and_the_rest_promoted(baseline, database_url):
    root, refresh, before = baseline
    inject(
        root,
        table(
            "6-9 分地区PCT国际专利申请受理量(2021年)",
            ["地区", "2021年"],
            [["安徽", "1500"], ["火星市", "12"]],
        ),
    )
    outcome = refresh()
    assert outcome.succeeded, outcome.message
    reasons = [r for (r,) in _rows(database_url, "select reason from quarantine")]
    assert any("火星市" in r for r in reasons)
    anhui_2021 = _rows(
        database_url,
        "select value, tier from fact where region_code='340000' "
        "and indicator='pct_applications' and period_end = :end",
        end=dt.date(2021, 12, 31),
    )
    assert [(float(v), tier) for v, tier in anhui_2021] == [(1500.0, "official")]


def test_negative_count_is_quarantined_and_never_a_fact(baseline, database_url):
    root, refresh, before = baseline
    inject(
        root,
        table("6-9 分地区PCT国际专利申请受理量(2021年)", ["地区", "2021年"], [["安徽", "-5"]]),
    )
    outcome = refresh()
    assert outcome.succeeded, outcome.message
    reasons = [r for (r,) in _rows(database_url, "select reason from quarantine")]
    assert any("outside the plausible range" in r for r in reasons)
    assert _rows(database_url, FACTS) == before


def test_per_10k_inconsistent_with_its_count_blocks_promotion(baseline, database_url):
    root, refresh, before = baseline
    inject(
        root,
        table(
            "6-9 各市有效发明专利(2021年)",
            [
                "地区",
                "有效发明专利（件）",
                "年末常住人口（万人）",
                "每万人口发明专利拥有量（件/万人）",
            ],
            [["淮南市", "3000", "300", "55.5"]],
        ),
    )
    _blocked(refresh(), database_url, before, "ratio_matches_count")


def test_year_to_date_going_down_blocks_promotion(baseline, database_url):
    root, refresh, before = baseline
    html = table("6-9 2021年1-6月各市专利授权量", ["地区", "专利授权量"], [["淮南市", "2000"]])
    html = html.replace(
        "</body>",
        '<p><b>6-10 2021年1-9月各市专利授权量</b></p><p>单位：件</p><table border="1">'
        "<tr><td>地区</td><td>专利授权量</td></tr><tr><td>淮南市</td><td>1500</td></tr></table></body>",
    )
    inject(root, html)
    _blocked(refresh(), database_url, before, "ytd_non_decreasing")


def test_city_sum_above_the_province_blocks_promotion(baseline, database_url):
    root, refresh, before = baseline
    names = (
        "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城".split()
    )
    cities = [["全省", "100"]] + [[f"{name}市", "50"] for name in names]
    inject(root, table("6-9 各市专利授权量(2021年)", ["地区", "专利授权量"], cities))
    _blocked(refresh(), database_url, before, "city_sum_within_province")


def test_disagreeing_official_sources_block_promotion(baseline, database_url):
    root, refresh, before = baseline
    # CNIPA says Anhui's 2023 PCT count is 1901; an official provincial page says 2500.
    amr = root / "site" / "amr.ah.gov.cn" / "xwdt" / "gsgg" / "test-disagree.html"
    amr.parent.mkdir(parents=True, exist_ok=True)
    amr.write_text(
        table("2023年各市PCT国际专利申请量", ["地区", "PCT国际专利申请量"], [["全 省", "2500"]]),
        encoding="utf-8",
    )
    listing = root / "site" / "amr.ah.gov.cn" / "xwdt" / "gsgg" / "index.html"
    link = '<li><a href="test-disagree.html" title="2023年全省知识产权统计数据通报">通报</a><td>2024-03-01</td></li>'
    if listing.exists():
        listing.write_text(
            listing.read_text(encoding="utf-8").replace("</body>", f"<ul>{link}</ul></body>"),
            encoding="utf-8",
        )
    else:
        listing.write_text(
            f"<html><body><div class='navjz clearfix'><ul>{link}</ul></div></body></html>",
            encoding="utf-8",
        )
    with (root / "manifest.csv").open("a", encoding="utf-8", newline="") as handle:
        url = "https://amr.ah.gov.cn/xwdt/gsgg/test-disagree.html"
        csv.writer(handle).writerow([url, "official", "2024-03-01", "test", "test"])
    _blocked(refresh(), database_url, before, "sources_agree")


def test_a_publisher_returning_half_its_rows_blocks_promotion(baseline, database_url):
    root, refresh, before = baseline
    english = root / "site" / "english.cnipa.gov.cn"
    shutil.rmtree(english)
    for page in ("c/c7.html", "f/f4.html"):
        path = root / "site" / "www.cnipa.gov.cn/tjxx/jianbao/year2023" / page
        path.write_text("<html><body><p>页面改版，敬请期待</p></body></html>", encoding="utf-8")
    _blocked(refresh(), database_url, before, "publisher_completeness")


# The copyright authority's yearly notice and Anhui's own status report print the same key (Anhui's
# 2023 作品登记). In the bundled archive both are sample pages; live, both publishers are official,
# so here the manifest says so and the validation compares them.
NCAC_2023 = "https://www.ncac.gov.cn/chinacopyright/contents/12542/359186.shtml"
AMR_REPORT_2023 = "https://amr.ah.gov.cn/xwdt/gsgg/149402518.html"
ANHUI_COPYRIGHT_2023 = (
    "select publisher, tier, value from observation where region_code = '340000' "
    "and indicator = 'copyright_registrations' and period_end = :end order by publisher"
)


def _as_official(root, urls: set[str]) -> None:
    manifest = root / "manifest.csv"
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["url"] in urls:
            row["tier"] = "official"
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_the_copyright_authority_and_the_province_agree_until_one_differs(
    site, database_url, tmp_path
):
    _as_official(site, {NCAC_2023, AMR_REPORT_2023})
    archive = str(tmp_path / "arch")

    def refresh():
        return run_refresh("live", database_url=database_url, archive_root=archive)

    first = refresh()
    assert first.succeeded, first.message
    end = dt.date(2023, 12, 31)
    seen = _rows(database_url, ANHUI_COPYRIGHT_2023, end=end)
    assert [(p, t, float(v)) for p, t, v in seen] == [
        ("anhui_amr", "official", 134700.0),
        ("ncac", "official", 134700.0),
    ]
    before = _rows(database_url, FACTS)
    notice = site / "site" / "www.ncac.gov.cn/chinacopyright/contents/12542/359186.shtml"
    cell = '<td align="center">安徽</td><td align="right">134700</td>'
    text = notice.read_text(encoding="utf-8")
    assert cell in text
    notice.write_text(text.replace(cell, cell.replace("134700", "150000")), encoding="utf-8")
    _blocked(refresh(), database_url, before, "sources_agree")
