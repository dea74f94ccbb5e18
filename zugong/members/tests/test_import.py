"""Member roster import: validation reasons at their boundaries, all-or-nothing, re-import, transfer, files."""

import datetime as dt
import io
import os
import time

import pytest
from openpyxl import Workbook, load_workbook

from zugong.core import jobs
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent, Person
from zugong.core.rules import make_id_number
from zugong.core.scope import scope_for
from zugong.core.testing import hold_back_job_threads, run_held_thread
from zugong.members import importer, services
from zugong.members.models import Affiliation, ImportJob, PartyMember

TODAY = dt.date(2026, 11, 22)
HEADERS = ["姓名", "性别", "民族", "出生年月", "身份证号", "学历", "所在党支部", "入党时间", "转正时间", "人员类别", "联系电话"]


def ident(n, birth=dt.date(1980, 5, 17), female=False):
    return make_id_number("341502", birth, (2 * n + (0 if female else 1)) % 1000)


def person_row(n, **over):
    birth = over.pop("birth", dt.date(1980, 5, 17))
    row = {
        "姓名": f"张{'一二三四五六七八九十'[n % 10]}{n}", "性别": "男", "民族": "汉族", "出生年月": birth.strftime("%Y.%m"),
        "身份证号": ident(n, birth), "学历": "大学本科", "所在党支部": "金安区一村党支部",
        "入党时间": "2005.07.01", "转正时间": "2006.07.01", "人员类别": "农牧渔民", "联系电话": "13800000000",
    }  # fmt: skip
    row.update(over)
    return row


def xlsx(rows, headers=HEADERS, title=None):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h, "") for h in headers] if isinstance(r, dict) else r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast persona creation


def run(city, content, user="county_admin", *, commit=True, good_rows_only=False):
    u = city.users[user]
    scope = scope_for(u)
    actor = Actor(user=u)
    job = services.import_job_create(actor=actor, scope=scope, kind="members", filename="名册.xlsx", content=content)
    prepared = services.import_job_validate(job=job, scope=scope, today=TODAY)
    if commit:
        services.import_job_commit(job=job, actor=actor, scope=scope, good_rows_only=good_rows_only, today=TODAY)
    job.refresh_from_db()
    return job, prepared


def reasons(prepared):
    return [(e[0], e[1], e[3]) for e in prepared.errors]


def test_it_imports_a_valid_roster(city):
    job, _ = run(city, xlsx([person_row(1), person_row(2)]))
    assert job.status == "done" and job.created_count == 2 and job.error_rows == 0
    m = PartyMember.objects.get(person__name="张二1")
    assert m.org == city.orgs["jinan_branch"] and m.status == "full" and m.occupation == "02"
    assert m.affiliations.get().start == dt.date(2005, 7, 1)
    p = Person.objects.get(name="张三2")
    assert p.id_number == ident(2) and p.phone == "13800000000" and p.education == "20"
    events = AuditEvent.objects.filter(action="members.import")
    assert events.count() == 1 and events.get().after["created"] == 2 and events.get().after["job"] == job.pk


def test_it_finds_the_header_below_a_title_and_reports_excel_row_numbers(city):
    job, prepared = run(city, xlsx([person_row(1), person_row(2, 身份证号="123")], title="金安区党员花名册"), commit=False)
    assert reasons(prepared) == [(4, "身份证号", "身份证号应为18位，实为3位")]


def error_for(city, **over):
    _, prepared = run(city, xlsx([person_row(1, **over)]), commit=False)
    return [(e[1], e[3]) for e in prepared.errors]


def test_it_reports_wrong_checksum_and_length(city):
    bad = ident(1)[:17] + ("0" if ident(1)[17] != "0" else "1")
    assert error_for(city, 身份证号=bad)[0][0] == "身份证号" and "校验码错误" in error_for(city, 身份证号=bad)[0][1]
    assert error_for(city, 身份证号=ident(1)[:15]) == [("身份证号", "身份证号应为18位，实为15位")]


def test_it_reports_birth_and_gender_disagreeing_with_the_id_number(city):
    assert error_for(city, 出生年月="1980.06")[0] == ("出生年月", "出生年月1980.06与身份证号中的出生日期不一致")
    assert error_for(city, 出生年月="1980-05-18")[0][0] == "出生年月"
    assert error_for(city, 出生年月="1980-05-17") == []
    assert error_for(city, 性别="女") == [("性别", "性别“女”与身份证号（男）不一致")]


def test_it_reports_unknown_codes(city):
    assert error_for(city, 民族="火星族")[0][0] == "民族"
    assert error_for(city, 学历="幼儿园")[0][0] == "学历"
    assert error_for(city, 人员类别="宇航员")[0][0] == "人员类别"
    assert error_for(city, 民族="回", 学历="本科", 人员类别="离退休") == []


def test_it_reports_missing_required_values(city):
    got = error_for(city, 姓名="", 所在党支部="", 入党时间="", 人员类别="")
    assert {c for c, _ in got} == {"姓名", "所在党支部", "入党时间", "人员类别"}
    assert all("不能为空" in r for _, r in got)


def test_it_accepts_joining_on_the_18th_birthday_and_rejects_the_day_before(city):
    birth = dt.date(1990, 3, 10)
    ok = error_for(city, birth=birth, 入党时间="2008-03-10", 转正时间="2009-03-10")
    assert ok == []
    bad = error_for(city, birth=birth, 入党时间="2008-03-09", 转正时间="2009-03-10")
    assert bad[0][0] == "入党时间" and "未满18周岁" in bad[0][1] and "《中国共产党章程》第一条" in bad[0][1]


def test_it_requires_a_probation_of_one_year(city):
    assert error_for(city, 入党时间="2005-07-01", 转正时间="2006-07-01") == []
    short = error_for(city, 入党时间="2005-07-01", 转正时间="2006-06-30")
    assert short == [("转正时间", "预备期不足一年（《中国共产党章程》第七条：预备党员的预备期为一年）")]
    assert error_for(city, 入党时间="2005-07-01", 转正时间="2004-07-01") == [("转正时间", "转正时间早于入党时间")]


def test_it_rejects_a_probationary_member_with_a_confirmation_date(city):
    got = error_for(city, 转正时间="2006.07.01", 党员类别="预备党员", 入党时间="2005.07.01")
    assert got == []  # no 党员类别 column in HEADERS: derived
    content = xlsx([person_row(1, 党员类别="预备党员")], headers=[*HEADERS, "党员类别"])
    _, prepared = run(city, content, commit=False)
    assert [(e[1], e[3]) for e in prepared.errors] == [("转正时间", "预备党员不应填写转正时间")]


def test_it_derives_the_status_from_the_confirmation_date(city):
    job, _ = run(city, xlsx([person_row(1, 入党时间="2026.03.01", 转正时间="")]))
    assert PartyMember.objects.get().status == "probationary"


def test_it_rejects_joining_in_the_future(city):
    got = error_for(city, 入党时间="2026-11-23", 转正时间="")
    assert ("入党时间", "入党时间晚于今天") in got
    assert error_for(city, 入党时间="2026-11-22", 转正时间="") == []


def test_it_names_both_rows_of_a_duplicate_person(city):
    _, prepared = run(city, xlsx([person_row(1), person_row(2), person_row(1, 姓名="又一个")]), commit=False)
    assert reasons(prepared) == [(2, "身份证号", "身份证号与第4行重复（同一人出现两次）"), (4, "身份证号", "身份证号与第2行重复（同一人出现两次）")]


def test_it_finds_branches_by_unique_suffix_and_refuses_ambiguous_ones(city):
    assert error_for(city, 所在党支部="一村党支部") == []  # only 金安区一村党支部 is in 金安区's subtree
    assert "对应多个党支部" in error_for(city, 所在党支部="村党支部")[0][1]
    assert error_for(city, 所在党支部="火星党支部") == [("所在党支部", "未找到党支部“火星党支部”")]
    assert "党员应编入党支部" in error_for(city, 所在党支部="中共金安区一镇委员会")[0][1]


def test_it_refuses_branches_of_the_neighbour_county(city):
    assert error_for(city, 所在党支部="裕安区一村党支部") == [("所在党支部", "所在党支部不在您的管理范围内")]
    _, prepared = run(city, xlsx([person_row(1, 所在党支部="金安区一村党支部")]), user="neighbour_admin", commit=False)
    assert reasons(prepared) == [(2, "所在党支部", "所在党支部不在您的管理范围内")]


def test_it_writes_nothing_when_any_row_is_bad(city):
    with pytest.raises(services.ImportRefused):
        run(city, xlsx([person_row(1), person_row(2, 民族="火星族")]))
    assert Person.objects.count() == 0 and PartyMember.objects.count() == 0
    assert not AuditEvent.objects.filter(action="members.import").exists()
    assert ImportJob.objects.get().status == "validated"


def test_the_start_and_the_refusal_of_an_import_are_audited_with_the_address(city):
    """Starting an import is a write of the job, as is its refusal: who started which file, from
    where, and why nothing was written."""
    admin = city.users["county_admin"]
    job, _ = run(city, xlsx([person_row(1), person_row(2, 民族="火星族")]), commit=False)
    actor = Actor(user=admin, ip="10.0.0.9")
    with pytest.raises(services.ImportRefused):
        services.import_job_commit(job=job, actor=actor, scope=scope_for(admin), today=TODAY)
    started, failed = AuditEvent.objects.filter(action__in=("members.import_started", "members.import_failed")).order_by("id")
    assert (started.action, started.actor, started.ip, started.object_id) == ("members.import_started", admin, "10.0.0.9", str(job.pk))
    assert (started.before, started.after) == ({"status": "validated"}, {"status": "importing", "good_rows_only": False})
    assert started.summary == "开始导入“名册.xlsx”"
    assert (failed.action, failed.actor, failed.ip) == ("members.import_failed", admin, "10.0.0.9")
    assert failed.before == {"status": "importing"}
    assert failed.after == {"status": "validated", "message": "有1行有误，未导入任何数据"}
    assert failed.summary == "导入“名册.xlsx”未完成：有1行有误，未导入任何数据"
    assert failed.scope_path == job.scope_path
    job.refresh_from_db()
    assert job.status == "validated" and job.error_rows == 1 and job.errors  # the report stays for the user
    services.import_job_commit(job=job, actor=actor, scope=scope_for(admin), good_rows_only=True, today=TODAY)
    last = AuditEvent.objects.filter(action__startswith="members.import").order_by("-id")[:2]
    assert [e.action for e in last] == ["members.import", "members.import_started"]
    assert last[1].after == {"status": "importing", "good_rows_only": True} and last[1].summary.endswith("（只导入无误的行）")


def test_a_refused_second_commit_and_a_failed_validation_are_audited_as_such(city):
    admin = city.users["county_admin"]
    job, _ = run(city, xlsx([person_row(1)]))
    assert AuditEvent.objects.filter(action="members.import_started").count() == 1
    with pytest.raises(services.ImportRefused, match="导入完成"):  # not claimed: nothing started, nothing audited
        services.import_job_commit(job=ImportJob.objects.get(pk=job.pk), actor=Actor(user=admin), scope=scope_for(admin))
    assert AuditEvent.objects.filter(action="members.import_started").count() == 1
    assert not AuditEvent.objects.filter(action="members.import_failed").exists()
    broken = services.import_job_create(
        actor=Actor(user=admin), scope=scope_for(admin), kind="members", filename="坏.xlsx", content=b"not a workbook"
    )
    with pytest.raises(services.ImportRefused, match="无法读取Excel文件"):
        services.import_job_validate(job=broken, scope=scope_for(admin), actor=Actor(user=admin, ip="10.0.0.10"))
    failed = AuditEvent.objects.get(action="members.import_failed")
    assert (failed.actor, failed.ip, failed.object_id) == (admin, "10.0.0.10", str(broken.pk))
    assert failed.before == {"status": "validating"} and failed.after["status"] == "failed"
    assert failed.summary.startswith("校验“坏.xlsx”未完成：无法读取Excel文件")


def hold_back_import_threads(monkeypatch) -> list:
    """Threads named import-<job id> (the background run) are kept, not started, in the list returned."""
    return hold_back_job_threads(monkeypatch, "import-")


def test_of_two_commits_of_one_job_only_the_first_runs(city, monkeypatch):
    """A double click or two tabs: both requests loaded the job while it was still 'validated'."""
    u = city.users["county_admin"]
    job, _ = run(city, xlsx([person_row(1), person_row(2)]), commit=False)
    first, second = ImportJob.objects.get(pk=job.pk), ImportJob.objects.get(pk=job.pk)
    services.import_job_commit(job=first, actor=Actor(user=u), scope=scope_for(u), today=TODAY)
    with pytest.raises(services.ImportRefused, match="当前状态为“导入完成”，不能导入"):
        services.import_job_commit(job=second, actor=Actor(user=u), scope=scope_for(u), today=TODAY)
    started = hold_back_import_threads(monkeypatch)
    with pytest.raises(services.ImportRefused, match="导入完成"):  # the page's background path refuses in the request
        services.import_job_start(job=second, actor=Actor(user=u), phase="commit", background=True)
    assert not started
    assert PartyMember.objects.count() == 2 and AuditEvent.objects.filter(action="members.import").count() == 1


def test_a_commit_in_the_background_is_claimed_before_its_thread_starts(city, monkeypatch):
    u = city.users["county_admin"]
    job, _ = run(city, xlsx([person_row(1)]), commit=False)
    started = hold_back_import_threads(monkeypatch)
    services.import_job_start(job=job, actor=Actor(user=u), phase="commit", background=True)
    claimed = ImportJob.objects.get(pk=job.pk)
    assert claimed.status == "importing" and len(started) == 1
    assert (claimed.progress_done, claimed.progress_total, claimed.message) == (0, 0, "正在读取文件…")
    with pytest.raises(services.ImportRefused, match="正在导入"):
        services.import_job_start(job=ImportJob.objects.get(pk=job.pk), actor=Actor(user=u), phase="commit", background=True)
    run_held_thread(monkeypatch, started[0])  # the thread's body, run here
    job.refresh_from_db()
    assert job.status == "done" and job.created_count == 1 and PartyMember.objects.count() == 1


def _age(path, seconds):
    os.utime(path, (time.time() - seconds, time.time() - seconds))


def test_an_import_whose_process_died_can_be_imported_again(city):
    """A server restart kills the import's thread: the job says 正在导入 and its heartbeat stops."""
    u = city.users["county_admin"]
    job, _ = run(city, xlsx([person_row(1)]), commit=False)
    services._claim_commit(job, actor=Actor(user=u), good_rows_only=False)  # claimed, then the process is gone
    alive = services._alive_path(job)
    _age(alive, jobs.STALE_SECONDS - 5)
    assert services.import_job_live(ImportJob.objects.get(pk=job.pk)).status == "importing"  # not yet
    _age(alive, jobs.STALE_SECONDS + 5)
    live = services.import_job_live(ImportJob.objects.get(pk=job.pk))
    assert live.status == "validated" and "上次导入被中断" in live.message and "未写入任何数据" in live.message
    assert ImportJob.objects.get(pk=job.pk).status == "validated"
    event = AuditEvent.objects.get(action="members.import_interrupted")  # a write: audited, once
    assert (event.object_id, event.before, event.after) == (str(job.pk), {"status": "importing"}, {"status": "validated"})
    assert services.import_job_live(ImportJob.objects.get(pk=job.pk)).status == "validated"
    assert AuditEvent.objects.filter(action="members.import_interrupted").count() == 1
    done = services.import_job_commit(job=live, actor=Actor(user=u), scope=scope_for(u), today=TODAY)
    assert done.status == "done" and PartyMember.objects.count() == 1
    assert not alive.exists()  # removed when the run ends


def test_an_import_claimed_long_ago_without_a_heartbeat_file_is_recovered(city):
    job, _ = run(city, xlsx([person_row(1)]), commit=False)
    ImportJob.objects.filter(pk=job.pk).update(status="importing", created_at=job.created_at - dt.timedelta(minutes=5))
    assert not services._alive_path(job).exists()  # e.g. a job of a version without heartbeats
    assert services.import_job_live(ImportJob.objects.get(pk=job.pk)).status == "validated"
    ImportJob.objects.filter(pk=job.pk).update(status="importing", created_at=job.created_at)  # just uploaded: wait
    assert services.import_job_live(ImportJob.objects.get(pk=job.pk)).status == "importing"


def test_a_running_job_cannot_be_cancelled(city):
    job, _ = run(city, xlsx([person_row(1)]), commit=False)
    for status in ("validating", "importing", "done"):
        ImportJob.objects.filter(pk=job.pk).update(status=status)
        with pytest.raises(services.ImportRefused, match="不能取消"):
            services.import_job_cancel(job=ImportJob.objects.get(pk=job.pk), actor=Actor(user=city.users["county_admin"]))
    assert not AuditEvent.objects.filter(action="members.import_cancelled").exists()
    ImportJob.objects.filter(pk=job.pk).update(status="validated")
    actor = Actor(user=city.users["county_admin"], ip="10.0.0.7")
    services.import_job_cancel(job=ImportJob.objects.get(pk=job.pk), actor=actor)
    assert ImportJob.objects.get(pk=job.pk).status == "cancelled" and not services.import_file_path(job).exists()
    event = AuditEvent.objects.get(action="members.import_cancelled")
    assert (event.object_id, event.ip, event.before, event.after) == (str(job.pk), "10.0.0.7", {"status": "validated"}, {"status": "cancelled"})
    services.import_job_cancel(job=ImportJob.objects.get(pk=job.pk), actor=actor)  # twice: nothing more happens
    assert AuditEvent.objects.filter(action="members.import_cancelled").count() == 1


def test_an_upload_is_audited_with_the_file_and_a_failed_one_leaves_no_file(city, monkeypatch):
    admin = city.users["county_admin"]
    content = xlsx([person_row(1)])
    job = services.import_job_create(actor=Actor(user=admin, ip="10.0.0.8"), scope=scope_for(admin), kind="members",
                                     filename="名册.xlsx", content=content)  # fmt: skip
    event = AuditEvent.objects.get(action="members.import_uploaded")
    assert (event.object_id, event.ip, event.after) == (str(job.pk), "10.0.0.8", {"file": "名册.xlsx", "kind": "members", "bytes": len(content)})
    assert services.import_file_path(job).exists()

    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    before = set(services._import_dir().iterdir())
    with pytest.raises(RuntimeError):
        services.import_job_create(actor=Actor(user=admin), scope=scope_for(admin), kind="members", filename="b.xlsx", content=content)
    assert ImportJob.objects.count() == 1 and set(services._import_dir().iterdir()) == before


def test_a_validation_whose_process_died_fails_with_a_message(city):
    job, _ = run(city, xlsx([person_row(1)]), commit=False)
    ImportJob.objects.filter(pk=job.pk).update(status="validating", created_at=job.created_at - dt.timedelta(minutes=5))
    live = services.import_job_live(ImportJob.objects.get(pk=job.pk))  # no .alive file at all
    assert live.status == "failed" and live.message == "校验被中断（服务重启或进程退出），请重新上传文件"


def test_a_running_commit_keeps_beating_and_is_left_alone(city, monkeypatch):
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0.01)
    seen = []

    def noter(job):
        alive = services._alive_path(job)

        def note(done, total):
            _age(alive, 3600)  # as if the last beat were an hour ago …
            deadline = time.monotonic() + 5
            while alive.stat().st_mtime < time.time() - 60 and time.monotonic() < deadline:
                time.sleep(0.01)  # … the next beat comes within HEARTBEAT_SECONDS
            seen.append(services.import_job_live(ImportJob.objects.get(pk=job.pk)).status)

        return note

    monkeypatch.setattr(services, "_progress_noter", noter)
    job, _ = run(city, xlsx([person_row(1), person_row(2)]))
    assert job.status == "done" and seen and set(seen) == {"importing"}


def test_it_imports_only_the_good_rows_when_asked(city):
    job, _ = run(city, xlsx([person_row(1), person_row(2, 民族="火星族"), person_row(3)]), good_rows_only=True)
    assert job.status == "done" and job.created_count == 2 and job.error_rows == 1
    assert PartyMember.objects.count() == 2
    assert AuditEvent.objects.get(action="members.import").after["error_rows"] == 1


def test_it_updates_instead_of_duplicating_on_reimport(city):
    content = xlsx([person_row(1), person_row(2)])
    run(city, content)
    job, _ = run(city, content)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
    job, _ = run(city, xlsx([person_row(1, 学历="研究生", 联系电话="13900000000"), person_row(2)]))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
    assert Person.objects.count() == 2
    p = Person.objects.get(id_number_index=PartyMember.objects.order_by("id").first().person.id_number_index)
    assert p.education == "10" and p.phone == "13900000000"
    assert AuditEvent.objects.filter(action="members.import").count() == 3


def test_it_records_a_transfer_when_the_branch_changes(city):
    run(city, xlsx([person_row(1)]))
    job, _ = run(city, xlsx([person_row(1, 所在党支部="金安区二村党支部")]))
    assert job.transferred_count == 1 and job.updated_count == 1
    m = PartyMember.objects.get()
    assert m.org == city.orgs["jinan_branch2"]
    affs = list(Affiliation.objects.filter(member=m).order_by("start"))
    assert [(a.org_id, a.start, a.end) for a in affs] == [
        (city.orgs["jinan_branch"].pk, dt.date(2005, 7, 1), TODAY),
        (city.orgs["jinan_branch2"].pk, TODAY, None),
    ]


def test_it_refuses_members_held_outside_the_scope(city):
    run(city, xlsx([person_row(1, 所在党支部="裕安区一村党支部")]), user="neighbour_admin")
    _, prepared = run(city, xlsx([person_row(1)]), commit=False)
    assert reasons(prepared) == [(2, "身份证号", "该党员的组织关系不在您的管理范围内，请通过组织关系转接办理")]
    assert "裕安区" not in prepared.errors[0][3]  # the other county's branch is not named


def test_it_offers_an_error_file_with_the_error_column(city):
    job, _ = run(city, xlsx([person_row(1), person_row(2, 身份证号="abc")], title="花名册"), commit=False)
    ws = load_workbook(io.BytesIO(services.import_error_file(job))).active
    assert ws.cell(row=2, column=len(HEADERS) + 1).value == "错误说明"
    assert ws.cell(row=4, column=len(HEADERS) + 1).value.startswith("身份证号：")
    assert ws.cell(row=3, column=len(HEADERS) + 1).value is None
    assert ws.cell(row=4, column=1).fill.fgColor.rgb.endswith("FFC7CE")


def test_it_reports_a_missing_required_column(city):
    _, prepared = run(city, xlsx([["张三", "男"]], headers=["姓名", "性别"]), commit=False)
    assert "缺少必填列" in prepared.header_error and prepared.error_count == 1


def test_it_accepts_real_date_cells_and_serials(city):
    job, _ = run(city, xlsx([person_row(1, 出生年月=dt.date(1980, 5, 17), 入党时间=dt.datetime(2005, 7, 1), 转正时间=38899)]))
    assert job.created_count == 1
    assert PartyMember.objects.get().confirmed_date == dt.date(2006, 7, 1)


def test_it_lets_the_branch_secretary_import_only_into_the_branch(city):
    _, prepared = run(city, xlsx([person_row(1), person_row(2, 所在党支部="金安区二村党支部")]), user="branch_secretary", commit=False)
    assert reasons(prepared) == [(3, "所在党支部", "所在党支部不在您的管理范围内")]


def test_it_refuses_the_leader_and_the_outsider(city):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(city, xlsx([person_row(1)]), user="leader")
    with pytest.raises(PermissionDenied):
        run(city, xlsx([person_row(1)]), user="outsider")


def test_it_imports_and_exports_by_command(city, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx([person_row(1), person_row(2, 民族="火星族")]))
    with pytest.raises(CommandError):
        call_command("import", "members", str(path), "--as", "county_admin")
    assert PartyMember.objects.count() == 0
    call_command("import", "members", str(path), "--as", "county_admin", "--dry-run")
    assert PartyMember.objects.count() == 0
    dry = ImportJob.objects.latest("id")
    assert dry.status == "cancelled" and not services.import_file_path(dry).exists()  # no copy left behind
    call_command("import", "members", str(path), "--as", "county_admin", "--good-rows-only")
    assert PartyMember.objects.count() == 1
    out = tmp_path / "导出.xlsx"
    call_command("export", "members", "--as", "county_admin", "-o", str(out))
    ws = load_workbook(out).active
    assert ws.max_row == 2 and ws.cell(row=2, column=5).value == ident(1)
    with pytest.raises(CommandError):
        call_command("import", "members", str(path), "--as", "leader")


def test_it_refuses_to_change_a_cadre_of_another_county_who_is_not_a_member(city):
    from zugong.cadres.models import Cadre
    from zugong.core.services import PersonData, person_fields

    person = Person.objects.create(**person_fields(PersonData(name="民主党派干部", id_number=ident(61))))
    Cadre.objects.create(person=person, unit=city.units["yuan_town"], management_level="county", post_level="42")
    _, prepared = run(city, xlsx([person_row(61, 姓名="改名")]), commit=False)
    assert reasons(prepared) == [(2, "身份证号", "该身份证号的人员不在您的管理范围内")]
    assert Person.objects.get(pk=person.pk).name == "民主党派干部"


def test_a_branch_name_shared_in_the_scope_is_named_with_its_superiors(city):
    from zugong.core.testing import _node
    from zugong.orgs.models import OrgKind, PartyOrganization

    _node(PartyOrganization, city.orgs["yuan_town"], "金安区一村党支部", 3, kind=OrgKind.BRANCH,
          unit=city.units["yuan_village"], term_years=5)  # fmt: skip
    rows = [
        person_row(1),  # ambiguous for the city
        person_row(2, 所在党支部="金安区/金安区一镇/金安区一村党支部"),  # qualifiers outermost first, each a part of a name
        person_row(3, 所在党支部="金安区一镇／金安区一村党支部"),  # full-width slash
        person_row(4, 所在党支部="金安区一镇/金安区/金安区一村党支部"),  # wrong order
        person_row(5, 所在党支部="霍山县/金安区一村党支部"),  # no such superior
    ]
    _, prepared = run(city, xlsx(rows), user="city_admin", commit=False)
    assert reasons(prepared) == [
        (2, "所在党支部", "有2个党组织名为“金安区一村党支部”，无法确定，请在名称前写明上级党组织，用“/”分隔，"
                          "如“中共金安区一镇委员会/金安区一村党支部”"),
        (5, "所在党支部", "未找到党支部“金安区一镇/金安区/金安区一村党支部”"),
        (6, "所在党支部", "未找到党支部“霍山县/金安区一村党支部”"),
    ]  # fmt: skip
    # for the county administrator the name alone is unique; the other county's twin is out of scope
    _, prepared = run(city, xlsx([person_row(1), person_row(2, 所在党支部="裕安区一镇/金安区一村党支部")]), commit=False)
    assert reasons(prepared) == [(3, "所在党支部", importer.OUT_OF_SCOPE)]


def test_slashes_alone_a_name_with_a_slash_and_twins_under_one_committee(city):
    from zugong.core.testing import _node
    from zugong.orgs.models import OrgKind, PartyOrganization

    town, unit = city.orgs["jinan_town"], city.units["jinan_village"]
    joint = _node(PartyOrganization, town, "机关/事业单位联合党支部", 3, kind=OrgKind.JOINT_BRANCH, unit=unit, term_years=5)
    twin = _node(PartyOrganization, town, "金安区二村党支部", 4, kind=OrgKind.BRANCH, unit=unit, term_years=5)
    rows = [
        person_row(1, 所在党支部="/"),  # typed for "none": names no branch
        person_row(2, 所在党支部="机关/事业单位联合党支部"),  # a name with a slash is taken whole
        person_row(3, 所在党支部="金安区二村党支部"),  # two of this name under one committee
        person_row(4, 所在党支部="中共金安区一镇委员会/金安区二村党支部"),
    ]
    _, prepared = run(city, xlsx(rows), commit=False)
    assert reasons(prepared) == [
        (2, "所在党支部", "未找到党支部“/”"),
        (4, "所在党支部", "有2个党组织名为“金安区二村党支部”，无法确定，请联系管理员区分名称"),
        (5, "所在党支部", "有2个党组织名为“中共金安区一镇委员会/金安区二村党支部”，无法确定，请联系管理员区分名称"),
    ]
    labels = importer.BranchResolver.build(scope_for(city.users["county_admin"]))
    assert labels.label(joint.pk) == "机关/事业单位联合党支部"
    assert labels.label(twin.pk) == "金安区二村党支部"  # no name tells the twins apart: the import says so


def test_a_county_may_not_change_the_person_record_of_a_city_managed_cadre_through_the_member_roster(city):
    """The cadre roster refuses it (市管干部由市委组织部管理); the member roster must not be the back door."""
    from zugong.cadres.models import Cadre

    run(city, xlsx([person_row(62)]))  # a member of a 金安 branch …
    person = Person.objects.get(name=person_row(62)["姓名"])
    Cadre.objects.create(person=person, unit=city.units["jinan_town"], management_level="city", post_level="41")  # … and 市管
    job, prepared = run(city, xlsx([person_row(62)]), commit=False)
    assert prepared.error_count == 0 and prepared.counts["unchanged"] == 1  # the same row: nothing to write
    _, prepared = run(city, xlsx([person_row(62, 姓名="改名", 学历="研究生")]), commit=False)
    assert reasons(prepared) == [(2, "身份证号", "该人员是市管干部，个人信息由市委组织部维护，不能通过县区名册导入修改（与在册信息不同：姓名、学历）")]
    job, _ = run(city, xlsx([person_row(62, 姓名="改名")]), user="city_admin")
    assert job.updated_count == 1 and Person.objects.get(pk=person.pk).name == "改名"
    Cadre.objects.filter(person=person).update(unit=city.units["yuan_town"], management_level="county")
    _, prepared = run(city, xlsx([person_row(62, 姓名="再改名")]), commit=False)  # 裕安's cadre, 金安's member
    assert reasons(prepared) == [(2, "身份证号", "该人员的个人信息由其干部管理部门维护，不能通过本名册导入修改（与在册信息不同：姓名）")]


def test_the_person_record_of_a_cadre_without_a_membership_or_for_a_branch_secretary_is_refused_too(city):
    from zugong.cadres.models import Cadre
    from zugong.core.services import PersonData, person_fields

    person = Person.objects.create(**person_fields(PersonData(name="李市管", id_number=ident(63))))
    Cadre.objects.create(person=person, unit=city.units["jinan_town"], management_level="city", post_level="41")
    _, prepared = run(city, xlsx([person_row(63, 姓名="改名")]), commit=False)  # not a member yet
    assert reasons(prepared) == [(2, "身份证号", "该人员是市管干部，个人信息由市委组织部维护，不能通过县区名册导入修改（与在册信息不同：姓名、学历、联系电话）")]
    Cadre.objects.filter(person=person).update(management_level="county", unit=city.units["jinan_village"])
    _, prepared = run(city, xlsx([person_row(63, 姓名="改名")]), user="branch_secretary", commit=False)
    assert reasons(prepared) == [(2, "身份证号", "该人员是干部，个人信息由组织部门维护，不能通过党支部名册导入修改（与在册信息不同：姓名、学历、联系电话）")]
    assert Person.objects.get(pk=person.pk).name == "李市管"
