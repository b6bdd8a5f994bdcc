"""The aidlab command line: each step on real files, and clear failures on bad input."""
from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd

from aidlab.pipeline import CLAIMS_COLUMNS as CLAIM_COLUMNS  # extracted figures + their attribution

REQUIRED = ["doc_id", "claim_id", "text", "value", "low", "high", "unit", "qualifier", "metric", "subject", "scope",
            "damaged", "sentence", "clean_start", "clean_end", "raw_start", "raw_end"]


def aidlab(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "aidlab.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_claims_to_stdout_has_the_required_columns(seeds_dir):
    proc = aidlab("claims", seeds_dir / "003_7b7f6889dcab4358.txt", "--out", "-")
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(io.StringIO(proc.stdout), dtype={"number": str})
    assert set(REQUIRED) <= set(df.columns) and list(df.columns) == list(CLAIM_COLUMNS)
    assert (df["doc_id"] == "003_7b7f6889dcab4358").all()
    assert "315名" in set(df["text"]) and "1/1 page(s)" in proc.stderr


def test_clean_writes_tables_dictionaries_and_texts(seeds_dir, tmp_path):
    out = tmp_path / "out"
    proc = aidlab("clean", seeds_dir, "--out", out)
    assert proc.returncode == 0, proc.stderr
    for name in ("documents", "segments", "spans"):
        table = pd.read_csv(out / f"{name}.csv")
        dictionary = pd.read_csv(out / f"{name}.dictionary.csv")
        assert list(dictionary["column"]) == list(table.columns)
    texts = sorted(p.name for p in (out / "clean").iterdir())
    assert len(texts) == 5
    assert "3373张" not in (out / "clean" / "001_9134c7ceacedcb77.txt").read_text(encoding="utf-8")


def test_reconcile_writes_checks(seeds_dir, tmp_path):
    proc = aidlab("reconcile", seeds_dir, "--out", tmp_path / "checks.csv")
    assert proc.returncode == 0, proc.stderr
    checks = pd.read_csv(tmp_path / "checks.csv")
    assert {"grim", "parts_total", "change"} <= set(checks["kind"])
    assert "verdicts:" in proc.stderr


def test_bad_files_are_named_and_exit_nonzero(corpus_copy, tmp_path):
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "blob.txt").write_bytes(bytes(range(256)) * 4)
    proc = aidlab("claims", corpus_copy, "--out", tmp_path / "c.csv")
    assert proc.returncode == 3
    assert "empty.txt: empty file" in proc.stderr and "blob.txt: binary" in proc.stderr
    assert len(pd.read_csv(tmp_path / "c.csv")) > 100  # the good documents still went through


def test_altered_seed_stops_with_its_name(corpus_copy, tmp_path):
    path = corpus_copy / "004_53f25166de287fa3.txt"
    path.write_bytes(path.read_bytes().replace("130多名".encode(), "150多名".encode()))
    proc = aidlab("claims", corpus_copy, "--out", tmp_path / "c.csv")
    assert proc.returncode == 2
    assert "004_53f25166de287fa3.txt" in proc.stderr and "must not be edited" in proc.stderr
    assert not (tmp_path / "c.csv").exists()
