"""Large exports as background jobs (``ExportJob``): a list too long to write within a request.

A city's 党员名册 (250,000 rows) takes about 45 s to write (bench/README.md, "Excel export"): in a
request the page would hang without a word, and a proxy in front of the server may give up. A list of
at least BACKGROUND_MIN_ROWS rows is therefore written to a file by a thread of the server while the
job's page shows its progress (``core.jobs``: heartbeat and progress note shared by the server's
processes); the user who asked downloads it as often as needed for KEEP_HOURS hours, after which the
file is no longer offered and is deleted. Shorter lists are written within the request as before
(``services.member_export``).

Audited: the start (``members.export_started``), the export itself when the file is complete
(``members.export``, as a direct export, with the job's id), a failure or interruption
(``members.export_failed``) and every download of the file (``members.export_download``).
The file holds what the direct export holds (full 身份证号 for roles that may see them) and is
stored under ``MEDIA_ROOT/exports`` with a random name, owner-only from its first byte (XlsxWriter's
temporary row files too: ``core.xlsx.rows_tmpdir``); a download is refused unless the user still has
the scope, and the right to full numbers, the file was written for, and after KEEP_HOURS whether or
not the file has been deleted yet (``purge_expired`` runs when an export starts and when the 党员名册
and export pages are shown; there is no scheduler). Backups leave the folder out.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, transaction
from django.utils import timezone

from zugong.core import jobs, locks
from zugong.core.audit import SYSTEM, Actor, audit_record
from zugong.core.scope import Scope, scope_for
from zugong.core.xlsx import (
    MAX_ROWS,
    ExportRefused,
    ExportTooLarge,
    new_workbook,
    rows_tmpdir,
    workbook_abandon,
    workbook_close,
)
from zugong.members import services
from zugong.members.models import ExportJob

#: Lists at least this long are exported by a background job. The member export writes about
#: 5,500–6,000 rows/s here (jinan's 37,580 in 6.3 s), so this is ≈3.5 s of waiting in a request.
BACKGROUND_MIN_ROWS = 20_000
#: Background exports that may run at once, all users together. Each takes a core for up to a
#: minute (the city's 250,017 rows: 47–50 s) and the server has few: a third waits its turn.
MAX_RUNNING = 2
#: Hours a finished export's file is offered for downloading (then deleted by ``purge_expired``).
KEEP_HOURS = 24
#: Leftovers of runs (``.part``, notes, XlsxWriter's row files) older than this are deleted: no export
#: runs this long, and a process killed mid-export leaves them behind.
LEFTOVER_HOURS = 2
#: Attempts to record a finished export (SQLite: an import may hold the only write lock for a while).
DONE_ATTEMPTS = 5
#: What the user reads when an export fails for a reason of the server (the details go to the log).
FAILED_MESSAGE = "导出失败（服务器内部错误，详情已记入日志），请稍后重试"
INTERRUPTED_MESSAGE = "导出被中断（服务重启或进程退出），请重新导出"
#: The named lock (``core.locks``) under which a start counts the running exports and creates its job.
START_LOCK = "members.export_job_start"
logger = logging.getLogger(__name__)


class ExportBusy(ExportRefused):
    """Raised by ``export_job_start`` when ``MAX_RUNNING`` background exports run already; the
    message is Chinese."""


class ExportGone(ValueError):
    """Raised by ``export_job_file`` when the job has no file to download (not done, failed or
    expired); the message is Chinese."""


def export_dir() -> Path:
    """``MEDIA_ROOT/exports``, owner-only (the files hold personal data), created when missing."""
    path = Path(settings.MEDIA_ROOT) / "exports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
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
    commands do). Files of earlier exports past their time are deleted first (``purge_expired``).
    The same user's running export of the same list is returned instead of starting another.
    Raises Http404 for an ``org`` filter outside the scope, ExportTooLarge past Excel's row limit,
    ExportBusy when ``MAX_RUNNING`` exports of any users run already (a job whose process has died
    does not count). The running jobs are counted inside the transaction that creates the job, under
    ``core.locks.hold(START_LOCK)``: starts at the same moment are decided one after the other.
    """
    params = {k: str(v) for k, v in params.items() if v}
    if total is None:
        total = member_export_size(scope, params)
    title = services.member_export_title(params)
    if total >= MAX_ROWS:  # known now: do not write a million rows to refuse them
        raise ExportTooLarge(f"“{title}”超过Excel一张工作表的最大行数（{MAX_ROWS:,}行），请缩小范围后分批导出")
    purge_expired()
    stored = f"{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(8)}.xlsx"
    with transaction.atomic():
        # the count and the new job in one transaction, one start at a time: two clicks at once must not
        # both find a free place (PostgreSQL: a named lock; SQLite: the write lock of BEGIN IMMEDIATE)
        locks.hold(START_LOCK)
        running = [job for job in ExportJob.objects.filter(status=ExportJob.Status.RUNNING)
                   if not jobs.is_stale(_alive_path(job), job.created_at)]  # fmt: skip
        for job in running:
            if job.created_by_id == actor.user.pk and job.scope_path == scope.org_path and job.params == params:
                return job  # a second click on 导出Excel while the first export runs: the same job
        if len(running) >= MAX_RUNNING:
            raise ExportBusy(f"当前已有{len(running)}个大批量导出正在进行，请约一分钟后再导出“{title}”，或缩小范围直接下载")
        job = ExportJob.objects.create(
            kind=ExportJob.Kind.MEMBERS, title=title, created_by=actor.user, scope_path=scope.org_path,
            params=params, unmasked=scope.may_view_id_numbers, stored_name=stored, progress_total=total,
        )  # fmt: skip
        audit_record(
            actor, "members.export_started", object_type="ExportJob", object_id=job.pk, scope_path=scope.org_path,
            summary=f"开始导出{title}（约{total:,}人）", after={"job": job.pk, "filters": params, "total": total},
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
    """Write the job's file (to ``….part``, renamed when complete), then record it (``_record_done``);
    on an error of the writing mark the job failed (``_fail``) and leave no file behind."""
    path = export_file_path(job)
    part = path.with_name(path.name + ".part")
    note = jobs.progress_noter(_progress_path(job))
    with jobs.heartbeat(_alive_path(job)):
        try:
            os.close(os.open(part, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600))  # owner-only from the start
            wb = new_workbook(part)
            try:
                count = services.write_member_export(
                    wb, scope, job.params, progress=lambda done: note(done, max(done, job.progress_total))
                )
                workbook_close(wb)
            except BaseException:
                workbook_abandon(wb)  # removes XlsxWriter's temporary row files
                raise
            os.replace(part, path)
        except Exception as exc:  # a background failure must show on the page, not vanish
            part.unlink(missing_ok=True)
            if isinstance(exc, ExportTooLarge):
                message = str(exc)
            else:
                logger.exception("export job %s failed", job.pk)
                message = FAILED_MESSAGE
            _fail(job, message, actor=actor)
            return
        finally:
            _progress_path(job).unlink(missing_ok=True)
        _record_done(job, actor, scope, count)


def _record_done(job: ExportJob, actor: Actor, scope: Scope, count: int) -> None:
    """Mark the job done with the export's audit event in one transaction — only while it is still
    running (a job the stale check failed meanwhile stays failed, and its file is deleted). SQLite's
    write lock held by an import is waited for: DONE_ATTEMPTS tries with growing pauses while the
    heartbeat still beats; if all fail, or another error occurs, the file is deleted and the job marked failed."""
    for attempt in range(DONE_ATTEMPTS):
        try:
            with transaction.atomic():
                done = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
                    status=ExportJob.Status.DONE, row_count=count, progress_done=count, finished_at=timezone.now()
                )
                if done:
                    services.audit_member_export(actor, scope, job.params, count, job=job.pk)
        except OperationalError:
            logger.warning("export job %s: recording the finished export failed (attempt %s)", job.pk, attempt + 1)
            if attempt + 1 < DONE_ATTEMPTS:
                time.sleep(2**attempt)
            continue
        except Exception:
            logger.exception("export job %s: recording the finished export failed", job.pk)
            break
        if not done:
            export_file_path(job).unlink(missing_ok=True)
        return
    export_file_path(job).unlink(missing_ok=True)
    _fail(job, FAILED_MESSAGE, actor=actor)


def _fail(job: ExportJob, message: str, *, actor: Actor) -> None:
    """Mark a running ``job`` failed with ``message`` (at most 300 characters), audited in the same
    transaction (``members.export_failed``); a job no longer running is left as it is. When the
    database is locked (SQLite, an import) the job stays running: its stopped heartbeat fails it later."""
    message = message[:300]
    try:
        with transaction.atomic():
            if ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
                status=ExportJob.Status.FAILED, message=message, finished_at=timezone.now()
            ):
                audit_record(
                    actor, "members.export_failed", object_type="ExportJob", object_id=job.pk, scope_path=job.scope_path,
                    before={"status": ExportJob.Status.RUNNING}, after={"status": ExportJob.Status.FAILED, "message": message},
                    summary=f"导出{job.title}未完成：{message}",
                )  # fmt: skip
    except OperationalError:
        logger.warning("export job %s: could not be marked failed now (database locked)", job.pk)


def export_job_live(job: ExportJob) -> ExportJob:
    """``job`` as its page shows it: a running job whose process no longer beats (a server
    restart) is marked failed first (audited; left running while the database is locked, for the
    next poll); a running job's ``progress_done`` is taken from its progress note (not saved).
    Returns ``job``."""
    if job.is_running and jobs.is_stale(_alive_path(job), job.created_at):
        _fail(job, INTERRUPTED_MESSAGE, actor=SYSTEM)
        job.refresh_from_db()
    if job.is_running:
        note = jobs.read_progress(_progress_path(job))
        if note is not None:
            job.progress_done, job.progress_total = note
    return job


def export_expires_at(job: ExportJob) -> dt.datetime | None:
    """When the finished file of ``job`` stops being offered (``finished_at`` + KEEP_HOURS)."""
    return job.finished_at + dt.timedelta(hours=KEEP_HOURS) if job.finished_at else None


def export_file_ready(job: ExportJob) -> bool:
    """Whether ``job`` is done, within KEEP_HOURS of finishing, and its file still there."""
    expires = export_expires_at(job)
    return (
        job.status == ExportJob.Status.DONE and expires is not None and timezone.now() < expires
        and export_file_path(job).exists()
    )  # fmt: skip


def export_download_refusal(job: ExportJob, scope: Scope) -> str:
    """Why the user of ``scope`` (the job's creator) may not download ``job``'s file now: the scope
    is not the one the file was written for, or the file has full 身份证号 and the user may no longer
    see them; '' otherwise."""
    if scope.org_path != job.scope_path:
        return "管理范围已变更，不能下载该文件，请重新导出"
    if job.unmasked and not scope.may_view_id_numbers:
        return "当前账号不能查看完整身份证号，不能下载该文件，请重新导出"
    return ""


def export_job_file(*, job: ExportJob, actor: Actor, scope: Scope) -> BinaryIO:
    """The finished file of ``job``, opened, for ``actor`` to download; audited
    (``members.export_download``) once the file is open (a purge in between cannot leave an
    audited download that never happened).

    Raises PermissionDenied unless ``actor`` started the job and ``export_download_refusal`` finds
    nothing; ExportGone when there is no file to offer (running, failed, or past KEEP_HOURS).
    """
    if job.created_by_id != getattr(actor.user, "pk", None):
        raise PermissionDenied("只能下载本人导出的文件")
    if refusal := export_download_refusal(job, scope):
        raise PermissionDenied(refusal)
    if job.status != ExportJob.Status.DONE:
        raise ExportGone("该导出任务没有可下载的文件")
    try:
        if not export_file_ready(job):
            raise FileNotFoundError
        handle = export_file_path(job).open("rb")
    except FileNotFoundError:
        raise ExportGone(f"文件已超过{KEEP_HOURS}小时，已删除，请重新导出") from None
    try:
        with transaction.atomic():
            audit_record(
                actor, "members.export_download", object_type="ExportJob", object_id=job.pk, scope_path=job.scope_path,
                summary=f"下载{job.title}（{job.row_count:,}人）" + ("（含完整身份证号）" if job.unmasked else ""),
                after={"job": job.pk, "count": job.row_count, "unmasked": job.unmasked},
            )  # fmt: skip
    except BaseException:
        handle.close()
        raise
    return handle


def purge_expired(now: float | None = None) -> int:
    """Delete finished exports' files older than KEEP_HOURS, and leftovers of runs (``.part``, notes,
    XlsxWriter's row files in ``core.xlsx.rows_tmpdir``) older than LEFTOVER_HOURS, by the file's
    modification time (or status-change time, if later); ``now`` is a Unix time (default: now).
    Returns how many files were deleted.
    The jobs stay: their page says the file has expired. A file system error leaves the file."""
    now = time.time() if now is None else now
    deleted = 0
    for folder, finished in ((export_dir(), True), (rows_tmpdir(), False)):
        for path in folder.iterdir():
            hours = KEEP_HOURS if finished and path.suffix == ".xlsx" else LEFTOVER_HOURS
            try:
                st = path.stat()
                # the later of the two: XlsxWriter sets a part's mtime to 1980 just before zipping it,
                # which also sets its ctime to now — a file being packaged is not a leftover
                if path.is_file() and max(st.st_mtime, st.st_ctime) < now - hours * 3600:
                    path.unlink()
                    deleted += 1
            except OSError:
                continue
    return deleted


def recent_jobs(user, *, limit: int = 5) -> list[ExportJob]:
    """The user's export jobs of the last KEEP_HOURS hours, newest first, as their pages show them
    (each with ``ready``: ``export_file_ready``)."""
    since = timezone.now() - dt.timedelta(hours=KEEP_HOURS)
    recent = [export_job_live(j) for j in ExportJob.objects.filter(created_by=user, created_at__gte=since)[:limit]]
    for job in recent:
        job.ready = export_file_ready(job)
    return recent


def delete_jobs_of(users) -> int:
    """Delete the export jobs of ``users`` (a queryset or list of users), and their files when the
    caller's transaction commits; for removing accounts (the demo's reset). Returns how many jobs."""
    doomed = list(ExportJob.objects.filter(created_by__in=users))
    ExportJob.objects.filter(pk__in=[j.pk for j in doomed]).delete()

    def unlink() -> None:
        for job in doomed:
            for path in (export_file_path(job), _alive_path(job), _progress_path(job)):
                path.unlink(missing_ok=True)

    transaction.on_commit(unlink)  # files go with the rows, not before a rollback
    return len(doomed)
