"""Normalisation, pinyin annotations and the offset map (aidlab.text.normalize, pinyin, textmap):
the fast forms give what the plain forms they replace give."""
from __future__ import annotations


def test_regex_character_mapping_equals_translate():
    """normalize's regex replacement of CHAR_MAP characters gives what str.translate gives."""
    import random

    from aidlab.text import normalize

    table = str.maketrans(normalize.CHAR_MAP)
    rnd = random.Random(11)
    alphabet = [*normalize.CHAR_MAP, *"医疗１２ab \n\t，,%"]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        assert normalize._map_chars(text) == text.translate(table)


def test_annotation_regex_equals_its_two_alternative_form():
    """ANNOTATION, written to start at the parenthesis, finds what `(?<=CJK)(…)|(…toned…)` finds."""
    import random
    import re

    from aidlab.text import pinyin

    letters, toned = pinyin._LETTERS, pinyin._TONED
    plain = re.compile(rf"(?:(?<=[\u3400-\u9fff\uf900-\ufaff])[(（]([{letters}]{{1,6}})[)）])"
                       rf"|(?:[(（]([a-zü]{{0,5}}[{toned}][a-zü]{{0,5}})[)）])")
    rnd = random.Random(13)
    alphabet = list("醫療医yishùliáoǜê（）()?\n a1")
    found = 0
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        expected = [(m.span(), m.groups()) for m in plain.finditer(text)]
        assert [(m.span(), m.groups()) for m in pinyin.ANNOTATION.finditer(text)] == expected, text
        found += bool(expected)
    assert found > 100  # the strings do hold annotations


def test_masked_deletions_equal_the_general_edit_path():
    """TrackedText.apply's mask path (deletions, same-length replacements) gives the text and provenance
    the general path gives (forced here by one length-changing edit at the end, applied separately)."""
    import random

    import numpy as np

    from aidlab.text.textmap import Edit, TrackedText

    rnd = random.Random(17)
    for _ in range(2000):
        raw = "".join(rnd.choice("ab中文\n ") for _ in range(rnd.randint(1, 30)))
        t = TrackedText.identity(raw).apply([Edit(0, 1, "XY")])  # provenance that is not the identity
        edits, pos = [], 0
        while pos < len(t) and rnd.random() < 0.8:
            a = rnd.randint(pos, len(t))
            b = rnd.randint(a, min(len(t), a + 3))
            edits.append(Edit(a, b, rnd.choice(["", "Z" * (b - a)])))
            pos = b
        fast = t.apply(edits)
        general = t.apply([*edits, Edit(len(t), len(t), "!")])  # an insertion: the general path
        assert fast.text + "!" == general.text
        assert np.array_equal(fast.raw_start, general.raw_start[:-1])
        assert np.array_equal(fast.raw_end, general.raw_end[:-1])
        assert fast.raw_start.dtype == general.raw_start.dtype


def test_number_space_patterns_equal_their_look_behind_forms():
    """normalize's patterns, written to start with a consumed digit or comma, find the spans of the
    look-behind-first forms they replace (`(?<=\\d) +(?=[%‰])`, `(?<![\\d.:\\-/])\\d{1,3}(?: \\d{3})+…`,
    `(?<=\\d)[，,](?=…)`)."""
    import random
    import re

    from aidlab.text import normalize

    pairs = [(re.compile(r"(?<=\d) +(?=[%‰])"), normalize._PERCENT_SPACE, 1),
             (re.compile(r"(?<![\d.:\-/])\d{1,3}(?: \d{3})+(?![\d:\-/])"), normalize._GROUPED, 0),
             (re.compile(r"(?<=\d)[，,](?=\d{3}(?!\d))"), normalize._THOUSANDS, 0)]
    rnd = random.Random(19)
    alphabet = list("12 .:-/%‰,，a中\n")
    for _ in range(30000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        for plain, fast, group in pairs:
            assert [m.span(group) for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text
