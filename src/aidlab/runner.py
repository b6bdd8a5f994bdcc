"""Run the numbered notebooks in order with papermill, into a build folder, never over the sources.

The kernel is resolved explicitly: a kernelspec named `aidlab` is registered inside the running
interpreter's prefix (the project's virtual environment), so a fresh venv never picks up some other
`python3` kernel from the user's Jupyter paths.
"""
from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import NotebookRunError
from .io import atomic_path
from .progress import notebook_bar

NOTEBOOK_PATTERN = re.compile(r"^\d\d_.+\.ipynb$")
KERNEL_NAME = "aidlab"


@dataclass(frozen=True)
class RunResult:
    """One executed notebook: where it came from, where the executed copy is, how long it took."""

    source: Path
    output: Path
    seconds: float


def numbered_notebooks(notebook_dir: str | Path) -> list[Path]:
    """The notebooks named NN_*.ipynb in a folder, in order; error when there are none."""
    folder = Path(notebook_dir)
    found = sorted(p for p in folder.glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))
    if not found:
        raise NotebookRunError(f"{folder}: no numbered notebooks (NN_name.ipynb) to run")
    return found


# ipykernel 7 logs "Kernel is running over TCP without encryption ..." whenever a kernel starts on TCP,
# which is how JupyterLab, papermill and nbval start every local kernel.  The sockets listen on
# 127.0.0.1 and every message is signed with the connection file's HMAC key, so the warning gives a
# researcher nothing to act on.  The kernel drops that one log record (every other one still shows)
# and starts exactly as `python -m ipykernel_launcher` would.  Inline, so the kernelspec works with
# any installed version of this package.
_KERNEL_BOOT = (
    "import logging\n"
    "from ipykernel import kernelapp\n"
    "class DropTcpWarning(logging.Filter):\n"
    "    def filter(self, record):\n"
    "        return 'running over TCP without encryption' not in record.getMessage()\n"
    "app = kernelapp.IPKernelApp.instance()\n"
    "app.log.addFilter(DropTcpWarning())\n"
    "app.initialize()\n"
    "app.start()\n"
)


def kernel_argv() -> list[str]:
    """How the `aidlab` kernel starts: this interpreter, ipykernel minus its TCP warning."""
    return [sys.executable, "-c", _KERNEL_BOOT, "-f", "{connection_file}"]


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Register a kernelspec `name` for this interpreter inside sys.prefix unless it already is the one we want."""
    import json

    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
        if spec.argv == kernel_argv():
            return name
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    path = Path(install(kernel_name=name, display_name=f"Python ({name})", prefix=sys.prefix))
    spec_file = path / "kernel.json"
    data = json.loads(spec_file.read_text(encoding="utf-8"))
    data["argv"] = kernel_argv()
    with atomic_path(spec_file) as tmp:
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return name


def _cell_of(exc: BaseException) -> str:
    index = getattr(exc, "cell_index", None)
    count = getattr(exc, "exec_count", None)
    if index is None:
        return "an unknown cell"
    return f"cell {index} (execution count {count})"


_KERNELS: weakref.WeakSet = weakref.WeakSet()


@functools.lru_cache(maxsize=1)
def _tracked_kernel_manager():
    """An AsyncKernelManager class that remembers its instances, so Ctrl-C can stop their kernels."""
    from jupyter_client.manager import AsyncKernelManager

    class TrackedKernelManager(AsyncKernelManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            _KERNELS.add(self)

    return TrackedKernelManager


def _kill_kernels() -> None:
    """Kill every kernel this process started (each runs in its own session: its group goes with it)."""
    for km in list(_KERNELS):
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _execute(run: Callable[[], None]) -> None:
    """Run one notebook execution in a thread and wait for it, so that Ctrl-C reaches this (main) thread.

    Papermill's client, run in the main thread, takes SIGINT over to shut the kernel down gracefully
    while the cell still runs, which races with the cell and lets the kernel print tracebacks. Here
    Ctrl-C raises KeyboardInterrupt in the main thread: the kernel is killed at once, the execution
    thread ends on the dead kernel, and the KeyboardInterrupt goes on (no output file is kept).
    """
    outcome: list[BaseException] = []

    def target() -> None:
        try:
            run()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which re-raises it
            outcome.append(exc)
        finally:  # the event loop the notebook client made for this thread (else "unclosed event loop")
            import asyncio

            try:
                loop: asyncio.AbstractEventLoop | None = asyncio.get_event_loop_policy().get_event_loop()
            except RuntimeError:
                loop = None
            if loop is not None and not loop.is_running() and not loop.is_closed():
                loop.close()

    worker = threading.Thread(target=target, name="aidlab-notebook", daemon=True)
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        deadline = time.monotonic() + 15
        while worker.is_alive() and time.monotonic() < deadline:
            _kill_kernels()  # again and again: a kernel may still be starting
            worker.join(0.1)
        _kill_kernels()
        raise
    if outcome:
        raise outcome[0]


def run_notebooks(
    notebook_dir: str | Path,
    build_dir: str | Path,
    parameters: dict,
    *,
    kernel_name: str | None = None,
    progress: Callable[[str], None] = print,
    only: list[str] | None = None,
) -> list[RunResult]:
    """Execute every numbered notebook in order with `parameters`; executed copies go to build_dir.

    Each copy is written atomically. A failing notebook raises NotebookRunError naming the notebook
    and the cell, with the error it raised; notebooks after it are not run. Ctrl-C (KeyboardInterrupt)
    kills the running kernel and leaves no executed copy of the interrupted notebook.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    kernel = kernel_name or ensure_kernel()
    sources = numbered_notebooks(notebook_dir)
    if only:
        sources = [s for s in sources if any(s.name.startswith(o) for o in only)]
        if not sources:
            raise NotebookRunError(f"{notebook_dir}: no numbered notebook matches {only}")
    build = Path(build_dir)
    build.mkdir(parents=True, exist_ok=True)
    results = []
    for i, source in enumerate(sources, 1):
        output = build / source.name
        progress(f"[{i}/{len(sources)}] {source.name} …")
        start = time.perf_counter()
        with atomic_path(output, suffix=".ipynb") as tmp:
            try:
                _execute(functools.partial(
                    pm.execute_notebook, str(source), str(tmp), parameters=parameters, kernel_name=kernel,
                    cwd=str(source.parent), progress_bar=notebook_bar(source.name), log_output=False, language="python",
                    kernel_manager_class=_tracked_kernel_manager(),
                ))
            except PapermillExecutionError as exc:
                failed = build / f"{source.stem}.failed.ipynb"
                shutil.copyfile(tmp, failed)
                raise NotebookRunError(
                    f"{source}: failed in {_cell_of(exc)}: {exc.ename}: {exc.evalue} "
                    f"(executed copy with the traceback: {failed})"
                ) from exc
            except Exception as exc:
                raise NotebookRunError(f"{source}: could not be executed: {type(exc).__name__}: {exc}") from exc
        seconds = time.perf_counter() - start
        progress(f"[{i}/{len(sources)}] {source.name} done in {seconds:.1f} s → {output}")
        results.append(RunResult(source, output, seconds))
    return results


def _join_streams(outputs: list) -> list:
    """Consecutive stream outputs of the same stream (stdout, stderr) as one output."""
    joined: list = []
    for out in outputs:
        if (out.get("output_type") == "stream" and joined and joined[-1].get("output_type") == "stream"
                and joined[-1].get("name") == out.get("name")):
            joined[-1]["text"] = joined[-1]["text"] + out["text"]
        else:
            joined.append(out)
    return joined


def store_outputs(results: list[RunResult]) -> None:
    """Copy executed notebooks back over their sources, so the stored outputs (nbval's oracle) are current.

    Papermill's per-run timestamps are dropped, and consecutive pieces of one stream (which the kernel
    flushes at arbitrary points) joined, so that re-storing an unchanged notebook changes no byte.
    """
    import nbformat

    for r in results:
        nb = nbformat.read(r.output, as_version=4)
        nb.metadata.pop("papermill", None)
        for cell in nb.cells:
            cell.metadata.pop("papermill", None)
            cell.metadata.pop("execution", None)
            if cell.cell_type == "code":
                cell.outputs = _join_streams(cell.outputs)
        with atomic_path(r.source, suffix=".ipynb") as tmp:
            nbformat.write(nb, str(tmp))
