"""Records that cross package boundaries.

A publisher's ``discover`` yields :class:`DocumentRef`; acquisition turns each into a
:class:`Document` (original bytes + provenance); ``parse`` turns a document into
:class:`RawObservation` (labels as printed) and :class:`QuarantineRow`; normalisation turns raw
observations into :class:`Observation` (canonical region code, indicator id, unit and period).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal

TIERS = ("official", "office", "secondary", "sample")
# Preference when two documents give the same key: official > office > secondary > sample.
TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS)}


def tiers_label(tiers: Iterable[str]) -> str:
    """Distinct tiers, best first: 'official,sample' tells a reader a sample figure is inside."""
    return ",".join(sorted(set(tiers), key=lambda t: TIER_RANK.get(t, len(TIER_RANK))))


PERIOD_KINDS = ("stock", "year", "ytd", "month", "half")
# The columns of an observation as DESIGN.md's contract prints it (``ipbench extract``) and as the
# warehouse's tables and views name them.
CONTRACT_COLUMNS = (
    "region_code",
    "region_name",
    "indicator",
    "period_kind",
    "period_end",
    "value",
    "unit",
    "qualifier",
    "evidence",
)
QUALIFIERS = ("", "lower_bound", "upper_bound", "approx")


@dataclass(frozen=True)
class DocumentRef:
    """A document a publisher points at: a statistics page, a table or an attachment."""

    publisher: str
    url: str
    title: str = ""
    # Publication date when the listing says so (the page itself may say better).
    published_on: dt.date | None = None
    # The listing or notice the link was found on, for provenance.
    found_on: str = ""


@dataclass(frozen=True)
class Document:
    """Original bytes of one fetched document and where they came from."""

    ref: DocumentRef
    content: bytes
    sha256: str
    final_url: str
    content_type: str = ""
    encoding: str = ""
    retrieved_at: dt.datetime | None = None
    tier: str = "official"
    published_on: dt.date | None = None
    status: int = 200
    etag: str = ""
    last_modified: str = ""

    @property
    def publisher(self) -> str:
        return self.ref.publisher

    @property
    def url(self) -> str:
        return self.ref.url

    @property
    def title(self) -> str:
        return self.ref.title


@dataclass(frozen=True)
class RawObservation:
    """One figure as printed, before its labels are mapped to the vocabulary.

    ``value`` is already a number in ``unit`` as printed (``17.83`` with unit ``万件``);
    normalisation converts it to the indicator's canonical unit.
    """

    region_label: str
    indicator_label: str
    period_kind: str
    period_end: dt.date
    value: Decimal
    unit: str
    qualifier: str = ""
    evidence: str = ""
    location: str = ""
    # Resolved codes when the parser already knows them (e.g. a table column mapped by keyword).
    region_code: str = ""
    indicator: str = ""
    vintage: str = ""
    series: str = ""


@dataclass(frozen=True)
class Observation:
    """One figure in the project's vocabulary, with its provenance.

    ``series`` keeps series apart across a method break (empty for the main series);
    ``vintage`` says which revision of a denominator this is (``census``, ``pre-census``,
    ``revised``).
    """

    region_code: str
    region_name: str
    indicator: str
    period_kind: str
    period_end: dt.date
    value: Decimal
    unit: str
    qualifier: str = ""
    evidence: str = ""
    location: str = ""
    document_sha256: str = ""
    publisher: str = ""
    tier: str = ""
    published_on: dt.date | None = None
    vintage: str = ""
    series: str = ""
    raw_value: str = ""

    def as_row(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class QuarantineRow:
    """A row or figure that could not be understood, with the reason; never silently dropped."""

    document_sha256: str
    publisher: str
    location: str
    raw_text: str
    reason: str
    url: str = ""

    def as_row(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class ParseResult:
    """What parsing one document produced."""

    observations: list[RawObservation] = field(default_factory=list)
    quarantine: list[QuarantineRow] = field(default_factory=list)
    # Documents referenced by this one (attachments) that acquisition should fetch too.
    attachments: list[DocumentRef] = field(default_factory=list)
    # The publication date the document itself states (it wins over a listing's or URL's date).
    published_on: dt.date | None = None

    def extend(self, other: ParseResult) -> None:
        self.observations.extend(other.observations)
        self.quarantine.extend(other.quarantine)
        self.attachments.extend(other.attachments)
