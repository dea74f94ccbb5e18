"""籍贯 in the member roster import: places anywhere in China (the national division table), as people
type them; a name of places apart is refused with the candidates named, never guessed."""

from collections import Counter

import pytest

from zugong.core.models import Person
from zugong.members import importer
from zugong.members.tests.test_import import HEADERS, person_row, reasons, run, xlsx
from zugong.orgs import divisions

WITH_PLACE = [*HEADERS, "籍贯"]


@pytest.mark.parametrize(("text", "code"), [
    ("江苏南京", "320100"), ("江苏省南京市", "320100"), ("南京市", "320100"), ("南京", "320100"), ("320100", "320100"),
    ("江苏省南京市玄武区（320102）", "320102"), ("南京市玄武区", "320102"), ("江苏 南京 玄武", "320102"),
    ("安徽合肥", "340100"), ("合肥市蜀山区", "340104"), ("河北正定", "130123"),
    ("北京市朝阳区", "110105"), ("北京朝阳", "110105"), ("上海", "310000"), ("重庆城口", "500229"),  # 直辖市
    ("黔东南州", "522600"), ("黔东南苗族侗族自治州", "522600"), ("长阳县", "420528"), ("湖北长阳", "420528"),  # 自治州, 自治县
    ("鄂伦春", "150723"), ("伊犁", "654000"), ("河南济源", "419001"), ("广东东莞", "441900"),
    ("金安区", "341502"), ("六安市金安区", "341502"), ("安徽金寨", "341524"), ("六安", "341500"),  # the city's own
    ("金安区一镇", "341502100000"), ("六安市金安区金安区一镇", "341502100000"),  # the unit tree's finer places
])  # fmt: skip
def test_it_reads_a_native_place_anywhere_in_china(city, text, code):
    assert importer.NativePlaceResolver().resolve(text) == code


@pytest.mark.parametrize("text", ["北京市金安区一镇", "江苏金寨", "火星", "朝阳区"])
def test_it_does_not_guess(city, text):
    """A tree unit's name after a place that does not hold it, a name in the wrong province, nothing, places apart."""
    assert importer.NativePlaceResolver().resolve(text) is None


def test_an_ambiguous_native_place_is_refused_naming_the_candidates(city):
    rows = [person_row(1, 籍贯="朝阳区"), person_row(2, 籍贯="鼓楼区"), person_row(3, 籍贯="北京市朝阳区"), person_row(4, 籍贯="火星")]
    job, prepared = run(city, xlsx(rows, headers=WITH_PLACE), commit=False)
    assert reasons(prepared) == [
        (2, "籍贯", "“朝阳区”有2处同名：北京市朝阳区（110105）、吉林省长春市朝阳区（220104），请写明省、市或填写区划代码"),
        (3, "籍贯", "“鼓楼区”有4处同名：江苏省南京市鼓楼区（320106）、江苏省徐州市鼓楼区（320302）、"
                   "福建省福州市鼓楼区（350102）、河南省开封市鼓楼区（410204），请写明省、市或填写区划代码"),
        (5, "籍贯", "“火星”无法对应行政区划代码（请填写6位区划代码，或省、市、县（市、区）名称，如江苏省南京市、安徽金寨）"),
    ]  # fmt: skip


def test_a_name_of_a_place_and_one_inside_it_is_the_outer_place(city):
    """辽宁朝阳 is 朝阳市 and its 朝阳县 (the form writes both so): the city, which holds both, is no guess."""
    assert importer.NativePlaceResolver().resolve("辽宁朝阳") == "211300"
    assert importer.NativePlaceResolver().problem("朝阳") == (
        "籍贯“朝阳”有4处同名：北京市朝阳区（110105）、辽宁省朝阳市（211300）、辽宁省朝阳市朝阳县（211321）、"
        "吉林省长春市朝阳区（220104），请写明省、市或填写区划代码")  # fmt: skip


def test_national_places_are_imported_and_each_text_is_resolved_once(city, monkeypatch):
    calls = []
    table = divisions.national()
    real = table.candidates
    monkeypatch.setattr(table, "candidates", lambda key: calls.append(key) or real(key))
    rows = [person_row(n, 籍贯=("江苏南京", "河北正定", "北京市朝阳区")[n % 3]) for n in range(1, 10)]
    job, prepared = run(city, xlsx(rows, headers=WITH_PLACE))
    assert prepared.errors == [] and job.created_count == 9
    places = dict(Person.objects.values_list("name", "native_place"))
    assert {places[person_row(n)["姓名"]] for n in range(1, 10)} == {"320100", "130123", "110105"}
    # once per distinct text in each pass over the file (validation, then the commit), not per row
    assert Counter(calls) == {"江苏南京": 2, "河北正定": 2, "北京市朝阳区": 2}


def test_a_village_name_of_two_towns_is_refused_unless_its_town_is_written(city):
    """The demo city has 幸福社区 in two towns (and 街道居委会 in 30): the tree's names are not guessed either."""
    from zugong.orgs.models import Unit, UnitKind, path_step

    for key, code in (("jinan_town", "341502100202"), ("yuan_town", "341503100202")):
        town = city.units[key]
        Unit.objects.create(parent=town, name="幸福社区", path=town.path + path_step(7), depth=town.depth + 1,
                            kind=UnitKind.COMMUNITY, division_code=code)  # fmt: skip
    resolver = importer.NativePlaceResolver()
    assert resolver.resolve("幸福社区") is None
    assert resolver.problem("幸福社区") == (
        "籍贯“幸福社区”有2处同名：六安市金安区金安区一镇幸福社区（341502100202）、"
        "六安市裕安区裕安区一镇幸福社区（341503100202），请写明省、市或填写区划代码")  # fmt: skip
    assert resolver.resolve("金安区一镇幸福社区") == "341502100202"
    assert resolver.resolve("安徽省六安市裕安区幸福社区") == "341503100202"


def test_an_ambiguous_place_on_many_rows_reads_its_candidates_once(city, django_assert_max_num_queries):
    resolver = importer.NativePlaceResolver()
    first = resolver.problem("朝阳区")
    with django_assert_max_num_queries(0):
        assert [resolver.problem("朝阳区") for _ in range(100)] == [first] * 100
