"""任务分解表 as .xlsx: export in the usual layout and import it back after offline edits.

Layout (sheet 任务分解表): a title line, then the header 序号 | 重点任务 | 具体目标 | 牵头单位 | 责任单位 |
完成时限 | 进展情况 | 任务编号. 任务编号 (the task id) is a hidden column; rows are matched by it,
else by 序号, else appended as new tasks. 进展情况 is written for reading only (progress is
reported by the responsible units, never imported). Units are written by name, several
责任单位 separated by "、"; 完成时限 as yyyy.mm.dd, or a phrase (年底前, 6月底前) resolved
against the document date.

Import is all-or-nothing: any row error (in Chinese, "第N行：…") leaves the table unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from zugong.core.audit import Actor
from zugong.core.scope import Scope
from zugong.core.xlsx import safe_text
from zugong.orgs.models import Unit
from zugong.work import selectors, services
from zugong.work.models import Task, TaskKind, WorkDocument
from zugong.work.text.deadlines import find_deadline

COLUMNS = ("序号", "重点任务", "具体目标", "牵头单位", "责任单位", "完成时限", "进展情况", "任务编号")
WIDTHS = (6, 48, 28, 16, 24, 14, 40, 8)
_THIN = Side(style="thin", color="999999")


def progress_line(task: Task) -> str:
    """进展情况 cell: derived status, then the reports ("2024.03.20 金安区：……").

    ``task`` comes from :func:`selectors.document_tasks`: the status and ``visible_reports`` are
    those of the exporting user's subtree (another county's progress never enters the cell).
    """
    lines = [selectors.STATUS_LABELS.get(getattr(task, "status", ""), "")]
    for r in task.visible_reports:
        lines.append(f"{r.date:%Y.%m.%d} {r.unit.name}：{r.text}")
    return "\n".join(x for x in lines if x)


def export_breakdown(scope: Scope, document: WorkDocument) -> bytes:
    """The 任务分解表 of ``document`` (tasks the scope sees, guidance excluded) as .xlsx bytes."""
    tasks = selectors.document_tasks(scope, document, include_guidance=False)
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ws.append([f"《{document.title}》任务分解表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(list(COLUMNS))
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(65 + i)].width = width
    ws.column_dimensions["H"].hidden = True
    for c in ws[2]:
        c.font, c.fill = Font(bold=True), PatternFill("solid", fgColor="F2F2F2")
        c.alignment = Alignment(horizontal="center", vertical="center")
    for t in tasks:
        ws.append([
            t.seq, safe_text(t.action.strip()), safe_text(t.goal_text()), t.lead_unit.name if t.lead_unit_id else "",
            "、".join(u.name for u in t.responsible_units.all()),
            t.due.strftime("%Y.%m.%d") if t.due else safe_text(t.deadline_text), safe_text(progress_line(t)), t.pk,
        ])
    for row in ws.iter_rows(min_row=2, max_col=7):
        for c in row:
            c.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
            if c.row > 2:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class ImportResult:
    """Outcome of an import: counts, or row errors ("第N行：…") when nothing was applied."""

    updated: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime | dt.date):
        return v.strftime("%Y.%m.%d")
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s[1:] if s.startswith("'") else s


_DATE = re.compile(r"^(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?$")


def _due(text: str, document: WorkDocument) -> tuple[dt.date | None, str]:
    """(due date, deadline text) of a 完成时限 cell; ValueError when neither a date nor a known phrase. A phrase
    (年底前) of a plan for next year is resolved in that year (``services.document_plan_year``)."""
    if not text:
        return None, ""
    m = _DATE.match(text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3])), text
    found = find_deadline(text, 0, document.document_date, year=services.document_plan_year(document))
    if found and found.due:
        return found.due, text
    raise ValueError(text)


def import_breakdown(*, actor: Actor, scope: Scope, document: WorkDocument, data: bytes) -> ImportResult:
    """Read an edited 任务分解表 back into ``document``; all rows or none (see module doc).

    Raises PermissionDenied unless the scope owns the document and may write.
    """
    if not selectors.document_writable(scope, document):
        raise PermissionDenied("只有文件所属单位可以导入任务分解表")
    result = ImportResult()
    try:
        ws = load_workbook(io.BytesIO(data), data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 — any unreadable file is the same user error
        result.errors.append("文件无法读取，请上传从本系统导出的 .xlsx 任务分解表")
        return result
    rows = list(ws.iter_rows(values_only=True))
    header_at = next((i for i, r in enumerate(rows[:5]) if r and _cell(r[0]) == "序号"), None)
    if header_at is None:
        result.errors.append("未找到表头（第一列应为“序号”）")
        return result
    header = [_cell(c) for c in rows[header_at]]
    missing = [c for c in COLUMNS[:6] if c not in header]
    if missing:
        result.errors.append(f"表头缺少列：{'、'.join(missing)}")
        return result
    col = {name: header.index(name) for name in COLUMNS if name in header}
    tasks = {t.pk: t for t in Task.objects.filter(document=document).prefetch_related("targets", "responsible_units")}
    by_seq = {t.seq: t for t in tasks.values()}
    units = {u.name: u for u in selectors.units_for_assignment(scope, document)}
    plan = []
    for n, r in enumerate(rows[header_at + 1 :], start=header_at + 2):
        values = {name: _cell(r[i]) if i < len(r) else "" for name, i in col.items()}
        if not any(values[c] for c in COLUMNS[:6]):
            continue
        errs = []
        task = None
        if values.get("任务编号"):
            try:
                task = tasks.get(int(values["任务编号"]))
            except ValueError:
                task = None
            if task is None:
                errs.append(f"任务编号“{values['任务编号']}”不属于本文件")
        elif values["序号"]:
            try:
                task = by_seq.get(int(values["序号"]))
            except ValueError:
                errs.append(f"序号“{values['序号']}”应为数字")
        if not values["重点任务"]:
            errs.append("重点任务不能为空")
        lead = None
        if values["牵头单位"]:
            lead = units.get(values["牵头单位"])
            if lead is None:
                errs.append(f"牵头单位“{values['牵头单位']}”不存在或不在管理范围内")
        resp = []
        for name in filter(None, re.split(r"[、，,；;\s]+", values["责任单位"])):
            if name not in units:
                errs.append(f"责任单位“{name}”不存在或不在管理范围内")
            else:
                resp.append(units[name])
        try:
            due, due_text = _due(values["完成时限"], document)
        except ValueError:
            errs.append(f"完成时限“{values['完成时限']}”无法识别（请写作 2024.06.30 或“年底前”等）")
            due, due_text = None, ""
        try:
            services.parse_goal(values["具体目标"])
        except ValidationError as e:
            errs.append(e.messages[0])
        if errs:
            result.errors.extend(f"第{n}行：{e}" for e in errs)
            continue
        plan.append((task, values, lead, resp, due, due_text))
    if result.errors:
        return result
    with transaction.atomic():
        for task, values, lead, resp, due, due_text in plan:
            if task is None:
                task = services.task_create(actor=actor, scope=scope, document=document, action=values["重点任务"])
                result.created += 1
            else:
                same = (
                    task.action == values["重点任务"] and task.goal_text() == values["具体目标"]
                    and task.lead_unit_id == (lead.pk if lead else None)
                    and {u.pk for u in task.responsible_units.all()} == {u.pk for u in resp} and task.due == due
                )
                if same:
                    result.unchanged += 1
                    continue
                result.updated += 1
            if task.kind != TaskKind.TASK:
                task.kind = TaskKind.TASK
            services.task_update(
                actor=actor, scope=scope, task=task, action=values["重点任务"], goal=values["具体目标"], due=due,
                deadline_text=due_text,
                lead_unit=lead, responsible_units=resp,
            )
    return result


def units_by_name(scope: Scope, document: WorkDocument) -> dict[str, Unit]:
    """Assignable units by exact name (what the import accepts)."""
    return {u.name: u for u in selectors.units_for_assignment(scope, document)}
