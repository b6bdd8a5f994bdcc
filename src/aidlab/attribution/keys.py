"""What: the quantity key that makes two figures comparable, and the unit family it rests on.

quantity_key = programme | recipient codes | aiding codes | metric | unit family | scope, where scope
is batch:N for one batch, period:start..end for a closed period, annual:YYYY for one year, cumulative
for a figure that holds at a date (a running total, 累计/以来, and a count at a date, 截至2018年底: the
same question asked at different dates, so ordered by as_of; scope_kind keeps which), and unknown for
a figure without time words. 名/人/位 count persons, 人次 visits of persons: different families, so never compared. 家/所 of
institutions carry their side: hospitals that send (派出医院, 支援医院, 来自184家医院, 963家三级医院, and
hospitals that are the subject of a verb of sending in their clause: 全国203家医院累计选派…) are
`institutions_sending`, hospitals that receive (受援医院, 1180家县级医院, 帮扶…家, 向120家医院选派…,
…家医院接收…) `institutions_recipient`, and `institutions` when the words do not say. One rule for
every page: two reports of one programme, one writing 来自184家医院的…人才 and the other 203家医院累计选派
…人才, count the same sending hospitals (decided on the corpus pages that wrote it both ways; both
ways on new pages in tests/test_attribution_keys.py).
"""
from __future__ import annotations

import re

UNIT_FAMILIES: dict[str, str] = {
    **dict.fromkeys(["名", "人", "位"], "persons"),
    "人次": "person_visits",
    **dict.fromkeys(["家", "所"], "institutions"),
    **dict.fromkeys(["台次", "台", "例", "例次"], "procedures"),
    "次": "times",
    **dict.fromkeys(["%", "‰"], "percent"),
    "个百分点": "percentage_points",
    "元": "money",
    "项": "items",
    "个": "units",
    "种": "kinds",
    "批": "batches",
    "支": "teams",
    "张": "beds_or_sheets",
    "倍": "multiple",
    **dict.fromkeys(["/10万", "/万", "/千"], "rate_per_population"),
}

#: Words of the institution's side, read in the noun after the figure first, then just before it.
_SENDING_NOUN = re.compile(r"^(?:[^,，。;；]{0,6}?)(?:三级医院|三甲医院|派出医院|支援医院|援派医院|后方医院|支援单位|派出单位|援助医院|牵头医院)")
_RECIPIENT_NOUN = re.compile(r"^(?:[^,，。;；]{0,6}?)(?:受援医院|受援单位|县级医院|县医院|县人民医院|乡镇卫生院|卫生院|卫生室|基层医疗|贫困县医院|受援)")
#: The institutions as the subject of a verb of sending in their clause (全国203家医院累计选派…人才):
#: they are the sending side, unless the figure stands after 向/为/给/到/赴 (向120家医院选派专家: the
#: hospitals are where the experts go) or the verb is one of receiving (接收, 接受: the recipient side).
_SENDING_VERB_AFTER = re.compile(r"^(?:[^,，。;；]{0,8}?)(?:选派|派出|派遣|组派|援派|输送|派驻)")
_RECEIVING_VERB_AFTER = re.compile(r"^(?:[^,，。;；]{0,8}?)(?:接收|接受|接纳)")
_TOWARDS_BEFORE = re.compile(r"(?:向|为|给|到|赴)[^,，。;；]{0,4}$")
_SENDING_BEFORE = re.compile(r"(?:来自|派出|选派|组派|动员|依托|由)[^,，。;；]{0,6}$")
_RECIPIENT_BEFORE = re.compile(r"(?:帮扶|支援|援助|对口帮扶|对口支援|覆盖|托管|受援|结对)[^,，。;；]{0,6}$")


def unit_family(unit: str, after: str = "", before: str = "") -> str:
    """The unit family of a figure; institutions get their side from the words after and before it."""
    family = UNIT_FAMILIES.get(unit, unit or "none")
    if family != "institutions":
        return family
    if _SENDING_NOUN.match(after):
        return "institutions_sending"
    if _RECIPIENT_NOUN.match(after):
        return "institutions_recipient"
    if _SENDING_VERB_AFTER.match(after):
        return "institutions_recipient" if _TOWARDS_BEFORE.search(before) else "institutions_sending"
    if _RECEIVING_VERB_AFTER.match(after):
        return "institutions_recipient"
    if _SENDING_BEFORE.search(before):
        return "institutions_sending"
    if _RECIPIENT_BEFORE.search(before):
        return "institutions_recipient"
    return "institutions"


def scope_part(scope_kind: str, batch: str, period_start: str, as_of: str) -> str:
    """The scope part of a quantity key: batch:N, period:start..end, annual:YYYY, or the scope kind."""
    if scope_kind == "batch" and batch:
        return f"batch:{batch}"
    if scope_kind == "period" and period_start and as_of:
        return f"period:{period_start}..{as_of}"
    if scope_kind == "annual" and period_start:
        return f"annual:{period_start[:4]}"
    if scope_kind in ("cumulative", "point"):
        return "cumulative"  # 截至2018年底 1180家 and 累计1172家 in a later report answer one question
    return scope_kind


def quantity_key(programme: str, recipient_code: str, aiding_code: str, metric: str, family: str,
                 scope: str) -> str:
    """The key under which figures are the same quantity (only figures sharing it are ever compared)."""
    return f"{programme}|{recipient_code}|{aiding_code}|{metric}|{family}|{scope}"


KEY_PARTS = ("programme", "recipient_code", "aiding_code", "metric", "unit_family", "scope")


def key_parts(key: str) -> dict[str, str]:
    """The six parts of a quantity key by name."""
    return dict(zip(KEY_PARTS, key.split("|")))


def key_contains(whole: str, part: str) -> bool:
    """True when quantity `part` is a part of quantity `whole` (e.g. Tibet-only within Tibet + Xinjiang).

    Same metric, unit family and scope; the part's programmes are among the whole's; its recipient
    regions lie within the whole's (division codes); its aiding side is the whole's, lies within it, or
    the whole names none (a national total includes every province's share). Equal keys do not count:
    a quantity is not a part of itself.
    """
    from .regions import region_contains

    if whole == part:
        return False
    w, p = key_parts(whole), key_parts(part)
    if len(w) != len(KEY_PARTS) or len(p) != len(KEY_PARTS):
        return False
    if any(w[k] != p[k] for k in ("metric", "unit_family", "scope")):
        return False
    if not set(p["programme"].split(";")) <= set(w["programme"].split(";")):
        return False
    if not region_contains(w["recipient_code"], p["recipient_code"]):
        return False
    return not w["aiding_code"] or w["aiding_code"] == p["aiding_code"] or \
        region_contains(w["aiding_code"], p["aiding_code"])
