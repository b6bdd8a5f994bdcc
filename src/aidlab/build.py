"""SHIM — stands in for the `scale` branch's build module until it is merged; take scale's version on merge.

Same interface as agreed (CONTRACT.md): ``build_corpus(corpus_dir, build_root="build", *, workers=1,
dask=None, force=False) -> Path`` writes ``<build_root>/<corpus folder name>/<table>.parquet`` and
``<table>.csv`` (+ data dictionaries) and ``clean/<doc_id>.txt``, skipping the work when the input hash
(pages, manifest, package version) matches; ``load_tables(tables_dir)`` reads the tables back.
"""
from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

from . import pipeline
from .io import write_text
from .tables import write_table

_HASH_FILE = "input.sha256"


def _input_hash(corpus: Path) -> str:
    h = hashlib.sha256()
    try:
        h.update(version("aidlab").encode())
    except PackageNotFoundError:  # pragma: no cover - not installed
        h.update(b"dev")
    for p in sorted(corpus.iterdir()):
        if p.is_file():
            h.update(p.name.encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def build_corpus(corpus_dir: str | Path, build_root: str | Path = "build", *, workers: int = 1,
                 dask: Any = None, force: bool = False) -> Path:
    corpus = Path(corpus_dir).resolve()
    out = Path(build_root) / corpus.name
    digest = _input_hash(corpus)
    stamp = out / _HASH_FILE
    if not force and stamp.exists() and stamp.read_text().strip() == digest:
        return out
    tables = pipeline.build(corpus, workers=workers)
    for name, columns in pipeline.TABLE_DICTIONARIES.items():
        df = getattr(tables, name)
        write_table(df, out / f"{name}.csv", columns)
        write_table(df, out / f"{name}.parquet", columns, dictionary=False)
    for doc_id, doc in tables.docs.items():
        write_text(out / "clean" / f"{doc_id}.txt", doc.text.text + "\n")
    write_text(stamp, digest + "\n")
    return out


def load_tables(tables_dir: str | Path) -> dict[str, pd.DataFrame]:
    folder = Path(tables_dir)
    return {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
