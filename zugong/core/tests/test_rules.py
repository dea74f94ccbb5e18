import datetime as dt

import pytest

from zugong.core.rules import (
    IdNumberError,
    age_on,
    id_check_char,
    make_id_number,
    mask_id_number,
    parse_id_number,
)


def test_it_accepts_the_standard_example():
    # GB 11643-1999 appendix example: 11010519491231002X (female, born 1949-12-31)
    info = parse_id_number("11010519491231002x")
    assert info.number == "11010519491231002X"
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "2"
    assert info.area_code == "110105"


def test_it_rejects_a_wrong_check_character():
    with pytest.raises(IdNumberError, match="校验码错误"):
        parse_id_number("110105194912310021")


def test_it_rejects_a_date_that_does_not_exist():
    first17 = "34150219890230123"
    with pytest.raises(IdNumberError, match="不存在"):
        parse_id_number(first17 + id_check_char(first17))


def test_it_rejects_wrong_length_and_characters():
    with pytest.raises(IdNumberError, match="18位"):
        parse_id_number("3415021989")
    with pytest.raises(IdNumberError, match="非法字符"):
        parse_id_number("34150219890A301234")


def test_it_accepts_full_width_digits_and_blanks():
    number = make_id_number("341502", dt.date(1990, 1, 2), 13)
    full = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_id_number(f" {full} ").number == number


def test_it_derives_gender_from_the_sequence_parity():
    assert parse_id_number(make_id_number("341502", dt.date(1990, 1, 2), 13)).gender == "1"
    assert parse_id_number(make_id_number("341502", dt.date(1990, 1, 2), 14)).gender == "2"


def test_it_masks_all_but_area_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_age_counts_the_birthday_itself():
    birth = dt.date(1968, 3, 1)
    assert age_on(birth, dt.date(2026, 2, 28)) == 57
    assert age_on(birth, dt.date(2026, 3, 1)) == 58


def test_it_parses_id_numbers_typed_in_other_forms_like_the_plain_form():
    number = make_id_number("341502", dt.date(1985, 9, 1), 11)  # ends in X
    assert number.endswith("X")
    full_width = number[:17].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "ｘ"
    for typed in (number, number.lower(), f" {number} ", full_width, number[:6] + " " + number[6:]):
        info = parse_id_number(typed)
        assert (info.number, info.birth_date, info.gender) == (number, dt.date(1985, 9, 1), "1")


def test_the_memoized_check_sum_agrees_with_the_definition():
    """parse_id_number sums the MOD 11-2 weights in three memoized parts; id_check_char is the plain definition."""
    import random

    rnd = random.Random(7)
    for _ in range(3000):
        first17 = f"{rnd.randrange(110000, 660000)}{rnd.randrange(1900, 2025)}{rnd.randrange(1, 13):02d}{rnd.randrange(1, 29):02d}{rnd.randrange(0, 1000):03d}"
        right = id_check_char(first17)
        assert parse_id_number(first17 + right).number == first17 + right
        wrong = "0" if right != "0" else "1"
        with pytest.raises(IdNumberError, match=f"末位应为{right}"):
            parse_id_number(first17 + wrong)
