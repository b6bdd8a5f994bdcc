"""Exporting tables: every CSV goes out with a data dictionary beside it, both written atomically."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .io import atomic_path


def dictionary_frame(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The data dictionary of a table: column, dtype, description; error when a column is undocumented."""
    undocumented = [c for c in df.columns if c not in columns]
    if undocumented:
        raise ValueError(f"column(s) without a data-dictionary entry: {', '.join(map(str, undocumented))}")
    return pd.DataFrame(
        {"column": list(df.columns), "dtype": [str(t) for t in df.dtypes], "description": [columns[c] for c in df.columns]}
    )


def write_table(df: pd.DataFrame, path: str | Path, columns: dict[str, str]) -> tuple[Path, Path]:
    """Write `df` as UTF-8 CSV and its data dictionary as `<stem>.dictionary.csv` beside it."""
    path = Path(path)
    dictionary = dictionary_frame(df, columns)
    dict_path = path.with_name(f"{path.stem}.dictionary.csv")
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    with atomic_path(dict_path) as tmp:
        dictionary.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return path, dict_path


def write_latex(df: pd.DataFrame, path: str | Path, caption: str, label: str) -> Path:
    """Write a table as a LaTeX `table` environment (booktabs), atomically."""
    latex = df.to_latex(index=False, caption=caption, label=label, escape=True)
    with atomic_path(path) as tmp:
        tmp.write_text(latex, encoding="utf-8")
    return Path(path)
