"""Cadre roster import and export."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zugong.cadres.models import Appointment, Cadre, CadreRank, Post
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent, Person
from zugong.core.rules import make_id_number
from zugong.core.scope import scope_for
from zugong.core.testing import in_thread, lock_waiters, test_id_number, wait_until
from zugong.members import services
from zugong.members.models import ImportJob, PartyMember
from zugong.orgs.tests.people import make_member, make_person

TODAY = dt.date(2026, 11, 22)
HEADERS = ["姓名", "性别", "民族", "出生年月", "身份证号", "学历", "工作单位", "现任职务", "职务级别", "任职时间", "任职文号",
           "职级", "任现职级时间", "职级文号", "管理权限", "是否中共党员"]


def ident(n):
    return make_id_number("341502", dt.date(1975, 3, 9), 2 * n + 1)


def row(n, **over):
    r = {"姓名": f"李{n}", "性别": "男", "民族": "汉族", "出生年月": "1975.03", "身份证号": ident(n), "学历": "大学本科",
         "工作单位": "金安区一镇", "现任职务": "镇长", "职务级别": "乡科级正职", "任职时间": "2021.06",
         "任职文号": "金组〔2021〕3号", "职级": "", "任现职级时间": "", "职级文号": "", "管理权限": "县管", "是否中共党员": "是"}  # fmt: skip
    r.update(over)
    return r


def xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append([r[h] for h in HEADERS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(city, content, user="county_admin", commit=True):
    u = city.users[user]
    scope, actor = scope_for(u), Actor(user=u)
    job = services.import_job_create(actor=actor, scope=scope, kind="cadres", filename="干部.xlsx", content=content)
    prepared = services.import_job_validate(job=job, scope=scope, today=TODAY)
    if commit:
        services.import_job_commit(job=job, actor=actor, scope=scope, today=TODAY)
    job.refresh_from_db()
    return job, prepared


def test_it_refuses_a_party_post_for_a_cadre_who_is_not_a_party_member(city):
    job, prepared = run(city, xlsx([row(1, 现任职务="党委副书记", 职务级别="乡科级副职", 是否中共党员="否"),
                                    row(2, 现任职务="副镇长", 职务级别="乡科级副职", 是否中共党员="否")]), commit=False)  # fmt: skip
    assert [(e[0], e[1]) for e in prepared.errors] == [(2, "是否中共党员")]
    assert "现任职务“党委副书记”是党内职务，非中共党员不能担任" in prepared.errors[0][3]


def test_it_keeps_a_non_member_out_of_party_posts_when_the_row_leaves_the_flag_out_or_keeps_a_concurrent_one(city):
    job, _ = run(city, xlsx([row(3, 现任职务="副镇长", 职务级别="乡科级副职", 是否中共党员="否")]))
    assert job.status == "done" and not Cadre.objects.get(person__name="李3").is_party_member
    _, prepared = run(city, xlsx([row(3, 现任职务="党委书记", 是否中共党员="")]), commit=False)
    assert [(e[0], e[1]) for e in prepared.errors] == [(2, "现任职务")] and "不是中共党员" in prepared.errors[0][3]
    member = run(city, xlsx([row(4, 现任职务="镇长")]))[0]
    assert member.status == "done"
    cadre = Cadre.objects.get(person__name="李4")
    deputy = Post.objects.create(unit=city.units["jinan_town"], title="党委副书记", post_level="42")
    Appointment.objects.create(cadre=cadre, post=deputy, start=dt.date(2021, 6, 1), is_concurrent=True)
    _, prepared = run(city, xlsx([row(4, 现任职务="镇长", 是否中共党员="否")]), commit=False)
    assert [(e[0], e[1]) for e in prepared.errors] == [(2, "是否中共党员")] and "兼任党内职务“党委副书记”" in prepared.errors[0][3]


@pytest.mark.parametrize("typed", ["否", "群众", "非党员", "N", ""])
def test_the_refusal_of_a_kept_party_post_shows_the_party_cell_as_typed(city, typed):
    run(city, xlsx([row(5, 现任职务="镇长")]))
    cadre = Cadre.objects.get(person__name="李5")
    deputy = Post.objects.create(unit=city.units["jinan_town"], title="党委副书记", post_level="42")
    Appointment.objects.create(cadre=cadre, post=deputy, start=dt.date(2021, 6, 1), is_concurrent=True)
    if not typed:  # an empty cell leaves the flag as recorded: a cadre recorded as not a member
        Cadre.objects.filter(pk=cadre.pk).update(is_party_member=False)
    _, prepared = run(city, xlsx([row(5, 现任职务="镇长", 是否中共党员=typed)]), commit=False)
    [(line, column, value, reason)] = prepared.errors
    assert (line, column, value) == (2, "是否中共党员", typed) and "兼任党内职务“党委副书记”" in reason


@pytest.mark.parametrize("typed", ["群众", "N", "Nope"])
def test_the_refusal_of_a_party_post_or_of_an_unknown_party_value_shows_the_cell_as_typed(city, typed):
    content = xlsx([row(6, 现任职务="党委副书记", 职务级别="乡科级副职", 是否中共党员=typed)])
    _, prepared = run(city, content, commit=False)
    [(line, column, value, reason)] = prepared.errors
    assert (line, column, value) == (2, "是否中共党员", typed)
    assert ("应填是或否" if typed == "Nope" else "是党内职务，非中共党员不能担任") in reason


def test_it_imports_cadres_with_post_and_appointment(city):
    job, _ = run(city, xlsx([row(1), row(2, 现任职务="副镇长", 职务级别="乡科级副职")]))
    assert job.status == "done" and job.created_count == 2
    c = Cadre.objects.get(person__name="李1")
    assert c.management_level == "county" and c.post_level == "41" and c.unit == city.units["jinan_town"] and c.is_party_member
    a = Appointment.objects.get(cadre=c)
    assert (a.post.title, a.start, a.document_no, a.end) == ("镇长", dt.date(2021, 6, 1), "金组〔2021〕3号", None)
    assert Post.objects.filter(unit=city.units["jinan_town"]).count() == 2
    assert AuditEvent.objects.filter(action="cadres.import").count() == 1
    assert AuditEvent.objects.filter(action="cadres.import_uploaded", object_id=str(job.pk)).count() == 1


def test_a_cancelled_cadre_roster_is_audited_under_its_kind(city):
    job, _ = run(city, xlsx([row(1)]), commit=False)
    services.import_job_cancel(job=job, actor=Actor(user=city.users["county_admin"]))
    assert AuditEvent.objects.filter(action="cadres.import_cancelled", object_id=str(job.pk)).count() == 1
    assert not Cadre.objects.exists()


def test_it_reimports_as_unchanged_and_records_a_new_post(city):
    run(city, xlsx([row(1)]))
    job, _ = run(city, xlsx([row(1)]))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 1)
    job, _ = run(city, xlsx([row(1, 现任职务="镇党委书记", 任职时间="2024.01", 任职文号="金组〔2024〕1号")]))
    assert job.updated_count == 1
    appts = list(Appointment.objects.order_by("start"))
    assert [(a.post.title, a.end) for a in appts] == [("镇长", dt.date(2024, 1, 1)), ("镇党委书记", None)]


def test_it_validates_cadre_rows(city):
    _, p = run(city, xlsx([
        row(1, 工作单位="裕安区一镇"), row(2, 职务级别="大官"), row(3, 管理权限="市管"), row(4, 任职时间="2030.01"),
        row(5, 身份证号="34150219750309001"),
    ]), commit=False)  # fmt: skip
    got = {(e[0], e[1]): e[3] for e in p.errors}
    assert got[(2, "工作单位")] == "工作单位不在您的管理范围内"
    assert "职务级别" in got[(3, "职务级别")]
    assert got[(4, "管理权限")] == "市管干部由市委组织部导入"
    assert got[(5, "任职时间")] == "任职时间晚于今天"
    assert got[(6, "身份证号")] == "身份证号应为18位，实为17位"


def test_it_refuses_the_branch_secretary_and_the_leader(city):
    from django.core.exceptions import PermissionDenied

    for who in ("branch_secretary", "leader", "outsider"):
        with pytest.raises(PermissionDenied):
            run(city, xlsx([row(1)]), user=who)


def test_it_exports_cadres_scoped_and_masked(city, login):
    run(city, xlsx([row(1), row(2, 姓名="丁二")]))
    client = login(city.users["county_admin"])
    ws = load_workbook(io.BytesIO(client.get(reverse("cadres:export")).content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADERS)
    assert [r[0] for r in rows[1:]] == ["丁二", "李1"] and rows[1][4] == ident(2) and rows[1][7] == "镇长"
    assert AuditEvent.objects.filter(action="cadres.export").latest("id").after["unmasked"] is True
    # the exported file re-imports as unchanged
    job, _ = run(city, client.get(reverse("cadres:export")).content)
    assert job.unchanged_count == 2 and job.error_rows == 0
    neighbour = login(city.users["neighbour_admin"])
    ws = load_workbook(io.BytesIO(neighbour.get(reverse("cadres:export")).content)).active
    assert ws.max_row == 1
    assert neighbour.get(reverse("cadres:export"), {"unit": city.units["jinan"].pk}).status_code == 404
    assert login(city.users["outsider"]).get(reverse("cadres:export")).status_code == 403


def test_it_imports_cadres_through_the_page(city, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(city.users["county_admin"])
    resp = client.post(reverse("members:import"), {"kind": "cadres", "file": SimpleUploadedFile("干部.xlsx", xlsx([row(1)]))})
    client.post(resp.url, {"action": "all"})
    assert ImportJob.objects.get().status == "done" and Cadre.objects.count() == 1
    tpl = client.get(reverse("members:import_template"), {"kind": "cadres"})
    header, example = list(load_workbook(io.BytesIO(tpl.content)).active.iter_rows(values_only=True))[:2]
    assert header[6] == "*工作单位" and len(example) == len(header)
    filled = dict(zip(header, example, strict=True))  # the example sits under its own headers
    assert (filled["职级文号"], filled["*管理权限"], filled["是否中共党员"]) == ("六组干〔2022〕5号", "县管", "是")


def test_it_leaves_a_member_of_another_county_alone_and_names_no_unit(city):
    member = make_person("王五", 3, birth=dt.date(1975, 3, 9))  # a 金安区 member, not a cadre
    make_member(member, city.orgs["jinan_branch"], joined=dt.date(2000, 7, 1))
    number = test_id_number(3, birth=dt.date(1975, 3, 9))
    _, prepared = run(city, xlsx([row(9, 姓名="王五改", 身份证号=number, 工作单位="裕安区一镇")]), user="neighbour_admin",
                      commit=False)  # fmt: skip
    assert [(e[1], e[3]) for e in prepared.errors] == [("身份证号", "该身份证号的人员不在您的管理范围内")]
    assert Person.objects.get(pk=member.pk).name == "王五" and not Cadre.objects.filter(person=member).exists()


CITY_CADRE_REASON = "市管干部由市委组织部管理，不能通过县区名册导入修改"


def test_a_county_admin_may_not_turn_a_city_cadre_into_a_county_cadre(city):
    run(city, xlsx([row(1, 管理权限="市管")]), user="city_admin")
    cadre = Cadre.objects.get(person__name="李1")
    assert cadre.management_level == "city"
    job, p = run(city, xlsx([row(1, 管理权限="县管", 姓名="李一")]), commit=False)
    assert [(e[0], e[1], e[3]) for e in p.errors] == [(2, "身份证号", CITY_CADRE_REASON)]
    assert job.error_rows == 1 and p.counts["update"] == 0
    from zugong.members.services import ImportRefused

    with pytest.raises(ImportRefused):
        services.import_job_commit(job=job, actor=Actor(user=city.users["county_admin"]), scope=scope_for(city.users["county_admin"]),
                                   today=TODAY)  # fmt: skip
    cadre.refresh_from_db()
    assert cadre.management_level == "city" and cadre.person.name == "李1"
    # a row equal to the city cadre on file writes nothing: unchanged, so the county's export imports back
    job, p = run(city, xlsx([row(1, 管理权限="市管")]), commit=False)
    assert p.error_count == 0 and p.counts["unchanged"] == 1
    _, p = run(city, xlsx([row(1, 管理权限="市管", 任职文号="金组〔2021〕9号")]), commit=False)  # a change: refused
    assert [(e[0], e[1], e[3]) for e in p.errors] == [(2, "身份证号", CITY_CADRE_REASON)]
    # the city administrator may change it
    job, _ = run(city, xlsx([row(1, 管理权限="县管")]), user="city_admin")
    assert job.updated_count == 1 and Cadre.objects.get(pk=cadre.pk).management_level == "county"


def test_a_countys_export_with_its_city_cadres_imports_back_unchanged(city, login):
    run(city, xlsx([row(1, 管理权限="市管", 现任职务="区长")]), user="city_admin")
    run(city, xlsx([row(2)]))
    exported = login(city.users["county_admin"]).get(reverse("cadres:export")).content
    assert [r[HEADERS.index("管理权限")] for r in load_workbook(io.BytesIO(exported)).active.iter_rows(min_row=2, values_only=True)] == ["市管", "县管"]
    job, _ = run(city, exported)
    assert (job.status, job.error_rows, job.unchanged_count, job.updated_count) == ("done", 0, 2, 0)


def test_a_county_admin_may_not_make_a_county_cadre_city_managed(city):
    run(city, xlsx([row(1)]))
    _, p = run(city, xlsx([row(1, 管理权限="市管")]), commit=False)
    assert [(e[0], e[1], e[2], e[3]) for e in p.errors] == [(2, "管理权限", "市管", "市管干部由市委组织部导入")]
    assert Cadre.objects.get().management_level == "county"


def test_a_county_admin_may_not_create_a_city_cadre(city):
    job, p = run(city, xlsx([row(1), row(2, 管理权限="市管干部")]), commit=False)
    assert [(e[0], e[1], e[2]) for e in p.errors] == [(3, "管理权限", "市管干部")]
    assert "市委组织部" in p.errors[0][3]
    services.import_job_commit(job=job, actor=Actor(user=city.users["county_admin"]), scope=scope_for(city.users["county_admin"]),
                               good_rows_only=True, today=TODAY)  # fmt: skip
    assert list(Cadre.objects.values_list("person__name", "management_level")) == [("李1", "county")]


def test_a_county_admin_may_not_import_a_county_cadre_into_a_city_team_post(city):
    from zugong.cadres.models import LeadershipTeam

    team = LeadershipTeam.objects.create(unit=city.units["jinan"], name="金安区委领导班子", management_level="city")
    post = Post.objects.create(unit=city.units["jinan"], team=team, title="区委常委、组织部部长", post_level="32")
    _, p = run(city, xlsx([row(1, 工作单位="金安区", 现任职务="区委常委、组织部部长", 职务级别="县处级副职")]), commit=False)
    assert [(e[0], e[1]) for e in p.errors] == [(2, "现任职务")] and "金安区委领导班子" in p.errors[0][3]
    assert not Appointment.objects.filter(post=post).exists()
    # nor end such a post by importing another one for its (县管) holder
    run(city, xlsx([row(1)]))
    cadre = Cadre.objects.get(person__name="李1")
    Appointment.objects.filter(cadre=cadre).delete()
    held = Appointment.objects.create(cadre=cadre, post=post, start=dt.date(2022, 1, 1), document_no="六组干〔2022〕1号")
    _, p = run(city, xlsx([row(1, 任职时间="2024.01")]), commit=False)
    assert [(e[0], e[1]) for e in p.errors] == [(2, "现任职务")] and "金安区委领导班子" in p.errors[0][3]
    assert Appointment.objects.get(pk=held.pk).end is None
    # the city administrator may
    job, _ = run(city, xlsx([row(1, 任职时间="2024.01")]), user="city_admin")
    assert job.updated_count == 1 and Appointment.objects.get(pk=held.pk).end == dt.date(2024, 1, 1)


# --------------------------------------------------------------------------- a commit racing a change of the city


def _county_commit(city, job, **kw):
    u = city.users["county_admin"]
    return services.import_job_commit(job=job, actor=Actor(user=u), scope=scope_for(u), today=TODAY, **kw)


def test_a_commit_refuses_a_cadre_the_city_changed_since_the_validation_and_records_why(city):
    """The commit validates again, in its transaction: a refusal there rolls back, and the job keeps
    the errors found then (not those of the validation), its message and the failed import's event."""
    run(city, xlsx([row(1), row(2)]))
    job, p = run(
        city, xlsx([row(1, 任职文号="金组〔2021〕9号"), row(2, 任职文号="金组〔2021〕9号")]), commit=False
    )
    assert (p.error_count, p.counts["update"]) == (0, 2)
    # the city makes 李1 市管 meanwhile
    run(city, xlsx([row(1, 管理权限="市管", 姓名="李一")]), user="city_admin")
    from zugong.members.services import ImportRefused

    with pytest.raises(ImportRefused, match="有1行有误，未导入任何数据"):
        _county_commit(city, job)
    job.refresh_from_db()
    assert (job.status, job.error_rows, job.message) == ("validated", 1, "有1行有误，未导入任何数据")
    assert [(e[0], e[1], e[3]) for e in job.errors] == [(2, "身份证号", CITY_CADRE_REASON)]
    assert ident(1) not in str(job.errors)
    failed = AuditEvent.objects.filter(action="cadres.import_failed", object_id=str(job.pk)).latest("id")
    assert failed.after["status"] == "validated"
    # no event of an import: the county's first import and the city's only
    assert AuditEvent.objects.filter(action="cadres.import").count() == 2
    assert set(Appointment.objects.values_list("document_no", flat=True)) == {"金组〔2021〕3号"}
    assert Cadre.objects.get(person__name="李一").management_level == "city"
    # with only the good rows: 李2 is written, 李1 left as the city made it
    ImportJob.objects.filter(pk=job.pk).update(status="validated")
    _county_commit(city, job, good_rows_only=True)
    job.refresh_from_db()
    assert (job.status, job.updated_count, job.error_rows) == ("done", 1, 1)
    assert Appointment.objects.get(cadre__person__name="李2").document_no == "金组〔2021〕9号"
    assert Appointment.objects.get(cadre__person__name="李一").document_no == "金组〔2021〕3号"


def test_the_page_sees_the_progress_of_a_cadre_commit_while_its_transaction_runs(city, monkeypatch):
    """The commit validates inside its transaction, so its progress goes to the note beside the file
    (as the member import's), not to the job's row, which no other connection sees until the commit."""
    from zugong.members.tests.progress import watch_commit_progress

    seen = watch_commit_progress(monkeypatch)
    job, _ = run(city, xlsx([row(1), row(2)]))
    assert job.status == "done" and job.created_count == 2
    assert seen == [("importing", 2, 2, "已全部校验，正在保存更改并提交…")]
    assert not services._progress_note_path(job).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_city_change_made_while_a_county_commit_decides_waits_for_it_and_is_not_overwritten(
    city, monkeypatch
):
    """The race this guards: the county's commit validated a row of a 县管 cadre, then the city made
    that cadre 市管 and committed, then the county's stale row overwrote it. Now the commit decides in
    its write transaction, with the rows it reads locked: the city's import (on another connection)
    started just after the county's decision waits for the county's commit (PostgreSQL: for the row
    lock; SQLite: for the write lock, which the test database's shared cache refuses at once rather
    than wait, hence the retries), then sees the county's change and makes the cadre 市管."""
    import threading
    import time

    from django.db import OperationalError

    from zugong.cadres.services import roster_import
    from zugong.core.models import Role

    run(city, xlsx([row(1)]))
    job, p = run(city, xlsx([row(1, 任职文号="金组〔2021〕9号")]), commit=False)
    assert p.counts["update"] == 1
    refused_at_once = threading.Event()

    def city_import():
        for _ in range(500):
            try:
                return run(city, xlsx([row(1, 管理权限="市管", 姓名="李一")]), user="city_admin")[0].status
            except OperationalError:  # SQLite's shared cache: locked by the county's transaction
                refused_at_once.set()
                time.sleep(0.02)
        return "gave up"

    real, city_side = roster_import._classify, []

    def classify(prepared, scope, **kw):
        real(prepared, scope, **kw)
        if scope.role == Role.COUNTY_ADMIN and not city_side:
            # the county's commit has decided on its rows: now the city acts
            city_side.extend(in_thread(city_import))
            wait_until(lambda: not city_side[0].is_alive() or refused_at_once.is_set() or lock_waiters())
            city_side.append(city_side[0].is_alive())  # whether the city had to wait for the county

    monkeypatch.setattr(roster_import, "_classify", classify)
    done = _county_commit(city, job)
    thread, out, waited = city_side
    thread.join(30)
    assert out == ["done"] and (done.status, done.updated_count) == ("done", 1)
    cadre = Cadre.objects.select_related("person").get()
    # the city's change, made last, stands
    assert (cadre.management_level, cadre.person.name) == ("city", "李一")
    assert waited, "the city's import did not wait for the county's commit"
    assert Appointment.objects.get(end__isnull=True).document_no == "金组〔2021〕3号"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_county_commit_waits_for_a_city_change_in_progress_and_decides_on_it(city, monkeypatch):
    """PostgreSQL (on SQLite the write lock of the city's transaction keeps the county's from starting):
    the city's import has written 李1 as 市管 but not committed yet; the county's commit, which validated
    李1 as 县管 earlier, waits for the city's rows (SELECT … FOR UPDATE) instead of reading the version
    before them, and refuses the row on what the city committed, instead of overwriting it."""
    import threading

    from django.db import connection

    from zugong.cadres import services as cadre_services
    from zugong.core.models import Role

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has one write lock")
    run(city, xlsx([row(1)]))
    job, p = run(city, xlsx([row(1, 任职文号="金组〔2021〕9号")]), commit=False)
    assert p.counts["update"] == 1
    city_wrote, release = threading.Event(), threading.Event()
    real = cadre_services.write_cadres

    def write(prepared, *, scope, **kw):
        counts = real(prepared, scope=scope, **kw)
        if scope.role == Role.CITY_ADMIN:  # the city's rows written, its transaction still open
            city_wrote.set()
            assert release.wait(30)
        return counts

    monkeypatch.setattr(cadre_services, "write_cadres", write)  # as services.roster_kind finds it
    city_thread, city_out = in_thread(
        lambda: run(city, xlsx([row(1, 管理权限="市管", 姓名="李一")]), user="city_admin")[0].status
    )
    assert city_wrote.wait(30)
    county_thread, county_out = in_thread(lambda: _county_commit(city, job))
    wait_until(lambda: lock_waiters() or not county_thread.is_alive())
    assert county_thread.is_alive(), "the county's commit did not wait for the city's rows"
    release.set()
    city_thread.join(30)
    county_thread.join(30)
    assert city_out == ["done"]
    [refused] = county_out
    assert isinstance(refused, services.ImportRefused) and "有1行有误，未导入任何数据" in str(refused)
    job.refresh_from_db()
    assert job.status == "validated" and [(e[0], e[3]) for e in job.errors] == [(2, CITY_CADRE_REASON)]
    cadre = Cadre.objects.select_related("person").get()
    assert (cadre.management_level, cadre.person.name) == ("city", "李一")
    assert Appointment.objects.get(end__isnull=True).document_no == "金组〔2021〕3号"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_county_commit_and_a_party_members_leave_lock_in_one_order_and_do_not_deadlock(city, monkeypatch):
    """PostgreSQL: 党员减少 locks the PartyMember, then the cadre; the commit locks Person, PartyMember,
    Cadre. The leave holds its member while the commit comes to lock it: the commit waits, the leave
    goes on to the cadre and ends, then the commit ends too. With Cadre before PartyMember in the commit
    one of them died with "deadlock detected" (found by review)."""
    import time

    from django.db import connection, transaction

    from zugong.cadres.services import roster_import
    from zugong.members import changes
    from zugong.members.roster import read_sheet

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite has one write lock)")
    run(city, xlsx([row(1)]))  # 李1: a 县管 cadre, 中共党员
    person = Person.objects.get(name="李1")
    member = make_member(person, city.orgs["jinan_branch"], joined=dt.date(2000, 1, 1))
    user = city.users["county_admin"]
    scope = scope_for(user)
    real_check = changes._check

    def check_once_the_commit_waits(*args, **kw):  # the leave holds the member row: let the commit come to it
        wait_until(lambda: lock_waiters() > 0)
        return real_check(*args, **kw)

    monkeypatch.setattr(changes, "_check", check_once_the_commit_waits)

    def leave():
        with transaction.atomic():
            return changes.member_leave(actor=Actor(user=user), scope=scope, member=member, on=TODAY - dt.timedelta(days=1),
                                        reason="death", today=TODAY)  # fmt: skip

    thread, out = in_thread(leave)
    time.sleep(0.3)
    rows = read_sheet(xlsx([row(1, 任职文号="金组〔2021〕9号")]))
    with transaction.atomic():
        roster_import.prepare_cadres(rows, scope, today=TODAY, lock=True)
    thread.join(30)
    assert len(out) == 1 and not isinstance(out[0], BaseException), out
    assert PartyMember.objects.get(pk=member.pk).left_reason == "death"
    assert not Cadre.objects.get(person=person).is_party_member


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_imports_at_once_that_name_a_new_post_create_it_once(city, monkeypatch):
    """PostgreSQL (on SQLite each commit's BEGIN IMMEDIATE holds the one write lock: the second import
    cannot start writing before the first ends). Two county imports of different cadres to a 职务 the
    unit does not have yet: the first has created the post, not committed; the second waits for the
    post's title (``career.hold_post_titles``) and then takes that post. Without the lock each import
    created its own 金安区一镇 副镇长 (no constraint: several posts of one title are legitimate seats)."""
    import threading

    from django.db import connection

    from zugong.cadres import services as cadre_services

    if connection.vendor != "postgresql":
        pytest.skip("a second writer waits only on PostgreSQL; SQLite's write lock serialises the imports")
    first_wrote, release, calls = threading.Event(), threading.Event(), []
    real = cadre_services.write_cadres

    def write(prepared, **kw):
        counts = real(prepared, **kw)
        calls.append(prepared.records[0].row)
        if len(calls) == 1:  # the first import's rows are written, its transaction still open
            first_wrote.set()
            assert release.wait(30)
        return counts

    monkeypatch.setattr(cadre_services, "write_cadres", write)  # as services.roster_kind finds it
    first, first_out = in_thread(lambda: run(city, xlsx([row(1, 现任职务="副镇长", 职务级别="乡科级副职")]))[0].status)
    assert first_wrote.wait(30)
    second, second_out = in_thread(lambda: run(city, xlsx([row(2, 现任职务="副镇长", 职务级别="乡科级副职")]))[0].status)
    wait_until(lambda: lock_waiters() or not second.is_alive())
    waited = second.is_alive()
    release.set()
    first.join(30)
    second.join(30)
    assert first_out == second_out == ["done"]
    [post] = Post.objects.filter(unit=city.units["jinan_town"], title="副镇长")
    assert sorted(Appointment.objects.filter(post=post).values_list("cadre__person__name", flat=True)) == ["李1", "李2"]
    assert waited, "the second import did not wait for the first one's post"


# ------------------------------------------------------------------------------------------------
# 职级 (CadreRank): a rank only, or beside a post
# ------------------------------------------------------------------------------------------------
def rank_row(n, rank="四级主任科员", start="2021.03", **over):
    """A row of a cadre with a 职级 and no post: 现任职务, 任职时间 and 任职文号 empty."""
    return row(n, **{"现任职务": "", "任职时间": "", "任职文号": "", "职务级别": "乡科级副职", "职级": rank, "任现职级时间": start, **over})


def test_it_imports_a_cadre_with_a_rank_only_and_reads_it_back_unchanged(city):
    job, prepared = run(city, xlsx([rank_row(1), row(2, 职级="一级主任科员", 任现职级时间="2022.01.15")]))
    assert (prepared.errors, job.status, job.created_count) == ([], "done", 2)
    only = Cadre.objects.get(person__name="李1")
    assert (only.unit, only.post_level) == (city.units["jinan_town"], "42")
    assert not Appointment.objects.filter(cadre=only).exists() and not Post.objects.filter(title="四级主任科员").exists()
    assert list(CadreRank.objects.filter(cadre=only).values_list("rank", "start", "end")) == [("10", dt.date(2021, 3, 1), None)]
    both = Cadre.objects.get(person__name="李2")
    assert Appointment.objects.get(cadre=both).post.title == "镇长"
    assert list(CadreRank.objects.filter(cadre=both).values_list("rank", "start")) == [("07", dt.date(2022, 1, 15))]
    job, _ = run(city, xlsx([rank_row(1), row(2, 职级="一级主任科员", 任现职级时间="2022.01.15")]))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
    # a row without a 职级 leaves the rank on file: a roster does not take a rank away
    job, _ = run(city, xlsx([row(2)]))
    assert job.unchanged_count == 1 and CadreRank.objects.filter(cadre=both, end__isnull=True).count() == 1


def test_a_new_rank_ends_the_running_one_and_a_changed_date_corrects_it(city):
    run(city, xlsx([rank_row(1, "四级主任科员", "2019.06")]))
    job, _ = run(city, xlsx([rank_row(1, "三级主任科员", "2021.06")]))
    assert job.updated_count == 1
    cadre = Cadre.objects.get(person__name="李1")
    assert list(CadreRank.objects.filter(cadre=cadre).order_by("start").values_list("rank", "start", "end")) == [
        ("10", dt.date(2019, 6, 1), dt.date(2021, 6, 1)), ("09", dt.date(2021, 6, 1), None)]
    job, _ = run(city, xlsx([rank_row(1, "三级主任科员", "2021.09")]))  # the same rank, another date: corrected
    assert job.updated_count == 1
    assert list(CadreRank.objects.filter(cadre=cadre).order_by("start").values_list("rank", "start", "end")) == [
        ("10", dt.date(2019, 6, 1), dt.date(2021, 9, 1)), ("09", dt.date(2021, 9, 1), None)]
    _, prepared = run(city, xlsx([rank_row(1, "二级主任科员", "2021.09")]), commit=False)
    assert [(e[0], e[1], e[3]) for e in prepared.errors] == [(2, "任现职级时间", "现任职级三级主任科员自2021.09.01起，任现职级时间应晚于该日")]
    _, prepared = run(city, xlsx([rank_row(1, "三级主任科员", "2019.01")]), commit=False)
    assert [(e[0], e[1], e[3]) for e in prepared.errors] == [(2, "任现职级时间", "此前职级四级主任科员自2019.06.01起，任现职级时间应晚于该日")]


def test_the_rank_document_number_is_written_corrected_exported_and_read_back(city, login):
    job, _ = run(city, xlsx([rank_row(1, "四级主任科员", "2019.06", 职级文号="金组〔2019〕7号")]))
    cadre = Cadre.objects.get(person__name="李1")
    assert list(CadreRank.objects.filter(cadre=cadre).values_list("rank", "document_no")) == [("10", "金组〔2019〕7号")]
    # a promotion with its own 文号; the running rank's 文号 corrected by a later row; an empty cell keeps it
    run(city, xlsx([rank_row(1, "三级主任科员", "2021.06", 职级文号="金组〔2021〕2号")]))
    job, _ = run(city, xlsx([rank_row(1, "三级主任科员", "2021.06", 职级文号="金组〔2021〕12号")]))
    assert job.updated_count == 1
    job, _ = run(city, xlsx([rank_row(1, "三级主任科员", "2021.06")]))
    assert job.unchanged_count == 1
    assert list(CadreRank.objects.filter(cadre=cadre).order_by("start").values_list("rank", "start", "end", "document_no")) == [
        ("10", dt.date(2019, 6, 1), dt.date(2021, 6, 1), "金组〔2019〕7号"), ("09", dt.date(2021, 6, 1), None, "金组〔2021〕12号")]
    client = login(city.users["county_admin"])
    content = client.get(reverse("cadres:export")).content
    ws = load_workbook(io.BytesIO(content)).active
    header, first = list(ws.iter_rows(values_only=True))[:2]
    assert first[header.index("职级文号")] == "金组〔2021〕12号"
    job, _ = run(city, content)
    assert job.unchanged_count == 1 and job.error_rows == 0


def test_it_refuses_bad_rank_cells_naming_row_and_column(city):
    _, p = run(city, xlsx([
        rank_row(1, rank="三级科长"), rank_row(2, start=""), row(3, 任现职级时间="2021.03"),
        rank_row(4, 任职时间="2021.06"), rank_row(5, start="2030.01"), row(6, 现任职务=""), row(7, 职级文号="金组〔2021〕2号"),
    ]), commit=False)  # fmt: skip
    got = {(e[0], e[1]): e[3] for e in p.errors}
    assert got == {
        (2, "职级"): "未知的职级“三级科长”（应为一级巡视员至二级科员十二个职级之一，如二级调研员、一级主任科员）",
        (3, "任现职级时间"): "填写了职级，任现职级时间不能为空",
        (4, "任现职级时间"): "填写了任现职级时间，请同时填写职级",
        (5, "任职时间"): "未填现任职务，任职时间应为空（职级的时间填在任现职级时间）",
        (6, "任现职级时间"): "任现职级时间晚于今天",
        (7, "现任职务"): "现任职务不能为空（只任职级、不任职务的干部请填写职级）",
        (8, "职级文号"): "填写了职级文号，请同时填写职级",
    }


def test_a_rank_only_row_does_not_remove_a_post_on_file(city):
    run(city, xlsx([row(1)]))
    _, prepared = run(city, xlsx([rank_row(1)]), commit=False)
    assert [(e[0], e[1], e[3]) for e in prepared.errors] == [
        (2, "现任职务", "现任职务为空，但该干部现任金安区一镇镇长：请填写现任职务，免职请在领导班子或干部信息页办理")]


def test_a_rank_promotion_inside_a_waiting_period_is_refused(city):
    from zugong.cadres.models import AdjustmentCase

    run(city, xlsx([rank_row(1, "三级主任科员", "2019.06")]))
    cadre = Cadre.objects.get(person__name="李1")
    AdjustmentCase.objects.create(cadre=cadre, measure="demote", motion_on=dt.date(2025, 5, 1), effective_on=dt.date(2025, 6, 1))
    _, prepared = run(city, xlsx([rank_row(1, "二级主任科员", "2026.01")]), commit=False)
    [(line, column, _, reason)] = prepared.errors
    assert (line, column) == (2, "任现职级时间") and "降职" in reason


def test_a_row_without_post_or_rank_updates_a_cadre_on_file_who_holds_neither(city):
    """免职 without a new post (or a retired predecessor of the demo): the roster writes such a cadre with
    both cells empty, and its own row comes back; a new cadre still needs a post or a rank."""
    run(city, xlsx([row(1)]))
    cadre = Cadre.objects.get(person__name="李1")
    Appointment.objects.filter(cadre=cadre).update(end=dt.date(2025, 1, 1))
    job, prepared = run(city, xlsx([row(1, 现任职务="", 任职时间="", 任职文号="", 民族="回族"), row(2, 现任职务="", 任职时间="", 任职文号="")]), commit=False)
    assert [(e[0], e[1], e[3]) for e in prepared.errors] == [(3, "现任职务", "现任职务不能为空（只任职级、不任职务的干部请填写职级）")]
    assert prepared.counts["update"] == 1
    job, _ = run(city, xlsx([row(1, 现任职务="", 任职时间="", 任职文号="", 民族="回族")]))
    assert (job.status, job.updated_count) == ("done", 1)
    assert cadre.person.__class__.objects.get(pk=cadre.person_id).ethnicity == "03"
    assert not Appointment.objects.filter(cadre=cadre, end__isnull=True).exists() and not CadreRank.objects.filter(cadre=cadre).exists()
