"""The import pages and the member export, including scope refusals."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zugong.core.models import AuditEvent, Person
from zugong.members.models import ImportJob, PartyMember
from zugong.members.tests.test_import import HEADERS, ident, person_row, xlsx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def upload(client, content, name="名册.xlsx"):
    return client.post(reverse("members:import"), {"file": SimpleUploadedFile(name, content), "kind": "members"})


def test_it_walks_upload_errors_good_rows_and_result(city, login):
    client = login(city.users["county_admin"])
    assert client.get(reverse("members:import")).status_code == 200
    resp = upload(client, xlsx([person_row(1), person_row(2, 身份证号="12345")]))
    job = ImportJob.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("members:import_result", args=[job.pk])
    page = client.get(resp.url).content.decode()
    assert "只导入无误的行" in page and "全部导入" not in page and "身份证号应为18位" in page and "行号" in page
    assert Person.objects.count() == 0
    errors = client.get(reverse("members:import_errors", args=[job.pk]))
    ws = load_workbook(io.BytesIO(errors.content)).active
    assert ws.cell(row=1, column=len(HEADERS) + 1).value == "错误说明"
    resp = client.post(reverse("members:import_result", args=[job.pk]), {"action": "good"})
    page = client.get(resp.url).content.decode()
    assert "导入完成" in page and PartyMember.objects.count() == 1


def test_it_offers_import_all_when_there_are_no_errors(city, login):
    client = login(city.users["branch_secretary"])
    resp = upload(client, xlsx([person_row(1)]))
    page = client.get(resp.url).content.decode()
    assert "全部导入" in page and "只导入无误的行" not in page
    client.post(resp.url, {"action": "all"}, REMOTE_ADDR="10.1.2.3")
    assert PartyMember.objects.count() == 1
    event = AuditEvent.objects.get(action="members.import")  # who, and from which address
    assert (event.actor, event.ip) == (city.users["branch_secretary"], "10.1.2.3")


def test_it_polls_progress_with_htmx_while_running(city, login):
    client = login(city.users["county_admin"])
    resp = upload(client, xlsx([person_row(1)]))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="validating", progress_done=5, progress_total=10)
    page = client.get(resp.url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in page and "<html" not in page


def test_it_cancels_without_writing(city, login):
    client = login(city.users["county_admin"])
    resp = upload(client, xlsx([person_row(1)]))
    client.post(resp.url, {"action": "cancel"})
    assert ImportJob.objects.get().status == "cancelled" and Person.objects.count() == 0
    # the upload and the cancel are writes of this user from this address, each audited
    events = AuditEvent.objects.filter(action__in=("members.import_uploaded", "members.import_cancelled")).order_by("id")
    assert [(e.action, e.actor, e.ip) for e in events] == [
        ("members.import_uploaded", city.users["county_admin"], "127.0.0.1"),
        ("members.import_cancelled", city.users["county_admin"], "127.0.0.1"),
    ]


def test_it_serves_the_template_with_headers_and_an_example(city, login):
    client = login(city.users["county_admin"])
    resp = client.get(reverse("members:import_template"))
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert ws.cell(row=1, column=1).value == "*姓名" and ws.cell(row=2, column=1).value == "张三"
    headers = [c.value for c in ws[1]]
    assert ws.cell(row=2, column=headers.index("籍贯") + 1).value == "六安市金安区（341502）"  # as the export writes it
    # the template's example row itself imports cleanly
    resp = upload(client, resp.content)
    assert ImportJob.objects.get().error_rows == 0


@pytest.mark.parametrize("who,status", [("leader", 403), ("outsider", 403)])
def test_it_refuses_import_to_leader_and_outsider(city, login, who, status):
    client = login(city.users[who])
    assert client.get(reverse("members:import")).status_code == status
    assert upload(client, xlsx([person_row(1)])).status_code == status
    assert client.get(reverse("members:import_template")).status_code == status


def test_it_redirects_anonymous_users_to_login(client, city):
    assert client.get(reverse("members:import")).status_code == 302
    assert client.get(reverse("members:export")).status_code == 302


def test_it_hides_jobs_from_other_users(city, login):
    client = login(city.users["county_admin"])
    upload(client, xlsx([person_row(1)]))
    job = ImportJob.objects.get()
    other = login(city.users["neighbour_admin"])
    assert other.get(reverse("members:import_result", args=[job.pk])).status_code == 404
    assert other.get(reverse("members:import_errors", args=[job.pk])).status_code == 404
    assert other.post(reverse("members:import_result", args=[job.pk]), {"action": "all"}).status_code == 404
    outsider = login(city.users["outsider"])
    assert outsider.get(reverse("members:import_result", args=[job.pk])).status_code in (403, 404)


def test_it_reports_neighbour_branches_as_out_of_scope(city, login):
    client = login(city.users["county_admin"])
    resp = upload(client, xlsx([person_row(1, 所在党支部="裕安区一村党支部")]))
    assert "所在党支部不在您的管理范围内" in client.get(resp.url).content.decode()


def _import(client, rows):
    resp = upload(client, xlsx(rows))
    client.post(resp.url, {"action": "all"})


def test_it_exports_sorted_masked_and_audited(city, login):
    admin = login(city.users["city_admin"])
    _import(admin, [person_row(1, 姓名="王五"), person_row(2, 姓名="丁一"), person_row(3, 姓名="@SUM(A1)")])
    secretary = login(city.users["branch_secretary"])
    resp = secretary.get(reverse("members:export"))
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("姓名", "性别", "民族", "出生年月", "身份证号")
    names = [r[0] for r in rows[1:]]
    assert names == ["丁一", "王五", "'@SUM(A1)"]  # 姓氏笔画: 丁 (2) before 王 (4); formula-like text escaped
    assert all("*" in r[4] for r in rows[1:])  # masked: the branch secretary may not see full numbers
    event = AuditEvent.objects.filter(action="members.export").latest("id")
    assert event.after["count"] == 3 and event.after["unmasked"] is False


def test_it_exports_full_numbers_to_admins_and_reimports_as_unchanged(city, login):
    admin = login(city.users["county_admin"])
    _import(admin, [person_row(1), person_row(2, 入党时间="2026.01.05", 转正时间="")])
    resp = admin.get(reverse("members:export"))
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert {r[4] for r in ws.iter_rows(min_row=2, values_only=True)} == {ident(1), ident(2)}
    assert AuditEvent.objects.filter(action="members.export").latest("id").after["unmasked"] is True
    upload(admin, resp.content, name="导出.xlsx")
    job = ImportJob.objects.latest("id")
    assert job.error_rows == 0 and job.unchanged_count == 2 and job.created_count == 0 and job.updated_count == 0


def test_it_filters_the_export_by_q_and_org(city, login):
    admin = login(city.users["city_admin"])
    _import(admin, [person_row(1, 姓名="李明"), person_row(2, 姓名="王芳", 性别="", 所在党支部="金安区二村党支部")])
    def names(params):
        ws = load_workbook(io.BytesIO(admin.get(reverse("members:export"), params).content)).active
        return [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert names({"q": "李"}) == ["李明"]
    assert names({"q": "wf"}) == ["王芳"]
    assert names({"q": ident(1)}) == ["李明"]
    assert names({"org": city.orgs["jinan_branch2"].pk}) == ["王芳"]
    neighbour = login(city.users["neighbour_admin"])
    assert neighbour.get(reverse("members:export"), {"org": city.orgs["jinan_branch2"].pk}).status_code == 404
    ws = load_workbook(io.BytesIO(neighbour.get(reverse("members:export")).content)).active
    assert ws.max_row == 1  # nothing of 金安区
    assert login(city.users["outsider"]).get(reverse("members:export")).status_code == 403


def test_it_accepts_dates_typed_in_many_forms(city, login):
    admin = login(city.users["county_admin"])
    forms = ["2005.07", "2005.7", "2005-07-01", "2005/7/1", "200507", "20050701", "2005年7月", "2005年7月1日", 38534, dt.date(2005, 7, 1)]
    rows = [person_row(i, 入党时间=f, 转正时间="2006.07.01") for i, f in enumerate(forms, start=1)]
    upload(admin, xlsx(rows))
    job = ImportJob.objects.get()
    assert job.error_rows == 0, job.errors
    assert job.created_count == len(forms)


def test_the_city_exports_a_shared_branch_name_with_its_superiors_and_reimports_it_unchanged(city, login):
    from zugong.core.testing import _node
    from zugong.orgs.models import OrgKind, PartyOrganization

    # a branch named like 金安区一村党支部 in the other county: the name alone is ambiguous city-wide
    twin = _node(PartyOrganization, city.orgs["yuan_town"], "金安区一村党支部", 3, kind=OrgKind.BRANCH,
                 unit=city.units["yuan_village"], term_years=5)  # fmt: skip
    admin = login(city.users["city_admin"])
    _import(admin, [person_row(1, 所在党支部="中共金安区一镇委员会/金安区一村党支部"),
                    person_row(2, 所在党支部="裕安区一镇/金安区一村党支部"),
                    person_row(3, 所在党支部="金安区二村党支部")])  # fmt: skip
    assert {m.person.name: m.org for m in PartyMember.objects.select_related("person", "org")} == {
        "张二1": city.orgs["jinan_branch"], "张三2": twin, "张四3": city.orgs["jinan_branch2"],
    }  # fmt: skip
    resp = admin.get(reverse("members:export"))
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert {r[0]: r[9] for r in ws.iter_rows(min_row=2, values_only=True)} == {
        "张二1": "中共金安区一镇委员会/金安区一村党支部",
        "张三2": "中共裕安区一镇委员会/金安区一村党支部",
        "张四3": "金安区二村党支部",  # unique: the name alone
    }  # fmt: skip
    upload(admin, resp.content, name="导出.xlsx")
    job = ImportJob.objects.latest("id")
    assert job.error_rows == 0 and job.unchanged_count == 3
    # the county sees one 金安区一村党支部 only: its export keeps the name alone
    county = login(city.users["county_admin"])
    ws = load_workbook(io.BytesIO(county.get(reverse("members:export")).content)).active
    assert {r[9] for r in ws.iter_rows(min_row=2, values_only=True)} == {"金安区一村党支部", "金安区二村党支部"}
    # the city's template names its example branch so that it imports
    admin = login(city.users["city_admin"])
    template = admin.get(reverse("members:import_template")).content
    assert load_workbook(io.BytesIO(template)).active.cell(row=2, column=10).value == "中共金安区一镇委员会/金安区一村党支部"
    upload(admin, template)
    assert ImportJob.objects.latest("id").error_rows == 0


def test_an_export_past_excels_row_limit_is_refused_with_a_message(city, login, monkeypatch):
    from zugong.core import xlsx

    admin = login(city.users["county_admin"])
    _import(admin, [person_row(1), person_row(2)])
    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)
    resp = admin.get(reverse("members:export"), HTTP_REFERER="http://testserver" + reverse("members:list"), follow=True)
    assert resp.redirect_chain[-1][0] == "http://testserver" + reverse("members:list")
    assert "超过Excel一张工作表的最大行数" in resp.content.decode()
