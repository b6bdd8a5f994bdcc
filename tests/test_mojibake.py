"""Byte-shifted GBK mojibake: detection, damaged digits and cautious repair, on the real seed pages
and on synthetic damage (one byte dropped from GBK-encoded clean text)."""
from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

import pytest

from aidlab.text import mojibake
from aidlab.text.mojibake import (
    ACCEPT_CONFIDENCE,
    CorruptSpan,
    apply_repairs,
    candidate_confidence,
    find_corrupt_spans,
)

SEEDS = Path(__file__).parents[1] / "seeds"


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed000() -> str:
    return _seed("000")


@pytest.fixture(scope="module")
def spans000(seed000: str) -> list[CorruptSpan]:
    return find_corrupt_spans(seed000)


def _covering(spans: list[CorruptSpan], start: int, end: int) -> CorruptSpan | None:
    return next((s for s in spans if s.start <= start and end <= s.end), None)


def _inside_any(spans: list[CorruptSpan], i: int) -> bool:
    return any(s.start <= i < s.end for s in spans)


def _garble(clean: str, drop: int, marker: str = "\ufffd") -> str:
    """GBK-encode, drop one byte, decode (undecodable bytes → U+FFFD, or `marker`)."""
    raw = clean.encode("gbk")
    return (raw[:drop] + raw[drop + 1:]).decode("gbk", errors="replace").replace("\ufffd", marker)


def _consistent(repaired: str, original: str) -> bool:
    """Does `repaired` equal `original` once every `?` stands for one or more lost characters?"""
    pattern = "".join(".{1,12}?" if ch == "?" else re.escape(ch) for ch in repaired)
    return re.fullmatch(pattern, original, flags=re.S) is not None


def _check_invariants(text: str, spans: list[CorruptSpan]) -> None:
    last_end = -1
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= last_end, "spans must be sorted and non-overlapping"
        last_end = s.end
        assert s.text == text[s.start:s.end]
        assert s.reason and all(r for r in s.reason.split(";"))
        assert all(s.start <= i < s.end for i in s.damaged)
        assert list(s.damaged) == sorted(set(s.damaged))
        # a repair is accepted only with high confidence, and then keeps a loss marker
        if s.repair is None:
            assert s.confidence == 0.0
        else:
            assert s.confidence >= ACCEPT_CONFIDENCE
            assert s.repair == s.candidate
            assert "?" in s.repair or "\ufffd" in s.repair
        # a lost byte never turns into a digit: the candidate keeps exactly the span's digits
        if s.candidate is not None:
            assert re.findall(r"[0-9]", s.candidate) == re.findall(r"[0-9]", s.text)


# ------------------------------------------------------------------------------------------
# Seed 000: Traditional text with pinyin annotations and byte-shifted GBK passages.
# ------------------------------------------------------------------------------------------

#: (clean text before, garbled core, clean text after) for every garbled passage of seed 000.
GARBLED_000 = [
    ("當(dāng)", "?shù)厝瞬?78人?! ?shí)", "施"),
    ("培訓(xùn)", "??κ驳貐^", "(qū)肺科醫"),
    ("67%", "?! ⒏纳剖茉蒯t", "(yī)療服務"),
    ("服務(wù)總", "?cè)舜?76", "萬(wàn)"),
    ("水平", "?! ≈С质茉?", "縣全部建"),
    ("不出縣", "?! 【劢故茉赜绊懭罕娊】岛蜕钯|", "(zhì)量"),
    ("人次", "?! ∶磕臧才?000", "萬(wàn)元"),
    ("名當(dāng)", "?shù)厝罕娝蜋z", "、送醫"),
]


@pytest.mark.parametrize(("before", "core", "after"), GARBLED_000, ids=[c for _, c, _ in GARBLED_000])
def test_seed000_every_garbled_passage_is_one_span_without_clean_neighbours(
        seed000: str, spans000: list[CorruptSpan], before: str, core: str, after: str) -> None:
    at = seed000.index(before + core + after) + len(before)
    span = _covering(spans000, at, at + len(core))
    assert span is not None, f"{core!r} not inside a detected span"
    # the whole garbled run, and not the clean text around it
    assert (span.start, span.end) == (at, at + len(core))


def test_seed000_has_no_other_spans(spans000: list[CorruptSpan]) -> None:
    assert [s.text for s in spans000] == [core for _, core, _ in GARBLED_000]


def test_seed000_damaged_offsets_are_exactly_lost_digits(seed000: str, spans000) -> None:
    expected: set[int] = set()
    for ctx, damaged_part in [("?78人", "?78"), ("才?000萬", "?000"), ("茉?縣", "?"), ("?76萬", "?76")]:
        at = seed000.index(ctx) + ctx.index(damaged_part)
        expected.update(range(at, at + len(damaged_part)))
    got = {i for s in spans000 for i in s.damaged}
    assert got == expected
    # the `?` standing for a lost hundreds digit and the surviving digits are all unreliable
    at = seed000.index("?78人")
    assert {at, at + 1, at + 2} <= got


@pytest.mark.parametrize("figure", ["494對", "185名", "51.4萬", "4.1億", "1918.6萬", "863.9萬"])
def test_seed000_clean_figures_are_neither_damaged_nor_in_spans(seed000: str, spans000, figure: str) -> None:
    at = seed000.index(figure)
    digits = [i for i in range(at, at + len(figure)) if seed000[i].isdigit()]
    damaged = {i for s in spans000 for i in s.damaged}
    assert not any(_inside_any(spans000, i) for i in digits)
    assert not damaged.intersection(digits)


def test_seed000_reasons_name_the_signals(seed000: str, spans000) -> None:
    by_text = {s.text: s for s in spans000}
    assert "orphan-pinyin" in by_text["?shù)厝罕娝蜋z"].reason
    assert "symbol-run" in by_text["??κ驳貐^"].reason
    assert "lost-byte" in by_text["?! ∶磕臧才?000"].reason
    assert "byte-shift" in by_text["?! ≈С质茉?"].reason


def test_seed000_candidates_are_realigned_simplified_text(spans000) -> None:
    by_text = {s.text: s for s in spans000}
    # re-encoding + one-byte realignment + T→S + annotations removed (lost bytes stay `?`)
    assert by_text["??κ驳貐^"].candidate == "?什地区"                # 喀什地區 (喀 lost)
    assert by_text["?shù)厝罕娝蜋z"].candidate == "?群众送检"     # 當地群眾送檢 (地 lost)
    assert by_text["?! ≈С质茉?"].candidate.endswith("支持受?")   # 支持受援4 (援 and 4 lost)
    # the lost leading digit is never guessed
    assert by_text["?! ∶磕臧才?000"].candidate.endswith("?000")
    assert by_text["?cè)舜?76"].candidate == "?76"


def test_seed000_no_repair_is_accepted_for_question_mark_pages(spans000) -> None:
    """This page's decoder dropped undecodable pairs silently (受援地 → 茉蒯: ae b5 vanished), so
    any realigned character may be a spurious union of two halves — e.g. 受载 for 受援地, 深 for
    生活. Such candidates must stay unaccepted."""
    by_text = {s.text: s for s in spans000}
    assert "受载" in by_text["?! ⒏纳剖茉蒯t"].candidate          # the spurious character …
    assert by_text["?! ⒏纳剖茉蒯t"].repair is None                 # … is not accepted
    assert all(s.repair is None for s in spans000)
    assert apply_repairs(_seed("000"), spans000) == _seed("000")


def test_seed000_invariants(seed000: str, spans000) -> None:
    _check_invariants(seed000, spans000)


# ------------------------------------------------------------------------------------------
# The other seeds.
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["001", "003", "004"])
def test_clean_seeds_have_no_spans(prefix: str) -> None:
    assert find_corrupt_spans(_seed(prefix)) == []


def test_genuine_question_marks_are_not_flagged() -> None:
    # Decision: a lone `?` between common characters reads as a (normalised) question mark — page
    # chrome such as 网传四川音乐学院封校?川音:假的! or prose 便利性?三明… — and is not flagged on its
    # own; it needs a second signal (digit, symbol, rare character, orphan pinyin, realignment).
    assert "封校?川音" in _seed("003")
    assert "便利性?三明" in _seed("004")
    for text in ["网传四川音乐学院封校?川音:假的!", "你们什么时候来?我们等着。",
                 "这样做对吗?当然对。", "详见 http://example.cn/list.php?id=3&page=2 说明",
                 "问题是:为什么?", "是否还要继续投入??", "中文内容?\n下一段"]:
        assert find_corrupt_spans(text) == [], text


def test_seed002_garbled_passages_are_detected() -> None:
    text = _seed("002")
    spans = find_corrupt_spans(text)
    _check_invariants(text, spans)
    for core in ["?shù)厝罕娋歪t", "?cè)谌\ue087》秶鷥?nèi)", "?qū)?茍F", "?qǐng)?bào)"]:
        at = text.index(core)
        assert _covering(spans, at, at + len(core)) is not None, core
    assert {s.candidate for s in spans} >= {"?群众就医", "?全省范围?"}


# ------------------------------------------------------------------------------------------
# Synthetic damage: clean Simplified text, GBK-encoded, one byte dropped.
# ------------------------------------------------------------------------------------------

CLEAN = [
    "山东省选派医疗专家赴新疆开展帮扶工作，累计接诊患者五万人次，开展手术一千余台次，培养当地医务人员三百余名。",
    "近年来，对口支援医院派出专家团队，帮助受援县级医院建设重点专科，提升了基层医疗服务能力和群众满意度。",
    "援藏医疗队深入牧区开展巡回义诊，为农牧民群众送医送药，并在乡镇卫生院举办培训班，推动优质医疗资源下沉。",
]
TAIL = "2023年"  # ASCII after the Chinese run: where a shifted decoder resynchronises


def test_synthetic_example_is_detected_and_repaired_exactly() -> None:
    clean = CLEAN[0] + TAIL
    damaged = _garble(clean, 26)  # drop the trail byte of 开 in 开展帮扶
    assert damaged.startswith("山东省选派医疗专家赴新疆开拱锓龉ぷ鳎")
    spans = find_corrupt_spans(damaged)
    assert len(spans) == 1
    (span,) = spans
    assert span.text == "拱锓龉ぷ鳎\ufffd"
    assert span.repair == "?扶工作?"          # 展帮 and ， are lost: kept as markers, not guessed
    assert span.confidence >= ACCEPT_CONFIDENCE
    repaired = apply_repairs(damaged, spans)
    assert repaired == "山东省选派医疗专家赴新疆开?扶工作?累计接诊患者五万人次，开展手术一千余台次，培养当地医务人员三百余名。2023年"
    assert _consistent(repaired, clean)


@pytest.mark.parametrize("clean", CLEAN)
def test_synthetic_every_dropped_byte_is_detected_and_accepted_repairs_are_exact(clean: str) -> None:
    text = clean + TAIL
    n_chinese = len(clean.encode("gbk"))
    accepted = covered = 0
    for drop in range(n_chinese):
        damaged = _garble(text, drop)
        spans = find_corrupt_spans(damaged)
        _check_invariants(damaged, spans)
        # the damaged stretch: from the first to the last character that differs
        first = next(i for i, (a, b) in enumerate(zip(damaged, text)) if a != b)
        same_tail = next(j for j in range(len(damaged)) if damaged[-1 - j] != text[-1 - j])
        last = len(damaged) - same_tail
        # detected, without reaching far into clean text (an uncertain edge of the realignment
        # may take up to 3 clean-looking characters; nothing to the right: 2023 is intact)
        assert spans, (drop, damaged)
        for s in spans:
            assert first - 3 <= s.start and s.end <= last, (drop, damaged, s)
        covered += _inside_any(spans, first)
        # U+FFFD marks one byte and the ASCII digits survive: they are not reported as damaged
        assert damaged.endswith(TAIL)
        assert not any(s.damaged for s in spans)
        if any(s.repair for s in spans):
            accepted += 1
            assert _consistent(apply_repairs(damaged, spans), text), (drop, damaged)
    # short garbled runs of common characters right before U+FFFD can escape the span's start
    assert covered >= 0.66 * n_chinese
    assert accepted >= 8


@pytest.mark.parametrize("clean", CLEAN)
def test_synthetic_question_mark_decoder_never_yields_a_wrong_accepted_repair(clean: str) -> None:
    text = clean + TAIL
    for drop in range(len(clean.encode("gbk"))):
        damaged = _garble(text, drop, marker="?")
        spans = find_corrupt_spans(damaged)
        _check_invariants(damaged, spans)
        if any(s.repair for s in spans):
            assert _consistent(apply_repairs(damaged, spans), text), (drop, damaged)


def test_lost_digit_is_reported_and_never_invented() -> None:
    # a `?` glued to a number is reported even without other signs: 达到?00人次 lost its leading digit
    text = "受援地医务人员达到?00人次，其中副高职称?5名。"
    spans = find_corrupt_spans(text)
    _check_invariants(text, spans)
    assert [s.text for s in spans] == ["?00", "?5"]
    assert [s.damaged for s in spans] == [(9, 10, 11), (21, 22)]
    assert all(s.repair is None for s in spans)
    # the seed-style passage: the leading digit is kept as a marker, never guessed
    garbled = "每年安排资金用于救治,?! ∶磕臧才?000万元救助资金"
    spans = find_corrupt_spans(garbled)
    _check_invariants(garbled, spans)
    (span,) = [s for s in spans if "?000" in s.text]
    at = garbled.index("?000")
    assert set(range(at, at + 4)) <= set(span.damaged)
    assert span.candidate.endswith("?000")


# ------------------------------------------------------------------------------------------
# Confidence: low-scoring candidates are never accepted.
# ------------------------------------------------------------------------------------------

def test_candidate_confidence_rejects_low_scoring_candidates() -> None:
    # uncommon (level-2 / non-GB2312) characters or symbols in the candidate keep it below threshold
    assert candidate_confidence("?厝罕娝蜋", gain=20.0) < ACCEPT_CONFIDENCE
    assert candidate_confidence("?改善κ受援", gain=20.0) < ACCEPT_CONFIDENCE
    # a small gain over the text as it stands is not enough either
    assert candidate_confidence("?群众送检", gain=2.0) < ACCEPT_CONFIDENCE
    # nor an uncertain edge of the realignment
    assert candidate_confidence("?群众送检", gain=20.0, margin=0.5) < ACCEPT_CONFIDENCE
    # nor a realignment on a page whose decoder may have dropped pairs silently
    assert candidate_confidence("?群众送检", gain=20.0, realigned="群众送检", drop_prior=0.14) \
        < ACCEPT_CONFIDENCE
    # the same candidate with a large, certain gain and no drop risk is accepted
    assert candidate_confidence("?群众送检", gain=20.0) >= ACCEPT_CONFIDENCE
    assert candidate_confidence("", gain=20.0) == 0.0
    assert candidate_confidence("?群众送检", gain=0.0) == 0.0


def test_span_whose_realignment_yields_symbols_is_not_repaired() -> None:
    # α (a6 a1) realigns to ‖ (a1 a6): symbols either way, no repair may be accepted
    text = "医疗队开展工作?αααααα开展义诊活动"
    spans = find_corrupt_spans(text)
    assert spans, "a symbol run glued to a lost byte is mojibake"
    _check_invariants(text, spans)
    assert all(s.repair is None for s in spans)


# ------------------------------------------------------------------------------------------
# Interface, purity, speed.
# ------------------------------------------------------------------------------------------

def test_corrupt_span_is_frozen_and_has_the_documented_fields() -> None:
    assert [f.name for f in dataclasses.fields(CorruptSpan)] == [
        "start", "end", "text", "reason", "repair", "confidence", "candidate", "damaged"]
    span = find_corrupt_spans(_seed("000"))[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 0  # type: ignore[misc]


def test_trivial_inputs() -> None:
    assert find_corrupt_spans("") == []
    assert find_corrupt_spans("plain ASCII text, no Chinese at all? yes.") == []
    assert find_corrupt_spans("医疗卫生援疆工作取得明显成效。") == []


def test_deterministic_and_pure(seed000: str) -> None:
    before = seed000
    assert find_corrupt_spans(seed000) == find_corrupt_spans(seed000)
    assert seed000 == before


def test_fast_on_a_ten_kilobyte_page() -> None:
    source = _seed("000") + _seed("001")
    page = (source * 3).encode("utf-8")[:10_000].decode("utf-8", errors="ignore")
    find_corrupt_spans(page)  # warm the per-character caches
    t0 = time.perf_counter()
    for _ in range(5):
        find_corrupt_spans(page)
    per_page = (time.perf_counter() - t0) / 5
    assert per_page < 0.05, f"{per_page * 1000:.1f} ms per 10 kB page"  # typically 3–5 ms


# ------------------------------------------------------------------------------------------
# The bound that lets a region skip the full analysis (`_may_hold_span`).
# ------------------------------------------------------------------------------------------

NAMES_PAGE = "\n".join([
    "• 深圳市卫生健康委员会派出的医疗队今天到达喀什，队长李婷介绍了帮扶计划。",
    "• 暨南大学附属医院的专家也参加了这次活动，为当地群众提供义诊服务。",
    "如何提升当地群众就医的便利性?三明的经验值得借鉴。",
] * 3)


def _analysed_chars(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[list[CorruptSpan], int]:
    """The spans of a text, and how many characters reached the full analysis."""
    seen: list[int] = []
    full = mojibake._analyse

    def spy(region: str) -> list[CorruptSpan]:
        seen.append(len(region))
        return full(region)

    monkeypatch.setattr(mojibake, "_analyse", spy)
    return find_corrupt_spans(text), sum(seen)


def test_isolated_level2_characters_bullets_and_questions_skip_the_full_analysis(monkeypatch) -> None:
    assert mojibake._regions(NAMES_PAGE)          # 圳 婷 暨 • ? flag the whole page …
    spans, analysed = _analysed_chars(monkeypatch, NAMES_PAGE)
    assert spans == [] and analysed == 0          # … but no cluster could reach SPAN_MIN_WEIGHT


def test_a_question_mark_glued_to_a_digit_is_still_analysed_and_found(monkeypatch) -> None:
    spans, analysed = _analysed_chars(monkeypatch, NAMES_PAGE + "\n累计投入资金才?000万元。")
    assert analysed > 0
    assert [s.text for s in spans] == ["?000"]


def test_a_garbled_run_among_the_names_is_still_analysed_and_found(monkeypatch) -> None:
    damaged = _garble(CLEAN[0] + TAIL, 26)        # 开拱锓龉ぷ鳎� (see the synthetic example)
    spans, analysed = _analysed_chars(monkeypatch, NAMES_PAGE + "\n" + damaged + "\n" + NAMES_PAGE)
    assert analysed > 0
    assert [s.text for s in spans] == ["拱锓龉ぷ鳎\ufffd"]


def test_a_silent_byte_loss_without_any_marker_is_still_analysed_and_found(monkeypatch) -> None:
    clean = "新疆维吾尔自治区卫生健康委员会组织开展帮扶工作，医疗队深入基层为群众提供诊疗服务。"
    raw = clean.encode("gbk")
    damaged = (raw[:36] + raw[37:]).decode("gbk", errors="ignore")   # no `?`, no U+FFFD
    assert "?" not in damaged and "\ufffd" not in damaged
    spans, analysed = _analysed_chars(monkeypatch, NAMES_PAGE + "\n" + damaged)
    assert analysed > 0
    assert [s.text for s in spans] == ["拱锓龉ぷ鳎"]


@pytest.mark.parametrize("marker", ["\ufffd", "?", ""])
def test_skipped_slices_never_hold_a_span(marker: str) -> None:
    """The skip is an upper bound: on slices of real and synthetically garbled text (markers
    kept, `?`, or silently dropped) a skipped slice has no span in the full analysis."""
    text = _seed("000") + _seed("002") + "".join(CLEAN)
    raw = "".join(CLEAN).encode("gbk")
    garbled = [(raw[:d] + raw[d + 1:]).decode("gbk", errors="replace").replace("\ufffd", marker)
               for d in range(0, len(raw), 7)]
    slices = [text[i:i + n] for n in (40, 130) for i in range(0, len(text), 23)] + garbled
    skipped = [s for s in slices if not mojibake._may_hold_span(s)]
    assert len(skipped) > len(slices) // 10
    assert all(mojibake._analyse(s) == [] for s in skipped)
