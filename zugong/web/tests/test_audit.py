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


def test_it_names_actions_objects_and_changes_in_chinese(city, login):
    AuditEvent.objects.create(
        actor_name="county_admin", action="person.update", object_type="Person", object_id="5", summary="张三",
        before={"name": "张三", "gender": "1"}, after={"name": "张三丰", "gender": "1"}, scope_path=city.orgs["jinan_branch"].path,
    )  # fmt: skip
    body = login(city.users["county_admin"]).get(URL).content.decode()
    assert "修改人员信息" in body and "人员 5" in body and "张三 → 张三丰" in body
    assert 'title="person.update"' in body and "性别" not in body.split("<tbody>")[1]  # unchanged fields are not listed


def test_it_filters_by_kind_of_action_operator_and_dates(city, login, events):
    import datetime as dt

    from django.utils import timezone

    o = city.orgs
    AuditEvent.objects.create(actor_name="county_admin", action="cadres.appointment_create", summary="任命事件", scope_path=o["jinan_branch"].path)
    AuditEvent.objects.filter(summary="金安区事件").update(at=timezone.make_aware(dt.datetime(2026, 3, 1, 23, 30)))
    c = login(city.users["city_admin"])
    assert summaries(c.get(URL, {"group": "cadres"})) == {"任命事件"}
    assert summaries(c.get(URL, {"group": "system"})) == {"系统事件"}
    assert summaries(c.get(URL, {"actor": "neighbour"})) == {"裕安区事件"}
    assert summaries(c.get(URL, {"from": "2026-03-01", "to": "2026-03-01"})) == {"金安区事件"}  # 23:30 Beijing time is that day
    assert summaries(c.get(URL, {"to": "2026-02-28"})) == set()
    assert "金安区事件" not in summaries(c.get(URL, {"from": "2026-03-02"}))
    assert len(summaries(c.get(URL, {"from": "3月", "group": "nonsense"}))) == 4  # not a date, not a group: ignored
    page = c.get(URL, {"group": "cadres", "actor": "county"})
    assert 'href="/audit/export.xlsx?group=cadres&amp;actor=county"' in page.content.decode()


def test_the_export_holds_the_filtered_events_of_the_scope_and_is_audited(city, login, events):
    import io

    from openpyxl import load_workbook

    admin = city.users["county_admin"]
    AuditEvent.objects.filter(summary="金安区事件").update(before={"name": "张三"}, after={"name": "张三丰"}, object_type="Person")
    response = login(admin).get(reverse("web:audit_export"), {"group": "members"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["时间", "操作人", "来源地址", "操作", "对象", "摘要", "变更"]
    assert [r[1:] for r in rows[1:]] == [["county_admin", None, "修改人员信息", "人员", "金安区事件", "姓名：张三→张三丰"]]
    event = AuditEvent.objects.get(action="audit.export")
    assert (event.actor, event.ip, event.scope_path) == (admin, "127.0.0.1", city.orgs["jinan"].path)
    assert event.after == {"count": 1, "filters": {"group": "members"}}
    assert event.summary == "导出审计日志1条"


@pytest.mark.parametrize("persona", ["outsider", "leader", "branch_secretary"])
def test_the_export_refuses_non_administrators(city, login, events, persona):
    assert login(city.users[persona]).get(reverse("web:audit_export")).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_the_export_stops_at_its_limit_and_says_so(city, login, events, monkeypatch):
    import io

    from openpyxl import load_workbook

    from zugong.web import services

    monkeypatch.setattr(services, "MAX_EXPORT_ROWS", 2)
    response = login(city.users["city_admin"]).get(reverse("web:audit_export"))
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert rows[0][0].startswith("审计日志（最近的2条") and len(rows) == 2 + 2  # heading, header, two events
