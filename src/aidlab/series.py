"""Series of one quantity across reports: the timeline figure and the table of disagreements (notebook 06).

:func:`series_data` gathers, for every quantity key that two or more independent sources (republication
groups) report, each claim with its as-of date, exact interval ends (as floats, for drawing only: the
verdicts are decided in :mod:`aidlab.crossdoc` on exact fractions), its republication group and whether a
cross-document check flagged it. :func:`plot_series` draws one key: each report as a vertical interval
bar at its as-of date (a dot for an exact figure, an arrow for an open upper end), copies of one
article (a republication group) as hollow markers beside their group's first page, each flagged step
(a decrease of a cumulative count, two reports at the same time that cannot both be true, a part above
its whole, a copy that changed the figure) as a thick line between the two claims, and the claims
without a date listed in a note, never placed on the time axis. :func:`disagreements` is the table of
every cross-document check that is not consistent, with both quotes, URLs and dates.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .fields import table_columns
from .figstyle import PALETTE, VERDICT_COLOURS, new_figure

CROSS_KINDS = ("cross_document", "cross_series", "cross_part_whole", "republication")

TEXT: dict[str, tuple[str, str]] = {
    "as_of": ("as of", "截至日期"),
    "value": ("reported figure (interval its wording allows)", "报告数值（措辞所允许的区间）"),
    "report": ("report (interval)", "报告（区间）"),
    "copy": ("republished copy (same group)", "转载副本（同一转载组）"),
    "flagged": ("flagged: cannot both hold", "标记：二者不能同时成立"),
    "consistent_step": ("checked step, consistent", "已检验，一致"),
    "undated": ("undated, not placed in time: {items}", "无日期、未按时间排列：{items}"),
    "title": ("Quantity: {key}", "数量：{key}"),
    "kind_cross_document": ("same time", "同一时间"),
    "kind_cross_series": ("cumulative series", "累计序列"),
    "kind_cross_part_whole": ("part and whole", "部分与整体"),
    "kind_republication": ("republication", "转载"),
    "verdict_inconsistent": ("inconsistent", "不一致"),
    "verdict_indeterminate": ("indeterminate", "无法判定"),
}

#: Columns of the series table (notebook 06, figures/data).
SERIES_COLUMNS: dict[str, str] = table_columns([
    "quantity_key", "claim_id", "doc_id", "text", "as_of", "low", "high", "republication_group", "is_copy",
    "flagged", "flag_kinds"
])

#: Columns of the disagreements table.
DISAGREEMENT_COLUMNS: dict[str, str] = table_columns([
    "check_id", "kind", "kind_label", "verdict", "outcome", "quantity_key", "arithmetic", "explanation", "evidence",
    "evidence_urls", "evidence_dates"
])


def t(name: str, lang: str = "en", **fmt: Any) -> str:
    """The label `name` in English or Chinese."""
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    s = TEXT[name][0 if lang == "en" else 1]
    return s.format(**fmt) if fmt else s


def _cross(checks: pd.DataFrame) -> pd.DataFrame:
    if checks is None or checks.empty or "kind" not in checks:
        return pd.DataFrame(columns=list(checks.columns) if checks is not None else [])
    return checks[checks["kind"].isin(CROSS_KINDS)]


def series_data(claims: pd.DataFrame, checks: pd.DataFrame) -> pd.DataFrame:
    """One row per claim of every quantity key reported by two or more republication groups (SERIES_COLUMNS)."""
    if claims.empty or "quantity_key" not in claims:
        return _typed(pd.DataFrame(columns=list(SERIES_COLUMNS)))
    c = claims[(claims["quantity_key"].fillna("") != "") & ~claims["damaged"].astype(bool)].copy()
    if "republication_group" not in c:
        c["republication_group"] = c["doc_id"]
    c["republication_group"] = c["republication_group"].fillna("").where(c["republication_group"].fillna("") != "", c["doc_id"])
    groups = c.groupby("quantity_key")["republication_group"].nunique()
    c = c[c["quantity_key"].isin(groups[groups > 1].index)]
    flags: dict[str, set[str]] = {}
    cross = _cross(checks)
    for ids, kind, verdict in zip(cross.get("claim_ids", []), cross.get("kind", []), cross.get("verdict", [])):
        if verdict == "inconsistent":
            for cid in ids.split(";"):
                flags.setdefault(cid, set()).add(kind)
    as_of = c["as_of"].fillna("").astype(str) if "as_of" in c else pd.Series("", index=c.index)
    out = pd.DataFrame({
        "quantity_key": c["quantity_key"], "claim_id": c["claim_id"], "doc_id": c["doc_id"], "text": c["text"],
        "as_of": as_of.str[:10].where(as_of.str.match(r"^\d{4}-\d{2}-\d{2}"), ""),
        "low": c["low"].astype(float), "high": c["high"].astype(float),
        "republication_group": c["republication_group"],
        "is_copy": c["doc_id"] != c["republication_group"],
        "flagged": c["claim_id"].isin(flags),
        "flag_kinds": [";".join(sorted(flags.get(i, ()))) for i in c["claim_id"]],
    })
    out = out.drop_duplicates(["quantity_key", "doc_id", "text", "as_of"])  # a headline repeating its body's figure
    return _typed(out.sort_values(["quantity_key", "as_of", "doc_id"]).reset_index(drop=True))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The series table with the same dtypes whether it is empty or not (its data dictionary stays put)."""
    types: dict[str, type] = {c: str for c in SERIES_COLUMNS}
    types.update(low=float, high=float, is_copy=bool, flagged=bool)
    return frame.astype(types)


def series_keys(data: pd.DataFrame) -> list[str]:
    """Keys with at least two dated points from different republication groups, most points first."""
    dated = data[data["as_of"] != ""]
    n = dated.groupby("quantity_key")["republication_group"].nunique()
    keys = n[n > 1]
    return sorted(keys.index, key=lambda k: (-int(keys[k]), k))


def plot_series(data: pd.DataFrame, checks: pd.DataFrame, key: str, lang: str = "en"):
    """The timeline of one quantity key: interval bars over as_of, copies hollow, flagged steps highlighted."""
    d = data[data["quantity_key"] == key]
    dated = d[d["as_of"] != ""].copy()
    dated["x"] = pd.to_datetime(dated["as_of"])
    fig, ax = new_figure("double", aspect=0.42)
    finite_high = dated["high"].replace(math.inf, np.nan)
    top = float(np.nanmax([finite_high.max(), dated["low"].max()])) if len(dated) else 1.0
    span = pd.Timedelta(days=max(30, (dated["x"].max() - dated["x"].min()).days)) if len(dated) else pd.Timedelta(days=30)
    offset = span * 0.012
    pos: dict[str, tuple[pd.Timestamp, float]] = {}
    copies_seen: dict[tuple[str, str], int] = {}
    labelled = 0
    for r in dated.itertuples():
        x = r.x
        if r.is_copy:
            n = copies_seen[(r.republication_group, r.as_of)] = copies_seen.get((r.republication_group, r.as_of), 0) + 1
            x = x + offset * n
        hi = r.high if math.isfinite(r.high) else top * 1.15
        colour = PALETTE[7] if r.is_copy else "0.15"
        if r.high > r.low:
            ax.plot([x, x], [r.low, hi], color=colour, lw=2.2 if not r.is_copy else 1.2, solid_capstyle="butt")
            if not math.isfinite(r.high):
                ax.annotate("", xy=(x, hi), xytext=(x, r.low), arrowprops={"arrowstyle": "->", "color": colour, "lw": 1})
        mid = r.low if not math.isfinite(r.high) else (r.low + r.high) / 2
        ax.plot([x], [mid], marker="o", ms=4, linestyle="none", color=colour,
                markerfacecolor="white" if r.is_copy else colour, markeredgecolor=colour)
        if not r.is_copy:
            labelled += 1
            ax.annotate(r.text, (x, hi), xytext=(3, 2 + 8 * (labelled % 3)), textcoords="offset points", fontsize=6.5,
                        color="0.25")
        pos[r.claim_id] = (x, mid)
    cross = _cross(checks)
    cross = cross[cross["quantity_key"] == key] if "quantity_key" in cross else cross.iloc[0:0]
    for ids, verdict in zip(cross["claim_ids"], cross["verdict"]):
        pts = [pos[i] for i in ids.split(";") if i in pos]
        if len(pts) < 2:
            continue
        (x0, y0), (x1, y1) = pts[0], pts[-1]
        if verdict == "inconsistent":
            ax.plot([x0, x1], [y0, y1], color=VERDICT_COLOURS["inconsistent"], lw=2.6, alpha=0.9, zorder=0)
        elif verdict == "consistent":
            ax.plot([x0, x1], [y0, y1], color=VERDICT_COLOURS["consistent"], lw=0.8, ls=":", zorder=0)
    bottom = float(dated["low"].min()) if len(dated) else 0.0
    if bottom < 0.5 * top or top <= 0:  # counts start at zero unless that would flatten the differences shown
        ax.set_ylim(bottom=0, top=top * 1.25 if top > 0 else 1)
    else:
        pad = max(top - bottom, 0.02 * top)
        ax.set_ylim(bottom=bottom - 0.6 * pad, top=top + 0.9 * pad)
    ax.set_xlabel(t("as_of", lang))
    ax.set_ylabel(t("value", lang))
    ax.set_title(t("title", lang, key=key), fontsize=8)
    undated = d[d["as_of"] == ""]
    if len(undated):
        items = ", ".join(f"{r.text} ({r.doc_id})" for r in undated.itertuples())
        ax.text(0.01, 0.97, t("undated", lang, items=items), transform=ax.transAxes, fontsize=6.5, va="top", color="0.3")
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="0.15", lw=2.2, marker="o", ms=4, label=t("report", lang)),
               Line2D([], [], color=PALETTE[7], lw=1.2, marker="o", ms=4, markerfacecolor="white", label=t("copy", lang)),
               Line2D([], [], color=VERDICT_COLOURS["inconsistent"], lw=2.6, label=t("flagged", lang)),
               Line2D([], [], color=VERDICT_COLOURS["consistent"], lw=0.8, ls=":", label=t("consistent_step", lang))]
    fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=6.5)
    return fig, d


def disagreements(checks: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Every cross-document check that is not consistent, with its evidence (DISAGREEMENT_COLUMNS)."""
    cross = _cross(checks)
    bad = cross[cross["verdict"] != "consistent"] if len(cross) else cross
    out = pd.DataFrame({c: bad[c] if c in bad else pd.Series(dtype=str) for c in DISAGREEMENT_COLUMNS if c != "kind_label"})
    out.insert(2, "kind_label", [t(f"kind_{k}", lang) for k in out["kind"]])
    return out.reset_index(drop=True)[list(DISAGREEMENT_COLUMNS)]


def attach_attribution(claims: pd.DataFrame, documents: pd.DataFrame, table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claims and documents with attribution columns taken from a hand-filled table, one row per (doc_id, text).

    For a corpus whose attribution a researcher filled in by hand (or to check the cross-document step
    on its own): the table's columns (as_of, scope_kind, batch, programme, recipient_code, quantity_key …)
    replace the claims' own; claims the table does not list get '' (no key: never compared). A
    `page_date` column, when present, goes to the documents.
    """
    cols = [c for c in table.columns if c not in ("doc_id", "text", "page_date")]
    out = claims.drop(columns=[c for c in cols if c in claims])
    out = out.merge(table[["doc_id", "text", *cols]].drop_duplicates(["doc_id", "text"]), on=["doc_id", "text"], how="left")
    out[cols] = out[cols].fillna("")
    docs = documents.copy()
    if "page_date" in table:
        dated = table[table["page_date"].fillna("") != ""].drop_duplicates("doc_id").set_index("doc_id")["page_date"]
        docs["page_date"] = docs["doc_id"].map(dated).fillna("")
    return out, docs
