"""Roster import pages (upload → validation summary → import → result), the template, and the member
export with its background jobs (``zugong.members.exports``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.core.xlsx import XLSX_MIME, xlsx_response
from zugong.members import exports, services
from zugong.members.models import ExportJob, ImportJob

ERRORS_SHOWN = 200


def _own_job(request, model: type[ImportJob | ExportJob], job_id: int):
    """The user's own import or export job; Http404 for anyone else's (strangers learn nothing)."""
    try:
        return model.objects.get(pk=job_id, created_by=request.user)
    except model.DoesNotExist:
        raise Http404(f"{model._meta.verbose_name}不存在") from None


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload a member or cadre roster; large files are validated in the background."""
    scope = scope_for(request.user)
    kind = request.POST.get("kind") or request.GET.get("kind") or ImportJob.Kind.MEMBERS
    if kind not in ImportJob.Kind.values:
        kind = ImportJob.Kind.MEMBERS
    services.require_import(scope, kind)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要导入的Excel文件")
        else:
            try:
                job = services.import_job_create(
                    actor=Actor.from_request(request), scope=scope, kind=kind, filename=upload.name, content=upload.read()
                )
            except services.ImportRefused as exc:
                messages.error(request, str(exc))
            else:
                services.import_job_start(job=job, actor=Actor.from_request(request), phase="validate")
                return redirect("members:import_result", job_id=job.pk)
    services.import_job_purge()
    recent = [services.import_job_live(j) for j in ImportJob.objects.filter(created_by=request.user)[:10]]
    for job in recent:
        job.expired = services.import_job_expired(job)
    return render(request, "members/import.html", {
        "kind": kind, "kinds": ImportJob.Kind.choices, "recent": recent, "keep_days": services.UPLOAD_KEEP.days,
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def import_result(request, job_id: int):
    """The job's page: progress while running, the validation summary with its actions, then the result."""
    scope = scope_for(request.user)
    job = _own_job(request, ImportJob, job_id)
    services.require_import(scope, job.kind)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                services.import_job_cancel(job=job, actor=Actor.from_request(request))
                messages.info(request, "已取消，未导入任何数据")
                return redirect("members:import")
            if action in ("all", "good"):
                services.import_job_start(
                    job=job, actor=Actor.from_request(request), phase="commit", good_rows_only=action == "good"
                )
        except services.ImportRefused as exc:
            messages.error(request, str(exc))
        return redirect("members:import_result", job_id=job.pk)
    job.refresh_from_db()
    services.import_job_live(job)
    context = {
        "job": job, "errors": job.errors[:ERRORS_SHOWN], "more_errors": max(0, len(job.errors) - ERRORS_SHOWN),
        "file_kept": services.import_file_kept(job), "expired": services.import_job_expired(job),
    }  # fmt: skip
    if request.htmx:
        return render(request, "members/import_status.html", context)
    return render(request, "members/import_result.html", context)


@login_required
def import_error_file(request, job_id: int):
    """The uploaded file with a 错误说明 column and the bad rows highlighted."""
    scope = scope_for(request.user)
    job = _own_job(request, ImportJob, job_id)
    services.require_import(scope, job.kind)
    stem = job.filename.rsplit(".", 1)[0]
    try:
        content = services.import_error_file(job)
    except services.ImportRefused as exc:  # the file was deleted (personal data: see services)
        messages.error(request, str(exc))
        return redirect("members:import_result", job_id=job.pk)
    return xlsx_response(content, f"{stem}-错误说明.xlsx")


@login_required
def import_template(request):
    """The import template (headers with '*' on required columns, one example row)."""
    scope = scope_for(request.user)
    kind = request.GET.get("kind", ImportJob.Kind.MEMBERS)
    if kind not in ImportJob.Kind.values:
        raise Http404
    services.require_import(scope, kind)
    name = "党员名册导入模板.xlsx" if kind == ImportJob.Kind.MEMBERS else "干部名册导入模板.xlsx"
    return xlsx_response(services.import_template(kind, scope), name)


@login_required
def member_export(request):
    """The scoped member list (the list page's filters) as .xlsx, audited: written within the
    request, or — at least ``exports.BACKGROUND_MIN_ROWS`` rows — by a background job whose page
    this redirects to."""
    scope = scope_for(request.user)
    params = {k: v for k, v in request.GET.items() if v}
    total = exports.member_export_size(scope, params)
    if total >= exports.BACKGROUND_MIN_ROWS:
        job = exports.export_job_start(actor=Actor.from_request(request), scope=scope, params=params, total=total)
        return redirect("members:export_job", job_id=job.pk)
    content = services.member_export(actor=Actor.from_request(request), scope=scope, params=params)
    return xlsx_response(content, f"{services.member_export_title(params)}.xlsx")  # too many rows: ExportRefusedMiddleware


@login_required
def export_job(request, job_id: int):
    """A background export's page: progress while it runs (polled by htmx), then the download."""
    if not request.htmx:  # not on every poll of the progress
        exports.purge_expired()
    job = exports.export_job_live(_own_job(request, ExportJob, job_id))
    context = {
        "job": job, "ready": exports.export_file_ready(job), "keep_hours": exports.KEEP_HOURS,
        "expires_at": exports.export_expires_at(job), "back_query": urlencode(job.params),
        "refusal": exports.export_download_refusal(job, scope_for(request.user)),
    }  # fmt: skip
    return render(request, "members/export_status.html" if request.htmx else "members/export_job.html", context)


@login_required
def export_job_file(request, job_id: int):
    """The finished file of a background export, audited; back to the job's page when it is gone."""
    job = _own_job(request, ExportJob, job_id)
    try:
        handle = exports.export_job_file(job=job, actor=Actor.from_request(request), scope=scope_for(request.user))
    except exports.ExportGone as exc:
        messages.error(request, str(exc))
        return redirect("members:export_job", job_id=job.pk)
    return FileResponse(handle, as_attachment=True, filename=f"{job.title}.xlsx", content_type=XLSX_MIME)


@login_required
def export_recent(request):
    """The user's background exports of the last hours, for the 党员名册 page (an htmx fragment)."""
    exports.purge_expired()
    return render(request, "members/_export_recent.html", {"jobs": exports.recent_jobs(request.user)})
