"""When: page dates (manifest, page, URL) and the time a claim holds at, on pages written for these tests."""
from __future__ import annotations

import pandas as pd
import pytest

from aidlab.attribution import (
    attribute_claims,
    check_manifest_dates,
    document_dates,
    page_date,
)
from aidlab.attribution.dating import plan_years, url_date
from aidlab.claims.extract import extract_claims
from aidlab.errors import ManifestError
from aidlab.text.clean import clean_document


def page(title: str, paragraphs: list[str], date: str | None = "2022-08-30 10:00") -> str:
    head = f"首页 > 新闻中心 > 卫生健康\n{title}\n"
    if date is not None:
        head += f"发布时间：{date}  来源：新华网\n"
    return head + "\n".join(paragraphs) + "\n责任编辑：王强\n"


def claims_of(raw: str, curated: dict | None = None) -> pd.DataFrame:
    doc = clean_document(raw, "t")
    return attribute_claims(doc, extract_claims(doc), curated or {}).set_index("text")


UNDATED = page("援藏医疗队工作纪实", ["援藏医疗队共接诊患者1.5万人次。"], date=None)


# --- page date -------------------------------------------------------------------------------

@pytest.mark.parametrize("url, iso", [
    ("http://www.news.cn/politics/2022-07/22/c_1128853623.htm", "2022-07-22"),
    ("http://www.nhc.gov.cn/xcs/s3574/202208/t20220816_1234567.shtml", "2022-08-16"),
    ("http://www.example.com.cn/news/20091229/n269277.shtml", "2009-12-29"),
    ("https://www.example.cn/2024-08/27/content_5555.html", "2024-08-27"),
    ("https://www.example.cn/xw/2023/0514/c100-1.html", "2023-05-14"),
])
def test_url_path_dates(url, iso):
    assert url_date(url)[0] == iso


def test_url_without_a_full_date_gives_none():
    assert url_date("http://www.example.cn/news/202208/index.html") is None
    assert url_date("http://www.example.cn/news/2022-13/40/a.html") is None  # not a calendar date


def test_page_date_prefers_manifest_then_page_then_url():
    dated = clean_document(page("援藏医疗队工作纪实", ["援藏医疗队共接诊患者1.5万人次。"], date="2021-03-05 08:00"), "a")
    url = "http://www.news.cn/politics/2022-07/22/c_1.htm"
    assert page_date(dated, {"published": "2020-01-02", "url": url}) == ("2020-01-02", "manifest", "manifest published 2020-01-02")
    assert page_date(dated, {"url": url})[:2] == ("2021-03-05", "page")
    undated = clean_document(UNDATED, "b")
    assert page_date(undated, {"url": url}) == ("2022-07-22", "url", "/2022-07/22/")
    assert page_date(undated, {}) == ("", "none", "")


def test_dateline_month_day_takes_its_year_from_the_url():
    raw = page("援藏医疗队工作纪实", ["新华社拉萨10月25日电 援藏医疗队共接诊患者1.5万人次。"], date=None)
    doc = clean_document(raw, "c")
    iso, source, evidence = page_date(doc, {"url": "http://www.example.cn/2019/news/abc.html"})
    assert (iso, source) == ("2019-10-25", "page") and "10月25日电" in evidence


def test_document_row_columns():
    doc = clean_document(UNDATED, "d")
    row = document_dates(doc, {"url": "http://www.example.cn/20091229/n1.shtml"})
    assert row == {"page_date": "2009-12-29", "page_date_source": "url", "page_date_evidence": "/20091229/",
                   "url": "http://www.example.cn/20091229/n1.shtml"}


def test_manifest_published_that_is_not_a_date_is_an_error_naming_file_and_row(tmp_path):
    manifest = pd.DataFrame({"file": ["a.txt", "b.txt", "c.txt"], "published": ["2022-08-01", "", "2022年8月"]})
    with pytest.raises(ManifestError) as err:
        check_manifest_dates(manifest, tmp_path / "manifest.csv")
    message = str(err.value)
    assert "manifest.csv" in message and "row 4 (c.txt)" in message and "2022年8月" in message
    assert "a.txt" not in message and "b.txt" not in message
    check_manifest_dates(manifest.iloc[:2], tmp_path / "manifest.csv")  # valid and blank dates pass
    with pytest.raises(ManifestError, match="2022-02-30"):
        check_manifest_dates(pd.DataFrame({"file": ["x.txt"], "published": ["2022-02-30"]}), "m.csv")
    with pytest.raises(ManifestError, match="t: manifest `published`"):
        page_date(clean_document(UNDATED, "t"), {"published": "last week"})


def test_pipeline_build_refuses_a_bad_published_date(tmp_path):
    from aidlab.corpus.manifest import update_manifest
    from aidlab.pipeline import build

    (tmp_path / "p.txt").write_text(UNDATED, encoding="utf-8")
    m = update_manifest(tmp_path)
    m.loc[0, "published"] = "2022/08/01"
    m.to_csv(tmp_path / "manifest.csv", index=False)
    with pytest.raises(ManifestError, match=r"row 2 \(p.txt\): published '2022/08/01'"):
        build(tmp_path)


# --- the claim's own time --------------------------------------------------------------------

def test_as_of_end_of_year_and_month():
    c = claims_of(page("三级医院对口帮扶贫困县县级医院", [
        "截至2018年底，三级医院对口帮扶1180家县级医院。",
        "截至2019年6月，累计派出医务人员6万人次。",
        "截至2020年10月20日，受援医院开展新技术500项。",
    ]))
    assert c.loc["1180家", ["as_of", "scope_kind", "as_of_source"]].tolist() == ["2018-12-31", "point", "claim"]
    assert c.loc["6万人次", ["as_of", "scope_kind"]].tolist() == ["2019-06-30", "cumulative"]
    assert c.loc["500项", "as_of"] == "2020-10-20"


def test_since_a_year_is_cumulative_to_the_page_date():
    c = claims_of(page("组团式援藏", ["2019年以来，医疗人才组团式援藏累计选派专家1500名。"]))
    row = c.loc["1500名"]
    assert (row["period_start"], row["as_of"], row["scope_kind"], row["as_of_source"]) == \
        ("2019-01-01", "2022-08-30", "cumulative", "page")


def test_years_since_and_recent_years_end_at_the_page_date():
    c = claims_of(page("援藏十年", ["十年来，援藏医疗队累计接诊患者20万人次。", "近年来，援藏医疗队开展手术3000台次。"]))
    assert c.loc["20万人次", ["period_start", "as_of", "scope_kind"]].tolist() == ["2012-08-30", "2022-08-30", "cumulative"]
    assert c.loc["3000台次", ["period_start", "as_of"]].tolist() == ["", "2022-08-30"]


def test_this_year_and_last_year_are_annual():
    c = claims_of(page("援疆医疗队", ["今年，援疆医疗队接诊患者3万人次。", "去年，援疆医疗队开展手术1200台次。"]))
    assert c.loc["3万人次", ["period_start", "as_of", "scope_kind"]].tolist() == ["2022-01-01", "2022-08-30", "annual"]
    assert c.loc["1200台次", ["period_start", "as_of", "scope_kind"]].tolist() == ["2021-01-01", "2021-12-31", "annual"]


def test_five_year_plan_period():
    assert plan_years(13) == (2016, 2020) and plan_years(14) == (2021, 2025) and plan_years(1) == (1953, 1957)
    c = claims_of(page("援藏干部人才", ["“十三五”期间，全国共选派援藏干部人才5000余名。"]))
    row = c.loc["5000余名"]
    assert (row["period_start"], row["as_of"], row["scope_kind"], row["as_of_source"]) == \
        ("2016-01-01", "2020-12-31", "period", "claim")


def test_batch_number_is_read():
    c = claims_of(page("第十批援藏干部人才完成轮换", ["第十批援藏干部人才共2114名，第九批援藏干部人才共2020名。"]))
    assert c.loc["2114名", ["batch", "scope_kind"]].tolist() == ["10", "batch"]
    assert c.loc["2020名", "batch"] == "9"


def test_cumulative_words_without_a_date():
    c = claims_of(page("援疆医疗队", ["援疆医疗队累计接诊患者3万人次。", "援疆医疗队接诊患者2万人次。"]))
    assert c.loc["3万人次", ["scope_kind", "as_of"]].tolist() == ["cumulative", "2022-08-30"]
    assert c.loc["2万人次", ["scope_kind", "as_of", "as_of_source"]].tolist() == ["unknown", "2022-08-30", "page"]


def test_no_page_date_leaves_relative_times_undated():
    c = claims_of(page("援藏医疗队", ["2019年以来，援藏医疗队累计接诊患者1.5万人次。", "今年开展手术300台次。"], date=None))
    assert c.loc["1.5万人次", ["as_of", "as_of_source", "period_start"]].tolist() == ["", "none", "2019-01-01"]
    assert c.loc["300台次", ["as_of", "as_of_source"]].tolist() == ["", "none"]


def test_a_range_of_hours_is_not_a_five_year_plan():
    from aidlab.attribution.dating import time_words

    assert [m.lastgroup for m in time_words("医疗队驱车四五个小时，为牧民义诊")] == []
    assert [m.group() for m in time_words("“十四五”期间，十三五以来")] == ["“十四五”期间", "十三五以来"]


def test_pipeline_documents_carry_the_page_date_and_url(tmp_path):
    from aidlab.corpus.manifest import update_manifest
    from aidlab.pipeline import DOCUMENTS_COLUMNS, build

    (tmp_path / "a.txt").write_text(UNDATED, encoding="utf-8")
    (tmp_path / "b.txt").write_text(page("援藏医疗队", ["2019年以来，援藏医疗队累计接诊患者2万人次。"], date=None),
                                    encoding="utf-8")
    m = update_manifest(tmp_path)
    m.loc[m["file"] == "a.txt", "url"] = "http://www.nhc.gov.cn/xcs/202208/t20220816_1.shtml"
    m.to_csv(tmp_path / "manifest.csv", index=False)
    tables = build(tmp_path)
    docs = tables.documents.set_index("doc_id")
    assert list(tables.documents.columns) == list(DOCUMENTS_COLUMNS)
    assert docs.loc["a", ["page_date", "page_date_source", "page_date_evidence"]].tolist() == \
        ["2022-08-16", "url", "/t20220816_"]
    assert docs.loc["b", ["page_date", "page_date_source"]].tolist() == ["", "none"]
    claims = tables.claims.set_index("text")
    assert claims.loc["1.5万人次", ["as_of", "as_of_source"]].tolist() == ["2022-08-16", "url"]
    assert claims.loc["2万人次", ["as_of", "as_of_source", "period_start"]].tolist() == ["", "none", "2019-01-01"]


def test_since_and_as_of_in_one_sentence_give_start_and_date():
    c = claims_of(page("援疆医疗队", ["2019年以来，截至2023年底，援疆医疗队累计接诊患者30万人次。", "2023年，医疗队开展手术800台次。"],
                       date="2023-05-09 10:00"))
    assert c.loc["30万人次", ["period_start", "as_of", "scope_kind", "as_of_source"]].tolist() == \
        ["2019-01-01", "2023-12-31", "cumulative", "claim"]
    assert c.loc["800台次", ["period_start", "as_of", "as_of_source"]].tolist() == ["2023-01-01", "2023-05-09", "page"]


def test_since_with_words_between():
    c = claims_of(page("组团式援藏", ["自2015年医疗人才组团式援藏工作启动以来，全国累计选派近2000名医疗人才。"]))
    assert c.loc["近2000名", ["period_start", "as_of", "scope_kind"]].tolist() == ["2015-01-01", "2022-08-30", "cumulative"]


def test_cli_exits_2_naming_file_and_row_for_a_bad_published_date(tmp_path):
    import subprocess
    import sys

    from aidlab.corpus.manifest import update_manifest

    (tmp_path / "p.txt").write_text(UNDATED, encoding="utf-8")
    m = update_manifest(tmp_path)
    m.loc[0, "published"] = "2022年8月"
    m.to_csv(tmp_path / "manifest.csv", index=False)
    proc = subprocess.run([sys.executable, "-m", "aidlab.cli", "claims", str(tmp_path), "--out", "-"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"{tmp_path / 'manifest.csv'}" in proc.stderr and "row 2 (p.txt)" in proc.stderr and "2022年8月" in proc.stderr


def test_years_of_aid_in_a_headline_are_a_running_total():
    c = claims_of(page("组团式援藏十年：近2000名专家扎根高原", ["医疗人才组团式援藏工作持续推进。"], date="2024-08-27 09:00"))
    assert c.loc["近2000名", ["scope_kind", "period_start", "as_of"]].tolist() == ["cumulative", "2014-08-27", "2024-08-27"]


def test_years_span_totalled_by_the_sentence_is_a_running_total():
    # rule applies: 八年间 + 共/累计 before the figure → the running total of 八年来
    c = claims_of(page("组团式援疆八年 和田群众看病不出地区", [
        "医疗人才组团式援疆开展八年间，共有600余名专家接力援疆。",
        "八年来，援疆专家累计开展新技术300余项。",
    ], date="2024-06-10 09:00"))
    assert c.loc["600余名", ["scope_kind", "period_start", "as_of"]].tolist() == ["cumulative", "2016-06-10", "2024-06-10"]
    assert c.loc["300余项", "scope_kind"] == "cumulative"
    # near misses: no totalling word, and a trailing window (近五年间/过去五年间), stay a period
    c = claims_of(page("援疆医疗队工作综述", [
        "八年间，援疆专家开展手术1200台次。",
        "过去五年间，援疆医疗队共接诊患者8万人次。",
    ], date="2024-06-10 09:00"))
    assert c.loc["1200台次", "scope_kind"] == "period"
    assert c.loc["8万人次", ["scope_kind", "period_start"]].tolist() == ["period", "2019-06-10"]


def test_since_the_start_of_this_year_is_the_year_to_date():
    # rule applies: 今年以来 counts this year only, like 今年, so it never joins the running total's key
    c = claims_of(page("援疆医疗队工作综述", [
        "医疗人才组团式援疆开展以来，援疆专家累计开展手术3.2万台次。",
        "今年以来，援疆专家开展手术8000余台次。",
    ], date="2024-10-09 09:00"))
    row = c.loc["8000余台次"]
    assert (row["scope_kind"], row["period_start"], row["as_of"]) == ("annual", "2024-01-01", "2024-10-09")
    assert row["quantity_key"].endswith("|annual:2024")
    assert c.loc["3.2万台次", "quantity_key"].endswith("|cumulative")
    # near miss: 2023年以来 and 去年以来 run from that year's start to the page date: cumulative
    c = claims_of(page("援疆医疗队工作综述", ["2023年以来，援疆专家累计开展手术1.1万台次。", "去年以来，援疆专家接诊患者6万人次。"],
                       date="2024-10-09 09:00"))
    assert c.loc["1.1万台次", ["scope_kind", "period_start"]].tolist() == ["cumulative", "2023-01-01"]
    assert c.loc["6万人次", ["scope_kind", "period_start"]].tolist() == ["cumulative", "2023-01-01"]
