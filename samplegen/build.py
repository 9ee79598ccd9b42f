"""Write the Anhui-side sample documents from ``samplegen/truth.csv`` into the sample archive.

``python -m samplegen.build [--out DIR]`` writes ``DIR/site/<host>/<path>`` for every document and
rewrites, in ``DIR/manifest.csv``, only the rows of the hosts it owns (other rows are kept as they
are, in place). The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from samplegen.layouts import (
    amr,
    benchmark,
    huainan,
    mirrors,
    ncac,
    shanghai_stats,
    yearbook,
    zhejiang_stats,
)
from samplegen.layouts.common import Doc, Lookup
from samplegen.truth import AH_TJJ, AMR, HN_AMR, HN_TJJ, MIRROR_URLS, TRUTH_PATH, read_truth
from sources.transport import url_to_sample_path

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sources" / "sample"
PUBLISHER_HOSTS = tuple(urlsplit(u).netloc for u in (AMR, HN_AMR, HN_TJJ, AH_TJJ))
PUBLISHER_HOSTS += (urlsplit(shanghai_stats.TJJ).netloc, zhejiang_stats.HOST, ncac.HOST)
MANIFEST_FIELDS = ("url", "tier", "published_on", "title", "note")
MAX_BYTES = 60_000


def documents(truth_path: Path = TRUTH_PATH) -> list[Doc]:
    lookup = Lookup(read_truth(truth_path))
    docs = amr.all_docs(lookup) + huainan.all_docs(lookup) + yearbook.all_docs(lookup)
    docs += mirrors.all_docs(lookup) + benchmark.all_docs(lookup)
    docs += shanghai_stats.all_docs(lookup) + zhejiang_stats.all_docs(lookup)
    docs += ncac.all_docs(lookup)
    urls = [d.url for d in docs]
    if len(set(urls)) != len(urls):
        raise ValueError("two documents share a url")
    for doc in docs:
        if len(doc.content) > MAX_BYTES:
            raise ValueError(f"{doc.url} is {len(doc.content)} bytes")
    return sorted(docs, key=lambda d: d.url)


def owned(url: str) -> bool:
    """Whole publisher hosts are ours; on shared hosts only the pages we generate."""
    return (
        urlsplit(url).netloc.lower() in PUBLISHER_HOSTS
        or url in MIRROR_URLS
        or benchmark.generated(url)
    )


def merge_manifest(existing: str, docs: Sequence[Doc]) -> str:
    """Other authors' rows stay as they are and where they are; ours follow, sorted by url."""
    rows = list(csv.DictReader(io.StringIO(existing))) if existing.strip() else []
    kept = [r for r in rows if not owned(r["url"])]
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=MANIFEST_FIELDS, lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(kept)
    for doc in docs:
        writer.writerow(
            {
                "url": doc.url,
                "tier": doc.tier,
                "published_on": doc.published_on,
                "title": doc.title,
                "note": doc.note,
            }
        )
    return out.getvalue()


def write(out_dir: Path, docs: Sequence[Doc]) -> None:
    site = out_dir / "site"
    for host in PUBLISHER_HOSTS:
        shutil.rmtree(site / host, ignore_errors=True)
    for doc in docs:
        target = site / url_to_sample_path(doc.url)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(doc.content)
    for path, items in benchmark.listing_items(docs).items():
        listing = site / path
        if listing.exists():  # the hand-made listing: our items are appended once
            listing.write_bytes(benchmark.extend_listing(listing.read_bytes(), items))
    manifest = out_dir / "manifest.csv"
    existing = manifest.read_text(encoding="utf-8") if manifest.exists() else ""
    manifest.write_text(merge_manifest(existing, docs), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="sample archive directory")
    parser.add_argument("--truth", type=Path, default=TRUTH_PATH, help="ground-truth table")
    args = parser.parse_args(argv)
    docs = documents(args.truth)
    write(args.out, docs)
    print(f"{len(docs)} documents written under {args.out / 'site'}")


if __name__ == "__main__":
    main()
