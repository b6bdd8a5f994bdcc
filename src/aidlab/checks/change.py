"""A change (从A提升至B, 较2019年增长x%, 同比增加x%): implied baseline against a stated one, and direction (kind `change`)."""
from __future__ import annotations

import bisect
import re
from fractions import Fraction

from .base import GROWTH_VERB, MAX_SCAN, Check, _as_page, _bounds_of, _fmt, _hi, _lo, _overlaps, _Page

#: Sentences before / after a change's sentence searched for a stated baseline (去年同期3.1万人次).
BASELINE_WINDOW = (1, 2)
DECREASE = frozenset({"下降", "减少", "降低"})


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
