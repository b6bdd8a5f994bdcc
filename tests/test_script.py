"""Traditional → Simplified and script detection (aidlab.text.script): OpenCC's output, faster."""
from __future__ import annotations


def test_selective_t2s_equals_opencc_on_every_piece(seed_texts):
    import random

    from aidlab.text import script

    full = script._t2s().convert
    for text in seed_texts.values():
        assert script._t2s_convert(text) == full(text)
    rnd = random.Random(7)
    alphabet = list("".join(seed_texts.values())) + list("，。、 \n(),.?-")
    for _ in range(2000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        assert script._t2s_convert(text) == full(text)
    assert script._t2s_convert("醫療隊") == "医疗队" and script._t2s_convert("医疗队") == "医疗队"


def test_table_conversion_equals_opencc_where_phrases_overlap():
    """Strings built from phrase keys and their pieces make OpenCC choose between overlapping phrases
    (longest first, leftmost among equals): the table-based conversion must choose the same, for t2s
    and for s2t (whose 49 000 phrases overlap far more)."""
    import random

    from aidlab.text import script

    rnd = random.Random(3)
    for conversion, conv in (("t2s", script._t2s()), ("s2t", script._s2t())):
        tables = script._tables(conversion)
        assert tables is not None
        keys = sorted(tables.phrases)
        for _ in range(3000):
            pieces = [rnd.choice(keys) for _ in range(rnd.randint(0, 6))]
            text = "".join(p[rnd.randint(0, len(p) - 1):] if rnd.random() < 0.3 else p for p in pieces)
            text = text if rnd.random() < 0.7 else text.replace(text[:1], "，", 1)
            assert script._convert_with(tables, text) == conv.convert(text), text


def test_long_text_conversion_through_the_code_point_array_equals_opencc():
    """Texts long enough for the numpy code-point table, with astral ideographs and a lone surrogate
    (which takes the str.translate path), convert as OpenCC converts them."""
    import random

    from aidlab.text import script

    tables = script._tables("t2s")
    assert tables is not None and tables.codes is not None
    alphabet = [*map(chr, tables.chars), *"的是，。 \n", "\U0002B5E7", "\U00020000", "\U0010FFFF", "\ud800"]
    rnd = random.Random(5)
    for _ in range(300):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(script._ARRAY_FROM, 600)))
        assert script._t2s_convert(text) == script._t2s().convert(text)


def test_script_character_sets_equal_opencc_on_every_ideograph():
    """The regex counts of script_counts classify every counted code point as OpenCC does one by one."""
    from aidlab.text import script

    trad, simp = script._script_patterns()
    for c in [*range(0x3400, 0xA000), *range(0xF900, 0xFB00)]:
        ch = chr(c)
        assert bool(trad.match(ch)) == script._is_traditional_only(ch), ch
        assert bool(simp.match(ch)) == script._is_simplified_only(ch), ch
