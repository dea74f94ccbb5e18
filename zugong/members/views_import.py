"""Roster import pages (upload → validation summary → import → result), the template and the member export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.core.xlsx import xlsx_response
from zugong.members import services
from zugong.members.models import ImportJob

ERRORS_SHOWN = 200


def _job_get(request, job_id: int) -> ImportJob:
    """The user's own import job; Http404 for anyone else's (strangers learn nothing)."""
    try:
        return ImportJob.objects.get(pk=job_id, created_by=request.user)
    except ImportJob.DoesNotExist:
        raise Http404("导入任务不存在") from None


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
    recent = [services.import_job_live(j) for j in ImportJob.objects.filter(created_by=request.user)[:10]]
    return render(request, "members/import.html", {"kind": kind, "kinds": ImportJob.Kind.choices, "recent": recent})


@login_required
@require_http_methods(["GET", "POST"])
def import_result(request, job_id: int):
    """The job's page: progress while running, the validation summary with its actions, then the result."""
    scope = scope_for(request.user)
    job = _job_get(request, job_id)
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
    context = {"job": job, "errors": job.errors[:ERRORS_SHOWN], "more_errors": max(0, len(job.errors) - ERRORS_SHOWN)}
    if request.htmx:
        return render(request, "members/import_status.html", context)
    return render(request, "members/import_result.html", context)


@login_required
def import_error_file(request, job_id: int):
    """The uploaded file with a 错误说明 column and the bad rows highlighted."""
    scope = scope_for(request.user)
    job = _job_get(request, job_id)
    services.require_import(scope, job.kind)
    stem = job.filename.rsplit(".", 1)[0]
    return xlsx_response(services.import_error_file(job), f"{stem}-错误说明.xlsx")


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
    """The scoped member list (filters ``q`` and ``org`` as on the list page) as .xlsx, audited."""
    scope = scope_for(request.user)
    params = {k: v for k, v in request.GET.items() if v}
    content = services.member_export(actor=Actor.from_request(request), scope=scope, params=params)
    return xlsx_response(content, "党员名册.xlsx")  # too many rows: ExportTooLargeMiddleware
