"""Reads of the unit tree shared by other parts: the names of 行政区划代码."""

from zugong.orgs.selectors import division_name


def test_a_division_code_is_named_by_the_unit_tree(city):
    assert division_name("341502") == "金安区"  # 6 digits: the county
    assert division_name("341502100") == "金安区一镇"  # 9 digits: the town
    assert division_name("341502100201") == "金安区一村村委会"  # 12 digits: the village


def test_the_full_name_puts_the_divisions_above_before_it(city):
    assert division_name("341502", full=True) == "六安市金安区"
    assert division_name("341502100201", full=True) == "六安市金安区金安区一镇金安区一村村委会"
    assert division_name("341500", full=True) == "六安市"


def test_a_code_outside_the_tree_stays_a_code_and_nothing_stays_nothing(city):
    assert division_name("110101") == "110101" and division_name("110101", full=True) == "110101"
    assert division_name("") == ""
