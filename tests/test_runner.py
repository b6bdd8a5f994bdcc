"""The notebook runner: order, parameters, executed copies in the build folder, and clear failures."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from aidlab.errors import NotebookRunError
from aidlab.runner import kernel_argv, numbered_notebooks, run_notebooks

ROOT = Path(__file__).resolve().parents[1]


def _notebook(path: Path, *sources: str, params: str = 'greeting = "default"') -> None:
    nb = new_notebook()
    cell = new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell] + [new_code_cell(s) for s in sources]
    nbformat.write(nb, str(path))


def test_runs_numbered_notebooks_in_order_with_parameters(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "02_second.ipynb", "open('order.txt', 'a').write('2' + greeting + '\\n')")
    _notebook(nbs / "01_first.ipynb", "open('order.txt', 'a').write('1' + greeting + '\\n')")
    _notebook(nbs / "scratch.ipynb", "raise SystemExit('unnumbered notebooks are not run')")
    source_before = (nbs / "01_first.ipynb").read_bytes()
    messages: list[str] = []
    results = run_notebooks(nbs, tmp_path / "build", {"greeting": "hi"}, progress=messages.append)
    assert [r.source.name for r in results] == ["01_first.ipynb", "02_second.ipynb"]
    assert (nbs / "order.txt").read_text() == "1hi\n2hi\n"
    assert (nbs / "01_first.ipynb").read_bytes() == source_before  # sources untouched
    executed = nbformat.read(str(tmp_path / "build" / "01_first.ipynb"), as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    assert any("[2/2]" in m for m in messages)


def test_failure_names_notebook_and_cell(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "01_ok.ipynb", "x = 1")
    _notebook(nbs / "02_broken.ipynb", "y = 2", "1 / 0")
    _notebook(nbs / "03_never.ipynb", "open('ran.txt', 'w').write('no')")
    with pytest.raises(NotebookRunError) as info:
        run_notebooks(nbs, tmp_path / "build", {}, progress=lambda m: None)
    message = str(info.value)
    assert "02_broken.ipynb" in message
    assert "cell 2" in message and "ZeroDivisionError" in message
    assert not (nbs / "ran.txt").exists()
    assert not (tmp_path / "build" / "02_broken.ipynb").exists()  # no half-written output
    assert (tmp_path / "build" / "02_broken.failed.ipynb").exists()


def test_no_notebooks_is_an_error(tmp_path):
    with pytest.raises(NotebookRunError, match="no numbered notebooks"):
        numbered_notebooks(tmp_path)


def test_project_notebooks_have_a_parameters_cell():
    for path in numbered_notebooks(ROOT / "notebooks"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, path.name
        source = "".join(tagged[0]["source"])
        for name in ("corpus_dir", "build_root", "figures_dir", "lang"):
            assert re.search(rf"^{name} = ", source, re.M), (path.name, name)
        # outputs go where the environment says (a temporary folder under `make test`)
        assert 'os.environ.get("AIDLAB_BUILD_ROOT"' in source and 'os.environ.get("AIDLAB_FIGURES_DIR"' in source


def test_project_notebooks_read_the_built_tables_and_end_with_findings():
    for path in numbered_notebooks(ROOT / "notebooks"):
        nb = nbformat.read(str(path), as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        first = code[1].source  # the cell after the parameters
        assert "build_corpus(corpus_dir, build_root)" in first, path.name
        assert "pipeline.build" not in "".join(c.source for c in code), path.name
        assert not any("NBVAL_" in c.source for c in code), path.name  # nbval markers are tags
        assert any("nbval-check-output" in c.metadata.get("tags", []) for c in code), path.name
        assert "**Findings.**" in code[-1].source and "**Caveats.**" in code[-1].source, path.name


def test_kernel_starts_without_the_tcp_warning(tmp_path):
    argv = [a.replace("{connection_file}", str(tmp_path / "kernel.json")) for a in kernel_argv()]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        for _ in range(100):  # the kernel writes its connection file once its sockets are bound
            if (tmp_path / "kernel.json").exists():
                break
            time.sleep(0.1)
        time.sleep(1.0)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert (tmp_path / "kernel.json").exists(), err
    assert "without encryption" not in err, err


def test_cli_reports_failure_with_nonzero_exit(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "01_broken.ipynb", "raise ValueError('bad corpus')")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.csv").write_text("file,sha256,bytes\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "aidlab.cli", "run", "--notebooks", str(nbs), "--build", str(tmp_path / "b"),
         "--corpus", str(corpus), "--figures", str(tmp_path / "figures")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert "01_broken.ipynb" in proc.stderr and "ValueError: bad corpus" in proc.stderr


def test_aidlab_run_executes_a_real_notebook_into_the_build_folder(tmp_path):
    build, figures = tmp_path / "build", tmp_path / "figures"
    source = ROOT / "notebooks" / "01_corpus.ipynb"
    before = source.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "aidlab.cli", "run", "--only", "01", "--build", str(build), "--figures", str(figures)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "[1/1] 01_corpus.ipynb" in proc.stderr
    executed = nbformat.read(str(build / "notebooks" / "seeds" / "01_corpus.ipynb"), as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and str(build) in injected[0].source
    table = (build / "seeds" / "documents.csv").read_text(encoding="utf-8")
    assert table.count("\n") == 6 and ",ok," in table  # the build step ran into this build root
    assert (build / "seeds" / "documents.parquet").exists()
    assert source.read_bytes() == before


def test_figures_notebook_in_chinese_writes_every_figure_and_table_outside_the_checkout(tmp_path):
    build, figures = tmp_path / "build", tmp_path / "figures"
    before = {p: p.read_bytes() for p in (ROOT / "figures").rglob("*") if p.is_file()}
    proc = subprocess.run(
        [sys.executable, "-m", "aidlab.cli", "run", "--only", "05", "--lang", "zh", "--build", str(build),
         "--figures", str(figures)], capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr  # a missing glyph would raise MissingGlyphError
    assert "without encryption" not in proc.stderr
    for stem in ("fig1_corpus_zh", "fig2a_headline_outputs_zh", "fig2b_per_expert_zh", "fig4_vagueness_zh",
                 "fig6_citable_zh"):
        for ext in ("pdf", "svg", "png"):
            assert (figures / f"{stem}.{ext}").stat().st_size > 0, (stem, ext)
    headline = (figures / "tables" / "headline_outputs_zh.tex").read_text(encoding="utf-8")
    assert "人次" in headline and "\\begin{longtable}" in headline
    fig2a = (figures / "data" / "fig2a_headline_outputs_zh.csv").read_text(encoding="utf-8")
    assert ",context," in fig2a and ",output," in fig2a  # aid outputs and context figures told apart
    assert {p: p.read_bytes() for p in (ROOT / "figures").rglob("*") if p.is_file()} == before


def test_store_joins_stream_pieces(tmp_path):
    from aidlab.runner import RunResult, store_outputs

    nb = new_notebook()
    cell = new_code_cell("print('a'); print('b')")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="a\n"),
                    nbformat.v4.new_output("stream", name="stdout", text="b\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="warn\n")]
    nb.cells = [cell]
    executed, source = tmp_path / "run.ipynb", tmp_path / "src.ipynb"
    nbformat.write(nb, str(executed))
    store_outputs([RunResult(source, executed, 0.0)])
    stored = nbformat.read(str(source), as_version=4).cells[0].outputs
    assert [(o.name, o.text) for o in stored] == [("stdout", "a\nb\n"), ("stderr", "warn\n")]


def test_every_notebook_runs_on_another_corpus_without_touching_the_seeds_build(tmp_path):
    """`aidlab run --corpus OTHER`: every notebook runs on a corpus that is not the seeds (a figure with no
    pair, a check kind that never fires must not break a cell), into its own build folder."""
    build, figures = tmp_path / "build", tmp_path / "figures"
    corpus = ROOT / "tests" / "fixtures" / "crossdoc_unseen"
    seeds_build = build / "seeds"
    seeds_build.mkdir(parents=True)
    (seeds_build / "marker.txt").write_text("the seeds' build", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "aidlab.cli", "run", "--corpus", str(corpus), "--build", str(build),
                           "--figures", str(figures)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert (build / "crossdoc_unseen" / "claims.parquet").exists()
    assert sorted(p.name for p in (build / "notebooks" / "crossdoc_unseen").glob("*.ipynb")) == \
        [p.name for p in numbered_notebooks(ROOT / "notebooks")]
    assert [p.name for p in seeds_build.iterdir()] == ["marker.txt"]  # another corpus never writes there


# Started in every kernel of the test below (through PYTHONPATH): logs each page of the corpus that is opened
# outside build_corpus (which hashes and streams every page, one at a time), i.e. what a notebook reads itself.
_READ_LOGGER = '''
import os, sys

_corpus, _log = os.environ.get("AIDLAB_TEST_CORPUS"), os.environ.get("AIDLAB_TEST_READS")


def _page_opened(event, args):
    if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    if os.path.dirname(path) != _corpus or not path.endswith((".txt", ".html", ".htm")):
        return
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "build_corpus":
            return
        frame = frame.f_back
    with open(_log, "a", encoding="utf-8") as log:
        log.write(os.path.basename(path) + "\\n")


if _corpus and _log:
    sys.addaudithook(_page_opened)
'''


def test_notebooks_on_a_big_corpus_show_summaries_and_read_only_the_pages_they_show(tmp_path, monkeypatch):
    """120 distinct pages, max_rows = 5: every notebook runs; no table lists more than max_rows documents (plus a
    totals row), no list more than max_rows checks; the Findings count all 120 pages; the notebooks open only the
    raw pages they show (the first max_rows by doc_id, and those of the first max_rows damaged figures)."""
    import importlib.util

    import pandas as pd

    from aidlab.corpus.manifest import update_manifest

    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    corpus = tmp_path / "big"
    bench.make_corpus(corpus, 120)
    update_manifest(corpus)  # `aidlab run` needs one; nothing curated
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_READ_LOGGER, encoding="utf-8")
    reads = tmp_path / "reads.log"
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH")) if p))
    monkeypatch.setenv("AIDLAB_TEST_CORPUS", str(corpus))
    monkeypatch.setenv("AIDLAB_TEST_READS", str(reads))
    max_rows = 5
    build, figures = tmp_path / "build", tmp_path / "figures"
    results = run_notebooks(ROOT / "notebooks", build / "notebooks", {
        "corpus_dir": str(corpus), "build_root": str(build), "figures_dir": str(figures), "lang": "en",
        "max_rows": max_rows}, progress=lambda m: None)
    assert [r.source.name for r in results] == [p.name for p in numbered_notebooks(ROOT / "notebooks")]

    for r in results:
        for i, cell in enumerate(nbformat.read(str(r.output), as_version=4).cells):
            for out in cell.get("outputs", []):
                where = (r.source.name, i)
                if out.output_type == "stream":
                    text = out.text
                    entries = text.count("\n  evidence: ")  # a listed check: ≤ 7 lines (id, arithmetic, explanation …)
                    assert entries <= max_rows, where
                    assert len(text.splitlines()) - 6 * entries <= max_rows + 15, (where, text)
                html = out.get("data", {}).get("text/html", "")
                if "<tbody>" in html:  # a DataFrame: at most max_rows rows, a totals or '...' row
                    assert html.split("<tbody>", 1)[1].count("<tr") <= max_rows + 1, where

    def output(name: str, start: str) -> str:
        nb = nbformat.read(str(build / "notebooks" / name), as_version=4)
        found = [o.text for c in nb.cells for o in c.get("outputs", []) if o.output_type == "stream" and o.text.startswith(start)]
        assert found, (name, start)
        return found[0]

    assert "The corpus holds 120 files" in output("01_corpus.ipynb", "**Findings.**")
    documents = pd.read_parquet(build / "big" / "documents.parquet")
    claims = pd.read_parquet(build / "big" / "claims.parquet")
    checks = pd.read_parquet(build / "big" / "checks.parquet")
    assert len(documents) == 120
    assert f"{len(checks)} checks ran over" in output("04_reconciliation.ipynb", "**Findings.**")
    assert f"report {len(claims)} figures" in output("03_claims.ipynb", "**Findings.**")
    cut = output("02_cleaning.ipynb", "      doc_id")  # the documents table: 5 rows, then the totals of all 120
    assert "all 120" in cut and f"{int(documents['body_chars'].sum())}" in cut and "115 more documents" in cut
    flagged = int((checks["verdict"] != "consistent").sum())
    assert flagged > max_rows and f"… and {flagged - max_rows:,} more checks that are not consistent" in \
        "".join(o.text for c in nbformat.read(str(build / "notebooks" / "04_reconciliation.ipynb"), as_version=4).cells
                for o in c.get("outputs", []) if o.output_type == "stream")

    opened = set(reads.read_text(encoding="utf-8").split()) if reads.exists() else set()
    first = set(sorted(documents["doc_id"])[:max_rows])
    damaged = set(claims.loc[claims["damaged"], "doc_id"].head(max_rows))
    assert opened and {p.rsplit(".", 1)[0] for p in opened} <= first | damaged, sorted(opened)
