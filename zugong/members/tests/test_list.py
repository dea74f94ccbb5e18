"""党员名册: scope per persona, search (name, pinyin initials, exact 身份证号), filters, paging, order."""

import datetime as dt

import pytest
from django.urls import reverse

from zugong.core.testing import test_id_number
from zugong.members import selectors
from zugong.members.models import PartyMember
from zugong.orgs.tests.people import make_member, make_person, populate

URL = reverse("members:list")


@pytest.fixture
def people(city):
    return populate(city)


def names(response) -> list[str]:
    return [m.person.name for m in response.context["page"]]


def test_it_redirects_anonymous_users_to_login(client, city):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_it_refuses_the_outsider(city, login):
    assert login(city.users["outsider"]).get(URL).status_code == 403


def test_it_shows_the_neighbour_none_of_the_other_county(city, login, people):
    c = login(city.users["neighbour_admin"])
    response = c.get(URL)
    assert names(response) == ["赵强"]
    assert "张晓明" not in response.content.decode()
    assert c.get(URL, {"org": city.orgs["jinan"].id}).status_code == 404
    assert names(c.get(URL, {"q": "张"})) == []


def test_it_shows_the_county_admin_its_county(city, login, people):
    assert sorted(names(login(city.users["county_admin"]).get(URL))) == sorted(["张晓明", "李红", "王刚"])


def test_it_shows_the_city_admin_all_and_the_leader_can_read(city, login, people):
    assert len(names(login(city.users["city_admin"]).get(URL))) == 4
    assert len(names(login(city.users["leader"]).get(URL))) == 4


def test_it_limits_the_branch_secretary_to_its_branch(city, login, people):
    c = login(city.users["branch_secretary"])
    assert sorted(names(c.get(URL))) == sorted(["张晓明", "李红"])
    assert c.get(URL, {"org": city.orgs["jinan_branch2"].id}).status_code == 404


def test_it_searches_by_name_initials_and_exact_id_number(city, login, people):
    c = login(city.users["city_admin"])
    assert names(c.get(URL, {"q": "晓明"})) == ["张晓明"]
    assert names(c.get(URL, {"q": "ZXM"})) == ["张晓明"]
    assert names(c.get(URL, {"q": "zx"})) == ["张晓明"]
    number = test_id_number(2, birth=dt.date(1995, 3, 2), female=True)
    assert names(c.get(URL, {"q": number})) == ["李红"]
    assert names(c.get(URL, {"q": f" {number[:6]} {number[6:].lower()} "})) == ["李红"]  # blanks, lower-case x
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert names(c.get(URL, {"q": wrong})) == []  # checksum wrong: nothing, never a plain comparison


def test_it_searches_by_full_pinyin_and_pinyin_then_initials(city, login, people):
    c = login(city.users["city_admin"])
    assert names(c.get(URL, {"q": "zhangxiaoming"})) == ["张晓明"]
    assert names(c.get(URL, {"q": "ZhangXM"})) == ["张晓明"]
    assert names(c.get(URL, {"q": "lihong"})) == ["李红"]
    assert names(c.get(URL, {"q": "lihon"})) == ["李红"]  # typed so far
    assert names(c.get(URL, {"q": "wang"})) == ["王刚"]
    assert names(c.get(URL, {"q": "zhaoq"})) == ["赵强"]
    assert names(login(city.users["county_admin"]).get(URL, {"q": "zhaoq"})) == []  # 裕安区's: the scope holds


def test_it_never_compares_a_full_id_number_in_plain_text():
    number = test_id_number(7)
    cond = selectors.search_condition(number, "person__")
    assert number not in str(cond) and "id_number_index" in str(cond)


def test_it_filters_by_org_status_gender_education_occupation_and_age(city, login, people):
    c = login(city.users["city_admin"])
    assert sorted(names(c.get(URL, {"org": city.orgs["jinan_town"].id}))) == sorted(["张晓明", "李红", "王刚"])
    assert names(c.get(URL, {"org": city.orgs["jinan_branch2"].id})) == ["王刚"]
    assert names(c.get(URL, {"status": "probationary"})) == ["李红"]
    assert names(c.get(URL, {"gender": "2"})) == ["李红"]
    assert names(c.get(URL, {"education": "70"})) == ["王刚"]
    assert names(c.get(URL, {"occupation": "02"})) == ["王刚"]
    assert names(c.get(URL, {"age_band": "61-", "org": city.orgs["jinan"].id})) == (
        ["王刚"] if selectors.years_before(dt.date.today(), 61) >= dt.date(1960, 1, 9) else []
    )
    band = "0-30" if selectors.years_before(dt.date.today(), 31) < dt.date(1995, 3, 2) else "31-35"
    assert names(c.get(URL, {"age_band": band})) == ["李红"]  # born 1995-03-02


def test_it_computes_age_bands_as_full_years():
    on = dt.date(2026, 6, 30)
    cond = selectors.birth_range_for_ages(31, 35, on)
    assert dict(cond.children) == {"birth_date__lte": dt.date(1995, 6, 30), "birth_date__gt": dt.date(1990, 6, 30)}
    assert selectors.years_before(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)


def test_it_excludes_members_who_left(city, login, people):
    PartyMember.objects.filter(person=people["王刚"]).update(left_date=dt.date(2025, 1, 1), left_reason="death")
    assert "王刚" not in names(login(city.users["county_admin"]).get(URL))


def test_it_sorts_by_stroke_key_or_joining_date(city, login, people):
    c = login(city.users["county_admin"])
    keys = [m.person.stroke_key for m in c.get(URL).context["page"]]
    assert keys == sorted(keys)
    assert names(c.get(URL, {"sort": "joined"})) == ["王刚", "张晓明", "李红"]


def test_it_pages_by_fifty_and_keeps_the_query_in_links(city, login):
    branch = city.orgs["jinan_branch"]
    for n in range(55):
        make_member(make_person(f"测试{n:02d}", 100 + n, birth=dt.date(1970, 1, 1)), branch, joined=dt.date(2000, 1, 1))
    c = login(city.users["county_admin"])
    first = c.get(URL, {"q": "测试"})
    assert len(first.context["page"]) == 50 and first.context["page"].paginator.count == 55
    text = first.content.decode()
    assert "?q=%E6%B5%8B%E8%AF%95&page=2" in text
    assert f"{reverse('members:export')}?q=%E6%B5%8B%E8%AF%95" in text
    assert len(c.get(URL, {"q": "测试", "page": 2}).context["page"]) == 5


def test_it_shows_the_columns_with_masked_id_numbers(city, login, people):
    text = login(city.users["county_admin"]).get(URL).content.decode()
    for header in ("姓名", "性别", "民族", "出生年月", "身份证号", "学历", "所在党支部", "入党时间", "党员类别", "人员类别"):
        assert f"<th>{header}</th>" in text
    assert people["张晓明"].id_number_masked in text
    assert test_id_number(1, birth=dt.date(1980, 5, 17)) not in text
