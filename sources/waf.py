"""Recognise interstitial pages: WAF blocks, captchas and soft 404s served with status 200.

Such a page must never be archived as a document: it would replace a good version with a page that
has no statistics and make the parser quarantine everything. The markers live in
``waf_markers.yaml`` beside this module.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from sources.errors import ConfigError

MARKERS_FILE = Path(__file__).resolve().parent / "waf_markers.yaml"
# Binary formats never hold an interstitial: skip them without decoding.
_BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
# Only the head of a page is inspected: interstitials are small, documents may be large.
_HEAD_BYTES = 64 * 1024
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_SCRIPT_STYLE = re.compile(r"<(script|style)[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Markers:
    interstitial: tuple[str, ...]
    soft_error: tuple[str, ...]
    max_text_chars: int


@functools.cache
def load_markers(path: Path = MARKERS_FILE) -> Markers:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Markers(
            interstitial=tuple(str(m).lower() for m in data["interstitial"]),
            soft_error=tuple(str(m).lower() for m in data["soft_error"]),
            max_text_chars=int(data["max_text_chars"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"bad interstitial marker file: {err}", where=str(path)) from None


def _readings(head: bytes) -> list[str]:
    # The page's charset is not known yet (and WAF pages often lie about it): read the head both
    # ways; a marker found in either reading counts.
    return [head.decode("utf-8", errors="ignore"), head.decode("gb18030", errors="ignore")]


def detect_interstitial(content: bytes, *, markers: Markers | None = None) -> str | None:
    """Why ``content`` is an interstitial or soft error page, or ``None`` for a real document."""
    if not content.strip():
        return "empty body"
    if content.startswith(_BINARY_MAGIC):
        return None
    markers = markers or load_markers()
    for text in _readings(content[:_HEAD_BYTES]):
        title_match = _TITLE.search(text)
        title = _SPACE.sub(" ", title_match.group(1)).strip().lower() if title_match else ""
        visible = _SPACE.sub(" ", _TAG.sub(" ", _SCRIPT_STYLE.sub(" ", text))).strip().lower()
        # Script bodies carry the JS-challenge cookie names, so they are searched on short pages.
        raw = text.lower()
        short = len(visible) <= markers.max_text_chars and len(content) <= _HEAD_BYTES
        for kind, words in (
            ("WAF/captcha", markers.interstitial),
            ("soft error", markers.soft_error),
        ):
            for word in words:
                if word in title or (short and (word in visible or word in raw)):
                    return f"{kind} page served with status 200 ({word!r})"
    return None
