"""Member roster import jobs and exports: every write goes through here and is audited.

Import lifecycle (one ``ImportJob`` per uploaded file, for members or cadres):

- ``import_job_create``: checks the role, stores the file under ``MEDIA_ROOT/imports``.
- ``import_job_validate``: reads and validates every row, stores counts and errors; writes nothing else.
- ``import_job_commit``: reads the file, then validates again (the database may have changed) and
  writes all rows — or, with ``good_rows_only``, only the rows without errors — in ONE transaction
  that also writes ONE audit event (``members.import`` / ``cadres.import``) with the counts and job id.
  Without ``good_rows_only`` nothing is written when any row is bad (ImportRefused); the errors found
  are recorded on the job after the rollback. Validating inside the write's transaction is what makes
  the decisions hold: the cadre roster reads the rows it may change ``SELECT … FOR UPDATE``
  (``cadres.services.roster_import``), and on SQLite the transaction holds the only write lock.
- ``import_job_start``: runs validate/commit in a background thread when the file is large
  (``BACKGROUND_MIN_BYTES``), so the page can poll the job's progress; synchronously otherwise.
  A commit is claimed by one conditional UPDATE: of two commits of one job only the first runs.
- Audited besides the import itself, each in the transaction of its change of the job: the upload
  (``…import_uploaded``), the start of a commit (``…import_started``), a validation or commit that
  ends without writing (``…import_failed``, with the reason), a cancel and an interruption.
- ``import_job_live``: what the polling page shows — progress from the running commit's note, and
  a job whose process died (its ``.alive`` heartbeat stopped) put back so that it can be run again.

Personal data (《个人信息保护法》第十九条 "保存期限应当为实现处理目的所必要的最短时间", 2021; the same
rule as the 考核依据 import): an uploaded roster holds full 身份证号 and phones in plain text, so it is
kept only while it is needed. It is deleted when the job is cancelled, when its validation fails, when
it is imported without bad rows, and by ``import_job_purge`` UPLOAD_KEEP after the upload otherwise
(after the import for a job imported with only its good rows, for its error report; a validated job
left that long is cancelled, 已过期). The stored error list keeps 身份证号 only masked
(``rules.mask_errors``), and no error quotes the birth digits the mask hides.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from zugong.core import bulkload, codes, crypto, jobs
from zugong.core.audit import SYSTEM, Actor, audit_record
from zugong.core.models import PHONE_CONTEXT, Role
from zugong.core.rules import make_id_number, mask_errors
from zugong.core.scope import Scope, scope_for
from zugong.core.xlsx import Book, add_sheet, new_workbook, rows_to_xlsx, workbook_abandon, workbook_bytes
from zugong.members import importer
from zugong.members.models import ImportJob, LeaveReason, PartyMember
from zugong.members.roster import MEMBER_COLUMNS, error_file, read_sheet
from zugong.orgs.models import BRANCH_KINDS, PartyOrganization
from zugong.orgs.selectors import division_name

#: An uploaded roster is deleted at the latest this long after its upload (``import_job_purge``).
UPLOAD_KEEP = dt.timedelta(days=7)
#: The message of a validated job that ``import_job_purge`` cancelled.
EXPIRED = f"该导入任务上传后超过{UPLOAD_KEEP.days}天未导入，原文件已删除，未导入任何数据，请重新上传"
#: Why an import cannot read its file any more (deleted meanwhile).
FILE_GONE = "原文件已删除，无法导入，请重新上传"
#: Why an error report cannot be made any more.
FILE_DELETED = f"原文件已删除（导入完成、已取消、校验失败或上传已超过{UPLOAD_KEEP.days}天），无法生成错误说明文件"
#: A member export reports its progress every this many rows (``write_member_export``).
PROGRESS_ROWS = 2_000
#: Files at least this large are processed in a background thread (about 4,000 rows of a roster).
BACKGROUND_MIN_BYTES = 300_000
logger = logging.getLogger(__name__)
CONFLICT_MESSAGE = "导入期间，其他操作写入或删除了相关数据（如同一人员正由另一导入任务写入），已撤销整个导入，未写入任何数据，请重新导入"
ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".xls")  # not .ods: see roster.read_sheet
IMPORT_ROLES = {
    ImportJob.Kind.MEMBERS: (Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.BRANCH_SECRETARY),
    ImportJob.Kind.CADRES: (Role.CITY_ADMIN, Role.COUNTY_ADMIN),
}


class ImportRefused(ValueError):
    """Raised when an import may not be written (rows with errors and not good-rows-only, wrong state)."""


@dataclass(frozen=True)
class RosterKind:
    """How one kind of roster is validated and written (members here, cadres in zugong.cadres.services)."""

    # (rows, scope, *, today, progress) -> importer.Prepared; a kind with ``write`` also takes ``lock=True``
    # (the commit's call, in its transaction: lock the rows read that the write may change)
    prepare: Callable
    write: Callable | None  # (prepared, *, today, actor, scope) -> counts dict
    audit_action: str
    label: str
    # One-pass validate-and-write inside the commit's transaction, instead of prepare then write:
    # (rows, scope, *, today, good_rows_only, progress) -> (Prepared, counts dict or None to roll back)
    stream: Callable | None = None


def roster_kind(kind: str) -> RosterKind:
    """The RosterKind for ``kind`` ('members' or 'cadres'); ValueError otherwise."""
    if kind == ImportJob.Kind.MEMBERS:
        return RosterKind(
            prepare=importer.prepare_members,
            write=None,
            audit_action="members.import",
            label="党员名册",
            stream=importer.import_members,
        )
    if kind == ImportJob.Kind.CADRES:
        from zugong.cadres import services as cadre_services

        return RosterKind(
            prepare=cadre_services.prepare_cadres,
            write=cadre_services.write_cadres,
            audit_action="cadres.import",
            label="干部名册",
        )
    raise ValueError(f"unknown roster kind {kind!r}")


def require_import(scope: Scope, kind: str) -> None:
    """PermissionDenied unless the role may import rosters of ``kind`` (admins; branch secretaries for members)."""
    if scope.role not in IMPORT_ROLES.get(kind, ()):
        raise PermissionDenied("当前角色不能导入名册")


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_file_path(job: ImportJob) -> Path:
    """Where the uploaded file of ``job`` is stored."""
    return _import_dir() / job.stored_name


def import_job_create(*, actor: Actor, scope: Scope, kind: str, filename: str, content: bytes) -> ImportJob:
    """Store an uploaded roster and create its job (status 'validating'). Raises PermissionDenied, ImportRefused."""
    require_import(scope, kind)
    import_job_purge()
    suffix = Path(filename).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ImportRefused("请上传Excel文件（.xlsx、.xls）")
    stored = f"{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(8)}{suffix}"
    path = _import_dir() / stored
    path.write_bytes(content)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                kind=kind, created_by=actor.user, scope_path=scope.org_path, filename=Path(filename).name[:200], stored_name=stored
            )
            audit_record(
                actor, f"{roster_kind(kind).audit_action}_uploaded", object_type="ImportJob", object_id=job.pk, scope_path=scope.org_path,
                after={"file": job.filename, "kind": kind, "bytes": len(content)},
                summary=f"上传{job.get_kind_display()}“{job.filename}”（{len(content):,}字节），待校验",
            )  # fmt: skip
    except BaseException:
        path.unlink(missing_ok=True)  # no job, no stored file
        raise
    return job


def _progress_saver(job: ImportJob) -> Callable[[int, int], None]:
    """Progress of a validation, ``(rows done, rows in all)``, saved on the job's row: a validation
    runs outside any transaction. A commit's goes to a note (``_progress_noter``)."""

    def save(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)

    return save


def _progress_note_path(job: ImportJob) -> Path:
    return _import_dir() / f"{job.stored_name}.progress"


def _progress_noter(job: ImportJob) -> Callable[[int, int], None]:
    """Progress of a commit, ``(rows done, rows in all)``, in a small file beside the upload
    (``jobs.progress_noter``), removed when the commit ends; ``import_job_live`` reads it."""
    return jobs.progress_noter(_progress_note_path(job))


def import_job_live(job: ImportJob) -> ImportJob:
    """``job`` with ``progress_done``/``progress_total`` (rows) taken from its running commit's
    progress note when there is one (``_progress_noter``); not saved. Returns ``job``.

    When every row is done the commit still writes the updates and transfers and commits (seconds
    for a large re-import): the message then says so, not the bar's last words.

    A job that says it runs but whose process no longer beats (``_alive``: a server restart, a
    killed worker) is put right first (``_recover_interrupted``): a commit's transaction died with
    its process, so nothing was written and the job may be imported again."""
    if job.is_running and _interrupted(job):
        _recover_interrupted(job)
    if job.status == ImportJob.Status.IMPORTING:
        note = jobs.read_progress(_progress_note_path(job))  # None: reading the file, or the commit ended
        if note is not None:
            done, total = job.progress_done, job.progress_total = note
            if total and done >= total:
                job.message = "已全部校验，正在保存更改并提交…"
    return job


def _alive_path(job: ImportJob) -> Path:
    return _import_dir() / f"{job.stored_name}.alive"


def _alive(job: ImportJob) -> contextlib.AbstractContextManager[None]:
    """The job's heartbeat while the body runs (``jobs.heartbeat`` of its ``.alive`` file)."""
    return jobs.heartbeat(_alive_path(job))


def _interrupted(job: ImportJob) -> bool:
    """Whether a job in a running status has no process behind it (``jobs.is_stale``)."""
    return jobs.is_stale(_alive_path(job), job.created_at)


def _recover_interrupted(job: ImportJob) -> None:
    """Move an interrupted job out of its running status (one conditional UPDATE: a run that just
    ended keeps its own outcome) and reload it: an import back to 'validated' — its transaction was
    rolled back with its process —, a validation to 'failed' (upload the file again)."""
    if job.status == ImportJob.Status.IMPORTING:
        status, message = ImportJob.Status.VALIDATED, "上次导入被中断（服务重启或进程退出），未写入任何数据，可重新导入"
    else:
        status, message = ImportJob.Status.FAILED, "校验被中断（服务重启或进程退出），请重新上传文件"
    try:
        with transaction.atomic():
            if ImportJob.objects.filter(pk=job.pk, status=job.status).update(status=status, message=message, progress_done=0):
                audit_record(
                    SYSTEM, f"{roster_kind(job.kind).audit_action}_interrupted", object_type="ImportJob", object_id=job.pk,
                    scope_path=job.scope_path, before={"status": job.status}, after={"status": status},
                    summary=f"导入任务“{job.filename}”被中断（服务重启或进程退出），状态改为“{ImportJob.Status(status).label}”",
                )  # fmt: skip
    except OperationalError:  # SQLite: another import holds the write lock; the next poll tries again
        return
    # the .alive file stays: removing it could race with a new claim of the job (a stale file is harmless)
    _progress_note_path(job).unlink(missing_ok=True)
    job.refresh_from_db()
    if job.status == ImportJob.Status.FAILED:  # a failed validation cannot be imported: its file goes
        import_file_path(job).unlink(missing_ok=True)


def _read(job: ImportJob, timings: dict) -> list:
    """The rows of the job's file; ValueError (Chinese, no path) when the file is gone."""
    t0 = time.perf_counter()
    path = import_file_path(job)
    if not path.exists():
        raise ValueError(FILE_GONE)
    rows = read_sheet(path)
    timings["read"] = time.perf_counter() - t0
    return rows


def import_job_validate(
    *, job: ImportJob, scope: Scope, today: dt.date | None = None, actor: Actor = SYSTEM
) -> importer.Prepared:
    """Read and validate the job's file; store counts, expected outcomes and errors on the job.

    Nothing but the job row is written; a validation that fails (an unreadable file) is audited
    for ``actor`` (``_fail``). Returns the Prepared result (errors, records, counts, timings).
    """
    with _alive(job):
        try:
            return _validate(job, scope, today, status=ImportJob.Status.VALIDATED, actor=actor)
        except ImportRefused:
            raise
        except Exception as exc:  # recorded while the job still beats, so the page never calls it interrupted
            logger.exception("import job %s: validation failed", job.pk)
            _fail(job, f"校验失败：{exc}", actor=actor)
            raise


def _validate(job: ImportJob, scope: Scope, today: dt.date | None, *, status: str, actor: Actor) -> importer.Prepared:
    """``import_job_validate``, leaving the job in ``status``. (A commit validates in its own
    transaction: ``_commit_streamed``.)"""
    kind = roster_kind(job.kind)
    timings: dict = {}
    try:
        rows = _read(job, timings)
    except ValueError as exc:
        _fail(job, str(exc), actor=actor)
        raise ImportRefused(str(exc)) from None
    prepared = kind.prepare(rows, scope, today=today, progress=_progress_saver(job))
    prepared.timings.update(timings)
    job.status = status
    _store_outcome(job, prepared)
    job.save()
    return prepared


def _store_outcome(job: ImportJob, prepared: importer.Prepared) -> None:
    """Copy what validation found (rows, errors, expected counts, timings) onto the job (not saved)."""
    job.total_rows = prepared.total_rows
    job.error_rows = prepared.error_count
    job.created_count = prepared.counts.get("new", 0)
    job.updated_count = prepared.counts.get("update", 0) + prepared.counts.get("transfer", 0)
    job.transferred_count = prepared.counts.get("transfer", 0)
    job.unchanged_count = prepared.counts.get("unchanged", 0)
    job.progress_done = job.progress_total = prepared.total_rows
    job.message = prepared.header_error
    job.errors = mask_errors(prepared.errors)
    job.timings = {k: round(v, 3) for k, v in prepared.timings.items()}


def import_job_commit(
    *, job: ImportJob, actor: Actor, scope: Scope, good_rows_only: bool = False, today: dt.date | None = None
) -> ImportJob:
    """Validate the file again and write it in one transaction with one audit event.

    All or nothing: raises ImportRefused (and writes nothing, no audit) when any row is bad and
    ``good_rows_only`` is False, or when the file has no usable header. With ``good_rows_only``
    the good rows are written, again in one transaction. The job ends 'done' with the counts.
    Raises ImportRefused too when the job is not 'validated' — of two commits of one job (a double
    click, two tabs, two server processes) only the first passes (``_claim_commit``).
    """
    require_import(scope, job.kind)
    _claim_commit(job, actor=actor, good_rows_only=good_rows_only)
    with _alive(job):
        return _commit(job, actor=actor, scope=scope, good_rows_only=good_rows_only, today=today)


def _claim_commit(job: ImportJob, *, actor: Actor, good_rows_only: bool) -> None:
    """Move the job from 'validated' to 'importing' by one conditional UPDATE, so that exactly one
    of concurrent commits of a job goes on; the others raise ImportRefused with the job's status.
    The claim is audited in its transaction (``…import_started``: who started which file, from where;
    the import's own event follows when it is written, ``…_failed`` when it is not).
    The ``.alive`` file is touched first: a poll between the two never sees a claimed job without it."""
    _alive_path(job).touch()
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALIDATED).update(
            status=ImportJob.Status.IMPORTING, progress_done=0, progress_total=0, message="正在读取文件…"
        )  # no total until the first chunk is done: the page says 正在读取文件…, not 已处理 0 / N
        if claimed:
            audit_record(
                actor, f"{roster_kind(job.kind).audit_action}_started", object_type="ImportJob", object_id=job.pk,
                scope_path=job.scope_path, before={"status": ImportJob.Status.VALIDATED},
                after={"status": ImportJob.Status.IMPORTING, "good_rows_only": good_rows_only},
                summary=f"开始导入“{job.filename}”" + ("（只导入无误的行）" if good_rows_only else ""),
            )  # fmt: skip
    if not claimed:
        job.refresh_from_db(fields=["status"])
        raise ImportRefused(f"该导入任务当前状态为“{job.get_status_display()}”，不能导入")
    job.status = ImportJob.Status.IMPORTING


def _commit(job: ImportJob, *, actor: Actor, scope: Scope, good_rows_only: bool, today: dt.date | None) -> ImportJob:
    """``import_job_commit`` of a job already claimed (status 'importing').

    However the commit fails, its transaction is rolled back and the job goes back to 'validated'
    with a Chinese message (recorded while the job still beats): a conflict with a write committed
    meanwhile (``_is_conflict``: the same person imported by another job, a branch deleted) raises
    ImportRefused — the next try validates against the new state of the database —; any other
    error is logged and raised as it is.
    """
    try:
        job = _commit_claimed(job, actor=actor, scope=scope, good_rows_only=good_rows_only, today=today)
        if not job.error_rows:  # no error report to make: the file has served its purpose
            import_file_path(job).unlink(missing_ok=True)
        return job
    except ImportRefused:
        raise
    except Exception as exc:
        if _is_conflict(exc):
            message = str(exc) if isinstance(exc, bulkload.LoadConflict) else CONFLICT_MESSAGE
            _fail(job, message, status=ImportJob.Status.VALIDATED, actor=actor)
            raise ImportRefused(message) from exc
        logger.exception("import job %s: commit failed", job.pk)
        _fail(job, f"导入失败，已撤销，未写入任何数据：{exc}", status=ImportJob.Status.VALIDATED, actor=actor)
        raise


def _is_conflict(exc: BaseException) -> bool:
    """Whether ``exc`` is a unique or foreign-key violation (PostgreSQL SQLSTATE 23505/23503, SQLite
    SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY/FOREIGNKEY) or a ``bulkload.LoadConflict``: another write
    committed meanwhile. So are a PostgreSQL deadlock (40P01: another import locking the same rows in
    another order) and a serialization failure (40001): the server rolled the import back, and a
    new try may pass. NOT NULL and CHECK violations are bugs of the import, not conflicts."""
    if isinstance(exc, bulkload.LoadConflict):
        return True
    cause = exc.__cause__
    if isinstance(exc, OperationalError):
        return getattr(cause, "sqlstate", None) in ("40P01", "40001")
    if not isinstance(exc, IntegrityError):
        return False
    return getattr(cause, "sqlstate", None) in ("23505", "23503") or getattr(cause, "sqlite_errorname", None) in (
        "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_FOREIGNKEY",
    )  # fmt: skip


def _commit_claimed(job: ImportJob, *, actor: Actor, scope: Scope, good_rows_only: bool, today: dt.date | None) -> ImportJob:
    today = today or timezone.localdate()
    kind = roster_kind(job.kind)
    timings: dict = {}
    try:
        rows = _read(job, timings)
    except ValueError as exc:
        # members go back to 'validated'; a kind validated apart fails, as its validation did
        status = ImportJob.Status.VALIDATED if kind.stream is not None else ImportJob.Status.FAILED
        _fail(job, str(exc), status=status, actor=actor)
        raise ImportRefused(str(exc)) from None
    stream = kind.stream or _prepare_and_write(kind, actor=actor)
    return _commit_streamed(
        job, kind, stream, rows, timings, actor=actor, scope=scope, good_rows_only=good_rows_only, today=today
    )


def _prepare_and_write(kind: RosterKind, *, actor: Actor) -> Callable:
    """A one-pass commit, shaped as ``RosterKind.stream``, for a kind that validates (``prepare``) and
    writes (``write``) apart — the cadre roster: both run in the caller's transaction, ``prepare`` with
    ``lock=True`` (the rows it reads that the write may change are locked until the commit), so that a
    change committed meanwhile (the city making a cadre 市管, moving it) is either seen by the
    validation or waits for the import — never overwritten by a decision taken before it.
    Returns (Prepared, None) when errors forbid writing (a header error; bad rows without
    ``good_rows_only``), else (Prepared, counts of ``write``)."""

    def stream(rows, scope: Scope, *, today: dt.date, good_rows_only: bool, progress) -> tuple:
        prepared = kind.prepare(rows, scope, today=today, progress=progress, lock=True)
        if prepared.header_error or (prepared.error_count and not good_rows_only):
            return prepared, None
        return prepared, kind.write(prepared, today=today, actor=actor, scope=scope)

    return stream


class _RollBack(Exception):
    """Leaves the commit's transaction when the one-pass import found rows that forbid writing."""

    def __init__(self, prepared: importer.Prepared):
        super().__init__("roll back")
        self.prepared = prepared


def _commit_streamed(
    job: ImportJob,
    kind: RosterKind,
    stream: Callable,
    rows: list,
    timings: dict,
    *,
    actor: Actor,
    scope: Scope,
    good_rows_only: bool,
    today: dt.date,
) -> ImportJob:
    """The commit of the file's ``rows`` by ``stream`` (``RosterKind.stream``'s shape): in one
    transaction validate, write, audit; roll back when errors forbid writing (``_RollBack``), then
    record what validation found on the job and refuse. Progress goes to the job's note
    (``_progress_noter``): the job's row, written in the transaction, is seen by no one until it ends."""
    ImportJob.objects.filter(pk=job.pk).update(message="正在校验并写入数据库…")
    t0 = time.perf_counter()
    progress = _progress_noter(job)
    try:
        with transaction.atomic():
            prepared, counts = stream(rows, scope, today=today, good_rows_only=good_rows_only, progress=progress)
            if counts is None:
                raise _RollBack(prepared)
            prepared.timings.update(timings)
            _store_outcome(job, prepared)
            _finish(job, kind, prepared, counts, actor=actor, scope=scope, good_rows_only=good_rows_only)
            job.save()
            t_commit = time.perf_counter()
    except _RollBack as rb:
        prepared = rb.prepared
        prepared.timings.update(timings)
        _store_outcome(job, prepared)
        job.save()  # still 'importing': _fail puts it back to 'validated' with its audit event
        if prepared.header_error:
            _fail(job, prepared.header_error, status=ImportJob.Status.VALIDATED, actor=actor)
            raise ImportRefused(prepared.header_error) from None
        _refuse(job, prepared, actor=actor)
    finally:
        _progress_note_path(job).unlink(missing_ok=True)
    job.timings["write.commit"] = round(time.perf_counter() - t_commit, 3)
    job.timings["write"] = round(time.perf_counter() - t0 - prepared.timings.get("validate", 0), 3)
    return job


def _refuse(job: ImportJob, prepared: importer.Prepared, *, actor: Actor) -> None:
    """Record that rows with errors stopped an all-or-nothing import, and raise ImportRefused."""
    _fail(job, f"有{prepared.error_count}行有误，未导入任何数据", status=ImportJob.Status.VALIDATED, actor=actor)
    raise ImportRefused(job.message + "：" + "；".join(f"第{e[0]}行{e[1]}：{e[3]}" for e in prepared.errors[:3]))


def _finish(
    job: ImportJob, kind: RosterKind, prepared: importer.Prepared, counts: dict, *, actor: Actor, scope: Scope,
    good_rows_only: bool,
) -> None:  # fmt: skip
    """Mark the job done with ``counts`` and write the import's audit event (inside the transaction; not saved)."""
    job.status = ImportJob.Status.DONE
    job.good_rows_only = good_rows_only
    job.created_count = counts["created"]
    job.updated_count = counts["updated"]
    job.unchanged_count = counts["unchanged"]
    job.transferred_count = counts.get("transferred", 0)
    job.finished_at = timezone.now()
    job.message = ""
    after = {
        "job": job.pk, "file": job.filename, "rows": prepared.total_rows, "error_rows": prepared.error_count,
        "good_rows_only": good_rows_only, **counts,
    }  # fmt: skip
    audit_record(
        actor, kind.audit_action, object_type="ImportJob", object_id=job.pk, scope_path=scope.org_path, after=after,
        summary=f"导入{kind.label}“{job.filename}”：新增{counts['created']:,}、更新{counts['updated']:,}、"
        f"未变{counts['unchanged']:,}、有误未导入{prepared.error_count if good_rows_only else 0:,}",
    )
    job.timings = {**job.timings, **{k: round(v, 3) for k, v in prepared.timings.items() if k.startswith(("write.", "validate."))}}


def import_job_cancel(*, job: ImportJob, actor: Actor) -> None:
    """Mark a validated or failed job cancelled (nothing was written), audited in the same
    transaction, and delete its stored file; a job already cancelled stays as it is.

    The job's row is locked while its status is read and changed: a cancel racing an import of the
    same job (two tabs) either wins before the claim (``_claim_commit``'s conditional UPDATE then
    finds it cancelled) or finds it running. Raises ImportRefused for a job that is done or running
    (its run would bring it back)."""
    cancellable = (ImportJob.Status.VALIDATED, ImportJob.Status.FAILED)
    with transaction.atomic():
        # the row locked (SQLite: the write lock of the transaction) to record the status it had
        current = ImportJob.objects.select_for_update().values_list("status", flat=True).get(pk=job.pk)
        if current == ImportJob.Status.CANCELLED:
            job.status = current
            return
        if current not in cancellable:
            job.status = current
            raise ImportRefused("该导入任务已导入或正在校验、导入，不能取消")
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CANCELLED)
        audit_record(
            actor, f"{roster_kind(job.kind).audit_action}_cancelled", object_type="ImportJob", object_id=job.pk,
            scope_path=job.scope_path, before={"status": current}, after={"status": ImportJob.Status.CANCELLED},
            summary=f"取消导入“{job.filename}”，未写入任何数据",
        )  # fmt: skip
    job.status = ImportJob.Status.CANCELLED
    import_file_path(job).unlink(missing_ok=True)
    _alive_path(job).unlink(missing_ok=True)


def _fail(job: ImportJob, message: str, *, status: str = ImportJob.Status.FAILED, actor: Actor = SYSTEM) -> None:
    """Put ``job`` in ``status`` ('failed' after a validation, 'validated' after an import that wrote
    nothing) with ``message`` (at most 300 characters), audited in the same transaction
    (``…import_failed``: the status it had, the new one and the message, for ``actor``)."""
    job.status = status
    job.message = message[:300]
    with transaction.atomic():
        # the row locked (SQLite: the write lock of the transaction) to record the status it had
        before = ImportJob.objects.select_for_update().values_list("status", flat=True).get(pk=job.pk)
        ImportJob.objects.filter(pk=job.pk).update(status=status, message=job.message)
        audit_record(
            actor, f"{roster_kind(job.kind).audit_action}_failed", object_type="ImportJob", object_id=job.pk,
            scope_path=job.scope_path, before={"status": before}, after={"status": status, "message": job.message},
            summary=f"{'校验' if before == ImportJob.Status.VALIDATING else '导入'}“{job.filename}”未完成：{job.message}",
        )  # fmt: skip
    if status == ImportJob.Status.FAILED:  # a failed job cannot be imported: upload the file again
        import_file_path(job).unlink(missing_ok=True)


def import_job_start(
    *, job: ImportJob, actor: Actor, phase: str, good_rows_only: bool = False, background: bool | None = None
) -> None:
    """Run ``phase`` ('validate' or 'commit') of ``job`` for ``actor`` (a user and the address the
    request came from, both in the import's audit event): in a thread for large files.

    ``background=None`` decides by file size (BACKGROUND_MIN_BYTES). Errors end in the job's
    status and message; the page polls the job.
    """
    if background is None:  # a file gone (imported already, expired) is refused by the run itself
        path = import_file_path(job)
        background = path.exists() and path.stat().st_size >= BACKGROUND_MIN_BYTES
    user = actor.user

    def run() -> None:
        scope = scope_for(user)
        try:
            if phase == "validate":
                import_job_validate(job=job, scope=scope, actor=actor)
            elif background:  # claimed below, before the thread starts
                with _alive(job):
                    _commit(job, actor=actor, scope=scope, good_rows_only=good_rows_only, today=None)
            else:
                import_job_commit(job=job, actor=actor, scope=scope, good_rows_only=good_rows_only)
        except ImportRefused:
            pass
        except Exception as exc:  # a background failure must show on the page, not vanish
            if job.is_running:  # the phase did not record it (it records its own failures)
                _fail(job, f"处理失败：{exc}", actor=actor)
            if not background:
                raise

    if not background:
        run()
        return
    if phase == "commit":  # in the request, so that a second click is refused on the page
        require_import(scope_for(user), job.kind)
        _claim_commit(job, actor=actor, good_rows_only=good_rows_only)
    else:
        _alive_path(job).touch()
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING, progress_done=0)

    jobs.start_thread(f"import-{job.pk}", run)


def import_file(
    *, actor: Actor, scope: Scope, kind: str, path: Path, good_rows_only: bool = False, dry_run: bool = False
) -> tuple[ImportJob, importer.Prepared | None]:
    """Import a roster file from disk (the ``zugong import`` command): validate, then commit unless
    ``dry_run`` (then the job is cancelled and its stored copy deleted: nothing stays for later).

    Returns the job; raises ImportRefused when rows are bad and not ``good_rows_only``.
    """
    job = import_job_create(actor=actor, scope=scope, kind=kind, filename=path.name, content=path.read_bytes())
    prepared = import_job_validate(job=job, scope=scope, actor=actor)
    if dry_run:  # validation only: the job is cancelled at once, and the copy of the file with it
        import_job_cancel(job=job, actor=actor)
        return job, prepared
    return import_job_commit(job=job, actor=actor, scope=scope, good_rows_only=good_rows_only), prepared


# --------------------------------------------------------------------------- files for the user


def import_error_file(job: ImportJob) -> bytes:
    """A copy of the uploaded file with a 错误说明 column appended and the bad rows highlighted (.xlsx)."""
    columns = MEMBER_COLUMNS
    if job.kind == ImportJob.Kind.CADRES:
        from zugong.cadres.roster import CADRE_COLUMNS

        columns = CADRE_COLUMNS
    path = import_file_path(job)
    if not path.exists():
        raise ImportRefused(FILE_DELETED)
    return error_file(path, job.errors, columns)


def import_file_kept(job: ImportJob) -> bool:
    """Whether the uploaded file of ``job`` is still stored (see the module's note on personal data)."""
    return import_file_path(job).exists()


def delete_import_jobs_of(users) -> int:
    """Delete the roster import jobs of ``users`` (a queryset or list of users), and their stored
    files when the caller's transaction commits; for removing accounts (the demo's reset). A running
    job's thread then fails to save its outcome. Returns how many jobs were deleted."""
    doomed = list(ImportJob.objects.filter(created_by__in=users).only("pk", "stored_name"))
    ImportJob.objects.filter(pk__in=[j.pk for j in doomed]).delete()

    def unlink() -> None:
        for job in doomed:
            for path in (import_file_path(job), _alive_path(job), _progress_note_path(job)):
                path.unlink(missing_ok=True)

    transaction.on_commit(unlink)
    return len(doomed)


def import_job_expired(job: ImportJob) -> bool:
    """Whether ``job`` was cancelled by ``import_job_purge`` (left validated UPLOAD_KEEP), not by its uploader."""
    return job.status == ImportJob.Status.CANCELLED and job.message == EXPIRED


def import_job_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the uploaded rosters kept longer than UPLOAD_KEEP (7 days): counted from the upload,
    or for an imported job (its error report) from the import.

    First a running job of that age whose process died is put right (``import_job_live``: an
    interrupted validation fails and loses its file). Then each job due — a validated job of that age
    (cancelled, message ``EXPIRED``, with or without its file), any other job of that age whose file is
    still there — gets its error list masked (``rules.mask_errors``) by one conditional UPDATE (a job
    claimed or cancelled meanwhile is left to the next purge), with its audit event
    (``…import_purge``, by the system) in the same transaction; its file is deleted after that.
    Files whose job no longer exists, and notes of jobs no longer running, are deleted by age.
    Returns how many jobs were cleared. Run when a roster is uploaded and when the import page is
    shown (there is no scheduler); on SQLite it is skipped while an import runs (it holds the only
    write lock) or when the lock is held anyway (the next purge clears what is due). Source: 《个人信息保护法》第十九条 (2021).
    """
    if connection.vendor == "sqlite" and any(
        not _interrupted(job) for job in ImportJob.objects.filter(status=ImportJob.Status.IMPORTING)
    ):  # a running import holds SQLite's only write lock: the purge would wait out the busy timeout
        return 0
    try:
        return _purge(now or timezone.now())
    except OperationalError:
        return 0


def _purge(now: dt.datetime) -> int:
    cutoff = now - UPLOAD_KEEP
    running = (ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING)
    for job in ImportJob.objects.filter(status__in=running, created_at__lt=cutoff):
        import_job_live(job)
    folder = _import_dir()
    files: dict[str, Path] = {}
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if path.is_file():
                files[path.name] = path
    done = ImportJob.Status.DONE
    old = Q(status=done, finished_at__lt=cutoff) | Q(status=done, finished_at__isnull=True, created_at__lt=cutoff) | (
        ~Q(status=done) & Q(created_at__lt=cutoff))
    due = (
        ImportJob.objects.filter(old).exclude(status__in=running)
        .filter(Q(status=ImportJob.Status.VALIDATED) | Q(stored_name__in=list(files)))
        .only("pk", "kind", "status", "stored_name", "filename", "scope_path", "errors")
    )  # fmt: skip
    cleared = 0
    for job in due:
        expire = job.status == ImportJob.Status.VALIDATED
        changed = {"errors": mask_errors(job.errors)}
        if expire:
            changed.update(status=ImportJob.Status.CANCELLED, message=EXPIRED)
        with transaction.atomic():
            if not ImportJob.objects.filter(pk=job.pk, status=job.status).update(**changed):
                continue  # claimed or cancelled meanwhile: the next purge looks again
            audit_record(
                SYSTEM, f"{roster_kind(job.kind).audit_action}_purge", object_type="ImportJob", object_id=job.pk,
                scope_path=job.scope_path, before={"status": job.status},
                after={"status": changed.get("status", job.status), "file": job.filename},
                summary=f"删除导入任务“{job.filename}”的原文件（保存已满{UPLOAD_KEEP.days}天）"
                + ("，任务未导入，已取消" if expire else ""),
            )  # fmt: skip
        import_file_path(job).unlink(missing_ok=True)  # once the change and its event are committed
        cleared += 1
    stems = {name.split(".")[0] for name in files}
    uploads = [stem + suffix for stem in stems for suffix in ALLOWED_SUFFIXES]
    known = dict(ImportJob.objects.filter(stored_name__in=uploads).values_list("stored_name", "status"))
    alive = {name.split(".")[0] for name, status in known.items() if status in running}
    kept = {name.split(".")[0] for name in known}
    for name, path in files.items():  # files of no job; notes (.alive, .progress) of jobs not running
        stem = name.split(".")[0]
        if stem in alive or (stem in kept and name in known):
            continue  # a running job's files; an upload whose job decides above
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff.timestamp():
                path.unlink()
    return cleared

def import_template(kind: str, scope: Scope) -> bytes:
    """The import template: the roster's headers ('*' marks required columns) and one example row."""
    if kind == ImportJob.Kind.CADRES:
        from zugong.cadres.roster import CADRE_COLUMNS, cadre_example_row

        return rows_to_xlsx("干部名册", [("*" if c.required else "") + c.header for c in CADRE_COLUMNS], [cadre_example_row(scope)])
    branch_id = (
        PartyOrganization.objects.filter(path__startswith=scope.org_path, kind__in=BRANCH_KINDS)
        .order_by("path").values_list("id", flat=True).first()
    )  # fmt: skip
    branch = importer.BranchResolver.build(scope).label(branch_id) if branch_id else "××村党支部"
    example = [
        "张三", "男", "汉族", "1985.09", make_id_number("341502", dt.date(1985, 9, 1), 11), "大学本科", "学士",
        "六安市金安区（341502）", "2007.07", branch, "2010.07.01", "2011.07.01", "农牧渔民", "正式党员", "13800000000",
    ]  # fmt: skip
    return rows_to_xlsx("党员名册", [("*" if c.required else "") + c.header for c in MEMBER_COLUMNS], [example])


# --------------------------------------------------------------------------- export


def members_for_export(scope: Scope, params: Mapping[str, str]) -> QuerySet[PartyMember]:
    """Current members in ``scope`` filtered like the 党员名册 page (``q``, ``org`` … of
    ``MemberFilters``; Http404 for an ``org`` outside the scope), in 姓氏笔画 order."""
    from zugong.members.selectors import MemberFilters, members_search

    return members_search(scope, MemberFilters.from_params(params))


def _mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[7:] if len(phone) == 11 else phone


#: Column widths of the 党员名册 export (characters), in MEMBER_COLUMNS order: wide enough that
#: an 18-digit 身份证号 and a branch name with its superiors (“中共××镇委员会/××村党支部”) show whole.
EXPORT_WIDTHS = (10, 6, 8, 10, 21, 12, 8, 10, 14, 32, 12, 12, 14, 10, 14)


def member_export_rows(scope: Scope, params: Mapping[str, str]) -> Iterator[list]:
    """The rows of the 党员名册 export, one list per member in 姓氏笔画 order, streamed: the query is
    read 2,000 rows at a time as tuples (no model instances) and nothing is kept per member.

    身份证号 is decrypted when the scope may view full numbers (one AES-GCM call per row), masked
    otherwise; 联系电话 likewise. 出生年月 is year.month text (1985.09), as the column is named and
    as the import reads it back; the other dates are date cells. 籍贯 is the place's name with its
    区划代码 in brackets (六安市金安区（341502）, 江苏省南京市（320100）; the code alone when nothing names it), which
    the import reads back as the code. Code labels, places and each branch's
    所在党支部 text are looked up once per value, not per row. With ``params`` status ``left`` (the
    members who left) each row ends with 减少日期 and 减少原因.
    """
    from zugong.core.models import ID_CONTEXT

    unmasked = scope.may_view_id_numbers
    qs = members_for_export(scope, params).values_list(
        "person__name", "person__gender", "person__ethnicity", "person__birth_date",
        "person__id_number_cipher" if unmasked else "person__id_number_masked",
        "person__education", "person__degree", "person__native_place", "person__work_start_date",
        "org_id", "joined_date", "confirmed_date", "occupation", "status", "person__phone_cipher",
        "left_date", "left_reason",
    )  # fmt: skip
    left = _lists_left(params)
    reasons = dict(LeaveReason.choices)
    genders, ethnicities, educations, degrees, occupations, statuses = (
        _Labels(table) for table in ("gender", "ethnicity", "education", "degree", "occupation", "member_status")
    )
    branches = importer.BranchResolver.build(scope)
    labels = _Labels(None, branches.label)  # branch id → its 所在党支部 text
    places = _Labels(None, _place_text)
    months: dict[tuple[int, int], str] = {}
    decrypt = crypto.decrypt
    for name, g, eth, birth, ident, edu, deg, place, work, org, joined, conf, occ, status, phone, left_on, why in qs.iterator(2000):
        if birth is not None:
            key = (birth.year, birth.month)
            birth = months.get(key) or months.setdefault(key, f"{birth.year}.{birth.month:02d}")
        if unmasked:
            ident = decrypt(ident, context=ID_CONTEXT)
        phone = decrypt(phone, context=PHONE_CONTEXT) if phone else ""
        yield [
            name, genders[g], ethnicities[eth], birth, ident, educations[edu], degrees[deg],
            places[place], work, labels[org], joined, conf, occupations[occ], statuses[status],
            phone if unmasked else _mask_phone(phone), *((left_on, reasons.get(why, why)) if left else ()),
        ]  # fmt: skip


def _place_text(code: str) -> str:
    """籍贯 as the export writes it: 六安市金安区（341502）, 江苏省南京市玄武区（320102）; the code alone when
    neither the unit tree nor the national table names it (``division_name``)."""
    name = division_name(code, full=True) if code else ""
    return f"{name}（{code}）" if name and name != code else code


class _Labels(dict):
    """Memo of ``codes.label(table, code)`` (or of ``label(code)``): computed on first use."""

    def __init__(self, table: str | None, label: Callable[[object], str] | None = None) -> None:
        super().__init__()
        self.table, self.label = table, label

    def __missing__(self, key: object) -> str:
        value = self.label(key) if self.label is not None else codes.label(self.table, key)
        self[key] = value
        return value


def _lists_left(params: Mapping[str, str]) -> bool:
    """Whether the list's filters ask for the members who left (已减少党员: status ``left``)."""
    from zugong.members.selectors import LEFT

    return (params.get("status") or "").strip() == LEFT


def member_export_title(params: Mapping[str, str]) -> str:
    """党员名册, or 已减少党员名册 for the filter 已减少党员 (status ``left``)."""
    return "已减少党员名册" if _lists_left(params) else "党员名册"


def write_member_export(
    wb: Book, scope: Scope, params: Mapping[str, str], *, progress: Callable[[int], None] | None = None
) -> int:
    """Add the sheet of the scoped member list to ``wb`` (``member_export`` says what it holds) and
    return its number of members. ``progress(rows written)`` is called every PROGRESS_ROWS rows."""
    count = 0

    def counted(rows: Iterator[list]) -> Iterator[list]:
        nonlocal count
        for count, row in enumerate(rows, start=1):  # noqa: B007 (the count is read after the loop)
            if progress is not None and count % PROGRESS_ROWS == 0:
                progress(count)
            yield row

    title, left = member_export_title(params), _lists_left(params)
    columns = [c.header for c in MEMBER_COLUMNS] + (["减少日期", "减少原因"] if left else [])
    add_sheet(wb, title, columns, counted(member_export_rows(scope, params)), widths=EXPORT_WIDTHS + ((12, 16) if left else ()))
    return count


def audit_member_export(actor: Actor, scope: Scope, params: Mapping[str, str], count: int, *, job: int | None = None) -> None:
    """The audit event of a member export (``members.export``: how many, the filters, whether with
    full numbers, and the background job if any), in the caller's transaction."""
    unmasked = scope.may_view_id_numbers
    after = {"count": count, "filters": {k: params.get(k) for k in params}, "unmasked": unmasked}
    audit_record(
        actor, "members.export", object_type="PartyMember", scope_path=scope.org_path,
        summary=f"导出{member_export_title(params)}{count:,}人" + ("（含完整身份证号）" if unmasked else ""),
        after=after if job is None else {**after, "job": job},
    )  # fmt: skip


def member_export(*, actor: Actor, scope: Scope, params: Mapping[str, str] | None = None) -> bytes:
    """The scoped member list as .xlsx with the import's columns (re-importable).

    所在党支部 is the branch's name, with its superior organizations before it ("/") where the
    name alone is not unique in the scope (``importer.BranchResolver.label``). 身份证号 and 联系电话
    are masked unless the scope may view full numbers; every export writes an audit event (``members.export``; ``after.unmasked`` marks an export with full 身份证号).
    Rows stream from the query to the workbook (``member_export_rows``; bench/bench_export.py).
    With the filter 已减少党员 (status ``left``) it is the 已减少党员名册: the same columns, then
    减少日期 and 减少原因 (not for re-import: the import refuses members who left).
    A list too long to write within a request is written by a background job: ``zugong.members.exports``.
    """
    params = params or {}
    wb = new_workbook()
    try:
        count = write_member_export(wb, scope, params)
    except BaseException:
        workbook_abandon(wb)  # its temporary row files hold personal data
        raise
    content = workbook_bytes(wb)
    with transaction.atomic():
        audit_member_export(actor, scope, params, count)
    return content
