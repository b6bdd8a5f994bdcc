"""The whole pipeline over a corpus: load → clean → claims per document, then reconcile across them.

`process_document` is a pure function of one document (its raw text and id) returning that document's
rows of every table; `build` maps it over a corpus (optionally over processes) and concatenates, then
runs the cross-document step on the small claims table. A 100 000-page corpus maps the same function
over cores or a cluster without a rewrite.
"""
from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from . import attribution, clean, crossdoc, republication
from .claims import CLAIM_COLUMNS, extract_claims
from .io import write_text
from .load import DOCUMENT_COLUMNS, MAX_PAGE_BYTES, read_documents
from .manifest import CURATED_COLUMNS, MANIFEST_COLUMNS, MANIFEST_NAME, read_manifest
from .reconcile import CHECK_COLUMNS, Check, check_document, checks_frame
from .tables import write_table

#: Curated manifest fields carried into the documents table (who aids whom, programme).
CARRIED_FIELDS = ["aiding_party", "aiding_party_en", "recipient_region", "recipient_region_en", "programme"]
DOCUMENTS_COLUMNS: dict[str, str] = {
    **clean.CLEAN_DOCUMENT_COLUMNS,
    "encoding": DOCUMENT_COLUMNS["encoding"],
    "checksum": DOCUMENT_COLUMNS["checksum"],
    **{c: MANIFEST_COLUMNS[c] for c in CARRIED_FIELDS},
    **attribution.DOCUMENT_DATE_COLUMNS,
    **republication.REPUBLICATION_COLUMNS,
}
#: Claims table: extracted figures plus their attribution (where, which programme, when, quantity key).
CLAIMS_COLUMNS: dict[str, str] = {**CLAIM_COLUMNS, **attribution.ATTRIBUTION_COLUMNS, **republication.REPUBLICATION_COLUMNS}


@dataclass(frozen=True)
class DocumentResult:
    """Everything the pipeline derives from one document."""

    doc: clean.CleanDocument | None  # None once collected into a corpus run that does not keep documents
    document: dict
    segments: list[dict]
    spans: list[dict]
    claims: pd.DataFrame
    checks: list[Check]


def process_document(raw: str, doc_id: str, curated: dict | None = None) -> DocumentResult:
    """Clean one document, extract its claims and run its within-document checks (pure: no I/O, no shared state)."""
    doc = clean.clean_document(raw, doc_id)
    claims = attribution.attribute_claims(doc, extract_claims(doc), curated or {})
    document = {**clean.document_row(doc, curated), **attribution.document_dates(doc, curated),
                "signature": republication.page_signature(doc.text.text)}
    return DocumentResult(doc, document, clean.segment_rows(doc), clean.span_rows(doc),
                          claims, check_document(claims))


def _process_row(args: tuple[str, str, dict | None]) -> DocumentResult:
    return process_document(*args)


@dataclass(frozen=True)
class Tables:
    """The tables of a corpus run, each with a data dictionary (see TABLE_DICTIONARIES)."""

    loaded: pd.DataFrame          # aidlab.load documents table (with raw text), unusable files included
    docs: dict[str, clean.CleanDocument]
    documents: pd.DataFrame
    segments: pd.DataFrame
    spans: pd.DataFrame
    claims: pd.DataFrame
    checks: pd.DataFrame


TABLE_DICTIONARIES: dict[str, dict[str, str]] = {
    "documents": DOCUMENTS_COLUMNS,
    "segments": clean.SEGMENT_COLUMNS,
    "spans": clean.SPAN_COLUMNS,
    "claims": CLAIMS_COLUMNS,
    "checks": CHECK_COLUMNS,
}


def stderr_progress(n: int, total: int, doc_id: str) -> None:
    """Progress on one stderr line: [n/total] doc_id."""
    print(f"\r[{n}/{total}] {doc_id}", end="\n" if n == total else "", file=sys.stderr, flush=True)


def build(paths: str | Path | Iterable[str | Path], *, workers: int = 1, keep_docs: bool = True,
          progress: Callable[[int, int, str], None] | None = None, max_bytes: int = MAX_PAGE_BYTES) -> Tables:
    """Run load → clean → claims → reconcile over files/folders; curated manifest fields win over the page.

    keep_docs=False drops the per-document objects (raw text and offset maps) once their rows are
    taken, so memory grows with the tables, not with the pages (for large corpora; notebook views need them).
    """
    loaded = read_documents(paths, on_error="flag", max_bytes=max_bytes)
    folders = {Path(p).parent for p in loaded["path"]}
    curated: dict[str, dict] = {}
    for folder in sorted(folders):
        m = read_manifest(folder)
        if m is not None:
            attribution.check_manifest_dates(m, Path(folder) / MANIFEST_NAME)
            for _, row in m.iterrows():
                curated[Path(row["file"]).stem] = {k: v for k, v in row.items() if k in CURATED_COLUMNS and v}
    usable = loaded[loaded["usable"]]
    jobs = [(r.text, r.doc_id, curated.get(r.doc_id)) for r in usable.itertuples()]
    results: list[DocumentResult] = []
    docs: dict[str, clean.CleanDocument] = {}

    def collect(n: int, res: DocumentResult) -> None:
        if keep_docs:
            docs[res.doc.doc_id] = res.doc
        results.append(replace(res, doc=None))  # the rows stay; the page and its offset maps go
        if progress:
            progress(n, len(jobs), res.document["doc_id"])

    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for n, res in enumerate(pool.map(_process_row, jobs, chunksize=max(1, len(jobs) // (workers * 8))), 1):
                collect(n, res)
    else:
        for n, job in enumerate(jobs, 1):
            collect(n, _process_row(job))
    documents = pd.DataFrame([r.document for r in results],
                             columns=list(clean.CLEAN_DOCUMENT_COLUMNS) + list(attribution.DOCUMENT_DATE_COLUMNS))
    meta = loaded.set_index("doc_id")[["encoding", "checksum"]]
    documents = documents.join(meta, on="doc_id")
    for field in CARRIED_FIELDS:
        documents[field] = [curated.get(d, {}).get(field, "") for d in documents["doc_id"]]
    claims = (pd.concat([r.claims for r in results], ignore_index=True) if results
              else pd.DataFrame(columns=list(CLAIMS_COLUMNS)))
    groups = republication.republication_groups(  # cross page: sub-quadratic, exact on candidates when texts are kept
        documents, {r.document["doc_id"]: r.document["signature"] for r in results}, {d: x.text.text for d, x in docs.items()} or None)
    documents["republication_group"] = documents["doc_id"].map(groups)
    claims["republication_group"] = claims["doc_id"].map(groups).fillna("")
    checks = checks_frame([c for r in results for c in r.checks] + crossdoc.cross_document_checks(claims, documents))
    return Tables(
        loaded=loaded,
        docs=docs,
        documents=documents[list(DOCUMENTS_COLUMNS)],
        segments=pd.DataFrame([s for r in results for s in r.segments], columns=list(clean.SEGMENT_COLUMNS)),
        spans=pd.DataFrame([s for r in results for s in r.spans], columns=list(clean.SPAN_COLUMNS)),
        claims=claims,
        checks=checks,
    )


def export(tables: Tables, out_dir: str | Path, which: Iterable[str] = TABLE_DICTIONARIES) -> list[Path]:
    """Write the chosen tables as CSV with a data dictionary beside each; `clean/` gets one body text per document."""
    out = Path(out_dir)
    written: list[Path] = []
    for name in which:
        written += write_table(getattr(tables, name), out / f"{name}.csv", TABLE_DICTIONARIES[name])
    if "documents" in which:
        for doc_id, doc in tables.docs.items():
            written.append(write_text(out / "clean" / f"{doc_id}.txt", doc.text.text + "\n"))
    return written
