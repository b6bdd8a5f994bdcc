"""Normalisation that number extraction needs, as edits that keep provenance, and sentence splitting.

- full-width digits, Latin letters and number signs (０-９ ％ ． ＋ － ，between digits) → ASCII;
- zero-width characters and BOMs inside the text → removed;
- stray spaces between a number and its % sign (`137.4 %`) and inside digit groups (`1 040`) → removed
  (a space between a date and a time is kept);
- no-break, ideographic and other Unicode spaces → ordinary spaces; CR/LF variants → LF.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .textmap import Edit, TrackedText

_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({"％": "%", "‰": "‰", "＋": "+", "－": "-", "＝": "=", "／": "/", "．": "."})
_SPACES = {ch: " " for ch in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"}
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

CHAR_MAP: dict[str, str] = {**_FULLWIDTH, **_SPACES, "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\u0085": "\n"}
#: One character CHAR_MAP maps (each one replaced on its own, as str.translate would).
_MAPPED = re.compile("[" + "".join(map(re.escape, sorted(CHAR_MAP))) + "]")

_ZW = re.compile(f"[{_ZERO_WIDTH}]")
_CRLF = re.compile("\r\n")
# The three patterns below start with a character they consume (a digit, a comma), not with a look-behind:
# the regex engine then skips in C to the next such character instead of trying every position.
#: a space before a % / ‰ sign (`137.4 %`): group 1, after the digit
_PERCENT_SPACE = re.compile(r"\d( +)(?=[%‰])")
#: digits grouped in threes by spaces (`1 040`, `12 345 678`), not preceded by a digit, '.', ':', '-' or '/'
#: (checked over the first digit); dates and times (`2024-06-02 17:26`) are not
_GROUPED = re.compile(r"\d(?<![\d.:\-/]\d)\d{0,2}(?: \d{3})+(?![\d:\-/])")
#: a comma (ASCII or full-width) used as a thousands separator: digit, comma, exactly three digits
_THOUSANDS = re.compile(r"[，,](?<=\d[，,])(?=\d{3}(?!\d))")


def normalize(t: TrackedText) -> TrackedText:
    """Apply the normalisations above, keeping provenance (deletions drop characters, mappings keep them)."""
    t = t.apply(Edit(m.start(), m.start() + 1, "") for m in _CRLF.finditer(t.text))  # keep the \n of \r\n
    t = t.map_same_length(_map_chars)
    t = t.apply(Edit(m.start(), m.end(), "") for m in _ZW.finditer(t.text))
    t = t.apply(Edit(m.start(1), m.end(1), "") for m in _PERCENT_SPACE.finditer(t.text))
    t = t.apply(Edit(m.start() + i, m.start() + i + 1, "") for m in _GROUPED.finditer(t.text)
                for i, ch in enumerate(m.group()) if ch == " ")
    t = t.apply(Edit(m.start(), m.end(), ",") for m in _THOUSANDS.finditer(t.text))
    return t


def _map_chars(s: str) -> str:
    """s with every CHAR_MAP character replaced: the same as ``s.translate(CHAR_MAP)``, but a regex finds
    the few such characters of a page in C, where translate looked up every character in a dict."""
    return _MAPPED.sub(_mapped, s)


def _mapped(m: re.Match[str]) -> str:
    return CHAR_MAP[m.group()]


@dataclass(frozen=True)
class Sentence:
    """A sentence of a clean text: [start, end) offsets and its text."""

    start: int
    end: int
    text: str


#: Sentence ends: Chinese full stops, exclamation/question marks, semicolons and line breaks. The
#: ASCII `?` is not one (in scraped Chinese pages it usually marks a lost byte), except before a run
#: of spaces: there it stands for a lost full stop before the paragraph gap.
_SENTENCE_END = re.compile(r"[。！？；!;…]+[”’」』)）]*|\?(?= {2,})|\n+")


def split_sentences(text: str) -> list[Sentence]:
    """Split a clean text into sentences with offsets; whitespace around them is excluded."""
    out: list[Sentence] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end() if m.group().strip() else m.start()
        _append(out, text, pos, end)
        pos = m.end()
    _append(out, text, pos, len(text))
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
