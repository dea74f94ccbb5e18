"""Pages of 工作落实: documents, cleaning, the 任务分解表, progress, units, the quarter review.

Thin: reads through ``zugong.work.selectors`` (404 outside the subtree), writes through
``zugong.work.services`` (403 for read-only roles and non-owners).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zugong.core.audit import Actor
from zugong.core.models import Role
from zugong.core.scope import scope_for
from zugong.orgs.selectors import unit_get
from zugong.work import selectors, services
from zugong.work.html import Span, flat_outline, highlight
from zugong.work.models import (
    THRESHOLD_RANGE,
    DocumentKind,
    StatusThreshold,
    TaskKind,
    status_rule,
)
from zugong.work.text.extract import UnsupportedDocument

EDIT_KINDS = {
    "doubled": "加粗重复字", "doubled_punct": "重复标点", "repeat": "误重复词句", "line_join": "断行合并",
    "paragraph": "空行", "page_marker": "页码页眉", "advert": "广告水印", "preamble": "正文前内容",
    "layout": "版式标签", "whitespace": "空白字符",
}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def document_list(request):
    """文件列表 and the upload form (file or pasted text; document date required)."""
    scope = scope_for(request.user)
    form = {"kind": DocumentKind.SPEECH, "document_date": "", "title": "", "speaker": "", "text": ""}
    errors = []
    if request.method == "POST":
        form.update({k: request.POST.get(k, "").strip() for k in form})
        upload = request.FILES.get("file")
        doc_date = _date(form["document_date"])
        if doc_date is None:
            errors.append("请填写文件日期（用于推算“今年”“半年内”等完成时限）")
        if upload is None and not form["text"]:
            errors.append("请选择文件或粘贴文本")
        if not errors:
            try:
                document = services.document_upload(
                    actor=Actor.from_request(request), scope=scope, kind=form["kind"], document_date=doc_date,
                    title=form["title"], speaker=form["speaker"], text=form["text"],
                    file_name=upload.name if upload else "", file_bytes=upload.read() if upload else None,
                )
            except (ValidationError, UnsupportedDocument) as e:
                errors.extend(e.messages if isinstance(e, ValidationError) else [str(e)])
            else:
                messages.success(request, f"已上传《{document.title}》，提取{services.extraction_counts(document)}")
                return redirect("work:document", document.pk)
    documents = selectors.documents_in_scope(scope).order_by("-document_date", "-id")
    return render(request, "work/document_list.html", {
        "documents": documents, "form": form, "errors": errors, "kinds": DocumentKind.choices,
        "flagged": selectors.flagged_tasks(scope)[:20],
    }, status=400 if errors else 200)


def _task_spans(tasks) -> list[Span]:
    spans = []
    for t in tasks:
        if t.span_start is None:
            continue
        spans.append(Span(t.span_start, t.span_end, f"hl-{t.kind}", f"{t.seq}. {t.action}", f"t{t.seq}"))
        if t.action_start is not None:
            spans.append(Span(t.action_start, t.action_end, "hl-action", "重点任务"))
        for tg in t.targets.all():
            if tg.span_start is not None:
                spans.append(Span(tg.span_start, tg.span_end, "hl-target", f"具体目标：{tg.label()}"))
        if t.deadline_start is not None:
            spans.append(Span(t.deadline_start, t.deadline_end, "hl-deadline", f"完成时限：{t.due or '未能推算'}"))
        for p in t.parties:
            spans.append(Span(p["start"], p["end"], "hl-party", f"责任主体：{p['text']}"))
    return spans


@login_required
def document_detail(request, document_id: int):
    """文件: outline beside the cleaned text with the extracted tasks highlighted, and the task list."""
    scope = scope_for(request.user)
    document = selectors.document_get(scope, document_id)
    tasks = list(selectors.document_tasks(scope, document))
    outline = flat_outline(document.outline)
    spans = _task_spans(tasks) + [Span(h["start"], h["start"] + len(h["text"]), "hl-heading", "", f"h{h['start']}")
                                  for h in outline]
    return render(request, "work/document.html", {
        "document": document, "tasks": tasks, "outline": outline, "text": highlight(document.analysed_text, spans),
        "writable": selectors.document_writable(scope, document),
        "stale": document.analysed_text != document.cleaned_text,
        "n_tasks": sum(t.kind == TaskKind.TASK for t in tasks),
        # items read as 指导性要求 were recognised too: only what was not read at all counts as missed
        "layout_warning": selectors.layout_warning(document.analysed_text, len(tasks)),
    })


def _edit_rows(document) -> list[dict]:
    undone = set(document.undone)
    raw = document.raw_text
    rows = []
    for e in document.edits:
        rows.append({**e, "undone": e["id"] in undone, "label": EDIT_KINDS.get(e["kind"], e["kind"]),
                     "before": raw[max(0, e["start"] - 12) : e["start"]], "after": raw[e["end"] : e["end"] + 12]})
    return rows


def _cleaned_spans(document) -> list[Span]:
    """Spans of the undone edits in ``document.cleaned_text`` (their raw text is kept there verbatim).

    The cleaned text is ``apply_edits(raw, applied edits)``; an undone edit's raw stretch falls in
    a copied segment, so its cleaned offset is the segment's start plus the distance into it.
    """
    undone = set(document.undone)
    if not undone:
        return []
    applied = sorted((e for e in document.edits if e["id"] not in undone), key=lambda e: e["start"])
    spans, shift, k = [], 0, 0
    for e in sorted((e for e in document.edits if e["id"] in undone), key=lambda e: e["start"]):
        while k < len(applied) and applied[k]["end"] <= e["start"]:
            shift += len(applied[k]["replacement"]) - (applied[k]["end"] - applied[k]["start"])
            k += 1
        start = e["start"] + shift
        spans.append(Span(start, start + max(1, e["end"] - e["start"]), "hl-undone",
                          f"已撤销：{EDIT_KINDS.get(e['kind'], '')}", f"c{e['id']}"))
    return spans


def _cleaning_context(scope, document, kind: str) -> dict:
    rows = _edit_rows(document)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["label"]] = counts.get(r["label"], 0) + 1
    if kind:
        rows = [r for r in rows if r["kind"] == kind]
    raw_spans = [Span(e["start"], e["end"], "hl-undone" if e["id"] in document.undone else "hl-removed",
                      EDIT_KINDS.get(e["kind"], ""), f"e{e['id']}") for e in document.edits if e["end"] > e["start"]]
    return {
        "document": document, "rows": rows, "counts": counts, "kind": kind, "kinds": EDIT_KINDS,
        "raw": highlight(document.raw_text, raw_spans), "cleaned": highlight(document.cleaned_text, _cleaned_spans(document)),
        "writable": selectors.document_writable(scope, document),
        "stale": document.analysed_text != document.cleaned_text, "n_undone": len(document.undone),
    }


@login_required
def document_cleaning(request, document_id: int):
    """清理对照: raw and cleaned text side by side, and every cleaning edit with undo/restore."""
    scope = scope_for(request.user)
    document = selectors.document_get(scope, document_id)
    return render(request, "work/cleaning.html", _cleaning_context(scope, document, request.GET.get("kind", "")))


@login_required
@require_POST
def document_edit_toggle(request, document_id: int, edit_id: int):
    """Undo or restore one cleaning edit.

    htmx: returns the cleaning body (notice, both panes, the edit list) to swap in place; without
    JavaScript: redirects back to the cleaning page (keeping the ``kind`` filter).
    """
    scope = scope_for(request.user)
    document = selectors.document_get(scope, document_id)
    if not selectors.document_writable(scope, document):
        raise PermissionDenied("只读")
    undone = request.POST.get("undone") == "1"
    kind = request.POST.get("kind", "")
    kind = kind if kind in EDIT_KINDS else ""
    try:
        document = services.document_set_edit(actor=Actor.from_request(request), scope=scope, document=document,
                                              edit_id=edit_id, undone=undone)
    except ValidationError as e:
        raise Http404(e.messages[0]) from None
    if request.htmx:
        return render(request, "work/_cleaning_body.html", {**_cleaning_context(scope, document, kind), "toggled": edit_id})
    url = reverse("work:cleaning", args=[document.pk])
    return redirect(f"{url}?kind={kind}#edit-{edit_id}" if kind else f"{url}#edit-{edit_id}")


@login_required
@require_POST
def document_reanalyse(request, document_id: int):
    """Re-extract the tasks from the current cleaning (only on request; refused once progress exists)."""
    scope = scope_for(request.user)
    document = selectors.document_get(scope, document_id)
    if not selectors.document_writable(scope, document):
        raise PermissionDenied("只读")
    try:
        services.document_reanalyse(actor=Actor.from_request(request), scope=scope, document=document)
        messages.success(request, "已按当前清理结果重新提取任务")
    except ValidationError as e:
        messages.error(request, e.messages[0])
    return redirect("work:document", document.pk)


@login_required
def document_original(request, document_id: int):
    """The original uploaded file (404 when the text was pasted)."""
    scope = scope_for(request.user)
    document = selectors.document_get(scope, document_id)
    if not document.original:
        raise Http404("该文件为粘贴文本，没有原始文件")
    return FileResponse(document.original.open("rb"), as_attachment=True, filename=document.original_name or "original")


@login_required
def evidence_download(request, evidence_id: int):
    """A 佐证材料 file of a report the user sees (its reporting unit in the user's subtree; 404 otherwise)."""
    ev = selectors.evidence_get(scope_for(request.user), evidence_id)
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.name)


@login_required
def task_detail(request, task_id: int):
    """任务: its fields, the reports with evidence (the user's subtree's), and the progress form for the
    units that may report."""
    scope = scope_for(request.user)
    thresholds = selectors.status_thresholds()
    task = selectors.task_with_status(scope, task_id, thresholds=thresholds)
    units = services.reporting_units(scope, task) if scope.can_write and task.kind == TaskKind.TASK else []
    errors = []
    if request.method == "POST":
        if not units:
            raise PermissionDenied("只有本任务的牵头单位、责任单位可以报告进展")
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
        try:
            if unit is None:
                raise ValidationError("请选择报告单位")
            report_date = _date(request.POST.get("date"))
            if report_date is None:
                raise ValidationError("请填写报告日期")
            services.progress_report_create(
                actor=Actor.from_request(request), scope=scope, task=task, unit=unit, date=report_date,
                text=request.POST.get("text", ""), value=request.POST.get("value") or None,
                completes=request.POST.get("completes") == "1",
                evidence=[services.EvidenceUpload(f.name, f.read()) for f in request.FILES.getlist("evidence")],
            )
        except ValidationError as e:
            errors.extend(e.messages)
        else:
            messages.success(request, "进展已报告")
            return redirect("work:task", task.pk)
    return render(request, "work/task.html", {
        "task": task, "reports": selectors.task_reports(scope, task), "units": units, "errors": errors, "today": dt.date.today(),
        "targets": task.targets.all(), "responsible": task.responsible_units.all(),
        "status_label": selectors.STATUS_LABELS[task.status], "rule": status_rule(thresholds),
    }, status=400 if errors else 200)


@login_required
def unit_tasks(request, unit_id: int | None = None):
    """单位的任务: tasks where the unit (or a unit below) is lead or responsible; overdue and at-risk first."""
    scope = scope_for(request.user)
    unit = unit_get(scope, unit_id if unit_id is not None else scope.unit_id)
    tasks = selectors.unit_task_list(scope, unit)
    flagged = selectors.flagged_tasks(scope, unit)
    children = unit.children.order_by("path")
    return render(request, "work/unit.html", {
        "unit": unit, "tasks": tasks, "flagged": flagged, "counts": selectors.status_counts(tasks),
        "children": children,
    })


@login_required
def status_thresholds(request):
    """任务状态预警天数: the two day counts of the status rule and the rule as users see it; the city
    administrator changes them (audited, services.status_threshold_set). Others read only; a POST
    from them is 403."""
    scope = scope_for(request.user)
    errors = []
    if request.method == "POST":
        try:
            services.status_threshold_set(actor=Actor.from_request(request), scope=scope,
                                          key=request.POST.get("key", ""), days=request.POST.get("days", ""))
        except ValidationError as e:
            errors.extend(e.messages)
        else:
            messages.success(request, "已保存，任务状态即按新的天数推导")
            return redirect("work:thresholds")
    thresholds = selectors.status_thresholds()
    rows = [(k, label, getattr(thresholds, k)) for k, label in StatusThreshold._meta.get_field("key").choices]
    return render(request, "work/thresholds.html", {
        "rows": rows, "rule": status_rule(thresholds), "editable": scope.role == Role.CITY_ADMIN,
        "errors": errors, "low": THRESHOLD_RANGE[0], "high": THRESHOLD_RANGE[1],
    }, status=400 if errors else 200)


def _quarter(request) -> tuple[int, int]:
    year, quarter = selectors.current_quarter()
    try:
        year = int(request.GET.get("year", year))
        quarter = int(request.GET.get("quarter", quarter))
    except ValueError:
        raise Http404("季度无效") from None
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise Http404("季度无效")
    return year, quarter


@login_required
def quarter_review(request):
    """季末评议: per unit, tasks due in the quarter, done in time, late, not done (and, while the quarter
    runs, not yet due: never 未完成; ``selectors.unit_outcomes``); the tasks with evidence."""
    scope = scope_for(request.user)
    year, quarter = _quarter(request)
    today = dt.date.today()
    rows = selectors.quarter_review(scope, year, quarter, today=today)
    return render(request, "work/review.html", {
        "rows": rows, "year": year, "quarter": quarter, "tasks": selectors.quarter_tasks(scope, year, quarter, today=today),
        "running": not selectors.quarter_over(year, quarter, today), "today": today,
        "quarters": (1, 2, 3, 4), "years": range(selectors.current_quarter()[0] - 3, selectors.current_quarter()[0] + 2),
    })


@login_required
def quarter_review_docx(request):
    """The quarter's 季末评议 report as .docx (table and chart, ready to print)."""
    from django.http import HttpResponse

    from zugong.work.review import review_docx

    scope = scope_for(request.user)
    year, quarter = _quarter(request)
    content = review_docx(scope, year, quarter)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{year}年第{quarter}季度季末评议.docx')}"
    return response

