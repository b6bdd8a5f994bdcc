"""Attribution never fails on odd text: every reader returns, whatever the words and numbers."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aidlab.attribution import dating, keys, programmes, regions

PIECES = ["截至", "年底", "年", "月", "日", "以来", "来", "近", "第", "批", "今年", "去年", "“", "”", "十三五", "五", "期间",
          "援", "藏", "疆", "青", "新", "支援", "赴", "来自", "选派", "西藏", "新疆", "喀什地区", "昌吉州", "和", "、", "，", "。",
          "组团式", "三级医院对口帮扶", "闽宁协作", "累计", "共", "自", "启动", "百", "十", "两", "零", "一", "0", "9",
          "2019", "99999", "1", "12", "31", "\n", " ", "家", "医院", "县级医院"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
PAGE = st.sampled_from([("", "none", ""), ("2022-08-30", "page", "2022-08-30"), ("2024-02-29", "url", "/2024-02/29/")])


@settings(max_examples=300, deadline=None)
@given(TEXT, PAGE)
def test_readers_never_fail(text, page):
    mentions = regions.find_mentions(text)
    assert all(m.code in regions.REGIONS for m in mentions)
    regions.resolve(text)
    cues = programmes.bind_regions(programmes.find_cues(text), text, mentions)
    programmes.decide(cues, regions.join_codes(m.code for m in mentions))
    words = dating.time_words(text)
    batches = [m for m in words if m.lastgroup == "batch"]
    for m in [None, *words]:
        t = dating.claim_time(m, batches[0] if batches else None, "累计", page)
        for iso in (t.as_of, t.period_start):
            assert iso == "" or dating.iso_date(iso) == iso
        keys.scope_part(t.scope_kind, t.batch, t.period_start, t.as_of)
    dating.url_date("http://x.cn/" + text)


def test_implausible_numbers_give_no_dates():
    page = ("2024-02-29", "page", "")
    for text in ("近99999年来", "“九十九五”期间", "截至0000年底", "0年以来"):
        for m in dating.time_words(text):
            t = dating.claim_time(m, None, "", page)
            assert t.period_start == "" and t.as_of in ("", "2024-02-29"), text
    ten = dating.claim_time(dating.time_words("十年来")[0], None, "", page)
    assert ten.period_start == "2014-02-28"  # 29 February ten years before does not exist


def test_a_dateline_the_calendar_does_not_have_is_no_page_date(tmp_path):
    """2019年02月29日 (a shifted or mistyped dateline) gave a page date 2019-02-29 that crashed the
    page's attribution (fromisoformat: day is out of range); it is no date, and the page still reads."""
    from aidlab import pipeline

    body = "\n".join(["山东援藏医疗队圆满完成任务", "2019年02月29日 08:00 来源：大众日报",
                      "近十年来，山东先后选派206名医疗专家赴日喀则市开展医疗援藏工作，诊疗患者超过8万人次。",
                      "医疗队累计开展新技术新项目120项，带教本地医务人员300余名。"])
    page = tmp_path / "odd.txt"
    page.write_text(body, encoding="utf-8")
    rows = pipeline.process_page(pipeline.PageTask(str(page), "odd"))
    assert rows.problem is None and rows.document["usable"]
    assert rows.document["published"] != "2019-02-29" and rows.document["page_date"] != "2019-02-29"
    assert {r["text"] for r in rows.claims or []} >= {"206名", "超过8万人次", "300余名"}
    assert all(r["as_of"] == "" or r["as_of"][:4].isdigit() for r in rows.claims or [])
