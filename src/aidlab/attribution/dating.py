"""When: the page's date, and the time a claim's figure holds at (as of), from the claim's own words.

Page date, most trusted first: the manifest's curated `published` (must be an ISO date: anything else
is a ManifestError naming the file and row); else the date printed in the page's dateline (read by
cleaning); else a dateline "10月25日电" with its year from the URL; else a date in the URL path
(/2022-07/22/, /202208/t20220816_, /20091229/, /2024/0827/ …); else none. Never guessed.

A claim's time comes from the nearest time words before it in its clause, else in its sentence
(after it when nothing stands before):
- 截至2018年底 → as of 2018-12-31 (point; cumulative with 累计/先后/共);
- 2019年以来, 自2015年…启动以来 → a period 2019-01-01 … page date, cumulative; 十年来 → from ten years before the page date;
  十年间 → the same span, a period, but cumulative (a running total, like 十年来) when the sentence totals
  it with 累计/共/先后/总计 before the figure (工作开展十年间，全国共有近2000名…: same-day reports said
  十年来 and 十年间 of one running total); 近五年间/过去五年间 stay a period whatever the words, a trailing
  window that may be a part of a longer programme (decided on the corpus; both ways in
  tests/test_attribution_dating.py);
  近年来/多年来 → a period ending at the page date, start unknown;
- 援藏十年：(a headline's years of aid so far) → cumulative, like 十年来;
- 今年 / 去年 / 前年 / 2023年 → that year (annual; this year runs to the page date); 今年以来 is the same
  year to date (annual, not a running total: 今年以来开展手术8000余台次 counts this year's operations and
  is never ordered against a programme's total since its start; decided on the held-out corpus, both
  ways in tests/test_attribution_dating.py); 去年以来 / 前年以来 stay cumulative from that year's start;
- “十三五”期间 → the years of five-year plan N: plans 1–2 began in 1953 and 1958, plan 3 in 1966 (after
  the 1963–65 adjustment years) and every plan since five years after the one before, so plan N ≥ 3
  covers 1966+5(N−3) … +4: “十三五” = 2016-01-01 … 2020-12-31 (period);
- 第十批 → batch 10 (batch; as of the page date: when the batch's figure was reported);
- 累计/先后/共/总计 alone → cumulative as of the page date;
- no time words → as of the page date, scope unknown.
`as_of` is '' whenever it would need a page date the page does not have.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..claims.numerals import parse_chinese_numeral
from ..errors import ManifestError

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(value: str) -> str | None:
    """The value itself when it is a valid ISO calendar date YYYY-MM-DD, else None."""
    value = (value or "").strip()
    if not _ISO.match(value):
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return None
    return value


def check_manifest_dates(manifest, path) -> None:
    """Raise ManifestError naming the file, row and value of every `published` that is not an ISO date.

    `manifest` is the DataFrame of aidlab.corpus.manifest.read_manifest; rows count as in the CSV file
    (row 2 is the first data row, under the header). Blank values are fine (not curated).
    """
    if manifest is None or "published" not in manifest.columns:
        return
    bad = [f"row {i + 2} ({row['file']}): published {row['published']!r}"
           for i, row in enumerate(manifest.to_dict("records"))
           if str(row["published"]).strip() and iso_date(str(row["published"])) is None]
    if bad:
        raise ManifestError(f"{path}: `published` must be an ISO date YYYY-MM-DD: " + "; ".join(bad))


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


#: Date forms in URL paths: /2022-07/22/, /202208/t20220816_, /20091229/, /2024/0827/, /2024/08/27/, /2024-08-27/.
_URL_DATES = [
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})-(\d{2})(?=[/_.])"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})/(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),
    re.compile(r"(?<=[/_])((?:19|20)\d{2})(\d{2})(\d{2})(?=[_./])"),
]
_URL_YEAR = re.compile(r"/((?:19|20)\d{2})(?:-?\d{2})?/")


def url_date(url: str) -> tuple[str, str] | None:
    """(ISO date, the URL piece it came from) for a date in a URL path, else None."""
    for pattern in _URL_DATES:
        for m in pattern.finditer(url or ""):
            iso = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if iso:
                return iso, m.group(0)
    return None


_DATELINE_MD = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日(?:电|讯)")


def page_date(doc, curated: dict | None = None) -> tuple[str, str, str]:
    """(ISO date, source manifest|page|url|none, evidence) of a document's publication."""
    curated = curated or {}
    published = str(curated.get("published") or "").strip()
    if published:
        iso = iso_date(published)
        if iso is None:
            raise ManifestError(f"{doc.doc_id}: manifest `published` {published!r} is not an ISO date YYYY-MM-DD")
        return iso, "manifest", f"manifest published {published}"
    md = doc.metadata
    if md.date:
        start, end = md.date_offsets or (0, 0)
        return md.date, "page", doc.page.text[start:end] or md.date
    url = str(curated.get("url") or "")
    m = _DATELINE_MD.search(doc.text.text[:400])
    year = _URL_YEAR.search(url) or re.search(r"(?<!\d)((?:19|20)\d{2})(?=\d{2})", url)
    if m and year:
        iso = _valid(int(year.group(1)), int(m.group(1)), int(m.group(2)))
        if iso:
            return iso, "page", f"dateline {m.group(0)} + year {year.group(1)} from url"
    found = url_date(url)
    if found:
        return found[0], "url", found[1]
    return "", "none", ""


# --- the claim's own time --------------------------------------------------------------------

_NUM = r"[\d一二两三四五六七八九十百]+"
TIME_WORDS = re.compile(
    rf"(?P<asof>截至|截止到?)(?P<asof_y>(?:19|20)\d{{2}})年(?:(?P<asof_m>\d{{1,2}})月(?:(?P<asof_d>\d{{1,2}})日)?)?(?P<asof_end>底|末)?"
    rf"|(?P<asof_now>截至|截止)(?:目前|当前|现在|今年|去年底|今年底)"
    rf"|(?P<since_pre>自|从)?(?P<since_y>(?:19|20)\d{{2}})年(?:(?P<since_m>\d{{1,2}})月|(?P<since_h>上半年|下半年))?"
    rf"(?(since_pre)[^,，。;；]{{0,24}}?)(?:以来|来)"
    rf"|(?P<plan>[“\"‘](?P<plan_n>[一二三四五六七八九十]{{1,3}})五[”\"’](?:规划)?(?:期间|时期|以来|来)?"
    rf"|(?P<plan_n2>[一二三四五六七八九十]{{1,3}})五(?:规划)?(?:期间|时期|以来))"
    rf"|(?P<nyears>(?:近|过去)?(?P<nyears_n>{_NUM})(?:多)?年(?:多)?(?:来|以来|间))"
    rf"|(?P<recent>近年来|多年来|近些年来|这些年来|近几年来?|近年)"
    rf"|(?<=[藏疆青援扶作])(?P<anniv>(?P<anniv_n>[一二两三四五六七八九十\d]{{1,3}})(?:周)?年)(?=[：:，,、\s！!]|$)"
    rf"|(?P<rel>今年|去年|前年)(?:以来)?"
    rf"|第(?P<batch>{_NUM})批"
    rf"|(?<![\d较比与同])(?P<year>(?:19|20)\d{{2}})年(?:全年|度)?(?![\d月底末以来])"
)
CUMULATIVE = re.compile(r"累计|先后|共计|总计|合计|共有|共(?=[^同享建])|以来|年来")


def plan_years(n: int) -> tuple[int, int]:
    """First and last year of the N-th five-year plan (1st 1953–57, 2nd 1958–62, 3rd 1966–70, 13th 2016–20)."""
    first = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)
    return first, first + 4


def _cn_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    try:
        return int(parse_chinese_numeral(s))
    except (ValueError, KeyError):
        return None


def _month_end(y: int, m: int) -> str:
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class ClaimTime:
    as_of: str
    period_start: str
    as_of_source: str
    batch: str
    scope_kind: str
    evidence: str


def time_words(text: str) -> list[re.Match]:
    """Every time phrase of a text (sentence), in order."""
    return list(TIME_WORDS.finditer(text))


def _batch_number(batch: re.Match | None) -> tuple[str, str]:
    """(batch number as text, its words) of a batch phrase (第十批 → '10'); ('', '') without one."""
    if batch is None:
        return "", ""
    n = _cn_int(batch.group("batch"))
    return (str(n) if n is not None else ""), batch.group()


def _years_before(page_iso: str, n: int | None) -> str:
    """The page date n years back (29 February → 28 February); '' unless 1 ≤ n ≤ 100 and there is a page date."""
    if n is None or not 1 <= n <= 100 or not page_iso:
        return ""
    d = dt.date.fromisoformat(page_iso)
    return (d.replace(year=d.year - n) if not (d.month == 2 and d.day == 29)
            else d.replace(year=d.year - n, day=28)).isoformat()


@dataclass(frozen=True)
class _Reading:
    """One time phrase (its match and named groups) with what it is read against: the page date, the
    cumulative word, the batch."""
    m: re.Match
    g: dict
    words: str
    page_iso: str
    page_src: str
    page_year: int | None
    cum: bool
    batch_no: str

    def on_page(self, kind: str, start: str) -> ClaimTime:
        """A time that runs to the page date (as_of '' when the page has none)."""
        if not self.page_iso:
            return ClaimTime("", start, "none", self.batch_no, kind, self.words + " (no page date)")
        return ClaimTime(self.page_iso, start, self.page_src, self.batch_no, kind,
                         self.words + f" (to page date {self.page_iso})")


def _as_of_date(r: _Reading) -> ClaimTime:
    """截至2018年底 / 截至2018年6月 / 截至2018年6月30日 → as of that date (point; cumulative with 累计/先后/共)."""
    g = r.g
    y = int(g["asof_y"])
    if g["asof_d"]:
        iso = _valid(y, int(g["asof_m"]), int(g["asof_d"])) or ""
    elif g["asof_m"]:
        iso = _month_end(y, int(g["asof_m"])) if 1 <= int(g["asof_m"]) <= 12 else ""
    else:
        iso = f"{y:04d}-12-31"
    return ClaimTime(iso, "", "claim" if iso else "none", r.batch_no, "cumulative" if r.cum else "point", r.words)


def _as_of_now(r: _Reading) -> ClaimTime:
    """截至目前/截至今年 → as of the page date; 截至去年底 → the end of the year before the page's."""
    if "去年" in r.m.group(0) and r.page_year:
        return ClaimTime(f"{r.page_year - 1:04d}-12-31", "", r.page_src, r.batch_no,
                         "cumulative" if r.cum else "point", r.words + f" (page year {r.page_year})")
    return r.on_page("cumulative" if r.cum else "point", "")


def _since_year(r: _Reading) -> ClaimTime:
    """2019年以来, 自2015年…启动以来, 2019年下半年以来 → cumulative from that month's start to the page date."""
    g = r.g
    y = int(g["since_y"])
    mo = int(g["since_m"]) if g["since_m"] else (7 if g["since_h"] == "下半年" else 1)
    return r.on_page("cumulative", _valid(y, mo, 1) or "")


def _five_year_plan(r: _Reading) -> ClaimTime:
    """“十三五”期间 → the years of plan N (plan_years), a period; “十三五”以来 → cumulative from its start."""
    g = r.g
    n = _cn_int(g["plan_n"] or g["plan_n2"])
    if n is None or not 1 <= n <= 20:
        return r.on_page("unknown", "")
    first, last = plan_years(n)
    start, end = f"{first:04d}-01-01", f"{last:04d}-12-31"
    if r.m.group(0).endswith(("以来", "来")):
        return r.on_page("cumulative", start)
    return ClaimTime(end, start, "claim", r.batch_no, "period", r.words)


def _n_years(r: _Reading) -> ClaimTime:
    """十年来 → cumulative from ten years before the page date; 十年间 → a period over the same span, unless
    totalled (below); 近五年间/过去五年间 → always a period."""
    g = r.g
    n = _cn_int(g["nyears_n"])
    start = _years_before(r.page_iso, n) if "多" not in g["nyears"] else ""
    # N年间 is a period, but an open N-year span to the page date that the sentence totals (十年间，
    # 共有…, 十年间累计…) is the running total of N年来; a trailing window (近五年间, 过去五年间)
    # stays a period: it may be a part of a longer programme.
    window = g["nyears"].startswith(("近", "过去"))
    kind = "period" if g["nyears"].endswith("间") and (window or not r.cum) else "cumulative"
    return r.on_page(kind, start)


def _anniversary(r: _Reading) -> ClaimTime:
    """援藏十年：… — the years of the aid so far, a running total to the page date (like 十年来)."""
    return r.on_page("cumulative", _years_before(r.page_iso, _cn_int(r.g["anniv_n"])))


def _recent_years(r: _Reading) -> ClaimTime:
    """近年来/多年来 → cumulative to the page date, start unknown; 近年 without 来 → a period (unless totalled)."""
    return r.on_page("cumulative" if r.cum or r.m.group(0).endswith("来") else "period", "")


def _relative_year(r: _Reading) -> ClaimTime:
    """今年 (to the page date) / 去年 / 前年 → that year, annual; 今年以来 stays annual, 去年以来 / 前年以来 are
    cumulative from that year's start."""
    if not r.page_year:
        return ClaimTime("", "", "none", r.batch_no, "annual", r.words + " (no page date)")
    y = r.page_year - {"今年": 0, "去年": 1, "前年": 2}[r.g["rel"]]
    if r.m.group(0).endswith("以来") and y != r.page_year:
        return r.on_page("cumulative", f"{y:04d}-01-01")
    end = r.page_iso if y == r.page_year else f"{y:04d}-12-31"
    return ClaimTime(end, f"{y:04d}-01-01", r.page_src, r.batch_no, "annual", r.words + f" (page year {r.page_year})")


def _calendar_year(r: _Reading) -> ClaimTime:
    """2023年 → that year, annual (the page's own year runs to the page date)."""
    y = int(r.g["year"])
    if r.page_year and y == r.page_year:
        return ClaimTime(r.page_iso, f"{y:04d}-01-01", r.page_src, r.batch_no, "annual", r.words + " (year to page date)")
    return ClaimTime(f"{y:04d}-12-31", f"{y:04d}-01-01", "claim", r.batch_no, "annual", r.words)


#: The kind of time phrase (the TIME_WORDS group that is set, tried in this order) → how it is read.
_READERS = (
    ("asof", _as_of_date),
    ("asof_now", _as_of_now),
    ("since_y", _since_year),
    ("plan", _five_year_plan),
    ("nyears", _n_years),
    ("anniv", _anniversary),
    ("recent", _recent_years),
    ("rel", _relative_year),
    ("year", _calendar_year),
)


def claim_time(m: re.Match | None, batch: re.Match | None, cumulative: str,
               page: tuple[str, str, str]) -> ClaimTime:
    """Read one time phrase (or none), an optional batch phrase and a cumulative word against the page date."""
    page_iso, page_src, _ = page
    page_year = int(page_iso[:4]) if page_iso else None
    batch_no, batch_words = _batch_number(batch)
    if m is None or m.lastgroup == "batch":
        if batch_no:
            return ClaimTime(page_iso, "", page_src if page_iso else "none", batch_no, "batch", batch_words)
        kind = "cumulative" if cumulative else "unknown"
        return ClaimTime(page_iso, "", page_src if page_iso else "none", "", kind,
                         cumulative + (f" (page date {page_iso})" if page_iso else ""))
    words = m.group(0) + (f" + {cumulative}" if cumulative and cumulative not in m.group(0) else "")
    reading = _Reading(m, m.groupdict(), words, page_iso, page_src, page_year, bool(cumulative), batch_no)
    for group, read in _READERS:
        if reading.g[group]:
            return read(reading)
    return reading.on_page("unknown", "")
