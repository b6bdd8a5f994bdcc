"""What: unit families, the side of institutions, and quantity keys that separate different quantities."""
from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from aidlab.attribution import ATTRIBUTION_COLUMNS, attribute_claims, keys
from aidlab.claims.extract import extract_claims
from aidlab.text.clean import clean_document


def page(title: str, paragraphs: list[str], date: str = "2024-08-27 09:00") -> str:
    return (f"首页 > 新闻中心\n{title}\n发布时间：{date}  来源：中国新闻网\n"
            + "\n".join(paragraphs) + "\n责任编辑：孙丽\n")


def claims_of(raw: str, curated: dict | None = None) -> pd.DataFrame:
    doc = clean_document(raw, "t")
    return attribute_claims(doc, extract_claims(doc), curated or {}).set_index("text")


def test_unit_families():
    assert keys.unit_family("名") == keys.unit_family("人") == keys.unit_family("位") == "persons"
    assert keys.unit_family("人次") == "person_visits"
    assert keys.unit_family("台次") == keys.unit_family("例") == "procedures"
    assert keys.unit_family("%") == "percent" and keys.unit_family("元") == "money"


def test_persons_and_visits_are_different_quantities():
    c = claims_of(page("三级医院对口帮扶贫困县县级医院", [
        "截至2018年底，三级医院对口帮扶累计派出医务人员6万人次，派出医务人员1.2万名。",
    ]))
    visits, persons = c.loc["6万人次"], c.loc["1.2万名"]
    assert visits["unit_family"] == "person_visits" and persons["unit_family"] == "persons"
    assert visits["quantity_key"] != persons["quantity_key"]
    assert visits["quantity_key"] == "tertiary_county_pairing|||experts_sent|person_visits|cumulative"


def test_sending_and_recipient_hospitals_are_different_quantities():
    c = claims_of(page("三级医院对口帮扶贫困县县级医院", [
        "截至2018年底，963家三级医院对口帮扶1180家县级医院。",
        "医疗人才组团式援藏累计选派近2000名专家，来自184家医院，帮扶23家受援医院。",
    ]))
    assert c.loc["963家", "unit_family"] == "institutions_sending"
    assert c.loc["1180家", "unit_family"] == "institutions_recipient"
    assert c.loc["184家", "unit_family"] == "institutions_sending"
    assert c.loc["23家", "unit_family"] == "institutions_recipient"
    assert c.loc["963家", "quantity_key"] != c.loc["1180家", "quantity_key"]
    assert keys.unit_family("家", "", "开展合作的") == "institutions"  # the words do not say which side


def test_same_quantity_in_two_reports_shares_the_key():
    a = claims_of(page("国家卫生健康委：医疗人才组团式援藏成效显著", [
        "医疗人才“组团式”援藏工作开展以来，累计选派1300余名医疗人才。"], date="2022-07-22 10:00"))
    b = claims_of(page("组团式援藏八年：西藏群众看病更方便", [
        "自2015年以来，医疗人才组团式援藏累计选派约1500名医疗人才。"], date="2022-08-30 10:00"))
    ka, kb = a.loc["1300余名", "quantity_key"], b.loc["约1500名", "quantity_key"]
    assert ka == kb == "tibet_medical_team|540000||experts_sent|persons|cumulative"
    assert (a.loc["1300余名", "as_of"], b.loc["约1500名", "as_of"]) == ("2022-07-22", "2022-08-30")


def test_tibet_only_and_tibet_plus_xinjiang_keys_differ():
    c = claims_of(page("医疗人才组团式援藏援疆", [
        "医疗人才组团式援藏援疆累计选派2500余名医疗人才。", "其中，组团式援藏累计选派1500名医疗人才。"]))
    assert c.loc["2500余名", "quantity_key"].split("|")[1] == "540000;650000"
    assert c.loc["1500名", "quantity_key"].split("|")[1] == "540000"


def test_batches_are_in_the_key():
    c = claims_of(page("援藏干部人才", ["第十批援藏干部人才共2114名。", "第九批援藏干部人才共1980名。"]))
    assert c.loc["2114名", "quantity_key"].endswith("|batch:10")
    assert c.loc["1980名", "quantity_key"].endswith("|batch:9")


def test_every_column_is_filled_and_described():
    c = claims_of(page("援疆医疗队", ["山东援疆医疗队共接诊患者51.4万人次。"]))
    assert set(ATTRIBUTION_COLUMNS) <= set(c.columns)
    assert all(len(d) > 30 for d in ATTRIBUTION_COLUMNS.values())
    assert c.loc["51.4万人次", ["aiding_name", "recipient_name"]].tolist() == ["山东省", "新疆维吾尔自治区"]


def test_empty_claims_get_the_columns():
    doc = clean_document(page("无数字的新闻", ["医疗队开展义诊活动。"]), "e")
    out = attribute_claims(doc, extract_claims(doc), {})
    assert out.empty and set(ATTRIBUTION_COLUMNS) <= set(out.columns)


def test_attribution_is_fast_on_the_seeds(seeds_dir: Path):
    docs = []
    for p in sorted(seeds_dir.glob("*.txt")):
        doc = clean_document(p.read_text(encoding="utf-8"), p.stem)
        docs.append((doc, extract_claims(doc)))
    start = time.perf_counter()
    for _ in range(3):
        for doc, claims in docs:
            attribute_claims(doc, claims, {})
    per_page = (time.perf_counter() - start) / (3 * len(docs))
    assert per_page < 0.05  # budget 5 ms per page; generous here so a busy test machine does not fail it


def test_a_count_at_a_date_and_a_later_cumulative_count_share_the_key():
    a = claims_of(page("三级医院对口帮扶贫困县县级医院", [
        "截至2018年底，963家三级医院与834个贫困县的1180家县级医院建立一对一帮扶关系。"], date="2019-02-15 09:00"))
    b = claims_of(page("三级医院对口帮扶贫困县县级医院成效", [
        "三级医院对口帮扶贫困县县级医院工作累计覆盖1172家县级医院。"], date="2020-11-10 09:00"))
    assert a.loc["1180家", "scope_kind"] == "point" and b.loc["1172家", "scope_kind"] == "cumulative"
    assert a.loc["1180家", "quantity_key"] == b.loc["1172家", "quantity_key"]
    assert (a.loc["1180家", "as_of"], b.loc["1172家", "as_of"]) == ("2018-12-31", "2020-11-10")


def test_province_to_prefecture_reports_share_the_key_whatever_the_short_form():
    a = claims_of(page("山东省对口支援喀什地区医疗卫生工作综述", [
        "三年来，山东省累计选派206名专家赴喀什地区开展支医工作。"], date="2022-07-22 10:00"))
    b = claims_of(page("鲁喀情深：山东援疆医疗队三年答卷", [
        "截至2022年底，山东累计选派援疆专家230名赴喀什开展工作。"], date="2023-02-01 10:00"))
    ka, kb = a.loc["206名", "quantity_key"], b.loc["230名", "quantity_key"]
    assert ka.split("|")[1:3] == ["653100", "370000"] and ka == kb
    traditional = claims_of(page("山東援疆醫療隊三年答卷", ["三年來，山東省累計選派206名專家赴喀什地區開展支醫工作。"]))
    assert traditional.loc["206名", "quantity_key"].split("|")[1:3] == ["653100", "370000"]


# Reports modelled on issue 9's real patterns (figures from real reports, pages written here).
def _report(title, paras, date):
    return page(title, paras, date=f"{date} 10:00")


REPORTS = {
    "t1": _report("国家卫生健康委：医疗人才“组团式”援藏工作成效显著", ["国家卫生健康委介绍，医疗人才“组团式”援藏工作开展以来，累计选派1300余名医疗人才进藏工作。"], "2022-07-22"),
    "t2": _report("医疗人才组团式援藏八年", ["2015年以来，全国累计选派约1500名医疗人才组团式援藏，帮助西藏实现400多种大病不出自治区。"], "2022-08-30"),
    "t3": _report("组团式援藏十年：近2000名专家扎根高原", ["十年来，医疗人才“组团式”援藏累计选派近2000名医疗人才，来自184家医院。"], "2024-08-27"),
    "t4": _report("医疗人才组团式援藏工作推进会召开", ["会议介绍，医疗人才组团式援藏工作开展以来，累计选派2000余名医疗人才，来自203家医院。"], "2025-06-10"),
    "tx1": _report("医疗人才组团式援藏援疆新闻发布会", ["国家卫生健康委介绍，医疗人才“组团式”援藏援疆工作开展以来，累计选派2500余名医疗人才。"], "2022-08-30"),
    "tx2": _report("医疗人才组团式援藏援疆工作会议", ["截至目前，医疗人才组团式援藏援疆累计选派3100余名医疗人才。"], "2023-10-12"),
    "p1": _report("三级医院对口帮扶贫困县县级医院综述", ["截至2018年底，963家三级医院与834个贫困县的1180家县级医院建立一对一帮扶关系。"], "2019-02-15"),
    "p2": _report("三级医院对口帮扶贫困县县级医院工作成效", ["三级医院对口帮扶贫困县县级医院工作开展以来，全国累计有1172家县级医院受到帮扶，覆盖832个贫困县。"], "2020-11-10"),
    "c1": _report("第十批援藏干部人才完成轮换", ["第十批援藏干部人才共2114名，圆满完成各项任务。"], "2022-08-01"),
    "c2": _report("第十批援藏干部人才欢送会", ["全国第十批2117名援藏干部人才圆满完成援藏任务。"], "2022-08-20"),
}


def test_reports_of_one_quantity_share_its_key_and_others_do_not():
    frames = []
    for doc_id, raw in REPORTS.items():
        doc = clean_document(raw, doc_id)
        frames.append(attribute_claims(doc, extract_claims(doc), {}))
    c = pd.concat(frames).set_index("claim_id")["quantity_key"]
    same = [("t1#1", "t2#1"), ("t2#1", "t3#2"), ("t3#2", "t4#1"), ("t3#3", "t4#2"), ("tx1#1", "tx2#1"),
            ("p1#3", "p2#1"), ("p1#2", "p2#2"), ("c1#1", "c2#1")]
    assert [a for a, b in same if c[a] != c[b]] == []
    different = [("t2#1", "tx1#1"), ("p1#1", "p1#3"), ("t3#2", "t3#3")]  # Tibet vs Tibet+Xinjiang; sending vs recipient
    assert [a for a, b in different if c[a] == c[b]] == []


def test_part_of_relation_between_keys():
    joint = "tibet_medical_team;xinjiang_medical_team|540000;650000||experts_sent|persons|cumulative"
    tibet = "tibet_medical_team|540000||experts_sent|persons|cumulative"
    shandong_kashgar = "interprovincial|653100|370000|experts_sent|persons|cumulative"
    assert keys.key_contains(joint, tibet) and not keys.key_contains(tibet, joint)
    assert not keys.key_contains(tibet, tibet)
    assert not keys.key_contains(joint, tibet.replace("persons", "person_visits"))  # another unit family
    assert keys.key_contains("interprovincial|650000||experts_sent|persons|cumulative", shandong_kashgar)
    assert not keys.key_contains("interprovincial|650000|320000|experts_sent|persons|cumulative", shandong_kashgar)
    assert keys.key_parts(tibet)["recipient_code"] == "540000"


def test_hospitals_that_send_are_sending_however_the_page_words_it():
    # rule applies: 来自36家医院的… and 41家医院累计选派… both count the sending hospitals, so two reports of
    # one programme share the key
    a = claims_of(page("组团式援疆八年", ["医疗人才组团式援疆开展以来，来自36家医院的600余名专家接力援疆。"], date="2024-06-10 09:00"))
    b = claims_of(page("和田医疗卫生事业迈上新台阶", ["医疗人才组团式援疆开展以来，全国41家医院累计选派700余名专家赴疆工作。"], date="2025-06-10 09:00"))
    assert a.loc["36家", "unit_family"] == b.loc["41家", "unit_family"] == "institutions_sending"
    assert a.loc["36家", "quantity_key"] == b.loc["41家", "quantity_key"]
    # near misses: hospitals sent to (向…家医院选派), hospitals that receive (…家医院接收), or no verb of either side
    c = claims_of(page("援疆医疗队", ["援疆医疗队向12家医院选派专家60名。", "和田地区9家医院接收援疆专家。",
                                    "援疆医疗队与15家医院开展合作。"], date="2024-06-10 09:00"))
    assert c.loc["12家", "unit_family"] == "institutions_recipient"
    assert c.loc["9家", "unit_family"] == "institutions_recipient"
    assert c.loc["15家", "unit_family"] == "institutions"
