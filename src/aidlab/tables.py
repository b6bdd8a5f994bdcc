"""Exporting tables: one writer for every command (CSV, Parquet, xlsx by extension) and paper tables in LaTeX.

* :func:`write_table` picks the format from the file name (``.csv``, ``.parquet``, ``.xlsx``; ``-`` is
  CSV on stdout), writes atomically and, given the column descriptions, puts the data dictionary
  beside the table as ``<stem>.dictionary.csv``.  :func:`read_table` reads any of them back.
* :func:`latex_table` / :func:`write_latex` write a paper table that compiles: a ``longtable`` with
  ``booktabs`` rules and ``array`` ``p{}`` columns whose widths add up to the text width, numbers
  right-aligned, every LaTeX special character escaped.  English tables (``lang="en"``) must be
  plain pdflatex input: ∞, ≥, ≤, –, ·, × … become LaTeX commands and any other non-ASCII character
  (a Chinese quotation, say) is an error naming the column, so it is dropped or romanised before;
  Chinese tables (``lang="zh"``) are for xelatex with ``ctex``.  The preambles are
  :data:`PREAMBLES` (also written out in ``figures/README.md``).
"""
from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from .errors import AidlabError
from .io import atomic_path

__all__ = ["FORMATS", "TableFormatError", "PREAMBLES", "dictionary_frame", "write_table", "read_table", "latex_table", "write_latex"]

#: File extensions write_table understands.
FORMATS: tuple[str, ...] = (".csv", ".parquet", ".xlsx")

#: The preamble each kind of paper table compiles in (English: pdflatex; Chinese: xelatex).
PREAMBLES: dict[str, str] = {
    "en": "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs,longtable,array}\n",
    "zh": "\\documentclass{ctexart}\n\\usepackage{booktabs,longtable,array}\n",
}

_XLSX_INF = "inf"


class TableFormatError(AidlabError, ValueError):
    """A table path whose extension names no format write_table knows (the CLI exits 2 with the message)."""


def dictionary_frame(df: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """The data dictionary of a table: column, dtype, description; error when a column is undocumented."""
    undocumented = [c for c in df.columns if c not in columns]
    if undocumented:
        raise ValueError(f"column(s) without a data-dictionary entry: {', '.join(map(str, undocumented))}")
    return pd.DataFrame(
        {"column": list(df.columns), "dtype": [str(t) for t in df.dtypes],
         "description": [columns[c] for c in df.columns]}
    )


def table_format(path: Path) -> str:
    """The format (".csv", ".parquet", ".xlsx") a table path names; TableFormatError for any other extension."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise TableFormatError(f"{path}: unknown table format {suffix or '(no extension)'!r}; "
                         f"use one of {', '.join(FORMATS)}")
    return suffix


def _write_csv(df: pd.DataFrame, target: object) -> None:
    df.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")


def write_table(df: pd.DataFrame, path: str | Path, columns: Mapping[str, str] | None = None, *,
                dictionary: bool = True) -> tuple[Path, ...]:
    """Write `df` to `path` in the format its extension names; its data dictionary beside it.

    ``.csv`` (UTF-8), ``.parquet`` (pyarrow) or ``.xlsx`` (openpyxl; ±inf written as the text
    'inf'/'-inf', which :func:`read_table` turns back into numbers); ``-`` writes CSV to stdout.
    With `columns` (column → description) every column must be documented, and unless
    ``dictionary=False`` the dictionary goes to ``<stem>.dictionary.csv``.  Returns the paths written.
    """
    dict_df = dictionary_frame(df, columns) if columns is not None else None
    if str(path) == "-":
        _write_csv(df, sys.stdout)
        return ()
    path = Path(path)
    fmt = table_format(path)
    with atomic_path(path, suffix=fmt) as tmp:
        if fmt == ".csv":
            _write_csv(df, tmp)
        elif fmt == ".parquet":
            df.to_parquet(tmp, index=False, engine="pyarrow")
        else:
            df.to_excel(tmp, index=False, engine="openpyxl", inf_rep=_XLSX_INF)
    written: tuple[Path, ...] = (path,)
    if dict_df is not None and dictionary:
        dict_path = path.with_name(f"{path.stem}.dictionary.csv")
        with atomic_path(dict_path) as tmp:
            _write_csv(dict_df, tmp)
        written += (dict_path,)
    return written


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a table written by :func:`write_table` (format from the extension)."""
    path = Path(path)
    fmt = table_format(path)
    if fmt == ".csv":
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    if fmt == ".parquet":
        return pd.read_parquet(path)
    df = pd.read_excel(path, engine="openpyxl")
    for col in df.columns:
        if df[col].dtype == object:
            as_text = df[col].astype(str)
            infinite = as_text.isin([_XLSX_INF, f"-{_XLSX_INF}"])
            if infinite.any():
                numbers = pd.to_numeric(df[col].where(~infinite), errors="coerce")
                if (numbers.notna() | infinite | df[col].isna()).all():
                    df[col] = numbers.where(~infinite, as_text.map(lambda s: -math.inf if s.startswith("-") else math.inf))
    return df


# ------------------------------------------------------------------ LaTeX
_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
             "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
# Non-ASCII characters an English (pdflatex) table may contain, as LaTeX.
_ASCII_LATEX = {"∞": r"$\infty$", "≥": r"$\geq$", "≤": r"$\leq$", "–": "--", "—": "---", "·": r"$\cdot$",
                "×": r"$\times$", "÷": r"$\div$", "±": r"$\pm$", "…": r"\dots{}", "’": "'", "‘": "`",
                "“": "``", "”": "''", "\u00a0": "~", "−": "$-$"}


def _escape(text: str, lang: str, column: str) -> str:
    out = []
    for ch in text:
        if ch in _SPECIALS:
            out.append(_SPECIALS[ch])
        elif lang == "en" and ch in _ASCII_LATEX:
            out.append(_ASCII_LATEX[ch])
        elif lang == "en" and ord(ch) > 127:
            raise ValueError(f"column {column!r}: character {ch!r} (U+{ord(ch):04X}) in {text!r} does not "
                             "compile with pdflatex; drop or romanise the column in an English table")
        elif ch == "\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def latex_table(df: pd.DataFrame, caption: str, label: str, *, lang: str = "en",
                widths: Mapping[str, float] | None = None, numeric: Sequence[str] = ()) -> str:
    """A paper table as a ``longtable`` (booktabs rules, ``array`` columns) that fits the text width.

    `numeric` columns are right-aligned (``r``); every other column is a ragged-right ``p{}`` column
    whose width is its share in `widths` (relative weights; default: its longest word) of what the numeric
    columns (their width estimated from their longest entry) and the padding leave of ``\\linewidth``;
    a numeric column's header is set on one line per word.  The header repeats on every page.
    """
    if lang not in PREAMBLES:
        raise ValueError(f"lang must be one of {tuple(PREAMBLES)}, not {lang!r}")
    cols = [str(c) for c in df.columns]
    unknown = [c for c in numeric if c not in cols]
    if unknown:
        raise ValueError(f"numeric column(s) not in the table: {unknown}")
    text_cols = [c for c in cols if c not in numeric]

    def em(text: str) -> float:  # rough widths at 10 pt: CJK 1 em, capitals 0.72, digits 0.5, punctuation 0.28
        return sum(1.0 if ord(ch) > 0x2E7F else 0.72 if ch.isupper() else 0.5 if ch.isdigit()
                   else 0.28 if ch in ",.:;·'" else 0.55 for ch in text)

    def longest_word(c: str) -> float:
        return max([em(w) for w in c.split()] + [em(w) for v in df[c] for w in str(v).split()] + [0.6])

    # Each numeric column takes its natural width (estimated; a header on one line per word); the text
    # columns share what is left of the line, by default in proportion to their longest word, so that
    # no word sticks out of its column.
    def natural_em(c: str) -> float:
        return max([em(w) for w in c.split()] + [em(str(v)) for v in df[c]] + [0.6]) + 0.2

    weights = {c: max(1, round(10 * float((widths or {}).get(c, longest_word(c) + 1.0)))) for c in text_cols}
    total = sum(weights.values())
    reserve = sum(natural_em(c) for c in cols if c in numeric)
    k = len(cols)
    spec = []
    for c in cols:
        if c in numeric:
            spec.append("r")
        else:
            spec.append(f">{{\\raggedright\\arraybackslash}}p{{\\dimexpr(\\linewidth-{reserve:.1f}em-{2 * k}\\tabcolsep)"
                        f"*{weights[c]}/{total}\\relax}}")

    def head(c: str) -> str:
        words = c.split()
        if c in numeric and len(words) > 1:  # a narrow numeric column: its header on several lines
            return "\\begin{tabular}[b]{@{}r@{}}" + "\\\\".join(_escape(w, lang, c) for w in words) + "\\end{tabular}"
        return _escape(c, lang, c)

    header = " & ".join(head(c) for c in cols) + r" \\"
    lines = [
        f"\\begin{{longtable}}{{@{{}}{''.join(spec)}@{{}}}}",
        f"\\caption{{{_escape(caption, lang, 'caption')}}}\\label{{{label}}}\\\\",
        r"\toprule", header, r"\midrule", r"\endfirsthead",
        r"\toprule", header, r"\midrule", r"\endhead",
        r"\bottomrule", r"\endlastfoot",
    ]
    for row in df.itertuples(index=False):
        cells = ["" if (isinstance(v, float) and math.isnan(v)) else _escape(str(v), lang, c) for c, v in zip(cols, row)]
        lines.append(" & ".join(cells) + r" \\")
    lines.append(r"\end{longtable}")
    return "\n".join(lines) + "\n"


def write_latex(df: pd.DataFrame, path: str | Path, caption: str, label: str, *, lang: str = "en",
                widths: Mapping[str, float] | None = None, numeric: Sequence[str] = ()) -> Path:
    """Write :func:`latex_table` to `path`, atomically."""
    text = latex_table(df, caption, label, lang=lang, widths=widths, numeric=numeric)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
