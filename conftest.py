"""Root of the test session: nothing a test runs may write into the checkout.

nbval executes the notebooks with their default parameters, and those defaults read
AIDLAB_BUILD_ROOT and AIDLAB_FIGURES_DIR (falling back to ../build and ../figures for a researcher
in JupyterLab). The session points both at a temporary folder, removed at the end, before any
kernel starts (kernels inherit the environment), and registers the `aidlab` kernel nbval uses.
"""
from __future__ import annotations

import os
import shutil
import tempfile

_SCRATCH: list[str] = []


def pytest_configure(config):
    scratch = tempfile.mkdtemp(prefix="aidlab-test-")
    _SCRATCH.append(scratch)
    os.environ["AIDLAB_BUILD_ROOT"] = os.path.join(scratch, "build")
    os.environ["AIDLAB_FIGURES_DIR"] = os.path.join(scratch, "figures")
    os.environ.setdefault("MPLBACKEND", "Agg")
    from aidlab.runner import ensure_kernel

    ensure_kernel()


def pytest_unconfigure(config):
    while _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(), ignore_errors=True)
