"""HTML pages → text, every character mapped back to the raw page it came from.

The page is parsed by lexbor (`selectolax.lexbor`), an HTML5-conformant parser: the tree a browser
would build, entities decoded, broken markup repaired. Its text nodes come out in document order
but without source positions, so each one is aligned back into the raw page: a cursor walks the
raw text, skipping markup between text nodes (comments, doctype, tags with quoted attribute values),
and matches the node's characters one by one, an entity (`&amp;`, `&#20013;`) matching the
character(s) it decodes to. Every output character thus keeps the raw range it derives from
(`aidlab.text.textmap.TrackedText`); a node that cannot be aligned (rare parser repairs that move text)
is anchored, zero-width, at the cursor instead of being given a wrong range.

Content of script, style, nav, head, noscript and template elements is dropped; block elements
(p, div, li, h1–h6, tr, br …) become line breaks; table cells are separated by a space; runs of
white space collapse to one space, and a source line break between two CJK characters disappears
(as browsers render it).
"""
from __future__ import annotations

import html
import re
from itertools import islice

import numpy as np

from .textmap import Edit, TrackedText

#: Elements whose content is not page text.
DROPPED_ELEMENTS = frozenset({"script", "style", "nav", "head", "noscript", "template"})
#: Elements that start a new line of text.
BLOCK_ELEMENTS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "tfoot", "thead", "tr", "ul",
})
#: Void elements that break the line where they stand.
BREAK_ELEMENTS = frozenset({"br", "hr"})
#: Elements whose content separates from its neighbours by a space.
CELL_ELEMENTS = frozenset({"td", "th"})
_RAW_TEXT = frozenset({"script", "style", "noscript", "template", "xmp", "iframe", "noembed", "noframes"})

_BREAK = "\x00"  # placeholder for a block boundary until white space is collapsed
_SPACE = "\x01"  # placeholder for a cell boundary
_TAG_HINT = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|p|div|br|span|a|script|style|table|tr|td|li|ul|"
                       r"ol|h[1-6]|img|section|article)\b[^<>]*>|</(?:p|div|span|a|td|tr|li|html|body|h[1-6])\s*>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,7};?|[A-Za-z][A-Za-z0-9]{0,31};?)")
_WHITE = re.compile(f"[ \\t\\n\\r\\f{_BREAK}{_SPACE}]+")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def looks_like_html(raw: str) -> bool:
    """True when a page is HTML: it starts with markup, or holds at least three HTML tags in its first 64 kB.

    Plain-text pages (the scraped article text) go through cleaning unchanged.
    """
    head = raw[:65536]
    start = head.lstrip("\ufeff \t\r\n")[:15].lower()
    if start.startswith(("<!doctype html", "<html", "<?xml")):
        return True
    return sum(1 for _ in islice(_TAG_HINT.finditer(head), 3)) >= 3


def _skip_markup(raw: str, j: int, white: bool = False) -> int:
    """Move past comments, doctype/processing instructions and tags at raw[j:] (and white space if asked)."""
    n = len(raw)
    while j < n:
        ch = raw[j]
        if white and ch in " \t\r\n\f":
            j += 1
            continue
        if ch != "<" or j + 1 >= n:
            return j
        nxt = raw[j + 1]
        if raw.startswith("<!--", j):
            k = raw.find("-->", j + 4)
            j = n if k < 0 else k + 3
        elif nxt in "!?":
            k = raw.find(">", j)
            j = n if k < 0 else k + 1
        elif nxt.isalpha() or nxt == "/":
            k = j + 1
            while k < n and raw[k] != ">":
                if raw[k] in "\"'" and raw[k - 1] in "= \t\n":
                    close = raw.find(raw[k], k + 1)
                    k = n if close < 0 else close
                k += 1
            j = min(n, k + 1)
        else:
            return j
    return j


def _align(raw: str, j: int, text: str) -> tuple[np.ndarray, np.ndarray, int] | None:
    """Match `text` (decoded) against raw[j:]: per-character raw [start, end) and the raw position after it."""
    n = len(text)
    if raw.startswith(text, j):
        idx = np.arange(j, j + n, dtype=np.int32)
        return idx, idx + 1, j + n
    starts = np.empty(n, dtype=np.int32)
    ends = np.empty(n, dtype=np.int32)
    i, size = 0, len(raw)
    while i < n:
        if j >= size:
            return None
        ch = raw[j]
        if ch == "&":
            m = _ENTITY.match(raw, j)
            if m:
                decoded = html.unescape(m.group())
                if decoded != m.group() and text.startswith(decoded, i):
                    k = len(decoded)
                    starts[i:i + k], ends[i:i + k] = j, m.end()
                    i, j = i + k, m.end()
                    continue
        if ch == text[i]:
            starts[i], ends[i] = j, j + 1
            i, j = i + 1, j + 1
        elif ch == "\r" and text[i] == "\n":  # the parser turns CR LF and lone CR into LF
            end = j + 2 if raw.startswith("\r\n", j) else j + 1
            starts[i], ends[i] = j, end
            i, j = i + 1, end
        else:
            return None
    return starts, ends, j


def _context(node) -> tuple[bool, bool, int | None]:
    """(inside a dropped element, inside a raw-text element, id of the nearest block ancestor)."""
    dropped = raw_text = False
    block = None
    parent = node.parent
    while parent is not None and parent.is_element_node:
        tag = parent.tag
        if tag in DROPPED_ELEMENTS:
            dropped = True
        if tag in _RAW_TEXT:
            raw_text = True
        if block is None and tag in BLOCK_ELEMENTS:
            block = parent.mem_id
        parent = parent.parent
    return dropped, raw_text, block


def _locate(raw: str, cursor: int, text: str, raw_text: bool) -> tuple[np.ndarray, np.ndarray, int] | None:
    """(raw starts, raw ends, raw end) of a text node found at or after `cursor` in the raw page, or None.

    Script/style text stands verbatim; other text is aligned after the markup (and white space) at
    the cursor, else at the first place its first 16 visible characters occur after the cursor.
    """
    pos = _skip_markup(raw, cursor)
    if raw_text and raw.startswith(text, pos):  # script/style: no entities, no markup inside
        idx = np.arange(pos, pos + len(text), dtype=np.int32)
        return idx, idx + 1, pos + len(text)
    aligned = _align(raw, pos, text) or _align(raw, _skip_markup(raw, cursor, True), text)
    if aligned is None and text.strip():
        probe = text.strip()[:16]
        found = raw.find(probe, cursor)
        if found >= 0:
            lead = text.index(probe)
            aligned = _align(raw, found - lead, text) if found - lead >= cursor else None
    return aligned


def html_text(raw: str) -> TrackedText:
    """The visible text of an HTML page, with the raw offsets of every character (see the module docstring)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(raw)
    texts: list[str] = []
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []

    def put(s: str, a: np.ndarray, b: np.ndarray) -> None:
        texts.append(s)
        starts.append(a)
        ends.append(b)

    def mark(s: str, at: int) -> None:
        put(s, np.full(len(s), at, dtype=np.int32), np.full(len(s), at, dtype=np.int32))

    cursor = 0
    last_block: int | None = None
    pending = ""
    root = tree.root
    nodes = root.traverse(include_text=True) if root is not None else []
    for node in nodes:
        if node.is_element_node:
            if node.tag in BREAK_ELEMENTS:
                pending = _BREAK
            elif node.tag in CELL_ELEMENTS and pending != _BREAK:
                pending = _SPACE
            continue
        if not node.is_text_node:
            continue
        text = node.text_content or ""
        if not text:
            continue
        dropped, raw_text, block = _context(node)
        aligned = _locate(raw, cursor, text, raw_text)
        if aligned is not None:
            cursor = aligned[2]
        if dropped:
            continue
        if block != last_block:
            pending = _BREAK
            last_block = block
        if pending:
            mark(pending, int(aligned[0][0]) if aligned is not None else cursor)
            pending = ""
        if aligned is None:
            mark(text, cursor)
        else:
            put(text, aligned[0], aligned[1])
    empty = np.zeros(0, dtype=np.int32)
    page = TrackedText("".join(texts), np.concatenate(starts or [empty]), np.concatenate(ends or [empty]))
    return _collapse_white(page)


def _collapse_white(page: TrackedText) -> TrackedText:
    """HTML white space: runs → one space, a block boundary → one line break, none at line ends or
    between two CJK characters; the page starts and ends without white space."""
    text = page.text
    edits = []
    for m in _WHITE.finditer(text):
        run = m.group()
        at_edge = m.start() == 0 or m.end() == len(text)
        if _BREAK in run:
            new = "" if at_edge else "\n"
        elif at_edge or (_CJK.match(text, m.start() - 1) and _CJK.match(text, m.end())) and _SPACE not in run:
            new = ""
        else:
            new = " "
        if new != run:
            edits.append(Edit(m.start(), m.end(), new))
    return page.apply(edits)
