"""A MinHash LSH Ensemble for containment queries, held in sorted numpy arrays (aidlab.checks.republication).

The method is datasketch's `MinHashLSHEnsemble` (Zhu et al., "LSH Ensemble: Internet-Scale Domain
Search", VLDB 2016): pages are partitioned by set size; each partition has one banded MinHash LSH
table per band width r; a query of size q reads, in each partition of upper size u, the first b bands
of the table r where (b, r) minimise the weighted false-positive and false-negative probability of the
containment threshold at u/q. The partitions and the (b, r) table are datasketch's own (computed by a
`MinHashLSHEnsemble` and `optimal_partitions`), so the candidates are the same.

What differs is the storage. datasketch keeps every band of every page as Python objects (a bytes key
per band, a set per bucket, a list of band keys per page for removal): measured 19 KB a page on 4 000
near-copies and ≈ 70 KB a page when the pages are distinct (every bucket its own set), so 100 000
distinct pages would need ≈ 7 GB. Here each (partition, r) table is one sorted array of 64-bit band
keys and one array of page numbers: 12 bytes a band, 192 bands a page at the calibrated parameters
(r = 1 and 2), ≈ 2.3 KB a page, plus the page's 128 MinHash values (512 bytes).

A band key mixes the band's number and its r values with the splitmix64 finaliser. Two different bands
share a key with probability about 2^-64 per pair; a shared key only adds a candidate, which the caller
verifies anyway, so a collision can never lose a candidate.

Alternatives considered: datasketch's Redis/Cassandra storage (moves the memory to a server the lab must
run); sharding candidate generation by size band (each shard still holds its pages as Python objects).
"""
from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser of a uint64 array (wrapping arithmetic): a bijection that scatters every bit.

    >>> int(_mix(np.array([1], dtype=np.uint64))[0]) != int(_mix(np.array([2], dtype=np.uint64))[0])
    True
    """
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * _M1
        x = (x ^ (x >> np.uint64(27))) * _M2
        return x ^ (x >> np.uint64(31))


def band_keys(values: np.ndarray, r: int, bands: int) -> np.ndarray:
    """Keys of the first `bands` bands of width r of MinHash value rows (shape (n, num_perm)) → (n, bands).

    Band j is the values [j·r, (j+1)·r), as in datasketch's MinHashLSH hash ranges.
    """
    v = np.ascontiguousarray(values[:, :bands * r], dtype=np.uint64).reshape(len(values), bands, r)
    with np.errstate(over="ignore"):
        h = np.broadcast_to(_mix((np.arange(bands, dtype=np.uint64) + np.uint64(r << 16)) * _GOLDEN + _GOLDEN),
                            (len(values), bands)).copy()
        for t in range(r):
            h = _mix(h ^ v[:, :, t])
    return h


class ContainmentIndex:
    """Candidates of containment ≥ threshold among pages given by MinHash values and set sizes.

    `values`: (n, num_perm) MinHash values (uint32), `sizes`: (n,) set sizes (already rounded as the
    caller wants them partitioned). Pages are numbered 0 … n-1 in the given order. A page can be
    withdrawn (it stops being anyone's candidate; its own query still works).
    """

    def __init__(self, values: np.ndarray, sizes: np.ndarray, *, threshold: float, num_part: int, m: int) -> None:
        from datasketch import MinHashLSHEnsemble
        from datasketch.lshensemble_partition import optimal_partitions

        self.values = np.asarray(values, dtype=np.uint32)
        self.sizes = np.asarray(sizes, dtype=np.int64)
        n, num_perm = self.values.shape
        if n == 0:
            raise ValueError("an index needs at least one page")
        params = MinHashLSHEnsemble(threshold=threshold, num_perm=num_perm, num_part=num_part, m=m)
        self.xqs = params.xqs
        self.params = [(int(b), int(r)) for b, r in params.params]
        self.widths = {r: num_perm // r for r in sorted({r for _, r in self.params})}   # r → bands of its table
        distinct, counts = np.unique(self.sizes, return_counts=True)
        self.uppers = [int(u) for _, u in optimal_partitions(distinct, counts, num_part)]
        # datasketch's assignment: pages in size order, the partition advancing when a size passes its upper
        order = np.argsort(self.sizes, kind="stable")
        part = np.zeros(n, dtype=np.int64)
        current = 0
        for i in order:
            if self.sizes[i] > self.uppers[current]:
                current += 1
            part[i] = current
        self.tables: list[dict[int, tuple[np.ndarray, np.ndarray]]] = []
        for p in range(len(self.uppers)):
            members = np.flatnonzero(part == p)
            tables = {}
            for r, width in self.widths.items():
                keys = band_keys(self.values[members], r, width).ravel()
                ids = np.repeat(members.astype(np.int32), width)
                by_key = np.argsort(keys, kind="stable")
                tables[r] = (keys[by_key], ids[by_key])
            self.tables.append(tables)
        self.alive = np.ones(n, dtype=bool)
        self.part = part
        self.held = np.bincount(part, minlength=len(self.uppers))   # pages with entries in a partition's tables
        self.live = self.held.copy()                                  # of those, not withdrawn

    def _param(self, upper: int, size: int) -> tuple[int, int]:
        """(b, r) for a partition of upper size `upper` and a query of `size` (datasketch's choice)."""
        i = int(np.searchsorted(self.xqs, float(upper) / float(size), side="left"))
        return self.params[min(i, len(self.params) - 1)]

    def query(self, page: int) -> np.ndarray:
        """Sorted numbers of the pages (not withdrawn, not `page`) sharing a band with `page` in some partition."""
        size = int(self.sizes[page])
        row = self.values[page:page + 1]
        keys = {r: band_keys(row, r, width)[0] for r, width in self.widths.items()}
        found: list[np.ndarray] = []
        for upper, tables in zip(self.uppers, self.tables):
            b, r = self._param(upper, size)
            sorted_keys, ids = tables[r]
            q = keys[r][:b]
            lo = np.searchsorted(sorted_keys, q, side="left")
            hi = np.searchsorted(sorted_keys, q, side="right")
            found.extend(ids[a:z] for a, z in zip(lo.tolist(), hi.tolist()) if z > a)
        if not found:
            return np.zeros(0, dtype=np.int64)
        out = np.unique(np.concatenate(found))
        return out[self.alive[out] & (out != page)]

    def withdraw(self, page: int) -> None:
        """Page `page` is no one's candidate from now on.

        A withdrawn page's entries stay in its partition's arrays (queries skip it) until they are half of
        them; then the arrays are rebuilt without the withdrawn pages. Without that, a story copied k times
        still cost every later query its k bucket entries (k² in all: at 100 000 generated pages, five
        stories copied 20 000 times each, grouping did not finish in 10 minutes); with it, each entry is
        dropped once and an array is rebuilt only after halving.
        """
        if not self.alive[page]:
            return
        self.alive[page] = False
        p = int(self.part[page])
        self.live[p] -= 1
        if self.live[p] * 2 < self.held[p]:
            for r, (keys, ids) in self.tables[p].items():
                keep = self.alive[ids]
                self.tables[p][r] = (keys[keep], ids[keep])
            self.held[p] = self.live[p]

    @property
    def nbytes(self) -> int:
        """Bytes held by the index's arrays (values, sizes, tables)."""
        return int(self.values.nbytes + self.sizes.nbytes + self.alive.nbytes
                   + sum(k.nbytes + i.nbytes for t in self.tables for k, i in t.values()))
