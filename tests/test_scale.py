"""Scale: one failing page never sinks a corpus, streamed output equals the in-memory tables whatever
the chunking or the workers, output folders are swapped in whole, the build step skips unchanged
inputs, Dask writes the same bytes as one worker, and progress bars stay off the logs."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from aidlab import build, cli, pipeline, progress
from aidlab.text import clean

SEED_TABLES = tuple(pipeline.TABLE_DICTIONARIES)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under a folder by relative path (the run record, which holds timings, left out)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != build.BUILD_RECORD}


def _raise_on(monkeypatch, doc_id_part: str) -> None:
    real = clean.clean_document

    def flaky(raw, doc_id):
        if doc_id_part in doc_id:
            raise ZeroDivisionError("simulated failure inside one page")
        return real(raw, doc_id)

    monkeypatch.setattr(pipeline.clean, "clean_document", flaky)


# --- one page never sinks a corpus ---------------------------------------------------------------

def test_a_page_that_raises_becomes_its_problem_row_and_the_rest_finish(seeds_dir, monkeypatch):
    _raise_on(monkeypatch, "002_")
    with pytest.warns(Warning, match="002_0186cf99c409f6f3.txt: failed while processing: ZeroDivisionError"):
        tables = pipeline.build(seeds_dir)
    docs = tables.documents.set_index("doc_id")
    assert len(docs) == 5 and docs["usable"].sum() == 4
    bad = docs.loc["002_0186cf99c409f6f3"]
    assert not bad["usable"] and bad["problem"].startswith("failed while processing: ZeroDivisionError: simulated")
    assert "002_0186cf99c409f6f3" not in set(tables.claims["doc_id"])
    assert set(tables.claims["doc_id"]) == set(docs.index[docs["usable"]])  # the other four all have claims


def test_cli_exits_3_naming_the_failed_page_and_writes_the_others(seeds_dir, tmp_path, monkeypatch, capsys):
    _raise_on(monkeypatch, "004_")
    out = tmp_path / "claims.csv"
    assert cli.main(["claims", str(seeds_dir), "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert "004_53f25166de287fa3.txt: failed while processing: ZeroDivisionError" in err
    claims = pd.read_csv(out)
    assert len(set(claims["doc_id"])) == 4 and not claims["doc_id"].str.startswith("004_").any()


def test_unusable_files_are_documents_rows_too(corpus_copy, tmp_path):
    (corpus_copy / "empty.txt").write_bytes(b"")
    with pytest.warns(Warning, match="empty.txt: empty file"):
        summary = pipeline.stream(corpus_copy, tmp_path / "out", csv_tables=("documents",))
    docs = pd.read_csv(tmp_path / "out" / "documents.csv", keep_default_na=False)
    row = docs[docs["doc_id"] == "empty"].iloc[0]
    assert not row["usable"] and "empty file" in row["problem"] and row["raw_chars"] == 0
    assert [Path(p).name for p, _ in summary.problems] == ["empty.txt"]


# --- streaming ----------------------------------------------------------------------------------

def test_streamed_tables_equal_the_in_memory_tables(seeds_dir, tmp_path):
    memory = pipeline.build(seeds_dir, keep_docs=True)
    pipeline.stream(seeds_dir, tmp_path, parquet_tables=SEED_TABLES, csv_tables=SEED_TABLES, texts=True)
    for name in SEED_TABLES:
        streamed = pd.read_parquet(tmp_path / f"{name}.parquet")
        pd.testing.assert_frame_equal(getattr(memory, name).reset_index(drop=True), streamed, check_dtype=False)
    for doc_id, doc in memory.docs.items():
        assert (tmp_path / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8") == doc.text.text + "\n"
    assert len(pd.read_csv(tmp_path / "checks.csv")) == len(memory.checks) > 0


def test_chunk_size_and_workers_do_not_change_a_byte(seeds_dir, tmp_path):
    kw = {"csv_tables": SEED_TABLES, "parquet_tables": ("claims",), "texts": True}
    pipeline.stream(seeds_dir, tmp_path / "a", chunk_pages=64, **kw)
    pipeline.stream(seeds_dir, tmp_path / "b", chunk_pages=1, **kw)
    pipeline.stream(seeds_dir, tmp_path / "c", chunk_pages=2, workers=2, **kw)
    a = _files(tmp_path / "a")
    a.pop("claims.parquet")  # row groups follow the chunks; the CSVs and texts must not
    for other in ("b", "c"):
        b = _files(tmp_path / other)
        b.pop("claims.parquet")
        assert a == b


def test_cross_document_step_reads_claims_without_raw_text(seeds_dir, tmp_path):
    pipeline.stream(seeds_dir, tmp_path, parquet_tables=("claims", "documents"))
    claims = pipeline.compact_claims(tmp_path)
    assert "raw_text" not in claims.columns and isinstance(claims["sentence"].dtype, pd.CategoricalDtype)
    assert len(claims) == 134


# --- output folders swapped in whole (10.9) -----------------------------------------------------

def test_clean_folder_keeps_no_stale_texts_and_survives_a_failed_run(seeds_dir, corpus_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert cli.main(["clean", str(corpus_copy), "--out", str(out)]) == 0
    assert len(list((out / "clean").iterdir())) == 5
    before = _files(out)
    # a run that dies half-way (here: an interrupt after the first chunk) leaves the old folder as it was
    real = pipeline.process_chunk
    calls = []

    def dying(tasks):
        calls.append(1)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return real(tasks)

    monkeypatch.setattr(pipeline, "process_chunk", dying)
    with pytest.raises(KeyboardInterrupt):
        pipeline_out = tmp_path / "out"
        with pipeline.swapped_folder(pipeline_out, allowed=pipeline.clean_output_entry) as tmp:
            pipeline.stream(corpus_copy, tmp, csv_tables=("documents",), texts=True, chunk_pages=2)
    assert _files(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp folder left behind
    monkeypatch.setattr(pipeline, "process_chunk", real)
    # a smaller corpus afterwards: the texts of the pages that are gone go too
    for p in list(corpus_copy.glob("00[34]_*.txt")):
        p.unlink()
    (corpus_copy / "manifest.csv").unlink()
    assert cli.main(["clean", str(corpus_copy), "--out", str(out)]) == 0
    assert sorted(p.name[:3] for p in (out / "clean").iterdir()) == ["000", "001", "002"]


def test_clean_refuses_a_folder_holding_other_files(seeds_dir, tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("a researcher's notes", encoding="utf-8")
    assert cli.main(["clean", str(seeds_dir), "--out", str(out)]) == 2
    assert "notes.txt" in capsys.readouterr().err and (out / "notes.txt").exists()


# --- the build step ------------------------------------------------------------------------------

def test_build_writes_every_table_and_skips_unchanged_inputs(corpus_copy, tmp_path):
    root = tmp_path / "build"
    target = build.build_corpus(corpus_copy, root)
    assert target == root / "corpus"
    for name in SEED_TABLES:
        for suffix in (".parquet", ".csv", ".dictionary.csv"):
            assert (target / f"{name}{suffix}").exists()
    tables = build.load_tables(target)
    assert set(tables) == set(SEED_TABLES) and len(tables["claims"]) == 134
    assert len(list((target / "clean").iterdir())) == 5
    record = target / build.BUILD_RECORD
    stamp = record.stat().st_mtime_ns
    assert build.build_corpus(corpus_copy, root) == target and record.stat().st_mtime_ns == stamp  # skipped
    build.build_corpus(corpus_copy, root, force=True)
    assert record.stat().st_mtime_ns != stamp
    # a new page changes the input hash: rebuilt, with the new page
    shutil.copyfile(corpus_copy / "003_7b7f6889dcab4358.txt", corpus_copy / "005_copy.txt")
    stamp = record.stat().st_mtime_ns
    build.build_corpus(corpus_copy, root)
    assert record.stat().st_mtime_ns != stamp and len(build.load_tables(target)["documents"]) == 6
    # the manifest's bytes count too
    stamp = record.stat().st_mtime_ns
    (corpus_copy / "manifest.csv").write_text((corpus_copy / "manifest.csv").read_text(encoding="utf-8")
                                              .replace("Outlet and date not stated", "Neither outlet nor date stated"),
                                              encoding="utf-8")
    build.build_corpus(corpus_copy, root)
    assert record.stat().st_mtime_ns != stamp


def test_build_refuses_to_replace_a_folder_it_did_not_write(corpus_copy, tmp_path):
    (tmp_path / "build" / "corpus").mkdir(parents=True)
    (tmp_path / "build" / "corpus" / "paper.tex").write_text("x", encoding="utf-8")
    with pytest.raises(Exception, match="not an aidlab build folder"):
        build.build_corpus(corpus_copy, tmp_path / "build")
    assert (tmp_path / "build" / "corpus" / "paper.tex").exists()


def test_build_input_hash_covers_the_package_source(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "a.py").write_text("x = 1\n", encoding="utf-8")
    h1 = build.source_hash(pkg)
    (pkg / "a.py").write_text("x = 2\n", encoding="utf-8")
    assert build.source_hash(pkg) != h1


def test_build_command_and_exit_status(corpus_copy, tmp_path, capsys):
    (corpus_copy / "blank.txt").write_bytes(b"   \n")
    assert cli.main(["build", str(corpus_copy), "--build-root", str(tmp_path / "b")]) == 3
    assert cli.main(["build", str(corpus_copy), "--build-root", str(tmp_path / "b")]) == 3  # skipped, still named
    err = capsys.readouterr().err
    assert err.count("blank.txt") >= 2 and "up to date" in err


# --- Dask ---------------------------------------------------------------------------------------

def test_dask_local_cluster_writes_the_same_bytes_as_one_worker(seeds_dir, tmp_path):
    pytest.importorskip("distributed")
    one = build.build_corpus(seeds_dir, tmp_path / "one", workers=1)
    assert cli.main(["build", str(seeds_dir), "--build-root", str(tmp_path / "dask"), "--dask"]) == 0
    a, b = _files(one), _files(tmp_path / "dask" / seeds_dir.name)
    assert a == b and len(a) > 15
    args = cli.build_parser().parse_args(["claims", "x", "--out", "-", "--dask"])
    assert args.dask == "local"
    args = cli.build_parser().parse_args(["build", "x", "--dask", "tcp://10.0.0.5:8786"])
    assert args.dask == "tcp://10.0.0.5:8786"


# --- progress -----------------------------------------------------------------------------------

class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_without_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert not progress.show_bars(io.StringIO())
    assert progress.show_bars(_Tty())
    monkeypatch.setenv("CI", "true")
    assert not progress.show_bars(_Tty())


def test_progress_draws_a_page_bar_with_rate_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    fake = _Tty()
    monkeypatch.setattr(progress.sys, "stderr", fake)
    monkeypatch.setattr(progress, "DELAY", 0)
    with progress.PageProgress("build") as bar:
        for n in range(1, 11):
            bar(n, 10, f"p{n}")
    out = fake.getvalue()
    assert "10/10" in out and "page/s" in out and "build: 10/10 page(s)" in out
    monkeypatch.setenv("CI", "1")
    fake2 = _Tty()
    monkeypatch.setattr(progress.sys, "stderr", fake2)
    with progress.PageProgress("build") as bar:
        bar(5, 5, "x")
    assert "page/s" not in fake2.getvalue() and "5/5 page(s)" in fake2.getvalue()
    assert progress.notebook_bar("01_corpus.ipynb") is False


# --- speed levers keep results identical ----------------------------------------------------------

def test_clean_refuses_to_swap_the_current_folder(seeds_dir, tmp_path, monkeypatch, capsys):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert cli.main(["clean", str(seeds_dir), "--out", "."]) == 2
    assert "current folder" in capsys.readouterr().err and list(here.iterdir()) == []


def test_cross_document_step_in_key_blocks_finds_the_same_checks(tmp_path, monkeypatch):
    """Blocks of the cross-document step never separate two claims it compares: the same check rows
    (check ids aside, which follow the block order) come out of one block and of many."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from corpus import make_corpus

    corpus = tmp_path / "corpus"
    make_corpus(corpus, 60)
    whole = tmp_path / "whole"
    pipeline.stream(corpus, whole, csv_tables=("checks",))
    monkeypatch.setattr(pipeline, "CROSS_BLOCK_CLAIMS", 100)
    monkeypatch.setattr(pipeline.key_blocks, "__defaults__", (100,))
    blocks = tmp_path / "blocks"
    from aidlab.checks import crossdoc

    built, index = [], crossdoc.document_index
    monkeypatch.setattr(crossdoc, "document_index", lambda docs: built.append(len(docs)) or index(docs))
    seen, original = [], pipeline.key_blocks

    def counted(*args, **kwargs):
        for block in original(*args, **kwargs):
            seen.append(len(block))
            yield block

    monkeypatch.setattr(pipeline, "key_blocks", counted)
    pipeline.stream(corpus, blocks, csv_tables=("checks",))
    # many blocks, and what the checks read of the documents gathered once for all of them (not per block:
    # quadratic at 100 000 pages)
    assert len(seen) > 3 and built == [60]
    a = pd.read_csv(whole / "checks.csv", dtype=str, keep_default_na=False).drop(columns="check_id")
    b = pd.read_csv(blocks / "checks.csv", dtype=str, keep_default_na=False).drop(columns="check_id")
    cross = a["kind"].str.startswith(("cross", "republication"))
    assert cross.sum() > 20  # the generated pages share quantity keys: there is something to compare
    key = list(a.columns)
    assert sorted(map(tuple, a[key].values.tolist())) == sorted(map(tuple, b[key].values.tolist()))
