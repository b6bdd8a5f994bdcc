"""Publication figure style shared by every notebook of the aidlab workspace.

What
----
One place that decides how figures look and how they are written to disk:

* :func:`apply_style` sets matplotlib ``rcParams`` for journal figures: the
  Noto Sans CJK SC font shipped by the PyPI package ``mplfonts`` (registered
  from inside the installed package, so no system font and no network is
  needed) with DejaVu Sans as fallback, 8-9 pt text, a seaborn "ticks" look with
  a light grid, the seaborn ``colorblind`` palette, embedded CID fonts in PDF
  and glyph outlines in SVG.
* :func:`new_figure` creates a figure sized for a single (3.5 in) or double
  (7.2 in) journal column.
* :func:`interval_dotplot` draws intervals as a dot (exact), a bar with caps
  (bounded) or an arrow to the axis edge (open-ended): the one primitive behind
  every figure of reported values.
* :func:`save_figure` writes PDF + SVG + 300-dpi PNG, atomically and
  byte-identically on reruns, and refuses (:class:`MissingGlyphError`) to
  write anything if some text needs a glyph the fonts lack.

Why
---
The figures show Chinese labels (place names, programme names such as
援疆 / 医疗援藏).  Without a CJK font matplotlib silently draws empty boxes
("tofu") and only emits a ``UserWarning``; such figures must never reach a
paper, so the warning is turned into an error here, and every text artist is
also checked against the fonts' character maps, because matplotlib does not
repeat the warning when the same figure is rendered a second time (e.g. after
a notebook displayed it).  Journals ask for embedded, selectable fonts in PDF,
hence ``pdf.fonttype = 42``.  Noto Sans CJK SC has CFF (PostScript) outlines,
which matplotlib 3.11 stores where the PDF format expects TrueType (poppler:
"Mismatch between font type and embedded font file"); the font is therefore
converted to TrueType outlines once per machine (fontTools, cached in
matplotlib's cache folder, see :func:`cjk_truetype_path`) and that file is
what gets registered with matplotlib, so no private matplotlib API is touched.  Byte-identical output makes figure changes
visible in version control and lets reruns of notebooks be verified, hence the
fixed SVG hash salt and the removal of timestamps / software tags from the
metadata.  SimHei, which ``mplfonts`` also ships, is never used: its licence is
unclear.

Importing this module changes no global state; call :func:`apply_style`
(:func:`new_figure` calls it once per process if nobody did).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import seaborn as sns
from cycler import cycler
from matplotlib import cbook, font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..io import atomic_path

__all__ = [
    "SINGLE_COLUMN_IN",
    "DOUBLE_COLUMN_IN",
    "PALETTE",
    "VERDICT_COLOURS",
    "FORMATS",
    "CJK_FAMILY",
    "MissingGlyphError",
    "cjk_font_path",
    "cjk_truetype_path",
    "apply_style",
    "interval_limits",
    "interval_dotplot",
    "new_figure",
    "save_figure",
]

#: Journal single-column width in inches.
SINGLE_COLUMN_IN: float = 3.5
#: Journal double-column (full page) width in inches.
DOUBLE_COLUMN_IN: float = 7.2

#: Colour-blind-safe palette (seaborn "colorblind", 10 colours, hex strings).
PALETTE: list[str] = list(sns.color_palette("colorblind").as_hex())

#: Colours for the three verdicts, taken from :data:`PALETTE`.  Blue / orange
#: is the standard pair that stays apart for all common colour-vision
#: deficiencies, and the three colours are also spread in lightness
#: (CIE L* about 46 / 66 / 88, Rec. 601 grey about 88 / 151 / 208 of 255), so
#: they stay distinguishable when printed in greyscale.  Grey would be the
#: obvious "indeterminate" colour, but its lightness (L* 61) is too close to
#: the orange one.
VERDICT_COLOURS: dict[str, str] = {
    "consistent": PALETTE[0],  # blue    #0173b2
    "inconsistent": PALETTE[1],  # orange  #de8f05
    "indeterminate": PALETTE[8],  # yellow  #ece133
}

#: Output formats written by :func:`save_figure`, in this order.
FORMATS: tuple[str, ...] = ("pdf", "svg", "png")

#: Family name of the registered CJK font (read back from the font file by
#: :func:`apply_style`; this is its value for the font shipped by mplfonts).
CJK_FAMILY = "Noto Sans CJK SC"

_FONT_PACKAGE = "mplfonts"
_FONT_RELPATH = ("fonts", "NotoSansCJKsc-Regular.otf")
_FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib itself
_SVG_HASHSALT = "aidlab-figstyle"
_DPI = 300
_SAVE_METADATA = {
    # Drop timestamps / version strings so that reruns give identical bytes.
    "pdf": {"CreationDate": None},
    "svg": {"Date": None},
    "png": {"Software": None},
}
# Settings save_figure enforces whatever the caller did to rcParams since
# apply_style(): they carry its guarantees (embedded fonts, determinism).
_SAVE_RC: Any = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "path",
    "svg.hashsalt": _SVG_HASHSALT,
    "savefig.dpi": _DPI,
}
# matplotlib._text_helpers.warn_on_missing_glyph:
#   "Glyph 129516 (\N{DNA DOUBLE HELIX}) missing from font(s) A, B."
_GLYPH_WARNING_RE = r"Glyph \d+ \(.*\) missing from font"
_GLYPH_WARNING_PARSE = re.compile(r"Glyph (\d+) \((.*?)\) missing from font\(s\) (.*?)\.?$")
# Code points that are not drawn as glyphs of their own.
_IGNORABLE = (
    set(range(0x200B, 0x2010))  # zero-width space/joiners, LRM/RLM
    | set(range(0x2060, 0x2065))  # word joiner, invisible operators
    | set(range(0xFE00, 0xFE10))  # variation selectors
    | {0xFEFF}
    | set(range(0xE0100, 0xE01F0))  # variation selectors supplement
)

_style_applied = False
_charmaps: dict[tuple[str, int], tuple[str, frozenset[int]]] = {}


class MissingGlyphError(RuntimeError):
    """Some text of a figure needs a glyph that none of its fonts has.

    Attributes: ``stem`` (the figure's file stem) and ``codepoints`` (the
    missing characters as integers).
    """

    def __init__(self, message: str, *, stem: str, codepoints: Sequence[int]):
        super().__init__(message)
        self.stem = stem
        self.codepoints = list(codepoints)


# --------------------------------------------------------------------- fonts
def cjk_font_path() -> Path:
    """Path of the Noto Sans CJK SC font shipped by ``mplfonts``.

    The package is located with :func:`importlib.util.find_spec`, which does
    not import it (importing it would not change anything we need).

    Raises
    ------
    FileNotFoundError
        If the ``mplfonts`` package is not installed or lacks the font file.
    """
    relpath = "/".join(_FONT_RELPATH)
    try:
        spec = importlib.util.find_spec(_FONT_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise FileNotFoundError(
            f"The Python package {_FONT_PACKAGE!r} is not installed, so the CJK font "
            f"{relpath!r} (Noto Sans CJK SC) used for Chinese labels is unavailable; "
            f"install it with `pip install {_FONT_PACKAGE}` (PyPI, >= 0.0.11)."
        )
    for location in locations:
        path = Path(location).joinpath(*_FONT_RELPATH)
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"The installed package {_FONT_PACKAGE!r} (at {', '.join(locations)}) does not "
        f"contain the font file {relpath!r} (Noto Sans CJK SC); reinstall "
        f"{_FONT_PACKAGE!r} >= 0.0.11 from PyPI."
    )


def _font_cache_dir() -> Path:
    override = os.environ.get("AIDLAB_FONT_CACHE")
    return Path(override) if override else Path(mpl.get_cachedir()) / "aidlab"


def cjk_truetype_path() -> Path:
    """The CJK font with TrueType outlines: converted from :func:`cjk_font_path` once, then cached.

    The cache file (in matplotlib's cache folder, or ``$AIDLAB_FONT_CACHE``) is named after the
    SHA-256 of the source font, so a new mplfonts release converts again.  The conversion (about
    40 s for the 65 535 glyphs) is deterministic: no timestamp is recalculated, so every machine
    gets the same bytes and the figures embed the same subsets.
    """
    import hashlib

    source = cjk_font_path()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = _font_cache_dir() / f"{source.stem}.{digest}.ttf"
    if target.is_file():
        return target
    from fontTools.ttLib import TTFont

    font = TTFont(source, recalcTimestamp=False)
    if "CFF " in font:
        _cff_to_truetype(font)
    with atomic_path(target, suffix=".ttf") as tmp:
        font.save(tmp, reorderTables=True)
    return target


def _register_cjk_font() -> str:
    """Register the TrueType CJK font with matplotlib (once) and return its family name."""
    path = cjk_truetype_path()
    fm = font_manager.fontManager
    registered = {os.path.realpath(entry.fname) for entry in fm.ttflist}
    if os.path.realpath(path) not in registered:
        fm.addfont(path)  # also clears matplotlib's findfont cache
    family = font_manager.FontProperties(fname=path).get_name()
    found = fm.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    if os.path.realpath(found) != os.path.realpath(path):
        raise RuntimeError(
            f"matplotlib resolves font family {family!r} to {found}, not to {path}"
        )
    return family


# --------------------------------------------------------------------- style
def _style_rc(family: str) -> dict[str, Any]:
    rc: dict[str, Any] = {}
    # seaborn's "ticks" style and "paper" context as the base look ...
    rc.update(sns.axes_style("ticks"))
    rc.update(sns.plotting_context("paper"))
    # ... then sizes for a 3.5 in / 7.2 in figure printed at 100 %.
    rc.update(
        {
            # Fonts: CJK first (it also has Latin glyphs, so mixed labels use a
            # single design), DejaVu Sans (bundled with matplotlib) for whatever
            # it lacks.  No Arial / Helvetica: whether those exist depends on
            # the machine, which would make the output machine-dependent.
            "font.family": [family, _FALLBACK_FAMILY],
            "font.sans-serif": [family, _FALLBACK_FAMILY],
            "text.usetex": False,
            "axes.unicode_minus": True,  # U+2212 exists in Noto Sans CJK SC
            "font.size": 8,
            "axes.titlesize": 9,
            "figure.titlesize": 9,
            "axes.labelsize": 8,
            "figure.labelsize": 8,
            "xtick.labelsize": 8,
            "ytick.labelsize": 8,
            "legend.fontsize": 8,
            "legend.title_fontsize": 8,
            "axes.titleweight": "normal",
            # Thin lines that survive reduction to column width.
            "axes.linewidth": 0.6,
            "grid.linewidth": 0.4,
            "lines.linewidth": 1.2,
            "lines.markersize": 4,
            "patch.linewidth": 0.5,
            "xtick.major.width": 0.6,
            "ytick.major.width": 0.6,
            "xtick.minor.width": 0.4,
            "ytick.minor.width": 0.4,
            "xtick.major.size": 3,
            "ytick.major.size": 3,
            "xtick.minor.size": 2,
            "ytick.minor.size": 2,
            # "ticks" style, despined, with a light background grid.
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "0.9",
            "axes.axisbelow": True,
            "legend.frameon": False,
            # Colour: colour-blind-safe cycle, perceptually uniform colormap
            # whose lightness is monotonic (reads in greyscale).
            "axes.prop_cycle": cycler(color=PALETTE),
            "image.cmap": "viridis",
            # Output.
            "pdf.fonttype": 42,  # embedded subsetted CID font: selectable text
            "ps.fonttype": 42,
            # Glyph outlines in SVG: the file renders identically everywhere,
            # also where Noto Sans CJK SC is not installed ('none' would leave
            # <text> elements that viewers fill with whatever font they have,
            # or boxes).  The PDF is the file with selectable text.
            "svg.fonttype": "path",
            "svg.hashsalt": _SVG_HASHSALT,  # deterministic SVG element ids
            "savefig.dpi": _DPI,
            "savefig.bbox": "tight",
            "savefig.pad_inches": 0.02,
            "savefig.facecolor": "white",
            "savefig.transparent": False,
        }
    )
    return rc


def apply_style() -> None:
    """Set matplotlib rcParams for paper figures.  Idempotent.

    Registers the CJK font from ``mplfonts`` (once), puts it first in
    ``font.family`` with DejaVu Sans as fallback, sets 8-9 pt text,
    ``pdf.fonttype`` 42 (embedded, selectable fonts), ``svg.fonttype`` 'path'
    (self-contained SVG that looks the same on every machine), a fixed
    ``svg.hashsalt``, 300-dpi tight-bbox saving, the seaborn "ticks" look with
    a light grid and the colour-blind palette.

    Raises FileNotFoundError if ``mplfonts`` or its font file is missing.
    """
    global _style_applied
    family = _register_cjk_font()
    rc: Any = _style_rc(family)  # (matplotlib types rcParams keys as literals)
    mpl.rcParams.update(rc)
    _style_applied = True


# -------------------------------------------------------------------- figure
def new_figure(
    width: str = "single",
    aspect: float = 0.62,
    nrows: int = 1,
    ncols: int = 1,
    **kw: Any,
) -> tuple[Figure, Any]:
    """Create a figure sized for a single or double journal column.

    Parameters
    ----------
    width : {'single', 'double'}
        Figure width: :data:`SINGLE_COLUMN_IN` or :data:`DOUBLE_COLUMN_IN`.
    aspect : float
        Height / width of the whole figure (0.62 is close to the golden ratio).
    nrows, ncols : int
        Subplot grid, as for :func:`matplotlib.pyplot.subplots`.
    **kw
        Passed to :func:`matplotlib.pyplot.subplots` (e.g. ``sharex``,
        ``gridspec_kw``).  The default layout is ``'constrained'``, which keeps
        all labels inside the figure, so the tight bounding box used when
        saving only trims white margins and the saved width stays at most the
        column width.

    Returns ``(fig, axes)`` like :func:`matplotlib.pyplot.subplots`.  The
    figure is registered with pyplot (so notebooks display it); close it with
    ``plt.close(fig)`` when creating many figures in a loop.  Applies the style
    first if :func:`apply_style` has not been called in this process.
    """
    widths = {"single": SINGLE_COLUMN_IN, "double": DOUBLE_COLUMN_IN}
    if width not in widths:
        raise ValueError(f"width must be 'single' or 'double', not {width!r}")
    aspect = float(aspect)
    if not aspect > 0:
        raise ValueError(f"aspect must be positive, not {aspect!r}")
    if not _style_applied:
        apply_style()
    import matplotlib.pyplot as plt  # (seaborn imports it anyway)

    w = widths[width]
    kw.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, figsize=(w, w * aspect), **kw)


# ------------------------------------------------------------- intervals
def interval_limits(low: Sequence[float], high: Sequence[float], log_ratio: float = 30.0) -> tuple[bool, float, float]:
    """(log axis?, xmin, xmax) for drawing intervals: logarithmic when the finite values span more than `log_ratio`×."""
    import math

    finite = [float(v) for v in (*low, *high) if math.isfinite(float(v)) and float(v) > 0]
    if not finite:
        return False, 0.0, 1.0
    lo, hi = min(finite), max(finite)
    if hi / lo > log_ratio:
        return True, lo / 2.5, hi * 4.0
    return False, 0.0, hi * 1.25


def interval_dotplot(
    ax: Any,
    low: Sequence[float],
    high: Sequence[float],
    *,
    written: Sequence[float] | None = None,
    exact: Sequence[bool] | None = None,
    low_inclusive: Sequence[bool] | None = None,
    colours: Sequence[str] | None = None,
    no_bound: str = "no bound",
    log_ratio: float = 30.0,
) -> list[str]:
    """Draw one interval per row (row i at y = i, first row on top) and return how each was drawn.

    * ``point`` (``exact[i]``, or low == high): a dot at the written value, the rounding interval
      (if any) as a thin line;
    * ``range`` (finite high): a bar from low to high with caps, the written value as an open dot;
    * ``open`` (high = inf): an arrow from low to the right axis edge, low as a dot (filled when
      low itself is possible); when low is 0 too, a dashed double arrow labelled `no_bound`.

    The x axis is set from :func:`interval_limits` (log when the values span > `log_ratio`×).  The
    caller labels the rows (``ax.set_yticks``); nothing here depends on what the values count.
    """
    import math

    n = len(low)
    if len(high) != n:
        raise ValueError("low and high must have the same length")
    written = list(written) if written is not None else [math.nan] * n
    exact = list(exact) if exact is not None else [False] * n
    low_inclusive = list(low_inclusive) if low_inclusive is not None else [True] * n
    colours = list(colours) if colours is not None else [PALETTE[0]] * n
    log, xmin, xmax = interval_limits(low, high, log_ratio)
    if log:
        ax.set_xscale("log")
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(n - 0.5, -0.5)
    edge = ax.get_yaxis_transform()
    drawn: list[str] = []
    for y in range(n):
        lo, hi, w, colour = float(low[y]), float(high[y]), float(written[y]), colours[y]
        starts_at_edge = (log and lo <= 0) or (not log and lo < xmin)
        x0 = xmin if starts_at_edge else lo
        if math.isinf(hi):
            drawn.append("open")
            if starts_at_edge or lo <= 0:
                ax.annotate("", xy=(1.0, y), xycoords=edge, xytext=(0.0, y), textcoords=edge,
                            arrowprops=dict(arrowstyle="<|-|>", color=colour, lw=1.0, shrinkA=0, shrinkB=0,
                                            mutation_scale=7, linestyle=(0, (3, 2))))
                ax.text(0.5, y, no_bound, transform=edge, ha="center", va="center", fontsize=6.5, color=colour,
                        bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"))
                continue
            ax.annotate("", xy=(1.0, y), xycoords=edge, xytext=(x0, y), textcoords="data",
                        arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.3, shrinkA=0, shrinkB=0,
                                        mutation_scale=7))
            ax.plot([lo], [y], marker="o", ms=3.8, color=colour,
                    markerfacecolor=colour if low_inclusive[y] else "white", markeredgewidth=1.0, zorder=3)
        elif exact[y] or lo == hi:
            drawn.append("point")
            ax.plot([x0, hi], [y, y], color=colour, lw=1.0, solid_capstyle="butt")
            ax.plot([w if math.isfinite(w) else (lo + hi) / 2], [y], marker="o", ms=4.2, color=colour, zorder=3)
        else:
            drawn.append("range")
            ax.plot([x0, hi], [y, y], color=colour, lw=2.2, solid_capstyle="butt", alpha=0.75)
            ax.plot([x0, hi], [y, y], linestyle="none", marker="|", ms=6, color=colour, markeredgewidth=1.0)
            if math.isfinite(w):
                ax.plot([w], [y], marker="o", ms=3.4, color=colour, markerfacecolor="white",
                        markeredgewidth=0.9, zorder=3)
    return drawn


# ---------------------------------------------------------------------- save
def _font_charmap(fontpath: Any) -> tuple[str, frozenset[int]]:
    """(family name, set of code points) of one font file (cached)."""
    path = os.fspath(getattr(fontpath, "path", fontpath))
    index = int(getattr(fontpath, "face_index", 0) or 0)
    key = (os.path.realpath(path), index)
    if key not in _charmaps:
        font = font_manager.get_font(fontpath)
        _charmaps[key] = (font.family_name, frozenset(font.get_charmap()))
    return _charmaps[key]


def _fonts_for(prop: font_manager.FontProperties) -> list[Any]:
    """The font files matplotlib falls back through for *prop*, in order (one per family found)."""
    found: list[Any] = []
    for family in prop.get_family():
        candidate = prop.copy()
        candidate.set_family(family)
        try:
            path = font_manager.fontManager.findfont(candidate, fallback_to_default=False)
        except ValueError:
            continue
        if path not in found:
            found.append(path)
    return found or [font_manager.findfont(prop)]


def _missing_glyphs(fig: Figure) -> dict[int, tuple[str, str]]:
    """{code point: (font names, text)} for characters no font of the text has.

    Mathtext and usetex strings are skipped (their fonts are chosen by the
    math renderer; the draw-time warning still covers them).
    """
    missing: dict[int, tuple[str, str]] = {}
    for artist in fig.findobj(match=Text, include_self=False):
        text = artist.get_text()
        if not text or not artist.get_visible():
            continue
        if artist.get_usetex() or (artist.get_parse_math() and cbook.is_math_text(text)):
            continue
        needed = {
            ord(ch)
            for ch in text
            if ord(ch) not in _IGNORABLE and unicodedata.category(ch) != "Cc"
        }
        if not needed:
            continue
        fonts = [_font_charmap(p) for p in _fonts_for(artist.get_fontproperties())]
        for cp in sorted(needed):
            if cp not in missing and not any(cp in cmap for _, cmap in fonts):
                missing[cp] = (", ".join(name for name, _ in fonts), text)
    return missing


def _char_name(cp: int) -> str:
    return unicodedata.name(chr(cp), "unnamed character")


def _glyph_error(stem: str, missing: dict[int, tuple[str, str]]) -> MissingGlyphError:
    parts = [
        f"U+{cp:04X} {chr(cp)!r} ({_char_name(cp)}) missing from font(s) {fonts} "
        f"in text {text!r}"
        for cp, (fonts, text) in missing.items()
    ]
    return MissingGlyphError(
        f"figure {stem!r}: " + "; ".join(parts) + "; no file was written",
        stem=stem,
        codepoints=list(missing),
    )


def _error_from_warning(stem: str, warning: Warning) -> MissingGlyphError:
    message = str(warning)
    match = _GLYPH_WARNING_PARSE.search(message)
    if not match:  # pragma: no cover - the filter only lets matching ones through
        return MissingGlyphError(f"figure {stem!r}: {message}", stem=stem, codepoints=[])
    cp = int(match.group(1))
    return MissingGlyphError(
        f"figure {stem!r}: glyph U+{cp:04X} {chr(cp)!r} ({_char_name(cp)}) missing "
        f"from font(s) {match.group(3)}; no file was written",
        stem=stem,
        codepoints=[cp],
    )


def _cff_to_truetype(font: Any) -> None:
    """Convert a (subsetted) OpenType-CFF fontTools ``TTFont`` to TrueType outlines.

    Cubic CFF curves become quadratic TrueType curves (fontTools ``cu2qu``,
    max. error 1 font unit = 0.001 em, invisible); the glyph order, hence
    every glyph index, is unchanged.  Follows fontTools' ``otf2ttf`` snippet.
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise, TrueType ones clockwise.
        glyphset[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for glyph in glyphs.values():
        glyph.recalcBounds(glyf)
    del font["CFF "]
    if "VORG" in font:  # CFF-only table
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    maxp.maxZones = 1
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.recalc(font)
    font["post"].formatType = 3.0  # no glyph names; the PDF addresses glyphs by index
    font.sfntVersion = "\0\1\0\0"


def _normalise_formats(formats: str | Iterable[str]) -> list[str]:
    if isinstance(formats, str):
        formats = (formats,)
    result: list[str] = []
    for fmt in formats:
        fmt = str(fmt).lower().lstrip(".")
        if fmt not in FORMATS:
            raise ValueError(f"unsupported format {fmt!r}; choose from {FORMATS}")
        if fmt not in result:
            result.append(fmt)
    if not result:
        raise ValueError("no output format given")
    return result


def save_figure(
    fig: Figure,
    out_dir: str | os.PathLike[str],
    stem: str,
    formats: str | Iterable[str] = FORMATS,
) -> list[Path]:
    """Write *fig* as ``out_dir/stem.{pdf,svg,png}`` and return the paths.

    * PDF with embedded, subsetted CID fonts (CFF fonts converted to TrueType
      outlines once, see :func:`cjk_truetype_path`), SVG with text as outlines,
      PNG at 300 dpi; tight bounding box per rcParams (set by
      :func:`apply_style`).  ``pdf.fonttype``, ``svg.fonttype``,
      ``svg.hashsalt`` and the dpi are enforced here whatever rcParams say.
    * Byte-identical on reruns: no timestamps or software tags in the
      metadata, fixed ``svg.hashsalt``.
    * Atomic: every format is first written through :func:`aidlab.io.atomic_path`
      (a temporary file beside its target); only when all formats rendered and
      the glyph check passed are they all moved into place.  On any failure the
      temporary files are removed and existing files are left untouched.
    * Raises :class:`MissingGlyphError` if some text needs a glyph that its
      fonts lack (matplotlib would draw an empty box instead), naming the
      glyph and *stem*.
    """
    if not isinstance(stem, str) or not stem or stem in {".", ".."} or any(
        sep in stem for sep in {"/", "\\", os.sep}
    ):
        raise ValueError(f"stem must be a plain file name without directories, not {stem!r}")
    fmts = _normalise_formats(formats)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    # one atomic writer (aidlab.io.atomic_path) per format, all committed together when the block ends
    # without an error: a failed format or glyph check leaves every existing file as it was
    with contextlib.ExitStack() as commit, warnings.catch_warnings(), mpl.rc_context(_SAVE_RC):
        warnings.filterwarnings("error", message=_GLYPH_WARNING_RE, category=UserWarning)
        try:
            # Lay the figure out once so tick labels etc. hold their final
            # text, then check every character before writing anything.
            fig.draw_without_rendering()
            missing = _missing_glyphs(fig)
            if missing:
                raise _glyph_error(stem, missing)
            for fmt in fmts:
                tmp = commit.enter_context(atomic_path(out_dir / f"{stem}.{fmt}"))
                with open(tmp, "wb") as fh:
                    fig.savefig(fh, format=fmt, dpi=_DPI, metadata=_SAVE_METADATA[fmt])
                    fh.flush()
                    os.fsync(fh.fileno())
        except UserWarning as warning:
            if not re.match(_GLYPH_WARNING_RE, str(warning)):
                raise  # an error only because of the caller's own filters
            raise _error_from_warning(stem, warning) from None
        # Drawing sets tick labels; check again in their final state.
        missing = _missing_glyphs(fig)
        if missing:
            raise _glyph_error(stem, missing)
    return [out_dir / f"{stem}.{fmt}" for fmt in fmts]
