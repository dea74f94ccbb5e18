"""Full-pinyin search of names (zugong.core.names.pinyin_spellings / pinyin_condition), on the database."""

import datetime as dt

import pytest

from zugong.core.models import Person
from zugong.core.names import pinyin_condition, pinyin_spellings
from zugong.orgs.tests.people import make_person


def test_it_reads_typed_pinyin_as_syllables_then_initials():
    assert pinyin_spellings("wangxm") == [(("wang",), "xm")]
    assert pinyin_spellings("zhangsan") == [(("zhang", "san"), "")]  # every letter in syllables wins
    assert pinyin_spellings("xian") == [(("xian",), ""), (("xi", "an"), "")]
    assert pinyin_spellings("lv") == [(("lv",), "")]  # ü typed v
    assert pinyin_spellings("ouyangxiu") == [(("ou", "yang", "xiu"), "")]
    assert pinyin_spellings("lihon") == [(("li", "hon"), "")]  # typed so far: hon begins hong


def test_initials_alone_and_other_text_are_no_pinyin():
    assert pinyin_spellings("zxm") == []
    assert pinyin_condition("zxm") is None
    assert pinyin_condition("张") is None
    assert pinyin_condition("w") is None
    assert pinyin_condition("wang1") is None


@pytest.fixture
def named(db):
    born = dt.date(1980, 5, 17)
    for n, name in enumerate(("王小明", "汪晓敏", "万国强", "张三", "吕红", "欧阳修", "曾伟", "李西安"), start=1):
        make_person(name, n, birth=born)


def found(text: str) -> list[str]:
    return sorted(Person.objects.filter(pinyin_condition(text)).values_list("name", flat=True))


def test_it_finds_names_typed_in_full_pinyin(named):
    assert found("wang") == ["汪晓敏", "王小明"]  # not 万国强 (wan + g)
    assert found("Wangxiaoming") == ["王小明"]
    assert found("wangxm") == ["汪晓敏", "王小明"]
    assert found("wangxiaom") == ["汪晓敏", "王小明"]  # 晓 and 小 both read xiao
    assert found("zhangsan") == ["张三"]
    assert found("lvhong") == ["吕红"]
    assert found("ouyang") == ["欧阳修"]
    assert found("zengwei") == ["曾伟"]
    assert found("lixian") == ["李西安"]  # li + xi + an: 西安 read as two syllables
    assert found("zhao") == []
    assert found("wangxiaomin") == ["汪晓敏", "王小明"]  # the last syllable read as a start: min, ming
    assert found("wangxiaomi") == ["汪晓敏", "王小明"]
    assert found("wangxiaoming") == ["王小明"]
    assert found("lvho") == ["吕红"]
    assert found("lü") == ["吕红"]
    assert found("wan") == ["万国强"]  # one syllable is read whole: not 王/汪 (wang)


def test_it_works_through_a_relation(named):
    cond = pinyin_condition("wangxm", field="person__name", initials_field="person__name_initials")
    assert "person__name_initials__startswith" in str(cond)


def test_a_long_run_of_syllables_binds_no_more_than_a_stock_sqlite_allows():
    """'jianjianjianjianzh' read every way bound about 34,000 characters: more than SQLite's default
    32,766 parameters per statement. The readings after the bound are left out, most likely kept."""
    from zugong.core.names import MAX_BOUND_CHARACTERS

    _, params = Person.objects.filter(pinyin_condition("jianjianjianjianzh")).query.sql_with_params()
    assert len(params) <= MAX_BOUND_CHARACTERS + 20 < 32_766
    _, params = Person.objects.filter(pinyin_condition("wangxiaoming")).query.sql_with_params()
    assert "明" in params and "王" in params  # ordinary names keep every reading
