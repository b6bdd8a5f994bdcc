"""The same figure stated twice in one article: do the two intervals overlap? (kind `repeat`)."""
from __future__ import annotations

import math
import re

from .base import Check, _as_page, _hi, _is_rate, _lo, _Page

#: Most recent unmatched claims kept per (family, value bucket) as repeat partners.
REPEAT_ANCHORS = 32
#: Repeats: values within 10% are near; overlapping intervals of approximate figures (a written point,
#: 近, 约) count within a factor REPEAT_SPAN.
REPEAT_NEAR, REPEAT_SPAN = 0.1, 1.25
APPROXIMATE_READINGS = frozenset({"point", "near", "about"})
_BUCKET = -math.log(1 - REPEAT_NEAR)  # width of a value bucket in log space
_NEAR_HALF = math.sqrt(1 - REPEAT_NEAR)  # v·h and v/h: two values within 10% have touching spans


def _similar(a: str, b: str) -> bool:
    """Subjects name the same thing when one contains the other (专家工作站 / 市级到县级建立专家工作站)."""
    return bool(a) and bool(b) and (a in b or b in a)


#: Scope and adverb words before what a subject names (援藏以来累计服务群众 → 服务群众).
_SUBJECT_LEAD = re.compile(r"^.*(?:以来|年来|截至目前|目前|累计|共计|总计|合计|先后|已经|已|共)")


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def _same_thing(a: str, b: str, same_metric: bool) -> bool:
    """Subjects worded differently for one thing: the same head noun (a common ending of two or more characters),
    and what the shorter one names, scope and adverbs aside, standing in order in the other (累计服务群众 /
    三年共服务农牧民群众). Parallel items are not one thing (县级向乡级派驻医师 / 乡级向村级派驻医师); when the
    metrics differ, the bare same noun is not enough either (派出 / 培训 医务人员)."""
    k = 0
    while k < min(len(a), len(b)) and a[-1 - k] == b[-1 - k]:
        k += 1
    if k < 2:
        return False
    short, long = sorted((_SUBJECT_LEAD.sub("", a) or a, _SUBJECT_LEAD.sub("", b) or b), key=len)
    if not _is_subsequence(short, long):
        return False
    return same_metric or len(short) > k


def _repeat_span(page: _Page, i: int) -> tuple[int, int]:
    """The value buckets claim i reaches: its value ±10% and its interval (within a factor REPEAT_SPAN).

    A candidate filter only (the pair test decides exactly), so the claim's float low/high serve, widened a hair."""
    r = page.recs[i]
    v = r["value"]
    lo = min(v * _NEAR_HALF, max(float(r["low"]), v / REPEAT_SPAN)) * (1 - 1e-9)
    hi = max(v / _NEAR_HALF, min(float(r["high"]), v * REPEAT_SPAN)) * (1 + 1e-9)
    return math.floor(math.log(lo) / _BUCKET), math.floor(math.log(hi) / _BUCKET)


def _repeat_pair(page: _Page, i: int, j: int) -> bool:
    """Whether claims i (earlier) and j state the same figure: one family, the same thing counted, near or overlapping values."""
    a, b = page.recs[i], page.recs[j]
    if a["sentence_no"] == b["sentence_no"] or page.family[i] != page.family[j]:
        return False
    same_metric = a["metric"] == b["metric"]
    if not ((same_metric and _similar(a["subject"], b["subject"])) or _same_thing(a["subject"], b["subject"], same_metric)):
        return False
    big, small = max(a["value"], b["value"]), min(a["value"], b["value"])
    if a["value"] == b["value"] and a["reading"] == "point" == b["reading"] and a["value"] < 10:
        return False  # tiny equal counts: coincidence, not a repeat
    if (big - small) / big <= REPEAT_NEAR:
        return True
    if big / small > REPEAT_SPAN or not {a["reading"], b["reading"]} <= APPROXIMATE_READINGS:
        return False  # a range (余, 超过, 不足 …) overlapping another figure does not make it the same figure
    return page.bounds(i).overlaps(page.bounds(j))


def repeat_checks(claims) -> list[Check]:
    """The same figure stated twice in one document: same unit family, the same thing counted, close values → intervals must overlap.

    A claim pairs with the earliest earlier claim that states the same figure and is not itself a repeat;
    candidates come from the (unit family, value bucket) blocks the claim's value and interval reach.
    """
    page = _as_page(claims)
    recs = page.recs
    anchors: dict[tuple[str, int], list[int]] = {}
    found: list[tuple[int, int]] = []
    for j, b in enumerate(recs):
        if b["damaged"] or _is_rate(page, j) or not b["value"] > 0:
            continue
        lo_k, hi_k = _repeat_span(page, j)
        keys = [(page.family[j], k) for k in range(lo_k, hi_k + 1)]
        candidates = sorted({i for key in keys for i in anchors.get(key, ())[-REPEAT_ANCHORS:]})
        match = None
        for i in candidates:
            page.stats["repeat"] += 1
            if _repeat_pair(page, i, j):
                match = i
                break
        if match is not None:
            found.append((match, j))
            continue  # a repeat is not itself a partner for later claims
        for key in keys:
            anchors.setdefault(key, []).append(j)
    out = []
    for i, j in sorted(found):
        a, b = recs[i], recs[j]
        ab, bb = page.bounds(i), page.bounds(j)
        ok = ab.overlaps(bb)
        always = (_hi(ab) is None and _hi(bb) is None) or (_lo(ab) == 0 and _lo(bb) == 0)  # both open above, or both from 0
        out.append(Check("repeat", "consistent" if ok else "inconsistent", "agree" if ok else "disjoint", [a, b],
                         f"{a['text']} {ab} vs {b['text']} {bb}: {'overlap' if ok else 'disjoint'}",
                         f"The figure for {a['subject'] or a['metric']} is given as {a['text']} and as {b['text']}; the two {'agree' if ok else 'cannot both be true'}.",
                         can_fail=not always))
    return out
