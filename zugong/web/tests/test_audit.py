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


def test_it_keeps_unit_tree_events_apart_from_party_tree_events(city, login):
    """Unit and party trees share one path format: an admin whose unit root has the same path as
    another county's party committee must not see that committee's events, and unit-tree events
    are matched against the unit root only."""
    from django.db import transaction

    from zugong.core.audit import SYSTEM, audit_record
    from zugong.core.models import UserProfile
    from zugong.orgs.services import unit_create

    u, o = city.units, city.orgs
    # A profile whose unit root (裕安区) has the same path as nothing it may see in the party tree.
    UserProfile.objects.filter(user=city.users["county_admin"]).update(unit=u["yuan"], party_org=o["jinan"])
    with transaction.atomic():
        audit_record(SYSTEM, "person.update", summary="裕安党组织事件", scope_path=o["yuan_branch"].path)
    unit_create(actor=SYSTEM, parent=u["yuan"], name="裕安区新单位", kind="organ")
    body = login(city.users["county_admin"]).get("/audit/").content.decode()
    assert "裕安区新单位" in body  # unit-tree event inside its unit root
    assert "裕安党组织事件" not in body  # party-tree event outside its party root
    body = login(city.users["neighbour_admin"]).get("/audit/").content.decode()
    assert "裕安区新单位" in body and "裕安党组织事件" in body
