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

def test_selective_t2s_equals_opencc_on_every_piece(seed_texts):
    import random

    from aidlab.text import script

    full = script._t2s().convert
    for text in seed_texts.values():
        assert script._t2s_convert(text) == full(text)
    rnd = random.Random(7)
    alphabet = list("".join(seed_texts.values())) + list("，。、 \n(),.?-")
    for _ in range(2000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        assert script._t2s_convert(text) == full(text)
    assert script._t2s_convert("醫療隊") == "医疗队" and script._t2s_convert("医疗队") == "医疗队"


def test_table_conversion_equals_opencc_where_phrases_overlap():
    """Strings built from phrase keys and their pieces make OpenCC choose between overlapping phrases
    (longest first, leftmost among equals): the table-based conversion must choose the same, for t2s
    and for s2t (whose 49 000 phrases overlap far more)."""
    import random

    from aidlab.text import script

    rnd = random.Random(3)
    for conversion, conv in (("t2s", script._t2s()), ("s2t", script._s2t())):
        tables = script._tables(conversion)
        assert tables is not None
        keys = sorted(tables.phrases)
        for _ in range(3000):
            pieces = [rnd.choice(keys) for _ in range(rnd.randint(0, 6))]
            text = "".join(p[rnd.randint(0, len(p) - 1):] if rnd.random() < 0.3 else p for p in pieces)
            text = text if rnd.random() < 0.7 else text.replace(text[:1], "，", 1)
            assert script._convert_with(tables, text) == conv.convert(text), text


def test_long_text_conversion_through_the_code_point_array_equals_opencc():
    """Texts long enough for the numpy code-point table, with astral ideographs and a lone surrogate
    (which takes the str.translate path), convert as OpenCC converts them."""
    import random

    from aidlab.text import script

    tables = script._tables("t2s")
    assert tables is not None and tables.codes is not None
    alphabet = [*map(chr, tables.chars), *"的是，。 \n", "\U0002B5E7", "\U00020000", "\U0010FFFF", "\ud800"]
    rnd = random.Random(5)
    for _ in range(300):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(script._ARRAY_FROM, 600)))
        assert script._t2s_convert(text) == script._t2s().convert(text)


def test_script_character_sets_equal_opencc_on_every_ideograph():
    """The regex counts of script_counts classify every counted code point as OpenCC does one by one."""
    from aidlab.text import script

    trad, simp = script._script_patterns()
    for c in [*range(0x3400, 0xA000), *range(0xF900, 0xFB00)]:
        ch = chr(c)
        assert bool(trad.match(ch)) == script._is_traditional_only(ch), ch
        assert bool(simp.match(ch)) == script._is_simplified_only(ch), ch


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
    pipeline.stream(corpus, blocks, csv_tables=("checks",))
    a = pd.read_csv(whole / "checks.csv", dtype=str, keep_default_na=False).drop(columns="check_id")
    b = pd.read_csv(blocks / "checks.csv", dtype=str, keep_default_na=False).drop(columns="check_id")
    cross = a["kind"].str.startswith(("cross", "republication"))
    assert cross.sum() > 20  # the generated pages share quantity keys: there is something to compare
    key = list(a.columns)
    assert sorted(map(tuple, a[key].values.tolist())) == sorted(map(tuple, b[key].values.tolist()))


def test_regex_character_mapping_equals_translate():
    """normalize's regex replacement of CHAR_MAP characters gives what str.translate gives."""
    import random

    from aidlab.text import normalize

    table = str.maketrans(normalize.CHAR_MAP)
    rnd = random.Random(11)
    alphabet = [*normalize.CHAR_MAP, *"医疗１２ab \n\t，,%"]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        assert normalize._map_chars(text) == text.translate(table)


def test_annotation_regex_equals_its_two_alternative_form():
    """ANNOTATION, written to start at the parenthesis, finds what `(?<=CJK)(…)|(…toned…)` finds."""
    import random
    import re

    from aidlab.text import pinyin

    letters, toned = pinyin._LETTERS, pinyin._TONED
    plain = re.compile(rf"(?:(?<=[\u3400-\u9fff\uf900-\ufaff])[(（]([{letters}]{{1,6}})[)）])"
                       rf"|(?:[(（]([a-zü]{{0,5}}[{toned}][a-zü]{{0,5}})[)）])")
    rnd = random.Random(13)
    alphabet = list("醫療医yishùliáoǜê（）()?\n a1")
    found = 0
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        expected = [(m.span(), m.groups()) for m in plain.finditer(text)]
        assert [(m.span(), m.groups()) for m in pinyin.ANNOTATION.finditer(text)] == expected, text
        found += bool(expected)
    assert found > 100  # the strings do hold annotations


def test_masked_deletions_equal_the_general_edit_path():
    """TrackedText.apply's mask path (deletions, same-length replacements) gives the text and provenance
    the general path gives (forced here by one length-changing edit at the end, applied separately)."""
    import random

    import numpy as np

    from aidlab.text.textmap import Edit, TrackedText

    rnd = random.Random(17)
    for _ in range(2000):
        raw = "".join(rnd.choice("ab中文\n ") for _ in range(rnd.randint(1, 30)))
        t = TrackedText.identity(raw).apply([Edit(0, 1, "XY")])  # provenance that is not the identity
        edits, pos = [], 0
        while pos < len(t) and rnd.random() < 0.8:
            a = rnd.randint(pos, len(t))
            b = rnd.randint(a, min(len(t), a + 3))
            edits.append(Edit(a, b, rnd.choice(["", "Z" * (b - a)])))
            pos = b
        fast = t.apply(edits)
        general = t.apply([*edits, Edit(len(t), len(t), "!")])  # an insertion: the general path
        assert fast.text + "!" == general.text
        assert np.array_equal(fast.raw_start, general.raw_start[:-1])
        assert np.array_equal(fast.raw_end, general.raw_end[:-1])
        assert fast.raw_start.dtype == general.raw_start.dtype


def test_number_space_patterns_equal_their_look_behind_forms():
    """normalize's patterns, written to start with a consumed digit or comma, find the spans of the
    look-behind-first forms they replace (`(?<=\\d) +(?=[%‰])`, `(?<![\\d.:\\-/])\\d{1,3}(?: \\d{3})+…`,
    `(?<=\\d)[，,](?=…)`)."""
    import random
    import re

    from aidlab.text import normalize

    pairs = [(re.compile(r"(?<=\d) +(?=[%‰])"), normalize._PERCENT_SPACE, 1),
             (re.compile(r"(?<![\d.:\-/])\d{1,3}(?: \d{3})+(?![\d:\-/])"), normalize._GROUPED, 0),
             (re.compile(r"(?<=\d)[，,](?=\d{3}(?!\d))"), normalize._THOUSANDS, 0)]
    rnd = random.Random(19)
    alphabet = list("12 .:-/%‰,，a中\n")
    for _ in range(30000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        for plain, fast, group in pairs:
            assert [m.span(group) for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text
