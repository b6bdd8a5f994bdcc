"""Claims: every figure of an article as a typed, interval-valued record traceable to its characters.

One row per mention of a quantity in a cleaned document's headline or body. The extractor reads
Arabic and Chinese numerals with multipliers (万/亿/千), the measure word or unit after them, the
qualifier around them (超过/近/余/多/以上/左右, 上千, 数百 …, read as intervals by `aidlab.claims.intervals`),
the time scope of the sentence, and what is counted (subject phrase and a metric from
`aidlab.claims.taxonomy`).  Every other way reports write a quantity is one claim over the whole written
figure: percent words (百分之三十), tenths (三成), fractions (四分之一), per mille (千分之五), ranges
(5万至6万人次, 3-5名), neighbouring digits (三四十家), 几 (十几名) and digits one by one (一零零名),
each with the reading of its form (see `aidlab.claims.intervals.QUALIFIER_READINGS`).  Extraction never
raises on any text: a number that no documented rule reads (不到0, 0余, 零零) becomes a flagged claim
(reading `unread`, damaged) instead of a guessed value.
Dates, years, clock times, ordinals, names with numerals, formulas, citation marks and numbers
without a unit are not claims. A figure touching a byte lost to mojibake is flagged `damaged` and its
value left unknown, bounded only by what the surviving digits allow.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple, TypedDict

import numpy as np
import pandas as pd

from ..fields import table_columns
from ..text.clean import CleanDocument
from ..text.normalize import Sentence
from .intervals import (
    MAGNITUDE_QUALIFIERS,
    QUALIFIER_POSITIONS,
    Bounds,
    read_written,
)
from .numerals import MAGNITUDES
from .taxonomy import classify

# --- the pattern ------------------------------------------------------------------------------

#: Measure words and units a figure may carry, longest first. 年/月/日/号/时 are read only to
#: recognise dates, years and time scopes, which are not claims.  The multi-character ones were
#: checked against JioNLP's measure-word statistics (jionlp/dictionary/quantifiers_stat.txt) and
#: kept where news about medical aid uses them: counts of visits or trips (人次 台次 例次 批次 架次
#: 辆次 车次 场次 班次 件次 户次 剂次), areas and volumes (平方米 平方公里 平方千米 立方米 公顷),
#: 周年 (an anniversary: without it 70周年 would be read as 70 weeks), 公斤 and 美元.  个小时 stands
#: beside 小时 so that 3个小时 is counted in hours, not in 个.  千克 and 千米 are units, not the
#: multiplier 千 before 克/米 (5千克 is 5 kg).  Minutes (分钟: 分 is a time word) stay out.
UNITS = sorted(["人次", "台次", "例次", "批次", "架次", "辆次", "车次", "场次", "班次", "件次", "户次", "剂次", "平方米", "平方公里", "平方千米", "平米", "立方米", "公顷", "公里", "千米", "千克", "公斤", "美元", "周年", "个月", "个小时", "小时", "个百分点", "万人次", "人", "名", "位", "个", "家", "所", "项", "批", "支", "场", "种", "次", "例", "台", "张", "对", "份", "条", "辆", "轮", "县", "元", "米", "岁", "天", "周", "吨", "件", "套", "间", "座", "处", "期", "户", "篇", "门", "组", "队", "站", "床", "倍", "亩", "%", "‰"], key=len, reverse=True)
UNITS.remove("万人次")
TIME_UNITS = ("年", "月", "日", "号", "时", "点", "分", "秒")
MULTIPLIER_VALUES = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "万": 10**4, "亿": 10**8, "千": 10**3}
PREFIX_QUALIFIERS = sorted((q for q, side in QUALIFIER_POSITIONS.items()
                            if side == "before" and q not in MAGNITUDE_QUALIFIERS), key=len, reverse=True)
SUFFIX_QUALIFIERS = sorted((q for q, side in QUALIFIER_POSITIONS.items() if side == "after" and q not in "余多"),
                           key=len, reverse=True)
_CN = "零〇一二两三四五六七八九十百千万亿"
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_POINT = r"点(?=[零〇一二三四五六七八九])"  # 点 inside a Chinese decimal (七点五); 三点 alone is a clock time
_CN_END = rf"[{_CN}](?:[{_CN}]|{_POINT})*"              # a Chinese number (range ends, percent words)
_CN_RUN = rf"[{_CN}几](?:[{_CN}几]|{_POINT})*"          # any run of numeral characters, 几 included
_CONNECTOR = "[-–—~～〜至到]"
_MULT = "万亿|千万|百万|万|亿|千(?![克米瓦])"

#: 上 and 数 qualify only a bare magnitude word that follows (上千, 数百), and not where they end a
#: word of their own: 以上/之上/线上/网上/马上/晚上/早上/向上 …; 人数/次数/总数/多数/少数/无数 … (多数百姓
#: is "most common people", not "several hundred").
_MAGNITUDE_PREFIXES = (
    r"(?<![以之线网马晚早向身路北南东西])上(?=[十百千万亿])"
    r"|(?<![人次例件总位基参指函系倍岁分点天户名个台床多少无算变常复半整])数(?=[十百千万亿])"
)
_PREFIX = "|".join([*map(re.escape, PREFIX_QUALIFIERS), _MAGNITUDE_PREFIXES])

#: The number of a figure; alternatives in the order tried (the first that matches wins):
#: percent words 百分之三十 / 千分之五 (before the fraction, which would also read them, at a different
#: precision); a fraction 四分之一; an Arabic range 3-5 / 5万至6 / 10%-20 (before a lone Arabic number,
#: which would stop at its first end); a lone Arabic number; a Chinese range 三至五 (before the run,
#: which would stop at 至); any run of numeral characters (两万三千, 三四十, 十几, 一零零), read by
#: aidlab.claims.numerals.read_numeral.
_NUM = (
    rf"[百千]分之(?:{_CN_END}|{_ARABIC})"
    rf"|[零〇一二两三四五六七八九十百千]+分之{_CN_END}"
    rf"|{_ARABIC}(?:{_MULT})?[%‰]?{_CONNECTOR}{_ARABIC}"
    rf"|{_ARABIC}"
    rf"|{_CN_END}{_CONNECTOR}{_CN_END}"
    rf"|{_CN_RUN}"
)
#: 成 (tenths) after a number, except where it starts a word: 一成不变, 成为, 成立, 成功, 成绩 …
_TENTHS = "成(?![为不立功长员绩果就本熟型交品都败语群片事])"

FIGURE = re.compile(
    rf"""
    (?=(?:{_PREFIX})?[?\d{_CN}几])       # fail fast where no figure can start
    (?P<prefix>{_PREFIX})?
    (?P<lost>\?)?
    (?P<num>{_NUM})?
    (?P<q1>余|多)?
    (?P<mult>{_MULT})?
    (?P<q2>余|多)?
    [ ]?
    (?P<unit>/10万|/万|/千|{'|'.join(map(re.escape, UNITS + list(TIME_UNITS)))}|{_TENTHS})?
    (?P<suffix>{'|'.join(map(re.escape, SUFFIX_QUALIFIERS))})?
    """,
    re.VERBOSE,
)
#: A Five-Year Plan's name (十三五, 十四五), a name rather than a figure even before a measure word (十三五期间).
_PLAN_NAME = re.compile("十[一二三四五六七八九]五")

#: Where a clause starts, for reading the words before a figure (、 is kept: lists share a verb).
CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!（(）)\n]")
#: Words stripped from the start of a subject phrase: adverbs and light verbs carry no meaning of their own.
SUBJECT_PREFIX = re.compile(r"^(?:其中|同时|目前|截至目前|此外|另外|共计|共|累计|先后|已经|已|还|并|再次|分别|均|总|计|达到|达|为|有|开展|实施|完成|提供|建立|组织|投入|新建|帮助)+")
#: The noun after a figure's unit ends at a verb-like or linking character.
OBJECT_STOP = re.compile(r"[赴到在对为进开和与及向从于以、，,。；;：:！？!（(”\"\n不]|分别|支援|组团|前往|参与|实施|送|帮扶|来|提供")

SCOPE = re.compile(
    r"截至(?:目前|今年|去年|\d{4}年(?:\d{1,2}月)?(?:底|末)?)"
    r"|(?<![较比与同])\d{4}年(?:\d{1,2}月)?(?:上半年|下半年)?(?:以来|来)"
    r"|(?:近|过去)?[\d一二两三四五六七八九十]+年多?(?:来|以来|间)"
    r"|近[\d一二两三四五六七八九十]+年"
    r"|(?:去年|今年|前年)(?:以来)?"
    r"|(?<![较比与同\d])\d{4}年(?:\d{1,2}月)?(?!\d)"
)


class Claim(TypedDict):
    """One reported figure as a plain record (a dict keyed by CLAIM_COLUMNS, cheap to build, check and send
    between processes). Offsets: clean_* index the clean article text, raw_* the raw page."""

    doc_id: str
    claim_id: str
    text: str
    number: str
    multiplier: int
    value: float
    low: float
    high: float
    low_inclusive: bool
    high_inclusive: bool
    unit: str
    qualifier: str
    reading: str
    metric: str
    subject: str
    scope: str
    damaged: bool
    section: str
    sentence: str
    sentence_no: int
    clean_start: int
    clean_end: int
    raw_start: int
    raw_end: int
    raw_text: str


CLAIM_COLUMNS: dict[str, str] = table_columns([
    "doc_id", "claim_id", "text", "number", "multiplier", "value", "low", "high", "low_inclusive", "high_inclusive",
    "unit", "qualifier", "reading", "metric", "subject", "scope", "damaged", "section", "sentence", "sentence_no",
    "clean_start", "clean_end", "raw_start", "raw_end", "raw_text"
])


# --- helpers ----------------------------------------------------------------------------------

def _to_float(x: Decimal | Fraction | None, default: float) -> float:
    return default if x is None else float(x)


def _subject_and_contexts(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(subject phrase, words after the figure to the clause end, words before it) of a figure at text[start:end]."""
    clause_start = 0
    for m in CLAUSE_BREAK.finditer(text, max(0, start - 40), start):
        clause_start = m.end()
    before = SCOPE.sub("", text[max(clause_start, start - 40):start]).strip()
    previous = list(_FIGURE_END.finditer(before))
    if previous:  # after an earlier figure (省级40人次、市级…) the words start behind it
        before = before[previous[-1].end():].lstrip("、，, ")
    stripped = SUBJECT_PREFIX.sub("", before)
    before = (stripped or before)[-16:]
    brk = CLAUSE_BREAK.search(text, end)
    after_clause = text[end:brk.start() if brk else len(text)][:60]
    after_text = after_clause.lstrip("“")[:14]
    stop = OBJECT_STOP.search(after_text)
    obj = (after_text[:stop.start()] if stop else after_text[:8]).strip()
    if obj and not re.match(r"[\u4e00-\u9fff]", obj):
        obj = ""
    return (obj or before), after_clause, before


def _scope_phrases(sentence: Sentence) -> list[tuple[int, str]]:
    """(clean offset, words) of every time-scope phrase of a sentence (found once per sentence)."""
    return [(m.start() + sentence.start, m.group()) for m in SCOPE.finditer(sentence.text)]


def _scope(found: list[tuple[int, str]], start: int) -> str:
    """The time scope of a figure at clean offset `start`: nearest scope phrase before it in its sentence, else the first one."""
    before = [g for s, g in found if s < start]
    if before:
        return before[-1]
    return found[0][1] if found else ""


def _is_not_a_claim(text: str, m: re.Match, unit: str) -> bool:
    """True for dates, ordinals, names, formulas, citations, indefinite 一/几 and unitless numbers.

    `unit` is the figure's unit as extraction reads it (% for 百分之三十, which writes no unit sign).
    """
    num, lost = m.group("num"), m.group("lost")
    start, end = m.start("num") if num else m.start("lost"), m.end()
    before = text[max(0, start - 1):start]
    after = text[end:end + 1]
    if not num and not lost:
        return True
    if lost and not num and not unit:
        return True
    if (m.group("unit") or "") in TIME_UNITS:
        return True  # dates, years, clock times, time scopes
    if before == "第" or (m.start() > 0 and text[m.start() - 1] == "第"):
        return True  # ordinal
    if (before and before in "+＋×*/") or (after and after in "+＋×*"):
        return True  # formula such as 1+1, 1+7+13
    if (before, after) in (("[", "]"), ("【", "】")):
        return True  # citation mark
    if before and (before.isascii() and before.isalnum() or before in "-_.@#"):
        return True  # part of a code, phone, address or registration number
    if after and after.isascii() and after.isalnum() and not unit:
        return True
    if num and not num[0].isdigit():
        if num in ("一", "几") or (num in ("十", "百") and not unit):
            return True  # indefinite 一/几 (一批, 几个 …) is an article, not a count
        if _PLAN_NAME.fullmatch(num):
            return True  # 十三五期间: the plan's name
        if start >= 2 and text[start - 1] == "上" and text[start - 2] in "百千万":
            return True  # 成百上千, 成千上万: an idiom for "very many", no figure
        quote_open = text.rfind("“", 0, start)
        quote_close = text.find("”", start)
        if quote_open != -1 and quote_open == start - 1 and quote_close != -1 and quote_close - start <= 8:
            return True  # a name in quotes: “两个允许”
    # a bare number: a code, a counter, a name (120指挥中心)
    return not unit and not m.group("mult") and not m.group("prefix") and not lost


_FIGURE_END = re.compile(rf"\d+(?:\.\d+)?[万亿千]?(?:{'|'.join(map(re.escape, UNITS))})")
_UNIT_AT_END = re.compile(rf"(?:{'|'.join(map(re.escape, UNITS))})$")


_PLAIN_ARABIC = re.compile(_ARABIC)


def _damaged_bounds(num: str | None, mult: int) -> Bounds:
    """Exact bounds of a number whose leading digit was lost: that digit is 1–9 (one lost byte = one digit).

    A Chinese numeral or no number at all next to the lost byte stands for that one digit (1–9,
    times the multiplier); a damaged figure that is not a plain Arabic number (a range such as ?-5)
    is bounded by nothing but zero: [0, +inf).
    """
    if not num or not num[0].isdigit():
        return Bounds(Decimal(mult), Decimal(9 * mult), True, True)
    if not _PLAIN_ARABIC.fullmatch(num):
        return Bounds(Decimal(0), None, True, False)
    digits = num.replace(",", "")
    place = 10 ** len(digits.split(".")[0])
    rest = Fraction(Decimal(digits))
    return Bounds((place + rest) * mult, (9 * place + rest) * mult, True, True)


# --- extraction -------------------------------------------------------------------------------

class _Reading(NamedTuple):
    """A figure's value and [low, high] as extraction reads them, with the reading and whether it is damaged."""

    value: float
    low: float
    high: float
    low_inclusive: bool
    high_inclusive: bool
    reading: str
    damaged: bool


def _figure_match(text: str, found: re.Match[str], corrupt: np.ndarray) -> re.Match[str] | None:
    """The figure a FIGURE match stands for, re-matched where a part of it is no part of the figure; None for none.

    A `?` outside any corrupt span is punctuation, not a lost byte; 上/数 before anything but a bare
    magnitude is no qualifier; a bare 万/亿 is a figure only after a qualifier (近万, 上亿).
    """
    m: re.Match[str] | None = found
    if found.group("lost") and not corrupt[found.start("lost")]:
        # a `?` outside any corrupt span is punctuation (a genuine question), not a lost byte
        m = FIGURE.match(text, found.start("num")) if found.group("num") else None
    if m is not None and m.group("num") and m.group("prefix") in MAGNITUDE_QUALIFIERS \
            and m.group("num") not in MAGNITUDES:
        m = FIGURE.match(text, m.start("num"))  # 上/数 before anything but a bare magnitude: no qualifier
    if m is None:
        return None
    num = m.group("num")
    if not (num or m.group("lost")):
        return None
    if num and num[0] in "万亿" and not (m.group("prefix") or ""):
        return None  # 万一, 万里, 亿万: a bare 万/亿 is a figure only after a qualifier (近万, 上亿)
    return m


def _written_unit(m: re.Match[str]) -> tuple[str, bool] | None:
    """(unit, whether the figure counts in tenths 成) of a figure as written; None when 成 starts a word (3万成为)."""
    num = m.group("num")
    unit = m.group("unit") or ""
    tenths = unit == "成"
    if tenths:
        if m.group("mult"):
            return None  # 3万成为 …: 成 after a multiplier starts a word
        unit = "%"
    elif num and num.startswith("千分之"):
        unit = "‰"
    elif num and "分之" in num:
        unit = "%"
    return unit, tenths


def _qualifier(m: re.Match[str]) -> str:
    """The qualifier of a figure: the leading word when there is one (it governs), else the inner or trailing one."""
    prefix = m.group("prefix") or ""
    q_inner = m.group("q1") or m.group("q2") or ""
    suffix = m.group("suffix") or ""
    if prefix:
        return prefix  # the leading word governs; the rest stays visible in `text`
    return q_inner or suffix


def _read_claim(num: str | None, multiplier: int, qualifier: str, unit: str, tenths: bool,
                damaged: bool) -> _Reading:
    """Value and bounds of a figure: read by its form and qualifier, or flagged damaged/unread, never guessed."""
    if not damaged:
        assert num is not None  # a figure without a number has a lost byte, so is damaged
        try:
            exact, bounds, reading = read_written(num.replace(",", ""), multiplier, qualifier or None,
                                                 exact_integer=_exact_count(num, unit))
        except (ValueError, ArithmeticError):
            # no documented rule reads it: flagged, never guessed
            return _Reading(math.nan, 0.0, math.inf, True, False, "unread", True)
        if tenths and reading == "point":
            reading = "tenths"
        return _Reading(float(exact), _to_float(bounds.low, 0.0), _to_float(bounds.high, math.inf),
                        bounds.low_inclusive, bounds.high_inclusive, reading, False)
    lost_bounds = _damaged_bounds(num, multiplier)
    return _Reading(math.nan, _to_float(lost_bounds.low, 0.0), _to_float(lost_bounds.high, math.inf),
                    lost_bounds.low_inclusive, lost_bounds.high_inclusive, "damaged", True)


def _unit_before(text: str, start: int) -> str | None:
    """The unit written just before a figure that has none after it (人次达到206), or None."""
    words_before = text[max(0, start - 8):start]
    found = _UNIT_AT_END.search(words_before.rstrip("超过逾近约达到为共计"))
    return found.group() if found else None


#: Claim columns with a fixed numeric or boolean type (the rest are text).
_COLUMN_DTYPES = {"value": "float64", "low": "float64", "high": "float64", "multiplier": "int64",
                  "damaged": "bool", "low_inclusive": "bool", "high_inclusive": "bool"}


def claim_records(doc: CleanDocument) -> list[Claim]:
    """Every figure of one cleaned document (headline and body) as claim records, in text order.

    The per-page path of the pipeline stays on these records (attribution and the within-page checks
    take them as they are); a DataFrame is built once per chunk of pages (`claims_frame`), not per page.
    """
    text = doc.text.text
    damaged = doc.damaged_mask()
    corrupt = doc.corrupt_mask()
    sentences = doc.sentences
    sentence_starts = np.array([s.start for s in sentences] or [0])
    rows: list[Claim] = []
    doc_id = doc.doc_id
    scopes: dict[int, list[tuple[int, str]]] = {}
    for found_match in FIGURE.finditer(text):
        m = _figure_match(text, found_match, corrupt)
        if m is None:
            continue
        written = _written_unit(m)
        if written is None:
            continue
        unit, tenths = written
        if _is_not_a_claim(text, m, unit):
            continue
        num = m.group("num")
        start, end = m.start(), m.end()
        mult_word = m.group("mult") or ""
        if mult_word == "千" and (not num or not num[0].isdigit()):
            continue  # 千 after a Chinese numeral is already part of the numeral
        multiplier = MULTIPLIER_VALUES.get(mult_word, 1) * (10 if tenths else 1)
        qualifier = _qualifier(m)
        is_damaged = bool(m.group("lost")) or bool(damaged[start:end].any())
        if not unit:
            unit = _unit_before(text, start) or ""
            if not unit and not is_damaged:
                continue  # a bare number is no figure; a damaged one is kept so it is never lost silently
        r = _read_claim(num, multiplier, qualifier, unit, tenths, is_damaged)
        raw_start, raw_end = doc.text.raw_span(start, end)
        subject, after_clause, before = _subject_and_contexts(text, start, end)
        sentence_no = int(np.searchsorted(sentence_starts, start, side="right") - 1) if sentences else 0
        sentence = sentences[sentence_no] if sentences else Sentence(0, len(text), text)
        if sentence_no not in scopes:
            scopes[sentence_no] = _scope_phrases(sentence)
        rows.append(Claim(
            doc_id=doc_id, claim_id=f"{doc_id}#{len(rows) + 1}", text=text[start:end], number=num or "", multiplier=multiplier,
            value=r.value, low=r.low, high=r.high, low_inclusive=r.low_inclusive, high_inclusive=r.high_inclusive,
            unit=unit, qualifier=qualifier, reading=r.reading,
            metric=classify(unit, after_clause, before), subject=subject, scope=_scope(scopes[sentence_no], start),
            damaged=r.damaged, section="headline" if start < doc.headline_end else "body",
            sentence=sentence.text, sentence_no=sentence_no, clean_start=start, clean_end=end,
            raw_start=raw_start, raw_end=raw_end, raw_text=doc.raw[raw_start:raw_end],
        ))
    return rows


def claims_frame(records: Sequence[Mapping], columns: Iterable[str] = CLAIM_COLUMNS) -> pd.DataFrame:
    """Claim records (of one page or many) as a claims DataFrame with the given columns.

    Built column by column (no astype pass: pandas infers the same str columns from the values, and the
    numeric and boolean ones get their fixed dtype), so an empty list still gives the typed columns.
    """
    columns = list(columns)
    data: dict[str, object] = {c: [r[c] for r in records] for c in columns}
    for column, dtype in _COLUMN_DTYPES.items():
        if column in data:
            data[column] = np.asarray(data[column], dtype=dtype)
    return pd.DataFrame(data, columns=columns)


def extract_claims(doc: CleanDocument) -> pd.DataFrame:
    """Every figure of one cleaned document (headline and body) as a claims DataFrame (CLAIM_COLUMNS)."""
    return claims_frame(claim_records(doc))


def claim_bounds(row) -> Bounds:
    """Exact bounds of one claim row (recomputed from the number as written, so no float decides a verdict)."""
    if row["damaged"]:
        if row["reading"] == "unread":
            return Bounds(Decimal(0), None, True, False)
        return _damaged_bounds(row["number"], int(row["multiplier"]))
    return written_bounds(row["number"], int(row["multiplier"]), row["unit"], row["qualifier"])


def _exact_count(number: str, unit: str) -> bool:
    """Whether a figure is a whole count, exact as written (206名), rather than a share or a decimal."""
    return unit not in ("%", "‰", "倍") and "." not in number and "点" not in number


def written_bounds(number: str, multiplier: int, unit: str, qualifier: str) -> Bounds:
    """Exact bounds of a figure as written: a whole count is exact, shares and decimals stand for their precision.

    `number` is any written form `aidlab.claims.intervals.read_written` reads (206, 51.4, 两千, 百分之三十, 5至6, 三四十 …).
    """
    return read_written(number.replace(",", ""), multiplier, qualifier or None, exact_integer=_exact_count(number, unit))[1]
