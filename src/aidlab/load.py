"""Loading: a folder or list of files → a documents DataFrame, one row per document.

Each file's bytes are checked against the corpus manifest (when the folder has one), decoded with a
detected encoding, and kept with their checksum. A file that cannot be read as text is either an
error naming it (`on_error="raise"`) or a row flagged unusable with the problem spelled out
(`on_error="flag"`); it is never skipped silently.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Literal

import pandas as pd
from charset_normalizer import from_bytes

from .errors import LoadError, LoadWarning
from .manifest import MANIFEST_NAME, check_listed_files_exist, read_manifest, verify_file
from .script import detect_script

#: File name patterns read from a folder.
DOCUMENT_SUFFIXES = (".txt", ".html", ".htm")
#: Encodings the detector may choose when the bytes are not UTF-8 (Chinese news pages in practice).
CANDIDATE_ENCODINGS = ["gb18030", "big5", "utf_16_le", "utf_16_be"]
#: More than this share of control characters (other than tab/newline/CR/form feed) means binary.
MAX_CONTROL_SHARE = 0.01

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


@dataclass(frozen=True)
class Document:
    """One loaded file. `text` is the decoded raw page; all offsets downstream index into it."""

    doc_id: str
    path: str
    bytes: int
    sha256: str
    encoding: str | None
    bom: bool
    script: str | None
    checksum: str  # ok | unlisted | no-manifest
    usable: bool
    problem: str | None
    text: str | None


#: Data dictionary of the documents table `read_documents` returns.
DOCUMENT_COLUMNS: dict[str, str] = {
    "doc_id": "Document id: the file name without its suffix.",
    "path": "Path of the file as it was read.",
    "bytes": "Size of the file in bytes.",
    "sha256": "SHA-256 of the file's bytes.",
    "encoding": "Detected text encoding (utf-8, utf-8-sig, gb18030, big5, utf-16-le/be, …); empty when undecodable.",
    "bom": "True when the file starts with a byte-order mark (which is not part of the text).",
    "script": "Chinese script of the whole page: simplified, traditional, mixed or undetermined (see aidlab.script.SCRIPTS).",
    "checksum": "ok = matches the manifest; unlisted = folder has a manifest that does not list the file; no-manifest = folder has none.",
    "usable": "False when the file could not be read as text; `problem` says why.",
    "problem": "Why the document is unusable (empty file, binary content, undecodable bytes, unreadable); empty when usable.",
    "text": "The decoded raw page text, unmodified; character offsets of every later step index into it.",
}


def _problem(doc_id: str, path: Path, size: int, sha: str, message: str, encoding: str | None = None) -> Document:
    return Document(doc_id, str(path), size, sha, encoding, False, None, "unchecked", False, message, None)


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > MAX_CONTROL_SHARE * max(len(text), 1)


def decode_bytes(data: bytes) -> tuple[str, str, bool]:
    """Decode a page's bytes: (text, encoding, had_bom). Raises LoadError (without a path) when impossible.

    Order: byte-order mark; strict UTF-8; otherwise charset-normalizer choosing among
    CANDIDATE_ENCODINGS, accepted only when the bytes decode strictly in its choice.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc.replace("-sig", "")), enc, True
            except UnicodeDecodeError as exc:
                raise LoadError(f"starts with a {enc} byte-order mark but does not decode as {enc} ({exc.reason} at byte {exc.start})") from exc
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise LoadError("bytes are not UTF-8 and match none of " + ", ".join(CANDIDATE_ENCODINGS))
    enc = codecs.lookup(best.encoding).name
    try:
        return data.decode(enc), enc, False
    except UnicodeDecodeError as exc:  # pragma: no cover - charset-normalizer already decoded it
        raise LoadError(f"undecodable as {enc} ({exc.reason} at byte {exc.start})") from exc


def read_document(path: str | Path, manifest: pd.DataFrame | None = None) -> Document:
    """Read one file into a Document; unreadable text gives a Document with usable=False and the problem.

    A checksum mismatch against the manifest is never flagged: it raises SeedIntegrityError.
    """
    path = Path(path)
    doc_id = path.stem
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _problem(doc_id, path, 0, "", f"cannot be read: {exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    checksum = "no-manifest" if manifest is None else verify_file(path, manifest)
    if not data.strip():
        return _problem(doc_id, path, len(data), sha, "empty file (no text at all)" if not data else "file holds only white space")
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and data.count(b"\x00") < len(data) // 4:
        return _problem(doc_id, path, len(data), sha, "binary file (contains NUL bytes), not a text page")
    try:
        text, encoding, bom = decode_bytes(data)
    except LoadError as exc:
        return _problem(doc_id, path, len(data), sha, str(exc))
    if _looks_binary(text):
        return _problem(doc_id, path, len(data), sha, f"binary content (control characters) after decoding as {encoding}", encoding)
    if not text.strip():
        return _problem(doc_id, path, len(data), sha, "file holds only white space", encoding)
    return Document(doc_id, str(path), len(data), sha, encoding, bom, detect_script(text), checksum, True, None, text)


def _expand(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[tuple[Path, Path | None]]:
    """Expand folders into their document files: [(file, folder it came from or None)]."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[tuple[Path, Path | None]] = []
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES)
            out.extend((f, p) for f in files)
        elif p.exists():
            out.append((p, None))
        else:
            raise LoadError(f"{p}: no such file or folder")
    return out


def read_documents(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    on_error: Literal["raise", "flag"] = "flag",
) -> pd.DataFrame:
    """Read files and folders into a documents DataFrame (columns: DOCUMENT_COLUMNS), one row per file.

    Folders contribute their .txt/.html files, checked against the folder's manifest.csv when present.
    Unreadable files raise LoadError (on_error="raise") or become rows with usable=False and a
    LoadWarning naming the file (on_error="flag"). Duplicate document ids are an error.
    """
    manifests: dict[Path, pd.DataFrame | None] = {}
    docs: list[Document] = []
    for path, folder in _expand(paths):
        owner = folder if folder is not None else path.parent
        if owner not in manifests:
            manifests[owner] = read_manifest(owner)
            if manifests[owner] is not None and folder is not None:
                check_listed_files_exist(owner, manifests[owner])
        doc = read_document(path, manifests[owner])
        if not doc.usable:
            message = f"{doc.path}: {doc.problem}"
            if on_error == "raise":
                raise LoadError(message)
            warnings.warn(message, LoadWarning, stacklevel=2)
        docs.append(doc)
    ids = pd.Series([d.doc_id for d in docs], dtype=object)
    if ids.duplicated().any():
        dupes = sorted(set(ids[ids.duplicated()]))
        raise LoadError("duplicate document id(s) (same file stem in two places): " + ", ".join(dupes))
    frame = pd.DataFrame([asdict(d) for d in docs], columns=list(DOCUMENT_COLUMNS))
    return frame.astype({"bytes": "int64", "bom": "bool", "usable": "bool"})
