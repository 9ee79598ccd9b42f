"""The project's error hierarchy.

Every error carries where it happened (document URL or sha256, location inside it) so that the
CLI can print one clear line and the refresh can record it without a traceback.
"""

from __future__ import annotations


class IpbenchError(Exception):
    """Base class: ``str(err)`` is the one line a person reads."""

    def __init__(self, message: str, *, where: str = "") -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class ConfigError(IpbenchError):
    """A reference file or setting is wrong."""


class FetchError(IpbenchError):
    """A document could not be fetched (network, HTTP status, WAF page, size cap, robots.txt)."""


class ParseError(IpbenchError):
    """A document could not be understood (unknown layout, bad encoding, no text layer, hostile file)."""


class ValidationFailed(IpbenchError):
    """An ERROR expectation failed: nothing is promoted."""


class QueryError(IpbenchError):
    """An analyst's query was refused or failed."""


class BriefError(IpbenchError):
    """A brief cannot be made (no data for the year, no CJK font, an output that cannot be written)."""
