"""Large exports as background jobs (``ExportJob``): a list too long to write within a request.

A city's 党员名册 (250,000 rows) takes about 45 s to write (bench/README.md, "Excel export"): in a
request the page would hang without a word, and a proxy in front of the server may give up. A list of
at least BACKGROUND_MIN_ROWS rows is therefore written to a file by a thread of the server while the
job's page shows its progress (``core.jobs``: heartbeat and progress note shared by the server's
processes); the user who asked downloads it as often as needed for KEEP_HOURS hours, after which the
file is deleted. Shorter lists are written within the request as before (``services.member_export``).

Audited: the start (``members.export_started``), the export itself when the file is complete
(``members.export``, as a direct export, with the job's id), a failure or interruption
(``members.export_failed``) and every download of the file (``members.export_download``).
The file holds what the direct export holds (full 身份证号 for roles that may see them) and is
stored under ``MEDIA_ROOT/exports`` with a random name, readable by its owner only; a download is
refused unless the user still has the scope, and the right to full numbers, the file was written for.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zugong.core import jobs
from zugong.core.audit import SYSTEM, Actor, audit_record
from zugong.core.scope import Scope, scope_for
from zugong.core.xlsx import ExportTooLarge, new_workbook, workbook_close
from zugong.members import services
from zugong.members.models import ExportJob

#: Lists at least this long are exported by a background job. The member export writes about
#: 5,500–6,000 rows/s here (jinan's 37,580 in 6.3 s), so this is ≈3.5 s of waiting in a request.
BACKGROUND_MIN_ROWS = 20_000
#: Hours a finished export's file is kept for downloading (deleted by ``purge_expired``).
KEEP_HOURS = 24
logger = logging.getLogger(__name__)


class ExportGone(ValueError):
    """Raised by ``export_job_file`` when the job has no file to download (not done, failed or
    expired); the message is Chinese."""


def export_dir() -> Path:
    """``MEDIA_ROOT/exports``, created when missing (owner-only: the files hold personal data)."""
    path = Path(settings.MEDIA_ROOT) / "exports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def export_file_path(job: ExportJob) -> Path:
    """Where the finished file of ``job`` is (or was) stored."""
    return export_dir() / job.stored_name


def _alive_path(job: ExportJob) -> Path:
    return export_dir() / f"{job.stored_name}.alive"


def _progress_path(job: ExportJob) -> Path:
    return export_dir() / f"{job.stored_name}.progress"


def member_export_size(scope: Scope, params: Mapping[str, str]) -> int:
    """How many rows the member export of ``scope`` with ``params`` would have (one COUNT query);
    Http404 for an ``org`` outside the scope, as the list."""
    return services.members_for_export(scope, params).count()


def export_job_start(
    *, actor: Actor, scope: Scope, params: Mapping[str, str], total: int | None = None, background: bool = True
) -> ExportJob:
    """Create and run a member export job for ``actor`` in ``scope`` with the list's filters
    ``params``; ``total`` is the expected number of rows (counted when None), for the progress bar.

    The job is created 'running' with its audit event (``members.export_started``) in one
    transaction, then written in a thread (``background``; in the caller otherwise, as tests and
    commands do). Files of earlier exports older than KEEP_HOURS are deleted first.
    Raises Http404 for an ``org`` filter outside the scope.
    """
    params = {k: str(v) for k, v in params.items() if v}
    if total is None:
        total = member_export_size(scope, params)
    purge_expired()
    title = services.member_export_title(params)
    stored = f"{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(8)}.xlsx"
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=ExportJob.Kind.MEMBERS, title=title, created_by=actor.user, scope_path=scope.org_path,
            params=params, unmasked=scope.may_view_id_numbers, stored_name=stored, progress_total=total,
        )  # fmt: skip
        audit_record(
            actor, "members.export_started", object_type="ExportJob", object_id=job.pk, scope_path=scope.org_path,
            summary=f"开始导出{title}（约{total}人）", after={"job": job.pk, "filters": params, "total": total},
        )  # fmt: skip
    user = actor.user

    def run() -> None:
        _run(job, actor, scope_for(user))

    if background:
        _alive_path(job).touch()  # before the thread: a poll never sees a running job without it
        jobs.start_thread(f"export-{job.pk}", run)
    else:
        run()
        job.refresh_from_db()
    return job


def _run(job: ExportJob, actor: Actor, scope: Scope) -> None:
    """Write the job's file (to ``….part``, renamed when complete) and mark the job done with the
    export's audit event in one transaction; on any error mark it failed (``_fail``)."""
    path = export_file_path(job)
    part = path.with_name(path.name + ".part")
    note = jobs.progress_noter(_progress_path(job))
    with jobs.heartbeat(_alive_path(job)):
        try:
            if scope.org_path != job.scope_path:  # the user's role changed since the request
                raise PermissionDenied("管理范围已变更，请重新导出")
            wb = new_workbook(part)
            count = services.write_member_export(
                wb, scope, job.params, progress=lambda done: note(done, max(done, job.progress_total))
            )
            workbook_close(wb)
            part.chmod(0o600)
            os.replace(part, path)
            with transaction.atomic():
                ExportJob.objects.filter(pk=job.pk).update(
                    status=ExportJob.Status.DONE, row_count=count, progress_done=count, finished_at=timezone.now()
                )
                services.audit_member_export(actor, scope, job.params, count, job=job.pk)
        except Exception as exc:  # a background failure must show on the page, not vanish
            if not isinstance(exc, ExportTooLarge | PermissionDenied):
                logger.exception("export job %s failed", job.pk)
            message = str(exc) if isinstance(exc, ExportTooLarge | PermissionDenied) else f"导出失败：{exc}"
            part.unlink(missing_ok=True)
            path.unlink(missing_ok=True)
            _fail(job, message, actor=actor)
        finally:
            _progress_path(job).unlink(missing_ok=True)


def _fail(job: ExportJob, message: str, *, actor: Actor) -> None:
    """Mark a running ``job`` failed with ``message`` (at most 300 characters), audited in the same
    transaction (``members.export_failed``); a job no longer running is left as it is."""
    message = message[:300]
    with transaction.atomic():
        if ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.FAILED, message=message, finished_at=timezone.now()
        ):
            audit_record(
                actor, "members.export_failed", object_type="ExportJob", object_id=job.pk, scope_path=job.scope_path,
                before={"status": ExportJob.Status.RUNNING}, after={"status": ExportJob.Status.FAILED, "message": message},
                summary=f"导出{job.title}未完成：{message}",
            )  # fmt: skip


def export_job_live(job: ExportJob) -> ExportJob:
    """``job`` as its page shows it: a running job whose process no longer beats (a server
    restart) is marked failed first (audited); a running job's ``progress_done`` is taken from its
    progress note (not saved). Returns ``job``."""
    if job.is_running and jobs.is_stale(_alive_path(job), job.created_at):
        _fail(job, "导出被中断（服务重启或进程退出），请重新导出", actor=SYSTEM)
        job.refresh_from_db()
    if job.is_running:
        note = jobs.read_progress(_progress_path(job))
        if note is not None:
            job.progress_done, job.progress_total = note
    return job


def export_file_ready(job: ExportJob) -> bool:
    """Whether ``job`` is done and its file not yet deleted (KEEP_HOURS)."""
    return job.status == ExportJob.Status.DONE and export_file_path(job).exists()


def export_job_file(*, job: ExportJob, actor: Actor, scope: Scope) -> Path:
    """The finished file of ``job`` for ``actor`` to download, audited (``members.export_download``).

    Raises PermissionDenied unless ``actor`` started the job and still has its scope — and, for a
    file with full 身份证号, still may see them; ExportGone when there is no file (running, failed,
    or deleted after KEEP_HOURS).
    """
    if job.created_by_id != getattr(actor.user, "pk", None) or scope.org_path != job.scope_path:
        raise PermissionDenied("只能下载本人在当前管理范围内导出的文件")
    if job.unmasked and not scope.may_view_id_numbers:
        raise PermissionDenied("当前角色不能查看完整身份证号，不能下载该文件")
    if not export_file_ready(job):
        raise ExportGone("文件已过期删除，请重新导出" if job.status == ExportJob.Status.DONE else "该导出任务没有可下载的文件")
    with transaction.atomic():
        audit_record(
            actor, "members.export_download", object_type="ExportJob", object_id=job.pk, scope_path=job.scope_path,
            summary=f"下载{job.title}（{job.row_count}人）" + ("（含完整身份证号）" if job.unmasked else ""),
            after={"job": job.pk, "count": job.row_count, "unmasked": job.unmasked},
        )  # fmt: skip
    return export_file_path(job)


def purge_expired(now: float | None = None) -> int:
    """Delete export files (and leftovers of runs: ``.part``, notes) older than KEEP_HOURS, by the
    file's modification time; ``now`` is a Unix time (default: now). Returns how many were deleted.
    The jobs stay: their page says the file has expired. A file system error leaves the file."""
    limit = (time.time() if now is None else now) - KEEP_HOURS * 3600
    deleted = 0
    for path in export_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                deleted += 1
        except OSError:
            continue
    return deleted


def recent_jobs(user, *, limit: int = 5) -> list[ExportJob]:
    """The user's export jobs of the last KEEP_HOURS hours, newest first, as their pages show them."""
    since = timezone.now() - dt.timedelta(hours=KEEP_HOURS)
    return [export_job_live(j) for j in ExportJob.objects.filter(created_by=user, created_at__gte=since)[:limit]]
