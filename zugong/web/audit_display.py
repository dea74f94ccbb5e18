"""How the 审计日志 shows an event: the action's Chinese name, the object's, and what changed.

The stored event keeps codes (``members.import``, ``ImportJob``, field names, status codes); the
page and its Excel export put them in the words of the model's labels (``verbose_name``, choices).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.urls import reverse

from zugong.core.audit import action_label
from zugong.core.models import AuditEvent

#: Objects of events that are not a model's rows.
_OBJECT_LABELS = {"Demo": "演示数据", "backup": "备份"}
#: before/after keys that are not fields of the event's model (import and export summaries).
_KEY_LABELS = {
    "status": "状态", "message": "说明", "file": "文件", "kind": "类别", "bytes": "字节数", "job": "任务", "total": "预计条数",
    "rows": "行数", "error_rows": "有误行数", "good_rows_only": "只导入无误的行", "created": "新增",
    "updated": "更新", "unchanged": "未变", "transferred": "转入", "count": "条数", "filters": "筛选条件",
    "unmasked": "含完整身份证号", "transfer_date": "转接日期", "letter_no": "介绍信编号", "reason": "原因",
    "on": "日期", "seed": "随机种子", "scale": "规模倍数", "units": "单位数", "party_orgs": "党组织数",
    "members": "党员数", "probationary": "预备党员数", "cadres_city": "市管干部数", "cadres_county": "县管干部数",
    "accounts": "演示账号",
    # the filters of an export (list pages and the 审计日志 itself)
    "q": "检索", "group": "操作类别", "actor": "操作人", "from": "起始日期", "to": "截止日期", "org": "党组织",
    "unit": "单位", "gender": "性别", "education": "学历", "occupation": "人员类别", "age_band": "年龄段",
    "sort": "排序", "team": "领导班子", "level": "级别",
    # 工作落实 (zugong.work.services) and the 任免审批表 export
    "task": "重点任务", "evidence": "佐证材料", "tasks": "任务条数", "guidance": "指导性要求条数",
    "extracted": "提取结果", "actions": "拆分后的任务", "goal": "具体目标", "days": "天数",
    "format": "格式", "age_on": "年龄计算日期",
}  # fmt: skip
#: Keys whose values count things: written grouped, as the pages write counts (250,018 not 250018).
_COUNT_KEYS = frozenset({
    "bytes", "total", "rows", "error_rows", "created", "updated", "unchanged", "transferred", "count", "units",
    "party_orgs", "members", "probationary", "cadres_city", "cadres_county", "tasks", "guidance",
})  # fmt: skip
_ABSENT = object()
#: Objects with a page of their own (the page checks the viewer's scope itself).
_OBJECT_PAGES = {
    "Person": "members:person", "PartyMember": "members:member", "ImportJob": "members:import_result", "Cadre": "cadres:record",
    "ExportJob": "members:export_job",
}


@dataclass(frozen=True)
class Change:
    """One field of an event's before/after, in words: ``before`` is '' when the event created it."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class EventView:
    """An AuditEvent as the page shows it."""

    event: AuditEvent
    action: str  # 操作, e.g. 导入党员名册
    object: str  # 对象, e.g. 导入任务 12
    changes: list[Change]
    url: str = ""  # the object's page, when it has one


def view(event: AuditEvent, *, task_names: dict[int, str] | None = None) -> EventView:
    """The page's words for ``event`` (``action_label``, the model's verbose name and its fields').

    A 重点任务 is named as its document's table and the event's summary name it ("修改任务 2"): by its 序号,
    "《2027年…要点》任务 2", not by its row id, with a link to its page; ``task_names`` are those names by
    task id (:func:`views` reads them for a page in one query; without it, one query for a Task event). A
    deleted task keeps the model's name and its id.
    """
    obj = object_label(event.object_type)
    page = _OBJECT_PAGES.get(event.object_type)
    url = reverse(page, args=[int(event.object_id)]) if page and event.object_id.isdigit() else ""
    name = f"{obj} {event.object_id}".strip()
    if event.object_type == "Task" and event.object_id.isdigit():
        pk = int(event.object_id)
        names = task_names if task_names is not None else _task_names([pk])
        if pk in names:
            name, url = names[pk], reverse("work:task", args=[pk])
    return EventView(event, action_label(event.action), name, changes(event), url)


def views(events) -> list[EventView]:
    """:func:`view` of each of ``events`` (an iterable of AuditEvent), the tasks' names read in one query."""
    events = list(events)
    ids = [int(e.object_id) for e in events if e.object_type == "Task" and e.object_id.isdigit()]
    names = _task_names(ids) if ids else {}
    return [view(e, task_names=names) for e in events]


def _task_names(ids: list[int]) -> dict[int, str]:
    """{task id: "《document title》任务 seq"} for the tasks of ``ids`` that still exist; one query."""
    task = _models()["Task"]
    rows = task.objects.filter(pk__in=ids).values_list("pk", "seq", "document__title")
    return {pk: task.name_of(title, seq) for pk, seq, title in rows}


@functools.cache
def _models() -> dict[str, type[Model]]:
    return {m.__name__: m for m in apps.get_models()}


def object_label(object_type: str) -> str:
    """The verbose name of the model called ``object_type`` (人员 for Person); other names as they are."""
    model = _models().get(object_type)
    return str(model._meta.verbose_name) if model is not None else _OBJECT_LABELS.get(object_type, object_type)


def changes(event: AuditEvent) -> list[Change]:
    """The keys of ``event.before``/``after`` whose values differ, in the order they were written
    (before's keys, then after's new ones); all of after's when the event created something."""
    before, after = event.before, event.after
    if not isinstance(before, dict | None) or not isinstance(after, dict | None):
        return [Change("", _text(None, "", before), _text(None, "", after))]
    before, after = before or {}, after or {}
    model = _models().get(event.object_type)
    keys = [*before, *(k for k in after if k not in before)]
    return [
        Change(_field_label(model, k), _text(model, k, before.get(k, _ABSENT)), _text(model, k, after.get(k, _ABSENT)))
        for k in keys
        if before.get(k, _ABSENT) != after.get(k, _ABSENT)
    ]


def _field(model: type[Model] | None, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _field_label(model: type[Model] | None, key: str) -> str:
    field = _field(model, key)
    if field is not None and hasattr(field, "verbose_name") and not str(field.verbose_name).isascii():
        return str(field.verbose_name)
    # a field without a Chinese verbose_name (ProgressReport.task) reads like the other keys
    return _KEY_LABELS.get(key, key)


def _text(model: type[Model] | None, key: str, value: Any) -> str:
    if value is _ABSENT:
        return ""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int) and key in _COUNT_KEYS:
        return f"{value:,}"
    field = _field(model, key)
    if field is not None and getattr(field, "flatchoices", None) and not isinstance(value, list | dict):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dict | list) and not value:
        return "（无）"
    if isinstance(value, dict):  # e.g. an export's filters: 操作类别：members；起始日期：2026-12-07
        text = "；".join(f"{_KEY_LABELS.get(str(k), k)}：{_text(None, str(k), v)}" for k, v in value.items())
    elif isinstance(value, list):
        text = "、".join(_text(None, "", v) if isinstance(v, list | dict) else str(v) for v in value)
    else:
        return str(value)
    return text if len(text) <= 200 else text[:199] + "…"
