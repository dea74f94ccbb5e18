"""干部任免审批表 pages: the form as Word or .lrmx from a cadre's record, and the .lrmx import page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from zugong.cadres.access import cadre_get
from zugong.cadres.lrmx import LrmxError
from zugong.cadres.models import ManagementLevel
from zugong.cadres.services.lrmx_import import (
    MAX_FILES,
    MAX_TOTAL_BYTES,
    LrmxDefaults,
    Proposal,
    approval_form_export,
    lrmx_files,
    lrmx_import,
)
from zugong.cadres.views_common import invalid
from zugong.core import codes
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.orgs.models import Unit, UnitKind

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(content: bytes, mime: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _export(request, cadre_id: int, fmt: str) -> HttpResponse:
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    today = timezone.localdate()
    raw_on = request.GET.get("on", "")
    try:
        on = dt.date.fromisoformat(raw_on) if raw_on else today
    except ValueError:
        return invalid(request, reverse("cadres:record", args=[cadre.pk]), f"计算年龄时间“{raw_on}”不是有效日期")
    if on < cadre.person.birth_date:
        return invalid(request, reverse("cadres:record", args=[cadre.pk]), "计算年龄时间早于出生日期")
    g = request.GET
    proposal = Proposal(
        proposed_post=g.get("proposed_post", "")[:200], proposed_removal=g.get("proposed_removal", "")[:200],
        reason=g.get("reason", "")[:1000], reporting_unit=g.get("reporting_unit", "")[:100],
        filled_by=g.get("filled_by", "")[:40] or request.user.get_full_name() or request.user.get_username(),
    )  # fmt: skip
    content = approval_form_export(actor=Actor.from_request(request), scope=scope, cadre=cadre, fmt=fmt, age_on=on,
                                   proposal=proposal, today=today)  # fmt: skip
    name = cadre.person.name
    if fmt == "docx":
        return _attachment(content, DOCX_MIME, f"{name}干部任免审批表.docx")
    return _attachment(content, "application/xml", f"{name}.lrmx")


@login_required
def approval_form_docx(request, cadre_id: int):
    """The cadre's 干部任免审批表 as .docx (``on`` = 计算年龄时间, default today; 拟任/拟免职务 etc. optional). Audited."""
    return _export(request, cadre_id, "docx")


@login_required
def cadre_lrmx(request, cadre_id: int):
    """The cadre's 干部任免审批表 as .lrmx for the 任免表编辑器. Audited (full 身份证号 only for roles that may see it)."""
    return _export(request, cadre_id, "lrmx")


def _import_units(scope):
    """Units a new cadre may be placed in: the scope's subtree without villages and communities."""
    return (Unit.objects.filter(path__startswith=scope.unit_path).exclude(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY])
            .order_by("path")[:1000])  # fmt: skip


@login_required
def lrmx_import_page(request):
    """Upload .lrmx files (or .zip archives) to create/update cadres; administrators only, within their subtree."""
    scope = scope_for(request.user)
    if not scope.is_admin:
        raise PermissionDenied("当前角色不能导入干部信息")
    levels = [(c, lab) for c, lab in ManagementLevel.choices if c != ManagementLevel.CITY or scope.role == "city_admin"]
    ctx = {"units": _import_units(scope), "post_levels": codes.POST_LEVEL, "levels": levels,
           "max_files": MAX_FILES, "form": request.POST}  # fmt: skip
    if request.method != "POST":
        return render(request, "cadres/lrmx_import.html", ctx)
    uploads = request.FILES.getlist("files")
    if not uploads:
        return render(request, "cadres/lrmx_import.html", {**ctx, "problem": "请选择要导入的.lrmx文件或.zip压缩包"})
    defaults = None
    if request.POST.get("unit"):
        try:
            unit = Unit.objects.get(pk=int(request.POST["unit"]), path__startswith=scope.unit_path)
        except (Unit.DoesNotExist, ValueError):
            raise Http404("单位不存在或不在管理范围内") from None
        level, mgmt = request.POST.get("post_level", ""), request.POST.get("management_level", "")
        if not codes.is_code("post_level", level) or mgmt not in dict(levels):
            return render(request, "cadres/lrmx_import.html", {**ctx, "problem": "请选择新增干部的职务级别和管理权限"})
        defaults = LrmxDefaults(unit=unit, post_level=level, management_level=mgmt)
    files: list[tuple[str, bytes]] = []
    try:
        for up in uploads:
            if up.size > MAX_TOTAL_BYTES:
                raise LrmxError(f"{up.name}超过{MAX_TOTAL_BYTES // 1024 // 1024}MB")
            files += lrmx_files(up.name, up.read())
    except LrmxError as exc:
        return render(request, "cadres/lrmx_import.html", {**ctx, "problem": str(exc)})
    if len(files) > MAX_FILES:
        return render(request, "cadres/lrmx_import.html", {**ctx, "problem": f"一次最多导入{MAX_FILES}个文件，本次{len(files)}个"})
    result = lrmx_import(actor=Actor.from_request(request), scope=scope, files=files, defaults=defaults, today=timezone.localdate())
    return render(request, "cadres/lrmx_import.html", {**ctx, "result": result})
