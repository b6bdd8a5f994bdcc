"""The few groupings every notebook shares (tested); what a table or figure shows lives in the notebooks.

* :data:`READING_CLASSES` / :func:`reading_class`: how the readings of the claims table group into
  classes of vagueness (exact, 余/多, 超过/以上, 近/不足/以下, 约, damaged).
* :func:`claim_checks`: claim id → the checks that name it, with their verdicts.
* :func:`doc_labels`: short document labels for tables and figures, '<prefix> · <date>'.
* :func:`raw_context`: a claim in its raw page, the figure marked 【】.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["READING_CLASSES", "reading_class", "claim_checks", "doc_labels", "raw_context"]

#: Reading class → readings of the claims table it groups, in display order.
READING_CLASSES: dict[str, tuple[str, ...]] = {
    "exact": ("point", "percent_words", "per_mille_words", "tenths", "fraction", "digits"),
    "bounded": ("more_bounded", "several", "range", "adjacent", "few"),
    "open": ("more_than", "at_least"),
    "near": ("near", "under", "at_most"),
    "about": ("about",),
    "damaged": ("damaged", "unread"),
}
_CLASS_OF_READING = {r: cls for cls, readings in READING_CLASSES.items() for r in readings}
_UNSTATED = {"", "unknown", "nan", "none", "<NA>"}


def reading_class(reading: str, damaged: bool = False) -> str:
    """The vagueness class of a claim's reading ('damaged' whatever the reading when `damaged`); ValueError for an unknown reading."""
    try:
        cls = _CLASS_OF_READING[reading]
    except KeyError:
        raise ValueError(f"reading {reading!r} belongs to no class of READING_CLASSES") from None
    return "damaged" if damaged else cls


def claim_checks(checks: pd.DataFrame) -> dict[str, list[tuple[str, str, bool]]]:
    """claim_id → [(check_id, verdict, can_fail) …] for every check naming the claim (claim_ids is ';'-joined).

    A `republished` row (a copy of the same article, aidlab.crossdoc) names no claim: a copy confirms
    nothing. An `undated` row names only its last claim, the one that could not be placed in time.
    `can_fail` is False for a check that could not have come out inconsistent (aidlab.reconcile).
    """
    out: dict[str, list[tuple[str, str, bool]]] = {}
    can_fail = checks["can_fail"] if "can_fail" in checks.columns else pd.Series(True, index=checks.index)
    for row, fails in zip(checks.itertuples(), can_fail):
        outcome = str(getattr(row, "outcome", ""))
        if outcome == "republished":
            continue
        ids = str(row.claim_ids).split(";")
        for cid in (ids[-1:] if outcome == "undated" else ids):
            cid = cid.strip()
            if cid:
                out.setdefault(cid, []).append((str(row.check_id), str(row.verdict), bool(fails) and str(fails) != "False"))
    return out


def _short_ids(doc_ids: Iterable[str]) -> dict[str, str]:
    ids = list(dict.fromkeys(doc_ids))
    short = {d: d.split("_", 1)[0] for d in ids}
    return short if len(set(short.values())) == len(ids) else {d: d for d in ids}


def doc_labels(documents: pd.DataFrame, unknown_date: str = "date unknown") -> dict[str, str]:
    """doc_id → '<file prefix> · <publication date>' (the whole id when prefixes collide; `unknown_date` when none)."""
    short = _short_ids(documents["doc_id"].astype(str))
    labels = {}
    for row in documents.itertuples():
        date = str(row.published)
        labels[str(row.doc_id)] = f"{short[str(row.doc_id)]} · {date if date not in _UNSTATED else unknown_date}"
    return labels


def raw_context(raw: str, start: int, end: int, width: int = 12) -> str:
    """`width` characters either side of raw[start:end], the span marked 【】, newlines shown as ⏎."""
    text = raw[max(0, start - width):start] + "【" + raw[start:end] + "】" + raw[end:end + width]
    return text.replace("\n", "⏎")
