"""Cleaning: one raw scraped page → article text a researcher can trust, with provenance.

Steps, each general (no rule names a site, a seed or a sentence):
1. mojibake: find byte-shifted GBK spans (`aidlab.text.mojibake`); accepted repairs replace them, the
   original stays in the spans table; characters next to lost bytes are marked damaged;
2. pinyin annotations (`醫(yī)`) are removed (`aidlab.text.pinyin`);
3. Traditional → Simplified with OpenCC, length-preserving (`aidlab.text.script`);
4. normalisation for numbers (`aidlab.text.normalize`);
5. segmentation into article body and page chrome, and page metadata (`aidlab.text.segment`);
6. the clean text = headline line + body lines, split into sentences.
Every clean character keeps the raw offsets it came from (`aidlab.text.textmap.TrackedText`). An HTML
page is first reduced to its visible text by an HTML parser (`aidlab.text.html`), offsets kept.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from ..fields import table_columns
from . import mojibake, pinyin
from .html import html_text, looks_like_html
from .normalize import Sentence, normalize, split_sentences
from .script import detect_script, to_simplified
from .segment import PageMetadata, Segment, extract_metadata, segment_page
from .textmap import Edit, TrackedText

UNKNOWN = "unknown"


@dataclass(frozen=True, eq=False)
class CleanDocument:
    """One cleaned document. Offsets: `spans` and `damaged_raw` index the raw text; `segments` the
    cleaned page (`page.text`); sentences and claims the clean article text (`text.text`)."""

    doc_id: str
    raw: str
    page: TrackedText
    segments: list[Segment]
    text: TrackedText
    headline_end: int
    sentences: list[Sentence]
    spans: list[mojibake.CorruptSpan]
    pinyin_removed: int
    metadata: PageMetadata
    damaged_raw: frozenset[int] = field(default_factory=frozenset)

    def damaged_mask(self) -> np.ndarray:
        """Boolean per character of the clean text: True where it derives from a damaged raw character."""
        if not self.damaged_raw:
            return np.zeros(len(self.text), dtype=bool)
        damaged = np.zeros(len(self.raw) + 1, dtype=np.int64)
        damaged[sorted(self.damaged_raw)] = 1
        cum = np.concatenate([[0], np.cumsum(damaged)])
        touches = (cum[self.text.raw_end] - cum[self.text.raw_start]) > 0
        # a repaired span maps all its characters to the whole span, so keep only the
        # characters that can carry a numeric value: digits and lost-byte marks
        numeric = np.fromiter((ch.isdigit() or ch == "?" for ch in self.text.text), dtype=bool, count=len(self.text))
        return touches & numeric

    def corrupt_mask(self) -> np.ndarray:
        """Boolean per character of the clean text: True inside a corrupt span (repaired or not)."""
        inside = np.zeros(len(self.raw) + 1, dtype=np.int64)
        for s in self.spans:
            inside[s.start:s.end] = 1
        cum = np.concatenate([[0], np.cumsum(inside)])
        return (cum[self.text.raw_end] - cum[self.text.raw_start]) > 0


def _repair_and_strip(raw: str, spans: list[mojibake.CorruptSpan]) -> tuple[TrackedText, int]:
    """Replace accepted repairs and delete pinyin annotations (outside accepted repairs)."""
    edits = [Edit(s.start, s.end, s.repair) for s in spans if s.repair is not None]
    repaired = [(e.start, e.end) for e in edits]
    removed = 0
    for start, end, _ in pinyin.find_annotations(raw):
        if any(start < r_end and end > r_start for r_start, r_end in repaired):
            continue
        edits.append(Edit(start, end, ""))
        removed += 1
    return TrackedText.identity(raw).apply(edits), removed


def clean_document(raw: str, doc_id: str) -> CleanDocument:
    """Clean one raw page (decoded text) into a CleanDocument.

    An HTML page (`aidlab.text.html.looks_like_html`) is first reduced to its visible text by an HTML
    parser, each character keeping its raw offset; the steps below then run on that text and every
    offset is mapped back to the raw HTML. Plain-text pages go straight to the steps below.
    """
    if looks_like_html(raw):
        base = html_text(raw)
        return _rebase(_clean_text(base.text, doc_id), raw, base)
    return _clean_text(raw, doc_id)


def _compose(t: TrackedText, base: TrackedText) -> TrackedText:
    """`t`, whose offsets index base.text, with offsets into base's own raw text instead."""
    n = len(base)
    if n == 0:
        zeros = np.zeros(len(t), dtype=np.int32)
        return TrackedText(t.text, zeros, zeros.copy())
    s = np.asarray(t.raw_start, dtype=np.int64)
    e = np.asarray(t.raw_end, dtype=np.int64)
    start = np.where(s < n, base.raw_start[np.minimum(s, n - 1)], base.raw_end[n - 1])
    end = np.where(e > s, base.raw_end[np.clip(e - 1, 0, n - 1)], start)
    return TrackedText(t.text, start.astype(np.int32), np.maximum(start, end).astype(np.int32))


def _rebase(doc: CleanDocument, raw: str, base: TrackedText) -> CleanDocument:
    """A document cleaned from base.text (the HTML page's text), with every offset moved onto the raw HTML."""
    def at(i: int) -> int:
        return int(base.raw_start[min(i, len(base) - 1)]) if len(base) else 0

    def after(i: int) -> int:
        return int(base.raw_end[i - 1]) if i > 0 and len(base) else 0

    spans = [replace(s, start=at(s.start), end=max(at(s.start), after(s.end)), text=raw[at(s.start):after(s.end)],
                     damaged=tuple(at(i) for i in s.damaged)) for s in doc.spans]
    damaged = frozenset(at(i) for i in doc.damaged_raw)
    return replace(doc, raw=raw, page=_compose(doc.page, base), text=_compose(doc.text, base), spans=spans,
                   damaged_raw=damaged)


def _clean_text(raw: str, doc_id: str) -> CleanDocument:
    """The cleaning steps on a page's text (see the module docstring)."""
    spans = mojibake.find_corrupt_spans(raw)
    stripped, removed = _repair_and_strip(raw, spans)
    page = normalize(stripped.map_same_length(to_simplified))
    segments = segment_page(page.text)
    metadata = extract_metadata(page.text, segments)
    headline = [s for s in segments if s.kind == "headline"][:1]
    body = [s for s in segments if s.kind == "body"]
    pieces = [page.slice(s.start, s.end) for s in headline + body]
    text = TrackedText.join(pieces, "\n")
    headline_end = headline[0].end - headline[0].start if headline else 0
    damaged = frozenset(i for s in spans for i in s.damaged)
    return CleanDocument(doc_id, raw, page, segments, text, headline_end, split_sentences(text.text),
                         spans, removed, metadata, damaged)


#: Data dictionary of the cleaned documents table.
CLEAN_DOCUMENT_COLUMNS: dict[str, str] = table_columns([
    "doc_id", "script", "body_script", "title", "title_source", "published", "published_source", "outlet",
    "outlet_source", "author", "raw_chars", "body_chars", "chrome_chars", "segments", "annotations_removed",
    "corrupt_spans", "repaired_spans", "damaged_digits"
])

SEGMENT_COLUMNS: dict[str, str] = table_columns([
    "doc_id", "segment", "kind", "reason", "raw_start", "raw_end", "chars", "text"
])

SPAN_COLUMNS: dict[str, str] = table_columns([
    "doc_id", "span", "raw_start", "raw_end", "original", "reason", "candidate", "confidence", "accepted", "damaged",
    "damaged_text"
])


def _pick(page_value: str | None, curated: str | None) -> tuple[str, str]:
    if curated:
        return curated, "manifest"
    if page_value:
        return page_value, "page"
    return UNKNOWN, "unknown"


def document_row(doc: CleanDocument, curated: dict | None = None) -> dict:
    """The cleaned documents-table row of one document (curated manifest fields win)."""
    curated = curated or {}
    md = doc.metadata
    title, title_src = _pick(md.title, curated.get("title"))
    published, published_src = _pick(md.date, curated.get("published"))
    outlet, outlet_src = _pick(md.outlet, curated.get("outlet"))
    kinds: Counter[str] = Counter()
    for s in doc.segments:
        kinds[s.kind] += s.end - s.start
    return {
        "doc_id": doc.doc_id,
        "script": detect_script(doc.raw),
        "body_script": detect_script(doc.text.text),
        "title": title, "title_source": title_src,
        "published": published, "published_source": published_src,
        "outlet": outlet, "outlet_source": outlet_src,
        "author": md.author or UNKNOWN,
        "raw_chars": len(doc.raw),
        "body_chars": len(doc.text),
        "chrome_chars": sum(n for k, n in kinds.items() if k not in ("body", "headline")),
        "segments": len(doc.segments),
        "annotations_removed": doc.pinyin_removed,
        "corrupt_spans": len(doc.spans),
        "repaired_spans": sum(s.repair is not None for s in doc.spans),
        "damaged_digits": len(doc.damaged_raw),
    }


def segment_rows(doc: CleanDocument) -> list[dict]:
    """The segments-table rows of one document."""
    rows = []
    for i, s in enumerate(doc.segments):
        raw_start, raw_end = doc.page.raw_span(s.start, s.end) if s.end > s.start else (0, 0)
        rows.append({"doc_id": doc.doc_id, "segment": i, "kind": s.kind, "reason": s.reason,
                     "raw_start": raw_start, "raw_end": raw_end, "chars": s.end - s.start,
                     "text": doc.page.text[s.start:s.end]})
    return rows


def span_rows(doc: CleanDocument) -> list[dict]:
    """The corrupt-spans-table rows of one document."""
    return [{"doc_id": doc.doc_id, "span": i, "raw_start": s.start, "raw_end": s.end, "original": s.text,
             "reason": s.reason, "candidate": s.candidate or "", "confidence": round(float(s.confidence), 3),
             "accepted": s.repair is not None, "damaged": len(s.damaged),
             "damaged_text": "".join(doc.raw[i] for i in s.damaged)}
            for i, s in enumerate(doc.spans)]
