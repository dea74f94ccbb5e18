"""Pages and endpoints of 工作落实 with the personas: city sees all, a county its own, outsider 403,
neighbour 404, leader read-only."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.work import selectors, services
from zugong.work.models import ProgressReport, Task, WorkDocument
from zugong.work.tests.conftest import LUAN


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def yuan_doc(city):
    """A 裕安区 document whose only task is for 裕安区's towns."""
    user = city.users["neighbour_admin"]
    return services.document_upload(actor=Actor(user=user), scope=scope_for(user), kind="plan",
                                    document_date=dt.date(2024, 1, 5),
                                    text="裕安区工作要点\n一、基层\n1.各乡镇要在年底前建成5个示范点。\n")


def urls_of(plan):
    t = plan.tasks.get(seq=2)
    return {
        "documents": reverse("work:documents"),
        "document": reverse("work:document", args=[plan.pk]),
        "cleaning": reverse("work:cleaning", args=[plan.pk]),
        "table": reverse("work:table", args=[plan.pk]),
        "export": reverse("work:export", args=[plan.pk]),
        "task": reverse("work:task", args=[t.pk]),
        "row": reverse("work:task_row", args=[t.pk]),
        "review": reverse("work:review") + "?year=2024&quarter=4",
        "review_docx": reverse("work:review_docx") + "?year=2024&quarter=4",
        "my_unit": reverse("work:my_unit"),
    }


def test_it_shows_every_page_to_the_city(city, plan, login):
    c = login(city.users["city_admin"])
    for name, url in urls_of(plan).items():
        assert c.get(url).status_code == 200, name


def test_it_refuses_the_outsider_everywhere(city, plan, login):
    c = login(city.users["outsider"])
    for name, url in urls_of(plan).items():
        assert c.get(url).status_code == 403, name
    assert c.post(reverse("work:documents"), {"kind": "plan", "document_date": "2024-01-01", "text": "x"}).status_code == 403


def test_it_redirects_anonymous_users_to_login(client, plan):
    for url in urls_of(plan).values():
        assert client.get(url).status_code == 302


def test_it_hides_a_county_document_from_the_neighbour(city, yuan_doc, login):
    c = login(city.users["county_admin"])
    t = yuan_doc.tasks.get()
    for url in (reverse("work:document", args=[yuan_doc.pk]), reverse("work:cleaning", args=[yuan_doc.pk]),
                reverse("work:table", args=[yuan_doc.pk]), reverse("work:export", args=[yuan_doc.pk]),
                reverse("work:task", args=[t.pk]), reverse("work:task_row", args=[t.pk]),
                reverse("work:import", args=[yuan_doc.pk]), reverse("work:unit", args=[city.units["yuan"].pk])):
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("work:task", args=[t.pk]), {"unit": city.units["yuan_town"].pk, "date": "2024-02-01",
                                                      "text": "x"}).status_code == 404
    assert c.post(reverse("work:edit_toggle", args=[yuan_doc.pk, 0]), {"undone": "1"}).status_code == 404
    assert c.post(reverse("work:task_kind", args=[t.pk]), {"kind": "guidance"}).status_code == 404
    assert "裕安区工作要点" not in c.get(reverse("work:documents")).content.decode()


def test_it_lets_a_county_see_only_its_rows_of_a_city_document(city, plan, login):
    c = login(city.users["county_admin"])
    html = c.get(reverse("work:table", args=[plan.pk])).content.decode()
    assert "建成15个党群服务示范点" in html and "年轻干部到乡镇挂职" not in html
    assert c.get(reverse("work:task", args=[plan.tasks.get(seq=1).pk])).status_code == 404
    # may read but not edit the city's table
    t = plan.tasks.get(seq=2)
    assert c.post(reverse("work:task_row", args=[t.pk]), {"action": "改"}).status_code == 403
    assert c.get(reverse("work:import", args=[plan.pk])).status_code == 403


def test_it_keeps_the_leader_read_only(city, plan, login):
    c = login(city.users["leader"])
    t = plan.tasks.get(seq=2)
    assert c.get(reverse("work:table", args=[plan.pk])).status_code == 200
    assert c.post(reverse("work:documents"), {"kind": "plan", "document_date": "2024-01-01", "text": "x"}).status_code == 403
    assert c.post(reverse("work:task_row", args=[t.pk]), {"action": "改"}).status_code == 403
    assert c.post(reverse("work:task_kind", args=[t.pk]), {"kind": "guidance"}).status_code == 403
    assert c.post(reverse("work:task_split", args=[t.pk]), {"actions": "a\nb"}).status_code == 403
    assert c.post(reverse("work:merge", args=[plan.pk]), {"task": [t.pk]}).status_code == 403
    assert c.post(reverse("work:edit_toggle", args=[plan.pk, 0]), {"undone": "1"}).status_code == 403
    assert c.post(reverse("work:reanalyse", args=[plan.pk])).status_code == 403
    assert c.post(reverse("work:task", args=[t.pk]), {"unit": city.units["jinan"].pk, "date": "2024-02-01",
                                                      "text": "x"}).status_code == 403
    assert not ProgressReport.objects.exists()


def test_it_uploads_a_seed_file_through_the_page(city, organ, login, media):
    c = login(city.users["city_admin"])
    with LUAN.open("rb") as f:
        r = c.post(reverse("work:documents"), {"kind": "speech", "document_date": "2023-03-01", "file": f})
    doc = WorkDocument.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("work:document", args=[doc.pk])
    html = c.get(r["Location"]).content.decode()
    assert 'class="hl-target"' in html and "提纲" in html
    assert c.get(reverse("work:original", args=[doc.pk])).status_code == 200


def test_it_requires_a_document_date(city, login):
    c = login(city.users["city_admin"])
    r = c.post(reverse("work:documents"), {"kind": "plan", "text": "一、x\n1.各县区要建成5个示范点。"})
    assert r.status_code == 400 and "请填写文件日期" in r.content.decode()
    assert not WorkDocument.objects.exists()


def test_it_undoes_a_cleaning_edit_with_htmx(city, login, media):
    user = city.users["city_admin"]
    doc = services.document_upload(actor=Actor(user=user), scope=scope_for(user), kind="speech",
                                   document_date=dt.date(2023, 3, 1), file_name=LUAN.name, file_bytes=LUAN.read_bytes())
    c = login(user)
    assert "撤销此修改" in c.get(reverse("work:cleaning", args=[doc.pk])).content.decode()
    r = c.post(reverse("work:edit_toggle", args=[doc.pk, 0]), {"undone": "1"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "恢复此修改" in r.content.decode()
    doc.refresh_from_db()
    assert doc.undone == [0]
    # the swapped fragment carries both panes and the notice, not just the row
    html = r.content.decode()
    assert 'id="raw-pane"' in html and 'id="cleaned"' in html and 'id="c0"' in html and "已撤销 1 处" in html
    assert "<html" not in html
    r = c.post(reverse("work:reanalyse", args=[doc.pk]))
    doc.refresh_from_db()
    assert doc.analysed_text == doc.cleaned_text


def test_it_edits_a_row_inline(city, plan, organ, login):
    c = login(city.users["city_admin"])
    t = plan.tasks.get(seq=2)
    assert 'name="goal"' in c.get(reverse("work:task_row", args=[t.pk]) + "?edit=1").content.decode()
    r = c.post(reverse("work:task_row", args=[t.pk]), {
        "action": "建成党群服务示范点", "goal": "示范点20个以上", "pillar": "组织", "due": "2024-09-30",
        "deadline_text": "9月底前", "lead_unit": organ.pk, "responsible_units": [city.units["jinan"].pk]},
        HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "示范点20个以上" in r.content.decode()
    t.refresh_from_db()
    assert t.due == dt.date(2024, 9, 30) and t.lead_unit == organ and list(t.responsible_units.all()) == [city.units["jinan"]]
    r = c.post(reverse("work:task_row", args=[t.pk]), {"action": "x", "goal": "尽快"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "没有可识别的数值" in r.content.decode()


def test_it_splits_merges_promotes_from_the_table(city, plan, login):
    c = login(city.users["city_admin"])
    t = plan.tasks.get(seq=1)
    c.post(reverse("work:task_split", args=[t.pk]), {"actions": "选派年轻干部\n跟踪管理"})
    assert plan.tasks.count() == 4
    ids = list(plan.tasks.order_by("seq").values_list("pk", flat=True)[:2])
    c.post(reverse("work:merge", args=[plan.pk]), {"task": ids})
    assert plan.tasks.count() == 3
    c.post(reverse("work:task_kind", args=[ids[0]]), {"kind": "guidance"})
    assert Task.objects.get(pk=ids[0]).kind == "guidance"
    c.post(reverse("work:task_add", args=[plan.pk]), {"action": "新增的任务"})
    assert plan.tasks.filter(action="新增的任务", seq=4).exists()


def test_it_exports_and_imports_the_breakdown_table(city, plan, organ, login):
    c = login(city.users["city_admin"])
    r = c.get(reverse("work:export", args=[plan.pk]))
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    assert [x.value for x in ws[2]][:7] == ["序号", "重点任务", "具体目标", "牵头单位", "责任单位", "完成时限", "进展情况"]
    assert ws.column_dimensions["H"].hidden
    assert ws["D3"].value == "中共六安市委组织部" and ws["F3"].value == "2024.06.30"
    # offline edits: change a deadline and a unit, add a row
    ws["F3"] = "2024.07.31"
    ws["E4"] = "金安区"
    ws.append([None, "新增一条任务", "示范点3个", "", "裕安区", "年底前"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "t.xlsx"
    buf.seek(0)
    r = c.post(reverse("work:import", args=[plan.pk]), {"file": buf})
    assert r.status_code == 302
    assert plan.tasks.get(seq=1).due == dt.date(2024, 7, 31)
    assert list(plan.tasks.get(seq=2).responsible_units.all()) == [city.units["jinan"]]
    new = plan.tasks.get(seq=4)
    assert new.action == "新增一条任务" and new.due == dt.date(2024, 12, 31) and new.goal_text() == "示范点3个"


def test_it_reports_import_errors_in_chinese_and_applies_nothing(city, plan, login):
    c = login(city.users["city_admin"])
    wb = load_workbook(io.BytesIO(c.get(reverse("work:export", args=[plan.pk])).content))
    ws = wb.active
    ws["D3"] = "不存在的单位"
    ws["F4"] = "某天"
    ws["B5"] = "改了的任务"
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "t.xlsx"
    buf.seek(0)
    r = c.post(reverse("work:import", args=[plan.pk]), {"file": buf})
    html = r.content.decode()
    assert r.status_code == 400
    assert "第3行：牵头单位“不存在的单位”不存在或不在管理范围内" in html
    assert "第4行：完成时限“某天”无法识别" in html
    assert not plan.tasks.filter(action="改了的任务").exists()


def test_it_takes_a_progress_report_with_evidence(city, plan, login, media):
    c = login(city.users["county_admin"])
    t = plan.tasks.get(seq=2)
    page = c.get(reverse("work:task", args=[t.pk])).content.decode()
    assert "报告进展" in page and "裕安区</option>" not in page
    f = io.BytesIO(b"photo")
    f.name = "现场照片.jpg"
    r = c.post(reverse("work:task", args=[t.pk]), {"unit": city.units["jinan"].pk, "date": dt.date.today().isoformat(),
                                                   "text": "已建成15个", "value": "15", "evidence": f})
    assert r.status_code == 302
    rep = ProgressReport.objects.get()
    assert rep.completes and rep.evidence.get().name == "现场照片.jpg"
    ev = rep.evidence.get()
    assert c.get(reverse("work:evidence", args=[ev.pk])).status_code == 200
    n = login(city.users["neighbour_admin"])
    # 裕安区 is responsible too, so it sees the task but neither 金安区's unit in its form nor 金安区's
    # report and evidence (they belong to the reporting unit)
    assert n.get(reverse("work:evidence", args=[ev.pk])).status_code == 404
    assert "已建成15个" not in n.get(reverse("work:task", args=[t.pk])).content.decode()
    assert login(city.users["city_admin"]).get(reverse("work:evidence", args=[ev.pk])).status_code == 200
    n = login(city.users["neighbour_admin"])
    r = n.post(reverse("work:task", args=[t.pk]), {"unit": city.units["jinan"].pk, "date": "2024-02-01", "text": "x"})
    assert r.status_code == 400
    o = login(city.users["outsider"])
    assert o.get(reverse("work:evidence", args=[ev.pk])).status_code == 403


def test_it_flags_overdue_tasks_on_the_unit_page(city, plan, login):
    Task.objects.filter(document=plan, seq=2).update(due=dt.date(2024, 3, 1))
    c = login(city.users["county_admin"])
    html = c.get(reverse("work:my_unit")).content.decode()
    assert "逾期和滞后任务" in html and "未完成" in html and "建成15个党群服务示范点" in html
    assert c.get(reverse("work:unit", args=[city.units["city"].pk])).status_code == 404


def test_it_prints_the_quarter_review_docx(city, plan, login):
    t = plan.tasks.get(seq=2)
    ProgressReport.objects.create(task=t, unit=city.units["jinan"], date=dt.date(2024, 11, 2), text="建成15个", completes=True)
    c = login(city.users["city_admin"])
    html = c.get(reverse("work:review") + "?year=2024&quarter=4").content.decode()
    assert "金安区" in html and "裕安区" in html
    r = c.get(reverse("work:review_docx") + "?year=2024&quarter=4")
    d = Document(io.BytesIO(r.content))
    assert "2024年第四季度重点任务季末评议报告" in d.paragraphs[0].text
    rows = [[cell.text for cell in row.cells] for row in d.tables[0].rows]
    assert rows[0] == ["序号", "单位", "到期任务", "按时完成", "逾期完成", "未完成", "完成率"]
    by_unit = {r[1]: r for r in rows[1:]}
    assert by_unit["金安区"][2:6] == ["1", "1", "0", "0"] and by_unit["裕安区"][5] == "1"
    assert len(d.inline_shapes) == 1  # the chart
    blob = d.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert d.part.related_parts[blob].blob.startswith(b"\x89PNG")
    assert "建成15个" in "".join(cell.text for row in d.tables[1].rows for cell in row.cells)
    # a county's review holds only itself
    cc = login(city.users["county_admin"])
    d2 = Document(io.BytesIO(cc.get(reverse("work:review_docx") + "?year=2024&quarter=4").content))
    assert [r.cells[1].text for r in d2.tables[0].rows[1:]] == ["金安区"]
    assert c.get(reverse("work:review") + "?year=2024&quarter=9").status_code == 404


def test_the_review_page_of_the_running_quarter_counts_tasks_not_yet_due_as_pending(city, plan, login):
    y, q = selectors.current_quarter()
    last = selectors.quarter_bounds(y, q)[1]
    Task.objects.filter(pk=plan.tasks.get(seq=2).pk).update(due=last)  # 金安区, 裕安区: due on the quarter's last day
    html = login(city.users["city_admin"]).get(reverse("work:review") + f"?year={y}&quarter={q}").content.decode()
    assert "本季度尚未结束" in html and "<th class=\"num\">未到期</th>" in html
    row = html[html.index(">金安区</a>"):].split("</tr>")[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["0", "0", "0", "0", "1", "—"]


def test_it_refreshes_both_panes_in_place_when_an_edit_is_undone(city, login, media):
    import re

    from django.utils.html import escape

    user = city.users["city_admin"]
    doc = services.document_upload(actor=Actor(user=user), scope=scope_for(user), kind="speech",
                                   document_date=dt.date(2023, 3, 1), file_name=LUAN.name, file_bytes=LUAN.read_bytes())
    c = login(user)
    picks = [e for e in doc.edits if e["kind"] in ("doubled", "repeat", "advert") and e["end"] > e["start"]][:3]
    assert len(picks) == 3
    for e in picks:
        r = c.post(reverse("work:edit_toggle", args=[doc.pk, e["id"]]), {"undone": "1", "kind": e["kind"]},
                   HTTP_HX_REQUEST="true")
        assert r.status_code == 200
    html = r.content.decode()
    doc.refresh_from_db()
    cleaned_pane = html[html.index('id="cleaned"'):html.index("</section>", html.index('id="cleaned"'))]
    for e in picks:
        # the undone stretch is marked in the cleaned pane with exactly the raw text it kept
        m = re.search(rf'<span class="hl-undone" title="[^"]*" id="c{e["id"]}">(.*?)</span>', cleaned_pane, re.S)
        assert m, e
        assert m.group(1).replace("<br>", "\n") == escape(doc.raw_text[e["start"]:e["end"]])
        # and in the raw pane it is no longer struck out
        assert re.search(rf'<span class="hl-undone" title="[^"]*" id="e{e["id"]}">', html), e
    assert f'value="{picks[-1]["kind"]}"' in html  # the kind filter survives the swap
    assert "按当前清理结果重新提取任务" in html


def test_it_falls_back_to_a_plain_post_and_redirect_without_javascript(city, plan, login):
    c = login(city.users["city_admin"])
    edit = plan.edits[0] if plan.edits else None
    if edit is None:
        pytest.skip("the plan has no cleaning edits")
    r = c.post(reverse("work:edit_toggle", args=[plan.pk, edit["id"]]), {"undone": "1", "kind": edit["kind"]})
    assert r.status_code == 302
    assert r["Location"] == reverse("work:cleaning", args=[plan.pk]) + f"?kind={edit['kind']}#edit-{edit['id']}"
    page = c.get(r["Location"]).content.decode()
    assert "恢复此修改" in page and "已撤销 1 处" in page
    r = c.post(reverse("work:edit_toggle", args=[plan.pk, edit["id"]]), {"undone": "0", "kind": "bogus"})
    assert r["Location"] == reverse("work:cleaning", args=[plan.pk]) + f"#edit-{edit['id']}"
    plan.refresh_from_db()
    assert plan.undone == [] and plan.cleaned_text == plan.analysed_text


# ----------------------------------------------------------------------------- reports belong to the reporting unit

YUAN_TEXT = "裕安区已建成9个示范点"
YUAN_FILE = "裕安区佐证材料.txt"


@pytest.fixture
def yuan_report(city, plan, media):
    """裕安区 reports progress with evidence on task 2 of the city plan (金安区 and 裕安区 responsible)."""
    user = city.users["neighbour_admin"]
    return services.progress_report_create(
        actor=Actor(user=user), scope=scope_for(user), task=plan.tasks.get(seq=2), unit=city.units["yuan"],
        date=dt.date(2024, 11, 5), text=YUAN_TEXT, evidence=[services.EvidenceUpload(YUAN_FILE, b"yuan evidence")],
    )


def test_it_hides_the_neighbours_report_and_evidence_on_the_task_page(city, plan, yuan_report, login):
    t = plan.tasks.get(seq=2)
    ev = yuan_report.evidence.get()
    c = login(city.users["county_admin"])
    r = c.get(reverse("work:task", args=[t.pk]))
    assert r.status_code == 200  # the task is 金安区's too
    page = r.content.decode()
    assert YUAN_TEXT not in page and YUAN_FILE not in page and "尚未报告进展" in page
    assert c.get(reverse("work:evidence", args=[ev.pk])).status_code == 404
    for url in (reverse("work:document", args=[plan.pk]), reverse("work:table", args=[plan.pk]),
                reverse("work:task_row", args=[t.pk]), reverse("work:my_unit")):
        assert YUAN_TEXT not in c.get(url).content.decode(), url
    # the branch secretary of a 金安区 village sees nothing of it either (no task of its own: 404)
    b = login(city.users["branch_secretary"])
    assert b.get(reverse("work:evidence", args=[ev.pk])).status_code == 404
    # the reporting county and the city see both
    for name in ("neighbour_admin", "city_admin", "leader"):
        u = login(city.users[name])
        page = u.get(reverse("work:task", args=[t.pk])).content.decode()
        assert YUAN_TEXT in page and YUAN_FILE in page, name
        r = u.get(reverse("work:evidence", args=[ev.pk]))
        assert r.status_code == 200 and b"".join(r.streaming_content) == b"yuan evidence", name
        assert YUAN_TEXT in u.get(reverse("work:table", args=[plan.pk])).content.decode(), name


def xlsx_text(content: bytes) -> str:
    ws = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_it_leaves_the_neighbours_report_out_of_the_breakdown_xlsx(city, plan, yuan_report, login):
    c = login(city.users["county_admin"])
    r = c.get(reverse("work:export", args=[plan.pk]))
    assert r.status_code == 200
    text = xlsx_text(r.content)
    assert "建成15个党群服务示范点" in text  # 金安区's row is there …
    assert YUAN_TEXT not in text and "裕安区：" not in text  # … without 裕安区's progress
    city_text = xlsx_text(login(city.users["city_admin"]).get(reverse("work:export", args=[plan.pk])).content)
    assert f"2024.11.05 裕安区：{YUAN_TEXT}" in city_text


def docx_text(content: bytes) -> str:
    d = Document(io.BytesIO(content))
    cells = [cell.text for table in d.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def test_it_leaves_the_neighbours_report_out_of_the_quarter_review(city, plan, yuan_report, login):
    query = "?year=2024&quarter=4"
    c = login(city.users["county_admin"])
    html = c.get(reverse("work:review") + query).content.decode()
    assert "建成15个党群服务示范点" in html
    assert YUAN_TEXT not in html and YUAN_FILE not in html
    doc = docx_text(c.get(reverse("work:review_docx") + query).content)
    assert "建成15个党群服务示范点" in doc
    assert YUAN_TEXT not in doc and YUAN_FILE not in doc
    a = login(city.users["city_admin"])
    assert YUAN_TEXT in a.get(reverse("work:review") + query).content.decode()
    doc = docx_text(a.get(reverse("work:review_docx") + query).content)
    assert YUAN_TEXT in doc and YUAN_FILE in doc
