"""The simulator's faults: what each one does to an answer, and how they are specified.

A fault is ``NAME[:GLOB[:COUNT]]``: it applies to request paths ``/HOST/PATH`` matching GLOB
(fnmatch), for the first COUNT matching requests (all when omitted). robots.txt is exempt unless
the glob names it, so that a fault on a whole host still tests the pages rather than the robots
policy.
"""

from __future__ import annotations

import fnmatch
import io
import zipfile
from dataclasses import dataclass

from sources.errors import ConfigError

FAULTS = (
    "timeout",  # hang before answering, past the client's read timeout
    "slow",  # drip the body one byte at a time
    "500",
    "503",  # with Retry-After
    "429",  # with Retry-After
    "truncated",  # Content-Length larger than the body
    "wrong_charset",  # charset=utf-8 header on GBK bytes
    "redirect_loop",
    "moved",  # 301 to /_moved/PATH, which serves the document
    "offsite_redirect",  # 302 to a host no publisher declares
    "waf",  # a WAF interstitial with status 200
    "huge",  # a 2 GB body, declared in Content-Length, streamed lazily
    "huge_undeclared",  # the same without Content-Length
    "zipbomb",  # a small .xlsx whose member expands to hundreds of MB
)
MOVED_PREFIX = "/_moved"
OFFSITE_HOST = "www.example.com"
HUGE_BYTES = 2 * 1024**3
ZEROS = bytes(64 * 1024)
WAF_PAGE = (
    "<html><head><title>访问过于频繁</title></head><body><p>您的访问过于频繁，"
    "请完成安全验证后继续访问。</p></body></html>"
).encode()


@dataclass
class Fault:
    name: str
    glob: str = "*"
    count: int | None = None

    def __post_init__(self) -> None:
        if self.name not in FAULTS:
            raise ConfigError(f"unknown fault {self.name!r} (one of {', '.join(FAULTS)})")
        if self.count is not None and self.count < 0:
            raise ConfigError(f"fault {self.name}: count must be >= 0")

    @classmethod
    def parse(cls, spec: str) -> Fault:
        name, _, rest = spec.partition(":")
        glob, count = rest or "*", None
        head, _, tail = glob.rpartition(":")
        if head and tail.isdigit():
            glob, count = head, int(tail)
        return cls(name=name, glob=glob, count=count)

    def matches(self, path: str) -> bool:
        if path.endswith("/robots.txt") and "robots" not in self.glob:
            return False
        return fnmatch.fnmatchcase(path, self.glob)


@dataclass(frozen=True)
class SimSettings:
    hang_seconds: float = 30.0
    drip_interval: float = 0.2
    retry_after: int = 1
    # Added to every answer, to make concurrency visible and benchmarks realistic.
    latency: float = 0.0
    zipbomb_bytes: int = 256 * 1024**2
    lifetime: float | None = 3600.0


def build_zipbomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(size // len(ZEROS)):  # compressed as it goes: memory stays small
                member.write(ZEROS)
    return buffer.getvalue()


def as_gbk(content: bytes) -> bytes:
    try:
        return content.decode("utf-8").encode("gbk")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return content  # already in a legacy encoding (or not transcodable): serve as is
