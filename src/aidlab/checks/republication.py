"""Republication groups: the same article on several pages (wire copy, mirrors, spam sites).

A press-agency paragraph reappears on portals, aggregators and spam mirrors, sometimes with spam
lines interleaved between its sentences, sometimes with a figure changed. Counting each copy as an
independent report would turn one source into many "confirmations", so pages that republish one
another are put in one **republication group** and the cross-document checks count a group once.

Method (two steps, both per page or sub-quadratic):

1. Per page, :func:`page_signature` reads the clean article text (headline + body, whitespace
   removed) as a set of overlapping character 5-grams (*shingles*, hashed with numpy) and keeps a
   128-value MinHash of that set (datasketch's permutation scheme ``affine32``, its arithmetic
   repeated in numpy) plus the set's size: 516 bytes a page.
2. Across pages, :func:`republication_groups` indexes every signature in a MinHash LSH Ensemble
   (the index for *containment* queries of Zhu et al., VLDB 2016, with datasketch's partitions and
   parameters, held in numpy arrays by :mod:`aidlab.checks.containment_index`: ≈ 3 KB a page) and queries each page
   against it. Containment |A ∩ B| / |A| of the smaller page's shingles in the larger one's is what
   finds an article inside a mirror that interleaves spam lines: the mirror's extra lines lower the
   Jaccard similarity of the two pages but not the share of the article's shingles found in the
   mirror. The LSH candidates are then verified *exactly* on the shingle sets of the two clean
   texts when the texts are given (few candidate pairs, so this is cheap), otherwise on the
   containment estimated from the two MinHashes and set sizes. Verified pairs are joined into groups
   (union-find); a group's id is the doc_id of its earliest-dated page (smallest doc_id when no page
   or several pages share the earliest date).

Threshold and its calibration: a pair is a republication when the smaller page's containment in
the larger is at least ``CONTAINMENT_THRESHOLD`` = 0.7 and the smaller page has at least
``MIN_SHINGLES`` = 40 shingles (a one-line page is contained in many pages by chance). On the
synthetic multi-page corpus of ``tests/fixtures/crossdoc_corpus`` (25 pages written to follow real
press-conference reports and their mirrors) the measured exact containments are: a wire copy under
other chrome and three spam-site copies 1.000, the mirror with four spam lines interleaved 0.975,
the mirror that changed one figure (and its dateline) 0.950; the 291 pairs of distinct reports, many
on the same programme and sharing its stock phrases (医疗人才“组团式”援藏, 累计选派…名医疗人才) but
not its sentences, 0.000–0.217 (``tests/test_crossdoc_corpus.py`` prints and asserts this
separation; MinHash estimates give the same groups). 0.7 sits in the wide gap, closer to the distinct reports' side so that a mirror that
rewrites or drops a third of the article is still caught. The LSH index is built for a lower
containment (``LSH_THRESHOLD`` = 0.5) so that MinHash estimation error does not lose a true pair
before exact verification.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from ..fields import table_columns
from .containment_index import ContainmentIndex

SHINGLE = 5
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
CONTAINMENT_THRESHOLD = 0.7
LSH_THRESHOLD = 0.5
MIN_SHINGLES = 40
NUM_PART = 8
#: LSH Ensemble factor (datasketch `m`, 2 … num_perm): the number of band widths r of each partition grows
#: with it, and the index with them. Calibrated: m = 2 finds all 1 000 planted copies among 5 000 pages
#: (benchmarks/bench_crossdoc.py) and every group of the synthetic corpora, like m = 4, with fewer bands a page.
ENSEMBLE_M = 2

_SPACE = re.compile(r"\s+")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

#: New column of the documents and claims tables.
REPUBLICATION_COLUMNS: dict[str, str] = table_columns([
    "republication_group"
])


def shingles(clean_text: str, k: int = SHINGLE) -> set[str]:
    """The set of overlapping character k-grams of a clean text, whitespace removed."""
    s = _SPACE.sub("", clean_text or "")
    if len(s) < k:
        return {s} if s else set()
    return {s[i:i + k] for i in range(len(s) - k + 1)}


def shingle_hashes(clean_text: str, k: int = SHINGLE) -> np.ndarray:
    """The distinct 32-bit hashes of the text's character k-grams (whitespace removed), computed with numpy.

    A polynomial hash of the k code points (mod 2^64, folded to 32 bits); datasketch's ``affine32`` scheme
    mixes it again (MurmurHash3 finalizer) before permuting. Collisions are negligible at page sizes.
    """
    s = _SPACE.sub("", clean_text or "")
    if not s:
        return np.zeros(0, dtype=np.uint32)
    c = np.frombuffer(s.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    n = max(1, len(c) - k + 1)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(min(k, len(c))):
            h = h * np.uint64(1_000_003) + c[j:j + n]
    return np.unique(((h ^ (h >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).astype(np.uint32))


def _minhash(hashes: np.ndarray):
    """datasketch's MinHash of the hashes: the reference `_minhash_values` reproduces (tests compare them)."""
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)
    m.update_batch(hashes.tolist())
    return m


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters (a, b) for NUM_PERM and SEED, drawn once: a MinHash
    draws them afresh from a seeded generator each time it is made, a third of a signature's cost."""
    from datasketch import MinHash

    a, b = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    return a.astype(np.uint32), b.astype(np.uint32)


#: Hashes permuted at a time: bounds the (hashes × NUM_PERM) block of a huge page to 4 MiB.
_BLOCK = 8192


def _minhash_values(hashes: np.ndarray) -> np.ndarray:
    """The 128 MinHash values datasketch's ``affine32`` MinHash gives the hashes, computed in numpy.

    The same arithmetic as datasketch 2's ``update_batch``: the MurmurHash3 32-bit finalizer, then
    a·h + b mod 2^32 per permutation, then the minimum per permutation (uint32 wraps like datasketch's).
    """
    a, b = _permutations()
    h = hashes.astype(np.uint32)
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    h = h ^ (h >> np.uint32(16))
    values = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    for i in range(0, len(h), _BLOCK):  # one row per permutation: the minimum runs along contiguous memory
        block = np.multiply(a[:, None], h[None, i:i + _BLOCK])
        block += b[:, None]
        np.minimum(values, block.min(axis=1), out=values)
    return values


def page_signature(clean_text: str) -> bytes:
    """A page's compact signature: uint32 little-endian [shingle count, 128 MinHash values] (516 bytes)."""
    hv = shingle_hashes(clean_text)
    values = _minhash_values(hv).astype("<u4") if hv.size else np.full(NUM_PERM, 0xFFFFFFFF, dtype="<u4")
    return np.concatenate([np.array([hv.size], dtype="<u4"), values]).tobytes()


def _values(signature: bytes | np.ndarray) -> np.ndarray:
    """[shingle count, 128 MinHash values] of a signature made by page_signature, as uint32."""
    arr = np.frombuffer(signature, dtype="<u4") if isinstance(signature, (bytes, bytearray, memoryview)) \
        else np.asarray(signature, dtype="<u4")
    if arr.size != NUM_PERM + 1:
        raise ValueError(f"a republication signature holds {NUM_PERM + 1} uint32 values, got {arr.size}")
    return arr


def _decode(signature: bytes | np.ndarray):
    """(LeanMinHash, shingle count) of a signature made by page_signature."""
    from datasketch import LeanMinHash

    arr = _values(signature)
    return LeanMinHash(seed=SEED, hashvalues=arr[1:].astype(np.uint32), scheme=SCHEME), int(arr[0])


def containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller set contained in the larger: |A ∩ B| / min(|A|, |B|) (0 when either is empty)."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def estimated_containment(sig_a: bytes, sig_b: bytes) -> float:
    """Containment of the smaller page in the larger, estimated from two signatures (Jaccard and set sizes)."""
    (ma, na), (mb, nb) = _decode(sig_a), _decode(sig_b)
    if not na or not nb:
        return 0.0
    j = ma.jaccard(mb)
    inter = j * (na + nb) / (1 + j)
    return min(1.0, inter / min(na, nb))


def _texts_getter(texts: Mapping[str, str] | Callable[[str], str] | None) -> Callable[[str], str] | None:
    if texts is None:
        return None
    if callable(texts) and not isinstance(texts, Mapping):
        return texts
    return lambda d: texts[d]


def _rounded(n: int) -> int:
    """A set size rounded to two significant digits: the ensemble's partitioning costs grow with the number
    of distinct sizes, and candidates are verified afterwards, so sizes within 5 % are as good."""
    if n < 100:
        return n
    p = 10 ** (len(str(n)) - 2)
    return max(1, round(n / p) * p)


def _index(signatures: Mapping[str, bytes]) -> tuple[ContainmentIndex | None, list[str]]:
    """(containment index of the pages with enough shingles, their doc_ids in order: page k of the index is
    doc_ids[k]); the index is None when fewer than two pages qualify."""
    ids, rows, sizes = [], [], []
    for d in sorted(signatures):
        arr = _values(signatures[d])
        if int(arr[0]) >= MIN_SHINGLES:
            ids.append(d)
            rows.append(arr[1:])
            sizes.append(_rounded(int(arr[0])))
    if len(ids) < 2:
        return None, ids
    index = ContainmentIndex(np.stack(rows), np.array(sizes), threshold=LSH_THRESHOLD,
                             num_part=min(NUM_PART, len(ids)), m=ENSEMBLE_M)
    return index, ids


def _candidates(signatures: Mapping[str, bytes]) -> Iterator[tuple[str, list[str]]]:
    """(doc_id, its candidate copies) for every page with enough shingles, in doc_id order.

    Candidates come from a MinHash LSH Ensemble over the signatures (aidlab.checks.containment_index): each page
    is indexed and queried once, so the work grows with the number of pages and of candidates, not with
    all pairs.
    """
    index, ids = _index(signatures)
    if index is None:
        return
    for k, d in enumerate(ids):
        yield d, [ids[j] for j in index.query(k)]


def _verifier(signatures: Mapping[str, bytes],
              texts: Mapping[str, str] | Callable[[str], str] | None) -> Callable[[str, str], float]:
    """containment(a, b): exact on the shingle sets of `texts` when given, else estimated from the signatures."""
    get_text = _texts_getter(texts)
    if get_text is None:
        return lambda a, b: estimated_containment(signatures[a], signatures[b])
    cache: dict[str, set[str]] = {}

    def shingle_set(d: str) -> set[str]:
        if d not in cache:
            cache[d] = shingles(get_text(d))
        return cache[d]

    return lambda a, b: containment(shingle_set(a), shingle_set(b))


def republication_pairs(signatures: Mapping[str, bytes],
                        texts: Mapping[str, str] | Callable[[str], str] | None = None) -> list[tuple[str, str, float]]:
    """Every verified republication pair (doc_a, doc_b, containment), doc_a < doc_b, sorted.

    Each LSH candidate is verified on the exact shingle sets of `texts` (a mapping or a function
    doc_id → clean text) when given, else on the containment estimated from the signatures. This
    lists pairs, so a page copied k times gives k² of them: `republication_groups` does not call it,
    it skips a candidate already in the page's group.
    """
    verify = _verifier(signatures, texts)
    candidates = {(min(d, o), max(d, o)) for d, others in _candidates(signatures) for o in others}
    pairs = []
    for a, b in sorted(candidates):
        c = verify(a, b)
        if c >= CONTAINMENT_THRESHOLD:
            pairs.append((a, b, c))
    return pairs


def page_dates(documents: pd.DataFrame) -> dict[str, str]:
    """doc_id → ISO date of the page (page_date, else published), '' when unknown."""
    out = {d: "" for d in documents["doc_id"]}
    for col in ("published", "page_date"):  # page_date (attribution) wins when present
        if col in documents.columns:
            for d, v in zip(documents["doc_id"], documents[col].astype(str)):
                if _DATE.match(v):
                    out[d] = v[:10]
    return out


def republication_groups(documents: pd.DataFrame, signatures: Mapping[str, bytes] | None = None,
                         texts: Mapping[str, str] | Callable[[str], str] | None = None) -> dict[str, str]:
    """doc_id → republication group id for every document (a page republished nowhere is its own group).

    `documents` needs `doc_id` and may carry `page_date`/`published` (ISO dates) to name each group
    after its earliest page; `signatures` maps doc_id → page_signature(clean text); `texts`, when
    given, lets candidate pairs be verified exactly (see the module docstring). Without `signatures`,
    a `signature` column of `documents` (bytes, as a build step may store them) is used.
    """
    if signatures is None:
        signatures = dict(zip(documents["doc_id"].astype(str), documents["signature"])) if "signature" in documents else {}
    ids = [str(d) for d in documents["doc_id"]]
    parent = {d: d for d in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    sigs = {d: signatures[d] for d in ids if d in signatures and signatures[d] is not None}
    verify = _verifier(sigs, texts)
    index, usable = _index(sigs)
    for k, d in enumerate(usable if index is not None else []):
        assert index is not None
        for j in index.query(k).tolist():
            other = usable[j]
            ra, rb = find(d), find(other)
            # a candidate already in the page's group needs no verification: the groups are the same as
            # those of all verified pairs, but a page copied k times costs k verifications, not k²
            if ra != rb and verify(d, other) >= CONTAINMENT_THRESHOLD:
                parent[max(ra, rb)] = min(ra, rb)
                # a page that joined d's group leaves the index (d stands for it in later queries; it still
                # makes its own query in turn), so a page copied k times is a candidate of few queries, not
                # of all k: k copies cost about k candidates, not k²
                index.withdraw(j)
    dates = page_dates(documents)
    members: dict[str, list[str]] = {}
    for d in ids:
        members.setdefault(find(d), []).append(d)
    out = {}
    for group in members.values():
        first = min(group, key=lambda d: (dates.get(d, "") == "", dates.get(d, ""), d))
        for d in group:
            out[d] = first
    return out
