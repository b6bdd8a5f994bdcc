"""Which programme a claim reports on: a small taxonomy (data/programmes.csv) assigned from cue words.

Each programme has cue patterns (regular expressions over the text with quotation marks removed, so
医疗人才“组团式”援藏 reads as 医疗人才组团式援藏) and optionally *region cues* that count only when the
claim's recipient region lies in the programme's region (组团式 is Tibet's programme for a claim about
Tibet and Xinjiang's for one about Xinjiang; for Tibet + Xinjiang together it names both, joined with
';' like the regions). A pair of province abbreviations before 协作/合作 (闽宁协作) is an east–west cue.

Cues are read at the claim's clause, then its sentence, paragraph and the whole document (title and
body); the first level with any cue decides. One programme there → it; cues of two programmes that
do not overlap → `unknown` (a tie: never a guess). With no cue anywhere, a claim whose aiding side lies
in another province than its recipient (山东 → 喀什地区) is `interprovincial`, said so in its evidence. When one cue lies inside a longer cue of another
programme, the longer wins (三级医院对口帮扶 over 对口支援). A programme named by its partners is cued
by the pairing in one sentence whichever partner comes first: 三级医院对口帮扶…县级医院 and
县级医院与三级医院建立…帮扶关系 are one programme, but the two kinds of hospital named together without
帮扶 (远程会诊, 进修) are not (decided on a corpus page that wrote the pairing county-first and so got
`unknown`; both ways on new pages in tests/test_attribution_programmes.py). A curated manifest `programme` overrides the
text: a key of this taxonomy, or a legacy key of aidlab.corpus.manifest.PROGRAMMES that the `supersedes`
column maps (downward → downward). The legacy keys xinjiang, tibet, national and other named a region
or nothing, not one programme of this taxonomy: the text decides, and the evidence says so.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from . import regions

UNKNOWN = "unknown"
INTERPROVINCIAL = "interprovincial"
_QUOTES = "“”\"‘’「」『』《》'"
_DROP_QUOTES = str.maketrans("", "", _QUOTES)


@dataclass(frozen=True)
class Programme:
    key: str
    label_en: str
    label_zh: str
    region: str
    cues: re.Pattern | None
    region_cues: re.Pattern | None
    supersedes: tuple[str, ...]
    description: str


def _load() -> dict[str, Programme]:
    out: dict[str, Programme] = {}
    with resources.files("aidlab").joinpath("data/programmes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["key"]] = Programme(
                row["key"], row["label_en"], row["label_zh"], row["region"].strip(),
                re.compile(row["cues"]) if row["cues"] else None,
                re.compile(row["region_cues"]) if row["region_cues"] else None,
                tuple(k for k in row["supersedes"].split(";") if k), row["description"])
    return out


PROGRAMMES: dict[str, Programme] = _load()
LEGACY: dict[str, str] = {old: p.key for p in PROGRAMMES.values() for old in p.supersedes}


def label(key: str, lang: str = "en") -> str:
    """English or Chinese label of a programme key (';'-joined keys give joined labels)."""
    return " + ".join((PROGRAMMES[k].label_zh if lang == "zh" else PROGRAMMES[k].label_en)
                      for k in key.split(";"))


@dataclass(frozen=True)
class Cue:
    """A programme cue in the text: [start, end) in the original text, the words, the programmes it names."""

    start: int
    end: int
    words: str
    keys: tuple[str, ...]
    regional: bool  # True: a region cue, decided by the region named with it, else by the claim's recipient
    region: str = ""  # recipient codes named in the cue's own clause (“组团式”援藏 → 540000)


def find_cues(text: str) -> list[Cue]:
    """Every programme cue of a text, a cue inside a longer cue of another programme dropped."""
    bare = text.translate(_DROP_QUOTES)
    # offsets of the quote-free text in the original: the identity on the many pages without quotes
    keep: Sequence[int] = (range(len(text) + 1) if len(bare) == len(text)
                           else [*(i for i, ch in enumerate(text) if ch not in _QUOTES), len(text)])
    found: list[Cue] = []
    for p in PROGRAMMES.values():
        for pattern, regional in ((p.cues, False), (p.region_cues, True)):
            if pattern is None:
                continue
            for m in pattern.finditer(bare):
                if m.end() > m.start():
                    found.append(Cue(keep[m.start()], keep[m.end() - 1] + 1, m.group(), (p.key,), regional))
    for m in regions._ABBR_PAIR.finditer(bare):
        found.append(Cue(keep[m.start()], keep[m.end() - 1] + 1, m.group() + bare[m.end():m.end() + 2],
                         ("east_west",), False))
    # merge the same span naming several programmes (组团式: Tibet's and Xinjiang's), drop cues inside longer ones
    merged: dict[tuple[int, int], Cue] = {}
    for c in found:
        old = merged.get((c.start, c.end))
        merged[(c.start, c.end)] = c if old is None else Cue(c.start, c.end, c.words, old.keys + c.keys,
                                                             old.regional and c.regional)
    # in order of start, longer first: a cue lies inside a longer one exactly when some cue before it reaches
    # as far (spans are distinct after the merge, so that cue is longer): one pass, not all pairs
    out, reach = [], -1
    for c in sorted(merged.values(), key=lambda c: (c.start, -(c.end - c.start))):
        if c.end > reach:
            out.append(c)
        reach = max(reach, c.end)
    return out


def bind_regions(cues: list[Cue], text: str, mentions: list[regions.Mention]) -> list[Cue]:
    """Give each region cue the recipient regions named in its own clause (“组团式”援藏 → Tibet)."""
    out = []
    for c in cues:
        if c.regional:
            a = max((text.rfind(ch, 0, c.start) for ch in ",，;；。\n"), default=-1) + 1
            ends = [i for i in (text.find(ch, c.end) for ch in ",，;；。\n") if i != -1]
            b = min(ends) if ends else len(text)
            own = regions.join_codes(m.code for m in mentions if m.side == "recipient" and a <= m.start < b)
            if own:
                c = Cue(c.start, c.end, c.words, c.keys, c.regional, own)
        out.append(c)
    return out


def _in_programme(key: str, codes: list[str]) -> bool:
    region = PROGRAMMES[key].region
    return bool(region) and any(regions.within(region, r) for r in codes)


def _cue_keys(cue: Cue, recipient_codes: str) -> tuple[str, ...]:
    """The programmes a cue names for a claim with these recipient codes.

    A region cue names the programmes of the region said with it (组团式援藏 → Tibet's), narrowed to the
    claim's recipient when the claim has one; without a region of its own, the claim's recipient decides.
    """
    if not cue.regional:
        return cue.keys
    recips = [c for c in recipient_codes.split(";") if c]
    if cue.region:
        keys = [k for k in cue.keys if _in_programme(k, cue.region.split(";"))]
        return tuple(k for k in keys if not recips or _in_programme(k, recips))
    return tuple(k for k in cue.keys if _in_programme(k, recips))


def decide(cues: list[Cue], recipient_codes: str) -> tuple[str, str] | None:
    """(programme key, evidence) from the cues of one level; None when the level has no usable cue."""
    named: dict[tuple[str, ...], list[str]] = {}
    for c in cues:
        keys = _cue_keys(c, recipient_codes)
        if keys:
            named.setdefault(tuple(sorted(set(keys))), []).append(c.words)
    if not named:
        return None
    if len(named) == 1:
        keys, words = next(iter(named.items()))
        return ";".join(keys), "、".join(dict.fromkeys(words))
    return UNKNOWN, "tie: " + "; ".join(f"{';'.join(k)} ({'、'.join(dict.fromkeys(w))})" for k, w in named.items())


def curated(value: str) -> tuple[str | None, str]:
    """(programme key or None when the text decides, evidence) of a manifest `programme` value."""
    value = (value or "").strip()
    if not value:
        return None, ""
    if all(k in PROGRAMMES for k in value.split(";")):
        return ";".join(sorted(value.split(";"))), f"manifest programme {value}"
    if value in LEGACY:
        return LEGACY[value], f"manifest programme {value} (legacy key → {LEGACY[value]})"
    from ..corpus.manifest import PROGRAMMES as LEGACY_KEYS

    if value in LEGACY_KEYS:
        return None, f"manifest programme {value} (legacy key naming a region or nothing, not one programme: text decides)"
    return None, f"manifest programme {value!r} names no programme of the taxonomy (text decides)"
