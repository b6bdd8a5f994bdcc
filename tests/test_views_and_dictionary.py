"""Notebook views on the seed tables, and the generated data dictionary being current."""
from __future__ import annotations

from pathlib import Path

import pytest

from aidlab import pipeline, views
from aidlab.dictionary import render_markdown

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tables(seeds_dir):
    return pipeline.build(seeds_dir)


def test_data_dictionary_document_is_current():
    assert (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8") == render_markdown(), \
        "docs/data_dictionary.md is stale: run `aidlab dictionary`"


def test_every_table_column_is_documented(tables):
    for name, columns in pipeline.TABLE_DICTIONARIES.items():
        assert list(getattr(tables, name).columns) == list(columns), name
        assert all(len(d) > 10 for d in columns.values()), name


def test_chrome_by_kind_adds_up_to_segment_chars(tables):
    table = views.chrome_by_kind(tables)
    assert table.sum().sum() == tables.segments["chars"].sum()
    assert table.loc["001_9134c7ceacedcb77", "related"] > 1000


def test_in_context_marks_the_raw_figure(tables):
    damaged = tables.claims[tables.claims["damaged"]]
    ctx = views.in_context(tables, damaged)
    assert len(ctx) == len(damaged)
    assert ctx["raw context"].str.contains("【\\?78人】").any()


def test_vagueness_shares_sum_to_one(tables):
    table = views.vagueness(tables.claims)
    shares = table.drop(columns="figures").sum(axis=1)
    assert ((shares - 1).abs() < 0.01).all()
    assert table["figures"].sum() == len(tables.claims)


def test_metric_coverage_counts_every_claim_in_both_languages(tables):
    assert views.metric_coverage(tables.claims).to_numpy().sum() == len(tables.claims)
    assert "接诊患者" in views.metric_coverage(tables.claims, "zh").index


def test_appendix_summary_states_the_counts(tables):
    text = views.appendix_summary(tables)
    assert f"{len(tables.claims)} reported figures" in text
    assert f"{len(tables.checks)} consistency checks" in text
    assert "truncated" in text
