"""Bad input, bad paths and interruptions (issue 10): evidence is never destroyed, errors are one line.

Every test builds its own corpus in a temporary folder; the seeds are never touched.
"""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from aidlab import io as aio
from aidlab.cli import main
from aidlab.corpus.load import LOW_CONFIDENCE, detect_encoding, read_documents
from aidlab.corpus.manifest import (
    read_manifest,
    require_manifest,
    sha256_file,
    update_manifest,
)
from aidlab.errors import LoadError, LoadWarning, ManifestError, OutputError

ARTICLE = (
    "第十批援疆医疗队圆满完成任务\n\n"
    "记者从自治区卫生健康委获悉，今年以来，第十批援疆医疗队共派出专家215名，累计接诊患者3.2万人次，"
    "开展手术1200余台，培训当地医务人员860人次。\n\n"
    "援疆医生在喀什地区第一人民医院建立了12个重点专科，帮助当地填补技术空白近百项。"
    "医疗队队长表示，下一步将继续推进“组团式”帮扶，让群众在家门口看得上病、看得好病。\n"
)


def _corpus(tmp_path: Path, name: str = "corpus", pages: dict[str, str | bytes] | None = None,
            manifest: bool = True) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file, content in (pages or {"page_a.txt": ARTICLE, "page_b.txt": ARTICLE.replace("215名", "198名")}).items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / file).write_bytes(data)
    if manifest:
        update_manifest(folder)
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _run(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    err = capsys.readouterr().err
    return code, err


# --- 1. outputs never land on the evidence ------------------------------------------------------


@pytest.mark.parametrize("target", ["page_a.txt", "manifest.csv", "claims.csv", "sub/claims.csv"])
def test_claims_out_onto_or_into_the_corpus_is_refused(tmp_path, capsys, target):
    corpus = _corpus(tmp_path)
    (corpus / "sub").mkdir()
    before = _snapshot(corpus)
    code, err = _run(capsys, "claims", corpus, "--out", corpus / target)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aidlab: error:")
    assert str(corpus / target) in err and str(corpus) in err.replace(str(corpus / target), "")
    assert _snapshot(corpus) == before  # evidence byte for byte


def test_guard_resolves_relative_paths_and_symlinks(tmp_path, capsys, monkeypatch):
    corpus = _corpus(tmp_path)
    (tmp_path / "alias").symlink_to(corpus, target_is_directory=True)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    before = _snapshot(corpus)
    for out in ("../corpus/page_a.txt", "../alias/page_b.txt", "../alias/new.csv", str(tmp_path / "alias" / "manifest.csv")):
        code, err = _run(capsys, "reconcile", "../corpus", "--out", out)
        assert code == 2, out
        assert out in err
    # an input page given through the link, output onto the page by its real path
    code, err = _run(capsys, "claims", "../alias/page_a.txt", "--out", corpus / "page_a.txt")
    assert code == 2 and "page_a.txt" in err
    assert _snapshot(corpus) == before


def test_page_input_protects_its_corpus_folder_but_not_a_loose_folder(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    code, err = _run(capsys, "claims", corpus / "page_a.txt", "--out", corpus / "claims.csv")
    assert code == 2 and "inside the input corpus folder" in err
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "note.txt").write_text(ARTICLE, encoding="utf-8")
    code, err = _run(capsys, "claims", loose / "note.txt", "--out", loose / "claims.csv")
    assert code == 0, err
    assert "215名" in (loose / "claims.csv").read_text(encoding="utf-8")
    code, err = _run(capsys, "claims", loose / "note.txt", "--out", loose / "note.txt")
    assert code == 2 and "is the input page" in err
    assert (loose / "note.txt").read_text(encoding="utf-8") == ARTICLE


def test_clean_out_folder_inside_or_around_the_corpus_is_refused(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    before = _snapshot(corpus)
    for out, words in ((corpus, "inside"), (corpus / "clean_out", "inside"), (tmp_path, "contains")):
        code, err = _run(capsys, "clean", corpus, "--out", out)
        assert code == 2 and words in err and str(corpus) in err, (out, err)
    assert _snapshot(corpus) == before
    code, err = _run(capsys, "clean", corpus, "--out", tmp_path / "out")
    assert code == 0, err
    assert (tmp_path / "out" / "clean" / "page_a.txt").exists()


def test_run_refuses_build_or_figures_inside_the_corpus(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    code, err = _run(capsys, "run", "--corpus", corpus, "--build", corpus / "build", "--notebooks", tmp_path)
    assert code == 2 and "--build" in err and str(corpus) in err
    code, err = _run(capsys, "run", "--corpus", corpus, "--build", tmp_path / "b", "--figures", corpus / "fig",
                     "--notebooks", tmp_path)
    assert code == 2 and "--figures" in err


def test_run_without_manifest_says_how_to_make_one(tmp_path, capsys):
    corpus = _corpus(tmp_path, manifest=False)
    code, err = _run(capsys, "run", "--corpus", corpus, "--build", tmp_path / "b", "--notebooks", tmp_path)
    assert code == 2
    assert f"run `aidlab manifest {corpus}`" in err
    with pytest.raises(ManifestError, match="no manifest.csv"):
        require_manifest(corpus)
    # claims keeps loading a folder without a manifest (checksum no-manifest)
    docs = read_documents(corpus)
    assert set(docs["checksum"]) == {"no-manifest"}


# --- 2. the one writer: regular files atomically, devices/FIFOs streamed, links written through ----


def test_out_dev_null_stays_a_device(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    code, err = _run(capsys, "claims", corpus, "--out", "/dev/null")
    assert code == 0, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not os.path.exists("/dev/null.dictionary.csv")  # no dictionary beside a device


def test_out_fifo_is_streamed_into(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    fifo = tmp_path / "claims.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, err = _run(capsys, "reconcile", corpus, "--out", fifo)
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.fifo", "corpus"]
    assert received and received[0].startswith(b"check_id,kind,verdict")


def test_out_symlink_is_written_through_and_stays_a_link(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "made_by_aidlab.csv")
    for out in (link, dangling):
        code, err = _run(capsys, "claims", corpus, "--out", out)
        assert code == 0, err
        assert out.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("doc_id,claim_id")
    assert (tmp_path / "made_by_aidlab.csv").read_text(encoding="utf-8").startswith("doc_id,claim_id")


def test_atomic_path_on_a_link_into_the_corpus_is_refused_by_the_guard(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    link = tmp_path / "innocent.csv"
    link.symlink_to(corpus / "page_a.txt")
    code, err = _run(capsys, "claims", corpus, "--out", link)
    assert code == 2 and "innocent.csv" in err
    assert (corpus / "page_a.txt").read_text(encoding="utf-8") == ARTICLE


@pytest.mark.parametrize("case", ["folder", "missing_parent", "parent_is_file"])
def test_unwritable_out_is_one_line_before_any_work(tmp_path, capsys, case):
    corpus = _corpus(tmp_path)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    out = {"folder": tmp_path, "missing_parent": tmp_path / "nope" / "c.csv",
           "parent_is_file": tmp_path / "afile" / "c.csv"}[case]
    code, err = _run(capsys, "claims", corpus, "--out", out)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("aidlab: error: --out") and str(out) in err


def test_read_only_folder_is_one_line(tmp_path, capsys, monkeypatch):
    corpus = _corpus(tmp_path)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.geteuid() == 0:  # root writes anywhere: simulate what the kernel says to everyone else
            real_access = os.access
            monkeypatch.setattr(os, "access", lambda p, m, **k: False if Path(p) == ro else real_access(p, m, **k))
        code, err = _run(capsys, "claims", corpus, "--out", ro / "c.csv")
        assert code == 2 and err.count("\n") == 1 and "not writable" in err and str(ro) in err
    finally:
        ro.chmod(0o755)


def test_atomic_path_turns_os_errors_into_one_line(tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(aio.tempfile, "mkstemp", refuse)
    denied = pytest.raises(OutputError, match=r"c\.csv: cannot write into folder .*Permission denied")
    with denied, aio.atomic_path(tmp_path / "c.csv"):
        pass
    with pytest.raises(OutputError, match="is a folder"), aio.atomic_path(tmp_path):
        pass


def test_atomic_write_keeps_the_old_file_on_failure_and_its_mode(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    with pytest.raises(RuntimeError), aio.atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk on fire")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]
    aio.write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new" and stat.S_IMODE(target.stat().st_mode) == 0o600


def test_stdout_into_a_closed_pipe_exits_quietly(tmp_path):
    corpus = _corpus(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "aidlab.cli", "claims", str(corpus), "--out", "-"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader (`| head -0`) is gone before anything is written
    try:
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    finally:
        proc.kill()
    assert code == 141
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err


# --- 4. strict manifests -----------------------------------------------------------------------


HEADER = "file,sha256,bytes,outlet,published,url,aiding_party,aiding_party_en,recipient_region,recipient_region_en,programme,notes\n"


def _manifest_row(folder: Path, name: str, outlet: str = "") -> str:
    p = folder / name
    return f"{name},{sha256_file(p)},{p.stat().st_size},{outlet},,,,,,,,\n"


def test_unclosed_quote_is_refused_and_never_rewritten(tmp_path, capsys):
    corpus = _corpus(tmp_path, manifest=False)
    (corpus / "page_c.txt").write_text(ARTICLE, encoding="utf-8")
    b = corpus / "page_b.txt"
    text = (HEADER + _manifest_row(corpus, "page_a.txt", outlet='"Xinhua')
            + f'page_b.txt,{sha256_file(b)},{b.stat().st_size},,,,,,,,,checked"\n')
    (corpus / "manifest.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest\.csv, line 2: a field holds a line break"):
        read_manifest(corpus)
    code, err = _run(capsys, "manifest", corpus)
    assert code == 2 and "line 2" in err
    assert (corpus / "manifest.csv").read_text(encoding="utf-8") == text  # not cemented


@pytest.mark.parametrize("defect, words", [
    ("columns", "3 field(s) where the header has 12"),
    ("sha", "is not 64 hexadecimal digits"),
    ("bytes", "is not a whole number"),
    ("parent", "contains a path separator"),
    ("absolute", "contains a path separator"),
    ("dotdot", "is not a file name inside the folder"),
    ("backslash", "contains a path separator"),
    ("link", "resolves outside the folder"),
    ("twice", "listed twice"),
])
def test_malformed_manifest_rows_name_manifest_and_line(tmp_path, defect, words):
    corpus = _corpus(tmp_path, manifest=False)
    good = _manifest_row(corpus, "page_a.txt")
    sha = sha256_file(corpus / "page_b.txt")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    (corpus / "escape.txt").symlink_to(tmp_path / "secret.txt")
    bad = {
        "columns": f"page_b.txt,{sha},10\n",
        "sha": "page_b.txt,abc123,10,,,,,,,,,\n",
        "bytes": f"page_b.txt,{sha},ten,,,,,,,,,\n",
        "parent": f"../../../../etc/passwd,{sha},10,,,,,,,,,\n",
        "absolute": f"/etc/passwd,{sha},10,,,,,,,,,\n",
        "dotdot": f"..,{sha},10,,,,,,,,,\n",
        "backslash": f"..\\\\x.txt,{sha},10,,,,,,,,,\n",
        "link": f"escape.txt,{sha},10,,,,,,,,,\n",
        "twice": good,
    }[defect]
    (corpus / "manifest.csv").write_text(HEADER + good + bad, encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        read_manifest(corpus)
    message = str(info.value)
    assert str(corpus / "manifest.csv") in message and "line 3" in message and words in message
    with pytest.raises(ManifestError):
        read_documents(corpus)


def test_manifest_lists_html_pages_and_explains_the_curated_columns(tmp_path, capsys):
    corpus = _corpus(tmp_path, manifest=False, pages={"a.txt": ARTICLE, "b.html": f"<p>{ARTICLE}</p>",
                                                     "c.HTM": f"<p>{ARTICLE}</p>", "notes.md": "no page"})
    code, err = _run(capsys, "manifest", corpus)
    assert code == 0, err
    listed = read_manifest(corpus)
    assert list(listed["file"]) == ["a.txt", "b.html", "c.HTM"]
    assert "3 added" in err
    for col in ("outlet", "published", "recipient_region", "programme"):
        assert f"  {col}: " in err
    assert "ISO YYYY-MM-DD" in err  # what `published` means, from MANIFEST_COLUMNS
    again = (corpus / "manifest.csv").read_bytes()
    assert _run(capsys, "manifest", corpus)[0] == 0
    assert (corpus / "manifest.csv").read_bytes() == again


# --- 5. links out of the corpus ------------------------------------------------------------------


def test_page_linking_out_of_the_corpus_is_refused_and_not_manifested(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLE, encoding="utf-8")  # readable text: the link itself is the problem
    corpus = _corpus(tmp_path, manifest=False)
    (corpus / "stolen.txt").symlink_to(secret)
    (corpus / "inner.txt").symlink_to(corpus / "page_a.txt")  # a link inside the folder is fine
    with pytest.warns(LoadWarning, match="stolen.txt: resolves outside the corpus folder"):
        manifest = update_manifest(corpus)
    assert "stolen.txt" not in set(manifest["file"]) and "inner.txt" in set(manifest["file"])
    with pytest.warns(LoadWarning, match="stolen.txt: resolves outside its corpus folder"):
        docs = read_documents(corpus).set_index("doc_id")
    assert not docs.loc["stolen", "usable"]
    assert "resolves outside its corpus folder" in docs.loc["stolen", "problem"] and str(secret) in docs.loc["stolen", "problem"]
    assert docs.loc["inner", "usable"]
    code, err = _run(capsys, "claims", corpus, "--out", tmp_path / "c.csv")
    assert code == 3 and "stolen.txt: resolves outside its corpus folder" in err
    assert "stolen" not in set(pd.read_csv(tmp_path / "c.csv")["doc_id"])


def test_fifo_named_like_a_page_is_named_not_read(tmp_path):
    corpus = _corpus(tmp_path, manifest=False)
    os.mkfifo(corpus / "pipe.txt")  # reading it would block forever
    with pytest.warns(LoadWarning, match="pipe.txt: is not a regular file"):
        assert "pipe.txt" not in set(update_manifest(corpus)["file"])
    with pytest.warns(LoadWarning, match="pipe.txt: not a regular file"):
        docs = read_documents(corpus).set_index("doc_id")
    assert not docs.loc["pipe", "usable"] and docs.loc["page_a", "usable"]


# --- 6. size limit -------------------------------------------------------------------------------


def test_page_over_max_bytes_is_a_problem_row(tmp_path, capsys):
    corpus = _corpus(tmp_path, pages={"small.txt": ARTICLE, "big.txt": ARTICLE * 50})
    size = (corpus / "big.txt").stat().st_size
    with pytest.warns(LoadWarning, match="big.txt: page is"):
        docs = read_documents(corpus, max_bytes=5000).set_index("doc_id")
    assert docs.loc["small", "usable"] and not docs.loc["big", "usable"]
    assert docs.loc["big", "problem"] == f"page is {size:,} bytes, over the size limit of 5,000 bytes (--max-bytes)"
    assert docs.loc["big", "sha256"] == sha256_file(corpus / "big.txt")
    for command in ("claims", "reconcile", "documents"):
        code, err = _run(capsys, command, corpus, "--out", tmp_path / f"{command}.csv", "--max-bytes", 5000)
        assert code == 3 and "big.txt: page is" in err, command
    code, err = _run(capsys, "clean", corpus, "--out", tmp_path / "clean_out", "--max-bytes", 5000)
    assert code == 3 and (tmp_path / "clean_out" / "clean" / "small.txt").exists()
    assert not (tmp_path / "clean_out" / "clean" / "big.txt").exists()
    assert read_documents(corpus)["usable"].all()  # the default limit is generous


# --- 7. encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_is_detected(tmp_path, encoding):
    corpus = _corpus(tmp_path, manifest=False, pages={"p.txt": ARTICLE.encode(encoding),
                                                      "cjk_only.txt": "援疆医疗队圆满完成任务".encode(encoding)})
    docs = read_documents(corpus).set_index("doc_id")
    for doc_id, text in (("p", ARTICLE), ("cjk_only", "援疆医疗队圆满完成任务")):
        assert docs.loc[doc_id, "usable"], docs.loc[doc_id, "problem"]
        assert docs.loc[doc_id, "encoding"] == encoding and not docs.loc[doc_id, "bom"]
        assert docs.loc[doc_id, "text"] == text
        assert docs.loc[doc_id, "encoding_confidence"] >= LOW_CONFIDENCE
        assert docs.loc[doc_id, "encoding_flag"] == ""


def test_short_gb18030_pages_are_never_utf16_garbage():
    text = ARTICLE.replace("\n", "")
    wrong = []
    for n in range(10, 31):
        for start in range(0, len(text) - n, 7):
            piece = text[start:start + n]
            d = detect_encoding(piece.encode("gb18030"))
            if d.text != piece:
                wrong.append((piece, d.encoding, d.text))
            assert not d.encoding.startswith("utf-16"), (piece, d.text)
    assert not wrong, wrong[:3]


def test_confidence_is_recorded_and_low_confidence_flagged(tmp_path):
    corpus = _corpus(tmp_path, manifest=False, pages={
        "utf8.txt": ARTICLE, "gb.txt": ARTICLE.encode("gb18030"), "tiny.txt": "ICP备2022号 广".encode("gb18030")})
    docs = read_documents(corpus).set_index("doc_id")
    assert docs.loc["utf8", "encoding_confidence"] == 1.0 and docs.loc["utf8", "encoding_flag"] == ""
    assert docs.loc["gb", "encoding"] == "gb18030" and docs.loc["gb", "encoding_confidence"] >= 0.9
    assert docs.loc["tiny", "usable"]
    assert docs.loc["tiny", "encoding_confidence"] < LOW_CONFIDENCE and docs.loc["tiny", "encoding_flag"] == "low-confidence"


def test_implausible_decodings_are_refused():
    # bytes that decode strictly as UTF-16-BE only into Hangul syllables, and as GB18030/Big5 not at all
    data = "".join(chr(0xAC00 + i * 37) for i in range(40)).encode("utf-16-be")
    with pytest.raises(LoadError, match="plausibly"):
        detect_encoding(data)
    # random double-byte noise decodes strictly as GB18030, but mostly into private-use and rare characters
    noise = bytes((0x81 + (i * 89) % 0x7e) if i % 2 == 0 else (0xa1 + (i * 53) % 0x5e) for i in range(400))
    noise.decode("gb18030")
    with pytest.raises(LoadError, match="plausibly"):
        detect_encoding(noise)
    # UTF-16's byte pattern alone is not enough: the reading must be common text
    with pytest.raises(LoadError):
        detect_encoding(b"\x81\x30\xff\x81\x30\xff\x81\x30\xff\xa1")


def test_binary_with_nuls_is_still_named_binary(tmp_path):
    corpus = _corpus(tmp_path, manifest=False, pages={"blob.txt": b"GIF89a\x00\x10\x00\x10\x80\x00\x00" * 30})
    with pytest.warns(LoadWarning, match="blob.txt: binary"):
        docs = read_documents(corpus)
    assert not docs.iloc[0]["usable"] and "binary" in docs.iloc[0]["problem"]


# --- 10. Ctrl-C --------------------------------------------------------------------------------


def _interrupt_when(proc: subprocess.Popen, marker: str, timeout: float = 90) -> str:
    """Read stderr until `marker` shows, then send SIGINT to the process group (as Ctrl-C does)."""
    seen = ""
    deadline = time.monotonic() + timeout
    os.set_blocking(proc.stderr.fileno(), False)
    while marker not in seen and time.monotonic() < deadline and proc.poll() is None:
        chunk = proc.stderr.read()
        if chunk:
            seen += chunk.decode(errors="replace")
        else:
            time.sleep(0.05)
    assert marker in seen, seen
    os.killpg(proc.pid, signal.SIGINT)
    os.set_blocking(proc.stderr.fileno(), True)
    try:
        _, rest = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    return seen + (rest or b"").decode(errors="replace")


def test_ctrl_c_during_claims_with_workers(tmp_path):
    # the empty first page is named on stderr as soon as its chunk is back: the run is then under way
    pages = {f"p{i:03d}.txt": (ARTICLE * 40 + f"\n第{i}页") if i else "" for i in range(400)}
    corpus = _corpus(tmp_path, pages=pages, manifest=False)
    out = tmp_path / "claims.csv"
    proc = subprocess.Popen([sys.executable, "-m", "aidlab.cli", "claims", str(corpus), "--out", str(out),
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    err = _interrupt_when(proc, "empty file")
    assert proc.returncode == 130, err
    assert "aidlab: interrupted" in err and "Traceback" not in err, err
    assert not out.exists() and not list(tmp_path.glob(".claims.csv.*"))


def test_ctrl_c_during_run(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nbs = tmp_path / "nbs"
    nbs.mkdir()
    nb = new_notebook()
    params = new_code_cell("corpus_dir = ''")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_code_cell("import time\ntime.sleep(60)")]
    nbformat.write(nb, str(nbs / "01_slow.ipynb"))
    corpus = _corpus(tmp_path)
    build = tmp_path / "build"
    proc = subprocess.Popen([sys.executable, "-m", "aidlab.cli", "run", "--notebooks", str(nbs), "--corpus", str(corpus),
                             "--build", str(build), "--figures", str(tmp_path / "fig")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    err = _interrupt_when(proc, "[1/1] 01_slow.ipynb")
    assert proc.returncode == 130, (proc.returncode, err)
    assert "aidlab: interrupted" in err and "Traceback" not in err, err
    assert not list((build / "notebooks").glob("*.ipynb")) and not list((build / "notebooks").glob(".*"))
