"""Reconciliation: the seed checks the issue names, and synthetic documents for every kind and verdict."""
from __future__ import annotations

import pandas as pd
import pytest

from aidlab import pipeline
from aidlab.checks import CHECK_COLUMNS, KINDS, check_document, checks_frame, reconcile
from aidlab.claims.extract import claims_frame, extract_claims
from aidlab.text import clean


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


def _attributed(bodies: tuple[str, ...], dates: tuple[str, ...], recipient: str = "西藏自治区拉萨市"):
    """Claims and documents of short pages run through the per-page pipeline (attribution included), the
    manifest naming who aids whom, as a researcher fills it."""
    from aidlab.pipeline import CLAIMS_COLUMNS, PageTask, process_page

    claims, docs = [], []
    for i, (body, date) in enumerate(zip(bodies, dates)):
        curated = {"aiding_party": "北京市", "recipient_region": recipient, **({"published": date} if date else {})}
        res = process_page(PageTask(f"syn{i}.txt", f"syn{i}", curated, raw=f"北京援藏医疗工作报告\n\n{body}\n"))
        assert not res.problem, res.problem
        claims += res.claims or []
        docs.append(res.document)
    return claims_frame(claims, CLAIMS_COLUMNS), pd.DataFrame(docs)


@pytest.mark.parametrize("bodies,dates,kind,verdict,outcome", [
    (("2019年以来累计选派专家315名。", "2019年以来累计选派专家340名。"), ("2021-01-01", "2023-01-01"),
     "cross_series", "consistent", "series_holds"),
    (("2019年以来累计选派专家315名。", "2019年以来累计选派专家290名。"), ("2021-01-01", "2023-01-01"),
     "cross_series", "inconsistent", "series_drops"),
    (("截至2022年底，累计选派专家约300名。", "截至2022年底，累计选派专家310名。"), ("2023-01-05", "2023-02-01"),
     "cross_document", "consistent", "agree"),
    (("截至2022年底，累计选派专家315名。", "截至2022年底，累计选派专家290名。"), ("2023-01-05", "2023-02-01"),
     "cross_document", "inconsistent", "disjoint"),
    (("对口支援工作开展以来，累计选派专家315名，覆盖各县区医院。", "对口支援工作开展以来，累计选派专家290名，覆盖各县区医院。"), ("", ""),
     "cross_series", "indeterminate", "undated"),
])
def test_cross_document_verdicts(bodies, dates, kind, verdict, outcome):
    from aidlab.checks.crossdoc import cross_document_checks

    claims, documents = _attributed(bodies, dates)
    checks = only(checks_frame(cross_document_checks(claims, documents)), kind)
    assert set(zip(checks["verdict"], checks["outcome"])) == {(verdict, outcome)}  # undated: one row per claim


def test_cross_document_needs_the_same_recipient():
    from aidlab.checks.crossdoc import cross_document_checks

    a, da = _attributed(("截至2022年底，累计选派专家315名。",), ("2023-01-05",))
    b, db = _attributed(("截至2022年底，累计选派专家290名。",), ("2023-02-01",), recipient="新疆维吾尔自治区喀什地区")
    b["doc_id"], db["doc_id"] = "other", "other"
    b["claim_id"] = b["claim_id"].str.replace("syn0", "other")
    checks = checks_frame(cross_document_checks(pd.concat([a, b], ignore_index=True), pd.concat([da, db])))
    assert not (checks["kind"].isin(["cross_document", "cross_series"])).any()


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


# --- unit families: parts, wholes and repeats only within one family; a rate is never a whole ----------

@pytest.mark.parametrize("body,expected", [
    ("今年医院门诊量同比增长12.5%，其中手术1,203台。", []),                  # a growth rate is no whole
    ("发放宣传资料12万份，其中回收调查问卷3000张。", []),                     # 份 and 张: different things
    ("今年共开展手术1,500台，其中腔镜手术1,203台。", [("consistent", "part_within_whole"), ("consistent", "partial")]),
    # 台次 and 例: both procedures
    ("今年共开展手术1,000台次，其中腔镜手术1,203例。", [("inconsistent", "part_exceeds_whole"), ("inconsistent", "exceeds")]),
])
def test_parts_and_wholes_only_within_one_unit_family(body, expected):
    checks = reconcile(claims_of(body))
    parts = checks[checks["outcome"].str.startswith("part_") | (checks["kind"] == "parts_total")]
    assert list(zip(parts["verdict"], parts["outcome"])) == expected


@pytest.mark.parametrize("body,verdict,outcome", [
    ("共派出医护人员200人，其中医生120名、护士80位。", "consistent", "complete"),
    ("共派出医护人员200人，其中医生150名、护士80位。", "inconsistent", "exceeds"),
    ("共派出医生120人次，其中总院40人次、分院50人次。", "consistent", "partial"),  # 总 inside a part's clause
])
def test_parts_total_across_units_of_the_persons_family(body, verdict, outcome):
    checks = only(reconcile(claims_of(body)), "parts_total")
    assert list(zip(checks["verdict"], checks["outcome"])) == [(verdict, outcome)]


def test_a_totals_parts_end_where_the_next_total_begins():
    checks = only(reconcile(claims_of("共派出医生120人次，其中省级40人次、市级50人次，共培训护士300人次，其中县级100人次。")),
                  "parts_total")
    assert [a.split(";")[0] for a in checks["arithmetic"]] == [
        "total 120人次 [120, 120]", "total 300人次 [300, 300]"]
    assert "parts 40人次 + 50人次 = [90, 90]" in checks["arithmetic"].iloc[0]
    assert "parts 100人次 = [100, 100]" in checks["arithmetic"].iloc[1]


def test_a_share_is_never_a_total():
    checks = reconcile(claims_of("全市总体达标率95%，其中城区达标率98%、农村达标率91%。"))
    assert only(checks, "parts_total").empty
    assert not (checks["outcome"].str.startswith("part_")).any()


# --- a baseline stated in a nearby sentence ---------------------------------------------------------------

@pytest.mark.parametrize("body,verdict,outcome", [
    ("今年一季度门诊量3.6万人次，同比增长16%。去年同期3.1万人次。", "consistent", "baseline_agrees"),
    ("今年一季度门诊量3.6万人次，同比增长16%。去年同期2.1万人次。", "inconsistent", "baseline_disagrees"),
    ("2023年急诊量2.4万人次，较2020年增长20%。2020年急诊量为2万人次。", "consistent", "baseline_agrees"),
    ("门诊量由去年同期的3.1万人次增至3.6万人次，同比增长16%。", "consistent", "baseline_agrees"),
    ("抢救成功率90%，较2020年提高10%。2020年抢救成功率为81.5%。", "consistent", "baseline_agrees"),  # relative
    ("抢救成功率90%，较2020年提高10%。2020年抢救成功率为80%。", "consistent", "baseline_agrees"),    # points
    ("抢救成功率90%，较2020年提高10%。2020年抢救成功率为60%。", "inconsistent", "baseline_disagrees"),
    # no stated baseline: a figure nearby that is not for the period compared with
    ("今年一季度门诊量3.6万人次，同比增长16%。其中急诊3.1万人次。", "indeterminate", "baseline_derived"),
    ("2023年急诊量2.4万人次，较2020年增长20%。2020年以来累计接诊2万人次。", "indeterminate", "baseline_derived"),
    ("今年一季度门诊量3.6万人次，同比增长16%。去年同期培训医生3100名。", "indeterminate", "baseline_derived"),
])
def test_change_uses_a_baseline_stated_in_a_nearby_sentence(body, verdict, outcome):
    checks = only(reconcile(claims_of(body)), "change")
    assert list(zip(checks["verdict"], checks["outcome"])) == [(verdict, outcome)]


# --- repeats worded differently ---------------------------------------------------------------------------

@pytest.mark.parametrize("body,expected", [
    ("援藏以来累计服务群众近44万人。医疗队三年共服务农牧民群众43.93万人。", ["consistent"]),
    ("援藏以来累计服务群众近44万人。医疗队三年共服务农牧民群众40.1万人。", ["consistent"]),
    ("三年来累计接诊患者约2万人次。据统计，援藏医疗队共接诊患者1.7万人次。", ["consistent"]),  # 15% apart, overlapping
    ("三年来累计投入资金200余万元。今年又投入资金266万元。", []),  # a range overlapping another figure: not a repeat
    # parallel items with close values are two figures, not one
    ("县级向乡级派驻医师349人次。乡级向村级派驻医师343人次。", []),
    ("为群众发放各类常备药品价值20余万元。医疗队免费发放药品价值27余万元。", []),
    ("援藏以来累计服务群众近44万人。医疗队三年共服务农牧民群众44.8万人。", ["inconsistent"]),
    ("援藏以来累计选派专家120名。截至目前，累计选派援藏专家123人。", ["inconsistent"]),  # 名 and 人: one family
    ("援藏以来累计服务群众近44万人。医疗队三年共服务农牧民群众43.93万人次。", []),   # persons vs person-visits
    ("全国已派出超6万人次医务人员。累计培训医务人员6.4万人次。", []),               # same noun, different deed
])
def test_repeat_matches_by_family_subject_and_near_values(body, expected):
    assert list(only(reconcile(claims_of(body)), "repeat")["verdict"]) == expected


# --- can_fail: a check that could not have failed confirms nothing ---------------------------------------

@pytest.mark.parametrize("body,kind,can_fail", [
    ("全县卫生院覆盖率达到96.5%。", "range", False),                                   # a bare share in 0–100
    ("全县卫生院覆盖率达到120%。", "range", True),
    ("共选派专家200名，其中高级职称专家占到35.5%。", "grim", True),                     # n·u = 20: a gap exists
    ("共选派专家2000名，其中高级职称专家占到35.5%。", "grim", False),                   # n·u = 200: every 0.1% reachable
    ("共选派专家60名，其中高级职称专家占到35%。", "grim", False),                        # n·u = 60 > 50
    ("今年共派出医生120人次，其中省级40人次、市级50人次。", "parts_total", True),
    ("今年共派出医生120人次以上，其中省级40人次、市级50人次。", "parts_total", False),  # an open total cannot be exceeded
    ("三年来累计接诊患者近44万人次。据统计，三年来接诊患者43.93万人次。", "repeat", True),
    ("2023年急诊量2.4万人次，较2020年增长20%。", "change", False),                      # no stated baseline
])
def test_can_fail(body, kind, can_fail):
    checks = only(reconcile(claims_of(body)), kind)
    assert len(checks) == 1 and bool(checks["can_fail"].iloc[0]) is can_fail


def test_can_fail_column_is_appended_and_never_false_on_a_failure(seed_checks):
    _, checks = seed_checks
    assert list(CHECK_COLUMNS)[-1] == "can_fail" and list(checks.columns)[-1] == "can_fail"
    assert not (checks["verdict"].eq("inconsistent") & ~checks["can_fail"].astype(bool)).any()
    bare = checks[checks["outcome"] == "within_0_100"]
    assert len(bare) > 0 and not bare["can_fail"].astype(bool).any()
    assert checks.loc[checks["kind"] == "grim", "can_fail"].astype(bool).all()  # n = 206 with one decimal


# --- linear work: candidate comparisons counted, never timed ---------------------------------------------

_LONG_PAGE = (
    "今年第{i}批共派出医生{a}人次，其中省级{b}人次、市级{c}人次。",
    "共选派专家{a}名，其中高级职称专家占到{p}.{d}%。",
    "全院门诊量{m}.{d}万人次，同比增长{g}%。",
    "去年同期{n}.{d}万人次。",
    "累计服务群众{m}.{d}万人，开展手术{a}台。",
    "受援医院新建科室{c}个，填补技术空白{b}项。",
)


def _page_claims(sentences: list[str], per_line: int = 10) -> pd.DataFrame:
    lines = ["".join(sentences[k:k + per_line]) for k in range(0, len(sentences), per_line)]
    raw = "对口支援工作取得新进展\n2024-01-01 来源：测试日报\n\n" + "\n".join(lines) + "\n"
    return extract_claims(clean.clean_document(raw, "long"))


def _varied(n: int) -> list[str]:
    return [_LONG_PAGE[i % len(_LONG_PAGE)].format(i=i, a=100 + i % 900, b=40 + i % 37, c=30 + i % 29, p=30 + i % 40,
                                                    d=i % 10, m=3 + i % 40, n=2 + i % 40, g=5 + i % 30)
            for i in range(n)]


def _work(claims: pd.DataFrame) -> tuple[dict, list]:
    stats: dict = {}
    checks = check_document(claims, stats)
    return stats, checks


@pytest.mark.parametrize("make", [
    _varied,                                                        # every kind of check, values varying
    lambda n: ["援藏医疗队累计接诊患者12万人次。"] * n,               # one figure repeated n times
    lambda n: ["，".join(f"共派出医生{100 + i % 50}人次，其中省级{40 + i % 9}人次、市级{30 + i % 7}人次" for i in range(n // 3)) + "。"],
], ids=["varied", "one_figure_repeated", "one_endless_sentence"])
def test_candidate_comparisons_grow_linearly_with_the_page(make):
    small, big = _page_claims(make(1000)), _page_claims(make(2000))
    assert len(big) >= 1.9 * len(small)
    (s_stats, s_checks), (b_stats, b_checks) = _work(small), _work(big)
    assert sum(s_stats.values()) > len(small) / 2  # the counter counts real work
    assert sum(b_stats.values()) <= 2.2 * sum(s_stats.values())
    for kind, n in b_stats.items():
        assert n <= 2.2 * s_stats[kind] + 10, kind
    assert len(b_checks) >= 1.9 * len(s_checks) > 0  # the checks are still found


def test_varied_long_page_finds_every_kind():
    _, checks = _work(_page_claims(_varied(600)))
    kinds = {c.kind for c in checks}
    assert kinds == {"grim", "range", "parts_total", "change", "repeat"}
    outcomes = {c.outcome for c in checks}
    assert {"baseline_disagrees", "partial", "part_within_whole", "within_0_100"} <= outcomes


def test_check_document_accepts_records_as_well_as_the_table():
    claims = claims_of("今年共派出医生120人次，其中省级40人次、市级50人次、县级30人次。")
    from_table = [c.row() for c in check_document(claims)]
    from_records = [c.row() for c in check_document(claims.to_dict("records"))]
    assert from_table == from_records and len(from_table) == 4


def test_a_damaged_figure_in_a_from_to_change_is_indeterminate():
    claims = claims_of("门诊量从3200人次增加到4480人次。")
    claims.loc[claims["text"] == "3200人次", ["damaged", "value"]] = [True, float("nan")]
    rows = only(reconcile(claims), "change")
    assert list(zip(rows["verdict"], rows["outcome"], rows["can_fail"])) == [("indeterminate", "damaged", False)]
