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


def test_a_code_outside_the_tree_is_named_by_the_national_table(city):
    assert division_name("320102") == "玄武区" and division_name("320102", full=True) == "江苏省南京市玄武区"
    assert division_name("320100") == "南京市" and division_name("320100", full=True) == "江苏省南京市"
    assert division_name("320000", full=True) == "江苏省"
    assert division_name("340104", full=True) == "安徽省合肥市蜀山区"  # the same province, another city
    assert division_name("110105", full=True) == "北京市朝阳区"  # 直辖市: no 市辖区 between
    assert division_name("500229", full=True) == "重庆市城口县"  # nor 县
    assert division_name("419001", full=True) == "河南省济源市"  # 省直辖县级行政区划
    assert division_name("441900", full=True) == "广东省东莞市"  # a city without counties: its name once
    assert division_name("522600", full=True) == "贵州省黔东南苗族侗族自治州"
    assert division_name("320102001000") == "玄武区"  # a town outside the tree: by its county-level area


def test_the_tree_names_its_own_divisions_first(city):
    from zugong.orgs.models import Unit

    Unit.objects.filter(division_code="341502000000").update(name="金安区（试）")
    assert division_name("341502") == "金安区（试）" and division_name("341502", full=True) == "六安市金安区（试）"
    assert division_name("341524", full=True) == "安徽省六安市金寨县"  # a county the tree does not hold


def test_a_code_nobody_knows_stays_a_code_and_nothing_stays_nothing(city):
    assert division_name("991234") == "991234" and division_name("991234", full=True) == "991234"
    assert division_name("110100") == "110100"  # 市辖区 is a grouping of the package, no place
    assert division_name("金安区") == "金安区"  # not a code
    assert division_name("") == ""
