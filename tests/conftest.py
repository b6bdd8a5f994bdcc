"""Shared fixtures: the real seed corpus (read-only) and a scratch copy for tests that alter files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """Raw text of every seed, keyed by the three-digit prefix of its file name."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed folder, manifest included."""
    dest = tmp_path / "corpus"
    dest.mkdir()
    for p in SEEDS.iterdir():
        shutil.copyfile(p, dest / p.name)
    return dest


@pytest.fixture
def styled():
    """The publication style applied inside an rc_context, so other tests see matplotlib's defaults again."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from aidlab.plots.style import apply_style

    with mpl.rc_context():
        apply_style()
        yield
    plt.close("all")
