"""Benchmark: the cross-document step on 100 000 synthetic claims, and republication grouping of synthetic pages.

    PYTHONPATH=src python benchmarks/bench_crossdoc.py [--claims 100000] [--pages 5000]

Claims: 20 000 documents, 5 claims each, spread over 2 000 quantity keys (cumulative, point and
batch scopes; Tibet, Xinjiang, Tibet + Xinjiang and prefecture regions so that part/whole blocks
exist), dates over ten years, one page in ten a copy in a republication group, one claim in fifty
undated. Prints the seconds of `crossdoc.cross_document_checks` (blocked by key: neighbours only)
and the number of check rows. Pages: synthetic Chinese-like texts, one in five a near copy (spam
lines interleaved) of another; prints the seconds of `page_signature` for all pages and of
`republication_groups` (LSH Ensemble candidates, verified on estimated containment).
"""
from __future__ import annotations

import argparse
import random
import time

import pandas as pd

from aidlab.checks import checks_frame, crossdoc, republication

REGIONS = ["540000", "650000", "540000;650000", "540200", "650100"]
SCOPES = ["cumulative", "cumulative", "point", "batch"]
QUALIFIERS = [("", 1), ("余", 1), ("近", 1), ("约", 1), ("多", 1)]


def synthetic_claims(n: int, seed: int = 9) -> pd.DataFrame:
    rnd = random.Random(seed)
    per_doc = 5
    n_docs = n // per_doc
    rows = []
    for d in range(n_docs):
        doc = f"d{d:06d}"
        group = f"d{d - 1:06d}" if d % 10 == 1 else doc  # one page in ten republishes the page before it
        for j in range(per_doc):
            k = rnd.randrange(2000)
            scope = SCOPES[k % len(SCOPES)]
            region = REGIONS[k % len(REGIONS)]
            programme = "medical_talent_tibet;medical_talent_xinjiang" if ";" in region else (
                "medical_talent_tibet" if region.startswith("54") else "medical_talent_xinjiang")
            year = 2015 + rnd.randrange(10)
            base = 100 * (1 + k % 30) + 20 * (year - 2015)
            value = base + rnd.randrange(-10, 40)
            q, _ = QUALIFIERS[rnd.randrange(len(QUALIFIERS))]
            number = str(value if q == "" else round(value, -1) or 10)
            rows.append({
                "doc_id": doc, "claim_id": f"{doc}#{j + 1}", "text": f"{number}{q}名", "number": number, "multiplier": 1,
                "unit": "名", "qualifier": q, "damaged": False, "metric": "experts_sent", "subject": "专家",
                "sentence": f"累计选派{number}{q}名医疗人才。", "clean_start": 10 * j, "clean_end": 10 * j + 6,
                "raw_start": 10 * j, "raw_end": 10 * j + 6,
                "as_of": "" if rnd.random() < 0.02 else f"{year}-{1 + rnd.randrange(12):02d}-{1 + rnd.randrange(28):02d}",
                "period_start": "", "scope_kind": scope, "batch": str(1 + k % 10) if scope == "batch" else "",
                "programme": programme, "aiding_code": "", "recipient_code": region, "unit_family": "people",
                "quantity_key": f"k{k // len(REGIONS)}|{region}|{scope}", "republication_group": group,
            })
    return pd.DataFrame(rows)


def synthetic_pages(n: int, seed: int = 11) -> dict[str, str]:
    rnd = random.Random(seed)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    pages: dict[str, str] = {}
    for i in range(n):
        if i % 5 == 4:  # a mirror of the previous page with spam lines interleaved
            lines = pages[f"p{i - 1:06d}"].split("\n")
            spam = ["".join(rnd.choices(alphabet, k=30)) for _ in lines]
            pages[f"p{i:06d}"] = "\n".join(x for pair in zip(lines, spam) for x in pair)
        else:
            pages[f"p{i:06d}"] = "\n".join("".join(rnd.choices(alphabet, k=rnd.randrange(60, 200))) for _ in range(6))
    return pages


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--pages", type=int, default=5_000)
    args = ap.parse_args()

    claims = synthetic_claims(args.claims)
    start = time.perf_counter()
    checks = crossdoc.cross_document_checks(claims, None)
    seconds = time.perf_counter() - start
    frame = checks_frame(checks)
    print(f"cross_document_checks: {len(claims):,} claims, {claims['quantity_key'].nunique():,} keys → "
          f"{len(frame):,} check rows in {seconds:.1f} s ({frame['kind'].value_counts().to_dict()})")

    pages = synthetic_pages(args.pages)
    start = time.perf_counter()
    sigs = {d: republication.page_signature(t) for d, t in pages.items()}
    sig_seconds = time.perf_counter() - start
    start = time.perf_counter()
    groups = republication.republication_groups(pd.DataFrame({"doc_id": list(pages)}), sigs)
    group_seconds = time.perf_counter() - start
    grouped = sum(1 for d, g in groups.items() if d != g)
    print(f"page_signature: {len(pages):,} pages in {sig_seconds:.1f} s; republication_groups: {group_seconds:.1f} s, "
          f"{grouped:,} pages joined to a group (expected {args.pages // 5:,})")


if __name__ == "__main__":
    main()
