"""Cross-document checks: one quantity, many reports, over time.

Input: the claims table with the attribution columns (``quantity_key``, ``as_of``, ``period_start``,
``scope_kind``, ``batch``, ``programme``, ``aiding_code``, ``recipient_code``, ``unit_family``) and
``republication_group``, and the documents table (``doc_id``; ``url``, ``page_date``/``published``
when known). Output: :class:`aidlab.checks.Check` rows. Every comparison is **blocked**: only
claims that share a quantity key (or, for parts and wholes, a key that differs only in the recipient
region) are ever paired, and within a block claims are sorted once and compared with their
neighbours, so the step is near-linear in the number of claims, never all pairs.

Method, as a methods section could cite it. Each figure is read as the interval its wording allows
(近2000 = [1800, 2000], 2000余 = [2000, 3000), 1300余 = [1300, 1400)), with exact rational bounds.
Copies of one article (a republication group, :mod:`aidlab.checks.republication`) count once: the
figures of the group's first page stand for the group, and every other copy's figure is compared
with it only to see whether the copy *changed* it (``republication``: ``republished`` when the
wording is identical, which confirms nothing, ``wording_changed`` or ``figure_changed`` when it
is not). Between groups, within one quantity key:

* same time (the same ``as_of``; for a period the same start and end; for a batch the same batch
  number) → the intervals must overlap (``cross_document``: ``agree``, ``agree_at_point`` when
  they share a single value, ``disjoint``); claims are sorted by their lower bound and neighbours
  compared, plus the pair with the highest lower and lowest upper bound, which decides whether all
  of them can hold at once;
* a cumulative key ordered by ``as_of`` → the count may not decrease (``cross_series``): each
  time step's lowest upper bound is compared with the highest lower bound of every earlier step, and
  the step is flagged (``series_drops``) only when the later interval lies wholly below the earlier
  one, ends' inclusivity respected; ``series_touches`` says when the two wordings share exactly one
  value (近1.2万 = [10 800, 12 000] after 1.2万余 = [12 000, 13 000)), so they hold together only
  if nothing changed; a claim without ``as_of`` is never placed in the order (``undated``,
  indeterminate);
* part and whole (``cross_part_whole``): claims of the same aiding side, metric, unit family and
  scope, with a known programme among the whole's programmes, whose recipient regions are a part of another's (Tibet ⊂ Tibet + Xinjiang; a
  prefecture inside its province by the administrative code's prefix) need lo(part) ≤ hi(whole) at
  the same time — and, for cumulative counts, also against any later whole, since the part can only
  grow into it; two or more disjoint parts are added with interval addition and the sum checked the
  same way (``parts_exceed_whole``), and when the parts cover the whole at the same time the sum
  must also reach it (``parts_short_of_whole``).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise

import pandas as pd

from ..claims.extract import claim_bounds
from ..claims.intervals import Bounds
from ..claims.taxonomy import METRIC_BY_KEY
from .base import Check, _column_lists, _fmt, _hi, _lo
from .republication import page_dates

#: Attribution columns this step reads (built by aidlab.attribution); missing ones are read as ''.
ATTRIBUTION_INPUTS = ("quantity_key", "as_of", "period_start", "scope_kind", "batch", "programme",
                      "aiding_code", "recipient_code", "unit_family", "metric")
#: The claim columns the cross-document step reads (the rest, raw text above all, is never held for it).
CROSS_COLUMNS = ("claim_id", "doc_id", "text", "number", "multiplier", "value", "low", "high", "unit", "qualifier",
                 "reading", "damaged", "subject", "sentence", "sentence_no", "clean_start", "clean_end", "raw_start",
                 "raw_end", "recipient_name", "aiding_name", "republication_group", *ATTRIBUTION_INPUTS)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_NATIONAL = frozenset({"000000", "100000", "CN", "china", "national"})


# --- exact interval helpers ---------------------------------------------------------------------

def wholly_below(later: Bounds, earlier: Bounds) -> bool:
    """True when every value of `later` is below every value of `earlier` (ends' inclusivity respected)."""
    h = _hi(later)
    if h is None:
        return False
    lo = _lo(earlier)
    return h < lo or (h == lo and not (later.high_inclusive and earlier.low_inclusive))


def single_shared_point(a: Bounds, b: Bounds) -> Fraction | None:
    """The one value two intervals share when their intersection is a single point, else None."""
    ha, hb = _hi(a), _hi(b)
    lo_a, lo_b = _lo(a), _lo(b)
    if ha is not None and ha == lo_b and a.high_inclusive and b.low_inclusive and (hb is None or hb > lo_b):
        return ha
    if hb is not None and hb == lo_a and b.high_inclusive and a.low_inclusive and (ha is None or ha > lo_a):
        return hb
    return None


def _sum(bounds: Iterable[Bounds]) -> tuple[Fraction, Fraction | None, bool, bool]:
    """Interval addition: (low, high or None, low inclusive, high inclusive)."""
    lo, lo_inc, hi_inc = Fraction(0), True, True
    hi: Fraction | None = Fraction(0)
    for b in bounds:
        lo += _lo(b)
        lo_inc = lo_inc and b.low_inclusive
        h = _hi(b)
        hi = None if hi is None or h is None else hi + h
        hi_inc = hi_inc and b.high_inclusive
    return lo, hi, lo_inc, (hi_inc if hi is not None else False)


def _interval(lo: Fraction, hi: Fraction | None, lo_inc: bool, hi_inc: bool) -> str:
    return f"{'[' if lo_inc else '('}{_fmt(lo)}, {'+inf)' if hi is None else _fmt(hi) + (']' if hi_inc else ')')}"


# --- regions ------------------------------------------------------------------------------------

def _codes(value: str) -> frozenset[str]:
    return frozenset(c.strip() for c in str(value or "").split(";") if c.strip())


def covers(whole: str, part: str) -> bool:
    """Whether region code `whole` includes region code `part` (equal, national, or by adcode prefix)."""
    if whole == part or whole in _NATIONAL:
        return True
    if len(whole) == 6 == len(part) and whole.isdigit() and part.isdigit():
        if whole.endswith("0000"):
            return part[:2] == whole[:2]
        if whole.endswith("00"):
            return part[:4] == whole[:4]
    return False


def region_within(part: frozenset[str], whole: frozenset[str]) -> bool:
    """Every code of `part` lies inside some code of `whole`."""
    return bool(part) and all(any(covers(w, p) for w in whole) for p in part)


def strict_part(part: frozenset[str], whole: frozenset[str]) -> bool:
    """`part` is a proper part of `whole`: inside it and not the same region."""
    return region_within(part, whole) and not region_within(whole, part)


def _disjoint(a: frozenset[str], b: frozenset[str]) -> bool:
    return not any(covers(x, y) or covers(y, x) for x in a for y in b)


# --- the rows -----------------------------------------------------------------------------------

@dataclass
class CrossCheck(Check):
    """A check across documents: one quote per claim (page copies may share a sentence), with url and date."""

    key: str = ""
    meta: dict = field(default_factory=dict)  # doc_id -> (url, page date)

    def row(self) -> dict:
        r = super().row()
        r["evidence"] = " ‖ ".join(f"[{c['doc_id']}] {c['sentence']}" for c in self.claims)
        r["evidence_urls"] = ";".join(self.meta.get(c["doc_id"], ("", ""))[0] for c in self.claims)
        r["evidence_dates"] = ";".join(self.meta.get(c["doc_id"], ("", ""))[1] for c in self.claims)
        r["quantity_key"] = self.key
        r["can_fail"] = bool(self.can_fail) and self.verdict != "indeterminate"  # an undated pair decides nothing
        return r


@dataclass
class _Item:
    """One claim in a block: the row, its exact bounds, its time slot."""

    rec: dict
    b: Bounds
    slot: str      # '' = undated
    group: str
    lo: Fraction = Fraction(0)       # exact ends, computed once
    hi: Fraction | None = None


def _items_overlap(a: _Item, b: _Item) -> bool:
    """`a.b.overlaps(b.b)`, from the exact ends each item computed once: only ends that touch need the
    inclusivity rules (and an end unbounded below, never met in counts, goes to the full test)."""
    if a.b.low is None or b.b.low is None:
        return a.b.overlaps(b.b)
    lo = max(a.lo, b.lo)
    hi = b.hi if a.hi is None else a.hi if b.hi is None else min(a.hi, b.hi)
    if hi is None or lo < hi:
        return True
    return lo == hi and a.b.overlaps(b.b)


def _slot(rec: dict) -> str:
    """The time a claim holds at: a batch number, a period (start/end) or an as-of date; '' when undated."""
    batch, as_of, start = str(rec.get("batch") or ""), str(rec.get("as_of") or ""), str(rec.get("period_start") or "")
    if rec.get("scope_kind") == "batch" and batch:
        return f"batch {batch}"
    if not _DATE.match(as_of):
        return ""
    return f"{start[:10]}/{as_of[:10]}" if rec.get("scope_kind") == "period" and _DATE.match(start) else as_of[:10]


def _when(item: _Item) -> str:
    return item.slot.replace("/", "–") if item.slot else "undated"


def _name(rec: dict) -> str:
    """What the figure counts, in English: the metric's label (taxonomy), else the subject words."""
    metric = rec.get("metric") or ""
    if metric and metric != "other" and metric in METRIC_BY_KEY:
        return METRIC_BY_KEY[metric].en.lower()
    return rec.get("subject") or "this quantity"


@dataclass(frozen=True)
class DocumentIndex:
    """What the checks read of the documents table, by doc_id: (url, ISO date) for the evidence columns and
    the republication group. Built once per run (`document_index`), not once per block of claims: a
    streamed run has a block per 10 000 claims, and rebuilding it from every document for each block was
    quadratic (at 100 000 pages, 200 blocks × 100 000 documents)."""

    meta: dict[str, tuple[str, str]]
    groups: dict[str, str]


def document_index(documents: pd.DataFrame | None) -> DocumentIndex:
    """The DocumentIndex of a documents table (empty without one)."""
    if documents is None or documents.empty:
        return DocumentIndex({}, {})
    urls = documents["url"].fillna("").astype(str).tolist() if "url" in documents else [""] * len(documents)
    dated = page_dates(documents)  # page_date (attribution) wins over published when it is a date
    dates = [dated[d] for d in documents["doc_id"]]
    ids = documents["doc_id"].astype(str).tolist()
    groups = (dict(zip(ids, documents["republication_group"].fillna("").astype(str).tolist()))
              if "republication_group" in documents else {})
    return DocumentIndex(dict(zip(ids, zip(urls, dates))), groups)


def _groups(claims: pd.DataFrame, docs: DocumentIndex) -> list[str]:
    if "republication_group" in claims:
        return [str(g) if g else str(d) for g, d in zip(claims["republication_group"].fillna(""), claims["doc_id"])]
    if docs.groups:
        return [docs.groups.get(str(d)) or str(d) for d in claims["doc_id"]]
    return [str(d) for d in claims["doc_id"]]


class _Builder:
    def __init__(self, meta: dict[str, tuple[str, str]]):
        self.meta = meta
        self.out: list[Check] = []

    def add(self, kind: str, verdict: str, outcome: str, items: list[_Item], arithmetic: str, explanation: str,
            key: str) -> None:
        self.out.append(CrossCheck(kind, verdict, outcome, [i.rec for i in items], arithmetic, explanation,
                                   key=key, meta=self.meta))


def _pair_text(a: _Item, b: _Item) -> str:
    return f"{a.rec['text']} {a.b} ({a.rec['doc_id']}, {_when(a)}) vs {b.rec['text']} {b.b} ({b.rec['doc_id']}, {_when(b)})"


# --- republication groups -------------------------------------------------------------------------

def _republication(block: list[_Item], key: str, out: _Builder) -> list[_Item]:
    """Compare each copy's figures with the group's first page; return the items that stand for their groups."""
    by_group: dict[str, dict[str, list[_Item]]] = {}
    for it in block:
        by_group.setdefault(it.group, {}).setdefault(it.rec["doc_id"], []).append(it)
    kept: list[_Item] = []
    for group, docs in by_group.items():
        rep_doc = group if group in docs else min(docs)
        rep = sorted(docs[rep_doc], key=lambda i: i.rec["clean_start"])
        kept += rep
        for doc, items in sorted(docs.items()):
            if doc == rep_doc:
                continue
            for a, b in zip(rep, sorted(items, key=lambda i: i.rec["clean_start"])):
                same = a.rec["text"] == b.rec["text"] and a.b == b.b
                if same:
                    out.add("republication", "consistent", "republished", [a, b], _pair_text(a, b) + ": identical",
                            f"{doc} republishes {rep_doc} (republication group {group}) with the same figure {a.rec['text']}, "
                            "so it is one source, not a confirmation.", key)
                elif _items_overlap(a, b):
                    out.add("republication", "consistent", "wording_changed", [a, b], _pair_text(a, b) + ": overlap",
                            f"{doc} republishes {rep_doc} (group {group}) but words the figure as {b.rec['text']} instead of "
                            f"{a.rec['text']}; the two readings overlap.", key)
                else:
                    out.add("republication", "inconsistent", "figure_changed", [a, b], _pair_text(a, b) + ": disjoint",
                            f"{doc} republishes {rep_doc} (group {group}) but changes the figure from {a.rec['text']} to "
                            f"{b.rec['text']}, and the two cannot both be true.", key)
    return kept


# --- same time: overlap ---------------------------------------------------------------------------

def _overlap_pair(a: _Item, b: _Item, key: str, out: _Builder) -> None:
    arith = _pair_text(a, b)
    if _items_overlap(a, b):
        point = single_shared_point(a.b, b.b)
        if point is not None:
            out.add("cross_document", "consistent", "agree_at_point", [a, b], arith + f": share only {_fmt(point)}",
                    f"Two reports give {_name(a.rec)} at {_when(a)} as {a.rec['text']} and {b.rec['text']}, which share only "
                    f"the single value {_fmt(point)}, so both hold only if the count is exactly that.", key)
        else:
            out.add("cross_document", "consistent", "agree", [a, b], arith + ": overlap",
                    f"Two reports give {_name(a.rec)} at {_when(a)} as {a.rec['text']} and {b.rec['text']}, and the intervals overlap.", key)
    else:
        out.add("cross_document", "inconsistent", "disjoint", [a, b], arith + ": disjoint",
                f"Two reports give {_name(a.rec)} at {_when(a)} as {a.rec['text']} and {b.rec['text']}, which cannot both be true.", key)


def _same_time(items: list[_Item], key: str, out: _Builder) -> None:
    """Sort one time slot's claims by low bound and compare neighbours, plus the most constraining pair."""
    one_per_group: dict[str, _Item] = {}
    for it in sorted(items, key=lambda i: i.rec["clean_start"]):
        one_per_group.setdefault(it.group, it)
    xs = sorted(one_per_group.values(), key=lambda i: (i.lo, i.rec["doc_id"]))
    if len(xs) < 2:
        return
    done = set()
    for a, b in pairwise(xs):
        _overlap_pair(a, b, key, out)
        done.add((id(a), id(b)))
    top = max(xs, key=lambda i: i.lo)
    low = min(xs, key=lambda i: (i.hi is None, i.hi or 0))
    if top is not low and (id(low), id(top)) not in done and (id(top), id(low)) not in done and not _items_overlap(top, low):
        _overlap_pair(low, top, key, out)


# --- cumulative series ------------------------------------------------------------------------------

def _series(levels: list[tuple[str, list[_Item]]], key: str, out: _Builder) -> None:
    """Cumulative claims in as_of order: a step is flagged only when the later interval lies wholly below an earlier one."""
    best: _Item | None = None  # highest lower bound so far
    for _, items in levels:
        later = min(items, key=lambda i: (i.hi is None, i.hi or 0, i.rec["doc_id"]))
        if best is not None:
            e, lt = best, later
            arith = f"{e.rec['text']} {e.b} ({e.rec['doc_id']}, {_when(e)}) → {lt.rec['text']} {lt.b} ({lt.rec['doc_id']}, {_when(lt)})"
            if wholly_below(lt.b, e.b):
                out.add("cross_series", "inconsistent", "series_drops", [e, lt],
                        arith + f": hi(later) {_fmt(_hi(lt.b))} < lo(earlier) {_fmt(_lo(e.b))}",
                        f"The cumulative count of {_name(e.rec)} falls from {e.rec['text']} ({_when(e)}) to {lt.rec['text']} ({_when(lt)}): "
                        "the later interval lies wholly below the earlier one.", key)
            elif (point := single_shared_point(lt.b, e.b)) is not None and _hi(lt.b) == point:
                out.add("cross_series", "consistent", "series_touches", [e, lt], arith + f": share only {_fmt(point)}",
                        f"The cumulative count of {_name(e.rec)} goes from {e.rec['text']} ({_when(e)}) to {lt.rec['text']} ({_when(lt)}); "
                        f"the wordings share only {_fmt(point)}, so they hold together only if the count stayed exactly there.", key)
            else:
                out.add("cross_series", "consistent", "series_holds", [e, lt],
                        arith + f": hi(later) {_fmt(_hi(lt.b))} ≥ lo(earlier) {_fmt(_lo(e.b))}",
                        f"The cumulative count of {_name(e.rec)} does not have to fall from {e.rec['text']} ({_when(e)}) "
                        f"to {lt.rec['text']} ({_when(lt)}).", key)
        top = max(items, key=lambda i: (i.lo, i.rec["doc_id"]))
        if best is None or top.lo > best.lo:
            best = top


def _undated(undated: list[_Item], dated: list[_Item], kind: str, key: str, out: _Builder) -> None:
    """A claim without as_of is never placed in a time order: one indeterminate row naming why."""
    others = dated or undated
    for it in undated:
        partner = next((o for o in others if o.group != it.group), None)
        if partner is None:
            continue
        out.add(kind, "indeterminate", "undated", [partner, it], _pair_text(partner, it) + ": no as_of",
                f"{it.rec['text']} in {it.rec['doc_id']} has no date (neither its sentence, its page, its URL nor the manifest "
                f"dates it), so it is not placed in time against {partner.rec['text']} and not compared.", key)


# --- part and whole ---------------------------------------------------------------------------------

Bucket = tuple[frozenset[str], frozenset[str], frozenset[str]]  # (programmes, recipient regions, aiding regions)


def _is_part(p: Bucket, w: Bucket) -> bool:
    """Bucket p is a part of bucket w: its recipient region a proper part of w's, its programme(s) among w's,
    its aiding side w's own, inside it, or any when w names none (a national total includes every province's share)."""
    aiding_ok = not w[2] or p[2] == w[2] or region_within(p[2], w[2])
    return p[0] <= w[0] and aiding_ok and strict_part(p[1], w[1])


def _part_whole(family: dict[Bucket, list[_Item]], cumulative: bool, key: str, out: _Builder) -> None:
    buckets = list(family)
    indexes: dict[Bucket, _PartIndex] = {}
    for whole in buckets:
        parts = [p for p in buckets if _is_part(p, whole)]
        if not parts:
            continue
        w_items = [w for w in family[whole] if w.slot]
        for part in parts:
            if part not in indexes:
                indexes[part] = _PartIndex([p for p in family[part] if p.slot])
            _part_vs_whole(indexes[part], w_items, cumulative, key, out)
        maximal = [p for p in parts if not any(q != p and _is_part(p, q) for q in parts)]
        if len(maximal) >= 2 and all(_disjoint(a[1], b[1]) for i, a in enumerate(maximal) for b in maximal[i + 1:]):
            _sum_vs_whole({p[1]: indexes[p] for p in maximal}, w_items, whole[1], cumulative, key, out)


def _top2(best: tuple, item: _Item) -> tuple:
    """The two items with the highest (lower bound, slot) from distinct republication groups."""
    cands = sorted((*best, item), key=lambda i: (i.lo, i.slot), reverse=True)
    out: list[_Item] = []
    for c in cands:
        if all(c.group != o.group for o in out):
            out.append(c)
        if len(out) == 2:
            break
    return tuple(out)


class _PartIndex:
    """For one part region: the part claim with the highest lower bound at a slot, or up to a slot (cumulative).

    Sorted once; each query is a dictionary look-up or a bisection, so part/whole is near-linear per block.
    """

    def __init__(self, items: list[_Item]):
        self.at: dict[str, tuple] = {}
        for it in items:
            self.at[it.slot] = _top2(self.at.get(it.slot, ()), it)
        self.slots = sorted(self.at)
        self.prefix: list[tuple] = []
        best: tuple = ()
        for slot in self.slots:
            for it in self.at[slot]:
                best = _top2(best, it)
            self.prefix.append(best)

    def best(self, w: _Item, cumulative: bool) -> _Item | None:
        if cumulative:
            i = bisect_right(self.slots, w.slot)
            top = self.prefix[i - 1] if i else ()
        else:
            top = self.at.get(w.slot, ())
        return next((p for p in top if p.group != w.group), None)


def _constraining_part(index: _PartIndex, w: _Item, cumulative: bool) -> _Item | None:
    """The part claim with the highest lower bound that must lie below whole `w` (same slot, or earlier if cumulative)."""
    return index.best(w, cumulative)


def _part_vs_whole(p_items: _PartIndex, w_items: list[_Item], cumulative: bool, key: str, out: _Builder) -> None:
    for w in sorted(w_items, key=lambda i: (i.slot, i.rec["doc_id"])):
        p = _constraining_part(p_items, w, cumulative)
        if p is None:
            continue
        h = _hi(w.b)
        ok = h is None or _lo(p.b) < h or (_lo(p.b) == h and p.b.low_inclusive and w.b.high_inclusive)
        arith = (f"part {p.rec['text']} {p.b} ({p.rec['doc_id']}, {p.rec.get('recipient_code', '')}, {_when(p)}) ≤ "
                 f"whole {w.rec['text']} {w.b} ({w.rec['doc_id']}, {w.rec.get('recipient_code', '')}, {_when(w)}): "
                 f"lo(part) {_fmt(_lo(p.b))} {'≤' if ok else '>'} hi(whole) {_fmt(h)}")
        later = "" if p.slot == w.slot else " (the part's earlier cumulative count can only have grown into the whole)"
        out.add("cross_part_whole", "consistent" if ok else "inconsistent", "part_within_whole" if ok else "part_exceeds_whole",
                [p, w], arith,
                f"The part {p.rec['text']} ({p.rec.get('recipient_name') or p.rec.get('recipient_code', '')}, {_when(p)}) is "
                f"{'not above' if ok else 'larger than'} the whole {w.rec['text']} "
                f"({w.rec.get('recipient_name') or w.rec.get('recipient_code', '')}, {_when(w)}) that includes it{later}.", key)


def _sum_vs_whole(parts: dict[frozenset[str], _PartIndex], w_items: list[_Item], whole: frozenset[str],
                  cumulative: bool, key: str, out: _Builder) -> None:
    union = frozenset().union(*parts)
    covering = region_within(whole, union)
    for w in sorted(w_items, key=lambda i: (i.slot, i.rec["doc_id"])):
        found = [_constraining_part(items, w, cumulative) for items in parts.values()]
        chosen = [c for c in found if c is not None]
        if len(chosen) < len(found):
            continue
        lo, hi, lo_inc, hi_inc = _sum(c.b for c in chosen)
        wh, wl = _hi(w.b), _lo(w.b)
        sums = " + ".join(c.rec["text"] for c in chosen)
        same_time = all(c.slot == w.slot for c in chosen)
        arith = f"{sums} = {_interval(lo, hi, lo_inc, hi_inc)} vs whole {w.rec['text']} {w.b} ({w.rec['doc_id']}, {_when(w)})"
        exceeds = wh is not None and (lo > wh or (lo == wh and not (lo_inc and w.b.high_inclusive)))
        short = covering and same_time and hi is not None and (hi < wl or (hi == wl and not (hi_inc and w.b.low_inclusive)))
        if exceeds:
            out.add("cross_part_whole", "inconsistent", "parts_exceed_whole", [*chosen, w], arith + ": sum above whole",
                    f"The parts {sums} add up to more than the whole {w.rec['text']} ({_when(w)}) that includes them.", key)
        elif short:
            out.add("cross_part_whole", "inconsistent", "parts_short_of_whole", [*chosen, w], arith + ": sum below whole",
                    f"The parts {sums} cover the whole region but add up to less than {w.rec['text']} ({_when(w)}).", key)
        else:
            outcome = "parts_complete" if covering and same_time else "parts_within_whole"
            out.add("cross_part_whole", "consistent", outcome, [*chosen, w], arith + ": fits",
                    f"The parts {sums} {'add up to' if outcome == 'parts_complete' else 'fit within'} the whole "
                    f"{w.rec['text']} ({_when(w)}) within their intervals.", key)


def _without_parts(key: str, programme: str, recipient: str, aiding: str = "") -> str:
    """The quantity key with its programme and recipient-region parts blanked (``*``): keys equal but for the
    regions (and the programme naming them) fall in one part/whole block, where :func:`_is_part` decides.
    The key's '|'-separated parts are blanked where they equal the claim's programme, then (the first
    remaining one) its recipient code, then its aiding code; a key that spells none of them stays its own
    block and is never compared as a part."""
    parts = key.split("|")
    if len(parts) == 6:  # aidlab.attribution's programme|recipient|aiding|metric|unit family|scope
        return "|".join(["*", "*", "*", *parts[3:]])
    for value in (programme, recipient, aiding):
        if value and value in parts:
            parts[parts.index(value)] = "*"
    return "|".join(parts)


# --- entry point -------------------------------------------------------------------------------------

def _comparable(claims: pd.DataFrame, docs: DocumentIndex) -> pd.DataFrame | None:
    """The claims that can be compared (a key, not damaged), only the columns the checks read, with their
    republication group; None when there are none."""
    if claims.empty or "quantity_key" not in claims:
        return None
    key = claims["quantity_key"].fillna("").astype(str)
    df = claims.loc[~claims["damaged"].astype(bool) & (key != "") & (key != "unknown"),
                    [c for c in CROSS_COLUMNS if c in claims.columns]].copy()
    df["republication_group"] = _groups(df, docs)
    for c in ATTRIBUTION_INPUTS:
        if c not in df:
            df[c] = ""
        df[c] = df[c].fillna("").astype(str)
    return df if len(df) else None


def _keyed_items(claims: pd.DataFrame, docs: DocumentIndex) -> Iterator[tuple[str, list[_Item]]]:
    """(quantity key, its items) in the order keys first appear. The block's columns are held as lists
    and a key's records are made when its turn comes, so the step holds the records of one key (and the
    few that stand for their groups), not of the whole block: on the benchmark corpus a block held
    300 000 claims at 1.2 KB a record."""
    df = _comparable(claims, docs)
    if df is None:
        return
    columns = list(df.columns)
    lists = _column_lists(df)
    del df
    rows_of: dict[str, list[int]] = {}
    for i, k in enumerate(lists[columns.index("quantity_key")]):
        rows_of.setdefault(k, []).append(i)
    cache: dict[tuple, tuple[Bounds, Fraction, Fraction | None]] = {}
    for key, rows in rows_of.items():
        items = []
        for i in rows:
            rec = dict(zip(columns, [col[i] for col in lists]))
            k = (rec["number"], rec["multiplier"], rec["unit"], rec["qualifier"])
            hit = cache.get(k)
            if hit is None:
                b = claim_bounds(rec)
                hit = cache[k] = (b, _lo(b), _hi(b))
            items.append(_Item(rec, hit[0], _slot(rec), rec["republication_group"], hit[1], hit[2]))
        yield key, items


def cross_document_checks(claims: pd.DataFrame, documents: pd.DataFrame | DocumentIndex | None = None) -> list[Check]:
    """Every cross-document check (republication, same time, cumulative series, part and whole), blocked by key."""
    return list(iter_cross_document_checks(claims, documents))


def _drain(out: _Builder) -> list[Check]:
    done, out.out = out.out, []
    return done


def iter_cross_document_checks(claims: pd.DataFrame,
                               documents: pd.DataFrame | DocumentIndex | None = None) -> Iterator[Check]:
    """The cross-document checks in the order `cross_document_checks` lists them, key by key, so a caller
    can write them as they come (the checks of one block of claims need not all be held at once).
    `documents` is the documents table or, for a run over many blocks, its `document_index` built once."""
    docs = documents if isinstance(documents, DocumentIndex) else document_index(documents)
    out = _Builder(docs.meta)
    standing: dict[str, list[_Item]] = {}
    for key, block in _keyed_items(claims, docs):
        kept = _republication(block, key, out) if len({i.rec["doc_id"] for i in block}) > 1 else block
        standing[key] = kept
        # a running total is ordered by as_of; a stock at a date (point) shares its key when it answers the same
        # question (截至2018年底 1180家 vs 累计1172家), but a key of stocks alone is not ordered: stocks may fall
        kinds = {i.rec["scope_kind"] for i in kept}
        cumulative = "cumulative" in kinds and kinds <= {"cumulative", "point"}
        dated, undated = [i for i in kept if i.slot], [i for i in kept if not i.slot]
        slots: dict[str, list[_Item]] = {}
        for it in dated:
            slots.setdefault(it.slot, []).append(it)
        for slot_items in slots.values():
            if len({i.group for i in slot_items}) > 1:
                _same_time(slot_items, key, out)
        if cumulative:
            _series(sorted((s, its) for s, its in slots.items() if not s.startswith("batch")), key, out)
        if undated and len({i.group for i in kept}) > 1:
            _undated(undated, dated, "cross_series" if cumulative else "cross_document", key, out)
        yield from _drain(out)
    # part and whole: keys that differ only in the recipient region
    # (a programme of several, 组团式援疆援藏, includes each of them: its programmes are ';'-joined like regions)
    families: dict[tuple, dict[Bucket, list[_Item]]] = {}
    scope_kinds: dict[tuple, set[str]] = {}
    for key, kept in standing.items():
        for it in kept:
            r = it.rec
            programmes = _codes(r["programme"]) - {"unknown"}
            if not programmes or not r["recipient_code"]:
                continue
            scope = "cumulative" if r["scope_kind"] in ("cumulative", "point") else r["scope_kind"]
            fam = (_without_parts(key, r["programme"], r["recipient_code"], r["aiding_code"]), r["metric"],
                   r["unit_family"], scope)
            bucket = (programmes, _codes(r["recipient_code"]), _codes(r["aiding_code"]))
            families.setdefault(fam, {}).setdefault(bucket, []).append(it)
            scope_kinds.setdefault(fam, set()).add(r["scope_kind"])
    for fam, family in families.items():
        if len(family) > 1:  # earlier parts count against later wholes only for running totals (as in the series)
            kinds = scope_kinds[fam]
            _part_whole(family, "cumulative" in kinds and kinds <= {"cumulative", "point"}, fam[0], out)
            yield from _drain(out)
