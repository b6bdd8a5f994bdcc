"""Reconciliation: do the reported figures agree with each other?

Takes claims (aidlab.claims) and returns checks, one row per check, with a verdict (`consistent`,
`inconsistent`, `indeterminate`), the claims and documents involved, the arithmetic and a
one-sentence explanation. Every check is interval-aware: it uses each claim's exact bounds (qualifier
and written precision honoured), never the bare point value.

One file per kind of check, each a function of one page's claims (`<kind>_checks(claims)`):
`grim`, `range`, `parts_total`, `change`, `repeat`; `base` holds what they share (the Check record,
the page's claims as records with their indexes). Across pages: `republication` groups the pages that
republish each other (with `containment_index`), and `crossdoc` checks one quantity across reports
(same time, cumulative series, part and whole, copies), blocked by quantity key.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .base import CHECK_COLUMNS, KINDS, VERDICTS, Check, _Page, unit_family
from .change import change_checks
from .grim import grim_checks
from .parts_total import parts_total_checks
from .range import range_checks
from .repeat import repeat_checks

__all__ = ["CHECK_COLUMNS", "DOCUMENT_CHECKS", "KINDS", "VERDICTS", "Check", "change_checks", "check_document",
           "checks_frame", "grim_checks", "parts_total_checks", "range_checks", "reconcile", "repeat_checks",
           "unit_family"]

DOCUMENT_CHECKS = (grim_checks, range_checks, parts_total_checks, change_checks, repeat_checks)


def check_document(claims: pd.DataFrame | Iterable[dict], stats: dict | None = None) -> list[Check]:
    """All within-document checks for the claims of one document (a claims DataFrame or claim records).

    `stats`, when given, receives the number of candidate comparisons each kind of check made
    (keys: the kinds), the measure that grows linearly with the page.
    """
    page = _Page(claims)
    out = [c for fn in DOCUMENT_CHECKS for c in fn(page)]
    if stats is not None:
        for kind in ("grim", "range", "parts_total", "change", "repeat"):
            stats[kind] = stats.get(kind, 0) + page.stats[kind]
    return out


def reconcile(claims: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """The checks table (CHECK_COLUMNS) for a claims table; `documents` (with manifest fields) enables cross-document checks."""
    checks: list[Check] = []
    for _, group in claims.groupby("doc_id", sort=False):
        checks += check_document(group)
    from .crossdoc import cross_document_checks  # crossdoc builds on this module's Check

    checks += cross_document_checks(claims, documents)
    return checks_frame(checks)


def checks_frame(checks: list[Check]) -> pd.DataFrame:
    """Checks as a table, numbered per kind in the order given."""
    frame = pd.DataFrame([c.row() for c in checks], columns=list(CHECK_COLUMNS))
    counters: dict[str, int] = {}
    ids = []
    for kind in frame["kind"]:
        counters[kind] = counters.get(kind, 0) + 1
        ids.append(f"{kind}-{counters[kind]}")
    frame["check_id"] = ids
    return frame
