"""The column registry: one description per column name, and every table dictionary built from it."""
from __future__ import annotations

import ast
import io
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from aidlab import attribution, pipeline, series
from aidlab import checks as reconcile
from aidlab.checks import republication
from aidlab.claims import extract as claims
from aidlab.corpus import load, manifest
from aidlab.fields import ATTRIBUTION_SHARED, CHECK_KIND_NAMES, FIELDS, table_columns
from aidlab.text import clean
from aidlab.text.segment import SEGMENT_KINDS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "aidlab"

#: Every table dictionary of the package, by where it lives.
TABLES: dict[str, dict[str, str]] = {
    "load.DOCUMENT_COLUMNS": load.DOCUMENT_COLUMNS,
    "clean.CLEAN_DOCUMENT_COLUMNS": clean.CLEAN_DOCUMENT_COLUMNS,
    "clean.SEGMENT_COLUMNS": clean.SEGMENT_COLUMNS,
    "clean.SPAN_COLUMNS": clean.SPAN_COLUMNS,
    "claims.CLAIM_COLUMNS": claims.CLAIM_COLUMNS,
    "republication.REPUBLICATION_COLUMNS": republication.REPUBLICATION_COLUMNS,
    "reconcile.CHECK_COLUMNS": reconcile.CHECK_COLUMNS,
    "pipeline.DOCUMENTS_COLUMNS": pipeline.DOCUMENTS_COLUMNS,
    "pipeline.CLAIMS_COLUMNS": pipeline.CLAIMS_COLUMNS,
    "manifest.MANIFEST_COLUMNS": manifest.MANIFEST_COLUMNS,
    "series.SERIES_COLUMNS": series.SERIES_COLUMNS,
    "series.DISAGREEMENT_COLUMNS": series.DISAGREEMENT_COLUMNS,
}
#: Owned by aidlab.attribution, which still writes its descriptions out; the registry reads them from there.
ATTRIBUTION_TABLES = {"attribution.ATTRIBUTION_COLUMNS": attribution.ATTRIBUTION_COLUMNS,
                      "attribution.DOCUMENT_DATE_COLUMNS": attribution.DOCUMENT_DATE_COLUMNS}


def _notebook_columns() -> tuple[dict[str, str], str]:
    """Notebook 05's COLUMNS (its data-dictionary cell run on its own) and that cell's source."""
    nb = nbformat.read(ROOT / "notebooks" / "05_figures.ipynb", as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and "\nCOLUMNS = {" in f"\n{c.source}"]
    assert len(cells) == 1, "notebook 05 has one COLUMNS cell"
    ns: dict = {"table_columns": table_columns}
    exec(cells[0], ns)  # noqa: S102 - the notebook's own cell, a dict literal
    return ns["COLUMNS"], cells[0]


@pytest.mark.parametrize("name", TABLES)
def test_every_column_of_a_package_table_has_the_registry_description(name):
    columns = TABLES[name]
    assert [c for c in columns if c not in FIELDS] == [], f"{name}: columns missing from aidlab.fields.FIELDS"
    assert {c: d for c, d in columns.items() if d != FIELDS[c]} == {}, f"{name} describes a column its own way"


def test_notebook_05_describes_only_its_own_columns():
    columns, source = _notebook_columns()
    package_names = {c for t in (*TABLES.values(), *ATTRIBUTION_TABLES.values()) for c in t}
    shared = {c for c in columns if c in FIELDS}
    assert shared, "notebook 05 takes the shared columns from aidlab.fields"
    assert {c for c in shared if columns[c] != FIELDS[c]} == set()
    own = [c for c in columns if c not in FIELDS]
    assert [c for c in own if c in package_names] == []
    # the literal names no registry column: its own entries only (the shared ones come from table_columns)
    literal = ast.parse(source).body
    keys = {k.value for node in ast.walk(ast.Module(body=literal, type_ignores=[]))
            if isinstance(node, ast.Dict) for k in node.keys if isinstance(k, ast.Constant)}
    assert keys & set(FIELDS) == set(), "notebook 05 writes out a description the registry has"


def test_no_package_table_writes_out_descriptions():
    """A module-level *_COLUMNS dict literal is a table describing columns itself (attribution excepted, see ATTRIBUTION_TABLES)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "fields.py" or "attribution" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = node.target if isinstance(node, ast.AnnAssign) else (node.targets[0] if isinstance(node, ast.Assign) else None)
            if isinstance(target, ast.Name) and target.id.endswith("_COLUMNS") and isinstance(node.value, ast.Dict):
                offenders.append(f"{path.relative_to(PACKAGE)}:{target.id}")
    assert offenders == []


def test_attribution_descriptions_are_read_from_attribution():
    for table, columns in ATTRIBUTION_TABLES.items():
        for c, d in columns.items():
            if c in ATTRIBUTION_SHARED:
                assert d in FIELDS[c], f"{table}[{c!r}]: the registry's description must start from attribution's"
            else:
                assert FIELDS[c] == d, f"{table}[{c!r}] and aidlab.fields.FIELDS differ"
    # a widened name is one a table other than attribution's (and the claims table that includes them) uses
    others = {c for n, t in TABLES.items() if n != "pipeline.CLAIMS_COLUMNS" for c in t}
    assert [c for c in ATTRIBUTION_SHARED if c not in others] == []


def test_every_registry_description_is_used_by_a_table():
    used = {c for t in (*TABLES.values(), *ATTRIBUTION_TABLES.values()) for c in t} | set(_notebook_columns()[0])
    assert sorted(set(FIELDS) - used) == []


def test_numbers_written_in_descriptions_match_their_modules():
    assert f"< {load.LOW_CONFIDENCE}" in FIELDS["encoding_flag"]
    assert f"fewer than {load.MIN_EVIDENCE_CHARS} non-ASCII" in FIELDS["encoding_confidence"]
    assert f"character {republication.SHINGLE}-grams" in FIELDS["republication_group"]
    assert f"at least {republication.CONTAINMENT_THRESHOLD:.0%} contained" in FIELDS["republication_group"]
    assert tuple(reconcile.KINDS) == CHECK_KIND_NAMES
    assert all(k in FIELDS["kind"] for k in (*reconcile.KINDS, *SEGMENT_KINDS))


def test_table_columns_keeps_order_and_refuses_overrides_unknown_and_repeated_names():
    assert list(table_columns(["text", "doc_id"])) == ["text", "doc_id"]
    with pytest.raises(TypeError, match="override"):
        table_columns(["doc_id"], doc_id="Mine.")
    with pytest.raises(KeyError, match="no_such_column"):
        table_columns(["doc_id", "no_such_column"])
    with pytest.raises(ValueError, match="doc_id"):
        table_columns(["doc_id", "doc_id"])


def test_the_data_dictionary_document_shows_the_registry():
    """docs/data_dictionary.md is current (tests/test_views_and_dictionary.py) and so shows these descriptions."""
    doc = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    for columns in (manifest.MANIFEST_COLUMNS, *pipeline.TABLE_DICTIONARIES.values()):
        for c in columns:
            assert f"| `{c}` | {FIELDS[c].replace('|', '/')} |" in doc, c


def test_stored_figure_dictionaries_carry_the_registry_descriptions():
    """The figure tables' dictionaries kept in figures/ (written by notebooks 05 and 06) say what the registry says."""
    files = subprocess.run(["git", "ls-files", "figures/*.dictionary.csv"], cwd=ROOT, capture_output=True,
                           text=True, check=False).stdout.split()
    if not files:
        pytest.skip("not a git checkout")
    stale = []
    for f in files:
        d = pd.read_csv(io.StringIO((ROOT / f).read_text(encoding="utf-8")), dtype=str, keep_default_na=False)
        stale += [f"{f}:{c}" for c, desc in zip(d["column"], d["description"]) if c in FIELDS and desc != FIELDS[c]]
    assert stale == [], "figures/ is stale: run `make run`"
