"""Which Chinese script a text is written in, and conversion of Traditional to Simplified with OpenCC.

A character is *Traditional-only* when OpenCC's t2s changes it, *Simplified-only* when s2t changes it.
Their shares decide the script; conversion is done character by character so that every output
character still sits at the offset of the character it came from (the provenance map relies on it).
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

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


def script_counts(text: str) -> tuple[int, int]:
    """Count (Traditional-only, Simplified-only) characters in a text."""
    counts = Counter(ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")
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
    positions that change, or all of them when key and value differ in length. A piece of text with
    none of these characters is left exactly as it is by t2s, so it need not be converted.
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
    """OpenCC t2s, converting only the pieces that can change (same result as `_t2s().convert(text)`).

    OpenCC splits the text at punctuation and white space and converts each piece on its own, so a
    piece without a changeable character (most of a Simplified page) is returned untouched.
    """
    changing = _t2s_changing_chars()
    if changing is None:
        return _t2s().convert(text)
    if changing.isdisjoint(text):
        return text
    conv = _t2s()
    pieces = conv.split_chars_re.split(text)
    for i in range(0, len(pieces), 2):
        if not changing.isdisjoint(pieces[i]):
            pieces[i] = conv._convert(pieces[i], conv._dict_chain_data)
    return "".join(pieces)


def to_simplified(text: str) -> str:
    """Convert Traditional to Simplified, keeping the length so offsets stay valid.

    OpenCC's phrase-aware conversion is used when it preserves the length (it almost always does);
    otherwise the text is converted one character at a time. Pieces of text that t2s cannot change
    (no Traditional character in them) are skipped, with the same result.
    """
    out = _t2s_convert(text)
    if len(out) == len(text):
        return out
    return "".join(to_simplified_char(ch) for ch in text)
