"""The seed manifest: one row per source file with its checksum and the fields a researcher curates.

Seeds are evidence. The manifest records each file's SHA-256 and size when it enters the corpus;
loading recomputes both and refuses a file that changed. Curated fields (outlet, date, URL, who
aids whom) are filled in by hand and win over what cleaning reads off the page.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from .errors import ManifestError, SeedIntegrityError
from .io import atomic_path

MANIFEST_NAME = "manifest.csv"

#: Columns of the manifest, in order, with their meaning (also the manifest's data dictionary).
MANIFEST_COLUMNS: dict[str, str] = {
    "file": "File name inside the corpus folder (the document id is its stem).",
    "sha256": "SHA-256 of the file's bytes when it entered the corpus; loading refuses a file that no longer matches.",
    "bytes": "Size of the file in bytes when it entered the corpus.",
    "outlet": "Curated: the news outlet that published the article (overrides what cleaning reads). Blank = not curated.",
    "published": "Curated: publication date, ISO YYYY-MM-DD (overrides the page's dateline). Blank = not curated.",
    "url": "Curated: where the page was scraped from, when known.",
    "aiding_party": "Curated: who gives the aid (province, city or institution), Chinese name.",
    "aiding_party_en": "Curated: English name of the aiding party.",
    "recipient_region": "Curated: the region that receives the aid, Chinese name.",
    "recipient_region_en": "Curated: English name of the recipient region.",
    "programme": "Curated: programme type, one of the keys of aidlab.manifest.PROGRAMMES.",
    "notes": "Curated: free-text remarks of the researcher.",
}
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


def read_manifest(folder: str | Path) -> pd.DataFrame | None:
    """Read `folder/manifest.csv` (all columns as strings, blanks as ""); None when there is none."""
    path = Path(folder) / MANIFEST_NAME
    if not path.exists():
        return None
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except Exception as exc:  # pandas raises several types for malformed CSV
        raise ManifestError(f"{path}: cannot be read as CSV ({exc})") from exc
    missing = [c for c in ("file", "sha256", "bytes") if c not in df.columns]
    if missing:
        raise ManifestError(f"{path}: missing required column(s) {', '.join(missing)}")
    for col in MANIFEST_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    dupes = df["file"][df["file"].duplicated()].tolist()
    if dupes:
        raise ManifestError(f"{path}: file(s) listed twice: {', '.join(dupes)}")
    return df[list(MANIFEST_COLUMNS) + [c for c in df.columns if c not in MANIFEST_COLUMNS]]


def verify_file(path: str | Path, manifest: pd.DataFrame) -> str:
    """Check one file against the manifest: 'ok' or 'unlisted'; raise SeedIntegrityError when it changed."""
    path = Path(path)
    rows = manifest[manifest["file"] == path.name]
    if rows.empty:
        return "unlisted"
    row = rows.iloc[0]
    actual = sha256_file(path)
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


def update_manifest(folder: str | Path, pattern: str = "*.txt") -> pd.DataFrame:
    """Add rows (checksum, size, blank curated fields) for files not yet listed; never change a listed row.

    Refuses (SeedIntegrityError) when a listed file changed, so a checksum can never be silently refreshed.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        manifest = pd.DataFrame({c: pd.Series(dtype=str) for c in MANIFEST_COLUMNS})
    else:
        check_listed_files_exist(folder, manifest)
    new_rows = []
    for path in sorted(folder.glob(pattern)):
        if path.name == MANIFEST_NAME:
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
    return manifest
