"""Property-based tests (hypothesis): the numeral readers and claim extraction never raise, and every
claim is traceable and well-bounded, on arbitrary text and on text built from the pieces figures are
made of (numerals, units, qualifiers, connectors, punctuation, lost-byte marks).

Profiles: `quick` (default, ~100 examples a test, for `make test`) and `fuzz` (selected with the
environment variable HYPOTHESIS_PROFILE=fuzz, for `make fuzz`: many more examples, longer texts).
"""
from __future__ import annotations

import contextlib
import math
import os
import re
import unicodedata
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidlab.claims.extract import TIME_UNITS, UNITS, claim_bounds, extract_claims
from aidlab.claims.intervals import QUALIFIER_POSITIONS, QUALIFIER_READINGS, read_written
from aidlab.claims.numerals import (
    NUMERAL_FORMS,
    parse_arabic,
    parse_chinese_numeral,
    read_numeral,
)
from aidlab.text.clean import clean_document
from aidlab.text.script import to_simplified_char

settings.register_profile("quick", max_examples=100, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

READINGS = {key for key, _ in QUALIFIER_READINGS.values()} | {"damaged"}

# --- the pieces figures are made of -----------------------------------------------------------
NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿几点兩萬億壹贰叁拾佰仟"
numeral_runs = st.text(alphabet=NUMERAL_CHARS, min_size=1, max_size=8)
arabic = st.one_of(
    st.integers(min_value=0, max_value=10**9).map(str),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.integers(min_value=1000, max_value=10**7).map(lambda n: f"{n:,}"),
    st.integers(min_value=0, max_value=999).map(lambda n: str(n).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})),
)
PIECES = (
    ["百分之", "千分之", "分之", "成", "余", "多", "第", "“", "”", "?", "万", "亿", "千", "/10万", "个小时"]
    + list(UNITS) + list(TIME_UNITS) + list(QUALIFIER_POSITIONS)
    + list("-–—~～〜至到，。、；：（）!？ \n%‰+×") + ["医院", "专家", "患者", "累计", "其中", "派出", "接诊"]
)
piece = st.one_of(st.sampled_from(PIECES), numeral_runs, arabic)
built_text = st.lists(piece, min_size=1, max_size=40).map("".join)
any_text = st.text(max_size=300)

HEADLINE = "援疆医疗队助力受援地医疗服务水平提升"
FILLER = "记者从自治区卫生健康委员会获悉，医疗队深入基层开展义诊活动，为当地群众送去优质医疗服务。"


def _page(body: str) -> str:
    return f"{HEADLINE}\n{FILLER}{body}{FILLER}\n"


# --- numeral readers --------------------------------------------------------------------------

@given(st.one_of(any_text, numeral_runs, built_text))
def test_numeral_readers_never_raise_anything_but_value_error(s):
    with contextlib.suppress(ValueError):
        parse_chinese_numeral(s)
    with contextlib.suppress(ValueError):
        parse_arabic(s)
    n = read_numeral(s)   # total: never raises
    assert n.form in NUMERAL_FORMS
    if n.form == "unread":
        assert n.problem
    else:
        assert n.low is not None and n.high is not None and n.low >= 0
        if not n.low_fixed:   # a fixed low end (5万至6) meets the high end's multiplier only in read_written
            assert n.low <= n.high


@given(st.one_of(numeral_runs, built_text, arabic), st.sampled_from([1, 10, 10**3, 10**4, 10**8]),
       st.sampled_from(["", *QUALIFIER_POSITIONS]), st.booleans())
def test_read_written_raises_only_value_error_and_bounds_its_value(s, multiplier, qualifier, exact):
    try:
        value, b, reading = read_written(s, multiplier, qualifier, exact_integer=exact)
    except ValueError:
        return
    assert reading in READINGS
    assert b.low is not None and Fraction(b.low) >= 0
    if b.high is not None:
        assert Fraction(b.low) <= Fraction(b.high)
    if reading not in ("more_than", "under"):   # the two readings that exclude the number itself
        assert b.contains(value), (s, multiplier, qualifier, value, str(b))


# --- extraction -------------------------------------------------------------------------------

def _digits(s: str) -> str:
    return "".join(re.findall(r"[0-9]", unicodedata.normalize("NFKC", s)))


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


def _check_claims(raw: str) -> None:
    doc = clean_document(raw, "prop")
    claims = extract_claims(doc)
    for c in claims.to_dict("records"):
        assert c["reading"] in READINGS, c
        assert 0 <= c["clean_start"] < c["clean_end"] <= len(doc.text.text)
        assert doc.text.text[c["clean_start"]:c["clean_end"]] == c["text"]
        sliced = raw[c["raw_start"]:c["raw_end"]]
        assert sliced == c["raw_text"]
        # the raw slice holds the figure's digits, in order, and its Chinese numeral characters
        assert _is_subsequence(_digits(c["number"]), _digits(sliced)), (c["number"], sliced)
        simplified = "".join(to_simplified_char(ch) for ch in sliced)
        for ch in c["number"]:
            if ch in NUMERAL_CHARS:
                assert ch in simplified, (c["number"], sliced)
        assert c["low"] <= c["high"]
        if not math.isnan(c["value"]):
            assert c["low"] <= c["value"] <= c["high"], c
            assert not c["damaged"]
        else:
            assert c["damaged"]
        b = claim_bounds(c)   # the exact bounds are recomputable from the row and agree with it
        assert float(b.low) == c["low"]
        assert (math.inf if b.high is None else float(b.high)) == c["high"]


@given(any_text)
def test_extraction_never_raises_on_arbitrary_text(body):
    _check_claims(_page(body))


@given(built_text)
def test_extraction_never_raises_on_text_built_from_figures(body):
    _check_claims(_page(body))


@given(st.lists(st.one_of(built_text, any_text), min_size=1, max_size=4))
def test_extraction_on_raw_pages_of_several_lines(lines):
    _check_claims("\n".join(lines))


@pytest.mark.parametrize("body", ["不到0家", "0余名", "占比零零%", "一零零名", "四五个小时", "?-5名", "5至3名", "百分之", "三分之", "?成", "?0.01"])
def test_the_crash_forms_of_issue_10_never_raise(body):
    _check_claims(_page(body))


# --- generated figures read back exactly --------------------------------------------------------

CN_DIGIT = "零一二三四五六七八九"
COUNT_UNITS = ["名", "家", "个", "项", "人次", "台次", "批次", "例"]


def _one_claim(body: str):
    claims = extract_claims(clean_document(_page(body), "gen"))
    assert len(claims) == 1, list(claims["text"])
    return claims.iloc[0]


@given(st.integers(min_value=2, max_value=10**6), st.sampled_from(COUNT_UNITS),
       st.sampled_from(["", "超过", "近", "约", "不足", "以上", "左右", "余"]))
def test_a_generated_count_reads_back_with_its_qualifier(n, unit, qualifier):
    before = qualifier if QUALIFIER_POSITIONS.get(qualifier) == "before" else ""
    inner = qualifier if qualifier in ("余",) else ""
    after = qualifier if qualifier in ("以上", "左右") else ""
    c = _one_claim(f"共派出{before}{n}{inner}{unit}{after}专家。")
    assert c["text"] == f"{before}{n}{inner}{unit}{after}"
    assert c["value"] == n and c["unit"] == unit and c["qualifier"] == qualifier
    _, b, reading = read_written(str(n), 1, qualifier or None, exact_integer=True)
    assert (c["low"], c["high"], c["reading"]) == (float(b.low), math.inf if b.high is None else float(b.high), reading)


@given(st.integers(min_value=0, max_value=10**5), st.integers(min_value=1, max_value=10**5),
       st.sampled_from(["-", "~", "～", "至", "到"]), st.sampled_from(COUNT_UNITS))
def test_a_generated_range_is_one_claim_over_both_ends(a, width, connector, unit):
    b = a + width
    c = _one_claim(f"每批派出{a}{connector}{b}{unit}专家。")
    assert c["text"] == f"{a}{connector}{b}{unit}" and c["reading"] == "range"
    assert (c["low"], c["high"], c["value"]) == (a, b, a)


@given(st.integers(min_value=1, max_value=8), st.sampled_from(["", "十", "百", "千", "万"]), st.sampled_from(COUNT_UNITS))
def test_generated_neighbouring_digits_are_an_interval(d, magnitude, unit):
    m = {"": 1, "十": 10, "百": 100, "千": 1000, "万": 10**4}[magnitude]
    written = f"{CN_DIGIT[d]}{CN_DIGIT[d + 1]}{magnitude}"
    c = _one_claim(f"全州{written}{unit}参与。")
    assert c["text"] == f"{written}{unit}" and c["reading"] == "adjacent"
    assert (c["low"], c["high"]) == (d * m, (d + 1) * m)
