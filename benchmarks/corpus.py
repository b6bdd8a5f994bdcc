"""Distinct synthetic pages for benchmarks, made from the seeds (never identical copies).

Page i starts from seed i mod 5 and is varied three ways, deterministically from i:
- every run of ASCII digits that is not a year (19xx/20xx) gets a different value (i-dependent
  offset, same number of digits where possible), so figures, totals and percentages differ;
- place names of aiding and recipient regions are swapped for others of the same length;
- the middle paragraphs are rotated (and one dropped on every third page), so the sentence order
  and the page length differ.
Traditional, mixed and mojibake pages stay what they are (the seeds have all three), so cleaning
pays the same kinds of cost as on the seeds. No manifest is written: these pages are not evidence.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: (name in the seeds, same-length replacements)
PLACES = [
    ("淄博", ["淄博", "青岛", "济南", "烟台", "潍坊", "临沂", "威海"]),
    ("昂仁", ["昂仁", "萨迦", "拉孜", "定日", "南木", "江孜"]),
    ("喀什", ["喀什", "和田", "阿克", "塔城", "哈密"]),
    ("山东", ["山东", "江苏", "浙江", "广东", "福建", "湖北"]),
    ("日喀则", ["日喀则", "阿里地", "那曲市", "林芝市"]),
    ("贵州", ["贵州", "云南", "甘肃", "青海"]),
]
_DIGITS = re.compile(r"\d+")


def _vary_digits(text: str, i: int) -> str:
    def repl(m: re.Match) -> str:
        s = m.group()
        if len(s) == 4 and s[:2] in ("19", "20"):
            return s  # a year: keep dates plausible
        if s.startswith("0") and len(s) > 1:
            return s
        n = int(s)
        shifted = n + (i % 89) + 1 if n >= 10 else (n + i) % 9 + 1
        out = str(shifted)
        return out[: len(s)] if len(out) > len(s) and len(s) > 1 else out

    return _DIGITS.sub(repl, text)


def _vary_places(text: str, i: int) -> str:
    for name, options in PLACES:
        text = text.replace(name, options[i % len(options)])
    return text


def _vary_paragraphs(text: str, i: int) -> str:
    parts = text.split("\n\n")
    if len(parts) < 8:
        return text
    head, middle, tail = parts[:4], parts[4:-3], parts[-3:]
    k = i % len(middle)
    middle = middle[k:] + middle[:k]
    if i % 3 == 0 and len(middle) > 2:
        middle = middle[:-1]
    return "\n\n".join(head + middle + tail)


def page(seed_text: str, i: int) -> str:
    """Page i made from one seed's text."""
    return _vary_paragraphs(_vary_places(_vary_digits(seed_text, i), i), i)


def make_corpus(folder: str | Path, n: int) -> list[Path]:
    """Write n distinct pages bench_000000.txt … into `folder` (UTF-8, as the seeds)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    paths = []
    for i in range(n):
        path = folder / f"bench_{i:06d}.txt"
        path.write_text(page(seeds[i % len(seeds)], i // len(seeds) + i), encoding="utf-8")
        paths.append(path)
    return paths
