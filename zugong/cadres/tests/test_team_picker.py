"""The 任职 cadre picker of the 领导班子 page: search by 姓名, 拼音首字母 or 身份证号 with no 500-cadre cap,
namesakes told apart, only cadres the user may appoint; who may use it (issue 4 §1)."""

import datetime as dt

import pytest
from django.urls import reverse

from zugong.cadres import selectors
from zugong.cadres.models import Appointment, Cadre, LeadershipTeam, Post
from zugong.core.models import Person
from zugong.core.scope import scope_for
from zugong.core.services import PersonData, person_fields
from zugong.core.testing import test_id_number
from zugong.orgs.tests.people import make_cadre, make_person, populate

D = dt.date
SURNAMES = "丁卜刁于万马王方孔邓"  # 2–4 strokes: all before 戴 (17) in 姓氏笔画 order
GIVEN = "一二三四五六七八九十"


@pytest.fixture
def people(city):
    return populate(city)


@pytest.fixture
def team(people):
    return LeadershipTeam.objects.get(name="金安区一镇领导班子")


@pytest.fixture
def crowd(city, people):
    """510 金安区一镇 cadres whose names come before 戴 in 姓氏笔画 order (the old picker stopped at 500)."""
    persons = []
    for i in range(510):
        birth = D(1970 + i % 30, 1 + (i // 30) % 12, 1)
        name = SURNAMES[i % 10] + GIVEN[(i // 10) % 10] + GIVEN[(i // 100) % 10]
        persons.append(Person(**person_fields(PersonData(name=name, id_number=test_id_number(400 + i // 360, birth=birth)))))
    Person.objects.bulk_create(persons)
    town = city.units["jinan_town"]
    Cadre.objects.bulk_create([Cadre(person=p, management_level="county", post_level="50", unit=town) for p in Person.objects.filter(name__in=[p.name for p in persons])])


@pytest.fixture
def dai(city, people, crowd):
    """Namesakes 戴伟: two in 金安区 (a 副镇长 of 金安区一镇, a 科员 of 金安区), one 市管 in 金安区, one in 裕安区."""
    u = city.units
    other_team = LeadershipTeam.objects.create(unit=u["jinan"], name="金安区政府办领导班子", management_level="county")
    return {
        "town": make_cadre(make_person("戴伟", 90, birth=D(1979, 4, 3)), u["jinan_town"], None, title="副镇长", level="42"),
        "county": make_cadre(make_person("戴伟", 91, birth=D(1986, 9, 20)), u["jinan"], other_team, title="科员", level="50"),
        "city": make_cadre(make_person("戴伟", 92, birth=D(1970, 2, 1)), u["jinan"], None, title="区政协副主席", level="22", management="city"),
        "neighbour": make_cadre(make_person("戴伟", 93, birth=D(1981, 6, 6), area="341503"), u["yuan_town"], None, title="镇长"),
    }


def search(client, team, q, name="cadres:team_candidates"):
    """GET the picker's results (or, with ``name="cadres:team"``, the team page) for the search text ``q``."""
    return client.get(reverse(name, args=[team.id]), {"q": q})


def test_it_finds_a_cadre_beyond_the_first_500_in_stroke_order_by_name_initials_and_id_number(city, login, team, dai):
    assert Cadre.objects.filter(unit__path__startswith=team.unit.path).count() > 510
    scope = scope_for(city.users["county_admin"])
    by_name, more = selectors.team_candidates(scope, team, "戴伟")
    assert {c.pk for c in by_name} == {dai["town"].pk, dai["county"].pk} and not more
    by_initials, _ = selectors.team_candidates(scope, team, "dw")
    assert {dai["town"].pk, dai["county"].pk} <= {c.pk for c in by_initials}
    number = test_id_number(90, birth=D(1979, 4, 3))
    by_id, _ = selectors.team_candidates(scope, team, number)
    assert [c.pk for c in by_id] == [dai["town"].pk]
    assert selectors.team_candidates(scope, team, number[:17])[0] == []  # a 身份证号 is matched exactly, never a part of it
    c = login(city.users["county_admin"])
    html = search(c, team, "dw").content.decode()
    assert f'value="{dai["town"].pk}"' in html and f'value="{dai["county"].pk}"' in html


def test_it_tells_namesakes_apart_with_gender_birth_workplace_and_post(city, login, team, dai):
    html = search(login(city.users["county_admin"]), team, "戴伟").content.decode()
    assert "<strong>戴伟</strong>（男，1979.04，金安区一镇副镇长）" in html
    assert "<strong>戴伟</strong>（男，1986.09，金安区科员）" in html
    # the team's own unit first
    assert html.index("1979.04") < html.index("1986.09")
    # the full name's namesakes before longer names, even those of the team's own unit
    make_cadre(make_person("戴伟强", 94, birth=D(1990, 1, 1)), city.units["jinan_town"], None, title="科员", level="50")
    html = search(login(city.users["county_admin"]), team, "戴伟").content.decode()
    assert html.index("1979.04") < html.index("1986.09") < html.index("戴伟强")
    # the city administrator also sees the 市管 namesake, marked, and the one in 裕安区
    html = search(login(city.users["city_admin"]), team, "戴伟").content.decode()
    assert "（男，1970.02，金安区政协副主席，市管）" in html and "1981.06" in html


def test_it_omits_cadres_the_user_may_not_appoint(city, team, dai):
    scope = scope_for(city.users["county_admin"])
    found = {c.pk for c in selectors.team_candidates(scope, team, "戴伟")[0]}
    assert dai["neighbour"].pk not in found  # 裕安区
    assert dai["city"].pk not in found  # 市管: the city administrator's
    number = test_id_number(93, birth=D(1981, 6, 6), area="341503")
    assert selectors.team_candidates(scope, team, number)[0] == []
    for name in ("leader", "branch_secretary"):
        assert list(selectors.manageable_cadres(scope_for(city.users[name]))) == []


def test_it_caps_a_broad_search_and_asks_for_more_characters(city, login, team, crowd):
    rows, more = selectors.team_candidates(scope_for(city.users["county_admin"]), team, "丁")
    assert len(rows) == selectors.CANDIDATE_LIMIT and more
    html = search(login(city.users["county_admin"]), team, "丁").content.decode()
    assert "请输入更多字缩小范围" in html and html.count('name="cadre"') == selectors.CANDIDATE_LIMIT
    assert "管理范围内没有找到" in search(login(city.users["county_admin"]), team, "无此人").content.decode()
    assert selectors.team_candidates(scope_for(city.users["county_admin"]), team, "  ") == ([], False)


def test_the_team_page_searches_without_javascript_and_the_form_appoints_the_chosen_cadre(city, login, team, dai):
    c = login(city.users["county_admin"])
    page = search(c, team, "戴伟", "cadres:team").content.decode()
    assert 'id="cadre-search"' in page and 'form="cadre-search"' in page and 'aria-label="干部"' not in page  # no <select> of everyone
    assert "（男，1979.04，金安区一镇副镇长）" in page and "1981.06" not in page
    post = Post.objects.create(unit=team.unit, team=team, title="党委委员", post_level="42")
    r = c.post(reverse("cadres:team_appoint", args=[team.id]), {"post": post.id, "cadre": dai["county"].pk, "start": "2025-03-01",
                                                                "document_no": "金组〔2025〕9号"})  # fmt: skip
    assert r.status_code == 302 and Appointment.objects.filter(post=post, cadre=dai["county"], end__isnull=True).exists()


def test_the_service_still_refuses_a_cadre_the_picker_would_not_offer(city, login, team, dai):
    post = Post.objects.create(unit=team.unit, team=team, title="党委委员", post_level="42")
    c = login(city.users["county_admin"])
    data = {"post": post.id, "start": "2025-03-01", "document_no": "金组〔2025〕9号"}
    assert c.post(reverse("cadres:team_appoint", args=[team.id]), {**data, "cadre": dai["neighbour"].pk}).status_code == 404
    assert c.post(reverse("cadres:team_appoint", args=[team.id]), {**data, "cadre": dai["city"].pk}).status_code == 403  # 市管干部
    assert not Appointment.objects.filter(post=post).exists()


def test_only_those_who_may_appoint_use_the_picker(city, login, team, dai):
    expected = {"county_admin": 200, "city_admin": 200, "neighbour_admin": 404, "branch_secretary": 404, "leader": 403, "outsider": 403}
    for name, status in expected.items():
        assert search(login(city.users[name]), team, "戴伟").status_code == status, name
    # the leader reads the team page without the picker, and cannot search through it
    page = search(login(city.users["leader"]), team, "戴伟", "cadres:team").content.decode()
    assert 'id="appoint"' not in page and "1979.04" not in page


def test_a_county_admin_may_not_search_for_a_city_team(city, login, people):
    team = LeadershipTeam.objects.create(unit=city.units["jinan"], name="金安区委领导班子", management_level="city")
    assert search(login(city.users["county_admin"]), team, "张").status_code == 403
    assert search(login(city.users["city_admin"]), team, "张").status_code == 200


def test_a_cadre_with_a_rank_only_is_shown_with_unit_and_rank(city, login, people, team):
    """A 职级 without a post (四级主任科员 of 金安区一镇) reads as the 任免审批表 writes it, not the unit alone."""
    from zugong.cadres.models import CadreRank

    cadre = Cadre.objects.create(person=make_person("卜一", 95, birth=D(1990, 2, 1)), management_level="county",
                                 post_level="50", unit=city.units["jinan_town"])  # fmt: skip
    CadreRank.objects.create(cadre=cadre, rank="10", start=D(2021, 3, 1))
    text = search(login(city.users["county_admin"]), team, "卜一").content.decode()
    assert "金安区一镇四级主任科员" in text


def test_it_offers_cadres_holding_a_post_or_rank_before_former_ones_and_marks_those(city, login, team, dai):
    # 戴伟's namesake in 金安区 whose last post ended: on file still (a predecessor), offered after the serving ones
    former = make_cadre(make_person("戴伟", 95, birth=D(1958, 5, 5)), city.units["jinan_town"], None, title="镇长", level="41",
                        start=D(2013, 3, 1))
    Appointment.objects.filter(cadre=former).update(end=D(2018, 3, 1))
    scope = scope_for(city.users["county_admin"])
    rows, _ = selectors.team_candidates(scope, team, "戴伟")
    assert [c.pk for c in rows] == [dai["town"].pk, dai["county"].pk, former.pk]  # home unit first, then the former
    assert [c.former for c in rows] == [0, 0, 1]
    html = search(login(city.users["county_admin"]), team, "戴伟").content.decode()
    assert "1958.05" in html and html.index("1986.09") < html.index("1958.05")
    assert html.count("无现任职务和职级") == 1
