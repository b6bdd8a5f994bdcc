"""`aidlab show CLAIM_ID`: everything a footnote cites about one reported figure, from the built tables.

The page (file, URL, date, outlet), the sentence with the figure marked 【】, the reading as an
interval, the raw character offsets with the raw context, and every check that uses the claim.
"""
from __future__ import annotations

import difflib
import math
from pathlib import Path

import pandas as pd

from .errors import AidlabError

_UNSTATED = ("", "unknown", "nan", "none", "<NA>")


def _stated(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()
    return "" if text in _UNSTATED else text


def _number(x: float) -> str:
    if math.isinf(x):
        return "inf"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.6g}"


def _interval(claim: pd.Series) -> str:
    lo, hi = float(claim["low"]), float(claim["high"])
    left = "[" if bool(claim["low_inclusive"]) else "("
    right = "]" if bool(claim["high_inclusive"]) and not math.isinf(hi) else ")"
    return f"{left}{_number(lo)}, {_number(hi)}{right}"


def _marked_sentence(claim: pd.Series, clean_text: str | None) -> str:
    """The claim's sentence with the figure in 【】, placed by its clean offsets where the clean text is known."""
    sentence, figure = str(claim["sentence"]), str(claim["text"])
    start = int(claim["clean_start"])
    if clean_text:
        pos = clean_text.find(sentence)
        while pos != -1:
            if pos <= start < pos + len(sentence):
                i = start - pos
                return sentence[:i] + "【" + sentence[i:i + len(figure)] + "】" + sentence[i + len(figure):]
            pos = clean_text.find(sentence, pos + 1)
    i = sentence.find(figure)
    if i < 0:
        return sentence
    return sentence[:i] + "【" + figure + "】" + sentence[i + len(figure):]


def _raw_page(corpus_dir: Path | None, doc_id: str) -> str | None:
    if corpus_dir is None:
        return None
    from .corpus.load import read_documents

    paths = [p for p in corpus_dir.iterdir() if p.stem == doc_id and p.suffix != ".csv"]
    if not paths:
        return None
    docs = read_documents(paths, on_error="flag")
    usable = docs[docs["usable"]]
    return None if usable.empty else str(usable["text"].iloc[0])


def _manifest_row(corpus_dir: Path | None, doc_id: str) -> dict[str, str]:
    if corpus_dir is None:
        return {}
    from .corpus.manifest import read_manifest

    manifest = read_manifest(corpus_dir)
    if manifest is None:
        return {}
    rows = manifest[manifest["file"].map(lambda f: Path(str(f)).stem) == doc_id]
    return {} if rows.empty else {k: str(v) for k, v in rows.iloc[0].items()}


def claim_report(claim_id: str, tables: dict[str, pd.DataFrame], tables_dir: Path | None = None,
                 corpus_dir: Path | None = None, context: int = 20) -> str:
    """The report `aidlab show` prints for one claim; AidlabError naming close ids when it is unknown."""
    claims = tables["claims"]
    found = claims[claims["claim_id"] == claim_id]
    if found.empty:
        close = difflib.get_close_matches(claim_id, claims["claim_id"].astype(str).tolist(), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise AidlabError(f"no claim {claim_id!r} in the built tables{hint}")
    claim = found.iloc[0]
    doc_id = str(claim["doc_id"])
    documents = tables["documents"].set_index("doc_id")
    doc = documents.loc[doc_id] if doc_id in documents.index else pd.Series(dtype=object)
    manifest = _manifest_row(corpus_dir, doc_id)
    url = _stated(doc.get("url")) or _stated(manifest.get("url")) or "not stated"
    date = _stated(doc.get("page_date")) or _stated(doc.get("published")) or "unknown"
    date_source = _stated(doc.get("page_date_source")) or _stated(doc.get("published_source"))
    clean_path = tables_dir / "clean" / f"{doc_id}.txt" if tables_dir else None
    clean_text = clean_path.read_text(encoding="utf-8") if clean_path and clean_path.is_file() else None
    reading = "damaged (a digit lost to mojibake)" if bool(claim["damaged"]) else str(claim["reading"])
    lines = [
        f"claim    {claim_id}  {claim['text']}",
        f"page     {doc_id}" + (f"  ({manifest['file']})" if manifest.get("file") else ""),
        f"title    {_stated(doc.get('title')) or 'not stated'}",
        f"outlet   {_stated(doc.get('outlet')) or 'not stated'}",
        f"date     {date}" + (f"  (from {date_source})" if date_source else ""),
        f"url      {url}",
        f"reading  {reading}: {_interval(claim)} {claim['unit']}".rstrip(),
        f"metric   {claim['metric']}; subject {_stated(claim['subject']) or '-'}; "
        f"time scope {_stated(claim['scope']) or '-'}",
        f"sentence {_marked_sentence(claim, clean_text)}",
        f"clean    characters {int(claim['clean_start'])}-{int(claim['clean_end'])} of the clean article text",
        f"raw      characters {int(claim['raw_start'])}-{int(claim['raw_end'])} of the decoded page: "
        f"{claim['raw_text']!r}",
    ]
    raw = _raw_page(corpus_dir, doc_id)
    if raw is not None:
        s, e = int(claim["raw_start"]), int(claim["raw_end"])
        around = (raw[max(0, s - context):s] + "【" + raw[s:e] + "】" + raw[e:e + context]).replace("\n", "⏎")
        lines.append(f"         in context: {around}")
    checks = tables["checks"]
    uses = checks[checks["claim_ids"].astype(str).map(lambda ids: claim_id in ids.split(";"))]
    if uses.empty:
        lines.append("checks   none uses this claim")
    else:
        lines.append(f"checks   {len(uses)} use this claim:")
        for row in uses.itertuples():
            lines.append(f"  {row.check_id} [{row.verdict}] {row.kind}: {row.explanation}")
            if _stated(row.arithmetic):
                lines.append(f"      {row.arithmetic}")
    return "\n".join(lines) + "\n"
