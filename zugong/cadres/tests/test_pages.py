"""干部名册 and 领导班子 pages: scope per persona, filters, team figures."""

import datetime as dt

import pytest
from django.urls import reverse

from zugong.cadres import selectors
from zugong.cadres.models import Appointment, LeadershipTeam
from zugong.core.rules import age_on
from zugong.orgs.tests.people import populate

LIST, TEAMS = reverse("cadres:list"), reverse("cadres:teams")


@pytest.fixture
def people(city):
    return populate(city)


@pytest.fixture
def teams(people):
    return {t.name[:3]: t for t in LeadershipTeam.objects.all()}


def names(response) -> list[str]:
    return [c.person.name for c in response.context["page"]]


def test_it_redirects_anonymous_users_to_login(client, city, teams):
    for url in (LIST, TEAMS, reverse("cadres:team", args=[teams["金安区"].id])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_it_refuses_the_outsider(city, login, teams):
    c = login(city.users["outsider"])
    for url in (LIST, TEAMS, reverse("cadres:team", args=[teams["金安区"].id])):
        assert c.get(url).status_code == 403


def test_it_hides_the_neighbouring_county(city, login, teams):
    c = login(city.users["neighbour_admin"])
    assert names(c.get(LIST)) == ["钱明"]
    assert c.get(LIST, {"unit": city.units["jinan"].id}).status_code == 404
    assert [t.name for t in c.get(TEAMS).context["teams"]] == ["裕安区一镇领导班子"]
    assert c.get(reverse("cadres:team", args=[teams["金安区"].id])).status_code == 404
    assert "金安区" not in c.get(TEAMS).content.decode()


def test_it_shows_the_county_admin_its_cadres_with_posts_and_ages(city, login, people):
    response = login(city.users["county_admin"]).get(LIST)
    assert sorted(names(response)) == ["孙丽", "张晓明"]
    text = response.content.decode()
    for header in ("姓名", "性别", "出生年月", "年龄", "工作单位", "现任职务", "职务级别", "管理权限", "任职时间"):
        assert f"{header}</th>" in text
    assert "党委书记" in text and "副镇长" in text and "乡科级正职" in text and "县管" in text and "2021.06" in text
    row = next(c for c in response.context["page"] if c.person.name == "张晓明")
    assert row.age == age_on(dt.date(1980, 5, 17), dt.date.today())
    assert f"{reverse('cadres:export')}" in text


def test_it_filters_and_searches_cadres(city, login, people):
    c = login(city.users["city_admin"])
    assert len(names(c.get(LIST))) == 3
    assert names(c.get(LIST, {"post_level": "42"})) == ["孙丽"]
    assert names(c.get(LIST, {"q": "qm"})) == ["钱明"]
    assert names(c.get(LIST, {"management_level": "city"})) == []
    assert sorted(names(c.get(LIST, {"unit": city.units["jinan_town"].id}))) == ["孙丽", "张晓明"]
    assert names(c.get(LIST, {"q": people["孙丽"].id_number_masked})) == []  # masked text is no search key
    keys = [x.person.stroke_key for x in c.get(LIST).context["page"]]
    assert keys == sorted(keys)


def test_it_lists_the_cadres_holding_a_post_or_a_rank_and_the_former_apart(city, login, people):
    """免职 without a new post (or retired): out of the 干部名册 by default, under 已离任; a 职级 alone keeps
    a cadre 现职. The export and the API take the same filter."""
    from zugong.cadres.models import CadreRank

    sun = Appointment.objects.filter(cadre__person=people["孙丽"])
    sun.update(end=dt.date(2025, 1, 1))
    c = login(city.users["city_admin"])
    assert sorted(names(c.get(LIST))) == ["张晓明", "钱明"] and "共 2 名现职干部" in c.get(LIST).content.decode()
    assert names(c.get(LIST, {"status": "former"})) == ["孙丽"]
    assert len(names(c.get(LIST, {"status": "all"}))) == 3
    CadreRank.objects.create(cadre=sun.first().cadre, rank="10", start=dt.date(2025, 1, 1))
    assert len(names(c.get(LIST))) == 3 and names(c.get(LIST, {"status": "former"})) == []
    assert c.get("/api/cadres/", {"status": "former"}).json()["count"] == 0


def test_it_limits_branch_secretary_and_lets_leader_read(city, login, teams):
    c = login(city.users["branch_secretary"])
    assert names(c.get(LIST)) == []  # its unit is the village; the cadres sit in the township
    assert c.get(reverse("cadres:team", args=[teams["金安区"].id])).status_code == 404
    leader = login(city.users["leader"])
    assert len(names(leader.get(LIST))) == 3
    assert leader.get(reverse("cadres:team", args=[teams["金安区"].id])).status_code == 200


def test_it_computes_team_figures_in_the_database(city, login, teams):
    on = dt.date(2026, 6, 1)
    scope_user = city.users["county_admin"]
    from zugong.core.scope import scope_for

    team = selectors.teams_with_figures(scope_for(scope_user), on).get()
    ages = [age_on(dt.date(1980, 5, 17), on), age_on(dt.date(1988, 11, 11), on)]  # 46, 37
    assert team.size == 2 and team.women == 1 and team.young == 1
    assert team.avg_age == pytest.approx(sum(ages) / 2)
    assert team.youngest_birth == dt.date(1988, 11, 11) and team.oldest_birth == dt.date(1980, 5, 17)


def test_it_averages_a_member_with_two_posts_of_the_team_once(city, teams, people):
    from zugong.cadres.models import Cadre, Post
    from zugong.core.scope import scope_for

    on = dt.date(2026, 6, 1)
    team = teams["金安区"]
    zhang = Cadre.objects.get(person=people["张晓明"])
    for title in ("人大主席团主席", "党委委员"):
        post = Post.objects.create(unit=team.unit, team=team, title=title, post_level="42")
        Appointment.objects.create(cadre=zhang, post=post, start=dt.date(2022, 1, 1), is_concurrent=True)
    row = selectors.teams_with_figures(scope_for(city.users["county_admin"]), on).get()
    assert row.size == 2 and row.avg_age == pytest.approx((46 + 37) / 2)  # not (46 × 3 + 37) / 4


def test_it_ignores_ended_appointments_in_teams(city, login, teams, people):
    Appointment.objects.filter(cadre__person=people["孙丽"]).update(end=dt.date(2025, 1, 1))
    response = login(city.users["county_admin"]).get(TEAMS)
    team = response.context["teams"][0]
    assert team.size == 1 and team.women == 0 and team.avg_age == age_on(dt.date(1980, 5, 17), dt.date.today())


def test_it_shows_a_team_with_its_members(city, login, teams):
    response = login(city.users["county_admin"]).get(reverse("cadres:team", args=[teams["金安区"].id]))
    text = response.content.decode()
    assert "金安区一镇领导班子" in text and "党委书记" in text and "副镇长" in text
    assert [a.cadre.person.name for a in response.context["rows"]][0] in ("张晓明", "孙丽")
    assert {a.age for a in response.context["rows"]} == {
        age_on(dt.date(1980, 5, 17), dt.date.today()), age_on(dt.date(1988, 11, 11), dt.date.today())
    }
