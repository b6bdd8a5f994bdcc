"""Progress on stderr for long runs: a tqdm bar (pages, pages/s, ETA) when a person is watching.

Quiet when stderr is not a terminal (a log file, a pipe, a test) or when the environment variable
CI is set; a run then prints one summary line at the end instead. The bar appears only after
`DELAY` seconds, so short runs stay silent.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Self

DELAY = 1.0


def show_bars(stream=None) -> bool:
    """True when progress bars should be drawn: stderr is a terminal and CI is not set."""
    stream = stream or sys.stderr
    if os.environ.get("CI"):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class PageProgress:
    """A callable progress(n_done, total, doc_id) drawing a tqdm bar of pages, and a summary line at close."""

    def __init__(self, label: str = "pages", *, quiet: bool = False) -> None:
        self.label = label
        self.quiet = quiet
        self.bar = None
        self.done = 0
        self.total = 0
        self.started = time.perf_counter()

    def __call__(self, n: int, total: int, doc_id: str = "") -> None:
        if self.bar is None and show_bars() and not self.quiet:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="page", desc=self.label, file=sys.stderr, delay=DELAY,
                            dynamic_ncols=True, smoothing=0.05)
        if self.bar is not None:
            self.bar.update(n - self.done)
        self.done, self.total = n, total

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        if not self.quiet and self.total:
            seconds = time.perf_counter() - self.started
            print(f"{self.label}: {self.done}/{self.total} page(s) in {seconds:.1f} s "
                  f"({self.done / max(seconds, 1e-9):.1f} pages/s)", file=sys.stderr, flush=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def notebook_bar(name: str) -> bool | dict:
    """papermill's `progress_bar` argument for one notebook: a per-cell tqdm bar on a terminal, else none."""
    if not show_bars():
        return False
    return {"desc": name, "file": sys.stderr, "leave": False, "dynamic_ncols": True}
