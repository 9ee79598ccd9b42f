"""What a publisher module declares about itself, and the two verbs it exposes.

Each module under ``sources/publishers/`` defines ``PUBLISHER`` (a :class:`Publisher`) plus

* ``discover(fetch) -> Iterable[DocumentRef]``: walk the publisher's index/listing pages (``fetch``
  returns a :class:`~sources.records.Document` for a URL, archived by the caller) and yield the
  statistics documents worth parsing;
* ``parse(document) -> ParseResult``: pure, deterministic: the same bytes give the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from sources.records import Document, DocumentRef, ParseResult

Fetch = Callable[[str], Document]


@dataclass(frozen=True)
class Publisher:
    name: str
    title_zh: str
    hosts: tuple[str, ...]
    tier: str = "official"
    # How often the publisher releases new statistics: monthly, quarterly, yearly.
    cadence: str = "yearly"
    # Politeness: requests per second and concurrent requests per host.
    rate_limit: float = 1.0
    max_concurrency: int = 1
    # Index or listing pages discovery starts from.
    entry_points: tuple[str, ...] = field(default_factory=tuple)


class PublisherModule(Protocol):
    PUBLISHER: Publisher

    def discover(self, fetch: Fetch) -> Iterable[DocumentRef]: ...

    def parse(self, document: Document) -> ParseResult: ...
