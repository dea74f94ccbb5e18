"""The 任务分解表 editor: inline row edit (htmx), split, merge, promote/demote, .xlsx export and import."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.core.xlsx import xlsx_response
from zugong.work import breakdown, selectors, services
from zugong.work.models import Pillar


def _table_context(scope, document, **extra) -> dict:
    show = extra.pop("show_guidance", False)
    return {
        "document": document, "tasks": selectors.document_tasks(scope, document, include_guidance=show),
        "writable": selectors.document_writable(scope, document), "show_guidance": show,
        "units": selectors.units_for_assignment(scope, document), "pillars": Pillar.values, **extra,
    }


@login_required
def task_table(request, document_id: int):
    """任务分解表 of a document (rows the user sees); owners edit inline."""
    scope = scope_for(request.user)
    document = selectors.document_get(scope, document_id)
    return render(request, "work/table.html", _table_context(scope, document, show_guidance=request.GET.get("all") == "1"))


def _writable_task(request, task_id: int):
    scope = scope_for(request.user)
    task = selectors.task_get(scope, task_id)
    if not selectors.document_writable(scope, task.document):
        raise PermissionDenied("只有文件所属单位可以修改任务分解表")
    return scope, task


def _row(request, scope, task, *, editing=False, errors=None):
    task = selectors.document_tasks(scope, task.document, include_guidance=True).get(pk=task.pk)
    return render(request, "work/_task_row.html", {
        "t": task, "editing": editing, "errors": errors or [],
        "writable": selectors.document_writable(scope, task.document),
        "units": selectors.units_for_assignment(scope, task.document), "pillars": Pillar.values,
        "resp_ids": {u.pk for u in task.responsible_units.all()},
    }, status=400 if errors else 200)


@login_required
def task_row(request, task_id: int):
    """One row of the table: display (GET), edit form (GET ?edit=1), save (POST) — htmx fragments."""
    if request.method == "GET" and not request.GET.get("edit"):
        scope = scope_for(request.user)
        return _row(request, scope, selectors.task_get(scope, task_id))
    scope, task = _writable_task(request, task_id)
    if request.method != "POST":
        return _row(request, scope, task, editing=True)
    units = {str(u.pk): u for u in selectors.units_for_assignment(scope, task.document)}
    due_raw = request.POST.get("due", "").strip()
    try:
        due = dt.date.fromisoformat(due_raw) if due_raw else None
    except ValueError:
        return _row(request, scope, task, editing=True, errors=["完成时限日期格式应为 2024-06-30"])
    lead_id = request.POST.get("lead_unit", "")
    if lead_id and lead_id not in units:
        raise PermissionDenied("单位不在管理范围内")
    resp_ids = request.POST.getlist("responsible_units")
    if any(r not in units for r in resp_ids):
        raise PermissionDenied("单位不在管理范围内")
    try:
        services.task_update(
            actor=Actor.from_request(request), scope=scope, task=task, action=request.POST.get("action", ""),
            goal=request.POST.get("goal", ""), pillar=request.POST.get("pillar") or None, due=due,
            deadline_text=request.POST.get("deadline_text") if "deadline_text" in request.POST else None,
            lead_unit=units.get(lead_id), responsible_units=[units[r] for r in resp_ids],
        )
    except ValidationError as e:
        if request.htmx:
            return _row(request, scope, task, editing=True, errors=e.messages)
        messages.error(request, e.messages[0])
        return redirect("work:table", task.document_id)
    if request.htmx:
        return _row(request, scope, task)
    return redirect("work:table", task.document_id)


@login_required
@require_POST
def task_split(request, task_id: int):
    """Split a row: one new row per line of ``actions``."""
    scope, task = _writable_task(request, task_id)
    try:
        services.task_split(actor=Actor.from_request(request), scope=scope, task=task,
                            actions=request.POST.get("actions", "").splitlines())
        messages.success(request, "已拆分")
    except ValidationError as e:
        messages.error(request, e.messages[0])
    return redirect("work:table", task.document_id)


@login_required
@require_POST
def task_merge(request, document_id: int):
    """Merge the checked rows into the first of them."""
    scope = scope_for(request.user)
    document = selectors.document_get(scope, document_id)
    if not selectors.document_writable(scope, document):
        raise PermissionDenied("只读")
    ids = request.POST.getlist("task")
    tasks = list(selectors.tasks_in_scope(scope).filter(document=document, pk__in=[i for i in ids if i.isdigit()]))
    try:
        services.task_merge(actor=Actor.from_request(request), scope=scope, tasks=tasks)
        messages.success(request, f"已合并{len(tasks)}条任务")
    except ValidationError as e:
        messages.error(request, e.messages[0])
    return redirect("work:table", document.pk)


@login_required
@require_POST
def task_kind(request, task_id: int):
    """Promote (kind=task) or demote (kind=guidance) a row."""
    scope, task = _writable_task(request, task_id)
    kind = request.POST.get("kind", "")
    try:
        services.task_set_kind(actor=Actor.from_request(request), scope=scope, task=task, kind=kind)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    return redirect(reverse("work:table", args=[task.document_id]) + "?all=1")


@login_required
@require_POST
def task_add(request, document_id: int):
    """Append a typed row."""
    scope = scope_for(request.user)
    document = selectors.document_get(scope, document_id)
    if not selectors.document_writable(scope, document):
        raise PermissionDenied("只读")
    try:
        services.task_create(actor=Actor.from_request(request), scope=scope, document=document,
                             action=request.POST.get("action", ""))
    except ValidationError as e:
        messages.error(request, e.messages[0])
    return redirect("work:table", document.pk)


@login_required
def table_export(request, document_id: int):
    """The 任务分解表 as .xlsx (序号, 重点任务, 具体目标, 牵头单位, 责任单位, 完成时限, 进展情况)."""
    scope = scope_for(request.user)
    document = selectors.document_get(scope, document_id)
    return xlsx_response(breakdown.export_breakdown(scope, document), f"{document.title[:40]}-任务分解表.xlsx")


@login_required
def table_import(request, document_id: int):
    """Import an edited 任务分解表 (all rows or none; row errors in Chinese)."""
    scope = scope_for(request.user)
    document = selectors.document_get(scope, document_id)
    if not selectors.document_writable(scope, document):
        raise PermissionDenied("只有文件所属单位可以导入任务分解表")
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            result = breakdown.ImportResult(errors=["请选择文件"])
        else:
            result = breakdown.import_breakdown(actor=Actor.from_request(request), scope=scope, document=document,
                                                data=upload.read())
        if not result.errors:
            messages.success(request, f"导入完成：更新{result.updated}条，新增{result.created}条，未变{result.unchanged}条")
            return redirect("work:table", document.pk)
    return render(request, "work/import.html", {"document": document, "result": result},
                  status=400 if result and result.errors else 200)

