"""Exact values of the numbers written in Chinese reports on medical counterpart aid.

Figures in these reports come in three shapes: Arabic numbers ("206", "42.2", "1,040", full-width
"２０"), Arabic numbers followed by a unit suffix ("51.4万", "4.1亿", "1918.6万") and Chinese numerals
("两批", "近千次", "一千万", "两万三千").  The consistency checks in :mod:`aidlab.claims.intervals` need each
value exactly, and for an Arabic number also the precision as written ("42.20" has two decimals,
"42.2" one), because the precision decides the interval of true values the figure stands for.
So Arabic numbers are returned as :class:`decimal.Decimal` keeping their exponent, Chinese numerals
as ``int``, and nothing here ever passes through ``float``.

The Chinese parser is strict on purpose: a string that is not a well-formed numeral raises
``ValueError`` rather than being guessed at.  In particular a run of bare digits ("一二", "一两")
is rejected, because in running text it is a range ("一两批" = one or two batches), not a
positional number.

Running text writes quantities in more shapes than a numeral: "百分之七点五", "四分之一", "三四十",
"十几", "5至6", "一零零".  :func:`read_numeral` is the total reader for those: it never raises, and
returns a :class:`Numeral` naming the form it recognised, with exact values (``Fraction``), or the
form ``unread`` with the reason when no documented rule reads the string with certainty.  How each
form is decided, and what each rule was chosen over, is written beside the rule below.
"""
from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

__all__ = [
    "CN_DIGITS",
    "CN_UNITS",
    "MAGNITUDES",
    "MULTIPLIERS",
    "NUMERAL_FORMS",
    "Numeral",
    "decimals_of",
    "parse_arabic",
    "parse_chinese_numeral",
    "read_numeral",
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


def _section_term(s: str, i: int, at_start: bool, terms: list[tuple[int, int]],
                  zero_pending: bool) -> tuple[int, int, int]:
    """(digit, power of ten, next index) of the term of a section starting at s[i], a non-zero character.

    A digit takes the power of the small unit after it; a lone final digit right after 百/千 counts
    in the next place down ('一百五' = 150); a unit without digit is allowed only at the very start.
    """
    n = len(s)
    c = s[i]
    if c in CN_DIGITS:
        d = CN_DIGITS[c]
        if i + 1 < n and s[i + 1] in _SMALL_UNITS:
            return d, _power(_SMALL_UNITS[s[i + 1]]), i + 2
        if i != n - 1:
            raise ValueError(f"two digits in a row in Chinese numeral {s!r}")
        if c in _LIANG and not (at_start and n == 1):
            raise ValueError(f"两 cannot be a final digit in {s!r}")
        # '一百五' = 150: a lone final digit right after 百/千 counts in the next place down
        if terms and not zero_pending and terms[-1][1] >= 2:
            return d, terms[-1][1] - 1, i + 1
        return d, 0, i + 1
    if c in _SMALL_UNITS:
        if not (i == 0 and at_start):
            raise ValueError(f"unit without digit inside Chinese numeral {s!r}")
        return 1, _power(_SMALL_UNITS[c]), i + 1  # '十二' = 12, '千' = 1000
    raise ValueError(f"not a Chinese numeral: {s!r}")


def _check_place(s: str, terms: list[tuple[int, int]], p: int, zero_pending: bool) -> None:
    """Raise unless a term of power p may follow `terms`: the next place down, or a skipped place after 零."""
    if not terms:
        return
    gap = terms[-1][1] - p
    if zero_pending and gap < 2:
        raise ValueError(f"零 without a skipped place in {s!r}")
    if not zero_pending and gap != 1:
        raise ValueError(f"skipped place without 零 in {s!r}")


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
        if s[i] in _ZEROS:
            if not terms or zero_pending:
                raise ValueError(f"misplaced zero in Chinese numeral {s!r}")
            zero_pending = True
            i += 1
            continue
        d, p, i = _section_term(s, i, at_start, terms, zero_pending)
        _check_place(s, terms, p, zero_pending)
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



# --- the total reader: every written form of a quantity --------------------------------------

#: Forms :func:`read_numeral` recognises (the `form` of a :class:`Numeral`).
NUMERAL_FORMS = (
    "arabic", "chinese", "chinese_decimal", "digits", "percent_words", "per_mille_words", "fraction",
    "range", "adjacent", "few", "unread",
)

#: Bare magnitude words: a power of ten written with unit characters only (十, 百, 千, 万, 十万 …).
MAGNITUDES: dict[str, int] = {
    w: v for w, v in (
        ("十", 10), ("百", 100), ("千", 1000), ("万", 10**4), ("十万", 10**5), ("百万", 10**6),
        ("千万", 10**7), ("亿", 10**8), ("十亿", 10**9), ("百亿", 10**10), ("千亿", 10**11), ("万亿", 10**12),
    )
}
_BIG_TAILS = {w: v for w, v in MAGNITUDES.items() if v >= 10**4}
_PLAIN = "零〇一二三四五六七八九"          # digits as written digit by digit (no 两, no unit characters)
_DIGIT_VALUE = {c: CN_DIGITS[c] for c in _PLAIN} | {"两": 2}


class Numeral(NamedTuple):
    """What a written number names, exactly.

    `low`/`high` are the smallest and largest values named (equal for a single value), both
    possible, in the number's own unit (percent for 百分之/分之 forms, per mille for 千分之).
    `figure` is, for a single value, the written figure whose precision decides its interval
    ('30' for 百分之三十, the Chinese numeral itself for 两千); '' for an exact ratio (四分之一)
    and for forms naming several values.  `scale` multiplies `figure` (10**8 for 三点五亿).
    `low_fixed` is True for a range whose low end already carries its own multiplier (5万至6 万)
    or is too large to share the high end's (3000至5 万), so a multiplier after the range applies
    to the high end only; such a low end may exceed `high` as written ('5万至6': 50000 and 6) until
    :func:`aidlab.claims.intervals.read_written` applies that multiplier.  `problem` says why a string is `unread`.
    """

    form: str
    low: Fraction | None = None
    high: Fraction | None = None
    figure: str = ""
    scale: int = 1
    low_fixed: bool = False
    problem: str = ""


def _unread(problem: str) -> Numeral:
    return Numeral("unread", problem=problem)


_ADJACENT = re.compile(
    r"(?P<head>(?:[一二两三四五六七八九]?十)?)(?P<a>[一二两三四五六七八九])(?P<b>[一二两三四五六七八九])"
    r"(?P<tail>十|百|千|万|十万|百万|千万|亿)?"
)
_FEW = re.compile(r"(?P<head>[零〇一二两三四五六七八九十百千]*)几(?P<tail>[十百千万亿]*)")
_DECIMAL = re.compile(r"(?P<int>[零〇一二两三四五六七八九十百千万]+)点(?P<dec>[零〇一二三四五六七八九]+)(?P<tail>万亿|万|亿)?")
_RANGE = re.compile(
    r"(?P<a>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿点]+)(?P<amult>万亿|千万|百万|万|亿|千)?(?P<aunit>[%‰])?"
    r"(?P<conn>[-–—~～〜至到])"
    r"(?P<b>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿点]+)"
)
_ARABIC_PLAIN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_MULT_WORD = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "万": 10**4, "亿": 10**8, "千": 10**3}


def _single(s: str) -> tuple[Fraction, str, int] | None:
    """(value, figure, scale) of a single plain number: Arabic, strict Chinese or a Chinese decimal; None otherwise."""
    if _ARABIC_PLAIN.fullmatch(s):
        try:
            return Fraction(parse_arabic(s)), s, 1
        except ValueError:  # '0000,000': separators not in threes from the left
            return None
    try:
        return Fraction(parse_chinese_numeral(s)), s, 1
    except ValueError:
        pass
    m = _DECIMAL.fullmatch(s)
    if m:
        try:
            whole = 0 if m["int"] in _ZEROS else parse_chinese_numeral(m["int"])
        except ValueError:
            return None
        arabic = f"{whole}." + "".join(str(CN_DIGITS[c]) for c in m["dec"])
        scale = _MULT_WORD[m["tail"]] if m["tail"] else 1
        return Fraction(Decimal(arabic)) * scale, arabic, scale
    return None


def _read_single(s: str) -> Numeral | None:
    """Rules 1–3: an Arabic number, a strict Chinese numeral or a Chinese decimal; None when it is none of them."""
    one = _single(s)
    if one is None:
        return None
    value, figure, scale = one
    form = "arabic" if s[0].isdigit() else ("chinese_decimal" if "点" in s else "chinese")
    return Numeral(form, value, value, figure, scale)


def _read_percent_words(s: str) -> Numeral | None:
    """Rule 4: 百分之 / 千分之 + a number, its figure the Arabic number it spells; None when it does not start so."""
    if not (s.startswith(("百分之", "千分之")) and len(s) > 3):
        return None
    one = _single(s[3:])
    if one is None:
        return _unread(f"{s[:3]} without a number after it: {s!r}")
    value, figure, scale = one
    if scale != 1:
        return _unread(f"a multiplier inside {s[:3]}: {s!r}")
    if not figure[0].isdigit():
        figure = str(parse_chinese_numeral(figure))
    return Numeral("percent_words" if s[0] == "百" else "per_mille_words", value, value, figure)


def _read_fraction(s: str) -> Numeral | None:
    """Rule 5: A分之B of Chinese numerals, the exact ratio B/A × 100 %; None without 分之."""
    if "分之" not in s:
        return None
    den_s, _, num_s = s.partition("分之")
    try:
        den, num = parse_chinese_numeral(den_s), parse_chinese_numeral(num_s)
    except ValueError:
        return _unread(f"not a fraction A分之B of numerals: {s!r}")
    if den < 1:
        return _unread(f"zero denominator: {s!r}")
    ratio = Fraction(num, den) * 100
    return Numeral("fraction", ratio, ratio)


def _read_range(s: str) -> Numeral | None:
    """Rule 6: two numbers joined by a range connector (至 到 - – — ~ ～ 〜); None when s is no such pair."""
    m = _RANGE.fullmatch(s)
    if not m:
        return None
    first, second = _single(m["a"]), _single(m["b"])
    if first is None or second is None:
        return _unread(f"a range end is no number: {s!r}")
    low, high = first[0], second[0]
    fixed = bool(m["amult"]) or low >= high
    if m["amult"]:
        low *= _MULT_WORD[m["amult"]]
    # whether the low end is above the high end is decided once a multiplier after the range is known
    return Numeral("range", low, high, low_fixed=fixed)


def _read_adjacent(s: str) -> Numeral | None:
    """Rule 7: two neighbouring digits (四五, 三四十, 十七八) or the idiom 三五; None when the pair is no approximation."""
    m = _ADJACENT.fullmatch(s)
    if not m:
        return None
    d1, d2 = _DIGIT_VALUE[m["a"]], _DIGIT_VALUE[m["b"]]
    try:
        tens = parse_chinese_numeral(m["head"]) if m["head"] else 0
    except ValueError:
        return _unread(f"not a numeral before the approximation: {s!r}")
    tail = m["tail"] or ""
    if not (d2 == d1 + 1 or ((d1, d2) == (3, 5) and not tens and not tail)):  # 十三五 is a plan's name
        return None
    if tail in ("十", "百", "千"):
        if tens:
            return _unread(f"tens before an approximation of {tail}: {s!r}")
        place, times = MAGNITUDES[tail], 1
    else:
        place, times = 1, (MAGNITUDES[tail] if tail else 1)
    return Numeral("adjacent", Fraction((tens + d1 * place) * times), Fraction((tens + d2 * place) * times))


def _read_few(s: str) -> Numeral | None:
    """Rule 8: 几 as one digit (几十, 十几, 二十几万); None when 几 does not stand in such a place."""
    m = _FEW.fullmatch(s)
    if not (m and (m["tail"] == "" or m["tail"] in MAGNITUDES)):
        return None
    tail = MAGNITUDES.get(m["tail"], 1)
    if not m["head"]:
        if not m["tail"]:
            return _unread("几 alone is an indefinite 'a few'")
        return Numeral("few", Fraction(2 * tail), Fraction(9 * tail))
    if not (m["head"][-1] in "十百千" and (m["tail"] == "" or m["tail"] in _BIG_TAILS)):
        return None
    try:
        lead = parse_chinese_numeral(m["head"])
    except ValueError:
        return _unread(f"not a numeral before 几: {s!r}")
    step = _SMALL_UNITS[m["head"][-1]] // 10
    return Numeral("few", Fraction((lead + step) * tail), Fraction((lead + 9 * step) * tail))


def _read_digits(s: str) -> Numeral | None:
    """Rule 9: plain digits written one by one (一零零, 二〇二三); None when s is not only plain digits."""
    if not (len(s) >= 2 and all(c in _PLAIN for c in s)):
        return None
    if s[0] in _ZEROS:
        return _unread(f"digits written one by one start with zero: {s!r}")
    if len(s) >= 3 or any(c in _ZEROS for c in s):
        spelled = int("".join(str(CN_DIGITS[c]) for c in s))
        return Numeral("digits", Fraction(spelled), Fraction(spelled), str(spelled))
    return _unread(f"two digits that are neither neighbours nor a number: {s!r}")


#: The rules of :func:`read_numeral`, in the order they are tried: each returns None when it does not apply.
_RULES = (_read_single, _read_percent_words, _read_fraction, _read_range, _read_adjacent, _read_few, _read_digits)


def read_numeral(s: str) -> Numeral:
    """Read any written quantity of running text exactly; never raises (an unreadable string is form `unread`).

    The rules, tried in this order (the first that applies decides):

    1. **arabic** — digits with optional thousands commas and decimals ('1,040', '42.20').
    2. **chinese** — a well-formed Chinese numeral (:func:`parse_chinese_numeral`, strict).
    3. **chinese_decimal** — a Chinese numeral, 点, digits, optionally 万/亿 ('七点五', '三点五亿'):
       read as the Arabic figure it spells ('7.5', '3.5' × 10**8), so its precision is that of
       the written decimals.
    4. **percent_words** / **per_mille_words** — 百分之 / 千分之 + a number ('百分之三十' = 30 %,
       '千分之五' = 5 ‰): the number after 之 is read as the Arabic figure it spells ('30', not
       the Chinese-numeral reading of 三十 whose precision would be the tens), because 百分之三十
       is how 30 % is spelt out, digit for digit.
    5. **fraction** — A分之B with Chinese numerals ('四分之一' = 25 %, '三分之二' = 200/3 %): the
       exact ratio B/A × 100 %, kept as a Fraction (200/3 has no finite decimal).  A fraction is
       a ratio stated, not a rounded measurement, so no precision interval is added.
    6. **range** — two numbers joined by 至 到 - – — ~ ～ 〜 ('3-5', '5至6', '5万至6', '10%-20'): the
       low end shares a multiplier written after the range ('5至6万' = 5万 to 6万) unless it carries
       its own ('5万至6万') or is not below the high end as written ('3000至5万' = 3000 to 50000, since
       3000万 would exceed 5万).  A low end above the high end (once the multiplier is applied,
       by :func:`aidlab.claims.intervals.read_written`) is unread.
    7. **adjacent** — two neighbouring digits, the approximation of spoken Chinese ('四五' = 4–5,
       '三四十' = 30–40, '七八百' = 700–800, '十七八' = 17–18, '一两' = 1–2, '三四万' = 30 000–40 000),
       and the idiom 三五 (three to five; only alone, as 十三五 names a Five-Year Plan).  Other pairs
       ('一五', '九五') are not read: digit by digit they would be 15 or 95, as a range 1–5 — no rule
       decides, so they are unread.
    8. **few** — 几 as one digit: before a magnitude it is the leading digit 2–9 ('几十' = 20–90,
       '几百' = 200–900: one ten would be written 十); after a numeral ending in 十/百/千 it fills
       the next place down with 1–9 ('十几' = 11–19, '二十几' = 21–29); a following 万/亿 multiplies
       ('十几万' = 110 000–190 000).  几 alone is an indefinite 'a few', not read.
    9. **digits** — three or more plain digits, or two with a zero, first digit not zero
       ('一零零' = 100, '二〇二三' = 2023): read digit by digit, as years and codes are written.
       A leading zero ('零零') or two non-neighbouring digits are unread.
    10. anything else is **unread**, with the reason.

    >>> read_numeral("三四十")[:3]
    ('adjacent', Fraction(30, 1), Fraction(40, 1))
    >>> read_numeral("百分之七点五").figure
    '7.5'
    >>> read_numeral("零零").form
    'unread'
    """
    if not isinstance(s, str) or not s:
        return _unread("empty")
    for rule in _RULES:
        num = rule(s)
        if num is not None:
            return num
    return _unread(f"no rule reads {s!r}")
