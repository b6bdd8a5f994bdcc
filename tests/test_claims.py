"""Claims: the hand-checked fixture is the spec; unseen synthetic pages keep the extractor honest."""
from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from aidlab import pipeline
from aidlab.claims.extract import CLAIM_COLUMNS, extract_claims
from aidlab.text import clean
from aidlab.text.script import to_simplified_char

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def seed_tables(seeds_dir):
    return pipeline.build(seeds_dir)


@pytest.fixture(scope="module")
def cleaned(seed_tables):
    return seed_tables.docs


@pytest.fixture(scope="module")
def seed_claims(seed_tables):
    return seed_tables.claims


def _expected(path: Path, key: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype={key: str, "text": str, "unit": str, "qualifier": str}, keep_default_na=False)


def _compare(got: pd.DataFrame, expected: pd.DataFrame, label: str) -> None:
    """Every expected figure is found once per mention with its value, unit and qualifier; nothing else is."""
    want = Counter(zip(expected["text"], expected["unit"], expected["qualifier"], expected["damaged"].astype(str)))
    have = Counter(zip(got["text"], got["unit"], got["qualifier"], got["damaged"].astype(str)))
    assert not (want - have), f"{label}: missing {list((want - have).elements())}"
    assert not (have - want), f"{label}: not claims {list((have - want).elements())}"
    values = dict(zip(expected["text"], expected["value"]))
    for _, row in got.iterrows():
        exp = values[row["text"]]
        if exp == "":
            assert math.isnan(row["value"]), (label, row["text"])
        else:
            assert row["value"] == pytest.approx(float(exp)), (label, row["text"])


def test_seed_claims_match_the_hand_checked_fixture(seed_claims):
    expected = _expected(FIXTURES / "claims_expected.csv", "doc")
    for prefix, group in expected.groupby("doc"):
        got = seed_claims[seed_claims["doc_id"].str.startswith(prefix)]
        _compare(got, group, f"seed {prefix}")


@pytest.mark.parametrize("page", ["synthetic_traditional_pinyin", "synthetic_simplified_footer"])
def test_unseen_pages(page):
    raw = (FIXTURES / "pages" / f"{page}.txt").read_text(encoding="utf-8")
    got = extract_claims(clean.clean_document(raw, page))
    expected = _expected(FIXTURES / "pages" / "expected_claims.csv", "page")
    _compare(got, expected[expected["page"] == page], page)


def test_columns_and_ids(seed_claims):
    assert list(seed_claims.columns) == list(pipeline.CLAIMS_COLUMNS)  # extracted columns, then attribution's
    assert list(seed_claims.columns)[:len(CLAIM_COLUMNS)] == list(CLAIM_COLUMNS)
    assert seed_claims["claim_id"].is_unique
    assert (seed_claims["clean_start"] < seed_claims["clean_end"]).all()


def test_raw_offsets_slice_the_raw_file_to_the_figure(seed_claims, cleaned, seeds_dir):
    raw_by_doc = {p.stem: p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}
    for _, c in seed_claims.iterrows():
        raw = raw_by_doc[c["doc_id"]][c["raw_start"]:c["raw_end"]]
        assert raw == c["raw_text"]
        for digit in re.findall(r"\d", c["number"]):
            assert digit in raw, (c["claim_id"], c["text"], raw)
        if not c["number"] or not c["number"][0].isdigit():
            # Chinese numerals: the raw slice converts to the clean figure's numeral
            assert c["number"] in "".join(to_simplified_char(ch) for ch in raw), (c["claim_id"], raw)
        doc = cleaned[c["doc_id"]]
        assert doc.text.text[c["clean_start"]:c["clean_end"]] == c["text"]
        assert c["text"] in c["sentence"] or c["sentence"] in doc.text.text


def test_intervals_follow_the_qualifier_readings(seed_claims):
    by_text = seed_claims.drop_duplicates("text").set_index("text")
    assert (by_text.loc["51.4万人次", ["low", "high"]] == [513500, 514500]).all()
    assert not by_text.loc["51.4万人次", "high_inclusive"]
    assert (by_text.loc["700余台次", ["low", "high"]] == [700, 800]).all()
    assert (by_text.loc["206名", ["low", "high"]] == [206, 206]).all()
    assert by_text.loc["超过12万人次", "low"] == 120000 and math.isinf(by_text.loc["超过12万人次", "high"])
    assert (by_text.loc["近11万人次", ["low", "high"]] == [99000, 115000]).all()
    assert (by_text.loc["1918.6万余元", ["low", "high"]] == [19186000, 19187000]).all()
    vague = seed_claims[seed_claims["qualifier"] != ""]
    assert (vague["low"] < vague["high"]).all()


def test_damaged_figures_are_flagged_and_bounded(seed_claims):
    damaged = seed_claims[seed_claims["damaged"]].set_index("text")
    assert {"?78人", "?000万元", "?县", "?76万"} <= set(damaged.index)
    assert damaged["value"].isna().all()
    assert (damaged.loc["?78人", ["low", "high"]] == [178, 978]).all()
    assert (damaged.loc["?000万元", ["low", "high"]] == [10_000_000, 90_000_000]).all()
    assert (damaged["reading"] == "damaged").all()
    # no damaged figure is reported as a clean 78 or 0
    clean_claims = seed_claims[~seed_claims["damaged"]]
    assert not ((clean_claims["value"] == 78) | (clean_claims["value"] == 0)).any()


def test_dates_ordinals_and_names_are_not_claims(seed_claims):
    texts = set(seed_claims["text"])
    for not_a_claim in ["2019年", "第十批", "十批", "二甲", "三甲", "1+1", "120", "2024年", "第六批", "一对", "一批"]:
        assert not_a_claim not in texts
    assert not seed_claims["text"].str.contains(r"^\d{4}年").any()
    assert not seed_claims["unit"].isin(["年", "月", "日", "号", "时"]).any()


def test_nothing_from_page_chrome(seed_claims):
    # figures that stand only in related lists, spam, footers and disclaimers
    for chrome in ["3373张", "659名", "105.9%", "31.7%", "997户", "3.5元", "4000余名", "350项"]:
        assert chrome not in set(seed_claims["text"]), chrome


def test_scope_and_metric(seed_claims):
    row = seed_claims[seed_claims["text"] == "206名"].iloc[0]
    assert row["scope"] == "3年来" and row["metric"] == "experts_sent" and row["subject"] == "专家"
    row = seed_claims[seed_claims["text"] == "51.4万人次"].iloc[0]
    assert row["metric"] == "patients_seen"
    row = seed_claims[seed_claims["text"] == "963家"].iloc[0]
    assert row["scope"] == "截至2018年底" and row["metric"] == "hospitals"
    assert set(seed_claims.loc[seed_claims["unit"] == "台次", "metric"]) == {"surgeries"}
    assert set(seed_claims.loc[seed_claims["unit"] == "元", "metric"]) == {"funds"}


def test_metric_reads_the_whole_clause_and_falls_back_on_the_unit(seed_claims):
    by_text = seed_claims.drop_duplicates("text").set_index("text")
    # local staff sent to train in the aiding province are trainees, not experts sent
    assert by_text.loc["185名", "metric"] == "trainees"
    # the second growth rate of a list has no words of its own: % alone makes it a rate
    assert by_text.loc["25%", "metric"] == "rate"


def test_records_path_gives_the_frame_path(cleaned):
    """The pipeline stays on claim records per page and builds one frame per chunk; on every seed that is
    the very frame (values, dtypes, order) the DataFrame path of notebooks and tests gives."""
    from aidlab.attribution import attribute_claims, attribute_records
    from aidlab.claims.extract import claim_records, claims_frame

    records, frames = [], []
    for doc in cleaned.values():
        records += attribute_records(doc, claim_records(doc))
        frames.append(attribute_claims(doc, extract_claims(doc)))
    assert len(records) > 50
    pd.testing.assert_frame_equal(claims_frame(records, pipeline.CLAIMS_COLUMNS),
                                  pd.concat(frames, ignore_index=True))
