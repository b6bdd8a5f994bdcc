"""Run the numbered notebooks in order with papermill, into a build folder, never over the sources.

The kernel is resolved explicitly: a kernelspec named `aidlab` is registered inside the running
interpreter's prefix (the project's virtual environment), so a fresh venv never picks up some other
`python3` kernel from the user's Jupyter paths.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

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


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Register a kernelspec `name` for this interpreter inside sys.prefix unless it already points here."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
        if spec.argv and Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
            return name
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=name, display_name=f"Python ({name})", prefix=sys.prefix)
    return name


def _cell_of(exc: BaseException) -> str:
    index = getattr(exc, "cell_index", None)
    count = getattr(exc, "exec_count", None)
    if index is None:
        return "an unknown cell"
    return f"cell {index} (execution count {count})"


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
    and the cell, with the error it raised; notebooks after it are not run.
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
                pm.execute_notebook(
                    str(source), str(tmp), parameters=parameters, kernel_name=kernel,
                    cwd=str(source.parent), progress_bar=notebook_bar(source.name), log_output=False, language="python",
                )
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


def store_outputs(results: list[RunResult]) -> None:
    """Copy executed notebooks back over their sources, so the stored outputs (nbval's oracle) are current.

    Papermill's per-run timestamps are dropped so that re-storing an unchanged notebook changes no byte.
    """
    import nbformat

    for r in results:
        nb = nbformat.read(r.output, as_version=4)
        nb.metadata.pop("papermill", None)
        for cell in nb.cells:
            cell.metadata.pop("papermill", None)
            cell.metadata.pop("execution", None)
        with atomic_path(r.source, suffix=".ipynb") as tmp:
            nbformat.write(nb, str(tmp))
