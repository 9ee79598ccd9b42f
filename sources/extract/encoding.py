"""Bytes → text for HTML and plain-text documents whose declared encodings cannot be trusted.

Chinese government servers often say UTF-8 in the HTTP header while the page's ``<meta>`` says
GB2312 (or the reverse), so no declaration is believed unless the bytes decode strictly under it.
GB2312 and GBK are read as GB18030, their superset: pages labelled GB2312 routinely contain GBK
characters. Decoding never raises; the last resort replaces undecodable bytes.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"\x84\x31\x95\x33", "gb18030"),
)
_GB_FAMILY = frozenset(
    "gb2312 gb_2312 gb_2312-80 gb-2312 gbk x-gbk cp936 ms936 windows-936 euc-cn csgb2312 "
    "chinese iso-ir-58 gb18030 hz-gb-2312".split()
)
_UTF8_ALIASES = frozenset("utf8 utf-8 unicode-1-1-utf-8 x-unicode20utf8".split())
# Servers default to these when nobody configured a charset; they decode any byte sequence, so
# they are believed only after UTF-8 and detection have had their say.
_WEAK_CODECS = frozenset({"ascii", "iso8859-1", "cp1252"})
_HEAD_BYTES = 16384
_CHINESE = re.compile(
    "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2014\u2026\u201c\u201d\u00b7]"
)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)


def canonical_encoding(name: str | None) -> str | None:
    """The codec to decode with for a declared charset name; ``None`` when Python has no such codec."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    if label in _GB_FAMILY:
        return "gb18030"
    if label in _UTF8_ALIASES:
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def embedded_charsets(content: bytes) -> list[str]:
    """Charsets the document declares about itself (``<?xml encoding>``, ``<meta>``), in order."""
    head = content[:_HEAD_BYTES]
    found = [m.group(1).decode("ascii") for m in _XML_ENCODING.finditer(head)]
    found += [m.group(1).decode("ascii") for m in _META_CHARSET.finditer(head)]
    return found


def _strict(content: bytes, encoding: str) -> str | None:
    try:
        return content.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_chinese(text: str) -> bool:
    """Whether the non-ASCII characters are overwhelmingly Han characters and CJK punctuation."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    chinese = sum(1 for ch in wide if _CHINESE.match(ch))
    return bool(wide) and chinese >= 0.9 * len(wide)


def _detected(content: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(content).best()
    except Exception:  # detection is a hint; a failing detector must not fail the decode
        return None
    name = canonical_encoding(best.encoding) if best is not None else None
    # Any even-length byte string "decodes" as UTF-16; without NUL bytes it is not UTF-16 text.
    if name and name.startswith(("utf-16", "utf-32")) and b"\x00" not in content:
        return None
    return name


def _decode(content: bytes, declared: str | None, embedded: list[str]) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            text = _strict(content, encoding)
            if text is not None:
                return text.lstrip("\ufeff"), encoding
    candidates = [canonical_encoding(declared)]
    for label in embedded:
        name = canonical_encoding(label)
        # A page stating UTF-16 in its own ASCII-compatible bytes is mistaken (HTML: read as UTF-8).
        candidates.append("utf-8" if name and name.startswith("utf-16") else name)
    known = [c for c in dict.fromkeys(candidates) if c]
    strong = [c for c in known if c not in _WEAK_CODECS]
    weak = [c for c in known if c in _WEAK_CODECS]
    utf8 = _strict(content, "utf-8")
    if utf8 is not None and not content.isascii():
        # Multi-byte UTF-8 almost never arises by accident, whereas UTF-8 Chinese often decodes
        # "successfully" as GB18030 mojibake: valid UTF-8 outranks a GB declaration.
        return utf8, "utf-8"
    for encoding in strong:
        text = _strict(content, encoding)
        if text is not None:
            return text, encoding
    if utf8 is not None:
        return utf8, "utf-8"
    # Detection mistakes short GBK text for Korean or Japanese; this corpus is mainland Chinese.
    chinese = _strict(content, "gb18030")
    if chinese is not None and _mostly_chinese(chinese):
        return chinese, "gb18030"
    detected = _detected(content)
    for encoding in [*([detected] if detected else []), *weak]:
        text = _strict(content, encoding)
        if text is not None:
            return text, encoding
    return content.decode("gb18030", errors="replace"), "gb18030"


def decode_html(content: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding) of an HTML/XML page: BOM; valid multi-byte UTF-8; the HTTP and in-page
    declarations that decode cleanly; UTF-8; GB18030 if it reads as Chinese; detection; GB18030
    with replacement characters."""
    return _decode(content, declared, embedded_charsets(content))


def decode_text(content: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding) of a plain-text file: as :func:`decode_html` without in-page declarations."""
    return _decode(content, declared, [])
