"""Publication figures: each draws what the source tables say, in English and Chinese, and saves cleanly."""
from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from aidlab import figures, pipeline, tables, taxonomy  # noqa: E402
from aidlab.figstyle import apply_style, save_figure  # noqa: E402
from aidlab.manifest import PROGRAMMES  # noqa: E402
from aidlab.reconcile import KINDS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PLOTS = ["plot_corpus", "plot_headline_outputs", "plot_per_expert", "plot_checks", "plot_vagueness",
         "plot_aid_flows", "plot_citable"]


@pytest.fixture(scope="module")
def seed_tables() -> pipeline.Tables:
    return pipeline.build(ROOT / "seeds")


pytestmark = pytest.mark.usefixtures("styled")


def _texts(fig: Figure) -> list[str]:
    fig.draw_without_rendering()
    return [a.get_text() for a in fig.findobj(Text) if a.get_text() and a.get_visible()]


def _has_cjk(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


# ------------------------------------------------------------------ language
def test_t_switches_language_and_formats():
    assert figures.t("recipient", "en") == "Recipient"
    assert figures.t("recipient", "zh") == "受援方"
    assert figures.t("n_equals", "zh", n=3) == "n = 3"


def test_every_text_entry_has_both_languages():
    for key, pair in figures.TEXT.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        en, zh = pair
        assert en and zh, key
        assert not _has_cjk(en) or "/" in en or "(" in en, key  # English may quote the Chinese qualifiers only


@pytest.mark.parametrize("lang", ["fr", "EN", "", None])
def test_unknown_lang_raises(seed_tables, lang):
    with pytest.raises(ValueError, match="lang"):
        figures.t("recipient", lang)
    for name in PLOTS:
        with pytest.raises(ValueError, match="lang"):
            getattr(figures, name)(seed_tables, lang=lang)
    with pytest.raises(ValueError, match="lang"):
        figures.headline_table(seed_tables, lang)
    with pytest.raises(ValueError, match="lang"):
        figures.checks_summary(seed_tables, lang)


def test_plot_needs_tables():
    with pytest.raises(TypeError, match="documents"):
        figures.plot_corpus(object())


def test_aid_flows_rejects_unknown_weight(seed_tables):
    with pytest.raises(ValueError, match="weight"):
        figures.plot_aid_flows(seed_tables, weight="money")


def test_paper_table_rejects_other_tables(seed_tables):
    with pytest.raises(ValueError):
        figures.paper_table(seed_tables.claims)


# ------------------------------------------------------- every plot function
@pytest.mark.parametrize("name", PLOTS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plot_returns_figure_and_documented_tidy_table(seed_tables, name, lang):
    fig, data = getattr(figures, name)(seed_tables, lang=lang)
    assert isinstance(fig, Figure)
    assert isinstance(data, pd.DataFrame) and not data.empty
    undocumented = [c for c in data.columns if c not in figures.COLUMNS]
    assert not undocumented
    tables.dictionary_frame(data, figures.COLUMNS)  # what write_table requires


@pytest.mark.parametrize("name", PLOTS)
def test_chinese_labels_appear_in_zh_and_not_in_en_ui(seed_tables, name):
    fig_zh, _ = getattr(figures, name)(seed_tables, lang="zh")
    zh = _texts(fig_zh)
    ui_zh = {pair[1] for pair in figures.TEXT.values()}
    assert any(_has_cjk(s) for s in zh)
    # at least one UI string of the dictionary is shown in Chinese
    assert any(any(u.split("{")[0] and u.split("{")[0] in s for u in ui_zh if _has_cjk(u)) for s in zh)
    fig_en, _ = getattr(figures, name)(seed_tables, lang="en")
    en = _texts(fig_en)
    for s in en:
        assert s not in {z for z in ui_zh if _has_cjk(z)}, s


@pytest.mark.parametrize("name", PLOTS)
def test_saving_in_chinese_has_every_glyph(seed_tables, name, tmp_path):
    fig, _ = getattr(figures, name)(seed_tables, lang="zh")
    written = save_figure(fig, tmp_path, f"{name}_zh", formats="png")  # raises MissingGlyphError otherwise
    assert written[0].stat().st_size > 0


# ---------------------------------------------------------------- 1 corpus
def test_corpus_chars_equal_segment_table(seed_tables):
    _, data = figures.plot_corpus(seed_tables)
    got = data.groupby(["doc_id", "kind"])["chars"].sum()
    want = seed_tables.segments.groupby(["doc_id", "kind"])["chars"].sum()
    for key, value in want.items():
        assert got[key] == value
    assert got.sum() == want.sum()
    assert set(data["doc_id"]) == set(seed_tables.documents["doc_id"])
    docs = seed_tables.documents.set_index("doc_id")
    for row in data.drop_duplicates("doc_id").itertuples():
        for col in ("annotations_removed", "corrupt_spans", "repaired_spans", "damaged_digits"):
            assert getattr(row, col) == docs.loc[row.doc_id, col]
        assert row.script == docs.loc[row.doc_id, "script"]


def test_corpus_shows_unknown_date_and_outlet_honestly(seed_tables):
    docs = seed_tables.documents
    assert (docs["published"] == "unknown").any()  # the seeds do have such a page
    fig, _ = figures.plot_corpus(seed_tables, lang="en")
    texts = " ".join(_texts(fig))
    assert "date unknown" in texts
    assert "outlet unknown" in texts
    for outlet in docs["outlet"]:
        if outlet != "unknown":
            assert outlet in texts
    fig_zh, _ = figures.plot_corpus(seed_tables, lang="zh")
    assert "日期不详" in " ".join(_texts(fig_zh))


def test_doc_labels_short_id_and_date(seed_tables):
    labels = figures.doc_labels(seed_tables.documents, "en")
    for row in seed_tables.documents.itertuples():
        prefix = row.doc_id.split("_")[0]
        assert labels[row.doc_id].startswith(prefix + " · ")
        if row.published != "unknown":
            assert labels[row.doc_id].endswith(row.published)


# ------------------------------------------------------- 2 headline outputs
def test_headline_intervals_equal_claims(seed_tables):
    _, data = figures.plot_headline_outputs(seed_tables)
    claims = seed_tables.claims.set_index("claim_id")
    want = seed_tables.claims[seed_tables.claims["metric"].isin(figures.HEADLINE_METRICS)
                              & ~seed_tables.claims["damaged"]]
    assert set(data["claim_id"]) == set(want["claim_id"])
    for row in data.itertuples():
        c = claims.loc[row.claim_id]
        assert row.low == c["low"] and row.high == c["high"]
        assert row.metric == c["metric"]
        assert row.drawn_as == ("open" if math.isinf(c["high"]) else row.drawn_as)
    assert (data.loc[np.isinf(data["high"]), "drawn_as"] == "open").all()
    assert not data["damaged"].any()


def test_headline_counts_damaged_figures_in_a_note(seed_tables):
    c = seed_tables.claims
    damaged = c[c["metric"].isin(figures.HEADLINE_METRICS) & c["damaged"]]
    assert len(damaged) > 0  # the seeds have one (?000万元)
    fig, _ = figures.plot_headline_outputs(seed_tables, lang="en")
    notes = [s for s in _texts(fig) if "damaged" in s]
    assert sum(int(s.split()[0].lstrip("+")) for s in notes) == len(damaged)
    fig_zh, _ = figures.plot_headline_outputs(seed_tables, lang="zh")
    assert any("受损" in s for s in _texts(fig_zh))


def test_headline_labels_metric_in_language(seed_tables):
    fig, _ = figures.plot_headline_outputs(seed_tables, lang="zh")
    texts = _texts(fig)
    for m in figures.HEADLINE_METRICS:
        assert any(taxonomy.label(m, "zh") in s for s in texts), m
    fig_en, _ = figures.plot_headline_outputs(seed_tables, lang="en")
    texts_en = _texts(fig_en)
    for m in figures.HEADLINE_METRICS:
        assert any(taxonomy.label(m, "en") in s for s in texts_en), m


def test_headline_uses_log_scale_where_ranges_differ(seed_tables):
    fig, _ = figures.plot_headline_outputs(seed_tables)
    scales = {ax.get_title(loc="left"): ax.get_xscale() for ax in fig.get_axes()}
    assert scales[taxonomy.label("funds", "en") + " (yuan)"] == "log"


def test_per_expert_is_interval_division(seed_tables):
    _, data = figures.plot_per_expert(seed_tables)
    claims = seed_tables.claims.set_index("claim_id")
    assert not data.empty
    for row in data.itertuples():
        a, b = claims.loc[row.numerator_id], claims.loc[row.denominator_id]
        assert a["doc_id"] == b["doc_id"] == row.doc_id
        assert b["metric"] == "experts_sent" and a["metric"] == row.metric
        assert a["clean_start"] > b["clean_start"]
        assert row.numerator_low == a["low"] and row.denominator_high == b["high"]
        want_low = 0.0 if math.isinf(b["high"]) else a["low"] / b["high"]
        want_high = math.inf if math.isinf(a["high"]) else a["high"] / b["low"]
        assert row.low == pytest.approx(want_low)
        assert row.high == pytest.approx(want_high) if math.isfinite(want_high) else math.isinf(row.high)
        assert row.low <= row.high


def test_per_expert_example_206_experts(seed_tables):
    _, data = figures.plot_per_expert(seed_tables)
    row = data[(data["numerator_text"] == "51.4万人次") & (data["denominator_text"] == "206名")]
    assert len(row) == 1
    assert row["low"].iloc[0] == pytest.approx(513500 / 206)
    assert row["high"].iloc[0] == pytest.approx(514500 / 206)


# ------------------------------------------------------------------ 3 checks
def test_checks_grid_counts_equal_checks_table(seed_tables):
    _, data = figures.plot_checks(seed_tables)
    checks = seed_tables.checks
    per_doc = checks.assign(doc_id=checks["doc_ids"].str.split(";")).explode("doc_id")
    want = per_doc.groupby(["doc_id", "kind", "verdict"]).size()
    got = data.set_index(["doc_id", "kind", "verdict"])["n"]
    assert got.sort_index().to_dict() == want.sort_index().to_dict()
    single = checks[~checks["doc_ids"].str.contains(";")]
    assert data["n"].sum() >= len(single)


def test_checks_summary_counts(seed_tables):
    summary = figures.checks_summary(seed_tables)
    assert list(summary["kind"]) == list(KINDS)
    want = seed_tables.checks.groupby(["kind", "verdict"]).size()
    for row in summary.itertuples():
        for v in figures.VERDICTS:
            assert getattr(row, v) == want.get((row.kind, v), 0)
        assert row.total == (seed_tables.checks["kind"] == row.kind).sum()
    assert summary["total"].sum() == len(seed_tables.checks)
    zh = figures.checks_summary(seed_tables, "zh")
    assert all(_has_cjk(s) for s in zh["kind_label"] if not s.startswith("GRIM")) and "一致" not in zh.columns


def test_checks_cells_drawn_with_verdict_colours(seed_tables):
    fig, data = figures.plot_checks(seed_tables)
    ax = fig.get_axes()[0]
    markers = [ln for ln in ax.get_lines() if ln.get_marker() not in (None, "None", "")]
    assert len(markers) == len(data)
    from matplotlib.colors import to_hex

    from aidlab.figstyle import VERDICT_COLOURS

    assert {to_hex(ln.get_color()) for ln in markers} <= {to_hex(c) for c in VERDICT_COLOURS.values()}
    shapes = {ln.get_marker() for ln in markers}
    assert len(shapes) == data["verdict"].nunique()


# --------------------------------------------------------------- 4 vagueness
def test_vagueness_shares_sum_to_one_and_match_readings(seed_tables):
    _, data = figures.plot_vagueness(seed_tables)
    sums = data.groupby("doc_id")["share"].sum()
    assert np.allclose(sums.to_numpy(), 1.0)
    claims = seed_tables.claims
    n = data.groupby("doc_id")["n"].sum()
    assert n["all"] == len(claims)
    for doc_id, count in claims.groupby("doc_id").size().items():
        assert n[doc_id] == count
    all_rows = data[data["doc_id"] == "all"].set_index("category")["n"]
    assert all_rows["exact"] == ((claims["reading"] == "point") & ~claims["damaged"]).sum()
    assert all_rows["damaged"] == claims["damaged"].sum()
    assert all_rows["open"] == claims["reading"].isin(["more_than", "at_least"]).sum()


# ---------------------------------------------------------------- 5 aid flows
def test_aid_flows_from_manifest_fields(seed_tables):
    docs = seed_tables.documents
    _, data = figures.plot_aid_flows(seed_tables, lang="en")
    assert data["documents"].sum() == len(docs)
    assert data["claims"].sum() == len(seed_tables.claims)
    assert set(data["aiding_label"]) == set(docs["aiding_party_en"])
    assert set(data["recipient_label"]) == set(docs["recipient_region_en"])
    _, zh = figures.plot_aid_flows(seed_tables, lang="zh", weight="documents")
    assert set(zh["recipient_label"]) == set(docs["recipient_region"])
    assert (zh["n"] == zh["documents"]).all()
    assert set(zh["programme_label"]) <= {v[1] for v in PROGRAMMES.values()}


def test_aid_flows_shows_place_names_in_language(seed_tables):
    fig, _ = figures.plot_aid_flows(seed_tables, lang="zh")
    texts = _texts(fig)
    for name in seed_tables.documents["recipient_region"]:
        assert name in texts
    fig_en, _ = figures.plot_aid_flows(seed_tables, lang="en")
    texts_en = _texts(fig_en)
    for name in seed_tables.documents["aiding_party_en"]:
        assert name in texts_en


# ----------------------------------------------------------------- 6 citable
def test_citable_counts_every_claim_once(seed_tables):
    _, data = figures.plot_citable(seed_tables)
    per_doc = data.groupby("doc_id")["n"].sum()
    want = seed_tables.claims.groupby("doc_id").size()
    for doc_id in seed_tables.documents["doc_id"]:
        assert per_doc[doc_id] == want.get(doc_id, 0)
    assert set(data["category"]) == set(figures.CITABLE_CLASSES)


def test_citable_classes_follow_the_checks(seed_tables):
    per_claim = figures.citable_claims(seed_tables)
    claims = seed_tables.claims.set_index("claim_id")
    checks = seed_tables.checks
    named = {}
    for row in checks.itertuples():
        for cid in row.claim_ids.split(";"):
            named.setdefault(cid, set()).add(row.verdict)
    for row in per_claim.itertuples():
        c = claims.loc[row.claim_id]
        vs = named.get(row.claim_id, set())
        if c["damaged"]:
            assert row.category == "damaged"
        elif vs & {"inconsistent", "indeterminate"}:
            assert row.category == "questioned"
        elif math.isinf(c["high"]):
            assert row.category == "open"
        elif c["reading"] != "point":
            assert row.category == "interval"
        elif "consistent" in vs:
            assert row.category == "confirmed"
        else:
            assert row.category == "unchecked" and not vs
    assert (per_claim["category"] == "confirmed").any()
    assert (per_claim["category"] == "questioned").any()


# ------------------------------------------------------------- paper tables
def test_headline_table_matches_claims_and_exports(seed_tables, tmp_path):
    table = figures.headline_table(seed_tables, "zh")
    c = seed_tables.claims
    want = c[c["metric"].isin(figures.HEADLINE_METRICS)]
    assert len(table) == len(want)
    merged = table.merge(want[["claim_id", "low", "high", "text", "scope"]], on="claim_id", suffixes=("", "_c"))
    assert (merged["low"] == merged["low_c"]).all() and (merged["high"] == merged["high_c"]).all()
    assert (merged["text"] == merged["text_c"]).all()
    assert set(table["metric_label"]) == {taxonomy.label(m, "zh") for m in figures.HEADLINE_METRICS}
    csv, dictionary = tables.write_table(table, tmp_path / "headline.csv", figures.COLUMNS)
    assert csv.exists() and dictionary.exists()
    paper = figures.paper_table(table, "zh")
    assert list(paper.columns)[:3] == ["文档", "项目类型", "指标"]
    assert "∞" in set(paper["上限"])
    tex = tables.write_latex(paper, tmp_path / "headline.tex", "Headline outputs", "tab:headline")
    assert "\\begin{table}" in tex.read_text(encoding="utf-8")


def test_checks_summary_exports(seed_tables, tmp_path):
    summary = figures.checks_summary(seed_tables, "en")
    tables.write_table(summary, tmp_path / "checks.csv", figures.COLUMNS)
    paper = figures.paper_table(summary, "en")
    assert list(paper.columns) == ["Kind of check", "consistent", "inconsistent", "indeterminate", "Total"]
    assert paper["Total"].astype(int).sum() == len(seed_tables.checks)


def test_plots_are_deterministic(seed_tables, tmp_path):
    for run in ("a", "b"):
        fig, _ = figures.plot_headline_outputs(seed_tables, lang="zh")
        save_figure(fig, tmp_path / run, "fig", formats=("svg", "png"))
        plt.close(fig)
    for ext in ("svg", "png"):
        assert (tmp_path / "a" / f"fig.{ext}").read_bytes() == (tmp_path / "b" / f"fig.{ext}").read_bytes()


def test_citable_summary_rows_add_up(seed_tables, tmp_path):
    summary = figures.citable_summary(seed_tables, "zh")
    per_claim = figures.citable_claims(seed_tables, "zh")
    assert summary["total"].sum() == len(seed_tables.claims)
    for c in figures.CITABLE_CLASSES:
        assert summary[f"n_{c}"].sum() == (per_claim["category"] == c).sum()
    tables.write_table(summary, tmp_path / "citable.csv", figures.COLUMNS)
    paper = figures.paper_table(summary, "zh")
    assert "合计" in paper.columns and figures.t("cite_confirmed", "zh") in paper.columns


def test_aid_flows_many_to_one_and_uncurated(seed_tables):
    """Two aiding parties into one recipient meet at one node; a page without curated fields is 'unknown'."""
    import dataclasses

    docs = seed_tables.documents.copy()
    first, last = docs.index[0], docs.index[-1]
    for col in ("recipient_region", "recipient_region_en", "programme"):
        docs.loc[last, col] = docs.loc[first, col]
    docs.loc[docs.index[1], ["aiding_party", "aiding_party_en", "recipient_region", "recipient_region_en",
                             "programme"]] = ""
    changed = dataclasses.replace(seed_tables, documents=docs)
    fig, data = figures.plot_aid_flows(changed, lang="en")
    assert data["recipient_label"].value_counts()[docs.loc[first, "recipient_region_en"]] == 2
    assert "unknown" in set(data["aiding_label"]) and "unknown" in set(data["recipient_label"])
    texts = _texts(fig)
    assert texts.count(docs.loc[first, "recipient_region_en"]) == 1  # one node, two flows
    _, zh = figures.plot_aid_flows(changed, lang="zh")
    assert "不详" in set(zh["aiding_label"])


def test_unknown_reading_is_an_error_not_exact():
    from aidlab.figures import reading_class

    assert reading_class("more_bounded") == "bounded"
    with pytest.raises(ValueError, match="no class"):
        reading_class("a_new_reading")
