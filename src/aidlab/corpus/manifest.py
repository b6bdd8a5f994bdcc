"""The seed manifest: one row per source file with its checksum and the fields a researcher curates.

Seeds are evidence. The manifest records each file's SHA-256 and size when it enters the corpus;
loading recomputes both and refuses a file that changed. Curated fields (outlet, date, URL, who
aids whom) are filled in by hand and win over what cleaning reads off the page.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import warnings
from pathlib import Path

import pandas as pd

from ..errors import LoadWarning, ManifestError, SeedIntegrityError
from ..fields import table_columns
from ..io import MANIFEST_NAME, atomic_path

#: File name suffixes of pages a corpus folder may hold (read by loading, listed by `aidlab manifest`).
DOCUMENT_SUFFIXES = (".txt", ".html", ".htm")

#: Columns of the manifest, in order, with their meaning (also the manifest's data dictionary).
MANIFEST_COLUMNS: dict[str, str] = table_columns([
    "file", "sha256", "bytes", "outlet", "published", "url", "aiding_party", "aiding_party_en", "recipient_region",
    "recipient_region_en", "programme", "notes"
])
CURATED_COLUMNS = [c for c in MANIFEST_COLUMNS if c not in ("file", "sha256", "bytes")]

#: Programme types a manifest row may name, with English and Chinese labels.
PROGRAMMES: dict[str, tuple[str, str]] = {
    "xinjiang": ("Medical aid to Xinjiang", "医疗援疆"),
    "tibet": ("Medical aid to Tibet", "医疗援藏"),
    "downward": ("Resources sent down to primary care", "医疗资源下沉"),
    "national": ("National counterpart support", "全国对口支援"),
    "other": ("Other", "其他"),
}


def sha256_file(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


_HEX64 = re.compile(r"[0-9a-f]{64}")


def _check_file_field(folder: Path, name: str) -> str | None:
    """Why a manifest's `file` entry is not a plain file name inside the folder (None when it is)."""
    if not name:
        return "empty file name"
    if "/" in name or "\\" in name or os.sep in name or (os.altsep and os.altsep in name):
        return f"file {name!r} contains a path separator (only plain file names inside the folder are allowed)"
    if name in (".", "..") or Path(name).is_absolute():
        return f"file {name!r} is not a file name inside the folder"
    inside = os.path.realpath(folder)
    resolved = os.path.realpath(folder / name)
    if os.path.commonpath([inside, resolved]) != inside:
        return f"file {name!r} resolves outside the folder (to {resolved})"
    return None


def _manifest_text(path: Path) -> str:
    """The manifest's text (UTF-8, BOM allowed); ManifestError when it cannot be read or decoded."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise ManifestError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def _manifest_records(path: Path, text: str) -> tuple[list[str] | None, list[list[str]], list[int]]:
    """(header, data rows, their line numbers) of a manifest read with csv strict=True, blank lines skipped.

    ManifestError when a field holds a line break, a row has not the header's number of fields or
    the CSV is malformed.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    first_line = 1
    try:
        for record in reader:
            line = first_line
            first_line = reader.line_num + 1
            if not record or record == [""]:
                continue  # blank line
            if header is None:
                header = [h.strip() for h in record]
                continue
            for value in record:
                if "\n" in value or "\r" in value:
                    raise ManifestError(f"{path}, line {line}: a field holds a line break (an unclosed quote?): {value[:40]!r}")
            if len(record) != len(header):
                raise ManifestError(f"{path}, line {line}: {len(record)} field(s) where the header has {len(header)}")
            rows.append(record)
            lines.append(line)
    except csv.Error as exc:
        raise ManifestError(f"{path}, line {first_line}: malformed CSV ({exc})") from exc
    return header, rows, lines


def _check_header(path: Path, header: list[str] | None) -> list[str]:
    """The header, once it is known to exist, to hold file/sha256/bytes and to name no column twice."""
    if header is None:
        raise ManifestError(f"{path}: empty (no header row)")
    missing = [c for c in ("file", "sha256", "bytes") if c not in header]
    if missing:
        raise ManifestError(f"{path}: missing required column(s) {', '.join(missing)}")
    if len(set(header)) != len(header):
        raise ManifestError(f"{path}, line 1: a column name appears twice")
    return header


def _check_rows(path: Path, folder: Path, df: pd.DataFrame, lines: list[int]) -> None:
    """ManifestError for the first row whose file, sha256 or bytes is malformed, or whose file is listed twice."""
    seen: dict[str, int] = {}
    for line, name, sha, size in zip(lines, df["file"], df["sha256"], df["bytes"]):
        problem = _check_file_field(folder, name)
        if problem:
            raise ManifestError(f"{path}, line {line}: {problem}")
        if not _HEX64.fullmatch(sha.strip().lower()):
            raise ManifestError(f"{path}, line {line}: sha256 {sha[:70]!r} of {name} is not 64 hexadecimal digits")
        if not size.strip().isdigit():
            raise ManifestError(f"{path}, line {line}: bytes {size[:30]!r} of {name} is not a whole number")
        if name in seen:
            raise ManifestError(f"{path}, line {line}: file(s) listed twice: {name} (first on line {seen[name]})")
        seen[name] = line


def read_manifest(folder: str | Path) -> pd.DataFrame | None:
    """Read `folder/manifest.csv` strictly (all columns as strings, blanks as ""); None when there is none.

    Strict means: the csv module with strict=True; every row has exactly the header's number of
    fields; no field holds a line break (an unclosed quote would otherwise swallow the next rows);
    `sha256` is 64 hexadecimal digits, `bytes` a whole number, `file` a plain file name that stays
    inside the folder. Anything else raises ManifestError naming the manifest and the line.
    """
    folder = Path(folder)
    path = folder / MANIFEST_NAME
    if not path.exists():
        return None
    header, rows, lines = _manifest_records(path, _manifest_text(path))
    header = _check_header(path, header)
    df = pd.DataFrame(rows, columns=header, dtype=str)
    _check_rows(path, folder, df, lines)
    for col in MANIFEST_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    return df[list(MANIFEST_COLUMNS) + [c for c in df.columns if c not in MANIFEST_COLUMNS]]


def require_manifest(folder: str | Path) -> pd.DataFrame:
    """The folder's manifest, read strictly; ManifestError telling how to create it when there is none."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ManifestError(f"{folder}: no such corpus folder")
    manifest = read_manifest(folder)
    if manifest is None:
        raise ManifestError(f"{folder}: no {MANIFEST_NAME}; run `aidlab manifest {folder}` first to record the "
                            "pages' checksums (and fill in the curated columns)")
    return manifest


def page_outside_folder(path: str | Path, folder: str | Path) -> str | None:
    """Where a page (file or symbolic link) really lives when that is outside its corpus folder, else None."""
    inside = os.path.realpath(folder)
    resolved = os.path.realpath(path)
    if os.path.commonpath([inside, resolved]) != inside:
        return resolved
    return None


def verify_file(path: str | Path, manifest: pd.DataFrame, sha256: str | None = None) -> str:
    """Check one file against the manifest: 'ok' or 'unlisted'; raise SeedIntegrityError when it changed.

    `sha256`: the file's digest when the caller already computed it (saves reading the file twice).
    """
    path = Path(path)
    rows = manifest[manifest["file"] == path.name]
    if rows.empty:
        return "unlisted"
    row = rows.iloc[0]
    actual = sha256 or sha256_file(path)
    if actual != row["sha256"].strip().lower():
        size = path.stat().st_size
        raise SeedIntegrityError(
            f"{path}: content differs from the manifest (sha256 {actual[:12]}… instead of "
            f"{row['sha256'][:12]}…, {size} bytes instead of {row['bytes']}). Seeds are evidence and "
            "must not be edited: restore the original file, or add the new version under a new name."
        )
    return "ok"


def check_listed_files_exist(folder: str | Path, manifest: pd.DataFrame) -> None:
    """Raise ManifestError naming every file the manifest lists that is missing from the folder."""
    folder = Path(folder)
    missing = [f for f in manifest["file"] if not (folder / f).exists()]
    if missing:
        raise ManifestError(f"{folder / MANIFEST_NAME}: listed file(s) missing from the folder: {', '.join(missing)}")


def update_manifest(folder: str | Path, suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES) -> pd.DataFrame:
    """Add rows (checksum, size, blank curated fields) for pages not yet listed; never change a listed row.

    Pages are the folder's files with one of `suffixes` (.txt, .html, .htm). Refuses (SeedIntegrityError)
    when a listed file changed, so a checksum can never be silently refreshed, and (ManifestError) when
    the existing manifest cannot be read cleanly, so a damaged manifest is never rewritten. A page that
    resolves outside the folder (a symbolic link out of it) is not listed: a LoadWarning names it.
    The returned frame's `attrs` hold "added" and "refused" (file names).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ManifestError(f"{folder}: no such corpus folder")
    manifest = read_manifest(folder)
    if manifest is None:
        manifest = pd.DataFrame({c: pd.Series(dtype=str) for c in MANIFEST_COLUMNS})
    else:
        check_listed_files_exist(folder, manifest)
    new_rows, refused = [], []
    pages = sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes and not p.is_dir())
    for path in pages:
        outside = page_outside_folder(path, folder)
        if outside is not None or not path.is_file():
            if outside:
                where = f"resolves outside the corpus folder (to {outside})"
            elif path.is_symlink() and not path.exists():
                where = "is a broken link"
            else:
                where = "is not a regular file (a FIFO, device or socket)"
            warnings.warn(f"{path}: {where}; not listed", LoadWarning, stacklevel=2)
            refused.append(path.name)
            continue
        if verify_file(path, manifest) == "unlisted":
            row = {c: "" for c in MANIFEST_COLUMNS}
            row.update(file=path.name, sha256=sha256_file(path), bytes=str(path.stat().st_size))
            new_rows.append(row)
    if new_rows:
        manifest = pd.concat([manifest, pd.DataFrame(new_rows)], ignore_index=True)
        manifest = manifest.sort_values("file", kind="stable").reset_index(drop=True)
        with atomic_path(folder / MANIFEST_NAME) as tmp:
            manifest.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    manifest.attrs["added"] = [r["file"] for r in new_rows]
    manifest.attrs["refused"] = refused
    return manifest
