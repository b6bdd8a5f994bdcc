"""Text that remembers where every character came from in the raw page.

Cleaning is a chain of edits (repairs, deletions of pinyin annotations, script conversion,
normalisation). `TrackedText` applies them while keeping, for each output character, the half-open
range of raw-text offsets it derives from, so any later claim can be shown in its untouched context.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `new` (empty `new` deletes; start == end inserts)."""

    start: int
    end: int
    new: str


@dataclass(frozen=True, eq=False)
class TrackedText:
    """A string plus, per character, the raw offsets [raw_start[i], raw_end[i]) it was derived from."""

    text: str
    raw_start: np.ndarray
    raw_end: np.ndarray

    def __post_init__(self) -> None:
        if not (len(self.text) == len(self.raw_start) == len(self.raw_end)):
            raise ValueError("TrackedText: text and offset arrays differ in length")

    @classmethod
    def identity(cls, raw: str) -> TrackedText:
        """The raw text itself: character i comes from raw[i:i+1]."""
        idx = np.arange(len(raw), dtype=np.int32)
        return cls(raw, idx, idx + 1)

    def __len__(self) -> int:
        return len(self.text)

    def apply(self, edits: Iterable[Edit]) -> TrackedText:
        """Apply non-overlapping edits (offsets in this text); same-length replacements keep per-character provenance."""
        ordered = sorted(edits, key=lambda e: (e.start, e.end))
        if all(not e.new or len(e.new) == e.end - e.start for e in ordered):
            return self._delete_or_replace(ordered)
        parts: list[str] = []
        starts: list[np.ndarray] = []
        ends: list[np.ndarray] = []
        pos = 0
        for e in ordered:
            if e.start < pos or e.end < e.start or e.end > len(self.text):
                raise ValueError(f"overlapping or out-of-range edit {e} (text length {len(self.text)})")
            parts.append(self.text[pos:e.start])
            starts.append(self.raw_start[pos:e.start])
            ends.append(self.raw_end[pos:e.start])
            n = len(e.new)
            if n:
                if n == e.end - e.start:
                    s, t = self.raw_start[e.start:e.end], self.raw_end[e.start:e.end]
                elif e.end > e.start:
                    s = np.full(n, self.raw_start[e.start], dtype=np.int32)
                    t = np.full(n, self.raw_end[e.end - 1], dtype=np.int32)
                else:  # insertion: anchor on the preceding character (or the next one at the start)
                    anchor = self.raw_end[e.start - 1] if e.start else (self.raw_start[0] if len(self.text) else 0)
                    s = t = np.full(n, anchor, dtype=np.int32)
                parts.append(e.new)
                starts.append(s)
                ends.append(t)
            pos = e.end
        parts.append(self.text[pos:])
        starts.append(self.raw_start[pos:])
        ends.append(self.raw_end[pos:])
        empty = np.zeros(0, dtype=np.int32)
        return TrackedText("".join(parts), np.concatenate(starts or [empty]), np.concatenate(ends or [empty]))

    def _delete_or_replace(self, ordered: list[Edit]) -> TrackedText:
        """`apply` for sorted edits that only delete or replace with as many characters (the cleaning's edits:
        pinyin annotations, zero-width marks, digit-group spaces, separators): every output character keeps
        the provenance of the character it stands for, so one boolean mask selects all of it at once."""
        parts: list[str] = []
        keep = np.ones(len(self.text), dtype=bool)
        pos = 0
        for e in ordered:
            if e.start < pos or e.end < e.start or e.end > len(self.text):
                raise ValueError(f"overlapping or out-of-range edit {e} (text length {len(self.text)})")
            parts += (self.text[pos:e.start], e.new)
            if not e.new:
                keep[e.start:e.end] = False
            pos = e.end
        parts.append(self.text[pos:])
        return TrackedText("".join(parts), self.raw_start[keep], self.raw_end[keep])

    def map_same_length(self, fn: Callable[[str], str]) -> TrackedText:
        """Apply a length-preserving transform (e.g. script conversion); provenance is unchanged."""
        out = fn(self.text)
        if len(out) != len(self.text):
            raise ValueError("map_same_length: the transform changed the text length")
        return TrackedText(out, self.raw_start, self.raw_end)

    def slice(self, start: int, end: int) -> TrackedText:
        """The characters [start, end) with their provenance."""
        return TrackedText(self.text[start:end], self.raw_start[start:end], self.raw_end[start:end])

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw offsets covered by characters [start, end) of this text."""
        if not 0 <= start < end <= len(self.text):
            raise IndexError(f"span [{start}, {end}) outside text of length {len(self.text)}")
        return int(self.raw_start[start:end].min()), int(self.raw_end[start:end].max())

    @staticmethod
    def join(pieces: Sequence[TrackedText], sep: str = "\n") -> TrackedText:
        """Concatenate pieces with a separator; separator characters map to the end of the piece before them."""
        texts, starts, ends = [], [], []
        for i, p in enumerate(pieces):
            if i and sep:
                anchor = int(pieces[i - 1].raw_end[-1]) if len(pieces[i - 1]) else 0
                texts.append(sep)
                starts.append(np.full(len(sep), anchor, dtype=np.int32))
                ends.append(np.full(len(sep), anchor, dtype=np.int32))
            texts.append(p.text)
            starts.append(p.raw_start)
            ends.append(p.raw_end)
        empty = np.zeros(0, dtype=np.int32)
        return TrackedText("".join(texts), np.concatenate(starts or [empty]), np.concatenate(ends or [empty]))
