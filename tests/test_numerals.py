"""Exact parsing of Chinese numerals and of Arabic numbers as written (separators, full-width digits, decimals)."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from aidlab.claims.numerals import (
    CN_DIGITS,
    CN_UNITS,
    MULTIPLIERS,
    decimals_of,
    parse_arabic,
    parse_chinese_numeral,
    read_numeral,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # single digits, as in 两批 / 三年 / 五个
        ("两", 2), ("二", 2), ("一", 1), ("九", 9), ("〇", 0), ("零", 0),
        # tens
        ("十", 10), ("十二", 12), ("一十二", 12), ("二十", 20), ("九十九", 99),
        # hundreds and thousands with 零 marking skipped places
        ("一百零五", 105), ("三百零五", 305), ("一百一十", 110), ("两百", 200),
        ("一千零五", 1005), ("一千零五十", 1050), ("两千三百四十五", 2345),
        # bare leading units
        ("千", 1000), ("百", 100), ("万", 10_000), ("亿", 10**8),
        ("十万", 100_000), ("百万", 10**6),
        # 万 / 亿 sections
        ("一千万", 10_000_000), ("三千万", 30_000_000), ("两万三千", 23_000),
        ("两万", 20_000), ("十二万", 120_000), ("一万零五百", 10_500),
        ("三亿五千万", 350_000_000), ("一亿零五百万", 105_000_000), ("一万亿", 10**12),
        ("一千九百一十八万六千", 19_186_000),
        # colloquial abbreviation: a lone last digit counts in the next place down
        ("一百五", 150), ("三千五", 3500), ("两万三", 23_000), ("一亿五", 150_000_000),
        # financial and traditional forms
        ("壹佰零伍", 105), ("贰仟", 2000), ("叁拾", 30), ("兩萬", 20_000), ("壹億", 10**8),
        # surrounding whitespace is ignored
        (" 两 ", 2),
    ],
)
def test_parse_chinese_numeral(text: str, value: int) -> None:
    result = parse_chinese_numeral(text)
    assert result == value
    assert type(result) is int


@pytest.mark.parametrize(
    "text",
    [
        "", " ", "abc", "5万", "12",
        "一二", "一两", "二〇二三",       # runs of digits are ranges or years, not counts
        "十两", "一百两", "两万两",       # 两 is not a final digit
        "一百十", "十百", "百十",         # unit without a digit inside a numeral
        "一千五十", "三万五百", "三亿五百万",  # skipped place without 零
        "一百零五十", "一万零五千",       # 零 with nothing skipped
        "零五", "一百零", "一百零零五", "零万", "一万零",  # misplaced zeros
        "两批", "千余",                   # qualifiers and measure words are not numerals
    ],
)
def test_parse_chinese_numeral_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_chinese_numeral(text)


def test_parse_chinese_numeral_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        parse_chinese_numeral(2)  # type: ignore[arg-type]


def test_tables() -> None:
    assert {CN_DIGITS[c] for c in "零〇一二两三四五六七八九"} == set(range(10))
    assert [CN_DIGITS[c] for c in "壹贰叁肆伍陆柒捌玖"] == list(range(1, 10))
    assert [CN_UNITS[c] for c in "十百千万亿"] == [10, 100, 1000, 10**4, 10**8]
    assert [CN_UNITS[c] for c in "拾佰仟"] == [10, 100, 1000]
    assert MULTIPLIERS["万"] == 10**4 and MULTIPLIERS["亿"] == 10**8 and MULTIPLIERS["千"] == 10**3
    assert MULTIPLIERS["百万"] == 10**6 and MULTIPLIERS["千万"] == 10**7
    # every multiplier agrees with the Chinese numeral of the same spelling
    for suffix, m in MULTIPLIERS.items():
        assert parse_chinese_numeral(suffix) == m


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        ("206", Decimal("206"), 0),
        ("1,040", Decimal("1040"), 0),
        ("1，040", Decimal("1040"), 0),          # full-width comma
        ("1\u2009040", Decimal("1040"), 0),      # thin space
        ("1\u202f040", Decimal("1040"), 0),      # narrow no-break space
        ("12,345,678", Decimal("12345678"), 0),
        ("２０", Decimal("20"), 0),              # full-width digits
        ("１，０４０．５", Decimal("1040.5"), 1),
        ("51.4", Decimal("51.4"), 1),
        ("42.20", Decimal("42.20"), 2),
        ("1918.6", Decimal("1918.6"), 1),
        ("0.3", Decimal("0.3"), 1),
        (" 7 ", Decimal("7"), 0),
        ("-3.50", Decimal("-3.50"), 2),
    ],
)
def test_parse_arabic(text: str, value: Decimal, decimals: int) -> None:
    result = parse_arabic(text)
    assert isinstance(result, Decimal)
    assert result == value
    assert decimals_of(text) == decimals
    assert -result.as_tuple().exponent == decimals  # the written precision survives


def test_parse_arabic_keeps_trailing_zeros() -> None:
    assert str(parse_arabic("42.20")) == "42.20"
    assert parse_arabic("42.20").as_tuple().exponent == -2
    assert parse_arabic("42.2").as_tuple().exponent == -1


@pytest.mark.parametrize(
    "text", ["", "abc", "1,04", "10,40", "1,0400", "1.2.3", "5.", "1e3", "NaN", "inf", "51.4万", "1.000,5", "两"]
)
def test_parse_arabic_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_arabic(text)
    with pytest.raises(ValueError):
        decimals_of(text)


def test_parse_arabic_rejects_floats() -> None:
    with pytest.raises(TypeError):
        parse_arabic(51.4)  # type: ignore[arg-type]


# --- read_numeral: the total reader of written forms ------------------------------------------

F = Fraction


@pytest.mark.parametrize(
    ("text", "form", "low", "high"),
    [
        ("206", "arabic", 206, 206),
        ("两万三千", "chinese", 23000, 23000),
        ("七点五", "chinese_decimal", F(15, 2), F(15, 2)),
        ("三点五亿", "chinese_decimal", 350_000_000, 350_000_000),
        ("百分之三十", "percent_words", 30, 30),
        ("百分之七点五", "percent_words", F(15, 2), F(15, 2)),
        ("千分之五", "per_mille_words", 5, 5),
        ("四分之一", "fraction", 25, 25),
        ("三分之二", "fraction", F(200, 3), F(200, 3)),
        ("十分之一", "fraction", 10, 10),
        ("3-5", "range", 3, 5),
        ("3～5", "range", 3, 5),
        ("三至五", "range", 3, 5),
        ("5万至6", "range", 50_000, 6),          # low end carries its own 万; the high end's comes later
        ("三四十", "adjacent", 30, 40),
        ("七八百", "adjacent", 700, 800),
        ("四五", "adjacent", 4, 5),
        ("一两", "adjacent", 1, 2),
        ("十七八", "adjacent", 17, 18),
        ("三四万", "adjacent", 30_000, 40_000),
        ("三五", "adjacent", 3, 5),
        ("十几", "few", 11, 19),
        ("二十几", "few", 21, 29),
        ("几十", "few", 20, 90),
        ("几百", "few", 200, 900),
        ("十几万", "few", 110_000, 190_000),
        ("一零零", "digits", 100, 100),
        ("二〇二三", "digits", 2023, 2023),
    ],
)
def test_read_numeral_forms(text, form, low, high) -> None:
    n = read_numeral(text)
    assert (n.form, n.low, n.high) == (form, F(low), F(high))
    assert isinstance(n.low, Fraction) and isinstance(n.high, Fraction)


def test_read_numeral_figures_carry_the_written_precision() -> None:
    assert read_numeral("百分之三十").figure == "30"      # the Arabic figure it spells, not 三十's tens
    assert read_numeral("百分之七点五").figure == "7.5"
    assert read_numeral("一零零").figure == "100"
    assert read_numeral("两千").figure == "两千"          # a Chinese numeral keeps its own precision rule
    assert read_numeral("三分之二").figure == ""          # an exact ratio has none
    assert read_numeral("三点五亿")[3:5] == ("3.5", 10**8)


@pytest.mark.parametrize(
    "text",
    ["", "零零", "一五", "九五", "几", "十三五", "百分之", "百分之三四十", "三分之", "零分之一", "0000,000",
     "abc", "两两", "一百十", "点五"],
)
def test_read_numeral_names_what_it_cannot_read(text) -> None:
    n = read_numeral(text)
    assert n.form == "unread" and n.problem and n.low is None


def test_read_numeral_never_raises_on_non_strings() -> None:
    assert read_numeral(None).form == "unread"  # type: ignore[arg-type]
