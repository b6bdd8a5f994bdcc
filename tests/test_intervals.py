"""Intervals of reported figures (rounding modes, qualifiers), GRIM for percentages, and exactness (no float)."""
from __future__ import annotations

import ast
import decimal
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import aidlab.claims.intervals as intervals_module
import aidlab.claims.numerals as numerals_module
from aidlab.claims.intervals import (
    MAGNITUDE_QUALIFIERS,
    QUALIFIER_POSITIONS,
    QUALIFIER_READINGS,
    ROUNDING_MODES,
    Bounds,
    grim_percent,
    qualified_bounds,
    read_written,
    rounding_bounds,
)

D = Decimal


def B(low, high, li, hi) -> Bounds:
    """Shorthand for expected bounds from strings/ints."""
    return Bounds(None if low is None else D(low), None if high is None else D(high), li, hi)


# --- Bounds ---------------------------------------------------------------------------------

def test_bounds_contains_respects_inclusivity() -> None:
    b = B("513500", "514500", True, False)
    assert b.contains(513500)
    assert b.contains(D("514499.999"))
    assert not b.contains(514500)
    assert not b.contains(513499)
    assert b.contains(Fraction(1028999, 2))
    o = B("0", "1", False, True)
    assert not o.contains(0) and o.contains(1) and o.contains(D("0.0001"))


def test_bounds_unbounded_ends() -> None:
    b = B("120000", None, False, False)
    assert not b.contains(120000) and b.contains(120001) and b.contains(10**30)
    lo = B(None, "5", False, True)
    assert lo.contains(-(10**30)) and lo.contains(5) and not lo.contains(6)
    assert str(b) == "(120000, +inf)" and str(lo) == "(-inf, 5]"


def test_bounds_validation() -> None:
    with pytest.raises(TypeError):
        Bounds(0.1, D(1), True, True)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Bounds(None, D(1), True, True)  # unbounded end cannot be inclusive
    with pytest.raises(ValueError):
        Bounds(D(2), D(1), True, True)
    with pytest.raises(ValueError):
        Bounds(D(1), D(1), True, False)  # empty
    assert Bounds(1, 2, True, True).low == D(1)  # ints are coerced to Decimal
    assert isinstance(Bounds(1, 2, True, True).low, Decimal)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (B(1, 2, True, False), B(2, 3, True, True), False),   # touching, one end open
        (B(1, 2, True, True), B(2, 3, True, True), True),     # touching, both closed
        (B(1, 2, True, True), B(2, 3, False, True), False),
        (B(1, 3, True, True), B(2, 4, False, False), True),
        (B(1, 2, True, True), B(3, 4, True, True), False),
        (B(120000, None, False, False), B(0, 120000, True, True), False),
        (B(120000, None, True, False), B(0, 120000, True, True), True),
        (B(None, None, False, False), B(5, 5, True, True), True),
        (B(None, 5, False, False), B(5, None, False, False), False),
        (B("513500", "514500", True, False), B("514000", "514000", True, True), True),
    ],
)
def test_overlaps(a: Bounds, b: Bounds, expected: bool) -> None:
    assert a.overlaps(b) is expected
    assert b.overlaps(a) is expected


# --- rounding_bounds ------------------------------------------------------------------------

def test_rounding_bounds_examples() -> None:
    assert rounding_bounds("51.4", 10**4) == B("513500", "514500", True, False)
    assert rounding_bounds("12", 10**4) == B("115000", "125000", True, False)
    assert rounding_bounds("42.2") == B("42.15", "42.25", True, False)
    assert rounding_bounds("42.20") == B("42.195", "42.205", True, False)
    assert rounding_bounds("4.1", 10**8) == B("405000000", "415000000", True, False)
    assert rounding_bounds("1,040") == B("1039.5", "1040.5", True, False)
    assert rounding_bounds("２０") == B("19.5", "20.5", True, False)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        # the note's table for x = 34.9 (units of 0.01)
        ("half_up", B("34.85", "34.95", True, False)),
        ("half_down", B("34.85", "34.95", False, True)),
        ("half_even", B("34.85", "34.95", False, False)),  # 9 is odd: 34.85 → 34.8, 34.95 → 35.0
        ("ceiling", B("34.8", "34.9", False, True)),
        ("floor", B("34.9", "35.0", True, False)),
        ("truncation", B("34.9", "35.0", True, False)),
    ],
)
def test_rounding_bounds_modes(mode: str, expected: Bounds) -> None:
    assert rounding_bounds("34.9", 1, mode) == expected


def test_half_even_depends_on_last_digit() -> None:
    assert rounding_bounds("12", 1, "half_even") == B("11.5", "12.5", True, True)
    assert rounding_bounds("13", 1, "half_even") == B("12.5", "13.5", False, False)


def test_negative_and_zero_written_values() -> None:
    assert rounding_bounds("-1.2", 1, "half_up") == B("-1.25", "-1.15", False, True)
    assert rounding_bounds("-1.2", 1, "truncation") == B("-1.3", "-1.2", False, True)
    assert rounding_bounds("0", 1, "truncation") == B("-1", "1", False, False)
    assert rounding_bounds("0", 1, "half_up") == B("-0.5", "0.5", False, False)


_DECIMAL_MODES = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_down": decimal.ROUND_HALF_DOWN,
    "half_even": decimal.ROUND_HALF_EVEN,
    "ceiling": decimal.ROUND_CEILING,
    "floor": decimal.ROUND_FLOOR,
    "truncation": decimal.ROUND_DOWN,
}


@pytest.mark.parametrize("mode", ROUNDING_MODES)
@pytest.mark.parametrize("written", ["34.9", "42.20", "13", "12", "0", "0.0", "-1.2", "-13", "2000", "0.05"])
def test_rounding_bounds_agree_with_decimal_quantize(written: str, mode: str) -> None:
    """Every grid point in and around the interval rounds back to the written value iff it is inside."""
    x = D(written)
    exp = x.as_tuple().exponent
    step = D((0, (1,), exp - 2))   # a hundredth of the last written place
    place = D((0, (1,), exp))
    b = rounding_bounds(written, 1, mode)
    for i in range(-250, 251):
        v = x + step * i
        rounds_to_x = v.quantize(place, rounding=_DECIMAL_MODES[mode]) == x
        assert b.contains(v) is rounds_to_x, (written, mode, v)


def test_rounding_bounds_errors() -> None:
    with pytest.raises(ValueError):
        rounding_bounds("51.4", 10**4, "banker")
    with pytest.raises(ValueError):
        rounding_bounds("51.4", 0)
    with pytest.raises(ValueError):
        rounding_bounds("五十一点四")
    with pytest.raises(TypeError):
        rounding_bounds(51.4)  # type: ignore[arg-type]


# --- qualifiers ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("written", "multiplier", "qualifier", "exact", "expected"),
    [
        # no qualifier
        ("206", 1, None, True, B(206, 206, True, True)),
        ("1040", 1, None, True, B(1040, 1040, True, True)),
        ("1,040", 1, "", True, B(1040, 1040, True, True)),
        ("206", 1, None, False, B("205.5", "206.5", True, False)),
        ("51.4", 10**4, None, True, B(513500, 514500, True, False)),
        ("4.1", 10**8, None, True, B(405000000, 415000000, True, False)),
        ("12", 10**4, None, True, B(115000, 125000, True, False)),
        ("42.2", 1, None, False, B("42.15", "42.25", True, False)),
        ("两", 1, None, True, B(2, 2, True, True)),                    # 两批
        ("三", 1, None, True, B(3, 3, True, True)),                    # 三年
        ("一千万", 1, None, True, B(5000000, 15000000, True, False)),  # 万 inside: rounded at its 一
        ("两万三千", 1, None, True, B(22500, 23500, True, False)),
        # 余 / 多 after the number
        ("700", 1, "余", True, B(700, 800, True, False)),
        ("2000", 1, "多", True, B(2000, 3000, True, False)),
        ("130", 1, "多", True, B(130, 140, True, False)),
        ("1918.6", 10**4, "余", False, B(19186000, 19187000, True, False)),
        ("千", 1, "余", True, B(1000, 2000, True, False)),
        ("20", 10**4, "多", True, B(200000, 300000, True, False)),      # 20多万
        ("1.25", 10**4, "余", False, B(12500, 12600, True, False)),
        # more than, unbounded
        ("12", 10**4, "超过", True, B(120000, None, False, False)),
        ("6", 10**4, "超", True, B(60000, None, False, False)),
        ("千", 1, "逾", True, B(1000, None, False, False)),
        ("10", 10**4, "突破", True, B(100000, None, False, False)),
        ("50", 1, "多于", True, B(50, None, False, False)),
        ("50", 1, "高于", True, B(50, None, False, False)),
        ("120", 1, "以上", True, B(120, None, True, False)),
        ("120", 1, "至少", True, B(120, None, True, False)),
        # near
        ("2000", 1, "近", True, B(1800, 2000, True, True)),
        ("2000", 1, "近", False, B(1800, "2000.5", True, False)),
        ("11", 10**4, "近", True, B(99000, 115000, True, False)),
        ("44", 10**4, "近", True, B(396000, 445000, True, False)),
        ("千", 1, "近", True, B(900, 1000, True, True)),                # 近千次
        ("2000", 1, "接近", True, B(1800, 2000, True, True)),
        ("2000", 1, "将近", True, B(1800, 2000, True, True)),
        ("2000", 1, "近乎", True, B(1800, 2000, True, True)),
        # below
        ("100", 1, "不足", True, B(0, 100, True, False)),
        ("100", 1, "不到", True, B(0, 100, True, False)),
        ("100", 1, "少于", True, B(0, 100, True, False)),
        ("100", 1, "低于", True, B(0, 100, True, False)),
        ("12", 10**4, "不足", True, B(0, 120000, True, False)),
        ("100", 1, "以下", True, B(0, 100, True, True)),
        ("100", 1, "以内", True, B(0, 100, True, True)),
        # about
        ("300", 1, "约", True, B(270, 330, True, True)),
        ("300", 1, "左右", False, B(270, 330, True, True)),
        ("300", 1, "大约", True, B(270, 330, True, True)),
        ("300", 1, "上下", True, B(270, 330, True, True)),
        ("300", 1, "大概", True, B(270, 330, True, True)),
        ("2", 10**4, "约", True, B(15000, 25000, True, False)),           # rounding wider than ±10%
        ("12", 10**4, "约", True, B(108000, 132000, True, True)),
        ("5", 1, "约", False, B("4.5", "5.5", True, True)),              # ends meet: closed wins
        ("42.2", 1, "约", False, B("37.98", "46.42", True, True)),
    ],
)
def test_qualified_bounds(written, multiplier, qualifier, exact, expected) -> None:
    assert qualified_bounds(written, multiplier, qualifier, exact_integer=exact) == expected


def test_more_than_takes_face_value() -> None:
    """超过12万: the true value exceeds 120000 itself, not merely the low end 115000 of 12万's precision."""
    b = qualified_bounds("12", 10**4, "超过", exact_integer=True)
    assert not b.contains(120000) and b.contains(120001) and not b.contains(119000)


QUALIFIER_KEYS = {"point", "more_bounded", "more_than", "at_least", "near", "under", "at_most", "about", "several"}
FORM_KEYS = {"percent_words", "per_mille_words", "tenths", "fraction", "range", "adjacent", "few", "digits", "unread"}


def test_qualifier_table_is_complete_and_documented() -> None:
    keys = {key for key, _ in QUALIFIER_READINGS.values()}
    assert keys == QUALIFIER_KEYS | FORM_KEYS
    required = ["余", "多", "超过", "超", "逾", "以上", "突破", "多于", "高于", "近", "接近", "将近", "近乎", "不足", "不到", "少于", "低于", "约", "大约", "左右", "上下", "大概", "上", "数"]
    assert set(required) <= set(QUALIFIER_POSITIONS) <= set(QUALIFIER_READINGS)
    for _key, description in QUALIFIER_READINGS.values():
        assert isinstance(description, str) and len(description) > 40 and "\n" not in description
    for surface in QUALIFIER_POSITIONS:
        # every qualifier in the table has a working rule (上/数 only before a bare magnitude)
        written = "百" if surface in MAGNITUDE_QUALIFIERS else "300"
        b = qualified_bounds(written, 1, surface, exact_integer=True)
        assert isinstance(b, Bounds)
    # each reading's description is stated once: every row of a key carries the same text after its "where"
    by_key: dict[str, set[str]] = {}
    for key, description in QUALIFIER_READINGS.values():
        by_key.setdefault(key, set()).add(description.split(": ", 1)[1])
    assert all(len(texts) == 1 for texts in by_key.values()), by_key
    assert QUALIFIER_READINGS[""][0] == "point"
    assert qualified_bounds("300", 1, "", exact_integer=True) == qualified_bounds("300", 1, None, exact_integer=True)


@pytest.mark.parametrize("surface", ["", *(q for q in QUALIFIER_POSITIONS if q not in MAGNITUDE_QUALIFIERS)])
def test_every_reading_contains_or_bounds_the_figure(surface: str) -> None:
    """Each reading keeps x at or against its end: inside for point/余/以上/近/约/以下, at an open end otherwise."""
    b = qualified_bounds("51.4", 10**4, surface, exact_integer=False)
    key = QUALIFIER_READINGS[surface][0]
    assert b.contains(514000) is (key not in {"more_than", "under"})


def test_qualified_bounds_errors() -> None:
    with pytest.raises(ValueError):
        qualified_bounds("300", 1, "差不多", exact_integer=True)
    with pytest.raises(ValueError):
        qualified_bounds("-3", 1, None, exact_integer=True)
    with pytest.raises(ValueError):
        qualified_bounds("0", 1, "余", exact_integer=True)
    with pytest.raises(ValueError):
        qualified_bounds("0", 1, "不足", exact_integer=True)
    with pytest.raises(ValueError):
        qualified_bounds("300", -1, None, exact_integer=True)


# --- GRIM ------------------------------------------------------------------------------------

def test_grim_42_2_of_206() -> None:
    r = grim_percent("42.2", 206)
    assert list(r) == list(ROUNDING_MODES)
    for mode in ("half_up", "half_down", "half_even", "floor", "truncation"):
        assert r[mode] == [87]          # 87/206 = 42.233...%
    assert r["ceiling"] == []           # (42.1, 42.2]: 86/206 = 41.75%, 87/206 = 42.23%


def test_grim_34_9_of_206() -> None:
    r = grim_percent("34.9", 206)
    # 71/206 = 34.466%, 72/206 = 34.951% (rounds to 35.0)
    assert r["half_up"] == r["half_down"] == r["half_even"] == []
    assert r["floor"] == r["truncation"] == [72]
    assert r["ceiling"] == []           # (34.8, 34.9] holds neither 34.466 nor 34.951


def test_grim_exact_boundary_hits() -> None:
    assert all(ks == [1] for ks in grim_percent("50", 2).values())
    assert all(ks == [1] for ks in grim_percent("12.5", 8).values())  # 1/8 = 12.5 exactly
    r = grim_percent("12", 8)   # 1/8 = 12.5 sits on the half boundary of '12'
    assert r["half_even"] == [1]    # 12.5 → 12 (even)
    assert r["half_down"] == [1]    # 12.5 → 12 (towards zero)
    assert r["half_up"] == []       # 12.5 → 13
    assert r["floor"] == r["truncation"] == [1]
    assert r["ceiling"] == []       # (11, 12]
    r13 = grim_percent("13", 8)
    assert r13["half_up"] == [1] and r13["ceiling"] == [1]
    assert r13["half_even"] == [] and r13["half_down"] == []


def test_grim_accepts_percent_sign_and_limits_k_to_n() -> None:
    assert grim_percent("42.2%", 206) == grim_percent("42.2", 206) == grim_percent("42.2％", 206)
    assert all(ks == [] for ks in grim_percent("150", 4).values())   # a share cannot exceed n
    assert grim_percent("0", 5)["half_up"] == [0]
    assert grim_percent("100", 5)["half_up"] == [5]
    assert grim_percent("30", 200)["half_up"] == [59, 60]  # 29.5% ≤ k/2 % < 30.5%
    assert grim_percent("30", 200)["half_down"] == [60, 61]  # 29.5% < k/2 % ≤ 30.5%


def test_grim_errors() -> None:
    with pytest.raises(ValueError):
        grim_percent("42.2", 0)
    with pytest.raises(ValueError):
        grim_percent("42.2", True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        grim_percent(42.2, 206)  # type: ignore[arg-type]


# --- exactness: no float decides a verdict -------------------------------------------------

@pytest.mark.parametrize(
    ("percent", "n", "k", "mode", "float_value"),
    [
        # in floats k/n*100 lands just off the exact boundary and would flip the verdict
        ("55", 20, 11, "ceiling", 55.00000000000001),       # (54, 55]: 55 exactly is in
        ("27.5", 40, 11, "ceiling", 27.500000000000004),    # (27.4, 27.5]
        ("58", 50, 29, "floor", 57.99999999999999),         # [58, 59): 58 exactly is in
        ("58", 50, 29, "truncation", 57.99999999999999),
        ("58", 40, 23, "half_up", 57.49999999999999),       # [57.5, 58.5): 57.5 rounds up to 58
        ("58", 40, 23, "half_even", 57.49999999999999),
    ],
)
def test_grim_float_traps(percent: str, n: int, k: int, mode: str, float_value) -> None:
    assert k / n * 100 == float_value   # the trap is real in floats ...
    assert k in grim_percent(percent, n)[mode]   # ... and exact arithmetic admits k


def test_tenths_of_a_percent_and_point_three() -> None:
    # 3 of 10 is exactly 30%: admitted under every mode (3/10*100 as a float is not what decides)
    assert all(ks == [3] for ks in grim_percent("30", 10).values())
    assert all(ks == [3] for ks in grim_percent("30.0", 10).values())
    # '0.3' is read as 0.3 percent: of 10 people that needs k = 0.03, so no mode admits anything
    assert all(ks == [] for ks in grim_percent("0.3", 10).values())
    # the 0.1 + 0.2 trap in the interval test itself
    total = D("0.1") + D("0.2")
    assert rounding_bounds("0.3", 1, "ceiling").contains(total)        # (0.2, 0.3]
    assert not rounding_bounds("0.2", 1, "floor").contains(total)      # [0.2, 0.3)
    assert rounding_bounds("0.34", 1, "half_even").contains(D("0.345"))     # 0.345 → 0.34 (even)
    assert not rounding_bounds("0.35", 1, "half_even").contains(D("0.345"))
    assert not rounding_bounds("0.35", 1, "half_up").contains(D("0.355"))
    with pytest.raises(TypeError):
        rounding_bounds("0.3", 1, "ceiling").contains(0.1 + 0.2)   # floats are refused outright


def test_bounds_are_exact_decimals() -> None:
    for b in (rounding_bounds("1918.6", 10**4), qualified_bounds("44", 10**4, "近", exact_integer=True),
              qualified_bounds("42.2", 1, "约", exact_integer=False)):
        assert isinstance(b.low, Decimal) and isinstance(b.high, Decimal)
    big = rounding_bounds("123456789012345678901234567890.123", 10**8)  # beyond Decimal's 28-digit context
    assert big.low == D("12345678901234567890123456789012250000")
    assert big.high == D("12345678901234567890123456789012350000")


@pytest.mark.parametrize("module", [intervals_module, numerals_module])
def test_source_uses_no_float(module) -> None:
    """No float literal, float() call or round() anywhere in the verdict code."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            assert not isinstance(node.value, float), ast.dump(node)
        if isinstance(node, ast.Name):
            assert node.id not in {"float", "round"}, node.id


# --- written forms (read_written) and the magnitude qualifiers --------------------------------

@pytest.mark.parametrize(
    ("written", "multiplier", "qualifier", "exact", "value", "expected", "reading"),
    [
        ("百分之三十", 1, None, False, 30, B("29.5", "30.5", True, False), "percent_words"),
        ("百分之七点五", 1, None, False, Fraction(15, 2), B("7.45", "7.55", True, False), "percent_words"),
        ("百分之三十", 1, "以上", False, 30, B(30, None, True, False), "at_least"),
        ("千分之五", 1, None, False, 5, B("4.5", "5.5", True, False), "per_mille_words"),
        ("三", 10, None, False, 30, B(25, 35, True, False), "point"),    # 三成: claims names it tenths
        ("四分之一", 1, None, False, 25, B(25, 25, True, True), "fraction"),
        ("四分之一", 1, "约", False, 25, B("22.5", "27.5", True, True), "about"),
        ("5至6", 10**4, None, True, 50000, B(50000, 60000, True, True), "range"),
        ("5万至6", 10**4, None, True, 50000, B(50000, 60000, True, True), "range"),
        ("3000至5", 10**4, None, True, 3000, B(3000, 50000, True, True), "range"),
        ("3-5", 1, "超过", True, 3, B(3, None, False, False), "more_than"),
        ("3-5", 1, "不足", True, 3, B(0, 5, True, False), "under"),
        ("3-5", 1, "近", True, 3, B("2.7", 5, True, True), "near"),
        ("三四十", 1, None, True, 30, B(30, 40, True, True), "adjacent"),
        ("十几", 10**4, None, True, 110000, B(110000, 190000, True, True), "few"),
        ("一零零", 1, None, True, 100, B(100, 100, True, True), "digits"),
        ("百", 1, "数", True, 100, B(100, 1000, True, False), "several"),
        ("十万", 1, "数", True, 100000, B(100000, 1000000, True, False), "several"),
        ("千", 1, "上", True, 1000, B(1000, None, True, False), "at_least"),
        ("万", 1, "近", True, 10000, B(9000, 10000, True, True), "near"),   # a bare magnitude at face value
        ("206", 1, None, True, 206, B(206, 206, True, True), "point"),
    ],
)
def test_read_written(written, multiplier, qualifier, exact, value, expected, reading) -> None:
    v, b, r = read_written(written, multiplier, qualifier, exact_integer=exact)
    assert (v, b, r) == (Fraction(value), expected, reading)
    assert isinstance(v, Fraction)


def test_fraction_ends_without_a_finite_decimal_stay_exact() -> None:
    _, b, _ = read_written("三分之二", 1, None, exact_integer=False)
    assert b.low == b.high == Fraction(200, 3) and isinstance(b.low, Fraction)
    assert b.contains(Fraction(200, 3)) and not b.contains(D("66.67"))
    assert str(b) == "[200/3, 200/3]"


@pytest.mark.parametrize(
    ("written", "multiplier", "qualifier"),
    [("0", 1, "不到"), ("0", 1, "余"), ("零零", 1, None), ("一五", 1, None), ("5至3", 1, None),
     ("三", 1, "数"), ("三百零五", 1, "上"), ("3-5", 1, "余"), ("四分之一", 1, "多"), ("300", 1, "差不多")],
)
def test_read_written_refuses_what_has_no_reading(written, multiplier, qualifier) -> None:
    with pytest.raises(ValueError):
        read_written(written, multiplier, qualifier, exact_integer=True)


def test_a_written_zero_is_floored_at_zero() -> None:
    assert qualified_bounds("0", 1, None, exact_integer=False) == B(0, "0.5", True, False)
    assert qualified_bounds("0", 1, None, exact_integer=True) == B(0, 0, True, True)


def test_doctests_of_the_readers() -> None:
    import doctest
    for module in (numerals_module, intervals_module):
        assert doctest.testmod(module).failed == 0, module.__name__
