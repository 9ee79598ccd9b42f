"""Acquisition throughput against the loopback simulator.

Builds a synthetic site (one listing page linking N documents of a few KB each) in a temporary
directory, serves it with the simulator and measures:

* documents fetched per second with politeness off (no rate limit, concurrency 4) and on (the
  project's default of 1 request/s per host, concurrency 1; fewer documents, it is slow by design);
* the time of a no-change second refresh (conditional GETs answered 304) relative to a cold one.

    python bench/acquire_bench.py [--docs 200] [--polite-docs 8] [--doc-kb 40] [--latency 0.01]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HOST = "bench.ipbench.invalid"


def build_site(root: Path, docs: int, rows: int) -> None:
    site = root / "site" / HOST
    (site / "doc").mkdir(parents=True)
    links = []
    for i in range(docs):
        cells = "".join(f"<tr><td>区{j}</td><td>{i * 100 + j}</td></tr>" for j in range(rows))
        page = f"<html><head><meta charset='utf-8'><title>基准 {i}</title></head><body>"
        page += f"<table>{cells}</table></body></html>"
        (site / "doc" / f"{i}.html").write_text(page, encoding="utf-8")
        links.append(f'<li><a href="/doc/{i}.html">基准 {i}</a></li>')
    listing = (
        f"<html><head><title>基准栏目</title></head><body><ul>{''.join(links)}</ul></body></html>"
    )
    (site / "index.html").write_text(listing, encoding="utf-8")
    (root / "manifest.csv").write_text("url,tier,published_on,title,note\n", encoding="utf-8")


def bench_module(rate: float, concurrency: int, limit: int) -> types.ModuleType:
    from sources.publishers.base import Publisher
    from sources.records import DocumentRef, ParseResult

    module = types.ModuleType("benchpub")
    module.PUBLISHER = Publisher(
        name="benchpub",
        title_zh="基准",
        hosts=(HOST,),
        rate_limit=rate,
        max_concurrency=concurrency,
        entry_points=(f"https://{HOST}/",),
    )

    def discover(fetch):
        listing = fetch(f"https://{HOST}/").content.decode("utf-8")
        for href in re.findall(r'href="([^"]+)"', listing)[:limit]:
            yield DocumentRef("benchpub", f"https://{HOST}{href}")

    module.discover = discover
    module.parse = lambda document: ParseResult()
    return module


def run(sim_url: str, module, archive_dir: Path) -> tuple[float, object]:
    from sources.acquire import acquire
    from sources.archive import Archive
    from sources.http import ClientSettings, HttpClient
    from sources.transport import make_transport

    archive = Archive(archive_dir)
    politeness = module.PUBLISHER.rate_limit > 0
    client = HttpClient.for_publishers(
        [module], settings=ClientSettings(politeness=politeness), simulator=sim_url
    )
    transport = make_transport("live", archive=archive, client=client, modules=[module])
    started = time.perf_counter()
    result = acquire(module, transport, archive)
    elapsed = time.perf_counter() - started
    client.close()
    if result.failures:
        raise SystemExit(f"benchmark fetch failed: {result.failures[0]}")
    return elapsed, result.stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--polite-docs", type=int, default=8)
    parser.add_argument("--doc-kb", type=int, default=40, help="size of each document, KB")
    parser.add_argument("--latency", type=float, default=0.01, help="simulated server latency, s")
    args = parser.parse_args()

    from sources.simulator import SimSettings, serve

    with tempfile.TemporaryDirectory(prefix="ipbench-acquire-bench-") as tmp:
        root = Path(tmp)
        build_site(root, args.docs, rows=args.doc_kb * 1024 // 40)
        settings = SimSettings(latency=args.latency, lifetime=3600)
        with serve(root / "site", settings=settings) as simulator:
            fast = bench_module(rate=0.0, concurrency=4, limit=args.docs)
            cold, stats = run(simulator.url, fast, root / "a1")
            warm, warm_stats = run(simulator.url, fast, root / "a1")
            polite = bench_module(rate=1.0, concurrency=1, limit=args.polite_docs)
            polite_time, polite_stats = run(simulator.url, polite, root / "a2")

    print(f"simulated latency {args.latency * 1000:.0f} ms per request")
    print(
        f"politeness off: {stats.documents_fetched} documents in {cold:.2f}s "
        f"= {stats.documents_fetched / cold:.1f} docs/s ({stats.bytes_downloaded / 1e6:.1f} MB)"
    )
    print(
        f"politeness on (1 req/s/host): {polite_stats.documents_fetched} documents in "
        f"{polite_time:.2f}s = {polite_stats.documents_fetched / polite_time:.2f} docs/s"
    )
    print(
        f"no-change refresh: {warm:.2f}s vs cold {cold:.2f}s = {warm / cold:.2f}x "
        f"({warm_stats.documents_unchanged} unchanged, {warm_stats.bytes_downloaded} bytes)"
    )


if __name__ == "__main__":
    main()
