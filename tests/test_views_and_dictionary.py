"""The groupings the notebooks share, on the built seed tables, and the generated data dictionary being current."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aidlab import pipeline, views
from aidlab.build import build_corpus, load_tables
from aidlab.dictionary import render_markdown

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tables(seeds_dir, tmp_path_factory):
    return load_tables(build_corpus(seeds_dir, tmp_path_factory.mktemp("build")))


def test_data_dictionary_document_is_current():
    assert (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8") == render_markdown(), \
        "docs/data_dictionary.md is stale: run `aidlab dictionary`"


def test_every_built_table_column_is_documented(tables):
    for name, columns in pipeline.TABLE_DICTIONARIES.items():
        assert list(tables[name].columns) == list(columns), name
        assert all(len(d) > 10 for d in columns.values()), name


def test_every_reading_of_the_seeds_has_a_class(tables):
    claims = tables["claims"]
    classes = [views.reading_class(r, d) for r, d in zip(claims["reading"], claims["damaged"])]
    assert classes.count("damaged") == int(claims["damaged"].sum())
    assert classes.count("open") == int(claims["reading"].isin(["more_than", "at_least"]).sum())
    with pytest.raises(ValueError, match="guess"):
        views.reading_class("guess")


def test_claim_checks_names_every_claim_of_every_check(tables):
    named = views.claim_checks(tables["checks"])
    for row in tables["checks"].itertuples():
        for cid in row.claim_ids.split(";"):
            assert (row.check_id, row.verdict) in [(c, v) for c, v, _ in named[cid]]


def test_claim_checks_copies_confirm_nothing_and_undated_names_one_claim():
    checks = pd.DataFrame({
        "check_id": ["republication-1", "cross_series-1", "range-1"],
        "verdict": ["consistent", "indeterminate", "consistent"],
        "outcome": ["republished", "undated", "within_0_100"],
        "claim_ids": ["a#1;b#1", "a#2;c#3", "d#1"],
        "can_fail": [True, False, False],
    })
    named = views.claim_checks(checks)
    assert "b#1" not in named and "a#1" not in named      # a copy of the same article confirms nothing
    assert "a#2" not in named and named["c#3"] == [("cross_series-1", "indeterminate", False)]
    assert named["d#1"] == [("range-1", "consistent", False)]  # a check that could not fail is marked so


def test_doc_labels_prefix_and_date():
    docs = pd.DataFrame({"doc_id": ["000_a", "001_b"], "published": ["unknown", "2024-06-02"]})
    assert views.doc_labels(docs) == {"000_a": "000 · date unknown", "001_b": "001 · 2024-06-02"}
    clash = pd.DataFrame({"doc_id": ["000_a", "000_b"], "published": ["", ""]})
    assert views.doc_labels(clash, "日期不详") == {"000_a": "000_a · 日期不详", "000_b": "000_b · 日期不详"}


def test_raw_context_marks_the_span():
    assert views.raw_context("当地人?78人\n实施", 3, 7, width=3) == "当地人【?78人】⏎实施"


def test_first_documents_more_line_and_totals():
    assert views.first_documents(["b", "a", "c", "a"], 2) == ["a", "b"]
    assert views.first_documents(["b", "a"], 25) == ["a", "b"]
    assert views.more_line(5, 5) == ""
    assert views.more_line(120, 5, "checks", "checks.csv") == "… and 115 more checks (see checks.csv)"
    full = pd.DataFrame({"script": ["x", "y", "z"], "chars": [1, 2, 3]}, index=pd.Index(["a", "b", "c"], name="doc"))
    cut = views.with_totals(full.head(1), full)
    assert cut.index.tolist() == ["a", "all"] and cut["chars"].tolist() == [1, 6] and cut.loc["all", "script"] == ""
    assert cut["chars"].dtype == full["chars"].dtype and cut.index.name == "doc"
    flat = views.with_totals(full.reset_index().head(2), full.reset_index(), "all 3", column="doc")
    assert flat["doc"].tolist() == ["a", "b", "all 3"] and flat["chars"].tolist() == [1, 2, 6]


def test_short_ids_keep_prefixes_unless_they_collide():
    assert views.short_ids(["000_a", "001_b"]) == {"000_a": "000", "001_b": "001"}
    assert views.short_ids(["bench_000001", "bench_000002"]) == {"bench_000001": "bench_000001", "bench_000002": "bench_000002"}


def test_raw_pages_opens_only_the_pages_asked_for(tmp_path, monkeypatch):
    from aidlab.corpus import load

    for name in ("a.txt", "b.txt", "c.html"):
        (tmp_path / name).write_text(f"页面 {name}", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file\n", encoding="utf-8")
    assert sorted(views.page_paths(tmp_path)) == ["a", "b", "c"]
    opened = []
    real = load.read_document
    monkeypatch.setattr(load, "read_document", lambda path, *a, **k: opened.append(Path(path).name) or real(path, *a, **k))
    assert views.raw_pages(tmp_path, ["c", "a", "missing"]) == {"c": "页面 c.html", "a": "页面 a.txt", "missing": None}
    assert opened == ["c.html", "a.txt"]
