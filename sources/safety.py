"""Guards against hostile files before a parser opens them.

An XLSX/DOCX is a zip archive: a few kilobytes can expand to gigabytes (a zip bomb). The members'
declared sizes are checked before any library decompresses them.
"""

from __future__ import annotations

import io
import zipfile

from sources.errors import ParseError

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_MEMBERS = 10_000


def check_zip_safety(content: bytes, *, where: str = "") -> None:
    """Raise ParseError if ``content`` is not a zip or would expand beyond safe limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise ParseError(
            "not a valid zip container (damaged or truncated .xlsx)", where=where
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ParseError(f"refusing zip with {len(members)} members", where=where)
        total = sum(member.file_size for member in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ParseError(
                f"refusing zip bomb: members expand to {total // (1024 * 1024)} MB", where=where
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
                raise ParseError(
                    f"refusing zip bomb: {member.filename} compresses {ratio:.0f}:1", where=where
                )
