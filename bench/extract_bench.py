"""Extraction throughput on the bundled sample archive, beside two reference points.

* ipbench      the full generic extraction (grids, captions, headers, regions, prose) per document
* pandas       ``pandas.read_html`` on the same HTML documents (tables only, no meaning)
* lxml         a bare ``lxml.html`` parse plus every cell's text (the floor for any HTML reader)

Usage: ``python bench/extract_bench.py [--passes N]``. Prints documents/s and rows/s; the ipbench
row count is observations, the others' are table rows.
"""

from __future__ import annotations

import argparse
import io
import time
import warnings
from pathlib import Path

from lxml import html as lxml_html

from sources import config
from sources.errors import IpbenchError
from sources.extract.document import extract_document, sniff_kind
from sources.extract.encoding import decode_html


def sample_documents() -> list[tuple[Path, bytes]]:
    site = config.SAMPLE_DIR / "site"
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.name != "robots.txt")
    return [(p, p.read_bytes()) for p in files]


def run_ipbench(docs) -> int:
    rows = 0
    for path, content in docs:
        try:
            rows += len(extract_document(content, filename=path.name).observations)
        except IpbenchError:
            pass
    return rows


def run_pandas(docs) -> int:
    import pandas as pd

    rows = 0
    for _path, content in docs:
        text, _ = decode_html(content)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tables = pd.read_html(io.StringIO(text), flavor="lxml")
                rows += sum(len(t) for t in tables)
        except ValueError:  # no tables
            pass
    return rows


def run_lxml(docs) -> int:
    rows = 0
    for _path, content in docs:
        tree = lxml_html.fromstring(decode_html(content)[0])
        for tr in tree.iter("tr"):
            [" ".join(td.text_content().split()) for td in tr]
            rows += 1
    return rows


def measure(name: str, func, docs, passes: int) -> tuple[str, int, float, int]:
    func(docs)  # warm caches (reference data, imports)
    started = time.perf_counter()
    rows = 0
    for _ in range(passes):
        rows = func(docs)
    seconds = (time.perf_counter() - started) / passes
    return name, len(docs), seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    docs = sample_documents()
    html_docs = [(p, c) for p, c in docs if sniff_kind(c, p.name) == "html"]
    results = [
        measure("ipbench (all formats)", run_ipbench, docs, args.passes),
        measure("ipbench (HTML only)", run_ipbench, html_docs, args.passes),
        measure("pandas.read_html", run_pandas, html_docs, args.passes),
        measure("bare lxml parse", run_lxml, html_docs, args.passes),
    ]
    print(f"{'reader':<24}{'docs':>6}{'seconds':>10}{'docs/s':>10}{'rows':>8}{'rows/s':>10}")
    for name, count, seconds, rows in results:
        print(
            f"{name:<24}{count:>6}{seconds:>10.3f}{count / seconds:>10.1f}{rows:>8}"
            f"{rows / seconds:>10.1f}"
        )


if __name__ == "__main__":
    main()
