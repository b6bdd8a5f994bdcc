"""Body/chrome segmentation and header metadata, on the real seed pages and on synthetic layouts."""
from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest

from aidlab.text.segment import (
    BODY_KINDS,
    SEGMENT_KINDS,
    PageMetadata,
    Segment,
    extract_metadata,
    segment_page,
)

SEEDS = Path(__file__).parents[1] / "seeds"
_T2S = opencc.OpenCC("t2s")
_PINYIN = re.compile(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)")


def _prepare(raw: str) -> str:
    """Test convenience only: Simplified script, pinyin annotations removed (the real pipeline does this elsewhere)."""
    return _PINYIN.sub("", _T2S.convert(raw))


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return _prepare(path.read_text(encoding="utf-8"))


def _body(text: str, segments: list[Segment]) -> str:
    return "\n".join(text[s.start:s.end] for s in segments if s.kind in BODY_KINDS)


def _kind_of(text: str, segments: list[Segment], needle: str) -> list[str]:
    return [s.kind for s in segments if needle in text[s.start:s.end]]


@pytest.fixture(scope="module", params=["000", "001", "002", "003", "004"])
def seed_page(request) -> tuple[str, str, list[Segment]]:
    text = _seed(request.param)
    return request.param, text, segment_page(text)


@pytest.fixture(scope="module")
def pages() -> dict[str, tuple[str, list[Segment], PageMetadata]]:
    out = {}
    for prefix in ["000", "001", "002", "003", "004"]:
        text = _seed(prefix)
        segs = segment_page(text)
        out[prefix] = (text, segs, extract_metadata(text, segs))
    return out


# --------------------------------------------------------------------------- #
# invariants
# --------------------------------------------------------------------------- #
def _assert_cover(text: str, segments: list[Segment]) -> None:
    """One segment per non-blank line, in order, starting at line start and ending before the newline."""
    expected = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        if raw.strip():
            expected.append((pos, end - 1 if raw.endswith("\r") else end))
        pos = end + 1
    assert [(s.start, s.end) for s in segments] == expected
    for s in segments:
        assert s.kind in SEGMENT_KINDS
        assert s.reason.strip()
        assert "\n" not in text[s.start:s.end]


def test_kinds_are_documented():
    assert set(SEGMENT_KINDS) == {
        "navigation", "headline", "dateline", "body", "caption", "keywords",
        "related", "comments", "spam", "footer", "disclaimer", "other",
    }
    assert frozenset({"body"}) == BODY_KINDS
    assert all(isinstance(v, str) and v for v in SEGMENT_KINDS.values())


def test_segments_cover_every_nonblank_line(seed_page):
    _, text, segments = seed_page
    _assert_cover(text, segments)


def test_segmentation_is_deterministic_and_pure(seed_page):
    _, text, segments = seed_page
    assert segment_page(text) == segments


def test_empty_and_blank_pages():
    assert segment_page("") == []
    assert segment_page("\n \n\u3000\n") == []
    meta = extract_metadata("", [])
    assert meta == PageMetadata(None, None, None, None, None, None, None, None)


def test_crlf_offsets_exclude_carriage_return():
    text = "标题行在这里测试一下\r\n\r\n来源:某某日报 2022-03-01\r\n正文第一段，内容足够长，用来测试换行符的处理是否正确。\r\n"
    segs = segment_page(text)
    _assert_cover(text, segs)
    assert all(not text[s.start:s.end].endswith("\r") for s in segs)


# --------------------------------------------------------------------------- #
# seed 000: one long line, no title
# --------------------------------------------------------------------------- #
def test_seed000_single_line_article(pages):
    text, segs, meta = pages["000"]
    body = _body(text, segs)
    assert "206名" in body
    assert "A+" not in body
    assert _kind_of(text, segs, "A+") == ["navigation"]
    assert _kind_of(text, segs, "相关话题") == ["related"]
    assert meta.title is None and meta.title_offsets is None
    assert meta.date is None and meta.outlet is None and meta.author is None


# --------------------------------------------------------------------------- #
# seed 001: crawler snapshot with unheaded related list
# --------------------------------------------------------------------------- #
def test_seed001_body_ends_before_disclaimer_and_related(pages):
    text, segs, _ = pages["001"]
    body = _body(text, segs)
    assert "1200万元" in body
    assert "3373张" not in body
    assert "爬虫" not in body and "快照" not in body
    assert "disclaimer" in {s.kind for s in segs}
    assert set(_kind_of(text, segs, "3373张")) == {"related"}
    assert set(_kind_of(text, segs, "2025-09-28 18:27:00")) == {"related"}
    assert _kind_of(text, segs, "更多关于国内的资讯") == ["related"]
    # the body is contiguous: nothing after the disclaimer is body
    first_disclaimer = next(k for k, s in enumerate(segs) if s.kind == "disclaimer")
    assert all(s.kind not in BODY_KINDS for s in segs[first_disclaimer:])


def test_seed001_header_and_captions(pages):
    text, segs, meta = pages["001"]
    title = "淄博援藏着力推动医疗帮扶重心下移、资源下沉"
    kinds = _kind_of(text, segs, title)
    assert kinds[0] == "headline"
    assert len(kinds) > 1 and set(kinds[1:]) == {"caption"}
    assert _kind_of(text, segs, "我的订阅") == ["navigation"]
    assert _kind_of(text, segs, "徐驭尧") == ["dateline"]
    sub = next(s for s in segs if text[s.start:s.end].strip() == "优化帮扶机制")
    assert (sub.kind, sub.reason) == ("body", "sub-heading")
    assert meta.title == title
    assert meta.date == "2024-06-02"
    assert meta.outlet == "人民资讯"
    assert meta.author == "徐驭尧"


# --------------------------------------------------------------------------- #
# seed 002: address/ICP footer and link spam
# --------------------------------------------------------------------------- #
def test_seed002_body_ends_before_footer_and_spam(pages):
    text, segs, meta = pages["002"]
    body = _body(text, segs)
    assert "1040人次" in body
    assert "近11万人次。(玉溪市融媒体中心记者 黄思敏)" in body  # sign-off stays inside the paragraph
    assert "ICP" not in body and "精品" not in body and "单位地址" not in body
    assert set(_kind_of(text, segs, "ICP备")) == {"footer"}
    assert _kind_of(text, segs, "精品欧洲") == ["spam"]
    assert _kind_of(text, segs, "您当前位置") == ["navigation"]
    assert meta.title == "玉溪推动优质医疗资源下沉基层"
    assert meta.date == "2025-04-18"
    assert meta.author == "黄思敏"
    # the 转自 outlet is mis-decoded in the seed ("玉溪日?qǐng)?bào)"): never returned damaged
    assert meta.outlet in (None, "玉溪日报")


# --------------------------------------------------------------------------- #
# seed 003: keyword line, view counter, 相关阅读 list, footer
# --------------------------------------------------------------------------- #
def test_seed003_body_ends_before_related(pages):
    text, segs, meta = pages["003"]
    body = _body(text, segs)
    assert "315名专家" in body
    assert "帕米尔" not in body
    assert "5034" not in body
    assert "5034" not in {text[s.start:s.end].strip() for s in segs if s.kind in BODY_KINDS}
    assert _kind_of(text, segs, "相关阅读") == ["related"]
    assert set(_kind_of(text, segs, "帕米尔")) == {"related"}
    assert _kind_of(text, segs, "文章关键词") == ["keywords"]
    assert set(_kind_of(text, segs, "Copyright")) == {"footer"}
    assert _kind_of(text, segs, "融媒热头条") == ["navigation"]
    assert meta.title == "【打赢脱贫攻坚战】我国卫生健康对口支援综述:让偏远地区患者享受优质医疗服务"
    assert meta.date == "2019-02-15"
    assert meta.outlet == "经济日报"
    assert meta.author == "吴佳佳"


# --------------------------------------------------------------------------- #
# seed 004: caption, 关键词 then a title/date list
# --------------------------------------------------------------------------- #
def test_seed004_body_ends_before_keywords(pages):
    text, segs, meta = pages["004"]
    body = _body(text, segs)
    assert "12万人次" in body
    assert "深圳" not in body
    assert "资料图片" not in body
    assert _kind_of(text, segs, "资料图片仅供参考") == ["caption"]
    assert _kind_of(text, segs, "关键词") == ["keywords"]
    assert set(_kind_of(text, segs, "深圳商报")) == {"related"}
    assert set(_kind_of(text, segs, "Copyright")) == {"footer"}
    assert meta.title == "福建:山海携手“医”路同行"
    assert meta.date == "2023-05-09"
    assert meta.outlet == "福建日报"
    assert meta.author == "朱子微"


def test_metadata_offsets_point_at_values(pages):
    for prefix, (text, _, meta) in pages.items():
        for field in ("title", "date", "outlet", "author"):
            value = getattr(meta, field)
            offsets = getattr(meta, f"{field}_offsets")
            if value is None:
                assert offsets is None, (prefix, field)
                continue
            a, b = offsets
            raw = text[a:b]
            if field == "date":
                assert re.sub(r"\D", "", raw).startswith(value[:4]), (prefix, raw)
            elif field == "author":
                assert raw.replace(" ", "").replace("、", "") == value.replace("、", ""), (prefix, raw)
            else:
                assert raw == value, (prefix, field, raw)


def test_seed_metadata_dates_are_not_from_lists_or_footers(pages):
    _, segs, meta = pages["001"]
    a, _ = meta.date_offsets
    seg = next(s for s in segs if s.start <= a < s.end)
    assert seg.kind == "dateline"


# --------------------------------------------------------------------------- #
# synthetic layouts
# --------------------------------------------------------------------------- #
PORTAL_PAGE = """首页 | 新闻 | 政务 | 健康 | 视频
您现在的位置：首页 > 新闻中心 > 卫生健康

援疆医疗队走进牧区开展义诊

发布日期：2022年3月1日 来源：某某日报 作者：张三
【字体：大 中 小】 【打印】 【关闭】

　　3月1日，某省第十批援疆医疗队走进某县牧区，为当地群众开展义诊活动，共接诊群众320人次，发放药品价值1.5万元。
　　“以前看病要走几十公里，现在专家送医上门，太方便了。”牧民阿依古丽说。
　　提升基层能力
　　医疗队队长介绍，今年以来，医疗队已累计开展义诊12场，培训基层医务人员460人次。下一步，医疗队将继续推进“组团式”帮扶，计划年内帮助受援医院开展新技术15项。

【责任编辑：李四】
上一篇：某县人民医院开展健康讲座
下一篇：援疆干部慰问困难群众

网友评论
网友123：向援疆医生致敬！辛苦了。
2022-03-02 10:15
网友456：希望多来几次我们村，老人去一趟县城看病太难了，谢谢你们。
2022-03-02 11:20
发表评论

主办单位：某某日报社　地址：某市某路1号　电话：0991-1234567
Copyright © 2022 某某网 版权所有　新ICP备12345678号
"""

GOV_PAGE = """当前位置：首页 > 政务公开 > 工作动态
字号：大 中 小    打印本页
对口支援医院“传帮带”成效明显
时间：2021-07-15 10:30  来源：某州卫生健康委员会  浏览次数：1234
（资料图片）
    7月12日至14日，某省对口支援医疗专家组一行18人到某州人民医院开展技术帮扶，完成疑难手术27台，开展教学查房40余次。
    据了解，截至目前，支援医院累计派出专家215人次，帮助受援医院新建科室6个，填补技术空白31项。（记者 王五 通讯员 赵六）
扫一扫在手机打开当前页
相关新闻
某州召开医疗人才“组团式”帮扶工作推进会
2021-07-10
某州人民医院成功开展首例心脏介入手术
2021-06-28
网站地图 | 联系我们 | 免责声明
主办：某州人民政府办公室  地址：某州某市人民路8号  邮编：844000
新公网安备 65310102000123号
"""

UNHEADED_LIST_PAGE = """健康快讯
援藏专家帮助受援医院创建三级医院
2020年10月9日 09:12
近日，记者从某地卫健委获悉，在援藏专家的帮助下，受援医院顺利通过三级乙等医院评审，成为当地首家三级医院。
三年来，援藏专家累计开展新技术新项目86项，带教本地医务人员230名，门诊量较援藏前增长45%。
某县开展先心病筛查 惠及儿童上千名
2020-10-08
援藏医生获评“最美医生”
2020-10-07
免责声明：本网转载稿件仅出于传递更多信息之目的，不代表本网观点。
"""


def _kinds_by_line(text: str, segs: list[Segment]) -> dict[str, str]:
    return {text[s.start:s.end].strip(): s.kind for s in segs}


def test_synthetic_portal_page():
    segs = segment_page(PORTAL_PAGE)
    _assert_cover(PORTAL_PAGE, segs)
    k = _kinds_by_line(PORTAL_PAGE, segs)
    assert k["首页 | 新闻 | 政务 | 健康 | 视频"] == "navigation"
    assert k["您现在的位置：首页 > 新闻中心 > 卫生健康"] == "navigation"
    assert k["援疆医疗队走进牧区开展义诊"] == "headline"
    assert k["发布日期：2022年3月1日 来源：某某日报 作者：张三"] == "dateline"
    assert k["【字体：大 中 小】 【打印】 【关闭】"] == "navigation"
    assert k["提升基层能力"] == "body"
    assert k["【责任编辑：李四】"] == "dateline"
    assert k["上一篇：某县人民医院开展健康讲座"] == "navigation"
    assert k["网友评论"] == "comments"
    assert k["网友123：向援疆医生致敬！辛苦了。"] == "comments"
    assert k["2022-03-02 11:20"] == "comments"
    assert k["发表评论"] == "comments"
    assert k["Copyright © 2022 某某网 版权所有　新ICP备12345678号"] == "footer"
    assert k["主办单位：某某日报社　地址：某市某路1号　电话：0991-1234567"] == "footer"
    body = _body(PORTAL_PAGE, segs)
    assert "320人次" in body and "460人次" in body and "新技术15项" in body
    assert "李四" not in body and "致敬" not in body and "ICP" not in body
    meta = extract_metadata(PORTAL_PAGE, segs)
    assert meta.title == "援疆医疗队走进牧区开展义诊"
    assert meta.date == "2022-03-01"
    assert meta.outlet == "某某日报"
    assert meta.author == "张三"
    assert PORTAL_PAGE[slice(*meta.outlet_offsets)] == "某某日报"
    assert PORTAL_PAGE[slice(*meta.date_offsets)] == "2022年3月1日"


def test_synthetic_government_page():
    segs = segment_page(GOV_PAGE)
    _assert_cover(GOV_PAGE, segs)
    k = _kinds_by_line(GOV_PAGE, segs)
    assert k["当前位置：首页 > 政务公开 > 工作动态"] == "navigation"
    assert k["字号：大 中 小    打印本页"] == "navigation"
    assert k["对口支援医院“传帮带”成效明显"] == "headline"
    assert k["时间：2021-07-15 10:30  来源：某州卫生健康委员会  浏览次数：1234"] == "dateline"
    assert k["（资料图片）"] == "caption"
    assert k["扫一扫在手机打开当前页"] == "navigation"
    assert k["相关新闻"] == "related"
    assert k["某州人民医院成功开展首例心脏介入手术"] == "related"
    assert k["2021-06-28"] == "related"
    assert k["网站地图 | 联系我们 | 免责声明"] == "footer"
    assert k["新公网安备 65310102000123号"] == "footer"
    body = _body(GOV_PAGE, segs)
    assert "215人次" in body and "（记者 王五 通讯员 赵六）" in body
    assert "推进会" not in body
    meta = extract_metadata(GOV_PAGE, segs)
    assert meta.title == "对口支援医院“传帮带”成效明显"
    assert meta.date == "2021-07-15"
    assert meta.outlet == "某州卫生健康委员会"
    assert meta.author == "王五"


def test_synthetic_unheaded_related_list_and_unstated_fields():
    segs = segment_page(UNHEADED_LIST_PAGE)
    _assert_cover(UNHEADED_LIST_PAGE, segs)
    k = _kinds_by_line(UNHEADED_LIST_PAGE, segs)
    assert k["健康快讯"] == "navigation"
    assert k["援藏专家帮助受援医院创建三级医院"] == "headline"
    assert k["2020年10月9日 09:12"] == "dateline"
    assert k["某县开展先心病筛查 惠及儿童上千名"] == "related"
    assert k["2020-10-07"] == "related"
    assert k["免责声明：本网转载稿件仅出于传递更多信息之目的，不代表本网观点。"] == "disclaimer"
    body = _body(UNHEADED_LIST_PAGE, segs)
    assert "86项" in body and "三级乙等" in body
    assert "先心病" not in body
    meta = extract_metadata(UNHEADED_LIST_PAGE, segs)
    assert meta.title == "援藏专家帮助受援医院创建三级医院"
    assert meta.date == "2020-10-09"
    assert meta.outlet is None and meta.outlet_offsets is None  # no 来源/转自 stated
    assert meta.author is None and meta.author_offsets is None  # 记者 without a name is not an author


def test_end_marker_beats_prose_like_snippets():
    text = (
        "医疗人才组团式援疆工作推进\n"
        "来源：某某日报\n"
        "援疆医疗队今年共接诊患者1.2万人次，开展手术300余台。\n"
        "推荐阅读\n"
        "援疆医生扎根边疆十年，累计救治患者超过5万人次，被当地群众称为“白衣天使”。\n"
    )
    segs = segment_page(text)
    k = _kinds_by_line(text, segs)
    assert k["推荐阅读"] == "related"
    assert k["援疆医生扎根边疆十年，累计救治患者超过5万人次，被当地群众称为“白衣天使”。"] == "related"
    assert "5万人次" not in _body(text, segs)


def test_contact_line_inside_body_does_not_end_it():
    text = (
        "某医院开展援藏义诊活动\n"
        "来源：某某晚报\n"
        "某医院援藏专家团队本周在当地开展义诊，免费为群众检查身体。\n"
        "咨询电话：0891-1234567\n"
        "义诊活动将持续到月底，预计服务群众2000人次以上。\n"
        "Copyright © 某某晚报 版权所有\n"
    )
    segs = segment_page(text)
    body = _body(text, segs)
    assert "2000人次" in body
    assert _kinds_by_line(text, segs)["Copyright © 某某晚报 版权所有"] == "footer"


def test_masthead_date_subtitle_and_editor_are_not_metadata_guesses():
    text = (
        "2026年3月1日 星期日\n"
        "援疆路上的白衣天使\n"
        "——记某医院援疆医生张三\n"
        "2025-12-30 来源：某某日报 编辑：王二\n"
        "张三是某医院的一名心内科医生，2020年主动报名援疆，三年来完成手术600余台。\n"
        "分享到：\n"
    )
    segs = segment_page(text)
    k = _kinds_by_line(text, segs)
    assert k["2026年3月1日 星期日"] == "navigation"
    assert k["援疆路上的白衣天使"] == "headline"
    assert k["——记某医院援疆医生张三"] == "headline"
    assert k["分享到："] == "navigation"
    meta = extract_metadata(text, segs)
    assert meta.title == "援疆路上的白衣天使"
    assert meta.date == "2025-12-30"  # not the masthead's "today"
    assert meta.outlet == "某某日报"
    assert meta.author is None  # an editor is not an author


# --------------------------------------------------------------------------- #
# spam mirrors: wire copy with edition chrome and gambling spam interleaved
# --------------------------------------------------------------------------- #
SPAM_MIRROR_PAGE = """澳门新葡京娱乐城-官方网站 www.xpj8888.com
首页 | 新闻 | 体育 | 彩票 | 娱乐
第03版：民生
标题导航
援藏医疗队把优质医疗资源送到高原
2023年08月15日 来源：某某日报
　　本报拉萨8月14日电 今年以来，某省第九批援藏医疗队扎根受援医院，累计接诊患者2.3万人次，开展手术460台。
北京赛车PK10开奖直播 网址：bjsc888.cc
　　医疗队队长介绍，队员们手把手带教当地医生，帮助受援医院新开展技术项目35项，培训本地医务人员1200人次。
澳门新葡京娱乐城-官方网站 www.xpj8888.com
百家乐真人视讯，注册即送88元彩金，天天返水1.5%！
　　“以前做这样的手术要去拉萨，现在在县里就能做。”一位患者家属说。
第03版
高原医讯网
　　下一步，医疗队将继续推进“组团式”帮扶，计划年内再培训基层骨干300名。
上一篇/下一篇
高原医讯网
　　医疗队还将联合当地卫生院开展巡回义诊，覆盖12个乡镇。
六合彩特码资料 一码中特 www.lhc49.net
版面导航
澳门新葡京娱乐城-官方网站 www.xpj8888.com
"""


def test_spam_mirror_keeps_only_the_wire_copy():
    segs = segment_page(SPAM_MIRROR_PAGE)
    _assert_cover(SPAM_MIRROR_PAGE, segs)
    k = _kinds_by_line(SPAM_MIRROR_PAGE, segs)
    assert k["援藏医疗队把优质医疗资源送到高原"] == "headline"
    assert k["2023年08月15日 来源：某某日报"] == "dateline"
    for chrome in ("第03版：民生", "标题导航", "第03版", "上一篇/下一篇", "版面导航"):
        assert k[chrome] == "navigation", chrome
    for spam in ("澳门新葡京娱乐城-官方网站 www.xpj8888.com", "北京赛车PK10开奖直播 网址：bjsc888.cc",
                 "百家乐真人视讯，注册即送88元彩金，天天返水1.5%！", "六合彩特码资料 一码中特 www.lhc49.net",
                 "高原医讯网"):
        assert k[spam] == "spam", spam
    body = _body(SPAM_MIRROR_PAGE, segs)
    # every wire paragraph, before and after the interleaved chrome, is body; nothing else is
    for figure in ("2.3万人次", "1200人次", "在县里就能做", "骨干300名", "覆盖12个乡镇"):
        assert figure in body, figure
    for junk in ("娱乐", "彩金", "www", "PK10", "版", "导航", "上一篇", "医讯网"):
        assert junk not in body, junk
    meta = extract_metadata(SPAM_MIRROR_PAGE, segs)
    assert meta.title == "援藏医疗队把优质医疗资源送到高原" and meta.outlet == "某某日报"


def test_spam_mirror_figures_are_the_wire_figures_only():
    from aidlab.claims.extract import extract_claims
    from aidlab.text import clean

    claims = extract_claims(clean.clean_document(SPAM_MIRROR_PAGE, "mirror"))
    texts = set(claims["text"])
    assert {"2.3万人次", "460台", "35项", "1200人次", "300名", "12个"} <= texts
    assert not texts & {"88元", "1.5%"}


@pytest.mark.parametrize("line", [
    "项目资金来自中央专项彩票公益金，共计1200万元，主要用于购置医疗设备。",  # one weak word, no selling: prose
    "详情可登录某某州卫生健康委员会网站www.example.gov.cn查询。",             # a web address in a sentence
    "公安机关破获一起网络赌博案件后，对涉案人员开展了心理健康筛查。",
])
def test_prose_mentioning_lotteries_or_web_addresses_stays_body(line):
    text = f"援疆医疗队走进牧区开展义诊\n来源：某某日报\n援疆医疗队今年共接诊患者1.2万人次，开展手术300余台。\n{line}\n"
    segs = segment_page(text)
    assert _kinds_by_line(text, segs)[line] == "body"


def test_source_line_with_web_address_stays_a_dateline():
    text = "援疆医疗队走进牧区开展义诊\n来源：某某网 www.example.com.cn\n援疆医疗队今年共接诊患者1.2万人次，开展手术300余台。\n"
    segs = segment_page(text)
    assert _kinds_by_line(text, segs)["来源：某某网 www.example.com.cn"] == "dateline"
    assert extract_metadata(text, segs).outlet == "某某网"


@pytest.mark.parametrize("times,kind", [(1, "body"), (2, "spam"), (3, "spam")])
def test_short_line_repeated_on_the_page_is_branding(times, kind):
    paragraphs = ["援疆医疗队今年共接诊患者1.2万人次，开展手术300余台。", "医疗队还培训当地医务人员460人次，新开展技术15项。",
                  "下一步，医疗队将继续推进组团式帮扶工作，服务更多群众。"]
    lines = ["援疆医疗队走进牧区开展义诊", "来源：某某日报"]
    for n, p in enumerate(paragraphs):
        lines.append(p)
        if n < times:
            lines.append("健康边疆在线")
    text = "\n".join(lines) + "\n"
    segs = segment_page(text)
    assert set(_kind_of(text, segs, "健康边疆在线")) == {kind}
    assert "服务更多群众" in _body(text, segs)


def test_edition_chrome_ends_the_body_only_where_no_text_follows():
    text = ("援疆医疗队走进牧区开展义诊\n来源：某某日报\n援疆医疗队今年共接诊患者1.2万人次，开展手术300余台。\n"
            "第02版\n援疆干部慰问困难群众\n某县开展先心病筛查\n")
    segs = segment_page(text)
    k = _kinds_by_line(text, segs)
    assert k["第02版"] == "navigation"
    assert k["援疆干部慰问困难群众"] != "body" and k["某县开展先心病筛查"] != "body"


def test_titled_previous_link_still_ends_the_body():
    text = ("援疆医疗队走进牧区开展义诊\n来源：某某日报\n援疆医疗队今年共接诊患者1.2万人次，开展手术300余台。\n"
            "上一篇：援疆干部慰问困难群众\n援疆医生扎根边疆十年，累计救治患者超过5万人次，被当地群众称为“白衣天使”。\n")
    segs = segment_page(text)
    assert "5万人次" not in _body(text, segs)
