"""Cold offline refresh benchmark: wall time per stage and in total, peak memory, Dagster overhead.

Runs ``ipbench refresh --mode sample`` in-process against a fresh data directory (SQLite by
default; pass ``--database-url`` for PostgreSQL) and prints one line per stage. Dagster overhead is
the total minus the stages' own time (the seconds each asset records in its metadata).

    python bench/run.py [--repeat 3] [--database-url postgresql+psycopg2://…]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def one_cold_refresh(database_url: str) -> tuple[float, dict[str, float], str, float]:
    """A cold refresh on an empty warehouse, then a no-change one on the same warehouse."""
    from pipelines.refresh import run_refresh

    with tempfile.TemporaryDirectory(prefix="ipbench-bench-") as tmp:
        os.environ["IPBENCH_DATA_DIR"] = tmp
        url = database_url or f"sqlite:///{Path(tmp) / 'warehouse.db'}"
        name = ""
        if database_url.startswith("postgresql"):
            name, url = _fresh_postgres(database_url)
        try:
            started = time.perf_counter()
            outcome = run_refresh(
                "sample", database_url=url, archive_root=str(Path(tmp) / "archive")
            )
            total = time.perf_counter() - started
            started = time.perf_counter()
            run_refresh("sample", database_url=url, archive_root=str(Path(tmp) / "archive"))
            warm = time.perf_counter() - started
        finally:
            if name:
                _drop_postgres(database_url, name)
        return total, outcome.stage_seconds, outcome.status, warm


def _admin(url: str):
    from sqlalchemy import create_engine

    return create_engine(url, isolation_level="AUTOCOMMIT")


def _fresh_postgres(admin_url: str) -> tuple[str, str]:
    """A new, empty database beside ``admin_url`` so every run is cold."""
    from sqlalchemy import text

    name = f"ipbench_bench_{uuid.uuid4().hex[:8]}"
    engine = _admin(admin_url)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return name, admin_url.rsplit("/", 1)[0] + f"/{name}"


def _drop_postgres(admin_url: str, name: str) -> None:
    from sqlalchemy import text

    engine = _admin(admin_url)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file per run")
    args = parser.parse_args()

    import_started = time.perf_counter()
    import pipelines.refresh  # noqa: F401  (imports counted separately: dagster is heavy)

    import_seconds = time.perf_counter() - import_started
    totals, stages_runs, warms = [], [], []
    for i in range(args.repeat):
        total, stages, status, warm = one_cold_refresh(args.database_url)
        totals.append(total)
        stages_runs.append(stages)
        warms.append(warm)
        print(f"run {i + 1}: cold {total:.2f}s ({status}), no-change {warm:.2f}s")
    backend = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    print(
        f"\nbackend: {backend}; import of pipelines (dagster, polars, sqlalchemy): {import_seconds:.2f}s"
    )
    print(f"{'stage':<24}{'median s':>10}")
    stage_names = list(stages_runs[0])
    for name in stage_names:
        print(f"{name:<24}{statistics.median(r.get(name, 0.0) for r in stages_runs):>10.2f}")
    median_total = statistics.median(totals)
    own = statistics.median(sum(r.values()) for r in stages_runs)
    print(f"{'stages total':<24}{own:>10.2f}")
    print(f"{'dagster overhead':<24}{median_total - own:>10.2f}")
    print(f"{'refresh total':<24}{median_total:>10.2f}")
    validation = statistics.median(r.get("validation (GX)", 0.0) for r in stages_runs)
    print(f"{'validation share':<24}{100 * validation / median_total:>9.0f}%")
    warm = statistics.median(warms)
    print(f"{'no-change refresh':<24}{warm:>10.2f}  ({100 * warm / median_total:.0f}% of cold)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (MB)':<24}{peak_mb:>10.0f}")


if __name__ == "__main__":
    main()
