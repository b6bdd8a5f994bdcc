"""Split a scraped news page into article body and labelled page chrome.

Method
------
The page text is cut into non-blank lines; each line becomes exactly one
:class:`Segment`.  Lines are labelled in four passes, all by general cues
(never by site, seed or sentence):

1. **Line cues.**  Every line is checked, on its own, for lexical and
   structural chrome cues: link spam (many ``|``-separated short phrases),
   footers (Copyright, ©, ICP备, 公网安备, 地址:, 电话:, Email, 网站地图 …),
   crawler/snapshot disclaimers (爬虫, 快照, 原文地址, 免责声明 …), section
   headers of comments (网友评论, 发表评论 …) and related lists (相关阅读,
   相关新闻, 推荐阅读, 更多…, 换一换 …), keyword lines (关键词:), editor
   credits (责任编辑:, 责编:), previous/next links, share/print/font-size
   widgets, photo captions and dateline fields (来源:, 发布时间:, dates,
   view counters), newspaper-edition chrome (第01版, 标题导航, 版面导航, 上一版 …:
   short unpunctuated lines), gambling/lottery advertisements (words only such
   ads use, or a weaker word together with a web address or selling words) and
   spam site names (a short unpunctuated line with a web address).  Cues marked
   *terminal* are end-of-article markers; *soft* ones (edition chrome, bare
   上一篇/下一篇 links) end the body only where no prose paragraph follows, since
   mirror sites scatter them through the article.
   Lines are also scored as *prose* (long, mostly CJK, ending in 。！？ or
   densely punctuated) or *title-like* (short, CJK, unpunctuated).

2. **Headline.**  The headline is the longest title-like line among the three
   lines just above the first dateline line near the top of the page; failing
   that, a title-like line directly above the first prose paragraph.  A page
   without such a line has no headline (nothing is guessed).

3. **Body span.**  The body starts at the first prose line after the headline
   and ends just before the first terminal cue after it, or before the first
   item of a *title/date list* (runs of short lines alternating with bare
   date/time lines, the usual shape of "more news" lists).  Everything after
   the end marker is chrome even when it looks like prose (snippets of other
   articles).  Inside the span, prose is body, short unpunctuated lines are
   body sub-headings, lines repeating the headline are captions, a short
   unpunctuated line standing twice or more on the page is site branding (spam),
   and caption/widget/sign-off/spam cues keep their own kind.

4. **Chrome zones.**  Lines above the headline default to navigation; lines
   between headline and body are dateline fields (dates, 来源, 转自, lone view
   counters, a lone 2–4 character author name) or "other"; lines after the end
   marker take their own cue, or the kind of the section they sit in (a
   related list continues until a footer, a comment section until the next
   header), title/date list items being "related".

:func:`extract_metadata` then reads title, date, outlet and author only from
the headline and dateline segments (and a parenthesised ``(…记者 X)`` sign-off
in the first or last body paragraph), returning ``None`` for anything the
page does not state.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

SEGMENT_KINDS: dict[str, str] = {
    "navigation": "Site navigation: menus, breadcrumbs, bullets above the headline, share/print/font-size widgets, previous/next links.",
    "headline": "The article's headline (and a dash-led subtitle directly under it).",
    "dateline": "Publication date, source outlet, author/editor credit and view-count lines around the headline or as the article's sign-off.",
    "body": "Article text: paragraphs and short sub-headings between the dateline and the end-of-article marker.",
    "caption": "Photo captions and the headline repeated as an image caption inside or after the body.",
    "keywords": "Keyword/tag lines (关键词:, 标签:), possibly carrying an editor credit.",
    "related": "Related-article and more-news lists: section headers, item titles, snippets and their date lines.",
    "comments": "Reader-comment sections: headers, comment texts and comment forms.",
    "spam": "Spam: link-spam lines made of many short phrases separated by '|', gambling/lottery advertisements, spam site names with a web address, and short lines repeated on the page as site branding.",
    "footer": "Site footer: copyright, ICP/public-security registration, owner, address, phone, e-mail, footer link rows.",
    "disclaimer": "Crawler, snapshot, reposting and liability notices added by the hosting site.",
    "other": "Page chrome not otherwise classified (advertisements, stray counters, unlabelled lines outside the body).",
}
BODY_KINDS = frozenset({"body"})


@dataclass(frozen=True)
class Segment:
    """One non-blank line of the page with its label."""

    start: int
    end: int
    kind: str
    reason: str


@dataclass(frozen=True)
class PageMetadata:
    """Header facts read from a page; None when the page does not state them."""

    title: str | None
    date: str | None
    outlet: str | None
    author: str | None
    title_offsets: tuple[int, int] | None
    date_offsets: tuple[int, int] | None
    outlet_offsets: tuple[int, int] | None
    author_offsets: tuple[int, int] | None


@dataclass(frozen=True)
class _Line:
    """A non-blank line: offsets of the whole line and its stripped text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Cue:
    """A chrome cue found on one line."""

    kind: str
    reason: str
    terminal: bool = False  # ends the article body when met after it
    section: bool = False  # opens a section whose kind later lines inherit
    weak: bool = False  # ends the body only if no prose paragraph follows (and is body text inside it)
    soft: bool = False  # ends the body only if no prose paragraph follows (and keeps its kind inside it)


# --------------------------------------------------------------------------- #
# character-level features
# --------------------------------------------------------------------------- #
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TERMINAL = "。！？!?…；;"
_CLOSERS = "”\"’'」』）)】]》"
_SENT_PUNCT = re.compile(r"[，,。；;！？!?、]")
_SPACE_RUN = re.compile(r"\s+")
_CJK_RUN = re.compile(_CJK.pattern + "+")
_WS_EXTRA = "\ufeff\u200b\u200c\u200d"

_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)日?")
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
_SHORT_DATE = re.compile(r"^(?:(?:19|20)\d{2}[-/.])?\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")


def _strip(raw: str) -> str:
    """Strip whitespace (incl. NBSP, ideographic space) and zero-width marks."""
    return raw.strip().strip(_WS_EXTRA).strip()


def _cjk_share(s: str) -> float:
    """Share of CJK ideographs among the non-space characters of s.

    Both are counted as the lengths of regex runs: a Python loop over the characters cost more than the
    rest of the line's analysis, and a list of single characters (findall of one character) 3× the runs.
    """
    chars = len(s) - sum(map(len, _SPACE_RUN.findall(s)))  # `\s` matches exactly what str.isspace() accepts
    return sum(map(len, _CJK_RUN.findall(s))) / chars if chars else 0.0


def _ends_terminal(s: str) -> bool:
    """True when s ends in sentence-final punctuation (ignoring closing quotes/brackets)."""
    core = s.rstrip(_CLOSERS)
    return bool(core) and core[-1] in _TERMINAL


@lru_cache(maxsize=8192)
def _is_prose(s: str) -> bool:
    """A paragraph-like line: mostly CJK, long enough, sentence-punctuated.

    Cached for the page being segmented (`segment_page` empties the cache after it): most cues ask it
    of the same line, four times per line on average.
    """
    n = len(s)
    if n < 12 or _cjk_share(s) < 0.3:
        return False
    punct = len(_SENT_PUNCT.findall(s))
    if s.rstrip(_CLOSERS).endswith("。") or ("。" in s and n >= 30):
        return True
    if _ends_terminal(s) and (n >= 30 or punct >= 3):
        return True
    if s.rstrip(_CLOSERS)[-1:] in "；;" and n >= 20 and punct >= 2:
        return True
    return n >= 40 and punct >= 3


def _is_lone_name(s: str) -> bool:
    """A line holding only one or a few 2–4 character Chinese names."""
    parts = re.split(r"[\s、,，]+", s)
    return 0 < len(parts) <= 3 and all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", p) for p in parts) \
        and not _FIELD_WORD.fullmatch(parts[0])


def _is_lone_number(s: str) -> bool:
    """A line holding only a number (typically a view counter)."""
    return re.fullmatch(r"\d{1,9}", s.replace(",", "")) is not None


def _pipe_parts(s: str) -> list[str]:
    """Non-empty parts of a '|'-separated line."""
    return [p.strip() for p in re.split(r"[|｜]", s) if p.strip()]


# --------------------------------------------------------------------------- #
# line cues
# --------------------------------------------------------------------------- #
_FOOTER_STRONG = re.compile(
    r"Copyright|©|\(c\)\s*(?:19|20)\d{2}|版权所有|版权声明|版权归|ICP\s*[备证]|公网安备|网安备\s*\d|All Rights Reserved",
    re.IGNORECASE,
)
_FOOTER_WEAK = re.compile(
    r"网站所属|单位地址|(?:地址|电话|传真|邮编|邮箱|热线)\s*[:：]|邮政编码|E-?mail|网站地图|联系我们|关于我们|"
    r"主办单位|主办\s*[:：]|承办单位|承办\s*[:：]|协办单位|技术支持|备案号|违法和不良信息|举报电话|举报邮箱|"
    r"网站简介|广告服务|联系方式|友情链接|法律声明|隐私政策|用户协议",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"爬虫|快照|^以上内容|免责声明|原文地址|原文链接|本站未对|不代表本站|不代表本网|如有侵权|转载请注明|"
    r"未经授权.{0,8}(?:转载|使用)|仅供参考.{0,10}(?:不构成|不作为)"
)
_COMMENTS = re.compile(
    r"^(?:[【\[]?\s*)(?:网友评论|发表评论|我要评论|评论区|热门评论|最新评论|全部评论|评论列表|用户评论|读者评论|"
    r"已有\s*\d+\s*(?:人|条)|共\s*\d+\s*条评论|\d+\s*条评论|查看评论|评论\s*[(（]?\d*[)）]?$)"
)
_RELATED = re.compile(
    r"^(?:[【\[■▍|]?\s*)(?:相关(?:阅读|新闻|推荐|文章|报道|链接|话题|资讯|稿件|专题|内容|视频)|推荐阅读|延伸阅读|"
    r"热门(?:推荐|文章|新闻|阅读|资讯)|猜你喜欢|精彩推荐|新闻推荐|推荐新闻|为您推荐|热点(?:新闻|推荐|资讯)|"
    r"大家都在看|往期(?:回顾|精彩)|推荐视频|图片新闻|今日推荐|点击排行|热门排行|排行榜|"
    r"更多(?:关于|新闻|资讯|内容|精彩|文章|阅读|报道|推荐|>|》|\s*$))"
)
_KEYWORDS = re.compile(r"^(?:[【\[]\s*)?(?:文章|本文)?(?:关键词|关键字|标签|Tags?)\s*(?:[:：]|[】\]]|$)", re.IGNORECASE)
_EDITOR = re.compile(r"(?:责任编辑|责编|编辑|审核|校对|初审|复审|终审|审校)\s*[:：]")
_PREV_NEXT = re.compile(r"^(?:[【\[]?\s*)(?:上一篇|下一篇|上一条|下一条|上一页|下一页|返回顶部|返回列表|返回首页|打印本页|关闭窗口)")
_WIDGET = re.compile(
    r"分享到|分享至|^分享$|字号|字体\s*[:：]|A\+|A-|[【\[]\s*大\s*中\s*小\s*[】\]]|^[【\[]?打印|打印本?页[】\]]?$|"
    r"^[【\[]?收藏|扫一扫|扫码|二维码|手机看|手机阅读|^(?:微信|微博|QQ空间|朋友圈)$|[【\[]关闭[】\]]|关闭窗口"
)
_NAV = re.compile(r"(?:当前|现在|所在|您的|您当前)的?位置|当前的位|^位置\s*[:：]|^首页\s*[>›»＞/]")
_BREADCRUMB = re.compile(r"\s[>›»＞]\s|\S\s*[>›»＞]\s*\S|[>›»＞]\s*$")
_AD = re.compile(r"广告")
_CAPTION = re.compile(r"资料图片|图片来源|图片仅供参考|图片由|^[(（]?图为|供图|摄影|视频截图|图源|配图|(?:\s|记者|通讯员)\S{0,6}\s*摄\s*[)）]?$")
_FIELD = re.compile(
    r"(?:来源|稿源|出处|信息来源|发布时间|发布日期|发表时间|发表日期|更新时间|日期|时间|作者|记者|通讯员|"
    r"本文转自|转自|类别|栏目|分类|浏览|阅读|点击|访问)\s*(?:次数|量|数)?\s*[:：]"
)
_FIELD_WORD = re.compile(r"来源|作者|记者|编辑|时间|日期|责编|通讯员|发布|转自|浏览|阅读|点击|类别|栏目")
_VIEWS = re.compile(r"^(?:阅读|浏览|点击|访问)(?:量|数|次数)?\s*[:：]?\s*\d+\s*(?:次)?$")
_WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]")
_LINK_WORD = r"[【\[]?\s*(?:上一篇|下一篇|上一条|下一条|上一页|下一页)\s*[】\]]?\s*(?:[:：]\s*(?:无|没有了)?)?"
_BARE_PREV_NEXT = re.compile(rf"{_LINK_WORD}(?:\s*[/|｜、]?\s*{_LINK_WORD})*")
_EDITION = re.compile(
    r"^[【\[]?\s*(第\s*[0-9０-９一二三四五六七八九十百]{1,3}\s*版(?=$|[\s:：(（【\[\u4e00-\u9fff])|"
    r"(?:标题|版面|本版|栏目)导航|版面概览|本版标题|上一版|下一版|前一版|后一版|返回目录|"
    r"PDF\s*版|数字报|报纸检索|日期检索|过刊检索)"
)
#: Words only gambling/lottery advertisements use; weak ones need a second cue (a web address, selling words).
_GAMBLING = re.compile(
    r"娱乐城|赌场|博彩|时时彩|六合彩|特码|一码中特|北京赛车|PK10|pk10|百家乐|真人视讯|老虎机|电子游艺|龙虎斗|"
    r"体育投注|返水|首存|彩金|葡京|威尼斯人|皇冠体育|赌球|菠菜网"
)
_GAMBLING_WEAK = re.compile(r"彩票|开奖|投注|下注|棋牌|捕鱼|开户|赔率|娱乐|赌博|真人")
_MARKETING = re.compile(r"注册(?:即|就)?送|官方网站|官网|网址|信誉|客服|优惠|手机版|APP|充值|提款|出款|秒到|下载", re.IGNORECASE)
_DOMAIN = re.compile(
    r"(?:https?://|www\.)[\w.-]+|(?<![A-Za-z0-9.-])[A-Za-z0-9][A-Za-z0-9-]{1,62}"
    r"\.(?:com|net|cc|vip|top|xyz|org|me|co|io|app|tv|info|biz|live|club|bet|win|cn)(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _spam_or_link_row(s: str, before_headline: bool) -> _Cue | None:
    """Classify '|'-separated rows: nav menus, footer link rows, link spam."""
    parts = _pipe_parts(s)
    if len(parts) < 3 or max(len(p) for p in parts) > 40:
        return None
    footerish = sum(bool(_FOOTER_WEAK.search(p) or _FOOTER_STRONG.search(p)) for p in parts)
    if before_headline and (footerish or len(parts) < 15):
        return _Cue("navigation", f"menu row ({len(parts)} '|' items)")
    if footerish and len(parts) <= 12:
        return _Cue("footer", "footer link row", terminal=True, section=True)
    if len(parts) >= 5:
        return _Cue("spam", f"link spam ({len(parts) - 1} '|' separators)", terminal=True)
    return _Cue("navigation", f"link row ({len(parts)} '|' items)")


def _footer_cue(s: str) -> _Cue | None:
    """Copyright, registration, owner, address and contact lines.

    Here and in the other cues the length and prose conditions come before the regex search: they are
    cheaper (prose is cached), and most lines of a page fail them.
    """
    m = _FOOTER_STRONG.search(s) if len(s) <= 250 else None
    if m:
        return _Cue("footer", f"footer cue {m.group(0).strip()}", terminal=True, section=True)
    m = _FOOTER_WEAK.search(s) if len(s) <= 150 and not _is_prose(s) else None
    if m:
        return _Cue("footer", f"footer cue {m.group(0).strip()}", terminal=True, section=True, weak=True)
    return None


def _header_cue(s: str) -> _Cue | None:
    """Section headers and end-of-article lines (comments, related, keywords, editor, prev/next)."""
    if len(s) <= 40:
        m = _COMMENTS.search(s)
        if m:
            return _Cue("comments", f"end-of-article marker {m.group(0).strip('【[ ')}", terminal=True, section=True)
        m = _RELATED.search(s)
        if m or ("换一换" in s and len(s) <= 20):
            word = m.group(0).strip("【[■▍| ") if m else "换一换"
            return _Cue("related", f"end-of-article marker {word}", terminal=True, section=True)
    if len(s) <= 200 and not _is_prose(s) and _KEYWORDS.search(s):
        return _Cue("keywords", "end-of-article marker 关键词", terminal=True, section=True)
    m = _EDITOR.search(s) if len(s) <= 60 and not _is_prose(s) else None
    if m:
        return _Cue("dateline", f"editor credit {m.group(0)}", terminal=True)
    m = _PREV_NEXT.search(s) if len(s) <= 80 else None
    if m:
        # bare links without a title (上一篇/下一篇, as mirrors scatter them) end the body only where no text follows
        return _Cue("navigation", f"end-of-article marker {m.group(0).strip('【[ ')}", terminal=True,
                    soft=bool(_BARE_PREV_NEXT.fullmatch(s)))
    return None


def _edition_cue(s: str) -> _Cue | None:
    """Newspaper-edition chrome (第01版, 标题导航, 版面导航, 上一版 …): a short unpunctuated line; ends the body only
    where no text follows (mirrors interleave it with the article)."""
    if len(s) > 30 or _SENT_PUNCT.search(s):
        return None
    m = _EDITION.match(s)
    if m:
        return _Cue("navigation", f"page chrome {m.group(1)}", terminal=True, soft=True)
    return None


def _spam_cue(s: str, site_names: bool = True) -> _Cue | None:
    """Gambling/lottery advertisements and spam site names (a short unpunctuated line with a web address)."""
    return _gambling_cue(s) or (_site_name_cue(s) if site_names else None)


def _gambling_cue(s: str) -> _Cue | None:
    """Gambling/lottery advertisements: words only such ads use, or weaker ones with selling words or a web address."""
    if len(s) > 120:
        return None
    strong = set(_GAMBLING.findall(s))
    weak = set(_GAMBLING_WEAK.findall(s))
    if not (strong or weak):  # no gambling word: not an advertisement, whatever else the line holds
        return None
    selling = _MARKETING.search(s) or _DOMAIN.search(s)
    if _is_prose(s):
        spam = bool(strong) and (bool(selling) or len(strong) >= 2) or (len(weak) >= 2 and bool(selling))
    else:
        spam = bool(strong) or (bool(weak) and bool(selling))
    if spam:
        word = min(strong or weak)
        return _Cue("spam", f"gambling/lottery advertisement ({word})")
    return None


def _site_name_cue(s: str) -> _Cue | None:
    """Spam site names: a short unpunctuated CJK line with a web address, not a dateline field."""
    if len(s) <= 60 and not _SENT_PUNCT.search(s) and not _FIELD.search(s) and _CJK.search(s):
        m = _DOMAIN.search(s)
        if m:
            return _Cue("spam", f"site name with web address ({m.group(0)})")
    return None


def _minor_cue(s: str) -> _Cue | None:
    """Widgets, breadcrumbs, ads and captions: chrome that does not end the body."""
    if len(s) <= 40 and not _is_prose(s):
        m = _NAV.search(s)
        if m:
            return _Cue("navigation", f"navigation cue {m.group(0).strip()}")
        if _BREADCRUMB.search(s) and _cjk_share(s) > 0.2:
            return _Cue("navigation", "breadcrumb")
        m = _WIDGET.search(s)
        if m:
            return _Cue("navigation", f"page widget {m.group(0)}")
        m = _AD.search(s)
        if m and len(s) <= 8:
            return _Cue("other", f"advertisement cue {m.group(0)}")
    if len(s) <= 80:
        m = _CAPTION.search(s)
        fully_bracketed = s[:1] in "(（【[" and s[-1:] in ")）】]"
        if m and (fully_bracketed or not _is_prose(s) or s.startswith(("图为", "（图为", "(图为"))):
            return _Cue("caption", f"caption cue {m.group(0).strip('(（ ')}")
    return None


def _line_cue(s: str, before_headline: bool = False) -> _Cue | None:
    """The first matching chrome cue of a line, strongest cues first."""
    if "|" in s or "｜" in s:
        cue = _spam_or_link_row(s, before_headline)
        if cue:
            return cue
    m = _DISCLAIMER.search(s) if len(s) <= 300 else None
    if m:
        return _Cue("disclaimer", f"crawler/snapshot notice {m.group(0)}", terminal=True, section=True)
    return (_gambling_cue(s) or _footer_cue(s) or _header_cue(s) or _edition_cue(s)
            or _site_name_cue(s) or _minor_cue(s))


def _dateline_reason(s: str) -> str | None:
    """Why a short non-prose line is a date/source/author/view-count field, else None."""
    if len(s) > 120 or _is_prose(s):
        return None
    if _VIEWS.search(s):
        return "view counter"
    m = _FIELD.search(s)
    if m:
        return f"dateline field {m.group(0).rstrip(':： ')}"
    if len(s) <= 60 and _DATE.search(s) and not _WEEKDAY.search(s):
        return "date line"
    return None


def _is_date_item(s: str) -> bool:
    """A bare date/time line, optionally with a short source, as in news lists."""
    if len(s) > 40 or _is_prose(s):
        return False
    if _SHORT_DATE.match(s):
        return True
    if not _DATE.search(s):
        return False
    rest = _TIME.sub("", _DATE.sub("", s)).strip(" \t\u3000\xa0[]【】()（）")
    return len(rest) <= 12


def _is_title_like(s: str) -> bool:
    """A headline-shaped line: short, mostly CJK, not sentence-punctuated, no chrome cue."""
    n = len(s)
    if not 5 <= n <= 80 or _cjk_share(s) < 0.5:
        return False
    if s[0] in "•·▪◆■●-—*>" or s.rstrip(_CLOSERS)[-1:] in "。，,；;：:、":
        return False
    if "。" in s or len(re.findall(r"[，,]", s)) > 2 or _DATE.search(s):
        return False
    return _line_cue(s) is None and _dateline_reason(s) is None and not _is_lone_name(s)


# --------------------------------------------------------------------------- #
# structure
# --------------------------------------------------------------------------- #
def _split_lines(text: str) -> list[_Line]:
    """Non-blank lines with their offsets (start of line, end before the newline)."""
    lines, pos = [], 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        body_end = end - 1 if raw.endswith("\r") else end
        s = _strip(raw)
        if s:
            lines.append(_Line(pos, body_end, s))
        pos = end + 1
    return lines


def _find_headline(texts: list[str], prose: list[bool]) -> tuple[int | None, str]:
    """Index of the headline line and why, or (None, "") when the page states none."""
    seen_prose = 0
    for d, s in enumerate(texts[:15]):
        if prose[d]:
            seen_prose += 1
            if seen_prose > 1:
                break
            continue
        if _dateline_reason(s) in (None, "view counter"):
            continue
        candidates = [h for h in range(max(0, d - 3), d) if _is_title_like(texts[h])]
        if candidates:
            return max(candidates, key=lambda h: (len(texts[h]), h)), "title-like line above dateline"
    first = next((i for i, p in enumerate(prose) if p), None)
    if first and len(texts[first - 1]) >= 8 and _is_title_like(texts[first - 1]):
        return first - 1, "title-like line directly above first paragraph"
    return None, ""


def _list_item_mask(texts: list[str], first: int) -> list[bool]:
    """Mark lines from index first on that belong to title/date lists (>=2 date lines, <=3 lines apart)."""
    mask = [False] * len(texts)
    groups: list[list[int]] = []
    for i, s in enumerate(texts):
        if i >= first and _is_date_item(s):
            if groups and i - groups[-1][-1] <= 4:
                groups[-1].append(i)
            else:
                groups.append([i])
    for g in groups:
        if len(g) < 2:
            continue
        lo = g[0]
        for _ in range(g[1] - g[0] - 1):  # the first item has as many lines as the second
            if lo <= first or _ends_terminal(texts[lo - 1]) or _line_cue(texts[lo - 1]):
                break
            lo -= 1
        for j in range(lo, g[-1] + 1):
            mask[j] = True
    return mask


def _prose_follows(texts: list[str], cues: list[_Cue | None], i: int) -> bool:
    """True when an uncued prose paragraph follows line i before the next strong end marker."""
    for j in range(i + 1, len(texts)):
        cue = cues[j]
        if cue and cue.terminal and not (cue.weak or cue.soft):
            return False
        if cue is None and _is_prose(texts[j]):
            return True
    return False


def _find_body_end(texts: list[str], cues: list[_Cue | None], mask: list[bool], start: int) -> int:
    """Index of the first end-of-article marker after the body start (len(texts) if none)."""
    for i in range(start + 1, len(texts)):
        cue = cues[i]
        if cue and cue.terminal and not ((cue.weak or cue.soft) and _prose_follows(texts, cues, i)):
            return i
        if mask[i]:
            return i
    return len(texts)


def _classify_before(s: str, cue: _Cue | None) -> tuple[str, str]:
    """Label a line above the headline (or above the body when there is no headline)."""
    if cue:
        return cue.kind, cue.reason
    if _DATE.search(s) and _WEEKDAY.search(s):
        return "navigation", "masthead date"
    if _dateline_reason(s) and not _is_lone_number(s):
        return "dateline", _dateline_reason(s) or ""
    if len(s) <= 40:
        return "navigation", "short line before headline"
    return "other", "long line before headline"


def _classify_header(s: str, cue: _Cue | None, prev_kind: str) -> tuple[str, str]:
    """Label a line between the headline and the first body paragraph."""
    if cue and cue.kind not in ("navigation", "dateline"):
        return cue.kind, cue.reason
    reason = _dateline_reason(s)
    if reason:
        return "dateline", reason
    if _is_lone_number(s):
        return "dateline", "lone number (view counter)"
    if _is_lone_name(s) and prev_kind in ("dateline", "headline"):
        return "dateline", "lone author name under dateline"
    if s.startswith(("——", "—", "--")) and prev_kind == "headline":
        return "headline", "subtitle"
    if cue:
        return cue.kind, cue.reason
    return "other", "between headline and body"


def _classify_body(s: str, cue: _Cue | None, title: str | None, repeats: int = 1) -> tuple[str, str]:
    """Label a line inside the body span (`repeats`: how often the line stands on the page)."""
    if title is not None and s == title:
        return "caption", "repeats headline (image caption)"
    if cue and cue.weak:
        return "body", f"contact line inside body ({cue.reason})"
    if cue:
        return cue.kind, cue.reason
    if _is_prose(s):
        return "body", "paragraph"
    reason = _dateline_reason(s)
    if reason or re.fullmatch(r"[(（][^()（）]*(?:记者|通讯员|作者)[^()（）]*[)）]", s):
        return "dateline", f"sign-off ({reason or 'reporter credit'})"
    if _is_lone_number(s):
        return "other", "lone number"
    if repeats >= 2 and len(s) <= 40:
        return "spam", f"short line repeated {repeats}× on the page (site branding)"
    return "body", "sub-heading"


def _classify_after(s: str, cue: _Cue | None, section: _Cue, in_list: bool, title: str | None) -> tuple[str, str]:
    """Label a line after the end-of-article marker."""
    marker = section.reason.split(" ", 2)[-1] if section.reason.startswith("end-of-article") else section.reason
    if cue and cue.kind not in ("navigation", "caption"):
        return cue.kind, cue.reason
    if section.kind == "comments":
        return "comments", f"in comment section after {marker}"
    if in_list:
        return "related", "title/date list item"
    if title is not None and s == title:
        return "caption", "repeats headline (image caption)"
    if cue:
        return cue.kind, cue.reason
    if _is_lone_number(s):
        return "other", "lone number after article"
    if section.section and section.kind in ("related", "footer", "disclaimer"):
        return section.kind, f"after end-of-article marker {marker}"
    return "other", f"after end-of-article marker {marker}"


def segment_page(text: str) -> list[Segment]:
    """Split one page's text into line segments, each labelled article body or a kind of page chrome."""
    try:
        return _label_lines(text)
    finally:
        _is_prose.cache_clear()  # the cache serves one page: its lines are not kept alive after it


def _label_lines(text: str) -> list[Segment]:
    """segment_page's four passes (see the module docstring)."""
    lines = _split_lines(text)
    texts = [ln.text for ln in lines]
    prose = [_is_prose(s) for s in texts]
    head, head_reason = _find_headline(texts, prose)
    body_start = next((i for i in range((head or -1) + 1, len(texts)) if prose[i] and not _spam_cue(texts[i])),
                      len(texts))
    repeats = Counter(texts)
    cues = [_line_cue(s, before_headline=i < (head if head is not None else body_start)) for i, s in enumerate(texts)]
    mask = _list_item_mask(texts, body_start + 1)
    body_end = _find_body_end(texts, cues, mask, body_start)
    title = texts[head] if head is not None else None
    pre_end = head if head is not None else body_start

    labels: list[tuple[str, str]] = []
    # the section the lines after the body belong to: set at body_end (> body_start), the first of them
    section = _Cue("related", "end-of-article marker title/date list", section=True)
    for i, s in enumerate(texts):
        if i < pre_end:
            labels.append(_classify_before(s, cues[i]))
        elif i == head:
            labels.append(("headline", head_reason))
        elif i < body_start:
            labels.append(_classify_header(s, cues[i], labels[-1][0]))
        elif i < body_end:
            labels.append(_classify_body(s, cues[i], title, repeats[s]))
        else:
            cue = cues[i]
            if i == body_end:
                section = cue or _Cue("related", "end-of-article marker title/date list", section=True)
            elif cue and cue.section:
                section = cue
            labels.append(_classify_after(s, cues[i], section, mask[i], title))
    return [Segment(ln.start, ln.end, kind, reason) for ln, (kind, reason) in zip(lines, labels)]


# --------------------------------------------------------------------------- #
# metadata
# --------------------------------------------------------------------------- #
_OUTLET_STOP = r"[^\s|｜,，;；:：()（）【】\[\]<>《》]+"
_SOURCE = re.compile(r"(?:来源|稿源|信息来源|出处)\s*[:：]\s*(" + _OUTLET_STOP + ")")
_REPOST = re.compile(r"(?:本文)?转自\s*[:：]\s*(" + _OUTLET_STOP + ")")
_NEXT_FIELD = re.compile(r"(?:作者|记者|编辑|责编|发布|时间|日期|浏览|阅读|点击|通讯员|\d{4}[-/.年])")
_AUTHOR_FIELD = re.compile(r"(?:作者|记者|撰稿|撰文)\s*[:：]?\s*")
_SIGNOFF = re.compile(r"[（(][^（()）]{0,30}?记者\s*([^（()）]{2,40}?)\s*[)）]")
_NAME_TOKEN = re.compile(r"[\u4e00-\u9fff·]{2,4}")
_ROLE_STOP = re.compile(r"通讯员|实习生|摄影|摄|编辑|报道|来源|发布|见习|特约|时间|日期")


def _clean_outlet(value: str, start: int) -> tuple[str, int, int] | None:
    """Cut an outlet value at the next field label; return (value, start, end)."""
    m = _NEXT_FIELD.search(value)
    if m and m.start() > 0:
        value = value[: m.start()]
    value = value.strip()
    if not value or "?" in value or "\ufffd" in value:  # empty or damaged by mis-decoding: not usable
        return None
    return value, start, start + len(value)


def _names_at(text: str, pos: int, limit: int) -> tuple[str, int, int] | None:
    """Read 1–3 person names starting at pos, stopping at a role word or other field."""
    names: list[tuple[int, int]] = []
    role = _ROLE_STOP.search(text, pos, limit)
    if role and role.start() > pos:
        limit = role.start()
    i = pos
    while i < limit and len(names) < 3:
        while i < limit and text[i] in " \t\u3000\xa0、,，":
            i += 1
        m = _NAME_TOKEN.match(text, i, limit)
        if not m or _ROLE_STOP.match(m.group(0)) or _FIELD_WORD.search(m.group(0)):
            break
        end = m.end()
        if end < limit and _CJK.match(text[end]):  # name runs on into other text: not a clean name
            break
        names.append((m.start(), end))
        i = end
    if not names:
        return None
    return "、".join(text[a:b] for a, b in names), names[0][0], names[-1][1]


def _ordered_datelines(segments: list[Segment]) -> list[Segment]:
    """Dateline segments: header ones (before the first body line) first, then sign-offs."""
    first_body = next((k for k, s in enumerate(segments) if s.kind in BODY_KINDS), len(segments))
    lines = [(k, s) for k, s in enumerate(segments) if s.kind == "dateline"]
    return [s for k, s in lines if k < first_body] + [s for k, s in lines if k >= first_body]


def _find_date(text: str, datelines: list[Segment]) -> tuple[str, int, int] | None:
    """First valid calendar date in the dateline segments, as ISO."""
    for seg in datelines:
        for m in _DATE.finditer(text, seg.start, seg.end):
            y, mo, d = (int(g) for g in m.groups())
            try:  # a date the calendar does not have (2019年02月29日, 4月31日) is no date: never a guess
                iso = dt.date(y, mo, d).isoformat()
            except ValueError:
                continue
            return iso, m.start(), m.end()
    return None


def _find_outlet(text: str, datelines: list[Segment]) -> tuple[str, int, int] | None:
    """The 来源 outlet, else the 转自/本文转自 outlet."""
    for pattern in (_SOURCE, _REPOST):
        for seg in datelines:
            m = pattern.search(text, seg.start, seg.end)
            if m:
                found = _clean_outlet(m.group(1), m.start(1))
                if found:
                    return found
    return None


def _find_author(text: str, datelines: list[Segment], segments: list[Segment]) -> tuple[str, int, int] | None:
    """Author from a dateline field, a lone name line, or a (…记者 X) sign-off."""
    for seg in datelines:
        for m in _AUTHOR_FIELD.finditer(text, seg.start, seg.end):
            found = _names_at(text, m.end(), seg.end)
            if found:
                return found
    for seg in datelines:
        s = text[seg.start:seg.end]
        if _is_lone_name(_strip(s)):
            lead = len(s) - len(s.lstrip())
            return _names_at(text, seg.start + lead, seg.end)
    body = [s for s in segments if s.kind in BODY_KINDS and s.reason == "paragraph"]
    signoffs = [s for s in segments if s.kind == "dateline" and s.reason.startswith("sign-off")]
    for seg in body[:1] + body[-1:] + signoffs:
        for m in _SIGNOFF.finditer(text, seg.start, seg.end):
            found = _names_at(text, m.start(1), m.end(1))
            if found:
                return found
    return None


def extract_metadata(text: str, segments: list[Segment]) -> PageMetadata:
    """Read title, publication date, outlet and author from the page's own header/dateline/sign-off; None when not stated (never guessed)."""
    head = next((s for s in segments if s.kind == "headline" and s.reason != "subtitle"), None)
    title = title_off = None
    if head is not None:
        raw = text[head.start:head.end]
        lead = len(raw) - len(raw.lstrip())
        title = _strip(raw)
        title_off = (head.start + lead, head.start + lead + len(title))
    datelines = _ordered_datelines(segments)
    date = _find_date(text, datelines)
    outlet = _find_outlet(text, datelines)
    author = _find_author(text, datelines, segments)
    return PageMetadata(
        title=title,
        date=date[0] if date else None,
        outlet=outlet[0] if outlet else None,
        author=author[0] if author else None,
        title_offsets=title_off,
        date_offsets=(date[1], date[2]) if date else None,
        outlet_offsets=(outlet[1], outlet[2]) if outlet else None,
        author_offsets=(author[1], author[2]) if author else None,
    )
