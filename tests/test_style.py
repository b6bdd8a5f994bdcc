"""The publication figure style: fonts, sizes, palette, and how figures are written."""
from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
import warnings
import xml.etree.ElementTree as ET
import zlib
from itertools import combinations
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from PIL import Image  # noqa: E402

from aidlab.plots import style as figstyle  # noqa: E402
from aidlab.plots.style import MissingGlyphError, apply_style, interval_dotplot, new_figure, save_figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DNA = "\U0001F9EC"  # DNA DOUBLE HELIX: in no installed font
EXT_B = "\U0002A6D6"  # CJK Unified Ideographs Extension B: not in Noto Sans CJK SC


pytestmark = pytest.mark.usefixtures("styled")


def _chinese_figure():
    fig, ax = new_figure()
    ax.bar(["医疗援藏", "援疆", "对口支援"], [12, 30, 7])
    ax.plot([-0.4, 2.4], [-3, 25], color=figstyle.PALETTE[3], label="趋势 trend")
    ax.set_title("援疆专家人数")
    ax.set_xlabel("医疗援藏")
    ax.set_ylabel("人数 (people)")
    ax.legend()
    return fig


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


# ------------------------------------------------------------------ constants
def test_column_widths_and_formats():
    assert figstyle.SINGLE_COLUMN_IN == 3.5
    assert figstyle.DOUBLE_COLUMN_IN == 7.2
    assert figstyle.FORMATS == ("pdf", "svg", "png")


def test_palette_is_seaborn_colorblind():
    assert sns.color_palette("colorblind").as_hex() == figstyle.PALETTE
    assert all(isinstance(c, str) and c.startswith("#") for c in figstyle.PALETTE)


def _lightness(colour: str) -> float:
    """CIE L* of an sRGB colour."""
    rgb = np.array(to_rgb(colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    y = float(lin @ [0.2126, 0.7152, 0.0722])
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def test_verdict_colours_from_palette_and_apart_in_greyscale():
    colours = figstyle.VERDICT_COLOURS
    assert set(colours) == {"consistent", "inconsistent", "indeterminate"}
    assert all(c in figstyle.PALETTE for c in colours.values())
    for a, b in combinations(colours.values(), 2):
        assert abs(_lightness(a) - _lightness(b)) >= 15, (a, b)


# ---------------------------------------------------------------------- fonts
def test_cjk_font_path_is_noto_from_mplfonts():
    path = figstyle.cjk_font_path()
    assert path.is_file()
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert "mplfonts" in path.parts
    assert font_manager.FontProperties(fname=path).get_name() == "Noto Sans CJK SC"


def test_cjk_font_path_names_package_when_missing(monkeypatch):
    monkeypatch.setattr(figstyle.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FileNotFoundError, match="mplfonts"):
        figstyle.cjk_font_path()


def test_cjk_font_path_names_package_when_file_missing(monkeypatch):
    monkeypatch.setattr(figstyle, "_FONT_RELPATH", ("fonts", "NoSuchFont.otf"))
    with pytest.raises(FileNotFoundError, match="mplfonts.*NoSuchFont"):
        figstyle.cjk_font_path()


def test_import_changes_no_global_state():
    script = textwrap.dedent(
        """
        import matplotlib as mpl
        from matplotlib import font_manager
        before = dict(mpl.rcParams)
        n_fonts = len(font_manager.fontManager.ttflist)
        import aidlab.plots.style
        assert dict(mpl.rcParams) == before
        assert len(font_manager.fontManager.ttflist) == n_fonts
        print("ok")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=_env(), timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


# ---------------------------------------------------------------------- style
def test_apply_style_rcparams():
    rc = mpl.rcParams
    assert rc["font.family"][0] == "Noto Sans CJK SC"
    assert "DejaVu Sans" in rc["font.family"]
    assert not any("simhei" in f.lower() for f in rc["font.family"] + rc["font.sans-serif"])
    for key in (
        "font.size",
        "axes.titlesize",
        "axes.labelsize",
        "xtick.labelsize",
        "ytick.labelsize",
        "legend.fontsize",
        "figure.titlesize",
    ):
        assert 8 <= font_manager.FontProperties(size=rc[key]).get_size_in_points() <= 9, key
    assert rc["pdf.fonttype"] == 42
    assert rc["svg.fonttype"] in {"path", "none"}
    assert rc["svg.hashsalt"]
    assert rc["savefig.dpi"] == 300
    assert rc["savefig.bbox"] == "tight"
    assert [c for c in rc["axes.prop_cycle"].by_key()["color"]] == figstyle.PALETTE
    found = font_manager.findfont(
        font_manager.FontProperties(family="Noto Sans CJK SC"), fallback_to_default=False
    )
    assert os.path.samefile(found, figstyle.cjk_truetype_path())


def test_apply_style_is_idempotent():
    first = dict(mpl.rcParams)
    apply_style()
    apply_style()
    assert dict(mpl.rcParams) == first
    path = os.path.realpath(figstyle.cjk_truetype_path())
    entries = [
        e for e in font_manager.fontManager.ttflist if os.path.realpath(e.fname) == path
    ]
    assert len({e.name for e in entries}) == len(entries)  # registered once


# --------------------------------------------------------------------- figure
@pytest.mark.parametrize(("width", "inches"), [("single", 3.5), ("double", 7.2)])
def test_new_figure_sizes(width, inches):
    fig, ax = new_figure(width)
    assert tuple(fig.get_size_inches()) == pytest.approx((inches, inches * 0.62))
    fig, axes = new_figure(width, aspect=1.0, nrows=2, ncols=3, sharex=True)
    assert tuple(fig.get_size_inches()) == pytest.approx((inches, inches))
    assert axes.shape == (2, 3)


def test_new_figure_rejects_unknown_width():
    with pytest.raises(ValueError, match="single"):
        new_figure("triple")
    with pytest.raises(ValueError):
        new_figure(aspect=0)


# ----------------------------------------------------------------------- save
def test_chinese_labels_write_all_three_formats(tmp_path):
    fig = _chinese_figure()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning at all, glyph or otherwise
        paths = save_figure(fig, tmp_path / "out", "zh")
    assert [p.name for p in paths] == ["zh.pdf", "zh.svg", "zh.png"]
    assert _files(tmp_path / "out") == ["zh.pdf", "zh.png", "zh.svg"]  # no temp files left
    assert paths[0].read_bytes().startswith(b"%PDF")
    ET.parse(paths[1])  # well-formed SVG
    with Image.open(paths[2]) as png:
        assert png.format == "PNG"
        assert png.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert "Software" not in png.info
        # tight bbox with constrained layout: about the single-column width
        assert 0.8 * 3.5 * 300 < png.width <= 3.5 * 300 + 2


def test_save_figure_subset_of_formats(tmp_path):
    fig = _chinese_figure()
    paths = save_figure(fig, tmp_path, "only_png", formats=("png",))
    assert paths == [tmp_path / "only_png.png"]
    assert _files(tmp_path) == ["only_png.png"]
    with pytest.raises(ValueError):
        save_figure(fig, tmp_path, "x", formats=("jpg",))
    with pytest.raises(ValueError):
        save_figure(fig, tmp_path, "sub/dir")


@pytest.mark.parametrize("char", [DNA, EXT_B], ids=["U+1F9EC", "U+2A6D6"])
def test_missing_glyph_raises_and_writes_nothing(tmp_path, char):
    fig = _chinese_figure()
    fig.axes[0].set_xlabel(f"医疗援藏 {char}")
    out = tmp_path / "out"
    with pytest.raises(MissingGlyphError) as info:
        save_figure(fig, out, "broken")
    message = str(info.value)
    assert f"U+{ord(char):04X}" in message
    assert "broken" in message
    assert info.value.stem == "broken"
    assert info.value.codepoints == [ord(char)]
    assert _files(out) == []


def test_missing_glyph_leaves_existing_files_untouched(tmp_path):
    good = save_figure(_chinese_figure(), tmp_path, "fig")
    before = {p.name: p.read_bytes() for p in good}
    fig = _chinese_figure()
    fig.axes[0].set_title(DNA)
    with pytest.raises(MissingGlyphError):
        save_figure(fig, tmp_path, "fig")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_missing_glyph_detected_after_figure_was_already_drawn(tmp_path):
    # matplotlib warns about a missing glyph only the first time the same figure
    # is rendered by Agg (e.g. a notebook displayed it); the check must not rely on it.
    fig = _chinese_figure()
    fig.axes[0].set_title(f"援疆 {DNA}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.canvas.draw()
        fig.canvas.draw()
    with pytest.raises(MissingGlyphError, match="U\\+1F9EC"):
        save_figure(fig, tmp_path, "drawn", formats=("png",))
    assert _files(tmp_path) == []


def test_missing_glyph_in_tick_labels(tmp_path):
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    ax.set_xticks([0, 1], ["援疆", EXT_B])
    with pytest.raises(MissingGlyphError, match="U\\+2A6D6"):
        save_figure(fig, tmp_path, "ticks")
    assert _files(tmp_path) == []


def test_glyph_warning_itself_becomes_error(tmp_path, monkeypatch):
    # Disable the character-map check to exercise the warning filter alone.
    monkeypatch.setattr(figstyle, "_missing_glyphs", lambda fig: {})
    fig = _chinese_figure()
    fig.axes[0].set_title(DNA)
    with pytest.raises(MissingGlyphError, match="U\\+1F9EC.*DNA DOUBLE HELIX") as info:
        save_figure(fig, tmp_path, "warned")
    assert "warned" in str(info.value)
    assert _files(tmp_path) == []


def test_other_warnings_are_not_glyph_errors(tmp_path):
    fig = _chinese_figure()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        paths = save_figure(fig, tmp_path, "fine")
    assert len(paths) == 3


# --------------------------------------------------------------- determinism
_RERUN_SCRIPT = """
import sys
import matplotlib
matplotlib.use("Agg")
from aidlab.plots.style import apply_style, new_figure, save_figure, VERDICT_COLOURS
apply_style()
fig, (ax1, ax2) = new_figure("double", nrows=1, ncols=2)
ax1.bar(["医疗援藏", "援疆", "对口支援"], [12, 30, 7], color=list(VERDICT_COLOURS.values()))
ax1.set_title("援疆专家人数")
ax1.set_xlabel("医疗援藏")
ax2.plot([1, 2, 3], [-1, 4, 2], marker="o", label="一致 consistent")
ax2.imshow([[0, 1], [1, 0]], extent=(1, 1.5, 2, 3), aspect="auto")
ax2.set_ylabel("$\\\\alpha$ 比例 (%)")
ax2.legend()
fig.suptitle("对口支援 2020–2024")
save_figure(fig, sys.argv[1], "rerun")
"""


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src")] + [p for p in [env.get("PYTHONPATH")] if p]
    )
    env["MPLBACKEND"] = "Agg"
    env.update(extra)
    return env


def test_byte_identical_in_fresh_processes(tmp_path):
    script = tmp_path / "make_fig.py"
    script.write_text(_RERUN_SCRIPT, encoding="utf-8")
    outs = []
    for seed in ("1", "2"):  # different hash seeds: no dependence on set/dict order
        out = tmp_path / f"run{seed}"
        proc = subprocess.run(
            [sys.executable, str(script), str(out)],
            capture_output=True,
            text=True,
            env=_env(PYTHONHASHSEED=seed),
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        outs.append(out)
    for fmt in figstyle.FORMATS:
        a = (outs[0] / f"rerun.{fmt}").read_bytes()
        b = (outs[1] / f"rerun.{fmt}").read_bytes()
        assert a == b, f"{fmt} differs between runs"


# ---------------------------------------------------------------- PDF fonts
def _pdf_objects(data: bytes) -> dict[int, bytes]:
    return {
        int(m.group(1)): m.group(2)
        for m in re.finditer(rb"(?m)^(\d+) 0 obj\s*(.*?)endobj", data, re.S)
    }


def _stream(obj: bytes) -> bytes:
    head, _, rest = obj.partition(b"stream")
    body = rest.lstrip(b"\r\n")
    length = int(re.search(rb"/Length (\d+)", head).group(1))
    body = body[:length]
    return zlib.decompress(body) if b"/FlateDecode" in head else body


def test_pdf_fonts_are_embedded(tmp_path):
    pdf = save_figure(_chinese_figure(), tmp_path, "fonts", formats=("pdf",))[0]
    data = pdf.read_bytes()
    objects = _pdf_objects(data)
    descriptors = [o for o in objects.values() if b"/Type /FontDescriptor" in o]
    assert descriptors
    for desc in descriptors:
        assert re.search(rb"/FontFile[23]? \d+ 0 R", desc), desc[:200]
    assert b"/Subtype /Type3" not in data  # no Type 3 fonts
    assert b"NotoSansCJKsc" in data
    assert b"SimHei" not in data
    # Every /FontFile2 must hold TrueType outlines, not CFF ("OTTO"), as the
    # PDF specification requires (matplotlib alone would put CFF there).
    for desc in descriptors:
        m = re.search(rb"/FontFile2 (\d+) 0 R", desc)
        if m:
            program = _stream(objects[int(m.group(1))])
            assert program[:4] in (b"\x00\x01\x00\x00", b"true"), program[:4]


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_reports_all_fonts_embedded(tmp_path):
    pdf = save_figure(_chinese_figure(), tmp_path, "fonts", formats=("pdf",))[0]
    proc = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Mismatch" not in proc.stderr, proc.stderr
    header, rule, *rows = proc.stdout.splitlines()
    assert rows, proc.stdout
    # columns: name type encoding emb sub uni object ID
    emb_at = header.index("emb")
    for row in rows:
        assert row[emb_at : emb_at + 3] == "yes", row
        assert "Type 3" not in row
    assert any("NotoSansCJKsc" in row and "CID TrueType" in row for row in rows), rows


# ---------------------------------------------------------------- real glyphs
def _render_text_png(tmp_path: Path, text: str, stem: str) -> np.ndarray:
    fig = plt.figure(figsize=(2.0, 1.0))
    fig.text(0.5, 0.5, text, fontsize=40, ha="center", va="center")
    with mpl.rc_context({"savefig.bbox": None}):  # same canvas for every text
        path = save_figure(fig, tmp_path, stem, formats=("png",))[0]
    plt.close(fig)
    with Image.open(path) as image:
        return np.asarray(image.convert("L"), dtype=int)


def test_png_chinese_text_draws_real_glyphs(tmp_path):
    text = _render_text_png(tmp_path, "援疆", "text")
    blank = _render_text_png(tmp_path, "  ", "blank")
    assert text.shape == blank.shape
    assert (blank < 250).sum() == 0  # background only
    assert (text < 128).sum() > 500  # dark ink where the label is
    # Different characters give different pictures; missing-glyph boxes would
    # all look alike (and raise MissingGlyphError before that anyway).
    one = _render_text_png(tmp_path, "医", "one")
    other = _render_text_png(tmp_path, "疆", "other")
    assert (np.abs(one - other) > 64).sum() > 200


# ----------------------------------------------------------- font, once
def test_registered_cjk_font_is_truetype_and_no_private_api_is_patched():
    from matplotlib.backends import _backend_pdf_ps

    path = figstyle.cjk_truetype_path()
    assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines, not CFF ('OTTO')
    assert font_manager.FontProperties(fname=path).get_name() == "Noto Sans CJK SC"
    before = _backend_pdf_ps.font_as_file
    assert _backend_pdf_ps.font_as_file is before
    assert not hasattr(figstyle, "_truetype_pdf_fonts")


# ------------------------------------------------------------- intervals
def test_interval_dotplot_draws_point_range_and_open():
    fig, ax = new_figure()
    drawn = interval_dotplot(ax, [206, 480000, 120000, 0], [206, 490000, math.inf, math.inf],
                             written=[206, 480000, 120000, math.nan], exact=[True, False, False, False],
                             no_bound="无界")
    assert drawn == ["point", "range", "open", "open"]
    assert ax.get_xscale() == "log"  # 206 … 490 000 spans more than 30×
    assert ax.get_ylim() == (3.5, -0.5)  # first row on top
    assert any(t.get_text() == "无界" for t in ax.texts)  # 0 … inf: no bound either side
    assert len(ax.patches) + len([c for c in ax.get_children() if c.__class__.__name__ == "Annotation"]) >= 2


def test_interval_limits_linear_when_close():
    assert figstyle.interval_limits([10, 20], [12, 25]) == (False, 0.0, 25 * 1.25)
    log, lo, hi = figstyle.interval_limits([1], [math.inf])
    assert (log, lo, hi) == (False, 0.0, 1.25)
    with pytest.raises(ValueError):
        interval_dotplot(new_figure()[1], [1, 2], [3])
