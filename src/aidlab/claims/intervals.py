"""Reported figures as intervals of possible true values, and GRIM checks of percentages.

A figure in a news report is not a point: "51.4万人次" stands for every count that rounds to 51.4万,
"700余台次" for a count of at least 700 but below 800, "近2000名" for a count a little under 2000.
The consistency checks of aidlab compare such figures with each other (a total against its parts,
a percentage against its count), so each figure is first turned into :class:`Bounds` — low/high
ends with their inclusivity — following /work/shared/notes/rounding.md:

* :func:`rounding_bounds` gives the interval a written decimal stands for under each rounding mode
  of the note's table, computed in integer units of one tenth of the last written digit;
* :func:`qualified_bounds` adds the Chinese qualifiers (余/多, 超过, 以上, 近, 不足, 约/左右 ...),
  whose readings are defined once, in :data:`QUALIFIER_READINGS`, and copied verbatim into the data
  dictionary;
* :func:`read_written` reads every other written form of a quantity that :func:`aidlab.claims.numerals.read_numeral`
  recognises (百分之三十, 三分之二, 5至6万, 三四十, 十几 …) into its value, bounds and reading; the
  forms' readings are stated in the same registry, so the data dictionary lists them too;
* :func:`grim_percent` lists, per rounding mode, the whole counts k for which k/n·100 falls inside
  the interval of a reported percentage (GRIM).

Every verdict is exact.  Values are kept as written (strings), bounds are ``Decimal`` built from
integers without any context rounding, comparisons go through ``fractions.Fraction``, and ``float``
is refused wherever a number is taken in — scrutiny moved to integer arithmetic after float error
flipped verdicts, and so do we.

Rounding modes follow :mod:`decimal`: ``half_up`` rounds a half away from zero (ROUND_HALF_UP),
``half_down`` towards zero (ROUND_HALF_DOWN), ``half_even`` to the even neighbour, ``ceiling``
towards +inf, ``floor`` towards -inf and ``truncation`` towards zero (ROUND_DOWN).  The inclusivity
of each end is decided by actually rounding that end, so for non-negative figures the intervals are
those of the note's table, with one refinement: under ``half_even`` a figure whose last written
digit is odd has both ends open ('13' → (12.5, 13.5), since 12.5 and 13.5 round to 12 and 14),
while an even last digit keeps the note's closed [-5, +5].
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from aidlab.claims.numerals import (
    MAGNITUDES,
    parse_arabic,
    parse_chinese_numeral,
    read_numeral,
)

__all__ = [
    "MAGNITUDE_QUALIFIERS",
    "QUALIFIER_POSITIONS",
    "QUALIFIER_READINGS",
    "ROUNDING_MODES",
    "Bounds",
    "grim_percent",
    "qualified_bounds",
    "read_written",
    "rounding_bounds",
]

ROUNDING_MODES = ("half_up", "half_down", "half_even", "ceiling", "floor", "truncation")

_Exact = int | Decimal | Fraction


def _exact(x: object, what: str = "value") -> Fraction:
    """Exact Fraction of an int, finite Decimal or Fraction; TypeError for float and anything else."""
    if isinstance(x, bool) or not isinstance(x, (int, Decimal, Fraction)):
        raise TypeError(f"{what} must be int, Decimal or Fraction (never float), got {type(x).__name__}")
    if isinstance(x, Decimal) and not x.is_finite():
        raise ValueError(f"{what} must be finite, got {x}")
    return Fraction(x)


def _to_decimal(f: Fraction) -> Decimal:
    """Exact Decimal of a Fraction whose denominator has no prime factors but 2 and 5."""
    den, k = f.denominator, 0
    while den % 10 == 0:
        den //= 10
        k += 1
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        raise ValueError(f"{f} has no finite decimal expansion")
    k += max(twos, fives)
    units = f.numerator * 10**k // f.denominator  # exact: f * 10**k is an integer
    if k == 0:
        return Decimal(units)
    while k > 0 and units % 10 == 0:
        units //= 10
        k -= 1
    digits = tuple(int(c) for c in str(abs(units)))
    return Decimal((1 if units < 0 else 0, digits, -k))


def _end(f: Fraction) -> Decimal | Fraction:
    """An interval end as an exact Decimal, or as the Fraction itself when it has no finite decimal (200/3)."""
    try:
        return _to_decimal(f)
    except ValueError:
        return f


@dataclass(frozen=True)
class Bounds:
    """An interval of possible true values; None is an unbounded end (which is then never inclusive).

    Ends are exact Decimals, or Fractions where no finite decimal exists (三分之二 → 200/3 %).
    """

    low: Decimal | Fraction | None
    high: Decimal | Fraction | None
    low_inclusive: bool
    high_inclusive: bool

    def __post_init__(self) -> None:
        """Coerce int ends to Decimal, refuse floats, and refuse empty or malformed intervals."""
        for name in ("low", "high"):
            v = getattr(self, name)
            if v is None:
                if getattr(self, f"{name}_inclusive"):
                    raise ValueError(f"an unbounded {name} end cannot be inclusive")
                continue
            f = _exact(v, name)
            if not isinstance(v, Decimal):
                object.__setattr__(self, name, _end(f))
        if self.low is not None and self.high is not None:
            lo, hi = Fraction(self.low), Fraction(self.high)
            if lo > hi or (lo == hi and not (self.low_inclusive and self.high_inclusive)):
                raise ValueError(f"empty interval {self}")

    def __str__(self) -> str:
        """Interval notation, e.g. '[513500, 514500)' or '(120000, +inf)'."""
        lo = "(-inf" if self.low is None else ("[" if self.low_inclusive else "(") + str(self.low)
        hi = "+inf)" if self.high is None else str(self.high) + ("]" if self.high_inclusive else ")")
        return f"{lo}, {hi}"

    def contains(self, x: _Exact) -> bool:
        """Whether the exact value x (int, Decimal or Fraction; float refused) lies in the interval."""
        v = _exact(x)
        if self.low is not None:
            lo = Fraction(self.low)
            if v < lo or (v == lo and not self.low_inclusive):
                return False
        if self.high is not None:
            hi = Fraction(self.high)
            if v > hi or (v == hi and not self.high_inclusive):
                return False
        return True

    def overlaps(self, other: Bounds) -> bool:
        """Whether the two intervals share at least one value, ends' inclusivity respected."""
        lo, lo_inc = _max_low(self, other)
        hi, hi_inc = _min_high(self, other)
        if lo is None or hi is None:
            return True
        return lo < hi or (lo == hi and lo_inc and hi_inc)


def _max_low(a: Bounds, b: Bounds) -> tuple[Fraction | None, bool]:
    """The tighter (larger) lower end of two intervals, with its inclusivity."""
    if a.low is None:
        return (None if b.low is None else Fraction(b.low)), b.low_inclusive
    if b.low is None:
        return Fraction(a.low), a.low_inclusive
    x, y = Fraction(a.low), Fraction(b.low)
    if x != y:
        return (x, a.low_inclusive) if x > y else (y, b.low_inclusive)
    return x, a.low_inclusive and b.low_inclusive


def _min_high(a: Bounds, b: Bounds) -> tuple[Fraction | None, bool]:
    """The tighter (smaller) upper end of two intervals, with its inclusivity."""
    if a.high is None:
        return (None if b.high is None else Fraction(b.high)), b.high_inclusive
    if b.high is None:
        return Fraction(a.high), a.high_inclusive
    x, y = Fraction(a.high), Fraction(b.high)
    if x != y:
        return (x, a.high_inclusive) if x < y else (y, b.high_inclusive)
    return x, a.high_inclusive and b.high_inclusive


def _bounds(low: Fraction | None, high: Fraction | None, low_inc: bool, high_inc: bool) -> Bounds:
    """Bounds from exact Fraction ends."""
    return Bounds(
        None if low is None else _end(low),
        None if high is None else _end(high),
        low_inc,
        high_inc,
    )


class _Written(NamedTuple):
    """A written number: its exact value, the place of its last written digit and of its last non-zero digit."""

    value: Fraction
    place: int          # exponent of the last written digit ('51.4' → -1, '206' → 0, '两千' → 3)
    nonzero_place: int  # exponent of the last non-zero digit ('2000' → 3, '1918.6' → -1)
    decimals: int       # decimals written ('42.20' → 2); 0 for Chinese numerals
    big_unit: bool      # a Chinese numeral containing 万/亿, i.e. a built-in multiplier


def _written(written: str) -> _Written:
    """Read a written figure, Arabic ('51.4', '1,040', '２０') or Chinese ('千', '两万三千')."""
    if not isinstance(written, str):
        raise TypeError(f"a figure must be given as written (str), got {type(written).__name__}")
    try:
        d = parse_arabic(written)
    except ValueError:
        try:
            v = parse_chinese_numeral(written)
        except ValueError:
            raise ValueError(f"not a number: {written!r}") from None
        t = len(str(v)) - len(str(v).rstrip("0")) if v else 0
        big = any(c in "万萬亿億" for c in written)
        return _Written(Fraction(v), t, t, 0, big)
    _, digits, exp = d.as_tuple()
    assert isinstance(exp, int)
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    nonzero = exp + trailing if trailing < len(digits) else exp
    return _Written(Fraction(d), exp, nonzero, max(0, -exp), False)


def _check_multiplier(multiplier: int) -> None:
    """Refuse a multiplier that is not a positive int."""
    if isinstance(multiplier, bool) or not isinstance(multiplier, int) or multiplier < 1:
        raise ValueError(f"multiplier must be a positive int, got {multiplier!r}")


def _round_tenths(v: int, mode: str) -> int:
    """Round v, counted in tenths of the last written place, to a whole number of that place."""
    q, r = divmod(v, 10)  # floor division: 0 <= r < 10
    if r == 0 or mode == "floor":
        return q
    if mode == "ceiling":
        return q + 1
    if mode == "truncation":
        return q if v >= 0 else q + 1
    if r != 5:
        return q + 1 if r > 5 else q
    if mode == "half_up":    # half away from zero
        return q + 1 if v > 0 else q
    if mode == "half_down":  # half towards zero
        return q if v > 0 else q + 1
    return q if q % 2 == 0 else q + 1  # half_even


def rounding_bounds(written: str, multiplier: int = 1, mode: str = "half_up") -> Bounds:
    """Interval of true values a written number stands for under a rounding mode, times multiplier: ('51.4', 10**4) → [513500, 514500)."""
    if mode not in ROUNDING_MODES:
        raise ValueError(f"unknown rounding mode {mode!r}; expected one of {ROUNDING_MODES}")
    _check_multiplier(multiplier)
    fig = _written(written)
    x = int(fig.value / Fraction(10) ** fig.place)  # the written digits as an integer
    v = 10 * x                                       # in units of 10**(place-1), as in the note
    if mode in ("half_up", "half_down", "half_even"):
        lo, hi = v - 5, v + 5
    elif mode == "ceiling" or (mode == "truncation" and x < 0):
        lo, hi = v - 10, v
    elif mode == "floor" or (mode == "truncation" and x > 0):
        lo, hi = v, v + 10
    else:  # truncation of a written zero: anything strictly between -1 and +1 units
        lo, hi = -10, 10
    scale = Fraction(10) ** (fig.place - 1) * multiplier
    return _bounds(
        lo * scale, hi * scale, _round_tenths(lo, mode) == x, _round_tenths(hi, mode) == x
    )


# --- qualifiers -----------------------------------------------------------------------------

_READING_DESCRIPTIONS: dict[str, str] = {
    "point": (
        "a bare integer with no suffix multiplier and no 万/亿, given as an exact "
        "count (exact_integer=True), is exactly x, [x, x] (206名 → [206, 206]); any other figure "
        "(a decimal, a number with a suffix multiplier such as 万/亿, a Chinese numeral containing "
        "万/亿, or anything passed with exact_integer=False, as percentages are) stands for its half-up rounding interval at "
        "the last written digit, [x - u/2, x + u/2) with u the place value of that digit, the last "
        "written digit of a Chinese numeral being its last non-zero one (51.4万 → [513500, 514500), "
        "12万 → [115000, 125000), 42.2 → [42.15, 42.25))"
    ),
    "more_bounded": (
        "more than x by less than one unit of x's last non-zero written digit: [x, x + u) with u the place value of the last non-zero digit of x as written, "
        "trailing zeros of an integer not counting, times the multiplier; x itself is kept as the "
        "lower bound (700余 → [700, 800), 130多 → [130, 140), 2000多 → [2000, 3000), "
        "1918.6万余 → [19186000, 19187000), 千余 → [1000, 2000))"
    ),
    "more_than": (
        "strictly more than x, (x, +inf), with x taken at face value and not widened by its "
        "rounding precision, since the writer chose x as the threshold (超过12万 → (120000, +inf))"
    ),
    "at_least": (
        "x or more, [x, +inf): x itself included, as 以上 includes the number in Chinese legal "
        "usage; x at face value (120人以上 → [120, +inf))"
    ),
    "near": (
        "within 10% below x, x included: [0.9·x, top], where top is x for an exact count or a bare "
        "magnitude word (万, 千, 十万: the writer names the threshold itself, not a rounded figure) and "
        "otherwise the high end of x's half-up rounding interval, open or closed as that end is "
        "(近2000名 → [1800, 2000], 近万名 → [9000, 10000], 近44万 → [396000, 445000))"
    ),
    "under": (
        "strictly less than x at face value, floored at 0 as counts, amounts and percentages are "
        "never negative: [0, x) (不足100人 → [0, 100))"
    ),
    "at_most": (
        "x or less, [0, x]: as in Chinese legal usage, 以下/以内 include the number itself; x at "
        "face value, floored at 0 (100人以下 → [0, 100])"
    ),
    "about": (
        "about x: the union of [0.9·x, 1.1·x] (x ± 10%, both ends included) and the no-qualifier "
        "reading of x (exact [x, x] or the half-up rounding interval), the latter mattering only "
        "when the rounding interval is wider than ±10% (约300人 → [270, 330], "
        "约2万 → [15000, 25000))"
    ),
    "several": (
        "some multiple of a bare magnitude word x below the next power of ten: [x, 10·x), x included "
        "(数百名 → [100, 1000), 数十家 → [10, 100), 数万人次 → [10000, 100000), 数十万 → [100000, 1000000)); "
        "数 is read only before 十/百/千/万/亿 and their compounds, not after a word ending in 数 (人数, 多数)"
    ),
    "percent_words": (
        "百分之 and a number: the percentage the words spell digit for digit, read like that Arabic "
        "percentage under the point rule (百分之三十 → 30 %, [29.5, 30.5); 百分之七点五 → [7.45, 7.55)); "
        "unit %"
    ),
    "per_mille_words": (
        "千分之 and a number: per mille, read like percent words (千分之五 → 5 ‰, [4.5, 5.5)); unit ‰"
    ),
    "tenths": (
        "成 after a number: tenths, counted in % (×10) and rounded at the written digit like any "
        "share (三成 → 30 %, [25, 35)); with a qualifier the qualifier's reading applies to that value "
        "(六成以上 → [60, +inf)); not read before 为/不/立/功/绩 … (一成不变, 成为)"
    ),
    "fraction": (
        "A分之B: the exact ratio B/A in % as a fraction, [B/A·100, B/A·100] with no rounding "
        "interval, since a stated ratio is not a rounded measurement (四分之一 → [25, 25], "
        "三分之二 → [200/3, 200/3]); unit %"
    ),
    "range": (
        "two numbers joined by 至, 到, -, –, —, ~, ～ or 〜: [a, b] with both ends at face value and "
        "included; a multiplier written after b applies to a too, unless a carries its own or a is not "
        "below b as written (5至6万人次 → [50000, 60000], 5万至6万 → the same, 3-5名 → [3, 5], "
        "3000至5万 → [3000, 50000]); a low end above the high end is unread; value is the low end. "
        "A qualifier on this or any form naming several values acts on the end it names: 超过/以上 on "
        "the low end ((a, +inf), [a, +inf)), 不足/以下 on the high end ([0, b), [0, b]), 近 gives "
        "[0.9·a, b], 约/左右 [0.9·a, 1.1·b]; 余/多 and 数 have no reading there (unread)"
    ),
    "adjacent": (
        "two neighbouring digits, spoken Chinese's approximation, and the idiom 三五: [lower, upper], "
        "both included, in the place the digits stand (三四十 → [30, 40], 七八百 → [700, 800], "
        "四五个 → [4, 5], 一两批 → [1, 2], 十七八 → [17, 18], 三四万 → [30000, 40000]); value is the "
        "lower; qualifiers as for range"
    ),
    "few": (
        "几 standing for one digit: 2–9 as the leading digit before a magnitude (几十 → [20, 90], "
        "几百 → [200, 900]; one ten would be written 十), 1–9 in the place below a numeral ending in "
        "十/百/千 (十几 → [11, 19], 二十几 → [21, 29]), times a following 万/亿 (十几万 → [110000, 190000]); "
        "both ends included; value is the low end; qualifiers as for range; 几 alone is no figure"
    ),
    "digits": (
        "plain digits written one by one (three or more, or two with 零/〇, the first not zero): the "
        "Arabic number they spell, under the point rule (一零零名 → [100, 100])"
    ),
    "unread": (
        "a written number that no rule reads with certainty (不到0家, 0余名, 零零%, 一五个, a range "
        "whose low end is above its high end): flagged damaged so no check uses it, value empty, "
        "bounds [0, +inf)"
    ),
}

_SURFACES: dict[str, tuple[str, str]] = {
    # qualifier surface: (reading key, where it stands and an example); "before"/"after" in the
    # second field decides on which side of the number extraction looks for it (QUALIFIER_POSITIONS)
    "": ("point", "no qualifier"),
    "余": ("more_bounded", "余 after the number (700余台次, 千余个, 1918.6万余元)"),
    "多": ("more_bounded", "多 after the number (2000多名, 130多人, 20多万)"),
    "超过": ("more_than", "超过 before the number (超过12万人次)"),
    "超": ("more_than", "超 before the number (超6万人次)"),
    "逾": ("more_than", "逾 before the number (逾千人)"),
    "突破": ("more_than", "突破 before the number (突破10万人次)"),
    "多于": ("more_than", "多于 before the number"),
    "高于": ("more_than", "高于 before the number"),
    "以上": ("at_least", "以上 after the number (120人以上)"),
    "至少": ("at_least", "至少 before the number"),
    "不少于": ("at_least", "不少于 before the number"),
    "不低于": ("at_least", "不低于 before the number"),
    "近": ("near", "近 before the number (近2000名, 近44万人)"),
    "接近": ("near", "接近 before the number"),
    "将近": ("near", "将近 before the number"),
    "近乎": ("near", "近乎 before the number"),
    "不足": ("under", "不足 before the number (不足100人)"),
    "不到": ("under", "不到 before the number"),
    "不满": ("under", "不满 before the number"),
    "少于": ("under", "少于 before the number"),
    "低于": ("under", "低于 before the number"),
    "以下": ("at_most", "以下 after the number (100人以下)"),
    "以内": ("at_most", "以内 after the number"),
    "不超过": ("at_most", "不超过 before the number"),
    "约": ("about", "约 before the number (约300人)"),
    "大约": ("about", "大约 before the number"),
    "大概": ("about", "大概 before the number"),
    "左右": ("about", "左右 after the number (300人左右)"),
    "上下": ("about", "上下 after the number (300人上下)"),
    "上": ("at_least", "上 before a bare magnitude word (上千名, 上百家, 上万人次), reaching that magnitude"),
    "数": ("several", "数 before a bare magnitude word (数百名, 数十家, 数万人次)"),
}

#: Written forms that are not qualifiers: how they appear (the registry's key) → (reading key, where).
_FORMS: dict[str, tuple[str, str]] = {
    "百分之…": ("percent_words", "written 百分之三十, 百分之七点五"),
    "千分之…": ("per_mille_words", "written 千分之五"),
    "…成": ("tenths", "written 三成, 六成以上"),
    "…分之…": ("fraction", "written 四分之一, 三分之二"),
    "…至/到/-/~/～…": ("range", "written 5万至6万人次, 5至6万人次, 3-5名, 3～5名, 3到5名, 3~5名"),
    "三四十": ("adjacent", "written 三四十家, 七八百名, 四五个, 一两批"),
    "…几…": ("few", "written 十几名, 二十几名, 几十名"),
    "一零零": ("digits", "written 一零零名"),
    "(unread)": ("unread", "any other written number"),
}

QUALIFIER_READINGS: dict[str, tuple[str, str]] = {
    surface: (key, f"{where}: {_READING_DESCRIPTIONS[key]}")
    for surface, (key, where) in {**_SURFACES, **_FORMS}.items()
}
"""Qualifier surface ('' = none) or written form → (reading key, description for the data dictionary).

The one registry of readings: `aidlab.dictionary` renders it, `aidlab.fields.FIELDS["reading"]` is
generated from it.  Only the qualifier surfaces (:data:`QUALIFIER_POSITIONS` and '') are accepted as
qualifiers by :func:`qualified_bounds`; the forms' rows say how :func:`read_written` reads a number.
"""

QUALIFIER_POSITIONS: dict[str, str] = {
    surface: ("before" if "before" in where else "after")
    for surface, (_, where) in _SURFACES.items() if surface
}
"""Qualifier surface → 'before' or 'after' the number, where extraction looks for it."""

#: Qualifiers read only before a bare magnitude word (上千, 数百): elsewhere they are no qualifier.
MAGNITUDE_QUALIFIERS = frozenset({"上", "数"})


def _point_bounds(fig: _Written, written: str, multiplier: int, exact_integer: bool) -> Bounds:
    """The no-qualifier reading: exact for a bare integer count, else the half-up rounding interval."""
    if exact_integer and multiplier == 1 and fig.decimals == 0 and not fig.big_unit:
        v = _to_decimal(fig.value)
        return Bounds(v, v, True, True)
    return rounding_bounds(written, multiplier, "half_up")


def qualified_bounds(written: str, multiplier: int, qualifier: str | None, *, exact_integer: bool) -> Bounds:
    """Bounds of a reported non-negative figure read with its qualifier (see QUALIFIER_READINGS) and precision.

    Reported figures are never negative, so a low end below zero (the rounding interval of a written
    0, [-0.5, 0.5)) is floored at 0, which is then possible: 0% → [0, 0.5).
    """
    b = _qualified_bounds(written, multiplier, qualifier, exact_integer=exact_integer)
    if b.low is not None and b.low < 0:
        return Bounds(Decimal(0), b.high, True, b.high_inclusive)
    return b


def _qualified_bounds(written: str, multiplier: int, qualifier: str | None, *, exact_integer: bool) -> Bounds:
    """qualified_bounds before the floor at zero."""
    _check_multiplier(multiplier)
    fig = _written(written)
    surface = "" if qualifier is None else qualifier.strip()
    if surface not in _SURFACES:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    key = _SURFACES[surface][0]
    x = fig.value * multiplier
    if x < 0:
        raise ValueError(f"reported figures are non-negative, got {written!r}")
    bare_magnitude = written.strip() in MAGNITUDES
    if surface in MAGNITUDE_QUALIFIERS and not bare_magnitude:
        raise ValueError(f"{surface} is read only before a bare magnitude word, not {written!r}")
    point = _point_bounds(fig, written, multiplier, exact_integer)
    return _reading_bounds(key, surface, fig, multiplier, point, bare_magnitude)


def _reading_bounds(key: str, surface: str, fig: _Written, multiplier: int, point: Bounds,
                    bare_magnitude: bool) -> Bounds:
    """Bounds of a single figure under the reading `key` of its qualifier `surface`.

    `point` is the figure's no-qualifier reading (see :func:`_point_bounds`); `bare_magnitude` says
    the figure is a magnitude word alone (万 of 近万), read as the threshold itself.
    """
    x = fig.value * multiplier
    if key == "point":
        return point
    if key == "more_bounded":
        if x == 0:
            raise ValueError(f"{surface} after zero has no reading")
        unit = Fraction(10) ** fig.nonzero_place * multiplier
        return _bounds(x, x + unit, True, False)
    if key == "more_than":
        return _bounds(x, None, False, False)
    if key == "at_least":
        return _bounds(x, None, True, False)
    if key == "near":
        if bare_magnitude:  # 近万: the threshold itself, not the rounding interval of 一万
            return _bounds(x * Fraction(9, 10), x, True, True)
        assert point.high is not None
        return _bounds(x * Fraction(9, 10), Fraction(point.high), True, point.high_inclusive)
    if key == "several":
        return _bounds(x, 10 * x, True, False)
    if key == "under":
        if x == 0:
            raise ValueError(f"{surface} zero has no reading")
        return _bounds(Fraction(0), x, True, False)
    if key == "at_most":
        return _bounds(Fraction(0), x, True, True)
    if key == "about":
        ten = Bounds(_to_decimal(x * Fraction(9, 10)), _to_decimal(x * Fraction(11, 10)), True, True)
        lo, lo_inc = _hull_low(ten, point)
        hi, hi_inc = _hull_high(ten, point)
        return _bounds(lo, hi, lo_inc, hi_inc)
    raise AssertionError(f"reading {key!r} has no rule")  # pragma: no cover


#: Reading of a form read without qualifier (forms that are plain numbers read as `point`).
_FORM_READING = {
    "arabic": "point", "chinese": "point", "chinese_decimal": "point", "digits": "digits",
    "percent_words": "percent_words", "per_mille_words": "per_mille_words", "fraction": "fraction",
    "range": "range", "adjacent": "adjacent", "few": "few",
}


def _span_bounds(key: str, surface: str, lo: Fraction, hi: Fraction) -> Bounds:
    """A qualifier acting on a form that names the values lo..hi (a range, 三四十, 十几, an exact ratio)."""
    if key == "point":
        return _bounds(lo, hi, True, True)
    if key == "more_than":
        return _bounds(lo, None, False, False)
    if key == "at_least":
        return _bounds(lo, None, True, False)
    if key == "near":
        return _bounds(lo * Fraction(9, 10), hi, True, True)
    if key == "under":
        if hi == 0:
            raise ValueError(f"{surface} zero has no reading")
        return _bounds(Fraction(0), hi, True, False)
    if key == "at_most":
        return _bounds(Fraction(0), hi, True, True)
    if key == "about":
        return _bounds(lo * Fraction(9, 10), hi * Fraction(11, 10), True, True)
    raise ValueError(f"{surface} has no reading on a number naming several values or a ratio")


#: Distinct written forms whose readings are kept (a reading is immutable, and the same forms recur on
#: page after page: 10名, 2019年, 50%); bounded, so memory stays flat however many pages a run reads.
READ_CACHE = 8192


@functools.lru_cache(maxsize=READ_CACHE)
def read_written(written: str, multiplier: int, qualifier: str | None, *,
                 exact_integer: bool) -> tuple[Fraction, Bounds, str]:
    """(value, bounds, reading key) of any written form of a non-negative figure; ValueError when unreadable.

    `written` is the number as it stands before a multiplier written after it (and before the
    unit): a plain Arabic or Chinese number, or any form of :func:`aidlab.claims.numerals.read_numeral`.
    A single value with a written precision goes through :func:`qualified_bounds` (so 百分之七点五
    is read like 7.5 %); an exact ratio and the forms naming several values are read at face
    value with the qualifier acting on the end it names (see the `range` reading).  The reading is
    the qualifier's when there is one, else the form's.  `value` is the single value, or the low end.

    >>> v, b, r = read_written("5至6", 10**4, None, exact_integer=True)
    >>> (v, str(b), r)
    (Fraction(50000, 1), '[50000, 60000]', 'range')
    >>> str(read_written("三分之二", 1, "近", exact_integer=False)[1])
    '[60, 200/3]'
    """
    _check_multiplier(multiplier)
    surface = "" if qualifier is None else qualifier.strip()
    if surface not in _SURFACES:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    num = read_numeral(written.strip() if isinstance(written, str) else written)
    if num.form == "unread" or num.low is None or num.high is None:
        raise ValueError(num.problem)
    key = _SURFACES[surface][0]
    reading = key if surface else _FORM_READING[num.form]
    if num.figure:
        exact = exact_integer and num.form in ("arabic", "chinese", "digits")
        b = qualified_bounds(num.figure, multiplier * num.scale, surface or None, exact_integer=exact)
        return num.low * multiplier, b, reading
    if surface in MAGNITUDE_QUALIFIERS:
        raise ValueError(f"{surface} is read only before a bare magnitude word, not {written!r}")
    lo = num.low if num.low_fixed else num.low * multiplier
    hi = num.high * multiplier
    if lo > hi:
        raise ValueError(f"range low end above its high end: {written!r} × {multiplier}")
    return lo, _span_bounds(key, surface, lo, hi), reading


def _hull_low(a: Bounds, b: Bounds) -> tuple[Fraction, bool]:
    """The looser (smaller) of two finite lower ends, inclusive if either is at a tie."""
    assert a.low is not None and b.low is not None
    x, y = Fraction(a.low), Fraction(b.low)
    if x != y:
        return (x, a.low_inclusive) if x < y else (y, b.low_inclusive)
    return x, a.low_inclusive or b.low_inclusive


def _hull_high(a: Bounds, b: Bounds) -> tuple[Fraction, bool]:
    """The looser (larger) of two finite upper ends, inclusive if either is at a tie."""
    assert a.high is not None and b.high is not None
    x, y = Fraction(a.high), Fraction(b.high)
    if x != y:
        return (x, a.high_inclusive) if x > y else (y, b.high_inclusive)
    return x, a.high_inclusive or b.high_inclusive


# --- GRIM -----------------------------------------------------------------------------------

def grim_percent(percent_written: str, n: int) -> dict[str, list[int]]:
    """Per rounding mode, every whole k in 0..n with k/n·100 inside the written percentage's interval ([] = impossible)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if not isinstance(percent_written, str):
        raise TypeError("the percentage must be given as written (str)")
    p = percent_written.strip().removesuffix("%").removesuffix("％").strip()
    out: dict[str, list[int]] = {}
    for mode in ROUNDING_MODES:
        b = rounding_bounds(p, 1, mode)
        assert b.low is not None and b.high is not None
        lo = Fraction(b.low) * n / 100   # k must satisfy lo <= k <= hi (ends as inclusive as b's)
        hi = Fraction(b.high) * n / 100
        k_lo, k_hi = math.ceil(lo), math.floor(hi)
        if k_lo == lo and not b.low_inclusive:
            k_lo += 1
        if k_hi == hi and not b.high_inclusive:
            k_hi -= 1
        out[mode] = list(range(max(k_lo, 0), min(k_hi, n) + 1))
    return out
