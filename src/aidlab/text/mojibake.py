"""Find (and cautiously repair) byte-shifted GBK mojibake in decoded Chinese page text.

Some pages were stored as GBK and then decoded one byte off: from a lost or extra byte on, every
character is made of the trail byte of one real character and the lead byte of the next, until an
ASCII byte re-synchronises the decoder. The result is rare characters, Greek/Cyrillic/box/enclosed
symbols, a stray ASCII letter (an ASCII-range trail byte such as the `t` of 醫 = e1 74) and `?`
(U+003F) or U+FFFD where a byte could not form a character. Pinyin annotations inserted by
converting sites (`醫(yī)`) survive the damage and are skipped; one whose host character was lost
shows up as an *orphan* (`?shù)`).

Method: (1) give every character a signal weight (glued `?`, U+FFFD, orphan pinyin, symbols next
to CJK, characters outside GB2312 after Traditional→Simplified, GB2312 level-2 characters, stray
ASCII bytes); (2) inside each run of two-byte characters near a signal, re-encode to GB18030 and
score the one-byte-realigned decoding against the text as it stands on a character-commonness
scale (frequent > GB2312 level 1 > level 2 > outside GB2312 > symbols); the best realignment
window is itself a signal and extends the span over garbled-but-common characters; (3) merge
signals at most `MERGE_GAP` characters apart and keep clusters weighing `SPAN_MIN_WEIGHT`; (4) the
candidate is the realigned text (annotations removed, Traditional→Simplified) with `?` wherever a
byte was lost; it is accepted as `repair` only at `ACCEPT_CONFIDENCE`, a product of commonness,
score gain, certainty of the window's edges and — when the page marks losses with `?` rather than
U+FFFD — the risk that its decoder silently dropped a pair (then one realigned character is a
spurious union of two halves). Digits next to a `?` are reported as damaged; a realignment never
produces a digit.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import NamedTuple

__all__ = [
    "CorruptSpan",
    "find_corrupt_spans",
    "apply_repairs",
    "candidate_confidence",
    "ACCEPT_CONFIDENCE",
    "MERGE_GAP",
    "SPAN_MIN_WEIGHT",
    "SHIFT_DETECT_GAIN",
]


@dataclass(frozen=True)
class CorruptSpan:
    start: int            # offset in the input string (str index), inclusive
    end: int              # exclusive
    text: str             # input[start:end]
    reason: str           # short machine-readable reason(s), e.g. "lost-byte;symbol-run;rare-chars"
    repair: str | None    # proposed repaired text in Simplified Chinese, or None when no repair is accepted
    confidence: float     # 0..1 confidence of the repair (0.0 when repair is None)
    candidate: str | None # best repair candidate even if not accepted (for display), may equal repair
    damaged: tuple[int, ...]  # input offsets of characters whose numeric value is unknown/unreliable


# --------------------------------------------------------------------------------------------
# Thresholds (see the module docstring). Calibrated on clean Simplified/Traditional pages (no span
# wanted), on real garbled pages and on synthetic damage (one byte dropped from GBK-encoded text).
# --------------------------------------------------------------------------------------------

#: Signals at most this many characters apart (annotations not counted) join one cluster: a
#: byte-shifted run alternates unlucky-but-valid characters with rare ones, so gaps of 1–3 clean
#: looking characters are normal inside one garbled run, while real text rarely has two rare
#: characters that close together.
MERGE_GAP = 3
#: A cluster becomes a span at this total weight: one glued `?` (1.0) or one rare character (1.0)
#: alone is not enough (genuine `封校?川音`, a rare name character), two independent signals are.
SPAN_MIN_WEIGHT = 2.0
#: A realignment window whose score gain reaches this is a span on its own (silent byte loss with
#: no `?`): clean text shifted by one byte loses score, it never gains this much.
SHIFT_DETECT_GAIN = 8.0
#: Smallest gain for which a realignment window is used at all (inside or next to a cluster) …
MIN_SHIFT_GAIN = 1.5
#: … and for a window that ends or starts at a lost-byte marker (the marker already proves damage).
MIN_SHIFT_GAIN_NEAR_LOST = 0.5
#: Repairs are accepted from this confidence on. With an all-level-1 candidate and certain edges
#: the realignment must gain ~8 (remove several symbols/rare characters). On synthetic one-byte
#: drops every repair accepted at this level was right (U+FFFD pages); on `?` pages the drop risk
#: keeps nearly all repairs at candidate level, where real pages show wrong characters (受载).
ACCEPT_CONFIDENCE = 0.85
#: Scale of the gain → confidence curve `1 - exp(-gain / GAIN_SCALE)`.
GAIN_SCALE = 4.0
#: Scale of the boundary-certainty factor `1 - exp(-margin / MARGIN_SCALE)`: when moving the start
#: or end of the realignment by some characters costs little, the edge of the garbled stretch is
#: uncertain (unigram commonness cannot tell a lucky garbled character from a real one).
MARGIN_SCALE = 1.0
#: Prior probability, per realigned character, that the garbling decoder silently dropped an
#: undecodable pair right after it (GB18030 user-defined lead bytes aa–af/f8–fe among the ~94
#: possible trail bytes of GB2312 text: 13/94). Seen on real pages: 受援地 → 茉蒯 (ae b5 gone).
UDA_DROP_PRIOR = 0.14
#: Realignment edges scoring within this of the best are treated as equally likely (see `_best_window`).
TIE_TOLERANCE = 1.5

# Signal weights.
W_LOST = 1.0          # `?` glued to CJK/digits (not a genuine question)
W_LOST_EXTRA = 0.5    # for a run of several `?` (`??`)
W_LOST_DIGIT = 1.0    # for a digit right next to the `?` (才?000): enough for a span on its own
W_FFFD = 2.0          # U+FFFD never occurs in prose
W_ORPHAN = 2.5        # `?` followed by a pinyin annotation that lost its host and `(`
W_SYMBOL = 1.5        # Greek/Cyrillic/box/math/kana/PUA… next to CJK
W_ENUM = 0.8          # ①⑴⒈Ⅰ… next to CJK (also used for enumerations in clean text)
W_TYPO = 0.5          # →●★℃… next to CJK (also common in clean text)
W_RARE = 1.0          # hanzi outside GB2312 after Traditional→Simplified
W_LEVEL2 = 0.4        # GB2312 level-2 hanzi (d8a1–f7fe)
W_STRAY = 1.0         # single ASCII byte in the trail range glued between CJK
W_STRAY_ANNOT = 1.5   # … carrying a pinyin annotation (annotations follow hanzi, never a Latin letter)
W_SHIFT_NEAR_LOST = 0.5  # per unit of gain of a realignment window next to a lost byte (max 2.0)

# Commonness scale used to compare readings (log-odds-like, only differences matter).
S_TOP = 0.0           # among the ~1700 most frequent characters
S_LEVEL1 = -1.0       # other GB2312 level-1 (b0a1–d7f9)
S_LEVEL2 = -3.0
S_RARE = -5.0
S_PUNCT = -0.3        # common CJK punctuation and the ideographic space
S_TYPO = -3.0
S_ENUM = -4.0
S_SYMBOL = -6.0
S_STRAY = -2.0        # a stray ASCII byte glued between CJK, as it stands
S_INVALID = -4.0      # a realigned byte pair that decodes to nothing usable
S_MARK = -1.5         # a new loss marker introduced by a realignment

MARK = "?"

# ~1700 most frequent simplified characters (general-purpose frequency lists, e.g. Jun Da's);
# they cover ~90 % of running text but only ~45 % of GB2312 level 1, which is what separates a
# real character from a lucky garbled one.
_TOP_CHARS = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后"
    "作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因"
    "只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应"
    "战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿"
    "原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太"
    "量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界"
    "达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今"
    "切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存"
    "未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官"
    "火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历"
    "首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态"
    "护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围"
    "江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状"
    "率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险"
    "待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担"
    "州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追"
    "帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟"
    "登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑"
    "梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽"
    "巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣"
    "择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇"
    "肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘"
    "亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震"
    "弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培"
    "迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵硬麦蒋操耶阻订彩抽赞魔纷沿喊违妹浪汇币丰蓝殊献桌啦瓦莱援译夺汽"
    "烧距裁偏符勇触课敬哭懂墙袭召罚侠厅拜巧侧韩冒债曼融惯享戴童犹乘挂奖绍厚纵障讯涉彻刊丈爆乌役描洗玛"
    "患妙镜唱烦签仙彼弗症仿倾牌陷鸟轰咱菜闭奋庆撤泪茶疾缘播朗杜奶季丹狗尾仪偷奔珠虫驻孔宜艾桥淡翼恨繁"
    "寒伴叹旦愈潮粮缩罢聚径恰挑袋灰捕徐珍幕映裂泰隔启尖忠累炎暂估泛荒偿横拒瑞忆孤鼻闹羊呆厉衡胞零穷舍"
    "码赫婆魂灾洪腿胆津俗辩胸晓劲贫仁偶辑邦恢赖圈摸仰润堆碰艇稍迟辆废净凶署壁御奉旋冬矿抬蛋晨伏吹鸡倍"
    "糊秦盾杯租骑乏隆诊奴摄丧污渡旗甘耐凭扎抢绪粗肩梁幻菲皆碎宙叔岩荡综爬荷悉蒂返井壮薄悄扫敏碍殖详迪"
    "矛霍允幅撒剩凯颗骂赏液番箱贴漫酸郎腰舒眉忧浮辛恋餐吓挺励辞艘键伍峰尺昨黎辈贯侦滑券崇扰宪绕趋慈乔"
    "阅汗枝拖墨胁插箭腊粉泥氏彭拔骗凤慧媒佩愤扑龄驱惜豪掩兼跃尸肃帕驶堡届欣惠册储飘桑闲惨洁踪勃宾频仇"
    "磨递邪撞拟滚奏巡颜剂绩贡疯坡瞧截燃焦殿伪柳锁逼颇昏劝呈搜勤戒驾漂饮曹朵仔柔俩孟腐幼践籍牧凉牲佳娜"
    "浓芳稿竹腹跌逻垂遵脉貌柏狱猜怜惑陶兽帐饰贷昌叙躺钢沟寄扶铺邓寿惧询汤盗肥尝匆辉奈扣廷澳嘛董迁凝慰"
    "厌脏腾幽怨鞋丢埋泉涌辖躲晋紫艰魏吾慌祝邮吐狠鉴曰械咬邻赤挤弯椅陪割揭韦悟聪雾锋梯猫祥阔誉筹丛牵鸣"
)

_QUESTION_PARTICLES = frozenset("吗嗎呢么麼吧啊嘛呀")
_CLOSERS = frozenset("”’\"')）]】》」』")
_COMMON_PUNCT = frozenset("\u3000、。，．；：？！“”‘’（）〔〕〈〉《》「」『』〖〗【】—…·～－")
_TYPO = frozenset("°℃±×÷§№※→←↑↓○●◎◇◆□■△▲☆★々〃‖¨ˉˇ‰′″¤￠￡")
_MEASURE = frozenset("个個名位县縣万萬亿億元项項家所台臺例批岁歲倍户戶座张張条條篇部辆輛床%％")

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = "a-züê" + _TONED
#: A well-formed annotation: parenthesised single syllable with a tone mark (or ü).
_ANNOT_RE = re.compile(rf"\(([a-züê]{{0,5}}[{_TONED}ü][a-züê{_TONED}]{{0,5}})\)")
#: An orphan annotation right after a lost byte: its host character and usually its `(` are gone.
_ORPHAN_RE = re.compile(rf"\(?([a-züê]{{0,5}}[{_TONED}][a-züê{_TONED}]{{0,5}})\)")
_LOST_CHARS = frozenset("?\ufffd")

def _t2s(text: str) -> str:
    """Traditional→Simplified with the package's one OpenCC converter (aidlab.text.script; OpenCC's own result)."""
    from .script import _t2s_convert

    return _t2s_convert(text)


def _is_han(ch: str) -> bool:
    """True for CJK unified/compatibility ideographs (BMP and supplementary planes)."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F)


@cache
def _han_class(ch: str) -> str:
    """'top', 'l1', 'l2' or 'rare' for a hanzi, judged on its Simplified form in GB2312."""
    simp = _t2s(ch) if not _in_gb2312(ch) else ch
    if len(simp) != 1:
        simp = ch
    if simp in _TOP_CHARS:
        return "top"
    try:
        b = simp.encode("gb2312")
    except UnicodeEncodeError:
        return "rare"
    if len(b) != 2:
        return "rare"
    if 0xB0 <= b[0] <= 0xD7:
        return "l1"
    if 0xD8 <= b[0] <= 0xF7:
        return "l2"
    return "rare"


@cache
def _in_gb2312(ch: str) -> bool:
    """Whether one character is encodable in GB2312."""
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


@cache
def _klass(ch: str) -> str:
    """Coarse class of one character: lost/digit/space/ascii/han:*/punct/typo/enum/symbol."""
    if ch in _LOST_CHARS:
        return "lost"
    if ch.isdigit() and (ch.isascii() or 0xFF10 <= ord(ch) <= 0xFF19):
        return "digit"
    if ch.isspace() and ch != "\u3000":
        return "space"
    if ch.isascii():
        return "ascii"
    if _is_han(ch):
        return "han:" + _han_class(ch)
    if ch in _COMMON_PUNCT or (0xFF01 <= ord(ch) <= 0xFF5E and not ch.isalnum()):
        return "punct"
    if ch in _TYPO or ch in "©®™•·–—−" or 0xFF21 <= ord(ch) <= 0xFF5A:
        return "typo"                     # incl. full-width Latin letters (ＣＴ)
    o = ord(ch)
    if 0x2460 <= o <= 0x24FF or 0x2160 <= o <= 0x217F or 0x3220 <= o <= 0x3243:
        return "enum"
    return "symbol"


_SCORE = {
    "han:top": S_TOP, "han:l1": S_LEVEL1, "han:l2": S_LEVEL2, "han:rare": S_RARE,
    "punct": S_PUNCT, "typo": S_TYPO, "enum": S_ENUM, "symbol": S_SYMBOL,
    "ascii": S_STRAY, "digit": S_LEVEL1, "space": S_INVALID, "lost": S_INVALID,
}


def _char_score(ch: str) -> float:
    """Commonness score of one character as it stands (higher = more plausible Chinese text)."""
    return _SCORE[_klass(ch)]


@cache
def _gbk2(ch: str) -> bytes | None:
    """The two GB18030 bytes of a character, or None when it is not a two-byte character."""
    try:
        b = ch.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return b if len(b) == 2 else None


@cache
def _decode_pair(lead: int, trail: int) -> tuple[str | None, float]:
    """Decode one realigned byte pair; None (and a penalty) when it yields no usable character.

    Digits are refused on purpose: a realignment must never invent a number.
    """
    if lead < 0x81 or lead == 0xFF:
        return None, S_INVALID
    try:
        ch = bytes((lead, trail)).decode("gb18030")
    except UnicodeDecodeError:
        return None, S_INVALID
    if len(ch) != 1 or ch.isdigit() or 0xE000 <= ord(ch) <= 0xF8FF:
        return None, S_INVALID
    return ch, _char_score(ch)


# --------------------------------------------------------------------------------------------
# Units: characters, lost-byte markers (with an orphan annotation attached) and annotations.
# --------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    kind: str              # 'char' | 'lost' | 'annot'
    orphan: bool = False


#: Where a unit other than a single character may start: a lost marker or an annotation's `(`.
_UNIT_START_RE = re.compile(r"[?\ufffd(]")


def _units(text: str) -> list[_Unit]:
    """Split the text into characters, runs of lost markers (+ orphan pinyin) and annotations."""
    out: list[_Unit] = []
    i = 0
    for m in _UNIT_START_RE.finditer(text):
        j = m.start()
        if j < i:
            continue                    # inside the lost run or annotation just taken
        out.extend([_Unit(t, t + 1, "char") for t in range(i, j)])
        i = _special_unit(text, j, out)
    out.extend([_Unit(t, t + 1, "char") for t in range(i, len(text))])
    return out


def _special_unit(text: str, i: int, out: list[_Unit]) -> int:
    """Append the unit starting at a lost marker or `(` (a plain character if no annotation
    follows) and return where the next unit starts."""
    n = len(text)
    if text[i] in _LOST_CHARS:
        j = i
        while j < n and text[j] in _LOST_CHARS:
            j += 1
        m = _ORPHAN_RE.match(text, j)
        if m:
            out.append(_Unit(i, m.end(), "lost", orphan=True))
            return m.end()
        out.append(_Unit(i, j, "lost"))
        return j
    if i > 0 and not text[i - 1].isspace():
        m = _ANNOT_RE.match(text, i)
        if m:
            out.append(_Unit(i, m.end(), "annot"))
            return m.end()
    out.append(_Unit(i, i + 1, "char"))
    return i + 1


# --------------------------------------------------------------------------------------------
# Per-unit signals.
# --------------------------------------------------------------------------------------------

def _content_neighbours(units: list[_Unit], k: int) -> tuple[int | None, int | None]:
    """Indices of the nearest non-annotation units before and after unit k."""
    p = k - 1
    while p >= 0 and units[p].kind == "annot":
        p -= 1
    q = k + 1
    while q < len(units) and units[q].kind == "annot":
        q += 1
    return (p if p >= 0 else None), (q if q < len(units) else None)


def _unit_class(text: str, units: list[_Unit], k: int | None) -> str | None:
    """Class of a unit: 'lost', 'annot' or the character class of its single character."""
    if k is None:
        return None
    u = units[k]
    if u.kind != "char":
        return u.kind
    return _klass(text[u.start])


def _lost_weight(text: str, units: list[_Unit], k: int) -> tuple[float, str]:
    """Weight of a lost-marker unit; 0 for a `?` that reads as a genuine question or URL query."""
    u = units[k]
    seg = text[u.start:u.end]
    if u.orphan:
        return W_ORPHAN, "orphan-pinyin"
    if "\ufffd" in seg:
        return W_FFFD, "replacement-char"
    p, _ = _content_neighbours(units, k)
    # next content unit, skipping `!` and spaces (pages turn `？！　` into ASCII)
    q = k + 1
    skipped = 0
    while q < len(units) and units[q].kind == "char" and text[units[q].start] in "! " and skipped < 3:
        q += 1
        skipped += 1
    while q < len(units) and units[q].kind == "annot":
        q += 1
    nxt = q if q < len(units) else None
    pc = _unit_class(text, units, p)
    nc = _unit_class(text, units, nxt)
    if p is None or pc == "space" or nxt is None or nc == "space":
        return 0.0, ""
    pch = text[units[p].end - 1]
    nch = text[units[nxt].start]
    if pch in _QUESTION_PARTICLES or nch in _CLOSERS:
        return 0.0, ""
    if pc in ("ascii", "digit") and nc in ("ascii", "digit") and (pch.isalnum() or pch in "/=&"):
        return 0.0, ""          # URL / Latin context: `page.php?id=3`
    if pc == "ascii" and pch.isalpha():
        return 0.3, "lost-byte"
    w = W_LOST + W_LOST_EXTRA * min(len(seg) - 1, 1)
    right_digit = u.end < len(text) and _klass(text[u.end]) == "digit"
    if pc == "digit" or right_digit:
        # `?` glued to a number is reported even alone: a silently misread figure costs more than
        # checking a question mark that happens to precede a number
        w += W_LOST_DIGIT
    return w, "lost-byte"


def _char_weight(text: str, units: list[_Unit], k: int) -> tuple[float, str]:
    """Weight and reason of one character unit."""
    u = units[k]
    ch = text[u.start]
    c = _klass(ch)
    if c == "han:rare":
        return W_RARE, "rare-chars"
    if c == "han:l2":
        return W_LEVEL2, "rare-chars"
    if c in ("symbol", "enum", "typo"):
        p, q = _content_neighbours(units, k)
        pc, qc = _unit_class(text, units, p), _unit_class(text, units, q)
        if "digit" in (pc, qc):
            return 0.0, ""
        near = {"lost", "symbol", "enum", "typo"}
        if not any(x is not None and (x.startswith("han") or x in near) for x in (pc, qc)):
            return 0.0, ""
        return {"symbol": W_SYMBOL, "enum": W_ENUM, "typo": W_TYPO}[c], "symbol-run"
    if c == "ascii" and 0x40 <= ord(ch) <= 0x7E:
        if k == 0 or units[k - 1].kind != "char":
            return 0.0, ""
        pc = _klass(text[units[k - 1].start])
        if not (pc.startswith("han") or pc in ("symbol", "enum")):
            return 0.0, ""
        if k + 1 < len(units) and units[k + 1].kind == "annot":
            return W_STRAY_ANNOT, "stray-ascii"
        if k + 1 < len(units) and units[k + 1].kind == "char":
            nc = _klass(text[units[k + 1].start])
            if nc.startswith("han") or nc in ("punct", "symbol"):
                return W_STRAY, "stray-ascii"
        return 0.0, ""
    return 0.0, ""


# --------------------------------------------------------------------------------------------
# Realignment of runs of two-byte characters.
# --------------------------------------------------------------------------------------------

_FW_OF = {" ": "\u3000", "!": "！", ",": "，", ";": "；", ":": "：", ".": "．"}


@dataclass
class _Window:
    first: int             # unit index of the first realigned unit
    last: int              # unit index of the last unit covered (may be a consumed stray byte)
    gain: float
    out: list[str]         # decoded pieces, MARK for lost characters
    margin: float = math.inf  # gain lead over the best window with another start or end
    touches_lost: bool = False  # starts right after or ends right before a lost-byte marker

    @property
    def realigned(self) -> str:
        """The characters the realignment produced (loss markers excluded)."""
        return "".join(c for c in self.out if c != MARK)


def _two_bytes(ch: str) -> bytes:
    """The two GB18030 bytes of a character of a run (runs hold two-byte characters only)."""
    code = _gbk2(ch)
    if code is None:
        raise ValueError(f"not a two-byte character in a realignment run: {ch!r}")
    return code


def _stray_end(text: str, units: list[_Unit], last_code: bytes,
               after: int | None) -> tuple[tuple[str, float] | None, bool]:
    """How a window reaching the end of the run may complete the lead byte of its last character.

    Returns (stray pair, end_lost): the character and score of the pair the last trail byte forms with
    a stray ASCII byte right after the run (0x40–0x7E), if it decodes; whether a lost-byte marker follows.
    """
    if after is None:
        return None, False
    au = units[after]
    if au.kind == "lost":
        return None, True
    if au.kind == "char":
        ach = text[au.start]
        if ach.isascii() and 0x40 <= ord(ach) <= 0x7E:
            ch, score = _decode_pair(last_code[1], ord(ach))
            if ch is not None:
                return (ch, score), False
    return None, False


@dataclass
class _RunScores:
    """The scores of the one-byte realignments of a run of n two-byte characters.

    pairs[i] is the realigned pair (trail_i, lead_{i+1}); pref_at[i] sums, over the characters before
    i, the realigned pair's score minus the as-is score, so a window's gain is a difference of prefixes.
    """

    chars: list[str]
    asis: list[float]
    pairs: list[tuple[str | None, float]]
    pref_at: list[float]
    pre_lost: bool
    stray_pair: tuple[str, float] | None
    end_lost: bool
    han_at: list[int]      # han_at[t]: characters before t that are, or realign to, a hanzi

    @classmethod
    def of(cls, chars: list[str], pre_lost: bool, stray_pair: tuple[str, float] | None,
           end_lost: bool) -> _RunScores:
        """Scores of a run of characters, as they stand and realigned by one byte."""
        n = len(chars)
        codes = [_two_bytes(c) for c in chars]
        asis = [_char_score(c) for c in chars]
        # d[i]: realigned pair (trail_i, lead_{i+1}) minus the as-is score of char i
        d = []
        pairs: list[tuple[str | None, float]] = []
        for i in range(n - 1):
            pr = _decode_pair(codes[i][1], codes[i + 1][0])
            pairs.append(pr)
            d.append(pr[1] - asis[i])
        pref_at = [0.0]
        for i in range(n - 1):
            pref_at.append(pref_at[-1] + d[i])
        han = [_is_han(chars[t]) or (t < n - 1 and (ch := pairs[t][0]) is not None and _is_han(ch))
               for t in range(n)]
        return cls(chars, asis, pairs, pref_at, pre_lost, stray_pair, end_lost, [0, *accumulate(han)])

    @property
    def n(self) -> int:
        """Length of the run."""
        return len(self.chars)

    def start_value(self, s: int) -> float:
        """Value of a window starting at s: no loss marker needed right after a lost-byte marker."""
        return (0.0 if (s == 0 and self.pre_lost) else S_MARK) - self.pref_at[s]

    def end_value(self, e: int) -> tuple[float, bool]:
        """Value of a window ending at e (exclusive), and whether it consumes the stray byte after the run."""
        if e == self.n and self.stray_pair is not None:
            return self.stray_pair[1] - S_STRAY, True
        if e == self.n and self.end_lost:
            return 0.0, False
        return S_MARK, False

    def gain_of(self, s2: int, e2: int) -> float:
        """Gain of realigning the window [s2, e2) over the text as it stands."""
        sv2 = self.start_value(s2)
        return sv2 + self.pref_at[e2 - 1] - self.asis[e2 - 1] + self.end_value(e2)[0]

    def best(self) -> tuple[float, int, int, bool] | None:
        """(gain, start, end, consumes stray byte) of the best window; ties go to the shorter window."""
        best: tuple[float, int, int, bool] | None = None
        best_start_val = -math.inf
        best_s = 0
        n, pref_at, asis = self.n, self.pref_at, self.asis
        for e in range(1, n + 1):
            s = e - 1
            # start_value(s) and end_value(e), spelled out (the hot loop of the realignment)
            sv = (0.0 if (s == 0 and self.pre_lost) else S_MARK) - pref_at[s]
            if sv >= best_start_val:
                best_start_val, best_s = sv, s
            ev, consumes = self.end_value(e) if e == n else (S_MARK, False)
            g = best_start_val + pref_at[e - 1] - asis[e - 1] + ev
            if best is None or g > best[0] + 1e-9:
                best = (g, best_s, e, consumes)
        return best

    def hanzi_between(self, i: int, j: int) -> bool:
        """Whether moving a window edge from i to j changes any hanzi (as it stands or realigned)."""
        lo, hi = min(i, j), max(i, j)
        return self.han_at[hi] > self.han_at[lo]


def _window_out(scores: _RunScores, s_hi: int, e_lo: int, e_hi: int, consumes: bool) -> list[str]:
    """Decoded pieces of a window whose ambiguous edges are folded into loss markers."""
    out = [MARK]
    for i in range(s_hi, e_lo - 1):
        ch = scores.pairs[i][0]
        out.append(ch if ch is not None else MARK)
    if e_lo == e_hi and consumes and scores.stray_pair is not None:
        out.append(scores.stray_pair[0])
    else:
        out.append(MARK)
    return out


def _best_window(text: str, units: list[_Unit], idx: list[int], chars: list[str],
                 pre_lost: bool, after: int | None) -> _Window | None:
    """Best one-byte realignment window of a run (max gain over the text as it stands).

    Ties go to the shorter window; edges with near-equal rivals are widened and their characters
    folded into the loss marker, since commonness alone cannot place them.
    """
    n = len(idx)
    stray_pair, end_lost = _stray_end(text, units, _two_bytes(chars[-1]), after)
    scores = _RunScores.of(chars, pre_lost, stray_pair, end_lost)
    best = scores.best()
    if best is None:
        return None
    g, s, e, consumes = best
    if g < min(MIN_SHIFT_GAIN, MIN_SHIFT_GAIN_NEAR_LOST):
        return None
    # Edges whose alternatives score almost as well are ambiguous: the characters between the
    # near-optimal edges are covered by the span but replaced by the loss marker in the repair.
    s_alts = [(s2, scores.gain_of(s2, e)) for s2 in range(e) if s2 != s and scores.hanzi_between(s2, s)]
    e_alts = [(e2, scores.gain_of(s, e2)) for e2 in range(s + 1, n + 1)
              if e2 != e and scores.hanzi_between(e2 - 1, e - 1)]
    s_amb = [s] + [s2 for s2, g2 in s_alts if g2 >= g - TIE_TOLERANCE]
    e_amb = [e] + [e2 for e2, g2 in e_alts if g2 >= g - TIE_TOLERANCE]
    rivals = [g2 for _, g2 in s_alts + e_alts if g2 < g - TIE_TOLERANCE]
    margin = g - max(rivals) if rivals else math.inf
    s_lo, s_hi = min(s_amb), max(s_amb)
    e_lo, e_hi = min(e_amb), max(e_amb)
    out = _window_out(scores, s_hi, e_lo, e_hi, consumes)
    last = after if (after is not None and e_hi == n and scores.end_value(n)[1]) else idx[e_hi - 1]
    touches = (s_lo == 0 and pre_lost) or (e_hi == n and end_lost)
    return _Window(idx[s_lo], last, g, out, margin, touches)


@cache
def _in_run(ch: str) -> bool:
    """Whether a character can stand in a realignment run: non-ASCII and two GB18030 bytes."""
    return not ch.isascii() and _gbk2(ch) is not None


def _run_bounds(text: str, units: list[_Unit]) -> list[tuple[int, int]]:
    """[first, end) unit indices of every maximal run of character units that `_in_run`."""
    out: list[tuple[int, int]] = []
    first = -1
    for k, u in enumerate(units):
        if u.kind == "char" and _in_run(text[u.start]):
            if first < 0:
                first = k
        elif first >= 0:
            out.append((first, k))
            first = -1
    if first >= 0:
        out.append((first, len(units)))
    return out


def _runs(text: str, units: list[_Unit], near: list[int]) -> list[_Window]:
    """Best realignment window of every run of two-byte characters near a signal (with and without
    widening `! ` after a lost marker back to the full-width `！　` the page normalised away).

    near[k] counts signal units up to unit k, so a run is only realigned when a signal lies
    within MERGE_GAP + 1 units of it (a window far from every signal could not join a span).
    """
    windows: list[_Window] = []
    n = len(units)
    for k, j in _run_bounds(text, units):
        lo, hi = max(0, k - MERGE_GAP - 3), min(n - 1, j + MERGE_GAP + 2)
        if near[hi] - (near[lo - 1] if lo > 0 else 0) == 0:
            continue
        a, b = k, j
        after = b if b < n else None
        pre_lost = a > 0 and units[a - 1].kind == "lost"
        idx = list(range(a, b))
        chars = [text[units[t].start] for t in idx]
        cand = _best_window(text, units, idx, chars, pre_lost, after)
        # widened variant: lost marker, then up to 3 of `! ,;:.` right before the run
        p = a
        while p > 0 and a - p < 3 and units[p - 1].kind == "char" and text[units[p - 1].start] in _FW_OF:
            p -= 1
        if p < a and p > 0 and units[p - 1].kind == "lost":
            widx = list(range(p, a)) + idx
            wch = [_FW_OF[text[units[t].start]] for t in range(p, a)] + chars
            wide = _best_window(text, units, widx, wch, True, after)
            if wide is not None:
                # the widened ASCII characters were neutral as they stood
                wide.gain += sum(_char_score(wch[t - p]) for t in range(wide.first, a))
                if cand is None or wide.gain > cand.gain + 1e-9:
                    cand = wide
        if cand is not None and cand.gain >= (MIN_SHIFT_GAIN_NEAR_LOST if cand.touches_lost
                                              else MIN_SHIFT_GAIN):
            windows.append(cand)
    return windows


# --------------------------------------------------------------------------------------------
# Spans.
# --------------------------------------------------------------------------------------------

def _survival(ch: str, drop_prior: float) -> float:
    """Probability that a realigned character is genuine and not the spurious union of the lead
    byte of one character and the trail byte of the next, left where the garbling decoder silently
    dropped an undecodable pair in between (Bayes with the class likelihoods below)."""
    if drop_prior <= 0:
        return 1.0
    k = _klass(ch)
    if not k.startswith("han"):
        return 1.0
    spurious, genuine = _CLASS_LIKELIHOOD.get(k, (1.0, 0.01))
    return (1 - drop_prior) * genuine / ((1 - drop_prior) * genuine + drop_prior * spurious)


#: P(class | spurious pair), P(class | genuine character) for realigned hanzi: a spurious pair keeps
#: a real lead byte, so it stays in the same GB2312 row (level 1 for common characters) but hits a
#: frequent character only at the frequent-character share of level 1 (~27 %); real text is ~85 %
#: frequent characters.
_CLASS_LIKELIHOOD = {"han:top": (0.27, 0.85), "han:l1": (0.73, 0.14), "han:l2": (1.0, 0.01),
                     "han:rare": (1.0, 0.01)}


def candidate_confidence(candidate: str, gain: float, margin: float = math.inf,
                         realigned: str = "", drop_prior: float = 0.0) -> float:
    """Confidence of a repair candidate: level-1 share of its hanzi × saturating score gain ×
    certainty of the realignment's edges × chance that no realigned character is spurious."""
    if gain <= 0 or margin <= 0:
        return 0.0
    hans = [c for c in candidate if _is_han(c)]
    if not hans:
        return 0.0
    q = sum(_klass(c) in ("han:top", "han:l1") for c in hans) / len(hans)
    conf = q * (1.0 - math.exp(-gain / GAIN_SCALE)) * (1.0 - math.exp(-margin / MARGIN_SCALE))
    for ch in _t2s(realigned):
        conf *= _survival(ch, drop_prior)
    if any(_klass(c) in ("symbol", "enum", "typo") for c in candidate):
        conf *= 0.5
    return round(conf, 3)


def _digit_run(text: str, i: int, step: int) -> list[int]:
    """Offsets of the number (digits with inner . or ,) starting at i and extending by step."""
    out: list[int] = []
    j = i
    while 0 <= j < len(text):
        ch = text[j]
        if _klass(ch) == "digit" or ch in ".," and 0 <= j + step < len(text) and _klass(text[j + step]) == "digit" and out:
            out.append(j)
        else:
            break
        j += step
    return out


def _collapse_marks(s: str) -> str:
    """Merge adjacent loss markers: the number of lost characters is unknown anyway."""
    return re.sub(r"\?{2,}", MARK, s)


_SUSPICIOUS = frozenset({"lost", "han:rare", "han:l2", "symbol", "enum", "typo"})
#: Characters of context analysed on each side of a suspicious character (covers whole garbled
#: runs: a run ends at the next ASCII byte, and the realignment needs the run's clean neighbours).
CONTEXT = 60


def _regions(text: str) -> list[tuple[int, int]]:
    """Slices of the text worth a full analysis: context around every suspicious character.

    Fast pre-filter (a regular expression skips the plain characters, one dictionary look-up per
    other character) so that clean pages cost almost nothing; a garbled run always contains
    rare/level-2/symbol characters or a lost byte. `_may_hold_span` then drops the regions that
    cannot hold a span.
    """
    sus = _SUSPICIOUS
    kl = _klass
    # `?`, and characters above U+02FF (Latin letters: pinyin annotations) of a suspicious class;
    # the scan skips, in C, the characters that can never be suspicious (`_plain_chars`)
    hits = [m.start() for m in _region_suspects().finditer(text) if kl(m.group()) in sus]
    out: list[list[int]] = []
    n = len(text)
    for i in hits:
        lo, hi = max(0, i - CONTEXT), min(n, i + CONTEXT + 1)
        if out and lo <= out[-1][1]:
            out[-1][1] = hi
        else:
            out.append([lo, hi])
    res: list[tuple[int, int]] = []
    for lo, hi in out:
        # cut where a run of two-byte characters is interrupted anyway (space, ASCII, line end)
        j = lo
        while j > 0 and lo - j < CONTEXT and not (text[j - 1].isspace() or text[j - 1] in ",;:!"):
            j -= 1
        k = hi
        while k < n and k - hi < CONTEXT and not (text[k].isspace() or text[k] in ",;:"):
            k += 1
        if res and j <= res[-1][1]:
            res[-1] = (res[-1][0], k)
        else:
            res.append((j, k))
    return res


@cache
def _plain_chars() -> str:
    """Non-ASCII characters that can never be a signal nor suspicious: the GB2312 level-1 hanzi
    and the common punctuation, each checked with `_klass` itself (so the set cannot disagree
    with it). They are most of a clean Simplified page."""
    level1 = bytes(b for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF)
                   for b in (lead, trail)).decode("gb2312", errors="ignore")
    chars = set(level1) | _COMMON_PUNCT | {chr(o) for o in range(0xFF01, 0xFF5F)}
    return "".join(sorted(c for c in chars if not c.isascii() and _klass(c) in ("han:top", "han:l1", "punct")))


@cache
def _plain_set() -> frozenset[str]:
    """`_plain_chars` as a set."""
    return frozenset(_plain_chars())


def _char_class_re(first: str) -> re.Pattern[str]:
    """A pattern matching one character that is neither plain nor in the ranges of `first`."""
    return re.compile("[^" + first + re.escape(_plain_chars()) + "]")


@cache
def _region_suspects() -> re.Pattern[str]:
    """Candidates of `_regions`: `?` and characters above U+02FF that are not plain."""
    return _char_class_re("\x00->@-\u02ff")


@cache
def _signal_suspects() -> re.Pattern[str]:
    """Candidates of `_signal_bound`: non-ASCII characters that are not plain (Latin-1 signs
    such as `×` count as signals in the full analysis although `_regions` ignores them)."""
    return _char_class_re("\x00-\x7f")


#: Bounds are compared with this much slack: they add the same weights and scores in another
#: order than the full analysis, so float rounding must not decide at a threshold.
_SLACK = 1e-6
#: A stray-byte candidate: an ASCII byte of the trail range (0x40–0x7E) right after a non-ASCII character.
_STRAY_RE = re.compile(r"(?<=[^\x00-\x7f])[\x40-\x7e]")

#: The most a character of each class can weigh as a signal (`_char_weight`: a symbol needs a CJK
#: neighbour, its weight only falls from there).
_MAX_CHAR_WEIGHT = {"han:rare": W_RARE, "han:l2": W_LEVEL2, "symbol": W_SYMBOL, "enum": W_ENUM,
                    "typo": W_TYPO}


def _stray_bound(text: str, i: int) -> float:
    """Upper bound of the weight of the ASCII byte text[i] as a stray byte (`_char_weight`)."""
    pc = _klass(text[i - 1])
    if not (pc.startswith("han") or pc in ("symbol", "enum")):
        return 0.0
    if i + 1 < len(text) and text[i + 1] == "(":
        return W_STRAY_ANNOT            # only if the `(` opens an annotation
    nc = _klass(text[i + 1]) if i + 1 < len(text) else ""
    return W_STRAY if nc.startswith("han") or nc in ("punct", "symbol") else 0.0


def _signal_bound(text: str) -> list[tuple[int, float]]:
    """(offset, upper bound of its weight) of every character that may be a signal, sorted by
    offset (lost markers: `_lost_bound`)."""
    out = [(m.start(), _MAX_CHAR_WEIGHT.get(_klass(m.group()), 0.0))
           for m in _signal_suspects().finditer(text)]
    out += [(m.start(), _stray_bound(text, m.start())) for m in _STRAY_RE.finditer(text)]
    return sorted(t for t in out if t[1] > 0)


def _chain_bound(signals: list[tuple[int, float]], windows: list[tuple[int, int, float]]) -> float:
    """Largest total weight of signals and windows chained at most MERGE_GAP characters apart,
    where a window (first, last, weight) chains everything it covers."""
    items = sorted([(i, i, w) for i, w in signals] + windows)
    best = total = 0.0
    end = -MERGE_GAP - 2
    for a, b, w in items:
        joined = a - end - 1 <= MERGE_GAP
        total = total + w if joined else w
        best = max(best, total)
        end = max(end, b) if joined else b
    return best


@cache
def _lead_bound(lead: int) -> float:
    """Best score of a realigned pair with this lead byte, over every lead byte of the next
    character (0x81–0xFE), as `_decode_pair` scores it (GB2312 trail bytes first: a row that
    holds a frequent character reaches the top of the scale, no other trail byte can do better)."""
    top = max(_SCORE.values())
    best = -math.inf
    for trail in [*range(0xA1, 0xFF), *range(0x81, 0xA1)]:
        best = max(best, _decode_pair(lead, trail)[1])
        if best >= top:
            break
    return best


#: (bound of what realigning a character gains, what dropping it gains) per character (see
#: `_shift_profile`); a character that ends a run has (-inf, -inf), which resets the scan.
_PROFILES: dict[str, tuple[float, float]] = {}


def _shift_profile(ch: str) -> tuple[float, float]:
    """For a character that can stand in a realignment run: (bound of what realigning it can gain,
    what dropping it gains); (-inf, -inf) for a character that ends a run (ASCII, not two bytes)."""
    code = None if ch.isascii() else _gbk2(ch)
    if code is None:
        prof = (-math.inf, -math.inf)
    else:
        asis = _char_score(ch)
        prof = (_lead_bound(code[1]) - asis, -asis)
    _PROFILES[ch] = prof
    return prof


def _stray_value(text: str, i: int) -> float:
    """End value of a window ending at a run's last character text[i - 1]: the stray byte text[i]
    completing its last pair (`_stray_end`), else S_MARK."""
    if i < len(text) and "\x40" <= text[i] <= "\x7e":
        code = _gbk2(text[i - 1])
        if code is not None:
            stray, score = _decode_pair(code[1], ord(text[i]))
            if stray is not None:
                return max(S_MARK, score - S_STRAY)
    return S_MARK


def _chunk_gain_bound(chunk: str, start_bonus: float) -> float:
    """Upper bound of Σ_{s≤i<j} (pair_i − asis_i) − asis_j (+ start_bonus when s = 0) over the
    windows [s, j] of the runs of a chunk: a maximum-subarray scan over `_shift_profile`, reset
    where a run ends."""
    best = -math.inf               # best bound of Σ_{s≤i<j} (pair_i − asis_i) − asis_j
    acc = start_bonus              # best bound of Σ_{s≤i<j} (pair_i − asis_i), empty sum included
    profiles = _PROFILES
    for ch in chunk:
        up, drop = profiles.get(ch) or _shift_profile(ch)
        if acc + drop > best:
            best = acc + drop
        acc += up
        if acc < 0.0:
            acc = 0.0
    return best


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")


class _Chunk(NamedTuple):
    """A stretch of the slice that may hold realignment windows, and what they may gain."""

    first: int             # first offset a window may cover (a widened `! ,;:.` included)
    last: int              # last offset (a stray byte after the run included)
    gain: float            # upper bound of the gain of every window in it
    touches_lost: int      # how many of its ends touch a `?` (a window may start or end there)


def _widened_start(text: str, a: int) -> int:
    """Where `_runs` may start a run beginning at offset a: after a `?` and up to 3 of `! ,;:.`
    (the widened variant, back in full width), else a itself."""
    p = a
    while p > 0 and a - p < 3 and text[p - 1] in _FW_OF:
        p -= 1
    return p if p < a and p > 0 and text[p - 1] == MARK else a


def _shift_bounds(text: str, signals: list[int] | None) -> list[_Chunk]:
    """The chunks of non-ASCII characters of a slice whose lost markers are single `?`
    (`_simple_losses`) that may hold a realignment window: no window of the full analysis reaches
    beyond a chunk or gains more than its bound.

    `_runs` realigns a run [k, j) only when a signal lies in the units [k - MERGE_GAP - 3,
    j + MERGE_GAP + 2]; with `signals` (the sorted offsets of every possible signal, in a slice
    without annotations, where offsets are unit indices) a chunk with none that close is left out.

    A window [s, e) of a run gains its start value (S_MARK, or 0 for s = 0 right after a lost
    marker) + Σ_{s≤i<e-1} (pair_i − asis_i) − asis_{e−1} + its end value (S_MARK, 0 right before
    a lost marker, or what a stray byte after the run completing the last pair scores,
    `_stray_value`) — `_RunScores.gain_of`. pair_i is at most `_lead_bound` of char i's trail
    byte and runs lie inside chunks (they end at every ASCII character), so `_chunk_gain_bound`
    plus the best end value bounds every window. The widened variant realigns `! ,;:.` after a
    lost marker in full width and then subtracts their (negative) scores again: the chunk is
    scanned with them in front, which bounds both variants.
    """
    out = []
    n = len(text)
    lossy = MARK in text
    for m in _NON_ASCII_RE.finditer(text):
        a, b = m.span()
        if signals is not None:
            k = bisect_left(signals, a - MERGE_GAP - 3)
            if k == len(signals) or signals[k] > b + MERGE_GAP + 2:
                continue
        p = _widened_start(text, a) if lossy else a
        pre = p > 0 and text[p - 1] == MARK
        end_lost = b < n and text[b] == MARK
        end = 0.0 if end_lost else _stray_value(text, b)
        chunk = "".join(_FW_OF[c] for c in text[p:a]) + m.group() if p < a else m.group()
        gain = S_MARK + _chunk_gain_bound(chunk, -S_MARK if pre else 0.0) + end
        # a window reaching the run's end may consume the stray byte after it (`_best_window`)
        stray = b < n and "\x40" <= text[b] <= "\x7e"
        out.append(_Chunk(p, b if stray else b - 1, gain, int(pre) + int(end_lost)))
    return out


def _window_weight_bound(chunk: _Chunk) -> float:
    """Upper bound of the weight of a chunk's windows below SHIFT_DETECT_GAIN (`_window_items`):
    0 unless one touches a lost marker (from MIN_SHIFT_GAIN_NEAR_LOST on), then W_SHIFT_NEAR_LOST
    per unit of gain, for each side that touches one (a chunk split by a character outside
    GB18030's two bytes holds several runs, each with its own window)."""
    if chunk.touches_lost == 0 or chunk.gain < MIN_SHIFT_GAIN_NEAR_LOST - _SLACK:
        return 0.0
    return chunk.touches_lost * min(SPAN_MIN_WEIGHT, chunk.gain * W_SHIFT_NEAR_LOST)


def _simple_losses(text: str, marks: list[int]) -> bool:
    """Whether every lost marker of the slice is a single `?` of one character unit: no U+FFFD
    (W_FFFD is a span's weight alone), no `??` run, no orphan annotation after it and no
    annotation anywhere (so that offsets are unit indices, `_units`)."""
    if "\ufffd" in text or (marks and "(" in text):
        return False
    n = len(text)
    return all((i + 1 >= n or text[i + 1] != MARK) and (i == 0 or text[i - 1] != MARK)
               and not _ORPHAN_RE.match(text, i + 1) for i in marks)


def _lost_bound(text: str, i: int) -> float:
    """Upper bound of the weight of a single `?` at offset i (`_lost_weight`)."""
    digit = (i > 0 and _klass(text[i - 1]) == "digit") or (i + 1 < len(text) and _klass(text[i + 1]) == "digit")
    return W_LOST + (W_LOST_DIGIT if digit else 0.0)


def _may_hold_span(text: str) -> bool:
    """False only when the full analysis of the slice provably finds no span (it is then skipped).

    A cluster weighs the sum of its signals and windows. Lost markers must be single `?`
    (`_simple_losses`, else the slice is analysed). The signals' upper bounds are
    `_signal_bound` and `_lost_bound`; a realignment window weighs SPAN_MIN_WEIGHT from
    SHIFT_DETECT_GAIN on, else at most `_window_weight_bound` (0 away from a lost marker). So no
    span can form when no chunk's gain bound (`_shift_bounds`) reaches SHIFT_DETECT_GAIN and
    these weights sum below SPAN_MIN_WEIGHT in every possible cluster: in the whole slice when an
    annotation may shorten the gaps (annotations are not counted in them), else in every chain of
    items at most MERGE_GAP characters apart, where a chunk that may hold a window (bound from
    MIN_SHIFT_GAIN, or a weight) chains everything it covers. Clusters only join items that
    close, so each lies inside one such chain. A clean page's isolated level-2 name characters
    (圳, 婷), bullets and genuine questions are skipped this way; a garbled run keeps several
    rare/level-2/symbol characters within MERGE_GAP, or gains ≥ SHIFT_DETECT_GAIN.
    """
    marks = [i for i, ch in enumerate(text) if ch == MARK] if MARK in text else []
    if not _simple_losses(text, marks):
        return True
    signals = sorted(_signal_bound(text) + [(i, _lost_bound(text, i)) for i in marks])
    if _chain_bound(signals, []) >= SPAN_MIN_WEIGHT - _SLACK:
        return True                     # (windows only add weight and chain more)
    chunks = _shift_bounds(text, None if "(" in text else [i for i, _ in signals])
    if any(c.gain >= SHIFT_DETECT_GAIN - _SLACK for c in chunks):
        return True
    # the chunks that may hold a window at all (one that weighs, or that chains what it covers)
    windows = [(c.first, c.last, w) for c in chunks
               if (w := _window_weight_bound(c)) > 0 or c.gain >= MIN_SHIFT_GAIN - _SLACK]
    total = sum(w for _, w in signals) + sum(w for _, _, w in windows)
    if total < SPAN_MIN_WEIGHT - _SLACK:
        return False
    return "(" in text or _chain_bound(signals, windows) >= SPAN_MIN_WEIGHT - _SLACK


def find_corrupt_spans(text: str) -> list[CorruptSpan]:
    """Detect byte-shifted GBK mojibake spans in one document's decoded text; sorted, non-overlapping."""
    spans: list[CorruptSpan] = []
    for lo, hi in _regions(text):
        region = text[lo:hi]
        if not _may_hold_span(region):
            continue
        for sp in _analyse(region):
            spans.append(CorruptSpan(sp.start + lo, sp.end + lo, sp.text, sp.reason, sp.repair,
                                     sp.confidence, sp.candidate,
                                     tuple(i + lo for i in sp.damaged)))
    return spans


#: A signal or a realignment window: (first unit, last unit, weight, reason, window or None).
_Item = tuple[int, int, float, str, _Window | None]

#: Order in which the reasons of a span are listed.
_REASON_ORDER = ["lost-byte", "replacement-char", "orphan-pinyin", "symbol-run", "rare-chars",
                 "stray-ascii", "byte-shift"]


@dataclass
class _Cluster:
    """Signals and windows at most MERGE_GAP content units apart, with their total weight."""

    first: int
    last: int
    weight: float
    items: list[_Item]


@dataclass
class _Range:
    """The characters [start, end) of one or more overlapping clusters, with what they found."""

    start: int
    end: int
    damaged: set[int]
    wins: list[_Window]
    reasons: set[str]


def _content_positions(units: list[_Unit]) -> list[int]:
    """Content position of each unit (annotations do not count for gaps)."""
    pos = []
    c = 0
    for u in units:
        pos.append(c)
        if u.kind != "annot":
            c += 1
    return pos


def _signal_items(text: str, units: list[_Unit]) -> list[_Item]:
    """The units that are signals of damage on their own (a lost byte, a rare character …), with their weight."""
    items: list[_Item] = []
    plain = _plain_set()
    for k, u in enumerate(units):
        if u.kind == "lost":
            w, r = _lost_weight(text, units, k)
        elif u.kind == "char":
            if text[u.start] in plain:
                continue                # level-1 hanzi and punctuation weigh 0 (`_char_weight`)
            w, r = _char_weight(text, units, k)
        else:
            continue
        if w > 0:
            items.append((k, k, w, r, None))
    return items


def _window_items(text: str, units: list[_Unit], signals: list[_Item]) -> list[_Item]:
    """Realignment windows of the runs near a signal, weighted by their gain (a span alone at SHIFT_DETECT_GAIN)."""
    hot = [0] * len(units)
    for it in signals:
        hot[it[0]] = 1
    near = list(accumulate(hot))
    items: list[_Item] = []
    for win in _runs(text, units, near):
        if win.gain >= SHIFT_DETECT_GAIN:
            w = SPAN_MIN_WEIGHT
        elif win.touches_lost:
            w = min(SPAN_MIN_WEIGHT, win.gain * W_SHIFT_NEAR_LOST)
        else:
            w = 0.0
        items.append((win.first, win.last, w, "byte-shift", win))
    return items


def _clusters(items: list[_Item], pos: list[int]) -> list[_Cluster]:
    """Clusters of the sorted items at most MERGE_GAP content units apart that reach SPAN_MIN_WEIGHT."""
    clusters: list[_Cluster] = []
    for it in items:
        if clusters and pos[it[0]] - pos[clusters[-1].last] - 1 <= MERGE_GAP:
            cl = clusters[-1]
            cl.last = max(cl.last, it[1])
            cl.weight += it[2]
            cl.items.append(it)
        else:
            clusters.append(_Cluster(it[0], it[1], it[2], [it]))
    return [cl for cl in clusters if cl.weight >= SPAN_MIN_WEIGHT]


def _damaged_digits(text: str, units: list[_Unit], first: int, last: int) -> set[int]:
    """Offsets of the `?` markers of units first..last that may have eaten a digit, and of the digits next to them."""
    damaged: set[int] = set()
    for k in range(first, last + 1):
        u = units[k]
        if u.kind != "lost":
            continue
        # Only a `?` can have eaten a neighbouring digit byte (the decoder swallowed the pair
        # lead+ASCII, as in 才?000); U+FFFD decoders put the ASCII byte back, digits survive.
        marks = [i for i in range(u.start, u.end) if text[i] == "?"]
        if not marks:
            continue
        hit: list[int] = []
        if not u.orphan:
            hit += _digit_run(text, u.end, +1)
        hit += _digit_run(text, u.start - 1, -1)
        # a `?` that swallowed a byte pair before a measure word most likely ate a digit
        # (受援?縣); U+FFFD stands for one byte only, the digit would still be visible
        nxt = u.end
        ate_digit = (not u.orphan and "?" in text[u.start:u.end] and nxt < len(text)
                     and text[nxt] in _MEASURE)
        if hit or ate_digit:
            damaged.update(marks)
            damaged.update(hit)
    return damaged


def _ranges(text: str, units: list[_Unit], clusters: list[_Cluster]) -> list[_Range]:
    """Character ranges of the clusters, widened to their damaged digits, overlapping ones merged."""
    ranges: list[_Range] = []
    for cl in clusters:
        a, b = units[cl.first].start, units[cl.last].end
        damaged = _damaged_digits(text, units, cl.first, cl.last)
        if damaged:
            a, b = min(a, min(damaged)), max(b, max(damaged) + 1)
        wins = [it[4] for it in cl.items if it[4] is not None]
        reasons = {it[3] for it in cl.items if it[3]}
        if ranges and a < ranges[-1].end:
            r = ranges[-1]
            r.end = max(r.end, b)
            r.damaged |= damaged
            r.wins += wins
            r.reasons |= reasons
        else:
            ranges.append(_Range(a, b, damaged, wins, reasons))
    return ranges


class _Stitched(NamedTuple):
    """A range's text with its realignment windows substituted, and what the windows scored."""

    pieces: list[str]
    gain: float
    margin: float
    realigned: str
    used: bool


def _stitch(text: str, units: list[_Unit], start_of: dict[int, int], rng: _Range) -> _Stitched:
    """The pieces of a range: each window's decoded output where a window starts, else the unit as it stands."""
    n = len(units)
    by_first = {units[w.first].start: w for w in rng.wins}
    pieces: list[str] = []
    gain = 0.0
    margin = math.inf
    realigned = ""
    used = False
    k = start_of.get(rng.start, 0)
    while k < n and units[k].start < rng.end:
        u = units[k]
        w = by_first.get(u.start)
        if w is not None:
            pieces.extend(w.out)
            gain += w.gain
            margin = min(margin, w.margin)
            realigned += w.realigned
            used = True
            k = w.last + 1
            continue
        if u.kind == "lost":
            pieces.append(MARK)
        elif u.kind == "char":
            pieces.append(text[u.start])
        k += 1
    return _Stitched(pieces, gain, margin, realigned, used)


def _range_span(text: str, units: list[_Unit], start_of: dict[int, int], rng: _Range) -> CorruptSpan:
    """The corrupt span of a range, with its repair candidate and the confidence that decides its acceptance."""
    a, b = rng.start, rng.end
    st = _stitch(text, units, start_of, rng)
    cand = _collapse_marks(_t2s("".join(st.pieces)))
    # U+FFFD markers come from decoders that mark every undecodable pair; with `?` markers
    # (or none) a silently dropped pair cannot be excluded.
    prior = 0.0 if "\ufffd" in text[a:b] else UDA_DROP_PRIOR
    conf = candidate_confidence(cand, st.gain, st.margin, st.realigned, prior) if st.used else 0.0
    # (full-width digits inside a realigned stretch are garbage, not figures)
    digits_in = re.findall(r"[0-9]", text[a:b])
    if re.findall(r"[0-9]", cand) != digits_in:
        conf = 0.0          # never invent (or drop) a digit
    if MARK not in cand and st.used:
        conf = 0.0          # a realignment always loses at least one byte
    accepted = conf >= ACCEPT_CONFIDENCE
    return CorruptSpan(
        start=a, end=b, text=text[a:b],
        reason=";".join(r for r in _REASON_ORDER if r in rng.reasons),
        repair=cand if accepted else None,
        confidence=conf if accepted else 0.0,
        candidate=cand,
        damaged=tuple(sorted(rng.damaged)),
    )


def _analyse(text: str) -> list[CorruptSpan]:
    """Full analysis of one slice: signals, realignment windows, clusters, repairs."""
    if not text:
        return []
    units = _units(text)
    pos = _content_positions(units)
    signals = _signal_items(text, units)
    items = signals + _window_items(text, units, signals)
    items.sort(key=lambda t: (t[0], t[1]))
    ranges = _ranges(text, units, _clusters(items, pos))
    start_of = {u.start: k for k, u in enumerate(units)}
    return [_range_span(text, units, start_of, rng) for rng in ranges]


def apply_repairs(text: str, spans: list[CorruptSpan] | None = None) -> str:
    """Return text with every accepted repair substituted (other spans left as they are)."""
    if spans is None:
        spans = find_corrupt_spans(text)
    out, last = [], 0
    for sp in sorted(spans, key=lambda s: s.start):
        if sp.repair is None:
            continue
        out.append(text[last:sp.start])
        out.append(sp.repair)
        last = sp.end
    out.append(text[last:])
    return "".join(out)
