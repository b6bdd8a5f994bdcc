"""Benchmark: throughput and memory of the build step on distinct synthetic pages (benchmarks/corpus.py).

    python benchmarks/bench_pipeline.py --pages 1000 4000 --modes w1 w2 dask

For each corpus size the pages are generated once, then:
- the **floor** is measured: read the bytes, decode them (aidlab.corpus.load.decode_bytes) and run OpenCC
  t2s over the whole text of every page — what any pipeline over these pages must at least pay;
- each mode runs `aidlab.build.build_corpus` (streamed, every table to Parquet + CSV) in a fresh
  subprocess: `w1` one worker in-process, `w2` two local worker processes, `dask` a Dask
  LocalCluster of two single-threaded worker processes. Peak RSS is sampled with psutil every
  0.1 s: the main process alone, and main + all its descendant processes (workers) together.
Results print as Markdown table rows; RESULTS.md records them by hand. Tests never time anything.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def floor_seconds(folder: Path) -> tuple[float, float]:
    """Read + decode + OpenCC t2s of every page (whole text, as a converter that knows nothing would):
    (wall-clock seconds, CPU seconds)."""
    from aidlab.corpus.load import decode_bytes
    from aidlab.text.script import _t2s

    conv = _t2s()
    conv.convert("預熱")
    start, cpu = time.perf_counter(), time.process_time()
    for path in sorted(folder.glob("*.txt")):
        text, _, _ = decode_bytes(path.read_bytes())
        conv.convert(text)
    return time.perf_counter() - start, time.process_time() - cpu


class RssSampler(threading.Thread):
    """Peak RSS of this process and of this process plus all its descendants, sampled every 0.1 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process()
        self.peak_main = 0
        self.peak_total = 0
        self.stop = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stop.is_set():
            try:
                main = self.proc.memory_info().rss
                total = main
                for child in self.proc.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        total += child.memory_info().rss
                self.peak_main = max(self.peak_main, main)
                self.peak_total = max(self.peak_total, total)
            except psutil.Error:
                pass
            self.stop.wait(0.1)


def run_mode(corpus: str, mode: str) -> dict:
    """One build in this process (called in a fresh subprocess by main)."""
    import resource

    from aidlab.build import build_corpus
    from aidlab.text.script import _t2s

    _t2s().convert("預熱")  # one-time dictionary load, as in the floor's warm-up

    def cpu_now() -> float:
        usage = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        return sum(u.ru_utime + u.ru_stime for u in usage)

    cpu_start = cpu_now()
    sampler = RssSampler()
    sampler.start()
    workers, dask = {"w1": (1, None), "w2": (2, None), "dask": (2, "local")}[mode]
    with tempfile.TemporaryDirectory(dir=Path(corpus).parent) as root:
        start = time.perf_counter()
        target = build_corpus(corpus, root, workers=workers, dask=dask)
        seconds = time.perf_counter() - start
        sampler.stop.set()
        sampler.join()
        record = json.loads((target / "build.json").read_text(encoding="utf-8"))
        rows = record["rows"]
    cpu = cpu_now() - cpu_start  # this process and its (finished) worker processes, during the build
    return {"seconds": seconds, "cpu": cpu, "claims": rows["claims"], "checks": rows["checks"], "documents": rows["documents"],
            "rss_main_mib": sampler.peak_main / 2**20, "rss_total_mib": sampler.peak_total / 2**20}


def machine() -> str:
    import pandas as pd

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), {mem:.0f} GiB, "
            f"Python {platform.python_version()}, pandas {pd.__version__}, {platform.system()} {platform.release()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[1000])
    parser.add_argument("--modes", nargs="+", default=["w1", "w2", "dask"], choices=["w1", "w2", "dask"])
    parser.add_argument("--run", help=argparse.SUPPRESS)        # internal: one mode in a subprocess
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_mode(args.corpus, args.run)))
        return
    from corpus import make_corpus

    print(f"# {machine()}")
    print("| pages | mode | wall s | pages/s | floor wall s | × floor (wall) | CPU s (main+workers) | floor CPU s | × floor (CPU) "
          "| claims | checks | peak RSS main (MiB) | peak RSS main+workers (MiB) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("CI", None)
    for n in args.pages:
        with tempfile.TemporaryDirectory(prefix=f"aidlab-bench-{n}-") as tmp:
            folder = Path(tmp) / f"bench{n}"
            make_corpus(folder, n)
            for mode in args.modes:
                floor, floor_cpu = floor_seconds(folder)  # measured right before each run, on the same pages
                proc = subprocess.run([sys.executable, __file__, "--run", mode, "--corpus", str(folder)],
                                      capture_output=True, text=True, env=env, check=False)
                if proc.returncode:
                    print(proc.stderr, file=sys.stderr)
                    continue
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                print(f"| {n} | {mode} | {r['seconds']:.1f} | {n / r['seconds']:.1f} | {floor:.1f} | "
                      f"{r['seconds'] / floor:.1f} | {r['cpu']:.1f} | {floor_cpu:.1f} | {r['cpu'] / floor_cpu:.1f} | "
                      f"{r['claims']} | {r['checks']} | {r['rss_main_mib']:.0f} | {r['rss_total_mib']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
