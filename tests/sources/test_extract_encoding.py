"""Decoding government pages whose HTTP header and <meta> disagree (quirk 14)."""

from __future__ import annotations

import pytest

import sources.extract.encoding as encoding_module
from sources.extract.encoding import canonical_encoding, decode_html, decode_text, embedded_charsets

BODY = (
    "<h1>2023年安徽省知识产权统计数据</h1>"
    "<p>截至2023年底，全省有效发明专利拥有量达到134,567件，每万人口发明专利拥有量22.0件。</p>"
)


def _page(meta: str, body: str = BODY) -> str:
    return f"<html><head>{meta}<title>统计数据</title></head><body>{body}</body></html>"


def test_gbk_page_whose_http_header_says_utf8_is_read_by_its_meta():
    page = _page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    text, encoding = decode_html(page.encode("gbk"), "utf-8")
    assert text == page
    assert encoding == "gb18030"


def test_utf8_page_whose_header_and_meta_say_gbk_is_read_as_utf8():
    # UTF-8 Chinese often "decodes" as GB18030 mojibake without error: validity wins.
    page = _page('<meta charset="gbk">')
    text, encoding = decode_html(page.encode("utf-8"), "GBK")
    assert text == page
    assert encoding == "utf-8"


def test_gb2312_label_reads_gbk_only_characters_through_gb18030():
    name = "朱镕基"  # 镕 is in GBK but not in GB2312
    with pytest.raises(UnicodeEncodeError):
        name.encode("gb2312")
    page = _page("<meta charset=gb2312>", f"<p>{name}同志题词</p>")
    text, encoding = decode_html(page.encode("gbk"))
    assert name in text
    assert encoding == "gb18030"


def test_bom_wins_over_every_declaration():
    page = _page("<meta charset=gb2312>")
    text, encoding = decode_html("\ufeff".encode() + page.encode("utf-8"), "gbk")
    assert text == page
    assert encoding == "utf-8-sig"
    text16, encoding16 = decode_html(page.encode("utf-16"))
    assert text16 == page
    assert encoding16 == "utf-16"


def test_xml_declaration_names_the_encoding_of_an_xhtml_page():
    page = '<?xml version="1.0" encoding="GB2312"?>\n' + _page("")
    assert embedded_charsets(page.encode("gbk")) == ["GB2312"]
    text, encoding = decode_html(page.encode("gbk"))
    assert text == page
    assert encoding == "gb18030"


def test_server_default_latin1_does_not_turn_a_gbk_page_into_mojibake():
    page = _page("", BODY * 3)
    text, encoding = decode_html(page.encode("gbk"), "ISO-8859-1")
    assert text == page
    assert encoding == "gb18030"


def test_undeclared_gbk_page_is_detected():
    page = _page("", BODY * 3)
    text, encoding = decode_html(page.encode("gb18030"))
    assert text == page
    assert encoding == "gb18030"


def test_a_declaration_that_cannot_decode_the_bytes_is_ignored():
    page = _page('<meta charset="big5">', "<p>发明专利授权量</p>")
    text, _ = decode_html(page.encode("gbk"), "utf-8")
    assert "发明专利授权量" in text


def test_garbage_never_raises_and_keeps_the_markup():
    for content in (b"<p>\x81\x30</p>", b"\xff" * 7, b"", b"<p>\xa1</p>" * 50):
        text, encoding = decode_html(content, "no-such-charset")
        assert isinstance(text, str)
        assert canonical_encoding(encoding) is not None
    assert decode_html(b"<p>\x81\x30</p>")[0].startswith("<p>")


def test_last_resort_is_gb18030_with_replacement(monkeypatch):
    monkeypatch.setattr(encoding_module, "_detected", lambda content: None)
    text, encoding = decode_html(b"<p>\x81\x30</p>", "no-such-charset")
    assert text == "<p>\ufffd0</p>"
    assert encoding == "gb18030"


def test_decode_text_ignores_markup_that_looks_like_a_declaration():
    content = "说明：本页 <meta charset=utf-8> 为示例\n发明专利 1,234 件\n".encode("gbk")
    text, encoding = decode_text(content)
    assert "发明专利 1,234 件" in text
    assert encoding == "gb18030"
    assert decode_text("纯文本".encode("gbk"), "gb2312") == ("纯文本", "gb18030")


def test_canonical_encoding_maps_the_gb_family_and_rejects_unknown_names():
    assert canonical_encoding("GB_2312-80") == "gb18030"
    assert canonical_encoding(" 'x-gbk' ") == "gb18030"
    assert canonical_encoding("UTF8") == "utf-8"
    assert canonical_encoding("iso-8859-1") == "iso8859-1"
    assert canonical_encoding("klingon") is None
    assert canonical_encoding(None) is None
