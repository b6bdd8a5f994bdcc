"""Cleaning on the real seeds: script, pinyin, mojibake, segments, metadata, provenance."""
from __future__ import annotations

import random
import re

import numpy as np
import pytest

from aidlab import pipeline
from aidlab.text import clean
from aidlab.text.normalize import normalize, split_sentences
from aidlab.text.pinyin import find_annotations
from aidlab.text.script import detect_script, to_simplified_char
from aidlab.text.textmap import Edit, TrackedText

PINYIN_LEFT = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]|[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-z]*\)")


@pytest.fixture(scope="module")
def corpus(seeds_dir):
    return pipeline.build(seeds_dir)


def _doc(corpus, prefix):
    return next(d for k, d in corpus.docs.items() if k.startswith(prefix))


def test_no_pinyin_annotation_left_anywhere(corpus):
    for doc in corpus.docs.values():
        assert not PINYIN_LEFT.search(doc.text.text), doc.doc_id
        assert not PINYIN_LEFT.search(doc.page.text), doc.doc_id


def test_genuine_parentheses_are_kept():
    text = "患者卓玛(化名)在医(yī)院(左三)接受治疗(资料图)。(记者 王芳)县(xiàn)(以下简称“县医院”)"
    spans = find_annotations(text)
    assert [text[s:e] for s, e, _ in spans] == ["(yī)", "(xiàn)"]


def test_bodies_are_simplified(corpus):
    for doc in corpus.docs.values():
        assert detect_script(doc.text.text) in ("simplified", "undetermined"), doc.doc_id
    assert set(corpus.documents["body_script"]) <= {"simplified", "undetermined"}


@pytest.mark.parametrize("prefix,must_not,must", [
    ("001", ["3373张", "以上内容为资讯信息快照", "爬虫"], ["1200万元", "76个牧区村居"]),
    ("002", ["ICP", "单位地址", "精品", "0877"], ["1040人次", "近11万人次"]),
    ("003", ["相关阅读", "帕米尔", "659名"], ["315名专家", "853名"]),
    ("004", ["关键词", "深圳", "105.9%"], ["超过12万人次", "50余万元"]),
    ("000", ["A+", "相关话题"], ["206名专家", "863.9万元"]),
])
def test_body_ends_before_page_chrome(corpus, prefix, must_not, must):
    body = _doc(corpus, prefix).text.text
    for s in must_not:
        assert s not in body, (prefix, s)
    for s in must:
        assert s in body, (prefix, s)


def test_titles_and_dates(corpus):
    docs = corpus.documents.assign(p=corpus.documents["doc_id"].str[:3]).set_index("p")
    assert docs.loc["001", "title"] == "淄博援藏着力推动医疗帮扶重心下移、资源下沉"
    assert docs.loc["001", "published"] == "2024-06-02"
    assert docs.loc["002", "title"] == "玉溪推动优质医疗资源下沉基层"
    assert docs.loc["002", "published"] == "2025-04-18"
    assert docs.loc["003", "title"].startswith("【打赢脱贫攻坚战】我国卫生健康对口支援综述")
    assert docs.loc["003", "published"] == "2019-02-15"
    assert docs.loc["003", "outlet"] == "经济日报"
    assert docs.loc["004", "title"] == "福建:山海携手“医”路同行"
    assert docs.loc["004", "published"] == "2023-05-09"
    # never guessed: seed 000 states neither title nor date
    assert docs.loc["000", "title"] == "unknown" and docs.loc["000", "published"] == "unknown"
    assert (docs["published_source"] != "manifest").all()


def test_every_corrupted_passage_of_seed_000_is_detected(corpus):
    doc = _doc(corpus, "000")
    raw = doc.raw
    for garbled in ["?shù)厝瞬?78人", "??κ驳貐^", "⒏纳剖茉蒯t", "≈С质茉?", "∶磕臧才?000", "?cè)舜?76",
                    "【劢故茉赜绊懭罕娊", "?shù)厝罕娝蜋z"]:
        at = raw.find(garbled)
        assert at != -1, garbled
        assert any(s.start <= at and at + len(garbled) <= s.end for s in doc.spans), garbled
    assert len(corpus.spans[corpus.spans["doc_id"] == doc.doc_id]) == len(doc.spans)


@pytest.mark.parametrize("context,damaged_part", [("?78人", "?78"), ("?000萬", "?000"), ("质茉?縣", "?"), ("服務(wù)總?cè)舜?76萬", "?76")])
def test_digits_next_to_lost_bytes_are_damaged(corpus, context, damaged_part):
    doc = _doc(corpus, "000")
    at = doc.raw.find(context)
    assert at != -1
    part_at = at + context.rfind(damaged_part)
    for i in range(part_at, part_at + len(damaged_part)):
        assert i in doc.damaged_raw, (context, i, doc.raw[i])


def test_clean_digits_are_not_damaged(corpus):
    doc = _doc(corpus, "000")
    for ok in ["494對", "185名", "51.4萬", "206名"]:
        at = doc.raw.find(ok)
        assert not any(i in doc.damaged_raw for i in range(at, at + len(ok))), ok


def test_damage_reaches_the_clean_text(corpus):
    doc = _doc(corpus, "000")
    mask = doc.damaged_mask()
    text = doc.text.text
    assert mask.sum() >= 8
    assert {text[i] for i in np.flatnonzero(mask)} <= set("?0123456789")


def test_offsets_map_back_to_identical_raw_characters(corpus):
    rng = random.Random(0)
    for doc in corpus.docs.values():
        text = doc.text
        corrupt = doc.corrupt_mask()
        positions = [i for i in range(len(text)) if text.text[i] != "\n" and not corrupt[i]]
        for i in rng.sample(positions, min(300, len(positions))):
            raw_piece = doc.raw[text.raw_start[i]:text.raw_end[i]]
            assert len(raw_piece) == 1, (doc.doc_id, i)
            ch = text.text[i]
            # identical after undoing the conversion: the raw character converts to the clean one
            normalised = normalize(TrackedText.identity(to_simplified_char(raw_piece))).text
            assert ch in (raw_piece, to_simplified_char(raw_piece), normalised), (doc.doc_id, i, raw_piece, ch)


def test_tables_have_documented_columns(corpus):
    assert list(corpus.documents.columns) == list(pipeline.DOCUMENTS_COLUMNS)
    assert set(clean.CLEAN_DOCUMENT_COLUMNS) <= set(corpus.documents.columns)
    assert list(corpus.segments.columns) == list(clean.SEGMENT_COLUMNS)
    assert list(corpus.spans.columns) == list(clean.SPAN_COLUMNS)
    seg = corpus.segments
    assert {"body", "related", "footer", "disclaimer", "keywords", "spam"} <= set(seg["kind"])
    for _, row in seg.iterrows():  # raw offsets of a segment point at its text
        raw = corpus.docs[row["doc_id"]].raw[row["raw_start"]:row["raw_end"]]
        assert row["text"][:1] in raw or to_simplified_char(raw[:1]) == row["text"][:1]


def test_annotation_counts(corpus):
    docs = corpus.documents.assign(p=corpus.documents["doc_id"].str[:3]).set_index("p")
    assert docs.loc["000", "annotations_removed"] > 200
    assert docs.loc["001", "annotations_removed"] == 0


def test_tracked_text_edits_keep_provenance():
    t = TrackedText.identity("醫(yī)療１２０名")
    t2 = t.apply([Edit(1, 5, "")])
    assert t2.text == "醫療１２０名"
    assert t2.raw_span(1, 2) == (5, 6)
    t3 = normalize(t2)
    assert t3.text == "醫療120名"
    assert t3.raw_span(2, 5) == (6, 9)
    with pytest.raises(ValueError):
        t.apply([Edit(0, 3, "x"), Edit(2, 4, "y")])


def test_normalisation_keeps_dates_and_fixes_numbers():
    t = normalize(TrackedText.identity("增长137.4 %\u200b，共 1 040 人次，2024-06-02 17:26:00"))
    assert t.text == "增长137.4%，共 1040 人次，2024-06-02 17:26:00"


def test_sentences_do_not_split_on_lost_byte_marks():
    sentences = split_sentences("提升?78人。第二句！\n第三句")
    assert [s.text for s in sentences] == ["提升?78人。", "第二句！", "第三句"]
