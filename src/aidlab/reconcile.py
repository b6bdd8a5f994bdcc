"""Reconciliation: do the reported figures agree with each other?

Takes a claims table (aidlab.claims) and returns a checks table, one row per check, with a verdict
(`consistent`, `inconsistent`, `indeterminate`), the claims and documents involved, the arithmetic
and a one-sentence explanation. Every check is interval-aware: it uses each claim's exact bounds
(qualifier and written precision honoured), never the bare point value. Within-document checks are
a function of one document's claims; cross-document checks work on a small table of candidate pairs.
"""
from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

import pandas as pd

from .claims import claim_bounds
from .fields import table_columns
from .intervals import ROUNDING_MODES, Bounds, grim_percent

VERDICTS = ("consistent", "inconsistent", "indeterminate")
ORDINARY_MODES = ("half_up", "half_down", "half_even")
PEOPLE_UNITS = frozenset({"名", "人", "位"})
GROWTH_VERB = re.compile(r"(增长|增加|提高|提升|上升|下降|减少|降低)了?$")
DECREASE = frozenset({"下降", "减少", "降低"})
PART_OF = re.compile(r"(占|占到|占比|比例|比重)")
TOTAL_WORD = re.compile(r"(共计|合计|总计|累计|共|总)")

KINDS: dict[str, str] = {
    "grim": "Percentage of a stated count: is some whole number k of the n with k/n×100 reported as this percentage, and under which rounding modes?",
    "range": "Range sanity: a share within 0–100% unless it describes growth; a part (其中 …) never above its whole (of the same unit family; a rate is never a whole).",
    "parts_total": "Listed parts against a stated total (共/合计 …) of the same unit family (persons 名/人/位, procedures 台/例 …; a rate is never a total): complete, partial (parts cover only some of the total, gap given) or exceeding.",
    "change": "A change (从A提升至B, 较2019年增长x%, 同比增加x%): implied baseline derived and checked against one the text states (从A…, or a figure for the period compared with in the same or a nearby sentence: 去年同期3.1万人次) and the direction of change; rates flagged for relative-vs-percentage-point ambiguity.",
    "repeat": "The same figure stated twice in one article (headline and body, lead repeated, worded differently: 43.93万人 / 近44万人), matched by unit family, what is counted and near or overlapping values: do the two intervals overlap?",
    "cross_document": "Claims of one quantity key at the same time (as_of; the same period; the same batch) from different republication groups (aidlab.crossdoc): the intervals must overlap (agree; agree_at_point when they share one value; disjoint); undated claims are not compared (undated).",
    # aidlab.crossdoc (blocked by quantity key; a republication group counts once)
    "cross_series": "A cumulative quantity across reports ordered by as_of: may not decrease; flagged only when a later interval lies wholly below an earlier one (series_drops); series_touches when the wordings share one value; undated claims are not placed in the order.",
    "cross_part_whole": "Part and whole across reports: a region's count (Tibet) not above the count of a region that includes it (Tibet + Xinjiang; a province for its prefecture) at the same as_of or, for cumulative counts, later; disjoint parts added by interval addition.",
    "republication": "Copies of one article in a republication group: republished (identical figure: one source, not a confirmation), wording_changed, figure_changed (a copy changed the figure).",
}

CHECK_COLUMNS: dict[str, str] = table_columns([
    "check_id", "kind", "verdict", "outcome", "doc_ids", "claim_ids", "arithmetic", "explanation", "modes",
    "evidence", "evidence_offsets", "evidence_urls", "evidence_dates", "quantity_key", "can_fail"
])


@dataclass
class Check:
    """One reconciliation check, before it becomes a table row."""

    kind: str
    verdict: str
    outcome: str
    claims: list = field(default_factory=list)  # claim records (dicts or pd.Series) in arithmetic order
    arithmetic: str = ""
    explanation: str = ""
    modes: str = ""
    can_fail: bool = True  # False: the verdict could not have been inconsistent (see CHECK_COLUMNS)

    def row(self) -> dict:
        ids = [c["claim_id"] for c in self.claims]
        docs = list(dict.fromkeys(c["doc_id"] for c in self.claims))
        sentences = list(dict.fromkeys(c["sentence"] for c in self.claims))
        offsets = [f"{c['claim_id']}@{c['clean_start']}-{c['clean_end']} raw {c['raw_start']}-{c['raw_end']}" for c in self.claims]
        return {"check_id": "", "kind": self.kind, "verdict": self.verdict, "outcome": self.outcome,
                "doc_ids": ";".join(docs), "claim_ids": ";".join(ids), "arithmetic": self.arithmetic,
                "explanation": self.explanation, "modes": self.modes, "evidence": " ‖ ".join(sentences),
                "evidence_offsets": ";".join(offsets), "can_fail": bool(self.can_fail),
                "evidence_urls": "", "evidence_dates": "", "quantity_key": ""}  # across documents: aidlab.crossdoc


# --- small exact helpers ------------------------------------------------------------------------

def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts; a zip over column lists (DataFrame.to_dict('records') goes row by row and is slow)."""
    columns = list(df.columns)
    return [dict(zip(columns, values)) for values in zip(*(df[c].tolist() for c in columns))]


def _fmt(x: Fraction | Decimal | None, digits: int = 4) -> str:
    if x is None:
        return "inf"
    f = Fraction(x)
    if f.denominator == 1:
        return str(f.numerator)
    if abs(f) >= 100:
        return f"{round(f):,}"  # counts and amounts: whole units are enough
    return f"{float(f):.{digits}g}" if abs(f) >= 1 else f"{float(f):.{digits}f}"


def _lo(b: Bounds) -> Fraction:
    return Fraction(b.low) if b.low is not None else Fraction(0)


def _hi(b: Bounds) -> Fraction | None:
    return Fraction(b.high) if b.high is not None else None


def _overlaps(span: tuple[Fraction, Fraction | None], b: Bounds) -> bool:
    """Whether the closed span [lo, hi] (hi None = unbounded) shares a value with b, exactly."""
    lo, hi = span
    b_hi = _hi(b)
    above_low = b_hi is None or lo < b_hi or (lo == b_hi and b.high_inclusive)
    below_high = hi is None or _lo(b) < hi or (_lo(b) == hi and (b.low_inclusive or b.low is None))
    return above_low and below_high


def _sum_bounds(bounds: Iterable[Bounds]) -> tuple[Fraction, Fraction | None]:
    """[sum of lows, sum of highs] (None high when any part is unbounded)."""
    lo = Fraction(0)
    hi: Fraction | None = Fraction(0)
    for b in bounds:
        lo += _lo(b)
        h = _hi(b)
        hi = None if hi is None or h is None else hi + h
    return lo, hi


# --- within one document ------------------------------------------------------------------------
#
# The checks of one document work on plain records (one dict per claim, converted once from the
# claims table) and never compare every claim with every other: each pairing is blocked by
# sentence or by key, so the work grows linearly with the page.
#
# * grim: a percentage looks back for its count in its own sentence and the two before it;
# * range: a part (其中 …) looks back for its whole in its own sentence;
# * parts_total: a total takes its parts from its own sentence (after 其中, up to the next total) or from the nearest
#   sentences holding figures of the same unit family and metric (PARTS_AFTER after it, PARTS_BEFORE
#   before it);
# * change: per sentence; a stated baseline is looked for in the same sentence and BASELINE_WINDOW
#   sentences around it;
# * repeat: claims are hashed by (unit family, value bucket); a claim is compared only with earlier
#   claims in the buckets its value and interval reach.
#
# Every scan is also capped (MAX_SCAN candidates, REPEAT_ANCHORS per bucket) so that a page written as
# one endless sentence, or repeating one figure thousands of times, stays linear too. The number of
# candidate comparisons per kind is reported through check_document(…, stats=…).

#: Unit families: parts and wholes, repeats and stated baselines are only compared within one family.
#: A unit missing here is its own family (次, 项, 条, 张 …).
#: The within-page checks' families: the unit families of `aidlab.attribution.keys.UNIT_FAMILIES` (one
#: table for the package), with every rate joined into `share` and 个 counted with institutions.
_COARSER = {"percent": "share", "percentage_points": "share", "rate_per_population": "share", "multiple": "ratio",
            "units": "institutions"}
#: Families of rates: a rate is never a whole, never a part of a count and never a repeat of one.
RATE_FAMILIES = frozenset({"share", "ratio"})
#: Sentences after / before a total searched for its listed parts (counting only sentences that hold
#: figures of the total's unit family and metric).
PARTS_AFTER, PARTS_BEFORE = 3, 1
#: Sentences before / after a change's sentence searched for a stated baseline (去年同期3.1万人次).
BASELINE_WINDOW = (1, 2)
#: Most candidates any one claim is compared with in a scan (a guard for degenerate pages).
MAX_SCAN = 64
#: Most recent unmatched claims kept per (family, value bucket) as repeat partners.
REPEAT_ANCHORS = 32
#: Repeats: values within 10% are near; overlapping intervals of approximate figures (a written point,
#: 近, 约) count within a factor REPEAT_SPAN.
REPEAT_NEAR, REPEAT_SPAN = 0.1, 1.25
APPROXIMATE_READINGS = frozenset({"point", "near", "about"})
_BUCKET = -math.log(1 - REPEAT_NEAR)  # width of a value bucket in log space
_NEAR_HALF = math.sqrt(1 - REPEAT_NEAR)  # v·h and v/h: two values within 10% have touching spans


def unit_family(unit: str) -> str:
    """The family of a unit (persons, person_visits, institutions, procedures, money, share, ratio …; else the unit)."""
    from .attribution.keys import UNIT_FAMILIES

    family = UNIT_FAMILIES.get(unit)
    return unit if family is None else _COARSER.get(family, family)


@lru_cache(maxsize=1 << 16)
def _written_bounds(number: str, multiplier: int, unit: str, qualifier: str, damaged: bool, low: float, high: float) -> Bounds:
    return claim_bounds({"number": number, "multiplier": multiplier, "unit": unit, "qualifier": qualifier,
                         "damaged": damaged, "low": low, "high": high})


def _bounds_of(r: dict) -> Bounds:
    """claim_bounds of a claim record, computed once per distinct figure (Bounds are immutable)."""
    if r["damaged"]:
        return _written_bounds("", 1, r["unit"], "", True, float(r["low"]), float(r["high"]))
    return _written_bounds(r["number"], int(r["multiplier"]), r["unit"], r["qualifier"], False, 0.0, 0.0)


def _claim_records(df: pd.DataFrame) -> list[dict]:
    """Claim rows as dicts, each sentence read once and shared by its claims (a column of text per claim costs
    the sentence's length for every figure in it: quadratic on a page written as one long sentence)."""
    if "sentence" not in df.columns or "sentence_no" not in df.columns:
        return _records(df)
    columns = [c for c in df.columns if c != "sentence"]
    recs = [dict(zip(columns, values)) for values in zip(*(df[c].tolist() for c in columns))]
    first: dict[tuple, int] = {}
    for k, r in enumerate(recs):
        first.setdefault((r.get("doc_id"), r["sentence_no"]), k)
    texts = dict(zip(first, df["sentence"].iloc[list(first.values())].tolist()))
    for r in recs:
        r["sentence"] = texts[(r.get("doc_id"), r["sentence_no"])]
    return recs


class _Page:
    """One document's claims as plain records in text order, with the indexes the checks block on."""

    def __init__(self, claims: pd.DataFrame | Iterable[dict]):
        recs = _claim_records(claims) if isinstance(claims, pd.DataFrame) else [dict(r) for r in claims]
        recs.sort(key=lambda r: r["clean_start"])
        self.recs = recs
        self.family = [unit_family(r["unit"]) for r in recs]
        self.by_sentence: dict[int, list[int]] = {}
        for i, r in enumerate(recs):
            self.by_sentence.setdefault(int(r["sentence_no"]), []).append(i)
        self.rank = [0] * len(recs)  # index of a claim among its sentence's claims
        self.pos = [0] * len(recs)   # where the figure stands in its sentence (-1: not found)
        for members in self.by_sentence.values():
            for k, i in enumerate(members):
                self.rank[i] = k
            self._place(members)
        self.stats: Counter = Counter()
        self._bounds: dict[int, Bounds] = {}
        self._marks: dict[int, tuple[list[int], list[int], list[int]]] = {}
        self._part_of: dict[int, bool] = {}
        self._keys: dict[tuple[str, str], tuple[list[int], dict[int, list[int]]]] | None = None

    def _place(self, members: list[int]) -> None:
        """Positions of a sentence's figures: from the sentence's start offset when the claims' offsets give it
        (one search per sentence, and a figure written twice in a sentence gets its own place), else by search."""
        recs = self.recs
        sentence, first = recs[members[0]]["sentence"], recs[members[0]]
        k = sentence.find(first["text"])
        for _ in range(8):
            if k < 0:
                break
            start = first["clean_start"] - k
            if all(sentence.startswith(recs[i]["text"], recs[i]["clean_start"] - start) and recs[i]["clean_start"] >= start
                   for i in members):
                for i in members:
                    self.pos[i] = recs[i]["clean_start"] - start
                return
            k = sentence.find(first["text"], k + 1)
        for i in members:
            self.pos[i] = recs[i]["sentence"].find(recs[i]["text"])

    def bounds(self, i: int) -> Bounds:
        b = self._bounds.get(i)
        if b is None:
            b = self._bounds[i] = _bounds_of(self.recs[i])
        return b

    def sentence(self, sno: int) -> list[int]:
        return self.by_sentence.get(sno, [])

    def marks(self, i: int) -> tuple[list[int], list[int], list[int]]:
        """Positions of 其中, of ，,；; and of ，,；;：: in claim i's sentence, computed once per sentence."""
        sno = int(self.recs[i]["sentence_no"])
        got = self._marks.get(sno)
        if got is None:
            text = self.recs[i]["sentence"]
            got = self._marks[sno] = ([m.start() for m in re.finditer("其中", text)],
                                      [m.start() for m in re.finditer(r"[，,；;]", text)],
                                      [m.start() for m in re.finditer(r"[，,；;：:]", text)])
        return got

    def clause_before(self, i: int) -> str:
        """The words of claim i's clause before it (from the last ，,；;：: of its sentence)."""
        pos = self.pos[i]
        breaks = self.marks(i)[2]
        k = bisect.bisect_left(breaks, pos)
        return self.recs[i]["sentence"][breaks[k - 1] + 1 if k else 0:pos]

    def part_of(self, i: int) -> bool:
        """Whether claim i's sentence speaks of a share (占/比例 …), computed once per sentence."""
        sno = int(self.recs[i]["sentence_no"])
        got = self._part_of.get(sno)
        if got is None:
            got = self._part_of[sno] = bool(PART_OF.search(self.recs[i]["sentence"]))
        return got

    def back_from(self, i: int, sentences_back: int = 0) -> Iterable[int]:
        """Claims before claim i in its sentence and the `sentences_back` before it, nearest first, at most MAX_SCAN."""
        sno = int(self.recs[i]["sentence_no"])
        seen = 0
        for s in range(sno, sno - sentences_back - 1, -1):
            members = self.sentence(s)
            top = self.rank[i] if s == sno else len(members)
            for j in reversed(members[max(0, top - MAX_SCAN):top]):
                if seen == MAX_SCAN:
                    return
                seen += 1
                yield j

    def key_sentences(self, key: tuple[str, str]) -> tuple[list[int], dict[int, list[int]]]:
        """Sentence numbers (sorted) holding claims of key = (unit family, metric), and those claims per sentence."""
        if self._keys is None:
            self._keys = {}
            for i, r in enumerate(self.recs):
                sents, members = self._keys.setdefault((self.family[i], r["metric"]), ([], {}))
                sno = int(r["sentence_no"])
                if sno not in members:
                    sents.append(sno)
                    members[sno] = []
                members[sno].append(i)
        return self._keys.get(key, ([], {}))


def _as_page(claims) -> _Page:
    return claims if isinstance(claims, _Page) else _Page(claims)


def _is_rate(page: _Page, i: int) -> bool:
    return page.family[i] in RATE_FAMILIES


def _is_count(r: dict) -> bool:
    """A stated whole count of people, usable as GRIM's n."""
    return (r["unit"] in PEOPLE_UNITS and r["reading"] == "point" and not r["damaged"] and r["multiplier"] == 1
            and "." not in r["number"] and r["value"] >= 1)


def _last_place(number: str) -> Fraction:
    """Place value of the last written digit of a number as written ('42.2' → 1/10, '46' → 1)."""
    digits = number.replace(",", "")
    return Fraction(1, 10 ** len(digits.split(".")[1])) if "." in digits else Fraction(1)


def grim_checks(claims) -> list[Check]:
    """GRIM: each percentage (占/比例 …) of a stated whole count of people, checked per rounding mode."""
    page = _as_page(claims)
    out = []
    for i, p in enumerate(page.recs):
        if p["unit"] != "%" or p["damaged"] or not page.part_of(i):
            continue
        c = None
        for j in page.back_from(i, sentences_back=2):
            page.stats["grim"] += 1
            r = page.recs[j]
            s = r["subject"]
            if _is_count(r) and s and (s in p["sentence"] or s[-2:] in p["sentence"]):
                c = r
                break
        if c is None:
            continue
        n = int(c["value"])
        admitted = grim_percent(p["number"], n)
        modes = [m for m in ROUNDING_MODES if admitted[m]]
        ks = sorted({k for m in modes for k in admitted[m]})
        shown = ", ".join(f"{k}/{n} = {Fraction(100 * k, n).__float__():.3f}%" for k in ks) or "no k"
        arithmetic = f"{p['number']}% of n = {n}: " + "; ".join(f"{m}: {admitted[m] or '—'}" for m in ROUNDING_MODES) + f" ({shown})"
        if any(m in modes for m in ORDINARY_MODES):
            verdict, outcome = "consistent", "ordinary_rounding"
            expl = f"{p['text']} of {c['text']} is reachable as {ks[0]}/{n} under ordinary rounding."
        elif modes:
            verdict, outcome = "indeterminate", "truncation_only"
            expl = (f"{p['text']} of {c['text']} is reachable only if the writer truncated rather than rounded "
                    f"({', '.join(shown.split(', '))}; modes: {', '.join(modes)}).")
        else:
            verdict, outcome = "inconsistent", "no_rounding_mode"
            expl = f"No whole number of the {n} gives {p['text']} under any rounding mode."
        # k/n·100 lie 100/n apart; some percentage at the written precision u misses them all under
        # every rounding mode (whose union is (x - u, x + u)) exactly when 100/n >= 2u
        can_fail = n * _last_place(p["number"]) <= 50
        out.append(Check("grim", verdict, outcome, [c, p], arithmetic, expl, ";".join(modes), can_fail))
    return out


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


def _growth_of(claims, row, pos: int | None = None) -> tuple[str, bool] | None:
    """(verb, is_year_on_year) when a % claim is a growth figure: preceded by 增长/提高 … in its sentence.

    `pos`: where the figure stands in its sentence (default: its first occurrence)."""
    s = row["sentence"]
    if pos is None:
        pos = s.find(row["text"])
    head = s[max(0, pos - 8):pos]
    m = GROWTH_VERB.search(head.rstrip("、分别约近超过"))
    lead = s[max(0, pos - 200):pos]  # a list of rates or a comparison is read within 200 characters
    if not m:  # a later item of a list: 增长137.4%、25%
        m = re.search(r"(增长|增加|提高|提升|上升|下降|减少|降低)了?(?:\d+(?:\.\d+)?%、)+$", lead)
        if not m:
            return None
    verb = m.group(1)
    return verb, bool(re.search(r"(较|比|同比|环比)", lead))


#: What a growth figure is compared with: 同比 → the same period a year before, 环比 → the period before,
#: 较X / 比X → X itself (较2019年 → 2019年, 比去年同期 → 去年同期).
_REFERENCE = re.compile(r"(同比|环比|较|比|与)([^，,。；;：:、]{0,12}?)(?:同期)?(?:相比|相较)?(?:分别)?(?:增长|增加|提高|提升|上升|下降|减少|降低)了?[^，,。；;]{0,4}$")
_SAME_PERIOD = ("去年同期", "上年同期", "上一年同期", "同期")
_PREVIOUS_PERIOD = ("上月", "上个月", "上季度", "上一季度", "上期", "上周", "上半年")
_NOT_A_BASELINE = re.compile(r"^(?:以来|来|起|至今|开始)")


def _reference_words(head: str) -> tuple[str, ...]:
    """The words naming a change's baseline period, read from the text before the growth figure."""
    m = _REFERENCE.search(head)
    if not m:
        return ()
    word, what = m.group(1), m.group(2).strip()
    if word == "同比":
        return _SAME_PERIOD
    if word == "环比":
        return _PREVIOUS_PERIOD
    if not what:
        return ()
    words = [what]
    if what in ("去年", "上年", "上一年"):
        words += ["去年", "上年", "上一年"]
    return tuple(dict.fromkeys(words))


def _stated_baseline(page: _Page, cur_i: int, growth_ids: set[int], refs: tuple[str, ...]) -> int | None:
    """A figure of the current value's family that the text gives for the reference period (去年同期3.1万人次), nearby."""
    if not refs:
        return None
    sno = int(page.recs[cur_i]["sentence_no"])
    before, after = BASELINE_WINDOW
    for s in [sno] + list(range(sno + 1, sno + after + 1)) + list(range(sno - 1, sno - before - 1, -1)):
        for j in page.sentence(s)[:MAX_SCAN]:
            if j == cur_i or j in growth_ids:
                continue
            page.stats["change"] += 1
            r = page.recs[j]
            if page.family[j] != page.family[cur_i] or r["damaged"] or page.pos[j] < 0:
                continue
            if r["unit"] == "%" and _growth_of(None, r, page.pos[j]):
                continue  # another growth rate, not a stated rate
            clause = re.split(r"[，,。；;：:]", r["sentence"][max(0, page.pos[j] - 16):page.pos[j]])[-1]
            for w in refs:
                k = clause.find(w)
                if k != -1 and not _NOT_A_BASELINE.match(clause[k + len(w):]):
                    return j
    return None


def _claims_within(page: _Page, members: list[int], starts: list[int], start: int, end: int) -> list[int]:
    """The claims of one sentence (members, in text order, standing at `starts`) wholly inside sentence[start:end]."""
    k = bisect.bisect_left(starts, start)
    out = []
    for j in members[k:]:
        page.stats["change"] += 1
        if page.pos[j] >= end:
            break
        if page.pos[j] + len(page.recs[j]["text"]) <= end:
            out.append(j)
    return out


_FROM_TO = re.compile(r"从([^，。；]{1,20}?)(提升|提高|增加|增长|上升|下降|降低|减少)(?:至|到)([^，。；]{1,20})")


def _from_to_check(m: re.Match[str], a: dict, b: dict) -> Check:
    """A 从A…至B pair: whether B lies on the stated side of A, with the change in points and relative terms."""
    if a["damaged"] or b["damaged"]:
        return Check("change", "indeterminate", "damaged", [a, b], "a figure involved is damaged",
                     f"The change from {a['text']} to {b['text']} cannot be checked: a figure lost digits to mojibake.",
                     can_fail=False)
    ab, bb = _bounds_of(a), _bounds_of(b)
    decrease = m.group(2) in DECREASE
    if decrease:  # some B below some A
        a_hi = _hi(ab)
        possible = a_hi is None or _lo(bb) < a_hi
        can_fail = a_hi is not None
    else:  # some B above some A
        b_hi = _hi(bb)
        possible = b_hi is None or b_hi > _lo(ab)
        can_fail = b_hi is not None
    pp = f"{_fmt(Fraction(b['value']).limit_denominator(1000) - Fraction(a['value']).limit_denominator(1000))}"
    rel = (Fraction(b["value"]).limit_denominator(1000) / Fraction(a["value"]).limit_denominator(1000) - 1) * 100 if a["value"] else None
    unit_note = (f"; as a rate this is {pp} percentage points or {_fmt(rel, 4)}% relative" if a["unit"] == "%" and rel is not None
                 else (f"; relative change {_fmt(rel, 4)}%" if rel is not None else ""))
    return Check("change", "consistent" if possible else "inconsistent", "direction_ok" if possible else "direction_wrong",
                 [a, b], f"{a['text']} {ab} → {b['text']} {bb} ({m.group(2)}){unit_note}",
                 f"The change from {a['text']} to {b['text']} is {'consistent with' if possible else 'opposite to'} the stated {m.group(2)}{unit_note}.",
                 can_fail=can_fail)


def _from_to_checks(page: _Page, members: list[int], starts: list[int], text: str,
                    used_from_to: dict[str, Check]) -> list[Check]:
    """The 从A (提升|…) 至/到 B pairs of one sentence; each B's check is remembered in used_from_to."""
    recs = page.recs
    out = []
    for m in _FROM_TO.finditer(text):
        inside_a = _claims_within(page, members, starts, m.start(1), m.end(1))
        inside_b = _claims_within(page, members, starts, m.start(3), m.end(3))
        if not (inside_a and inside_b):
            continue
        a, b = recs[inside_a[-1]], recs[inside_b[0]]
        check = _from_to_check(m, a, b)
        if not (a["damaged"] or b["damaged"]):  # a damaged pair gives no baseline
            used_from_to.setdefault(b["claim_id"], check)
        out.append(check)
    return out


def _growth_pairs(page: _Page, members: list[int], text: str) -> tuple[list[tuple[int, int, str]], set[int]]:
    """(current value, growth rate, verb) pairs of one sentence (分别 pairs them in order), and the growth rates."""
    recs = page.recs
    sent = [recs[j] for j in members]
    growth = [(j, g) for j in members if recs[j]["unit"] == "%" and not recs[j]["damaged"]
              if (g := _growth_of(sent, recs[j], page.pos[j]))]
    if not growth:
        return [], set()
    first = recs[growth[0][0]]
    growth_ids = {j for j, _ in growth}
    currents = [j for j in members if recs[j]["clean_start"] < first["clean_start"] and j not in growth_ids]
    if not currents:
        return [], growth_ids
    respectively = "分别" in text[:text.find(first["text"])]
    pairs = list(zip(currents[-len(growth):], growth)) if respectively else [(currents[-1], growth[0])]
    return [(cur_i, g_i, verb) for cur_i, (g_i, (verb, _yoy)) in pairs], growth_ids


def _stated_reference(page: _Page, cur_i: int, g_i: int, growth_ids: set[int],
                      used_from_to: dict[str, Check]) -> tuple[dict | None, str]:
    """The baseline the text states for a growth: the A of a 从A至B ending at the current value, or a figure
    given for the reference period; with the note saying where it was found."""
    recs = page.recs
    cur, g = recs[cur_i], recs[g_i]
    if cur["claim_id"] in used_from_to:
        return used_from_to[cur["claim_id"]].claims[0], ""
    g_pos = page.pos[g_i]
    refs = _reference_words(g["sentence"][max(0, g_pos - 24):max(0, g_pos)])
    b_i = _stated_baseline(page, cur_i, growth_ids, refs)
    if b_i is not None:
        return recs[b_i], " (stated for the period compared with)"
    return None, ""


def _growth_check(page: _Page, cur_i: int, g_i: int, verb: str, growth_ids: set[int],
                  used_from_to: dict[str, Check]) -> Check:
    """A growth rate with its current value: the implied baseline, against a stated one when the text gives it."""
    recs = page.recs
    cur, g = recs[cur_i], recs[g_i]
    cb, gb = page.bounds(cur_i), page.bounds(g_i)
    sign = -1 if verb in DECREASE else 1
    # relative reading: base = current / (1 ± g/100), widest over both intervals
    g_lo, g_hi = _lo(gb), _hi(gb)
    if g_hi is None:  # an open-ended growth (增长超过x%) bounds no baseline from one side
        return Check("change", "indeterminate", "baseline_derived", [cur, g],
                     f"current {cur['text']} {cb}, {verb} {g['text']} {gb}: open-ended",
                     f"The {verb} of {g['text']} has no upper bound, so the baseline is bounded on one side only.",
                     can_fail=False)
    f_lo, f_hi = 1 + sign * g_lo / 100, 1 + sign * g_hi / 100
    fmin, fmax = min(f_lo, f_hi), max(f_lo, f_hi)
    c_lo, c_hi = _lo(cb), _hi(cb)  # c_hi None: the current value is open-ended
    base_rel = (c_lo / fmax, None if c_hi is None else c_hi / fmin) if fmin > 0 else None
    arith = f"current {cur['text']} {cb}, {verb} {g['text']} {gb}"
    if base_rel:
        arith += f"; relative reading: baseline = current / (1 {'-' if sign < 0 else '+'} g) ∈ [{_fmt(base_rel[0])}, {_fmt(base_rel[1])}] {cur['unit']}"
    stated, where = _stated_reference(page, cur_i, g_i, growth_ids, used_from_to)
    pp: tuple[Fraction, Fraction] | None = None
    if cur["unit"] == "%" and c_hi is not None:
        pp = (c_lo - sign * g_hi, c_hi - sign * g_lo)
        arith += f"; percentage-point reading: baseline ∈ [{_fmt(min(pp))}, {_fmt(max(pp))}]%"
    if stated is not None:
        a = stated
        ab = _bounds_of(a)
        ok = base_rel is not None and _overlaps(base_rel, ab)
        reading = ""
        if not ok and pp is not None and a["unit"] == "%":
            # a rate's change may be meant in percentage points: agreeing so is agreeing
            ok = _overlaps((max(Fraction(0), min(pp)), max(pp)), ab)
            reading = " read as percentage points" if ok else ""
        can_fail = base_rel is None or not (base_rel[1] is None and _hi(ab) is None)
        return Check("change", "consistent" if ok else "inconsistent", "baseline_agrees" if ok else "baseline_disagrees",
                     [a, cur, g], arith + f"; stated baseline {a['text']} {ab}{where}{reading}",
                     f"The {verb} of {g['text']}{reading} from the stated {a['text']} to {cur['text']} {'agrees' if ok else 'does not agree'} with the figures.",
                     can_fail=can_fail)
    if pp is not None:
        return Check("change", "indeterminate", "ambiguous_pp_vs_relative", [cur, g], arith,
                     f"{g['text']} growth of the rate {cur['text']} implies a baseline of {_fmt(base_rel[0] if base_rel else None)}–{_fmt(base_rel[1] if base_rel else None)}% if relative, "
                     f"but {_fmt(min(pp))}–{_fmt(max(pp))}% if percentage points; the text does not say which.",
                     can_fail=False)
    return Check("change", "indeterminate", "baseline_derived", [cur, g], arith,
                 f"{cur['text']} after a {verb} of {g['text']} implies a baseline of {_fmt(base_rel[0])}–{_fmt(base_rel[1])} {cur['unit']}, which the article does not state."
                 if base_rel else f"The {verb} of {g['text']} cannot be turned into a baseline.",
                 can_fail=False)


def change_checks(claims) -> list[Check]:
    """从A…至B pairs and growth rates (较…增长x%, 同比增加x%): implied baselines, direction, pp-vs-relative ambiguity."""
    page = _as_page(claims)
    out = []
    used_from_to: dict[str, Check] = {}
    for sno in sorted(page.by_sentence):
        members = page.by_sentence[sno]
        text = page.recs[members[0]]["sentence"]
        starts = [page.pos[j] for j in members]  # in text order: one sentence
        page.stats["change"] += len(members)
        out += _from_to_checks(page, members, starts, text, used_from_to)
        pairs, growth_ids = _growth_pairs(page, members, text)
        for cur_i, g_i, verb in pairs:
            out.append(_growth_check(page, cur_i, g_i, verb, growth_ids, used_from_to))
    return out


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


DOCUMENT_CHECKS = (grim_checks, range_checks, parts_total_checks, change_checks, repeat_checks)


def check_document(claims: pd.DataFrame | Iterable[dict], stats: dict | None = None) -> list[Check]:
    """All within-document checks for the claims of one document (a claims DataFrame or claim records).

    `stats`, when given, receives the number of candidate comparisons each kind of check made
    (keys: the kinds), the measure that grows linearly with the page.
    """
    page = _Page(claims)
    out = [c for fn in DOCUMENT_CHECKS for c in fn(page)]
    if stats is not None:
        for kind in ("grim", "range", "parts_total", "change", "repeat"):
            stats[kind] = stats.get(kind, 0) + page.stats[kind]
    return out


def reconcile(claims: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """The checks table (CHECK_COLUMNS) for a claims table; `documents` (with manifest fields) enables cross-document checks."""
    checks: list[Check] = []
    for _, group in claims.groupby("doc_id", sort=False):
        checks += check_document(group)
    from .crossdoc import cross_document_checks  # crossdoc builds on this module's Check

    checks += cross_document_checks(claims, documents)
    return checks_frame(checks)


def checks_frame(checks: list[Check]) -> pd.DataFrame:
    """Checks as a table, numbered per kind in the order given."""
    frame = pd.DataFrame([c.row() for c in checks], columns=list(CHECK_COLUMNS))
    counters: dict[str, int] = {}
    ids = []
    for kind in frame["kind"]:
        counters[kind] = counters.get(kind, 0) + 1
        ids.append(f"{kind}-{counters[kind]}")
    frame["check_id"] = ids
    return frame
