"""Publication figures and paper tables over the pipeline's tables, in English or Chinese.

What
----
Small pure functions over :class:`aidlab.pipeline.Tables` (anything with the DataFrames
``documents``, ``segments``, ``claims`` and ``checks``).  Every ``plot_xxx(tables, lang="en")``
returns ``(figure, data)``: the matplotlib figure (styled by :mod:`aidlab.figstyle`, to be written
with :func:`aidlab.figstyle.save_figure`) and the tidy DataFrame it draws, one row per drawn
element, so that what a figure shows can be exported and checked against the source tables.

* :func:`plot_corpus` – the corpus at a glance: characters of every page by segment kind
  (article body vs each kind of page chrome), and per page its script, pinyin annotations
  removed, corrupt (mojibake) spans and damaged digits.
* :func:`plot_headline_outputs` – the headline outputs (experts sent, patients seen, surgeries,
  new techniques, funds) as the intervals their wording allows; :func:`plot_per_expert` –
  patients and surgeries per expert sent, by interval division.
* :func:`plot_checks` – every reconciliation check by document and kind, coloured by verdict.
* :func:`plot_vagueness` – share of figures per document by how they are worded
  (exact, 余/多, 超过/以上, 近/不足, 约/左右, damaged).
* :func:`plot_aid_flows` – who aids whom, from the curated manifest fields.
* :func:`plot_citable` – which figures can be cited as they stand.
* :func:`headline_table`, :func:`checks_summary`, :func:`citable_claims` – paper tables;
  :func:`paper_table` gives the columns a paper prints, with localised headers and numbers
  written out; :data:`COLUMNS` is the data dictionary of every column these functions return
  (for :func:`aidlab.tables.write_table`).

Why
---
Figures of figures must not be more precise than the text: a "48万余人次" is a range, a
"超过12万人次" has no upper bound, and a figure touching a lost byte has no value at all.  The
plots therefore draw the claims' ``[low, high]`` intervals, never a bare point value, and say
how many damaged figures they leave out.  All user-facing text comes from one dictionary,
:data:`TEXT`, with an English and a Chinese version of each string, so both language versions
of a figure always show the same content.  Place names come from the curated manifest fields
(``*_en`` columns in English, the Chinese columns in Chinese); outlet names and the figures as
written (``text``) are quotations and stay in Chinese in both versions.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from . import taxonomy
from .figstyle import PALETTE, VERDICT_COLOURS, new_figure
from .manifest import PROGRAMMES
from .reconcile import KINDS
from .segment import SEGMENT_KINDS

__all__ = [
    "LANGS",
    "TEXT",
    "COLUMNS",
    "HEADLINE_METRICS",
    "PER_EXPERT_METRICS",
    "VERDICTS",
    "READING_CLASSES",
    "CITABLE_CLASSES",
    "t",
    "doc_labels",
    "plot_corpus",
    "plot_headline_outputs",
    "plot_per_expert",
    "plot_checks",
    "plot_vagueness",
    "plot_aid_flows",
    "plot_citable",
    "headline_table",
    "checks_summary",
    "citable_claims",
    "citable_summary",
    "paper_table",
]

#: Languages of the labels: English and (Simplified) Chinese.
LANGS: tuple[str, ...] = ("en", "zh")

#: Every string a figure or paper table shows: key → (English, Chinese).
TEXT: dict[str, tuple[str, str]] = {
    # general
    "unknown": ("unknown", "不详"),
    "date_unknown": ("date unknown", "日期不详"),
    "outlet_unknown": ("outlet unknown", "来源不详"),
    "all_documents": ("All documents", "全部文档"),
    "n_equals": ("n = {n}", "n = {n}"),
    "programme": ("Programme", "项目类型"),
    "characters": ("Characters of the cleaned page", "清洗后页面字符数"),
    "figures_count": ("Figures reported (claims)", "报告的数字（条）"),
    "share_of_figures": ("Share of the figures in the document", "占本文档数字的比例"),
    # segment kinds
    "seg_body": ("Article body", "正文"),
    "seg_headline": ("Headline", "标题"),
    "seg_dateline": ("Dateline, byline", "日期来源行"),
    "seg_caption": ("Captions", "图片说明"),
    "seg_keywords": ("Keywords", "关键词"),
    "seg_navigation": ("Navigation", "导航"),
    "seg_related": ("Related links", "相关文章链接"),
    "seg_comments": ("Comments", "评论"),
    "seg_spam": ("Link spam", "垃圾链接"),
    "seg_footer": ("Footer", "页脚"),
    "seg_disclaimer": ("Disclaimers", "免责声明"),
    "seg_other": ("Other chrome", "其他页面元素"),
    # corpus panel b
    "corpus_a": ("a  Characters by page segment", "a  各类页面片段的字符数"),
    "corpus_b": ("b  Script and text damage", "b  字体与文本损坏"),
    "col_script": ("Script\nof page", "页面\n字体"),
    "col_annotations": ("Pinyin\nremoved", "删除的\n拼音注音"),
    "col_corrupt": ("Corrupt\nspans\n(repaired)", "乱码片段\n（已修复）"),
    "col_damaged_digits": ("Damaged\ndigits", "受损\n数字"),
    "script_simplified": ("simplified", "简体"),
    "script_traditional": ("traditional", "繁体"),
    "script_mixed": ("mixed", "简繁混合"),
    "script_undetermined": ("undetermined", "无法判定"),
    "repaired_of": ("{n} ({r})", "{n}（{r}）"),
    # headline outputs
    "unit_funds": ("yuan", "元"),
    "log_scale": ("log scale", "对数坐标"),
    "damaged_note": ("+{n} damaged, not shown", "另有{n}个受损数字未画出"),
    "no_figures": ("no figures", "无数字"),
    "glyph_exact": ("exact figure (point)", "精确数字（点）"),
    "glyph_bounded": ("bounded range (余/多, 近, 约)", "有界区间（余/多、近、约）"),
    "glyph_open": ("open-ended (超过, 以上): arrow", "无上限（超过、以上）：箭头"),
    "glyph_written": ("value as written", "原文数值"),
    "reported_value": ("Reported value: interval the wording allows", "报告数值：措辞允许的区间"),
    "per_expert_axis": ("Per expert sent, by interval division", "每名派出人员（区间相除）"),
    "no_bound": ("no bound", "无界"),
    "per_expert_patients_seen": ("Patients seen per expert", "每名专家接诊患者"),
    "per_expert_surgeries": ("Surgeries per expert", "每名专家手术台次"),
    # readings in English labels of figures
    "fmt_more_bounded": ("{x}+", "{x}余"),
    "fmt_more_than": (">{x}", "超过{x}"),
    "fmt_at_least": ("≥{x}", "{x}以上"),
    "fmt_near": ("nearly {x}", "近{x}"),
    "fmt_under": ("<{x}", "不足{x}"),
    "fmt_at_most": ("≤{x}", "{x}以下"),
    "fmt_about": ("~{x}", "约{x}"),
    # check kinds and verdicts
    "kind_grim": ("GRIM test", "GRIM检验"),
    "kind_range": ("Range", "取值范围"),
    "kind_parts_total": ("Parts vs total", "分项与总数"),
    "kind_change": ("Change", "增减变化"),
    "kind_repeat": ("Repeated figure", "重复陈述"),
    "kind_cross_document": ("Cross-document", "跨文档比较"),
    "kind_cross_series": ("Cumulative series", "累计序列"),
    "kind_cross_part_whole": ("Part and whole", "部分与整体"),
    "kind_republication": ("Republication", "转载"),
    "verdict_consistent": ("consistent", "一致"),
    "verdict_inconsistent": ("inconsistent", "不一致"),
    "verdict_indeterminate": ("indeterminate", "无法判定"),
    "check_kind": ("Kind of check", "检查类型"),
    "checks_note": (
        "Number = checks; blank = no check of that kind. A cross-document check counts in each of its documents.",
        "数字为检查次数；空白表示无此类检查。跨文档检查计入所涉及的每篇文档。",
    ),
    # vagueness classes
    "read_exact": ("exact as written", "精确"),
    "read_bounded": ("余/多 (bounded)", "余/多（有界）"),
    "read_open": ("超过/以上 (open-ended)", "超过/以上（无上限）"),
    "read_near": ("近/不足/以下 (bounded by the number)", "近/不足/以下（以原数为界）"),
    "read_about": ("约/左右 (about)", "约/左右（大约）"),
    "read_damaged": ("damaged", "受损"),
    # aid flows
    "aiding_party": ("Aiding party", "支援方"),
    "recipient": ("Recipient", "受援方"),
    "flow_claims": ("{c} figures, {d} doc.", "{c}个数字，{d}篇"),
    "width_claims": ("Line width: figures reported", "线宽：报告的数字个数"),
    "width_documents": ("Line width: documents", "线宽：文档篇数"),
    # citable
    "cite_confirmed": ("exact, confirmed by a consistent check", "精确，经一致性检查确认"),
    "cite_unchecked": ("exact, unchecked", "精确，未经检查"),
    "cite_interval": ("vague but bounded", "模糊但有界"),
    "cite_open": ("open-ended", "无上限"),
    "cite_questioned": ("in an inconsistent or indeterminate check", "涉及不一致或无法判定的检查"),
    "cite_damaged": ("damaged", "受损"),
    # paper-table headers
    "hdr_doc": ("Document", "文档"),
    "hdr_programme": ("Programme", "项目类型"),
    "hdr_metric": ("Metric", "指标"),
    "hdr_text": ("As written", "原文"),
    "hdr_low": ("Low", "下限"),
    "hdr_high": ("High", "上限"),
    "hdr_scope": ("Time scope", "时间范围"),
    "hdr_kind": ("Kind of check", "检查类型"),
    "hdr_total": ("Total", "合计"),
    "hdr_category": ("Citability", "可引用性"),
    # captions of the paper tables
    "caption_headline": (
        "Headline outputs reported per document, as the interval [low, high] the wording allows (∞: no upper bound).",
        "各文档报告的主要产出：按措辞可允许的区间 [下限, 上限] 列出（∞ 表示无上限）。",
    ),
    "caption_checks": (
        "Reconciliation checks by kind and verdict.",
        "核对检查：按类型和结论计数。",
    ),
    "caption_citable": (
        "Figures per document by whether they can be cited as they stand.",
        "各文档数字按可否直接引用分类计数。",
    ),
}

#: Data dictionary of every column the functions of this module return (for tables.write_table).
COLUMNS: dict[str, str] = {
    "doc_id": "Document id (file stem).",
    "doc_label": "Short document label shown in the figure: the file's numeric prefix and the publication date ('date unknown' when the page and the manifest do not state it).",
    "outlet": "Outlet as read from the page or the manifest (a name, quoted as published); 'unknown' when not stated.",
    "published": "Publication date (ISO) or 'unknown'.",
    "script": "Script of the raw page: simplified, traditional, mixed or undetermined.",
    "script_label": "The script in the figure's language.",
    "annotations_removed": "Pinyin annotations removed by cleaning.",
    "corrupt_spans": "Spans of byte-shifted GBK mojibake detected.",
    "repaired_spans": "Of those, spans whose repair was accepted.",
    "damaged_digits": "Characters whose numeric value is unknown because of a lost byte.",
    "kind": "Segment kind (plot_corpus) or kind of reconciliation check (checks), as the key used in the pipeline's tables.",
    "kind_label": "The kind in the figure's language.",
    "chars": "Characters of the cleaned page in segments of this kind.",
    "claim_id": "Claim id (<doc_id>#<n>) of the figure drawn.",
    "programme": "Programme key of the document (aidlab.manifest.PROGRAMMES); empty when not curated.",
    "programme_label": "The programme in the figure's language.",
    "metric": "Metric key (aidlab.taxonomy).",
    "metric_label": "The metric in the figure's language.",
    "text": "The figure as written in the clean text (a quotation: Chinese in both languages).",
    "label": "The figure as labelled in the figure: the text as written (zh) or its number with the qualifier as a symbol (en).",
    "reading": "How the wording was read into [low, high] (claims.reading).",
    "value": "The number as written × multiplier (NaN when damaged).",
    "low": "Lowest value the wording allows (claims.low; for per-expert rows: numerator low / denominator high).",
    "high": "Highest value the wording allows; inf when unbounded above.",
    "low_inclusive": "True when low itself is possible.",
    "high_inclusive": "True when high itself is possible.",
    "scope": "Time scope stated in the sentence; empty when none.",
    "damaged": "True when the figure touches a character lost to mojibake.",
    "drawn_as": "How the interval is drawn: point (exact figure), range (bounded above and below) or open (arrow to the axis edge).",
    "numerator_id": "Claim id of the output figure (patients seen or surgeries).",
    "numerator_text": "The output figure as written.",
    "numerator_low": "Low end of the output figure.",
    "numerator_high": "High end of the output figure (inf when unbounded).",
    "denominator_id": "Claim id of the experts_sent figure divided by: the nearest one before the output figure in its document, in the same sentence or at most two sentences earlier.",
    "denominator_text": "The experts_sent figure as written.",
    "denominator_low": "Low end of the experts_sent figure.",
    "denominator_high": "High end of the experts_sent figure (inf when unbounded).",
    "verdict": "Verdict of the checks: consistent, inconsistent or indeterminate.",
    "verdict_label": "The verdict in the figure's language.",
    "n": "Count: checks (plot_checks), figures (plot_vagueness, plot_citable), figures of the flow (plot_aid_flows).",
    "share": "n divided by the number of figures of the document (shares of a document sum to 1).",
    "category": "Class of the row: reading class (plot_vagueness) or citability class (plot_citable, citable_claims).",
    "category_label": "The class in the figure's language.",
    "aiding_party": "Curated: who gives the aid, Chinese name.",
    "aiding_party_en": "Curated: English name of the aiding party.",
    "aiding_label": "The aiding party in the figure's language.",
    "recipient_region": "Curated: the region that receives the aid, Chinese name.",
    "recipient_region_en": "Curated: English name of the recipient region.",
    "recipient_label": "The recipient in the figure's language.",
    "documents": "Documents on this aiding party → recipient pair.",
    "claims": "Figures (claims) reported in those documents.",
    "consistent": "Checks with verdict consistent.",
    "inconsistent": "Checks with verdict inconsistent.",
    "indeterminate": "Checks with verdict indeterminate.",
    "total": "All checks of this kind.",
    "check_ids": "Reconciliation checks involving the claim, ';'-separated (empty when none).",
    "check_verdicts": "Their verdicts, ';'-separated in the same order.",
    **{f"n_{c}": f"Figures of the document in citability class {c} (see aidlab.figures.citable_claims)."
       for c in ("confirmed", "unchecked", "interval", "open", "questioned", "damaged")},
}

#: Headline outputs drawn by plot_headline_outputs, in panel order.
HEADLINE_METRICS: tuple[str, ...] = ("experts_sent", "patients_seen", "surgeries", "new_techniques", "funds")
#: Outputs divided by experts_sent in plot_per_expert.
PER_EXPERT_METRICS: tuple[str, ...] = ("patients_seen", "surgeries")
#: Verdicts of reconciliation checks, in display order.
VERDICTS: tuple[str, ...] = ("consistent", "inconsistent", "indeterminate")
#: Reading class → readings of the claims table it groups (plot_vagueness), in display order.
READING_CLASSES: dict[str, tuple[str, ...]] = {
    "exact": ("point", "percent_words", "per_mille_words", "tenths", "fraction", "digits"),
    "bounded": ("more_bounded", "several", "range", "adjacent", "few"),
    "open": ("more_than", "at_least"),
    "near": ("near", "under", "at_most"),
    "about": ("about",),
    "damaged": ("damaged", "unread"),
}
#: Citability classes (plot_citable), most citable first.
CITABLE_CLASSES: tuple[str, ...] = ("confirmed", "unchecked", "interval", "open", "questioned", "damaged")

_READING_COLOURS = {
    "exact": PALETTE[0], "bounded": PALETTE[9], "open": PALETTE[1],
    "near": PALETTE[2], "about": PALETTE[4], "damaged": PALETTE[7],
}
_CITABLE_COLOURS = {
    "confirmed": PALETTE[0], "unchecked": PALETTE[9], "interval": PALETTE[2],
    "open": PALETTE[8], "questioned": PALETTE[1], "damaged": PALETTE[7],
}
_HATCHES = {"damaged": "////", "questioned": "...."}
_PROGRAMME_COLOURS = {
    "xinjiang": PALETTE[0], "tibet": PALETTE[3], "downward": PALETTE[2],
    "national": PALETTE[4], "other": PALETTE[5], "": PALETTE[7],
}
_SEGMENT_COLOURS = {
    "body": PALETTE[0], "headline": PALETTE[9], "dateline": PALETTE[2], "caption": PALETTE[4],
    "keywords": PALETTE[8], "navigation": PALETTE[5], "related": PALETTE[1], "comments": "#404040",
    "spam": PALETTE[3], "footer": PALETTE[7], "disclaimer": PALETTE[6], "other": "#d0d0d0",
}
_VERDICT_MARKERS = {"consistent": "o", "inconsistent": "D", "indeterminate": "s"}
_VERDICT_TEXT_COLOURS = {"consistent": "white", "inconsistent": "black", "indeterminate": "black"}
_SCRIPT_MARKERS = {"simplified": "o", "traditional": "s", "mixed": "D", "undetermined": "x"}


# ------------------------------------------------------------------ language
def _check_lang(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return LANGS.index(lang)


def t(key: str, lang: str = "en", **fmt: Any) -> str:
    """The UI string `key` in `lang` ('en' or 'zh'), formatted with `fmt`; ValueError for another lang."""
    i = _check_lang(lang)
    text = TEXT[key][i]
    return text.format(**fmt) if fmt else text


def _programme_label(key: str, lang: str) -> str:
    i = _check_lang(lang)
    if key in PROGRAMMES:
        return PROGRAMMES[key][i]
    return t("unknown", lang) if not key else key


def _metric_label(key: str, lang: str) -> str:
    _check_lang(lang)
    return taxonomy.label(key, lang)


def _place(zh: str, en: str, lang: str) -> str:
    zh, en = (zh or "").strip(), (en or "").strip()
    first, second = (zh, en) if lang == "zh" else (en, zh)
    return first or second or t("unknown", lang)


def _kind_label(kind: str, lang: str) -> str:
    return t(f"kind_{kind}", lang) if f"kind_{kind}" in TEXT else kind


def _seg_label(kind: str, lang: str) -> str:
    return t(f"seg_{kind}", lang) if f"seg_{kind}" in TEXT else kind


def _wrap(text: str, lang: str, width: int) -> str:
    """Wrap a label to `width` characters (English: at spaces; Chinese: every `width//2` characters)."""
    if "\n" in text:
        return text
    if lang == "zh":
        step = max(2, width // 2)
        return "\n".join(text[i:i + step] for i in range(0, len(text), step))
    return textwrap.fill(text, width, break_long_words=False)


# ------------------------------------------------------------------- helpers
def _frames(tables: Any, *names: str) -> list[pd.DataFrame]:
    out = []
    for name in names:
        df = getattr(tables, name, None)
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"tables must have a DataFrame attribute {name!r} (aidlab.pipeline.Tables)")
        out.append(df)
    return out


def _short_ids(doc_ids: Iterable[str]) -> dict[str, str]:
    ids = list(dict.fromkeys(doc_ids))
    short = {d: d.split("_", 1)[0] for d in ids}
    if len(set(short.values())) < len(ids):
        return {d: d for d in ids}
    return short


def doc_labels(documents: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """doc_id → short label for figures: '<prefix> · <date>' ('date unknown' shown as such)."""
    _check_lang(lang)
    short = _short_ids(documents["doc_id"])
    labels = {}
    for row in documents.itertuples():
        date = str(row.published) if str(row.published) not in ("", "unknown", "nan") else t("date_unknown", lang)
        labels[row.doc_id] = f"{short[row.doc_id]} · {date}"
    return labels


def _doc_order(documents: pd.DataFrame) -> list[str]:
    return sorted(documents["doc_id"].astype(str))


def _fmt_number(x: float) -> str:
    """A number with thousands separators, without a trailing '.0'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "?"
    if math.isinf(x):
        return "∞"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.6g}" if abs(x) < 1000 else f"{x:,.1f}"


def _figure_label(row: Any, lang: str) -> str:
    """How a claim (a row with text, reading, value, number) is labelled in a figure.

    As written in Chinese (zh); its number with thousands separators and the qualifier as a
    symbol or word in English (en): 130多名 → '130+', 超6万人次 → '>60,000'.
    """
    if lang == "zh":
        return str(row.text)
    if row.reading == "damaged":
        return str(getattr(row, "number", "?"))
    x = _fmt_number(float(row.value))
    key = f"fmt_{row.reading}"
    return t(key, lang, x=x) if key in TEXT else x


def _drawn_as(low: float, high: float, reading: str) -> str:
    if math.isinf(high):
        return "open"
    if reading == "point" or low == high:
        return "point"
    return "range"


def _claim_verdicts(checks: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """claim_id → [(check_id, verdict) …] for every check naming the claim."""
    out: dict[str, list[tuple[str, str]]] = {}
    for row in checks.itertuples():
        outcome = getattr(row, "outcome", "")
        if outcome == "republished":
            continue  # a copy of the same article confirms nothing (aidlab.crossdoc)
        ids = str(row.claim_ids).split(";")
        for cid in (ids[-1:] if outcome == "undated" else ids):  # only the undated claim is left undecided
            cid = cid.strip()
            if cid:
                out.setdefault(cid, []).append((str(row.check_id), str(row.verdict)))
    return out


def _check_docs(checks: pd.DataFrame) -> pd.DataFrame:
    """One row per (check, document it involves)."""
    rows = [
        {"check_id": r.check_id, "kind": r.kind, "verdict": r.verdict, "doc_id": d.strip()}
        for r in checks.itertuples() for d in str(r.doc_ids).split(";") if d.strip()
    ]
    return pd.DataFrame(rows, columns=["check_id", "kind", "verdict", "doc_id"])


def _legend_below(fig: Figure, handles: list, ncols: int, title: str | None = None) -> None:
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncols=ncols, title=title,
                   handlelength=1.6, columnspacing=1.2, borderaxespad=0.2)


def _fresh_figure(width: str, height_in: float) -> Figure:
    """A styled empty figure of the given width and height (inches)."""
    from .figstyle import DOUBLE_COLUMN_IN, SINGLE_COLUMN_IN

    w = DOUBLE_COLUMN_IN if width == "double" else SINGLE_COLUMN_IN
    fig, ax = new_figure(width, aspect=height_in / w)
    ax.remove()
    return fig


# ------------------------------------------------------------------ 1 corpus
def plot_corpus(tables: Any, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """The corpus at a glance: characters per page by segment kind, and per page script and damage.

    Panel a: stacked horizontal bars, one per document (labelled by short id, date and outlet),
    of the cleaned page's characters by segment kind, article body first.  Panel b: the raw
    page's script and the cleaning counts (pinyin annotations removed, corrupt spans with the
    repaired ones in brackets, damaged digits), with marker area growing with the count.
    Data: one row per document × segment kind present in the corpus (zeros included).
    """
    _check_lang(lang)
    documents, segments = _frames(tables, "documents", "segments")
    order = _doc_order(documents)
    labels = doc_labels(documents, lang)
    docs = documents.set_index("doc_id")
    present = set(segments["kind"])
    kinds = [k for k in SEGMENT_KINDS if k in present]
    kinds = sorted(kinds, key=lambda k: (k != "body", k != "headline", list(SEGMENT_KINDS).index(k)))
    chars = segments.groupby(["doc_id", "kind"])["chars"].sum()
    rows = []
    for d in order:
        doc = docs.loc[d]
        for k in kinds:
            rows.append({
                "doc_id": d, "doc_label": labels[d], "outlet": doc["outlet"], "published": doc["published"],
                "script": doc["script"], "script_label": t(f"script_{doc['script']}", lang)
                if f"script_{doc['script']}" in TEXT else str(doc["script"]),
                "annotations_removed": int(doc["annotations_removed"]), "corrupt_spans": int(doc["corrupt_spans"]),
                "repaired_spans": int(doc["repaired_spans"]), "damaged_digits": int(doc["damaged_digits"]),
                "kind": k, "kind_label": _seg_label(k, lang), "chars": int(chars.get((d, k), 0)),
            })
    data = pd.DataFrame(rows, columns=["doc_id", "doc_label", "outlet", "published", "script", "script_label",
                                       "annotations_removed", "corrupt_spans", "repaired_spans", "damaged_digits",
                                       "kind", "kind_label", "chars"])

    n = len(order)
    fig = _fresh_figure("double", 1.25 + 0.42 * max(n, 1))
    gs = fig.add_gridspec(1, 2, width_ratios=[3.0, 2.0])
    ax = fig.add_subplot(gs[0, 0])
    axb = fig.add_subplot(gs[0, 1], sharey=ax)
    y = np.arange(n)
    left = np.zeros(n)
    handles = []
    for k in kinds:
        widths = np.array([chars.get((d, k), 0) for d in order], dtype=float)
        ax.barh(y, widths, left=left, height=0.62, color=_SEGMENT_COLOURS.get(k, PALETTE[7]),
                edgecolor="white", linewidth=0.3, label=_seg_label(k, lang))
        left += widths
        handles.append(Patch(facecolor=_SEGMENT_COLOURS.get(k, PALETTE[7]), label=_seg_label(k, lang)))
    for i, total in enumerate(left):
        ax.text(total, i, f" {int(total):,}", va="center", ha="left", fontsize=7)
    ticks = []
    for d in order:
        outlet = str(docs.loc[d, "outlet"])
        outlet = t("outlet_unknown", lang) if outlet in ("", "unknown", "nan") else outlet
        ticks.append(f"{labels[d]}\n{outlet}")
    ax.set_yticks(y, ticks)
    ax.invert_yaxis()
    ax.set_xlim(0, max(left.max() if n else 1, 1) * 1.16)
    ax.set_xlabel(t("characters", lang))
    ax.set_title(t("corpus_a", lang), loc="left")
    ax.grid(axis="y", visible=False)

    # panel b: one cell per document and field; cell = [left, right) on the x axis
    cells = [("col_script", None, 0.0, 1.55), ("col_annotations", "annotations_removed", 1.55, 2.6),
             ("col_corrupt", "corrupt_spans", 2.6, 3.75), ("col_damaged_digits", "damaged_digits", 3.75, 4.7)]
    for _, field, x0, _x1 in cells:
        if field is None:
            for i, d in enumerate(order):
                script = str(docs.loc[d, "script"])
                axb.plot(x0 + 0.15, i, marker=_SCRIPT_MARKERS.get(script, "x"), color="0.25", ms=5,
                         markerfacecolor="white" if script == "simplified" else "0.25", markeredgewidth=0.8)
                axb.text(x0 + 0.33, i, t(f"script_{script}", lang) if f"script_{script}" in TEXT else script,
                         va="center", ha="left", fontsize=7)
            continue
        values = np.array([int(docs.loc[d, field]) for d in order])
        vmax = max(values.max() if n else 0, 1)
        for i, d in enumerate(order):
            v = int(values[i])
            text = str(v)
            if field == "corrupt_spans":
                text = t("repaired_of", lang, n=v, r=int(docs.loc[d, "repaired_spans"]))
            if v:
                axb.scatter([x0 + 0.2], [i], s=8 + 70 * math.sqrt(v / vmax), color=PALETTE[3], alpha=0.85,
                            linewidths=0)
            axb.text(x0 + 0.42, i, text, va="center", ha="left", fontsize=7, color="black" if v else "0.55")
    axb.set_xlim(0, cells[-1][3])
    axb.set_xticks([(c[2] + c[3]) / 2 for c in cells], [t(c[0], lang) for c in cells], fontsize=7)
    axb.xaxis.tick_top()
    axb.tick_params(axis="x", length=0, pad=2)
    axb.tick_params(axis="y", left=False, labelleft=False)
    for spine in ("left", "bottom", "top", "right"):
        axb.spines[spine].set_visible(False)
    axb.grid(False)
    for i in range(n - 1):
        axb.axhline(i + 0.5, color="0.9", lw=0.4)
    axb.set_title(t("corpus_b", lang), loc="left")
    fig.align_titles()
    _legend_below(fig, handles, ncols=min(6, len(handles)))
    return fig, data


# ------------------------------------------------------- 2 headline outputs
def _headline_rows(tables: Any, lang: str, metrics: Iterable[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    documents, claims = _frames(tables, "documents", "claims")
    metrics = list(metrics)
    labels = doc_labels(documents, lang)
    programme = documents.set_index("doc_id")["programme"].astype(str).to_dict()
    sel = claims[claims["metric"].isin(metrics)].copy()
    sel["_m"] = sel["metric"].map({m: i for i, m in enumerate(metrics)})
    sel = sel.sort_values(["_m", "doc_id", "clean_start"], kind="stable")
    rows = []
    for r in sel.itertuples():
        prog = programme.get(r.doc_id, "")
        rows.append({
            "claim_id": r.claim_id, "doc_id": r.doc_id, "doc_label": labels.get(r.doc_id, r.doc_id),
            "programme": prog, "programme_label": _programme_label(prog, lang),
            "metric": r.metric, "metric_label": _metric_label(r.metric, lang),
            "text": r.text, "label": _figure_label(r, lang), "reading": r.reading, "value": float(r.value),
            "low": float(r.low), "high": float(r.high), "low_inclusive": bool(r.low_inclusive),
            "high_inclusive": bool(r.high_inclusive), "scope": r.scope, "damaged": bool(r.damaged),
            "drawn_as": "" if r.damaged else _drawn_as(float(r.low), float(r.high), r.reading),
        })
    cols = ["claim_id", "doc_id", "doc_label", "programme", "programme_label", "metric", "metric_label", "text",
            "label", "reading", "value", "low", "high", "low_inclusive", "high_inclusive", "scope", "damaged",
            "drawn_as"]
    allrows = pd.DataFrame(rows, columns=cols)
    return allrows[~allrows["damaged"]].reset_index(drop=True), allrows


def _axis_limits(lows: np.ndarray, highs: np.ndarray) -> tuple[bool, float, float]:
    """(log?, xmin, xmax) for intervals: log when the finite values span more than 30×."""
    finite = np.concatenate([lows[np.isfinite(lows)], highs[np.isfinite(highs)]])
    positive = finite[finite > 0]
    if positive.size == 0:
        return False, 0.0, 1.0
    lo, hi = float(positive.min()), float(positive.max())
    if hi / lo > 30:
        return True, lo / 2.5, hi * 4.0
    return False, 0.0, hi * 1.25 if hi > 0 else 1.0


def _draw_interval(ax: Any, y: float, low: float, high: float, written: float | None, drawn_as: str,
                   colour: str, low_inclusive: bool, log: bool, xmin: float, lang: str) -> None:
    """One interval: point (exact), range [low, high] with caps, or an arrow to the right axis edge."""
    start_edge = (log and low <= 0) or (not log and low < xmin)
    x0 = xmin if start_edge else low
    if drawn_as == "open" and (start_edge or low <= 0):
        ax.annotate("", xy=(1.0, y), xycoords=ax.get_yaxis_transform(), xytext=(0.0, y),
                    textcoords=ax.get_yaxis_transform(),
                    arrowprops=dict(arrowstyle="<|-|>", color=colour, lw=1.0, shrinkA=0, shrinkB=0,
                                    mutation_scale=7, linestyle=(0, (3, 2))))
        ax.text(0.5, y, t("no_bound", lang), transform=ax.get_yaxis_transform(), ha="center", va="center",
                fontsize=6.5, color=colour, bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"))
        return
    if drawn_as == "open":
        ax.annotate("", xy=(1.0, y), xycoords=ax.get_yaxis_transform(), xytext=(x0, y), textcoords="data",
                    arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.3, shrinkA=0, shrinkB=0,
                                    mutation_scale=7))
        if not start_edge:
            ax.plot([low], [y], marker="o", ms=3.8, color=colour,
                    markerfacecolor=colour if low_inclusive else "white", markeredgewidth=1.0, zorder=3)
        return
    if drawn_as == "point":
        ax.plot([x0, high], [y, y], color=colour, lw=1.0, solid_capstyle="butt")
        ax.plot([written if written is not None and np.isfinite(written) else (low + high) / 2], [y],
                marker="o", ms=4.2, color=colour, zorder=3)
        return
    ax.plot([x0, high], [y, y], color=colour, lw=2.2, solid_capstyle="butt", alpha=0.75)
    ax.plot([x0, high], [y, y], linestyle="none", marker="|", ms=6, color=colour, markeredgewidth=1.0)
    if written is not None and np.isfinite(written):
        ax.plot([written], [y], marker="o", ms=3.4, color=colour, markerfacecolor="white",
                markeredgewidth=0.9, zorder=3)


def _interval_panel(ax: Any, data: pd.DataFrame, title: str, lang: str, note: str | None,
                    written_col: str | None, xlabel: str | None) -> None:
    ax.set_title(title, loc="left")
    if data.empty:
        ax.text(0.5, 0.5, t("no_figures", lang), transform=ax.transAxes, ha="center", va="center", color="0.4")
        ax.set_yticks([])
        ax.set_xticks([])
        return
    lows, highs = data["low"].to_numpy(float), data["high"].to_numpy(float)
    log, xmin, xmax = _axis_limits(lows, highs)
    if log:
        ax.set_xscale("log")
    ax.set_xlim(xmin, xmax)
    for i, r in enumerate(data.itertuples()):
        written = getattr(r, written_col) if written_col else None
        _draw_interval(ax, i, r.low, r.high, written, r.drawn_as,
                       _PROGRAMME_COLOURS.get(r.programme, PALETTE[7]), r.low_inclusive, log, xmin, lang)
    ax.set_yticks(range(len(data)), list(data["ytick"]), fontsize=7)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    # separate documents with thin rules
    docs = list(data["doc_id"])
    for i in range(1, len(docs)):
        if docs[i] != docs[i - 1]:
            ax.axhline(i - 0.5, color="0.8", lw=0.4)
    if xlabel:
        ax.set_xlabel(xlabel + (("，" if lang == "zh" else ", ") + t("log_scale", lang) if log else ""), fontsize=7)
    elif log:
        ax.set_xlabel(t("log_scale", lang), fontsize=7)
    if note:
        ax.text(1.0, 1.01, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=6.5, color="0.3")


def _interval_legend(fig: Figure, programmes: list[str], lang: str, written: bool, title: str | None = None) -> None:
    handles = [Line2D([], [], color="0.3", marker="o", ms=4.2, lw=1.0, label=t("glyph_exact", lang)),
               Line2D([], [], color="0.3", lw=2.2, alpha=0.75, marker="|", ms=6, label=t("glyph_bounded", lang)),
               Line2D([], [], color="0.3", marker=">", ms=4, lw=1.3, markevery=[1], label=t("glyph_open", lang))]
    if written:
        handles.append(Line2D([], [], linestyle="none", marker="o", ms=3.4, color="0.3", markerfacecolor="white",
                              label=t("glyph_written", lang)))
    handles += [Patch(facecolor=_PROGRAMME_COLOURS.get(p, PALETTE[7]), label=_programme_label(p, lang))
                for p in programmes]
    _legend_below(fig, handles, ncols=4, title=title)


_PANEL_OVERHEAD = 3.0  # rows' worth of height a panel needs for its title and x axis


def _layout_columns(sizes: list[int]) -> list[list[int]]:
    """Split panels (by index, order kept) into two columns of as equal height as possible."""
    best: tuple[float, list[list[int]]] | None = None
    n = len(sizes)
    for mask in range(1 << n):
        cols: list[list[int]] = [[], []]
        for i in range(n):
            cols[(mask >> i) & 1].append(i)
        if mask & 1 or (n > 1 and not all(cols)):  # the first panel stays top left
            continue
        height = max(sum(sizes[i] + _PANEL_OVERHEAD for i in c) for c in cols)
        if best is None or height < best[0]:
            best = (height, cols)
    return best[1] if best else [[], []]


def _panels(fig: Figure, sizes: list[int]) -> list[Any]:
    """Axes for panels of `sizes` rows, in two columns, heights proportional to rows."""
    columns = _layout_columns(sizes)
    subfigs = fig.subfigures(1, 2, wspace=0.04)
    axes: list[Any] = [None] * len(sizes)
    for sub, members in zip(subfigs, columns):
        if not members:
            continue
        ratios = [max(sizes[i], 1) + _PANEL_OVERHEAD for i in members]
        axs = sub.subplots(len(members), 1, gridspec_kw={"height_ratios": ratios}, squeeze=False)
        for ax, i in zip(axs[:, 0], members):
            axes[i] = ax
    return axes


def plot_headline_outputs(tables: Any, lang: str = "en",
                          metrics: Iterable[str] = HEADLINE_METRICS) -> tuple[Figure, pd.DataFrame]:
    """Headline outputs per document as the intervals their wording allows, one panel per metric.

    A bar runs from `low` to `high` (余/多, 近, 约), an open-ended figure (超过, 以上; high = inf)
    is an arrow to the axis edge, an exact figure a dot (with its rounding interval, if any, as a
    thin line).  Colour = programme.  The x axis is logarithmic where the figures of a panel span
    more than 30×.  Damaged figures are not drawn; each panel says how many it leaves out.
    Data: one row per drawn figure (claims' low/high unchanged).
    """
    _check_lang(lang)
    metrics = list(metrics)
    drawn, allrows = _headline_rows(tables, lang, metrics)
    drawn = drawn.copy()
    drawn["ytick"] = [f"{d.split(' · ')[0]}  {lab}" for d, lab in zip(drawn["doc_label"], drawn["label"])]
    sizes = [int((drawn["metric"] == m).sum()) for m in metrics]
    rows_high = max(sum(sizes[i] + _PANEL_OVERHEAD for i in c) for c in _layout_columns(sizes)) if metrics else 1
    fig = _fresh_figure("double", max(0.8 + 0.15 * rows_high, 2.5))
    axes = _panels(fig, sizes)
    for ax, m in zip(axes, metrics):
        part = drawn[drawn["metric"] == m].reset_index(drop=True)
        n_damaged = int(((allrows["metric"] == m) & allrows["damaged"]).sum())
        title = _metric_label(m, lang) + (f" ({t('unit_funds', lang)})" if m == "funds" and lang == "en" else
                                          (f"（{t('unit_funds', lang)}）" if m == "funds" else ""))
        _interval_panel(ax, part, title, lang, t("damaged_note", lang, n=n_damaged) if n_damaged else None,
                        "value", None)
    programmes = [p for p in PROGRAMMES if p in set(drawn["programme"])]
    _interval_legend(fig, programmes, lang, written=True, title=t("reported_value", lang))
    return fig, drawn.drop(columns=["ytick"])


def plot_per_expert(tables: Any, lang: str = "en", metrics: Iterable[str] = PER_EXPERT_METRICS,
                    window: int = 2) -> tuple[Figure, pd.DataFrame]:
    """Patients seen and surgeries per expert sent, where the same passage states an experts_sent figure.

    Each output figure (not damaged) is divided by the experts_sent figure (not damaged) of its
    document that stands nearest before it in the text, in the same sentence or at most `window`
    sentences earlier; an output figure without one is left out (a clinic's yearly visits are
    not the output of a team named ten sentences later).  Interval division:
    [low_a / high_b, high_a / low_b] (0 when high_b is unbounded, inf when high_a is unbounded),
    each end included when both ends it is made of are.  Drawn as in
    :func:`plot_headline_outputs`; the y labels name both figures.
    Data: one row per pair, with both figures' ids, text and bounds.
    """
    _check_lang(lang)
    metrics = list(metrics)
    documents, claims = _frames(tables, "documents", "claims")
    labels = doc_labels(documents, lang)
    programme = documents.set_index("doc_id")["programme"].astype(str).to_dict()
    ok = claims[~claims["damaged"].astype(bool)]
    experts = ok[ok["metric"] == "experts_sent"]
    rows = []
    for m in metrics:
        for r in ok[ok["metric"] == m].sort_values(["doc_id", "clean_start"], kind="stable").itertuples():
            cands = experts[(experts["doc_id"] == r.doc_id) & (experts["clean_start"] < r.clean_start)
                            & (experts["sentence_no"] >= r.sentence_no - window)]
            if cands.empty:
                continue
            den = cands.loc[cands["clean_start"].idxmax()]
            a_lo, a_hi, b_lo, b_hi = float(r.low), float(r.high), float(den["low"]), float(den["high"])
            low = 0.0 if math.isinf(b_hi) else a_lo / b_hi
            high = math.inf if (math.isinf(a_hi) or b_lo <= 0) else a_hi / b_lo
            value = float(r.value) / float(den["value"]) if float(den["value"]) else math.nan
            exact = r.reading == "point" and den["reading"] == "point"
            drawn_as = "open" if math.isinf(high) else ("point" if exact else "range")
            prog = programme.get(r.doc_id, "")
            rows.append({
                "doc_id": r.doc_id, "doc_label": labels.get(r.doc_id, r.doc_id), "programme": prog,
                "programme_label": _programme_label(prog, lang), "metric": m, "metric_label": _metric_label(m, lang),
                "numerator_id": r.claim_id, "numerator_text": r.text, "numerator_low": a_lo, "numerator_high": a_hi,
                "denominator_id": den["claim_id"], "denominator_text": den["text"], "denominator_low": b_lo,
                "denominator_high": b_hi, "value": value, "low": low, "high": high,
                "low_inclusive": bool(r.low_inclusive) and bool(den["high_inclusive"]) and not math.isinf(b_hi),
                "high_inclusive": bool(r.high_inclusive) and bool(den["low_inclusive"]) and not math.isinf(high),
                "drawn_as": drawn_as, "label": f"{_figure_label(r, lang)} ÷ {_figure_label(den, lang)}",
            })
    cols = ["doc_id", "doc_label", "programme", "programme_label", "metric", "metric_label", "numerator_id",
            "numerator_text", "numerator_low", "numerator_high", "denominator_id", "denominator_text",
            "denominator_low", "denominator_high", "value", "low", "high", "low_inclusive", "high_inclusive",
            "drawn_as", "label"]
    data = pd.DataFrame(rows, columns=cols)
    data["ytick"] = [f"{d.split(' · ')[0]}  {lab}" for d, lab in zip(data["doc_label"], data["label"])]
    sizes = [int((data["metric"] == m).sum()) for m in metrics]
    fig = _fresh_figure("double", max(1.6 + 0.17 * max(sizes + [1]), 2.2))
    gs = fig.add_gridspec(1, len(metrics))
    for j, m in enumerate(metrics):
        ax = fig.add_subplot(gs[0, j])
        part = data[data["metric"] == m].reset_index(drop=True)
        _interval_panel(ax, part, t(f"per_expert_{m}", lang) if f"per_expert_{m}" in TEXT else
                        _metric_label(m, lang), lang, None, "value", t("per_expert_axis", lang))
    programmes = [p for p in PROGRAMMES if p in set(data["programme"])]
    _interval_legend(fig, programmes, lang, written=True)
    return fig, data.drop(columns=["ytick"])


# ------------------------------------------------------------------- 3 checks
def plot_checks(tables: Any, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """Every reconciliation check by document (rows) and kind (columns), coloured and shaped by verdict.

    In each cell one marker per verdict that occurs (consistent ○, inconsistent ◇, indeterminate □,
    always in that left-to-right slot, so the figure reads in greyscale too) with the number of
    checks in it; cells without a check are blank.  Every document and every kind is shown.
    Data: one row per document × kind × verdict with at least one check.
    """
    _check_lang(lang)
    documents, checks = _frames(tables, "documents", "checks")
    order = _doc_order(documents)
    labels = doc_labels(documents, lang)
    kinds = list(KINDS)
    per_doc = _check_docs(checks)
    counts = per_doc.groupby(["doc_id", "kind", "verdict"]).size()
    rows = []
    for d in order:
        for k in kinds:
            for v in VERDICTS:
                n = int(counts.get((d, k, v), 0))
                if n:
                    rows.append({"doc_id": d, "doc_label": labels[d], "kind": k, "kind_label": _kind_label(k, lang),
                                 "verdict": v, "verdict_label": t(f"verdict_{v}", lang), "n": n})
    data = pd.DataFrame(rows, columns=["doc_id", "doc_label", "kind", "kind_label", "verdict", "verdict_label", "n"])

    fig, ax = new_figure("double", aspect=(1.35 + 0.36 * max(len(order), 1)) / 7.2)
    offsets = {"consistent": -0.26, "inconsistent": 0.0, "indeterminate": 0.26}
    for r in data.itertuples():
        x, y = kinds.index(r.kind) + offsets[r.verdict], order.index(r.doc_id)
        ax.plot([x], [y], marker=_VERDICT_MARKERS[r.verdict], ms=12 if r.verdict != "inconsistent" else 11,
                color=VERDICT_COLOURS[r.verdict], markeredgecolor="0.2", markeredgewidth=0.5, linestyle="none")
        ax.text(x, y, str(r.n), ha="center", va="center", fontsize=6.5, color=_VERDICT_TEXT_COLOURS[r.verdict])
    ax.set_xlim(-0.5, len(kinds) - 0.5)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xticks(range(len(kinds)), [_wrap(_kind_label(k, lang), lang, 14) for k in kinds])
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(order)), [labels[d] for d in order])
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for i in range(len(kinds) + 1):
        ax.axvline(i - 0.5, color="0.85", lw=0.5)
    for i in range(len(order) + 1):
        ax.axhline(i - 0.5, color="0.85", lw=0.5)
    handles = [Line2D([], [], marker=_VERDICT_MARKERS[v], ms=7, linestyle="none", color=VERDICT_COLOURS[v],
                      markeredgecolor="0.2", markeredgewidth=0.5, label=t(f"verdict_{v}", lang)) for v in VERDICTS]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, title=t("checks_note", lang),
               title_fontsize=7)
    return fig, data


# ---------------------------------------------------------------- 4 vagueness
_CLASS_OF_READING = {r: cls for cls, readings in READING_CLASSES.items() for r in readings}


def reading_class(reading: str) -> str:
    """The vagueness class (key of READING_CLASSES) of a claim's reading; ValueError for an unknown reading."""
    try:
        return _CLASS_OF_READING[reading]
    except KeyError:
        raise ValueError(f"reading {reading!r} belongs to no class of READING_CLASSES") from None


def plot_vagueness(tables: Any, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """Share of each document's figures by how they are worded, as 100 % stacked bars with n.

    Classes (:data:`READING_CLASSES`): exact as written; 余/多 (bounded above by the next unit);
    超过/以上 (open-ended); 近/不足/以下 (bounded by the number itself); 约/左右; damaged.  A
    damaged figure counts as damaged whatever its qualifier.  The last bar pools all documents.
    Data: one row per document (and 'all') × class, with n and share (shares of a bar sum to 1).
    """
    _check_lang(lang)
    documents, claims = _frames(tables, "documents", "claims")
    order = _doc_order(documents)
    labels = doc_labels(documents, lang)
    cls = claims["reading"].map(reading_class).where(~claims["damaged"].astype(bool), "damaged")
    counts = pd.crosstab(claims["doc_id"], cls)
    classes = list(READING_CLASSES)
    groups = [(d, labels[d]) for d in order] + [("all", t("all_documents", lang))]
    rows = []
    for d, lab in groups:
        vec = counts.sum() if d == "all" else (counts.loc[d] if d in counts.index else pd.Series(dtype=int))
        total = int(sum(int(vec.get(c, 0)) for c in classes))
        for c in classes:
            n = int(vec.get(c, 0))
            rows.append({"doc_id": d, "doc_label": lab, "category": c, "category_label": t(f"read_{c}", lang),
                         "n": n, "share": n / total if total else 0.0})
    data = pd.DataFrame(rows, columns=["doc_id", "doc_label", "category", "category_label", "n", "share"])

    fig, ax = new_figure("double", aspect=(1.25 + 0.3 * len(groups)) / 7.2)
    y = np.arange(len(groups), dtype=float)
    y[-1] += 0.35  # set the pooled bar apart
    left = np.zeros(len(groups))
    for c in classes:
        share = np.array([data[(data["doc_id"] == d) & (data["category"] == c)]["share"].iloc[0] for d, _ in groups])
        ax.barh(y, share, left=left, height=0.66, color=_READING_COLOURS[c], hatch=_HATCHES.get(c),
                edgecolor="white", linewidth=0.4, label=t(f"read_{c}", lang))
        for yi, l, s in zip(y, left, share):
            if s >= 0.06:
                ax.text(l + s / 2, yi, f"{s:.0%}", ha="center", va="center", fontsize=6.5,
                        color="white" if c == "exact" else "black",
                        bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none")
                        if c in _HATCHES else None)
        left += share
    totals = data.groupby("doc_id", sort=False)["n"].sum()
    for yi, (d, _) in zip(y, groups):
        ax.text(1.01, yi, t("n_equals", lang, n=int(totals[d])), va="center", ha="left", fontsize=7)
    ax.set_yticks(y, [lab for _, lab in groups])
    ax.set_ylim(y[-1] + 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel(t("share_of_figures", lang))
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    handles = [Patch(facecolor=_READING_COLOURS[c], hatch=_HATCHES.get(c), edgecolor="white",
                     label=t(f"read_{c}", lang)) for c in classes]
    _legend_below(fig, handles, ncols=3)
    return fig, data


# ---------------------------------------------------------------- 5 aid flows
def plot_aid_flows(tables: Any, lang: str = "en", weight: str = "claims") -> tuple[Figure, pd.DataFrame]:
    """Who aids whom: aiding parties (left) → recipient regions (right), from the curated manifest fields.

    One curve per (aiding party, recipient, programme), coloured by programme, its width
    proportional to `weight`: 'claims' (figures reported in those documents, default) or
    'documents'.  Place names: English manifest columns for 'en', Chinese ones for 'zh'.
    Data: one row per flow with documents and claims counts (n = the weight drawn).
    """
    _check_lang(lang)
    if weight not in ("claims", "documents"):
        raise ValueError(f"weight must be 'claims' or 'documents', not {weight!r}")
    documents, claims = _frames(tables, "documents", "claims")
    per_doc = claims.groupby("doc_id").size()
    docs = documents.copy()
    for c in ("aiding_party", "aiding_party_en", "recipient_region", "recipient_region_en", "programme"):
        docs[c] = docs[c].fillna("").astype(str)
    docs["claims"] = [int(per_doc.get(d, 0)) for d in docs["doc_id"]]
    prog_rank = {p: i for i, p in enumerate(PROGRAMMES)}
    grouped = (docs.groupby(["aiding_party", "aiding_party_en", "recipient_region", "recipient_region_en",
                             "programme"], sort=False)
               .agg(documents=("doc_id", "size"), claims=("claims", "sum")).reset_index())
    grouped["_rank"] = grouped["programme"].map(lambda p: prog_rank.get(p, len(prog_rank)))
    grouped = grouped.sort_values(["_rank", "aiding_party_en", "aiding_party", "recipient_region_en",
                                   "recipient_region"], kind="stable").reset_index(drop=True)
    data = pd.DataFrame({
        "aiding_party": grouped["aiding_party"], "aiding_party_en": grouped["aiding_party_en"],
        "aiding_label": [_place(z, e, lang) for z, e in zip(grouped["aiding_party"], grouped["aiding_party_en"])],
        "recipient_region": grouped["recipient_region"], "recipient_region_en": grouped["recipient_region_en"],
        "recipient_label": [_place(z, e, lang) for z, e in zip(grouped["recipient_region"],
                                                                 grouped["recipient_region_en"])],
        "programme": grouped["programme"],
        "programme_label": [_programme_label(p, lang) for p in grouped["programme"]],
        "documents": grouped["documents"].astype(int), "claims": grouped["claims"].astype(int),
    })
    data["n"] = data[weight].astype(int)

    lefts = list(dict.fromkeys(data["aiding_label"]))
    rights = list(dict.fromkeys(data["recipient_label"]))
    rows = max(len(lefts), len(rights), 1)
    fig, ax = new_figure("double", aspect=(0.95 + 0.42 * rows) / 7.2)

    def ypos(items: list[str]) -> dict[str, float]:
        k = len(items)
        return {name: (rows - 1) / 2 - (k - 1) / 2 + i for i, name in enumerate(items)}

    yl, yr = ypos(lefts), ypos(rights)
    wmax = max(int(data["n"].max()) if len(data) else 1, 1)
    for r in data.itertuples():
        y0, y1 = yl[r.aiding_label], yr[r.recipient_label]
        colour = _PROGRAMME_COLOURS.get(r.programme, PALETTE[7])
        lw = 1.0 + 7.0 * r.n / wmax
        path = MplPath([(0.0, y0), (0.5, y0), (0.5, y1), (0.965, y1)],
                       [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4])
        ax.add_patch(PathPatch(path, facecolor="none", edgecolor=colour, lw=lw, alpha=0.8, capstyle="butt"))
        ax.plot([0.975], [y1], marker=">", ms=4 + lw * 0.5, color=colour, linestyle="none")
        # label a third of the way along the curve, where flows from different parties are still apart
        pts = path.vertices
        u = 0.3
        bx, by = ((1 - u) ** 3 * pts[0] + 3 * (1 - u) ** 2 * u * pts[1] + 3 * (1 - u) * u ** 2 * pts[2]
                  + u ** 3 * pts[3])
        ax.text(bx, by - 0.16, t("flow_claims", lang, c=r.claims, d=r.documents), ha="center",
                va="bottom", fontsize=6.5, color="0.2",
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.8))
    for name, y in yl.items():
        ax.plot([0], [y], marker="o", ms=5, color="0.2", clip_on=False)
        ax.text(-0.02, y, name, ha="right", va="center", fontsize=8)
    for name, y in yr.items():
        ax.plot([1], [y], marker="o", ms=5, color="0.2", clip_on=False)
        ax.text(1.02, y, name, ha="left", va="center", fontsize=8)
    ax.text(-0.02, -0.75, t("aiding_party", lang), ha="right", va="bottom", fontsize=8, color="0.3")
    ax.text(1.02, -0.75, t("recipient", lang), ha="left", va="bottom", fontsize=8, color="0.3")
    ax.set_xlim(0, 1)
    ax.set_ylim(rows - 0.5, -0.8)
    ax.axis("off")
    programmes = [p for p in PROGRAMMES if p in set(data["programme"])] + \
        ([""] if "" in set(data["programme"]) else [])
    handles = [Line2D([], [], color=_PROGRAMME_COLOURS.get(p, PALETTE[7]), lw=3, label=_programme_label(p, lang))
               for p in programmes]
    _legend_below(fig, handles, ncols=min(5, max(len(handles), 1)), title=t(f"width_{weight}", lang))
    return fig, data


# ----------------------------------------------------------------- 6 citable
def citable_claims(tables: Any, lang: str = "en") -> pd.DataFrame:
    """Every claim with its citability class (:data:`CITABLE_CLASSES`) and the checks that name it.

    First matching rule wins: damaged (the figure touches a lost byte); questioned (named by an
    inconsistent or indeterminate check); open (high = inf: 超过, 以上); interval (any other
    qualifier: bounded but vague); confirmed (exact as written and named by a consistent check);
    unchecked (exact as written, no check names it).
    """
    _check_lang(lang)
    documents, claims, checks = _frames(tables, "documents", "claims", "checks")
    labels = doc_labels(documents, lang)
    verdicts = _claim_verdicts(checks)
    rows = []
    for r in claims.itertuples():
        named = verdicts.get(r.claim_id, [])
        vs = {v for _, v in named}
        if bool(r.damaged) or r.reading == "damaged":
            cat = "damaged"
        elif vs & {"inconsistent", "indeterminate"}:
            cat = "questioned"
        elif math.isinf(float(r.high)):
            cat = "open"
        elif r.reading != "point":
            cat = "interval"
        elif "consistent" in vs:
            cat = "confirmed"
        else:
            cat = "unchecked"
        rows.append({
            "claim_id": r.claim_id, "doc_id": r.doc_id, "doc_label": labels.get(r.doc_id, r.doc_id),
            "metric": r.metric, "metric_label": _metric_label(r.metric, lang), "text": r.text,
            "reading": r.reading, "low": float(r.low), "high": float(r.high), "scope": r.scope,
            "category": cat, "category_label": t(f"cite_{cat}", lang),
            "check_ids": ";".join(c for c, _ in named), "check_verdicts": ";".join(v for _, v in named),
        })
    return pd.DataFrame(rows, columns=["claim_id", "doc_id", "doc_label", "metric", "metric_label", "text",
                                       "reading", "low", "high", "scope", "category", "category_label",
                                       "check_ids", "check_verdicts"])


def plot_citable(tables: Any, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """Which figures can be cited as they stand: each document's claims by citability class, stacked counts.

    Classes as in :func:`citable_claims`, most citable (exact and confirmed by a consistent
    check) on the left; counts written in the segments and the document's total at the bar end.
    Data: one row per document × class (zeros included).
    """
    _check_lang(lang)
    documents = _frames(tables, "documents")[0]
    order = _doc_order(documents)
    labels = doc_labels(documents, lang)
    per_claim = citable_claims(tables, lang)
    counts = per_claim.groupby(["doc_id", "category"]).size()
    rows = [{"doc_id": d, "doc_label": labels[d], "category": c, "category_label": t(f"cite_{c}", lang),
             "n": int(counts.get((d, c), 0))} for d in order for c in CITABLE_CLASSES]
    data = pd.DataFrame(rows, columns=["doc_id", "doc_label", "category", "category_label", "n"])

    fig, ax = new_figure("double", aspect=(1.35 + 0.34 * max(len(order), 1)) / 7.2)
    y = np.arange(len(order))
    left = np.zeros(len(order))
    for c in CITABLE_CLASSES:
        n = np.array([int(counts.get((d, c), 0)) for d in order], dtype=float)
        ax.barh(y, n, left=left, height=0.66, color=_CITABLE_COLOURS[c], hatch=_HATCHES.get(c),
                edgecolor="white", linewidth=0.4)
        for yi, l, v in zip(y, left, n):
            if v >= 1:
                ax.text(l + v / 2, yi, str(int(v)), ha="center", va="center", fontsize=6.5,
                        color="white" if c == "confirmed" else "black",
                        bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none")
                        if c in _HATCHES else None)
        left += n
    for yi, total in zip(y, left):
        ax.text(total + 0.4, yi, t("n_equals", lang, n=int(total)), va="center", ha="left", fontsize=7)
    ax.set_yticks(y, [labels[d] for d in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(0, max(left.max() if len(order) else 1, 1) * 1.12)
    ax.set_xlabel(t("figures_count", lang))
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    handles = [Patch(facecolor=_CITABLE_COLOURS[c], hatch=_HATCHES.get(c), edgecolor="white",
                     label=t(f"cite_{c}", lang)) for c in CITABLE_CLASSES]
    _legend_below(fig, handles, ncols=3)
    return fig, data


# ------------------------------------------------------------- paper tables
def citable_summary(tables: Any, lang: str = "en") -> pd.DataFrame:
    """Figures per document by citability class (columns n_<class>, :data:`CITABLE_CLASSES` order) and total."""
    _check_lang(lang)
    documents = _frames(tables, "documents")[0]
    labels = doc_labels(documents, lang)
    per_claim = citable_claims(tables, lang)
    counts = per_claim.groupby(["doc_id", "category"]).size()
    rows = []
    for d in _doc_order(documents):
        row: dict[str, Any] = {"doc_id": d, "doc_label": labels[d]}
        for c in CITABLE_CLASSES:
            row[f"n_{c}"] = int(counts.get((d, c), 0))
        row["total"] = sum(row[f"n_{c}"] for c in CITABLE_CLASSES)
        rows.append(row)
    return pd.DataFrame(rows, columns=["doc_id", "doc_label", *(f"n_{c}" for c in CITABLE_CLASSES), "total"])


def headline_table(tables: Any, lang: str = "en", metrics: Iterable[str] = HEADLINE_METRICS) -> pd.DataFrame:
    """The headline outputs per document: one row per figure of the headline metrics, damaged ones included.

    Columns: claim_id, doc_id, doc_label, programme_label, metric, metric_label, text, reading,
    low, high, scope, damaged; sorted by document, metric (in `metrics` order) and position.
    """
    _check_lang(lang)
    metrics = list(metrics)
    _, allrows = _headline_rows(tables, lang, metrics)
    allrows = allrows.assign(_m=allrows["metric"].map({m: i for i, m in enumerate(metrics)}))
    allrows = allrows.sort_values(["doc_id", "_m"], kind="stable")
    return allrows[["claim_id", "doc_id", "doc_label", "programme_label", "metric", "metric_label", "text",
                    "reading", "low", "high", "scope", "damaged"]].reset_index(drop=True)


def checks_summary(tables: Any, lang: str = "en") -> pd.DataFrame:
    """Counts of reconciliation checks by kind (every kind, zeros included) × verdict, with the total."""
    _check_lang(lang)
    checks = _frames(tables, "checks")[0]
    counts = checks.groupby(["kind", "verdict"]).size()
    rows = []
    for k in KINDS:
        row = {"kind": k, "kind_label": _kind_label(k, lang)}
        for v in VERDICTS:
            row[v] = int(counts.get((k, v), 0))
        row["total"] = sum(row[v] for v in VERDICTS)
        rows.append(row)
    return pd.DataFrame(rows, columns=["kind", "kind_label", *VERDICTS, "total"])


_PAPER_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "headline": [("doc_label", "hdr_doc"), ("programme_label", "hdr_programme"), ("metric_label", "hdr_metric"),
                 ("text", "hdr_text"), ("low", "hdr_low"), ("high", "hdr_high"), ("scope", "hdr_scope")],
    "checks": [("kind_label", "hdr_kind"), ("consistent", "verdict_consistent"),
               ("inconsistent", "verdict_inconsistent"), ("indeterminate", "verdict_indeterminate"),
               ("total", "hdr_total")],
    "citable": [("doc_label", "hdr_doc"), *((f"n_{c}", f"cite_{c}") for c in CITABLE_CLASSES),
                ("total", "hdr_total")],
}


def paper_table(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The columns of a headline_table, checks_summary or citable_summary that a paper prints, localised.

    Numbers are written out as text (thousands separators, ∞ for an unbounded end), an empty
    scope as '–'.  Raises ValueError for a table that is neither.
    """
    _check_lang(lang)
    if {"metric_label", "low", "high"} <= set(df.columns):
        spec = _PAPER_COLUMNS["headline"]
    elif {"kind_label", *VERDICTS} <= set(df.columns):
        spec = _PAPER_COLUMNS["checks"]
    elif {f"n_{c}" for c in CITABLE_CLASSES} <= set(df.columns):
        spec = _PAPER_COLUMNS["citable"]
    else:
        raise ValueError("paper_table expects a headline_table, checks_summary or citable_summary result")
    out = pd.DataFrame(index=df.index)
    for col, hdr in spec:
        values = df[col]
        if col in ("low", "high"):
            values = values.map(_fmt_number)
        elif col == "scope":
            values = values.map(lambda s: s if isinstance(s, str) and s else "–")
        elif col in (*VERDICTS, "total") or col.startswith("n_"):
            values = values.map(lambda v: str(int(v)))
        out[t(hdr, lang)] = values.astype(str)
    return out.reset_index(drop=True)
