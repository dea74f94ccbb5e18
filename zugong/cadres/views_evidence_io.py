"""Pages of the 考核依据 bulk import (upload → validation summary → import or cancel → result),
its template and error file. Thin: every write is ``services.evidence_import``; a job is visible
to its uploader only (404 for anyone else); read-only roles get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zugong.cadres import rules
from zugong.cadres.models import EvidenceImport
from zugong.cadres.services import evidence_import as svc
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.core.xlsx import xlsx_response

ERRORS_SHOWN = 200


def _admin_scope(request):
    scope = scope_for(request.user)
    if not scope.is_admin:
        raise PermissionDenied("当前角色不能导入考核依据")
    return scope


def _job_get(request, job_id: int) -> EvidenceImport:
    """The user's own import job, expired ones purged first (so an old job shows as 已过期清理 and
    cannot be imported); Http404 for anyone else's."""
    svc.evidence_import_purge()
    try:
        return EvidenceImport.objects.defer("content").get(pk=job_id, created_by=request.user)
    except EvidenceImport.DoesNotExist:
        raise Http404("导入任务不存在") from None


@login_required
@require_http_methods(["GET", "POST"])
def evidence_import(request):
    """Upload an evidence sheet; the file is validated at once and the summary page follows."""
    scope = _admin_scope(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要导入的Excel文件")
        elif upload.size > svc.MAX_BYTES:
            messages.error(request, f"文件超过{svc.MAX_BYTES // 1024 // 1024}MB，请分批导入")
        else:
            try:
                job = svc.evidence_import_create(actor=Actor.from_request(request), scope=scope, filename=upload.name, content=upload.read())
            except rules.RuleViolation as exc:
                messages.error(request, str(exc))
            else:
                return redirect("cadres:evidence_import_job", job_id=job.pk)
    svc.evidence_import_purge()  # the list shows expired jobs as such
    recent = list(EvidenceImport.objects.filter(created_by=request.user).defer("content")[:10])
    for j in recent:
        j.status_label = svc.status_label(j)
    return render(request, "cadres/evidence_import.html", {"recent": recent, "columns": svc.EVIDENCE_COLUMNS,
                                                           "kinds": svc.KIND_HINT, "levels": svc.LEVEL_HINT})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def evidence_import_job(request, job_id: int):
    """The validation summary with its actions (全部导入 / 只导入无误的行 / 取消), then the result."""
    scope = _admin_scope(request)
    job = _job_get(request, job_id)
    if request.method == "POST":
        action, actor = request.POST.get("action"), Actor.from_request(request)
        try:
            if action == "cancel":
                svc.evidence_import_cancel(actor=actor, scope=scope, job=job)
                messages.info(request, "已取消，未导入任何数据")
                return redirect("cadres:evidence_import")
            if action in ("all", "good"):
                done = svc.evidence_import_commit(actor=actor, scope=scope, job=job, good_rows_only=action == "good")
                messages.success(request, f"已导入{done.created_count}条考核依据")
        except rules.RuleViolation as exc:
            messages.error(request, str(exc))
        return redirect("cadres:evidence_import_job", job_id=job.pk)
    return render(request, "cadres/evidence_import_job.html", {
        "job": job, "file_deleted": svc.FILE_DELETED, "expired": svc.EXPIRED if svc.is_expired(job) else "", "errors": job.errors[:ERRORS_SHOWN], "more_errors": max(0, len(job.errors) - ERRORS_SHOWN),
        "good_rows": max(0, job.total_rows - job.error_rows),
    })  # fmt: skip


@login_required
def evidence_import_errors(request, job_id: int):
    """The uploaded file with a 错误说明 column and the bad rows highlighted (.xlsx)."""
    _admin_scope(request)
    job = _job_get(request, job_id)
    job = EvidenceImport.objects.get(pk=job.pk)  # with the file
    if job.status == EvidenceImport.Status.CANCELLED:
        raise Http404(svc.EXPIRED if svc.is_expired(job) else "该导入任务已取消")
    if not job.content:  # imported: the file was deleted with the import
        raise Http404(svc.FILE_DELETED)
    stem = job.filename.rsplit(".", 1)[0]
    return xlsx_response(svc.evidence_import_error_file(job), f"{stem}-错误说明.xlsx")


@login_required
def evidence_import_template(request):
    """The import template: headers ('*' = required), an example row and the filling notes."""
    scope = _admin_scope(request)
    return xlsx_response(svc.evidence_template(scope), "考核依据导入模板.xlsx")
