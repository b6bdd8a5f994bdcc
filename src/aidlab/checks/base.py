"""What every within-page check shares: the Check record, verdicts and kinds, one page's claims as plain
records with the indexes the checks block on (`_Page`), and exact interval helpers."""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

import pandas as pd

from ..claims.extract import claim_bounds
from ..claims.intervals import Bounds
from ..fields import table_columns

VERDICTS = ("consistent", "inconsistent", "indeterminate")
PEOPLE_UNITS = frozenset({"名", "人", "位"})
GROWTH_VERB = re.compile(r"(增长|增加|提高|提升|上升|下降|减少|降低)了?$")
PART_OF = re.compile(r"(占|占到|占比|比例|比重)")

KINDS: dict[str, str] = {
    "grim": "Percentage of a stated count: is some whole number k of the n with k/n×100 reported as this percentage, and under which rounding modes?",
    "range": "Range sanity: a share within 0–100% unless it describes growth; a part (其中 …) never above its whole (of the same unit family; a rate is never a whole).",
    "parts_total": "Listed parts against a stated total (共/合计 …) of the same unit family (persons 名/人/位, procedures 台/例 …; a rate is never a total): complete, partial (parts cover only some of the total, gap given) or exceeding.",
    "change": "A change (从A提升至B, 较2019年增长x%, 同比增加x%): implied baseline derived and checked against one the text states (从A…, or a figure for the period compared with in the same or a nearby sentence: 去年同期3.1万人次) and the direction of change; rates flagged for relative-vs-percentage-point ambiguity.",
    "repeat": "The same figure stated twice in one article (headline and body, lead repeated, worded differently: 43.93万人 / 近44万人), matched by unit family, what is counted and near or overlapping values: do the two intervals overlap?",
    "cross_document": "Claims of one quantity key at the same time (as_of; the same period; the same batch) from different republication groups (aidlab.checks.crossdoc): the intervals must overlap (agree; agree_at_point when they share one value; disjoint); undated claims are not compared (undated).",
    # aidlab.checks.crossdoc (blocked by quantity key; a republication group counts once)
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
                "evidence_urls": "", "evidence_dates": "", "quantity_key": ""}  # across documents: aidlab.checks.crossdoc


# --- small exact helpers ------------------------------------------------------------------------

def _shared(values: list) -> list:
    """The values with each distinct string held once (a key, a programme, a date or a sentence repeats over
    many claims; a list of strings read from Arrow holds a new object for every row)."""
    seen: dict = {}
    return [seen.setdefault(v, v) for v in values]


def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts; a zip over column lists (DataFrame.to_dict('records') goes row by row and is slow).
    Repeated strings are shared: on the largest block of the cross-document step (18 000 claims) records
    took 2.4 KB a claim, 832 bytes of them the dict itself, most of the rest repeated strings; shared, 1.2 KB."""
    columns = list(df.columns)
    return [dict(zip(columns, values)) for values in zip(*_column_lists(df))]


def _column_lists(df: pd.DataFrame) -> list[list]:
    """Each column as a list, repeated strings shared (see _records)."""
    return [df[c].tolist() if df[c].dtype.kind in "biufcmM" else _shared(df[c].tolist()) for c in df.columns]


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
#: Most candidates any one claim is compared with in a scan (a guard for degenerate pages).
MAX_SCAN = 64


def unit_family(unit: str) -> str:
    """The family of a unit (persons, person_visits, institutions, procedures, money, share, ratio …; else the unit)."""
    from ..attribution.keys import UNIT_FAMILIES

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
