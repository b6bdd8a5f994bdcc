"""Cross-document checks on claims frames built directly (attribution columns filled as aidlab.attribution would)."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

from aidlab.checks import CHECK_COLUMNS, KINDS, checks_frame
from aidlab.checks.crossdoc import (
    covers,
    cross_document_checks,
    single_shared_point,
    strict_part,
    wholly_below,
)
from aidlab.claims.intervals import Bounds

_n = itertools.count(1)


def claim(doc: str, text: str, number: str, qualifier: str = "", *, multiplier: int = 1, unit: str = "名",
          key: str = "zutuan|540000|experts_sent|people|cumulative", as_of: str = "", scope_kind: str = "cumulative",
          recipient: str = "540000", programme: str = "medical_talent_tibet", batch: str = "", group: str = "",
          period_start: str = "", metric: str = "experts_sent", start: int = 10) -> dict:
    i = next(_n)
    return {
        "doc_id": doc, "claim_id": f"{doc}#{i}", "text": text, "number": number, "multiplier": multiplier,
        "value": 0.0, "low": 0.0, "high": 0.0, "low_inclusive": True, "high_inclusive": True, "unit": unit,
        "qualifier": qualifier, "reading": "", "metric": metric, "subject": "专家", "scope": "", "damaged": False,
        "section": "body", "sentence": f"{doc} 的句子：{text}。", "sentence_no": 1, "clean_start": start,
        "clean_end": start + len(text), "raw_start": start, "raw_end": start + len(text), "raw_text": text,
        "as_of": as_of, "period_start": period_start, "as_of_source": "page" if as_of else "none", "batch": batch,
        "scope_kind": scope_kind, "programme": programme, "aiding_code": "", "recipient_code": recipient,
        "unit_family": "people", "quantity_key": key, "republication_group": group or doc,
    }


def run(*rows: dict, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    return checks_frame(cross_document_checks(pd.DataFrame(list(rows)), documents))


def texts(frame: pd.DataFrame, row) -> list[str]:
    return [c.split("#")[0] for c in row["claim_ids"].split(";")]


# --- interval helpers -----------------------------------------------------------------------------

def test_wholly_below_respects_inclusivity():
    assert wholly_below(Bounds(1172, 1172, True, True), Bounds(1180, 1180, True, True))
    assert not wholly_below(Bounds(1800, 2000, True, True), Bounds(2000, 3000, True, False))  # touch at 2000
    assert wholly_below(Bounds(1800, 2000, True, False), Bounds(2000, 3000, True, False))   # [.., 2000) below [2000, ..)
    assert not wholly_below(Bounds(100, None, False, False), Bounds(5000, 5000, True, True))  # unbounded above


def test_single_shared_point_near_vs_more():
    near = Bounds(10800, 12000, True, True)      # 近1.2万 (exact-count top)
    more = Bounds(12000, 13000, True, False)     # 1.2万余
    assert single_shared_point(near, more) == 12000
    assert single_shared_point(more, near) == 12000
    assert single_shared_point(Bounds(1, 5, True, True), Bounds(3, 9, True, True)) is None


def test_region_parts():
    assert covers("540000", "540100") and covers("540100", "540102") and not covers("540100", "540200")
    assert strict_part(frozenset({"540000"}), frozenset({"540000", "650000"}))
    assert not strict_part(frozenset({"540000", "650000"}), frozenset({"540000"}))
    assert strict_part(frozenset({"540200"}), frozenset({"540000"}))
    assert not strict_part(frozenset({"540000"}), frozenset({"540000"}))


# --- same quantity, same as_of ----------------------------------------------------------------------

def test_same_time_agree_and_disagree():
    key = "pairing|poverty_counties|counties|count|point"
    agree = run(claim("a", "832个", "832", unit="个", key=key, as_of="2019-12-31", scope_kind="point"),
                claim("b", "830多个", "830", "多", unit="个", key=key, as_of="2019-12-31", scope_kind="point"))
    assert list(agree["outcome"]) == ["agree"] and list(agree["verdict"]) == ["consistent"]
    disagree = run(claim("a", "834个", "834", unit="个", key=key, as_of="2019-12-31", scope_kind="point"),
                   claim("b", "832个", "832", unit="个", key=key, as_of="2019-12-31", scope_kind="point"))
    row = disagree.iloc[0]
    assert (row["kind"], row["verdict"], row["outcome"]) == ("cross_document", "inconsistent", "disjoint")
    assert "834个" in row["explanation"] and "832个" in row["explanation"]


def test_same_batch_compared_regardless_of_report_date():
    key = "tibet_cadres|540000|cadres|people|batch"
    rows = [claim("a", "2114名", "2114", key=key, as_of="2022-07-01", scope_kind="batch", batch="10"),
            claim("b", "2117名", "2117", key=key, as_of="2023-05-01", scope_kind="batch", batch="10"),
            claim("c", "1900名", "1900", key=key, as_of="2019-07-01", scope_kind="batch", batch="9")]
    checks = run(*rows)
    assert len(checks) == 1
    assert checks.iloc[0]["outcome"] == "disjoint" and set(texts(checks, checks.iloc[0])) == {"a", "b"}


def test_same_time_touching_wordings_said():
    key = "k|x|people|point"
    # 近12000 = [10800, 12000] and 12000余 = [12000, 13000) share only 12000 (the 近1.2万 / 1.2万余 example,
    # written as exact counts: aidlab reads 近1.2万 with 万's rounding precision, up to 12500)
    checks = run(claim("a", "近12000名", "12000", "近", key=key, as_of="2021-12-31", scope_kind="point"),
                 claim("b", "12000余名", "12000", "余", key=key, as_of="2021-12-31", scope_kind="point"))
    row = checks.iloc[0]
    assert row["outcome"] == "agree_at_point" and row["verdict"] == "consistent"
    assert "12000" in row["explanation"]


def test_same_time_non_neighbours_that_disagree_are_flagged():
    key = "k|y|people|point"
    checks = run(claim("a", "100名", "100", key=key, as_of="2020-01-01", scope_kind="point"),
                 claim("b", "100余名", "100", "余", key=key, as_of="2020-01-01", scope_kind="point"),
                 claim("c", "199名", "199", key=key, as_of="2020-01-01", scope_kind="point"))
    # 100 and 199 both overlap 100余 = [100, 200), but cannot both be true
    assert (checks["outcome"] == "disjoint").sum() == 1
    bad = checks[checks["outcome"] == "disjoint"].iloc[0]
    assert set(texts(checks, bad)) == {"a", "c"}


# --- cumulative series --------------------------------------------------------------------------------

def test_series_non_decreasing_is_consistent():
    rows = [claim("a", "1300余名", "1300", "余", as_of="2022-07-22"),
            claim("b", "约1500名", "1500", "约", as_of="2022-08-16"),
            claim("c", "近2000名", "2000", "近", as_of="2024-08-27"),
            claim("d", "2000余名", "2000", "余", as_of="2025-03-01")]
    checks = run(*rows)
    assert list(checks["kind"]) == ["cross_series"] * 3
    assert set(checks["verdict"]) == {"consistent"}
    assert [texts(checks, r) for _, r in checks.iterrows()] == [["a", "b"], ["b", "c"], ["c", "d"]]


def test_series_decrease_flagged():
    key = "pairing|county_hospitals|hospitals|count|cumulative"
    checks = run(claim("a", "1180家", "1180", unit="家", key=key, as_of="2018-12-31"),
                 claim("b", "1172家", "1172", unit="家", key=key, as_of="2020-06-10"))
    row = checks.iloc[0]
    assert (row["verdict"], row["outcome"]) == ("inconsistent", "series_drops")
    assert "1172" in row["arithmetic"] and "1180" in row["arithmetic"]


def test_series_decrease_against_any_earlier_step_not_only_the_last():
    checks = run(claim("a", "1000名", "1000", as_of="2020-01-01"),
                 claim("b", "900多名", "900", "多", as_of="2021-01-01"),   # [900, 1000): drop from 1000
                 claim("c", "950名", "950", as_of="2022-01-01"))
    drops = checks[checks["outcome"] == "series_drops"]
    assert len(drops) == 2 and [texts(checks, r) for _, r in drops.iterrows()] == [["a", "b"], ["a", "c"]]


def test_series_touch_is_said_not_flagged():
    checks = run(claim("a", "12000余名", "12000", "余", as_of="2020-01-01"),
                 claim("b", "近12000名", "12000", "近", as_of="2021-01-01"))
    row = checks.iloc[0]
    assert (row["verdict"], row["outcome"]) == ("consistent", "series_touches")
    assert "12000" in row["explanation"]


def test_undated_claim_never_ordered():
    checks = run(claim("a", "1300余名", "1300", "余", as_of="2022-07-22"),
                 claim("b", "900名", "900", as_of=""))
    row = checks.iloc[0]
    assert (row["verdict"], row["outcome"]) == ("indeterminate", "undated")
    assert "no date" in row["explanation"] and "900名" in row["explanation"]
    assert not (checks["outcome"] == "series_drops").any()


def test_point_scope_over_time_is_not_a_series():
    key = "k|stock|count|point"
    checks = run(claim("a", "2400多种", "2400", "多", unit="种", key=key, as_of="2021-12-31", scope_kind="point"),
                 claim("b", "2200多种", "2200", "多", unit="种", key=key, as_of="2025-03-01", scope_kind="point"))
    assert checks.empty  # a stock may fall; only cumulative counts are ordered


# --- republication ----------------------------------------------------------------------------------

def test_republished_copies_count_once_and_changed_copy_is_a_finding():
    key = "pairing|poverty_counties|counties|count|point"
    rows = [claim("wire", "834个", "834", unit="个", key=key, as_of="2019-12-31", scope_kind="point", group="wire"),
            claim("spam1", "834个", "834", unit="个", key=key, as_of="2019-12-31", scope_kind="point", group="wire"),
            claim("spam2", "843个", "843", unit="个", key=key, as_of="2019-12-31", scope_kind="point", group="wire"),
            claim("other", "834个", "834", unit="个", key=key, as_of="2019-12-31", scope_kind="point")]
    checks = run(*rows)
    rep = checks[checks["kind"] == "republication"].set_index("outcome")
    assert set(rep.index) == {"republished", "figure_changed"}
    assert rep.loc["figure_changed", "verdict"] == "inconsistent"
    assert "843个" in rep.loc["figure_changed", "explanation"]
    same = checks[checks["kind"] == "cross_document"]
    assert len(same) == 1  # the group counts once against the independent report
    assert set(texts(checks, same.iloc[0])) == {"wire", "other"}
    assert (same["verdict"] == "consistent").all()



@pytest.mark.parametrize("n", [1, 7, 1000, 20_000])
def test_signature_minhash_equals_datasketch(n):
    """page_signature's numpy MinHash gives datasketch's values bit for bit (signatures are compared
    across pages and runs), also past one block of hashes."""
    import numpy as np

    from aidlab.checks import republication

    hashes = np.random.default_rng(n).integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)
    expected = republication._minhash(hashes).hashvalues
    assert (republication._minhash_values(hashes) == expected).all()
    text = "国家卫生健康委员会新闻发布会介绍医疗人才组团式援藏工作进展" * 3
    values = np.frombuffer(republication.page_signature(text), dtype="<u4")
    assert (values[1:] == republication._minhash(republication.shingle_hashes(text)).hashvalues).all()


# --- part and whole -----------------------------------------------------------------------------------

def _pw(doc, text, number, qualifier, recipient, as_of, **kw):
    return claim(doc, text, number, qualifier, key=f"zutuan|{recipient}|experts|people|cumulative",
                 recipient=recipient, as_of=as_of, **kw)


def test_part_within_whole_consistent():
    checks = run(_pw("t", "约1500名", "1500", "约", "540000", "2022-08-16"),
                 _pw("tx", "2500余名", "2500", "余", "540000;650000", "2022-08-30"))
    row = checks[checks["kind"] == "cross_part_whole"].iloc[0]
    assert (row["verdict"], row["outcome"]) == ("consistent", "part_within_whole")
    assert texts(checks, row) == ["t", "tx"]


def test_part_above_whole_inconsistent():
    checks = run(_pw("t", "3000余名", "3000", "余", "540000", "2023-10-01"),
                 _pw("tx", "近2500名", "2500", "近", "540000;650000", "2023-10-01"))
    row = checks[checks["kind"] == "cross_part_whole"].iloc[0]
    assert (row["verdict"], row["outcome"]) == ("inconsistent", "part_exceeds_whole")


def test_later_part_is_not_compared_with_an_earlier_cumulative_whole():
    checks = run(_pw("tx", "2500余名", "2500", "余", "540000;650000", "2022-08-30"),
                 _pw("t", "2600名", "2600", "", "540000", "2025-01-01"))
    assert checks[checks["kind"] == "cross_part_whole"].empty


def test_prefecture_part_of_province():
    rows = [_pw("pref", "120名", "120", "", "540200", "2023-01-01"),
            _pw("prov", "100名", "100", "", "540000", "2023-01-01")]
    row = run(*rows).iloc[0]
    assert (row["kind"], row["verdict"]) == ("cross_part_whole", "inconsistent")


def test_sum_of_parts_by_interval_addition():
    h = {"unit": "家", "scope_kind": "point", "metric": "hospitals"}
    fits = run(claim("a", "6家", "6", recipient="540100", key="h|540100", as_of="2023-06-30", **h),
               claim("b", "2家", "2", recipient="540200", key="h|540200", as_of="2023-06-30", **h),
               claim("c", "8家", "8", recipient="540100;540200", key="h|540100;540200", as_of="2023-06-30", **h))
    s = fits[fits["claim_ids"].str.count(";") == 2].iloc[0]
    assert (s["verdict"], s["outcome"]) == ("consistent", "parts_complete")
    exceeds = run(claim("a", "6家", "6", recipient="540100", key="h|540100", as_of="2023-06-30", **h),
                  claim("b", "3家", "3", recipient="540200", key="h|540200", as_of="2023-06-30", **h),
                  claim("c", "8家", "8", recipient="540100;540200", key="h|540100;540200", as_of="2023-06-30", **h))
    s = exceeds[exceeds["claim_ids"].str.count(";") == 2].iloc[0]
    assert (s["verdict"], s["outcome"]) == ("inconsistent", "parts_exceed_whole")
    short = run(claim("a", "5家", "5", recipient="540100", key="h|540100", as_of="2023-06-30", **h),
                claim("b", "2家", "2", recipient="540200", key="h|540200", as_of="2023-06-30", **h),
                claim("c", "8家", "8", recipient="540100;540200", key="h|540100;540200", as_of="2023-06-30", **h))
    s = short[short["claim_ids"].str.count(";") == 2].iloc[0]
    assert (s["verdict"], s["outcome"]) == ("inconsistent", "parts_short_of_whole")


def test_unknown_programme_gives_no_part_whole():
    checks = run(_pw("t", "3000余名", "3000", "余", "540000", "2023-10-01", programme="unknown"),
                 _pw("tx", "近2500名", "2500", "近", "540000;650000", "2023-10-01", programme="unknown"))
    assert checks[checks["kind"] == "cross_part_whole"].empty


# --- rows ---------------------------------------------------------------------------------------------

def test_rows_carry_columns_urls_dates_and_both_quotes():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "url": ["http://x.cn/2018/a.html", "http://y.cn/b.html"],
                         "published": ["2019-01-05", "unknown"], "page_date": ["", "2020-06-10"]})
    key = "pairing|county_hospitals|hospitals|count|cumulative"
    checks = run(claim("a", "1180家", "1180", unit="家", key=key, as_of="2018-12-31"),
                 claim("b", "1172家", "1172", unit="家", key=key, as_of="2020-06-10"), documents=docs)
    assert list(checks.columns) == list(CHECK_COLUMNS)
    assert set(checks["kind"]) <= set(KINDS)
    row = checks.iloc[0]
    assert row["evidence_urls"] == "http://x.cn/2018/a.html;http://y.cn/b.html"
    assert row["evidence_dates"] == "2019-01-05;2020-06-10"
    assert row["evidence"].count("‖") == 1 and "1180家" in row["evidence"] and "1172家" in row["evidence"]
    assert row["doc_ids"] == "a;b" and row["quantity_key"] == key
    assert row["explanation"].count(". ") == 0 and row["explanation"].endswith(".")


def test_no_attribution_columns_no_checks():
    frame = pd.DataFrame([claim("a", "1名", "1")]).drop(columns=["quantity_key"])
    assert cross_document_checks(frame, None) == []


@pytest.mark.parametrize("n", [0, 1])
def test_single_document_gives_nothing(n):
    rows = [claim("a", "1300余名", "1300", "余", as_of="2022-07-22"), claim("a", "约1500名", "1500", "约", as_of="2022-07-22")][: n + 1]
    assert run(*rows).empty


def test_part_whole_needs_keys_equal_but_for_the_region():
    # Tibet experts vs Tibet+Xinjiang *hospitals*: same metric family, different quantity → never part and whole
    checks = run(_pw("t", "3000余名", "3000", "余", "540000", "2023-10-01"),
                 claim("tx", "近2500名", "2500", "近", key="zutuan|540000;650000|sending_hospitals|people|cumulative",
                       recipient="540000;650000", as_of="2023-10-01"))
    assert checks[checks["kind"] == "cross_part_whole"].empty


def test_stock_and_running_total_in_one_key_are_ordered_but_stocks_alone_are_not():
    key = "pairing|||recipient_hospitals|institutions_recipient|cumulative"  # aidlab.attribution's key format
    mixed = run(claim("a", "1180家", "1180", unit="家", key=key, as_of="2018-12-31", scope_kind="point"),
                claim("b", "1172家", "1172", unit="家", key=key, as_of="2020-06-10", scope_kind="cumulative"))
    assert list(mixed["outcome"]) == ["series_drops"]
    stocks = run(claim("a", "1180家", "1180", unit="家", key=key, as_of="2018-12-31", scope_kind="point"),
                 claim("b", "1172家", "1172", unit="家", key=key, as_of="2020-06-10", scope_kind="point"))
    assert stocks.empty


def test_part_whole_with_attribution_key_format():
    def k(prog, region):
        return f"{prog}|{region}||experts_sent|persons|cumulative"
    checks = run(claim("t", "3000余名", "3000", "余", key=k("zutuan_tibet", "540000"), recipient="540000",
                       programme="zutuan_tibet", as_of="2023-10-01"),
                 claim("tx", "近2500名", "2500", "近", key=k("zutuan_tibet;zutuan_xinjiang", "540000;650000"),
                       recipient="540000;650000", programme="zutuan_tibet;zutuan_xinjiang", as_of="2023-10-01"))
    row = checks[checks["kind"] == "cross_part_whole"].iloc[0]
    assert (row["verdict"], row["outcome"]) == ("inconsistent", "part_exceeds_whole")


def test_national_whole_includes_a_province_aiding_share_but_not_the_reverse():
    def k(region, aiding):
        return f"zutuan|{region}|{aiding}|experts_sent|persons|cumulative"
    part = claim("sh", "300余名", "300", "余", key=k("540200", "310000"), recipient="540200", as_of="2023-05-10")
    part["aiding_code"] = "310000"
    whole = claim("all", "近2000名", "2000", "近", key=k("540000", ""), recipient="540000", as_of="2024-08-27")
    row = run(part, whole).iloc[0]
    assert (row["kind"], row["verdict"]) == ("cross_part_whole", "consistent")
    whole2 = {**whole, "aiding_code": "440000", "quantity_key": k("540000", "440000"), "claim_id": "all#x"}
    assert run(part, whole2).empty  # Guangdong's total does not include Shanghai's share


def test_republished_copy_is_not_confirmation_in_figure_6():
    from aidlab import views

    key = "k|||counties|units|cumulative"
    rows = [claim("wire", "834个", "834", unit="个", key=key, as_of="2018-12-31", group="wire"),
            claim("copy", "834个", "834", unit="个", key=key, as_of="2018-12-31", group="wire"),
            claim("later", "900个", "900", unit="个", key=key, as_of="2020-01-01"),
            claim("undated", "950个", "950", unit="个", key=key, as_of="")]
    claims = pd.DataFrame(rows)
    claims["reading"] = "point"
    claims["low"], claims["high"] = claims["number"].astype(float), claims["number"].astype(float)
    checks = checks_frame(cross_document_checks(claims, None))
    verdicts = views.claim_checks(checks)
    copy_id = claims.loc[claims["doc_id"] == "copy", "claim_id"].iloc[0]
    assert copy_id not in verdicts  # named only by the `republished` row
    undated_partner = checks[checks["outcome"] == "undated"]["claim_ids"].iloc[0].split(";")[0]
    assert all(v != "indeterminate" for _, v, _ in verdicts.get(undated_partner, []))


def test_copy_that_rewords_a_figure_is_said():
    key = "k|||experts_sent|persons|cumulative"
    checks = run(claim("wire", "1500名", "1500", key=key, as_of="2022-08-16", group="wire"),
                 claim("copy", "约1500名", "1500", "约", key=key, as_of="2022-08-17", group="wire"))
    row = checks.iloc[0]
    assert (row["kind"], row["verdict"], row["outcome"]) == ("republication", "consistent", "wording_changed")


def test_blocked_neighbours_not_all_pairs():
    # 600 reports of one cumulative key, 3 per date: rows grow with the claims, not with their pairs (179 700)
    rows = [claim(f"d{i}", f"{1000 + 2 * (i // 3)}名", str(1000 + 2 * (i // 3)),
                  as_of=f"{2000 + i // 36:04d}-{1 + (i // 3) % 12:02d}-01") for i in range(600)]
    checks = run(*rows)
    assert len(checks) < 2 * len(rows)
    assert set(checks["verdict"]) == {"consistent"}
