"""Large member exports as background jobs: the job, its page, its file, its audit and its refusals."""

import datetime as dt
import io
import os
import time

import pytest
from django.db import OperationalError
from django.urls import reverse
from openpyxl import load_workbook

from zugong.core import jobs
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent, UserProfile
from zugong.core.scope import scope_for
from zugong.core.testing import hold_back_job_threads, run_held_thread
from zugong.core.xlsx import ExportTooLarge, rows_tmpdir
from zugong.members import exports, services
from zugong.members.models import ExportJob
from zugong.members.tests.test_import import ident, person_row, run, xlsx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def members(city):
    run(city, xlsx([person_row(1, 联系电话="13912345678"), person_row(2), person_row(3)]))


def rows_of(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def start(city, user="county_admin", params=None, **kw) -> ExportJob:
    u = city.users[user]
    return exports.export_job_start(actor=Actor(user=u, ip="10.0.0.7"), scope=scope_for(u), params=params or {}, **kw)


def test_a_job_writes_what_the_direct_export_writes_and_audits_it(city, members):
    u = city.users["county_admin"]
    direct = rows_of(services.member_export(actor=Actor(user=u), scope=scope_for(u)))
    job = start(city, background=False)
    assert (job.status, job.row_count, job.progress_total, job.title, job.unmasked) == ("done", 3, 3, "党员名册", True)
    path = exports.export_file_path(job)
    assert rows_of(path.read_bytes()) == direct and direct[1][4] == ident(1)  # full numbers for the county admin
    assert oct(path.stat().st_mode & 0o777) == "0o600" and not list(path.parent.glob("*.part"))
    started = AuditEvent.objects.get(action="members.export_started")
    assert (started.actor, started.ip, started.object_type, started.object_id) == (u, "10.0.0.7", "ExportJob", str(job.pk))
    done = AuditEvent.objects.filter(action="members.export").latest("id")
    assert done.after == {"count": 3, "filters": {}, "unmasked": True, "job": job.pk}
    assert done.summary == "导出党员名册3人（含完整身份证号）"


def test_a_job_keeps_the_lists_filters_and_masks_for_a_branch_secretary(city, members):
    job = start(city, "branch_secretary", params={"q": "张二1", "page": ""}, background=False)
    assert job.params == {"q": "张二1"} and not job.unmasked
    rows = rows_of(exports.export_file_path(job).read_bytes())
    assert [r[0] for r in rows[1:]] == ["张二1"] and "*" in rows[1][4] and rows[1][14] == "139****5678"


def test_a_failed_job_says_why_keeps_no_file_and_is_audited(city, members, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(services, "write_member_export", broken)
    job = start(city, background=False)
    assert (job.status, job.message) == ("failed", exports.FAILED_MESSAGE)  # the details go to the log, not the page
    assert not exports.export_file_path(job).exists() and not list(exports.export_dir().glob("*.part"))
    event = AuditEvent.objects.get(action="members.export_failed")
    assert event.after == {"status": "failed", "message": exports.FAILED_MESSAGE} and event.before == {"status": "running"}
    assert not AuditEvent.objects.filter(action="members.export", after__job=job.pk).exists()


def test_a_job_whose_process_died_is_failed_once_when_its_page_is_polled(city, members, monkeypatch):
    started = hold_back_job_threads(monkeypatch, "export-")
    job = start(city)
    assert job.status == "running" and len(started) == 1  # the thread was never run: a restart
    alive = exports.export_dir() / f"{job.stored_name}.alive"
    os.utime(alive, (time.time() - jobs.STALE_SECONDS - 5,) * 2)
    live = exports.export_job_live(ExportJob.objects.get(pk=job.pk))
    assert live.status == "failed" and "导出被中断" in live.message
    exports.export_job_live(ExportJob.objects.get(pk=job.pk))
    assert AuditEvent.objects.filter(action="members.export_failed").count() == 1


def test_a_running_jobs_page_shows_its_progress_note(city, members, monkeypatch):
    hold_back_job_threads(monkeypatch, "export-")
    job = start(city)
    jobs.progress_noter(exports.export_dir() / f"{job.stored_name}.progress")(2, 3)
    live = exports.export_job_live(ExportJob.objects.get(pk=job.pk))
    assert (live.status, live.progress_done, live.progress_total) == ("running", 2, 3)


def test_the_export_notes_progress_every_progress_rows(city, members, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_ROWS", 1)
    seen = []
    real = jobs.progress_noter
    monkeypatch.setattr(jobs, "progress_noter", lambda path: lambda done, total: (seen.append((done, total)), real(path)(done, total)))
    start(city, background=False)
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_the_list_export_runs_in_the_background_past_the_threshold_and_is_downloaded(city, members, login, monkeypatch):
    monkeypatch.setattr(exports, "BACKGROUND_MIN_ROWS", 3)
    started = hold_back_job_threads(monkeypatch, "export-")
    client = login(city.users["county_admin"])
    resp = client.get(reverse("members:export"), {"q": "张"})
    job = ExportJob.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("members:export_job", args=[job.pk])
    page = client.get(resp.url).content.decode()
    assert "正在导出，共约 3 人" in page and "返回党员名册" in page and "?q=%E5%BC%A0" in page
    partial = client.get(resp.url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and "<html" not in partial
    run_held_thread(monkeypatch, started[0])
    page = client.get(resp.url).content.decode()
    assert "导出完成" in page and "共 3 人" in page and "含完整身份证号" in page
    recent = client.get(reverse("members:export_recent")).content.decode()
    assert "最近导出" in recent and "3人" in recent
    file = client.get(reverse("members:export_job_file", args=[job.pk]), REMOTE_ADDR="10.9.9.9")
    assert file.status_code == 200 and "attachment" in file["Content-Disposition"]
    assert len(rows_of(b"".join(file.streaming_content))) == 4
    event = AuditEvent.objects.get(action="members.export_download")
    assert (event.ip, event.after) == ("10.9.9.9", {"job": job.pk, "count": 3, "unmasked": True})


def test_a_short_list_is_exported_within_the_request(city, members, login):
    client = login(city.users["county_admin"])
    resp = client.get(reverse("members:export"))
    assert resp.status_code == 200 and len(rows_of(resp.content)) == 4 and not ExportJob.objects.exists()
    assert "%E5%85%9A%E5%91%98%E5%90%8D%E5%86%8C.xlsx" in resp["Content-Disposition"]  # 党员名册.xlsx
    left = client.get(reverse("members:export"), {"status": "left"})
    assert "%E5%B7%B2%E5%87%8F%E5%B0%91" in left["Content-Disposition"]  # 已减少党员名册.xlsx


def test_only_the_user_who_started_it_sees_the_job_and_downloads_the_file(city, members, login):
    job = start(city, background=False)
    for user in ("neighbour_admin", "city_admin", "outsider"):
        client = login(city.users[user])
        assert client.get(reverse("members:export_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("members:export_job_file", args=[job.pk])).status_code == 404
        assert "最近导出" not in client.get(reverse("members:export_recent")).content.decode()
        client.logout()
    assert not AuditEvent.objects.filter(action="members.export_download").exists()


def test_a_user_whose_scope_changed_may_not_download_an_earlier_file(city, members, login):
    job = start(city, background=False)
    UserProfile.objects.filter(user=city.users["county_admin"]).update(party_org=city.orgs["yuan"])
    client = login(city.users["county_admin"])
    assert client.get(reverse("members:export_job_file", args=[job.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="members.export_download").exists()


def test_files_are_deleted_after_keep_hours_and_the_page_says_so(city, members, login):
    job = start(city, background=False)
    path = exports.export_file_path(job)
    assert exports.purge_expired() == 0 and path.exists()
    assert exports.purge_expired(now=time.time() + exports.KEEP_HOURS * 3600 + 60) == 1 and not path.exists()
    client = login(city.users["county_admin"])
    assert "已删除" in client.get(reverse("members:export_job", args=[job.pk])).content.decode()
    resp = client.get(reverse("members:export_job_file", args=[job.pk]))
    assert resp.status_code == 302 and resp.url == reverse("members:export_job", args=[job.pk])
    assert "文件已超过24小时，已删除，请重新导出" in client.get(resp.url).content.decode()


def test_a_file_past_keep_hours_is_not_offered_even_before_it_is_deleted(city, members, login):
    job = start(city, background=False)
    ExportJob.objects.filter(pk=job.pk).update(finished_at=job.finished_at - dt.timedelta(hours=exports.KEEP_HOURS, minutes=1))
    assert exports.export_file_path(job).exists()  # nobody has purged yet
    client = login(city.users["county_admin"])
    page = client.get(reverse("members:export_job", args=[job.pk])).content.decode()
    assert "已删除" in page and "下载党员名册.xlsx" not in page
    assert client.get(reverse("members:export_job_file", args=[job.pk])).status_code == 302
    assert "已过期" in client.get(reverse("members:export_recent")).content.decode()
    assert not AuditEvent.objects.filter(action="members.export_download").exists()


def test_no_plain_rows_are_left_in_temporary_files_and_leftovers_are_swept(city, members, monkeypatch):
    start(city, background=False)
    assert not list(rows_tmpdir().iterdir())  # XlsxWriter's row files are ours and removed on close
    real = services.member_export_rows

    def rows_then_crash(scope, params):
        yield from real(scope, params)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "member_export_rows", rows_then_crash)
    assert start(city, background=False).status == "failed"
    assert not list(rows_tmpdir().iterdir()) and not list(exports.export_dir().glob("*.part"))
    leftover = rows_tmpdir() / "tmpab12cd"
    leftover.write_text(ident(1))
    assert exports.purge_expired() == 0
    assert exports.purge_expired(now=time.time() + exports.LEFTOVER_HOURS * 3600 + 60) == 1 and not leftover.exists()
    assert oct(exports.export_dir().stat().st_mode & 0o777) == "0o700" and oct(rows_tmpdir().stat().st_mode & 0o777) == "0o700"


def test_a_locked_database_delays_recording_the_export_but_keeps_the_file(city, members, monkeypatch):
    monkeypatch.setattr(exports.time, "sleep", lambda s: None)
    real, calls = services.audit_member_export, []

    def locked_twice(*args, **kwargs):
        calls.append(1)
        if len(calls) <= 2:
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "audit_member_export", locked_twice)
    job = start(city, background=False)
    assert job.status == "done" and len(calls) == 3 and exports.export_file_path(job).exists()
    assert AuditEvent.objects.filter(action="members.export", after__job=job.pk).count() == 1
    monkeypatch.setattr(services, "audit_member_export", lambda *a, **k: (_ for _ in ()).throw(OperationalError("locked")))
    job = start(city, params={"q": "张"}, background=False)
    assert (job.status, job.message) == ("failed", exports.FAILED_MESSAGE) and not exports.export_file_path(job).exists()


def test_a_job_failed_as_interrupted_stays_failed_when_its_thread_finishes_after_all(city, members, monkeypatch):
    started = hold_back_job_threads(monkeypatch, "export-")
    job = start(city)
    ExportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - dt.timedelta(minutes=5))
    (exports.export_dir() / f"{job.stored_name}.alive").unlink()
    assert exports.export_job_live(ExportJob.objects.get(pk=job.pk)).status == "failed"
    run_held_thread(monkeypatch, started[0])  # the thread was only slow
    job.refresh_from_db()
    assert job.status == "failed" and not exports.export_file_path(job).exists()
    assert not AuditEvent.objects.filter(action="members.export", after__job=job.pk).exists()


def test_a_second_click_while_the_export_runs_gives_the_same_job(city, members, monkeypatch):
    hold_back_job_threads(monkeypatch, "export-")
    first = start(city)
    assert start(city).pk == first.pk and ExportJob.objects.count() == 1
    assert start(city, params={"q": "张"}).pk != first.pk  # another list: another job


def test_a_third_export_of_any_user_waits_while_two_run_and_a_dead_one_does_not_count(city, members, monkeypatch):
    hold_back_job_threads(monkeypatch, "export-")
    first, second = start(city), start(city, user="city_admin")
    with pytest.raises(exports.ExportBusy, match="当前已有2个大批量导出正在进行，请约一分钟后再导出"):
        start(city, user="neighbour_admin")
    assert start(city).pk == first.pk  # a second click on a running export still finds it
    assert ExportJob.objects.count() == 2 and AuditEvent.objects.filter(action="members.export_started").count() == 2
    os.utime(exports.export_dir() / f"{second.stored_name}.alive", (time.time() - jobs.STALE_SECONDS - 5,) * 2)
    assert start(city, user="neighbour_admin").status == "running"  # the server restarted under the second


def test_the_running_exports_are_counted_in_the_transaction_that_creates_the_job(city, members, monkeypatch):
    """What SQLite can show: its BEGIN IMMEDIATE holds the one write lock from the start of the
    transaction, so a count read inside it cannot change before the job is created (the count read
    before the transaction could, and two clicks at once both started). Both databases."""
    from django.db import connection

    hold_back_job_threads(monkeypatch, "export-")
    start(city, user="city_admin")
    depth, real = [], jobs.is_stale

    def is_stale(*args):
        depth.append(len(connection.atomic_blocks))
        return real(*args)

    monkeypatch.setattr(jobs, "is_stale", is_stale)
    outside = len(connection.atomic_blocks)  # the test's own transaction, on a rolled-back test
    start(city)
    assert depth == [outside + 1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clicks_at_the_same_moment_start_no_more_than_max_running(city, members, monkeypatch):
    """PostgreSQL: the first start has counted and created its job, not committed; the second, of another
    user, waits for the start lock (``exports.START_LOCK``) and then counts the first: ExportBusy.
    Without the lock both counted none running and both started past MAX_RUNNING."""
    import threading

    from django.db import connection

    from zugong.core.testing import in_thread, lock_waiters, wait_until

    if connection.vendor != "postgresql":
        pytest.skip("a second start waits for the lock on PostgreSQL only; SQLite: see the test above")
    monkeypatch.setattr(exports, "MAX_RUNNING", 1)
    hold_back_job_threads(monkeypatch, "export-")
    paused, release, calls = threading.Event(), threading.Event(), []
    real = exports.audit_record

    def audit(*args, **kw):
        calls.append(args[1])
        if len(calls) == 1:  # the first job is created, its transaction still open
            paused.set()
            assert release.wait(30)
        return real(*args, **kw)

    monkeypatch.setattr(exports, "audit_record", audit)
    first, first_out = in_thread(lambda: start(city, user="city_admin"))
    assert paused.wait(30)
    second, second_out = in_thread(lambda: start(city))
    wait_until(lambda: lock_waiters() or not second.is_alive())
    waited = second.is_alive()
    release.set()
    first.join(30)
    second.join(30)
    assert isinstance(first_out[0], ExportJob)
    assert isinstance(second_out[0], exports.ExportBusy) and "当前已有1个大批量导出正在进行" in str(second_out[0])
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [first_out[0].pk]
    assert waited


def test_a_busy_server_tells_the_user_on_the_list_page(city, members, login, monkeypatch):
    monkeypatch.setattr(exports, "BACKGROUND_MIN_ROWS", 3)
    monkeypatch.setattr(exports, "MAX_RUNNING", 1)
    hold_back_job_threads(monkeypatch, "export-")
    start(city, user="city_admin")
    client = login(city.users["county_admin"])
    listed = reverse("members:list")
    resp = client.get(reverse("members:export"), HTTP_REFERER=f"http://testserver{listed}")
    assert resp.status_code == 302 and resp.url == f"http://testserver{listed}"
    assert "当前已有1个大批量导出正在进行" in client.get(listed).content.decode()
    assert ExportJob.objects.count() == 1


def test_a_list_past_excels_row_limit_is_refused_before_anything_is_written(city, members, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 3)
    with pytest.raises(ExportTooLarge, match="超过Excel一张工作表的最大行数"):
        start(city)
    assert not ExportJob.objects.exists()


def test_a_user_who_lost_the_right_to_full_numbers_is_told_instead_of_offered_the_file(city, members, login):
    job = start(city, background=False)
    UserProfile.objects.filter(user=city.users["county_admin"]).update(may_view_id_numbers=False)
    client = login(city.users["county_admin"])
    page = client.get(reverse("members:export_job", args=[job.pk])).content.decode()
    assert "当前账号不能查看完整身份证号，不能下载该文件" in page and "下载党员名册.xlsx" not in page
    assert client.get(reverse("members:export_job_file", args=[job.pk])).status_code == 403


def test_removing_accounts_deletes_their_export_jobs_and_files(city, members, django_capture_on_commit_callbacks):
    job = start(city, background=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.delete_jobs_of([city.users["county_admin"]]) == 1
    assert not ExportJob.objects.exists() and not exports.export_file_path(job).exists()


def test_a_file_being_packaged_is_not_taken_for_a_leftover(city):
    """XlsxWriter sets a part's mtime to 1980 just before zipping it; its ctime says it is fresh."""
    part = rows_tmpdir() / "xlsx_part.xml"
    part.write_text("<sheetData/>")
    os.utime(part, (315532800, 315532800))  # 1980-01-01
    assert exports.purge_expired() == 0 and part.exists()
