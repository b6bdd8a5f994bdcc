"""Listed parts against a stated total of the same unit family (kind `parts_total`)."""
from __future__ import annotations

import bisect
import re

from .base import MAX_SCAN, Check, _as_page, _bounds_of, _fmt, _hi, _is_rate, _lo, _Page, _sum_bounds

#: Sentences after / before a total searched for its listed parts (counting only sentences that hold
#: figures of the total's unit family and metric).
PARTS_AFTER, PARTS_BEFORE = 3, 1
TOTAL_WORD = re.compile(r"(共计|合计|总计|累计|共|总)")


def _enumerated_items(subject: str) -> list[str]:
    """Items of an enumeration like 省、市、县、乡 in a subject phrase."""
    m = re.search(r"((?:[\u4e00-\u9fff]{1,4}、)+[\u4e00-\u9fff]{1,4}?)(?=共|合计|总计|累计|$)", subject)
    return m.group(1).split("、") if m else []


def _parts_after_qizhong(page: _Page, ti: int) -> list[dict]:
    """Parts after 其中 in the total's own sentence (其中 itself says they belong to the total)."""
    recs = page.recs
    parts: list[dict] = []
    markers = page.marks(ti)[0]
    if not (markers and markers[-1] >= page.pos[ti]):
        return parts
    members = page.sentence(int(recs[ti]["sentence_no"]))
    for j in members[page.rank[ti] + 1:page.rank[ti] + 1 + MAX_SCAN]:
        page.stats["parts_total"] += 1
        clause_j = page.clause_before(j)
        if TOTAL_WORD.search(clause_j) and "其中" not in clause_j:
            break  # the next total starts its own list
        if page.family[j] == page.family[ti]:
            parts.append(recs[j])
            if len(parts) == MAX_SCAN:
                break
    return parts


def _parts_listed_nearby(page: _Page, ti: int, items: list[str]) -> list[dict]:
    """Parts listed elsewhere: a nearby sentence listing >= 2 figures of the total's family and metric,
    one of which names an enumerated item."""
    recs = page.recs
    total = recs[ti]
    sno = int(total["sentence_no"])
    parts: list[dict] = []
    sents, by_sentence = page.key_sentences((page.family[ti], total["metric"]))
    k = bisect.bisect_left(sents, sno)
    after = k + 1 if k < len(sents) and sents[k] == sno else k
    for s in sents[max(0, k - PARTS_BEFORE):k] + sents[after:after + PARTS_AFTER]:
        group = [recs[j] for j in by_sentence[s][:MAX_SCAN] if j != ti]
        page.stats["parts_total"] += len(group)
        named = [r for r in group if any(it and it in r["subject"] for it in items)]
        if len(group) >= 2 and named:
            parts += group
    return parts


def _parts_total_check(page: _Page, ti: int, parts: list[dict]) -> Check:
    """The check of a total against its listed parts: exceeds, partial (some left unitemised) or complete."""
    total = page.recs[ti]
    tb = page.bounds(ti)
    all_rows = [total] + parts
    if any(r["damaged"] for r in all_rows):
        return Check("parts_total", "indeterminate", "damaged", all_rows, "a figure involved is damaged",
                     f"The total {total['text']} cannot be checked against its parts: a figure lost digits to mojibake.",
                     can_fail=False)
    lo, hi = _sum_bounds(_bounds_of(p) for p in parts)
    t_lo, t_hi = _lo(tb), _hi(tb)
    sums = " + ".join(p["text"] for p in parts)
    if t_hi is not None and lo > t_hi:
        verdict, outcome = "inconsistent", "exceeds"
        expl = f"The listed parts ({sums}) add up to more than the stated total {total['text']}."
    elif hi is not None and hi < t_lo:
        verdict, outcome = "consistent", "partial"
        expl = (f"The listed parts ({sums}) cover only part of the total {total['text']}; "
                f"{_fmt(t_lo - hi)}–{_fmt(t_hi - lo) if t_hi is not None else 'inf'} {total['unit']} are not itemised.")
    else:
        verdict, outcome = "consistent", "complete"
        expl = f"The listed parts ({sums}) add up to the stated total {total['text']} within their intervals."
    gap = f"gap [{_fmt(t_lo - hi) if hi is not None else '-inf'}, {_fmt(t_hi - lo) if t_hi is not None else 'inf'}]"
    return Check("parts_total", verdict, outcome, all_rows,
                 f"total {total['text']} {tb}; parts {sums} = [{_fmt(lo)}, {_fmt(hi)}]; {gap}", expl,
                 can_fail=t_hi is not None)  # parts can only exceed a total bounded above


def parts_total_checks(claims) -> list[Check]:
    """A stated total (共/合计 …) against the parts the article lists for it, within the total's unit family."""
    page = _as_page(claims)
    out = []
    for ti in range(len(page.recs)):
        if page.pos[ti] < 0:
            continue
        clause = page.clause_before(ti)
        if not TOTAL_WORD.search(clause) or _is_rate(page, ti):
            continue  # a rate is never a whole
        items = _enumerated_items(clause)
        parts = _parts_after_qizhong(page, ti)
        if items and not parts:
            parts = _parts_listed_nearby(page, ti, items)
        if parts:
            out.append(_parts_total_check(page, ti, parts))
    return out
