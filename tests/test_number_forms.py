"""Every written form of a quantity, as labelled cases (tests/fixtures/number_forms.csv, in the style of ftfy's test-cases).

Each row is a sentence put into an article page of its own and run through cleaning and extraction:
`synthetic` and `in-the-wild` rows must give exactly the claim `text` with its interval, unit and
reading (offsets covering the whole written figure); `negative` rows must give no claim at all;
`known-failure` rows state what should happen and are xfail with the reason, so they stay visible.
"""
from __future__ import annotations

import csv
import math
from fractions import Fraction
from pathlib import Path

import pytest

from aidlab.claims.extract import claim_bounds, extract_claims
from aidlab.claims.intervals import QUALIFIER_READINGS
from aidlab.text.clean import clean_document
from aidlab.views import reading_class

CASES = Path(__file__).parent / "fixtures" / "number_forms.csv"
LABELS = {"synthetic", "in-the-wild", "negative", "known-failure"}

HEADLINE = "援疆医疗队助力受援地医疗服务水平提升"
BEFORE = "记者从自治区卫生健康委员会获悉，医疗队深入基层开展义诊活动，为当地群众送去优质医疗服务。"
AFTER = "当地干部群众对医疗队的工作给予高度评价，纷纷表示感谢。"


def _rows() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _params():
    for row in _rows():
        marks = [pytest.mark.xfail(reason=row["note"], strict=True)] if row["label"] == "known-failure" else []
        yield pytest.param(row, id=f"{row['label']}:{row['text']}", marks=marks)


def _page(sentence: str) -> tuple[str, int]:
    raw = f"{HEADLINE}\n{BEFORE}{sentence}{AFTER}\n"
    return raw, raw.index(sentence)


def _claims_in(sentence: str):
    raw, _ = _page(sentence)
    doc = clean_document(raw, "case")
    start = doc.text.text.find(sentence)
    assert start != -1, "the case sentence did not survive cleaning"
    claims = extract_claims(doc)
    inside = claims[(claims["clean_start"] >= start) & (claims["clean_end"] <= start + len(sentence))]
    return raw, inside


def _end(s: str) -> Fraction | None:
    return None if s == "inf" else Fraction(s)


def test_the_case_file_is_well_formed():
    rows = _rows()
    assert rows and {r["label"] for r in rows} == LABELS
    for r in rows:
        assert r["text"] in r["sentence"], r
        if r["label"] == "negative":
            assert not (r["low"] or r["reading"]), r
        else:
            assert r["reading"] in {k for k, _ in QUALIFIER_READINGS.values()}, r
    # every reading of a written form has at least one case that must pass
    form_readings = {k for k, _ in QUALIFIER_READINGS.values()} - {"more_bounded", "under"}
    passing = {r["reading"] for r in rows if r["label"] in ("synthetic", "in-the-wild")}
    assert form_readings <= passing, form_readings - passing


@pytest.mark.parametrize("case", list(_params()))
def test_number_form(case):
    raw, claims = _claims_in(case["sentence"])
    if case["label"] == "negative":
        assert claims.empty, list(claims["text"])
        return
    assert list(claims["text"]) == [case["text"]], list(claims["text"])
    c = claims.iloc[0]
    # offsets cover the whole written figure, in the raw page too
    assert raw[c["raw_start"]:c["raw_end"]] == case["text"]
    assert c["unit"] == case["unit"]
    assert c["reading"] == case["reading"]
    b = claim_bounds(c)
    assert (None if b.low is None else Fraction(b.low)) == _end(case["low"])
    assert (None if b.high is None else Fraction(b.high)) == _end(case["high"])
    assert (b.low_inclusive, b.high_inclusive) == (case["low_inclusive"] == "True", case["high_inclusive"] == "True")
    # the float columns agree with the exact bounds
    assert c["low"] == float(_end(case["low"]))
    assert c["high"] == (math.inf if case["high"] == "inf" else float(_end(case["high"])))
    if case["reading"] == "unread":
        assert c["damaged"] and math.isnan(c["value"])   # flagged, never a silent value
    else:
        assert not c["damaged"] and c["low"] <= c["value"] <= c["high"]


def test_every_reading_has_a_figure_class():
    """The publication figures group every reading the registry can produce (an unknown one raises there)."""
    for key, _ in QUALIFIER_READINGS.values():
        assert reading_class(key)
    assert reading_class("unread") == "damaged"


def test_written_forms_on_a_traditional_page_keep_their_raw_offsets():
    """Traditional script and full-width digits: the same claims, each raw slice the figure as scraped."""
    body = ("先後派出數百名專家，近萬名群眾受益，三成患者來自農村，百分之七點五為兒童，"
            "每批派出３～５名專家，十幾名護士，三四十家醫院，兩三百名醫生。")
    raw = f"{HEADLINE}\n{BEFORE}{body}{AFTER}\n"
    claims = extract_claims(clean_document(raw, "trad"))
    got = {c["text"]: (c["reading"], raw[c["raw_start"]:c["raw_end"]]) for c in claims.to_dict("records")}
    assert got == {
        "数百名": ("several", "數百名"), "近万名": ("near", "近萬名"), "三成": ("tenths", "三成"),
        "百分之七点五": ("percent_words", "百分之七點五"), "3～5名": ("range", "３～５名"),
        "十几名": ("few", "十幾名"), "三四十家": ("adjacent", "三四十家"), "两三百名": ("adjacent", "兩三百名"),
    }
