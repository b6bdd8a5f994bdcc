"""Where: gazetteer names and short forms, sides of the aid, Tibet + Xinjiang, on pages written for these tests."""
from __future__ import annotations

import pandas as pd
import pytest

from aidlab.attribution import attribute_claims, region_contains, regions
from aidlab.claims.extract import extract_claims
from aidlab.text.clean import clean_document

TIBET, XINJIANG, QINGHAI = "540000", "650000", "630000"


def page(title: str, paragraphs: list[str]) -> str:
    return (f"首页 > 新闻中心\n{title}\n发布时间：2022-08-30 10:00  来源：人民网\n"
            + "\n".join(paragraphs) + "\n责任编辑：李华\n")


def claims_of(raw: str, curated: dict | None = None) -> pd.DataFrame:
    doc = clean_document(raw, "t")
    return attribute_claims(doc, extract_claims(doc), curated or {}).set_index("text")


def codes(text: str, side: str | None = None) -> list[str]:
    return [m.code for m in regions.find_mentions(text) if side is None or m.side == side]


@pytest.mark.parametrize("text", ["支援西藏", "支援西藏自治区", "援藏", "进藏", "赴藏工作"])
def test_tibet_forms_normalise_to_one_code(text):
    assert codes(text, "recipient") == [TIBET]


@pytest.mark.parametrize("text, code", [("援疆", XINJIANG), ("对口支援新疆维吾尔自治区", XINJIANG), ("支援新疆", XINJIANG),
                                        ("援青", QINGHAI), ("对口支援青海", QINGHAI), ("支援青海省", QINGHAI)])
def test_xinjiang_and_qinghai_forms(text, code):
    assert codes(text, "recipient") == [code]


def test_short_forms_come_from_the_rule():
    assert regions.short_forms("新疆维吾尔自治区", "province") == ["新疆"]
    assert regions.short_forms("广西壮族自治区", "province") == ["广西"]
    assert regions.short_forms("内蒙古自治区", "province") == ["内蒙古"]  # never 内: two characters stay
    assert regions.short_forms("昌吉回族自治州", "prefecture") == ["昌吉", "昌吉州"]
    assert regions.short_forms("海西蒙古族藏族自治州", "prefecture")[0] == "海西"
    assert regions.short_forms("喀什地区", "prefecture") == ["喀什"]
    assert regions.short_forms("昂仁县", "county") == []  # counties only by their full names
    assert regions.NAMES["昌吉州"] == regions.NAMES["昌吉回族自治州"] == ("652300",)


def test_a_bare_abbreviation_character_is_no_region():
    assert codes("青年医生引进新技术，藏族群众满意") == []
    assert codes("县级和县级帮扶乡镇") == []  # 和县 is a county, but not in running text


def test_sides_from_cue_words():
    found = {(m.code, m.side) for m in regions.find_mentions("山东援疆医疗队赴喀什地区开展工作")}
    assert found == {("370000", "aiding"), ("650000", "recipient"), ("653100", "recipient")}
    found = {(m.code, m.side) for m in regions.find_mentions("北京市对口支援拉萨市")}
    assert found == {("110000", "aiding"), ("540100", "recipient")}
    assert [(m.code, m.side) for m in regions.find_mentions("来自江苏省的专家")] == [("320000", "aiding")]
    assert {(m.code, m.side) for m in regions.find_mentions("闽宁协作")} == {("350000", "aiding"), ("640000", "recipient")}
    assert [m.side for m in regions.find_mentions("西藏自治区人民医院院长介绍")] == [""]  # named, not a direction


def test_going_somewhere_to_train_is_not_receiving_aid():
    assert codes("选派80名医务人员赴淄博市进修学习", "recipient") == []


def test_tibet_and_xinjiang_together_are_one_joined_quantity():
    c = claims_of(page("医疗人才组团式援藏援疆工作新闻发布会", [
        "国家卫生健康委介绍，医疗人才组团式援藏援疆工作开展以来，共选派2500余名医疗人才。",
        "其中，组团式援藏累计选派1300余名医疗人才。",
    ]))
    assert c.loc["2500余名", "recipient_code"] == "540000;650000"
    assert c.loc["2500余名", "recipient_name"] == "西藏自治区;新疆维吾尔自治区"
    assert c.loc["1300余名", "recipient_code"] == TIBET
    assert region_contains(c.loc["2500余名", "recipient_code"], c.loc["1300余名", "recipient_code"])
    assert not region_contains(c.loc["1300余名", "recipient_code"], c.loc["2500余名", "recipient_code"])


def test_region_contains_by_code_prefix():
    assert region_contains("540000", "540200")            # Shigatse lies in Tibet
    assert region_contains("540200", "540226")            # Ngamring county lies in Shigatse
    assert not region_contains("540200", "540100")        # Lhasa does not lie in Shigatse
    assert not region_contains("540000", "")
    assert region_contains("540000;650000", "650000;540200")


def test_sentence_then_paragraph_then_document():
    c = claims_of(page("江苏援疆医疗队交出三年答卷", [
        "三年来，江苏选派186名医疗专家赴克孜勒苏柯尔克孜自治州人民医院。专家共接诊患者45万人次。",
        "医疗队还带教当地医务人员300名。",
    ]))
    assert c.loc["186名", ["recipient_code", "aiding_code"]].tolist() == ["653000", "320000"]
    assert c.loc["186名", "region_evidence"].startswith("recipient clause: 赴克孜勒苏柯尔克孜自治州")
    assert c.loc["45万人次", "recipient_code"] == "653000" and "paragraph" in c.loc["45万人次", "region_evidence"]
    assert c.loc["300名", "aiding_code"] == "320000" and "document: title 江苏援疆" in c.loc["300名", "region_evidence"]
    assert c.loc["300名", "recipient_code"] == XINJIANG  # the title says 援疆, nothing nearer says where


def test_a_national_claim_gets_no_region_from_elsewhere_in_the_page():
    c = claims_of(page("三级医院对口帮扶成效显著", [
        "截至2018年底，全国963家三级医院对口帮扶1180家县级医院。",
        "在北京市的帮扶下，拉萨市人民医院新增病床300张。",
    ]))
    assert c.loc["963家", ["recipient_code", "aiding_code"]].tolist() == ["", ""]
    assert "national: 全国" in c.loc["963家", "region_evidence"]


def test_prefecture_under_its_province_collapses_to_the_prefecture():
    assert regions.join_codes(codes("援藏医疗队赴西藏日喀则市开展工作")) == "540200"
    assert regions.resolve("西藏日喀则市昂仁县") == "540226"


def test_manifest_regions_override_the_text():
    raw = page("援疆医疗队工作纪实", ["援疆医疗队共接诊患者1.5万人次。"])
    c = claims_of(raw, {"aiding_party": "山东省", "recipient_region": "新疆喀什地区"})
    assert c.loc["1.5万人次", ["aiding_code", "recipient_code"]].tolist() == ["370000", "653100"]
    assert "manifest recipient_region" in c.loc["1.5万人次", "region_evidence"]
    c = claims_of(raw, {"recipient_region": "贫困县县级医院"})  # names no division: the text decides
    assert c.loc["1.5万人次", "recipient_code"] == XINJIANG


def test_traditional_script_page():
    raw = ("首頁 > 新聞中心\n江蘇組團式援疆醫療隊交出三年答卷\n發佈時間：2021-11-03 08:30  來源：新華日報\n"
           "三年來，江蘇省先後選派186名醫療專家赴克州人民醫院，對口支援新疆維吾爾自治區。\n")
    c = claims_of(raw)
    assert c.loc["186名", ["aiding_code", "recipient_code"]].tolist() == ["320000", XINJIANG]


def test_a_list_shares_its_cue():
    found = {(m.code, m.side) for m in regions.find_mentions("四川省累计派出医务人员支援甘孜州、阿坝州和凉山州")}
    assert found == {("510000", "aiding"), ("513300", "recipient"), ("513200", "recipient"), ("513400", "recipient")}


def test_abbreviations_that_begin_common_words_need_a_place_like_context():
    assert codes("引进青年人才，促进新技术") == []
    assert codes("援青干部三年来", "recipient") == [QINGHAI]
    assert codes("援藏成效显著", "recipient") == [TIBET]


def test_towards_a_region_is_the_recipient_unless_it_is_to_learn():
    assert {(m.code, m.side) for m in regions.find_mentions("向西藏和新疆选派医疗人才")} == \
        {(TIBET, "recipient"), (XINJIANG, "recipient")}
    assert codes("向上海市学习先进经验", "recipient") == []


def test_a_cue_after_a_list_governs_it_too():
    assert {(m.code, m.side) for m in regions.find_mentions("山东省和江苏省选派专家")} == \
        {("370000", "aiding"), ("320000", "aiding")}


def test_a_place_beside_its_partners_is_not_the_aiding_side():
    # rule applies: 与支援单位 / 对援疆干部 name the place's partners, so 和田地区 aids nobody, and a claim
    # whose page names no aiding place gets none from the document
    c = claims_of(page("和田：组团式援疆八年 受援医院能力提升", [
        "医疗人才组团式援疆开展以来，来自36家医院的600余名专家接力援疆。",
        "和田地区将继续加强与支援单位的协作，和田地区对援疆干部表示感谢。",
    ]))
    assert c.loc["600余名", "aiding_code"] == ""
    assert [m.side for m in regions.find_mentions("和田地区将继续加强与支援单位的协作")] == [""]
    # near miss: the aid word is the place's own act, words between or not
    assert [(m.code, m.side) for m in regions.find_mentions("浙江省将继续深化对口支援，选派医生120名")] == \
        [("330000", "aiding")]
    c = claims_of(page("浙江援疆医疗队抵达阿克苏", ["浙江省今年选派援疆医生120名。"]))
    assert c.loc["120名", "aiding_code"] == "330000"


def test_the_place_where_aid_work_is_done_is_the_recipient():
    # rule applies: 在X开展…帮扶 / 在X工作 name the place aided
    c = claims_of(page("援川专家扎根凉山", ["已累计有80余名专家在凉山州开展医疗帮扶工作。"]))
    assert c.loc["80余名", ["recipient_code", "aiding_code"]].tolist() == ["513400", ""]
    assert [(m.code, m.side) for m in regions.find_mentions("援川医生在凉山州工作两年")] == \
        [("510000", "recipient"), ("513400", "recipient")]
    # near misses: 在X的帮扶下 (X aids), and 在 before a place with no verb of work after it
    assert [(m.code, m.side) for m in regions.find_mentions("在浙江省的帮扶下，凉山州新建专科5个")] == \
        [("330000", "aiding"), ("513400", "")]
    assert [m.side for m in regions.find_mentions("在凉山州召开总结会")] == [""]


def test_a_provincial_scope_word_names_the_pages_own_province():
    # rule applies: 全省/我省 make the claim one province's, the province the page's places (or outlet) lie in,
    # so it never shares a key with the national figure of the same programme
    prov = claims_of(page("我省三级医院对口帮扶县级医院见成效", [
        "截至2021年底，全省45家三级医院对口帮扶县级医院，累计派出医务人员3000余人次。",
        "在甘孜州，受援县医院新开设科室30个。",
    ]))
    assert prov.loc["3000余人次", ["recipient_code", "aiding_code"]].tolist() == ["510000", "510000"]
    assert "provincial: 全省 → page names 四川省" in prov.loc["3000余人次", "region_evidence"]
    outlet = claims_of("首页 > 健康\n我省持续推进对口帮扶\n2022-03-01 10:00  来源：青海日报\n"
                       "我省三级医院累计派出医务人员800余人次。\n")
    assert outlet.loc["800余人次", "recipient_code"] == QINGHAI
    nat = claims_of(page("三级医院对口帮扶县级医院见成效", ["截至2021年底，全国累计派出医务人员3000余人次。"]))
    assert nat.loc["3000余人次", "recipient_code"] == ""
    assert nat.loc["3000余人次", "quantity_key"] != prov.loc["3000余人次", "quantity_key"]
    # near misses: a page naming places in two provinces gives no province; a region named in the claim's own
    # clause wins over the scope word
    two = claims_of(page("对口帮扶工作交流会", ["浙江和四川两地代表参加交流。", "全省累计派出医务人员500余人次。"]))
    assert two.loc["500余人次", "recipient_code"] == ""
    assert "the page names no one province" in two.loc["500余人次", "region_evidence"]
    own = claims_of(page("我省对口帮扶", ["全省累计派出医务人员支援凉山州600余人次。"]))
    assert own.loc["600余人次", "recipient_code"] == "513400"
