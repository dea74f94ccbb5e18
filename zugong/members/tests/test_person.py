"""人员信息 page and the audited 显示完整身份证号 action."""

import datetime as dt

import pytest
from django.urls import reverse

from zugong.core.models import AuditEvent
from zugong.core.testing import test_id_number
from zugong.orgs.tests.people import populate


@pytest.fixture
def people(city):
    return populate(city)


def person_url(person):
    return reverse("members:person", args=[person.id])


def reveal_url(person):
    return reverse("members:reveal_id", args=[person.id])


def test_it_redirects_anonymous_users_to_login(client, city, people):
    for url in (person_url(people["张晓明"]), reveal_url(people["张晓明"])):
        response = client.get(url) if "id-number" not in url else client.post(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_it_refuses_the_outsider(city, login, people):
    c = login(city.users["outsider"])
    assert c.get(person_url(people["张晓明"])).status_code == 403
    assert c.post(reveal_url(people["张晓明"])).status_code == 403


def test_it_hides_persons_of_the_neighbouring_county(city, login, people):
    c = login(city.users["neighbour_admin"])
    for name in ("张晓明", "李红", "王刚", "孙丽"):
        assert c.get(person_url(people[name])).status_code == 404
        assert c.post(reveal_url(people[name])).status_code == 404
    assert c.get(person_url(people["赵强"])).status_code == 200
    assert c.get(person_url(people["钱明"])).status_code == 200  # a cadre of 裕安区, not a member
    assert not AuditEvent.objects.filter(action="person.reveal_id_number").exists()


def test_it_shows_membership_history_posts_and_ages(city, login, people):
    response = login(city.users["county_admin"]).get(person_url(people["张晓明"]))
    text = response.content.decode()
    assert response.status_code == 200
    assert people["张晓明"].id_number_masked in text
    assert test_id_number(1, birth=dt.date(1980, 5, 17)) not in text
    assert "正式党员" in text and "2005.07.01" in text and "金安区一村党支部" in text
    assert "金安区二村党支部" in text and "2012.03.01" in text  # affiliation history
    assert "党委书记" in text and "金安区一镇领导班子" in text and "金组〔2021〕8号" in text
    profile = response.context["p"]
    assert profile.age == profile.person.age_on(dt.date.today())
    assert [a.org.name for a in profile.affiliations] == ["金安区二村党支部", "金安区一村党支部"]
    assert "显示完整身份证号" in text


def test_it_shows_cadre_only_persons_to_the_county_admin(city, login, people):
    text = login(city.users["county_admin"]).get(person_url(people["孙丽"])).content.decode()
    assert "副镇长" in text and "党员信息" not in text
    from zugong.cadres.models import Cadre

    record = reverse("cadres:record", args=[Cadre.objects.get(person=people["孙丽"]).pk])
    assert f'href="{record}"' in text  # the 干部信息页, and back from it
    assert f'href="{person_url(people["孙丽"])}"' in login(city.users["county_admin"]).get(record).content.decode()


def test_it_limits_the_branch_secretary_and_lets_the_leader_read(city, login, people):
    c = login(city.users["branch_secretary"])
    assert c.get(person_url(people["李红"])).status_code == 200
    assert c.get(person_url(people["王刚"])).status_code == 404  # another branch
    assert "显示完整身份证号" not in c.get(person_url(people["李红"])).content.decode()
    assert login(city.users["leader"]).get(person_url(people["王刚"])).status_code == 200


def test_it_reveals_the_full_id_number_and_audits_it(city, login, people):
    c = login(city.users["county_admin"])
    response = c.post(reveal_url(people["张晓明"]), HTTP_HX_REQUEST="true", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert test_id_number(1, birth=dt.date(1980, 5, 17)) in response.content.decode()
    assert "<html" not in response.content.decode()
    event = AuditEvent.objects.get(action="person.reveal_id_number")
    assert event.actor == city.users["county_admin"] and event.object_id == str(people["张晓明"].id)
    assert event.ip == "10.1.2.3"


def test_it_refuses_revealing_to_roles_without_the_right(city, login, people):
    for persona in ("leader", "branch_secretary"):
        assert login(city.users[persona]).post(reveal_url(people["李红"])).status_code == 403
    assert not AuditEvent.objects.filter(action="person.reveal_id_number").exists()


def test_it_only_reveals_on_post(city, login, people):
    assert login(city.users["city_admin"]).get(reveal_url(people["张晓明"])).status_code == 405


def test_it_links_only_to_organizations_and_teams_in_scope(city, login, people):
    text = login(city.users["branch_secretary"]).get(person_url(people["张晓明"])).content.decode()
    assert reverse("orgs:detail", args=[city.orgs["jinan_branch"].id]) in text
    assert "金安区一镇领导班子" in text  # the post is shown …
    team = people["张晓明"].cadre.appointments.get().post.team
    assert reverse("cadres:team", args=[team.id]) not in text  # … but not linked: outside the secretary's units


def test_it_names_the_native_place_and_keeps_its_code(city, login, people):
    from zugong.core.models import Person

    person = people["张晓明"]
    Person.objects.filter(pk=person.pk).update(native_place="341502")
    body = login(city.users["county_admin"]).get(person_url(person)).content.decode()
    assert "六安市金安区" in body and "341502" in body
    Person.objects.filter(pk=person.pk).update(native_place="110101")  # outside the city's tree: the national table
    body = login(city.users["county_admin"]).get(person_url(person)).content.decode()
    assert "北京市东城区 <span" in body and "110101" in body and "六安市金安区 <span" not in body
    Person.objects.filter(pk=person.pk).update(native_place="991234")  # a code nobody names: the code alone
    body = login(city.users["county_admin"]).get(person_url(person)).content.decode()
    assert "<dd>991234</dd>" in body and "北京市东城区" not in body


def test_party_standing_counts_from_the_day_of_confirmation_not_joining():
    """党龄 from 转正时间: 《中国共产党章程》第七条."""
    from zugong.members.models import LeaveReason, PartyMember

    m = PartyMember(joined_date=dt.date(2003, 9, 22), confirmed_date=dt.date(2004, 10, 10))
    assert m.party_standing_years(dt.date(2026, 12, 7)) == 22  # 23 years since joining
    assert m.party_standing_years(dt.date(2026, 10, 9)) == 21 and m.party_standing_years(dt.date(2026, 10, 10)) == 22
    assert m.party_standing_years(dt.date(2004, 10, 9)) is None  # still probationary that day
    assert PartyMember(joined_date=dt.date(2025, 12, 1)).party_standing_years(dt.date(2026, 12, 7)) is None
    m.left_date, m.left_reason = dt.date(2016, 1, 1), LeaveReason.DEATH
    assert m.party_standing_years(dt.date(2026, 12, 7)) == 11  # counted up to the 减少日期
    m.left_reason = LeaveReason.TRANSFERRED_OUT
    assert m.party_standing_years(dt.date(2026, 12, 7)) == 22  # a member still, elsewhere
    m.left_date, m.left_reason = dt.date(2004, 5, 1), LeaveReason.DEATH
    assert m.party_standing_years(dt.date(2026, 12, 7)) is None  # died before 转正: never a 党龄, not -1


def test_the_page_and_the_api_show_party_standing_from_confirmation(city, login, people):
    c = login(city.users["county_admin"])
    today = dt.date.today()
    full = c.get(person_url(people["张晓明"])).content.decode()  # joined 2005.07.01, confirmed 2006.07.01
    years = today.year - 2006 - ((today.month, today.day) < (7, 1))
    assert f"2006.07.01（党龄{years}年）" in full and "2005.07.01（党龄" not in full
    probationary = c.get(person_url(people["李红"])).content.decode()
    assert "（预备党员，转正后计算党龄）" in probationary and "党龄0年" not in probationary
    api = c.get(f"/api/members/{people['李红'].id}").json()
    assert api["membership"]["party_years"] is None
    assert c.get(f"/api/members/{people['张晓明'].id}").json()["membership"]["party_years"] == years


def test_it_shows_the_rank_of_a_cadre_with_a_rank_only(city, login, people):
    from zugong.cadres.models import Appointment, Cadre, CadreRank

    cadre = Cadre.objects.get(person=people["孙丽"])
    Appointment.objects.filter(cadre=cadre).update(end=dt.date(2023, 3, 1))
    CadreRank.objects.create(cadre=cadre, rank="09", start=dt.date(2023, 3, 1))
    text = login(city.users["county_admin"]).get(person_url(people["孙丽"])).content.decode()
    assert "<dt>职级</dt><dd>三级主任科员（2023.03起）</dd>" in text
    assert "暂无现任职务（只任职级：三级主任科员）" in text
    assert "<dt>职级</dt><dd>—</dd>" in login(city.users["county_admin"]).get(person_url(people["张晓明"])).content.decode()
    data = login(city.users["county_admin"]).get(f"/api/members/{people['孙丽'].id}").json()["cadre"]
    assert (data["rank"], data["rank_start"], data["posts"]) == ("三级主任科员", "2023-03-01", [])
    assert login(city.users["neighbour_admin"]).get(f"/api/members/{people['孙丽'].id}").status_code == 404
