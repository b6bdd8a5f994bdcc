"""The containment index (aidlab.checks.containment_index): datasketch's LSH Ensemble candidates, in numpy arrays."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHashLSHEnsemble

from aidlab.checks import republication
from aidlab.checks.containment_index import ContainmentIndex, band_keys

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def pages(seed_texts) -> dict[str, str]:
    """Every fixture page (distinct reports, mirrors, spam copies) and 20 edited copies of each seed."""
    out = {f"fx{i:03d}": p.read_text(encoding="utf-8", errors="replace")
           for i, p in enumerate(sorted(FIXTURES.rglob("*.txt")))}
    for key, text in seed_texts.items():
        for i in range(20):
            out[f"s{key}-{i:02d}"] = re.sub(r"\d+", lambda m, f=i + 2: str(int(m.group()) * f), text)[i * 40:]
    return out


@pytest.fixture(scope="module")
def signed(pages):
    ids = sorted(pages)
    arrays = [np.frombuffer(republication.page_signature(pages[d]), dtype="<u4") for d in ids]
    keep = [k for k, a in enumerate(arrays) if a[0] >= republication.MIN_SHINGLES]
    values = np.stack([arrays[k][1:] for k in keep])
    sizes = np.array([republication._rounded(int(arrays[k][0])) for k in keep])
    return [ids[k] for k in keep], values, sizes


def _ensemble(ids, values, sizes):
    from datasketch import LeanMinHash

    index = MinHashLSHEnsemble(threshold=republication.LSH_THRESHOLD, num_perm=republication.NUM_PERM,
                               num_part=republication.NUM_PART, m=republication.ENSEMBLE_M)
    hashes = [LeanMinHash(seed=republication.SEED, hashvalues=v, scheme=republication.SCHEME) for v in values]
    index.index([(d, h, int(s)) for d, h, s in zip(ids, hashes, sizes)])
    return index, hashes


def test_candidates_are_datasketchs(signed):
    """Same partitions, same (b, r), same bands: every query returns exactly datasketch's candidates."""
    ids, values, sizes = signed
    ours = ContainmentIndex(values, sizes, threshold=republication.LSH_THRESHOLD, num_part=republication.NUM_PART,
                            m=republication.ENSEMBLE_M)
    theirs, hashes = _ensemble(ids, values, sizes)
    assert len(ids) > 100
    with_candidates = 0
    for k, d in enumerate(ids):
        expected = {o for o in theirs.query(hashes[k], int(sizes[k])) if o != d}
        assert {ids[j] for j in ours.query(k)} == expected, d
        with_candidates += bool(expected)
    assert with_candidates > len(ids) / 2  # the copies find each other: the comparison is not vacuous


def test_a_withdrawn_page_is_no_candidate_but_still_queries(signed):
    ids, values, sizes = signed
    index = ContainmentIndex(values, sizes, threshold=0.5, num_part=8, m=2)
    k = next(k for k in range(len(ids)) if len(index.query(k)) >= 2)
    first, second = index.query(k)[:2]
    index.withdraw(int(first))
    assert first not in index.query(k) and second in index.query(k)
    assert len(index.query(int(first))) > 0


def test_memory_is_a_few_kilobytes_a_page(signed):
    """datasketch's dict storage holds 19–70 KB a page (Python sets and bytes per band); these arrays 3 KB."""
    ids, values, sizes = signed
    index = ContainmentIndex(values, sizes, threshold=0.5, num_part=8, m=2)
    assert index.nbytes / len(ids) < 3 * 1024


def test_band_keys_depend_on_band_number_and_every_value():
    v = np.arange(256, dtype=np.uint32).reshape(2, 128)
    keys = band_keys(v, 2, 64)
    assert keys.shape == (2, 64) and len(np.unique(keys)) == 128
    w = v.copy()
    w[0, 5] += 1  # value 5 lies in band 2 of width 2: only that band changes
    changed = np.flatnonzero(band_keys(w, 2, 64)[0] != keys[0])
    assert changed.tolist() == [2]
    same = np.zeros((1, 128), dtype=np.uint32)
    assert len(np.unique(band_keys(same, 1, 128))) == 128  # equal values in different bands: different keys


def test_withdrawn_pages_leave_the_arrays_once_they_are_half_and_queries_stay_the_same(signed):
    """Withdrawing most pages rebuilds the arrays without them (a story copied k times must not cost every
    later query its k entries); what each query returns is the same as skipping them one by one."""
    ids, values, sizes = signed
    compacting = ContainmentIndex(values, sizes, threshold=0.5, num_part=8, m=2)
    before = compacting.nbytes
    gone = list(range(0, len(ids), 3)) + list(range(1, len(ids), 3))  # two pages in three
    for k in gone:
        compacting.withdraw(k)
    assert compacting.nbytes < before * 0.6
    reference = ContainmentIndex(values, sizes, threshold=0.5, num_part=8, m=2)
    for k in range(len(ids)):
        expected = [j for j in reference.query(k) if j % 3 == 2]
        assert compacting.query(k).tolist() == expected
