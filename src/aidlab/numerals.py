"""Exact values of the numbers written in Chinese reports on medical counterpart aid.

Figures in these reports come in three shapes: Arabic numbers ("206", "42.2", "1,040", full-width
"２０"), Arabic numbers followed by a unit suffix ("51.4万", "4.1亿", "1918.6万") and Chinese numerals
("两批", "近千次", "一千万", "两万三千").  The consistency checks in :mod:`aidlab.intervals` need each
value exactly, and for an Arabic number also the precision as written ("42.20" has two decimals,
"42.2" one), because the precision decides the interval of true values the figure stands for.
So Arabic numbers are returned as :class:`decimal.Decimal` keeping their exponent, Chinese numerals
as ``int``, and nothing here ever passes through ``float``.

The Chinese parser is strict on purpose: a string that is not a well-formed numeral raises
``ValueError`` rather than being guessed at.  In particular a run of bare digits ("一二", "一两")
is rejected, because in running text it is a range ("一两批" = one or two batches), not a
positional number.
"""
from __future__ import annotations

import re
from decimal import Decimal

__all__ = [
    "CN_DIGITS",
    "CN_UNITS",
    "MULTIPLIERS",
    "parse_chinese_numeral",
    "parse_arabic",
    "decimals_of",
]

CN_DIGITS: dict[str, int] = {
    # everyday forms
    "零": 0, "〇": 0,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    # financial (大写) forms, simplified and traditional
    "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4,
    "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9,
    # traditional 两
    "兩": 2,
}

CN_UNITS: dict[str, int] = {
    "十": 10, "拾": 10,
    "百": 100, "佰": 100,
    "千": 1000, "仟": 1000,
    "万": 10**4, "萬": 10**4,
    "亿": 10**8, "億": 10**8,
}

MULTIPLIERS: dict[str, int] = {
    "千": 10**3, "仟": 10**3,
    "万": 10**4, "萬": 10**4,
    "百万": 10**6, "百萬": 10**6,
    "千万": 10**7, "千萬": 10**7,
    "亿": 10**8, "億": 10**8,
    "万亿": 10**12, "萬億": 10**12,
}

_ZEROS = frozenset(c for c, v in CN_DIGITS.items() if v == 0)
_LIANG = frozenset({"两", "兩"})
_SMALL_UNITS = {c: v for c, v in CN_UNITS.items() if v < 10**4}
_BIG_UNITS = {c: v for c, v in CN_UNITS.items() if v >= 10**4}


def _power(unit_value: int) -> int:
    """Exponent p with 10**p == unit_value."""
    return len(str(unit_value)) - 1


def _parse_section(s: str, at_start: bool) -> int:
    """Value of a numeral below 10**4 (digits with 十百千 only), strictly validated."""
    terms: list[tuple[int, int]] = []  # (digit, power of ten)
    zero_pending = False
    i, n = 0, len(s)
    if s and s in _ZEROS:
        if at_start:
            return 0
        raise ValueError(f"misplaced zero in Chinese numeral {s!r}")
    while i < n:
        c = s[i]
        if c in _ZEROS:
            if not terms or zero_pending:
                raise ValueError(f"misplaced zero in Chinese numeral {s!r}")
            zero_pending = True
            i += 1
            continue
        if c in CN_DIGITS:
            d = CN_DIGITS[c]
            if i + 1 < n and s[i + 1] in _SMALL_UNITS:
                p = _power(_SMALL_UNITS[s[i + 1]])
                i += 2
            else:
                if i != n - 1:
                    raise ValueError(f"two digits in a row in Chinese numeral {s!r}")
                if c in _LIANG and not (at_start and n == 1):
                    raise ValueError(f"两 cannot be a final digit in {s!r}")
                # '一百五' = 150: a lone final digit right after 百/千 counts in the next place down
                if terms and not zero_pending and terms[-1][1] >= 2:
                    p = terms[-1][1] - 1
                else:
                    p = 0
                i += 1
        elif c in _SMALL_UNITS:
            if not (i == 0 and at_start):
                raise ValueError(f"unit without digit inside Chinese numeral {s!r}")
            d, p = 1, _power(_SMALL_UNITS[c])  # '十二' = 12, '千' = 1000
            i += 1
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
        if terms:
            gap = terms[-1][1] - p
            if zero_pending and gap < 2:
                raise ValueError(f"零 without a skipped place in {s!r}")
            if not zero_pending and gap != 1:
                raise ValueError(f"skipped place without 零 in {s!r}")
        terms.append((d, p))
        zero_pending = False
    if zero_pending:
        raise ValueError(f"trailing zero in Chinese numeral {s!r}")
    if not terms:
        raise ValueError(f"empty Chinese numeral {s!r}")
    return sum(d * 10**p for d, p in terms)


def _parse(s: str, at_start: bool) -> int:
    """Value of a Chinese numeral, splitting at its largest 万/亿 unit."""
    if not s:
        raise ValueError("empty Chinese numeral")
    bigs = [(v, i) for i, c in enumerate(s) if (v := _BIG_UNITS.get(c))]
    if not bigs:
        return _parse_section(s, at_start)
    top = max(v for v, _ in bigs)
    idx = max(i for v, i in bigs if v == top)
    p = _power(top)
    left, right = s[:idx], s[idx + 1:]
    if left:
        lv = _parse(left, at_start)
        if lv < 1:
            raise ValueError(f"zero before {s[idx]} in {s!r}")
    elif at_start:
        lv = 1  # '万' = 10000, '亿' = 10**8
    else:
        raise ValueError(f"unit without digit inside Chinese numeral {s!r}")
    value = lv * top
    if not right:
        return value
    if right[0] in _ZEROS:
        rest = right[1:]
        if not rest:
            raise ValueError(f"trailing zero in Chinese numeral {s!r}")
        rv = _parse(rest, False)
        if not 1 <= rv < 10 ** (p - 1):
            raise ValueError(f"零 without a skipped place in {s!r}")
    elif len(right) == 1 and right in CN_DIGITS and right not in _LIANG:
        rv = CN_DIGITS[right] * 10 ** (p - 1)  # '两万三' = 23000
    else:
        rv = _parse(right, False)
        if not 10 ** (p - 1) <= rv < 10**p:
            raise ValueError(f"skipped place without 零 in {s!r}")
    return value + rv


def parse_chinese_numeral(s: str) -> int:
    """Exact integer value of a Chinese numeral ('两'→2, '三百零五'→305, '一千万'→10**7); ValueError otherwise."""
    if not isinstance(s, str):
        raise TypeError(f"expected str, got {type(s).__name__}")
    return _parse(s.strip(), True)


_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({ord("．"): ord("."), ord("＋"): ord("+"), ord("－"): ord("-"), ord("−"): ord("-")})
_SEPARATORS = {ord(c): ord(",") for c in ",，\u2009\u202f\u00a0\u2006\u200a "}
_ARABIC_RE = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?")


def _normalise_arabic(s: str) -> str:
    """ASCII form of an Arabic number: full-width digits mapped, thousands separators validated and removed."""
    if not isinstance(s, str):
        raise TypeError(f"expected str, got {type(s).__name__}")
    t = s.strip().translate(_FULLWIDTH).translate(_SEPARATORS)
    if not t.isascii() or not _ARABIC_RE.fullmatch(t):
        raise ValueError(f"not an Arabic number: {s!r}")
    return t.replace(",", "")


def parse_arabic(s: str) -> Decimal:
    """Exact Decimal of an Arabic number as written, keeping its exponent ('1,040'→1040, '42.20'→Decimal('42.20'))."""
    return Decimal(_normalise_arabic(s))


def decimals_of(s: str) -> int:
    """Number of decimals written in an Arabic number ('42.20'→2, '206'→0)."""
    t = _normalise_arabic(s)
    return len(t.split(".", 1)[1]) if "." in t else 0
