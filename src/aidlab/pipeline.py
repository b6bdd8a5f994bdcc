"""The whole pipeline over a corpus: load → clean → claims per document, then reconcile across them.

`process_page` is a function of one page (its path, or its decoded text) returning that page's rows of
every table: read → clean → claims → attribution → within-page checks → signature. Two ways to run it
over a corpus:

- `build` (in memory, for notebooks on small corpora): every table as a DataFrame, optionally with
  the per-document objects (offset maps) the notebook views need;
- `stream` (any size): pages are read, cleaned and checked in chunks of `CHUNK_PAGES`, each chunk's
  rows are written out (Parquet and/or CSV) as they arrive and dropped, and the cross-document step
  then runs on the compact claims table read back without its raw text. Memory stays flat in the
  number of pages. The chunks can be mapped in-process, over local processes (`workers`) or over a
  Dask cluster (`dask`); the output is byte-identical whichever is used, because chunk boundaries
  and the order rows are written in depend only on the page order.

One page never sinks a corpus: any exception while processing a page makes that page a documents
row with usable=False and the error as its problem (named on stderr); the other pages finish.
"""
from __future__ import annotations

import contextlib
import functools
import itertools
import os
import sys
import time
import traceback
import warnings
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd

from . import attribution
from .checks import CHECK_COLUMNS, check_document, crossdoc, republication
from .claims.extract import CLAIM_COLUMNS, claim_records, claims_frame
from .corpus.load import MAX_PAGE_BYTES, _expand, read_document, read_documents
from .corpus.manifest import (
    CURATED_COLUMNS,
    MANIFEST_NAME,
    check_listed_files_exist,
    page_outside_folder,
    read_manifest,
    verify_file,
)
from .errors import LoadError, LoadWarning, SeedIntegrityError
from .fields import table_columns
from .tables import dictionary_frame
from .text import clean

#: Curated manifest fields carried into the documents table (who aids whom, programme).
CARRIED_FIELDS = ["aiding_party", "aiding_party_en", "recipient_region", "recipient_region_en", "programme"]
DOCUMENTS_COLUMNS: dict[str, str] = table_columns([
    *clean.CLEAN_DOCUMENT_COLUMNS, "encoding", "encoding_confidence", "encoding_flag", "checksum", *CARRIED_FIELDS,
    *attribution.DOCUMENT_DATE_COLUMNS, "usable", "problem", *republication.REPUBLICATION_COLUMNS,
])
#: Claims table: extracted figures plus their attribution (where, which programme, when, quantity key).
CLAIMS_COLUMNS: dict[str, str] = table_columns([*CLAIM_COLUMNS, *attribution.ATTRIBUTION_COLUMNS])
#: Columns of the documents table that count something (0 for an unusable page).
_COUNT_COLUMNS = ("raw_chars", "body_chars", "chrome_chars", "segments", "annotations_removed", "corrupt_spans",
                  "repaired_spans", "damaged_digits")
#: Pages per chunk of a streamed run: the unit of work sent to a process or a Dask worker, and of writing.
CHUNK_PAGES = 64
#: Rows per Parquet row group of a streamed table: chunks are held back (as Arrow tables) until this many.
ROW_GROUP_ROWS = 8_192
#: How far the pipeline goes per page: clean only, clean + claims, or clean + claims + within-page checks.
STEPS = ("clean", "claims", "checks")

TABLE_DICTIONARIES: dict[str, dict[str, str]] = {
    "documents": DOCUMENTS_COLUMNS,
    "segments": clean.SEGMENT_COLUMNS,
    "spans": clean.SPAN_COLUMNS,
    "claims": CLAIMS_COLUMNS,
    "checks": CHECK_COLUMNS,
}


# --- one page, isolated -------------------------------------------------------------------------

@dataclass(frozen=True)
class PageTask:
    """One page to process: where it is (or its text), and what the main process knows about it."""

    path: str
    doc_id: str
    curated: dict | None = None
    sha256: str | None = None      # bytes' checksum as verified by the main process (None: not verified)
    checksum: str = "no-manifest"  # ok | unlisted | no-manifest
    raw: str | None = None         # the decoded page when already loaded; else the worker reads `path`
    encoding: str | None = None
    encoding_confidence: float | None = None
    encoding_flag: str = ""
    steps: str = "checks"
    max_bytes: int = MAX_PAGE_BYTES


@dataclass
class PageRows:
    """What one page contributes to every table: plain rows, cheap to send between processes."""

    doc_id: str
    path: str
    document: dict
    segments: list[dict] = field(default_factory=list)
    spans: list[dict] = field(default_factory=list)
    claims: list[dict] | None = None  # claim records with their attribution (CLAIMS_COLUMNS)
    checks: list[dict] = field(default_factory=list)
    text: str | None = None        # the clean article text (for clean/<doc_id>.txt)
    problem: str | None = None
    doc: clean.CleanDocument | None = None
    signature: bytes | None = None  # aidlab.checks.republication.page_signature of the clean text (cross-page grouping)


def _carried(curated: dict | None) -> dict:
    return {f: (curated or {}).get(f, "") for f in CARRIED_FIELDS}


def _problem_document(doc_id: str, encoding: str | None, checksum: str, curated: dict | None, problem: str,
                      raw_chars: int = 0, script: str | None = None) -> dict:
    row: dict = {c: clean.UNKNOWN if c.endswith(("_source", "title", "published", "outlet", "author")) else ""
                 for c in clean.CLEAN_DOCUMENT_COLUMNS}
    row.update({c: 0 for c in _COUNT_COLUMNS})
    row.update(doc_id=doc_id, script=script or "undetermined", body_script="undetermined", raw_chars=raw_chars)
    row.update(encoding=encoding or "", encoding_confidence=float("nan"), encoding_flag="", checksum=checksum,
               **_carried(curated), page_date="", page_date_source="none", page_date_evidence="",
               url=str((curated or {}).get("url") or ""), usable=False, problem=problem, republication_group="")
    return row


def process_page(task: PageTask, keep_doc: bool = False) -> PageRows:
    """Read (unless given) and process one page; any exception becomes the page's problem, never the corpus's.

    A page whose bytes changed since the main process verified them against the manifest raises
    SeedIntegrityError: evidence that changes under a run stops the run.
    """
    raw, encoding, checksum, script = task.raw, task.encoding, task.checksum, None
    confidence, flag = task.encoding_confidence, task.encoding_flag
    if raw is None:
        loaded = read_document(task.path, None, max_bytes=task.max_bytes)
        if task.sha256 is not None and loaded.sha256 != task.sha256:
            raise SeedIntegrityError(f"{task.path}: the file changed while the run was reading it "
                                     f"(sha256 {loaded.sha256[:12]}… instead of {task.sha256[:12]}…)")
        if not loaded.usable or loaded.text is None:  # a usable document always has its text
            return PageRows(task.doc_id, task.path, _problem_document(
                task.doc_id, loaded.encoding, checksum, task.curated, loaded.problem or "unusable"),
                problem=loaded.problem)
        raw, encoding, script = loaded.text, loaded.encoding, loaded.script
        confidence, flag = loaded.encoding_confidence, loaded.encoding_flag
    try:
        doc = clean.clean_document(raw, task.doc_id)
        document = {**clean.document_row(doc, task.curated), "encoding": encoding or "",
                    "encoding_confidence": float("nan") if confidence is None else float(confidence),
                    "encoding_flag": flag or "", "checksum": checksum, **_carried(task.curated),
                    **attribution.document_dates(doc, task.curated), "usable": True, "problem": "",
                    "republication_group": ""}
        rows = PageRows(task.doc_id, task.path, document, clean.segment_rows(doc), clean.span_rows(doc),
                        text=doc.text.text, doc=doc if keep_doc else None,
                        signature=republication.page_signature(doc.text.text))
        if task.steps in ("claims", "checks"):
            rows.claims = attribution.attribute_records(doc, claim_records(doc), task.curated or {})
        if task.steps == "checks":
            rows.checks = [c.row() for c in check_document(rows.claims or [])]
        return rows
    except Exception as exc:  # noqa: BLE001 - isolation is the point: the page is named, the run goes on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        problem = f"failed while processing: {type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})"
        return PageRows(task.doc_id, task.path, _problem_document(
            task.doc_id, encoding, checksum, task.curated, problem, len(raw), script), problem=problem)


def process_chunk(tasks: list[PageTask]) -> list[PageRows]:
    """The unit of work sent to a process or a Dask worker: a few pages, in order."""
    return [process_page(t) for t in tasks]


# --- tables of a run ----------------------------------------------------------------------------

class CheckNumbering:
    """Numbers checks per kind (<kind>-<n>) across the chunks of a run, in the order they are written."""

    def __init__(self) -> None:
        self.counters: Counter = Counter()

    def frame(self, rows: list[dict]) -> pd.DataFrame:
        frame = rows_frame(rows, CHECK_COLUMNS)
        ids = []
        for kind in frame["kind"]:
            self.counters[kind] += 1
            ids.append(f"{kind}-{self.counters[kind]}")
        frame["check_id"] = ids
        return frame


def rows_frame(rows: list[dict], columns: Iterable[str]) -> pd.DataFrame:
    """Rows (dicts holding every column) as a DataFrame, built column by column: the same frame as
    `pd.DataFrame(rows, columns=...)` without its row-by-row reading of the dicts (a tenth of the cross
    step's time). Rows missing a column go the general way (it fills them in)."""
    columns = list(columns)
    if not rows:
        return pd.DataFrame(rows, columns=columns)
    try:
        return pd.DataFrame({c: [r[c] for r in rows] for c in columns}, columns=columns)
    except KeyError:
        return pd.DataFrame(rows, columns=columns)


def chunk_frames(pages: list[PageRows], numbering: CheckNumbering) -> dict[str, pd.DataFrame]:
    """The rows of some pages as one DataFrame per table (columns in dictionary order)."""
    claims = [r for p in pages if p.claims for r in p.claims]
    return {
        "documents": rows_frame([p.document for p in pages], DOCUMENTS_COLUMNS),
        "segments": rows_frame([s for p in pages for s in p.segments], clean.SEGMENT_COLUMNS),
        "spans": rows_frame([s for p in pages for s in p.spans], clean.SPAN_COLUMNS),
        "claims": claims_frame(claims, CLAIMS_COLUMNS) if claims else pd.DataFrame(columns=list(CLAIMS_COLUMNS)),
        "checks": numbering.frame([c for p in pages for c in p.checks]),
    }


def _warn_problem(page: PageRows) -> None:
    if page.problem:
        warnings.warn(f"{page.path}: {page.problem}", LoadWarning, stacklevel=3)


# --- in memory ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tables:
    """The tables of a corpus run, each with a data dictionary (see TABLE_DICTIONARIES)."""

    loaded: pd.DataFrame          # aidlab.corpus.load documents table (with raw text), unusable files included
    docs: dict[str, clean.CleanDocument]
    documents: pd.DataFrame
    segments: pd.DataFrame
    spans: pd.DataFrame
    claims: pd.DataFrame
    checks: pd.DataFrame


def _curated_fields(folders: Iterable[Path]) -> dict[str, dict]:
    curated: dict[str, dict] = {}
    for folder in sorted(set(folders)):
        m = read_manifest(folder)
        if m is not None:
            attribution.check_manifest_dates(m, Path(folder) / MANIFEST_NAME)  # a `published` that is no date: exit 2
            for row in m[["file", *CURATED_COLUMNS]].to_dict("records"):
                curated[Path(row["file"]).stem] = {k: v for k, v in row.items() if k in CURATED_COLUMNS and v}
    return curated


def build(paths: str | Path | Iterable[str | Path], *, workers: int = 1, keep_docs: bool = True,
          progress: Callable[[int, int, str], None] | None = None, max_bytes: int = MAX_PAGE_BYTES) -> Tables:
    """Run load → clean → claims → reconcile over files/folders in memory; curated manifest fields win over the page.

    keep_docs=False drops the per-document objects (raw text and offset maps) once their rows are
    taken (notebook views need them). For a corpus of any size use `stream`, which holds no page.
    """
    loaded = read_documents(paths, on_error="flag", max_bytes=max_bytes)
    curated = _curated_fields(Path(p).parent for p in loaded["path"])
    tasks = [PageTask(r.path, r.doc_id, curated.get(r.doc_id), checksum=r.checksum, raw=r.text, encoding=r.encoding,
                      encoding_confidence=r.encoding_confidence, encoding_flag=r.encoding_flag or "")
             for r in loaded.itertuples()]
    pages: list[PageRows] = []
    docs: dict[str, clean.CleanDocument] = {}
    signatures: dict[str, bytes | None] = {}
    todo = [t for t in tasks if t.raw is not None]
    one = functools.partial(process_page, keep_doc=keep_docs)

    def collect(n: int, page: PageRows) -> None:
        _warn_problem(page)
        if keep_docs and page.doc is not None:
            docs[page.doc_id] = page.doc
        signatures[page.doc_id] = page.signature
        pages.append(replace(page, doc=None, text=None, signature=None))  # the rows stay; the page and its offset maps go
        if progress:
            progress(n, len(todo), page.doc_id)

    if workers > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            for n, page in enumerate(pool.map(one, todo, chunksize=max(1, len(todo) // (workers * 8))), 1):
                collect(n, page)
    else:
        for n, task in enumerate(todo, 1):
            collect(n, one(task))
    by_id = {p.doc_id: p for p in pages}
    ordered = []
    for r, t in zip(loaded.itertuples(), tasks):
        if t.raw is None:  # unusable when loading (already named by read_documents)
            ordered.append(PageRows(r.doc_id, r.path, _problem_document(r.doc_id, r.encoding, r.checksum, t.curated,
                                                                          r.problem or "unusable")))
        else:
            ordered.append(by_id[r.doc_id])
    numbering = CheckNumbering()
    frames = chunk_frames(ordered, numbering)
    documents = with_republication_groups(frames["documents"], signatures)
    cross = crossdoc.cross_document_checks(frames["claims"], documents[documents["usable"].astype(bool)])
    checks = pd.concat([frames["checks"], numbering.frame([c.row() for c in cross])], ignore_index=True)
    return Tables(loaded=loaded, docs=docs, documents=documents, segments=frames["segments"], spans=frames["spans"],
                  claims=frames["claims"], checks=checks)


def with_republication_groups(documents: pd.DataFrame, signatures: dict[str, bytes | None]) -> pd.DataFrame:
    """The documents table with each page's republication group (aidlab.checks.republication, from the per-page
    signatures, sub-quadratic), the first half of the cross-page step; unusable pages belong to no group.
    The second half, aidlab.checks.crossdoc.cross_document_checks, then runs on the usable pages."""
    usable = documents[documents["usable"].astype(bool)]
    groups = republication.republication_groups(usable, {d: s for d, s in signatures.items() if s is not None})
    return documents.assign(republication_group=documents["doc_id"].map(groups).fillna(""))


# --- streamed -----------------------------------------------------------------------------------

def plan_pages(paths: str | Path | Iterable[str | Path], steps: str = "checks",
               hashes: dict[str, str] | None = None, max_bytes: int = MAX_PAGE_BYTES) -> list[PageTask]:
    """The pages of files/folders as tasks, in reading order, after checking them against their manifests.

    Only checksums are computed here (no decoding): a page listed in a manifest whose bytes changed
    raises SeedIntegrityError before any work starts. `hashes` (path → sha256) receives every page's
    checksum when given (the build step's input hash), else only listed pages are hashed.
    """
    import hashlib

    files = _expand(paths)
    manifests: dict[Path, pd.DataFrame | None] = {}
    listed: dict[Path, dict[str, str]] = {}
    tasks: list[PageTask] = []
    seen: Counter = Counter()
    for path, folder in files:
        owner = folder if folder is not None else path.parent
        if owner not in manifests:
            found = manifests[owner] = read_manifest(owner)
            if found is not None:
                if folder is not None:
                    check_listed_files_exist(owner, found)
                listed[owner] = dict(zip(found["file"], found["sha256"].str.strip().str.lower()))
        manifest = manifests[owner]
        expected = listed.get(owner, {}).get(path.name)
        sha = None
        readable = path.is_file() and page_outside_folder(path, owner.absolute()) is None
        if readable and (expected is not None or hashes is not None):
            try:
                sha = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                sha = None  # the worker's read names the problem
            if hashes is not None:
                hashes[str(path)] = sha or ""
        if expected is not None and sha is not None and sha != expected:
            verify_file(path, manifest)  # raises SeedIntegrityError with the full message
        checksum = "no-manifest" if manifest is None else ("ok" if expected is not None else "unlisted")
        tasks.append(PageTask(str(path), path.stem, None, sha if expected is not None else None, checksum, steps=steps,
                              max_bytes=max_bytes))
        seen[path.stem] += 1
    dupes = sorted(k for k, n in seen.items() if n > 1)
    if dupes:
        raise LoadError("duplicate document id(s) (same file stem in two places): " + ", ".join(dupes))
    curated = _curated_fields(owner for owner, m in manifests.items() if m is not None)
    return [replace(t, curated=curated.get(t.doc_id)) for t in tasks]


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


@contextlib.contextmanager
def chunk_mapper(workers: int = 1, dask: str | None = None) -> Iterator[Callable[[Iterable[list[PageTask]]], Iterator[list[PageRows]]]]:
    """A map of `process_chunk` over chunks, results in order, with a bounded number of chunks in flight.

    dask=None and workers=1: in this process. workers>1: local processes. dask="local": a Dask
    LocalCluster of `max(workers, 2)` single-threaded worker processes; dask="tcp://host:port": an
    existing Dask scheduler (its workers must be able to import aidlab and read the pages' paths).
    """
    if dask is None and workers <= 1:
        yield lambda chunks: (process_chunk(c) for c in chunks)
        return
    if dask is None:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=workers)
        try:
            yield lambda chunks: _ordered(chunks, lambda c: pool.submit(process_chunk, c), 2 * workers)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C or an error: do not wait for queued chunks
            raise
        pool.shutdown()
        return
    from distributed import Client, LocalCluster

    cluster = None
    if dask == "local":
        cluster = LocalCluster(n_workers=max(workers, 2), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=50)
        client = Client(cluster)
    else:
        client = Client(dask)
    try:
        n = max(2, len(client.scheduler_info().get("workers", {})) or 2)
        yield lambda chunks: _ordered(chunks, lambda c: client.submit(process_chunk, c, pure=False), 2 * n)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _ordered(chunks: Iterable[list], submit: Callable, inflight: int) -> Iterator:
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= inflight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class TableSink:
    """One table written chunk by chunk: `<name>.csv` (+ `<name>.dictionary.csv`) and/or `<name>.parquet`."""

    def __init__(self, folder: Path, name: str, *, csv_out: bool = True, parquet_out: bool = False) -> None:
        self.folder, self.name = folder, name
        self.columns = TABLE_DICTIONARIES[name]
        self.csv_path = folder / f"{name}.csv" if csv_out else None
        self.parquet_path = folder / f"{name}.parquet" if parquet_out else None
        self._csv: TextIO | None = None
        self._parquet: Any = None  # a pyarrow.parquet.ParquetWriter once the first rows arrive
        self._schema: Any = None
        self._dtypes: dict | None = None
        self._first: pd.DataFrame | None = None
        self._pending: list[Any] = []  # Arrow tables of chunks not yet written (at most ROW_GROUP_ROWS rows)
        self._pending_rows = 0
        self.rows = 0

    def write(self, df: pd.DataFrame) -> None:
        if df.empty:
            if self._first is None:
                self._first = df
            return
        if self._dtypes is None:
            self._dtypes = dict(df.dtypes)
            self._first = df.iloc[:0]
        else:  # numeric columns keep the type of the first rows, so a CSV never mixes 3 and 3.0
            for col, dtype in self._dtypes.items():
                if dtype.kind in "iufb" and df[col].dtype != dtype:
                    df[col] = df[col].astype(dtype)
        if self.csv_path is not None:
            if self._csv is None:
                self._csv = open(self.csv_path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - open across chunks
                df.iloc[:0].to_csv(self._csv, index=False, lineterminator="\n")
            df.to_csv(self._csv, index=False, header=False, lineterminator="\n")
        if self.parquet_path is not None:
            import pyarrow as pa
            import pyarrow.parquet as pq

            if self._parquet is None:
                table = pa.Table.from_pandas(df, preserve_index=False)
                schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in table.schema],
                                   metadata=table.schema.metadata)
                self._schema = schema
                self._parquet = pq.ParquetWriter(self.parquet_path, schema, compression="zstd")
            self._pending.append(pa.Table.from_pandas(df, schema=self._schema, preserve_index=False))
            self._pending_rows += len(df)
            if self._pending_rows >= ROW_GROUP_ROWS:
                self._flush()
        self.rows += len(df)

    def _flush(self) -> None:
        """Write the chunks held back as one Parquet row group. The writer keeps every row group's metadata
        until it closes (≈ 0.8 KB a column): a row group per 64-page chunk was ≈ 150 MB at 100 000 pages.
        Measured peak RSS (1 000 / 4 000 generated pages): 299 / 359 MiB with a row group per chunk, 321 /
        386 with 8 192 rows, 333 / 404 with 16 384 (the rows held back, and bigger groups read back by the
        cross step); 8 192 keeps the metadata to a few MB at 100 000 pages for ≈ 20 MB held."""
        if self._pending:
            import pyarrow as pa

            self._parquet.write_table(pa.concat_tables(self._pending))
            self._pending, self._pending_rows = [], 0

    def close(self) -> None:
        first = self._first if self._first is not None else pd.DataFrame(columns=list(self.columns))
        if self.csv_path is not None:
            if self._csv is None:
                first.to_csv(self.csv_path, index=False, encoding="utf-8", lineterminator="\n")
            else:
                self._csv.close()
            dictionary_frame(first, self.columns).to_csv(self.folder / f"{self.name}.dictionary.csv", index=False,
                                                        encoding="utf-8", lineterminator="\n")
        if self.parquet_path is not None:
            if self._parquet is None:
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(first, preserve_index=False)
                pq.write_table(table.cast(pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f
                                                     for f in table.schema], metadata=table.schema.metadata)),
                               self.parquet_path, compression="zstd")
            else:
                self._flush()
                self._parquet.close()


@dataclass
class StreamSummary:
    """What a streamed run did: pages, rows per table, the pages with a problem, verdict counts."""

    pages: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, problem)
    verdicts: Counter = field(default_factory=Counter)
    seconds: float = 0.0



def _stream_tasks(paths: str | Path | Iterable[str | Path], steps: str, tasks: list[PageTask] | None,
                  dask: str | None, max_bytes: int) -> list[PageTask]:
    """The pages to process (planned from `paths` unless given) with their steps; absolute paths for Dask."""
    if tasks is None:
        tasks = plan_pages(paths, steps, max_bytes=max_bytes)
    else:
        tasks = [replace(t, steps=steps) for t in tasks]
    if dask is not None:  # workers elsewhere read the pages by absolute path (same mount on every machine)
        tasks = [replace(t, path=os.path.abspath(t.path)) for t in tasks]
    return tasks


def _take_page(page: PageRows, summary: StreamSummary, signatures: dict[str, bytes | None],
               texts_folder: Path | None) -> None:
    """Book one processed page: warn of and record its problem, keep its signature, write its clean text
    into `texts_folder/clean/` when texts are wanted."""
    _warn_problem(page)
    if page.problem:
        summary.problems.append((page.path, page.problem))
    signatures[page.doc_id] = page.signature
    if texts_folder is not None and page.text is not None:
        with open(texts_folder / "clean" / f"{page.doc_id}.txt", "w", encoding="utf-8", newline="") as fh:
            fh.write(page.text + "\n")


#: Columns of the documents table the cross-page step reads (republication groups, evidence urls and dates).
_CROSS_DOCUMENT_COLUMNS = ("doc_id", "usable", "url", "published", "page_date")
#: Cross-document checks per batch written (their rows carry the evidence sentences, so they are not all held).
CHECK_BATCH = 2000
#: Documents per batch when the held-back documents table is written out.
_DOCUMENT_BATCH = 4096


def _pending_documents(pending: Path, columns: Iterable[str]) -> pd.DataFrame:
    """The given columns (those the table has) of the documents held back in `pending`."""
    import pyarrow.parquet as pq

    path = pending / "documents.parquet"
    names = set(pq.read_schema(path).names)
    return pq.read_table(path, columns=[c for c in columns if c in names]).to_pandas()


def _pending_batches(pending: Path) -> Iterator[pd.DataFrame]:
    """The documents held back in `pending`, a batch of rows at a time."""
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(pending / "documents.parquet").iter_batches(batch_size=_DOCUMENT_BATCH):
        yield batch.to_pandas()


def _write_cross_document_checks(folder: Path, pending: Path, documents: pd.DataFrame, numbering: CheckNumbering,
                                 summary: StreamSummary, sink: TableSink) -> None:
    """Run the cross-document checks key block by key block over the claims Parquet file and write them."""
    usable = crossdoc.document_index(documents[documents["usable"].astype(bool)])   # once, not per block
    with system_arrow_pool():
        for claims in key_blocks(folder / "claims.parquet", pending):
            checks = crossdoc.iter_cross_document_checks(claims, usable)
            while batch := [c.row() for c in itertools.islice(checks, CHECK_BATCH)]:
                frame = numbering.frame(batch)
                summary.verdicts.update(frame["verdict"])
                sink.write(frame)
                del batch, frame
            del claims, checks


def stream(paths: str | Path | Iterable[str | Path], folder: str | Path, *,
           csv_tables: Iterable[str] = (), parquet_tables: Iterable[str] = (), texts: bool = False,
           workers: int = 1, dask: str | None = None, progress: Callable[[int, int, str], None] | None = None,
           chunk_pages: int = CHUNK_PAGES, tasks: list[PageTask] | None = None,
           max_bytes: int = MAX_PAGE_BYTES) -> StreamSummary:
    """Process pages chunk by chunk, writing the chosen tables into `folder` as their rows arrive.

    Tables: documents, segments, spans, claims, checks (as CSV with dictionaries and/or Parquet);
    `texts` writes `clean/<doc_id>.txt`. The checks table needs the cross-document step, which reads
    the compact claims table back from `folder` (its Parquet file is written for that even when not
    asked for, and removed afterwards). The documents table is held back as Parquet scratch until the
    cross-page step has named each page's republication group (one small row per page), then written.
    Each page's 516-byte signature is kept for that step (about 50 MB at 100 000 pages).
    The caller makes `folder` a temporary one and swaps it in.
    """
    started = time.perf_counter()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    csv_tables, parquet_tables = set(csv_tables), set(parquet_tables)
    wanted = csv_tables | parquet_tables
    need_checks = "checks" in wanted
    need_claims = need_checks or "claims" in wanted
    steps = "checks" if need_checks else ("claims" if need_claims else "clean")
    tasks = _stream_tasks(paths, steps, tasks, dask, max_bytes)
    scratch = set()
    if need_checks and "claims" not in parquet_tables:
        parquet_tables.add("claims")
        scratch.add("claims")
    pending = folder / ".documents-pending"  # documents wait here for their republication groups
    pending.mkdir(exist_ok=True)
    pending_sink = TableSink(pending, "documents", csv_out=False, parquet_out=True)
    sinks = {name: TableSink(folder, name, csv_out=name in csv_tables, parquet_out=name in parquet_tables)
             for name in TABLE_DICTIONARIES if name in csv_tables | parquet_tables and name != "documents"}
    signatures: dict[str, bytes | None] = {}
    if texts:
        (folder / "clean").mkdir(exist_ok=True)
    summary = StreamSummary(pages=len(tasks))
    numbering = CheckNumbering()
    done = 0
    try:
        with chunk_mapper(workers, dask) as mapper:
            for pages in mapper(_chunks(tasks, chunk_pages)):
                for page in pages:
                    _take_page(page, summary, signatures, folder if texts else None)
                frames = chunk_frames(pages, numbering)
                pending_sink.write(frames["documents"])
                for name, sink in sinks.items():
                    sink.write(frames[name])
                if "checks" in frames:
                    summary.verdicts.update(frames["checks"]["verdict"])
                done += len(pages)
                if progress:
                    progress(done, len(tasks), pages[-1].doc_id if pages else "")
                del pages, frames
        pending_sink.close()
        # the cross-page step reads the few columns it needs of the documents (a small row per page) ...
        meta = with_republication_groups(_pending_documents(pending, _CROSS_DOCUMENT_COLUMNS), signatures)
        del signatures
        if need_checks:
            sinks["claims"].close()
            _write_cross_document_checks(folder, pending, meta, numbering, summary, sinks["checks"])
        if "documents" in csv_tables | parquet_tables:
            # ... and the whole documents table is written batch by batch with the groups filled in
            sinks["documents"] = TableSink(folder, "documents", csv_out="documents" in csv_tables,
                                           parquet_out="documents" in parquet_tables)
            group_of = dict(zip(meta["doc_id"], meta["republication_group"]))
            for batch in _pending_batches(pending):
                batch["republication_group"] = [group_of.get(d, "") for d in batch["doc_id"]]
                sinks["documents"].write(batch)
        del meta
    finally:
        for sink in sinks.values():
            with contextlib.suppress(Exception):
                sink.close()
        with contextlib.suppress(Exception):
            pending_sink.close()
        import shutil

        shutil.rmtree(pending, ignore_errors=True)
    for name in scratch:
        (folder / f"{name}.parquet").unlink(missing_ok=True)
    summary.rows = {name: sink.rows for name, sink in sinks.items() if name not in scratch}
    summary.seconds = time.perf_counter() - started
    return summary


#: Claims per block of the cross-document step: above this, the claims are split into blocks that never
#: separate two claims the step could compare (same key, or keys equal but for programme and regions).
CROSS_BLOCK_CLAIMS = 10_000


def key_blocks(claims_path: Path, scratch: Path, block_claims: int = CROSS_BLOCK_CLAIMS) -> Iterator[pd.DataFrame]:
    """The comparable claims of a streamed run, block by block, so the cross-document step holds one block.

    A block is a hash bucket of the quantity key's last three parts (metric | unit family | scope): every
    pair the step compares (the same key; a part and its whole, whose keys differ only in programme and
    regions) falls in one bucket. Small runs are one block (the whole table, as before); buckets are
    written to `scratch` one row group at a time and read back in bucket order (deterministic output).
    """
    import zlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    from .checks.crossdoc import CROSS_COLUMNS

    source = pq.ParquetFile(claims_path)
    total = source.metadata.num_rows
    if total <= block_claims:
        yield compact_claims(claims_path.parent)
        return
    buckets = -(-total // block_claims)
    columns = [c for c in source.schema_arrow.names if c in CROSS_COLUMNS]
    writers: dict[int, pq.ParquetWriter] = {}
    try:
        for i in range(source.num_row_groups):
            table = source.read_row_group(i, columns=columns)
            keys = [k or "" for k in table.column("quantity_key").to_pylist()]
            ids = np.array([zlib.crc32("|".join(k.split("|")[-3:]).encode()) % buckets if k and k != "unknown" else -1
                            for k in keys], dtype=np.int64)
            # the rows of each bucket, in table order, from one stable sort (a filter per bucket read every row
            # once for every bucket: rows × buckets, both growing with the corpus)
            order = np.argsort(ids, kind="stable")
            for rows in np.split(order, np.flatnonzero(np.diff(ids[order])) + 1):
                b = int(ids[rows[0]]) if len(rows) else -1
                if b < 0:
                    continue
                part = table.take(pa.array(rows))
                if b not in writers:
                    writers[b] = pq.ParquetWriter(scratch / f"cross-{b:04d}.parquet", part.schema)
                writers[b].write_table(part)
    finally:
        for w in writers.values():
            w.close()
    for b in sorted(writers):
        path = scratch / f"cross-{b:04d}.parquet"
        yield pq.read_table(path, read_dictionary=[c for c in ("sentence",) if c in columns]).to_pandas()
        path.unlink()


def compact_claims(folder: str | Path) -> pd.DataFrame:
    """The claims read back for the cross-document step: no raw page text, sentences dictionary-encoded
    (each sentence held once however many claims stand in it)."""
    import pyarrow.parquet as pq

    folder = Path(folder)
    from .checks.crossdoc import CROSS_COLUMNS

    schema = pq.read_schema(folder / "claims.parquet")
    columns = [c for c in schema.names if c in CROSS_COLUMNS]
    table = pq.read_table(folder / "claims.parquet", columns=columns,
                          read_dictionary=[c for c in ("sentence",) if c in columns])
    claims = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    return claims


@contextlib.contextmanager
def system_arrow_pool() -> Iterator[None]:
    """Arrow (and pandas' Arrow-backed strings) on the system allocator, which hands freed memory back;
    Arrow's default pool keeps it, so a step over a whole table would otherwise peak near twice its size."""
    import pyarrow as pa

    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _replace_dir(tmp: Path, target: Path) -> None:
    """Swap folder `tmp` in as `target` whole (atomically on Linux: renameat2 RENAME_EXCHANGE), removing the old one."""
    import shutil

    if not target.exists():
        os.replace(tmp, target)
        return
    if _exchange(tmp, target):
        shutil.rmtree(tmp)  # tmp now holds the old folder
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 with RENAME_EXCHANGE); False when unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    rc = fn(AT_FDCWD, os.fsencode(str(a)), AT_FDCWD, os.fsencode(str(b)), RENAME_EXCHANGE)
    return rc == 0


@contextlib.contextmanager
def swapped_folder(target: str | Path, allowed: Callable[[Path], bool] | None = None) -> Iterator[Path]:
    """Yield a temporary folder beside `target`; on success it replaces `target` whole, on error it is removed.

    `allowed(entry)` says whether an entry of an existing `target` may be discarded; a target holding
    anything else is refused (so an output folder never swallows a researcher's files).
    """
    import shutil
    import tempfile

    from .errors import AidlabError

    target = Path(target).resolve()  # a symlink: swap the real folder, in its real parent
    here = Path.cwd().resolve()
    if here == target or target in here.parents:
        raise AidlabError(f"{target}: is (or holds) the current folder, which a swap would leave deleted under you; "
                          "give an output folder elsewhere")
    if target.exists():
        if not target.is_dir():
            raise AidlabError(f"{target}: exists and is not a folder")
        if allowed is not None:
            foreign = sorted(p.name for p in target.iterdir() if not allowed(p))
            if foreign:
                raise AidlabError(f"{target}: holds files this command did not write ({', '.join(foreign[:5])}"
                                  f"{' …' if len(foreign) > 5 else ''}); choose a new or empty output folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        _replace_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def clean_output_entry(p: Path) -> bool:
    """True for what `aidlab clean --out DIR` writes into DIR (tables, dictionaries, clean/)."""
    names = {f"{t}{s}" for t in ("documents", "segments", "spans") for s in (".csv", ".dictionary.csv")}
    return p.name in names or (p.name == "clean" and p.is_dir())
