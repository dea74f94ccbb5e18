"""审计日志 page: administrators only, each sees its own subtree's events."""

import pytest
from django.urls import reverse

from zugong.core.models import AuditEvent

URL = reverse("web:audit")


@pytest.fixture
def events(city):
    o = city.orgs
    AuditEvent.objects.create(actor_name="county_admin", action="person.update", summary="金安区事件", scope_path=o["jinan_branch"].path)
    AuditEvent.objects.create(actor_name="neighbour_admin", action="person.update", summary="裕安区事件", scope_path=o["yuan_branch"].path)
    AuditEvent.objects.create(actor_name="系统", action="demo.build", summary="系统事件", scope_path="")


def summaries(response) -> set[str]:
    return {e.summary for e in response.context["page"]}


def test_it_redirects_anonymous_users_to_login(client, city):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/login/")


@pytest.mark.parametrize("persona", ["outsider", "leader", "branch_secretary"])
def test_it_refuses_non_administrators(city, login, persona):
    assert login(city.users[persona]).get(URL).status_code == 403


def test_it_shows_the_county_admin_only_its_county(city, login, events):
    response = login(city.users["county_admin"]).get(URL)
    assert response.status_code == 200 and summaries(response) == {"金安区事件"}
    assert "裕安区事件" not in response.content.decode()


def test_it_shows_the_neighbour_only_its_county(city, login, events):
    assert summaries(login(city.users["neighbour_admin"]).get(URL)) == {"裕安区事件"}


def test_it_shows_the_city_admin_everything_including_system_events(city, login, events):
    assert summaries(login(city.users["city_admin"]).get(URL)) == {"金安区事件", "裕安区事件", "系统事件"}


def test_it_searches_events(city, login, events):
    c = login(city.users["city_admin"])
    assert summaries(c.get(URL, {"q": "demo"})) == {"系统事件"}
    assert summaries(c.get(URL, {"q": "裕安"})) == {"裕安区事件"}


def test_it_records_an_id_number_reveal_visible_to_the_county_admin(city, login):
    from zugong.orgs.tests.people import populate

    people = populate(city)
    c = login(city.users["county_admin"])
    c.post(reverse("members:reveal_id", args=[people["张晓明"].id]))
    assert any("张晓明" in s for s in summaries(c.get(URL)))
    assert not any("张晓明" in s for s in summaries(login(city.users["neighbour_admin"]).get(URL)))
