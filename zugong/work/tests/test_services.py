"""Services and selectors of 工作落实: upload, party mapping, cleaning undo, table edits, progress, status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.work import selectors, services
from zugong.work.models import ProgressReport, Status, Task, TaskKind, WorkDocument
from zugong.work.tests.conftest import LUAN


def act(user):
    return Actor(user=user), scope_for(user)


def test_it_uploads_pasted_text_into_tasks_with_targets_and_units(city, organ, plan):
    tasks = list(plan.tasks.order_by("seq"))
    assert [t.seq for t in tasks] == [1, 2, 3]
    first, second, third = tasks
    assert first.lead_unit == organ and first.due == dt.date(2024, 6, 30)
    assert first.goal_text() == "30名年轻干部到乡镇挂职锻炼" or first.targets.get().value == 30
    assert set(second.responsible_units.all()) == {city.units["jinan"], city.units["yuan"]}
    assert second.lead_unit is None and second.due == dt.date(2024, 12, 31)
    assert third.targets.get().value == Decimal(10)
    # spans point into the analysed text
    assert plan.analysed_text[first.deadline_start:first.deadline_end] == "6月底前"
    assert plan.owner_unit == city.units["city"]
    assert AuditEvent.objects.filter(action="work.document.upload").count() == 1


def test_it_uploads_a_seed_file_and_keeps_the_original(city, organ, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actor, scope = act(city.users["county_admin"])
    doc = services.document_upload(actor=actor, scope=scope, kind="speech", document_date=dt.date(2023, 3, 1),
                                   file_name=LUAN.name, file_bytes=LUAN.read_bytes())
    assert doc.original.read() == LUAN.read_bytes()
    assert doc.owner_unit == city.units["jinan"]
    assert doc.tasks.filter(kind=TaskKind.TASK).count() >= 40
    assert doc.edits and doc.cleaned_text != doc.raw_text


def test_it_refuses_upload_for_the_leader(city):
    actor, scope = act(city.users["leader"])
    with pytest.raises(PermissionDenied):
        services.document_upload(actor=actor, scope=scope, kind="plan", document_date=dt.date(2024, 1, 1), text="x。")


def test_it_undoes_and_restores_a_cleaning_edit_without_touching_tasks(city, organ, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actor, scope = act(city.users["city_admin"])
    doc = services.document_upload(actor=actor, scope=scope, kind="speech", document_date=dt.date(2023, 3, 1),
                                   file_name=LUAN.name, file_bytes=LUAN.read_bytes())
    n = doc.tasks.count()
    edit = next(e for e in doc.edits if e["kind"] == "doubled")
    doc = services.document_set_edit(actor=actor, scope=scope, document=doc, edit_id=edit["id"], undone=True)
    assert edit["original"] in doc.cleaned_text and doc.undone == [edit["id"]]
    assert doc.tasks.count() == n
    doc = services.document_set_edit(actor=actor, scope=scope, document=doc, edit_id=edit["id"], undone=False)
    assert doc.undone == [] and doc.cleaned_text == doc.analysed_text
    doc = services.document_set_edit(actor=actor, scope=scope, document=doc, edit_id=edit["id"], undone=True, reanalyse=True)
    assert doc.analysed_text == doc.cleaned_text


def test_it_refuses_reanalysis_once_progress_is_reported(city, plan):
    actor, scope = act(city.users["city_admin"])
    t = plan.tasks.get(seq=2)
    services.progress_report_create(actor=actor, scope=scope, task=t, unit=city.units["jinan"],
                                    date=dt.date.today(), text="已建成3个")
    with pytest.raises(ValidationError):
        services.document_reanalyse(actor=actor, scope=scope, document=plan)


def test_it_edits_a_row_and_reparses_the_goal(city, organ, plan):
    actor, scope = act(city.users["city_admin"])
    t = plan.tasks.get(seq=1)
    services.task_update(actor=actor, scope=scope, task=t, action="选派年轻干部挂职", goal="年轻干部40名以上；覆盖率80%",
                         deadline_text="年底前", lead_unit=organ, responsible_units=[city.units["jinan"]])
    t.refresh_from_db()
    assert t.action == "选派年轻干部挂职" and t.due == dt.date(2024, 12, 31)
    assert [(x.object, x.value, x.unit, x.qualifier) for x in t.targets.all()] == [
        ("年轻干部", 40, "名", "以上"), ("覆盖率", 80, "%", "")]
    assert t.goal_text() == "年轻干部40名以上；覆盖率80%"
    with pytest.raises(ValidationError):
        services.task_update(actor=actor, scope=scope, task=t, goal="尽快完成")


def test_it_refuses_units_outside_the_scope(city, plan):
    actor, scope = act(city.users["city_admin"])
    from zugong.orgs.models import Unit

    stranger = Unit.objects.create(name="外市", path="0009", depth=1, kind="city")
    with pytest.raises(ValidationError):
        services.task_update(actor=actor, scope=scope, task=plan.tasks.get(seq=1), lead_unit=stranger)


def test_it_splits_and_merges_rows_keeping_order(city, plan):
    actor, scope = act(city.users["city_admin"])
    t1 = plan.tasks.get(seq=1)
    services.task_split(actor=actor, scope=scope, task=t1, actions=["选派年轻干部", "跟踪管理挂职干部"])
    assert list(plan.tasks.order_by("seq").values_list("seq", "action")[:2]) == [(1, "选派年轻干部"), (2, "跟踪管理挂职干部")]
    assert plan.tasks.count() == 4
    a, b = plan.tasks.get(seq=2), plan.tasks.get(seq=3)
    merged = services.task_merge(actor=actor, scope=scope, tasks=[b, a])
    assert merged.seq == 2 and "；" in merged.action
    assert list(plan.tasks.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3]
    assert merged.targets.count() == 1 and merged.due == dt.date(2024, 6, 30)


def test_it_promotes_and_demotes(city, plan):
    actor, scope = act(city.users["city_admin"])
    t = plan.tasks.get(seq=3)
    services.task_set_kind(actor=actor, scope=scope, task=t, kind="guidance")
    assert Task.objects.get(pk=t.pk).kind == TaskKind.GUIDANCE
    services.task_set_kind(actor=actor, scope=scope, task=t, kind="task")
    assert Task.objects.get(pk=t.pk).kind == TaskKind.TASK


def test_it_lets_only_owners_edit_the_table(city, plan):
    t = plan.tasks.get(seq=2)
    for name in ("county_admin", "leader"):
        actor, scope = act(city.users[name])
        with pytest.raises(PermissionDenied):
            services.task_update(actor=actor, scope=scope, task=t, action="改")


def test_it_lets_a_responsible_county_report_and_completes_on_target(city, plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actor, scope = act(city.users["county_admin"])
    t = plan.tasks.get(seq=2)
    r = services.progress_report_create(actor=actor, scope=scope, task=t, unit=city.units["jinan"], date=dt.date.today(),
                                        text="建成5个", value="5",
                                        evidence=[services.EvidenceUpload("照片.txt", b"evidence")])
    assert not r.completes and r.evidence.get().name == "照片.txt"
    r2 = services.progress_report_create(actor=actor, scope=scope, task=t, unit=city.units["jinan"], date=dt.date.today(),
                                         text="建成15个", value="15")
    assert r2.completes
    assert t.status_on() != Status.DONE  # 裕安区 is responsible too
    actor, scope = act(city.users["neighbour_admin"])
    services.progress_report_create(actor=actor, scope=scope, task=t, unit=city.units["yuan"], date=dt.date.today(),
                                    text="完成", completes=True)
    assert t.status_on() == Status.DONE
    assert selectors.with_status(Task.objects.filter(pk=t.pk)).get().status == Status.DONE
    assert AuditEvent.objects.filter(action="work.progress.create").count() == 3


def test_it_refuses_reports_from_units_not_responsible(city, plan):
    t = plan.tasks.get(seq=1)  # led by 市委组织部, no county responsible
    actor, scope = act(city.users["county_admin"])
    with pytest.raises(PermissionDenied):
        services.progress_report_create(actor=actor, scope=scope, task=t, unit=city.units["jinan"],
                                        date=dt.date.today(), text="x")
    t2 = plan.tasks.get(seq=2)
    with pytest.raises(PermissionDenied):  # the neighbour's unit
        services.progress_report_create(actor=actor, scope=scope, task=t2, unit=city.units["yuan"],
                                        date=dt.date.today(), text="x")
    actor, scope = act(city.users["leader"])
    with pytest.raises(PermissionDenied):
        services.progress_report_create(actor=actor, scope=scope, task=t2, unit=city.units["jinan"],
                                        date=dt.date.today(), text="x")


def test_it_scopes_documents_and_tasks(city, plan):
    jinan = scope_for(city.users["county_admin"])
    assert selectors.document_get(jinan, plan.pk) == plan  # it has a task for 金安区
    assert [t.seq for t in selectors.document_tasks(jinan, plan)] == [2]
    with pytest.raises(Http404):
        selectors.task_get(jinan, plan.tasks.get(seq=1).pk)
    # a 裕安区 document is invisible to 金安区
    actor, yuan = act(city.users["neighbour_admin"])
    own = services.document_upload(actor=actor, scope=yuan, kind="plan", document_date=dt.date(2024, 1, 1),
                                   text="裕安区工作要点\n一、基层\n1.各乡镇要在年底前建成5个示范点。\n")
    with pytest.raises(Http404):
        selectors.document_get(jinan, own.pk)
    assert selectors.document_get(scope_for(city.users["city_admin"]), own.pk) == own
    with pytest.raises(Http404):
        selectors.document_get(scope_for(city.users["outsider"]) if False else jinan, 10**9)


@pytest.mark.parametrize(
    "reports,due,today,expected",
    [
        ([], None, dt.date(2024, 2, 1), Status.NOT_STARTED),
        ([], None, dt.date(2024, 6, 1), Status.AT_RISK),  # nothing for 90 days since the document date
        ([(dt.date(2024, 5, 20), False)], dt.date(2024, 12, 31), dt.date(2024, 6, 1), Status.IN_PROGRESS),
        ([(dt.date(2024, 5, 20), False)], dt.date(2024, 6, 20), dt.date(2024, 6, 1), Status.AT_RISK),
        ([(dt.date(2024, 5, 20), False)], dt.date(2024, 5, 31), dt.date(2024, 6, 1), Status.OVERDUE),
        ([(dt.date(2024, 5, 20), True)], dt.date(2024, 5, 1), dt.date(2024, 6, 1), Status.DONE),
        # a completion reported after the day asked about: not yet done on that day (a past quarter's review)
        ([(dt.date(2024, 3, 1), False), (dt.date(2024, 7, 2), True)], dt.date(2024, 6, 30), dt.date(2024, 6, 30), Status.AT_RISK),
    ],
)
def test_it_derives_status_the_same_in_python_and_sql(city, plan, reports, due, today, expected):
    t = plan.tasks.get(seq=2)
    t.responsible_units.set([city.units["jinan"]])
    Task.objects.filter(pk=t.pk).update(due=due)
    for d, c in reports:
        ProgressReport.objects.create(task=t, unit=city.units["jinan"], date=d, text="x", completes=c)
    t.refresh_from_db()
    assert t.status_on(today) == expected
    assert selectors.with_status(Task.objects.filter(pk=t.pk), today).get().status == expected


def test_it_reviews_a_quarter_per_unit(city, plan):
    t = plan.tasks.get(seq=2)  # 金安区 and 裕安区 responsible
    Task.objects.filter(pk=t.pk).update(due=dt.date(2024, 3, 15))
    ProgressReport.objects.create(task=t, unit=city.units["jinan"], date=dt.date(2024, 3, 20), text="x", completes=True)
    rows = {r.unit_name: r for r in selectors.quarter_review(scope_for(city.users["city_admin"]), 2024, 1)}
    assert rows["金安区"].due == 1 and rows["金安区"].done_late == 1 and rows["金安区"].undone == 0
    assert rows["裕安区"].due == 1
    # the city's 组织部 leads task 1 due 2024-06-30 (Q2)
    q2 = {r.unit_name: r for r in selectors.quarter_review(scope_for(city.users["city_admin"]), 2024, 2)}
    assert q2["中共六安市委组织部"].due == 1 and q2["中共六安市委组织部"].undone == 1
    own = selectors.quarter_review(scope_for(city.users["county_admin"]), 2024, 1)
    assert [r.unit_name for r in own] == ["金安区"]


def test_it_keeps_document_rows_for_the_city(city, plan):
    assert WorkDocument.objects.count() == 1


def test_it_maps_a_named_organ_to_the_nearest_unit_of_that_name(city, organ):
    from zugong.core.audit import SYSTEM
    from zugong.orgs.models import UnitKind
    from zugong.orgs.services import unit_create

    city_fin = unit_create(actor=SYSTEM, parent=city.units["city"], name="六安市财政局", kind=UnitKind.ORGAN)
    county_fin = unit_create(actor=SYSTEM, parent=city.units["jinan"], name="金安区财政局", kind=UnitKind.ORGAN)
    assert services.resolve_party(city.units["city"], "other", "市财政局") == [city_fin]
    assert services.resolve_party(city.units["jinan"], "other", "区财政局") == [county_fin]
    assert services.resolve_party(city.units["city"], "other", "六安市财政局") == [city_fin]
    assert services.resolve_party(city.units["city"], "other", "各有关部门") == []
    assert services.resolve_party(city.units["city"], "other", "市审计局") == []


def test_it_reads_county_org_departments_in_a_county_plan_as_its_own(city):
    from zugong.core.audit import SYSTEM
    from zugong.orgs.models import UnitKind
    from zugong.orgs.services import unit_create

    dept = unit_create(actor=SYSTEM, parent=city.units["jinan"], name="金安区委组织部", kind=UnitKind.ORGAN)
    assert services.resolve_party(city.units["jinan"], "county_org_depts") == [dept]


def _bare_units(city):
    """A second town and village in 金安区 with no party organization in the tree."""
    from zugong.core.audit import SYSTEM
    from zugong.orgs.models import UnitKind
    from zugong.orgs.services import unit_create

    town = unit_create(actor=SYSTEM, parent=city.units["jinan"], name="金安区二镇", kind=UnitKind.TOWNSHIP)
    village = unit_create(actor=SYSTEM, parent=town, name="金安区二镇一村村委会", kind=UnitKind.VILLAGE)
    return town, village


def test_it_maps_village_party_organizations_to_the_villages_holding_a_branch(city):
    _, bare_village = _bare_units(city)
    county = city.units["jinan"]
    assert services.resolve_party(county, "villages", "各村（社区）党组织") == [city.units["jinan_village"]]
    assert services.resolve_party(county, "villages", "各村党组织") == [city.units["jinan_village"]]
    # the villages themselves (各村（社区）): every village/community unit below the owner
    assert set(services.resolve_party(county, "villages", "各村（社区）")) == {city.units["jinan_village"], bare_village}
    # a county's plan reaches its own villages only; a city's plan keeps 各村 as text (thousands of units)
    assert services.resolve_party(city.units["city"], "villages", "各村党组织") == []
    assert city.units["yuan_village"] not in services.resolve_party(county, "villages", "各村（社区）")


def test_it_maps_town_party_committees_to_the_towns_holding_a_committee(city):
    bare_town, _ = _bare_units(city)
    county = city.units["jinan"]
    assert services.resolve_party(county, "towns", "各乡镇（街道）党（工）委") == [city.units["jinan_town"]]
    assert services.resolve_party(county, "towns", "各乡镇党委") == [city.units["jinan_town"]]
    assert services.resolve_party(county, "towns", "各乡镇") == [city.units["jinan_town"], bare_town]
    assert set(services.resolve_party(city.units["city"], "towns", "各乡镇党委")) == {
        city.units["jinan_town"], city.units["yuan_town"]}


def test_it_falls_back_to_all_units_of_the_level_when_the_party_tree_has_none(city):
    bare_town, bare_village = _bare_units(city)  # a town whose village has no branch in the tree yet
    assert services.resolve_party(bare_town, "villages", "各村党组织") == [bare_village]


@pytest.mark.parametrize(("kind", "text"), [("role", "镇党委书记"), ("units", "各人民团体"), ("everyone", "各级各部门")])
def test_it_leaves_posts_collectives_and_everyone_unmapped(city, organ, kind, text):
    assert services.resolve_party(city.units["city"], kind, text) == []


def test_it_takes_lead_and_responsible_units_from_the_plan_fields(city, organ):
    lead, responsible = services.assign_from_parties(city.units["city"], [
        {"text": "各乡镇党委", "kind": "towns", "role": "responsible"},
        {"text": "市委组织部", "kind": "city_org_dept", "role": "lead"},
    ])
    assert lead == organ
    assert set(responsible) == {city.units["jinan_town"], city.units["yuan_town"]}


def test_it_uploads_a_plan_with_field_brackets_into_lead_and_responsible_units(city, organ):
    user = city.users["city_admin"]
    text = (
        "2024年全市党建工作任务清单\n一、重点任务\n"
        "1．开展村级班子运行情况分析研判，对运行不畅的班子及时调整。（牵头单位：市委组织部；责任单位：各乡镇党委；"
        "完成时限：2024年6月30日前）\n"
    )
    doc = services.document_upload(actor=Actor(user=user), scope=scope_for(user), kind="plan",
                                   document_date=dt.date(2024, 1, 10), text=text)
    task = doc.tasks.get(kind=TaskKind.TASK)
    assert task.lead_unit == organ
    assert set(task.responsible_units.all()) == {city.units["jinan_town"], city.units["yuan_town"]}
    assert task.due == dt.date(2024, 6, 30)
    assert [p["role"] for p in task.parties] == ["lead", "responsible"]
    assert Task.objects.filter(document=doc, text__startswith="（").count() == 0


def test_it_maps_a_section_of_an_organ_to_the_organ(city, organ):
    assert services.resolve_party(city.units["city"], "organ", "市委组织部干部一科") == [organ]
    assert services.resolve_party(city.units["city"], "named", "市委组织部组织二科") == [organ]
    assert services.resolve_party(city.units["city"], "organ", "市审计局审计一科") == []


def test_it_maps_a_section_named_alone_to_the_plans_own_department(city, organ):
    # a department's own 工作要点 writes its sections without the organ: 【组织股】, 干部一科
    assert services.resolve_party(organ, "organ", "组织股") == [organ]
    assert services.resolve_party(city.units["city"], "named", "干部一科") == [organ]
    county = city.units["jinan"]
    assert services.resolve_party(county, "organ", "干部股") == [services._county_org_dept(county)]
    # a township's own offices are not the city's 组织部 (outside the township's subtree)
    assert services.resolve_party(city.units["jinan_town"], "named", "党政办公室") == []


def test_it_uploads_a_task_table_with_wrapped_cells_and_standing_deadlines(city, organ):
    user = city.users["city_admin"]
    text = (
        "2024年全市党建重点任务分解表\n"
        "序号\t重点任务\t具体目标\t牵头单位\t责任单位\t完成时限\n"
        "1\t建设党员活动阵地\t新建党员活动室1\n2个，每个面积不少于100平方米\t市委组织部\t各乡镇党委\t2024年9月底前\n"
        "2\t规范村级事务\t村级报表精简20%以上\t市委组织部\t各县区\t持续推进\n"
    )
    doc = services.document_upload(actor=Actor(user=user), scope=scope_for(user), kind="plan",
                                   document_date=dt.date(2024, 1, 10), text=text)
    first, second = doc.tasks.filter(kind=TaskKind.TASK).order_by("seq")
    assert first.action == "建设党员活动阵地"
    assert sorted((t.value, t.unit) for t in first.targets.all()) == [(Decimal(12), "个"), (Decimal(100), "平方米")]
    assert first.lead_unit == organ and first.due == dt.date(2024, 9, 30)
    assert set(first.responsible_units.all()) == {city.units["jinan_town"], city.units["yuan_town"]}
    # standing work: 完成时限 shows the text as written, with no due date
    assert second.deadline_text == "持续推进" and second.due is None
    assert doc.analysed_text[second.deadline_start:second.deadline_end] == "持续推进"
    assert set(second.responsible_units.all()) == {city.units["jinan"], city.units["yuan"]}
    assert [p["role"] for p in second.parties] == ["lead", "responsible"]


# ----------------------------------------------------------------------------- reports belong to the reporting unit


def test_it_shows_a_report_only_within_the_reporting_units_subtree(city, plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    t = plan.tasks.get(seq=2)
    t.responsible_units.set([city.units["jinan"], city.units["jinan_village"], city.units["yuan"]])
    made = {}
    for key in ("jinan", "jinan_village", "yuan"):
        rep = ProgressReport.objects.create(task=t, unit=city.units[key], date=dt.date(2024, 5, 1), text=key)
        made[key] = rep
    actor, yuan = act(city.users["neighbour_admin"])
    made["yuan2"] = services.progress_report_create(
        actor=actor, scope=yuan, task=t, unit=city.units["yuan"], date=dt.date(2024, 5, 2), text="有佐证",
        evidence=[services.EvidenceUpload("佐证.txt", b"x")])
    ev = made["yuan2"].evidence.get()
    expected = {
        "city_admin": {"jinan", "jinan_village", "yuan", "yuan2"},
        "leader": {"jinan", "jinan_village", "yuan", "yuan2"},
        "county_admin": {"jinan", "jinan_village"},  # its own and its subordinates'
        "neighbour_admin": {"yuan", "yuan2"},
        "branch_secretary": {"jinan_village"},  # its own unit's only
    }
    for name, keys in expected.items():
        scope = scope_for(city.users[name])
        want = {made[k].pk for k in keys}
        assert {r.pk for r in selectors.task_reports(scope, t)} == want, name
        rows = selectors.document_tasks(scope, plan).filter(pk=t.pk)
        assert {r.pk for r in rows.get().visible_reports} == want, name
        assert {r.pk for r in selectors.quarter_tasks(scope, 2024, 4).get(pk=t.pk).visible_reports} == want, name
        if "yuan2" in keys:
            assert selectors.evidence_get(scope, ev.pk) == ev
        else:
            with pytest.raises(Http404):
                selectors.evidence_get(scope, ev.pk)


def test_it_derives_a_countys_status_from_its_own_reports_only(city, plan):
    """A county's view of a city task counts only its subtree's reports: the neighbour's report neither
    makes it 推进中 nor, when it completes, counts towards 金安区's completion."""
    t = plan.tasks.get(seq=2)  # 金安区 and 裕安区 responsible, due 2024-12-31
    today = dt.date(2024, 11, 10)
    ProgressReport.objects.create(task=t, unit=city.units["yuan"], date=dt.date(2024, 11, 5), text="x", completes=True)
    jinan, yuan, city_scope = (scope_for(city.users[n]) for n in ("county_admin", "neighbour_admin", "city_admin"))

    def status(scope):
        sql = selectors.with_status(Task.objects.filter(pk=t.pk), today, scope=scope).get().status
        assert t.status_on(today, within=scope.unit_path) == sql
        return sql

    assert status(city_scope) == Status.IN_PROGRESS  # the city's task: 金安区 has not finished
    assert status(yuan) == Status.DONE  # done for 裕安区
    assert status(jinan) == Status.AT_RISK  # nothing reported by 金安区 for 90 days since the document date
    assert selectors.document_tasks(jinan, plan, today=today).get(pk=t.pk).status == Status.AT_RISK
    # while the quarter runs the task (due on its last day) is 滞后; once it is over, not done by then: 未完成
    assert selectors.quarter_tasks(jinan, 2024, 4, today=today).get(pk=t.pk).status == Status.AT_RISK
    assert selectors.quarter_tasks(jinan, 2024, 4).get(pk=t.pk).status == Status.OVERDUE
    assert selectors.quarter_tasks(yuan, 2024, 4).get(pk=t.pk).status == Status.DONE
    ProgressReport.objects.create(task=t, unit=city.units["jinan_town"], date=dt.date(2024, 11, 6), text="y")
    assert status(jinan) == Status.IN_PROGRESS  # a subordinate's report is 金安区's own
    ProgressReport.objects.create(task=t, unit=city.units["jinan"], date=dt.date(2024, 11, 7), text="z", completes=True)
    assert status(jinan) == Status.DONE
    assert status(city_scope) == Status.DONE
