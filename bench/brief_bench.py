"""Brief generation time: a sample refresh once, then the brief in each format and in all three.

python bench/brief_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from briefs.make import make_brief
    from pipelines.refresh import run_refresh
    from warehouse.db import make_engine

    with tempfile.TemporaryDirectory(prefix="ipbench-brief-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'warehouse.db'}"
        outcome = run_refresh("sample", database_url=url, archive_root=str(Path(tmp) / "archive"))
        print(f"sample refresh: {outcome.status} in {outcome.seconds:.1f}s")
        engine = make_engine(url)
        for formats in (("html",), ("docx",), ("pdf",), ("docx", "html", "pdf")):
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                make_brief(engine, formats=formats, out_dir=Path(tmp) / "briefs")
                times.append(time.perf_counter() - started)
            label = "+".join(formats)
            print(f"{label:<16}{statistics.median(times):>8.2f}s (median of {args.repeat})")


if __name__ == "__main__":
    main()
