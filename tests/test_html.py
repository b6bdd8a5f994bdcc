"""HTML pages: parsed by a real parser, chrome dropped, blocks as lines, every character traceable to the raw HTML."""
from __future__ import annotations

import re

import numpy as np
import pytest

from aidlab import pipeline
from aidlab.claims.extract import extract_claims
from aidlab.text import clean
from aidlab.text.html import html_text, looks_like_html

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>援疆医疗队 - 某某网 9999</title>
  <style>.n { width: 640px; } /* 7777 */</style>
  <script>var views = 8888; if (a < b && c > 0) { document.write("<p>6666名</p>"); }</script>
</head>
<body class="page" data-count="5555">
<nav><a href="/">首页</a> | <a href="/news">新闻 3333条</a></nav>
<div class="article">
<h1 title="标题 4444">第十批援疆医疗队圆满完成任务</h1>
<p>记者从自治区卫生健康委获悉，今年以来，第十批援疆医疗队共派出专家<b>215</b>名，累计接诊患者3.2万人次，
开展手术1200余台。</p>
<!-- 隐藏 2222名 -->
<p>援疆医生在喀什地区建立了12个重点专科&mdash;帮助当地填补技术空白近百项&#12290;</p>
<p>医疗队&amp;当地医院共同培训医务人员860人次。<br>联系电话：略</p>
<noscript>请开启脚本 1111</noscript>
<template><p>模板 1212名</p></template>
</div>
</body>
</html>
"""


def test_looks_like_html_tells_pages_apart():
    assert looks_like_html(PAGE)
    assert looks_like_html("<p>一</p><p>二</p><p>三</p>")
    assert not looks_like_html("第十批援疆医疗队共派出专家215名。\n记者 王芳\n")
    assert not looks_like_html("公式 a<b 且 c>d，共3<5项。")


def test_html_text_drops_chrome_and_keeps_blocks_as_lines():
    text = html_text(PAGE).text
    assert "<" not in text and ">" not in text
    for hidden in ("9999", "7777", "8888", "6666", "5555", "4444", "3333", "2222", "1111", "1212", "首页"):
        assert hidden not in text, hidden
    lines = text.split("\n")
    assert lines[0] == "第十批援疆医疗队圆满完成任务"
    assert lines[1].startswith("记者从") and "专家215名" in lines[1]
    assert "人次，开展手术" in lines[1]  # a source line break between CJK characters is no space
    assert "专科—帮助" in text and "近百项。" in text and "医疗队&当地医院" in text  # entities decoded
    assert "860人次。\n联系电话" in text  # <br> is a line break


def test_every_html_character_maps_to_its_raw_source():
    page = html_text(PAGE)
    for i, ch in enumerate(page.text):
        source = PAGE[page.raw_start[i]:page.raw_end[i]]
        if ch in " \n":
            continue
        if source.startswith("&"):
            assert source in ("&mdash;", "&#12290;", "&amp;"), source
        else:
            assert source == ch, (i, ch, source)
    assert np.all(np.diff(page.raw_start) >= 0)  # document order


def test_claims_in_an_html_page_slice_the_raw_page_to_their_digits():
    doc = clean.clean_document(PAGE, "page")
    assert "<p>" not in doc.text.text and "<b>" not in doc.page.text
    claims = extract_claims(doc)
    texts = set(claims["text"])
    assert {"215名", "1200余台", "12个", "860人次"} <= texts, texts
    for hidden in ("9999", "8888", "6666", "5555", "4444", "3333", "2222", "1111", "1212"):
        assert not any(hidden in t for t in texts), hidden
    for row in claims.itertuples():
        raw = PAGE[row.raw_start:row.raw_end]
        assert raw == row.raw_text
        assert re.sub(r"<[^>]*>", "", raw) == row.text  # only markup lies between the figure's characters
        digits = re.search(r"\d[\d.]*", row.text)
        if digits:
            assert raw.startswith(digits.group())  # the raw offsets start on the digits themselves
    row = claims[claims["text"] == "215名"].iloc[0]
    assert PAGE[row.raw_start:row.raw_end] == "215</b>名"


def test_plain_text_pages_are_cleaned_exactly_as_before():
    raw = "第十批援疆医疗队圆满完成任务\n\n记者从自治区卫生健康委获悉，共派出专家215名。\n"
    doc = clean.clean_document(raw, "plain")
    assert doc.raw == raw and doc.page.text.startswith("第十批")
    # the plain path is the identity map on raw offsets for unchanged characters
    i = doc.text.text.index("215")
    assert raw[doc.text.raw_start[i]:doc.text.raw_end[i + 2]] == "215"


def test_html_page_through_the_pipeline(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    tables = pipeline.build(tmp_path)
    assert tables.loaded["usable"].all()
    assert "215名" in set(tables.claims["text"])
    assert not tables.claims["text"].str.contains("8888|6666|5555").any()
    body = tables.docs["page"].text.text
    assert "<" not in body


@pytest.mark.parametrize("raw", [
    "<p>未闭合的段落 共20名<div>嵌套 30名",
    "<html><body><p>a &amp b &notanentity; 40名</p></body></html>",
    "<p title='单引号 > 属性'>属性后 50名</p><p>再来 60名</p>",
    "<p>\r\n回车换行 70名\r\n</p><p>x</p><p>y</p>",
])
def test_broken_html_still_maps_offsets(raw):
    page = html_text(raw)
    for i, ch in enumerate(page.text):
        source = raw[page.raw_start[i]:page.raw_end[i]]
        if ch.isdigit():
            assert source == ch, (raw, i, ch, source)
