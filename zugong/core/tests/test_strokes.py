"""姓氏笔画 ordering (zugong.core.strokes): rule, data coverage, key shape, database order."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from zugong.core.strokes import STROKE_KEY_MAX_LEN, stroke_count, stroke_order, stroke_sort_key


def by_strokes(names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: (stroke_sort_key(n), n))


# 25 common surnames with their stroke sequences worked out by hand, component by component
# (1横 2竖 3撇 4点 5折; 冫/氵's rising stroke is a 提 = 横; 竖钩 = 竖), in the expected order.
HAND_CHECKED = [
    ("丁", "12"),
    ("于", "112"),
    ("万", "153"),
    ("马", "551"),
    ("王", "1121"),
    ("毛", "3115"),
    ("方", "4153"),
    ("邓", "5452"),
    ("石", "13251"),
    ("白", "32511"),
    ("冯", "41551"),
    ("朱", "311234"),
    ("刘", "413422"),
    ("孙", "521234"),
    ("李", "1234521"),
    ("吴", "2511134"),
    ("何", "3212512"),
    ("张", "5153154"),
    ("林", "12341234"),
    ("金", "34112431"),
    ("周", "35121251"),
    ("赵", "121213434"),
    ("胡", "122513511"),
    ("高", "4125125251"),
    ("黄", "12212512134"),
]


def test_it_has_hand_checked_stroke_data_for_common_surnames():
    for ch, digits in HAND_CHECKED:
        assert stroke_order(ch) == digits, ch
        assert stroke_count(ch) == len(digits), ch


def test_it_orders_twenty_common_surnames_as_checked_by_hand():
    expected = [ch for ch, _ in HAND_CHECKED]
    shuffled = expected[:]
    random.Random(7).shuffle(shuffled)
    assert by_strokes(shuffled) == expected


def test_it_orders_by_stroke_count_first():
    assert by_strokes(["张", "李", "刘", "白", "王", "于", "丁"]) == ["丁", "于", "王", "白", "刘", "李", "张"]
    assert [stroke_count(c) for c in "丁于王白刘李张"] == [2, 3, 4, 5, 6, 7, 7]


def test_it_orders_equal_counts_by_stroke_order():
    # 王 starts with 横, 毛 with 撇; 李 starts with 横, 张 with 折.
    assert by_strokes(["毛", "王"]) == ["王", "毛"]
    assert by_strokes(["张", "李"]) == ["李", "张"]
    # same first stroke: decided by the second (范 一丨… before 欧 一丿…, both 8 strokes)
    assert by_strokes(["欧", "范"]) == ["范", "欧"]


def test_it_orders_same_surname_by_given_name():
    names = ["张伟", "张三", "张", "张三丰", "李四", "王五"]
    assert by_strokes(names) == ["王五", "李四", "张", "张三", "张三丰", "张伟"]


def test_it_needs_no_special_case_for_compound_surnames():
    # 司马 sorts by 司 (5 strokes, starts with 折): after 白 (5, 撇), before 刘 (6).
    assert by_strokes(["刘备", "司马光", "白居易"]) == ["白居易", "司马光", "刘备"]
    # 欧阳 sorts by 欧 (8) then 阳 (6, before 明 8); 诸葛 by 诸 (10).
    assert by_strokes(["诸葛亮", "欧阳修", "欧明", "周瑜"]) == ["欧阳修", "欧明", "周瑜", "诸葛亮"]


def test_it_sorts_characters_without_data_last_by_code_point():
    ext_b = "\U00020000"  # 𠀀, CJK Extension B: not in the table
    assert stroke_count(ext_b) is None
    assert by_strokes(["A", ext_b, "龘", "丁"]) == ["丁", "龘", "A", ext_b]
    assert by_strokes(["王" + ext_b, "王龘", "王A"]) == ["王龘", "王A", "王" + ext_b]
    assert stroke_sort_key(ext_b) == stroke_sort_key(ext_b)


def test_it_knows_every_basic_cjk_ideograph():
    missing = [chr(cp) for cp in range(0x4E00, 0x9FA6) if stroke_count(chr(cp)) is None]
    assert missing == []
    # stroke sequences, where known, agree with the count; counts stay below the unknown prefix 99
    for cp in range(0x4E00, 0xA000):
        ch = chr(cp)
        n = stroke_count(ch)
        if n is None:
            continue
        assert 1 <= n < 99
        digits = stroke_order(ch)
        assert digits is None or (len(digits) == n and set(digits) <= set("12345")), ch


def test_it_gives_distinct_keys_to_distinct_known_characters():
    chars = [chr(cp) for cp in range(0x4E00, 0x9FA6)]
    keys = {stroke_sort_key(c) for c in chars}
    assert len(keys) == len(chars)


def test_it_makes_ascii_digit_keys_within_the_column_length():
    rng = random.Random(3)
    pool = [chr(cp) for cp in range(0x4E00, 0x9FA6)] + ["·", "A", "\U0002A6D6", " "]
    for _ in range(2000):
        name = "".join(rng.choice(pool) for _ in range(rng.randint(1, 20)))
        key = stroke_sort_key(name)
        assert key.isascii() and key.isdigit()
        assert 0 < len(key) <= STROKE_KEY_MAX_LEN
    six = "欧阳娜娜丽丽"
    assert len(stroke_sort_key(six)) == 6 * 7  # six known characters fit whole
    assert stroke_sort_key("") == ""


def test_it_keeps_a_prefix_name_before_its_extensions():
    assert stroke_sort_key("王") < stroke_sort_key("王一") < stroke_sort_key("王丁")
    assert stroke_sort_key("王五") < stroke_sort_key("毛")


@pytest.mark.django_db
def test_it_orders_keys_the_same_way_in_the_database():
    """The database's default collation (SQLite BINARY; PostgreSQL whatever the cluster has)
    orders the keys exactly as Python does."""
    names = [ch for ch, _ in HAND_CHECKED] + ["张三", "张伟", "欧阳修", "司马光", "王A", "王\U00020000"]
    random.Random(11).shuffle(names)
    keys = [stroke_sort_key(n) for n in names]
    sql = " UNION ALL ".join(["SELECT CAST(%s AS VARCHAR(80)) AS k"] * len(keys)) + " ORDER BY k"
    with connection.cursor() as cur:
        cur.execute(sql, keys)
        in_db = [row[0] for row in cur.fetchall()]
    assert in_db == sorted(keys)


def test_the_name_keys_of_a_roster_equal_those_of_single_names():
    from zugong.core.names import NameKeys, name_initials, name_stroke_key

    keys = NameKeys()
    rnd = random.Random(11)
    chars = "王李张刘陈杨黄赵单解曾区欧阳司马诸葛伟芳娜秀英敏静丽强磊𠀀·AbcＸ龘"
    names = ["", " 张三 ", "单雄信", "曾国藩", "欧阳修", "阿依古丽·买买提", "张" * 40]
    names += ["".join(rnd.choice(chars) for _ in range(rnd.randrange(1, 6))) for _ in range(500)]
    for name in names:
        assert keys.keys(name) == (name_initials(name), name_stroke_key(name)), name
