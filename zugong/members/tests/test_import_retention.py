"""Uploaded rosters are kept only while needed, and stored errors keep 身份证号 masked (《个人信息保护法》第十九条)."""

import datetime as dt
import os
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.members import services
from zugong.members.models import ImportJob, PartyMember
from zugong.members.tests.test_import import ident, person_row, run, xlsx

LATER = dt.timedelta(days=8)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def stored(job) -> bool:
    return services.import_file_path(job).exists()


def test_a_clean_import_deletes_its_file_and_one_with_bad_rows_keeps_it_for_the_error_report(city):
    clean, _ = run(city, xlsx([person_row(1)]))
    assert clean.status == "done" and not stored(clean)
    partial, _ = run(city, xlsx([person_row(2), person_row(3, 民族="火星族")]), good_rows_only=True)
    assert partial.status == "done" and partial.error_rows == 1 and stored(partial)
    assert services.import_error_file(partial)  # the error report can still be made


def test_a_cancelled_or_failed_job_keeps_no_file(city):
    u = city.users["county_admin"]
    job, _ = run(city, xlsx([person_row(1, 民族="火星族")]), commit=False)
    services.import_job_cancel(job=job, actor=Actor(user=u))
    assert not stored(job)
    broken = services.import_job_create(actor=Actor(user=u), scope=scope_for(u), kind="members", filename="坏.xlsx", content=b"not a workbook")
    with pytest.raises(Exception):  # noqa: B017 (whatever the reader raises, the job fails)
        services.import_job_validate(job=broken, scope=scope_for(u), actor=Actor(user=u))
    broken.refresh_from_db()
    assert broken.status == "failed" and not stored(broken)


def test_stored_errors_keep_id_numbers_masked(city):
    wrong = ident(2)[:17] + ("1" if ident(2).endswith("0") else "0")  # a check digit typed wrong
    job, _ = run(city, xlsx([person_row(1, 出生年月="1990.01"), person_row(2, 身份证号=wrong)]), commit=False)
    assert {row for row, *_ in job.errors} == {2, 3}
    values = [value for _, column, value, _ in job.errors if column == "身份证号"]
    assert values == [wrong[:6] + "********" + wrong[-4:]]
    assert ident(1) not in str(job.errors) and wrong not in str(job.errors)


def test_the_purge_cancels_a_job_left_validated_and_deletes_files_older_than_the_limit(city):
    u = city.users["county_admin"]
    left, _ = run(city, xlsx([person_row(1)]), commit=False)
    partial, _ = run(city, xlsx([person_row(2), person_row(3, 民族="火星族")]), good_rows_only=True)
    fresh, _ = run(city, xlsx([person_row(4)]), commit=False)
    ImportJob.objects.filter(pk__in=[left.pk, partial.pk]).update(errors=[[3, "身份证号", ident(3), "旧的错误"]])
    ImportJob.objects.filter(pk__in=[left.pk, partial.pk]).update(created_at=timezone.now() - LATER)
    assert services.import_job_purge() == 1  # the imported job's error report counts from its import
    assert stored(partial)
    ImportJob.objects.filter(pk=partial.pk).update(finished_at=timezone.now() - LATER)
    orphan = services.import_file_path(fresh).with_name("20260101000000-0000000000000000.xlsx")
    orphan.write_bytes(b"x")
    os.utime(orphan, (time.time() - LATER.total_seconds(),) * 2)
    assert services.import_job_purge() == 1
    left.refresh_from_db(), partial.refresh_from_db(), fresh.refresh_from_db()
    assert (left.status, left.message) == ("cancelled", services.EXPIRED) and services.import_job_expired(left)
    assert partial.status == "done" and not stored(left) and not stored(partial) and not orphan.exists()
    assert fresh.status == "validated" and stored(fresh)  # within the limit: untouched
    assert left.errors == partial.errors == [[3, "身份证号", ident(3)[:6] + "********" + ident(3)[-4:], "旧的错误"]]
    events = {e.object_id: e for e in AuditEvent.objects.filter(action="members.import_purge")}
    assert set(events) == {str(left.pk), str(partial.pk)} and all(e.actor is None for e in events.values())
    assert events[str(left.pk)].after == {"status": "cancelled", "file": "名册.xlsx"}
    assert events[str(left.pk)].scope_path == left.scope_path and "任务未导入，已取消" in events[str(left.pk)].summary
    assert services.import_job_purge() == 0 and len(events) == AuditEvent.objects.filter(action="members.import_purge").count()
    with pytest.raises(services.ImportRefused, match="不能导入"):  # an expired job cannot be imported
        services.import_job_commit(job=left, actor=Actor(user=u), scope=scope_for(u))
    with pytest.raises(services.ImportRefused, match="原文件已删除"):
        services.import_error_file(partial)
    assert PartyMember.objects.count() == 1


def test_the_purge_leaves_a_running_job_alone_and_clears_one_whose_process_died(city):
    job, _ = run(city, xlsx([person_row(1)]), commit=False)
    ImportJob.objects.filter(pk=job.pk).update(status="importing", created_at=timezone.now() - LATER)
    os.utime(services.import_file_path(job), (time.time() - LATER.total_seconds(),) * 2)
    services._alive_path(job).touch()  # its heartbeat: running now
    assert services.import_job_purge() == 0 and stored(job) and ImportJob.objects.get(pk=job.pk).status == "importing"
    os.utime(services._alive_path(job), (time.time() - 3600,) * 2)  # the process died an hour ago
    assert services.import_job_purge() == 1 and not stored(job)
    assert ImportJob.objects.get(pk=job.pk).status == "cancelled"  # back to validated, then expired


def test_an_interrupted_validation_fails_and_loses_its_file(city):
    job, _ = run(city, xlsx([person_row(1)]), commit=False)
    ImportJob.objects.filter(pk=job.pk).update(status="validating", created_at=job.created_at - dt.timedelta(minutes=5))
    assert services.import_job_live(ImportJob.objects.get(pk=job.pk)).status == "failed" and not stored(job)


def test_a_second_click_on_import_after_a_clean_import_is_no_error(city, login):
    job, _ = run(city, xlsx([person_row(1)]))
    assert not stored(job)
    client = login(city.users["county_admin"])
    resp = client.post(reverse("members:import_result", args=[job.pk]), {"action": "all"})
    assert resp.status_code == 302 and PartyMember.objects.count() == 1
    assert "导入完成" in client.get(resp.url).content.decode()


def test_a_validated_job_whose_file_is_gone_is_refused_without_a_path(city):
    u = city.users["county_admin"]
    job, _ = run(city, xlsx([person_row(1)]), commit=False)
    services.import_file_path(job).unlink()
    with pytest.raises(services.ImportRefused, match="原文件已删除，无法导入，请重新上传"):
        services.import_job_commit(job=job, actor=Actor(user=u), scope=scope_for(u))
    job.refresh_from_db()
    assert "/" not in job.message and PartyMember.objects.count() == 0
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - LATER)
    assert services.import_job_purge() == 1 and ImportJob.objects.get(pk=job.pk).status == "cancelled"


def test_a_purge_finding_the_database_locked_waits_for_the_next_one(city, monkeypatch):
    from django.db import OperationalError

    def locked(now):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "_purge", locked)
    assert services.import_job_purge() == 0


def test_the_purge_is_audited_in_the_transaction_of_its_change(city, monkeypatch):
    job, _ = run(city, xlsx([person_row(1)]), commit=False)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - LATER)

    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.import_job_purge()
    assert ImportJob.objects.get(pk=job.pk).status == "validated" and stored(job)  # nothing changed unaudited


def test_stored_reasons_and_other_columns_keep_no_full_number(city):
    shifted = person_row(1)
    shifted["学历"] = ident(1)  # a shifted row: the number in another column, quoted by its reason
    job, _ = run(city, xlsx([shifted, person_row(2, 身份证号="341502199002300013")]), commit=False)
    text = str(job.errors)
    assert ident(1) not in text and "19900230" not in text and job.error_rows == 2


def test_the_pages_say_the_file_is_gone_instead_of_failing(city, login):
    partial, _ = run(city, xlsx([person_row(2), person_row(3, 民族="火星族")]), good_rows_only=True)
    left, _ = run(city, xlsx([person_row(1)]), commit=False)
    client = login(city.users["county_admin"])
    page = client.get(reverse("members:import_result", args=[partial.pk])).content.decode()
    assert "下载错误说明文件" in page
    ImportJob.objects.filter(pk__in=[left.pk, partial.pk]).update(created_at=timezone.now() - LATER)
    ImportJob.objects.filter(pk=partial.pk).update(finished_at=timezone.now() - LATER)
    client.get(reverse("members:import"))  # the import page purges
    page = client.get(reverse("members:import_result", args=[partial.pk])).content.decode()
    assert "下载错误说明文件" not in page and "原文件已按规定删除" in page
    resp = client.get(reverse("members:import_errors", args=[partial.pk]))
    assert resp.status_code == 302 and "原文件已删除" in client.get(resp.url).content.decode()
    page = client.get(reverse("members:import_result", args=[left.pk])).content.decode()
    assert "超过7天未导入，原文件已删除" in page
    listing = client.get(reverse("members:import")).content.decode()
    assert "已过期" in listing and "最长保留7天" in listing


def test_stored_errors_do_not_quote_the_birth_digits_nor_keep_shorter_numbers(city):
    row = person_row(1, 出生年月="1990.01", 姓名="张某", 入党时间="1997.01.01", 转正时间="1998.01.01")  # joined at 16
    row["学历"] = ident(1)[:17]  # a 17-digit typo, shifted into another column
    job, _ = run(city, xlsx([row, person_row(1)]), commit=False)  # a duplicate too: the masked number is stored
    text = str(job.errors)
    assert "未满18周岁" in text and "1998.05.17" not in text  # the 18th birthday gives back the birth date
    assert "19800517" not in text and "1980.05.17" not in text and ident(1)[:17] not in text


def test_a_purge_on_sqlite_waits_while_an_import_holds_the_write_lock(city):
    from django.db import connection

    running, _ = run(city, xlsx([person_row(2)]), commit=False)
    ImportJob.objects.filter(pk=running.pk).update(status="importing")
    services._alive_path(running).touch()
    due, _ = run(city, xlsx([person_row(1)]), commit=False)  # (an upload purges first: nothing is due yet)
    ImportJob.objects.filter(pk=due.pk).update(created_at=timezone.now() - LATER)
    assert services.import_job_purge() == (0 if connection.vendor == "sqlite" else 1)
    services._alive_path(running).unlink()
    ImportJob.objects.filter(pk=running.pk).update(status="validated")
    assert services.import_job_purge() == (1 if connection.vendor == "sqlite" else 0)
