"""Which programme: the taxonomy file, cue words by level, region cues, ties → unknown, manifest override."""
from __future__ import annotations

import pandas as pd
import pytest

from aidlab.attribution import attribute_claims, programmes
from aidlab.claims.extract import extract_claims
from aidlab.corpus.manifest import PROGRAMMES as LEGACY_PROGRAMMES
from aidlab.text.clean import clean_document


def page(title: str, paragraphs: list[str]) -> str:
    return (f"首页 > 新闻中心\n{title}\n发布时间：2024-08-27 09:00  来源：健康报\n"
            + "\n".join(paragraphs) + "\n责任编辑：赵敏\n")


def claims_of(raw: str, curated: dict | None = None) -> pd.DataFrame:
    doc = clean_document(raw, "t")
    return attribute_claims(doc, extract_claims(doc), curated or {}).set_index("text")


def test_taxonomy_file_is_complete():
    expected = {"tibet_medical_team", "xinjiang_medical_team", "tertiary_county_pairing", "tibet_cadres",
                "rural_doctors", "east_west", "interprovincial", "downward", "unknown"}
    assert set(programmes.PROGRAMMES) == expected
    for p in programmes.PROGRAMMES.values():
        assert p.label_en and p.label_zh and len(p.description) > 20
        assert p.key == "unknown" or p.cues is not None or p.region_cues is not None
    # every legacy manifest key is either mapped or left to the text, never unknown to the module
    for old in LEGACY_PROGRAMMES:
        key, evidence = programmes.curated(old)
        assert key in (None, *programmes.PROGRAMMES) and old in evidence


def test_group_style_to_tibet_from_a_press_conference():
    c = claims_of(page("国家卫生健康委介绍医疗人才“组团式”援藏工作", [
        "国家卫生健康委今天介绍，医疗人才“组团式”援藏工作开展以来，累计选派近2000名医疗人才，来自184家医院。",
    ]))
    assert c.loc["近2000名", "programme"] == "tibet_medical_team"
    assert c.loc["近2000名", "programme_evidence"] == "sentence: 组团式"  # the cue stands in the clause before


def test_group_style_is_decided_by_the_region():
    c = claims_of(page("医疗人才组团式援疆成效", ["组团式援疆医疗队共开展手术5000台次。"]))
    assert c.loc["5000台次", "programme"] == "xinjiang_medical_team"
    c = claims_of(page("医疗人才组团式援藏援疆", ["医疗人才组团式援藏援疆累计选派3100余名医疗人才。"]))
    assert c.loc["3100余名", "programme"] == "tibet_medical_team;xinjiang_medical_team"
    c = claims_of(page("组团式帮扶工作推进会", ["组团式帮扶医疗队共开展手术800台次。"]))
    assert c.loc["800台次", "programme"] == "unknown"  # no region: 组团式 alone names no programme


def test_tertiary_pairing_and_rural_doctors():
    c = claims_of(page("三级医院对口帮扶贫困县县级医院工作会", [
        "截至2018年底，963家三级医院对口帮扶1180家县级医院。",
        "万名医师支援农村卫生工程实施以来，累计派出医师3.2万名。",
    ]))
    assert c.loc["963家", "programme"] == "tertiary_county_pairing"
    assert c.loc["3.2万名", "programme"] == "rural_doctors"


def test_cadre_batches_and_east_west_cooperation():
    c = claims_of(page("第十批援藏干部人才", ["第十批援藏干部人才共2117名。", "闽宁协作开展以来，福建累计选派医务人员600名。"]))
    assert c.loc["2117名", "programme"] == "tibet_cadres"
    assert c.loc["600名", "programme"] == "east_west"


def test_sentence_beats_document():
    c = claims_of(page("医疗人才组团式援藏综述", [
        "组团式援藏累计选派医疗人才1500名。",
        "三级医院对口帮扶贫困县县级医院，派出医务人员6万人次。",
    ]))
    assert c.loc["1500名", "programme"] == "tibet_medical_team"
    assert c.loc["6万人次", "programme"] == "tertiary_county_pairing"
    assert c.loc["6万人次", "programme_evidence"] == "sentence: 三级医院对口帮扶贫困县县级医院"


def test_two_programmes_in_one_sentence_tie_to_unknown():
    c = claims_of(page("卫生健康对口支援综述", ["万名医师支援农村和三级医院对口帮扶共派出医务人员8万人次。"]))
    assert c.loc["8万人次", "programme"] == "unknown"
    assert "tie" in c.loc["8万人次", "programme_evidence"]


def test_no_cue_is_unknown():
    c = claims_of(page("某医院开展义诊活动", ["医院专家为群众义诊300人次。"]))
    assert c.loc["300人次", ["programme", "programme_evidence"]].tolist() == ["unknown", "no programme cue"]


@pytest.mark.parametrize("curated, expected", [
    ({"programme": "rural_doctors"}, "rural_doctors"),
    ({"programme": "downward"}, "downward"),          # legacy key with the same meaning
    ({"programme": "tibet"}, "tertiary_county_pairing"),  # legacy region-level key: the text decides
])
def test_manifest_programme_overrides(curated, expected):
    c = claims_of(page("三级医院对口帮扶", ["三级医院对口帮扶派出医务人员6万人次。"]), curated)
    assert c.loc["6万人次", "programme"] == expected
    assert "manifest programme" in c.loc["6万人次", "programme_evidence"]


def test_quotes_inside_cue_words_are_ignored():
    cues = programmes.find_cues("“三级医院”对口帮扶“贫困县”县级医院")
    assert [c.keys for c in cues] == [("tertiary_county_pairing",)]


def test_a_region_cue_keeps_the_region_said_with_it():
    c = claims_of(page("国家卫生健康委：医疗人才“组团式”援藏成效显著", [
        "浙江省第十一批援疆医疗队近日抵达阿克苏地区，共125名队员。",
    ]))
    # the title's 组团式 is Tibet's programme: it says nothing about a team sent to Xinjiang; Zhejiang → Xinjiang is
    # a pairing of two provinces
    assert c.loc["125名", "recipient_code"] == "650000" and c.loc["125名", "programme"] == "interprovincial"
    assert c.loc["125名", "programme_evidence"] == "regions: 浙江省 → 新疆维吾尔自治区 (different provinces, no cue)"


def test_no_cue_within_one_province_stays_unknown():
    c = claims_of(page("市级医院帮扶县级医院", ["玉溪市人民医院选派专家76名，支援峨山县人民医院。"]))
    assert c.loc["76名", ["aiding_code", "recipient_code", "programme"]].tolist() == ["530400", "530426", "unknown"]


def test_tertiary_pairing_is_cued_in_either_order():
    # rule applies: the county hospitals named first, then the tertiary hospitals and 帮扶, in one sentence
    c = claims_of(page("县医院的新变化", ["截至2020年底，四川省45个县的县级医院与三级医院建立了“一对一”帮扶关系。"]))
    assert c.loc["45个", "programme"] == "tertiary_county_pairing"
    assert c.loc["45个", "programme_evidence"] == "clause: 县级医院与三级医院建立了一对一帮扶"
    # near misses: the two kinds of hospital together without 帮扶 (teleconsultation, training) are no cue
    c = claims_of(page("县医院的新变化", ["今年，45家县级医院与三级医院开通远程会诊。", "县医院医生到三级医院进修120人次。"]))
    assert c.loc["45家", "programme"] == "unknown"
    assert c.loc["120人次", "programme"] == "unknown"
