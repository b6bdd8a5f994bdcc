"""Which Chinese script a text is written in, and conversion of Traditional to Simplified with OpenCC.

A character is *Traditional-only* when OpenCC's t2s changes it, *Simplified-only* when s2t changes it.
Their shares decide the script; conversion is done character by character so that every output
character still sits at the offset of the character it came from (the provenance map relies on it).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import opencc

#: Share of script-specific characters a script needs to be called that script (else "mixed").
DOMINANCE = 0.9
#: Fewer script-specific characters than this and the script is "undetermined".
MIN_EVIDENCE = 5

SCRIPTS = {
    "simplified": "Simplified Chinese characters dominate (≥90% of script-specific characters).",
    "traditional": "Traditional Chinese characters dominate (≥90% of script-specific characters).",
    "mixed": "Both scripts present, neither reaching 90% of script-specific characters.",
    "undetermined": f"Fewer than {MIN_EVIDENCE} characters that differ between the scripts.",
}
#: The characters whose script is counted: CJK unified ideographs (with extension A) and compatibility ideographs.
_SCRIPT_CHAR = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@lru_cache(maxsize=65536)
def to_simplified_char(ch: str) -> str:
    """Simplified form of one character (itself when it has none or is not Chinese)."""
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


@lru_cache(maxsize=65536)
def _is_traditional_only(ch: str) -> bool:
    return to_simplified_char(ch) != ch


@lru_cache(maxsize=65536)
def _is_simplified_only(ch: str) -> bool:
    out = _s2t().convert(ch)
    return len(out) == 1 and out != ch


@dataclass(frozen=True)
class _Tables:
    """One OpenCC conversion read off its dictionaries, for conversion at C speed with the same result.

    OpenCC (this implementation) converts a piece of text between separators in two passes: phrase
    entries first, always the longest match anywhere in the piece and the leftmost among equally long
    ones, then each character left over through the character dictionary. `_convert_with` does the
    same with dictionary look-ups at the few places a phrase can start and one translation of the rest
    (`str.translate`, or a numpy code-point array for a long text).
    """

    phrases: dict[str, str]  # phrase keys (two or more characters) → first value
    longest: int  # the longest phrase key
    heads: frozenset[str]  # the first two characters of every phrase key
    first: re.Pattern[str]  # a character some phrase key starts with
    chars: dict[int, str]  # the character dictionary as a str.translate table (first values)
    codes: np.ndarray | None  # the same as code point → code point (None when a value is not one character)


def _first_values(table: dict[str, str], separators: re.Pattern[str]) -> dict[str, str] | None:
    """key → first value; keys holding a separator are left out (OpenCC never sees one inside a piece).

    None when a first value is empty: OpenCC takes that for "no match", which the tables do not copy.
    """
    out = {k: v.split(" ")[0] for k, v in table.items() if not separators.search(k)}
    return out if all(out.values()) else None


def _dictionaries(conversion: str) -> tuple[dict[str, str], dict[str, str], re.Pattern[str]] | None:
    """(phrase dictionary, character dictionary, separators) of OpenCC's `conversion` ("t2s" or "s2t");
    None when its dictionaries are not the one group of a phrase and a character dictionary this module
    knows how to read (then OpenCC itself runs)."""
    conv = _t2s() if conversion == "t2s" else _s2t()
    conv.convert("")  # loads the dictionaries
    try:
        [[(_, phrase_min, phrase_table), (char_max, char_min, char_table)]] = conv._dict_chain_data
        separators = conv.split_chars_re
    except (AttributeError, TypeError, ValueError):  # another OpenCC implementation or configuration
        return None
    if phrase_min < 2 or (char_max, char_min) != (1, 1):
        return None
    return phrase_table, char_table, separators


@lru_cache(maxsize=2)
def _tables(conversion: str) -> _Tables | None:
    """The tables of OpenCC's `conversion` ("t2s" or "s2t"); None when they cannot be read."""
    found = _dictionaries(conversion)
    if found is None:
        return None
    phrases = _first_values(found[0], found[2])
    chars = _first_values(found[1], found[2])
    if phrases is None or chars is None:
        return None
    starts = sorted({k[0] for k in phrases}) or [" "]  # a class must hold a character; no key holds a space
    return _Tables(phrases, max(map(len, phrases), default=0), frozenset(k[:2] for k in phrases),
                   re.compile("[" + "".join(map(re.escape, starts)) + "]"),
                   {ord(k): v for k, v in chars.items()}, _code_table(chars))


def _code_table(chars: dict[str, str]) -> np.ndarray | None:
    """A character dictionary as an array: entry c is the code point character c becomes (c itself when
    it is not a key); None when some value is not one character (then str.translate is used)."""
    if not chars or any(len(v) != 1 for v in chars.values()):
        return None
    table = np.arange(max(map(ord, chars)) + 1, dtype=np.uint32)
    table[[ord(k) for k in chars]] = [ord(v) for v in chars.values()]
    return table


def _phrase_matches(text: str, tables: _Tables) -> list[tuple[int, int, str]]:
    """(start, end, value) of the phrase entries OpenCC applies, in text order.

    OpenCC takes the longest match in a piece (leftmost among equals) and repeats on the text left and
    right of it: the same as taking every match in order of length, then position, skipping those that
    overlap one already taken. Phrase keys hold no separator, so the whole text can be read at once.
    """
    found = []
    for m in tables.first.finditer(text):
        i = m.start()
        if text[i:i + 2] not in tables.heads:  # no phrase key starts with these two characters (most places)
            continue
        for n in range(2, min(tables.longest, len(text) - i) + 1):
            value = tables.phrases.get(text[i:i + n])
            if value is not None:
                found.append((-n, i, value))
    taken: list[tuple[int, int, str]] = []
    covered: set[int] = set()
    for neg_n, i, value in sorted(found):
        span = range(i, i - neg_n)
        if covered.isdisjoint(span):
            covered.update(span)
            taken.append((i, i - neg_n, value))
    return sorted(taken)


def _convert_with(tables: _Tables, text: str) -> str:
    """OpenCC's conversion of text from its tables: phrase entries where OpenCC applies them, the
    character dictionary everywhere else (separators are in neither table, so they stay)."""
    out: list[str] = []
    pos = 0
    for start, end, value in _phrase_matches(text, tables):
        out += (text[pos:start], value)
        pos = end
    out.append(text[pos:])
    if len(out) == 1:
        return _translate(text, tables)
    return "".join(_translate(piece, tables) if k % 2 == 0 else piece for k, piece in enumerate(out))


#: From this length on a text is mapped through the code-point array (numpy), below it with str.translate
#: (which looks up every character in a dict: 12 µs for 300 characters against 4 µs, 4 µs against 3 for 100).
_ARRAY_FROM = 128


def _translate(text: str, tables: _Tables) -> str:
    """`text.translate(tables.chars)`, through the code-point array when the text is long enough."""
    table = tables.codes
    if table is None or len(text) < _ARRAY_FROM:
        return text.translate(tables.chars)
    try:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    except UnicodeEncodeError:  # a lone surrogate: not encodable, translate copes
        return text.translate(tables.chars)
    mapped = np.where(codes < len(table), table[np.minimum(codes, len(table) - 1)], codes)
    return mapped.astype("<u4").tobytes().decode("utf-32-le")


@lru_cache(maxsize=1)
def _script_patterns() -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """Regexes of one Traditional-only and one Simplified-only character among those script_counts reads.

    A single character is converted by the character dictionary alone (phrase keys are longer), so the
    characters are those it maps to one other character: the same as `_is_traditional_only` and
    `_is_simplified_only`. None when the tables cannot be read.
    """
    patterns = []
    for conversion in ("t2s", "s2t"):  # the character dictionaries only (s2t's 49 000 phrases are not needed)
        found = _dictionaries(conversion)
        table = _first_values(found[1], found[2]) if found is not None else None
        if table is None:
            return None
        chars = sorted(k for k, v in table.items() if len(v) == 1 and v != k and _SCRIPT_CHAR.match(k))
        patterns.append(re.compile("[" + "".join(map(re.escape, chars or [" "])) + "]"))
    return patterns[0], patterns[1]


def script_counts(text: str) -> tuple[int, int]:
    """Count (Traditional-only, Simplified-only) characters in a text."""
    patterns = _script_patterns()
    if patterns is not None:  # two regex scans instead of a Python loop over every character
        return len(patterns[0].findall(text)), len(patterns[1].findall(text))
    counts = Counter(_SCRIPT_CHAR.findall(text))
    trad = sum(n for ch, n in counts.items() if _is_traditional_only(ch))
    simp = sum(n for ch, n in counts.items() if _is_simplified_only(ch))
    return trad, simp


@lru_cache(maxsize=8)
def detect_script(text: str) -> str:
    """Classify a text as simplified, traditional, mixed or undetermined (keys of SCRIPTS)."""
    trad, simp = script_counts(text)
    total = trad + simp
    if total < MIN_EVIDENCE:
        return "undetermined"
    if trad / total >= DOMINANCE:
        return "traditional"
    if simp / total >= DOMINANCE:
        return "simplified"
    return "mixed"


@lru_cache(maxsize=1)
def _t2s_changing_chars() -> frozenset[str] | None:
    """Every character OpenCC's t2s can change in some context (None when its tables cannot be read).

    For each dictionary entry whose (first) value differs from its key: the key's characters at the
    positions that change, or all of them when key and value differ in length. A text with none of
    these characters is left exactly as it is by t2s, so it need not be converted.
    """
    conv = _t2s()
    conv.convert("")  # loads the dictionaries
    changing: set[str] = set()
    try:
        for group in conv._dict_chain_data:
            for _max, _min, table in group:
                for key, value in table.items():
                    value = value.split(" ")[0]
                    if key == value:
                        continue
                    if len(key) == len(value):
                        changing.update(a for a, b in zip(key, value) if a != b)
                    else:
                        changing.update(key)
    except (AttributeError, TypeError, ValueError):  # another OpenCC implementation: convert everything
        return None
    return frozenset(changing)


def _t2s_convert(text: str) -> str:
    """OpenCC t2s with the same result as `_t2s().convert(text)`, at C speed where possible.

    A text without a changeable character (most Simplified pages) is returned untouched; otherwise it
    is converted from OpenCC's own tables (`_Tables`), or by OpenCC when they cannot be read.
    """
    changing = _t2s_changing_chars()
    if changing is not None and changing.isdisjoint(text):
        return text
    tables = _tables("t2s")
    if tables is None:
        return _t2s().convert(text)
    return _convert_with(tables, text)


def to_simplified(text: str) -> str:
    """Convert Traditional to Simplified, keeping the length so offsets stay valid.

    OpenCC's phrase-aware conversion is used when it preserves the length (it almost always does);
    otherwise the text is converted one character at a time. A text t2s cannot change (no Traditional
    character in it) is returned as it is, and the rest is converted from OpenCC's tables, with the same result.
    """
    out = _t2s_convert(text)
    if len(out) == len(text):
        return out
    return "".join(to_simplified_char(ch) for ch in text)
