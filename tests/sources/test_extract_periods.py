"""Period words and page dates as Chinese press releases and bulletins write them (quirks 15, 22, 23)."""

from __future__ import annotations

import datetime as dt

import pytest

from sources.extract.periods import (
    Period,
    find_period,
    parse_date,
    published_date_in,
    resolve_period,
    year_in,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "published", "default_kind", "kind", "end", "label"),
    [
        # Stock dates.
        (
            "截至2023年底，全市有效发明专利拥有量达到2856件",
            None,
            "stock",
            "stock",
            D(2023, 12, 31),
            "截至2023年底",
        ),
        ("截至2023年末，全省有效商标注册量", None, "", "stock", D(2023, 12, 31), "截至2023年末"),
        (
            "截至4月底，有效商标注册量突破1万件",
            D(2023, 5, 10),
            "stock",
            "stock",
            D(2023, 4, 30),
            "截至4月底",
        ),
        ("截至2023年9月末，全市有效发明专利", None, "", "stock", D(2023, 9, 30), "截至2023年9月末"),
        # The month is after the publication month: last year's.
        (
            "截至11月底，全市有效发明专利",
            D(2023, 5, 10),
            "",
            "stock",
            D(2022, 11, 30),
            "截至11月底",
        ),
        (
            "截至去年底，全市有效发明专利",
            D(2023, 5, 10),
            "",
            "stock",
            D(2022, 12, 31),
            "截至去年底",
        ),
        ("截至目前，全市有效发明专利", D(2023, 4, 25), "", "stock", D(2023, 4, 25), "截至目前"),
        ("截至发稿，全市有效商标", D(2023, 4, 25), "", "stock", D(2023, 4, 25), "截至发稿"),
        ("截至2023.04.25，上海市有效发明专利", None, "", "stock", D(2023, 4, 25), "截至2023.04.25"),
        ("截至2023年4月25日，全市", None, "", "stock", D(2023, 4, 25), "截至2023年4月25日"),
        ("截至4月25日，全市", D(2023, 5, 2), "", "stock", D(2023, 4, 25), "截至4月25日"),
        # Year-to-date in every spelling.
        ("1-9月，全省专利授权量28.9万件", D(2023, 10, 20), "flow", "ytd", D(2023, 9, 30), "1-9月"),
        ("1—9月，全省专利授权量", D(2023, 10, 20), "flow", "ytd", D(2023, 9, 30), "1—9月"),
        ("1至9月，全省专利授权量", D(2023, 10, 20), "flow", "ytd", D(2023, 9, 30), "1至9月"),
        ("1－9月，全省专利授权量", D(2023, 10, 20), "flow", "ytd", D(2023, 9, 30), "1-9月"),
        (
            "1-10月份，全市专利授权量4.2万件",
            D(2023, 11, 15),
            "flow",
            "ytd",
            D(2023, 10, 31),
            "1-10月份",
        ),
        (
            "2022年1-6月，全市专利授权量",
            D(2023, 11, 15),
            "flow",
            "ytd",
            D(2022, 6, 30),
            "2022年1-6月",
        ),
        ("前三季度，全市专利授权量", D(2023, 10, 25), "flow", "ytd", D(2023, 9, 30), "前三季度"),
        ("前2个月，全市商标申请量", D(2023, 3, 15), "flow", "ytd", D(2023, 2, 28), "前2个月"),
        ("前两个月，全市商标申请量", D(2024, 3, 15), "flow", "ytd", D(2024, 2, 29), "前两个月"),
        ("1-2季度，全市商标申请量", D(2023, 7, 15), "flow", "ytd", D(2023, 6, 30), "1-2季度"),
        ("一季度，全市专利授权量", D(2023, 4, 15), "flow", "ytd", D(2023, 3, 31), "一季度"),
        ("第一季度，全市专利授权量", D(2023, 4, 15), "flow", "ytd", D(2023, 3, 31), "第一季度"),
        # 1-12月 is the year, as the table captions read it.
        ("2023年1-12月，全市专利授权量", None, "flow", "year", D(2023, 12, 31), "2023年1-12月"),
        # Half years, months.
        (
            "上半年，全市专利权质押融资金额12.5亿元",
            D(2023, 7, 20),
            "flow",
            "half",
            D(2023, 6, 30),
            "上半年",
        ),
        ("3月份，全市专利授权量", D(2023, 4, 10), "flow", "month", D(2023, 3, 31), "3月份"),
        ("12月，全市专利授权量", D(2024, 1, 5), "flow", "month", D(2023, 12, 31), "12月"),
        # Years, absolute and relative to the publication date.
        ("2023年全市有效发明专利2856件", None, "stock", "stock", D(2023, 12, 31), "2023年"),
        ("2023年全市专利授权量", None, "flow", "year", D(2023, 12, 31), "2023年"),
        (
            "去年全市PCT国际专利申请量达6185件",
            D(2024, 2, 20),
            "flow",
            "year",
            D(2023, 12, 31),
            "去年",
        ),
        ("上年全市商标注册量", D(2024, 2, 20), "flow", "year", D(2023, 12, 31), "上年"),
        ("今年全市商标注册量", D(2023, 11, 20), "flow", "year", D(2023, 12, 31), "今年"),
        ("全年作品登记量突破41万件", D(2024, 1, 10), "flow", "year", D(2023, 12, 31), "全年"),
        ("全年作品登记量突破41万件", D(2024, 4, 30), "flow", "year", D(2023, 12, 31), "全年"),
        ("全年作品登记量突破41万件", D(2023, 12, 28), "flow", "year", D(2023, 12, 31), "全年"),
        ("年末全市常住人口303.3万人", D(2024, 3, 28), "stock", "stock", D(2023, 12, 31), "年末"),
        ("2023年年末全市常住人口", None, "stock", "stock", D(2023, 12, 31), "2023年年末"),
        ("年底全市市场主体总数", D(2024, 3, 28), "", "stock", D(2023, 12, 31), "年底"),
        # A stock indicator in a flow period is the stock at its end, and the other way round.
        ("1-9月，全省有效发明专利", D(2023, 10, 20), "stock", "stock", D(2023, 9, 30), "1-9月"),
        ("截至9月底，全市专利授权量", D(2023, 10, 20), "flow", "ytd", D(2023, 9, 30), "截至9月底"),
        ("截至2023年底，全市专利授权量", None, "flow", "year", D(2023, 12, 31), "截至2023年底"),
        (
            "上半年，每万人口发明专利拥有量",
            D(2023, 7, 20),
            "ratio",
            "stock",
            D(2023, 6, 30),
            "上半年",
        ),
    ],
)
def test_resolve_period(text, published, default_kind, kind, end, label):
    assert resolve_period(text, published, default_kind=default_kind) == Period(kind, end, label)


def test_year_words_are_relative_to_the_publication_date():
    assert resolve_period("去年", dt.date(2024, 2, 20)).end == dt.date(2023, 12, 31)
    assert resolve_period("去年", dt.date(2025, 2, 20)).end == dt.date(2024, 12, 31)
    # 全年 in May-December is the current year, in January-April the previous one.
    assert resolve_period("全年", dt.date(2023, 5, 1)).end == dt.date(2023, 12, 31)
    assert resolve_period("全年", dt.date(2023, 4, 30)).end == dt.date(2022, 12, 31)


def test_context_year_beats_the_publication_date():
    assert resolve_period("1-9月", dt.date(2024, 3, 1), context_year=2022).end == dt.date(
        2022, 9, 30
    )
    # A year stated elsewhere in the text is the context year.
    found = resolve_period("2023年，全市截至年底有效发明专利", dt.date(2025, 1, 5))
    assert found.end == dt.date(2023, 12, 31)


@pytest.mark.parametrize(
    "text",
    [
        "下半年，全市专利授权量2万件",  # half ending Dec 31 is not in the vocabulary
        "2023年下半年，全市专利授权量",
        "第二季度，全市专利授权量",
        "今年以来，全市专利授权量",  # no end stated
        "全市专利授权量2.1万件",  # no period at all
        "比上年末增加300件",  # a comparison base, not the period
        "比2022年增长5%",
        "2023年4月25日，市局召开新闻发布会",  # an event date, not a period
    ],
)
def test_no_period(text):
    assert resolve_period(text, dt.date(2023, 5, 10)) is None


def test_relative_words_need_a_publication_date():
    assert resolve_period("截至4月底", None) is None
    assert resolve_period("去年", None) is None
    assert resolve_period("1-9月", None) is None
    assert resolve_period("截至2023年4月底", None) == Period(
        "stock", dt.date(2023, 4, 30), "截至2023年4月底"
    )


def test_comparison_years_are_not_the_context_year():
    found = resolve_period("1-9月，比2022年同期增长12%", dt.date(2023, 10, 5), default_kind="flow")
    assert found == Period("ytd", dt.date(2023, 9, 30), "1-9月")
    assert year_in("1-9月，较2022年增长") is None
    assert year_in("2023年，全市…") == 2023


def test_find_period_names_the_words_even_when_unsupported():
    assert find_period("下半年，全市专利授权量") == "下半年"
    assert find_period("其中发明专利授权6.26万件") == ""
    assert find_period("居全国第4位") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023.04.25", D(2023, 4, 25)),
        ("2023-04-25", D(2023, 4, 25)),
        ("2023/4/5", D(2023, 4, 5)),
        ("2023年4月25日", D(2023, 4, 25)),
        ("2023年04月25日 来源：", D(2023, 4, 25)),
        ("[２０２３－０４－２５]", D(2023, 4, 25)),
        ("2023.02.30", None),
        ("20230531", None),
        ("第2023号", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "首页 > 工作动态\n发布时间：2023-04-25 10:30 信息来源：市局 字号：[大 中 小]",
            D(2023, 4, 25),
        ),
        ("标题\n时间：2023-04-25\n正文", D(2023, 4, 25)),
        ("发布日期：2023年4月25日", D(2023, 4, 25)),
        ("日期：2023.04.25 浏览次数：12", D(2023, 4, 25)),
        ("2023年04月25日 来源：淮南日报", D(2023, 4, 25)),
        # 成文日期 is when the document was signed: 发布日期 wins, whatever the order.
        ("成文日期：2023-04-01\n发布日期：2023-04-25", D(2023, 4, 25)),
        ("索引号：123\n成文日期：2023-04-01", D(2023, 4, 1)),
        ("截至2022年底，全市有效发明专利2856件", None),
    ],
)
def test_published_date_in(page, expected):
    assert published_date_in(page) == expected


def test_on_page_date_wins_over_the_url_date():
    # Shanghai white paper: the URL carries 20230531, the page says 2023.04.25 (quirks 22, 23).
    page = (
        "https://sipa.sh.gov.cn/gzdt/20230531/0a1b2c3d.html\n"
        "2022年上海市知识产权白皮书\n日期：2023.04.25\n2022年，上海市专利授权量17.83万件。"
    )
    assert published_date_in(page) == dt.date(2023, 4, 25)
