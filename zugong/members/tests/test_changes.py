"""Membership changes of the person page (zugong.members.changes and their views): 组织关系转接,
预备党员转正, 党员减少 and 撤销减少 — rules, scope, audit, and what lists and statistics then show."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.members import changes, selectors
from zugong.members.models import Affiliation, LeaveReason, MemberStatus, PartyMember
from zugong.orgs.tests.people import populate
from zugong.stats import selectors as stats

D = dt.date
TODAY = D(2026, 12, 7)


@pytest.fixture
def people(city):
    return populate(city)


def member(people, name):
    return PartyMember.objects.get(person=people[name])


def actor(city, who):
    return Actor(user=city.users[who], ip="10.0.0.8")


def scope(city, who):
    return scope_for(city.users[who])


def members_on(city, on):
    """Member total of the city on ``on``, as the statistics count it."""
    return stats.member_counts(stats.resolve_target(scope(city, "city_admin"), on=on))["total"]


def branch_total(city, key, on):
    target = stats.resolve_target(scope(city, "city_admin"), org_id=city.orgs[key].pk, on=on)
    return stats.member_counts(target)["total"]


# ----------------------------------------------------------------------------- 组织关系转接


def test_a_transfer_closes_the_open_relation_opens_one_in_the_new_branch_and_is_audited(city, people):
    m = member(people, "王刚")  # 金安区二村党支部 since 1985
    aff = changes.member_transfer(
        actor=actor(city, "county_admin"), scope=scope(city, "county_admin"), member=m, org=city.orgs["jinan_branch"],
        on=D(2026, 3, 1), document_no="金组转〔2026〕5号", today=TODAY,
    )
    m.refresh_from_db()
    assert m.org == city.orgs["jinan_branch"] and aff.org == city.orgs["jinan_branch"]
    history = list(Affiliation.objects.filter(member=m).order_by("start").values_list("org__name", "start", "end", "document_no", "reason"))
    assert history == [
        ("金安区二村党支部", D(1985, 7, 1), D(2026, 3, 1), "金组转〔2020〕1号", ""),
        ("金安区一村党支部", D(2026, 3, 1), None, "金组转〔2026〕5号", "组织关系转接"),
    ]
    event = AuditEvent.objects.get(action="members.transfer")
    assert event.actor_name == "county_admin" and event.ip == "10.0.0.8" and event.object_id == str(m.pk)
    assert event.before == {"org": "金安区二村党支部"}
    assert event.after["org"] == "金安区一村党支部" and event.after["transfer_date"] == "2026-03-01"
    assert event.scope_path == city.orgs["jinan_branch"].path  # one event: both branches are under one town
    # the statistics count the member in the old branch the day before and in the new one from that day
    assert branch_total(city, "jinan_branch2", D(2026, 2, 28)) == 1 and branch_total(city, "jinan_branch2", D(2026, 3, 1)) == 0
    assert branch_total(city, "jinan_branch", D(2026, 3, 1)) == 3


def test_a_transfer_dated_the_day_the_relation_began_corrects_its_branch_in_place(city, people):
    m = member(people, "李红")  # 金安区一村党支部 since 2024-06-30
    a = actor(city, "city_admin")
    s = scope(city, "city_admin")
    changes.member_transfer(actor=a, scope=s, member=m, org=city.orgs["jinan_branch2"], on=D(2026, 3, 1), document_no="甲", today=TODAY)
    changes.member_transfer(actor=a, scope=s, member=m, org=city.orgs["yuan_branch"], on=D(2026, 3, 1), today=TODAY)
    assert Affiliation.objects.filter(member=m).count() == 2
    fixed = Affiliation.objects.get(member=m, end__isnull=True)
    assert (fixed.org, fixed.document_no) == (city.orgs["yuan_branch"], "甲")
    event = AuditEvent.objects.filter(action="members.transfer", scope_path=city.orgs["yuan_branch"].path).latest("id")
    assert "更正为裕安区一村党支部" in event.summary and event.before["letter_no"] == "甲"
    # corrected back to the branch it came from: one relation again, as before the transfer
    changes.member_transfer(actor=a, scope=s, member=m, org=city.orgs["jinan_branch"], on=D(2026, 3, 1), today=TODAY)
    assert list(Affiliation.objects.filter(member=m).values_list("org", "start", "end")) == [
        (city.orgs["jinan_branch"].pk, D(2024, 6, 30), None)]


@pytest.mark.parametrize(
    ("org_key", "on", "reason"),
    [
        ("jinan_town", D(2026, 3, 1), "“中共金安区一镇委员会”是党委，党员应编入党支部（联合党支部）"),
        ("jinan_branch2", D(2026, 3, 1), "该党员已在金安区二村党支部"),
        ("jinan_branch", D(1985, 6, 30), "转接日期应不早于现组织关系的转入日期1985.07.01"),
        ("jinan_branch", D(2026, 12, 8), "日期不能晚于今天"),
    ],
)
def test_a_transfer_is_refused_with_the_reason(city, people, org_key, on, reason):
    with pytest.raises(changes.ChangeRefused) as exc:
        changes.member_transfer(actor=actor(city, "county_admin"), scope=scope(city, "county_admin"), member=member(people, "王刚"),
                                org=city.orgs[org_key], on=on, today=TODAY)  # fmt: skip
    assert str(exc.value) == reason
    assert not AuditEvent.objects.filter(action="members.transfer").exists()


def test_a_transfer_outside_the_subtree_is_refused_to_the_county_and_the_secretary_and_done_by_the_city(city, people):
    m = member(people, "张晓明")
    for who, org in (("county_admin", "yuan_branch"), ("branch_secretary", "jinan_branch2"), ("leader", "jinan_branch2"),
                     ("neighbour_admin", "yuan_branch")):  # fmt: skip
        with pytest.raises(PermissionDenied):
            changes.member_transfer(actor=actor(city, who), scope=scope(city, who), member=m, org=city.orgs[org], on=D(2026, 3, 1), today=TODAY)
    changes.member_transfer(actor=actor(city, "city_admin"), scope=scope(city, "city_admin"), member=m, org=city.orgs["yuan_branch"],
                            on=D(2026, 3, 1), today=TODAY)  # fmt: skip
    assert member(people, "张晓明").org == city.orgs["yuan_branch"]
    assert people["张晓明"].pk not in selectors.members_in_scope(scope(city, "county_admin")).values_list("person_id", flat=True)
    from zugong.web.selectors import audit_events

    for who, verb in (("county_admin", "转出至"), ("neighbour_admin", "转入")):  # the sending and the receiving county
        assert verb in audit_events(scope(city, who)).get(action="members.transfer").summary, who


# ----------------------------------------------------------------------------- 预备党员转正


def test_a_probationary_member_is_confirmed_after_one_year_by_the_branch_secretary(city, people):
    m = member(people, "李红")  # 预备, joined 2024-06-30
    with pytest.raises(changes.ChangeRefused) as exc:
        changes.member_confirm(actor=actor(city, "branch_secretary"), scope=scope(city, "branch_secretary"), member=m, on=D(2025, 6, 29), today=TODAY)
    assert "预备期不足一年：入党时间2024.06.30，最早2025.06.30转正" in str(exc.value) and "第七条" in str(exc.value)
    changes.member_confirm(actor=actor(city, "branch_secretary"), scope=scope(city, "branch_secretary"), member=m, on=D(2025, 6, 30), today=TODAY)
    m.refresh_from_db()
    assert (m.status, m.confirmed_date) == (MemberStatus.FULL, D(2025, 6, 30))
    event = AuditEvent.objects.get(action="members.confirm")
    assert event.before == {"status": "probationary", "confirmed_date": None} and event.after == {"status": "full", "confirmed_date": "2025-06-30"}
    with pytest.raises(changes.ChangeRefused, match="已是正式党员（转正时间2025.06.30）"):
        changes.member_confirm(actor=actor(city, "county_admin"), scope=scope(city, "county_admin"), member=m, on=D(2025, 7, 1), today=TODAY)


def test_the_confirmation_is_refused_to_another_branch_and_county_and_to_the_leader(city, people):
    m = member(people, "李红")
    member(people, "王刚")
    for who in ("neighbour_admin", "leader"):
        with pytest.raises(PermissionDenied):
            changes.member_confirm(actor=actor(city, who), scope=scope(city, who), member=m, on=D(2025, 7, 1), today=TODAY)
    assert member(people, "李红").status == MemberStatus.PROBATIONARY


# ----------------------------------------------------------------------------- 党员减少


def test_a_member_who_leaves_drops_out_of_the_lists_and_of_the_statistics_from_that_day(city, people):
    m = member(people, "王刚")
    before = members_on(city, D(2026, 4, 30))
    changes.member_leave(actor=actor(city, "county_admin"), scope=scope(city, "county_admin"), member=m, on=D(2026, 5, 1),
                         reason=LeaveReason.DEATH, note="5月1日病故", today=TODAY)  # fmt: skip
    m.refresh_from_db()
    assert (m.left_date, m.left_reason, m.left_note) == (D(2026, 5, 1), "death", "5月1日病故")
    assert Affiliation.objects.get(member=m).end == D(2026, 5, 1)
    assert m not in selectors.members_in_scope(scope(city, "county_admin"))
    assert members_on(city, D(2026, 4, 30)) == before and members_on(city, D(2026, 5, 1)) == before - 1
    event = AuditEvent.objects.get(action="members.leave")
    assert event.after == {"left_date": "2026-05-01", "left_reason": "death", "left_note": "5月1日病故"}
    # nothing more can be done to the membership until the leave is undone
    with pytest.raises(changes.ChangeRefused, match="已于2026.05.01减少（死亡）"):
        changes.member_transfer(actor=actor(city, "county_admin"), scope=scope(city, "county_admin"), member=m,
                                org=city.orgs["jinan_branch"], on=D(2026, 6, 1), today=TODAY)  # fmt: skip


def test_a_leave_is_for_the_organization_department_and_checks_its_reason_and_date(city, people):
    m = member(people, "李红")
    with pytest.raises(PermissionDenied, match="党员减少由组织部门办理"):
        changes.member_leave(actor=actor(city, "branch_secretary"), scope=scope(city, "branch_secretary"), member=m,
                             on=D(2026, 5, 1), reason="death", today=TODAY)  # fmt: skip
    with pytest.raises(PermissionDenied):
        changes.member_leave(actor=actor(city, "neighbour_admin"), scope=scope(city, "neighbour_admin"), member=m,
                             on=D(2026, 5, 1), reason="death", today=TODAY)  # fmt: skip
    s, a = scope(city, "county_admin"), actor(city, "county_admin")
    with pytest.raises(changes.ChangeRefused, match="请选择减少原因"):
        changes.member_leave(actor=a, scope=s, member=m, on=D(2026, 5, 1), reason="moved", today=TODAY)
    with pytest.raises(changes.ChangeRefused, match="减少日期应晚于现组织关系的转入日期2024.06.30"):
        changes.member_leave(actor=a, scope=s, member=m, on=D(2024, 6, 30), reason="stopped", today=TODAY)
    assert PartyMember.objects.filter(left_date__isnull=False).count() == 0


def test_undoing_a_leave_reopens_the_relation_and_is_audited(city, people):
    m = member(people, "王刚")
    s, a = scope(city, "county_admin"), actor(city, "county_admin")
    changes.member_leave(actor=a, scope=s, member=m, on=D(2026, 5, 1), reason=LeaveReason.STOPPED, today=TODAY)
    with pytest.raises(PermissionDenied):
        changes.member_leave_undo(actor=actor(city, "branch_secretary"), scope=scope(city, "branch_secretary"), member=m)
    changes.member_leave_undo(actor=a, scope=s, member=m)
    m.refresh_from_db()
    assert (m.left_date, m.left_reason) == (None, "")
    assert Affiliation.objects.get(member=m).end is None
    assert m in selectors.members_in_scope(s)
    assert AuditEvent.objects.get(action="members.leave_undo").before["left_reason"] == "stopped"
    with pytest.raises(changes.ChangeRefused, match="该党员未办理减少"):
        changes.member_leave_undo(actor=a, scope=s, member=m)


def test_the_database_refuses_a_leave_date_without_a_reason(city, people):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyMember.objects.filter(person=people["王刚"]).update(left_date=D(2026, 5, 1))


# ----------------------------------------------------------------------------- the pages


def person_url(person, name=""):
    return reverse(f"members:{name}" if name else "members:person", args=[person.id])


def test_the_person_page_offers_the_changes_by_role(city, login, people):
    text = login(city.users["county_admin"]).get(person_url(people["李红"])).content.decode()
    assert "组织关系转接" in text and "预备党员转正" in text and "党员减少" in text and "2025.06.30期满" in text
    text = login(city.users["branch_secretary"]).get(person_url(people["李红"])).content.decode()
    assert "预备党员转正" in text and "党员减少" not in text
    PartyMember.objects.filter(person=people["李红"]).update(joined_date=dt.date.today() - dt.timedelta(days=30))
    text = login(city.users["county_admin"]).get(person_url(people["李红"])).content.decode()
    assert "预备期未满" in text and f"members/person/{people['李红'].id}/confirm/" not in text
    text = login(city.users["leader"]).get(person_url(people["李红"])).content.decode()
    assert "办理" not in text and "组织关系转接" not in text
    text = login(city.users["county_admin"]).get(person_url(people["王刚"])).content.decode()
    assert "预备党员转正" not in text and "组织关系转接" in text  # a full member
    text = login(city.users["branch_secretary"]).get(person_url(people["张晓明"])).content.decode()
    assert "<h2>办理</h2>" not in text  # a full member: nothing for the secretary to do here


def test_the_transfer_form_takes_the_branch_by_name_and_reports_refusals_in_chinese(city, login, people):
    c = login(city.users["county_admin"])
    url = person_url(people["王刚"], "transfer")
    response = c.post(url, {"org": "一村党支部", "on": "2026-03-01", "document_no": "金组转〔2026〕5号"}, REMOTE_ADDR="10.2.3.4", follow=True)
    assert response.redirect_chain[-1][0] == person_url(people["王刚"])
    assert "已办理组织关系转接" in response.content.decode()
    assert member(people, "王刚").org == city.orgs["jinan_branch"]
    assert AuditEvent.objects.get(action="members.transfer").ip == "10.2.3.4"
    text = c.post(url, {"org": "裕安区一村党支部", "on": "2026-04-01"}, follow=True).content.decode()
    assert "转入党支部“裕安区一村党支部”不在您的管理范围内：跨县区的组织关系转接请由市委组织部办理" in text
    assert "所在党支部不在您的管理范围内" not in text  # the import's column name does not fit this form
    text = c.post(url, {"org": "太平村党支部", "on": "2026-04-01"}, follow=True).content.decode()
    assert "未找到党支部“太平村党支部”" in text
    text = c.post(url, {"org": "二村党支部"}, follow=True).content.decode()
    assert "请填写转入党支部和转接日期" in text
    assert AuditEvent.objects.filter(action="members.transfer").count() == 1


def test_the_change_urls_refuse_strangers_and_other_counties(city, login, client, people):
    urls = [person_url(people["李红"], name) for name in ("transfer", "confirm", "leave", "leave_undo")]
    for url in urls:
        assert client.post(url).status_code == 302  # to the login page
    c = login(city.users["neighbour_admin"])
    for url in urls:
        assert c.post(url, {"on": "2025-07-01", "org": "裕安区一村党支部", "reason": "death"}).status_code == 404
    c = login(city.users["outsider"])  # no role: refused everywhere, including the branch list and the audit link
    for url in urls:
        assert c.post(url, {"on": "2025-07-01", "org": "金安区二村党支部", "reason": "death"}).status_code == 403
    assert c.get(reverse("members:branch_options")).status_code == 403
    assert c.get(reverse("members:member", args=[member(people, "李红").pk])).status_code == 403
    c = login(city.users["leader"])
    assert c.post(urls[1], {"on": "2025-07-01"}).status_code == 403
    for url in urls:  # an incomplete form too: refused first, no complaint about the form left behind
        assert c.post(url, {}).status_code == 403
    assert not list(c.get(person_url(people["李红"])).context["messages"])
    assert c.get(reverse("members:transfer", args=[people["李红"].id])).status_code == 405
    assert member(people, "李红").status == MemberStatus.PROBATIONARY and not AuditEvent.objects.filter(action__startswith="members.").exists()


def test_the_leave_and_undo_forms_work_for_the_county_and_the_page_says_so(city, login, people):
    c = login(city.users["county_admin"])
    response = c.post(person_url(people["王刚"], "leave"), {"on": "2026-05-01", "reason": "transferred_out", "note": "转往合肥市"}, follow=True)
    text = response.content.decode()
    assert "已减少（组织关系转出本市）" in text and "转往合肥市" in text and "撤销减少" in text
    assert "王刚" not in c.get(reverse("members:list")).content.decode()
    listed = c.get(reverse("members:list"), {"status": "left"}).content.decode()
    assert "王刚" in listed and "已减少（组织关系转出本市，2026.05.01）" in listed and "张晓明" not in listed
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(c.get(reverse("members:export"), {"status": "left"}).content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert ws.title == "已减少党员名册" and rows[0][-2:] == ("减少日期", "减少原因")
    assert [r[0] for r in rows[1:]] == ["王刚"] and rows[1][-1] == "组织关系转出本市"
    assert "导出已减少党员名册1人" in AuditEvent.objects.get(action="members.export").summary
    c.post(person_url(people["王刚"], "leave_undo"))
    assert member(people, "王刚").left_date is None
    c.post(person_url(people["王刚"], "leave"), {"on": "2026-05-01", "reason": "death"})
    assert "王刚" not in login(city.users["neighbour_admin"]).get(reverse("members:list"), {"status": "left"}).content.decode()


def test_the_branch_options_list_the_branches_of_the_scope_only(city, login, people):
    text = login(city.users["county_admin"]).get(reverse("members:branch_options")).content.decode()
    assert "金安区一村党支部" in text and "金安区二村党支部" in text and "裕安区" not in text and "委员会" not in text


def test_the_audit_log_names_the_changes_and_links_the_member(city, login, people):
    c = login(city.users["county_admin"])
    c.post(person_url(people["王刚"], "transfer"), {"org": "金安区一村党支部", "on": "2026-03-01", "document_no": "金组转〔2026〕5号"})
    text = c.get(reverse("web:audit")).content.decode()
    assert "组织关系转接" in text and "所在党支部" in text and "介绍信编号" in text
    m = member(people, "王刚")
    assert c.get(reverse("members:member", args=[m.pk])).url == person_url(people["王刚"])
    assert login(city.users["neighbour_admin"]).get(reverse("members:member", args=[m.pk])).status_code == 404


def test_a_cadre_leaves_the_party_only_after_removal_from_party_posts_and_is_then_recorded_as_a_non_member(city, people):
    from zugong.cadres.models import Appointment, Cadre

    s, a = scope(city, "county_admin"), actor(city, "county_admin")
    m = member(people, "张晓明")  # also 金安区一镇 党委书记 since 2021-06-01
    with pytest.raises(changes.ChangeRefused, match="现任党内职务（党委书记），请先办理免职"):
        changes.member_leave(actor=a, scope=s, member=m, on=D(2026, 5, 1), reason=LeaveReason.EXPELLED, today=TODAY)
    Appointment.objects.filter(cadre__person=people["张晓明"]).update(end=D(2026, 4, 30))
    changes.member_leave(actor=a, scope=s, member=m, on=D(2026, 5, 1), reason=LeaveReason.EXPELLED, today=TODAY)
    assert not Cadre.objects.get(person=people["张晓明"]).is_party_member
    assert AuditEvent.objects.get(action="members.leave").after["cadre_is_party_member"] is False
    changes.member_leave_undo(actor=a, scope=s, member=m)
    assert Cadre.objects.get(person=people["张晓明"]).is_party_member


def test_review_cases_of_leaves_undos_and_corrections(city, people):
    from zugong.cadres.models import Appointment, Cadre

    s, a = scope(city, "county_admin"), actor(city, "county_admin")
    # a leave dated before a party post the cadre took up later is refused too
    Appointment.objects.filter(cadre__person=people["张晓明"]).update(start=D(2026, 6, 1))
    with pytest.raises(changes.ChangeRefused, match="现任党内职务"):
        changes.member_leave(actor=a, scope=s, member=member(people, "张晓明"), on=D(2026, 5, 1), reason="death", today=TODAY)
    # undo gives back only what the leave took: a cadre recorded as a non-member before stays one
    Cadre.objects.filter(person=people["孙丽"]).update(is_party_member=False)
    from zugong.orgs.tests.people import make_member

    sun = make_member(people["孙丽"], city.orgs["jinan_branch"], joined=D(2010, 7, 1))
    changes.member_leave(actor=a, scope=s, member=sun, on=D(2026, 5, 1), reason="stopped", today=TODAY)
    changes.member_leave_undo(actor=a, scope=s, member=sun)
    assert not Cadre.objects.get(person=people["孙丽"]).is_party_member
    assert "cadre_is_party_member" not in AuditEvent.objects.get(action="members.leave_undo").after
    # a correction without a reason keeps the relation's reason; between counties both logs have it
    m = member(people, "王刚")
    changes.member_transfer(actor=a, scope=s, member=m, org=city.orgs["jinan_branch"], on=D(2026, 3, 1), reason="工作调动", today=TODAY)
    assert AuditEvent.objects.filter(action="members.transfer").count() == 1  # one town: one event
    ca, cs = actor(city, "city_admin"), scope(city, "city_admin")
    changes.member_transfer(actor=ca, scope=cs, member=member(people, "王刚"), org=city.orgs["yuan_branch"], on=D(2026, 3, 1), today=TODAY)
    assert Affiliation.objects.get(member=m, end__isnull=True).reason == "工作调动"
    sides = AuditEvent.objects.filter(action="members.transfer").order_by("id")[1:]
    assert [e.scope_path for e in sides] == [city.orgs["yuan_branch"].path, city.orgs["jinan_branch2"].path]
    assert all("更正为裕安区一村党支部" in e.summary for e in sides)
    titles = ("民建市委常委、副市长", "工会组织委员", "团支委", "市委委员、副市长", "党组织负责人")
    from zugong.cadres.rules import is_party_post

    assert [t for t in titles if is_party_post(t)] == ["市委委员、副市长", "党组织负责人"]



def test_the_leave_of_a_city_managed_cadre_and_its_undo_are_for_the_city_department(city, people):
    """A county may not change a 市管 cadre's record (中共党员) through 党员减少 or 撤销减少."""
    from zugong.cadres.models import Appointment, Cadre

    zhang = people["张晓明"]
    Cadre.objects.filter(person=zhang).update(management_level="city")
    Appointment.objects.filter(cadre__person=zhang).update(end=D(2026, 4, 30))  # no 党内职务 left

    def state():
        return member(people, "张晓明").left_date, Cadre.objects.get(person=zhang).is_party_member

    s, a = scope(city, "county_admin"), actor(city, "county_admin")
    cs, ca = scope(city, "city_admin"), actor(city, "city_admin")
    for reason in (LeaveReason.EXPELLED, LeaveReason.TRANSFERRED_OUT):
        with pytest.raises(changes.ChangeRefused, match="^该党员是市管干部，其党员减少由市委组织部办理$"):
            changes.member_leave(actor=a, scope=s, member=member(people, "张晓明"), on=D(2026, 5, 1), reason=reason,
                                 today=TODAY)  # fmt: skip
    assert state() == (None, True)
    changes.member_leave(actor=ca, scope=cs, member=member(people, "张晓明"), on=D(2026, 5, 1),
                         reason=LeaveReason.EXPELLED, today=TODAY)  # fmt: skip
    assert state() == (D(2026, 5, 1), False)
    with pytest.raises(changes.ChangeRefused, match="^该党员是市管干部，撤销其党员减少由市委组织部办理$"):
        changes.member_leave_undo(actor=a, scope=s, member=member(people, "张晓明"))
    assert state() == (D(2026, 5, 1), False)
    changes.member_leave_undo(actor=ca, scope=cs, member=member(people, "张晓明"))
    assert state() == (None, True)
    events = AuditEvent.objects.filter(action__startswith="members.leave")
    assert [e.actor for e in events] == [city.users["city_admin"]] * 2
    # a 县管 cadre's leave stays the county's
    from zugong.orgs.tests.people import make_member

    sun = make_member(people["孙丽"], city.orgs["jinan_branch"], joined=D(2010, 7, 1))
    changes.member_leave(actor=a, scope=s, member=sun, on=D(2026, 5, 1), reason="death", today=TODAY)
    assert not Cadre.objects.get(person=people["孙丽"]).is_party_member


def test_the_leave_form_shows_the_city_cadre_refusal_as_the_other_refusals(city, login, people):
    from zugong.cadres.models import Appointment, Cadre

    zhang = people["张晓明"]
    Cadre.objects.filter(person=zhang).update(management_level="city")
    Appointment.objects.filter(cadre__person=zhang).update(end=D(2026, 4, 30))
    url, undo = person_url(zhang, "leave"), person_url(zhang, "leave_undo")
    death = {"on": "2026-05-01", "reason": "death"}
    response = login(city.users["county_admin"]).post(url, death, follow=True)
    assert response.redirect_chain[-1][0] == person_url(zhang)
    assert "该党员是市管干部，其党员减少由市委组织部办理" in response.content.decode()
    assert member(people, "张晓明").left_date is None
    login(city.users["city_admin"]).post(url, death)
    assert member(people, "张晓明").left_date == D(2026, 5, 1)
    text = login(city.users["county_admin"]).post(undo, follow=True).content.decode()
    assert "该党员是市管干部，撤销其党员减少由市委组织部办理" in text
    assert member(people, "张晓明").left_date == D(2026, 5, 1)


def test_the_person_page_offers_no_leave_form_to_a_county_for_a_city_managed_cadre(city, login, people):
    from zugong.cadres.models import Cadre

    zhang = people["张晓明"]
    county = login(city.users["county_admin"]).get(person_url(zhang)).content.decode()
    assert "<summary>党员减少</summary>" in county  # a 县管 cadre: the county's
    Cadre.objects.filter(person=zhang).update(management_level="city")
    county = login(city.users["county_admin"]).get(person_url(zhang)).content.decode()
    assert "<summary>党员减少</summary>" not in county and "该党员是市管干部，其党员减少由市委组织部办理。" in county
    town = login(city.users["city_admin"]).get(person_url(zhang)).content.decode()
    assert "<summary>党员减少</summary>" in town and "由市委组织部办理" not in town


def test_a_county_may_not_change_another_countys_cadre_through_its_membership(city, people):
    """孙丽 belongs to a 金安 branch but is a cadre of 裕安区: 金安 may not make that record 非中共党员."""
    from zugong.cadres.models import Cadre
    from zugong.orgs.tests.people import make_member

    Cadre.objects.filter(person=people["孙丽"]).update(unit=city.units["yuan"], management_level="county")
    sun = make_member(people["孙丽"], city.orgs["jinan_branch"], joined=D(2010, 7, 1))
    s, a = scope(city, "county_admin"), actor(city, "county_admin")
    with pytest.raises(changes.ChangeRefused, match="^该党员是裕安区的干部，不在您的干部管理范围内，其党员减少由其干部管理部门办理$"):
        changes.member_leave(actor=a, scope=s, member=sun, on=D(2026, 5, 1), reason="death", today=TODAY)
    assert Cadre.objects.get(person=people["孙丽"]).is_party_member and member(people, "孙丽").left_date is None
    changes.member_leave(actor=actor(city, "city_admin"), scope=scope(city, "city_admin"), member=sun, on=D(2026, 5, 1),
                         reason="death", today=TODAY)  # fmt: skip
    assert not Cadre.objects.get(person=people["孙丽"]).is_party_member

