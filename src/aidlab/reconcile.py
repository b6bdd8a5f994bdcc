"""Reconciliation: do the reported figures agree with each other?

Takes a claims table (aidlab.claims) and returns a checks table, one row per check, with a verdict
(`consistent`, `inconsistent`, `indeterminate`), the claims and documents involved, the arithmetic
and a one-sentence explanation. Every check is interval-aware: it uses each claim's exact bounds
(qualifier and written precision honoured), never the bare point value. Within-document checks are
a function of one document's claims; cross-document checks work on a small table of candidate pairs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Iterable

import pandas as pd

from .claims import claim_bounds
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
    "range": "Range sanity: a share within 0–100% unless it describes growth; a part (其中 …) never above its whole.",
    "parts_total": "Listed parts against a stated total (共/合计 …): complete, partial (parts cover only some of the total, gap given) or exceeding.",
    "change": "A change (从A提升至B, 较2019年增长x%, 同比增加x%): implied baseline derived and checked against a stated one and the direction of change; rates flagged for relative-vs-percentage-point ambiguity.",
    "repeat": "The same figure stated twice in one article (headline and body, lead repeated): do the two intervals overlap?",
    "cross_document": "Claims of one quantity key at the same time (as_of; the same period; the same batch) from different republication groups (aidlab.crossdoc): the intervals must overlap (agree; agree_at_point when they share one value; disjoint); undated claims are not compared (undated).",
    # aidlab.crossdoc (blocked by quantity key; a republication group counts once)
    "cross_series": "A cumulative quantity across reports ordered by as_of: may not decrease; flagged only when a later interval lies wholly below an earlier one (series_drops); series_touches when the wordings share one value; undated claims are not placed in the order.",
    "cross_part_whole": "Part and whole across reports: a region's count (Tibet) not above the count of a region that includes it (Tibet + Xinjiang; a province for its prefecture) at the same as_of or, for cumulative counts, later; disjoint parts added by interval addition.",
    "republication": "Copies of one article in a republication group: republished (identical figure: one source, not a confirmation), wording_changed, figure_changed (a copy changed the figure).",
}

CHECK_COLUMNS: dict[str, str] = {
    "check_id": "Check id: <kind>-<n>, n counting checks of that kind in the table from 1.",
    "kind": "Kind of check: " + "; ".join(f"{k} = {v}" for k, v in KINDS.items()),
    "verdict": "consistent (the figures can all be true together under the stated reading), inconsistent (they cannot), indeterminate (the text does not decide: damaged figures, ambiguous readings, or nothing to check against).",
    "outcome": "Finer result: e.g. ordinary_rounding, truncation_only, no_rounding_mode; complete, partial, exceeds; baseline_derived, baseline_agrees, baseline_disagrees, ambiguous_pp_vs_relative, direction_ok, direction_wrong; agree, disjoint; series_grows, series_drops.",
    "doc_ids": "Documents involved, ';'-separated.",
    "claim_ids": "Claims involved, ';'-separated, in the order the arithmetic uses them.",
    "arithmetic": "The computation behind the verdict, with intervals written [low, high) as the claims' readings give them.",
    "explanation": "One sentence in English saying what was checked and what came out.",
    "modes": "For grim: the rounding modes under which the percentage is reachable, ';'-separated (empty = none).",
    "evidence": "The sentences of the claims involved, ' ‖ '-separated, for showing the check in context.",
    "evidence_offsets": "Where they stand: <claim_id>@<clean_start>-<clean_end> (clean text) and raw <raw_start>-<raw_end>, ';'-separated.",
    "evidence_urls": "Cross-document checks: the URL of each claim's page, ';'-separated in claim order (empty when unknown); empty for within-document checks.",
    "evidence_dates": "Cross-document checks: the date of each claim's page (ISO), ';'-separated in claim order (empty when unknown); empty for within-document checks.",
    "quantity_key": "Cross-document checks: the quantity key the claims share (for part and whole, the key with programme, recipient and aiding parts blanked: *|*|*|metric|unit family|scope); empty for within-document checks.",
}


@dataclass
class Check:
    """One reconciliation check, before it becomes a table row."""

    kind: str
    verdict: str
    outcome: str
    claims: list = field(default_factory=list)  # claim rows (pd.Series) in arithmetic order
    arithmetic: str = ""
    explanation: str = ""
    modes: str = ""

    def row(self) -> dict:
        ids = [c["claim_id"] for c in self.claims]
        docs = list(dict.fromkeys(c["doc_id"] for c in self.claims))
        sentences = list(dict.fromkeys(c["sentence"] for c in self.claims))
        offsets = [f"{c['claim_id']}@{c['clean_start']}-{c['clean_end']} raw {c['raw_start']}-{c['raw_end']}" for c in self.claims]
        return {"check_id": "", "kind": self.kind, "verdict": self.verdict, "outcome": self.outcome,
                "doc_ids": ";".join(docs), "claim_ids": ";".join(ids), "arithmetic": self.arithmetic,
                "explanation": self.explanation, "modes": self.modes, "evidence": " ‖ ".join(sentences),
                "evidence_offsets": ";".join(offsets)}


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
    lo, hi = Fraction(0), Fraction(0)
    for b in bounds:
        lo += _lo(b)
        h = _hi(b)
        hi = None if hi is None or h is None else hi + h
    return lo, hi


# --- within one document ------------------------------------------------------------------------

def _before(claims: pd.DataFrame, row: pd.Series) -> pd.DataFrame:
    return claims[claims["clean_start"] < row["clean_start"]]


def grim_checks(claims: pd.DataFrame) -> list[Check]:
    """GRIM: each percentage (占/比例 …) of a stated whole count of people, checked per rounding mode."""
    out = []
    counts = claims[claims["unit"].isin(PEOPLE_UNITS) & (claims["reading"] == "point") & ~claims["damaged"]
                    & (claims["multiplier"] == 1) & ~claims["number"].str.contains(r"\.") & (claims["value"] >= 1)]
    for p in _records(claims[(claims["unit"] == "%") & ~claims["damaged"]]):
        if not PART_OF.search(p["sentence"]):
            continue
        near = _before(counts, p)
        near = near[(near["sentence_no"] >= p["sentence_no"] - 2)]
        near = near[[bool(s) and (s in p["sentence"] or s[-2:] in p["sentence"]) for s in near["subject"]]]
        if near.empty:
            continue
        c = _records(near)[-1]
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
        out.append(Check("grim", verdict, outcome, [c, p], arithmetic, expl, ";".join(modes)))
    return out


def range_checks(claims: pd.DataFrame) -> list[Check]:
    """Shares within 0–100% unless they describe growth; parts after 其中 not above the whole before them."""
    out = []
    for p in _records(claims[(claims["unit"] == "%") & ~claims["damaged"]]):
        window = p["sentence"]
        pos = window.find(p["text"])
        growth = bool(GROWTH_VERB.search(window[max(0, pos - 6):pos])) or "同比" in window[max(0, pos - 12):pos]
        b = claim_bounds(p)
        if growth:
            continue  # growth rates may exceed 100%; the change checks handle them
        ok = _lo(b) >= 0 and (_lo(b) <= 100)
        out.append(Check("range", "consistent" if ok else "inconsistent", "within_0_100" if ok else "above_100", [p],
                         f"{p['text']} → {b} ⊂ [0, 100]" if ok else f"{p['text']} → {b} exceeds 100",
                         f"The share {p['text']} is {'within' if ok else 'outside'} 0–100% and is not described as growth."))
    for part in _records(claims[~claims["damaged"]]):
        sentence = part["sentence"]
        pos = sentence.find(part["text"])
        marker = sentence.rfind("其中", 0, pos)
        if marker == -1 or re.search(r"[，,；;]", sentence[marker:pos]):
            continue  # a part must stand in the clause that 其中 opens
        wholes = claims[(claims["sentence_no"] == part["sentence_no"]) & (claims["clean_start"] < part["clean_start"])
                        & ~claims["damaged"]]
        wholes = wholes[[sentence.find(t) < marker for t in wholes["text"]]]
        if wholes.empty:
            continue
        whole = _records(wholes)[-1]
        pb, wb = claim_bounds(part), claim_bounds(whole)
        w_hi = _hi(wb)
        ok = w_hi is None or _lo(pb) <= w_hi
        units = "" if part["unit"] == whole["unit"] else f" (units differ: {part['unit']} vs {whole['unit']})"
        out.append(Check("range", "consistent" if ok else "inconsistent", "part_within_whole" if ok else "part_exceeds_whole",
                         [whole, part], f"part {part['text']} {pb} ≤ whole {whole['text']} {wb}: {ok}{units}",
                         f"The part {part['text']} (其中) is {'not above' if ok else 'larger than'} the whole {whole['text']} it belongs to{units}."))
    return out


def _enumerated_items(subject: str) -> list[str]:
    """Items of an enumeration like 省、市、县、乡 in a subject phrase."""
    m = re.search(r"((?:[\u4e00-\u9fff]{1,4}、)+[\u4e00-\u9fff]{1,4}?)(?=共|合计|总计|累计|$)", subject)
    return m.group(1).split("、") if m else []


def parts_total_checks(claims: pd.DataFrame) -> list[Check]:
    """A stated total (共/合计 …) against the parts the article lists for it."""
    out = []
    usable = claims
    for total in _records(usable):
        before = total["sentence"][:max(0, total["sentence"].find(total["text"]))]
        clause = re.split(r"[，,；;：:]", before)[-1] if before else ""
        if not TOTAL_WORD.search(clause):
            continue
        items = _enumerated_items(clause)
        same_unit = usable[(usable["unit"] == total["unit"]) & (usable["claim_id"] != total["claim_id"])]
        same = same_unit[same_unit["metric"] == total["metric"]]
        parts = []
        # parts after 其中 in the total's own sentence (其中 itself says they belong to the total)
        after = total["sentence"][total["sentence"].find(total["text"]):]
        if "其中" in after:
            parts += _records(same_unit[(same_unit["sentence_no"] == total["sentence_no"])
                                    & (same_unit["clean_start"] > total["clean_start"])])
        # parts listed elsewhere: a sentence listing ≥ 2 such claims, one of which names an enumerated item
        if items and not parts:
            for _, grp in same[same["sentence_no"] != total["sentence_no"]].groupby("sentence_no"):
                named = [r for r in _records(grp) if any(i and i in r["subject"] for i in items)]
                if len(grp) >= 2 and named:
                    parts += _records(grp)
        if not parts:
            continue
        tb = claim_bounds(total)
        all_rows = [total] + parts
        if any(r["damaged"] for r in all_rows):
            out.append(Check("parts_total", "indeterminate", "damaged", all_rows, "a figure involved is damaged",
                             f"The total {total['text']} cannot be checked against its parts: a figure lost digits to mojibake."))
            continue
        lo, hi = _sum_bounds(claim_bounds(p) for p in parts)
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
        out.append(Check("parts_total", verdict, outcome, all_rows,
                         f"total {total['text']} {tb}; parts {sums} = [{_fmt(lo)}, {_fmt(hi)}]; {gap}", expl))
    return out


def _growth_of(claims: pd.DataFrame, row: pd.Series) -> tuple[str, bool] | None:
    """(verb, is_year_on_year) when a % claim is a growth figure: preceded by 增长/提高 … in its sentence."""
    s = row["sentence"]
    pos = s.find(row["text"])
    head = s[max(0, pos - 8):pos]
    m = GROWTH_VERB.search(head.rstrip("、分别约近超过"))
    if not m:  # a later item of a list: 增长137.4%、25%
        m = re.search(r"(增长|增加|提高|提升|上升|下降|减少|降低)了?(?:\d+(?:\.\d+)?%、)+$", s[:pos])
        if not m:
            return None
    verb = m.group(1)
    return verb, bool(re.search(r"(较|比|同比|环比)", s[:pos]))


def change_checks(claims: pd.DataFrame) -> list[Check]:
    """从A…至B pairs and growth rates (较…增长x%, 同比增加x%): implied baselines, direction, pp-vs-relative ambiguity."""
    out = []
    used_from_to = set()
    for sno, sent in claims.groupby("sentence_no"):
        sent = sent.sort_values("clean_start")
        text = sent.iloc[0]["sentence"]
        # 从A (提升|…) 至/到 B
        for m in re.finditer(r"从([^，。；]{1,20}?)(提升|提高|增加|增长|上升|下降|降低|减少)(?:至|到)([^，。；]{1,20})", text):
            a = [r for r in _records(sent) if r["text"] in m.group(1)]
            b = [r for r in _records(sent) if r["text"] in m.group(3)]
            if not (a and b):
                continue
            a, b = a[-1], b[0]
            used_from_to.add(b["claim_id"])
            ab, bb = claim_bounds(a), claim_bounds(b)
            decrease = m.group(2) in DECREASE
            if decrease:  # some B below some A
                possible = _hi(ab) is None or _lo(bb) < _hi(ab)
            else:  # some B above some A
                possible = _hi(bb) is None or _hi(bb) > _lo(ab)
            pp = f"{_fmt(Fraction(b['value']).limit_denominator(1000) - Fraction(a['value']).limit_denominator(1000))}"
            rel = (Fraction(b["value"]).limit_denominator(1000) / Fraction(a["value"]).limit_denominator(1000) - 1) * 100 if a["value"] else None
            unit_note = (f"; as a rate this is {pp} percentage points or {_fmt(rel, 4)}% relative" if a["unit"] == "%" and rel is not None
                         else (f"; relative change {_fmt(rel, 4)}%" if rel is not None else ""))
            out.append(Check("change", "consistent" if possible else "inconsistent", "direction_ok" if possible else "direction_wrong",
                             [a, b], f"{a['text']} {ab} → {b['text']} {bb} ({m.group(2)}){unit_note}",
                             f"The change from {a['text']} to {b['text']} is {'consistent with' if possible else 'opposite to'} the stated {m.group(2)}{unit_note}."))
        # growth rates with their current values (分别 pairs them in order)
        growth = [(r, _growth_of(sent, r)) for r in _records(sent) if r["unit"] == "%" and not r["damaged"]]
        growth = [(r, g) for r, g in growth if g]
        if not growth:
            continue
        first = growth[0][0]
        currents = sent[(sent["clean_start"] < first["clean_start"]) & ~sent["claim_id"].isin([r["claim_id"] for r, _ in growth])]
        if currents.empty:
            continue
        respectively = "分别" in text[:text.find(first["text"])]
        current_rows = _records(currents)
        pairs = list(zip(current_rows[-len(growth):], growth)) if respectively else [(current_rows[-1], growth[0])]
        for cur, (g, (verb, _yoy)) in pairs:
            cb, gb = claim_bounds(cur), claim_bounds(g)
            sign = -1 if verb in DECREASE else 1
            # relative reading: base = current / (1 ± g/100), widest over both intervals
            if _hi(gb) is None:  # an open-ended growth (增长超过x%) bounds no baseline from one side
                out.append(Check("change", "indeterminate", "baseline_derived", [cur, g],
                                 f"current {cur['text']} {cb}, {verb} {g['text']} {gb}: open-ended",
                                 f"The {verb} of {g['text']} has no upper bound, so the baseline is bounded on one side only."))
                continue
            g_lo, g_hi = _lo(gb), _hi(gb)
            f_lo, f_hi = 1 + sign * g_lo / 100, 1 + sign * g_hi / 100
            fmin, fmax = min(f_lo, f_hi), max(f_lo, f_hi)
            c_lo, c_hi = _lo(cb), _hi(cb)  # c_hi None: the current value is open-ended
            base_rel = (c_lo / fmax, None if c_hi is None else c_hi / fmin) if fmin > 0 else None
            arith = f"current {cur['text']} {cb}, {verb} {g['text']} {gb}"
            if base_rel:
                arith += f"; relative reading: baseline = current / (1 {'-' if sign < 0 else '+'} g) ∈ [{_fmt(base_rel[0])}, {_fmt(base_rel[1])}] {cur['unit']}"
            stated = None
            if cur["claim_id"] in used_from_to:
                stated = next((c for c in out if c.kind == "change" and c.claims[-1]["claim_id"] == cur["claim_id"]), None)
            if cur["unit"] == "%" and c_hi is not None:
                pp = (c_lo - sign * g_hi, c_hi - sign * g_lo)
                arith += f"; percentage-point reading: baseline ∈ [{_fmt(min(pp))}, {_fmt(max(pp))}]%"
            if stated is not None:
                a = stated.claims[0]
                ab = claim_bounds(a)
                ok = base_rel is not None and _overlaps(base_rel, ab)
                out.append(Check("change", "consistent" if ok else "inconsistent", "baseline_agrees" if ok else "baseline_disagrees",
                                 [a, cur, g], arith + f"; stated baseline {a['text']} {ab}",
                                 f"The {verb} of {g['text']} from the stated {a['text']} to {cur['text']} {'agrees' if ok else 'does not agree'} with the figures."))
            elif cur["unit"] == "%" and c_hi is not None:
                out.append(Check("change", "indeterminate", "ambiguous_pp_vs_relative", [cur, g], arith,
                                 f"{g['text']} growth of the rate {cur['text']} implies a baseline of {_fmt(base_rel[0] if base_rel else None)}–{_fmt(base_rel[1] if base_rel else None)}% if relative, "
                                 f"but {_fmt(min(pp))}–{_fmt(max(pp))}% if percentage points; the text does not say which."))
            else:
                out.append(Check("change", "indeterminate", "baseline_derived", [cur, g], arith,
                                 f"{cur['text']} after a {verb} of {g['text']} implies a baseline of {_fmt(base_rel[0])}–{_fmt(base_rel[1])} {cur['unit']}, which the article does not state."
                                 if base_rel else f"The {verb} of {g['text']} cannot be turned into a baseline."))
    return out


def _similar(a: str, b: str) -> bool:
    """Subjects name the same thing when one contains the other (专家工作站 / 市级到县级建立专家工作站)."""
    return bool(a) and bool(b) and (a in b or b in a)


def repeat_checks(claims: pd.DataFrame) -> list[Check]:
    """The same figure stated twice in one document: same metric, unit and subject, close values → intervals must overlap."""
    out = []
    rows = [r for r in _records(claims[~claims["damaged"]]) if r["unit"] != "%"]
    seen: set[str] = set()
    for i, a in enumerate(rows):
        if a["claim_id"] in seen:
            continue
        for b in rows[i + 1:]:
            if b["claim_id"] in seen or a["sentence_no"] == b["sentence_no"]:
                continue
            if a["unit"] != b["unit"] or a["metric"] != b["metric"] or not _similar(a["subject"], b["subject"]):
                continue
            big, small = max(a["value"], b["value"]), min(a["value"], b["value"])
            if big <= 0 or (big - small) / big > 0.1 or (a["value"] == b["value"] and a["reading"] == "point" == b["reading"] and a["value"] < 10):
                continue  # far apart: two different figures; tiny equal counts: coincidence, not a repeat
            ab, bb = claim_bounds(a), claim_bounds(b)
            ok = ab.overlaps(bb)
            seen.add(b["claim_id"])
            out.append(Check("repeat", "consistent" if ok else "inconsistent", "agree" if ok else "disjoint", [a, b],
                             f"{a['text']} {ab} vs {b['text']} {bb}: {'overlap' if ok else 'disjoint'}",
                             f"The figure for {a['subject'] or a['metric']} is given as {a['text']} and as {b['text']}; the two {'agree' if ok else 'cannot both be true'}."))
    return out


DOCUMENT_CHECKS = (grim_checks, range_checks, parts_total_checks, change_checks, repeat_checks)


def check_document(claims: pd.DataFrame) -> list[Check]:
    """All within-document checks for the claims of one document."""
    claims = claims.sort_values("clean_start")
    return [c for fn in DOCUMENT_CHECKS for c in fn(claims)]


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
    for col in ("evidence_urls", "evidence_dates", "quantity_key"):  # within-document checks have none
        frame[col] = frame[col].astype(object).fillna("")
    counters: dict[str, int] = {}
    ids = []
    for kind in frame["kind"]:
        counters[kind] = counters.get(kind, 0) + 1
        ids.append(f"{kind}-{counters[kind]}")
    frame["check_id"] = ids
    return frame
