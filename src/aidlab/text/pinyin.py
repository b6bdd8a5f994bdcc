"""Pinyin annotations that some converting sites insert after characters: `醫(yī)療`, `縣(xiàn)`.

An annotation is a parenthesised, lower-case, single Mandarin syllable (tone marks optional) written
directly after a CJK character. Checking the syllable against the full syllable inventory keeps
genuine parentheses such as `(化名)`, `(CT)`, `(左三)` or `(以下简称“…”)` untouched.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Every toneless Mandarin syllable (ü written v), grouped by initial.
_SYLLABLES = """
a ai an ang ao e ei en eng er o ou
ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu
pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu
fa fan fang fei fen feng fo fou fu
da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo
ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve
la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve
ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo
ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun
qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun
zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo
cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo
sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo
ra ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
za zai zan zang zao ze zei zen zeng zi zong zou zu zuan zui zun zuo
ca cai can cang cao ce cen ceng ci cong cou cu cuan cui cun cuo
sa sai san sang sao se sen seng si song sou su suan sui sun suo
ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun
wa wai wan wang wei wen weng wo wu
"""
SYLLABLES = frozenset(_SYLLABLES.split())

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜḿńňǹ"
_LETTERS = "a-züê" + _TONED
#: A parenthesised lower-case letter run (ASCII or full-width parentheses) that is either written
#: right after a CJK character or carries a tone mark (mojibake can leave a Latin byte before it).
#: Both alternatives start at the parenthesis, so the regex engine skips to the next parenthesis in C
#: (the character before it is checked by a look-behind over it).
ANNOTATION = re.compile(
    rf"[(（](?:(?<=[\u3400-\u9fff\uf900-\ufaff].)([{_LETTERS}]{{1,6}})[)）]"
    rf"|([a-zü]{{0,5}}[{_TONED}][a-zü]{{0,5}})[)）])"
)


@lru_cache(maxsize=4096)
def toneless(syllable: str) -> str:
    """Strip tone marks and write ü as v: 'lǜ' → 'lv', 'yī' → 'yi'."""
    decomposed = unicodedata.normalize("NFD", syllable.replace("ü", "v").replace("ǖ", "v").replace("ǘ", "v")
                                       .replace("ǚ", "v").replace("ǜ", "v"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ê", "e")


def is_syllable(s: str) -> bool:
    """True when s (tone marks allowed) is one Mandarin syllable."""
    return toneless(s) in SYLLABLES


#: The tail of an annotation whose character and opening parenthesis were lost to mojibake: `?shù)`.
#: Only the syllable and ")" are removed; the `?` stays as the marker of the lost bytes.
BROKEN_ANNOTATION = re.compile(rf"(?<=\?)([{_LETTERS}]{{1,6}})[)）]")


def find_annotations(text: str) -> list[tuple[int, int, str]]:
    """Spans (start, end, syllable) of pinyin annotations in a text, parentheses included.

    Also returns the remains `syllable)` of annotations broken by a lost byte (`?shù)`).
    """
    found = []
    for m in ANNOTATION.finditer(text):
        syllable = m.group(1) or m.group(2)
        if is_syllable(syllable):
            found.append((m.start(), m.end(), syllable))
    broken = BROKEN_ANNOTATION.finditer(text) if "?" in text else ()  # it follows a lost-byte mark: no "?", none
    for m in broken:
        if is_syllable(m.group(1)):
            found.append((m.start(), m.end(), m.group(1)))
    return sorted(found)
