"""A county's and a branch's own plans (user walkthrough of 2026-12-07): the plan's year, who leads, the
units a county plan names, a branch plan naming nobody, and what the upload and the audit log say.

The texts are the walkthrough's plans (/tmp/walk/plan.txt, plan2.txt), shortened.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zugong.core.audit import SYSTEM, Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.orgs.models import OrgKind, PartyOrganization, UnitKind, path_step
from zugong.orgs.services import unit_create
from zugong.web.audit_display import view, views
from zugong.work import selectors, services
from zugong.work.models import Status, WorkDocument

COUNTY_PLAN = """2027年金安区组织工作要点

2027年，全区组织工作坚持以习近平新时代中国特色社会主义思想为指导，重点抓好以下工作。

一、加强党的政治建设
1.深化理论武装。区委组织部牵头，各乡镇（街道）党（工）委负责，2027年6月底前完成全区党员轮训，轮训覆盖率达到100%。

二、建设高素质干部队伍
2.优化领导班子结构。区委组织部负责，年底前乡镇领导班子中35岁左右年轻干部配备率达到80%以上。
3.加强年轻干部储备。区委组织部牵头，区人社局配合，2027年9月底前新选调优秀年轻干部20名。

三、推进基层党组织建设
4.推进两新组织党建。区非公经济组织和社会组织党委负责，全年新建非公企业党组织10个。
5.严格发展党员工作。各基层党委负责，全年发展党员控制在450名以内。
"""

BRANCH_PLAN = """三岔河村党支部2027年工作计划

一、严格党内组织生活。每季度召开1次支部党员大会，全年开展主题党日12次。
二、加强党员教育管理。3月底前完成流动党员摸排登记，年底前党员参加集中学习不少于4次。
三、做好发展党员工作。6月底前确定入党积极分子2名。
"""

ISSUED = dt.date(2026, 12, 1)


def act(user):
    return Actor(user=user), scope_for(user)


@pytest.fixture
def jinan_organs(city):
    """金安区委组织部 and 金安区人力资源和社会保障局 (organs of the county), and the county's 两新组织工作委员会
    held by the county unit, as the demo city has them."""
    jinan = city.units["jinan"]
    dept = unit_create(actor=SYSTEM, parent=jinan, name="金安区委组织部", kind=UnitKind.ORGAN)
    hr = unit_create(actor=SYSTEM, parent=jinan, name="金安区人力资源和社会保障局", kind=UnitKind.ORGAN)
    committee = city.orgs["jinan"]
    PartyOrganization.objects.create(parent=committee, name="中共金安区两新组织工作委员会", path=committee.path + path_step(9),
                                     depth=committee.depth + 1, kind=OrgKind.WORKING_COMMITTEE, unit=jinan)
    return dept, hr


def upload(city, persona, text, date=ISSUED):
    actor, scope = act(city.users[persona])
    return services.document_upload(actor=actor, scope=scope, kind="plan", document_date=date, text=text)


def tasks(doc):
    return list(doc.tasks.filter(kind="task").order_by("seq").prefetch_related("responsible_units", "targets"))


def test_it_dates_year_end_phrases_of_a_plan_for_next_year_in_that_year(city, jinan_organs):
    doc = upload(city, "county_admin", COUNTY_PLAN)
    assert [t.due for t in tasks(doc)] == [dt.date(2027, 6, 30), dt.date(2027, 12, 31), dt.date(2027, 9, 30),
                                           dt.date(2027, 12, 31), dt.date(2027, 12, 31)]
    # not late the week after the plan was issued, and not reviewed in 2026's last quarter
    assert {t.status_on(dt.date(2026, 12, 7)) for t in tasks(doc)} == {Status.NOT_STARTED}
    _, scope = act(city.users["county_admin"])
    assert not selectors.quarter_tasks(scope, 2026, 4, today=dt.date(2026, 12, 7)).exists()
    # a 年底前 typed into the table later is the plan year's too
    t = tasks(doc)[0]
    services.task_update(actor=Actor(user=city.users["county_admin"]), scope=scope, task=t, deadline_text="年底前")
    t.refresh_from_db()
    assert t.due == dt.date(2027, 12, 31)


def test_the_county_org_department_leads_its_own_plan_and_the_named_units_are_responsible(city, jinan_organs):
    dept, hr = jinan_organs
    doc = upload(city, "county_admin", COUNTY_PLAN)
    by_seq = {t.action[:12]: t for t in tasks(doc)}
    rows = [(t.lead_unit, list(t.responsible_units.order_by("path"))) for t in tasks(doc)]
    town = city.units["jinan_town"]
    assert rows[0] == (dept, [town])  # 区委组织部牵头，各乡镇（街道）党（工）委负责
    assert rows[1] == (dept, [])  # 区委组织部负责
    assert rows[2] == (dept, [hr])  # 区委组织部牵头，区人社局配合
    assert rows[3] == (None, [city.units["jinan"]])  # the unit holding the 两新 committee
    assert rows[4] == (None, [town])  # 各基层党委: the units holding a 党委/党工委 below the county
    # the units are named in the parties, not in the action
    assert all("区委组织部" not in a and "人社局" not in a and "党委负责" not in a for a in by_seq)


def test_a_unit_the_tree_does_not_hold_is_kept_as_text_and_stripped_from_the_action(city):
    doc = upload(city, "county_admin", "2027年金安区组织工作要点\n\n1.加强年轻干部储备。区委组织部牵头，区人社局配合，"
                                        "2027年9月底前新选调优秀年轻干部20名。\n")
    (t,) = tasks(doc)
    assert [(p["text"], p.get("role")) for p in t.parties] == [("区委组织部", "lead"), ("区人社局", "responsible")]
    assert t.lead_unit == city.units["jinan"] and not t.responsible_units.exists()  # no 组织部 organ: the county
    assert t.action == "2027年9月底前新选调优秀年轻干部20名"


def test_a_branch_plan_naming_nobody_is_the_branch_s_own_work(city):
    secretary = city.users["branch_secretary"]
    village = city.units["jinan_village"]
    doc = upload(city, "branch_secretary", BRANCH_PLAN)
    rows = tasks(doc)
    assert rows and all(t.lead_unit == village and list(t.responsible_units.all()) == [village] for t in rows)
    # two deadlines for two actions: one task, due at the later (the record's "one sentence, one task")
    second = next(t for t in rows if "摸排" in t.text)
    assert second.due == dt.date(2027, 12, 31) and [x.value for x in second.targets.all()] == [4]
    actor, scope = act(secretary)
    assert selectors.unit_task_list(scope, village).count() == len(rows)  # 本单位任务
    report = services.progress_report_create(actor=actor, scope=scope, task=rows[0], unit=village,
                                             date=dt.date(2026, 12, 5), text="已召开1次", value="1")
    assert report.value_label() == "1次"


def test_a_county_plan_naming_nobody_is_its_org_department_s_work(city, jinan_organs):
    dept, _ = jinan_organs
    doc = upload(city, "county_admin", "2027年金安区组织工作要点\n\n1.开展组织工作调研。年底前形成调研报告1篇。\n")
    (t,) = tasks(doc)
    assert (t.lead_unit, list(t.responsible_units.all())) == (dept, [dept])


def test_it_refuses_a_document_dated_in_the_future_and_a_report_dated_before_its_document(city):
    with pytest.raises(ValidationError, match="晚于今天"):
        upload(city, "branch_secretary", BRANCH_PLAN, date=dt.date.today() + dt.timedelta(days=35))
    assert not WorkDocument.objects.exists()
    doc = upload(city, "branch_secretary", BRANCH_PLAN)
    actor, scope = act(city.users["branch_secretary"])
    with pytest.raises(ValidationError, match="早于文件《三岔河村党支部2027年工作计划》的日期 2026-12-01"):
        services.progress_report_create(actor=actor, scope=scope, task=tasks(doc)[0], unit=city.units["jinan_village"],
                                        date=dt.date(2026, 11, 20), text="已召开")


def test_a_count_target_takes_whole_numbers_and_shows_them_without_decimals(city, login):
    doc = upload(city, "branch_secretary", BRANCH_PLAN)
    actor, scope = act(city.users["branch_secretary"])
    t = next(t for t in tasks(doc) if "积极分子" in t.text)
    with pytest.raises(ValidationError, match="完成数应为整数"):
        services.progress_report_create(actor=actor, scope=scope, task=t, unit=city.units["jinan_village"],
                                        date=dt.date(2026, 12, 5), text="确定1.5名", value="1.5")
    r = services.progress_report_create(actor=actor, scope=scope, task=t, unit=city.units["jinan_village"],
                                        date=dt.date(2026, 12, 5), text="已确定2名", value="2")
    assert r.value == Decimal("2") and r.value_label() == "2名"
    html = login(city.users["branch_secretary"]).get(reverse("work:task", args=[t.pk])).content.decode()
    assert ">2名<" in html and "2.00" not in html
    event = AuditEvent.objects.get(action="work.progress.create")
    assert event.after["value"] == "2名"
    assert event.summary == f"金安区一村村委会 报告《三岔河村党支部2027年工作计划》任务 {t.seq} 进展"


def test_the_upload_message_and_the_audit_log_count_the_same(city, login):
    c = login(city.users["county_admin"])
    r = c.post(reverse("work:documents"), {"kind": "plan", "document_date": "2026-12-01", "text": COUNTY_PLAN}, follow=True)
    doc = WorkDocument.objects.get()
    event = AuditEvent.objects.get(action="work.document.upload")
    assert "已上传《2027年金安区组织工作要点》，提取任务5条、指导性要求1条" in r.content.decode()
    assert event.summary == "上传《2027年金安区组织工作要点》，提取任务5条、指导性要求1条"
    assert (event.after["tasks"], event.after["guidance"]) == (5, 1) == (doc.tasks.filter(kind="task").count(), 1)


def test_the_audit_log_names_tasks_by_their_sequence_and_keys_in_chinese(city, django_assert_num_queries):
    doc = upload(city, "branch_secretary", BRANCH_PLAN)
    actor, scope = act(city.users["branch_secretary"])
    t = tasks(doc)[1]
    services.task_update(actor=actor, scope=scope, task=t, action="摸排流动党员")
    services.progress_report_create(actor=actor, scope=scope, task=t, unit=city.units["jinan_village"],
                                    date=dt.date(2026, 12, 5), text="已摸排")
    update = AuditEvent.objects.get(action="work.task.update")
    v = view(update)
    assert (v.object, v.url) == (f"《三岔河村党支部2027年工作计划》任务 {t.seq}", reverse("work:task", args=[t.pk]))
    assert update.summary == f"修改任务 {t.seq}"
    progress = view(AuditEvent.objects.get(action="work.progress.create"))
    fields = {c.field: c.after for c in progress.changes}
    assert fields["重点任务"] == f"《三岔河村党支部2027年工作计划》任务 {t.seq}" and "佐证材料" in fields
    labels = {c.field for c in view(AuditEvent.objects.get(action="work.document.upload")).changes}
    assert {"任务条数", "指导性要求条数", "清理修改"} <= labels and not labels & {"tasks", "guidance", "edits"}
    events = list(AuditEvent.objects.order_by("id"))
    with django_assert_num_queries(1):  # the page's tasks named in one query
        shown = views(events)
    assert [s.object for s in shown if s.event.object_type == "Task"] == [v.object]
    pk = t.pk
    t.delete()
    assert view(update).object == f"重点任务 {pk}"  # a deleted task keeps its id


def test_the_audit_api_names_tasks_as_the_page_does(city, login):
    doc = upload(city, "county_admin", COUNTY_PLAN)
    actor, scope = act(city.users["county_admin"])
    t = tasks(doc)[2]
    services.task_update(actor=actor, scope=scope, task=t, action="新选调优秀年轻干部")
    items = login(city.users["county_admin"]).get("/api/audit/").json()["items"]
    row = next(i for i in items if i["action"] == "work.task.update")
    assert row["object_label"] == f"《2027年金安区组织工作要点》任务 {t.seq}" and row["object_id"] == str(t.pk)


def test_the_two_new_committee_is_taken_at_the_level_its_name_says(city, jinan_organs):
    """A city plan's 市两新工委 is not the county's committee; 区… in a county plan is the county's; 各县区… all."""
    from zugong.work.services import resolve_party

    jinan, root = city.units["jinan"], city.units["jinan"].parent
    assert resolve_party(root, "two_new_committee", "市两新工委") == []  # the test city has none of its own
    assert resolve_party(root, "two_new_committee", "各县区两新工委") == [jinan]
    assert resolve_party(jinan, "two_new_committee", "区非公经济组织和社会组织党委") == [jinan]
    assert resolve_party(jinan, "two_new_committee", "市两新工委") == []
