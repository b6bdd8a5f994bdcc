"""The build step: every table of a corpus computed once into `build/<corpus folder name>/`.

`build_corpus` streams the corpus through the pipeline (`aidlab.pipeline.stream`) into a temporary
folder beside the target and swaps it in whole, so a build folder is always complete (never half
written after a kill, never holding texts of pages that are gone). Each table is written as Parquet
(what notebooks read, `load_tables`), CSV and a data dictionary CSV; `clean/<doc_id>.txt` holds one
clean article text per document and `build.json` what was built from what.

The work is skipped when the recorded input hash matches: the SHA-256 of every page's bytes (by
file name), the manifest's bytes, the aidlab version and a hash of the package's source files. Any
edit to a page, the manifest or the code rebuilds; `force=True` rebuilds regardless.
"""
from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pandas as pd

from . import pipeline
from .corpus.manifest import MANIFEST_NAME
from .errors import AidlabError

#: Tables a build writes (each as <name>.parquet, <name>.csv, <name>.dictionary.csv).
TABLES = tuple(pipeline.TABLE_DICTIONARIES)
BUILD_RECORD = "build.json"
PACKAGE_DIR = Path(__file__).resolve().parent


def aidlab_version() -> str:
    try:
        return metadata.version("aidlab")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def source_hash(package_dir: Path = PACKAGE_DIR) -> str:
    """SHA-256 over the package's source and data files (relative path + bytes), in name order."""
    h = hashlib.sha256()
    for path in sorted(p for p in package_dir.rglob("*") if p.is_file() and p.suffix in (".py", ".csv", ".json", ".txt")
                       and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(package_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def input_record(corpus_dir: Path, page_hashes: dict[str, str]) -> dict:
    """What a build depends on: page checksums, manifest checksum, package version and source hash."""
    manifest = corpus_dir / MANIFEST_NAME
    pages = {Path(p).name: sha for p, sha in sorted(page_hashes.items())}
    record = {
        "pages": pages,
        "manifest_sha256": hashlib.sha256(manifest.read_bytes()).hexdigest() if manifest.exists() else "",
        "aidlab_version": aidlab_version(),
        "source_sha256": source_hash(),
    }
    record["input_sha256"] = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
    return record


def read_record(tables_dir: str | Path) -> dict | None:
    """The build.json of a build folder, or None when there is none (or it cannot be read)."""
    path = Path(tables_dir) / BUILD_RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _is_complete(target: Path, record: dict | None) -> bool:
    if record is None:
        return False
    return all((target / f"{t}{s}").exists() for t in TABLES for s in (".parquet", ".csv", ".dictionary.csv"))


def _build_entry(p: Path) -> bool:
    """True for what a build folder holds (so a rebuild may discard it)."""
    return (p.name in {BUILD_RECORD, "clean"} or p.name.endswith((".parquet", ".csv")))


def build_corpus(corpus_dir: str | Path, build_root: str | Path = "build", *, workers: int = 1,
                 dask: str | None = None, force: bool = False,
                 progress: Callable[[int, int, str], None] | None = None) -> Path:
    """Compute every table of a corpus folder into `build_root/<corpus folder name>/`; return that folder.

    Skips the work when the folder holds a complete build with the same input hash (see module
    docstring) unless `force`. Pages that cannot be used are rows with usable=False in the documents
    table, listed in build.json under "problems" and named on stderr; the build still completes.
    """
    corpus = Path(corpus_dir)
    if not corpus.is_dir():
        raise AidlabError(f"{corpus}: not a corpus folder")
    target = Path(build_root) / corpus.resolve().name
    hashes: dict[str, str] = {}
    tasks = pipeline.plan_pages(corpus, hashes=hashes)
    record = input_record(corpus, hashes)
    old = read_record(target)
    if not force and old is not None and _is_complete(target, old) and old.get("input_sha256") == record["input_sha256"]:
        for path, problem in old.get("problems", []):
            print(f"aidlab: warning: {path}: {problem}", file=sys.stderr)
        return target
    if target.exists() and any(target.iterdir()) and old is None:
        raise AidlabError(f"{target}: exists but is not an aidlab build folder (no {BUILD_RECORD}); "
                          "move it away or choose another --build-root")
    with pipeline.swapped_folder(target, allowed=_build_entry) as tmp:
        summary = pipeline.stream(corpus, tmp, csv_tables=TABLES, parquet_tables=TABLES, texts=True, workers=workers,
                                  dask=dask, progress=progress, tasks=tasks)
        record.update(corpus=str(corpus.resolve()), rows=summary.rows,
                      problems=[list(p) for p in summary.problems], seconds=round(summary.seconds, 1))
        (tmp / BUILD_RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                        encoding="utf-8")
    return target


def load_tables(tables_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of a build folder, read from its Parquet files: {"documents": …, "claims": …, …}."""
    folder = Path(tables_dir)
    missing = [t for t in TABLES if not (folder / f"{t}.parquet").exists()]
    if missing:
        raise AidlabError(f"{folder}: not a complete build folder (missing {', '.join(m + '.parquet' for m in missing)}); "
                          "run `aidlab build CORPUS`")
    return {t: pd.read_parquet(folder / f"{t}.parquet") for t in TABLES}
