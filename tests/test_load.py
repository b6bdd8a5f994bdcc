"""Loading: checksums against the manifest, encoding detection, and clear handling of bad files."""
from __future__ import annotations

import codecs
import warnings

import pandas as pd
import pytest

from aidlab.corpus.load import DOCUMENT_COLUMNS, decode_bytes, read_documents
from aidlab.corpus.manifest import read_manifest, sha256_file, update_manifest
from aidlab.errors import LoadError, LoadWarning, ManifestError, SeedIntegrityError


def test_seeds_load_with_verified_checksums(seeds_dir):
    docs = read_documents(seeds_dir)
    assert list(docs.columns) == list(DOCUMENT_COLUMNS)
    assert len(docs) == 5
    assert docs["doc_id"].str.match(r"^\d{3}_[0-9a-f]{16}$").all()
    assert (docs["checksum"] == "ok").all()
    assert docs["usable"].all()
    assert set(docs["encoding"]) == {"utf-8"}
    # the Traditional pinyin page and the clean Simplified pages are told apart
    script = dict(zip(docs["doc_id"].str[:3], docs["script"]))
    assert script["000"] == "traditional"
    assert script["001"] == "simplified"
    for _, row in docs.iterrows():
        assert row["sha256"] == sha256_file(row["path"])


def test_seed_copies_are_byte_identical_to_shared(seeds_dir):
    shared = seeds_dir.parents[1] / "shared" / "seeds"
    if not shared.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    for p in shared.glob("*.txt"):
        assert (seeds_dir / p.name).read_bytes() == p.read_bytes()


def test_altered_byte_is_refused_naming_the_file(corpus_copy):
    victim = corpus_copy / "002_0186cf99c409f6f3.txt"
    data = bytearray(victim.read_bytes())
    data[100] ^= 0x01
    victim.write_bytes(bytes(data))
    with pytest.raises(SeedIntegrityError, match="002_0186cf99c409f6f3.txt"):
        read_documents(corpus_copy)


def test_missing_listed_file_is_an_error(corpus_copy):
    (corpus_copy / "003_7b7f6889dcab4358.txt").unlink()
    with pytest.raises(ManifestError, match="003_7b7f6889dcab4358.txt"):
        read_documents(corpus_copy)


def test_empty_and_binary_files_are_flagged_with_clear_messages(corpus_copy):
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = read_documents(corpus_copy)
    messages = [str(w.message) for w in caught if issubclass(w.category, LoadWarning)]
    assert any("empty.txt" in m and "empty file" in m for m in messages)
    assert any("image.txt" in m and "binary" in m for m in messages)
    bad = docs.set_index("doc_id").loc[["empty", "image"]]
    assert not bad["usable"].any()
    assert bad["checksum"].eq("unchecked").all()
    assert docs["usable"].sum() == 5  # the seeds are still there, nothing dropped


def test_bad_file_raises_when_asked(corpus_copy):
    (corpus_copy / "empty.txt").write_bytes(b"")
    with pytest.raises(LoadError, match=r"empty\.txt: empty file"):
        read_documents(corpus_copy, on_error="raise")


def test_unlisted_file_is_marked_not_trusted(corpus_copy, seed_texts):
    (corpus_copy / "new_page.txt").write_text(seed_texts["003"], encoding="utf-8")
    docs = read_documents(corpus_copy).set_index("doc_id")
    assert docs.loc["new_page", "checksum"] == "unlisted"
    assert docs.loc["003_7b7f6889dcab4358", "checksum"] == "ok"


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-16", "utf-8-sig"])
def test_encodings_are_detected_on_real_text(seed_texts, tmp_path, encoding):
    # Big5 cannot hold Simplified characters: use the Traditional article text for it.
    text = seed_texts["000"][:1500] if encoding == "big5" else seed_texts["004"][:1500]
    if encoding == "big5":
        text = text.encode("big5", errors="ignore").decode("big5")
    data = text.encode(encoding)
    path = tmp_path / f"page_{encoding}.txt"
    path.write_bytes(data)
    docs = read_documents(path)
    row = docs.iloc[0]
    assert row["usable"], row["problem"]
    assert row["text"] == text
    assert codecs.lookup(row["encoding"]).name == codecs.lookup(
        {"utf-16": "utf-16-le"}.get(encoding, encoding)).name
    assert row["bom"] == (encoding in ("utf-16", "utf-8-sig"))
    assert row["checksum"] == "no-manifest"


def test_undecodable_bytes_are_a_clear_problem():
    with pytest.raises(LoadError, match="match none|not UTF-8|undecodable"):
        decode_bytes(b"\x81\x30\xff" * 7)


def test_update_manifest_adds_new_files_and_never_rewrites_checksums(corpus_copy, seed_texts):
    before = read_manifest(corpus_copy)
    (corpus_copy / "new_page.txt").write_text(seed_texts["001"][:400], encoding="utf-8")
    after = update_manifest(corpus_copy)
    assert len(after) == len(before) + 1
    assert after.set_index("file").loc["new_page.txt", "sha256"] == sha256_file(corpus_copy / "new_page.txt")
    pd.testing.assert_frame_equal(
        after[after["file"] != "new_page.txt"].reset_index(drop=True), before.reset_index(drop=True))
    (corpus_copy / "new_page.txt").write_text("changed", encoding="utf-8")
    with pytest.raises(SeedIntegrityError, match="new_page.txt"):
        update_manifest(corpus_copy)


def test_missing_path_is_named():
    with pytest.raises(LoadError, match="no_such_folder"):
        read_documents("no_such_folder")
