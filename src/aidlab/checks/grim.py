"""GRIM: a percentage of a stated whole count of people, checked per rounding mode (kind `grim`)."""
from __future__ import annotations

from fractions import Fraction

from ..claims.intervals import ROUNDING_MODES, grim_percent
from .base import Check, _as_page, _is_count

ORDINARY_MODES = ("half_up", "half_down", "half_even")


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
