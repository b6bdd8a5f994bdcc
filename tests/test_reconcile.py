"""Reconciliation: the seed checks the issue names, and synthetic documents for every kind and verdict."""
from __future__ import annotations

import pandas as pd
import pytest

from aidlab import clean, pipeline
from aidlab.claims import extract_claims
from aidlab.reconcile import CHECK_COLUMNS, KINDS, reconcile


def claims_of(*bodies: str, doc_prefix: str = "syn") -> pd.DataFrame:
    """Claims of small synthetic articles (headline + one body paragraph each), through the real pipeline."""
    frames = []
    for i, body in enumerate(bodies):
        raw = (f"首页 > 新闻\n对口支援工作取得新进展\n2024-01-0{i + 1} 10:00 来源：测试日报\n\n"
               f"为推动优质医疗资源下沉，各地持续开展对口支援工作，受援地群众就医条件明显改善。{body}\n\n责任编辑：某某\n")
        frames.append(extract_claims(clean.clean_document(raw, f"{doc_prefix}{i}")))
    return pd.concat(frames, ignore_index=True)


def only(checks: pd.DataFrame, kind: str) -> pd.DataFrame:
    return checks[checks["kind"] == kind]


@pytest.fixture(scope="module")
def seed_checks(seeds_dir):
    claims = pipeline.build(seeds_dir).claims
    return claims, reconcile(claims)


def test_columns_and_verdicts(seed_checks):
    _, checks = seed_checks
    assert list(checks.columns) == list(CHECK_COLUMNS)
    assert set(checks["verdict"]) <= {"consistent", "inconsistent", "indeterminate"}
    assert set(checks["kind"]) <= set(KINDS)
    assert checks["check_id"].is_unique
    assert (checks["explanation"].str.len() > 20).all()
    assert (checks["evidence"].str.len() > 0).all()


def test_seed_grim_42_2_consistent_and_34_9_truncation_only(seed_checks):
    claims, checks = seed_checks
    grim = only(checks, "grim")
    by_pct = {c.split(";")[1]: r for c, r in zip(grim["claim_ids"], grim.to_dict("records"))}
    text = dict(zip(claims["claim_id"], claims["text"]))
    rows = {text[k]: r for k, r in by_pct.items()}
    assert rows["42.2%"]["verdict"] == "consistent" and "half_up" in rows["42.2%"]["modes"]
    assert "87/206" in rows["42.2%"]["arithmetic"]
    assert rows["34.9%"]["outcome"] == "truncation_only"
    assert rows["34.9%"]["verdict"] == "indeterminate"
    assert set(rows["34.9%"]["modes"].split(";")) == {"floor", "truncation"}
    assert "72/206" in rows["34.9%"]["arithmetic"]


def test_seed_1040_total_is_partial_with_its_parts(seed_checks):
    claims, checks = seed_checks
    text = dict(zip(claims["claim_id"], claims["text"]))
    pt = only(checks, "parts_total")
    row = next(r for r in pt.to_dict("records") if text[r["claim_ids"].split(";")[0]] == "1040人次")
    assert row["outcome"] == "partial" and row["verdict"] == "consistent"
    assert [text[c] for c in row["claim_ids"].split(";")[1:]] == ["349人次", "343人次"]
    assert "gap [348, 348]" in row["arithmetic"]


def test_seed_000_growth_gives_implied_2019_baselines(seed_checks):
    claims, checks = seed_checks
    text = dict(zip(claims["claim_id"], claims["text"]))
    ch = only(checks, "change")
    rows = {tuple(text[c] for c in r["claim_ids"].split(";")): r for r in ch.to_dict("records")}
    emergency = rows[("7.9万人次", "137.4%")]
    assert emergency["outcome"] == "baseline_derived"
    # 78 500 / 2.3745 = 33 059.6 … 79 500 / 2.3735 = 33 494.8
    assert "∈ [33,060, 33,495] 人次" in emergency["arithmetic"]
    rescue = rows[("81.9%", "25%")]
    assert rescue["outcome"] == "ambiguous_pp_vs_relative" and rescue["verdict"] == "indeterminate"
    assert "percentage-point" in rescue["arithmetic"]
    assert rows[("33%", "89.2%")]["outcome"] == "direction_ok"


@pytest.mark.parametrize("body,verdict,outcome", [
    ("共选派专家200名，其中高级职称专家占到35.5%。", "consistent", "ordinary_rounding"),
    ("共选派专家200名，其中高级职称专家占到35.3%。", "inconsistent", "no_rounding_mode"),
    ("共选派专家206名。选派专家中，急需岗位专家占到34.9%。", "indeterminate", "truncation_only"),
])
def test_grim_verdicts(body, verdict, outcome):
    checks = only(reconcile(claims_of(body)), "grim")
    assert list(zip(checks["verdict"], checks["outcome"])) == [(verdict, outcome)]


@pytest.mark.parametrize("body,verdict", [
    ("全县卫生院覆盖率达到96.5%。", "consistent"),
    ("全县卫生院覆盖率达到120%。", "inconsistent"),
    ("门诊量较上年增长120%。", None),  # growth may exceed 100%: no range check
    ("投入资金500万元，其中设备资金200万元。", "consistent"),
    ("投入资金500万元，其中设备资金800万元。", "inconsistent"),
])
def test_range_verdicts(body, verdict):
    checks = only(reconcile(claims_of(body)), "range")
    assert (list(checks["verdict"]) == [verdict]) if verdict else checks.empty


@pytest.mark.parametrize("body,verdict,outcome", [
    ("今年共派出医生120人次，其中省级40人次、市级50人次、县级30人次。", "consistent", "complete"),
    ("今年共派出医生120人次，其中省级80人次、市级50人次。", "inconsistent", "exceeds"),
    ("省、市、县共下沉医务人员500人次。县级向乡级派驻医师100人次，乡级向村级派驻医师150人次。", "consistent", "partial"),
])
def test_parts_total_verdicts(body, verdict, outcome):
    checks = only(reconcile(claims_of(body)), "parts_total")
    assert list(zip(checks["verdict"], checks["outcome"])) == [(verdict, outcome)]


@pytest.mark.parametrize("body,verdict,outcome", [
    ("住院人数从3200人次增加到4480人次，同比增长40%。", "consistent", "baseline_agrees"),
    ("住院人数从3200人次增加到4480人次，同比增长60%。", "inconsistent", "baseline_disagrees"),
    ("门诊量从5000人次下降至6000人次。", "inconsistent", "direction_wrong"),
    ("2023年急诊量2.4万人次，较2020年增长20%。", "indeterminate", "baseline_derived"),
    ("抢救成功率90%，较2020年提高10%。", "indeterminate", "ambiguous_pp_vs_relative"),
])
def test_change_verdicts(body, verdict, outcome):
    checks = only(reconcile(claims_of(body)), "change")
    assert (verdict, outcome) in list(zip(checks["verdict"], checks["outcome"]))


@pytest.mark.parametrize("body,verdict", [
    ("三年来累计接诊患者近44万人次。据统计，三年来接诊患者43.93万人次。", "consistent"),
    ("三年来累计接诊患者44万人次。据统计，三年来接诊患者41.8万人次。", "inconsistent"),
])
def test_repeat_verdicts(body, verdict):
    checks = only(reconcile(claims_of(body)), "repeat")
    assert list(checks["verdict"]) == [verdict]


def _documents(*dates: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"syn{i}" for i in range(len(dates))], "published": list(dates),
                         "aiding_party": "北京市", "recipient_region": "西藏拉萨市"})


@pytest.mark.parametrize("bodies,dates,verdict,outcome", [
    (("2019年以来累计选派专家315名。", "2019年以来累计选派专家340名。"), ("2021-01-01", "2023-01-01"), "consistent", "series_grows"),
    (("2019年以来累计选派专家315名。", "2019年以来累计选派专家290名。"), ("2021-01-01", "2023-01-01"), "inconsistent", "series_drops"),
    (("选派专家约300名。", "选派专家310名。"), ("", ""), "consistent", "agree"),
    (("选派专家315名。", "选派专家290名。"), ("", ""), "inconsistent", "disjoint"),
])
def test_cross_document_verdicts(bodies, dates, verdict, outcome):
    checks = only(reconcile(claims_of(*bodies), _documents(*dates)), "cross_document")
    assert list(zip(checks["verdict"], checks["outcome"])) == [(verdict, outcome)]


def test_cross_document_needs_the_same_programme():
    docs = _documents("", "")
    docs.loc[1, "recipient_region"] = "新疆喀什地区"
    checks = only(reconcile(claims_of("选派专家315名。", "选派专家290名。"), docs), "cross_document")
    assert checks.empty


def test_damaged_figures_make_checks_indeterminate():
    raw = ("对口支援工作取得新进展\n2024-01-01 来源：测试日报\n\n"
           "为推动优质医疗资源下沉，各地持续开展对口支援工作。共派出医生120人次，其中省级40人次、市级50人次。\n")
    doc = clean.clean_document(raw, "dmg")
    claims = extract_claims(doc)
    claims.loc[claims["text"] == "40人次", "damaged"] = True
    row = only(reconcile(claims), "parts_total").iloc[0]
    assert row["verdict"] == "indeterminate" and row["outcome"] == "damaged"


def test_open_ended_current_value_bounds_the_baseline_from_below_only():
    checks = only(reconcile(claims_of("全年门诊量超过2万人次，同比增长25%。")), "change")
    row = checks.iloc[0]
    assert (row["verdict"], row["outcome"]) == ("indeterminate", "baseline_derived")
    # (20 000, inf) / (1 + [24.5%, 25.5%)) → baseline from 20 000 / 1.255 = 15 936 upwards, no upper bound
    assert "∈ [15,936, inf]" in row["arithmetic"]
