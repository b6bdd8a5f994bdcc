"""Benchmark: throughput and memory of the pipeline on a synthetic corpus made from the seeds.

Run with `make benchmark` (or `python benchmarks/bench_pipeline.py --docs 500`). Results are appended
to benchmarks/RESULTS.md by hand after a run; tests never time anything.
Targets (see RESULTS.md): ≥ 20 documents/s on one core, peak resident memory ≤ 1 GiB for 1 000 documents.
"""
from __future__ import annotations

import argparse
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from aidlab import pipeline  # noqa: E402


def make_corpus(folder: Path, n: int) -> None:
    """n pages cycled from the seeds (no manifest: these copies are not evidence)."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i in range(n):
        shutil.copyfile(seeds[i % len(seeds)], folder / f"bench_{i:06d}.txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--drop-docs", action="store_true", help="build(keep_docs=False), as a large corpus would")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_corpus(folder, args.docs)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt"))
        print(f"# {args.docs} documents, {chars:,} characters, keep_docs={not args.drop_docs}; "
              f"Python {platform.python_version()}, {platform.machine()}")
        print("| workers | seconds | documents/s | claims | checks | peak RSS (MiB) |")
        print("|---|---|---|---|---|---|")
        for workers in args.workers:
            start = time.perf_counter()
            tables = pipeline.build(folder, workers=workers, keep_docs=not args.drop_docs)
            seconds = time.perf_counter() - start
            rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
            print(f"| {workers} | {seconds:.1f} | {args.docs / seconds:.1f} | {len(tables.claims)} | "
                  f"{len(tables.checks)} | {rss:.0f} |")


if __name__ == "__main__":
    main()
