"""One table writer for every format, and paper tables that compile in their preambles."""
from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from aidlab import tables

COLUMNS = {"claim_id": "Claim id.", "text": "As written.", "low": "Low end.", "high": "High end.", "damaged": "Damaged?",
           "n": "A count."}


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "claim_id": ["a#1", "a#2", "b#1"], "text": ["超过12万人次", "700余台次", "?78人"],
        "low": [120000.0, 700.0, 178.0], "high": [math.inf, 800.0, 978.0],
        "damaged": [False, False, True], "n": [1, 2, 3],
    })


@pytest.mark.parametrize("ext", [".csv", ".parquet", ".xlsx"])
def test_round_trip_by_extension(tmp_path, ext):
    df = _frame()
    written = tables.write_table(df, tmp_path / f"claims{ext}", COLUMNS)
    assert [p.name for p in written] == [f"claims{ext}", "claims.dictionary.csv"]
    back = tables.read_table(tmp_path / f"claims{ext}")
    assert list(back.columns) == list(df.columns)
    assert back["text"].tolist() == df["text"].tolist()
    assert back["low"].tolist() == df["low"].tolist()
    assert back["high"].tolist() == df["high"].tolist()  # inf survives every format
    assert back["damaged"].astype(bool).tolist() == df["damaged"].tolist()
    assert back["n"].astype(int).tolist() == [1, 2, 3]
    dictionary = pd.read_csv(tmp_path / "claims.dictionary.csv")
    assert dictionary["column"].tolist() == list(df.columns)


def test_file_kinds_are_what_the_extension_says(tmp_path):
    tables.write_table(_frame(), tmp_path / "x.parquet")
    tables.write_table(_frame(), tmp_path / "x.xlsx")
    assert (tmp_path / "x.parquet").read_bytes()[:4] == b"PAR1"
    assert (tmp_path / "x.xlsx").read_bytes()[:2] == b"PK"  # a zip (Office Open XML)
    assert not (tmp_path / "x.dictionary.csv").exists()  # no dictionary without descriptions


def test_unknown_extension_and_undocumented_column_write_nothing(tmp_path):
    with pytest.raises(ValueError, match=r"\.json"):
        tables.write_table(_frame(), tmp_path / "x.json")
    with pytest.raises(ValueError, match="n"):
        tables.write_table(_frame(), tmp_path / "x.csv", {k: v for k, v in COLUMNS.items() if k != "n"})
    assert list(tmp_path.iterdir()) == []


def test_stdout(capsys):
    assert tables.write_table(_frame(), "-") == ()
    assert capsys.readouterr().out.splitlines()[0] == "claim_id,text,low,high,damaged,n"


# ------------------------------------------------------------------ LaTeX
def _paper(lang: str) -> pd.DataFrame:
    rows = 70  # longer than a page
    return pd.DataFrame({
        "Document": [f"00{i % 5} · 2024-06-0{i % 9 + 1}" for i in range(rows)],
        "Programme": ["Medical aid to Xinjiang (organised, group-style) & more_text"] * rows,
        "As written" if lang == "en" else "原文": ([">120,000 visits", "~700 operations"] if lang == "en"
                                                  else ["超过12万人次", "700余台次"]) * (rows // 2),
        "Low": [f"{120000 + i:,}" for i in range(rows)],
        "High": ["∞" if i % 2 else "800" for i in range(rows)],
    })


def test_latex_structure_escapes_and_fits():
    tex = tables.latex_table(_paper("en"), "Outputs [low, high] (∞: no upper bound), 100%", "tab:x",
                             numeric=["Low", "High"], widths={"Programme": 2})
    assert tex.startswith("\\begin{longtable}{@{}") and tex.rstrip().endswith("\\end{longtable}")
    for cmd in ("\\toprule", "\\midrule", "\\bottomrule", "\\endhead", "\\endfirsthead"):
        assert cmd in tex
    assert "$\\infty$" in tex and "∞" not in tex and "\\&" in tex and "more\\_text" in tex and "100\\%" in tex
    assert all(ord(ch) < 128 for ch in tex)  # plain pdflatex input
    spec = tex.splitlines()[0]
    assert spec.count("rr@{}") == 1  # numbers right-aligned
    shares = [(int(a), int(b)) for a, b in re.findall(r"\\tabcolsep\)\*(\d+)/(\d+)\\relax", spec)]
    assert len(shares) == 3 and sum(a for a, _ in shares) == shares[0][1]  # the text columns share the rest


def test_english_table_refuses_chinese():
    with pytest.raises(ValueError, match="原文|romanise"):
        tables.latex_table(_paper("zh"), "c", "tab:x", numeric=["Low"])


def _compile(tmp_path: Path, engine: str, lang: str, body: str) -> str:
    doc = tables.PREAMBLES[lang] + "\\begin{document}\n" + body + "\\end{document}\n"
    (tmp_path / "t.tex").write_text(doc, encoding="utf-8")
    for _ in range(2):  # longtable settles its column widths on the second run
        proc = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout[-3000:]
    return (tmp_path / "t.log").read_text(encoding="utf-8", errors="replace")


def _overfull(log: str) -> list[float]:
    return [float(x) for x in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", log)]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_english_table_compiles_with_pdflatex(tmp_path):
    body = tables.latex_table(_paper("en"), "Outputs (∞: no upper bound)", "tab:x", numeric=["Low", "High"])
    log = _compile(tmp_path, "pdflatex", "en", body)
    assert all(w <= 20 for w in _overfull(log)), _overfull(log)


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex not installed")
def test_chinese_table_compiles_with_xelatex(tmp_path):
    body = tables.latex_table(_paper("zh"), "主要产出（∞ 表示无上限）", "tab:x", lang="zh", numeric=["Low", "High"])
    log = _compile(tmp_path, "xelatex", "zh", body)
    assert all(w <= 20 for w in _overfull(log)), _overfull(log)


# ------------------------------------------- the paper tables the notebook wrote
PAPER_TABLES = sorted((Path(__file__).resolve().parents[1] / "figures" / "tables").glob("*.tex"))


def test_paper_tables_are_there_in_both_languages():
    stems = {p.stem for p in PAPER_TABLES}
    assert stems, "figures/tables/*.tex missing: run `make run`"
    for stem in stems:
        other = stem[:-2] + ("zh" if stem.endswith("_en") else "en")
        assert other in stems, other
    for p in PAPER_TABLES:
        if p.stem.endswith("_en"):
            text = p.read_text(encoding="utf-8")
            assert all(ord(ch) < 128 for ch in text), p.name  # plain pdflatex input
            assert "\\begin{longtable}" in text and "\\toprule" in text, p.name


@pytest.mark.parametrize("path", PAPER_TABLES, ids=[p.stem for p in PAPER_TABLES])
def test_paper_table_compiles_without_overfull_box(tmp_path, path):
    lang = "zh" if path.stem.endswith("_zh") else "en"
    engine = "xelatex" if lang == "zh" else "pdflatex"
    if shutil.which(engine) is None:
        pytest.skip(f"{engine} not installed")
    log = _compile(tmp_path, engine, lang, path.read_text(encoding="utf-8"))
    assert all(w <= 20 for w in _overfull(log)), (path.name, _overfull(log))
