"""The refresh graph: acquire → parse/normalise (staging) → validate → promote → marts.

Assets are thin: each calls library code in ``sources`` or ``warehouse`` and records what it did
as metadata (rows, documents, seconds) so the UI and the benchmark can read it.
"""

import time

import dagster as dg

from pipelines.resources import ArchiveResource, WarehouseResource
from sources import config, publishers
from sources.acquire import acquire_all
from sources.fingerprint import input_fingerprint
from sources.parse import parse_documents
from sources.publishers import office
from warehouse import load, marts, promote, runs

INGEST = "ingest"
WAREHOUSE = "warehouse"


@dg.asset(
    group_name=INGEST,
    kinds={"python"},
    required_resource_keys={"progress", "archive", "warehouse"},
    description="Fetch and archive every publisher's documents, and the office's filled templates.",
)
def documents(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    started = time.perf_counter()
    archive: ArchiveResource = context.resources.archive
    warehouse: WarehouseResource = context.resources.warehouse
    engine = warehouse.engine()
    runs.start_run(engine, archive.mode, run_id=context.run.run_id)
    load.load_reference(engine)
    store = archive.archive()
    result = acquire_all(
        publishers.all_publishers(),
        archive.transport(store),
        store,
        progress=context.resources.progress,
    )
    office_documents = office.collect_inbox(store, config.inbox_dir())
    load.record_documents(engine, [*result.documents, *office_documents])
    stats = result.stats
    runs.update_run(
        engine,
        context.run.run_id,
        documents_seen=stats.documents_seen,
        documents_fetched=stats.documents_fetched,
        documents_unchanged=stats.documents_unchanged,
        documents_failed=stats.documents_failed,
        bytes_downloaded=stats.bytes_downloaded,
    )
    for failure in result.failures:
        context.log.warning(f"{failure.publisher}: {failure.url}: {failure.reason}")
    return dg.MaterializeResult(
        metadata={
            "documents": len(result.documents),
            "office_workbooks": len(office_documents),
            "fetched": stats.documents_fetched,
            "unchanged": stats.documents_unchanged,
            "failed": stats.documents_failed,
            "failures": [f"{f.publisher}: {f.url}: {f.reason}" for f in result.failures][:50],
            "seconds": time.perf_counter() - started,
        }
    )


@dg.asset(
    group_name=INGEST,
    deps=[documents],
    kinds={"python", "sql"},
    required_resource_keys={"progress", "archive", "warehouse"},
    description="Parse and normalise the current documents into the staging table; quarantine the rest.",
)
def staged_observations(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    started = time.perf_counter()
    archive: ArchiveResource = context.resources.archive
    warehouse: WarehouseResource = context.resources.warehouse
    engine = warehouse.engine()
    store = archive.archive()
    known = {module.PUBLISHER.name for module in publishers.all_publishers()}
    current = [doc for doc in store.documents() if doc.publisher in known]
    runs.update_run(engine, context.run.run_id, input_fingerprint=input_fingerprint(current))
    same_as = runs.unchanged_since(engine, context.run.run_id)
    if same_as:
        # Same documents, same code: the rows would be those of that run, already promoted.
        return dg.MaterializeResult(
            metadata={
                "unchanged_since": same_as,
                "rows": 0,
                "seconds": time.perf_counter() - started,
            }
        )
    batch = parse_documents(current, progress=context.resources.progress)
    load.stage(engine, context.run.run_id, batch.observations)
    load.quarantine(engine, context.run.run_id, batch.quarantine)
    runs.update_run(
        engine,
        context.run.run_id,
        observations=len(batch.observations),
        quarantined=len(batch.quarantine),
    )
    return dg.MaterializeResult(
        metadata={
            "rows": len(batch.observations),
            "quarantined": len(batch.quarantine),
            "out_of_scope_skipped": batch.skipped_out_of_scope,
            "rows_by_publisher": dict(batch.rows_by_publisher),
            "seconds": time.perf_counter() - started,
        }
    )


@dg.asset(
    group_name=WAREHOUSE,
    deps=[staged_observations],
    kinds={"sql"},
    description="Promote validated staging rows to observation (history) and fact (current values).",
)
def facts(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    started = time.perf_counter()
    engine = warehouse.engine()
    same_as = runs.unchanged_since(engine, context.run.run_id)
    if same_as:
        runs.update_run(engine, context.run.run_id, message=f"no change since run {same_as}")
        return dg.MaterializeResult(
            metadata={"unchanged_since": same_as, "seconds": time.perf_counter() - started}
        )
    stats = promote.promote(engine, context.run.run_id)
    runs.update_run(engine, context.run.run_id, promoted=stats.new_observations)
    return dg.MaterializeResult(
        metadata={
            "new_observations": stats.new_observations,
            "new_revisions": stats.new_revisions,
            "facts_changed": stats.facts_changed,
            "seconds": time.perf_counter() - started,
        }
    )


@dg.asset(
    group_name=WAREHOUSE,
    deps=[facts],
    kinds={"sql"},
    description="Benchmark and gap marts, rebuilt from the facts (kept when no input changed).",
)
def benchmark_marts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    started = time.perf_counter()
    engine = warehouse.engine()
    same_as = runs.unchanged_since(engine, context.run.run_id)
    # The marts are a function of the facts and of the code and reference data (peer groups,
    # targets, weights) in the fingerprint: unchanged inputs leave that run's marts exact.
    counts = {} if same_as else marts.rebuild_marts(engine)
    runs.finish_run(
        engine, context.run.run_id, "succeeded", f"no change since run {same_as}" if same_as else ""
    )
    pruned = load.prune_staging(engine, config.staging_keep_runs())
    return dg.MaterializeResult(
        metadata={
            **{f"{name}_rows": n for name, n in counts.items()},
            **({"unchanged_since": same_as} if same_as else {}),
            "staging_rows_pruned": pruned,
            "seconds": time.perf_counter() - started,
        }
    )


BRIEFS = "briefs"


@dg.asset(
    group_name=BRIEFS,
    deps=[benchmark_marts],
    kinds={"python"},
    description="The office's latest benchmarking brief (DOCX, HTML, PDF) from the fresh marts.",
)
def latest_brief(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    from briefs.make import make_brief

    started = time.perf_counter()
    brief, paths = make_brief(warehouse.engine(), out_dir=config.data_dir() / "briefs")
    return dg.MaterializeResult(
        metadata={
            "year": brief.year,
            "files": [str(p) for p in paths],
            "sample_watermark": brief.uses_sample,
            "seconds": time.perf_counter() - started,
        }
    )


# What `ipbench refresh` materialises; the brief is made by the nightly job and `ipbench brief`.
ASSETS = [documents, staged_observations, facts, benchmark_marts]
ALL_ASSETS = [*ASSETS, latest_brief]
