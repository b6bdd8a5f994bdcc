"""Republication groups at the scale of a wire story copied hundreds of times (aidlab.checks.republication).

The corpus-level behaviour (which of 25 pages republish each other, and the calibration of the
threshold) is tested in test_crossdoc_corpus.py; here: large groups, where enumerating every copy's
candidates once cost k² for k copies.
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

from aidlab.checks import republication
from aidlab.checks.containment_index import ContainmentIndex


def _copy(text: str, i: int) -> str:
    """Copy i of a story as mirrors print it: every figure changed, a spam line added, a paragraph dropped."""
    lines = [re.sub(r"\d+", lambda m: str(int(m.group()) + i % 7), line) for line in text.splitlines() if line.strip()]
    if i % 3 == 0 and len(lines) > 6:
        del lines[len(lines) // 2]
    return "\n".join([*lines, f"【广告】第{i}期 点击进入 更多精彩内容"])


@pytest.fixture(scope="module")
def corpus(seed_texts) -> dict[str, str]:
    """Three seed stories, 60 copies each, and the other two seeds unrepublished."""
    pages = {}
    for n, key in enumerate(sorted(seed_texts)):
        copies = 60 if n < 3 else 1
        for i in range(copies):
            pages[f"s{key}-{i:03d}"] = _copy(seed_texts[key], i) if copies > 1 else seed_texts[key]
    return pages


def _components(ids: list[str], pairs: list[tuple[str, str, float]]) -> set[frozenset[str]]:
    parent = {d: d for d in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b, _ in pairs:
        parent[max(find(a), find(b))] = min(find(a), find(b))
    groups: dict[str, set[str]] = {}
    for d in ids:
        groups.setdefault(find(d), set()).add(d)
    return {frozenset(g) for g in groups.values()}


def test_large_groups_are_the_components_of_all_verified_pairs(corpus):
    """Pages that joined a group leave the LSH index: the groups stay those of every verified pair."""
    sigs = {d: republication.page_signature(t) for d, t in corpus.items()}
    ids = sorted(corpus)
    groups = republication.republication_groups(pd.DataFrame({"doc_id": ids}), sigs)
    found: dict[str, set[str]] = {}
    for d, g in groups.items():
        found.setdefault(g, set()).add(d)
    assert {frozenset(g) for g in found.values()} == _components(ids, republication.republication_pairs(sigs))
    sizes = sorted(len(g) for g in found.values())
    assert sizes[-3:] == [60, 60, 60] and sizes[:2] == [1, 1]  # each story with its copies; the two others alone


def test_candidates_grow_linearly_with_the_copies(corpus, monkeypatch):
    """The candidates the index returns, summed over all queries, stay a small multiple of the pages
    (all k copies of a story found by every copy's query would be k² = 3 600 per story)."""
    returned = {"keys": 0}
    query = ContainmentIndex.query

    def counting(self, page):
        found = query(self, page)
        returned["keys"] += len(found)
        return found

    monkeypatch.setattr(ContainmentIndex, "query", counting)
    sigs = {d: republication.page_signature(t) for d, t in corpus.items()}
    republication.republication_groups(pd.DataFrame({"doc_id": sorted(corpus)}), sigs)
    assert 0 < returned["keys"] <= 4 * len(corpus), returned
