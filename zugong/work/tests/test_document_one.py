"""Regressions from a reviewer's walk through the UI (2026-12-07) with the speech pasted as document 1
of the demo city: named counties as doers, a county and its 组织部 named together, a task with two
actions, and the leading space of numbered items. The text is the pasted one, verbatim."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from zugong.core.audit import SYSTEM
from zugong.core.scope import scope_for
from zugong.orgs.models import UnitKind
from zugong.orgs.services import unit_create
from zugong.work import selectors, services
from zugong.work.breakdown import export_breakdown
from zugong.work.models import Status, Task
from zugong.work.text.tasks import analyse

SPEECH = (
    "在全市组织工作会议上的讲话\n"
    "（2026年11月20日）\n"
    "同志们：\n"
    "一、持续加强基层党组织建设\n"
    "1. 各县区要在2027年3月底前完成村（社区）党组织书记专题培训，市委组织部牵头，各县区委组织部负责。\n"
    "2. 年底前全面完成软弱涣散基层党组织整顿，由各县区委组织部负责，2026年12月31日前完成。\n"
    "二、加强干部队伍建设\n"
    "3. 市委组织部要在2027年6月底前完成年轻干部专项调研，选拔优秀年轻干部不少于200名。\n"
    "4. 金安区、裕安区要在2027年1月15日前报送领导班子分析研判报告。"
)
DATE = dt.date(2026, 11, 20)


@pytest.fixture
def depts(city, organ):
    """The counties' 组织部 as organs under the counties (as in the demo city's tree)."""
    return {key: unit_create(actor=SYSTEM, parent=city.units[key], name=f"{city.units[key].name}委组织部",
                             kind=UnitKind.ORGAN) for key in ("jinan", "yuan")}


def upload(city):
    user = city.users["city_admin"]
    return services.document_upload(actor=SYSTEM.__class__(user=user), scope=scope_for(user), kind="speech",
                                    document_date=DATE, text=SPEECH)


def names(units) -> list[str]:
    return [u.name for u in units]


def test_the_text_alone_names_the_tasks_without_a_leading_space():
    tasks = [t for t in analyse(SPEECH, doc_date=DATE).tasks if t.kind == "task"]
    assert len(tasks) == 4
    assert all(not t.text[0].isspace() and not t.action[0].isspace() for t in tasks)
    # two actions in one sentence: the 调研 before the 选拔 target is kept (it used to be cut)
    assert tasks[2].action == "在2027年6月底前完成年轻干部专项调研，选拔优秀年轻干部不少于200名"
    assert [(x.value, x.unit) for x in tasks[2].targets] == [(200, "名")]
    # counties named by their names are parties only when the caller knows them (the unit tree)
    assert tasks[3].parties == []
    known = [t for t in analyse(SPEECH, doc_date=DATE, places=frozenset({"金安区", "裕安区"})).tasks if t.kind == "task"]
    assert [(p.text, p.kind, p.directed) for p in known[3].parties] == [("金安区", "place", True), ("裕安区", "place", True)]
    assert known[3].action == "在2027年1月15日前报送领导班子分析研判报告"


def test_named_counties_are_the_responsible_units_and_see_their_task(city, depts, login):
    doc = upload(city)
    t4 = doc.tasks.get(seq=4)
    assert t4.lead_unit is None and names(t4.responsible_units.all()) == ["金安区", "裕安区"]
    assert [p["kind"] for p in t4.parties] == ["place", "place"]
    jinan = scope_for(city.users["county_admin"])
    assert selectors.task_get(jinan, t4.pk) == t4
    assert t4 in selectors.unit_task_list(jinan, city.units["jinan"])
    c = login(city.users["county_admin"])
    assert c.get(f"/work/tasks/{t4.pk}/").status_code == 200
    assert "报送领导班子分析研判报告" in c.get("/work/units/").content.decode()


def test_a_county_and_its_org_department_named_together_are_one_doer(city, depts):
    doc = upload(city)
    t1, t2 = doc.tasks.get(seq=1), doc.tasks.get(seq=2)
    assert t1.lead_unit.name == "中共六安市委组织部"
    assert names(t1.responsible_units.order_by("path")) == ["金安区委组织部", "裕安区委组织部"]
    assert names(t2.responsible_units.order_by("path")) == ["金安区委组织部", "裕安区委组织部"]
    # 金安区 reports its part done: done for 金安区 at once (one report, not the 区's and its 组织部's)
    user = city.users["county_admin"]
    jinan = scope_for(user)
    assert services.reporting_units(jinan, t1) == [depts["jinan"]]
    services.progress_report_create(actor=SYSTEM.__class__(user=user), scope=jinan, task=t1, unit=depts["jinan"],
                                    date=dt.date(2026, 12, 7), text="已完成全区村（社区）党组织书记专题培训，共培训312人。",
                                    completes=True)
    on = dt.date(2026, 12, 7)
    assert selectors.with_status(Task.objects.filter(pk=t1.pk), on, scope=jinan).get().status == Status.DONE
    assert t1.status_on(on, within=jinan.unit_path) == Status.DONE
    # the city waits for 裕安区 only
    yuan_user = city.users["neighbour_admin"]
    services.progress_report_create(actor=SYSTEM.__class__(user=yuan_user), scope=scope_for(yuan_user), task=t1,
                                    unit=depts["yuan"], date=on, text="已完成", completes=True)
    assert t1.status_on(on) == Status.DONE


def test_without_org_departments_in_the_tree_the_counties_answer_once(city, organ):
    doc = upload(city)
    assert names(doc.tasks.get(seq=1).responsible_units.order_by("path")) == ["金安区", "裕安区"]
    # 金安区委组织部 named in a sentence, not in the tree: the county answers
    assert names(services.resolve_party(city.units["city"], "organ", "金安区委组织部")) == ["金安区"]


def test_the_breakdown_export_has_no_leading_space(city, depts):
    doc = upload(city)
    ws = load_workbook(io.BytesIO(export_breakdown(scope_for(city.users["city_admin"]), doc))).active
    header = [c.value for c in ws[2]]
    col = header.index("重点任务")
    cells = [row[col].value for row in ws.iter_rows(min_row=3)]
    assert len(cells) == 4 and all(v and not v[0].isspace() for v in cells)
    assert cells[2] == "在2027年6月底前完成年轻干部专项调研，选拔优秀年轻干部不少于200名"
    # a row stored with a leading space (documents analysed before the fix) is written without it
    Task.objects.filter(pk=doc.tasks.get(seq=1).pk).update(action=" 各县区要完成培训")
    ws = load_workbook(io.BytesIO(export_breakdown(scope_for(city.users["city_admin"]), doc))).active
    assert ws.cell(row=3, column=col + 1).value == "各县区要完成培训"
