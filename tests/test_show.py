"""`aidlab show CLAIM_ID` and exports by extension through the CLI, on the seed corpus."""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from aidlab.build import build_corpus, load_tables
from aidlab.cli import main
from aidlab.errors import AidlabError
from aidlab.show import claim_report

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    tables_dir = build_corpus(ROOT / "seeds", build)
    return build, tables_dir, load_tables(tables_dir)


def test_show_a_damaged_claim_with_its_page_offsets_and_no_check(built):
    _, tables_dir, tables = built
    claims = tables["claims"]
    claim = claims[claims["text"] == "?78人"].iloc[0]
    report = claim_report(claim["claim_id"], tables, tables_dir, ROOT / "seeds")
    assert f"claim    {claim['claim_id']}  ?78人" in report
    assert "000_422a70e95627b730.txt" in report
    assert "url      not stated" in report and "date     unknown" in report
    assert "damaged" in report and "[178, 978]" in report
    assert "【?78人】" in report  # marked in the sentence and in the raw context
    assert f"characters {int(claim['raw_start'])}-{int(claim['raw_end'])} of the decoded page" in report
    raw = (ROOT / "seeds" / "000_422a70e95627b730.txt").read_text(encoding="utf-8")
    assert raw[int(claim["raw_start"]):int(claim["raw_end"])] == claim["raw_text"]


def test_show_lists_every_check_that_uses_the_claim(built):
    _, tables_dir, tables = built
    checks = tables["checks"]
    grim = checks[(checks["kind"] == "grim") & (checks["verdict"] == "indeterminate")].iloc[0]
    claim_id = grim["claim_ids"].split(";")[0]
    report = claim_report(claim_id, tables, tables_dir, ROOT / "seeds")
    uses = checks[checks["claim_ids"].str.split(";").map(lambda ids: claim_id in ids)]
    assert f"checks   {len(uses)} use this claim:" in report
    for row in uses.itertuples():
        assert f"{row.check_id} [{row.verdict}]" in report
    sentence = report.split("sentence ", 1)[1].splitlines()[0]
    claim = tables["claims"].set_index("claim_id").loc[claim_id]
    assert f"【{claim['text']}】" in sentence and sentence.replace("【", "").replace("】", "") == claim["sentence"]


def test_show_unknown_claim_suggests_close_ids(built):
    _, tables_dir, tables = built
    with pytest.raises(AidlabError, match="did you mean 000_422a70e95627b730#1"):
        claim_report("000_422a70e95627b730#1000", tables, tables_dir)


def test_show_command_builds_when_missing(tmp_path, capsys):
    assert main(["show", "004_53f25166de287fa3#3", "--corpus", str(ROOT / "seeds"), "--build", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "超过12万人次" in out and "福建日报" in out and "2023-05-09" in out
    assert (tmp_path / "seeds" / "claims.parquet").exists()


@pytest.mark.parametrize("ext", ["csv", "parquet", "xlsx"])
def test_claims_export_by_extension(tmp_path, ext):
    out = tmp_path / f"claims.{ext}"
    proc = subprocess.run([sys.executable, "-m", "aidlab.cli", "claims", str(ROOT / "seeds"), "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    from aidlab.tables import read_table

    back = read_table(out)
    assert len(back) > 100 and "claim_id" in back.columns
    assert (tmp_path / "claims.dictionary.csv").exists()
    open_ended = back[back["text"] == "超过12万人次"]
    assert math.isinf(float(open_ended["high"].iloc[0]))


def test_export_refuses_unknown_extension(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "aidlab.cli", "claims", str(ROOT / "seeds"), "--out",
                           str(tmp_path / "claims.json")], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2 and ".json" in proc.stderr and "Traceback" not in proc.stderr
    assert not list(tmp_path.iterdir())


def test_parquet_keeps_dtypes(built):
    _, tables_dir, _ = built
    claims = pd.read_parquet(tables_dir / "claims.parquet")
    assert claims["damaged"].dtype == bool and claims["raw_start"].dtype.kind == "i"
