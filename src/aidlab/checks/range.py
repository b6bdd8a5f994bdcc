"""Range sanity: a share within 0–100 % unless it describes growth; a part never above its whole (kind `range`)."""
from __future__ import annotations

import bisect

from .base import GROWTH_VERB, Check, _as_page, _hi, _is_rate, _lo


def range_checks(claims) -> list[Check]:
    """Shares within 0–100% unless they describe growth; parts after 其中 not above the whole before them (same unit family)."""
    page = _as_page(claims)
    out = []
    for i, p in enumerate(page.recs):
        if p["unit"] != "%" or p["damaged"]:
            continue
        page.stats["range"] += 1
        window, pos = p["sentence"], page.pos[i]
        growth = bool(GROWTH_VERB.search(window[max(0, pos - 6):pos])) or "同比" in window[max(0, pos - 12):pos]
        if growth:
            continue  # growth rates may exceed 100%; the change checks handle them
        b = page.bounds(i)
        ok = _lo(b) >= 0 and (_lo(b) <= 100)
        # the verdict depends on this one figure only: a share inside 0–100 confirms nothing
        out.append(Check("range", "consistent" if ok else "inconsistent", "within_0_100" if ok else "above_100", [p],
                         f"{p['text']} → {b} ⊂ [0, 100]" if ok else f"{p['text']} → {b} exceeds 100",
                         f"The share {p['text']} is {'within' if ok else 'outside'} 0–100% and is not described as growth.",
                         can_fail=not ok))
    for i, part in enumerate(page.recs):
        if part["damaged"] or _is_rate(page, i):
            continue  # a rate is no part of a count
        pos = page.pos[i]
        if pos < 0:
            continue
        markers, breaks, _ = page.marks(i)
        k = bisect.bisect_right(markers, pos - 2)  # 其中 ending at or before the figure
        if not k:
            continue
        marker = markers[k - 1]
        if bisect.bisect_left(breaks, marker) < bisect.bisect_left(breaks, pos):
            continue  # a part must stand in the clause that 其中 opens
        whole_i = None
        for j in page.back_from(i):
            page.stats["range"] += 1
            if page.family[j] == page.family[i] and not page.recs[j]["damaged"] and page.pos[j] < marker:
                whole_i = j
                break
        if whole_i is None:
            continue
        whole = page.recs[whole_i]
        pb, wb = page.bounds(i), page.bounds(whole_i)
        w_hi = _hi(wb)
        ok = w_hi is None or _lo(pb) <= w_hi
        units = "" if part["unit"] == whole["unit"] else f" (units {part['unit']} and {whole['unit']}, both {page.family[i]})"
        out.append(Check("range", "consistent" if ok else "inconsistent", "part_within_whole" if ok else "part_exceeds_whole",
                         [whole, part], f"part {part['text']} {pb} ≤ whole {whole['text']} {wb}: {ok}{units}",
                         f"The part {part['text']} (其中) is {'not above' if ok else 'larger than'} the whole {whole['text']} it belongs to{units}.",
                         can_fail=w_hi is not None))
    return out
