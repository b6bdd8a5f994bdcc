"""Loading: a folder or list of files → a documents DataFrame, one row per document.

Each file's bytes are checked against the corpus manifest (when the folder has one), decoded with a
detected encoding, and kept with their checksum. A file that cannot be read as text is either an
error naming it (`on_error="raise"`) or a row flagged unusable with the problem spelled out
(`on_error="flag"`); it is never skipped silently.
"""
from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import re
import stat
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
from charset_normalizer import from_bytes

from ..errors import LoadError, LoadWarning
from ..fields import table_columns
from ..text.script import detect_script, to_simplified
from .manifest import DOCUMENT_SUFFIXES as _SUFFIXES
from .manifest import (
    check_listed_files_exist,
    page_outside_folder,
    read_manifest,
    sha256_file,
    verify_file,
)

#: File name suffixes read from a folder (.txt, .html, .htm).
DOCUMENT_SUFFIXES = _SUFFIXES
#: Encodings tried when the bytes are neither marked by a BOM, nor UTF-16 by their byte pattern, nor UTF-8.
CANDIDATE_ENCODINGS = ["gb18030", "big5"]
#: More than this share of control characters (other than tab/newline/CR/form feed) means binary.
MAX_CONTROL_SHARE = 0.01
#: Default size limit of one page (bytes; `--max-bytes`): a larger page is refused as unusable
#: instead of tying up the run. News pages are 5–500 kB; 20 MB leaves room for huge scraped pages.
MAX_PAGE_BYTES = 20_000_000
#: A decoding whose characters are less than this share "expected" (see `text_plausibility`) is rejected.
MIN_PLAUSIBILITY = 0.8
#: A guessed GB18030/Big5 reading with at least MIN_EVIDENCE_CHARS ideographs, fewer than this share of
#: them common (see `text_commonness`), is rejected; real text scores ≥ 0.8, a wrong code page ~0.3–0.6.
MIN_COMMONNESS = 0.4
#: A BOM-less UTF-16 reading must score (plausibility × commonness) at least this much.
MIN_UTF16_SCORE = 0.5
#: Below this encoding confidence a usable page is flagged (`encoding_flag` = "low-confidence").
LOW_CONFIDENCE = 0.8
#: Non-ASCII characters needed for full confidence in a guessed (non-UTF-8, BOM-less) encoding.
MIN_EVIDENCE_CHARS = 8

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
    encoding_confidence: float
    encoding_flag: str
    bom: bool
    script: str | None
    checksum: str  # ok | unlisted | no-manifest | unchecked
    usable: bool
    problem: str | None
    text: str | None


#: Data dictionary of the documents table `read_documents` returns.
DOCUMENT_COLUMNS: dict[str, str] = table_columns([
    "doc_id", "path", "bytes", "sha256", "encoding", "encoding_confidence", "encoding_flag", "bom", "script",
    "checksum", "usable", "problem", "text"
])


def _problem(doc_id: str, path: Path, size: int, sha: str, message: str, encoding: str | None = None) -> Document:
    return Document(doc_id, str(path), size, sha, encoding, float("nan"), "", False, None, "unchecked", False, message, None)


#: A control character other than tab, newline, CR and form feed (counted by regex: a Python loop over
#: every character of the page cost as much as decoding it).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = len(_CONTROL.findall(text))
    return controls > MAX_CONTROL_SHARE * max(len(text), 1)


# Characters a Chinese news page is made of: ASCII, Latin, Greek, Cyrillic, general punctuation and
# symbols, CJK punctuation, kana, bopomofo, CJK compatibility, the CJK unified ideographs, compatibility
# ideographs and forms, full-width forms. Everything else (Hangul, Yi, private use, surrogates,
# unassigned code points, rare ideograph extensions, other scripts) is what a wrong decoding produces.
_EXPECTED = re.compile("[\t\n\r\f\x20-\x7e\xa0-\u024f\u0370-\u04ff\u2000-\u2bff\u3000-\u33ff"
                       "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_UNEXPECTED = re.compile("[^\t\n\r\f\x20-\x7e\xa0-\u024f\u0370-\u04ff\u2000-\u2bff\u3000-\u33ff"
                         "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_CJK = re.compile("[\u4e00-\u9fff]")
_SAMPLE = 200_000  # characters scored (a page's first 200 000 characters say enough)


def text_plausibility(text: str) -> float:
    """Share of characters that belong in a Chinese news page (1.0 = all; see _EXPECTED); private-use,
    surrogate and unassigned code points count three times."""
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    odd = len(_UNEXPECTED.findall(sample))
    # private-use, surrogate and unassigned code points are what only a wrong decoding gives: they weigh 3×
    odd += 2 * sum(sample.count(ch) for ch in set(sample)
                   if ord(ch) > 0x7e and unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    return max(0.0, 1.0 - odd / len(sample))


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """GB2312 level 1: the 3 755 most frequent Simplified characters (bytes B0A1–D7F9)."""
    chars = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([lead, trail]).decode("gb2312"))
    return frozenset(chars)


def text_commonness(text: str) -> float | None:
    """Share of the CJK ideographs that are common characters (GB2312 level 1 after Traditional → Simplified);
    None when there are none. Real text of either script scores ≥ 0.8; a wrong GB18030/Big5 reading ~0.3–0.6."""
    ideographs = "".join(_CJK.findall(text[:_SAMPLE]))[:20_000]
    if not ideographs:
        return None
    common = _common_chars()
    simplified = to_simplified(ideographs)
    return sum(ch in common for ch in simplified) / len(simplified)


def _score(text: str) -> float:
    """Plausibility × commonness of a decoding (commonness counts only when there are ideographs)."""
    plausible = text_plausibility(text)
    common = text_commonness(text)
    return plausible * (1.0 if common is None else common)


def _evidence(text: str) -> float:
    """1.0 with at least MIN_EVIDENCE_CHARS non-ASCII characters; less with fewer (a guess from 2 characters is weak)."""
    n = sum(1 for ch in text[:_SAMPLE] if ord(ch) > 0x7f)
    return min(1.0, n / MIN_EVIDENCE_CHARS)


# High bytes (the byte that carries the upper 8 bits) of characters a Chinese page holds in UTF-16:
# 00 (ASCII, Latin-1), 20–21 (punctuation, letterlike), 22–27 (symbols), 30 (CJK punctuation),
# 4E–9F (CJK ideographs), FF (full-width forms).
_UTF16_HIGH = bytes([0x00, *range(0x20, 0x28), 0x30, *range(0x4E, 0xA0), 0xFF])
#: Share of high bytes that must fit the UTF-16 pattern before a BOM-less UTF-16 reading is tried.
UTF16_PATTERN_SHARE = 0.9


def utf16_pattern(data: bytes) -> tuple[str, float] | None:
    """('utf-16-le' | 'utf-16-be', share) when the bytes have UTF-16's pattern, else None.

    In UTF-16 text of a Chinese page every other byte is a "high byte" from a narrow set (NUL for
    ASCII, 4E–9F for ideographs, 30 or FF for punctuation), and NUL rarely sits in the other position.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    best = None
    for enc, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if low.count(0) > 0.1 * len(low):  # NUL is a low byte only of U+XX00 (一 = 4E00), never often
            continue
        share = 1.0 - len(high.translate(None, _UTF16_HIGH)) / len(high)
        if share >= UTF16_PATTERN_SHARE and (best is None or share > best[1]):
            best = (enc, share)
    return best


@dataclass(frozen=True)
class Decoding:
    """A page's bytes decoded: the text, the encoding, whether a BOM was present, and how sure we are (0–1)."""

    text: str
    encoding: str
    bom: bool
    confidence: float


def _bom_decoding(data: bytes) -> Decoding | None:
    """The decoding a byte-order mark announces (confidence 1); None without one, LoadError when it lies."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return Decoding(data[len(bom):].decode(enc.replace("-sig", "")), enc, True, 1.0)
            except UnicodeDecodeError as exc:
                raise LoadError(f"starts with a {enc} byte-order mark but does not decode as {enc} ({exc.reason} at byte {exc.start})") from exc
    return None


def _utf16_decoding(data: bytes) -> Decoding | None:
    """BOM-less UTF-16 recognised by its byte pattern, when it decodes into plausible text; None otherwise."""
    pattern = utf16_pattern(data)
    if pattern is None:
        return None
    enc, share = pattern
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    if text_plausibility(text) >= MIN_PLAUSIBILITY and _score(text) >= MIN_UTF16_SCORE:
        return Decoding(text, enc, False, round(min(share, _score(text)), 3))
    return None


def _scored_decodings(data: bytes) -> list[tuple[float, int, str, str]]:
    """(score, -rank, encoding, text) of every candidate encoding that decodes the bytes plausibly.

    Candidates are ranked by charset-normalizer, then CANDIDATE_ENCODINGS in order; a decoding with
    less than MIN_PLAUSIBILITY expected characters, or many ideographs of which few are common, is left out.
    """
    ranked = [codecs.lookup(m.encoding).name for m in from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS)]
    order = list(dict.fromkeys(ranked + [codecs.lookup(e).name for e in CANDIDATE_ENCODINGS]))
    scored = []
    for rank, enc in enumerate(order):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if text_plausibility(text) < MIN_PLAUSIBILITY:
            continue
        common = text_commonness(text)
        if common is not None and common < MIN_COMMONNESS and len(_CJK.findall(text[:_SAMPLE])) >= MIN_EVIDENCE_CHARS:
            continue  # many ideographs, few of them common: the bytes were read in the wrong code page
        scored.append((_score(text), -rank, enc, text))
    return scored


def detect_encoding(data: bytes) -> Decoding:
    """Decode a page's bytes; raises LoadError (without a path) when no plausible decoding exists.

    Order: byte-order mark (confidence 1); BOM-less UTF-16 recognised by its byte pattern (only when
    the bytes hold NULs or are not UTF-8); strict UTF-8 (confidence 1); otherwise every encoding in
    CANDIDATE_ENCODINGS that decodes strictly, ranked by charset-normalizer and scored by
    plausibility × commonness: the best wins, ties go to charset-normalizer's choice. A decoding with
    less than MIN_PLAUSIBILITY expected characters is never accepted (no Hangul-and-private-use
    garbage passes as a page).
    """
    by_bom = _bom_decoding(data)
    if by_bom is not None:
        return by_bom
    try:
        utf8: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is None or "\x00" in utf8:
        utf16 = _utf16_decoding(data)
        if utf16 is not None:
            return utf16
    if utf8 is not None:
        return Decoding(utf8, "utf-8", False, 1.0)
    scored = _scored_decodings(data)
    if not scored:
        raise LoadError("bytes are not UTF-8, not UTF-16 and decode plausibly as none of " + ", ".join(CANDIDATE_ENCODINGS)
                        + " (a wrong decoding gives mostly unassigned, private-use or odd-script characters)")
    scored.sort(reverse=True)
    best = scored[0]
    if len(scored) > 1 and best[0] - scored[1][0] < 0.05:  # ties go to the detector's ranking
        best = max(scored, key=lambda s: (s[0] >= best[0] - 0.05, s[1]))
    confidence = best[0] * _evidence(best[3])
    if len(scored) > 1 and abs(scored[0][0] - scored[1][0]) < 0.1:
        confidence *= 0.5  # a rival decoding is about as plausible
    return Decoding(best[3], best[2], False, round(confidence, 3))


def decode_bytes(data: bytes) -> tuple[str, str, bool]:
    """Decode a page's bytes: (text, encoding, had_bom). Raises LoadError (without a path) when impossible.

    See `detect_encoding` (which also gives the confidence).
    """
    d = detect_encoding(data)
    return d.text, d.encoding, d.bom


def read_document(path: str | Path, manifest: pd.DataFrame | None = None, max_bytes: int = MAX_PAGE_BYTES,
                  folder: str | Path | None = None) -> Document:
    """Read one file into a Document; unreadable text gives a Document with usable=False and the problem.

    Refused as unusable (with the problem spelled out): a page that resolves outside `folder` (its
    corpus folder, by default the folder it sits in: a symbolic link out of the corpus), a page over
    `max_bytes` bytes, an empty, binary or undecodable page. A checksum mismatch against the manifest
    is never flagged: it raises SeedIntegrityError.
    """
    path = Path(path)
    doc_id = path.stem
    outside = page_outside_folder(path, folder if folder is not None else path.absolute().parent)
    if outside is not None:
        return _problem(doc_id, path, 0, "", f"resolves outside its corpus folder (to {outside}); "
                                             "pages must be files inside the folder, not links out of it")
    try:
        info = path.stat()
    except OSError as exc:
        return _problem(doc_id, path, 0, "", f"cannot be read: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return _problem(doc_id, path, 0, "", "not a regular file (a FIFO, device or socket), not a text page")
    size = info.st_size
    if size > max_bytes:
        return _problem(doc_id, path, size, sha256_file(path),
                        f"page is {size:,} bytes, over the size limit of {max_bytes:,} bytes (--max-bytes)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _problem(doc_id, path, 0, "", f"cannot be read: {exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    checksum = "no-manifest" if manifest is None else verify_file(path, manifest, sha)
    if not data.strip():
        return _problem(doc_id, path, len(data), sha, "empty file (no text at all)" if not data else "file holds only white space")
    try:
        decoded = detect_encoding(data)
    except LoadError as exc:
        if b"\x00" in data:
            return _problem(doc_id, path, len(data), sha, "binary file (contains NUL bytes, and not UTF-16 text), not a text page")
        return _problem(doc_id, path, len(data), sha, str(exc))
    text, encoding = decoded.text, decoded.encoding
    if _looks_binary(text):
        if b"\x00" in data and not decoded.bom and not encoding.startswith("utf-16"):
            return _problem(doc_id, path, len(data), sha, "binary file (contains NUL bytes), not a text page")
        return _problem(doc_id, path, len(data), sha, f"binary content (control characters) after decoding as {encoding}", encoding)
    if not text.strip():
        return _problem(doc_id, path, len(data), sha, "file holds only white space", encoding)
    flag = "low-confidence" if decoded.confidence < LOW_CONFIDENCE else ""
    return Document(doc_id, str(path), len(data), sha, encoding, decoded.confidence, flag, decoded.bom,
                    detect_script(text), checksum, True, None, text)


def _expand(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[tuple[Path, Path | None]]:
    """Expand folders into their document files: [(file, folder it came from or None)]."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[tuple[Path, Path | None]] = []
    for p in map(Path, paths):
        if p.is_dir():
            # every entry with a page suffix that is not a folder: links out of the folder, FIFOs and
            # devices become problem rows, never silently skipped (nor read, which could block)
            files = sorted(f for f in p.iterdir() if f.suffix.lower() in DOCUMENT_SUFFIXES and not f.is_dir())
            out.extend((f, p) for f in files)
        elif p.exists() or p.is_symlink():
            out.append((p, None))
        else:
            raise LoadError(f"{p}: no such file or folder")
    return out


def read_documents(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    on_error: Literal["raise", "flag"] = "flag",
    max_bytes: int = MAX_PAGE_BYTES,
) -> pd.DataFrame:
    """Read files and folders into a documents DataFrame (columns: DOCUMENT_COLUMNS), one row per file.

    Folders contribute their .txt/.html files, checked against the folder's manifest.csv when present.
    Unreadable files raise LoadError (on_error="raise") or become rows with usable=False and a
    LoadWarning naming the file (on_error="flag"). Duplicate document ids are an error. A page over
    `max_bytes` bytes, or resolving outside its corpus folder, is unusable (see `read_document`).
    """
    manifests: dict[Path, pd.DataFrame | None] = {}
    docs: list[Document] = []
    for path, folder in _expand(paths):
        owner = folder if folder is not None else path.parent
        if owner not in manifests:
            manifests[owner] = read_manifest(owner)
            if manifests[owner] is not None and folder is not None:
                check_listed_files_exist(owner, manifests[owner])
        doc = read_document(path, manifests[owner], max_bytes=max_bytes, folder=owner)
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
    return frame.astype({"bytes": "int64", "encoding_confidence": "float64", "bom": "bool", "usable": "bool"})
