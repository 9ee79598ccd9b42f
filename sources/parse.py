"""Parse and normalise archived documents: publisher parsers + the normaliser, no I/O.

Each document is parsed by its publisher's module; every raw figure is normalised to the project's
vocabulary or quarantined with a reason. A parser that raises is a quarantine row for the whole
document, never a crash of the refresh.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import ModuleType

from sources import publishers
from sources.errors import IpbenchError
from sources.normalise import normalise_all
from sources.progress import NullProgress, Progress
from sources.records import Document, Observation, QuarantineRow


@dataclass
class ParsedBatch:
    observations: list[Observation] = field(default_factory=list)
    quarantine: list[QuarantineRow] = field(default_factory=list)
    skipped_out_of_scope: int = 0
    rows_by_publisher: Counter = field(default_factory=Counter)
    documents_by_publisher: Counter = field(default_factory=Counter)


def parse_document(module: ModuleType, document: Document) -> ParsedBatch:
    batch = ParsedBatch()
    try:
        result = module.parse(document)
    except IpbenchError as err:
        batch.quarantine.append(_whole_document(document, str(err)))
        return batch
    observations, quarantined, skipped = normalise_all(result.observations, document)
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
