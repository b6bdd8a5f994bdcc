"""The few groupings every notebook shares (tested); what a table or figure shows lives in the notebooks.

* :data:`READING_CLASSES` / :func:`reading_class`: how the readings of the claims table group into
  classes of vagueness (exact, 余/多, 超过/以上, 近/不足/以下, 约, damaged).
* :func:`claim_checks`: claim id → the checks that name it, with their verdicts.
* :func:`doc_labels`: short document labels for tables and figures, '<prefix> · <date>'.
* :func:`raw_context`: a claim in its raw page, the figure marked 【】.
* :func:`short_ids`: doc_id → its file prefix (the whole id when prefixes collide).
* :func:`first_documents`, :func:`more_line`, :func:`with_totals`: what a notebook shows of a big corpus
  (at most `max_rows` documents, first by doc_id, then a totals row over all of them).
* :func:`page_paths`, :func:`raw_pages`: the raw text of just the pages a notebook shows, read by path.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

__all__ = ["READING_CLASSES", "reading_class", "claim_checks", "doc_labels", "raw_context", "short_ids",
           "first_documents", "more_line", "with_totals", "page_paths", "raw_pages"]

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

    A `republished` row (a copy of the same article, aidlab.checks.crossdoc) names no claim: a copy confirms
    nothing. An `undated` row names only its last claim, the one that could not be placed in time.
    `can_fail` is False for a check that could not have come out inconsistent (aidlab.checks).
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


def short_ids(doc_ids: Iterable[str]) -> dict[str, str]:
    """doc_id → the part before its first '_' ('000_422a…' → '000'); every id whole when two would collide."""
    ids = list(dict.fromkeys(doc_ids))
    short = {d: d.split("_", 1)[0] for d in ids}
    return short if len(set(short.values())) == len(ids) else {d: d for d in ids}


def doc_labels(documents: pd.DataFrame, unknown_date: str = "date unknown") -> dict[str, str]:
    """doc_id → '<file prefix> · <publication date>' (the whole id when prefixes collide; `unknown_date` when none)."""
    short = short_ids(documents["doc_id"].astype(str))
    labels = {}
    for row in documents.itertuples():
        date = str(row.published)
        labels[str(row.doc_id)] = f"{short[str(row.doc_id)]} · {date if date not in _UNSTATED else unknown_date}"
    return labels


def raw_context(raw: str, start: int, end: int, width: int = 12) -> str:
    """`width` characters either side of raw[start:end], the span marked 【】, newlines shown as ⏎."""
    text = raw[max(0, start - width):start] + "【" + raw[start:end] + "】" + raw[end:end + width]
    return text.replace("\n", "⏎")


def first_documents(doc_ids: Iterable[str], max_rows: int) -> list[str]:
    """The documents a per-document table or figure shows: the first `max_rows` distinct ids in doc_id order."""
    return sorted({str(d) for d in doc_ids})[:max(int(max_rows), 0)]


def more_line(total: int, shown: int, what: str = "documents", see: str | None = None) -> str:
    """'' when all `total` are shown, else '… and N more <what> (see <see>)': the line under a cut table."""
    rest = int(total) - int(shown)
    if rest <= 0:
        return ""
    return f"… and {rest:,} more {what}" + (f" (see {see})" if see else "")


def with_totals(shown: pd.DataFrame, full: pd.DataFrame, label: str = "all", column: str | None = None) -> pd.DataFrame:
    """`shown` (some rows of `full`) followed by one row of `full`'s column sums, labelled `label`.

    The label goes in the index, or in `column` when given; numeric columns are summed over every row of
    `full` (the whole corpus), other columns are left blank.
    """
    numeric = full.select_dtypes("number").columns
    total = {c: full[c].sum() if c in numeric else "" for c in full.columns}
    if column is not None:
        total[column] = label
        row = pd.DataFrame([total], columns=full.columns)
        return pd.concat([shown, row], ignore_index=True).astype({c: full[c].dtype for c in numeric})
    row = pd.DataFrame([total], columns=full.columns, index=pd.Index([label], name=full.index.name))
    return pd.concat([shown, row]).astype({c: full[c].dtype for c in numeric})


def page_paths(corpus_dir: str | os.PathLike) -> dict[str, Path]:
    """doc_id → page file of a corpus folder, from the folder listing alone (no page is opened)."""
    from .corpus.load import DOCUMENT_SUFFIXES

    folder = Path(corpus_dir)
    return {p.stem: p for p in sorted(folder.iterdir()) if p.suffix.lower() in DOCUMENT_SUFFIXES and not p.is_dir()}


def raw_pages(corpus_dir: str | os.PathLike, doc_ids: Iterable[str]) -> dict[str, str | None]:
    """doc_id → decoded raw text of just these pages (None for an unusable or missing page), read one by one.

    What a notebook shows of a few pages: the other pages of the corpus are never opened.
    """
    from .corpus.load import read_document

    paths = page_paths(corpus_dir)
    out: dict[str, str | None] = {}
    for d in dict.fromkeys(str(i) for i in doc_ids):
        path = paths.get(d)
        out[d] = None if path is None else read_document(path, None, folder=Path(corpus_dir)).text
    return out
