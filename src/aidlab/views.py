"""Views for notebooks: small tables that show pipeline results in context (tested like everything else)."""
from __future__ import annotations

import pandas as pd

from .pipeline import Tables
from .reconcile import KINDS
from .figures import READING_CLASSES, reading_class, t
from .taxonomy import label

def before_after(tables: Tables, doc_id: str, chars: int = 240) -> pd.DataFrame:
    """The first `chars` characters of a page as scraped and of its clean article text."""
    doc = tables.docs[doc_id]
    return pd.DataFrame({"raw page (as scraped)": [doc.raw[:chars]], "clean article text": [doc.text.text[:chars]]},
                        index=[doc_id])


def chrome_by_kind(tables: Tables) -> pd.DataFrame:
    """Characters of each page by segment kind (rows: documents, columns: kinds)."""
    return (tables.segments.pivot_table(index="doc_id", columns="kind", values="chars", aggfunc="sum", fill_value=0)
            .rename_axis(columns=None))


def cut_segments(tables: Tables, preview: int = 30) -> pd.DataFrame:
    """Every segment that is not article text, with its kind, the rule that cut it and a preview."""
    seg = tables.segments[~tables.segments["kind"].isin(["body", "headline"])]
    return seg.assign(preview=seg["text"].str.slice(0, preview))[["doc_id", "segment", "kind", "reason", "chars", "preview"]]


def in_context(tables: Tables, claims: pd.DataFrame, width: int = 12) -> pd.DataFrame:
    """Each claim in its raw context: `width` characters either side, the figure marked with 【】."""
    rows = []
    for _, c in claims.iterrows():
        raw = tables.docs[c["doc_id"]].raw
        s, e = int(c["raw_start"]), int(c["raw_end"])
        rows.append({"claim_id": c["claim_id"], "text": c["text"], "low": c["low"], "high": c["high"],
                     "raw context": raw[max(0, s - width):s] + "【" + raw[s:e] + "】" + raw[e:e + width]})
    return pd.DataFrame(rows, columns=["claim_id", "text", "low", "high", "raw context"])


def metric_coverage(claims: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Number of claims per metric (rows, labelled) and document (columns)."""
    table = pd.crosstab(claims["metric"], claims["doc_id"].str[:3])
    table.index = [label(k, lang) for k in table.index]
    return table.rename_axis(index="metric", columns="doc")


def vagueness(claims: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Share of each document's figures by reading class (aidlab.figures.READING_CLASSES: exact, 余/多, 超过/以上, 近/不足, 约, damaged)."""
    groups = claims["reading"].map(reading_class)
    table = pd.crosstab(claims["doc_id"].str[:3], groups, normalize="index").round(3)
    table = table[[c for c in READING_CLASSES if c in table.columns]]
    table.columns = [t(f"read_{c}", lang) for c in table.columns]
    table["figures"] = claims.groupby(claims["doc_id"].str[:3]).size()
    return table.rename_axis(index="doc", columns=None)


def checks_overview(checks: pd.DataFrame) -> pd.DataFrame:
    """Checks by kind (rows) and verdict (columns)."""
    table = pd.crosstab(checks["kind"], checks["verdict"])
    return table.reindex([k for k in KINDS if k in table.index]).rename_axis(columns=None)


def appendix_summary(tables: Tables) -> str:
    """A paragraph for a paper's appendix: what was checked and what came out, with counts."""
    claims, checks = tables.claims, tables.checks
    n_docs = claims["doc_id"].nunique()
    vague = int((~claims["reading"].isin(["point", "damaged"])).sum())
    damaged = int(claims["damaged"].sum())
    counts = checks["verdict"].value_counts()
    parts = [f"We extracted {len(claims)} reported figures from {n_docs} articles; {vague} carry a qualifier "
             f"(余, 多, 超过, 近, 约 …) and are read as intervals, and {damaged} lost digits to encoding damage and are "
             f"bounded but not used as values."]
    parts.append(f"We ran {len(checks)} consistency checks: {int(counts.get('consistent', 0))} consistent, "
                 f"{int(counts.get('inconsistent', 0))} inconsistent and {int(counts.get('indeterminate', 0))} indeterminate.")
    for kind, group in checks.groupby("kind", sort=False):
        flagged = group[group["verdict"] != "consistent"]
        for _, row in flagged.iterrows():
            parts.append(f"{kind} ({row['verdict']}): {row['explanation']}")
    return " ".join(parts)
