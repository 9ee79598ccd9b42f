"""What a refresh reads, as one hash: the current documents and the code and reference data that
turn them into rows. Two refreshes with the same fingerprint produce the same staging rows
(parsing is pure), so the second may skip parsing, validation and promotion.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

from sources.config import PROJECT_ROOT
from sources.records import Document

# Everything between the archived bytes and the promoted facts.
_CODE_GLOBS = (
    "sources/**/*.py",
    "sources/reference/*.csv",
    "sources/reference/*.yaml",
    "sources/publishers/*.csv",
    "sources/reference/**/*.yaml",
    "sources/waf_markers.yaml",
    "expectations/**/*.py",
    "warehouse/**/*.py",
    "warehouse/sql/**/*.sql",
)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    digest = hashlib.sha256()
    files = sorted({p for pattern in _CODE_GLOBS for p in PROJECT_ROOT.glob(pattern)})
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def input_fingerprint(documents: Iterable[Document]) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    for key in sorted((d.publisher, d.url, d.sha256, d.tier) for d in documents):
        digest.update("\x1f".join(key).encode())
    return digest.hexdigest()
