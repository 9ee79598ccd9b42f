"""Parse and normalise archived documents: publisher parsers + the normaliser, no I/O.

Each document is parsed by its publisher's module; every raw figure is normalised to the project's
vocabulary or quarantined with a reason. A parser that raises is a quarantine row for the whole
document, never a crash of the refresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType

from sources import publishers
from sources.errors import IpbenchError
from sources.normalise import normalise_all
from sources.progress import NullProgress, Progress
from sources.records import Document, DocumentRef, Observation, QuarantineRow


@dataclass
class ParsedBatch:
    observations: list[Observation] = field(default_factory=list)
    quarantine: list[QuarantineRow] = field(default_factory=list)
    skipped_out_of_scope: int = 0
    rows_by_publisher: Counter = field(default_factory=Counter)
    documents_by_publisher: Counter = field(default_factory=Counter)


def one_per_key(
    observations: Iterable[Observation],
) -> tuple[list[Observation], list[QuarantineRow]]:
    """The first figure per key in a document; a repeat with the same value is dropped, a repeat
    with another value is quarantined (a document must not say two things about one key)."""
    kept: dict[tuple, Observation] = {}
    conflicts = []
    for obs in observations:
        key = (obs.region_code, obs.indicator, obs.period_kind, obs.period_end, obs.series)
        first = kept.setdefault(key, obs)
        if first is not obs and first.value != obs.value:
            conflicts.append(
                QuarantineRow(
                    document_sha256=obs.document_sha256,
                    publisher=obs.publisher,
                    location=obs.location,
                    raw_text=obs.raw_value,
                    reason=(
                        f"{obs.region_name} {obs.indicator} {obs.period_end} is printed twice in "
                        f"the document with different values ({first.value} at {first.location})"
                    ),
                )
            )
    return list(kept.values()), conflicts


def parse_document(module: ModuleType, document: Document) -> ParsedBatch:
    batch = ParsedBatch()
    try:
        result = module.parse(document)
    except IpbenchError as err:
        batch.quarantine.append(_whole_document(document, str(err)))
        return batch
    except Exception as err:  # noqa: BLE001 - a parser bug must cost one document, not the night
        batch.quarantine.append(
            _whole_document(document, f"parser failed: {type(err).__name__}: {err}")
        )
        return batch
    if result.published_on:
        document = replace(document, published_on=result.published_on)
    observations, quarantined, skipped = normalise_all(result.observations, document)
    observations, conflicts = one_per_key(observations)
    quarantined.extend(conflicts)
    batch.observations.extend(observations)
    batch.quarantine.extend(result.quarantine)
    batch.quarantine.extend(quarantined)
    batch.skipped_out_of_scope += skipped
    batch.rows_by_publisher[document.publisher] += len(observations)
    batch.documents_by_publisher[document.publisher] += 1
    return batch


def parse_documents(documents: Iterable[Document], progress: Progress | None = None) -> ParsedBatch:
    documents = list(documents)
    progress = progress or NullProgress()
    progress.start("parse and normalise", total=len(documents))
    batch = ParsedBatch()
    for document in documents:
        progress.advance(1, document.url)
        one = parse_document(publishers.load(document.publisher), document)
        batch.observations.extend(one.observations)
        batch.quarantine.extend(one.quarantine)
        batch.skipped_out_of_scope += one.skipped_out_of_scope
        batch.rows_by_publisher.update(one.rows_by_publisher)
        batch.documents_by_publisher.update(one.documents_by_publisher)
    progress.done(f"{len(batch.observations)} observations, {len(batch.quarantine)} quarantined")
    return batch


def _whole_document(document: Document, reason: str) -> QuarantineRow:
    return QuarantineRow(
        document_sha256=document.sha256,
        publisher=document.publisher,
        location="document",
        raw_text=document.title or document.url,
        reason=reason,
        url=document.url,
    )


def extract_file(
    content: bytes,
    *,
    filename: str,
    published: dt.date | None = None,
    region_code: str = "",
) -> tuple[list[Observation], list[QuarantineRow]]:
    """``ipbench extract``: any file through the generic extractors and the normaliser, keeping
    every region the reference data recognises (inside the Yangtze Delta or not)."""
    from sources.extract.document import extract_document

    sha = hashlib.sha256(content).hexdigest()
    url = Path(filename).resolve().as_uri() if filename else "file:stdin"
    document = Document(
        ref=DocumentRef(
            publisher="file", url=url, title=Path(filename).name, published_on=published
        ),
        content=content,
        sha256=sha,
        final_url=url,
        published_on=published,
    )
    try:
        found = extract_document(
            content, filename=filename, published=published, region_code=region_code
        )
    except IpbenchError as err:
        return [], [_whole_document(document, str(err))]
    document = replace(document, published_on=found.published)
    observations, quarantined, _ = normalise_all(found.observations, document, in_scope_only=False)
    observations, conflicts = one_per_key(observations)
    skipped = [
        QuarantineRow(sha, "file", s.location, s.raw_text, s.reason, url) for s in found.skipped
    ]
    return observations, [*skipped, *quarantined, *conflicts]
