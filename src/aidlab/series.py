"""Series of one quantity across reports: the tidy tables behind notebook 06's timelines and disagreements.

:func:`series_data` gathers, for every quantity key that two or more independent sources (republication
groups) report, each claim with its as-of date, exact interval ends (as floats, for drawing only: the
verdicts are decided in :mod:`aidlab.checks.crossdoc` on exact fractions), its republication group and whether a
cross-document check flagged it; :func:`series_keys` the keys worth a timeline. The timeline itself is
composed in notebook 06, where a researcher edits it. :func:`disagreements` is the table of every
cross-document check that is not consistent, with both quotes, URLs and dates.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from .fields import table_columns

CROSS_KINDS = ("cross_document", "cross_series", "cross_part_whole", "republication")

TEXT: dict[str, tuple[str, str]] = {
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
